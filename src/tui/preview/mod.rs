//! The rendered preview of the draft: what the recipient's RCS client shows, or the SMS/MMS
//! fallback. A widget over the draft document with no state beyond its scroll position.
//!
//! Layout in brief: a header (sender → recipient), then the message as a phone draws it (a
//! bubble with chips, a media box, a card, or cards side by side). Every text is measured in
//! terminal cells (see [`canvas`]); every write is clipped to the area, so nothing overflows
//! at any size. A field the validator reported shows in the problem colour with its marker,
//! a missing one as a `‹no title›` placeholder. The limits the preview cuts text at are in
//! [`strings`].
//!
//! Use: keep one [`PreviewState`] in the app, set `show_fallback` from the toggle, and each
//! frame `frame.render_stateful_widget(Preview::new(&doc, &report, focus), area, &mut
//! state)`, with the draft, its latest `validate` report and the path of the field being
//! edited. The widget moves `state.scroll` and `state.first_card` itself: it keeps them
//! inside the content and brings the focused field (or carousel card) into view; the app
//! may change `scroll` for explicit scrolling.

mod canvas;
mod card_cache;
mod carousel;
mod choice;
mod fallback;
pub mod image;
mod rcs;
mod reads;
mod slots;
pub mod strings;
mod urls;

#[cfg(test)]
mod tests;

use crate::message::{FieldPath, Report, Segment, Severity};
use crate::tui::measure;
use crate::tui::theme;
use canvas::Canvas;
use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::StatefulWidget;
pub(crate) use reads::{Reads, ReportRead};
use serde_json::{Map, Value};
use std::borrow::Cow;

pub(crate) use card_cache::{CardCache, DrawnCard, DrawnKey};
pub use slots::CardSlots;

/// What the preview remembers between frames.
#[derive(Debug, Clone, Default)]
pub struct PreviewState {
    /// Show the SMS/MMS fallback instead of the RCS message.
    pub show_fallback: bool,
    /// First line shown, for vertical scrolling. Kept within the content on every render.
    pub scroll: u16,
    /// The first carousel card shown, for horizontal scrolling. Moved on every render just
    /// enough to bring the focused card into view.
    pub first_card: usize,
    /// The pictures the last render lacked (see [`image`]), for the app to fetch.
    pub wanted: Vec<crate::tui::pictures::Want>,
    /// What is kept of each carousel card until it changes: its height, and the card as
    /// drawn.
    cards: Vec<CardCache>,
    /// The cards on the screen, to leave there when they did not change.
    pub slots: CardSlots,
}

/// The preview of `doc`. `focus` is the field being edited: a carousel scrolls so that its
/// card is in view, and the preview scrolls down to it.
pub struct Preview<'a> {
    pub doc: &'a Value,
    pub report: &'a Report,
    pub focus: Option<&'a FieldPath>,
    /// Pictures in the media areas; `None` draws the hatched boxes.
    pub pictures: Option<image::Pictures<'a>>,
    /// The buffer holds the frame before, as the terminal shows it: a carousel card drawn
    /// as it was, where it was, is left there (see [`CardSlots`]).
    pub on_screen: bool,
}

impl<'a> Preview<'a> {
    pub fn new(doc: &'a Value, report: &'a Report, focus: Option<&'a FieldPath>) -> Self {
        Preview {
            doc,
            report,
            focus,
            pictures: None,
            on_screen: false,
        }
    }
}

impl StatefulWidget for Preview<'_> {
    type State = PreviewState;

    fn render(self, area: Rect, buf: &mut Buffer, state: &mut PreviewState) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let cards = std::cell::RefCell::new(std::mem::take(&mut state.cards));
        let ctx = Ctx {
            doc: self.doc,
            report: self.report,
            focus: self.focus,
            pictures: self.pictures,
            wanted: Default::default(),
            cards: &cards,
            planned: Default::default(),
            slots: None,
            reads: Default::default(),
        };
        let is_carousel = !state.show_fallback
            && self.doc.get("messageType").and_then(Value::as_str) == Some("RCS_CAROUSEL");
        let (first_card, card_height) = if is_carousel {
            (
                carousel::carousel_first(&ctx, area.width, state.first_card),
                carousel::carousel_card_height(&ctx, area.width),
            )
        } else {
            (state.first_card, 0)
        };
        state.first_card = first_card;

        // Measure first, to keep the scroll inside the content and the focus in view.
        let mut m = Canvas::measure(area);
        draw(&ctx, &mut m, state.show_fallback, first_card, card_height);
        let max_scroll = (m.height - i32::from(area.height)).max(0);
        let mut scroll = i32::from(state.scroll).min(max_scroll);
        if let Some((top, bottom)) = m.focus {
            let h = i32::from(area.height);
            if bottom - top <= h {
                // Bring it all into view, moving as little as possible.
                if top < scroll {
                    scroll = top;
                } else if bottom > scroll + h {
                    scroll = bottom - h;
                }
            } else {
                // Taller than the pane: keep the pane within it, free to scroll through it.
                scroll = scroll.clamp(top, bottom - h);
            }
        }
        let scroll = scroll.clamp(0, max_scroll);
        state.scroll = u16::try_from(scroll).unwrap_or(u16::MAX);

        // The cards that go where the same drawing is on screen already are left there.
        if !self.on_screen {
            state.slots.forget();
        }
        let planned: Vec<(Rect, (i32, i32))> = ctx
            .planned
            .take()
            .into_iter()
            .map(|(x, y, w, h)| canvas::screen_rect(area, i32::from(state.scroll), x, y, w, h))
            .collect();
        // On the frame before, everything but what the slots keep was blanked already.
        state.slots.begin(buf, area, &planned, self.on_screen);
        let slots = std::cell::RefCell::new(std::mem::take(&mut state.slots));
        let ctx = Ctx {
            slots: self.on_screen.then_some(&slots),
            ..ctx
        };

        let total = {
            let mut c = Canvas::new(buf, area, state.scroll);
            draw(&ctx, &mut c, state.show_fallback, first_card, card_height);
            c.height
        };
        state.wanted = ctx.wanted.into_inner();
        state.cards = cards.into_inner();
        state.slots = slots.into_inner();
        if self.on_screen {
            // Nothing was drawn below the content (the marks go on rows with content).
            let end = i64::from(area.y) + i64::from(total) - i64::from(state.scroll);
            let end = u16::try_from(end.max(0)).unwrap_or(u16::MAX);
            state.slots.end(area, end);
        } else {
            state.slots.forget();
        }
        if area.width >= 2 {
            let x = area.right() - 1;
            if scroll > 0 {
                scroll_mark(buf, x, area.top(), area.left());
            }
            if scroll + i32::from(area.height) < total {
                scroll_mark_down(buf, x, area.bottom() - 1, area.left());
            }
        }
    }
}

fn scroll_mark(buf: &mut Buffer, x: u16, y: u16, left: u16) {
    put_mark(buf, x, y, left, strings::MORE_UP);
}

fn scroll_mark_down(buf: &mut Buffer, x: u16, y: u16, left: u16) {
    put_mark(buf, x, y, left, strings::MORE_DOWN);
}

/// Puts a one-cell mark in the last column, first blanking a wide character it would cut.
fn put_mark(buf: &mut Buffer, x: u16, y: u16, left: u16, mark: &str) {
    if x > left && buf[(x - 1, y)].symbol().cell_width() > 1 {
        buf[(x - 1, y)].set_symbol(" ");
    }
    buf[(x, y)].set_symbol(mark).set_style(theme::muted());
}

fn draw(ctx: &Ctx<'_>, c: &mut Canvas<'_>, fallback: bool, first_card: usize, card_height: i32) {
    // A body that is not an object has nothing either view can show.
    let Some(obj) = ctx.doc.as_object() else {
        let w = usize::from(c.width());
        paragraph(
            c,
            0,
            0,
            w,
            usize::MAX,
            strings::NOT_AN_OBJECT,
            false,
            theme::error(),
        );
        return;
    };
    if fallback {
        fallback::draw(ctx, c, obj);
    } else {
        rcs::draw(ctx, c, obj, first_card, card_height);
    }
}

/// What every drawing function needs to know about the draft.
pub(crate) struct Ctx<'a> {
    pub doc: &'a Value,
    pub report: &'a Report,
    pub focus: Option<&'a FieldPath>,
    pub pictures: Option<image::Pictures<'a>>,
    /// What the pictures drawn lacked.
    pub wanted: std::cell::RefCell<Vec<crate::tui::pictures::Want>>,
    /// What is kept of the carousel's cards between frames (see [`CardCache`]).
    pub cards: &'a std::cell::RefCell<Vec<CardCache>>,
    /// Measuring: where the carousel's cards in view go (column, content row, width,
    /// height).
    pub planned: std::cell::RefCell<Vec<(i32, i32, u16, u16)>>,
    /// Drawing on the frame before: the cards on the screen (see [`CardSlots`]).
    pub slots: Option<&'a std::cell::RefCell<CardSlots>>,
    /// While a carousel card is drawn to be kept: what its drawing read (see [`Reads`]).
    pub reads: std::cell::RefCell<Option<Reads>>,
}

/// A field's text as shown: the value, or a placeholder, with its style (marked when the
/// validator reported it).
#[derive(Debug, Clone)]
pub(crate) struct Shown<'a> {
    pub text: Cow<'a, str>,
    pub style: Style,
    /// True when the text is a placeholder, not the value.
    pub placeholder: bool,
    /// True when the value was cut (drawn with `…`).
    pub cut: bool,
    /// Where the value starts in `text` (after its mark), `None` for a placeholder.
    pub value_at: Option<usize>,
}

impl<'a> Shown<'a> {
    pub fn plain(text: impl Into<Cow<'a, str>>, style: Style) -> Self {
        Shown {
            text: text.into(),
            style,
            placeholder: false,
            cut: false,
            value_at: None,
        }
    }
}

/// How a field is required, for its placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    Required,
    Optional,
}

impl<'a> Ctx<'a> {
    /// Notes a download or an encoding a media area lacked.
    pub fn want(&self, w: crate::tui::pictures::Want) {
        let mut wanted = self.wanted.borrow_mut();
        if !wanted.contains(&w) {
            wanted.push(w);
        }
    }

    /// The worst problem reported exactly at `path`.
    pub fn severity(&self, path: &FieldPath) -> Option<Severity> {
        let s = self.severity_of(path);
        self.read(|| ReportRead::At(path.clone(), s));
        s
    }

    /// The problems a card or a choice at `base` lists because no field of it shows them:
    /// those at its keys not in `shown`, and with `at_base`, those at `base` itself.
    pub fn hidden_issues(
        &self,
        base: &FieldPath,
        shown: &[&str],
        at_base: bool,
    ) -> Vec<&'a crate::message::Issue> {
        let issues = self.hidden_issues_of(base, shown, at_base);
        self.read(|| ReportRead::Hidden {
            base: base.clone(),
            shown: shown.iter().map(|s| s.to_string()).collect(),
            at_base,
            lines: issues
                .iter()
                .map(|i| (i.severity, i.message.clone()))
                .collect(),
        });
        issues
    }

    pub(super) fn hidden_issues_of(
        &self,
        base: &FieldPath,
        shown: &[&str],
        at_base: bool,
    ) -> Vec<&'a crate::message::Issue> {
        self.report
            .all()
            .filter(|issue| {
                let p = &issue.path;
                // Positions under `base` (a card, a choice) draw their own problems.
                let direct = p.len() == base.len() + 1
                    && p.starts_with(base)
                    && p.last_key().is_some_and(|k| !shown.contains(&k));
                direct || (at_base && p == base)
            })
            .collect()
    }

    pub(super) fn severity_of(&self, path: &FieldPath) -> Option<Severity> {
        if self.report.errors.iter().any(|i| &i.path == path) {
            Some(Severity::Error)
        } else if self.report.warnings.iter().any(|i| &i.path == path) {
            Some(Severity::Warning)
        } else {
            None
        }
    }

    /// The worst problem reported at `path` or below it.
    pub fn severity_under(&self, path: &FieldPath) -> Option<Severity> {
        let s = self.severity_under_of(path);
        self.read(|| ReportRead::Under(path.clone(), s));
        s
    }

    pub(super) fn severity_under_of(&self, path: &FieldPath) -> Option<Severity> {
        if self.report.errors.iter().any(|i| i.path.starts_with(path)) {
            Some(Severity::Error)
        } else if self
            .report
            .warnings
            .iter()
            .any(|i| i.path.starts_with(path))
        {
            Some(Severity::Warning)
        } else {
            None
        }
    }

    /// True when the focus is at `path` or below it.
    pub fn focused(&self, path: &FieldPath) -> bool {
        self.focus.is_some_and(|f| f.starts_with(path))
    }

    /// The position in `cards` the focus is in, if any.
    pub fn focused_card(&self) -> Option<usize> {
        match self.focus?.segments() {
            [Segment::Key(k), Segment::Index(i), ..] if k == "cards" => Some(*i),
            _ => None,
        }
    }

    /// The text field `key` of `obj` (whose path is `base`), as shown: its value in `style`,
    /// or in the problem style with its marker, or a placeholder when it is missing, empty or
    /// not a string. `None` for an optional field that is absent and unreported.
    pub fn text(
        &self,
        obj: Option<&'a Map<String, Value>>,
        base: &FieldPath,
        key: &str,
        need: Need,
        style: Style,
    ) -> Option<Shown<'a>> {
        self.text_limited(obj, base, key, need, style, strings::FIELD_CHARS)
    }

    /// As [`Ctx::text`], the value cut after `limit` characters (marked `cut`).
    pub fn text_limited(
        &self,
        obj: Option<&'a Map<String, Value>>,
        base: &FieldPath,
        key: &str,
        need: Need,
        style: Style,
        limit: usize,
    ) -> Option<Shown<'a>> {
        let path = base.key(key);
        let sev = self.severity(&path);
        let value = obj.and_then(|o| o.get(key));
        let mut cut = false;
        let mut value_len = None;
        let (text, placeholder): (Cow<'a, str>, bool) = match value {
            Some(Value::String(s)) if !s.is_empty() => {
                let (t, c) = measure::cut_chars(s, limit);
                cut = c;
                value_len = Some(t.len());
                (Cow::Borrowed(t), false)
            }
            Some(Value::String(_)) => {
                if need == Need::Optional && sev.is_none() {
                    return None;
                }
                (strings::empty(key).into(), true)
            }
            None | Some(Value::Null) => {
                if need == Need::Optional && sev.is_none() {
                    return None;
                }
                (strings::missing(key).into(), true)
            }
            Some(other) => (
                strings::wrong_type(key, crate::message::validate::type_name(other)).into(),
                true,
            ),
        };
        let sev = sev.or(placeholder.then_some(Severity::Error));
        let mut shown = marked(text, sev, style, placeholder);
        shown.cut = cut;
        // The value ends the text (a mark may come first).
        shown.value_at = value_len.map(|n| shown.text.len() - n);
        Some(shown)
    }

    /// The number field `key` of `obj`, as shown, or a placeholder.
    pub fn number(
        &self,
        obj: Option<&'a Map<String, Value>>,
        base: &FieldPath,
        key: &str,
        style: Style,
    ) -> Shown<'a> {
        let path = base.key(key);
        let sev = self.severity(&path);
        let (text, placeholder): (Cow<'a, str>, bool) = match obj.and_then(|o| o.get(key)) {
            Some(Value::Number(n)) => (n.to_string().into(), false),
            None | Some(Value::Null) => (strings::missing(key).into(), true),
            Some(other) => (
                strings::wrong_type(key, crate::message::validate::type_name(other)).into(),
                true,
            ),
        };
        let sev = sev.or(placeholder.then_some(Severity::Error));
        marked(text, sev, style, placeholder)
    }
}

/// `text` in `style`, or, when there is a problem, with its marker in the problem style.
pub(crate) fn marked<'a>(
    text: Cow<'a, str>,
    sev: Option<Severity>,
    style: Style,
    placeholder: bool,
) -> Shown<'a> {
    match sev {
        None => Shown {
            text,
            style,
            placeholder,
            cut: false,
            value_at: None,
        },
        Some(s) => Shown {
            text: format!("{} {text}", mark(s)).into(),
            style: problem_style(s),
            placeholder,
            cut: false,
            value_at: None,
        },
    }
}

pub(crate) fn mark(s: Severity) -> &'static str {
    match s {
        Severity::Error => theme::MARK_ERROR,
        Severity::Warning => theme::MARK_WARNING,
    }
}

pub(crate) fn problem_style(s: Severity) -> Style {
    match s {
        Severity::Error => theme::error(),
        Severity::Warning => theme::warning(),
    }
}

/// Draws `parts` one after another on row `y` from column `x`, in at most `max` cells. When
/// they do not all fit, they are cut with `…` where the room ends; a part marked `cut` ends
/// with `…` too. Returns the cells used.
pub(crate) fn parts(c: &mut Canvas<'_>, x: i32, y: i32, max: usize, parts: &[Shown<'_>]) -> usize {
    c.reserve(y);
    // Measuring, or a row scrolled out of view: nothing to lay out.
    if !c.shows_row(y) {
        return 0;
    }
    // Widths are counted only as far as they matter: a long value need not be walked to
    // its end to know it does not fit.
    let mut total = 0;
    for p in parts {
        total += measure::width_capped(&p.text, max + 1 - total.min(max)) + usize::from(p.cut);
        if total > max {
            break;
        }
    }
    if total <= max {
        let mut used = 0;
        for p in parts {
            used += c.text_cut(x + used as i32, y, &p.text, max - used, p.cut, p.style);
        }
        return used;
    }
    if max == 0 {
        return 0;
    }
    // Keep one cell for the mark, in the style of the part it cuts.
    let budget = max - 1;
    let mut used = 0;
    for p in parts {
        let w = measure::width_capped(&p.text, budget - used.min(budget) + 1);
        if used + w > budget {
            let (head, hw) = measure::fit(&p.text, budget - used);
            used += c.text(x + used as i32, y, head, hw, p.style);
            return used + c.text(x + used as i32, y, measure::ELLIPSIS, 1, p.style);
        }
        used += c.text(x + used as i32, y, &p.text, w, p.style);
        if p.cut {
            if used + 1 > budget {
                break;
            }
            used += c.text(x + used as i32, y, measure::ELLIPSIS, 1, p.style);
        }
    }
    let style = parts.last().map_or(Style::new(), |p| p.style);
    used + c.text(x + used as i32, y, measure::ELLIPSIS, 1, style)
}

/// Draws a rounded frame `w` by `h` at (`x`, `y`). Nothing when either is under 2.
pub(crate) fn frame(c: &mut Canvas<'_>, x: i32, y: i32, w: u16, h: i32, style: Style) {
    if w < 2 || h < 2 {
        return;
    }
    let inner = usize::from(w - 2);
    let right = x + i32::from(w) - 1;
    c.text(x, y, "╭", 1, style);
    c.fill(x + 1, y, inner, "─", style);
    c.text(right, y, "╮", 1, style);
    for row in y + 1..y + h - 1 {
        c.text(x, row, "│", 1, style);
        c.text(right, row, "│", 1, style);
    }
    let bottom = y + h - 1;
    c.text(x, bottom, "╰", 1, style);
    c.fill(x + 1, bottom, inner, "─", style);
    c.text(right, bottom, "╯", 1, style);
}

/// Draws `text` wrapped to `width` cells from (`x`, `y`), at most `max_lines` lines, the last
/// cut with `…` when there is more. Returns the row after the last line.
#[allow(clippy::too_many_arguments)] // a position, a box and a styled text: all needed
pub(crate) fn paragraph(
    c: &mut Canvas<'_>,
    x: i32,
    y: i32,
    width: usize,
    max_lines: usize,
    text: &str,
    cut: bool,
    style: Style,
) -> i32 {
    let lines = measure::wrap(text, width, max_lines);
    draw_lines(c, (x, y), width, &lines, cut, style)
}

/// [`paragraph`] for a field's text as shown, and how much of that text decided what was
/// drawn when it stopped at `max_lines` (see [`measure::wrap_upto`]; whether the value was
/// cut does not matter then: the last line is cut anyway).
pub(crate) fn shown_paragraph(
    c: &mut Canvas<'_>,
    (x, y): (i32, i32),
    (width, max_lines): (usize, usize),
    t: &Shown<'_>,
) -> (i32, Option<usize>) {
    let (lines, upto) = measure::wrap_upto(&t.text, width, max_lines);
    (draw_lines(c, (x, y), width, &lines, t.cut, t.style), upto)
}

/// Draws wrapped `lines` from (`x`, `y`); the last one cut with `…` when `cut`. Returns the
/// row after the last line.
fn draw_lines(
    c: &mut Canvas<'_>,
    (x, y): (i32, i32),
    width: usize,
    lines: &[measure::WrappedLine<'_>],
    cut: bool,
    style: Style,
) -> i32 {
    let n = lines.len();
    for (i, line) in lines.iter().enumerate() {
        let last = i + 1 == n;
        c.text_cut(
            x,
            y + i as i32,
            line.text,
            width,
            line.cut || (last && cut),
            style,
        );
    }
    y + n as i32
}
