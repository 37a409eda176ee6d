//! What the preview shows of a URL: its host, its file name. Only the part needed is
//! parsed, so a 2048-character link costs no more than a short one.

use std::borrow::Cow;

/// The scheme-and-authority prefix (`https://example.com:8080`), and the rest.
fn split_authority(s: &str) -> Option<(&str, &str)> {
    let start = s.find("://")? + 3;
    let end = s[start..]
        .find(['/', '?', '#'])
        .map_or(s.len(), |i| start + i);
    Some((&s[..end], &s[end..]))
}

/// The URL's host as the url crate normalises it (lower case, IDNA), if it has one.
pub fn host(s: &str) -> Option<String> {
    let head = split_authority(s).map_or(s, |(head, _)| head);
    let u = url::Url::parse(head).ok()?;
    u.host_str().map(str::to_string)
}

/// Where a link goes, as a user reads it: its host, or its scheme when it has none
/// (`tel:`), or the text itself when it is no URL at all.
pub fn place(s: &str) -> Cow<'_, str> {
    if let Some(h) = host(s) {
        return Cow::Owned(h);
    }
    match s.find(':') {
        Some(i) if url::Url::parse(s.get(..i + 1).unwrap_or(s)).is_ok() => Cow::Borrowed(&s[..=i]),
        _ => Cow::Borrowed(s),
    }
}

/// The URL's last non-empty path segment, percent-decoded.
pub fn file_name(s: &str) -> Option<String> {
    let (_, rest) = split_authority(s)?;
    let path = rest.split(['?', '#']).next().unwrap_or(rest);
    let last = path.rsplit('/').find(|p| !p.is_empty())?;
    Some(percent_decode(last))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = bytes.get(i + 1..i + 3)
            && let Ok(hex) = std::str::from_utf8(h)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_places_and_names() {
        assert_eq!(
            host("https://Example.COM:8080/a?b").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            host("https://user@shop.example.com#x").as_deref(),
            Some("shop.example.com")
        );
        assert_eq!(host("no url"), None);
        assert_eq!(place("https://example.com/info"), "example.com");
        assert_eq!(place("tel:+15551234567"), "tel:");
        assert_eq!(place("not a url"), "not a url");
        assert_eq!(
            file_name("https://example.com/media/a%20b.jpg?x=1").as_deref(),
            Some("a b.jpg")
        );
        assert_eq!(
            file_name("https://example.com/dir/").as_deref(),
            Some("dir")
        );
        assert_eq!(file_name("https://example.com"), None);
        assert_eq!(
            file_name("https://example.com/%E6%97%A5.png").as_deref(),
            Some("日.png")
        );
    }
}
