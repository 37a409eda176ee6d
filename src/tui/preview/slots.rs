//! Carousel cards left on the screen between frames: [`CardSlots`].
//!
//! A card is copied onto the screen from its drawing (see `carousel::keep_drawn`). When the
//! same drawing goes to the same place as on the frame before, the cells there are those
//! already on screen: the copy is left out, and so is the comparison when the frame goes to
//! the terminal. Typing in card 1 of a ten-card carousel then writes and compares card 1's
//! cells, not those of every card in view.
//!
//! The rows below the preview's content are blank on every frame: those blank on the frame
//! before too are left the same way, neither blanked nor compared.
//!
//! It holds only while the preview is drawn on the buffer that holds the frame before
//! ([`Preview::on_screen`](super::Preview)), and while nothing else draws over the cards:
//! whoever does, or gives the screen a new terminal, calls [`CardSlots::forget`].

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::ops::Range;

/// One card copied onto the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slot {
    /// The cells it covers, cut to the pane.
    pub rect: Rect,
    /// Where the card's top left corner is on the screen (it may lie outside the pane).
    pub origin: (i32, i32),
    /// Which drawing of the card (see `DrawnCard::id`).
    pub id: u64,
}

#[derive(Debug, Clone, Default)]
pub struct CardSlots {
    /// The cards the frame before copied, as they are on the screen.
    shown: Vec<Slot>,
    /// This frame: the cards that may be left as they are (the same place as before; the
    /// drawing decides), and the cards copied or left, with whether they were left.
    keep: Vec<Slot>,
    now: Vec<(Slot, bool)>,
    /// The rows below the content (whole rows of the pane) the frame before left blank,
    /// and those of them blank on this frame too.
    blank: Option<Rect>,
    blank_left: Option<Rect>,
    /// Where the scroll marks may go (the right end of the first and last rows): on this
    /// frame, and on the frame before. A card's rows under them are copied on every frame;
    /// the rest of the card may be left.
    marks: [Rect; 2],
    marks_before: [Rect; 2],
}

impl CardSlots {
    /// Where cards of the frame before are on the screen.
    /// (Asked before the frame begins: the marks are the frame before's.)
    pub fn areas(&self) -> impl Iterator<Item = Rect> + '_ {
        self.shown
            .iter()
            .flat_map(|s| kept_parts(s.rect, &self.marks))
            .chain(self.blank)
    }

    /// Nothing on the screen is kept any more.
    pub fn forget(&mut self) {
        self.shown.clear();
        self.keep.clear();
        self.now.clear();
        self.blank = None;
        self.blank_left = None;
        self.marks = [Rect::ZERO; 2];
        self.marks_before = [Rect::ZERO; 2];
    }

    /// Before anything of a frame is drawn: the cards of the frame before that lie outside
    /// `pane` (the preview's inside this frame; `None`: no preview) are blanked and let go,
    /// so that nothing drawn this frame is blanked later.
    pub fn prepare(&mut self, buf: &mut Buffer, pane: Option<Rect>) {
        self.shown.retain(|s| {
            let inside = pane.is_some_and(|p| p.union(s.rect) == p);
            if !inside {
                crate::tui::line_memo::blank(buf, s.rect);
            }
            inside
        });
        // Blank rows are left blank, as the rest of the screen is blanked: whoever draws
        // there now draws on blank cells.
        self.blank = self
            .blank
            .filter(|b| pane.is_some_and(|p| p.union(*b) == p));
        self.keep.clear();
        self.now.clear();
        self.blank_left = None;
    }

    /// Starts the preview's drawing in `area`, where cards will go to `planned` (their
    /// rectangles and origins): the cards of the frame before at those places may be left;
    /// every other cell of `area` is blanked (its symbol made a space), unless `blank` says
    /// the frame blanked them already (all but the kept cards and rows). A card under the
    /// scroll marks (the right end of the first and last rows) is left but for its rows
    /// under them: the marks come and go over it, so those rows are copied on every frame
    /// ([`CardSlots::copied_rows`]).
    pub fn begin(
        &mut self,
        buf: &mut Buffer,
        area: Rect,
        planned: &[(Rect, (i32, i32))],
        blank: bool,
    ) {
        let marks = [
            Rect::new(area.right().saturating_sub(2), area.y, 2, 1),
            Rect::new(
                area.right().saturating_sub(2),
                area.bottom().saturating_sub(1),
                2,
                1,
            ),
        ];
        self.marks_before = self.marks;
        self.marks = marks;
        self.keep = self
            .shown
            .iter()
            .filter(|s| planned.contains(&(s.rect, s.origin)))
            .copied()
            .collect();
        // The cards of the frame before not left are blanked as the rest of the screen was.
        for s in &self.shown {
            if !self.keep.contains(s) {
                crate::tui::line_memo::blank(buf, s.rect);
            }
        }
        self.now.clear();
        // Rows left blank are blank already.
        self.blank = self
            .blank
            .filter(|b| b.x == area.x && b.width == area.width);
        if blank {
            return;
        }
        let blank_from = self.blank.map_or(area.bottom(), |b| b.y);
        let mut spans: Vec<(u16, u16)> = Vec::with_capacity(self.keep.len());
        for y in area.top()..area.bottom().min(blank_from) {
            spans.clear();
            spans.extend(
                self.keep
                    .iter()
                    .filter(|s| s.rect.top() <= y && y < s.rect.bottom())
                    .filter(|s| !self.copied_rows(s.rect).contains(&y))
                    .map(|s| (s.rect.left(), s.rect.right())),
            );
            let i = buf.index_of(area.x, y);
            let row = &mut buf.content[i..i + usize::from(area.width)];
            for (k, cell) in row.iter_mut().enumerate() {
                let x = area.x + k as u16;
                if spans.iter().any(|(l, r)| *l <= x && x < *r) {
                    continue;
                }
                if cell.symbol() != " " {
                    cell.set_symbol(" ");
                }
            }
        }
    }

    /// The card drawing `id` goes to `rect` with its corner at `origin`: true when the
    /// screen shows it there already (leave it), false when it is to be copied.
    pub fn place(&mut self, rect: Rect, origin: (i32, i32), id: u64) -> bool {
        let slot = Slot { rect, origin, id };
        let left = self.keep.contains(&slot);
        self.now.push((slot, left));
        left
    }

    /// The screen rows of a card left at `rect` that are copied all the same: those under
    /// the scroll marks of this frame or of the frame before (they are not left as they
    /// were: the blanking before the frame, or a mark, went over them).
    pub fn copied_rows(&self, rect: Rect) -> Vec<u16> {
        let mut rows: Vec<u16> = self
            .marks
            .iter()
            .chain(&self.marks_before)
            .filter(|m| !m.is_empty() && m.intersects(rect))
            .map(|m| m.y)
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    /// True when a card of the frame before is left at `rect` unless it is drawn again: a
    /// card drawn in place there must blank it first.
    pub fn holds(&self, rect: Rect) -> bool {
        self.keep.iter().any(|s| s.rect == rect)
    }

    /// Ends the frame in `area`, where nothing was drawn from screen row `end` down: the
    /// cards copied or left are those on the screen, and those rows are blank.
    pub fn end(&mut self, area: Rect, end: u16) {
        self.shown = self.now.iter().map(|(s, _)| *s).collect();
        let end = end.clamp(area.top(), area.bottom());
        let blank = Rect::new(area.x, end, area.width, area.bottom() - end);
        let blank = (!blank.is_empty()).then_some(blank);
        self.blank_left = match (self.blank, blank) {
            (Some(before), Some(now)) => Some(before.intersection(now)).filter(|r| !r.is_empty()),
            _ => None,
        };
        self.blank = blank;
    }

    /// This frame's cards left as they were (the rows of a mark's move taken out), and
    /// the blank left blank: rectangles.
    pub fn clean_rects(&self, out: &mut Vec<Rect>) {
        let marks = [self.marks, self.marks_before].concat();
        for (s, _) in self.now.iter().filter(|(_, left)| *left) {
            out.extend(kept_parts(s.rect, &marks));
        }
        out.extend(self.blank_left);
    }

    /// [`Slots::clean_rects`] as ranges of indices into a buffer over `screen`, row by row.
    pub fn clean(&self, screen: Rect) -> Vec<Range<usize>> {
        let mut rects = Vec::new();
        self.clean_rects(&mut rects);
        let mut out = Vec::new();
        for r in rects {
            crate::tui::line_memo::cell_ranges(r, screen, &mut out);
        }
        out
    }
}

/// `rect` without the rows the `marks` that reach into it are on: at most three rectangles,
/// top to bottom.
fn kept_parts(rect: Rect, marks: &[Rect]) -> Vec<Rect> {
    let mut rows: Vec<u16> = marks
        .iter()
        .filter(|m| !m.is_empty() && m.intersects(rect))
        .map(|m| m.y)
        .collect();
    rows.sort_unstable();
    rows.dedup();
    let mut parts = Vec::with_capacity(rows.len() + 1);
    let mut top = rect.top();
    for y in rows.into_iter().chain([rect.bottom()]) {
        if y > top {
            parts.push(Rect::new(rect.x, top, rect.width, y - top));
        }
        top = top.max(y.saturating_add(1));
    }
    parts
}
