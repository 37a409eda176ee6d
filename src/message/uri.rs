//! URI syntax as RFC 3986 defines it: what the API's "must be valid URI" checks (its
//! messages are a JavaScript validator's, whose `uri()` rule is RFC 3986). A WHATWG URL parser
//! would accept more (it percent-encodes a space for you); the API does not, so neither do we.

/// The parts of an absolute URI the rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uri<'a> {
    pub scheme: &'a str,
    /// The host of the authority, if the URI has one (`//host`); may be empty.
    pub host: Option<&'a str>,
}

impl Uri<'_> {
    /// http or https (any case), with a non-empty host.
    pub fn is_web(&self) -> bool {
        (self.scheme.eq_ignore_ascii_case("http") || self.scheme.eq_ignore_ascii_case("https"))
            && self.host.is_some_and(|h| !h.is_empty())
    }
}

const ALPHA: u8 = 1;
const DIGIT: u8 = 2;
/// unreserved: ALPHA DIGIT - . _ ~
const UNRESERVED: u8 = 4;
/// sub-delims: ! $ & ' ( ) * + , ; =
const SUB_DELIM: u8 = 8;
/// ':' and '@', which pchar adds.
const PCHAR_EXTRA: u8 = 16;
/// '/' and '?', which query and fragment add.
const QF_EXTRA: u8 = 32;
const HEX: u8 = 64;

const fn table() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let mut v = 0;
        if c.is_ascii_alphabetic() {
            v |= ALPHA | UNRESERVED;
        }
        if c.is_ascii_digit() {
            v |= DIGIT | UNRESERVED;
        }
        if c.is_ascii_hexdigit() {
            v |= HEX;
        }
        match c {
            b'-' | b'.' | b'_' | b'~' => v |= UNRESERVED,
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' => {
                v |= SUB_DELIM
            }
            b':' | b'@' => v |= PCHAR_EXTRA,
            b'/' | b'?' => v |= QF_EXTRA,
            _ => {}
        }
        t[b] = v;
        b += 1;
    }
    t
}

static CLASS: [u8; 256] = table();

/// Checks that every byte of `part` is in `allowed` or is a valid `%XX`; on failure, the
/// offending position within `part`.
fn check(part: &[u8], allowed: u8) -> Result<(), usize> {
    // Fast path: letters, digits and `/ . - _ ~` are allowed in every part but the host's
    // (where `/` cannot occur: it ends the authority). Range comparisons summed in `u8`
    // chunks vectorize, so a long plain URL is checked many bytes at a time.
    let plain = |b: u8| {
        u8::from(
            b.is_ascii_alphanumeric()
                || b == b'/'
                || b == b'.'
                || b == b'-'
                || b == b'_'
                || b == b'~',
        )
    };
    if part
        .chunks(255)
        .all(|c| usize::from(c.iter().fold(0u8, |acc, &b| acc + plain(b))) == c.len())
    {
        return Ok(());
    }
    let mut i = 0;
    while i < part.len() {
        let b = part[i];
        if CLASS[b as usize] & allowed != 0 {
            i += 1;
        } else if b == b'%' {
            if part.len() > i + 2
                && CLASS[part[i + 1] as usize] & HEX != 0
                && CLASS[part[i + 2] as usize] & HEX != 0
            {
                i += 3;
            } else {
                return Err(i);
            }
        } else {
            return Err(i);
        }
    }
    Ok(())
}

/// Why a string is not an absolute URI, in words.
fn bad_char(s: &str, at: usize) -> String {
    let c = s[at..].chars().next().unwrap_or('?');
    let pos = s[..at].chars().count() + 1;
    match c {
        '%' => format!("the '%' at position {pos} is not followed by two hex digits"),
        ' ' => format!("it has a space at position {pos} (write it as %20)"),
        c if c.is_control() => format!("it has a control character at position {pos}"),
        c if !c.is_ascii() => {
            format!("the character '{c}' at position {pos} must be percent-encoded")
        }
        c => format!("the character '{c}' at position {pos} is not allowed there"),
    }
}

/// Parses an absolute URI (`scheme:hier-part[?query][#fragment]`).
pub fn parse_absolute(s: &str) -> Result<Uri<'_>, String> {
    let bytes = s.as_bytes();
    let colon = match bytes.iter().position(|&b| b == b':') {
        Some(0) | None => return Err("it has no scheme (like https:)".to_string()),
        Some(i) => i,
    };
    let scheme = &bytes[..colon];
    if CLASS[scheme[0] as usize] & ALPHA == 0
        || !scheme[1..]
            .iter()
            .all(|&b| CLASS[b as usize] & (ALPHA | DIGIT) != 0 || matches!(b, b'+' | b'-' | b'.'))
    {
        return Err("it has no scheme (like https:)".to_string());
    }
    let rest_start = colon + 1;
    let rest = &bytes[rest_start..];
    let end_of = |from: usize, stops: &[u8]| {
        rest[from..]
            .iter()
            .position(|b| stops.contains(b))
            .map_or(rest.len(), |p| from + p)
    };
    // hier-part ends at the first '?' or '#'.
    let hier_end = end_of(0, b"?#");
    let mut host = None;
    let mut path_start = 0;
    if rest[..hier_end].starts_with(b"//") {
        let auth_end = end_of(2, b"/?#").min(hier_end);
        let auth = &rest[2..auth_end];
        let host_start = auth.iter().rposition(|&b| b == b'@').map_or(0, |p| p + 1);
        if host_start > 0 {
            check(
                &auth[..host_start - 1],
                UNRESERVED | SUB_DELIM | PCHAR_EXTRA,
            )
            .map_err(|p| bad_char(s, rest_start + 2 + p))?;
        }
        let hostport = &auth[host_start..];
        let host_len = if hostport.first() == Some(&b'[') {
            let close = hostport
                .iter()
                .position(|&b| b == b']')
                .ok_or_else(|| "its IP address in [ ] is not closed".to_string())?;
            let inner = &hostport[1..close];
            if inner.is_empty()
                || !inner
                    .iter()
                    .all(|&b| CLASS[b as usize] & (HEX | UNRESERVED | SUB_DELIM) != 0 || b == b':')
            {
                return Err("its IP address in [ ] is not valid".to_string());
            }
            close + 1
        } else {
            hostport
                .iter()
                .position(|&b| b == b':')
                .unwrap_or(hostport.len())
        };
        let (h, port) = hostport.split_at(host_len);
        if hostport.first() != Some(&b'[') {
            check(h, UNRESERVED | SUB_DELIM)
                .map_err(|p| bad_char(s, rest_start + 2 + host_start + p))?;
        }
        if let Some(p) = port.strip_prefix(b":") {
            if !p.iter().all(u8::is_ascii_digit) {
                return Err("its port is not a number".to_string());
            }
        } else if !port.is_empty() {
            return Err("its host is not valid".to_string());
        }
        let h = &s[rest_start + 2 + host_start..rest_start + 2 + host_start + host_len];
        host = Some(h);
        path_start = auth_end;
    }
    // The path: pchar and '/' ('?' cannot occur here: the hier-part ends before it).
    check(
        &rest[path_start..hier_end],
        UNRESERVED | SUB_DELIM | PCHAR_EXTRA | QF_EXTRA,
    )
    .map_err(|p| bad_char(s, rest_start + path_start + p))?;
    if hier_end < rest.len() {
        // Query and fragment: pchar, '/', '?', with '#' once to start the fragment.
        let tail = &rest[hier_end + 1..];
        let (query, fragment) = if rest[hier_end] == b'#' {
            (&tail[..0], Some(tail))
        } else {
            match tail.iter().position(|&b| b == b'#') {
                Some(p) => (&tail[..p], Some(&tail[p + 1..])),
                None => (tail, None),
            }
        };
        let allowed = UNRESERVED | SUB_DELIM | PCHAR_EXTRA | QF_EXTRA;
        let qstart = rest_start + hier_end + 1;
        check(query, allowed).map_err(|p| bad_char(s, qstart + p))?;
        if let Some(f) = fragment {
            let fstart = s.len() - f.len();
            check(f, allowed).map_err(|p| bad_char(s, fstart + p))?;
        }
    }
    let scheme = &s[..colon];
    Ok(Uri { scheme, host })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_web_urls() {
        for u in [
            "https://example.com/info",
            "http://127.0.0.1:8643/cb",
            "https://user:pw@example.com:8443/a/b;c=d?x=1&y=%20#frag",
            "HTTPS://EXAMPLE.COM",
            "https://[::1]:8080/",
            "https://example.com/fallback_media.jpg",
        ] {
            let p = parse_absolute(u).unwrap_or_else(|e| panic!("{u}: {e}"));
            assert!(p.is_web(), "{u}");
        }
    }

    #[test]
    fn accepts_other_absolute_uris_that_are_not_web() {
        for u in [
            "tel:+15551234567",
            "mailto:a@b.c",
            "geo:37.7,-122.4",
            "https:/x",
            "https://",
        ] {
            let p = parse_absolute(u).unwrap_or_else(|e| panic!("{u}: {e}"));
            assert!(!p.is_web(), "{u}");
        }
    }

    #[test]
    fn refuses_what_rfc_3986_refuses() {
        for (u, why) in [
            ("example.com/x", "no scheme"),
            ("/relative", "no scheme"),
            ("", "no scheme"),
            ("1http://x", "no scheme"),
            ("https://exa mple.com/", "space at position 12"),
            ("https://example.com/a b", "space at position 22"),
            ("https://example.com/café", "'é' at position 24"),
            ("https://example.com/%zz", "'%' at position 21"),
            ("https://example.com:80a/", "port"),
            ("https://[::1/", "not closed"),
            ("https://example.com/<x>", "'<'"),
        ] {
            let e = parse_absolute(u).expect_err(u);
            assert!(e.contains(why), "{u}: {e}");
        }
    }
}
