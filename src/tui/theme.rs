//! Every colour and text style of the app, in one place, so a theme or `NO_COLOR` is one
//! change. Problems never rely on colour alone: each has a marker too (see `MARK_*`).

use ratatui::style::{Color, Modifier, Style};
use std::sync::atomic::{AtomicBool, Ordering};

static COLOR: AtomicBool = AtomicBool::new(true);

/// Turns colours on or off for the whole app (`NO_COLOR`). Styles keep their modifiers
/// (bold, underline, reverse), and problems keep their markers.
pub fn use_color(on: bool) {
    COLOR.store(on, Ordering::Relaxed);
}

/// `Style::fg`, unless colours are off.
fn fg(style: Style, color: Color) -> Style {
    if COLOR.load(Ordering::Relaxed) {
        style.fg(color)
    } else {
        style
    }
}

pub const MARK_ERROR: &str = "✗";
pub const MARK_WARNING: &str = "!";
pub const MARK_SERVER: &str = "⇄";
/// A finding of the media check (the file behind a media URL).
pub const MARK_MEDIA: &str = "◈";

pub fn error() -> Style {
    fg(Style::new(), Color::Red).add_modifier(Modifier::BOLD)
}

pub fn warning() -> Style {
    if COLOR.load(Ordering::Relaxed) {
        Style::new().fg(Color::Yellow)
    } else {
        Style::new().add_modifier(Modifier::UNDERLINED)
    }
}

/// A problem reported by the server (a 400), as distinct from local ones.
pub fn server() -> Style {
    let s = fg(Style::new(), Color::Magenta).add_modifier(Modifier::BOLD);
    if COLOR.load(Ordering::Relaxed) {
        s
    } else {
        s.add_modifier(Modifier::ITALIC)
    }
}

/// A finding of the media check, as distinct from the validator's warnings.
pub fn media() -> Style {
    if COLOR.load(Ordering::Relaxed) {
        Style::new().fg(Color::LightBlue)
    } else {
        Style::new().add_modifier(Modifier::ITALIC)
    }
}

/// True unless `NO_COLOR` turned colours off: pictures are drawn in colour or not at all.
pub fn colors_on() -> bool {
    COLOR.load(Ordering::Relaxed)
}

pub fn focus() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn muted() -> Style {
    fg(Style::new(), Color::DarkGray)
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn key_hint() -> Style {
    fg(Style::new(), Color::Cyan)
}

pub fn ok() -> Style {
    fg(Style::new(), Color::Green)
}

/// The preview's frames: bubbles, cards, media boxes.
pub fn preview_frame() -> Style {
    Style::new().fg(Color::Gray)
}

/// The frame of the card being edited, in the preview.
pub fn preview_focus() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

/// Suggestion chips and card buttons, coloured the way RCS clients colour actions.
pub fn preview_chip() -> Style {
    Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD)
}

/// The shaded media area of a card or media message.
pub fn preview_media() -> Style {
    Style::new().fg(Color::DarkGray)
}
