//! The top bar (draft, type, saved state, profile), the message line and the footer of keys.

use crate::message::Segment;
use crate::text::{one_line, visible};
use crate::tui::app::{App, ViewState};
use crate::tui::keymap::{self, Binding, When, bindings};
use crate::tui::measure::{TextWidth, fit_ellipsis, wrap_lines};
use crate::tui::strings as s;
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use serde_json::Value;

/// What the top bar shows, read from the app: the bar is made again only when one of these
/// changed (on a keystroke, only the saved state may).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct TopInputs {
    path: std::path::PathBuf,
    /// The message type's first 40 characters (it may be any string, megabytes long).
    mt: String,
    state: TopState,
    label: String,
    sending: bool,
    width: u16,
    /// Colours on (no `NO_COLOR`): the styles differ.
    colors: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum TopState {
    #[default]
    NotOnDisk,
    Unsaved,
    Saved,
}

/// The top bar as made last, with what it was made of and a number naming it for
/// [`LineMemo::set_kept_line`](crate::tui::line_memo::LineMemo::set_kept_line).
#[derive(Debug, Default)]
pub struct TopBar {
    inputs: TopInputs,
    line: Line<'static>,
    made: u64,
}

fn top_inputs(app: &App, width: u16) -> TopInputs {
    let state = if !app.save.on_disk && app.save.generation == 0 {
        TopState::NotOnDisk
    } else if app.unsaved() {
        TopState::Unsaved
    } else {
        TopState::Saved
    };
    let mt = app
        .doc
        .get("messageType")
        .and_then(Value::as_str)
        .unwrap_or("?");
    TopInputs {
        path: app.path.clone(),
        mt: mt.chars().take(40).collect(),
        state,
        label: app.profile_label(),
        sending: app.session.send.in_flight().is_some(),
        width,
        colors: theme::colors_on(),
    }
}

/// The top bar, through [`ViewState::lines`]`.top` (begun with `area`).
pub(super) fn draw_top(frame: &mut Frame, app: &App, view: &mut ViewState, area: Rect) {
    let inputs = top_inputs(app, area.width);
    let bar = &mut view.top_bar;
    if bar.made == 0 || bar.inputs != inputs {
        bar.line = top_line(&inputs);
        bar.inputs = inputs;
        bar.made += 1;
    }
    view.lines
        .top
        .set_kept_line(frame.buffer_mut(), 0, &bar.line, Some((bar.made, 0)));
    view.lines.top.end(frame.buffer_mut());
}

fn top_line(inputs: &TopInputs) -> Line<'static> {
    let name = inputs
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (state, state_style) = match inputs.state {
        TopState::NotOnDisk => (s::NOT_ON_DISK, theme::muted()),
        TopState::Unsaved => (s::UNSAVED, theme::warning()),
        TopState::Saved => (s::SAVED, theme::ok()),
    };
    // The profile and the draft's state always show. When space is short, the app's name
    // goes first, then the word "profile", and last the file name is shortened.
    let label = visible(&inputs.label);
    let sending = inputs.sending;
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
    let mt = visible(&inputs.mt);
    let name = visible(&name);
    let width = usize::from(inputs.width);
    let app_name = format!(" {} │", s::APP);
    let rest = format!("  │ {mt} │ {state} ",).width() + name.width();
    let (show_app, right) = if app_name.width() + rest + full.width() <= width {
        (true, full)
    } else if rest + full.width() <= width {
        (false, full)
    } else if rest + short.width() <= width {
        (false, short)
    } else {
        (false, fit_ellipsis(&short, (width / 2).max(8)))
    };
    let rw = right.width().min(width);
    let name = fit_ellipsis(&name, width.saturating_sub(rest - name.width() + rw).max(1));
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
    // One line: the left part cut to its room, then the right part at the right end.
    let room = width.saturating_sub(rw);
    let mut line = cut_line(spans, room);
    let used: usize = line.spans.iter().map(|s| s.content.width()).sum();
    if used < room {
        line.spans.push(Span::raw(" ".repeat(room - used)));
    }
    let style = if sending {
        theme::warning()
    } else {
        theme::muted()
    };
    line.spans.push(Span::styled(right, style));
    line
}

/// `spans` cut to `width` cells (a wide character that would straddle the end is left
/// out, as drawing leaves it).
fn cut_line(spans: Vec<Span<'_>>, width: usize) -> Line<'_> {
    let mut out = Vec::with_capacity(spans.len());
    let mut room = width;
    for sp in spans {
        if room == 0 {
            break;
        }
        let w = sp.content.width();
        if w <= room {
            room -= w;
            out.push(sp);
        } else {
            let (head, hw) = crate::tui::measure::fit(&sp.content, room);
            out.push(Span::styled(head.to_string(), sp.style));
            debug_assert!(hw <= room);
            break;
        }
    }
    Line::from(out)
}

/// The message line's text, wrapped to `width` (at most three lines, the last cut).
pub(super) fn status_lines(app: &App, width: usize) -> Vec<String> {
    let Some(st) = &app.status else {
        return Vec::new();
    };
    let mut lines = wrap_lines(&one_line(&st.text), width);
    if lines.len() > 3 {
        lines.truncate(3);
        lines[2] = fit_ellipsis(&format!("{}…", lines[2]), width);
    }
    lines
}

/// The message line, through [`ViewState::lines`]`.bottom` (begun with this area and the
/// footer's row below it). Each line takes the whole width in the message's style.
pub(super) fn draw_status(
    frame: &mut Frame,
    app: &App,
    view: &mut ViewState,
    area: Rect,
    lines: Vec<String>,
) {
    let Some(st) = &app.status else {
        return;
    };
    let style = if st.is_error {
        theme::error()
    } else {
        Style::default()
    };
    let width = usize::from(area.width);
    for (row, text) in lines.into_iter().take(usize::from(area.height)).enumerate() {
        let pad = width.saturating_sub(text.width());
        let line = Line::from(vec![
            Span::styled(text, style),
            Span::styled(" ".repeat(pad), style),
        ]);
        view.lines.bottom.set_line(frame.buffer_mut(), row, &line);
    }
}

/// The footer of keys, the last row of [`ViewState::lines`]`.bottom`.
pub(super) fn draw_footer(frame: &mut Frame, app: &App, view: &mut ViewState, area: Rect) {
    let ctx = keymap::context(app);
    let places = keymap::places(ctx);
    let in_composer = places.contains(&When::Composer);
    // Inside a card or a choice, the keys that move between them.
    let in_item = app.focused().is_some_and(|r| {
        r.path
            .segments()
            .iter()
            .any(|s| matches!(s, Segment::Index(_)))
    });
    let shown = |b: &&Binding| {
        b.footer
            && !b.label.is_empty()
            && places.contains(&b.when)
            && (b.when != When::InItem || in_item)
    };
    let general = |w: When| matches!(w, When::Always | When::Composer);
    let mut items: Vec<(&str, &str)> = Vec::new();
    // Help first, and the way to the problems when there are any: these must never be
    // pushed out by a narrow terminal.
    if in_composer {
        items.push(("F1", s::FOOTER_HELP));
        if !app.problems.is_empty() {
            items.push(("F8", s::FOOTER_NEXT_PROBLEM));
        }
    }
    // Then the keys of what has focus (its own place first), moving between cards and
    // choices, and the ones that apply everywhere.
    let own = places
        .iter()
        .filter(|w| !general(**w) && !matches!(w, When::InItem | When::Form));
    let order = own.chain([When::Form, When::InItem, When::Always, When::Composer].iter());
    for w in order {
        items.extend(
            bindings()
                .filter(|b| b.when == *w && shown(b))
                .map(|b| (b.label, b.help)),
        );
    }
    let mut spans = Vec::new();
    let mut used = 0usize;
    let width = area.width as usize;
    for (label, help) in items {
        let w = label.width() + 1 + help.width() + 2;
        if used + w > width {
            break;
        }
        spans.push(Span::styled(label, theme::key_hint()));
        spans.push(Span::raw(format!(" {help}  ")));
        used += w;
    }
    let row = usize::from(
        area.y
            .saturating_sub(view.lines.bottom.area().map_or(area.y, |a| a.y)),
    );
    view.lines
        .bottom
        .set_line(frame.buffer_mut(), row, &Line::from(spans));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line cut to a width keeps whole spans while they fit, cuts the one that does not,
    /// and leaves out a wide character that would straddle the end.
    #[test]
    fn a_line_is_cut_to_its_room() {
        let spans = || {
            vec![
                Span::styled("ab", theme::title()),
                Span::raw("漢字x"),
                Span::raw("never"),
            ]
        };
        let texts = |l: Line<'_>| -> Vec<String> {
            l.spans.iter().map(|s| s.content.to_string()).collect()
        };
        assert_eq!(texts(cut_line(spans(), 7)), ["ab", "漢字x"]);
        assert_eq!(texts(cut_line(spans(), 5)), ["ab", "漢"]);
        assert_eq!(texts(cut_line(spans(), 4)), ["ab", "漢"]);
        assert_eq!(texts(cut_line(spans(), 1)), ["a"]);
        assert_eq!(cut_line(spans(), 1).spans[0].style, theme::title());
        assert!(cut_line(spans(), 0).spans.is_empty());
    }

    /// The top bar is made again only when what it shows changed, and then shows the
    /// change: typing keeps it, and the saved state, the draft's file and the width each
    /// make it again (the frame on the terminal is what a fresh drawing shows).
    #[test]
    fn the_top_bar_is_kept_until_what_it_shows_changes() {
        use crate::tui::harness::Harness;
        use ratatui::crossterm::event::KeyCode;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bar.json");
        let doc = crate::message::samples::largest_carousel();
        let mut h = Harness::new(path.clone(), doc, true, 120, 30);
        let top = |h: &Harness| h.screen().lines().next().unwrap_or_default().to_string();
        assert!(top(&h).contains(" saved "), "{}", top(&h));
        let made = h.app.view.top_bar.made;
        h.press(KeyCode::F(8));
        h.press(KeyCode::Down);
        h.press(KeyCode::Enter);
        h.type_str("ab");
        assert!(top(&h).contains(" unsaved "), "{}", top(&h));
        let after_edit = h.app.view.top_bar.made;
        assert_eq!(after_edit, made + 1, "made again once, for the saved state");
        h.type_str("cd");
        assert_eq!(
            h.app.view.top_bar.made, after_edit,
            "typing on keeps the bar"
        );
        h.autosave();
        h.draw();
        assert!(top(&h).contains(" saved "), "{}", top(&h));
        assert!(top(&h).contains("bar.json"), "{}", top(&h));
        h.app.path = dir.path().join("renamed.json");
        h.draw();
        assert!(top(&h).contains("renamed.json"), "{}", top(&h));
        h.resize(70, 30);
        h.draw();
        let narrow = top(&h);
        assert!(
            !narrow.contains("rcs-composer"),
            "the app's name goes first: {narrow}"
        );
        assert!(narrow.contains("renamed.json"), "{narrow}");
    }
}
