//! A frame to the terminal, keeping what did not change. ratatui's `Terminal::draw` starts
//! every frame blank, draws it whole and compares all of it with the frame before: on a
//! 200×60 screen that is 12,000 cells of 48 bytes written, then read twice, for a keystroke
//! that changed one line.
//!
//! Here the frame is drawn on the buffer that holds the frame before. Everything is blanked
//! first except the form's lines ([`LineMemo`](crate::tui::line_memo::LineMemo)); the form
//! writes only the lines that changed and says which rows it left alone; those rows equal
//! what the terminal shows, so [`diff`] does not compare them. The rest is ratatui's own
//! rules: wide characters, the cells they cover, VS16 emoji and skipped cells (a property
//! test holds [`diff`] to `Buffer::diff`, and debug builds check every frame against it).

use crate::tui::app::{App, ViewState};
use crate::tui::view;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use std::ops::Range;

/// A backend that writes a frame's changed cells: the terminal's with the fewest bytes
/// ([`encode`](super::encode::encode)), the harness's as ratatui does.
pub trait WriteCells: Backend {
    fn write_cells(
        &mut self,
        next: &Buffer,
        changes: Vec<(u16, u16, &Cell)>,
    ) -> Result<(), Self::Error>;
}

impl WriteCells for ratatui::backend::TestBackend {
    fn write_cells(
        &mut self,
        _next: &Buffer,
        changes: Vec<(u16, u16, &Cell)>,
    ) -> Result<(), Self::Error> {
        self.draw(changes.into_iter())
    }
}

impl<W: std::io::Write> WriteCells for ratatui::backend::CrosstermBackend<W> {
    fn write_cells(
        &mut self,
        next: &Buffer,
        changes: Vec<(u16, u16, &Cell)>,
    ) -> std::io::Result<()> {
        super::encode::encode(self, next, &changes, crate::tui::theme::colors_on())
    }
}

/// ratatui keeps two buffers of the whole screen, the frame and the one before, for its own
/// diff. This diff keeps what the terminal shows in `view.shown` instead, so the second is
/// never read: it is taken out (blank) and given back to become `shown`, and an empty one
/// left in its place (at 200×60 a buffer is 576 KB: not allocating, touching and filling
/// another one saves about 0.1 ms of the first frame). A resize makes it whole again, and
/// the next frame takes it again.
fn take_spare<B: Backend>(terminal: &mut Terminal<B>) -> Buffer {
    let drawn = std::mem::replace(terminal.current_buffer_mut(), Buffer::empty(Rect::ZERO));
    // The spare is blanked and becomes the frame, which is then put back in its place: the
    // empty buffer is the spare now.
    terminal.swap_buffers();
    std::mem::replace(terminal.current_buffer_mut(), drawn)
}

/// Draws `app` and writes what differs from the frame on screen (`view.shown`), as
/// `Terminal::draw` does: resize first (a resize clears the terminal), hide the cursor,
/// flush.
pub fn draw<B: WriteCells>(
    terminal: &mut Terminal<B>,
    app: &App,
    view: &mut ViewState,
) -> Result<(), B::Error> {
    terminal.autoresize()?;
    let mut frame = terminal.get_frame();
    let area = frame.area();
    let mut shown = std::mem::take(&mut view.shown);
    if shown.area != area {
        // A new size or a new terminal: it shows nothing, and nothing drawn is kept.
        view.forget_kept();
        let spare = take_spare(terminal);
        shown = if spare.area == area {
            spare
        } else {
            Buffer::empty(area)
        };
        debug_assert!(shown == Buffer::empty(area), "the spare is blank");
        frame = terminal.get_frame();
    }
    let buf = frame.buffer_mut();
    if buf.area != area {
        *buf = Buffer::empty(area);
    }
    blank_outside(buf, &view.kept_areas());
    view::draw(&mut frame, app, view);
    #[cfg(debug_assertions)]
    same_as_drawn_whole(frame.buffer_mut(), app, view);
    let left = view.clean(area);

    // The frame is taken out of the terminal so that it and the backend can be used at
    // once, and put back as it is: the next frame is drawn on it.
    let next = std::mem::replace(terminal.current_buffer_mut(), Buffer::empty(Rect::ZERO));
    let mut changed = Vec::new();
    let changes = diff_rows(&shown, &next, &left, &mut changed);
    #[cfg(debug_assertions)]
    {
        for r in &left {
            debug_assert!(
                shown.content[r.clone()] == next.content[r.clone()],
                "a row left alone differs from the screen"
            );
        }
        debug_assert!(changes == shown.diff(&next), "the diff is not ratatui's");
    }
    // A frame that changed nothing writes nothing: the cursor is hidden since the last
    // frame that did (a frame after a resize, a new terminal or a write that failed is
    // written whole).
    let wrote = !changes.is_empty();
    let written = terminal.backend_mut().write_cells(&next, changes);
    copy_spans(&mut shown, &next, &changed);
    debug_assert!(
        shown.content == next.content,
        "a row that changed was not seen to change"
    );
    *terminal.current_buffer_mut() = next;
    if written.is_err() {
        // What reached the terminal is unknown: the next frame is written whole.
        shown = Buffer::empty(Rect::ZERO);
    }
    view.shown = shown;
    written?;
    if wrote {
        terminal.hide_cursor()?;
    }
    terminal.backend_mut().flush()
}

/// Debug builds: the frame drawn on the one before, with the form's unchanged lines left
/// there, is the frame drawn whole on a blank buffer.
#[cfg(debug_assertions)]
fn same_as_drawn_whole(kept: &Buffer, app: &App, view: &mut ViewState) {
    use ratatui::backend::TestBackend;
    let area = kept.area;
    let Ok(mut whole) = Terminal::with_options(
        TestBackend::new(area.right(), area.bottom()),
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(area),
        },
    );
    // What this second drawing leaves in the view is put back as the first left it: the
    // lines, rows and cards kept, the rows each problem shows at, the problems pane's lines
    // and the top bar (the second drawing makes them anew), and the pictures the frame asks
    // for (a card copied from the preview's cache asks for none).
    let memos = (
        std::mem::take(&mut view.lines),
        std::mem::take(&mut view.preview.slots),
        std::mem::take(&mut view.form_rows),
        std::mem::take(&mut view.form_seen),
        std::mem::take(&mut view.form_problems),
        std::mem::take(&mut view.problem_rows),
        std::mem::take(&mut view.top_bar),
    );
    let wanted = std::mem::take(&mut view.preview.wanted);
    view::draw(&mut whole.get_frame(), app, view);
    (
        view.lines,
        view.preview.slots,
        view.form_rows,
        view.form_seen,
        view.form_problems,
        view.problem_rows,
        view.top_bar,
    ) = memos;
    view.preview.wanted = wanted;
    let whole = whole.current_buffer_mut();
    if whole != kept {
        let rows: Vec<String> = (area.top()..area.bottom())
            .filter(|y| (area.left()..area.right()).any(|x| whole[(x, *y)] != kept[(x, *y)]))
            .map(|y| {
                let row = |b: &Buffer| {
                    (area.left()..area.right())
                        .map(|x| b[(x, y)].symbol().to_string())
                        .collect::<String>()
                };
                let first = (area.left()..area.right())
                    .find(|x| whole[(*x, y)] != kept[(*x, y)])
                    .unwrap_or_default();
                format!(
                    "row {y}:\n  kept  {}\n  whole {}\n  first at column {first}: kept {:?}, whole {:?}",
                    row(kept),
                    row(whole),
                    kept[(first, y)],
                    whole[(first, y)]
                )
            })
            .collect();
        panic!(
            "the frame drawn on the one before differs from the frame drawn whole:\n{}",
            rows.join("\n")
        );
    }
}

/// Blanks all of `buf` but the cells in `keep`.
fn blank_outside(buf: &mut Buffer, keep: &[Rect]) {
    let area = buf.area;
    let w = usize::from(area.width);
    crate::tui::line_memo::row_spans(keep, area, |y, spans| {
        let row = usize::from(y - area.y) * w;
        let cells = &mut buf.content[row..row + w];
        let mut at = 0;
        for &(from, to) in spans {
            let (from, to) = (usize::from(from - area.x), usize::from(to - area.x));
            if from > at {
                cells[at..from].iter_mut().for_each(Cell::reset);
            }
            at = at.max(to);
        }
        if at < w {
            cells[at..].iter_mut().for_each(Cell::reset);
        }
    });
}

/// `shown` takes the cells of `next` in `spans` (the others are equal already).
fn copy_spans(shown: &mut Buffer, next: &Buffer, spans: &[Range<usize>]) {
    let len = shown.content.len().min(next.content.len());
    for r in spans {
        let r = r.start.min(len)..r.end.min(len);
        shown.content[r.clone()].clone_from_slice(&next.content[r]);
    }
}

/// Modifiers that show on a blank cell.
const VISIBLE_ON_BLANK: Modifier = Modifier::REVERSED
    .union(Modifier::UNDERLINED)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK)
    .union(Modifier::CROSSED_OUT);

#[allow(deprecated)]
fn is_skip(cell: &Cell) -> bool {
    matches!(cell.diff_option, CellDiffOption::Skip)
        || (cell.skip && matches!(cell.diff_option, CellDiffOption::None))
}

/// The cell's width, as ratatui's diff counts it: a one-byte symbol is one cell.
pub(super) fn width(cell: &Cell) -> usize {
    match cell.diff_option {
        CellDiffOption::ForcedWidth(w) => usize::from(w.get()),
        _ => {
            let s = cell.symbol();
            if s.len() == 1 {
                1
            } else {
                usize::from(s.cell_width())
            }
        }
    }
}

/// The cells of `next` to write over `shown`, with their positions: exactly what
/// `shown.diff(next)` returns (wide characters, the cells they cover, VS16 emoji and
/// skipped cells included), without comparing the cells in `left`, ranges (sorted, apart)
/// where the two are known equal, each closed: no cluster that starts in it reaches past
/// its end (what drawing cut to a pane's edge leaves, and what the line memo and the
/// preview's cards report).
///
/// # Panics
/// As `Buffer::diff`, when the two buffers differ in x, y or width.
#[cfg(test)]
fn diff<'n>(shown: &Buffer, next: &'n Buffer, left: &[Range<usize>]) -> Vec<(u16, u16, &'n Cell)> {
    diff_rows(shown, next, left, &mut Vec::new())
}

/// [`diff`], noting in `changed` (sorted spans of cell indices) every cell that differs:
/// all but the cells a wide character covers, which drawing leaves blank.
fn diff_rows<'n>(
    shown: &Buffer,
    next: &'n Buffer,
    left: &[Range<usize>],
    changed: &mut Vec<Range<usize>>,
) -> Vec<(u16, u16, &'n Cell)> {
    assert!(
        shown.area.x == next.area.x
            && shown.area.y == next.area.y
            && shown.area.width == next.area.width,
        "buffer areas must have the same x, y, and width: shown={:?}, next={:?}",
        shown.area,
        next.area,
    );
    let (prev, cur) = (&shown.content, &next.content);
    let len = prev.len().min(cur.len());
    let w = usize::from(next.area.width.max(1));
    let at = |i: usize| ((i % w) as u16 + next.area.x, (i / w) as u16 + next.area.y);
    let mut out = Vec::new();
    let mut skips = left.iter().peekable();
    let mut i = 0;
    while i < len {
        // Inside a range of equal cells: no cell there is written (a cell is written when
        // it differs, or when a wide character before it changed width, which equal cells
        // do not; a change before the range that reaches into it was walked already), and a
        // walk through all of it would end at its end (no cluster crosses it), so the walk
        // goes on there, reading none of its cells.
        while skips.peek().is_some_and(|r| r.end <= i) {
            skips.next();
        }
        if let Some(r) = skips.peek()
            && r.start <= i
        {
            i = r.end;
            skips.next();
            continue;
        }
        let (c, p) = (&cur[i], &prev[i]);
        // The common case: the same cell as on screen.
        if matches!(c.diff_option, CellDiffOption::None) && c == p {
            i += if is_skip(c) { 1 } else { width(c).max(1) };
            continue;
        }
        let here = i;
        i += 1;
        note(changed, here..here + 1);
        match c.diff_option {
            CellDiffOption::Skip => continue,
            _ if is_skip(c) => continue,
            CellDiffOption::ForcedWidth(fw) => {
                i = i.saturating_add(usize::from(fw.get()).saturating_sub(1));
                if c != p {
                    let (x, y) = at(here);
                    out.push((x, y, c));
                }
                continue;
            }
            CellDiffOption::None | CellDiffOption::AlwaysUpdate => {}
        }
        let cw = width(c);
        let (x, y) = at(here);
        out.push((x, y, c));
        if cw > 1 && c.symbol().contains('\u{FE0F}') {
            // The emoji covers its trailing columns: those whose symbol changed are
            // written too, for terminals that would leave them.
            let end = (here + cw).min(len);
            i = trailing(&mut out, (prev, cur), here + 1, end, false, &at);
            note(changed, here + 1..i);
        } else if cw > 1 {
            i += cw - 1;
        } else if width(p) > cw && (p.bg != Color::Reset || p.modifier.intersects(VISIBLE_ON_BLANK))
        {
            // A wide character with a visible style gave way: the columns it covered are
            // all written again.
            let end = here + width(p);
            i = trailing(&mut out, (prev, cur), here + 1, end, true, &at);
            note(changed, here + 1..i);
        }
    }
    out
}

/// Adds `cells` to the sorted spans in `changed`, joined to the last when few cells lie
/// between (one copy of a few equal cells is cheaper than another span).
fn note(changed: &mut Vec<Range<usize>>, cells: Range<usize>) {
    if cells.is_empty() {
        return;
    }
    match changed.last_mut() {
        Some(last) if cells.start <= last.end + 16 => last.end = last.end.max(cells.end),
        _ => changed.push(cells),
    }
}

/// The trailing cells from `from` to `end` as ratatui's diff yields them after a wide
/// character (`force`: all of them, else those whose symbol changed); returns where the
/// main walk goes on.
fn trailing<'n>(
    out: &mut Vec<(u16, u16, &'n Cell)>,
    (prev, cur): (&[Cell], &'n [Cell]),
    from: usize,
    end: usize,
    force: bool,
    at: &impl Fn(usize) -> (u16, u16),
) -> usize {
    let len = prev.len().min(cur.len());
    let (mut j, mut end) = (from, end);
    while j < end && j < len {
        let k = j;
        j += width(&cur[k]).max(1);
        end = end.max(j).min(len);
        if !is_skip(&cur[k]) && (force || prev[k].symbol() != cur[k].symbol()) {
            let (x, y) = at(k);
            out.push((x, y, &cur[k]));
        }
    }
    end.min(len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::num::NonZeroU16;

    const SYMBOLS: [&str; 9] = [" ", "a", "b", "─", "漢", "😀", "❤️", "", "👍🏽"];
    const COLOURS: [Color; 3] = [Color::Reset, Color::Red, Color::Indexed(4)];

    fn any_cell() -> impl Strategy<Value = Cell> {
        (
            0..SYMBOLS.len(),
            0..3usize,
            0..3usize,
            any::<bool>(),
            0..8u8,
            0..12u8,
        )
            .prop_map(|(s, fg, bg, reversed, skip, option)| {
                let mut c = Cell::new(SYMBOLS[s]);
                c.fg = COLOURS[fg];
                c.bg = COLOURS[bg];
                if reversed {
                    c.modifier = Modifier::REVERSED;
                }
                #[allow(deprecated)]
                if skip == 0 {
                    c.skip = true;
                }
                c.diff_option = match option {
                    0 => CellDiffOption::Skip,
                    1 => CellDiffOption::AlwaysUpdate,
                    2 => CellDiffOption::ForcedWidth(NonZeroU16::new(2).unwrap_or(NonZeroU16::MIN)),
                    _ => CellDiffOption::None,
                };
                c
            })
    }

    /// Two frames, and ranges where the second is equal to the first, holding what drawing
    /// leaves (as the form's rows left alone do): a wide character followed by the blank
    /// cells it covers.
    fn any_pair() -> impl Strategy<Value = (Buffer, Buffer, Vec<Range<usize>>)> {
        (1..30u16, 1..4u16).prop_flat_map(|(w, h)| {
            let n = usize::from(w * h);
            (
                proptest::collection::vec(any_cell(), n),
                proptest::collection::vec(any_cell(), n),
                proptest::collection::vec((0..n, 0..n), 0..3),
                proptest::collection::vec((0..SYMBOLS.len(), 0..3usize), n),
            )
                .prop_map(move |(mut a, mut b, cuts, fill)| {
                    let mut cuts: Vec<usize> = cuts.into_iter().flat_map(|(x, y)| [x, y]).collect();
                    cuts.sort_unstable();
                    cuts.dedup();
                    let left: Vec<Range<usize>> = cuts
                        .chunks_exact(2)
                        .map(|c| c[0]..c[1])
                        .filter(|r| !r.is_empty())
                        .collect();
                    for r in &left {
                        let mut i = r.start;
                        while i < r.end {
                            let (s, fg) = fill[i];
                            let mut c = Cell::new(SYMBOLS[s]);
                            c.fg = COLOURS[fg];
                            let cw = c.symbol().cell_width().max(1) as usize;
                            if i + cw > r.end {
                                c = Cell::new("a");
                            }
                            let cw = c.symbol().cell_width().max(1) as usize;
                            a[i] = c.clone();
                            b[i] = c;
                            for k in i + 1..i + cw {
                                a[k] = Cell::EMPTY;
                                b[k] = Cell::EMPTY;
                            }
                            i += cw;
                        }
                    }
                    let area = Rect::new(2, 1, w, h);
                    (
                        Buffer { area, content: a },
                        Buffer { area, content: b },
                        left,
                    )
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Any two frames and any ranges known equal: the same cells, in the same order, as
        /// ratatui's own diff.
        #[test]
        fn the_diff_is_ratatuis((shown, next, left) in any_pair()) {
            let theirs = std::panic::catch_unwind(|| shown.diff(&next));
            if let Ok(theirs) = theirs {
                prop_assert_eq!(diff(&shown, &next, &left), theirs.clone());
                prop_assert_eq!(diff(&shown, &next, &[]), theirs);
            }
        }
    }

    #[test]
    fn the_spans_that_changed_are_joined_and_copied() {
        let mut spans = Vec::new();
        for r in [0..1, 1..2, 10..12, 40..41, 41..45, 45..45] {
            note(&mut spans, r);
        }
        assert_eq!(spans, [0..12, 40..45]);
        let area = Rect::new(0, 0, 4, 3);
        let mut shown = Buffer::empty(area);
        let mut next = Buffer::empty(area);
        for y in 0..3 {
            next.set_string(0, y, "abcd", ratatui::style::Style::new());
        }
        copy_spans(&mut shown, &next, &[0..4, 9..11]);
        let row = |b: &Buffer, y: u16| (0..4).map(|x| b[(x, y)].symbol()).collect::<String>();
        assert_eq!(
            [row(&shown, 0), row(&shown, 1), row(&shown, 2)],
            ["abcd", "    ", " bc "]
        );
    }
}

#[cfg(test)]
mod kept;
