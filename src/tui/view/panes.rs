//! The preview pane and the problems pane.

use super::{mark_style, mark_symbol};
use crate::text::visible;
use crate::tui::app::{App, ViewState};
use crate::tui::measure::fit_ellipsis;
use crate::tui::preview::Preview;
use crate::tui::preview::image::Pictures;
use crate::tui::strings as s;
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The narrowest preview pane drawn.
pub(super) const MIN_PREVIEW: u16 = 4;

pub(super) fn draw_preview(frame: &mut Frame, app: &App, view: &mut ViewState, area: Rect) {
    if area.width < MIN_PREVIEW {
        view.geometry.preview = Rect::default();
        return;
    }
    let title = if view.preview.show_fallback {
        s::PANE_PREVIEW_FALLBACK
    } else {
        s::PANE_PREVIEW_RCS
    };
    let inner = super::kept_pane_frame(
        frame.buffer_mut(),
        &mut view.lines.preview_frame,
        area,
        Span::styled(title, theme::title()),
    );
    let focus = app.form.rows.get(app.form.focus).map(|r| r.path.clone());
    let widget = Preview {
        doc: &app.doc,
        report: &app.report,
        focus: focus.as_ref(),
        pictures: app.media.showing_images().then(|| Pictures {
            store: &app.media.pictures,
            probes: app.media.cache.probes(),
            typing: app.typing(),
            generation: app
                .media
                .pictures
                .generation()
                .wrapping_add(app.media.cache.generation()),
        }),
        on_screen: true,
    };
    frame.render_stateful_widget(widget, inner, &mut view.preview);
    view.geometry.preview = inner;
}

/// The problems pane. Its lines go through [`ViewState::problems_memo`] (begun with the
/// pane's inside, see `view::draw`): a line drawn as before is left on the screen.
pub(super) fn draw_problems(frame: &mut Frame, app: &App, view: &mut ViewState, area: Rect) {
    view.geometry.problem_lines.clear();
    if app.problems.is_empty() {
        // One line, no frame: nothing to list.
        view.geometry.problems = area;
        let line = Line::from(Span::styled(format!(" ✓ {}", s::NO_PROBLEMS), theme::ok()));
        view.lines.problems.set_line(frame.buffer_mut(), 0, &line);
        view.lines.problems.end(frame.buffer_mut());
        return;
    }
    let (e, w, sv) = app.problems.counts();
    let media = app.problems.media().count();
    let title_style = if e > 0 {
        theme::error()
    } else if w > 0 || media > 0 {
        theme::warning()
    } else {
        theme::ok()
    };
    let inner = super::kept_pane_frame(
        frame.buffer_mut(),
        &mut view.lines.problems_frame,
        area,
        Span::styled(s::problems_title(e, w, sv, media), title_style),
    );
    view.geometry.problems = inner;
    let n = app.problems.len();
    let h = inner.height as usize;
    view.problems_scroll = view.problems_scroll.min(n.saturating_sub(h));
    let focus_path = app.form.rows.get(app.form.focus).map(|r| &r.path);
    let width = inner.width as usize;
    // When not all fit, the last line says how many more there are.
    let more = n - view.problems_scroll > h;
    let shown = if more { h.saturating_sub(1) } else { h };
    if more {
        let rest = n - view.problems_scroll - shown;
        let line = Line::from(Span::styled(s::more_problems(rest), theme::muted()));
        view.lines
            .problems
            .set_line(frame.buffer_mut(), shown, &line);
    }
    let places = app.problems.places_generation();
    view.problem_rows.resize_with(n, || None);
    for (line, i) in (view.problems_scroll..n).take(shown).enumerate() {
        let Some(p) = app.problems.get(i) else { break };
        let here = focus_path == Some(&p.path);
        // As made on a frame before, when the problem at this place reads the same.
        if let Some(k) = &view.problem_rows[i]
            && (k.places, k.width, k.here) == (places, width, here)
            && k.message == p.message
        {
            view.lines
                .problems
                .set_kept_line(frame.buffer_mut(), line, &k.line, Some((k.id, 0)));
            view.geometry.problem_lines.push(i);
            continue;
        }
        let path = p.path.to_string();
        let path = if path.is_empty() {
            "(body)".into()
        } else {
            path
        };
        let st = mark_style(p.mark);
        let text = fit_ellipsis(
            &format!("{}  {}", visible(&path), visible(&p.message)),
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
        let k = KeptProblem::new(places, width, here, p.message.clone(), l);
        view.lines
            .problems
            .set_kept_line(frame.buffer_mut(), line, &k.line, Some((k.id, 0)));
        view.problem_rows[i] = Some(k);
        view.geometry.problem_lines.push(i);
    }
    view.lines.problems.end(frame.buffer_mut());
}

/// A problem's line in the problems pane, kept with what it was made of: the problems'
/// places (while they stand, the problem at a position has the same path and mark), the
/// width, whether the focused row is at it, and its message.
pub struct KeptProblem {
    /// Names the line on the screen's memo: no other kept line has it.
    id: u64,
    places: u64,
    width: usize,
    here: bool,
    message: String,
    line: Line<'static>,
}

impl KeptProblem {
    fn new(places: u64, width: usize, here: bool, message: String, line: Line<'static>) -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        KeptProblem {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            places,
            width,
            here,
            message,
            line,
        }
    }
}
