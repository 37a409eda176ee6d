//! The bytes of a frame: the changed cells, written with as few escape codes as the
//! terminal needs to show them.
//!
//! ratatui's crossterm backend moves the cursor to every cell that does not follow the one
//! before (`ESC[26;21H`, eight bytes, to step over one blank in "Postback Data") and sets
//! both colours whenever either changes (`ESC[38;5;8;49m`). On the largest carousel that is
//! more than 40 % of the first frame's bytes. Here:
//! - a short gap whose cells are plain ASCII in the style already set is written again (the
//!   terminal shows those cells already, so writing them changes nothing on screen);
//! - other moves are the shortest of a carriage return, a line feed, a relative step and an
//!   absolute position;
//! - a change of style is one `SGR` with only what changed, and the frame ends with one
//!   reset when a style is left set.
//!
//! The eight basic colours are written as crossterm writes them (`38;5;1`, not `31`), so a
//! terminal that brightens bold text in those shows the same as before; the eight bright
//! ones have their own short codes (`90` for `38;5;8`). A property test holds the result to
//! crossterm's bytes on a terminal emulator.

use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::style::{Color, Modifier};
use std::io::{self, Write};

/// The longest gap written again rather than stepped over: a step right is `ESC[nC`, three
/// or four bytes, so filling pays up to four one-byte cells.
const MAX_FILL: u16 = 4;

/// Where the cursor is, as far as this frame knows: the row, and the column unless the last
/// symbol written leaves it uncertain (a wide one, whose width terminals may count
/// differently). A symbol one column wide by ratatui's count moves it one column, as
/// crossterm's backend assumes when it writes a run of cells without moving.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Cursor {
    y: u16,
    x: Option<u16>,
}

/// The style the terminal has set.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

impl Pen {
    const RESET: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        underline: Color::Reset,
        modifier: Modifier::empty(),
    };

    /// The cell's style; without colours (`NO_COLOR`), its attributes only.
    fn of(cell: &Cell, colours: bool) -> Pen {
        if !colours {
            return Pen {
                modifier: cell.modifier,
                ..Pen::RESET
            };
        }
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        }
    }
}

/// Writes `changes` (row by row, as [`Buffer::diff`] gives them: the cells of `next` that
/// differ from the screen) to `out`. The cells of `next` not among them must be what the
/// terminal shows: a short gap may be written from them. Without `colours` (`NO_COLOR`, as
/// crossterm reads it) no colour is ever set, only the attributes.
pub fn encode<W: Write>(
    out: &mut W,
    next: &Buffer,
    changes: &[(u16, u16, &Cell)],
    colours: bool,
) -> io::Result<()> {
    let mut cursor: Option<Cursor> = None;
    let mut pen = Pen::RESET;
    let mut codes = Vec::with_capacity(32);
    for &(x, y, cell) in changes {
        move_to(out, next, cursor, (pen, colours), (x, y))?;
        let want = Pen::of(cell, colours);
        if want != pen {
            codes.clear();
            sgr(&mut codes, pen, want);
            out.write_all(&codes)?;
            pen = want;
        }
        out.write_all(cell.symbol().as_bytes())?;
        // After the last column a terminal may wrap at once (most wait for the next
        // symbol): not even the row is certain then.
        cursor = (x + 1 < next.area.right()).then_some(Cursor {
            y,
            x: (super::frame::width(cell) == 1).then_some(x + 1),
        });
    }
    if pen != Pen::RESET {
        out.write_all(b"\x1b[0m")?;
    }
    Ok(())
}

/// A cell that can be written again over itself in `pen` without an escape code: one
/// printable ASCII byte (one column on every terminal), drawn as usual. Not bold and dim at
/// once: terminals that keep one intensity show whichever was set last, which may not be
/// what the cell was first written with.
#[allow(deprecated)]
fn refillable(cell: &Cell, (pen, colours): (Pen, bool)) -> bool {
    matches!(cell.diff_option, CellDiffOption::None)
        && !cell.skip
        && matches!(cell.symbol().as_bytes(), [b' '..=b'~'])
        && !pen.modifier.contains(Modifier::BOLD | Modifier::DIM)
        && Pen::of(cell, colours) == pen
}

/// Moves the cursor to `(x, y)` the shortest way it knows.
fn move_to<W: Write>(
    out: &mut W,
    next: &Buffer,
    cursor: Option<Cursor>,
    pen: (Pen, bool),
    (x, y): (u16, u16),
) -> io::Result<()> {
    let absolute = Step::Absolute(x, y);
    let step = match cursor {
        Some(Cursor { y: cy, x: Some(cx) }) if cy == y && cx == x => return Ok(()),
        Some(Cursor { y: cy, x: Some(cx) }) if cy == y && cx < x => {
            let gap = x - cx;
            let fill = gap <= MAX_FILL
                && (cx..x).all(|gx| next.cell((gx, y)).is_some_and(|c| refillable(c, pen)));
            if fill {
                for gx in cx..x {
                    if let Some(c) = next.cell((gx, y)) {
                        out.write_all(c.symbol().as_bytes())?;
                    }
                }
                return Ok(());
            }
            Step::Right(gap).or(absolute)
        }
        Some(Cursor { y: cy, x: Some(cx) }) if cy == y && x > 0 => Step::Left(cx - x).or(absolute),
        Some(Cursor { y: cy, .. }) if cy == y && x == 0 => Step::Return,
        Some(Cursor { y: cy, .. }) if cy + 1 == y && x == 0 => Step::NewLine,
        _ => absolute,
    };
    step.write(out)
}

/// One way to move the cursor.
#[derive(Clone, Copy)]
enum Step {
    /// `ESC[nC`
    Right(u16),
    /// `ESC[nD`
    Left(u16),
    /// `CR`: to the start of the row.
    Return,
    /// `CR LF`: to the start of the next row (raw mode: the terminal does not add a `CR`).
    NewLine,
    /// `ESC[y;xH`, from 0: written from 1.
    Absolute(u16, u16),
}

impl Step {
    fn len(self) -> usize {
        match self {
            Step::Right(1) | Step::Left(1) => 3,
            Step::Right(n) | Step::Left(n) => 3 + digits(n),
            Step::Return => 1,
            Step::NewLine => 2,
            Step::Absolute(0, 0) => 3,
            Step::Absolute(x, y) => 3 + digits(y + 1) + if x == 0 { 0 } else { 1 + digits(x + 1) },
        }
    }

    /// This step, or `other` when that is shorter.
    fn or(self, other: Step) -> Step {
        if other.len() < self.len() {
            other
        } else {
            self
        }
    }

    fn write<W: Write>(self, out: &mut W) -> io::Result<()> {
        match self {
            Step::Right(1) => out.write_all(b"\x1b[C"),
            Step::Left(1) => out.write_all(b"\x1b[D"),
            Step::Right(n) => write!(out, "\x1b[{n}C"),
            Step::Left(n) => write!(out, "\x1b[{n}D"),
            Step::Return => out.write_all(b"\r"),
            Step::NewLine => out.write_all(b"\r\n"),
            Step::Absolute(0, 0) => out.write_all(b"\x1b[H"),
            Step::Absolute(0, y) => write!(out, "\x1b[{}H", u32::from(y) + 1),
            Step::Absolute(x, y) => write!(out, "\x1b[{};{}H", u32::from(y) + 1, u32::from(x) + 1),
        }
    }
}

fn digits(n: u16) -> usize {
    match n {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        1000..=9999 => 4,
        _ => 5,
    }
}

/// One `SGR` from `from` to `to`: the attributes as crossterm's backend changes them, then
/// the colours that changed. All back to the default is `ESC[0m`.
fn sgr(codes: &mut Vec<u8>, from: Pen, to: Pen) {
    codes.extend_from_slice(b"\x1b[");
    if to == Pen::RESET {
        codes.extend_from_slice(b"0m");
        return;
    }
    let start = codes.len();
    let param = |codes: &mut Vec<u8>| {
        if codes.len() > start {
            codes.push(b';');
        }
    };
    let (was, is) = (from.modifier, to.modifier);
    let removed = was - is;
    let added = is - was;
    let intensity = removed.intersects(Modifier::BOLD | Modifier::DIM);
    let attributes: [(bool, &[u8]); 18] = [
        (removed.contains(Modifier::REVERSED), b"27"),
        // Normal intensity ends both bold and dim: the one kept is set again.
        (intensity, b"22"),
        (intensity && is.contains(Modifier::DIM), b"2"),
        (intensity && is.contains(Modifier::BOLD), b"1"),
        (removed.contains(Modifier::ITALIC), b"23"),
        (removed.contains(Modifier::UNDERLINED), b"24"),
        (removed.contains(Modifier::CROSSED_OUT), b"29"),
        (removed.contains(Modifier::HIDDEN), b"28"),
        (
            removed.intersects(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK),
            b"25",
        ),
        (added.contains(Modifier::REVERSED), b"7"),
        (added.contains(Modifier::BOLD) && !intensity, b"1"),
        (added.contains(Modifier::ITALIC), b"3"),
        (added.contains(Modifier::UNDERLINED), b"4"),
        (added.contains(Modifier::DIM) && !intensity, b"2"),
        (added.contains(Modifier::CROSSED_OUT), b"9"),
        (added.contains(Modifier::HIDDEN), b"8"),
        (added.contains(Modifier::SLOW_BLINK), b"5"),
        (added.contains(Modifier::RAPID_BLINK), b"6"),
    ];
    for (on, code) in attributes {
        if on {
            param(codes);
            codes.extend_from_slice(code);
        }
    }
    for (was, is, base) in [
        (from.fg, to.fg, 30u8),
        (from.bg, to.bg, 40),
        (from.underline, to.underline, 50),
    ] {
        if was != is {
            param(codes);
            colour(codes, base, is);
        }
    }
    codes.push(b'm');
}

/// A colour as crossterm writes it: `39`/`49`/`59` for the default, else `38;5;n` or
/// `38;2;r;g;b` (48 for the background, 58 for the underline), except the bright ones.
fn colour(codes: &mut Vec<u8>, base: u8, c: Color) {
    let index = match c {
        Color::Reset => {
            let _ = write!(codes, "{}", base + 9);
            return;
        }
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(i) => i,
        Color::Rgb(r, g, b) => {
            let _ = write!(codes, "{};2;{r};{g};{b}", base + 8);
            return;
        }
    };
    if (8..16).contains(&index) && base != 50 {
        // The bright colours have codes of their own (90-97, 100-107), shorter and the
        // same colours: palette entries 8 to 15.
        let _ = write!(codes, "{}", base + 52 + index);
        return;
    }
    let _ = write!(codes, "{};5;{index}", base + 8);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::backend::{Backend, CrosstermBackend};
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    const SYMBOLS: [&str; 7] = [" ", " ", "a", "b", "│", "中", "é"];

    fn styles() -> Vec<Style> {
        vec![
            Style::default(),
            Style::default(),
            Style::default().fg(Color::Red),
            Style::default()
                .fg(Color::DarkGray)
                .add_modifier(Modifier::BOLD),
            Style::default()
                .bg(Color::Blue)
                .add_modifier(Modifier::REVERSED),
            Style::default()
                .fg(Color::Indexed(200))
                .add_modifier(Modifier::ITALIC | Modifier::UNDERLINED),
            Style::default()
                .fg(Color::Rgb(1, 2, 3))
                .add_modifier(Modifier::DIM),
            // vt100 does not know the underline colour's 58 and reads the rest of it as
            // attributes of their own: an index past 9 means nothing there.
            Style::default()
                .fg(Color::LightCyan)
                .underline_color(Color::Indexed(200))
                .add_modifier(Modifier::BOLD | Modifier::DIM),
        ]
    }

    type Ops = Vec<(u16, u16, usize, usize)>;

    fn paint(buf: &mut Buffer, ops: &Ops) {
        let styles = styles();
        let (w, h) = (buf.area.width, buf.area.height);
        for &(x, y, s, st) in ops {
            buf.set_string(x % w, y % h, SYMBOLS[s], styles[st]);
        }
    }

    /// What a terminal shows after `frames`, each written as the diff from the one before
    /// (the first from a blank screen) by `write`.
    fn shown(
        frames: &[&Buffer],
        write: impl Fn(&mut Vec<u8>, &Buffer, &[(u16, u16, &Cell)]),
    ) -> (vt100::Parser, usize) {
        let area = frames[0].area;
        let mut parser = vt100::Parser::new(area.height, area.width, 0);
        let mut before = Buffer::empty(area);
        let mut last = 0;
        for next in frames {
            let changes = before.diff(next);
            let mut bytes = Vec::new();
            write(&mut bytes, next, &changes);
            parser.process(&bytes);
            last = bytes.len();
            before = (*next).clone();
        }
        (parser, last)
    }

    fn crossterm(out: &mut Vec<u8>, _next: &Buffer, changes: &[(u16, u16, &Cell)]) {
        CrosstermBackend::new(out)
            .draw(changes.iter().copied())
            .unwrap();
    }

    fn ours(out: &mut Vec<u8>, next: &Buffer, changes: &[(u16, u16, &Cell)]) {
        encode(out, next, changes, true).unwrap();
    }

    fn screens_differ(a: &vt100::Screen, b: &vt100::Screen, area: Rect) -> Option<String> {
        for y in 0..area.height {
            for x in 0..area.width {
                let (p, q) = (a.cell(y, x).unwrap(), b.cell(y, x).unwrap());
                // A cell never written shows as a blank written in the default style.
                let look = |c: &vt100::Cell| {
                    (
                        Some(c.contents())
                            .filter(|s| !s.is_empty())
                            .unwrap_or(" ")
                            .to_string(),
                        c.fgcolor(),
                        c.bgcolor(),
                        (c.bold(), c.dim(), c.italic(), c.underline(), c.inverse()),
                    )
                };
                if look(p) != look(q) {
                    return Some(format!("({x}, {y}): {:?} against {:?}", look(p), look(q)));
                }
            }
        }
        None
    }

    /// What `encode` writes to take a terminal showing `before` to `after`.
    fn written(before: &Buffer, after: &Buffer, colours: bool) -> String {
        let mut bytes = Vec::new();
        encode(&mut bytes, after, &before.diff(after), colours).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    fn ops(n: usize) -> impl Strategy<Value = Ops> {
        proptest::collection::vec((0u16..40, 0u16..8, 0..SYMBOLS.len(), 0..8usize), 0..n)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// Two frames written with these bytes leave the terminal as crossterm's bytes do:
        /// the same symbols, colours and attributes in every cell.
        #[test]
        fn a_terminal_shows_what_crossterm_would_have_shown(
            w in 1u16..14,
            h in 1u16..5,
            first in ops(60),
            second in ops(12),
        ) {
            let area = Rect::new(0, 0, w, h);
            let mut a = Buffer::empty(area);
            paint(&mut a, &first);
            let mut b = a.clone();
            paint(&mut b, &second);
            let (theirs, _) = shown(&[&a, &b], crossterm);
            let (mine, _) = shown(&[&a, &b], ours);
            let differ = screens_differ(theirs.screen(), mine.screen(), area);
            prop_assert!(differ.is_none(), "{}", differ.unwrap_or_default());
        }
    }

    /// A `w`×`h` buffer with `texts` written on a blank one.
    fn painted(w: u16, h: u16, texts: &[(u16, u16, &str, Style)]) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
        for &(x, y, text, style) in texts {
            buf.set_string(x, y, text, style);
        }
        buf
    }

    #[test]
    fn a_short_gap_of_the_same_style_is_written_again_and_a_long_one_stepped_over() {
        let plain = Style::default();
        let before = painted(30, 2, &[(0, 0, "ab cd     ef", plain)]);
        let after = painted(30, 2, &[(0, 0, "Xb Xd     Xf", plain)]);
        let bytes = written(&before, &after, true);
        assert_eq!(bytes, "\x1b[HXb X\x1b[6CX");
    }

    #[test]
    fn one_sgr_carries_only_what_changed_and_the_end_resets_once() {
        let red = Style::default().fg(Color::Red);
        let after = painted(
            3,
            1,
            &[
                (0, 0, "a", Style::default().fg(Color::DarkGray)),
                (1, 0, "b", red.add_modifier(Modifier::BOLD)),
                (2, 0, "c", red),
            ],
        );
        let bytes = written(&painted(3, 1, &[]), &after, true);
        assert_eq!(bytes, "\x1b[H\x1b[90ma\x1b[1;38;5;1mb\x1b[22mc\x1b[0m");
    }

    #[test]
    fn without_colours_only_the_attributes_are_set() {
        let loud = Style::default()
            .fg(Color::Red)
            .bg(Color::Blue)
            .add_modifier(Modifier::BOLD);
        let after = painted(
            4,
            1,
            &[
                (0, 0, "ab", Style::default().fg(Color::Gray)),
                (2, 0, "cd", loud),
            ],
        );
        let bytes = written(&painted(4, 1, &[]), &after, false);
        assert_eq!(bytes, "\x1b[Hab\x1b[1mcd\x1b[0m");
    }

    #[test]
    fn a_row_after_the_last_column_is_reached_by_its_position_and_one_before_by_cr_lf() {
        let plain = Style::default();
        let after = painted(
            3,
            3,
            &[
                (0, 0, "abc", plain),
                (0, 1, "de", plain),
                (0, 2, "f", plain),
            ],
        );
        let bytes = written(&painted(3, 3, &[]), &after, true);
        // A terminal may wrap at once after "c": "\r\n" would then skip a row.
        assert_eq!(bytes, "\x1b[Habc\x1b[2Hde\r\nf");
    }
}
