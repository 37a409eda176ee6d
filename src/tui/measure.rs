//! Measuring, wrapping and cutting text in terminal cells: the one place that does it, for
//! the form, the panes and the preview alike.
//!
//! Every string is split into grapheme clusters and each cluster measured with
//! `unicode-width` through ratatui's own `CellWidth`, so what is measured here is exactly what
//! the buffer and the terminal backend later assume. Control characters and clusters of width
//! zero are dropped, a tab counts as one space: the same rule for measuring and for drawing, so
//! a measured line always fits the columns it was measured for.

use ratatui::buffer::CellWidth;
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

/// Writes `line` at (`x`, `y`) in at most `max_width` cells, as `Buffer::set_line` does, and
/// returns where it stopped. Faster: the clusters come from [`cells`] (printable ASCII and
/// lone characters without grapheme segmentation) and go straight into the row's cells.
/// A row outside the buffer is left alone.
pub fn set_line(
    buf: &mut ratatui::buffer::Buffer,
    x: u16,
    y: u16,
    line: &ratatui::text::Line<'_>,
    max_width: u16,
) -> (u16, u16) {
    let area = buf.area;
    if y < area.top() || y >= area.bottom() || x < area.left() {
        return (x, y);
    }
    let row = (y - area.y) as usize * area.width as usize;
    let mut x = x;
    let mut remaining = max_width;
    for span in line {
        let room = area.right().saturating_sub(x).min(remaining);
        if room == 0 {
            break;
        }
        let style = line.style.patch(span.style);
        let start = row + (x - area.x) as usize;
        let mut used = 0u16;
        for (_, sym, w) in cells(&span.content) {
            if used + w > room {
                break;
            }
            let i = start + used as usize;
            let cell = &mut buf.content[i];
            // Most cells already hold their symbol (a frame starts blank, padding is
            // spaces): comparing is cheaper than storing it again.
            if cell.symbol() != sym {
                cell.set_symbol(sym);
            }
            cell.set_style(style);
            for k in 1..w as usize {
                buf.content[i + k].reset();
            }
            used += w;
        }
        x += used;
        remaining -= used;
    }
    (x, y)
}

/// True when every byte of `s` is printable ASCII: each is then a cluster of width one.
fn is_plain_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// True when every character of `s` is a grapheme cluster of its own (see
/// [`is_lone_cluster`]): segmenting it would find a cluster a character.
pub(crate) fn all_lone_clusters(s: &str) -> bool {
    s.chars().all(is_lone_cluster)
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
pub(crate) enum Cells<'a> {
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

pub(crate) fn cells(s: &str) -> Cells<'_> {
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
    if is_plain_ascii(s) {
        let n = s.len().min(max);
        return (&s[..n], n);
    }
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
    wrap_upto(s, width, max_lines).0
}

/// [`wrap`], and how much of `s` decided its lines when they stopped at `max_lines`: `Some(n)`
/// when every text that starts with `s[..n]` wraps to the same lines (the lines, the cluster
/// that did not fit after them, and the character after that cluster, which could have
/// joined it). `None` when the lines depend on all of `s`.
pub fn wrap_upto(s: &str, width: usize, max_lines: usize) -> (Vec<WrappedLine<'_>>, Option<usize>) {
    let mut out: Vec<WrappedLine<'_>> = Vec::new();
    if width == 0 || max_lines == 0 {
        return (out, None);
    }
    let mut more = false;
    // Where the text stopped mattering (see above), before the character after it.
    let mut stop: Option<usize> = None;
    'paras: for para in s.split('\n') {
        // `para` is a piece of `s`: its place in it.
        let off = para.as_ptr() as usize - s.as_ptr() as usize;
        if out.len() >= max_lines {
            more = true;
            stop = Some(off);
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
                        stop = Some(off + i + g.len());
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
                        stop = Some(off + i + g.len());
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
                        stop = Some(off + i + g.len());
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
                        stop = Some(off + i + g.len());
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
    // The character after the cluster that did not fit is part of what decided it.
    let upto = stop.filter(|_| more).and_then(|n| {
        s.get(n..)
            .and_then(|rest| rest.chars().next())
            .map(|c| n + c.len_utf8())
    });
    (out, upto)
}

/// `.width()` on text, measured as everything here is.
pub trait TextWidth {
    fn width(&self) -> usize;
}

impl TextWidth for str {
    fn width(&self) -> usize {
        width(self)
    }
}

/// `s` cut to `width` cells, ending in `…` when it was cut.
pub fn fit_ellipsis(s: &str, width: usize) -> String {
    // No cluster is wider in cells than it is long in bytes.
    if s.len() <= width || width_capped(s, width + 1) <= width {
        return s.to_string();
    }
    let (head, _) = fit(s, width.saturating_sub(1));
    format!("{head}{ELLIPSIS}")
}

/// The lines of [`wrap`] as owned strings, every line kept.
pub fn wrap_lines(s: &str, width: usize) -> Vec<String> {
    let lines: Vec<String> = wrap(s, width.max(1), usize::MAX)
        .into_iter()
        .map(|l| l.text.to_string())
        .collect();
    if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(lines: &[WrappedLine<'a>]) -> Vec<&'a str> {
        lines.iter().map(|l| l.text).collect()
    }

    /// The fast `set_line` leaves exactly what ratatui's leaves, on text without tabs (which
    /// it draws as a space, as everything here measures them).
    #[test]
    fn set_line_draws_what_ratatuis_draws() {
        use ratatui::buffer::Buffer;
        use ratatui::layout::Rect;
        use ratatui::style::{Color, Style, Stylize};
        use ratatui::text::{Line, Span};
        let spans: &[&[&str]] = &[
            &["plain ascii text", " and more"],
            &["Grüße 漢字 🙂 e\u{301} 👩‍👩‍👧", "x"],
            &["bell\u{7}esc\u{1b}[31m", "🇫🇷flag"],
            &["漢漢漢漢漢漢漢漢漢漢漢漢", "a", "漢"],
            &["", "  ", "end"],
        ];
        for parts in spans {
            for (x, max) in [(0u16, 40u16), (3, 11), (30, 40), (5, 0), (38, 3)] {
                let line = Line::from(
                    parts
                        .iter()
                        .enumerate()
                        .map(|(i, p)| Span::styled(*p, Style::new().fg(Color::Indexed(i as u8))))
                        .collect::<Vec<_>>(),
                )
                .bold();
                let area = Rect::new(2, 1, 40, 3);
                let (mut ours, mut theirs) = (Buffer::empty(area), Buffer::empty(area));
                for b in [&mut ours, &mut theirs] {
                    b.set_string(2, 2, "0123456789".repeat(4), Style::new());
                }
                let a = set_line(&mut ours, area.x + x, 2, &line, max);
                let b = theirs.set_line(area.x + x, 2, &line, max);
                assert_eq!(a, b, "{parts:?} at {x} in {max}");
                assert_eq!(ours, theirs, "{parts:?} at {x} in {max}");
            }
        }
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
        /// What `wrap_upto` says decided the lines does: any text that starts with it wraps
        /// to the same lines, whatever follows (words, spaces, line breaks, wide clusters,
        /// marks that join the cluster before them).
        #[test]
        fn a_text_that_starts_as_the_part_that_decided_wraps_the_same(
            s in "([a-e]{1,6}|[ \n\t]|日本|e\u{301}|\u{263A}|\u{FE0F}|👍|\u{200D}){0,30}",
            more in "([a-e]{1,6}|[ \n\t]|日本|\u{301}|\u{FE0F}|👍|\u{200D}){0,8}",
            width in 1usize..12,
            max_lines in 1usize..5,
        ) {
            let (lines, upto) = wrap_upto(&s, width, max_lines);
            proptest::prop_assert_eq!(&lines, &wrap(&s, width, max_lines));
            if let Some(n) = upto {
                proptest::prop_assert!(n <= s.len());
                // What follows at random, and what joins the cluster before it.
                for tail in [more.as_str(), "\u{301}", "\u{FE0F}", "\u{200D}👍", " "] {
                    let other = format!("{}{tail}", &s[..n]);
                    proptest::prop_assert_eq!(
                        wrap(&other, width, max_lines),
                        lines.clone(),
                        "{:?} and {:?}",
                        s,
                        other
                    );
                }
            }
        }

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
    fn the_part_of_a_long_text_that_decided_its_lines() {
        // Two lines of four: "abcd efgh" decides them, the space that did not fit after
        // them, and the character after that.
        let (lines, upto) = wrap_upto("abcd efgh ijkl mnop", 4, 2);
        assert_eq!(texts(&lines), ["abcd", "efg"]);
        assert_eq!(upto, Some("abcd efgh i".len()));
        // All of it fits: all of it decides.
        assert_eq!(wrap_upto("abcd efgh", 4, 2).1, None);
        // It ends on the cluster that did not fit: a mark typed next would join it.
        assert_eq!(wrap_upto("abcd efgh ", 4, 2).1, None);
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
}
