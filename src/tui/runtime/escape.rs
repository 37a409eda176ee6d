//! Esc typed just before a key that sends an escape sequence, both in one read (a fast
//! typist over ssh, a paste, `Esc` then `F5` written at once): the terminal sends
//! `ESC ESC [ 1 5 ~`. crossterm reads `ESC ESC` as Esc and then the rest as the characters
//! `[`, `1`, `5`, `~`, which would be typed into the field. Here, a lone Esc followed, in the
//! same batch of input, by characters that make up a complete escape sequence is turned back
//! into Esc and that key. A person cannot type `[15~` within the same read as an Esc, so
//! nothing typed is lost.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// The longest sequence tail looked for (`[1;2P` is 5; some keys send up to 8).
const MAX_TAIL: usize = 12;

/// A plain Esc key press: the start of what [`rejoin`] looks at.
pub(super) fn is_lone_esc(ev: &Event) -> bool {
    matches!(ev, Event::Key(k) if k.code == KeyCode::Esc
        && k.modifiers.is_empty()
        && k.kind == KeyEventKind::Press)
}

/// The events to hand on for a lone Esc and the events read with it (`after`): Esc and the
/// key, when `after` starts with the characters of an escape sequence, then the rest; else
/// everything as it came.
pub(super) fn rejoin(esc: Event, after: Vec<Event>) -> Vec<Event> {
    let chars: Vec<char> = after.iter().map_while(plain_char).take(MAX_TAIL).collect();
    if let Some((len, key)) = sequence(&chars) {
        let mut out = vec![esc, Event::Key(key)];
        out.extend(after.into_iter().skip(len));
        return out;
    }
    let mut out = vec![esc];
    out.extend(after);
    out
}

/// The character of a key press with no modifier but Shift (which crossterm adds to
/// capitals), else `None`.
fn plain_char(ev: &Event) -> Option<char> {
    match ev {
        Event::Key(k)
            if k.kind == KeyEventKind::Press && (k.modifiers - KeyModifiers::SHIFT).is_empty() =>
        {
            match k.code {
                KeyCode::Char(c) => Some(c),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The escape sequence (after its ESC) at the start of `chars`: how many characters it takes
/// and the key it stands for. CSI (`[`, parameters, a final character) and SS3 (`O` and one
/// character), as xterm and its kin send them for arrows, Home/End, Insert/Delete,
/// PageUp/PageDown and F1–F20, with modifiers.
fn sequence(chars: &[char]) -> Option<(usize, KeyEvent)> {
    match chars.first()? {
        'O' => {
            let fin = *chars.get(1)?;
            Some((2, KeyEvent::new(final_key(fin)?, KeyModifiers::NONE)))
        }
        '[' => {
            let end = chars
                .iter()
                .skip(1)
                .position(|c| !matches!(c, '0'..='9' | ';' | ':'))?
                + 1;
            let fin = chars[end];
            let params: Vec<u32> = chars[1..end]
                .iter()
                .collect::<String>()
                .split(';')
                .map(|p| p.split(':').next().unwrap_or("").parse().unwrap_or(0))
                .collect();
            let mods = modifiers(params.get(1).copied().unwrap_or(1));
            let code = match fin {
                '~' => tilde_key(*params.first()?)?,
                'Z' => {
                    return Some((
                        end + 1,
                        KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
                    ));
                }
                c => final_key(c)?,
            };
            Some((end + 1, KeyEvent::new(code, mods)))
        }
        _ => None,
    }
}

/// The keys a sequence's final character names: arrows, Home, End, F1–F4.
fn final_key(c: char) -> Option<KeyCode> {
    Some(match c {
        'A' => KeyCode::Up,
        'B' => KeyCode::Down,
        'C' => KeyCode::Right,
        'D' => KeyCode::Left,
        'H' => KeyCode::Home,
        'F' => KeyCode::End,
        'P' => KeyCode::F(1),
        'Q' => KeyCode::F(2),
        'R' => KeyCode::F(3),
        'S' => KeyCode::F(4),
        _ => return None,
    })
}

/// `ESC [ N ~` keys, numbered as crossterm numbers them.
fn tilde_key(n: u32) -> Option<KeyCode> {
    Some(match n {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        11..=15 => KeyCode::F((n - 10) as u8),
        17..=21 => KeyCode::F((n - 11) as u8),
        23..=26 => KeyCode::F((n - 12) as u8),
        28..=29 => KeyCode::F((n - 13) as u8),
        31..=34 => KeyCode::F((n - 14) as u8),
        _ => return None,
    })
}

/// xterm's modifier parameter: 1 + Shift(1) + Alt(2) + Ctrl(4).
fn modifiers(p: u32) -> KeyModifiers {
    let bits = p.saturating_sub(1);
    let mut m = KeyModifiers::NONE;
    if bits & 1 != 0 {
        m |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        m |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        m |= KeyModifiers::CONTROL;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &str) -> Vec<Event> {
        s.chars()
            .map(|c| {
                let m = if c.is_uppercase() {
                    KeyModifiers::SHIFT
                } else {
                    KeyModifiers::NONE
                };
                Event::Key(KeyEvent::new(KeyCode::Char(c), m))
            })
            .collect()
    }

    fn esc() -> Event {
        Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))
    }

    fn key(code: KeyCode, m: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, m))
    }

    #[test]
    fn esc_then_a_whole_sequence_is_esc_then_that_key() {
        let cases = [
            ("[15~", key(KeyCode::F(5), KeyModifiers::NONE)),
            ("[15;2~", key(KeyCode::F(5), KeyModifiers::SHIFT)),
            ("[A", key(KeyCode::Up, KeyModifiers::NONE)),
            ("[1;3B", key(KeyCode::Down, KeyModifiers::ALT)),
            ("[1;5C", key(KeyCode::Right, KeyModifiers::CONTROL)),
            ("OP", key(KeyCode::F(1), KeyModifiers::NONE)),
            ("[3~", key(KeyCode::Delete, KeyModifiers::NONE)),
            ("[24~", key(KeyCode::F(12), KeyModifiers::NONE)),
            ("[Z", key(KeyCode::BackTab, KeyModifiers::SHIFT)),
        ];
        for (tail, want) in cases {
            assert_eq!(rejoin(esc(), keys(tail)), vec![esc(), want], "{tail}");
        }
        // What follows the sequence is kept, in order.
        assert_eq!(
            rejoin(esc(), keys("[15~ab")),
            [
                vec![esc(), key(KeyCode::F(5), KeyModifiers::NONE)],
                keys("ab")
            ]
            .concat()
        );
    }

    #[test]
    fn anything_else_after_esc_is_left_as_it_came() {
        for tail in [
            "", "a", "[", "[15", "[15x", "[99~", "Ox", "[<0;1;2M", "hello",
        ] {
            let mut want = vec![esc()];
            want.extend(keys(tail));
            assert_eq!(rejoin(esc(), keys(tail)), want, "{tail:?}");
        }
    }
}
