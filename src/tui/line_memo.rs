//! A pane's lines kept on the screen between frames: [`LineMemo`], and [`blank`].

use super::measure::set_line;

/// The lines a pane drew, one per screen row, kept on the screen between frames. A line
/// drawn again unchanged (the same spans, styles and room) on the same row is left as it
/// is: not written again, and not compared when the frame goes to the terminal (see
/// [`LineMemo::clean`]). On a keystroke most lines of the form are those of the frame before.
///
/// It holds only while nothing else draws over the rows: the pane says which rows it drew
/// over itself ([`LineMemo::overdrawn`]), and whoever draws over the pane from outside, or
/// gives the screen a new terminal, calls [`LineMemo::forget`].
#[derive(Default)]
pub struct LineMemo {
    /// The pane's inside, where the kept lines are; `None`: nothing is kept.
    area: Option<ratatui::layout::Rect>,
    rows: Vec<Option<Kept>>,
    /// This frame: the rows left as the frame before drew them, and those drawn on.
    clean: Vec<bool>,
    visited: Vec<bool>,
}

/// One line as drawn.
struct Kept {
    line_style: ratatui::style::Style,
    spans: Vec<(String, ratatui::style::Style)>,
    /// Where the caller keeps that line, when it said (see [`LineMemo::set_kept_line`]).
    source: Option<(u64, usize)>,
}

impl Kept {
    /// A row blanked: no line, no style.
    fn blank() -> Kept {
        Kept {
            line_style: ratatui::style::Style::default(),
            spans: Vec::new(),
            source: None,
        }
    }

    fn is_blank(&self) -> bool {
        self.spans.is_empty()
            && self.source.is_none()
            && self.line_style == ratatui::style::Style::default()
    }

    fn holds(&self, line: &ratatui::text::Line<'_>) -> bool {
        self.line_style == line.style
            && self.spans.len() == line.spans.len()
            && self
                .spans
                .iter()
                .zip(&line.spans)
                .all(|((t, st), sp)| *st == sp.style && t.as_str() == sp.content.as_ref())
    }
}

/// Adds the cells of `rect` (cut to `screen`) to `out`, row by row, as ranges of indices
/// into a buffer over `screen`.
pub fn cell_ranges(
    rect: ratatui::layout::Rect,
    screen: ratatui::layout::Rect,
    out: &mut Vec<std::ops::Range<usize>>,
) {
    let r = rect.intersection(screen);
    let w = usize::from(screen.width);
    for y in r.top()..r.bottom() {
        let from = usize::from(y - screen.y) * w + usize::from(r.x - screen.x);
        out.push(from..from + usize::from(r.width));
    }
}

/// For each row `y` of `area`, `each(y, spans)`: the columns `from..to` of the `rects` (cut
/// to `area`) that cover the row, sorted.
pub fn row_spans(
    rects: &[ratatui::layout::Rect],
    area: ratatui::layout::Rect,
    mut each: impl FnMut(u16, &[(u16, u16)]),
) {
    let rects: Vec<ratatui::layout::Rect> = rects
        .iter()
        .map(|r| r.intersection(area))
        .filter(|r| !r.is_empty())
        .collect();
    let mut spans = Vec::with_capacity(rects.len());
    for y in area.top()..area.bottom() {
        spans.clear();
        spans.extend(
            rects
                .iter()
                .filter(|r| y >= r.top() && y < r.bottom())
                .map(|r| (r.x, r.right())),
        );
        spans.sort_unstable();
        each(y, &spans);
    }
}

/// Blanks `area` (cut to the buffer) in `buf`.
pub fn blank(buf: &mut ratatui::buffer::Buffer, area: ratatui::layout::Rect) {
    let area = area.intersection(buf.area);
    for y in area.top()..area.bottom() {
        let from = buf.index_of(area.x, y);
        for c in &mut buf.content[from..from + usize::from(area.width)] {
            c.reset();
        }
    }
}

impl LineMemo {
    /// Where the kept lines are.
    pub fn area(&self) -> Option<ratatui::layout::Rect> {
        self.area
    }

    /// Nothing drawn before is kept any more, and nothing of this frame counts as left as
    /// it was.
    pub fn forget(&mut self) {
        self.area = None;
        self.rows.clear();
        self.clean.clear();
    }

    /// Starts the pane's frame in `inner`. When that is not where the kept lines are, they
    /// are let go and their rows blanked; but when only its height changed (a pane below
    /// grew or shrank, as the problems pane does when the first problem comes or the last
    /// goes), the lines on the rows still inside stay where they are, kept.
    pub fn begin(&mut self, buf: &mut ratatui::buffer::Buffer, inner: ratatui::layout::Rect) {
        if self.area != Some(inner) {
            match self.area {
                Some(old) if (old.x, old.y, old.width) == (inner.x, inner.y, inner.width) => {
                    if old.height > inner.height {
                        let gone = old.height - inner.height;
                        let below = old.y + inner.height;
                        blank(
                            buf,
                            ratatui::layout::Rect::new(old.x, below, old.width, gone),
                        );
                    }
                    self.rows.truncate(usize::from(inner.height));
                }
                Some(old) => {
                    blank(buf, old);
                    self.rows.clear();
                }
                None => self.rows.clear(),
            }
            self.area = Some(inner);
        }
        let h = usize::from(inner.height);
        self.rows.resize_with(h, || None);
        self.clean.clear();
        self.clean.resize(h, false);
        self.visited.clear();
        self.visited.resize(h, false);
    }

    /// Draws `line` on screen row `row` of the pane (from its top) as [`set_line`] would,
    /// across the pane's width, unless that row already shows it. A row past the pane, or a
    /// pane not begun, draws nothing.
    pub fn set_line(
        &mut self,
        buf: &mut ratatui::buffer::Buffer,
        row: usize,
        line: &ratatui::text::Line<'_>,
    ) {
        self.set_kept_line(buf, row, line, None);
    }

    /// [`LineMemo::set_line`] for a line the caller keeps, unchanged, as long as `source`
    /// names it (an id the caller never gives another line, and the line's place there):
    /// when the row shows the line from that source, it is left without comparing them.
    pub fn set_kept_line(
        &mut self,
        buf: &mut ratatui::buffer::Buffer,
        row: usize,
        line: &ratatui::text::Line<'_>,
        source: Option<(u64, usize)>,
    ) {
        let Some(inner) = self.area.filter(|_| row < self.rows.len()) else {
            return;
        };
        let (x, y) = (inner.x, inner.y + row as u16);
        self.visited[row] = true;
        if let Some(k) = &mut self.rows[row]
            && ((source.is_some() && k.source == source) || k.holds(line))
        {
            debug_assert!(k.holds(line), "a kept line's source drew another line");
            k.source = source;
            self.clean[row] = true;
            return;
        }
        self.clean[row] = false;
        blank(buf, ratatui::layout::Rect::new(x, y, inner.width, 1));
        set_line(buf, x, y, line, inner.width);
        self.rows[row] = Some(Kept {
            line_style: line.style,
            spans: line
                .spans
                .iter()
                .map(|s| (s.content.to_string(), s.style))
                .collect(),
            source,
        });
    }

    /// The pane drew something else over these rows (a text input): they are drawn again on
    /// the next frame.
    pub fn overdrawn(&mut self, rows: std::ops::Range<usize>) {
        for r in rows.start.min(self.rows.len())..rows.end.min(self.rows.len()) {
            self.rows[r] = None;
            self.clean[r] = false;
        }
    }

    /// Ends the pane's frame: the rows no line was drawn on are blanked. A row the frame
    /// before left blank this way is blank still (the frame is drawn on the one before, and
    /// the pane's rows are not blanked before it): it is left as it is.
    pub fn end(&mut self, buf: &mut ratatui::buffer::Buffer) {
        let Some(inner) = self.area else { return };
        for r in 0..self.rows.len() {
            if !self.visited[r] {
                if self.rows[r].as_ref().is_some_and(Kept::is_blank) {
                    self.clean[r] = true;
                    continue;
                }
                let y = inner.y + r as u16;
                blank(buf, ratatui::layout::Rect::new(inner.x, y, inner.width, 1));
                self.rows[r] = Some(Kept::blank());
                self.clean[r] = false;
            }
        }
    }

    /// This frame's rows left as the frame before drew them, as rectangles (a run of
    /// such rows is one), cut to `screen`. They equal what the terminal shows.
    pub fn clean_rects(&self, screen: ratatui::layout::Rect, out: &mut Vec<ratatui::layout::Rect>) {
        let Some(inner) = self.area.map(|a| a.intersection(screen)) else {
            return;
        };
        let n = self.clean.len().min(usize::from(inner.height));
        let mut r = 0;
        while r < n {
            if !self.clean[r] {
                r += 1;
                continue;
            }
            let start = r;
            while r < n && self.clean[r] {
                r += 1;
            }
            out.push(ratatui::layout::Rect::new(
                inner.x,
                inner.y + start as u16,
                inner.width,
                (r - start) as u16,
            ));
        }
    }

    /// [`LineMemo::clean_rects`] as ranges of indices into a buffer over `screen`, one
    /// for each row.
    pub fn clean(&self, screen: ratatui::layout::Rect) -> Vec<std::ops::Range<usize>> {
        let mut rects = Vec::new();
        self.clean_rects(screen, &mut rects);
        let mut out = Vec::new();
        for r in rects {
            cell_ranges(r, screen, &mut out);
        }
        out
    }
}

/// A pane's border and title kept on the screen between frames: drawn again only when the
/// pane moved or its title changed, and otherwise neither written nor compared.
#[derive(Default)]
pub struct FrameMemo {
    /// The border on the screen: the pane's area and its title's spans.
    drawn: Option<(ratatui::layout::Rect, String, ratatui::style::Style)>,
    /// This frame: left as the frame before drew it.
    clean: bool,
}

/// The four edges of `area`: its top and bottom rows, and its left and right columns
/// between them.
fn edges(area: ratatui::layout::Rect) -> [ratatui::layout::Rect; 4] {
    use ratatui::layout::Rect;
    let mid = area.height.saturating_sub(2);
    [
        Rect::new(area.x, area.y, area.width, area.height.min(1)),
        Rect::new(
            area.x,
            area.bottom().saturating_sub(1),
            area.width,
            u16::from(area.height > 1),
        ),
        Rect::new(area.x, area.y + 1, area.width.min(1), mid),
        Rect::new(
            area.right().saturating_sub(1),
            area.y + 1,
            u16::from(area.width > 1),
            mid,
        ),
    ]
}

impl FrameMemo {
    pub fn forget(&mut self) {
        self.drawn = None;
        self.clean = false;
    }

    /// Where the border on the screen is.
    pub fn areas(&self) -> Vec<ratatui::layout::Rect> {
        self.drawn
            .iter()
            .flat_map(|(a, ..)| edges(*a))
            .filter(|r| !r.is_empty())
            .collect()
    }

    /// Before anything of a frame is drawn: a border that will not be at `area` this frame
    /// (`None`: the pane has none) is blanked and let go.
    pub fn begin(
        &mut self,
        buf: &mut ratatui::buffer::Buffer,
        area: Option<ratatui::layout::Rect>,
    ) {
        self.clean = false;
        if let Some((old, ..)) = &self.drawn
            && area.map(|a| a.intersection(buf.area)) != Some(*old)
        {
            for e in edges(*old) {
                blank(buf, e);
            }
            self.drawn = None;
        }
    }

    /// True when the screen shows the border in `area` with `title` already: it is left
    /// as it is. Else the border on the screen is blanked and let go, for the caller to draw
    /// this one and say so ([`FrameMemo::drew`]).
    pub fn holds(
        &mut self,
        buf: &mut ratatui::buffer::Buffer,
        area: ratatui::layout::Rect,
        title: &ratatui::text::Span<'_>,
    ) -> bool {
        if let Some((a, text, style)) = &self.drawn
            && *a == area
            && *text == title.content
            && *style == title.style
        {
            self.clean = true;
            return true;
        }
        if let Some((old, ..)) = self.drawn.take() {
            // A title in another style leaves no style behind.
            for e in edges(old) {
                blank(buf, e);
            }
        }
        false
    }

    /// The border in `area` with `title` was drawn.
    pub fn drew(&mut self, area: ratatui::layout::Rect, title: &ratatui::text::Span<'_>) {
        self.drawn = Some((area, title.content.to_string(), title.style));
    }

    /// The border's cells when this frame left it as the frame before drew it, as ranges of
    /// indices into a buffer over `screen`, row by row.
    pub fn clean_rects(&self, out: &mut Vec<ratatui::layout::Rect>) {
        if let Some((area, ..)) = self.drawn.as_ref().filter(|_| self.clean) {
            out.extend(edges(*area).into_iter().filter(|e| !e.is_empty()));
        }
    }

    /// [`FrameMemo::clean_rects`] as ranges of indices into a buffer over `screen`.
    pub fn clean(&self, screen: ratatui::layout::Rect) -> Vec<std::ops::Range<usize>> {
        let mut rects = Vec::new();
        self.clean_rects(&mut rects);
        let mut out = Vec::new();
        for e in rects {
            cell_ranges(e, screen, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line from a source the row shows already is left (and not compared); another
    /// source with the same line is left too, and takes the row; another line is drawn.
    /// The row below, where nothing is drawn, is blanked once, then left blank.
    #[test]
    fn a_line_from_the_source_the_row_shows_is_left() {
        use ratatui::buffer::Buffer;
        use ratatui::layout::Rect;
        use ratatui::text::Line;
        let screen = Rect::new(0, 0, 10, 2);
        let mut buf = Buffer::empty(screen);
        let mut memo = LineMemo::default();
        let frame = |memo: &mut LineMemo, buf: &mut Buffer, text: &str, source| {
            memo.begin(buf, screen);
            memo.set_kept_line(buf, 0, &Line::raw(text.to_string()), source);
            memo.end(buf);
            memo.clean(screen).len()
        };
        assert_eq!(frame(&mut memo, &mut buf, "one", Some((7, 0))), 0);
        assert_eq!(frame(&mut memo, &mut buf, "one", Some((7, 0))), 2);
        assert_eq!(frame(&mut memo, &mut buf, "one", Some((8, 0))), 2);
        assert_eq!(frame(&mut memo, &mut buf, "two", Some((9, 0))), 1);
        assert_eq!(buf[(0, 0)].symbol(), "t");
        assert_eq!(frame(&mut memo, &mut buf, "two", Some((9, 0))), 2);
    }

    /// Frame after frame on one kept buffer, the memo leaves the pane as a blank pane with
    /// `set_line` on each row leaves it; the rows it reports as left alone are those whose
    /// line did not change, and a row written over is drawn again.
    #[test]
    fn the_line_memo_leaves_what_set_line_draws() {
        use ratatui::buffer::Buffer;
        use ratatui::layout::Rect;
        use ratatui::style::{Color, Style};
        use ratatui::text::{Line, Span};
        let screen = Rect::new(0, 0, 30, 6);
        let frames: &[(Rect, &[&str])] = &[
            (
                Rect::new(1, 1, 20, 4),
                &["plain", "Grüße 漢字 🙂", "a\tb", "x"],
            ),
            (Rect::new(1, 1, 20, 4), &["plain", "Grüße 漢字 🙂!", "a\tb"]),
            (Rect::new(1, 1, 20, 4), &["plain", "Grüße 漢字 🙂!", "a\tb"]),
            (
                Rect::new(1, 1, 20, 3),
                &["plain", "漢漢漢漢漢漢漢漢漢漢漢漢", "a\tb"],
            ),
            (
                Rect::new(2, 1, 20, 3),
                &["plain", "漢漢漢漢漢漢漢漢漢漢漢漢", "a\tb"],
            ),
            (
                Rect::new(2, 1, 20, 3),
                &["plain", "漢漢漢漢漢漢漢漢漢漢漢漢", "a\tb"],
            ),
            // Taller, then shorter than it was, in the same place: the lines still inside
            // are left, the rows that left the pane are blanked.
            (
                Rect::new(2, 1, 20, 5),
                &["plain", "漢漢漢漢漢漢漢漢漢漢漢漢", "a\tb"],
            ),
            (
                Rect::new(2, 1, 20, 2),
                &["plain", "漢漢漢漢漢漢漢漢漢漢漢漢"],
            ),
        ];
        let mut kept = Buffer::empty(screen);
        let mut memo = LineMemo::default();
        let mut last: Option<(Rect, u8, Vec<String>)> = None;
        let mut left_alone = 0;
        for (n, (inner, texts)) in frames.iter().enumerate() {
            // Frame 2 draws the same text in another colour.
            let colour = u8::from(n == 2);
            let line = |t: &str| {
                Line::from(vec![
                    Span::styled(t.to_string(), Style::new().fg(Color::Indexed(colour))),
                    Span::raw(" end"),
                ])
            };
            // What is outside the pane is drawn fresh: blanked, as a frame starts.
            let keep = memo.area();
            for y in 0..screen.height {
                for x in 0..screen.width {
                    if !keep.is_some_and(|k| k.contains((x, y).into())) {
                        kept[(x, y)].reset();
                    }
                }
            }
            kept[(0, 0)].set_symbol("#");
            memo.begin(&mut kept, *inner);
            for (r, t) in texts.iter().enumerate() {
                memo.set_line(&mut kept, r, &line(t));
            }
            if n == 0 {
                // Something else on row 0 this frame: drawn again on the next one.
                kept[(inner.x + 3, inner.y)].set_symbol("@");
                memo.overdrawn(0..1);
            }
            memo.end(&mut kept);
            let mut fresh = Buffer::empty(screen);
            fresh[(0, 0)].set_symbol("#");
            for (r, t) in texts.iter().enumerate() {
                set_line(
                    &mut fresh,
                    inner.x,
                    inner.y + r as u16,
                    &line(t),
                    inner.width,
                );
            }
            if n == 0 {
                fresh[(inner.x + 3, inner.y)].set_symbol("@");
            }
            assert_eq!(kept, fresh, "frame {n}");
            // Left alone: the rows whose line and place are those of the frame before, but
            // for a row written over; and the rows blank on both frames. A pane that only
            // changed height keeps the rows it still has.
            let expected: Vec<usize> = match &last {
                Some((r, c, t)) if (r.x, r.y, r.width) == (inner.x, inner.y, inner.width) => {
                    let both = usize::from(r.height.min(inner.height));
                    (0..texts.len().min(both))
                        .filter(|_| *c == colour)
                        .filter(|i| n != 1 || *i != 0)
                        .filter(|i| t.get(*i).map(String::as_str) == Some(texts[*i]))
                        .chain(texts.len().max(t.len())..both)
                        .collect()
                }
                _ => Vec::new(),
            };
            let clean: Vec<usize> = memo
                .clean(screen)
                .iter()
                .map(|r| r.start / usize::from(screen.width) - usize::from(inner.y))
                .collect();
            assert_eq!(clean, expected, "frame {n}");
            left_alone += clean.len();
            last = Some((
                *inner,
                colour,
                texts.iter().map(|t| t.to_string()).collect(),
            ));
        }
        assert_eq!(
            left_alone,
            1 + 1 + 3 + 3 + 2,
            "row 2 of frame 1, the blank row 4 of frame 2, all of frames 5, 6 and 7"
        );
        memo.forget();
        assert!(memo.area().is_none() && memo.clean(screen).is_empty());
    }
}
