//! Drawing: the status bar, the form, the preview, the problems pane, the message line and
//! the footer of keys, and the overlays. Reads the app; writes only the [`ViewState`]: where
//! things were drawn (for the mouse), the scroll positions it keeps within the content, and
//! the panes' caches.
//!
//! - [`chrome`]: the top bar, the message line, the footer.
//! - [`form`]: the form. [`panes`]: the preview and the problems.
//! - [`overlays`]: help, a list of values, the drafts browser.
//! - [`send`]: the send pane, the deliveries, and the history, profiles and confirmation
//!   overlays.

mod chrome;
mod form;
mod form_problems;
mod form_reach;
mod input;
mod overlays;
mod panes;
pub mod send;

use super::app::{App, Overlay, Side, ViewState};
pub(super) use super::problems::Mark;
use super::strings as s;
use super::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub use chrome::TopBar;
pub use form::KeptRow;
pub use form_problems::ProblemRows;
pub use form_reach::FormSeen;
pub(super) use overlays::centered;
pub use panes::KeptProblem;

/// Below this the composer says so instead of drawing.
pub const MIN_WIDTH: u16 = 64;

pub const MIN_HEIGHT: u16 = 16;

/// Most lines a text field being typed in grows to.
const MAX_INPUT_LINES: usize = 5;

/// Draws a frame. The buffer holds the frame before: blank, but for the lines and cards
/// that the view keeps ([`ViewState::kept_areas`], see `runtime::frame`).
pub fn draw(frame: &mut Frame, app: &App, view: &mut ViewState) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        for kept in view.kept_areas() {
            crate::tui::line_memo::blank(frame.buffer_mut(), kept);
        }
        view.forget_kept();
        view.geometry = Default::default();
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
    // The message line wraps (up to three lines) so that a path in it shows whole.
    let status_lines = chrome::status_lines(app, w as usize);
    let sh = status_lines.len().clamp(1, 3) as u16;
    let status = Rect::new(x, area.bottom() - 1 - sh, w, sh);
    let main = Rect::new(x, area.y + 1, w, area.height - 2 - sh);
    // No problems: one line says so; else a bordered list, at most a third of the screen.
    let ph = if app.problems.is_empty() {
        1
    } else {
        (app.problems.len() as u16 + 2).min((main.height / 3).max(3))
    };
    let body = Rect::new(x, main.y, w, main.height - ph);
    let problems = Rect::new(x, main.y + body.height, w, ph);
    let share = if body.width < 120 { 60 } else { 55 };
    let form_w = (body.width * share / 100).max(44).min(body.width);
    let form_area = Rect::new(x, body.y, form_w, body.height);
    let preview_area = Rect::new(x + form_w, body.y, w - form_w, body.height);

    // What the frame before left where something else goes now is blanked before anything
    // is drawn, so that no pane blanks what another drew.
    let buf = frame.buffer_mut();
    view.lines
        .form
        .begin(buf, pane_inner(form_area.intersection(area)));
    let problems_inner = if app.problems.is_empty() {
        problems.intersection(area)
    } else {
        pane_inner(problems.intersection(area))
    };
    view.lines.problems.begin(buf, problems_inner);
    view.lines.top.begin(buf, top);
    view.lines.form_frame.begin(buf, Some(form_area));
    let preview_shown = view.side == Side::Preview && preview_area.width >= panes::MIN_PREVIEW;
    view.lines
        .preview_frame
        .begin(buf, preview_shown.then_some(preview_area));
    view.lines
        .problems_frame
        .begin(buf, (!app.problems.is_empty()).then_some(problems));
    view.lines
        .bottom
        .begin(buf, Rect::new(x, status.y, w, sh + 1));
    let preview_inner = preview_shown.then(|| pane_inner(preview_area.intersection(area)));
    view.preview.slots.prepare(buf, preview_inner);

    chrome::draw_top(frame, app, view, top);
    form::draw_form(frame, app, view, form_area);
    match view.side {
        Side::Preview => panes::draw_preview(frame, app, view, preview_area),
        Side::Send => send::draw_send(frame, app, view, preview_area),
        Side::Deliveries => send::draw_deliveries(frame, app, view, preview_area),
    }
    panes::draw_problems(frame, app, view, problems);
    chrome::draw_status(frame, app, view, status, status_lines);
    chrome::draw_footer(frame, app, view, footer);
    view.lines.bottom.end(frame.buffer_mut());
    // Overlays leave the message line and the footer in view: what just happened, and
    // the overlay's own keys.
    let area = Rect::new(x, area.y, w, status.y - area.y);
    match &app.overlay {
        Some(Overlay::Help { .. }) => overlays::draw_help(frame, app, view, area),
        Some(Overlay::Picker(_)) => overlays::draw_picker(frame, app, view, area),
        Some(Overlay::Drafts(_)) => overlays::draw_drafts(frame, app, view, area),
        Some(Overlay::GoTo(_)) => overlays::draw_goto(frame, app, view, area),
        Some(Overlay::Recovery(path)) => overlays::draw_recovery(frame, path, area),
        Some(Overlay::Confirm(_)) => send::draw_confirm(frame, app, area),
        Some(Overlay::History { .. }) => send::draw_history(frame, app, view, area),
        Some(Overlay::Profiles { .. }) => send::draw_profiles(frame, app, area),
        None => {}
    }
    if app.overlay.is_some() {
        // Drawn over the panes: their rows are all written, now and on the next frame.
        view.forget_kept();
    }
}

/// A pane's frame: a plain border with `title` at its top left, drawn as
/// `Block::default().borders(Borders::ALL).title(title)` draws it, and the area inside.
/// Cheaper: a `Block` also restyles every cell it encloses, and the three panes are drawn on
/// every keystroke.
fn pane_frame(buf: &mut ratatui::buffer::Buffer, area: Rect, title: Span<'_>) -> Rect {
    let area = area.intersection(buf.area);
    let inner = pane_inner(area);
    if area.width < 2 || area.height < 2 {
        return inner;
    }
    let (l, r, t, b) = (area.left(), area.right() - 1, area.top(), area.bottom() - 1);
    for x in l + 1..r {
        buf[(x, t)].set_symbol("─");
        buf[(x, b)].set_symbol("─");
    }
    for y in t + 1..b {
        buf[(l, y)].set_symbol("│");
        buf[(r, y)].set_symbol("│");
    }
    buf[(l, t)].set_symbol("┌");
    buf[(r, t)].set_symbol("┐");
    buf[(l, b)].set_symbol("└");
    buf[(r, b)].set_symbol("┘");
    crate::tui::measure::set_line(buf, l + 1, t, &Line::from(title), area.width - 2);
    inner
}

/// [`pane_frame`], unless `memo` says the screen shows that frame already.
fn kept_pane_frame(
    buf: &mut ratatui::buffer::Buffer,
    memo: &mut crate::tui::line_memo::FrameMemo,
    area: Rect,
    title: Span<'_>,
) -> Rect {
    let area = area.intersection(buf.area);
    if memo.holds(buf, area, &title) {
        return pane_inner(area);
    }
    memo.drew(area, &title);
    pane_frame(buf, area, title)
}

/// The inside of a pane's frame drawn in `area` (already cut to the buffer).
fn pane_inner(area: Rect) -> Rect {
    if area.width < 2 || area.height < 2 {
        return Rect::new(area.x, area.y, 0, 0);
    }
    Rect::new(area.x + 1, area.y + 1, area.width - 2, area.height - 2)
}

fn mark_style(m: Mark) -> Style {
    match m {
        Mark::Error => theme::error(),
        Mark::Warning => theme::warning(),
        Mark::Server => theme::server(),
        Mark::Media => theme::media(),
    }
}

fn mark_symbol(m: Mark) -> &'static str {
    match m {
        Mark::Error => theme::MARK_ERROR,
        Mark::Warning => theme::MARK_WARNING,
        Mark::Server => theme::MARK_SERVER,
        Mark::Media => theme::MARK_MEDIA,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::style::Color;
    use ratatui::widgets::{Block, Borders, Widget};

    /// The panes' frame is the one a bordered `Block` draws.
    #[test]
    fn pane_frame_draws_what_a_bordered_block_draws() {
        for (area, title) in [
            (Rect::new(0, 0, 30, 6), "Message"),
            (Rect::new(3, 2, 12, 3), "Problems: 3 errors, 1 warning"),
            (Rect::new(1, 1, 2, 2), "x"),
            (Rect::new(0, 0, 20, 4), "Preview: RCS ✓ 漢字"),
        ] {
            let span = Span::styled(title, Style::new().fg(Color::Cyan).bold());
            let mut ours = Buffer::empty(Rect::new(0, 0, 40, 8));
            let mut theirs = ours.clone();
            let inner = pane_frame(&mut ours, area, span.clone());
            let block = Block::default().borders(Borders::ALL).title(span);
            assert_eq!(inner, block.inner(area), "{title}");
            block.render(area, &mut theirs);
            assert_eq!(ours, theirs, "{title}");
        }
    }
}
