//! What drawing keeps between frames: scroll positions, where things were drawn (for the
//! mouse), the preview's own state and the side pane's wrapped-row count. The view writes
//! it while drawing; `update` reads it for clicks and wheel scrolls.

use crate::tui::line_memo::{FrameMemo, LineMemo};
use crate::tui::preview::PreviewState;
use crate::tui::view::send::PaneRows;
use ratatui::layout::Rect;

/// What the right-hand column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    #[default]
    Preview,
    /// The last send: request line and answer.
    Send,
    /// Delivery updates for each sent message, and the sandbox's log.
    Deliveries,
}

/// Where things were drawn, for the mouse.
#[derive(Debug, Clone, Default)]
pub struct Geometry {
    pub form: Rect,
    /// For each visible line of the form, the row it belongs to.
    pub form_lines: Vec<Option<usize>>,
    pub preview: Rect,
    pub problems: Rect,
    /// For each visible line of the problems pane, the problem's position.
    pub problem_lines: Vec<usize>,
    /// The list of an open picker or of the drafts browser, and the position of its first
    /// visible line.
    pub overlay_list: Rect,
    pub overlay_first: usize,
    /// How far the scrolled overlay (help, a send shown whole) can scroll.
    pub overlay_scroll_max: u16,
}

/// The panes drawn line by line, each with its lines kept on the screen between frames.
#[derive(Default)]
pub struct KeptLines {
    pub form: LineMemo,
    pub problems: LineMemo,
    /// The top bar.
    pub top: LineMemo,
    /// The message line and the footer below it.
    pub bottom: LineMemo,
    /// The borders of the form, the preview and the problems pane.
    pub form_frame: FrameMemo,
    pub preview_frame: FrameMemo,
    pub problems_frame: FrameMemo,
}

impl KeptLines {
    fn all(&self) -> [&LineMemo; 4] {
        [&self.form, &self.problems, &self.top, &self.bottom]
    }

    fn frames(&self) -> [&FrameMemo; 3] {
        [&self.form_frame, &self.preview_frame, &self.problems_frame]
    }

    fn frames_mut(&mut self) -> [&mut FrameMemo; 3] {
        [
            &mut self.form_frame,
            &mut self.preview_frame,
            &mut self.problems_frame,
        ]
    }

    fn all_mut(&mut self) -> [&mut LineMemo; 4] {
        [
            &mut self.form,
            &mut self.problems,
            &mut self.top,
            &mut self.bottom,
        ]
    }
}

pub struct ViewState {
    /// The form's first visible line, and whether it follows the focus.
    pub form_scroll: usize,
    pub follow_focus: bool,
    pub problems_scroll: usize,
    pub geometry: Geometry,
    /// What the right-hand column shows, whether it has the keys, and how far it is
    /// scrolled.
    pub side: Side,
    pub side_focus: bool,
    pub side_scroll: u16,
    /// How many rows the pane's text wraps to (kept between redraws).
    pub pane_rows: PaneRows,
    pub preview: PreviewState,
    /// Rows (first, last) a fold just opened: the next draw scrolls to show them.
    pub show_rows: Option<(usize, usize)>,
    /// The lines kept on the screen between frames (the preview's cards are kept in
    /// `preview.slots`).
    pub lines: KeptLines,
    /// The form's rows as made on the frame before, by position, with what they were made
    /// of: a row whose inputs did not change is not made again.
    pub form_rows: Vec<Option<crate::tui::view::KeptRow>>,
    /// What `form_rows` were made under.
    pub form_seen: Option<crate::tui::view::FormSeen>,
    /// The rows each problem shows at, and the problems' messages wrapped.
    pub form_problems: crate::tui::view::ProblemRows,
    /// The problems pane's lines as made on a frame before, by the problem's position.
    pub problem_rows: Vec<Option<crate::tui::view::KeptProblem>>,
    /// What the terminal shows: the last frame written (empty: nothing known, the next
    /// frame is written whole).
    pub shown: ratatui::buffer::Buffer,
    /// How far the focused field's text is scrolled.
    pub input_top: InputScroll,
    /// The top bar as made last.
    pub top_bar: crate::tui::view::TopBar,
}

/// The first screen row the focused field's text shows, for the field it was drawn for: a
/// field focused again starts at the top, as a new text area does.
#[derive(Debug, Clone, Copy, Default)]
pub struct InputScroll {
    input: u64,
    top: usize,
}

impl InputScroll {
    /// The first row to show `cursor_row` in `height` rows for the input `input`, moved
    /// from where it was no more than that takes; kept for the next frame.
    pub fn scrolled(&mut self, input: u64, cursor_row: usize, height: usize) -> usize {
        let top = if self.input == input { self.top } else { 0 };
        let top = if cursor_row < top {
            cursor_row
        } else if top + height <= cursor_row {
            cursor_row + 1 - height
        } else {
            top
        };
        *self = Self { input, top };
        top
    }
}

impl ViewState {
    /// The terminal was given to another program and taken back, cleared: nothing on it is
    /// known, and the next frame is drawn and written whole.
    pub fn forget_screen(&mut self) {
        self.shown = ratatui::buffer::Buffer::empty(Rect::ZERO);
        self.forget_kept();
    }

    /// Nothing of the frame before is kept on the next one: it is drawn whole, on a blank
    /// buffer or over the frame before (an overlay).
    pub fn forget_kept(&mut self) {
        for memo in self.lines.all_mut() {
            memo.forget();
        }
        for memo in self.lines.frames_mut() {
            memo.forget();
        }
        self.preview.slots.forget();
    }

    /// Where the frame before left cells that the next frame may keep: the rest of the
    /// buffer is blanked before the next frame is drawn on it.
    pub fn kept_areas(&self) -> Vec<Rect> {
        self.lines
            .all()
            .into_iter()
            .filter_map(LineMemo::area)
            .chain(self.lines.frames().into_iter().flat_map(FrameMemo::areas))
            .chain(self.preview.slots.areas())
            .collect()
    }

    /// The cells this frame left as the frame before drew them, as sorted ranges of indices
    /// into a buffer over `screen`: they equal what the terminal shows.
    pub fn clean(&self, screen: Rect) -> Vec<std::ops::Range<usize>> {
        let mut rects = Vec::with_capacity(32);
        for memo in self.lines.all() {
            memo.clean_rects(screen, &mut rects);
        }
        for memo in self.lines.frames() {
            memo.clean_rects(&mut rects);
        }
        self.preview.slots.clean_rects(&mut rects);
        row_ranges(&rects, screen)
    }
}

/// The cells of `rects` (cut to `screen`) as ranges of indices into a buffer over `screen`,
/// row by row, sorted and apart: the pieces of a row that touch or overlap are one range.
/// Made row by row from the few rectangles rather than sorted from a range for every row
/// of every one (the panes' side borders alone are two a row).
fn row_ranges(rects: &[Rect], screen: Rect) -> Vec<std::ops::Range<usize>> {
    let w = usize::from(screen.width);
    let mut out = Vec::with_capacity(usize::from(screen.height) * 4);
    crate::tui::line_memo::row_spans(rects, screen, |y, spans| {
        let Some((&first, rest)) = spans.split_first() else {
            return;
        };
        let base = usize::from(y - screen.y) * w;
        let at = |x: u16| base + usize::from(x - screen.x);
        let mut run = first;
        for &(from, to) in rest {
            if from <= run.1 {
                run.1 = run.1.max(to);
            } else {
                out.push(at(run.0)..at(run.1));
                run = (from, to);
            }
        }
        out.push(at(run.0)..at(run.1));
    });
    out
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            form_scroll: 0,
            follow_focus: true,
            problems_scroll: 0,
            geometry: Geometry::default(),
            side: Side::Preview,
            side_focus: false,
            side_scroll: 0,
            pane_rows: PaneRows::default(),
            preview: PreviewState::default(),
            show_rows: None,
            lines: KeptLines::default(),
            form_rows: Vec::new(),
            form_seen: None,
            form_problems: Default::default(),
            problem_rows: Vec::new(),
            shown: ratatui::buffer::Buffer::empty(Rect::ZERO),
            input_top: InputScroll::default(),
            top_bar: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::row_ranges;
    use proptest::prelude::*;
    use ratatui::layout::Rect;

    proptest! {
        /// Any rectangles, on the screen, across its edges or off it: the ranges hold
        /// exactly their cells on the screen, sorted and apart.
        #[test]
        fn the_ranges_are_the_cells_of_the_rectangles(
            rects in proptest::collection::vec((0u16..30, 0u16..14, 0u16..12, 0u16..6), 0..12),
            sx in 0u16..4,
            sy in 0u16..4,
        ) {
            let screen = Rect::new(sx, sy, 24, 10);
            let rects: Vec<Rect> = rects.iter().map(|&(x, y, w, h)| Rect::new(x, y, w, h)).collect();
            let ranges = row_ranges(&rects, screen);
            let mut want = vec![false; 240];
            for r in &rects {
                let r = r.intersection(screen);
                for y in r.top()..r.bottom() {
                    for x in r.left()..r.right() {
                        want[usize::from(y - sy) * 24 + usize::from(x - sx)] = true;
                    }
                }
            }
            let mut got = vec![false; 240];
            for r in &ranges {
                prop_assert!(r.start < r.end && r.end <= 240);
                // A range never runs from one row into the next.
                prop_assert_eq!(r.start / 24, (r.end - 1) / 24);
                got[r.clone()].iter_mut().for_each(|c| *c = true);
            }
            for pair in ranges.windows(2) {
                prop_assert!(pair[0].end <= pair[1].start, "sorted and apart: {:?}", pair);
            }
            prop_assert_eq!(got, want);
        }
    }
}
