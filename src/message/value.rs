//! What the validator reads off a single value: lengths as the API counts them (UTF-16
//! units, serialized bytes), JSON type names for messages, date-times, phone-number shapes
//! and decimal places.

use serde_json::Value;

/// The number of UTF-16 code units of `s`: the unit the API's lengths are counted in.
pub fn utf16_len(s: &str) -> usize {
    // Every character starts with a byte that is not a continuation byte (10xxxxxx); those
    // of four bytes (lead byte 11110xxx) take two UTF-16 units.
    count_bytes(s.as_bytes(), |b| {
        u8::from((b & 0xC0) != 0x80) + u8::from(b >= 0xF0)
    })
}

/// Sums `f` (0, 1 or 2) over the bytes, in chunks small enough to count in a `u8`, which
/// the compiler turns into wide vector operations.
#[inline]
fn count_bytes(bytes: &[u8], f: impl Fn(u8) -> u8 + Copy) -> usize {
    bytes
        .chunks(127)
        .map(|chunk| usize::from(chunk.iter().fold(0u8, |acc, &b| acc + f(b))))
        .sum()
}

/// "a string", "a number", …: a value's JSON type, for messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses an ISO 8601 date-time that carries `Z` or an offset.
pub fn parse_date_time(s: &str) -> Option<jiff::Timestamp> {
    // A date-time needs a time part; jiff also accepts bracketed zone annotations, which the
    // API's examples never use, so those are refused too.
    if !s.contains(['T', 't']) || s.contains('[') {
        return None;
    }
    s.parse::<jiff::Timestamp>().ok()
}

/// True for a phone number as the spec reads it: digits, with an optional leading `+` and
/// spaces, dashes, dots and parentheses between them.
pub fn looks_like_phone_number(s: &str) -> bool {
    let body = s.strip_prefix('+').unwrap_or(s);
    let mut digits = 0;
    for c in body.chars() {
        match c {
            '0'..='9' => digits += 1,
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return false,
        }
    }
    digits > 0
}

/// 7 to 15 digits with an optional leading `+`.
pub fn is_e164ish(s: &str) -> bool {
    let body = s.strip_prefix('+').unwrap_or(s);
    (7..=15).contains(&body.len()) && body.bytes().all(|b| b.is_ascii_digit())
}

/// Decimal places of a JSON number as serde_json prints it (shortest round-trip form).
pub(super) fn decimal_places(v: &Value) -> usize {
    match v {
        Value::Number(n) if n.is_f64() => {
            let s = n.to_string();
            if s.contains(['e', 'E']) {
                // serde_json prints very small or large floats in exponent form.
                let f = n.as_f64().unwrap_or(0.0);
                let plain = format!("{f}");
                plain.split_once('.').map_or(0, |(_, d)| d.len())
            } else {
                s.split_once('.').map_or(0, |(_, d)| d.len())
            }
        }
        _ => 0,
    }
}

/// The length in bytes of `v` serialized compactly, as serde_json writes it, without
/// building the string.
pub fn json_len(v: &Value) -> usize {
    fn str_len(s: &str) -> usize {
        // Bytes that need escaping are rare: count them branch-free (it vectorizes), and
        // look closer only when there are any.
        let special = count_bytes(s.as_bytes(), |b| {
            u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\')
        });
        if special == 0 {
            return s.len() + 2;
        }
        let mut n = 2;
        for b in s.bytes() {
            n += match b {
                b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
                0..=0x1f => 6,
                _ => 1,
            };
        }
        n
    }
    match v {
        Value::Null => 4,
        Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(n) => n.to_string().len(),
        Value::String(s) => str_len(s),
        Value::Array(a) => 2 + a.iter().map(json_len).sum::<usize>() + a.len().saturating_sub(1),
        Value::Object(m) => {
            2 + m
                .iter()
                .map(|(k, v)| str_len(k) + 1 + json_len(v))
                .sum::<usize>()
                + m.len().saturating_sub(1)
        }
    }
}

/// How to write text that is almost a JSON number (`45,5`, `+45`, `.5`, `45.`), as the end
/// of a message; `None` when it is not almost one.
pub fn number_hint(s: &str) -> Option<String> {
    let t = s.trim();
    let is_number = |x: &str| serde_json::from_str::<serde_json::Number>(x).is_ok();
    if t.is_empty() || is_number(t) {
        return None;
    }
    let (sign, body) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", t.strip_prefix('+').unwrap_or(t)),
    };
    let mut fixed = body.replace(',', ".");
    if fixed.starts_with('.') {
        fixed.insert(0, '0');
    }
    if fixed.ends_with('.') {
        fixed.pop();
    }
    let fixed = format!("{sign}{fixed}");
    if !is_number(&fixed) {
        return None;
    }
    let how = if body.contains(',') {
        "use a decimal point"
    } else if t.starts_with('+') {
        "write it without the plus sign"
    } else if body.starts_with('.') {
        "write a 0 before the point"
    } else {
        "end it with a digit"
    };
    Some(format!(" ({how}: {fixed})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_len_matches_serde_json() {
        let v = json!({"a": [1, 2.5, null, true, false, "x\"y\\z\n\u{1}é🙂"], "b": {}, "c": []});
        assert_eq!(json_len(&v), serde_json::to_string(&v).unwrap().len());
    }

    /// Every byte that needs escaping, at every place in strings longer than a few of the
    /// chunks the counts are made in, and text of every UTF-8 width.
    #[test]
    fn long_strings_are_measured_whole() {
        for special in ['"', '\\', '\n', '\u{1}', '\u{1f}'] {
            for at in 0..1100 {
                let mut s = "a".repeat(1100);
                s.replace_range(at..at + 1, &special.to_string());
                let v = Value::String(s);
                assert_eq!(
                    json_len(&v),
                    serde_json::to_string(&v).unwrap().len(),
                    "{at}"
                );
            }
        }
        for (i, unit) in ["a", "é", "€", "🙂", "~\u{7f}\u{80}"].iter().enumerate() {
            for n in [0, 1, 7, 8, 9, 126, 127, 128, 1016, 1017, 5000] {
                let s = format!("{}{}", "x".repeat(i), unit.repeat(n));
                assert_eq!(utf16_len(&s), s.encode_utf16().count(), "{unit} × {n}");
                let v = Value::String(s);
                assert_eq!(json_len(&v), serde_json::to_string(&v).unwrap().len());
            }
        }
    }

    #[test]
    fn phone_shapes() {
        assert!(looks_like_phone_number("+1 (415) 555-0100"));
        assert!(looks_like_phone_number("14155550199"));
        assert!(!looks_like_phone_number("ACME"));
        assert!(!looks_like_phone_number("+"));
        assert!(!looks_like_phone_number("1-800-FLOWERS"));
        assert!(is_e164ish("+14155550100"));
        assert!(!is_e164ish("123456"));
        assert!(!is_e164ish("1234567890123456"));
    }

    #[test]
    fn decimals() {
        assert_eq!(decimal_places(&json!(37.808674)), 6);
        assert_eq!(decimal_places(&json!(37.8086741)), 7);
        assert_eq!(decimal_places(&json!(37)), 0);
        assert_eq!(decimal_places(&json!(0.0000001)), 7);
    }

    #[test]
    fn dates() {
        assert!(parse_date_time("2030-03-03T15:00:00.000+01:00").is_some());
        assert!(parse_date_time("2030-03-03T15:00:00Z").is_some());
        assert!(parse_date_time("2030-03-03T15:00:00-05:00").is_some());
        assert!(parse_date_time("2030-03-03T15:00:00").is_none());
        assert!(parse_date_time("2030-03-03").is_none());
        assert!(parse_date_time("tomorrow").is_none());
    }
}
