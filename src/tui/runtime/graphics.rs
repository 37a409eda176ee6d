//! Which pictures the terminal can draw, asked once at start, before the first frame and
//! before anything reads the keyboard: half-blocks everywhere, and kitty, sixel or iTerm2
//! where the terminal answers that it can.
//!
//! Only a terminal that names itself as one that might (`TERM_PROGRAM`, `KITTY_WINDOW_ID`,
//! `VTE_VERSION`, … see [`worth_asking`]) is asked, so every other terminal starts as fast as
//! before. The question comes in two rounds, each ending with a status request every
//! terminal answers: first the device attributes (sixel) and the cell size in pixels, whose
//! answers are harmless should they come late (the input reader drops them); only when that
//! was answered in time, the kitty graphics query. No answer in time: half-blocks.
//! `RCS_COMPOSER_GRAPHICS=halfblocks` skips the question, `=ask` asks any terminal.

use crate::tui::pictures::{Graphics, GraphicsKind};
use std::time::Duration;

/// How long each round waits for the terminal's answer.
const ROUND_TIMEOUT: Duration = Duration::from_millis(100);

const ESC: &str = "\x1b";

/// False for a terminal without colours (`TERM` unset or `dumb`): pictures need them.
pub(super) fn has_colours(env: &dyn Fn(&str) -> Option<String>) -> bool {
    env("TERM").is_some_and(|t| !t.is_empty() && t != "dumb")
}

/// True when the environment says the terminal may draw pictures itself.
pub(super) fn worth_asking(env: &dyn Fn(&str) -> Option<String>) -> bool {
    let set = |k: &str| env(k).is_some_and(|v| !v.is_empty());
    match env("RCS_COMPOSER_GRAPHICS").as_deref() {
        Some("halfblocks") => return false,
        Some("ask") => return true,
        _ => {}
    }
    let term = env("TERM").unwrap_or_default();
    [
        "TERM_PROGRAM",
        "KITTY_WINDOW_ID",
        "WEZTERM_EXECUTABLE",
        "KONSOLE_VERSION",
        "VTE_VERSION",
        "XTERM_VERSION",
        "WT_SESSION",
        "LC_TERMINAL",
    ]
    .iter()
    .any(|k| set(k))
        || [
            "kitty", "foot", "mlterm", "ghostty", "contour", "wezterm", "mintty",
        ]
        .iter()
        .any(|t| term.contains(t))
}

/// What the terminal's answers said.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Answers {
    pub answered: bool,
    pub sixel: bool,
    pub kitty: bool,
    pub cell: Option<(u16, u16)>,
}

impl Answers {
    /// Feeds the bytes read so far; true once the status answer ended the round.
    fn read(&mut self, bytes: &[u8]) -> bool {
        use ratatui_image::picker::cap_parser::{Parser, Response};
        let mut parser = Parser::new();
        let mut done = false;
        for &b in bytes {
            for r in parser.push(char::from(b)) {
                match r {
                    Response::Status => done = true,
                    Response::Sixel => self.sixel = true,
                    Response::Kitty => self.kitty = true,
                    Response::CellSize(Some(c)) => self.cell = Some(c),
                    _ => {}
                }
            }
        }
        self.answered |= done;
        done
    }

    /// The way to draw pictures: kitty before sixel before iTerm2 (named by the
    /// environment), each only with a cell size in pixels; else half-blocks.
    pub(super) fn graphics(&self, iterm2: bool, pixels: Option<(u16, u16)>) -> Graphics {
        let Some(cell) = self.cell.or(pixels).filter(|c| c.0 > 0 && c.1 > 0) else {
            return Graphics::HALFBLOCKS;
        };
        let kind = if self.kitty {
            GraphicsKind::Kitty
        } else if self.sixel {
            GraphicsKind::Sixel
        } else if iterm2 && self.answered {
            GraphicsKind::Iterm2
        } else {
            return Graphics::HALFBLOCKS;
        };
        Graphics { kind, cell }
    }
}

/// True when the environment names a terminal that takes iTerm2's inline images.
fn iterm2(env: &dyn Fn(&str) -> Option<String>) -> bool {
    let program = env("TERM_PROGRAM").unwrap_or_default();
    ["iTerm", "WezTerm", "mintty", "vscode", "rio"]
        .iter()
        .any(|p| program.contains(p))
        || env("LC_TERMINAL").is_some_and(|t| t.contains("iTerm"))
}

/// Asks the terminal (in raw mode, before the input reader starts) how it draws pictures.
pub(super) fn detect() -> Graphics {
    let env = |k: &str| std::env::var(k).ok();
    if !worth_asking(&env) {
        return Graphics::HALFBLOCKS;
    }
    let mut answers = Answers::default();
    // Round one: sixel (device attributes) and the cell size.
    if !ask(&format!("{ESC}[c{ESC}[16t{ESC}[5n"), &mut answers) {
        return Graphics::HALFBLOCKS;
    }
    // Round two, for a terminal that answers quickly: the kitty graphics protocol.
    ask(
        &format!("{ESC}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA{ESC}\\{ESC}[5n"),
        &mut answers,
    );
    answers.graphics(iterm2(&env), window_cell())
}

/// Writes `query` and reads the answers until the status answer or the timeout. True when
/// the terminal answered.
#[cfg(unix)]
fn ask(query: &str, answers: &mut Answers) -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use std::io::{IsTerminal, Write};
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return false;
    }
    let mut out = std::io::stdout();
    if out
        .write_all(query.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return false;
    }
    let end = std::time::Instant::now() + ROUND_TIMEOUT;
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    loop {
        let left = end.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return false;
        }
        let timeout = Timespec {
            tv_sec: 0,
            tv_nsec: i64::from(left.subsec_nanos()),
        };
        let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
        match poll(&mut fds, Some(&timeout)) {
            Ok(0) => return false,
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => return false,
        }
        match rustix::io::read(&stdin, &mut buf) {
            Ok(0) => return false,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => continue,
            Err(_) => return false,
        }
        if answers.read(&got) {
            return true;
        }
    }
}

#[cfg(not(unix))]
fn ask(_query: &str, _answers: &mut Answers) -> bool {
    false
}

/// The cell size from the window's size in pixels, when the terminal reports one.
#[cfg(unix)]
fn window_cell() -> Option<(u16, u16)> {
    let w = rustix::termios::tcgetwinsize(std::io::stdout()).ok()?;
    if w.ws_xpixel == 0 || w.ws_ypixel == 0 || w.ws_col == 0 || w.ws_row == 0 {
        return None;
    }
    Some((w.ws_xpixel / w.ws_col, w.ws_ypixel / w.ws_row))
}

#[cfg(not(unix))]
fn window_cell() -> Option<(u16, u16)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(s: &str) -> Answers {
        let mut a = Answers::default();
        a.read(s.as_bytes());
        a
    }

    #[test]
    fn what_the_answers_choose() {
        let kitty = answers("\x1b_Gi=31;OK\x1b\\\x1b[?62;4;22c\x1b[6;20;10t\x1b[0n");
        assert!(kitty.answered && kitty.kitty && kitty.sixel);
        assert_eq!(kitty.cell, Some((10, 20)));
        assert_eq!(kitty.graphics(false, None).kind, GraphicsKind::Kitty);
        let sixel = answers("\x1b[?62;4c\x1b[6;16;8t\x1b[0n");
        assert_eq!(
            sixel.graphics(false, None),
            Graphics {
                kind: GraphicsKind::Sixel,
                cell: (8, 16)
            }
        );
        // No cell size, from the answer or the window: half-blocks.
        let blind = answers("\x1b[?62;4c\x1b[0n");
        assert_eq!(blind.graphics(false, None), Graphics::HALFBLOCKS);
        assert_eq!(
            blind.graphics(false, Some((9, 18))).kind,
            GraphicsKind::Sixel
        );
        // A plain terminal; iTerm2 only when the environment names it.
        let plain = answers("\x1b[?1;2c\x1b[0n");
        assert_eq!(plain.graphics(false, Some((9, 18))), Graphics::HALFBLOCKS);
        assert_eq!(
            plain.graphics(true, Some((9, 18))).kind,
            GraphicsKind::Iterm2
        );
        assert!(!answers("\x1b[?1;2c").answered, "no status answer yet");
    }

    #[test]
    fn only_terminals_that_may_draw_pictures_are_asked() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(!worth_asking(&env(&[("TERM", "xterm-256color")])));
        assert!(!worth_asking(&env(&[("TERM", "tmux-256color")])));
        assert!(worth_asking(&env(&[("TERM", "xterm-kitty")])));
        assert!(worth_asking(&env(&[("TERM_PROGRAM", "WezTerm")])));
        assert!(worth_asking(&env(&[("VTE_VERSION", "7600")])));
        assert!(!worth_asking(&env(&[
            ("TERM", "xterm-kitty"),
            ("RCS_COMPOSER_GRAPHICS", "halfblocks")
        ])));
        assert!(worth_asking(&env(&[("RCS_COMPOSER_GRAPHICS", "ask")])));
        assert!(has_colours(&env(&[("TERM", "xterm")])));
        assert!(!has_colours(&env(&[("TERM", "dumb")])));
        assert!(!has_colours(&env(&[])));
    }
}
