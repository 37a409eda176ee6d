//! Every colour and text style of the app, in one place, so a theme or `NO_COLOR` is one
//! change. Problems never rely on colour alone: each has a marker too (see `MARK_*`).

use ratatui::style::{Color, Modifier, Style};

pub const MARK_ERROR: &str = "✗";
pub const MARK_WARNING: &str = "!";
pub const MARK_SERVER: &str = "⇄";

pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn warning() -> Style {
    Style::new().fg(Color::Yellow)
}

/// A problem reported by the server (a 400), as distinct from local ones.
pub fn server() -> Style {
    Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)
}

pub fn focus() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn muted() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn key_hint() -> Style {
    Style::new().fg(Color::Cyan)
}

pub fn ok() -> Style {
    Style::new().fg(Color::Green)
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
