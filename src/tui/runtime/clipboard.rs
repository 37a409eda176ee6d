//! The clipboard through the terminal: OSC 52 carries text to the terminal, which puts it
//! on the system clipboard (when it supports it and allows it). Nothing else is needed on
//! the machine, and it works over SSH.

use base64::Engine as _;

/// `ESC ] 52 ; c ; BASE64 BEL`: put `text` on the clipboard.
pub(super) fn osc52(text: &str) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{b64}\x07").into_bytes()
}

/// Whether this terminal is known to take OSC 52 at all: not the Linux console, not a dumb
/// terminal. (Whether it is allowed to is the terminal's setting; the app always shows the
/// text too.)
pub fn osc52_likely() -> bool {
    let term = std::env::var("TERM").unwrap_or_default();
    !(term.is_empty() || term == "dumb" || term == "linux")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sequence_carries_the_text_in_base64() {
        assert_eq!(super::osc52("hi"), b"\x1b]52;c;aGk=\x07");
    }
}
