//! The form: one row per field, card, choice and list, with its marker, its value or the
//! text being typed, its counter, and the problems at it on the lines below.

use super::form_problems::{MessageLine, message_room};
use super::form_reach::{FormSeen, Reach};
use super::{MAX_INPUT_LINES, Mark, mark_style, mark_symbol};
use crate::text::visible;
use crate::tui::app::{App, ViewState};
use crate::tui::form::{self, RowKind};
use crate::tui::measure::{TextWidth, fit_ellipsis, wrap_lines};
use crate::tui::strings as s;
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use serde_json::Value;

/// The indent of a row, capped so deep carousel fields keep room for their values.
pub(super) fn indent(depth: u16) -> usize {
    (depth as usize * 2).min(8)
}

pub(super) fn draw_form(frame: &mut Frame, app: &App, view: &mut ViewState, area: Rect) {
    // Lines the frame before drew on the same rows are left there (the memo was begun with
    // the pane's inside, see `view::draw`).
    let inner = super::kept_pane_frame(
        frame.buffer_mut(),
        &mut view.lines.form_frame,
        area,
        Span::styled(s::PANE_FORM, theme::title()),
    );
    let width = inner.width as usize;
    let label_w = (width / 3).clamp(8, 18);

    // The height of each row: its line, a growing text input, and its problems' lines.
    let mut messages = view.form_problems.messages(app, width);
    let mut heights = Vec::with_capacity(app.form.rows.len());
    // The focused field's text in screen rows, wrapped once for its height and its cells.
    let mut input_rows = Vec::new();
    for (i, row) in app.form.rows.iter().enumerate() {
        let mut h = 1;
        let msgs = &mut messages[i];
        if i == app.form.focus
            && let Some(input) = &app.form.input
        {
            // The text wraps in the room beside the label; the row grows to show it.
            let counter_w = counter_width(row, row.path.get(&app.doc));
            let room = width
                .saturating_sub(indent(row.depth) + 2 + label_w + 1 + counter_w)
                .max(1);
            super::input::wrap(input.area.lines(), room, &mut input_rows);
            h = input_rows.len().clamp(1, MAX_INPUT_LINES);
        }
        // The focused field's hint (a date-time's format, a number's precision).
        if i == app.form.focus
            && let RowKind::Value(f) = row.kind
            && !f.hint.is_empty()
            && matches!(
                f.kind,
                crate::message::Kind::DateTime | crate::message::Kind::Number { .. }
            )
        {
            for l in wrap_lines(f.hint, message_room(row, width)) {
                msgs.push((None, false, l.into()));
            }
        }
        h += msgs.len();
        heights.push(h);
    }
    let total: usize = heights.iter().sum();
    let view_h = inner.height as usize;
    if view.follow_focus && !heights.is_empty() {
        let start: usize = heights[..app.form.focus.min(heights.len())].iter().sum();
        let end = start + heights.get(app.form.focus).copied().unwrap_or(1);
        if start < view.form_scroll {
            view.form_scroll = start;
        } else if end > view.form_scroll + view_h {
            view.form_scroll = end.saturating_sub(view_h).min(start);
        }
    }
    // A fold just opened: scroll so that what it holds shows, its own row kept in view.
    if let Some((first, last)) = view.show_rows.take()
        && last < heights.len()
        && first <= last
    {
        let start: usize = heights[..first].iter().sum();
        let end: usize = heights[..=last].iter().sum();
        if end > view.form_scroll + view_h {
            view.form_scroll = end.saturating_sub(view_h).min(start);
        }
    }
    view.form_scroll = view.form_scroll.min(total.saturating_sub(view_h));

    let mut form_lines = vec![None; view_h];
    let mut y = 0usize; // line position in the whole form
    let mut kept = std::mem::take(&mut view.form_rows);
    kept.resize_with(app.form.rows.len(), || None);
    let seen = FormSeen::of(app, width);
    let before = view.form_seen.replace(seen);
    let reach = Reach::since(app, before, seen);
    for (i, row) in app.form.rows.iter().enumerate() {
        let h = heights[i];
        if y + h <= view.form_scroll {
            y += h;
            continue;
        }
        if y >= view.form_scroll + view_h {
            break;
        }
        let focused = i == app.form.focus;
        let typing = focused && app.form.input.is_some();
        let input_h = if typing {
            heights[i] - messages[i].len()
        } else {
            1
        };
        // A row drawn on the frame before, out of the last change's reach and looking as
        // it did, is left as it was without finding its value and marks again.
        let untouched = kept[i].as_ref().is_some_and(|k| {
            before.is_some_and(|b| k.seen == b)
                && reach.leaves(&row.path)
                && k.look.focused == focused
                && k.look.typing == typing
                && k.look.input_h == input_h
                && k.messages == messages[i]
        });
        if !untouched {
            let own = app.problems.mark_at(&row.path).max(match row.kind {
                RowKind::Failover(_) => row.path.parent().and_then(|p| app.problems.mark_at(&p)),
                _ => None,
            });
            let inside = row.container().and_then(|c| app.problems.mark_inside(&c));
            let value = row.path.get(&app.doc);
            let inputs = RowInputs {
                row,
                look: RowLook {
                    focused,
                    typing,
                    mark: own.max(inside),
                    shown: shown_value(row, value, typing, width, label_w),
                    width,
                    label_w,
                    input_h,
                },
                messages: &messages[i],
            };
            // The row's lines as the frame before made them, when nothing they show
            // changed.
            if !kept[i].as_ref().is_some_and(|k| k.holds(&inputs)) {
                kept[i] = Some(KeptRow::new(&inputs, seen, row_lines(&inputs)));
            }
        }
        if let Some(k) = kept[i].as_mut() {
            k.seen = seen;
        }
        let (id, lines) = kept[i]
            .as_ref()
            .map_or((0, &[][..]), |k| (k.id, &k.lines[..]));
        for (k, line) in lines.iter().enumerate() {
            let ly = y + k;
            if ly < view.form_scroll || ly >= view.form_scroll + view_h {
                continue;
            }
            form_lines[ly - view.form_scroll] = Some(i);
            view.lines.form.set_kept_line(
                frame.buffer_mut(),
                ly - view.form_scroll,
                line,
                Some((id, k)),
            );
        }
        // The text input sits where the value goes.
        if typing
            && let (Some(input), Some(vx)) = (&app.form.input, value_at(row, label_w))
            && y >= view.form_scroll
        {
            let counter_w = counter_width(row, row.path.get(&app.doc));
            let sy = inner.y + (y - view.form_scroll) as u16;
            let w = width.saturating_sub(vx + counter_w) as u16;
            let visible_h = (input_h as u16).min(inner.y + inner.height - sy);
            if w > 0 && visible_h > 0 {
                let r = Rect::new(inner.x + vx as u16, sy, w, visible_h);
                let ratatui_textarea::DataCursor(line, col) = input.area.cursor();
                let top = view.input_top.scrolled(
                    input.id,
                    super::input::cursor_row(&input_rows, (line, col)),
                    usize::from(visible_h),
                );
                super::input::draw(
                    frame.buffer_mut(),
                    r,
                    input.area.lines(),
                    &input_rows,
                    (line, col),
                    top,
                );
                let first = usize::from(sy - inner.y);
                view.lines
                    .form
                    .overdrawn(first..first + usize::from(visible_h));
            }
        }
        y += h;
    }
    view.form_rows = kept;
    view.lines.form.end(frame.buffer_mut());
    view.geometry.form = inner;
    view.geometry.form_lines = form_lines;
}

/// Columns the `23/25` counter takes at the end of a row (none while the field is absent).
fn counter_width(row: &form::Row, value: Option<&Value>) -> usize {
    match row.kind {
        RowKind::Value(f) => form::counter(f, value)
            .filter(|_| value.is_some())
            .map_or(0, |(l, m)| format!(" {l}/{m}").width()),
        _ => 0,
    }
}

/// What a row of the form shows of its value: only what can show, so that it costs no more
/// than the room it has (a value may be megabytes long).
#[derive(Debug, Clone, PartialEq)]
enum ShownValue {
    /// A value's start (`None`: absent) and its `23/25` counter. Nothing while typed in: the
    /// text input is drawn there.
    Text {
        start: Option<String>,
        counter: Option<(usize, usize)>,
    },
    /// An unknown key's value as JSON, its start.
    Json(String),
    /// A failover's toggle.
    Toggle(bool),
    /// A card's or a choice's summary, its start.
    Summary(String),
    Nothing,
}

/// What a row's own line shows, but for the row itself and its problems' lines.
#[derive(Debug, Clone, PartialEq)]
struct RowLook {
    focused: bool,
    /// Focused with the text input open.
    typing: bool,
    mark: Option<Mark>,
    shown: ShownValue,
    width: usize,
    label_w: usize,
    /// Lines the text input takes.
    input_h: usize,
}

/// Everything a row's lines are made of.
struct RowInputs<'a> {
    row: &'a form::Row,
    look: RowLook,
    /// The problems' lines below the row.
    messages: &'a [MessageLine],
}

/// A row's lines kept between frames with what they were made of: on a keystroke, only
/// the rows it changed are made again.
pub struct KeptRow {
    /// Names these lines on the screen's memo (see `LineMemo::set_kept_line`): no other
    /// kept row has it.
    id: u64,
    /// The frame it was last drawn on, as what that frame's rows were made under.
    seen: FormSeen,
    row: form::Row,
    look: RowLook,
    messages: Vec<MessageLine>,
    lines: Vec<Line<'static>>,
}

impl KeptRow {
    fn new(i: &RowInputs<'_>, seen: FormSeen, lines: Vec<Line<'static>>) -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        KeptRow {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            seen,
            row: i.row.clone(),
            look: i.look.clone(),
            messages: i.messages.to_vec(),
            lines,
        }
    }

    /// True when these lines are what `i` makes.
    fn holds(&self, i: &RowInputs<'_>) -> bool {
        self.look == i.look && self.messages == i.messages && self.row == *i.row
    }
}

/// The room a value has on its row: after the indent, the marker, the label and a space,
/// before the counter.
fn value_room(row: &form::Row, width: usize, label_w: usize, counter_w: usize) -> usize {
    width.saturating_sub(indent(row.depth) + 2 + label_w + 1 + counter_w)
}

/// Where the value (or the text input) starts on a value's row.
fn value_at(row: &form::Row, label_w: usize) -> Option<usize> {
    matches!(row.kind, RowKind::Value(_)).then(|| indent(row.depth) + 2 + label_w + 1)
}

fn shown_value(
    row: &form::Row,
    value: Option<&Value>,
    typing: bool,
    width: usize,
    label_w: usize,
) -> ShownValue {
    match &row.kind {
        RowKind::Value(f) => {
            let counter = form::counter(f, value).filter(|_| value.is_some());
            let counter_w = counter.map_or(0, |(l, m)| format!(" {l}/{m}").width());
            let room = value_room(row, width, label_w, counter_w);
            ShownValue::Text {
                start: if typing {
                    None
                } else {
                    form::display_prefix(value, room + 1)
                },
                counter,
            }
        }
        RowKind::Unknown => ShownValue::Json(
            value
                .map(|v| form::json_prefix(v, width * 4))
                .unwrap_or_default(),
        ),
        RowKind::Failover(_) => ShownValue::Toggle(value.and_then(Value::as_bool) == Some(true)),
        RowKind::Item { list, .. } => {
            ShownValue::Summary(form::summary(*list, value.unwrap_or(&Value::Null), width))
        }
        _ => ShownValue::Nothing,
    }
}

/// A row's lines: its own, the lines the text input grows to, and its problems'.
fn row_lines(i: &RowInputs<'_>) -> Vec<Line<'static>> {
    let (row, width, label_w) = (i.row, i.look.width, i.look.label_w);
    let ind = indent(row.depth);
    let mut spans: Vec<Span<'static>> = Vec::with_capacity(8);
    spans.push(Span::raw(" ".repeat(ind)));
    match i.look.mark {
        Some(m) => spans.push(Span::styled(format!("{} ", mark_symbol(m)), mark_style(m))),
        None => spans.push(Span::raw("  ")),
    }
    let label_style = {
        let base = i.look.mark.map(mark_style).unwrap_or_default();
        if i.look.focused {
            base.patch(theme::focus())
        } else {
            base
        }
    };
    let mut right: Option<Span> = None;
    match (&row.kind, &i.look.shown) {
        (RowKind::Value(f), ShownValue::Text { start, counter }) => {
            spans.push(Span::styled(
                format!("{:<label_w$}", fit_ellipsis(f.label, label_w)),
                label_style,
            ));
            spans.push(Span::raw(" "));
            let counter_w = counter.map_or(0, |(l, m)| format!(" {l}/{m}").width());
            let room = value_room(row, width, label_w, counter_w);
            if !i.look.typing {
                match start {
                    Some(v) => {
                        let mut v = visible(v);
                        if row.is_picker() {
                            v.push_str(" ▾");
                        }
                        spans.push(Span::raw(fit_ellipsis(&v, room)));
                    }
                    None => {
                        let hint = if row.is_picker() {
                            "choose ▾"
                        } else if f.hint.is_empty() {
                            s::EMPTY
                        } else {
                            f.hint
                        };
                        spans.push(Span::styled(fit_ellipsis(hint, room), theme::muted()));
                    }
                }
            }
            if let Some((len, max)) = *counter {
                let st = if len > max {
                    theme::error()
                } else if len * 10 >= max * 9 {
                    theme::warning()
                } else {
                    theme::muted()
                };
                right = Some(Span::styled(format!(" {len}/{max}"), st));
            }
        }
        (RowKind::Raw(f), _) => {
            spans.push(Span::styled(
                format!("{:<label_w$}", fit_ellipsis(f.label, label_w)),
                label_style,
            ));
            let note = if matches!(f.kind, crate::message::Kind::Failover(_)) {
                s::NOT_AN_OBJECT
            } else {
                s::NOT_A_LIST
            };
            spans.push(Span::styled(format!(" {note}"), theme::muted()));
        }
        (RowKind::Unknown, shown) => {
            spans.push(Span::styled(
                format!("{:<label_w$}", fit_ellipsis(&row.label(), label_w)),
                label_style,
            ));
            let v = match shown {
                ShownValue::Json(v) => v.as_str(),
                _ => "",
            };
            spans.push(Span::styled(
                format!(" {} ({})", visible(v), s::UNKNOWN_KEY),
                theme::muted(),
            ));
        }
        (RowKind::Failover(_), shown) => {
            spans.push(Span::styled(
                format!("{:<label_w$}", fit_ellipsis(&row.label(), label_w)),
                label_style.patch(theme::title()),
            ));
            let on = matches!(shown, ShownValue::Toggle(true));
            spans.push(Span::raw(format!(" {}", if on { s::ON } else { s::OFF })));
        }
        (RowKind::ListHeader { .. }, _) => {
            spans.push(Span::styled(row.label(), label_style.patch(theme::title())));
        }
        (RowKind::Item { folded, .. }, shown) => {
            spans.push(Span::styled(
                format!("{} {}", if *folded { "▸" } else { "▾" }, row.label()),
                label_style.patch(theme::title()),
            ));
            // Cut to the room it has: the row is then the same while typing past it.
            let summary = match shown {
                ShownValue::Summary(v) => v.as_str(),
                _ => "",
            };
            let used: usize = spans.iter().map(Span::width).sum();
            let room = width.saturating_sub(used + 2);
            spans.push(Span::styled(
                format!("  {}", fit_ellipsis(&visible(summary), room)),
                theme::muted(),
            ));
        }
        (RowKind::AddItem { len, max, .. }, _) => {
            let full = max.is_some_and(|m| *len >= m);
            let st = if i.look.focused {
                theme::focus()
            } else if full {
                theme::muted()
            } else {
                theme::key_hint()
            };
            spans.push(Span::styled(row.label(), st));
        }
        (RowKind::Note(text), _) => {
            spans.push(Span::styled(*text, theme::warning()));
        }
        // A value's row is always shown as text (see `shown_value`).
        (RowKind::Value(_), _) => {}
    }
    let mut lines: Vec<Line<'static>> = Vec::with_capacity(i.look.input_h + i.messages.len());
    let mut first = Line::from(spans);
    if let Some(r) = right {
        let used = first.width();
        let rw = r.width();
        if used + rw < width {
            first.spans.push(Span::raw(" ".repeat(width - used - rw)));
        }
        first.spans.push(r);
    }
    lines.push(first);
    for _ in 1..i.look.input_h {
        lines.push(Line::raw(""));
    }
    for (m, first, text) in i.messages {
        lines.push(match m {
            Some(m) => Line::from(vec![
                Span::raw(" ".repeat(ind + 2)),
                Span::styled(
                    if *first {
                        format!("{} ", mark_symbol(*m))
                    } else {
                        "  ".to_string()
                    },
                    mark_style(*m),
                ),
                Span::styled(text.to_string(), mark_style(*m)),
            ]),
            None => Line::from(vec![
                Span::raw(" ".repeat(ind + 4)),
                Span::styled(text.to_string(), theme::muted()),
            ]),
        });
    }
    lines
}
