//! The GSM 03.38 alphabet, for the SMS fallback: whether a text fits GSM-7, and how many
//! segments it takes.

/// The basic GSM 03.38 character set.
const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table: each of these takes two septets (an escape, then the character).
const EXTENSION: &str = "\u{000C}^{}\\[~]|€";

/// How an SMS text is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        }
    }
}

pub fn is_basic(c: char) -> bool {
    BASIC.contains(c)
}

pub fn is_extension(c: char) -> bool {
    EXTENSION.contains(c)
}

/// True when every character of `text` is in the GSM 03.38 alphabet (basic or extension).
pub fn is_gsm7(text: &str) -> bool {
    text.chars().all(|c| is_basic(c) || is_extension(c))
}

/// The characters of `text` outside the GSM 03.38 alphabet, each once, in order.
pub fn non_gsm_chars(text: &str) -> Vec<char> {
    let mut out = Vec::new();
    for c in text.chars() {
        if !is_basic(c) && !is_extension(c) && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// What an SMS text costs: its encoding, its length in that encoding's units (septets for
/// GSM-7, extension characters counting twice; UTF-16 units for UCS-2), and its segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsCost {
    pub encoding: Encoding,
    pub units: usize,
    pub segments: usize,
    /// Units one segment holds at this length (160/153 or 70/67).
    pub per_segment: usize,
}

pub fn sms_cost(text: &str) -> SmsCost {
    let (encoding, units, single, multi) = if is_gsm7(text) {
        let units = text
            .chars()
            .map(|c| if is_extension(c) { 2 } else { 1 })
            .sum();
        (Encoding::Gsm7, units, 160, 153)
    } else {
        (Encoding::Ucs2, text.encode_utf16().count(), 70, 67)
    };
    let (segments, per_segment) = if units == 0 {
        (0, single)
    } else if units <= single {
        (1, single)
    } else {
        (units.div_ceil(multi), multi)
    };
    SmsCost {
        encoding,
        units,
        segments,
        per_segment,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ascii_is_gsm7() {
        assert!(is_gsm7("Fallback message if RCS fails"));
        assert!(!is_gsm7("Grüße 🙂"));
        assert_eq!(non_gsm_chars("a🙂b🙂ç"), vec!['🙂', 'ç']);
    }

    #[test]
    fn segments_follow_the_encoding() {
        assert_eq!(sms_cost("").segments, 0);
        let c = sms_cost(&"a".repeat(160));
        assert_eq!((c.encoding, c.units, c.segments), (Encoding::Gsm7, 160, 1));
        assert_eq!(sms_cost(&"a".repeat(161)).segments, 2);
        assert_eq!(sms_cost(&"a".repeat(306)).segments, 2);
        assert_eq!(sms_cost(&"a".repeat(307)).segments, 3);
        // Extension characters count twice.
        assert_eq!(sms_cost(&"€".repeat(80)).units, 160);
        assert_eq!(sms_cost(&"€".repeat(81)).segments, 2);
        let u = sms_cost(&"ж".repeat(70));
        assert_eq!((u.encoding, u.segments), (Encoding::Ucs2, 1));
        assert_eq!(sms_cost(&"ж".repeat(71)).segments, 2);
        assert_eq!(sms_cost(&"ж".repeat(134)).segments, 2);
        assert_eq!(sms_cost(&"ж".repeat(135)).segments, 3);
    }
}
