//! Drawing what sending shows: the send pane and the deliveries view (in the right-hand
//! column, in place of the preview), and the history, profiles and confirmation overlays.
//! Every string that came from a server, a file or a callback goes through
//! [`crate::text::visible`] first.

use super::centered;
use crate::client::{SendOutcome, SendResult};
use crate::store::history::HistoryEntry;
use crate::text::{terminal_safe_json, visible};
use crate::tui::app::{App, Overlay, Side, ViewState};
use crate::tui::measure::fit_ellipsis;
use crate::tui::send::{
    BODY_LINE_CHARS, BodyView, Endpoint, RequestLine, SendState, Tracked, cut_line,
};
use crate::tui::strings as s;
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

fn pane_block(title: String, focused: bool) -> Block<'static> {
    let mut title_style = theme::title();
    if focused {
        title_style = title_style.patch(theme::key_hint());
    }
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, title_style))
}

/// Draws `lines` as the right-hand pane, wrapped and scrolled (the scroll kept within the
/// text), and records the scroll and the area for the mouse. `revision` names the pane's
/// content (see `SendSession::revision`): wrapping every line to count the rows is the
/// costly part of a redraw, so the count is kept while the content and the width stay.
fn draw_lines(
    frame: &mut Frame,
    area: Rect,
    title: String,
    lines: Vec<Line>,
    view: &mut ViewState,
    revision: u64,
) {
    let block = pane_block(title, view.side_focus);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let key = PaneRows {
        side: view.side,
        revision,
        width: inner.width,
        rows: 0,
    };
    let p = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = if view.pane_rows.same_content(&key) {
        view.pane_rows.rows
    } else {
        let rows = p.line_count(inner.width) as u16;
        view.pane_rows = PaneRows { rows, ..key };
        rows
    };
    let scroll = view.side_scroll.min(total.saturating_sub(inner.height));
    frame.render_widget(p.scroll((scroll, 0)), inner);
    view.side_scroll = scroll;
    view.geometry.preview = inner;
}

/// How many rows the right-hand pane's text wraps to, for a pane, a revision of its content
/// and a width.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaneRows {
    pub side: Side,
    pub revision: u64,
    pub width: u16,
    pub rows: u16,
}

impl PaneRows {
    fn same_content(&self, other: &PaneRows) -> bool {
        (self.side, self.revision, self.width) == (other.side, other.revision, other.width)
            && self.width > 0
    }
}

fn label(text: &str) -> Span<'static> {
    Span::styled(text.to_string(), theme::muted())
}

fn request_lines(r: &RequestLine) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = vec![
        Line::from(vec![
            Span::styled(r.method, theme::title()),
            Span::raw(" "),
            Span::raw(visible(&r.url)),
        ]),
        Line::from(vec![
            label("profile "),
            Span::raw(visible(&r.profile)),
            label("  user "),
            Span::raw(visible(&r.user)),
        ]),
    ];
    if !r.origin.is_empty() {
        out.push(Line::from(label(&visible(&r.origin))));
    }
    if let Some(cb) = &r.callback_added {
        out.push(Line::from(vec![
            label("callbackURL "),
            Span::raw(visible(cb)),
            label(" (added to this request only; not saved in the draft)"),
        ]));
    }
    if r.overridden {
        out.push(Line::from(Span::styled(
            "Sent despite local errors, on purpose: the server's answer follows.",
            theme::warning(),
        )));
    }
    out.push(Line::raw(""));
    out
}

fn status_text(code: u16) -> String {
    match reqwest::StatusCode::from_u16(code)
        .ok()
        .and_then(|c| c.canonical_reason())
    {
        Some(r) => format!("{code} {r}"),
        None => code.to_string(),
    }
}

fn outcome_lines<'a>(o: &SendOutcome, body: &'a BodyView) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let ms = crate::client::format_latency(o.latency);
    let good = o.is_success();
    let head = match o.status {
        Some(c) => format!("{} · {ms}", status_text(c)),
        None => format!("no answer · {ms}"),
    };
    out.push(Line::from(Span::styled(
        head,
        if good { theme::ok() } else { theme::error() },
    )));
    let text = |t: &str| -> Vec<Line<'static>> {
        visible(t)
            .lines()
            .map(|l| Line::raw(l.to_string()))
            .collect()
    };
    match &o.result {
        SendResult::Accepted { message, results } => {
            if !message.is_empty() {
                out.extend(text(message));
            }
            for r in results {
                out.push(Line::from(label("messageGUID")));
                out.push(Line::from(Span::styled(
                    visible(&r.message_guid),
                    theme::title(),
                )));
                out.push(Line::from(vec![
                    label("  destination "),
                    Span::raw(visible(&r.destination)),
                    label("  status "),
                    Span::raw(visible(&r.status)),
                ]));
            }
        }
        SendResult::Rejected { message, issues } => {
            if !message.is_empty() {
                out.extend(text(message));
            }
            for i in issues {
                let path = i.path.to_string();
                out.push(Line::from(vec![
                    Span::styled(format!("{} ", theme::MARK_SERVER), theme::server()),
                    Span::styled(
                        visible(if path.is_empty() { "(body)" } else { &path }),
                        theme::server(),
                    ),
                    Span::raw("  "),
                    Span::raw(visible(&i.message)),
                ]));
            }
            if !issues.is_empty() {
                out.push(Line::from(Span::styled(
                    s::SERVER_ISSUES_NOTE,
                    theme::muted(),
                )));
            }
        }
        SendResult::AuthFailed { hint } => out.extend(text(hint)),
        SendResult::RateLimited { retry_after } => out.push(Line::raw(match retry_after {
            Some(r) => format!(
                "Rate limited: {}. Nothing is sent again automatically.",
                visible(&crate::client::retry_after_text(r))
            ),
            None => "Rate limited; the server gave no Retry-After.".to_string(),
        })),
        SendResult::Unexpected { summary } => out.extend(text(summary)),
        SendResult::Network { reason } => out.extend(text(reason)),
        SendResult::Refused { reason } => {
            out.push(Line::raw("Not sent:"));
            out.extend(text(reason));
        }
    }
    if o.truncated {
        out.push(Line::from(Span::styled(
            "The answer was longer than 1 MB and was cut there.",
            theme::warning(),
        )));
    }
    if !o.response_body.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::from(label("Response body:")));
        for l in &body.lines {
            out.push(Line::raw(l.as_str()));
        }
        if body.more > 0 {
            out.push(Line::from(label(&format!(
                "… {} more lines (the history keeps the first 64 KB)",
                body.more
            ))));
        }
    }
    out
}

pub fn draw_send(frame: &mut Frame, app: &App, view: &mut ViewState, area: Rect) {
    let lines = match &app.session.send {
        SendState::Idle => vec![Line::from(Span::styled(
            s::NOTHING_SENT_YET,
            theme::muted(),
        ))],
        SendState::InFlight {
            request, started, ..
        } => {
            let mut l = request_lines(request);
            l.push(Line::from(Span::styled(
                s::sending(started.elapsed().as_secs()),
                theme::warning(),
            )));
            l
        }
        SendState::Done {
            request,
            outcome,
            body,
        } => {
            let mut l = request_lines(request);
            l.extend(outcome_lines(outcome, body));
            l
        }
        SendState::Failed { request, reason } => {
            let mut l = request_lines(request);
            l.push(Line::from(Span::styled(visible(reason), theme::error())));
            l
        }
    };
    let mut lines = lines;
    if let Some(c) = &app.session.copied {
        // The fallback of the clipboard: the text itself, to select.
        let mut top = vec![Line::from(Span::styled(
            format!("Copied: {} (Ctrl-T curl, Ctrl-B body)", c.what),
            theme::title(),
        ))];
        for l in c.text.lines() {
            top.push(Line::raw(visible(l)));
        }
        top.push(Line::raw(""));
        top.append(&mut lines);
        lines = top;
    }
    let title = format!("{} (F6)", s::PANE_SEND);
    draw_lines(frame, area, title, lines, view, app.session.revision);
}

/// `12:00:01.250` from an RFC 3339 time, else the text as it came.
fn clock(t: &str) -> String {
    match t.parse::<jiff::Timestamp>() {
        Ok(ts) => ts.strftime("%H:%M:%S%.3fZ").to_string(),
        Err(_) => visible(t),
    }
}

fn tracked_lines(t: &Tracked) -> Vec<Line<'static>> {
    let mut out = vec![Line::from(Span::styled(visible(&t.guid), theme::title()))];
    let mut about = format!(
        "  to {} · {} · {}",
        visible(&t.destination),
        visible(&t.message_type),
        visible(&t.profile)
    );
    if let Some(d) = &t.draft {
        about.push_str(&format!(" · {}", visible(d)));
    }
    if !t.sent.is_empty() {
        about.push_str(&format!(" · accepted {}", clock(&t.sent)));
    }
    out.push(Line::from(label(&about)));
    let st = if t.updates.iter().any(|u| u.update.status == "failed") && t.fallback().is_none() {
        theme::error()
    } else if t.finished() {
        theme::ok()
    } else {
        Style::default()
    };
    out.push(Line::from(vec![
        Span::raw("  "),
        Span::styled(visible(&t.summary()), st),
    ]));
    for r in &t.updates {
        let u = &r.update;
        out.push(Line::from(vec![
            label(&format!("  {}  ", clock(&u.timestamp))),
            Span::raw(format!("{:<10}", visible(&u.status))),
            Span::raw(visible(&u.channel)),
        ]));
        if let Some(e) = &u.error {
            out.push(Line::from(Span::styled(
                format!("      {}", visible(e)),
                theme::warning(),
            )));
        }
    }
    if let Some(f) = t.fallback() {
        out.push(Line::from(Span::styled(
            format!("  fallback reported: {} (RCS failed)", visible(f)),
            theme::warning(),
        )));
    }
    out.push(Line::raw(""));
    out
}

pub fn draw_deliveries(frame: &mut Frame, app: &App, view: &mut ViewState, area: Rect) {
    let mut lines = Vec::new();
    if let Some(url) = &app.session.callback_url {
        lines.push(Line::from(vec![
            label("Listening on "),
            Span::raw(visible(url)),
        ]));
        lines.push(Line::raw(""));
    }
    if app.session.deliveries.is_empty() {
        lines.push(Line::from(Span::styled(s::NO_DELIVERIES, theme::muted())));
        lines.push(Line::raw(""));
    }
    for t in &app.session.deliveries {
        lines.extend(tracked_lines(t));
    }
    if !app.session.sandbox_log.is_empty() {
        lines.push(Line::from(Span::styled(s::SANDBOX_LOG, theme::title())));
        let skip = app.session.sandbox_log.len().saturating_sub(50);
        for l in &app.session.sandbox_log[skip..] {
            lines.push(Line::from(label(&visible(l))));
        }
    }
    let title = format!("{} (F7)", s::PANE_DELIVERIES);
    draw_lines(frame, area, title, lines, view, app.session.revision);
}

fn overlay_block(frame: &mut Frame, r: Rect, title: String) -> Rect {
    frame.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    inner
}

pub fn draw_confirm(frame: &mut Frame, app: &App, area: Rect) {
    let Some(Overlay::Confirm(p)) = &app.overlay else {
        return;
    };
    let w = area.width.saturating_sub(4).min(72);
    let text = visible(&p.question);
    let para = Paragraph::new(text).wrap(Wrap { trim: true });
    let h = para.line_count(w.saturating_sub(2)) as u16 + 2;
    let r = centered(area, w, h);
    let inner = overlay_block(frame, r, s::CONFIRM_TITLE.to_string());
    frame.render_widget(para.style(theme::warning()), inner);
}

fn entry_time(e: &HistoryEntry) -> String {
    match e.timestamp() {
        Some(t) => t.strftime("%Y-%m-%d %H:%M:%SZ").to_string(),
        None => visible(&e.time),
    }
}

fn history_line(e: &HistoryEntry, width: usize) -> String {
    let status = e
        .status
        .map(|c| c.to_string())
        .unwrap_or_else(|| "---".into());
    let text = format!(
        "{}  {:<10} {} {:<12} {:<20} {}",
        entry_time(e),
        fit_ellipsis(&visible(&e.profile), 10),
        status,
        fit_ellipsis(&visible(e.outcome.as_str()), 12),
        fit_left(&visible(e.draft.as_deref().unwrap_or("-")), 20),
        visible(&e.message_guids.join(", ")),
    );
    fit_ellipsis(&text, width)
}

/// `s` in at most `width` columns, cut from the left (`…/drafts/sale.json`): the end of a
/// path is the part that tells drafts apart.
fn fit_left(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if s.width() <= width {
        return s.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut w = 1;
    for c in s.chars().rev() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width {
            break;
        }
        w += cw;
        kept.push(c);
    }
    kept.reverse();
    format!("…{}", kept.into_iter().collect::<String>())
}

fn history_detail(e: &HistoryEntry) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let field = |k: &str, v: String| Line::from(vec![label(&format!("{k:<10} ")), Span::raw(v)]);
    out.push(field("time", entry_time(e)));
    out.push(field("profile", visible(&e.profile)));
    out.push(field("url", format!("POST {}", visible(&e.url))));
    out.push(field(
        "draft",
        visible(e.draft.as_deref().unwrap_or("(none)")),
    ));
    out.push(field(
        "status",
        e.status
            .map(status_text)
            .unwrap_or_else(|| "no answer".into()),
    ));
    out.push(field(
        "latency",
        crate::client::format_latency(std::time::Duration::from_secs_f64(
            (e.latency_ms / 1000.0).clamp(0.0, 1e9),
        )),
    ));
    out.push(field("outcome", visible(e.outcome.as_str())));
    out.push(field("summary", visible(&e.summary)));
    for g in &e.message_guids {
        out.push(field("GUID", visible(g)));
    }
    out.push(Line::raw(""));
    out.push(Line::from(label("Request:")));
    let req = serde_json::to_string_pretty(&e.request).unwrap_or_default();
    for l in visible(&terminal_safe_json(&req)).lines() {
        out.push(Line::raw(l.to_string()));
    }
    out.push(Line::raw(""));
    out.push(Line::from(label(if e.response_truncated {
        "Response (cut):"
    } else {
        "Response:"
    })));
    for l in visible(&e.response).lines() {
        out.push(Line::raw(cut_line(l, BODY_LINE_CHARS)));
    }
    out
}

pub fn draw_history(frame: &mut Frame, app: &App, view: &mut ViewState, area: Rect) {
    let Some(Overlay::History { selected, detail }) = &app.overlay else {
        return;
    };
    let (selected, detail) = (*selected, *detail);
    let r = centered(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    let title = match detail {
        Some(_) => format!("{} — Esc back, n new draft from it", s::HISTORY_TITLE),
        None => format!(
            "{} — Enter shows one, n new draft from it, Esc closes",
            s::HISTORY_TITLE
        ),
    };
    let inner = overlay_block(frame, r, title);
    let entries = &app.session.history.entries;
    if let Some(scroll) = detail {
        let Some(e) = entries.get(selected) else {
            return;
        };
        let p = Paragraph::new(history_detail(e)).wrap(Wrap { trim: false });
        let total = p.line_count(inner.width) as u16;
        let max = total.saturating_sub(inner.height);
        let scroll = scroll.min(max);
        view.geometry.overlay_scroll_max = max;
        view.geometry.overlay_list = Rect::default();
        frame.render_widget(p.scroll((scroll, 0)), inner);
        return;
    }
    if entries.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(s::HISTORY_EMPTY, theme::muted())),
            inner,
        );
        view.geometry.overlay_list = Rect::default();
        return;
    }
    let h = inner.height as usize;
    let first = selected.saturating_sub(h.saturating_sub(1));
    let lines: Vec<Line> = entries
        .iter()
        .enumerate()
        .skip(first)
        .take(h)
        .map(|(i, e)| {
            let st = if e.outcome == "accepted" {
                theme::ok()
            } else {
                theme::error()
            };
            let l = Line::from(Span::styled(history_line(e, inner.width as usize), st));
            if i == selected {
                l.patch_style(theme::focus())
            } else {
                l
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
    view.geometry.overlay_list = inner;
    view.geometry.overlay_first = first;
}

pub fn draw_profiles(frame: &mut Frame, app: &App, area: Rect) {
    let Some(Overlay::Profiles { selected }) = &app.overlay else {
        return;
    };
    let selected = *selected;
    let r = centered(
        area,
        area.width.saturating_sub(4).min(110),
        (app.session.profiles.entries.len() as u16
            + 2
            + if app.session.profiles.error.is_some() {
                3
            } else {
                0
            })
        .min(area.height.saturating_sub(2)),
    );
    let inner = overlay_block(frame, r, s::PROFILES_TITLE.to_string());
    let mut lines = Vec::new();
    if let Some(e) = &app.session.profiles.error {
        lines.push(Line::from(Span::styled(visible(e), theme::error())));
        lines.push(Line::raw(""));
    }
    let width = inner.width as usize;
    for (i, p) in app.session.profiles.entries.iter().enumerate() {
        let active = app.session.profiles.active == Some(i);
        let mark = if active { "* " } else { "  " };
        let (text, st) = match &p.shown {
            Ok(Endpoint { url, user, .. }) => {
                let kind = if p.built_in {
                    format!("{} · ", s::sandbox_label("built-in sandbox"))
                } else if p.is_sandbox {
                    "sandbox · ".to_string()
                } else {
                    String::new()
                };
                (
                    format!(
                        "{mark}{:<14} {kind}{}  user {}",
                        visible(&p.name),
                        visible(url),
                        visible(user)
                    ),
                    Style::default(),
                )
            }
            Err(e) => (
                format!("{mark}{:<14} cannot send: {}", visible(&p.name), visible(e)),
                theme::error(),
            ),
        };
        let l = Line::from(Span::styled(fit_ellipsis(&text, width), st));
        lines.push(if i == selected {
            l.patch_style(theme::focus())
        } else {
            l
        });
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
