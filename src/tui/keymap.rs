//! Terminal events become actions here, and only here. What a key means depends on what has
//! focus: an open overlay first, then the global keys, then the focused row (a text field
//! takes printable keys; a header takes letter commands). `strings::KEYS` lists them all.

use super::action::{Action, TextEdit};
use super::app::{App, BrowseMode, Overlay, Side};
use super::form::RowKind;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

/// What has the keyboard, for the footer and the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Text,
    Picker,
    Toggle,
    Item,
    Other,
    PickerOpen,
    Drafts,
    Help,
    /// A send waiting for y.
    Confirm,
    History,
    Profiles,
    /// The send pane or the deliveries view has the keys.
    Pane,
}

pub fn context(app: &App) -> Context {
    match &app.overlay {
        Some(Overlay::Help { .. }) => return Context::Help,
        Some(Overlay::Picker(_)) => return Context::PickerOpen,
        Some(Overlay::Drafts(_)) => return Context::Drafts,
        Some(Overlay::Confirm(_)) => return Context::Confirm,
        Some(Overlay::History { .. }) => return Context::History,
        Some(Overlay::Profiles { .. }) => return Context::Profiles,
        None => {}
    }
    if app.view.side_focus && app.view.side != Side::Preview {
        return Context::Pane;
    }
    match app.focused() {
        Some(r) if r.is_text() => Context::Text,
        Some(r) if r.is_picker() => Context::Picker,
        Some(r) => match r.kind {
            RowKind::Failover(_) => Context::Toggle,
            RowKind::Item { .. } | RowKind::ListHeader { .. } | RowKind::AddItem { .. } => {
                Context::Item
            }
            _ => Context::Other,
        },
        None => Context::Other,
    }
}

pub fn map_event(app: &App, ev: &Event) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => map_key(app, k),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollDown => Some(Action::Scroll {
                column: m.column,
                row: m.row,
                down: true,
            }),
            MouseEventKind::ScrollUp => Some(Action::Scroll {
                column: m.column,
                row: m.row,
                down: false,
            }),
            _ => None,
        },
        Event::Paste(t) => Some(Action::Edit(TextEdit::Paste(t.clone()))),
        Event::Resize(..) => Some(Action::Redraw),
        _ => None,
    }
}

pub fn map_key(app: &App, k: &KeyEvent) -> Option<Action> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let alt = k.modifiers.contains(KeyModifiers::ALT);
    let shift = k.modifiers.contains(KeyModifiers::SHIFT);
    // Keys that mean the same everywhere.
    match k.code {
        KeyCode::Char('q' | 'c') if ctrl => return Some(Action::Quit),
        KeyCode::Char('s') if ctrl => return Some(Action::Save),
        KeyCode::F(1) => return Some(Action::Help),
        _ => {}
    }
    let ctx = context(app);
    match ctx {
        Context::Confirm => {
            return match k.code {
                KeyCode::Char('y' | 'Y') => Some(Action::MenuKey('y')),
                _ => Some(Action::MenuKey('N')),
            };
        }
        Context::History => {
            return match k.code {
                KeyCode::Esc | KeyCode::Char('q') => Some(Action::Back),
                KeyCode::Char('r') if ctrl => Some(Action::Back),
                KeyCode::Enter => Some(Action::Activate),
                KeyCode::Down | KeyCode::Char('j') => Some(Action::MenuMove(1)),
                KeyCode::Up | KeyCode::Char('k') => Some(Action::MenuMove(-1)),
                KeyCode::PageDown => Some(Action::MenuMove(10)),
                KeyCode::PageUp => Some(Action::MenuMove(-10)),
                KeyCode::Char('n') => Some(Action::MenuKey('n')),
                _ => None,
            };
        }
        Context::Profiles => {
            return match k.code {
                KeyCode::Esc => Some(Action::Back),
                KeyCode::Char('p') if ctrl => Some(Action::Back),
                KeyCode::Enter | KeyCode::Char(' ') => Some(Action::Activate),
                KeyCode::Down | KeyCode::Char('j') => Some(Action::MenuMove(1)),
                KeyCode::Up | KeyCode::Char('k') => Some(Action::MenuMove(-1)),
                _ => None,
            };
        }
        Context::Pane => {
            let pane = match k.code {
                KeyCode::Down | KeyCode::Char('j') => Some(Action::PaneScroll(1)),
                KeyCode::Up | KeyCode::Char('k') => Some(Action::PaneScroll(-1)),
                KeyCode::PageDown | KeyCode::Char(' ') => Some(Action::PaneScroll(10)),
                KeyCode::PageUp => Some(Action::PaneScroll(-10)),
                KeyCode::Home => Some(Action::PaneScroll(-(u16::MAX as isize))),
                _ => None,
            };
            if pane.is_some() {
                return pane;
            }
            // Keys that would change the form's focused row do nothing here: the pane has
            // the keys (Esc or Tab gives them back).
            if !ctrl
                && matches!(
                    k.code,
                    KeyCode::Char(_)
                        | KeyCode::Enter
                        | KeyCode::Delete
                        | KeyCode::Insert
                        | KeyCode::Backspace
                        | KeyCode::Left
                        | KeyCode::Right
                        | KeyCode::End
                )
            {
                return None;
            }
        }
        Context::Help => {
            return match k.code {
                KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::Enter => Some(Action::Back),
                KeyCode::Down | KeyCode::Char('j') => Some(Action::MenuMove(1)),
                KeyCode::Up | KeyCode::Char('k') => Some(Action::MenuMove(-1)),
                KeyCode::PageDown => Some(Action::MenuMove(10)),
                KeyCode::PageUp => Some(Action::MenuMove(-10)),
                _ => None,
            };
        }
        Context::PickerOpen => {
            return match k.code {
                KeyCode::Esc => Some(Action::Back),
                KeyCode::Enter | KeyCode::Char(' ') => Some(Action::Activate),
                KeyCode::Down | KeyCode::Tab | KeyCode::Char('j') => Some(Action::MenuMove(1)),
                KeyCode::Up | KeyCode::BackTab | KeyCode::Char('k') => Some(Action::MenuMove(-1)),
                KeyCode::Home => Some(Action::MenuMove(-100)),
                KeyCode::End => Some(Action::MenuMove(100)),
                KeyCode::Char(c) if c.is_alphanumeric() => Some(Action::MenuJump(c)),
                _ => None,
            };
        }
        Context::Drafts => {
            let renaming = matches!(
                &app.overlay,
                Some(Overlay::Drafts(b)) if matches!(b.mode, BrowseMode::Rename(_))
            );
            let confirming = matches!(
                &app.overlay,
                Some(Overlay::Drafts(b)) if matches!(b.mode, BrowseMode::ConfirmDelete)
            );
            if confirming {
                return match k.code {
                    KeyCode::Char('y' | 'Y') => Some(Action::MenuKey('y')),
                    _ => Some(Action::MenuKey('N')),
                };
            }
            if renaming {
                return match k.code {
                    KeyCode::Esc => Some(Action::Back),
                    KeyCode::Enter => Some(Action::Activate),
                    _ => text_key(k, ctrl, alt),
                };
            }
            return match k.code {
                KeyCode::Esc => Some(Action::Back),
                KeyCode::Char('o') if ctrl => Some(Action::Back),
                KeyCode::Enter => Some(Action::Activate),
                KeyCode::Down | KeyCode::Char('j') => Some(Action::MenuMove(1)),
                KeyCode::Up | KeyCode::Char('k') => Some(Action::MenuMove(-1)),
                KeyCode::Char('n') => Some(Action::MenuKey('n')),
                KeyCode::Char('d') => Some(Action::MenuKey('d')),
                KeyCode::Char('r') => Some(Action::MenuKey('r')),
                KeyCode::Char('x') | KeyCode::Delete => Some(Action::MenuKey('x')),
                _ => None,
            };
        }
        _ => {}
    }
    // The composer's global keys.
    match k.code {
        KeyCode::Char('o') if ctrl => return Some(Action::OpenDrafts),
        KeyCode::Char('e') if ctrl => return Some(Action::EditAsJson),
        KeyCode::Char('f') if ctrl => return Some(Action::ToggleFallback),
        KeyCode::Char('z') if ctrl => return Some(Action::Undo),
        KeyCode::F(8) if shift => return Some(Action::PrevProblem),
        KeyCode::F(8) => return Some(Action::NextProblem),
        // Some terminals send Shift-F8 as F20.
        KeyCode::F(20) => return Some(Action::PrevProblem),
        KeyCode::F(5) if shift => return Some(Action::SendAnyway),
        // Some terminals send Shift-F5 as F17.
        KeyCode::F(17) => return Some(Action::SendAnyway),
        KeyCode::F(5) => return Some(Action::Send),
        KeyCode::F(6) => return Some(Action::ToggleSendPane),
        KeyCode::F(7) => return Some(Action::ToggleDeliveries),
        KeyCode::Char('r') if ctrl => return Some(Action::OpenHistory),
        KeyCode::Char('p') if ctrl => return Some(Action::OpenProfiles),
        KeyCode::Tab => return Some(Action::NextField),
        KeyCode::BackTab => return Some(Action::PrevField),
        KeyCode::Esc => return Some(Action::Back),
        KeyCode::Up | KeyCode::Left | KeyCode::Down | KeyCode::Right if alt || ctrl => {
            let d = if matches!(k.code, KeyCode::Up | KeyCode::Left) {
                -1
            } else {
                1
            };
            // Ctrl-←/→ in a text field move by word.
            if ctx == Context::Text && ctrl && matches!(k.code, KeyCode::Left | KeyCode::Right) {
                return Some(Action::Edit(if d < 0 {
                    TextEdit::WordLeft
                } else {
                    TextEdit::WordRight
                }));
            }
            return Some(Action::MoveItem(d));
        }
        KeyCode::Down => return Some(Action::NextField),
        KeyCode::Up => return Some(Action::PrevField),
        KeyCode::PageDown => return Some(Action::PageDown),
        KeyCode::PageUp => return Some(Action::PageUp),
        _ => {}
    }
    match ctx {
        Context::Text => match k.code {
            KeyCode::Enter if alt => Some(Action::Edit(TextEdit::Newline)),
            KeyCode::Enter => Some(Action::Activate),
            _ => text_key(k, ctrl, alt),
        },
        _ => {
            let on_item = ctx == Context::Item;
            match k.code {
                KeyCode::Enter => Some(Action::Activate),
                KeyCode::Char(' ') => Some(Action::Toggle),
                KeyCode::Char('?') => Some(Action::Help),
                KeyCode::Left if ctx == Context::Picker => Some(Action::CycleValue(-1)),
                KeyCode::Right if ctx == Context::Picker => Some(Action::CycleValue(1)),
                KeyCode::Left if on_item => Some(Action::Fold),
                KeyCode::Right if on_item => Some(Action::Unfold),
                KeyCode::Char('a' | '+') | KeyCode::Insert if on_item => Some(Action::AddItem),
                KeyCode::Char('x') | KeyCode::Delete if on_item || ctx == Context::Other => {
                    Some(Action::DeleteItem)
                }
                KeyCode::Char('d') if on_item => Some(Action::DuplicateItem),
                KeyCode::Home => Some(Action::PageUp),
                KeyCode::End => Some(Action::PageDown),
                _ => None,
            }
        }
    }
}

/// A key typed into a text field.
fn text_key(k: &KeyEvent, ctrl: bool, alt: bool) -> Option<Action> {
    let e = match k.code {
        KeyCode::Char('w') if ctrl => TextEdit::DeleteWord,
        KeyCode::Char('a') if ctrl => TextEdit::Home,
        KeyCode::Char(c) if !ctrl && !alt => TextEdit::Insert(c),
        KeyCode::Backspace if ctrl || alt => TextEdit::DeleteWord,
        KeyCode::Backspace => TextEdit::Backspace,
        KeyCode::Delete => TextEdit::Delete,
        KeyCode::Left if ctrl => TextEdit::WordLeft,
        KeyCode::Right if ctrl => TextEdit::WordRight,
        KeyCode::Left => TextEdit::Left,
        KeyCode::Right => TextEdit::Right,
        KeyCode::Home => TextEdit::Home,
        KeyCode::End => TextEdit::End,
        _ => return None,
    };
    Some(Action::Edit(e))
}
