//! Keeping the secret out of everything a server sends back: a server may echo the request's
//! Authorization header, or the secret itself, in its answer, and the answer is shown and
//! kept in the history.
//!
//! The secret is looked for as the text a person reads, not only as bytes: inside a JSON
//! string every escape form (`\u0053`, `\u0073`, `\/`, surrogate pairs, JSON inside JSON) is
//! decoded first, and the string is written back with `***` where the secret was. Outside
//! strings, and in answers that are not JSON, the secret is looked for as it is, URL-encoded,
//! and in Basic credentials (`user:secret`, in base64 with or without padding, standard or
//! URL-safe).
//!
//! A secret that could be an ordinary word (letters only, or digits only, shorter than 12;
//! anything shorter than 4) is hidden only where it stands as a whole value (a JSON string
//! that is exactly the secret) or inside the Basic credentials: hiding every `wrong` would
//! turn the server's "the API key or secret is wrong" into "… is ***" and say what the secret
//! is as surely.

use base64::Engine as _;

/// What replaces the secret.
pub const HIDDEN: &str = "***";

/// How deep JSON inside JSON strings is decoded.
const MAX_DEPTH: usize = 4;

/// The forms of one secret to look for.
#[derive(Debug, Clone, Default)]
pub struct Scrubber {
    /// Forms hidden wherever they appear.
    anywhere: Vec<String>,
    /// The secret itself, when it is hidden only as a whole value.
    whole: Option<String>,
}

impl Scrubber {
    /// The forms of `secret` sent with `username` as Basic auth. An empty secret hides
    /// nothing.
    pub fn new(username: &str, secret: &str) -> Self {
        if secret.is_empty() {
            return Self::default();
        }
        let mut anywhere = Vec::new();
        let mut whole = None;
        if distinctive(secret) {
            anywhere.push(secret.to_string());
            let encoded = percent_encoded(secret);
            if encoded != secret {
                anywhere.push(encoded.clone());
                anywhere.push(encoded.to_lowercase_hex());
            }
            anywhere.extend(base64_forms(secret));
        } else {
            whole = Some(secret.to_string());
        }
        let pair = format!("{username}:{secret}");
        if distinctive(&pair) {
            anywhere.push(pair.clone());
        }
        anywhere.extend(base64_forms(&pair));
        // Longest first: a form inside another is replaced as part of it.
        anywhere.sort_by_key(|f| std::cmp::Reverse(f.len()));
        anywhere.dedup();
        anywhere.retain(|f| f.chars().count() >= 4);
        Scrubber { anywhere, whole }
    }

    /// True when there is nothing to hide.
    pub fn is_empty(&self) -> bool {
        self.anywhere.is_empty() && self.whole.is_none()
    }

    /// `text` with every form of the secret replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        if self.is_empty() {
            return text.to_string();
        }
        self.scrub_at(text, 0)
    }

    fn scrub_at(&self, text: &str, depth: usize) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('"') {
            out.push_str(&self.plain(&rest[..open]));
            let body = &rest[open + 1..];
            let close = string_end(body);
            let inner = &body[..close];
            out.push('"');
            out.push_str(&self.string_body(inner, depth));
            match body.get(close..close + 1) {
                Some("\"") => {
                    out.push('"');
                    rest = &body[close + 1..];
                }
                _ => {
                    rest = "";
                }
            }
        }
        out.push_str(&self.plain(rest));
        out
    }

    /// Text outside any string: the forms hidden anywhere, as they are.
    fn plain(&self, text: &str) -> String {
        let mut t = text.to_string();
        for f in &self.anywhere {
            if t.contains(f.as_str()) {
                t = t.replace(f.as_str(), HIDDEN);
            }
        }
        t
    }

    /// The inside of a JSON string (between its quotes, escapes as written): left as written
    /// unless its decoded text holds the secret, then written back escaped with `***`.
    fn string_body(&self, raw: &str, depth: usize) -> String {
        let raw = self.plain(raw);
        let decoded = decode(&raw);
        let hidden = self.decoded_text(&decoded, depth);
        if hidden == decoded {
            raw
        } else {
            escape(&hidden)
        }
    }

    /// A string's text: the whole secret, the forms anywhere, JSON inside it.
    fn decoded_text(&self, text: &str, depth: usize) -> String {
        if self.whole.as_deref() == Some(text) {
            return HIDDEN.to_string();
        }
        let t = self.plain(text);
        if depth < MAX_DEPTH && t.contains('"') {
            self.scrub_at(&t, depth + 1)
        } else {
            t
        }
    }
}

/// True when `s` cannot be taken for an ordinary word or number: 12 or more characters, or
/// 4 or more that mix letters, digits or symbols.
fn distinctive(s: &str) -> bool {
    let n = s.chars().count();
    if n < 4 {
        return false;
    }
    if n >= 12 {
        return true;
    }
    let letters = s.chars().all(char::is_alphabetic);
    let digits = s.chars().all(|c| c.is_ascii_digit());
    !(letters || digits)
}

/// `s` in base64 as Basic auth and URLs carry it: standard and URL-safe, padded or not.
fn base64_forms(s: &str) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .map(|e| e.encode(s))
        .collect()
}

/// `s` with every byte but unreserved ones as `%XX` (upper-case hex).
fn percent_encoded(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

trait LowerHex {
    fn to_lowercase_hex(&self) -> String;
}

impl LowerHex for String {
    /// `%2F` as `%2f`; the rest unchanged.
    fn to_lowercase_hex(&self) -> String {
        let mut out = String::with_capacity(self.len());
        let mut after_percent = 0;
        for c in self.chars() {
            if c == '%' {
                after_percent = 2;
                out.push(c);
            } else if after_percent > 0 {
                after_percent -= 1;
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// Where a JSON string that starts at `body` ends: the index of its closing quote, or the
/// end of the text when it is never closed.
fn string_end(body: &str) -> usize {
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    body.len()
}

/// The text of a JSON string's inside. Lenient: an escape JSON does not know is kept as
/// written, a lone surrogate becomes U+FFFD.
fn decode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let hex = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                    let h: String = chars.by_ref().take(4).collect();
                    u32::from_str_radix(&h, 16).ok().filter(|_| h.len() == 4)
                };
                let Some(hi) = hex(&mut chars) else {
                    out.push('\u{fffd}');
                    continue;
                };
                if (0xD800..0xDC00).contains(&hi) {
                    let mut look = chars.clone();
                    if look.next() == Some('\\')
                        && look.next() == Some('u')
                        && let Some(lo) = hex(&mut look)
                        && (0xDC00..0xE000).contains(&lo)
                    {
                        chars = look;
                        let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                        continue;
                    }
                }
                out.push(char::from_u32(hi).unwrap_or('\u{fffd}'));
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `text` as the inside of a JSON string.
fn escape(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into());
    quoted[1..quoted.len() - 1].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "S3cr3t-v4lue/+x";

    fn u_escaped(s: &str, upper: bool) -> String {
        s.chars()
            .map(|c| {
                if upper {
                    format!("\\u{:04X}", c as u32)
                } else {
                    format!("\\u{:04x}", c as u32)
                }
            })
            .collect()
    }

    #[test]
    fn every_json_escape_form_is_hidden() {
        let s = Scrubber::new("key", SECRET);
        let half = SECRET.len() / 2;
        let forms = [
            SECRET.to_string(),
            u_escaped(SECRET, true),
            u_escaped(SECRET, false),
            SECRET.replace('/', "\\/"),
            format!("{}{}", &SECRET[..half], u_escaped(&SECRET[half..], true)),
        ];
        for f in forms {
            let text = format!(r#"{{"message":"bad secret {f} here","n":1}}"#);
            let out = s.scrub(&text);
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["message"], "bad secret *** here", "{f}: {out}");
            assert_eq!(v["n"], 1);
        }
    }

    #[test]
    fn json_inside_json_and_non_bmp_secrets_are_hidden() {
        let secret = "pa\u{1F511}ss-99";
        let s = Scrubber::new("k", secret);
        let inner = serde_json::json!({"echo": secret}).to_string();
        let outer = serde_json::json!({"body": inner}).to_string();
        let ascii = outer.replace('\u{1F511}', "\\ud83d\\udd11");
        for text in [outer, ascii] {
            let out = s.scrub(&text);
            assert!(!decoded_contains(&out, secret), "{out}");
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            let body: serde_json::Value =
                serde_json::from_str(v["body"].as_str().unwrap()).unwrap();
            assert_eq!(body["echo"], "***");
        }
    }

    fn decoded_contains(text: &str, secret: &str) -> bool {
        text.contains(secret)
            || serde_json::from_str::<serde_json::Value>(text)
                .map(|v| v.to_string().contains(secret) || format!("{v:?}").contains(secret))
                .unwrap_or(false)
    }

    #[test]
    fn basic_credentials_and_url_encoding_are_hidden() {
        let s = Scrubber::new("key", SECRET);
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("key:{SECRET}"));
        let url = percent_encoded(SECRET);
        for text in [
            format!("Authorization: Basic {basic}"),
            format!("<p>echo {}</p>", basic.trim_end_matches('=')),
            format!("GET /x?secret={url}"),
            format!("GET /x?secret={}", url.to_lowercase_hex()),
            format!("user key:{SECRET}"),
        ] {
            let out = s.scrub(&text);
            assert!(out.contains("***"), "{text} -> {out}");
            assert!(!out.contains(SECRET) && !out.contains(&basic), "{out}");
        }
    }

    #[test]
    fn an_ordinary_word_as_secret_is_hidden_only_as_a_whole_value() {
        let s = Scrubber::new("key", "wrong");
        let text =
            r#"{"message":"the API key or secret is wrong","echo":"wrong","e2":"\u0077rong"}"#;
        let out = s.scrub(text);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["message"], "the API key or secret is wrong");
        assert_eq!(v["echo"], "***");
        assert_eq!(v["e2"], "***");
        // Its Basic credentials are hidden anywhere.
        let basic = base64::engine::general_purpose::STANDARD.encode("key:wrong");
        assert_eq!(s.scrub(&format!("Basic {basic}")), "Basic ***");
        // Short or numeric secrets likewise.
        let n = Scrubber::new("key", "1234");
        assert_eq!(n.scrub("1234 messages"), "1234 messages");
        assert_eq!(n.scrub(r#"{"p":"1234"}"#), r#"{"p":"***"}"#);
    }

    #[test]
    fn text_without_the_secret_is_left_byte_for_byte() {
        let s = Scrubber::new("key", SECRET);
        for text in [
            r#"{"a":"\u00e9\/x","b":[1,2]}"#,
            "not json \"unclosed \\u12",
            "",
            "plain",
        ] {
            assert_eq!(s.scrub(text), text);
        }
        assert!(Scrubber::new("key", "").is_empty());
    }
}
