//! Measuring, wrapping and cutting text in terminal cells, and a clipped drawing surface.
//!
//! Every string is split into grapheme clusters and each cluster measured with
//! `unicode-width` through ratatui's own `CellWidth`, so what is measured here is exactly what
//! the buffer and the terminal backend later assume. Control characters and clusters of width
//! zero are dropped, a tab counts as one space: the same rule for measuring and for drawing, so
//! a measured line always fits the columns it was measured for.

use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_segmentation::UnicodeSegmentation;

/// The cut mark.
pub const ELLIPSIS: &str = "…";

/// The cluster as drawn and its width in cells, or `None` for a cluster that takes no cell.
fn cell(g: &str) -> Option<(&str, u16)> {
    if g == "\t" {
        return Some((" ", 1));
    }
    if g.contains(char::is_control) {
        return None;
    }
    let w = g.cell_width();
    (w > 0).then_some((g, w))
}

/// True when every byte of `s` is printable ASCII: each is then a cluster of width one.
fn is_plain_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// True for a character that is always a grapheme cluster of its own when its neighbours
/// are such characters too: no control, combining mark, joiner, variation selector, emoji
/// modifier, regional indicator or Hangul jamo. Covers Latin, Greek, Cyrillic, common
/// punctuation and symbols, kana, CJK, Hangul syllables and the plain emoji blocks.
fn is_lone_cluster(c: char) -> bool {
    // Most text is Latin: settle it with two comparisons.
    if c < '\u{300}' {
        return (' '..='~').contains(&c) || c >= '\u{A0}';
    }
    matches!(c,
        ' '..='~'
        | '\u{A0}'..='\u{2FF}'
        | '\u{370}'..='\u{3FF}'
        | '\u{400}'..='\u{482}'
        | '\u{48A}'..='\u{4FF}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205E}'
        | '\u{20A0}'..='\u{20C0}'
        | '\u{2100}'..='\u{23FF}'
        | '\u{2500}'..='\u{27BF}'
        | '\u{3000}'..='\u{3029}'
        | '\u{3030}'..='\u{3098}'
        | '\u{309B}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{FF01}'..='\u{FF60}'
        | '\u{1F300}'..='\u{1F3FA}'
        | '\u{1F400}'..='\u{1F64F}'
        | '\u{1F680}'..='\u{1F6FF}'
        | '\u{1F900}'..='\u{1F9FF}')
}

/// Each drawn cluster of a string with its byte offset and width. Printable ASCII, the
/// common case, skips grapheme segmentation (same result, a byte a cell); so does text whose
/// every character is a cluster of its own (segmentation would cut after each one anyway).
enum Cells<'a> {
    Ascii {
        s: &'a str,
        i: usize,
    },
    /// Character by character while each one stands alone; from the first that may join a
    /// neighbour on, grapheme segmentation (offsets relative to `base`).
    Mixed {
        s: &'a str,
        pos: usize,
        tail: Option<(usize, Box<unicode_segmentation::GraphemeIndices<'a>>)>,
    },
}

impl<'a> Iterator for Cells<'a> {
    type Item = (usize, &'a str, u16);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Cells::Ascii { s, i } => {
                let at = *i;
                let sym = s.get(at..at + 1)?;
                *i += 1;
                Some((at, sym, 1))
            }
            Cells::Mixed { s, pos, tail } => loop {
                if let Some((base, it)) = tail {
                    let (at, g) = it.next()?;
                    if let Some((sym, w)) = cell(g) {
                        return Some((*base + at, sym, w));
                    }
                    continue;
                }
                let at = *pos;
                let mut chars = s.get(at..)?.chars();
                let c = chars.next()?;
                if is_lone_cluster(c) && chars.next().is_none_or(is_lone_cluster) {
                    *pos += c.len_utf8();
                    // A lone cluster is one printable character: its width is the
                    // character's own (what `cell` would find, at a fraction of the cost).
                    let w = if c.is_ascii() {
                        1
                    } else {
                        unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) as u16
                    };
                    if w > 0 {
                        return Some((at, &s[at..*pos], w));
                    }
                } else {
                    *tail = Some((at, Box::new(s[at..].grapheme_indices(true))));
                }
            },
        }
    }
}

fn cells(s: &str) -> Cells<'_> {
    if is_plain_ascii(s) {
        Cells::Ascii { s, i: 0 }
    } else {
        Cells::Mixed {
            s,
            pos: 0,
            tail: None,
        }
    }
}

/// Width of `s` in cells.
pub fn width(s: &str) -> usize {
    if is_plain_ascii(s) {
        return s.len();
    }
    cells(s).map(|(_, _, w)| w as usize).sum()
}

/// Width of `s` in cells, counted no further than `cap`: enough to tell whether it fits,
/// without walking a long text to its end.
pub fn width_capped(s: &str, cap: usize) -> usize {
    if is_plain_ascii(s) {
        return s.len().min(cap);
    }
    let mut w = 0;
    for (_, _, cw) in cells(s) {
        w += cw as usize;
        if w >= cap {
            return cap;
        }
    }
    w
}

/// The longest prefix of `s` that fits in `max` cells, and its width.
pub fn fit(s: &str, max: usize) -> (&str, usize) {
    let mut used = 0;
    for (i, _, w) in cells(s) {
        if used + w as usize > max {
            return (&s[..i], used);
        }
        used += w as usize;
    }
    (s, used)
}

/// `s` cut to at most `max` characters (the way RCS clients count a title's length), and
/// whether it was cut.
pub fn cut_chars(s: &str, max: usize) -> (&str, bool) {
    if s.len() <= max {
        return (s, false);
    }
    match s.char_indices().nth(max) {
        Some((i, _)) => (&s[..i], true),
        None => (s, false),
    }
}

/// One wrapped line: a slice of the source, and whether the text was cut after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrappedLine<'a> {
    pub text: &'a str,
    pub cut: bool,
}

/// Wraps `s` into lines of at most `width` cells, breaking at spaces where it can and inside
/// a word where it must, keeping hard line breaks. At most `max_lines` lines: when there is
/// more, the last line kept is marked `cut` (drawn with `…`). A cluster wider than `width`
/// (a wide character in a one-cell column) is dropped rather than overflow.
pub fn wrap(s: &str, width: usize, max_lines: usize) -> Vec<WrappedLine<'_>> {
    let mut out: Vec<WrappedLine<'_>> = Vec::new();
    if width == 0 || max_lines == 0 {
        return out;
    }
    let mut more = false;
    'paras: for para in s.split('\n') {
        if out.len() >= max_lines {
            more = true;
            break;
        }
        let para = para.strip_suffix('\r').unwrap_or(para);
        let mut start = 0;
        let mut w = 0usize;
        // A break opportunity: end of the line before a space, start after it, width up to
        // and including the space.
        let mut brk: Option<(usize, usize, usize)> = None;
        for (i, g, gw) in cells(para) {
            let gw = gw as usize;
            if gw > width {
                // Cannot be shown at this width: end the line before it and leave it out.
                if w > 0 {
                    out.push(WrappedLine {
                        text: &para[start..i],
                        cut: false,
                    });
                    if out.len() >= max_lines {
                        more = true;
                        break 'paras;
                    }
                }
                start = i + g.len();
                w = 0;
                brk = None;
                continue;
            }
            let space = g == " " || g == "\t";
            if w + gw > width {
                if space {
                    out.push(WrappedLine {
                        text: &para[start..i],
                        cut: false,
                    });
                    start = i + g.len();
                    w = 0;
                    brk = None;
                    if out.len() >= max_lines {
                        more = true;
                        break 'paras;
                    }
                    continue;
                }
                if let Some((end, next, wb)) = brk.take() {
                    out.push(WrappedLine {
                        text: &para[start..end],
                        cut: false,
                    });
                    start = next;
                    w -= wb;
                    if out.len() >= max_lines {
                        more = true;
                        break 'paras;
                    }
                }
                if w + gw > width {
                    out.push(WrappedLine {
                        text: &para[start..i],
                        cut: false,
                    });
                    start = i;
                    w = 0;
                    if out.len() >= max_lines {
                        more = true;
                        break 'paras;
                    }
                }
            }
            w += gw;
            if space {
                brk = Some((i, i + g.len(), w));
            }
        }
        if out.len() >= max_lines {
            more = true;
            break;
        }
        out.push(WrappedLine {
            text: &para[start..],
            cut: false,
        });
    }
    if more && let Some(last) = out.last_mut() {
        // Make room for the mark.
        let (t, _) = fit(last.text.trim_end(), width.saturating_sub(1));
        last.text = t;
        last.cut = true;
    }
    out
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(lines: &[WrappedLine<'a>]) -> Vec<&'a str> {
        lines.iter().map(|l| l.text).collect()
    }

    #[test]
    fn lone_clusters_measure_as_grapheme_segmentation_does() {
        let samples = [
            "Grüße, señor — “quoted” … 50 €",
            "日本語のテキスト、カタカナ。한국어 문장",
            "Ελληνικά Кириллица ½ ©®™ ←↑→ ✆ ⌖ ▦ ░",
            "🙂🎉 party 🚀 漢字 é ü ß",
            "ｆｕｌｌｗｉｄｔｈ！",
        ];
        for s in samples {
            assert!(s.chars().all(is_lone_cluster), "{s}");
            let fast: Vec<_> = cells(s).collect();
            let slow: Vec<_> = s
                .grapheme_indices(true)
                .filter_map(|(at, g)| cell(g).map(|(sym, w)| (at, sym, w)))
                .collect();
            assert_eq!(fast, slow, "{s}");
        }
        // Anything that may join its neighbour switches to segmentation from there on.
        for joining in [
            "e\u{301}",
            "👍🏽",
            "👨\u{200D}👩",
            "🇫🇷",
            "✔\u{FE0F}",
            "a\tb",
            "ガ\u{3099}",
        ] {
            assert!(!joining.chars().all(is_lone_cluster), "{joining}");
            let s = format!("Grüße {joining} 日本 {joining}");
            let fast: Vec<_> = cells(&s).collect();
            let slow: Vec<_> = s
                .grapheme_indices(true)
                .filter_map(|(at, g)| cell(g).map(|(sym, w)| (at, sym, w)))
                .collect();
            assert_eq!(fast, slow, "{s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_measures_as_segmentation_does(s in "[ -~\t\u{A0}-\u{2FF}\u{300}-\u{36F}\u{370}-\u{3FF}\u{200B}-\u{200F}\u{2010}-\u{2027}\u{2500}-\u{27BF}\u{3040}-\u{30FF}\u{4E00}-\u{4E80}\u{1100}-\u{1120}\u{1160}-\u{1170}\u{AC00}-\u{AC80}\u{FE00}-\u{FE0F}\u{1F1E6}-\u{1F1FF}\u{1F300}-\u{1F3FF}\u{1F600}-\u{1F64F}]{0,40}") {
            let fast: Vec<_> = cells(&s).collect();
            let slow: Vec<_> = s
                .grapheme_indices(true)
                .filter_map(|(at, g)| cell(g).map(|(sym, w)| (at, sym, w)))
                .collect();
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn widths_follow_unicode_width() {
        assert_eq!(width_capped("日本語", 3), 3);
        assert_eq!(width_capped("日本語", 10), 6);
        assert_eq!(width_capped("abcdef", 4), 4);
        assert_eq!(width("abc"), 3);
        assert_eq!(width("日本"), 4);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("👍"), 2);
        assert_eq!(width("a\tb"), 3);
        assert_eq!(width("a\u{7}b"), 2);
    }

    #[test]
    fn wraps_at_spaces_and_inside_long_words() {
        assert_eq!(
            texts(&wrap("the quick brown fox", 9, 10)),
            ["the quick", "brown fox"]
        );
        assert_eq!(texts(&wrap("abcdefghij", 4, 10)), ["abcd", "efgh", "ij"]);
        assert_eq!(texts(&wrap("a\nb", 4, 10)), ["a", "b"]);
        assert_eq!(texts(&wrap("日本語の文", 4, 10)), ["日本", "語の", "文"]);
        assert_eq!(texts(&wrap("日本", 1, 10)), [""]);
        for line in wrap(
            "🎉 party 🎉🎉🎉 time 日本語 e\u{301}e\u{301}e\u{301}",
            5,
            100,
        ) {
            assert!(width(line.text) <= 5, "{line:?}");
        }
    }

    #[test]
    fn marks_the_last_line_when_cut() {
        let lines = wrap("one two three four", 5, 2);
        assert_eq!(texts(&lines), ["one", "two"]);
        assert!(lines[1].cut && !lines[0].cut);
        let lines = wrap("abcdefgh", 4, 1);
        assert_eq!(texts(&lines), ["abc"]);
        assert!(lines[0].cut);
    }

    #[test]
    fn cuts_by_characters() {
        assert_eq!(cut_chars("abcdef", 3), ("abc", true));
        assert_eq!(cut_chars("日本", 3), ("日本", false));
    }

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
