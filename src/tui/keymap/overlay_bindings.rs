//! The overlays' keys: a list of values, the drafts browser, the side panes, the history,
//! the profiles, the help and a confirmation.

use super::bindings::{SHIFT, ch, ctrl, jump, key, row, with};
use super::{Binding, Does, Key, When};
use crate::tui::action::Action;
use ratatui::crossterm::event::KeyCode;

use Does::Act;
use KeyCode::*;
use When as W;

/// The overlays' rows, in the order the help lists them.
pub(super) const OVERLAYS: &[Binding] = &[
    // Moving in any of the overlays' lists (and scrolling the help).
    row(
        W::List,
        "",
        "",
        false,
        &[
            (key(Up), Act(&Action::MenuMove(-1))),
            (ch('k'), Act(&Action::MenuMove(-1))),
            (key(Down), Act(&Action::MenuMove(1))),
            (ch('j'), Act(&Action::MenuMove(1))),
            (key(PageUp), Act(&Action::MenuMove(-10))),
            (key(PageDown), Act(&Action::MenuMove(10))),
        ],
    ),
    // --- an open list of values ---------------------------------------------------------
    row(
        W::PickerOpen,
        "↑ ↓ Enter",
        "choose",
        true,
        &[
            (key(BackTab), Act(&Action::MenuMove(-1))),
            (with(BackTab, SHIFT), Act(&Action::MenuMove(-1))),
            (key(Tab), Act(&Action::MenuMove(1))),
            (key(Home), Act(&Action::MenuMove(-100))),
            (key(End), Act(&Action::MenuMove(100))),
            (key(Enter), Act(&Action::Activate)),
            (ch(' '), Act(&Action::Activate)),
        ],
    ),
    row(
        W::PickerOpen,
        "a letter",
        "jump to the next value starting with it",
        false,
        &[(Key::Alnum, Does::Char(jump))],
    ),
    row(
        W::PickerOpen,
        "Esc",
        "keep the value",
        true,
        &[(key(Esc), Act(&Action::Back))],
    ),
    // --- the drafts browser -------------------------------------------------------------
    row(W::Drafts, "↑ ↓", "select a draft", false, &[]),
    row(
        W::Drafts,
        "Enter",
        "open",
        true,
        &[(key(Enter), Act(&Action::Activate))],
    ),
    row(
        W::Drafts,
        "n",
        "new draft",
        true,
        &[(ch('n'), Act(&Action::MenuKey('n')))],
    ),
    row(
        W::Drafts,
        "d",
        "duplicate",
        true,
        &[(ch('d'), Act(&Action::MenuKey('d')))],
    ),
    row(
        W::Drafts,
        "r",
        "rename",
        true,
        &[(ch('r'), Act(&Action::MenuKey('r')))],
    ),
    row(
        W::Drafts,
        "Del x",
        "delete (asks first)",
        true,
        &[
            (ch('x'), Act(&Action::MenuKey('x'))),
            (key(Delete), Act(&Action::MenuKey('x'))),
        ],
    ),
    row(
        W::Drafts,
        "Esc",
        "back",
        true,
        &[
            (key(Esc), Act(&Action::Back)),
            (ctrl('o'), Act(&Action::Back)),
        ],
    ),
    row(
        W::DraftsRename,
        "Enter",
        "rename",
        true,
        &[(key(Enter), Act(&Action::Activate))],
    ),
    row(
        W::DraftsRename,
        "Esc",
        "keep the name",
        true,
        &[(key(Esc), Act(&Action::Back))],
    ),
    row(
        W::DraftsConfirm,
        "",
        "",
        false,
        &[
            (ch('y'), Act(&Action::MenuKey('y'))),
            (Key::Any, Act(&Action::MenuKey('N'))),
        ],
    ),
    // --- the side panes -----------------------------------------------------------------
    row(
        W::Pane,
        "↑ ↓ PgUp PgDn",
        "scroll",
        true,
        &[
            (key(Down), Act(&Action::PaneScroll(1))),
            (ch('j'), Act(&Action::PaneScroll(1))),
            (key(Up), Act(&Action::PaneScroll(-1))),
            (ch('k'), Act(&Action::PaneScroll(-1))),
            (key(PageDown), Act(&Action::PaneScroll(10))),
            (ch(' '), Act(&Action::PaneScroll(10))),
            (key(PageUp), Act(&Action::PaneScroll(-10))),
            (key(Home), Act(&Action::PaneScroll(-(u16::MAX as isize)))),
        ],
    ),
    row(
        W::Pane,
        "F6 F7",
        "the other pane, or back to the preview",
        true,
        &[],
    ),
    row(
        W::Pane,
        "Esc",
        "keys back to the form (the pane stays)",
        true,
        &[],
    ),
    row(
        W::PaneGuard,
        "",
        "",
        false,
        &[
            (Key::Printable, Act(&Action::Redraw)),
            (key(Enter), Act(&Action::Redraw)),
            (key(Delete), Act(&Action::Redraw)),
            (key(Insert), Act(&Action::Redraw)),
            (key(Backspace), Act(&Action::Redraw)),
            (key(Left), Act(&Action::Redraw)),
            (key(Right), Act(&Action::Redraw)),
            (key(End), Act(&Action::Redraw)),
        ],
    ),
    // --- history and profiles -----------------------------------------------------------
    row(W::History, "↑ ↓", "select a send", false, &[]),
    row(
        W::History,
        "Enter",
        "show it whole",
        true,
        &[(key(Enter), Act(&Action::Activate))],
    ),
    row(
        W::History,
        "n",
        "its request as a new draft",
        true,
        &[(ch('n'), Act(&Action::MenuKey('n')))],
    ),
    row(
        W::History,
        "Esc",
        "back",
        true,
        &[
            (key(Esc), Act(&Action::Back)),
            (ch('q'), Act(&Action::Back)),
            (ctrl('r'), Act(&Action::Back)),
        ],
    ),
    row(
        W::Profiles,
        "↑ ↓ Enter",
        "use a profile",
        true,
        &[
            (key(Enter), Act(&Action::Activate)),
            (ch(' '), Act(&Action::Activate)),
        ],
    ),
    row(
        W::Profiles,
        "Esc",
        "keep the active one",
        true,
        &[
            (key(Esc), Act(&Action::Back)),
            (ctrl('p'), Act(&Action::Back)),
        ],
    ),
    // --- the help and a confirmation ------------------------------------------------------
    row(W::Help, "↑ ↓", "scroll", true, &[]),
    row(
        W::Help,
        "Esc",
        "close",
        true,
        &[
            (key(Esc), Act(&Action::Back)),
            (ch('?'), Act(&Action::Back)),
            (ch('q'), Act(&Action::Back)),
            (key(Enter), Act(&Action::Back)),
        ],
    ),
    row(
        W::Confirm,
        "y",
        "send; any other key does not",
        true,
        &[
            (ch('y'), Act(&Action::MenuKey('y'))),
            (Key::Any, Act(&Action::MenuKey('N'))),
        ],
    ),
    // --- go to, and an edit kept from $EDITOR ------------------------------------------
    row(
        W::GoTo,
        "↑ ↓ Enter",
        "go to the selected field",
        true,
        &[
            (key(Up), Act(&Action::MenuMove(-1))),
            (key(Down), Act(&Action::MenuMove(1))),
            (key(PageUp), Act(&Action::MenuMove(-10))),
            (key(PageDown), Act(&Action::MenuMove(10))),
            (key(Enter), Act(&Action::Activate)),
        ],
    ),
    row(
        W::GoTo,
        "Esc",
        "stay where you are",
        true,
        &[(key(Esc), Act(&Action::Back))],
    ),
    row(
        W::Recovery,
        "r",
        "continue from the kept edit",
        true,
        &[(ch('r'), Act(&Action::MenuKey('r')))],
    ),
    row(
        W::Recovery,
        "Enter",
        "edit the draft as it is",
        true,
        &[(key(Enter), Act(&Action::Activate))],
    ),
    row(
        W::Recovery,
        "Esc",
        "cancel",
        true,
        &[(key(Esc), Act(&Action::Back))],
    ),
];
