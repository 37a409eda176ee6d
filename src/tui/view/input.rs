//! The focused field's text, drawn where its value goes: wrapped at word bounds, scrolled to
//! keep the cursor in view, the cursor a reversed cell.
//!
//! The text is edited in a `ratatui_textarea::TextArea` (the app's), but not drawn by it. Its
//! renderer wraps the text into a screen map again after every edit and every size, styles
//! it into spans and hands those to a `Paragraph`, which splits them into graphemes once
//! more: for a 200-character title that was a third of a keystroke's instructions. Here the
//! text is wrapped once per frame (the same rows give the input its height) and its cells
//! are set directly.
//!
//! The cells are the text area's own, cell for cell (a property test draws both): its
//! `WrapMode::WordOrGlyph` rows, a tab as spaces to the next stop of 4, the cursor's
//! character (or a space past the end) reversed, a row cut at the area's width, and each
//! cell's colours left as the row under it had them.

use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use unicode_segmentation::UnicodeSegmentation;

/// Where a tab stops, as the text area has it.
const TAB: usize = 4;

/// One screen row of the text: a piece of one of its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScreenRow {
    /// The line it is a piece of.
    pub line: usize,
    /// Its bytes in that line.
    pub start: usize,
    pub end: usize,
    /// Its characters in that line.
    pub start_col: usize,
    pub end_col: usize,
    /// The line's last piece.
    pub last: bool,
}

/// The screen rows of `lines` in `width` columns.
pub fn wrap<S: AsRef<str>>(lines: &[S], width: usize, out: &mut Vec<ScreenRow>) {
    out.clear();
    let mut pieces = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let line = line.as_ref();
        pieces.clear();
        wrap_line(line, width, &mut pieces);
        let mut col = 0;
        let n = pieces.len();
        for (k, &(start, end)) in pieces.iter().enumerate() {
            let end_col = col + chars(&line[start..end]);
            out.push(ScreenRow {
                line: i,
                start,
                end,
                start_col: col,
                end_col,
                last: k + 1 == n,
            });
            col = end_col;
        }
    }
}

fn chars(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// The cells a character takes: none for a control character, which is not drawn.
fn char_width(c: char) -> usize {
    if c.is_ascii() {
        return usize::from(!c.is_ascii_control());
    }
    if c.is_control() {
        0
    } else {
        usize::from(c.encode_utf8(&mut [0; 4]).cell_width())
    }
}

/// The column `text` ends at when it starts at column `at` (a tab goes to the next stop).
fn width_to(text: &str, mut at: usize) -> usize {
    for c in text.chars() {
        if c == '\t' {
            at += TAB - at % TAB;
        } else {
            at += char_width(c);
        }
    }
    at
}

/// One line's pieces (byte ranges) at word bounds; a word wider than a row is cut between
/// grapheme clusters. An empty line is one empty piece.
fn wrap_line(line: &str, width: usize, out: &mut Vec<(usize, usize)>) {
    let width = width.max(1);
    let start_len = out.len();
    // A line that fits whole is one piece, whatever its words (no tab: a tab's width
    // depends on where it starts).
    if line.len() <= width && line.bytes().all(|b| b != b'\t') {
        out.push((0, line.len()));
        return;
    }
    let mut chunks = line.split_word_bound_indices().peekable();
    let Some(&(first, _)) = chunks.peek() else {
        out.push((0, 0));
        return;
    };
    let (mut seg_start, mut seg_end, mut seg_width) = (first, first, 0usize);
    while let Some(&(start, text)) = chunks.peek() {
        let end = start + text.len();
        if seg_end == seg_start {
            seg_start = start;
        }
        let w = width_to(text, seg_width) - seg_width;
        if seg_width + w <= width {
            seg_end = end;
            seg_width += w;
            chunks.next();
            continue;
        }
        if seg_end > seg_start {
            // The row is full: the chunk starts the next one.
            out.push((seg_start, seg_end));
            seg_start = seg_end;
            seg_width = 0;
            continue;
        }
        // A chunk wider than a whole row.
        split_by_graphemes(line, start, end, width, out);
        chunks.next();
        (seg_start, seg_end, seg_width) = (end, end, 0);
    }
    if seg_end > seg_start {
        out.push((seg_start, seg_end));
    }
    if out.len() == start_len {
        out.push((0, 0));
    }
}

/// `line[start..end]` cut into pieces of at most `width` columns between grapheme
/// clusters (a cluster wider than a row is a piece of its own).
fn split_by_graphemes(
    line: &str,
    start: usize,
    end: usize,
    width: usize,
    out: &mut Vec<(usize, usize)>,
) {
    let mut seg_start = start;
    if line.as_bytes()[start..end]
        .iter()
        .all(|b| (0x20..0x7f).contains(b))
    {
        // Printable ASCII: each byte a cluster one column wide.
        while seg_start < end {
            let seg_end = (seg_start + width).min(end);
            out.push((seg_start, seg_end));
            seg_start = seg_end;
        }
        return;
    }
    while seg_start < end {
        let mut seg_end = seg_start;
        let mut seg_width = 0usize;
        for (offset, g) in line[seg_start..end].grapheme_indices(true) {
            let g_start = seg_start + offset;
            let next = width_to(g, seg_width);
            let gw = next.saturating_sub(seg_width);
            if seg_end != seg_start && seg_width + gw > width {
                break;
            }
            seg_end = g_start + g.len();
            seg_width = next;
            if seg_width > width {
                break;
            }
        }
        if seg_end == seg_start {
            match line[seg_start..end].chars().next() {
                Some(c) => seg_end = seg_start + c.len_utf8(),
                None => break,
            }
        }
        out.push((seg_start, seg_end));
        seg_start = seg_end;
    }
}

/// The screen row the cursor (line, character) is on: the first piece of its line that
/// holds it, a piece's end belonging to the next piece but for the last.
pub fn cursor_row(rows: &[ScreenRow], cursor: (usize, usize)) -> usize {
    let (line, col) = cursor;
    let first = rows.partition_point(|r| r.line < line);
    rows[first..]
        .iter()
        .take_while(|r| r.line == line)
        .position(|r| r.start_col <= col && (col < r.end_col || (r.last && col <= r.end_col)))
        .map_or(first.min(rows.len().saturating_sub(1)), |k| first + k)
}

/// Draws the rows from `top` into `area`: each row's characters (a tab as spaces) with the
/// cursor's reversed, a space past the end of its line reversed when the cursor is there.
/// A cell keeps its colours; only its symbol changes (and the cursor's gains REVERSED).
pub fn draw<S: AsRef<str>>(
    buf: &mut Buffer,
    area: Rect,
    lines: &[S],
    rows: &[ScreenRow],
    cursor: (usize, usize),
    top: usize,
) {
    let area = area.intersection(buf.area);
    let width = usize::from(area.width);
    let cursor_style = Style::new().add_modifier(Modifier::REVERSED);
    for (dy, row) in rows
        .iter()
        .skip(top)
        .take(usize::from(area.height))
        .enumerate()
    {
        let text = &lines[row.line].as_ref()[row.start..row.end];
        let holds_cursor = row.line == cursor.0
            && row.start_col <= cursor.1
            && (cursor.1 < row.end_col || (row.last && cursor.1 <= row.end_col));
        // The cursor's character (a byte range of `text`), or `None` past its end.
        let at = holds_cursor.then(|| {
            let k = cursor.1 - row.start_col;
            text.char_indices()
                .nth(k)
                .map(|(i, c)| (i, i + c.len_utf8()))
        });
        let y = area.y + dy as u16;
        let mut cells = Cells::new(buf, area.x, y, width);
        let plain = text.bytes().all(|b| (0x20..0x7f).contains(&b));
        if plain && text.len() + usize::from(matches!(at, Some(None))) <= width {
            // One cell per byte.
            for (i, _) in text.bytes().enumerate() {
                let cursor = matches!(at, Some(Some((s, _))) if s == i);
                cells.put(&text[i..i + 1], 1, cursor.then_some(cursor_style));
            }
            if matches!(at, Some(None)) {
                cells.put(" ", 1, Some(cursor_style));
            }
            continue;
        }
        draw_spans(&mut cells, &spans(text, at), cursor_style);
    }
}

/// A row's text as the text area styles it: the part before the cursor, the cursor's
/// character, the part after (tabs as spaces, counted from the row's start), and a space
/// for a cursor past the end. `true` marks the cursor's.
fn spans(text: &str, at: Option<Option<(usize, usize)>>) -> Vec<(String, bool)> {
    let mut col = 0usize;
    let mut built = |s: &str| -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if c == '\t' {
                let n = TAB - col % TAB;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            } else {
                out.push(c);
                col += char_width(c);
            }
        }
        out
    };
    let mut spans = Vec::with_capacity(4);
    let mut push = |s: String, cursor: bool| {
        if !s.is_empty() {
            spans.push((s, cursor));
        }
    };
    match at {
        Some(Some((s, e))) => {
            push(built(&text[..s]), false);
            push(built(&text[s..e]), true);
            push(built(&text[e..]), false);
        }
        Some(None) => {
            push(built(text), false);
            push(" ".to_string(), true);
        }
        None => push(built(text), false),
    }
    spans
}

/// The clusters of a span that are drawn, with their widths: a cluster with a control
/// character in it is not. Text whose every character stands alone (most text: Latin,
/// CJK, plain emoji) skips grapheme segmentation, which would find a cluster a character.
fn drawn(s: &str) -> impl Iterator<Item = (&str, usize)> {
    let lone = crate::tui::measure::all_lone_clusters(s);
    let (alone, mixed) = if lone { (s, "") } else { ("", s) };
    alone
        .char_indices()
        .map(move |(i, c)| &alone[i..i + c.len_utf8()])
        .chain(mixed.graphemes(true))
        .filter(|g| !g.contains(char::is_control))
        .map(|g| (g, usize::from(g.cell_width())))
}

/// Draws styled spans on a row, as a `Paragraph` draws a line cut to the row's width: a row
/// too wide is cut first, a cluster across the edge becoming spaces, and a cluster of no
/// width is not drawn.
fn draw_spans(cells: &mut Cells<'_>, spans: &[(String, bool)], cursor_style: Style) {
    let width = cells.width;
    let clusters: Vec<(&str, usize, bool)> = spans
        .iter()
        .flat_map(|(s, cursor)| drawn(s).map(move |(g, w)| (g, w, *cursor)))
        .collect();
    let total: usize = clusters.iter().map(|&(_, w, _)| w).sum();
    if total <= width {
        for (g, w, cursor) in clusters {
            cells.put(g, w, cursor.then_some(cursor_style));
        }
        return;
    }
    // Cut to the width, each span's text made again (and so split again into clusters).
    let mut col = 0;
    let mut cut: Vec<(String, bool)> = Vec::with_capacity(spans.len());
    for (s, cursor) in spans {
        let mut text = String::new();
        for (g, w) in drawn(s) {
            let start = col;
            col += w;
            if col <= width {
                text.push_str(g);
            } else if start < width {
                text.extend(std::iter::repeat_n(' ', width - start));
            }
        }
        if !text.is_empty() {
            cut.push((text, *cursor));
        }
    }
    let mut used = 0usize;
    for (s, cursor) in &cut {
        for (g, w) in drawn(s) {
            if w > width {
                continue;
            }
            if used + w > width {
                return;
            }
            used += w;
            cells.put(g, w, cursor.then_some(cursor_style));
        }
    }
}

/// The cells of one row, filled left to right.
struct Cells<'b> {
    buf: &'b mut Buffer,
    x: u16,
    y: u16,
    width: usize,
}

impl<'b> Cells<'b> {
    fn new(buf: &'b mut Buffer, x: u16, y: u16, width: usize) -> Self {
        Self { buf, x, y, width }
    }

    /// A cluster `w` columns wide at the next column; none for a cluster of no width.
    fn put(&mut self, g: &str, w: usize, style: Option<Style>) {
        if w == 0 {
            return;
        }
        let cell = &mut self.buf[(self.x, self.y)];
        cell.set_symbol(g);
        if let Some(style) = style {
            cell.set_style(style);
        }
        self.x = self.x.saturating_add(w as u16);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::style::Color;
    use ratatui::widgets::Widget;
    use ratatui_textarea::{CursorMove, TextArea, WrapMode};

    /// A buffer whose cells all differ from a blank one, so that a cell set or left alone
    /// shows: a dot, coloured, underlined.
    fn ground(area: Rect) -> Buffer {
        let mut buf = Buffer::empty(area);
        for cell in &mut buf.content {
            cell.set_symbol("·").set_style(
                Style::new()
                    .fg(Color::Yellow)
                    .add_modifier(Modifier::UNDERLINED),
            );
        }
        buf
    }

    fn text_area(lines: &[String], cursor: (usize, usize)) -> TextArea<'static> {
        let mut t = TextArea::new(lines.to_vec());
        t.set_cursor_line_style(Style::new());
        t.set_wrap_mode(WrapMode::WordOrGlyph);
        t.move_cursor(CursorMove::Jump(cursor.0 as u16, cursor.1 as u16));
        t
    }

    /// Both ways in turn at each cursor of `cursors`, the scroll carried from one to the
    /// next as the text area carries its own; every frame the same.
    fn same_as_the_text_area(lines: &[String], cursors: &[(usize, usize)], w: u16, h: u16) {
        let area = Rect::new(2, 1, w, h);
        let mut t = text_area(lines, (0, 0));
        let mut scroll = crate::tui::app::InputScroll::default();
        let mut rows = Vec::new();
        wrap(lines, usize::from(w), &mut rows);
        for &cursor in cursors {
            t.move_cursor(CursorMove::Jump(cursor.0 as u16, cursor.1 as u16));
            let c = t.cursor();
            let cursor = (c.0, c.1);
            let mut theirs = ground(Rect::new(0, 0, w + 4, h + 2));
            (&t).render(area, &mut theirs);
            let mut ours = ground(Rect::new(0, 0, w + 4, h + 2));
            let top = scroll.scrolled(1, cursor_row(&rows, cursor), usize::from(h));
            draw(&mut ours, area, lines, &rows, cursor, top);
            assert_eq!(
                ours, theirs,
                "{lines:?} at {w}x{h}, the cursor at {cursor:?}"
            );
        }
    }

    #[test]
    fn a_long_title_wraps_and_scrolls_as_the_text_area_draws_it() {
        let title = "A very long card title that goes on and on past the room the form has \
                     for it in the summary row";
        let lines = vec![title.to_string()];
        let n = title.chars().count();
        let cursors: Vec<_> = (0..=n).rev().chain(0..=n).map(|c| (0, c)).collect();
        same_as_the_text_area(&lines, &cursors, 32, 2);
        same_as_the_text_area(&lines, &cursors, 9, 5);
        let mut rows = Vec::new();
        wrap(&lines, 32, &mut rows);
        assert_eq!(rows.len(), 4, "the length alone says 3");
    }

    #[test]
    fn an_empty_field_is_a_reversed_space() {
        let lines = vec![String::new()];
        let mut buf = ground(Rect::new(0, 0, 6, 1));
        let mut rows = Vec::new();
        wrap(&lines, 6, &mut rows);
        draw(&mut buf, Rect::new(0, 0, 6, 1), &lines, &rows, (0, 0), 0);
        assert_eq!(buf[(0, 0)].symbol(), " ");
        assert!(buf[(0, 0)].modifier.contains(Modifier::REVERSED));
        assert_eq!(buf[(1, 0)].symbol(), "·", "the rest is left as it was");
        same_as_the_text_area(&lines, &[(0, 0)], 6, 1);
    }

    #[test]
    fn tabs_wide_characters_and_marks_are_drawn_as_the_text_area_draws_them() {
        let lines: Vec<String> = [
            "a\tb\t\tc 漢字かな and 😀 e\u{301}x",
            "\t",
            "ｶﾞﾊﾟ 👨\u{200d}👩\u{200d}👧 x\u{200b}y",
            "漢字漢字漢字漢字漢字漢字",
        ]
        .map(String::from)
        .to_vec();
        let cursors: Vec<_> = lines
            .iter()
            .enumerate()
            .flat_map(|(i, l)| (0..=l.chars().count()).map(move |c| (i, c)))
            .collect();
        for w in [1, 2, 3, 5, 8, 13] {
            for h in [1, 2, 4] {
                let back: Vec<_> = cursors.iter().rev().copied().collect();
                same_as_the_text_area(&lines, &cursors, w, h);
                same_as_the_text_area(&lines, &back, w, h);
            }
        }
    }

    proptest! {
        /// The clusters drawn are grapheme segmentation's, whether each character stands
        /// alone or some join (marks, joiners, selectors, flags, jamo) or are controls.
        #[test]
        fn drawn_clusters_are_graphemes(
            s in "[ -~é漢😀ｶ]{0,40}|[ -~\t\u{7}\u{AD}é漢😀\u{301}\u{200B}\u{200D}\u{FE0F}\u{1F1EB}\u{1F1F7}\u{1100}\u{1161}]{0,40}",
        ) {
            let segmented: Vec<(&str, usize)> = s
                .graphemes(true)
                .filter(|g| !g.contains(char::is_control))
                .map(|g| (g, usize::from(g.cell_width())))
                .collect();
            prop_assert_eq!(drawn(&s).collect::<Vec<_>>(), segmented);
        }

        /// Any text of words, spaces, tabs, wide characters, marks and the odd control
        /// character, at any size, the cursor moved anywhere: the cells are the text
        /// area's.
        #[test]
        fn the_cells_are_the_text_areas(
            lines in proptest::collection::vec(
                proptest::collection::vec(
                    "[a-z]{1,9}|[A-Z0-9.,'-]{1,3}|漢字{1,3}|😀|e\u{301}|\t| {1,3}|\u{7}|ｶﾞ|x\u{200b}",
                    0..10,
                ).prop_map(|parts| parts.concat()),
                1..4,
            ),
            w in 1u16..24,
            h in 1u16..6,
            moves in proptest::collection::vec((0usize..4, 0usize..40), 1..12),
        ) {
            let cursors: Vec<_> = moves
                .iter()
                .map(|&(l, c)| {
                    let l = l.min(lines.len() - 1);
                    (l, c.min(lines[l].chars().count()))
                })
                .collect();
            same_as_the_text_area(&lines, &cursors, w, h);
        }
    }
}
