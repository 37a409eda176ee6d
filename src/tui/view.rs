//! Drawing: the status bar, the form, the preview, the problems pane, the message line and
//! the footer of keys, and the overlays. Reads the app; writes back only where things were
//! drawn (for the mouse) and the form's scroll position.

use super::app::{App, BrowseMode, Overlay, Side};
use super::form::{self, RowKind};
use super::keymap::{self, Context};
use super::preview::Preview;
use super::problems::Mark;
use super::send_view;
use super::strings::{self as s, KEYS, When};
use super::theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use serde_json::Value;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Below this the composer says so instead of drawing.
pub const MIN_WIDTH: u16 = 64;
pub const MIN_HEIGHT: u16 = 16;
/// Most lines a text field being typed in grows to.
const MAX_INPUT_LINES: usize = 5;

pub fn draw(frame: &mut Frame, app: &mut App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        app.geometry = Default::default();
        let p = Paragraph::new(s::too_small(area.width, area.height, MIN_WIDTH, MIN_HEIGHT))
            .style(theme::warning())
            .wrap(Wrap { trim: true });
        frame.render_widget(p, area);
        return;
    }
    // Plain arithmetic rather than the constraint solver: this runs on every keystroke.
    let (x, w) = (area.x, area.width);
    let top = Rect::new(x, area.y, w, 1);
    let footer = Rect::new(x, area.bottom() - 1, w, 1);
    let status = Rect::new(x, area.bottom() - 2, w, 1);
    let main = Rect::new(x, area.y + 1, w, area.height - 3);
    let problem_lines = app.problems.len().max(1) as u16 + 2;
    let max_problems = (main.height / 3).max(3);
    let ph = problem_lines.min(max_problems);
    let body = Rect::new(x, main.y, w, main.height - ph);
    let problems = Rect::new(x, main.y + body.height, w, ph);
    let share = if body.width < 120 { 60 } else { 55 };
    let form_w = (body.width * share / 100).max(44).min(body.width);
    let form_area = Rect::new(x, body.y, form_w, body.height);
    let preview_area = Rect::new(x + form_w, body.y, w - form_w, body.height);

    draw_top(frame, app, top);
    draw_form(frame, app, form_area);
    match app.side {
        Side::Preview => draw_preview(frame, app, preview_area),
        Side::Send => send_view::draw_send(frame, app, preview_area),
        Side::Deliveries => send_view::draw_deliveries(frame, app, preview_area),
    }
    draw_problems(frame, app, problems);
    draw_status(frame, app, status);
    draw_footer(frame, app, footer);
    match &app.overlay {
        Some(Overlay::Help { .. }) => draw_help(frame, app, area),
        Some(Overlay::Picker(_)) => draw_picker(frame, app, area),
        Some(Overlay::Drafts(_)) => draw_drafts(frame, app, area),
        Some(Overlay::Confirm(_)) => send_view::draw_confirm(frame, app, area),
        Some(Overlay::History { .. }) => send_view::draw_history(frame, app, area),
        Some(Overlay::Profiles { .. }) => send_view::draw_profiles(frame, app, area),
        None => {}
    }
}

fn mark_style(m: Mark) -> Style {
    match m {
        Mark::Error => theme::error(),
        Mark::Warning => theme::warning(),
        Mark::Server => theme::server(),
    }
}

fn mark_symbol(m: Mark) -> &'static str {
    match m {
        Mark::Error => theme::MARK_ERROR,
        Mark::Warning => theme::MARK_WARNING,
        Mark::Server => theme::MARK_SERVER,
    }
}

fn draw_top(frame: &mut Frame, app: &App, area: Rect) {
    let name = app
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mt = app
        .doc
        .get("messageType")
        .and_then(Value::as_str)
        .unwrap_or("?");
    let (state, state_style) = if !app.on_disk && app.generation == 0 {
        (s::NOT_ON_DISK, theme::muted())
    } else if app.unsaved() {
        (s::UNSAVED, theme::warning())
    } else {
        (s::SAVED, theme::ok())
    };
    // The profile and the draft's state always show. When space is short, the app's name
    // goes first, then the word "profile", and last the file name is shortened.
    let label = crate::text::visible(&app.profile_label());
    let sending = app.send.in_flight().is_some();
    let full = format!(
        "{}{}: {label} ",
        if sending {
            format!("{} │ ", s::SENDING_SHORT)
        } else {
            String::new()
        },
        s::PROFILE
    );
    let short = format!("{}{label} ", if sending { "sending… │ " } else { "" });
    // A messageType may be any string, megabytes long: only the start can show.
    let mt = crate::text::visible(&mt.chars().take(40).collect::<String>());
    let name = crate::text::visible(&name);
    let width = area.width as usize;
    let app_name = format!(" {} │", s::APP);
    let rest = format!("  │ {mt} │ {state} ",).width() + name.width();
    let (show_app, right) = if app_name.width() + rest + full.width() <= width {
        (true, full)
    } else if rest + full.width() <= width {
        (false, full)
    } else if rest + short.width() <= width {
        (false, short)
    } else {
        (false, fit(&short, (width / 2).max(8)))
    };
    let rw = right.width().min(width);
    let name = fit(&name, width.saturating_sub(rest - name.width() + rw).max(1));
    let mut spans = Vec::new();
    if show_app {
        spans.push(Span::styled(format!(" {} ", s::APP), theme::title()));
        spans.push(Span::raw("│"));
    }
    spans.extend([
        Span::raw(" "),
        Span::styled(name, theme::title()),
        Span::raw(" │ "),
        Span::raw(mt),
        Span::raw(" │ "),
        Span::styled(state, state_style),
    ]);
    let left = Line::from(spans);
    let lr = Rect::new(area.x, area.y, area.width - rw as u16, 1);
    frame.render_widget(Paragraph::new(left), lr);
    let r = Rect::new(area.x + area.width - rw as u16, area.y, rw as u16, 1);
    let style = if sending {
        theme::warning()
    } else {
        theme::muted()
    };
    frame.render_widget(Paragraph::new(right).style(style), r);
}

/// Cuts `text` to `width` columns, with `…` when cut.
pub(super) fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Splits `text` into lines of at most `width` columns.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut w = 0;
    for word in text.split(' ') {
        let ww = word.width();
        if w > 0 && w + 1 + ww > width {
            lines.push(std::mem::take(&mut cur));
            w = 0;
        }
        if w > 0 {
            cur.push(' ');
            w += 1;
        }
        if ww > width {
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if w + cw > width {
                    lines.push(std::mem::take(&mut cur));
                    w = 0;
                }
                cur.push(c);
                w += cw;
            }
        } else {
            cur.push_str(word);
            w += ww;
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// The indent of a row, capped so deep carousel fields keep room for their values.
fn indent(depth: u16) -> usize {
    (depth as usize * 2).min(8)
}

fn draw_form(frame: &mut Frame, app: &mut App, area: Rect) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(s::PANE_FORM, theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let label_w = (width / 3).clamp(8, 18);

    // The height of each row: its line, a growing text input, and its problems' lines.
    let mut heights = Vec::with_capacity(app.rows.len());
    let mut messages: Vec<Vec<(Option<Mark>, bool, String)>> = Vec::with_capacity(app.rows.len());
    for (i, row) in app.rows.iter().enumerate() {
        let mut h = 1;
        if i == app.focus
            && let Some(input) = &app.input
        {
            // The text wraps in the room beside the label; the row grows to show it.
            let counter_w = counter_width(row, row.path.get(&app.doc));
            let room = width
                .saturating_sub(indent(row.depth) + 2 + label_w + 1 + counter_w)
                .max(1);
            let wrapped: usize = input
                .area
                .lines()
                .iter()
                .map(|l| (l.width() + 1).div_ceil(room).max(1))
                .sum();
            h = wrapped.clamp(1, MAX_INPUT_LINES);
        }
        let mut msgs = Vec::new();
        let avail = width.saturating_sub(indent(row.depth) + 4);
        for p in app.problems.at(&row.path).chain(
            row.path
                .parent()
                .filter(|_| matches!(row.kind, RowKind::Failover(_)))
                .iter()
                .flat_map(|pp| app.problems.at(pp)),
        ) {
            for (k, l) in wrap(&crate::text::visible(&p.message), avail)
                .into_iter()
                .enumerate()
            {
                // Continuation lines carry no marker of their own.
                msgs.push((Some(p.mark), k == 0, l));
            }
        }
        // The focused field's hint (a date-time's format, a number's precision).
        if i == app.focus
            && let RowKind::Value(f) = row.kind
            && !f.hint.is_empty()
            && matches!(
                f.kind,
                crate::message::Kind::DateTime | crate::message::Kind::Number { .. }
            )
        {
            for l in wrap(f.hint, avail) {
                msgs.push((None, false, l));
            }
        }
        h += msgs.len();
        heights.push(h);
        messages.push(msgs);
    }
    let total: usize = heights.iter().sum();
    let view_h = inner.height as usize;
    if app.follow_focus && !heights.is_empty() {
        let start: usize = heights[..app.focus.min(heights.len())].iter().sum();
        let end = start + heights.get(app.focus).copied().unwrap_or(1);
        if start < app.form_scroll {
            app.form_scroll = start;
        } else if end > app.form_scroll + view_h {
            app.form_scroll = end.saturating_sub(view_h).min(start);
        }
    }
    app.form_scroll = app.form_scroll.min(total.saturating_sub(view_h));

    let mut form_lines = vec![None; view_h];
    let mut y = 0usize; // line position in the whole form
    for (i, row) in app.rows.iter().enumerate() {
        let h = heights[i];
        if y + h <= app.form_scroll {
            y += h;
            continue;
        }
        if y >= app.form_scroll + view_h {
            break;
        }
        let focused = i == app.focus;
        let ind = indent(row.depth);
        let own = app.problems.mark_at(&row.path).max(match row.kind {
            RowKind::Failover(_) => row.path.parent().and_then(|p| app.problems.mark_at(&p)),
            _ => None,
        });
        let inside = row.container().and_then(|c| app.problems.mark_inside(&c));
        let mark = own.max(inside);
        let mut spans: Vec<Span> = Vec::with_capacity(8);
        spans.push(Span::raw(" ".repeat(ind)));
        match mark {
            Some(m) => spans.push(Span::styled(format!("{} ", mark_symbol(m)), mark_style(m))),
            None => spans.push(Span::raw("  ")),
        }
        let label_style = {
            let base = mark.map(mark_style).unwrap_or_default();
            if focused {
                base.patch(theme::focus())
            } else {
                base
            }
        };
        let value = row.path.get(&app.doc);
        let mut value_at: Option<usize> = None;
        let mut right: Option<Span> = None;
        match &row.kind {
            RowKind::Value(f) => {
                spans.push(Span::styled(
                    format!("{:<label_w$}", fit(f.label, label_w)),
                    label_style,
                ));
                spans.push(Span::raw(" "));
                value_at = Some(ind + 2 + label_w + 1);
                let counter_w = counter_width(row, value);
                let room = width.saturating_sub(ind + 2 + label_w + 1 + counter_w);
                if !(focused && app.input.is_some()) {
                    match form::display_prefix(value, room + 1) {
                        Some(v) => {
                            let mut v = crate::text::visible(&v);
                            if row.is_picker() {
                                v.push_str(" ▾");
                            }
                            spans.push(Span::raw(fit(&v, room)));
                        }
                        None => {
                            let hint = if row.is_picker() {
                                "choose ▾"
                            } else if f.hint.is_empty() {
                                s::EMPTY
                            } else {
                                f.hint
                            };
                            spans.push(Span::styled(fit(hint, room), theme::muted()));
                        }
                    }
                }
                if let Some((len, max)) = form::counter(f, value).filter(|_| value.is_some()) {
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
            RowKind::Raw(f) => {
                spans.push(Span::styled(
                    format!("{:<label_w$}", fit(f.label, label_w)),
                    label_style,
                ));
                let note = if matches!(f.kind, crate::message::Kind::Failover(_)) {
                    s::NOT_AN_OBJECT
                } else {
                    s::NOT_A_LIST
                };
                spans.push(Span::styled(format!(" {note}"), theme::muted()));
            }
            RowKind::Unknown => {
                spans.push(Span::styled(
                    format!("{:<label_w$}", fit(&row.label(), label_w)),
                    label_style,
                ));
                // Only what fits: an unknown key may hold megabytes.
                let v = value
                    .map(|v| form::json_prefix(v, width * 4))
                    .unwrap_or_default();
                spans.push(Span::styled(
                    format!(" {} ({})", crate::text::visible(&v), s::UNKNOWN_KEY),
                    theme::muted(),
                ));
            }
            RowKind::Failover(_) => {
                spans.push(Span::styled(
                    format!("{:<label_w$}", fit(&row.label(), label_w)),
                    label_style.patch(theme::title()),
                ));
                let on = value.and_then(Value::as_bool) == Some(true);
                spans.push(Span::raw(format!(" {}", if on { s::ON } else { s::OFF })));
            }
            RowKind::ListHeader { .. } => {
                spans.push(Span::styled(row.label(), label_style.patch(theme::title())));
            }
            RowKind::Item {
                folded, summary, ..
            } => {
                spans.push(Span::styled(
                    format!("{} {}", if *folded { "▸" } else { "▾" }, row.label()),
                    label_style.patch(theme::title()),
                ));
                spans.push(Span::styled(
                    format!("  {}", crate::text::visible(summary)),
                    theme::muted(),
                ));
            }
            RowKind::AddItem { len, max, .. } => {
                let full = max.is_some_and(|m| *len >= m);
                let st = if focused {
                    theme::focus()
                } else if full {
                    theme::muted()
                } else {
                    theme::key_hint()
                };
                spans.push(Span::styled(row.label(), st));
            }
            RowKind::Note(text) => {
                spans.push(Span::styled(*text, theme::warning()));
            }
        }
        // Lay the row out line by line, skipping lines scrolled out of view.
        let mut lines: Vec<Line> = Vec::with_capacity(h);
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
        let input_h = if focused && app.input.is_some() {
            heights[i] - messages[i].len()
        } else {
            1
        };
        for _ in 1..input_h {
            lines.push(Line::raw(""));
        }
        for (m, first, text) in &messages[i] {
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
                    Span::styled(text.clone(), mark_style(*m)),
                ]),
                None => Line::from(vec![
                    Span::raw(" ".repeat(ind + 4)),
                    Span::styled(text.clone(), theme::muted()),
                ]),
            });
        }
        for (k, line) in lines.into_iter().enumerate() {
            let ly = y + k;
            if ly < app.form_scroll || ly >= app.form_scroll + view_h {
                continue;
            }
            let sy = inner.y + (ly - app.form_scroll) as u16;
            form_lines[ly - app.form_scroll] = Some(i);
            frame.buffer_mut().set_line(inner.x, sy, &line, inner.width);
        }
        // The text input sits where the value goes.
        if focused
            && let (Some(input), Some(vx)) = (&app.input, value_at)
            && y >= app.form_scroll
        {
            let counter_w = counter_width(row, value);
            let sy = inner.y + (y - app.form_scroll) as u16;
            let w = width.saturating_sub(vx + counter_w) as u16;
            let visible_h = (input_h as u16).min(inner.y + inner.height - sy);
            if w > 0 && visible_h > 0 {
                let r = Rect::new(inner.x + vx as u16, sy, w, visible_h);
                frame.render_widget(&input.area, r);
            }
        }
        y += h;
    }
    app.geometry.form = inner;
    app.geometry.form_lines = form_lines;
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

fn draw_preview(frame: &mut Frame, app: &mut App, area: Rect) {
    if area.width < 4 {
        app.geometry.preview = Rect::default();
        return;
    }
    let title = if app.preview.show_fallback {
        s::PANE_PREVIEW_FALLBACK
    } else {
        s::PANE_PREVIEW_RCS
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let focus = app.rows.get(app.focus).map(|r| r.path.clone());
    let widget = Preview {
        doc: &app.doc,
        report: &app.report,
        focus: focus.as_ref(),
    };
    frame.render_stateful_widget(widget, inner, &mut app.preview);
    app.geometry.preview = inner;
}

fn draw_problems(frame: &mut Frame, app: &mut App, area: Rect) {
    let (e, w, sv) = app.problems.counts();
    let title_style = if e > 0 {
        theme::error()
    } else if w > 0 {
        theme::warning()
    } else {
        theme::ok()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(s::problems_title(e, w, sv), title_style));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    app.geometry.problems = inner;
    app.geometry.problem_lines.clear();
    if app.problems.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(s::NO_PROBLEMS, theme::ok())),
            inner,
        );
        return;
    }
    let n = app.problems.len();
    let h = inner.height as usize;
    app.problems_scroll = app.problems_scroll.min(n.saturating_sub(h));
    let focus_path = app.rows.get(app.focus).map(|r| r.path.clone());
    let width = inner.width as usize;
    // When not all fit, the last line says how many more there are.
    let more = n - app.problems_scroll > h;
    let shown = if more { h.saturating_sub(1) } else { h };
    if more {
        let rest = n - app.problems_scroll - shown;
        let r = Rect::new(inner.x, inner.y + shown as u16, inner.width, 1);
        frame.render_widget(
            Paragraph::new(Span::styled(s::more_problems(rest), theme::muted())),
            r,
        );
    }
    for (line, i) in (app.problems_scroll..n).take(shown).enumerate() {
        let Some(p) = app.problems.get(i) else { break };
        let path = p.path.to_string();
        let path = if path.is_empty() {
            "(body)".into()
        } else {
            path
        };
        let st = mark_style(p.mark);
        let here = focus_path.as_ref() == Some(&p.path);
        let text = fit(
            &format!(
                "{}  {}",
                crate::text::visible(&path),
                crate::text::visible(&p.message)
            ),
            width.saturating_sub(2),
        );
        let (path_part, msg_part) = match text.find("  ") {
            Some(k) => (text[..k].to_string(), text[k..].to_string()),
            None => (text.clone(), String::new()),
        };
        let mut l = Line::from(vec![
            Span::styled(format!("{} ", mark_symbol(p.mark)), st),
            Span::styled(path_part, st),
            Span::raw(msg_part),
        ]);
        if here {
            l = l.patch_style(theme::focus());
        }
        let r = Rect::new(inner.x, inner.y + line as u16, inner.width, 1);
        frame.buffer_mut().set_line(r.x, r.y, &l, r.width);
        app.geometry.problem_lines.push(i);
    }
}

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    if let Some(st) = &app.status {
        let style = if st.is_error {
            theme::error()
        } else {
            Style::default()
        };
        frame.render_widget(
            Paragraph::new(fit(&crate::text::one_line(&st.text), area.width as usize)).style(style),
            area,
        );
    }
}

fn when_applies(w: When, ctx: Context) -> bool {
    match w {
        When::Always => matches!(
            ctx,
            Context::Text
                | Context::Picker
                | Context::Toggle
                | Context::Item
                | Context::Other
                | Context::Pane
        ),
        When::Form => matches!(
            ctx,
            Context::Text | Context::Picker | Context::Toggle | Context::Item | Context::Other
        ),
        When::Text => ctx == Context::Text,
        When::Picker => ctx == Context::Picker,
        When::Toggle => ctx == Context::Toggle,
        When::Item => ctx == Context::Item,
        When::Drafts => ctx == Context::Drafts,
        When::PickerOpen => ctx == Context::PickerOpen,
        When::Pane => ctx == Context::Pane,
        When::History => ctx == Context::History,
        When::Profiles => ctx == Context::Profiles,
    }
}

fn draw_footer(frame: &mut Frame, app: &App, area: Rect) {
    let ctx = keymap::context(app);
    let mut spans = Vec::new();
    let mut used = 0usize;
    let width = area.width as usize;
    // Context keys first, then the ones that apply everywhere.
    let ordered = KEYS
        .iter()
        .filter(|k| k.footer && k.when != When::Always && when_applies(k.when, ctx))
        .chain(
            KEYS.iter()
                .filter(|k| k.footer && k.when == When::Always && when_applies(k.when, ctx)),
        );
    let help_only = ctx == Context::Help;
    for k in ordered {
        let w = k.keys.width() + 1 + k.what.width() + 2;
        if used + w > width {
            break;
        }
        spans.push(Span::styled(k.keys, theme::key_hint()));
        spans.push(Span::raw(format!(" {}  ", k.what)));
        used += w;
    }
    if help_only {
        spans = vec![
            Span::styled("↑ ↓", theme::key_hint()),
            Span::raw(" scroll  "),
            Span::styled("Esc", theme::key_hint()),
            Span::raw(" close"),
        ];
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub(super) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn draw_help(frame: &mut Frame, app: &App, area: Rect) {
    let Some(Overlay::Help { scroll }) = &app.overlay else {
        return;
    };
    let r = centered(
        area,
        area.width.saturating_sub(2).min(100),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(s::HELP_TITLE, theme::title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut lines = Vec::new();
    let groups = [
        When::Always,
        When::Form,
        When::Text,
        When::Picker,
        When::Toggle,
        When::Item,
        When::PickerOpen,
        When::Drafts,
        When::Pane,
        When::History,
        When::Profiles,
    ];
    for w in groups {
        lines.push(Line::from(Span::styled(
            s::when_label(w).to_string(),
            theme::title(),
        )));
        for k in KEYS.iter().filter(|k| k.when == w) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<18}", k.keys), theme::key_hint()),
                Span::raw(k.what),
            ]));
        }
    }
    let max_scroll = (lines.len() as u16).saturating_sub(inner.height);
    frame.render_widget(
        Paragraph::new(lines).scroll(((*scroll).min(max_scroll), 0)),
        inner,
    );
}

fn draw_picker(frame: &mut Frame, app: &mut App, area: Rect) {
    let Some(Overlay::Picker(p)) = &app.overlay else {
        return;
    };
    let w = p.options.iter().map(|o| o.len()).max().unwrap_or(10) as u16 + 8;
    let w = w.max(p.title.len() as u16 + 4);
    let r = centered(area, w, p.options.len() as u16 + 2);
    frame.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(p.title, theme::title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let lines: Vec<Line> = p
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            if i == p.selected {
                Line::from(Span::styled(format!("› {o}"), theme::focus()))
            } else {
                Line::from(format!("  {o}"))
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
    app.geometry.overlay_list = inner;
    app.geometry.overlay_first = 0;
}

fn draw_drafts(frame: &mut Frame, app: &mut App, area: Rect) {
    let Some(Overlay::Drafts(b)) = &app.overlay else {
        return;
    };
    let r = centered(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, r);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!("{} — {}", s::DRAFTS_TITLE, app.drafts_dir.display()),
        theme::title(),
    ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    if inner.height < 2 {
        return;
    }
    let [list, bottom] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let mut lines = Vec::new();
    if b.items.is_empty() {
        lines.push(Line::from(Span::styled(s::DRAFTS_EMPTY, theme::muted())));
    }
    let h = list.height as usize;
    let first = b.selected.saturating_sub(h.saturating_sub(1));
    for (i, d) in b.items.iter().enumerate().skip(first).take(h) {
        let modified = d
            .modified
            .and_then(|m| jiff::Timestamp::try_from(m).ok())
            .map(|t| t.strftime("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        let (valid, vst) = match d.valid {
            Some(true) => (s::VALID, theme::ok()),
            Some(false) => (s::INVALID, theme::error()),
            None => (s::UNREADABLE, theme::warning()),
        };
        let open = if d.path == app.path { "*" } else { " " };
        let name_w = (inner.width as usize).saturating_sub(48).max(8);
        let mut l = Line::from(vec![
            Span::raw(format!("{open} ")),
            Span::raw(format!(
                "{:<name_w$} ",
                fit(&crate::text::visible(&d.name), name_w)
            )),
            Span::raw(format!(
                "{:<13} ",
                fit(
                    &crate::text::visible(d.message_type.as_deref().unwrap_or("?")),
                    13
                )
            )),
            Span::styled(format!("{modified:<17} "), theme::muted()),
            Span::styled(valid, vst),
        ]);
        if i == b.selected {
            l = l.patch_style(theme::focus());
        }
        lines.push(l);
    }
    frame.render_widget(Paragraph::new(lines), list);
    app.geometry.overlay_list = if b.items.is_empty() {
        Rect::default()
    } else {
        list
    };
    app.geometry.overlay_first = first;
    match &b.mode {
        BrowseMode::List => {}
        BrowseMode::ConfirmDelete => {
            let name = b
                .items
                .get(b.selected)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            frame.render_widget(
                Paragraph::new(s::confirm_delete(&crate::text::visible(&name)))
                    .style(theme::warning()),
                bottom,
            );
        }
        BrowseMode::Rename(area_) => {
            let pw = s::RENAME_PROMPT.width() as u16;
            frame.render_widget(Paragraph::new(s::RENAME_PROMPT), bottom);
            if bottom.width > pw {
                let r = Rect::new(bottom.x + pw, bottom.y, bottom.width - pw, 1);
                frame.render_widget(area_.as_ref(), r);
            }
        }
    }
}
