//! The RCS message as a phone draws it: a text bubble with chips, a media box, a card, or
//! cards side by side.

use super::canvas::Canvas;
use super::choice::{self, ChoiceView};
use super::strings::{self, MediaKind};
use super::{Ctx, Need, Shown, frame, marked, paragraph, parts, problem_style, shown_paragraph};
use crate::message::validate::type_name;
use crate::message::{FieldPath, MessageType, Severity};
use crate::tui::measure;
use crate::tui::pictures::Fit;
use crate::tui::theme;
use ratatui::style::Style;
use serde_json::{Map, Value};
use std::borrow::Cow;

pub(crate) fn draw(
    ctx: &Ctx<'_>,
    c: &mut Canvas<'_>,
    obj: &Map<String, Value>,
    first_card: usize,
    card_height: i32,
) {
    let w = usize::from(c.width());
    let root = FieldPath::root();
    let mut y = header(ctx, c, obj, 0);
    let shown: &[&str] = match obj.get("messageType") {
        Some(Value::String(s)) => match MessageType::parse(s) {
            Some(MessageType::Text) => {
                y = text_message(ctx, c, y, obj);
                &["messageText", "choices"]
            }
            Some(MessageType::Media) => {
                y = media_message(ctx, c, y, obj);
                &["mediaUrl", "thumbnailUrl", "filenameOverride", "choices"]
            }
            Some(MessageType::Card) => {
                let width = strings::CARD_WIDTH.min(c.width());
                let focused = CARD_KEYS.iter().any(|k| ctx.focused(&root.key(k)));
                let opts = CardOpts {
                    width,
                    carousel: false,
                    min_height: 0,
                    frame: frame_style(None, focused),
                };
                y += card(ctx, c, 0, y, ctx.doc, &root, &opts).0;
                CARD_KEYS
            }
            Some(MessageType::Carousel) => {
                y = super::carousel::carousel(ctx, c, y, obj, first_card, card_height);
                &["cards"]
            }
            None => {
                let text = strings::unknown_message_type(s);
                y = problem_paragraph(c, y, &text, Severity::Error);
                &[]
            }
        },
        None | Some(Value::Null) => {
            y = problem_paragraph(c, y, strings::NO_MESSAGE_TYPE, Severity::Error);
            &[]
        }
        Some(other) => {
            let text = strings::not_a_message_type(type_name(other));
            y = problem_paragraph(c, y, &text, Severity::Error);
            &[]
        }
    };
    // Problems the drawing above has no place for (callbackURL, unknown fields); the
    // failovers have their own view.
    let mut keys: Vec<&str> = vec![
        "messageType",
        "source",
        "destination",
        "smsFailover",
        "mmsFailover",
    ];
    keys.extend_from_slice(shown);
    hidden_problems(ctx, c, 0, y + 1, w, &root, &keys, false);
}

const CARD_KEYS: &[&str] = &[
    "title",
    "description",
    "height",
    "mediaUrl",
    "thumbnailUrl",
    "filenameOverride",
    "choices",
];

pub(crate) fn problem_paragraph(c: &mut Canvas<'_>, y: i32, text: &str, sev: Severity) -> i32 {
    let w = usize::from(c.width());
    let text = format!("{} {text}", super::mark(sev));
    paragraph(c, 0, y, w, usize::MAX, &text, false, problem_style(sev))
}

/// Sender → recipient, then a blank row.
fn header(ctx: &Ctx<'_>, c: &mut Canvas<'_>, obj: &Map<String, Value>, y: i32) -> i32 {
    let root = FieldPath::root();
    let mut p: Vec<Shown<'_>> = Vec::with_capacity(3);
    p.extend(ctx.text(Some(obj), &root, "source", Need::Required, theme::title()));
    p.push(Shown::plain(strings::TO, theme::muted()));
    p.extend(ctx.text(
        Some(obj),
        &root,
        "destination",
        Need::Required,
        theme::muted(),
    ));
    parts(c, 0, y, usize::from(c.width()), &p);
    y + 2
}

/// Lines for the issues directly under `base` whose field the drawing does not show (and,
/// with `at_base`, those at `base` itself), each as its marker and the validator's message.
#[allow(clippy::too_many_arguments)]
pub(crate) fn hidden_problems(
    ctx: &Ctx<'_>,
    c: &mut Canvas<'_>,
    x: i32,
    mut y: i32,
    w: usize,
    base: &FieldPath,
    shown: &[&str],
    at_base: bool,
) -> i32 {
    for issue in ctx.hidden_issues(base, shown, at_base) {
        let text = format!("{} {}", super::mark(issue.severity), issue.message);
        c.text_cut(x, y, &text, w, false, problem_style(issue.severity));
        y += 1;
    }
    y
}

pub(crate) fn frame_style(sev: Option<Severity>, focused: bool) -> Style {
    if focused {
        theme::preview_focus()
    } else {
        match sev {
            Some(s) => problem_style(s),
            None => theme::preview_frame(),
        }
    }
}

/// RCS_TEXT: the bubble, then the chips.
fn text_message(ctx: &Ctx<'_>, c: &mut Canvas<'_>, y: i32, obj: &Map<String, Value>) -> i32 {
    let root = FieldPath::root();
    let path = root.key("messageText");
    let text = ctx
        .text_limited(
            Some(obj),
            &root,
            "messageText",
            Need::Required,
            Style::new(),
            strings::MESSAGE_TEXT_CHARS,
        )
        .unwrap_or_else(|| Shown::plain("", Style::new()));
    let focused = ctx.focused(&path);
    let style = frame_style(ctx.severity(&path), focused);
    let end = bubble(c, 0, y, &text, style);
    if focused {
        c.mark_focus(y, end);
    }
    chips(ctx, c, end, obj, &root)
}

/// A chat bubble around `text`, as wide as its longest line up to [`strings::BUBBLE_WIDTH`].
/// Returns the row after it.
pub(crate) fn bubble(c: &mut Canvas<'_>, x: i32, y: i32, text: &Shown<'_>, style: Style) -> i32 {
    let max = usize::from(strings::BUBBLE_WIDTH.min(c.width()));
    if max < 3 {
        return paragraph(c, x, y, max, usize::MAX, &text.text, text.cut, text.style);
    }
    let inner = max - 2;
    let lines = measure::wrap(&text.text, inner, usize::MAX);
    let n = lines.len();
    let content = lines
        .iter()
        .enumerate()
        .map(|(i, l)| measure::width(l.text) + usize::from(l.cut || (i + 1 == n && text.cut)))
        .max()
        .unwrap_or(0)
        .clamp(1, inner);
    for (i, l) in lines.iter().enumerate() {
        let cut = l.cut || (i + 1 == n && text.cut);
        c.text_cut(x + 1, y + 1 + i as i32, l.text, content, cut, text.style);
    }
    let h = n.max(1) as i32 + 2;
    frame(c, x, y, content as u16 + 2, h, style);
    y + h
}

/// The suggestion chips under a text or media message, one a row, each followed by what it
/// does. Returns the row after them.
fn chips(
    ctx: &Ctx<'_>,
    c: &mut Canvas<'_>,
    mut y: i32,
    obj: &Map<String, Value>,
    base: &FieldPath,
) -> i32 {
    let path = base.key("choices");
    let w = usize::from(c.width());
    match obj.get("choices") {
        None | Some(Value::Null) => y,
        Some(Value::Array(list)) => {
            for (i, v) in list.iter().enumerate().take(strings::MAX_CHIPS) {
                let p = path.index(i);
                let view = choice::view(ctx, v, &p);
                let focused = ctx.focused(&p);
                let top = y;
                y = chip(c, 1, y, &view, focused);
                // A choice that is not an object already says so in its placeholder.
                let own = v.is_object();
                y = hidden_problems(ctx, c, 3, y, w.saturating_sub(3), &p, CHOICE_SHOWN, own);
                if focused {
                    c.mark_focus(top, y);
                }
            }
            if list.len() > strings::MAX_CHIPS {
                let text = strings::more_chips(list.len() - strings::MAX_CHIPS);
                let s = marked(text.into(), Some(Severity::Warning), Style::new(), false);
                parts(c, 1, y, w.saturating_sub(1), &[s]);
                y += 1;
            }
            y
        }
        Some(other) => {
            let text = strings::wrong_type("choices", type_name(other));
            let s = marked(text.into(), Some(Severity::Error), Style::new(), true);
            parts(c, 1, y, w.saturating_sub(1), &[s]);
            y + 1
        }
    }
}

/// The keys a choice's drawing shows, directly or as its detail; problems with any other key
/// (postbackData, endTime, unknown keys) get a line of their own.
const CHOICE_SHOWN: &[&str] = &[
    "type",
    "title",
    "url",
    "application",
    "webviewViewMode",
    "phoneNumber",
    "label",
    "latitude",
    "longitude",
    "eventTitle",
    "startTime",
];

fn chip_head<'a>(view: &ChoiceView<'a>, focused: bool) -> Vec<Shown<'a>> {
    let style = if focused {
        theme::preview_focus()
    } else {
        match view.problem {
            Some(s) => problem_style(s),
            None => theme::preview_chip(),
        }
    };
    vec![
        Shown::plain("(", style),
        Shown::plain(view.glyph, style),
        Shown::plain(" ", style),
        view.title.clone(),
        Shown::plain(")", style),
    ]
}

/// One chip: `(↗ Title)` and its detail beside it, or under it when there is no room.
fn chip(c: &mut Canvas<'_>, x: i32, y: i32, view: &ChoiceView<'_>, focused: bool) -> i32 {
    let w = usize::from(c.width()).saturating_sub(x.max(0) as usize);
    let head = chip_head(view, focused);
    parts(c, x, y, w, &head);
    if view.detail.is_empty() {
        return y + 1;
    }
    // Measured here, not taken from what was drawn: the row chosen must not depend on
    // whether the row is in view.
    let used = head
        .iter()
        .map(|s| measure::width(&s.text) + usize::from(s.cut))
        .sum::<usize>()
        .min(w);
    let dw: usize = view.detail.iter().map(|s| measure::width(&s.text)).sum();
    if used + 1 + dw <= w {
        parts(c, x + used as i32 + 1, y, w - used - 1, &view.detail);
        y + 1
    } else {
        parts(c, x + 2, y + 1, w.saturating_sub(2), &view.detail);
        y + 2
    }
}

/// One card button, across the card's inside: the glyph and title, then the detail under it.
fn button(
    c: &mut Canvas<'_>,
    x: i32,
    y: i32,
    w: usize,
    view: &ChoiceView<'_>,
    focused: bool,
) -> i32 {
    let mut head = chip_head(view, focused);
    // A button has no brackets; keep the glyph, the space and the title.
    head.remove(4);
    head.remove(0);
    parts(c, x + 1, y, w.saturating_sub(1), &head);
    if view.detail.is_empty() {
        return y + 1;
    }
    let room = w.saturating_sub(3);
    let dw: usize = view.detail.iter().map(|s| measure::width(&s.text)).sum();
    let split = view
        .detail
        .iter()
        .position(|s| s.text == strings::DETAIL_SEPARATOR);
    match split {
        // Too long for one row: what comes after the first ` · ` goes on a second.
        Some(i) if dw > room => {
            parts(c, x + 3, y + 1, room, &view.detail[..i]);
            parts(c, x + 3, y + 2, room, &view.detail[i + 1..]);
            y + 3
        }
        _ => {
            parts(c, x + 3, y + 1, room, &view.detail);
            y + 2
        }
    }
}

/// The media of a card, a media message or an MMS, as the lines drawn in its area.
pub(crate) fn media_lines<'a>(
    ctx: &Ctx<'a>,
    obj: &'a Map<String, Value>,
    base: &FieldPath,
    thumbnail: Option<Need>,
    filename: Need,
) -> Vec<Shown<'a>> {
    let plain = Style::new();
    let o = Some(obj);
    let url = ctx.text(o, base, "mediaUrl", Need::Required, plain);
    let over = ctx.text(o, base, "filenameOverride", filename, plain);
    let url_value = obj.get("mediaUrl").and_then(Value::as_str);
    let mut lines = Vec::with_capacity(4);
    let mut problems = Vec::new();
    // The name: filenameOverride, else the URL's last path segment.
    let name: Shown<'a> = match (&over, &url) {
        (Some(o), _) if !o.placeholder => o.clone(),
        (over, Some(u)) => {
            if let Some(o) = over {
                problems.push(o.clone());
            }
            match (u.placeholder, url_value.and_then(super::urls::file_name)) {
                (false, Some(n)) => {
                    let sev = ctx.severity(&base.key("mediaUrl"));
                    marked(n.into(), sev, plain, false)
                }
                _ => u.clone(),
            }
        }
        (Some(o), None) => o.clone(),
        (None, None) => Shown::plain("", plain),
    };
    if let (Some(o), Some(u)) = (&over, &url)
        && !o.placeholder
        && u.placeholder
    {
        problems.push(u.clone());
    }
    let kind_source: &str = match (obj.get("filenameOverride"), url_value) {
        (Some(Value::String(s)), _) if !s.is_empty() => s,
        (_, Some(u)) => url_path(u),
        _ => "",
    };
    lines.push(Shown::plain(
        MediaKind::from_name(kind_source).label(),
        theme::muted(),
    ));
    lines.push(name);
    lines.extend(problems);
    if let Some(need) = thumbnail
        && let Some(t) = ctx.text(o, base, "thumbnailUrl", need, theme::muted())
    {
        if t.placeholder {
            lines.push(t);
        } else {
            let host = obj
                .get("thumbnailUrl")
                .and_then(Value::as_str)
                .and_then(super::urls::host);
            let sev = ctx.severity(&base.key("thumbnailUrl"));
            let text = match host {
                Some(h) => Cow::Owned(format!("{}{h}", strings::THUMBNAIL)),
                None => t.text.clone(),
            };
            lines.push(marked(text, sev, theme::muted(), false));
        }
    }
    lines
}

/// The path of a URL without query or fragment (or the text itself).
fn url_path(s: &str) -> &str {
    s.split(['?', '#']).next().unwrap_or(s)
}

/// A shaded media area `w` by `rows` with `lines` centred in it.
pub(crate) fn media_area(
    c: &mut Canvas<'_>,
    x: i32,
    y: i32,
    w: usize,
    rows: u16,
    lines: &[Shown<'_>],
) {
    let rows = i32::from(rows);
    for r in 0..rows {
        c.fill(x, y + r, w, strings::MEDIA_FILL, theme::preview_media());
        c.reserve(y + r);
    }
    let n = lines.len().min(rows as usize) as i32;
    let top = y + (rows - n) / 2;
    let avail = w.saturating_sub(2);
    for (i, line) in lines.iter().take(n as usize).enumerate() {
        let tw = (measure::width(&line.text) + usize::from(line.cut)).min(avail);
        if tw == 0 {
            continue;
        }
        let lx = x + ((w - tw - 2) / 2) as i32;
        let row = top + i as i32;
        c.text(lx, row, " ", 1, Style::new());
        c.text_cut(lx + 1, row, &line.text, tw, line.cut, line.style);
        c.text(lx + 1 + tw as i32, row, " ", 1, Style::new());
    }
}

/// RCS_MEDIA: the media box, then the chips.
fn media_message(ctx: &Ctx<'_>, c: &mut Canvas<'_>, y: i32, obj: &Map<String, Value>) -> i32 {
    let root = FieldPath::root();
    let w = strings::CARD_WIDTH.min(c.width());
    let lines = media_lines(ctx, obj, &root, Some(Need::Required), Need::Required);
    let h = i32::from(strings::MEDIA_BOX_ROWS) + 2;
    let keys = ["mediaUrl", "thumbnailUrl", "filenameOverride"];
    let focused = keys.iter().any(|k| ctx.focused(&root.key(k)));
    let sev = keys.iter().filter_map(|k| ctx.severity(&root.key(k))).min();
    let size = (usize::from(w.saturating_sub(2)), strings::MEDIA_BOX_ROWS);
    super::image::media(ctx, c, (1, y + 1), size, &lines, (obj, &root), Fit::Whole);
    frame(c, 0, y, w, h, frame_style(sev, focused));
    if focused {
        c.mark_focus(y, y + h);
    }
    chips(ctx, c, y + h, obj, &root)
}

pub(crate) struct CardOpts {
    pub width: u16,
    pub carousel: bool,
    /// Rows the card takes at least, so that carousel cards line up.
    pub min_height: i32,
    pub frame: Style,
}

fn media_rows(height: Option<&str>) -> u16 {
    match height {
        Some("SHORT") => strings::MEDIA_ROWS_SHORT,
        Some("TALL") => strings::MEDIA_ROWS_TALL,
        _ => strings::MEDIA_ROWS_MEDIUM,
    }
}

/// A card at (`x`, `y`): media, title, description, buttons. Returns its height (the rows
/// it was drawn on), and the rows its content needs (its height with no `min_height`).
pub(crate) fn card(
    ctx: &Ctx<'_>,
    c: &mut Canvas<'_>,
    x: i32,
    y: i32,
    v: &Value,
    path: &FieldPath,
    opts: &CardOpts,
) -> (i32, i32) {
    let w = opts.width;
    let inner = usize::from(w.saturating_sub(2));
    let ix = x + 1;
    let mut row = y + 1;
    let Some(obj) = v.as_object() else {
        let text = strings::wrong_type("card", type_name(v));
        let s = marked(text.into(), Some(Severity::Error), Style::new(), true);
        row = paragraph(c, ix, row, inner, usize::MAX, &s.text, false, s.style);
        let bottom = row.max(y + opts.min_height - 1);
        frame(c, x, y, w, bottom - y + 1, opts.frame);
        return (bottom - y + 1, row - y + 1);
    };
    let o = Some(obj);

    // Media, as tall as `height` says.
    let height = obj.get("height").and_then(Value::as_str);
    let mut lines = media_lines(ctx, obj, path, Some(Need::Optional), Need::Optional);
    let hpath = path.key("height");
    if let Some(sev) = ctx.severity(&hpath) {
        let text: Cow<'_, str> = match obj.get("height") {
            Some(Value::String(s)) if !s.is_empty() => Cow::Borrowed(s.as_str()),
            _ => strings::missing("height").into(),
        };
        lines.push(marked(text, Some(sev), Style::new(), false));
    }
    let rows = media_rows(height);
    let fit = super::image::card_fit(opts.carousel, height);
    super::image::media(ctx, c, (ix, row), (inner, rows), &lines, (obj, path), fit);
    let media_keys = ["mediaUrl", "thumbnailUrl", "filenameOverride", "height"];
    if media_keys.iter().any(|k| ctx.focused(&path.key(k))) {
        c.mark_focus(row, row + i32::from(rows));
    }
    row += i32::from(rows);

    // Title and description.
    if let Some(t) = ctx.text(o, path, "title", Need::Required, theme::title()) {
        let top = row;
        let upto;
        (row, upto) = shown_paragraph(c, (ix, row), (inner, strings::CARD_TITLE_LINES), &t);
        ctx.read_text("title", &t, upto);
        if ctx.focused(&path.key("title")) {
            c.mark_focus(top, row);
        }
    }
    let desc_lines = if opts.carousel {
        strings::CAROUSEL_DESCRIPTION_LINES
    } else {
        strings::CARD_DESCRIPTION_LINES
    };
    if let Some(d) = ctx.text(o, path, "description", Need::Required, Style::new()) {
        let top = row;
        let upto;
        (row, upto) = shown_paragraph(c, (ix, row), (inner, desc_lines), &d);
        ctx.read_text("description", &d, upto);
        if ctx.focused(&path.key("description")) {
            c.mark_focus(top, row);
        }
    }

    // Buttons.
    let mut separator = None;
    let cpath = path.key("choices");
    match obj.get("choices") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) if list.is_empty() => {}
        Some(Value::Array(list)) => {
            separator = Some(row);
            row += 1;
            for (i, v) in list.iter().enumerate().take(strings::MAX_CARD_BUTTONS) {
                let p = cpath.index(i);
                let view = choice::view(ctx, v, &p);
                let focused = ctx.focused(&p);
                let top = row;
                row = button(c, ix, row, inner, &view, focused);
                let own = v.is_object();
                row = hidden_problems(
                    ctx,
                    c,
                    ix + 3,
                    row,
                    inner.saturating_sub(3),
                    &p,
                    CHOICE_SHOWN,
                    own,
                );
                if focused {
                    c.mark_focus(top, row);
                }
            }
            if list.len() > strings::MAX_CARD_BUTTONS {
                let text = strings::more_buttons(list.len() - strings::MAX_CARD_BUTTONS);
                let s = marked(text.into(), Some(Severity::Error), Style::new(), false);
                parts(c, ix, row, inner, &[s]);
                row += 1;
            }
        }
        Some(other) => {
            let text = strings::wrong_type("choices", type_name(other));
            let s = marked(text.into(), Some(Severity::Error), Style::new(), true);
            parts(c, ix, row, inner, &[s]);
            row += 1;
        }
    }
    if opts.carousel {
        row = hidden_problems(ctx, c, ix, row, inner, path, CARD_KEYS, true);
    }

    let bottom = row.max(y + opts.min_height - 1);
    let h = bottom - y + 1;
    frame(c, x, y, w, h, opts.frame);
    if let Some(s) = separator
        && w >= 2
    {
        c.text(x, s, "├", 1, opts.frame);
        c.fill(x + 1, s, inner, "─", opts.frame);
        c.text(x + i32::from(w) - 1, s, "┤", 1, opts.frame);
    }
    (h, row - y + 1)
}
