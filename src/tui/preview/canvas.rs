//! A clipped drawing surface for the preview; text is measured by [`crate::tui::measure`].

use crate::tui::measure::{ELLIPSIS, cells, fit, width_capped};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// Where drawing goes: a rectangle of the buffer, showing the content from row `scroll`
/// down. Every write is clipped to the rectangle; a wide character that would straddle its
/// edge is left out. Without a buffer it only measures (the content's height).
pub struct Canvas<'b> {
    buf: Option<&'b mut Buffer>,
    area: Rect,
    scroll: i32,
    /// One past the lowest content row drawn so far.
    pub height: i32,
    /// The content rows (top, one past the bottom) of the element being edited, if drawn.
    pub focus: Option<(i32, i32)>,
}

impl<'b> Canvas<'b> {
    pub fn new(buf: &'b mut Buffer, area: Rect, scroll: u16) -> Self {
        // The buffer may be smaller than the area it was given; never write outside either.
        let area = area.intersection(buf.area);
        Canvas {
            buf: Some(buf),
            area,
            scroll: i32::from(scroll),
            height: 0,
            focus: None,
        }
    }

    /// A canvas that draws nothing and only measures.
    pub fn measure(area: Rect) -> Canvas<'static> {
        Canvas {
            buf: None,
            area,
            scroll: 0,
            height: 0,
            focus: None,
        }
    }

    pub fn width(&self) -> u16 {
        self.area.width
    }

    /// The buffer row for content row `y`, if it is in view.
    fn row(&self, y: i32) -> Option<u16> {
        let r = y - self.scroll;
        (0..i32::from(self.area.height))
            .contains(&r)
            .then(|| self.area.y + r as u16)
    }

    fn touch(&mut self, y: i32) {
        self.height = self.height.max(y.saturating_add(1));
    }

    /// Records the rows of the element being edited; the innermost (smallest) one wins.
    pub fn mark_focus(&mut self, top: i32, bottom: i32) {
        let new = (top, bottom.max(top + 1));
        match self.focus {
            Some((t, b)) if b - t <= new.1 - new.0 => {}
            _ => self.focus = Some(new),
        }
    }

    /// Marks content row `y` as used without drawing on it.
    pub fn reserve(&mut self, y: i32) {
        self.touch(y);
    }

    /// True when this canvas only measures.
    pub fn is_measuring(&self) -> bool {
        self.buf.is_none()
    }

    /// True when something written on content row `y` would be seen: the canvas draws and
    /// the row is in view.
    pub fn shows_row(&self, y: i32) -> bool {
        self.buf.is_some() && self.row(y).is_some()
    }

    /// Draws `s` at column `x`, content row `y`, in at most `max` cells. Returns the cells
    /// used, or 0 when nothing was drawn (measuring, or a row out of view): callers use the
    /// result only to place what follows on the same row, never to choose rows.
    pub fn text(&mut self, x: i32, y: i32, s: &str, max: usize, style: Style) -> usize {
        self.touch(y);
        let Some(row) = self.row(y) else {
            return 0;
        };
        let Some(buf) = self.buf.as_deref_mut() else {
            return 0;
        };
        let right = i32::from(self.area.width);
        let mut used = 0usize;
        for (_, sym, w) in cells(s) {
            if used + w as usize > max {
                break;
            }
            let col = x + used as i32;
            used += w as usize;
            if col < 0 {
                continue;
            }
            if col + i32::from(w) > right {
                break;
            }
            let bx = self.area.x + col as u16;
            buf[(bx, row)].set_symbol(sym).set_style(style);
            for k in 1..w {
                buf[(bx + k, row)].reset();
            }
        }
        used
    }

    /// Draws `s` in at most `max` cells, cut with `…` when it does not fit (or when `cut`
    /// says it was already cut). Returns the cells used.
    pub fn text_cut(
        &mut self,
        x: i32,
        y: i32,
        s: &str,
        max: usize,
        cut: bool,
        style: Style,
    ) -> usize {
        if max == 0 || self.buf.is_none() || self.row(y).is_none() {
            self.touch(y);
            return 0;
        }
        let full = width_capped(s, max + 1);
        if full <= max && !cut {
            return self.text(x, y, s, max, style);
        }
        let (head, hw) = fit(s, max - 1);
        let used = self.text(x, y, head, hw, style);
        used + self.text(x + used as i32, y, ELLIPSIS, 1, style)
    }

    /// True when the canvas draws and any of the `n` content rows from `y` is in view.
    pub fn shows_rows(&self, y: i32, n: i32) -> bool {
        self.buf.is_some() && (y..y.saturating_add(n)).any(|r| self.row(r).is_some())
    }

    /// True when the canvas draws and all of the `n` content rows from `y` are in view.
    pub fn shows_all_rows(&self, y: i32, n: i32) -> bool {
        self.buf.is_some() && (y..y.saturating_add(n)).all(|r| self.row(r).is_some())
    }

    /// Lets `draw` write a `w`×`h` block at column `x`, content row `y`, straight into the
    /// buffer (a picture), given the block's screen rectangle. A block only partly in view
    /// is drawn aside and the part in view copied, unless `whole` (a terminal graphics
    /// protocol cannot be cut): then nothing is drawn. True when something was.
    pub fn block(
        &mut self,
        x: i32,
        y: i32,
        (w, h): (u16, u16),
        whole: bool,
        draw: impl FnOnce(Rect, &mut Buffer),
    ) -> bool {
        self.touch(y + i32::from(h) - 1);
        let Some(buf) = self.buf.as_deref_mut() else {
            return false;
        };
        let (aw, ah) = (i32::from(self.area.width), i32::from(self.area.height));
        let top = y - self.scroll;
        let inside = x >= 0 && top >= 0 && x + i32::from(w) <= aw && top + i32::from(h) <= ah;
        if inside {
            let (bx, by) = (self.area.x + x as u16, self.area.y + top as u16);
            draw(Rect::new(bx, by, w, h), buf);
            return true;
        }
        if whole {
            return false;
        }
        let mut aside = Buffer::empty(Rect::new(0, 0, w, h));
        draw(aside.area, &mut aside);
        for dy in 0..i32::from(h) {
            for dx in 0..i32::from(w) {
                let (cx, cy) = (x + dx, top + dy);
                if (0..aw).contains(&cx) && (0..ah).contains(&cy) {
                    let cell = aside[(dx as u16, dy as u16)].clone();
                    buf[(self.area.x + cx as u16, self.area.y + cy as u16)] = cell;
                }
            }
        }
        true
    }

    /// Copies `src` (drawn on its own) with its top left at (`x`, content row `y`), clipped
    /// like any drawing: a wide character that would straddle the right edge is left out.
    pub fn blit(&mut self, x: i32, y: i32, src: &Buffer) {
        self.blit_where(x, y, src, |_| true);
    }

    /// [`Canvas::blit`], writing only the screen rows in `rows`.
    pub fn blit_rows(&mut self, x: i32, y: i32, src: &Buffer, rows: &[u16]) {
        self.blit_where(x, y, src, |row| rows.contains(&row));
    }

    fn blit_where(&mut self, x: i32, y: i32, src: &Buffer, on: impl Fn(u16) -> bool) {
        let h = i32::from(src.area.height);
        if h > 0 {
            self.touch(y + h - 1);
        }
        let right = i32::from(self.area.width);
        let area_x = self.area.x;
        let src_w = src.area.width as usize;
        for dy in 0..src.area.height {
            let Some(row) = self.row(y + i32::from(dy)).filter(|r| on(*r)) else {
                continue;
            };
            let Some(buf) = self.buf.as_deref_mut() else {
                return;
            };
            // Row by row, by index: this copies every card in view on every frame.
            let from = dy as usize * src_w;
            let to = buf.index_of(area_x, row);
            for (dx, cell) in src.content[from..from + src_w].iter().enumerate() {
                let col = x + dx as i32;
                if col < 0 || col >= right {
                    continue;
                }
                let sym = cell.symbol();
                // Only a cluster that may reach past the edge is measured: a cluster is never
                // wider in cells than it is long in bytes (a wide character takes three).
                let straddles = col + sym.len().max(1) as i32 > right
                    && col + (crate::tui::measure::width(sym).max(1) as i32) > right;
                let target = &mut buf.content[to + col as usize];
                if straddles {
                    target.reset();
                } else {
                    target.clone_from(cell);
                }
            }
        }
    }

    /// Where a `w`×`h` block with its top left at column `x`, content row `y` goes on the
    /// screen: the cells it covers in view, and where its corner is.
    pub fn screen_rect(&self, x: i32, y: i32, w: u16, h: u16) -> (Rect, (i32, i32)) {
        screen_rect(self.area, self.scroll, x, y, w, h)
    }

    /// Blanks `rect` (screen cells, cut to the view).
    pub fn blank(&mut self, rect: Rect) {
        if let Some(buf) = self.buf.as_deref_mut() {
            crate::tui::line_memo::blank(buf, rect.intersection(self.area));
        }
    }

    /// Repeats the one-cell `symbol` over `n` cells.
    pub fn fill(&mut self, x: i32, y: i32, n: usize, symbol: &str, style: Style) {
        self.touch(y);
        let Some(row) = self.row(y) else { return };
        let Some(buf) = self.buf.as_deref_mut() else {
            return;
        };
        let right = i32::from(self.area.width);
        let from = x.max(0);
        let to = x.saturating_add(n as i32).min(right);
        for col in from..to {
            buf[(self.area.x + col as u16, row)]
                .set_symbol(symbol)
                .set_style(style);
        }
    }
}

/// [`Canvas::screen_rect`] for a canvas over `area` scrolled to content row `scroll`.
pub fn screen_rect(area: Rect, scroll: i32, x: i32, y: i32, w: u16, h: u16) -> (Rect, (i32, i32)) {
    let (ox, oy) = (i32::from(area.x) + x, i32::from(area.y) + y - scroll);
    let (l, t) = (
        ox.max(i32::from(area.left())),
        oy.max(i32::from(area.top())),
    );
    let r = (ox + i32::from(w)).min(i32::from(area.right()));
    let b = (oy + i32::from(h)).min(i32::from(area.bottom()));
    let rect = if r > l && b > t {
        Rect::new(l as u16, t as u16, (r - l) as u16, (b - t) as u16)
    } else {
        Rect::ZERO
    };
    (rect, (ox, oy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_to_the_area_and_never_splits_a_wide_character() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 3));
        let area = Rect::new(1, 1, 3, 1);
        let mut c = Canvas::new(&mut buf, area, 0);
        c.text(0, 0, "a日b", 10, Style::new());
        c.text(-1, 1, "xyz", 10, Style::new());
        c.text_cut(0, 0, "abcdef", 3, false, Style::new());
        assert_eq!(buf, Buffer::with_lines(["      ", " ab…  ", "      "]));
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        Canvas::new(&mut buf, Rect::new(0, 0, 3, 1), 0).text(0, 0, "ab日", 9, Style::new());
        assert_eq!(buf, Buffer::with_lines(["ab  "]));
    }
}
