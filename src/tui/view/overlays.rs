//! The overlays of the composer: help (every key), a list of values, the drafts browser.

use crate::text::visible;
use crate::tui::app::{App, BrowseMode, Overlay, ViewState};
use crate::tui::keymap::{When, bindings};
use crate::tui::measure::{TextWidth, fit_ellipsis};
use crate::tui::strings as s;
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

pub(super) fn draw_help(frame: &mut Frame, app: &App, view: &mut ViewState, area: Rect) {
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
        When::Composer,
        When::Form,
        When::Text,
        When::Picker,
        When::Toggle,
        When::Item,
        When::PickerOpen,
        When::Drafts,
        When::DraftsRename,
        When::Pane,
        When::History,
        When::Profiles,
        When::InItem,
        When::AddRow,
        When::GoTo,
        When::Recovery,
        When::Confirm,
        When::Help,
    ];
    for w in groups {
        lines.push(Line::from(Span::styled(
            s::when_label(w).to_string(),
            theme::title(),
        )));
        for b in bindings().filter(|b| b.when == w && !b.label.is_empty()) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<18}", b.label), theme::key_hint()),
                Span::raw(b.help),
            ]));
        }
    }
    let max_scroll = (lines.len() as u16).saturating_sub(inner.height);
    view.geometry.overlay_scroll_max = max_scroll;
    frame.render_widget(
        Paragraph::new(lines).scroll(((*scroll).min(max_scroll), 0)),
        inner,
    );
}

pub(super) fn draw_picker(frame: &mut Frame, app: &App, view: &mut ViewState, area: Rect) {
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
    view.geometry.overlay_list = inner;
    view.geometry.overlay_first = 0;
}

pub(super) fn draw_drafts(frame: &mut Frame, app: &App, view: &mut ViewState, area: Rect) {
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
                fit_ellipsis(&visible(&d.name), name_w)
            )),
            Span::raw(format!(
                "{:<13} ",
                fit_ellipsis(&visible(d.message_type.as_deref().unwrap_or("?")), 13)
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
    view.geometry.overlay_list = if b.items.is_empty() {
        Rect::default()
    } else {
        list
    };
    view.geometry.overlay_first = first;
    match &b.mode {
        BrowseMode::List => {}
        BrowseMode::ConfirmDelete => {
            let name = b
                .items
                .get(b.selected)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            frame.render_widget(
                Paragraph::new(s::confirm_delete(&visible(&name))).style(theme::warning()),
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

/// Ctrl-G: the query being typed, then the matching fields (label and path), the selected
/// one marked.
pub(super) fn draw_goto(frame: &mut Frame, app: &App, view: &mut ViewState, area: Rect) {
    let Some(Overlay::GoTo(g)) = &app.overlay else {
        return;
    };
    let r = centered(
        area,
        area.width.saturating_sub(4).min(100),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(s::GOTO_TITLE, theme::title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    if inner.height < 2 {
        return;
    }
    let [query, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    frame.render_widget(Paragraph::new("› "), query);
    if query.width > 2 {
        let q = Rect::new(query.x + 2, query.y, query.width - 2, 1);
        frame.render_widget(g.query.as_ref(), q);
    }
    let matches = g.matches();
    let h = list.height as usize;
    let selected = g.selected.min(matches.len().saturating_sub(1));
    let first = selected.saturating_sub(h.saturating_sub(1));
    let width = list.width as usize;
    let mut lines = Vec::new();
    if matches.is_empty() {
        lines.push(Line::from(Span::styled(s::GOTO_NOTHING, theme::muted())));
    }
    for (i, it) in matches.iter().enumerate().skip(first).take(h) {
        let path = visible(&it.path.to_string());
        let label_w = width.saturating_sub(path.width() + 4).max(8);
        let mut l = Line::from(vec![
            Span::raw(format!(
                "{:<label_w$}  ",
                fit_ellipsis(&visible(&it.label), label_w)
            )),
            Span::styled(path, theme::muted()),
        ]);
        if i == selected {
            l = l.patch_style(theme::focus());
        }
        lines.push(l);
    }
    frame.render_widget(Paragraph::new(lines), list);
    view.geometry.overlay_list = list;
    view.geometry.overlay_first = first;
}

/// Ctrl-E with an earlier edit kept: where it is, and the choice.
pub(super) fn draw_recovery(frame: &mut Frame, path: &std::path::Path, area: Rect) {
    let text = s::recovery_question(&visible(&path.display().to_string()));
    let w = area.width.saturating_sub(4).min(80);
    let lines = crate::tui::measure::wrap_lines(&text, w.saturating_sub(2) as usize);
    let r = centered(area, w, lines.len() as u16 + 2);
    frame.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(s::RECOVERY_TITLE, theme::title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let lines: Vec<Line> = lines.into_iter().map(Line::raw).collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
