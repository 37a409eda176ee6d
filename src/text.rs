//! Text made safe for a terminal. Anything that came from outside (a server's answer, a
//! request to the sandbox, a draft's values, a file name) passes through here before it is
//! printed or drawn, so it cannot move the cursor, change the terminal or reorder text.
//!
//! Layering: plain functions on strings; no internal imports.

/// `s` with every control character made visible, so a hostile body cannot move the
/// cursor, change the terminal or reorder text: C0 controls become their control pictures
/// (`\x1b` → `␛`, `\r` → `␍`), DEL → `␡`, C1 controls (which some terminals obey as escape
/// sequences), bidirectional overrides and line/paragraph separators become `⟨U+XXXX⟩`.
/// Newlines and tabs are kept; a `\r\n` line ending becomes `\n`.
pub fn visible(s: &str) -> String {
    // Most text is printable ASCII (and newlines, tabs): nothing to mark.
    if s.bytes()
        .all(|b| (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\t')
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' if chars.peek() == Some(&'\n') => {}
            c if (c as u32) < 0x20 => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\u{7f}' => out.push('␡'),
            c if needs_marking(c) => out.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Serialized JSON with every character a terminal could obey that JSON leaves raw (DEL,
/// C1 controls, bidirectional overrides, line/paragraph separators) written as a `\uXXXX`
/// escape. Those characters can only occur inside strings, so the value is unchanged: the
/// same document, safe to print.
pub fn terminal_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if needs_marking(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` made safe and kept on one line, for a status or message line: control characters
/// visible, a line break (a file name may hold one) as `⏎` and a tab as a space, so nothing
/// after a break is lost.
pub fn one_line(text: &str) -> String {
    visible(text)
        .chars()
        .map(|c| match c {
            '\n' => '⏎',
            '\t' => ' ',
            c => c,
        })
        .collect()
}

/// `s` fit for one line of a log: every control character visible, line breaks and tabs
/// too (`␊`, `␉`), and cut at `max` characters, the last of them an ellipsis.
pub fn log_line(s: &str, max: usize) -> String {
    let mut out: String = visible(s)
        .chars()
        .map(|c| match c {
            '\n' => '␊',
            '\t' => '␉',
            c => c,
        })
        .take(max.saturating_add(1))
        .collect();
    if out.chars().count() > max {
        out = out.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
    }
    out
}

/// Characters that are not C0 controls but that a terminal may obey or that reorder text.
fn needs_marking(c: char) -> bool {
    matches!(c,
        '\u{7f}'..='\u{9f}'
        | '\u{061c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{2028}'
        | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_shows_every_control() {
        let s = "a\x1b[2Jb\x07c\x00d\x7fe\u{9b}31mf\r\ng\rh\u{202e}i\tj\n";
        let v = visible(s);
        assert_eq!(v, "a␛[2Jb␇c␀d␡e⟨U+009B⟩31mf\ng␍h⟨U+202E⟩i\tj\n");
        assert!(v.chars().all(|c| c == '\n' || c == '\t' || !c.is_control()));
    }

    #[test]
    fn terminal_safe_json_keeps_the_value() {
        let v = serde_json::json!({"t": "a\u{9b}b\u{202e}c\u{7f}d\x1be"});
        let raw = v.to_string();
        let safe = terminal_safe_json(&raw);
        assert_eq!(safe, r#"{"t":"a\u009bb\u202ec\u007fd\u001be"}"#);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&safe).unwrap(), v);
    }

    #[test]
    fn visible_keeps_plain_text() {
        let s = "Hello, wörld — 你好 🎉\n\tok";
        assert_eq!(visible(s), s);
    }

    #[test]
    fn one_line_keeps_what_follows_a_break() {
        assert_eq!(one_line("a\nb\tc\x1b"), "a⏎b c␛");
    }

    #[test]
    fn log_line_is_one_line_and_cut_with_an_ellipsis() {
        assert_eq!(log_line("a\nb\tc\x1b", 10), "a␊b␉c␛");
        assert_eq!(log_line("abcdef", 6), "abcdef");
        assert_eq!(log_line("abcdefg", 6), "abcde…");
        assert_eq!(log_line(&"é".repeat(500), 300).chars().count(), 300);
    }
}
