//! The composer's keys: anywhere, the form, a text field, a picker, a toggle, a card or a
//! choice. Shared helpers to write rows with, for this table and the overlays'.

use super::{Binding, Does, Key, When};
use crate::tui::action::{Action, TextEdit};
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

pub(super) const NONE: KeyModifiers = KeyModifiers::NONE;
pub(super) const CTRL: KeyModifiers = KeyModifiers::CONTROL;
pub(super) const ALT: KeyModifiers = KeyModifiers::ALT;
pub(super) const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

pub(super) const fn key(c: KeyCode) -> Key {
    Key::Press(c, NONE)
}
pub(super) const fn ch(c: char) -> Key {
    Key::Press(KeyCode::Char(c), NONE)
}
pub(super) const fn ctrl(c: char) -> Key {
    Key::Press(KeyCode::Char(c), CTRL)
}
pub(super) const fn with(c: KeyCode, m: KeyModifiers) -> Key {
    Key::Press(c, m)
}
pub(super) const fn row(
    when: When,
    label: &'static str,
    help: &'static str,
    footer: bool,
    keys: &'static [(Key, Does)],
) -> Binding {
    Binding {
        when,
        label,
        help,
        footer,
        keys,
    }
}

use Does::Act;
use KeyCode::*;
use When as W;

pub(super) fn insert(c: char) -> Action {
    Action::Edit(TextEdit::Insert(c))
}
pub(super) fn jump(c: char) -> Action {
    Action::MenuJump(c)
}

pub(super) const EDIT_LEFT: Action = Action::Edit(TextEdit::Left);
pub(super) const EDIT_RIGHT: Action = Action::Edit(TextEdit::Right);
pub(super) const EDIT_HOME: Action = Action::Edit(TextEdit::Home);
pub(super) const EDIT_END: Action = Action::Edit(TextEdit::End);
pub(super) const WORD_LEFT: Action = Action::Edit(TextEdit::WordLeft);
pub(super) const WORD_RIGHT: Action = Action::Edit(TextEdit::WordRight);
pub(super) const BACKSPACE: Action = Action::Edit(TextEdit::Backspace);
pub(super) const DELETE: Action = Action::Edit(TextEdit::Delete);
pub(super) const DELETE_WORD: Action = Action::Edit(TextEdit::DeleteWord);
pub(super) const NEWLINE: Action = Action::Edit(TextEdit::Newline);

/// The composer's rows, in the order the help lists them within a place, and the footer
/// shows them (the place's own first, then the ones that apply everywhere).
pub(super) const COMPOSER: &[Binding] = &[
    // --- everywhere, overlays included (shown with the composer's keys) ---------------
    row(
        W::Always,
        "",
        "",
        false,
        &[
            (ctrl('q'), Act(&Action::Quit)),
            (ctrl('c'), Act(&Action::Quit)),
            (ctrl('s'), Act(&Action::Save)),
            (key(F(1)), Act(&Action::Help)),
        ],
    ),
    // --- anywhere in the composer ------------------------------------------------------
    row(
        W::Composer,
        "F8",
        "next problem",
        false,
        &[
            (with(F(8), SHIFT), Act(&Action::PrevProblem)),
            (key(F(8)), Act(&Action::NextProblem)),
        ],
    ),
    row(
        W::Composer,
        "S-F8",
        "previous problem",
        false,
        // Some terminals send Shift-F8 as F20.
        &[(key(F(20)), Act(&Action::PrevProblem))],
    ),
    row(
        W::Composer,
        "Ctrl-U",
        "clear the field",
        false,
        &[(ctrl('u'), Act(&Action::ClearField))],
    ),
    row(
        W::Composer,
        "Ctrl-Z",
        "undo one step: a field's typing, an add, a delete, a move, a switch, a pick",
        false,
        &[(ctrl('z'), Act(&Action::Undo))],
    ),
    row(
        W::Composer,
        "Ctrl-Y",
        "redo what Ctrl-Z took back (Ctrl-Shift-Z too)",
        false,
        &[
            (ctrl('y'), Act(&Action::Redo)),
            (with(Char('z'), CTRL.union(SHIFT)), Act(&Action::Redo)),
        ],
    ),
    row(
        W::Composer,
        "Ctrl-G",
        "go to a field by its name or path",
        false,
        &[(ctrl('g'), Act(&Action::OpenGoTo))],
    ),
    row(
        W::Composer,
        "Ctrl-N",
        "new draft (pick its type)",
        false,
        &[(ctrl('n'), Act(&Action::NewDraft))],
    ),
    row(
        W::Composer,
        "Alt-Z",
        "suspend to the shell; fg comes back (Ctrl-Z is undo here)",
        false,
        &[(with(Char('z'), ALT), Act(&Action::Suspend))],
    ),
    row(
        W::Composer,
        "Ctrl-S",
        "save",
        true,
        &[(ctrl('s'), Act(&Action::Save))],
    ),
    row(
        W::Composer,
        "Ctrl-O",
        "drafts",
        true,
        &[(ctrl('o'), Act(&Action::OpenDrafts))],
    ),
    row(
        W::Composer,
        "Ctrl-E",
        "edit the draft as JSON in $VISUAL/$EDITOR",
        false,
        &[(ctrl('e'), Act(&Action::EditAsJson))],
    ),
    row(
        W::Composer,
        "Ctrl-F",
        "preview the SMS/MMS fallback or the RCS message",
        false,
        &[(ctrl('f'), Act(&Action::ToggleFallback))],
    ),
    row(
        W::Composer,
        "? F1",
        "this help (? on a non-text field)",
        false,
        &[(key(F(1)), Act(&Action::Help))],
    ),
    row(
        W::Composer,
        "F5",
        "send (with the active profile)",
        true,
        &[
            (with(F(5), SHIFT), Act(&Action::SendAnyway)),
            (key(F(5)), Act(&Action::Send)),
        ],
    ),
    row(
        W::Composer,
        "F5 F5 / S-F5",
        "send anyway despite local errors: F5 twice within 5 s, or Shift-F5",
        false,
        // Some terminals send Shift-F5 as F17.
        &[(key(F(17)), Act(&Action::SendAnyway))],
    ),
    row(
        W::Composer,
        "Esc",
        "cancel a send in flight",
        false,
        &[(key(Esc), Act(&Action::Back))],
    ),
    row(
        W::Composer,
        "F6",
        "send pane: the request and the answer",
        true,
        &[(key(F(6)), Act(&Action::ToggleSendPane))],
    ),
    row(
        W::Composer,
        "F7",
        "deliveries: updates per sent message",
        false,
        &[(key(F(7)), Act(&Action::ToggleDeliveries))],
    ),
    row(
        W::Composer,
        "Ctrl-R",
        "history of sends",
        false,
        &[(ctrl('r'), Act(&Action::OpenHistory))],
    ),
    row(
        W::Composer,
        "Ctrl-P",
        "profiles: pick where to send",
        true,
        &[(ctrl('p'), Act(&Action::OpenProfiles))],
    ),
    row(
        W::Composer,
        "Ctrl-T",
        "copy the curl command (F6 shows it too)",
        false,
        &[(ctrl('t'), Act(&Action::CopyCurl))],
    ),
    row(
        W::Composer,
        "Ctrl-B",
        "copy the JSON body as sent (F6 shows it too)",
        false,
        &[(ctrl('b'), Act(&Action::CopyBody))],
    ),
    row(
        W::Composer,
        "Esc",
        "close, cancel, clear the message line",
        false,
        &[],
    ),
    row(
        W::Composer,
        "F9",
        "check the draft's media URLs again (and download their pictures again)",
        false,
        &[(key(F(9)), Act(&Action::RecheckMedia))],
    ),
    row(
        W::Composer,
        "Alt-I",
        "pictures in the preview on or off",
        false,
        &[(with(Char('i'), ALT), Act(&Action::ToggleImages))],
    ),
    row(
        W::Composer,
        "Ctrl-Q Ctrl-C",
        "quit (the draft is saved)",
        true,
        &[
            (ctrl('q'), Act(&Action::Quit)),
            (ctrl('c'), Act(&Action::Quit)),
        ],
    ),
    row(
        W::Composer,
        "mouse",
        "click focuses a field or a problem; the wheel scrolls",
        false,
        &[],
    ),
    // --- the text field's own keys before the form's -------------------------------------
    row(
        W::TextFirst,
        "",
        "",
        false,
        &[
            (with(Left, CTRL), Act(&WORD_LEFT)),
            (with(Right, CTRL), Act(&WORD_RIGHT)),
        ],
    ),
    // --- the form ----------------------------------------------------------------------
    row(
        W::Form,
        "Tab ↓",
        "next field",
        true,
        &[
            (key(Tab), Act(&Action::NextField)),
            (key(Down), Act(&Action::NextField)),
        ],
    ),
    row(
        W::Form,
        "S-Tab ↑",
        "previous field",
        false,
        &[
            (key(BackTab), Act(&Action::PrevField)),
            (with(BackTab, SHIFT), Act(&Action::PrevField)),
            (key(Up), Act(&Action::PrevField)),
        ],
    ),
    row(
        W::Form,
        "PgUp PgDn",
        "move a page",
        false,
        &[
            (key(PageUp), Act(&Action::PageUp)),
            (key(PageDown), Act(&Action::PageDown)),
        ],
    ),
    row(
        W::Form,
        "Alt-↑ ↓ / Alt-← →",
        "move the card or choice (from any of its fields too)",
        false,
        &[
            (with(Up, ALT), Act(&Action::MoveItem(-1))),
            (with(Left, ALT), Act(&Action::MoveItem(-1))),
            (with(Down, ALT), Act(&Action::MoveItem(1))),
            (with(Right, ALT), Act(&Action::MoveItem(1))),
            (with(Up, CTRL), Act(&Action::MoveItem(-1))),
            (with(Left, CTRL), Act(&Action::MoveItem(-1))),
            (with(Down, CTRL), Act(&Action::MoveItem(1))),
            (with(Right, CTRL), Act(&Action::MoveItem(1))),
        ],
    ),
    row(
        W::Form,
        "Alt-C",
        "add a choice here (after this one, or to this card)",
        false,
        &[(with(Char('c'), ALT), Act(&Action::AddChoiceHere))],
    ),
    row(
        W::Form,
        "Alt-N",
        "add a card after this one",
        false,
        &[(with(Char('n'), ALT), Act(&Action::AddCardHere))],
    ),
    row(
        W::InItem,
        "C-PgDn C-PgUp",
        "next / previous card",
        true,
        &[
            (with(PageDown, CTRL), Act(&Action::JumpCard(1))),
            (with(PageUp, CTRL), Act(&Action::JumpCard(-1))),
        ],
    ),
    row(
        W::InItem,
        "A-PgDn A-PgUp",
        "next / previous choice",
        true,
        &[
            (with(PageDown, ALT), Act(&Action::JumpChoice(1))),
            (with(PageUp, ALT), Act(&Action::JumpChoice(-1))),
        ],
    ),
    row(
        W::Text,
        "← → Home End",
        "move in the text (Ctrl-A start; End the end, as Ctrl-E edits the JSON)",
        false,
        &[
            (key(Left), Act(&EDIT_LEFT)),
            (key(Right), Act(&EDIT_RIGHT)),
            (key(Home), Act(&EDIT_HOME)),
            (key(End), Act(&EDIT_END)),
            (ctrl('a'), Act(&EDIT_HOME)),
        ],
    ),
    row(
        W::Text,
        "Ctrl-← → Alt-B F",
        "move by word",
        false,
        &[
            (with(Char('b'), ALT), Act(&WORD_LEFT)),
            (with(Char('f'), ALT), Act(&WORD_RIGHT)),
        ],
    ),
    row(
        W::Text,
        "Backspace Del",
        "delete a character",
        false,
        &[
            (key(Backspace), Act(&BACKSPACE)),
            (key(Delete), Act(&DELETE)),
        ],
    ),
    row(
        W::Text,
        "Ctrl-W Alt-Bksp",
        "delete the word before the cursor (Alt-D the word after)",
        false,
        &[
            (with(Backspace, CTRL), Act(&DELETE_WORD)),
            (with(Backspace, ALT), Act(&DELETE_WORD)),
            (ctrl('w'), Act(&DELETE_WORD)),
            (ctrl('h'), Act(&DELETE_WORD)),
            (
                with(Char('d'), ALT),
                Act(&Action::Edit(TextEdit::DeleteWordForward)),
            ),
        ],
    ),
    row(
        W::Text,
        "Ctrl-K",
        "delete to the end of the line",
        false,
        &[(ctrl('k'), Act(&Action::Edit(TextEdit::KillToEnd)))],
    ),
    row(
        W::Text,
        "Alt-Enter",
        "new line (message text, descriptions)",
        false,
        &[
            (with(Enter, ALT), Act(&NEWLINE)),
            (key(Enter), Act(&Action::Activate)),
            (Key::Printable, Does::Char(insert)),
        ],
    ),
    row(
        W::Picker,
        "Enter",
        "open the list of values",
        true,
        &[(key(Enter), Act(&Action::Activate))],
    ),
    row(
        W::Picker,
        "← →",
        "previous / next value",
        true,
        &[
            (key(Left), Act(&Action::CycleValue(-1))),
            (key(Right), Act(&Action::CycleValue(1))),
        ],
    ),
    row(
        W::Toggle,
        "Space Enter",
        "turn on or off",
        true,
        &[(key(Enter), Act(&Action::Activate))],
    ),
    row(
        W::AddRow,
        "Enter",
        "add",
        true,
        &[(key(Enter), Act(&Action::AddItem))],
    ),
    row(
        W::Item,
        "Enter Space",
        "fold or unfold",
        true,
        &[
            (key(Enter), Act(&Action::Activate)),
            (key(Left), Act(&Action::Fold)),
            (key(Right), Act(&Action::Unfold)),
        ],
    ),
    row(
        W::Item,
        "a +",
        "add a card or choice (pick its type)",
        true,
        &[
            (ch('a'), Act(&Action::AddItem)),
            (ch('+'), Act(&Action::AddItem)),
            (key(Insert), Act(&Action::AddItem)),
        ],
    ),
    row(
        W::Item,
        "Del x",
        "delete this card or choice",
        true,
        &[
            (ch('x'), Act(&Action::DeleteItem)),
            (key(Delete), Act(&Action::DeleteItem)),
        ],
    ),
    row(
        W::Item,
        "d",
        "duplicate this card or choice",
        true,
        &[(ch('d'), Act(&Action::DuplicateItem))],
    ),
    row(
        W::NotText,
        "",
        "",
        false,
        &[
            (key(Enter), Act(&Action::Activate)),
            (ch(' '), Act(&Action::Toggle)),
            (ch('?'), Act(&Action::Help)),
            (ch('x'), Act(&Action::DeleteItem)),
            (key(Delete), Act(&Action::DeleteItem)),
            (key(Home), Act(&Action::PageUp)),
            (key(End), Act(&Action::PageDown)),
        ],
    ),
];
