//! Terminal events become actions here, and only here, through one table of bindings
//! ([`BINDINGS`]): each row says where it applies, its keys and what each does, and how the
//! help and the footer show it. The same table feeds [`map_key`], the help overlay and the
//! footer, so they cannot drift.
//!
//! What a key means depends on what has focus ([`Context`]): each context looks through a
//! list of places ([`When`]) in order, and the first row that has the key wins. An overlay
//! first, then the composer's global keys, then the focused row (a text field takes
//! printable keys; a header takes letter commands).

use super::action::{Action, TextEdit};
use super::app::{App, BrowseMode, Overlay, Side};
use super::form::RowKind;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

/// What has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Text,
    Picker,
    Toggle,
    Item,
    Other,
    PickerOpen,
    Drafts,
    /// Typing a draft's new name.
    DraftsRename,
    /// A delete waiting for y.
    DraftsConfirm,
    Help,
    /// A send waiting for y.
    Confirm,
    History,
    Profiles,
    /// The send pane or the deliveries view has the keys.
    Pane,
}

/// Where a binding applies. A context looks through several, in order (see [`places`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Everywhere, overlays included.
    Always,
    /// Anywhere in the composer (not in an overlay).
    Composer,
    /// On any field of the form.
    Form,
    /// In a text field, before the form's keys (Ctrl-← → move by word there).
    TextFirst,
    /// In a text field.
    Text,
    /// On a picker field (message type, choice type, height, …).
    Picker,
    /// On a toggle (failover).
    Toggle,
    /// On a card or a choice header, a list, an add row.
    Item,
    /// On any row that is not a text field.
    NotText,
    /// In the drafts browser.
    Drafts,
    DraftsRename,
    DraftsConfirm,
    /// In an open list of values.
    PickerOpen,
    Help,
    Confirm,
    /// In the send pane or the deliveries view (F6, F7).
    Pane,
    /// Keys the pane swallows rather than let them change the form under it.
    PaneGuard,
    /// In the history (Ctrl-R).
    History,
    /// In the list of profiles (Ctrl-P).
    Profiles,
}

/// The places a context looks in, first match wins.
pub fn places(ctx: Context) -> &'static [When] {
    use When::*;
    match ctx {
        Context::Text => &[Always, TextFirst, Composer, Form, Text],
        Context::Picker => &[Always, Composer, Form, Picker, NotText],
        Context::Toggle => &[Always, Composer, Form, Toggle, NotText],
        Context::Item => &[Always, Composer, Form, Item, NotText],
        Context::Other => &[Always, Composer, Form, NotText],
        Context::PickerOpen => &[Always, PickerOpen],
        Context::Drafts => &[Always, Drafts],
        Context::DraftsRename => &[Always, DraftsRename, Text],
        Context::DraftsConfirm => &[Always, DraftsConfirm],
        Context::Help => &[Always, Help],
        Context::Confirm => &[Always, Confirm],
        Context::History => &[Always, History],
        Context::Profiles => &[Always, Profiles],
        Context::Pane => &[Always, Pane, PaneGuard, Composer],
    }
}

/// A key a binding answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// This key with these modifiers. Shift is ignored on characters (it made them) and on
    /// any key bound with no modifier, unless a row for the shifted key comes first.
    Press(KeyCode, KeyModifiers),
    /// Any printable character typed without Ctrl or Alt.
    Printable,
    /// Any letter or digit typed without Ctrl or Alt.
    Alnum,
    /// Any key at all.
    Any,
}

/// What a key does.
#[derive(Debug, Clone, Copy)]
pub enum Does {
    Act(&'static Action),
    /// An action made from the character typed.
    Char(fn(char) -> Action),
}

/// One row of the table: one line of the help.
pub struct Binding {
    pub when: When,
    /// The keys as the help and the footer show them; empty for an alias nobody needs to
    /// read about (a terminal's other code for a key).
    pub label: &'static str,
    pub help: &'static str,
    /// Shown in the footer when it applies.
    pub footer: bool,
    pub keys: &'static [(Key, Does)],
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const ALT: KeyModifiers = KeyModifiers::ALT;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

const fn key(c: KeyCode) -> Key {
    Key::Press(c, NONE)
}
const fn ch(c: char) -> Key {
    Key::Press(KeyCode::Char(c), NONE)
}
const fn ctrl(c: char) -> Key {
    Key::Press(KeyCode::Char(c), CTRL)
}
const fn with(c: KeyCode, m: KeyModifiers) -> Key {
    Key::Press(c, m)
}
const fn row(
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

fn insert(c: char) -> Action {
    Action::Edit(TextEdit::Insert(c))
}
fn jump(c: char) -> Action {
    Action::MenuJump(c)
}

const EDIT_LEFT: Action = Action::Edit(TextEdit::Left);
const EDIT_RIGHT: Action = Action::Edit(TextEdit::Right);
const EDIT_HOME: Action = Action::Edit(TextEdit::Home);
const EDIT_END: Action = Action::Edit(TextEdit::End);
const WORD_LEFT: Action = Action::Edit(TextEdit::WordLeft);
const WORD_RIGHT: Action = Action::Edit(TextEdit::WordRight);
const BACKSPACE: Action = Action::Edit(TextEdit::Backspace);
const DELETE: Action = Action::Edit(TextEdit::Delete);
const DELETE_WORD: Action = Action::Edit(TextEdit::DeleteWord);
const NEWLINE: Action = Action::Edit(TextEdit::Newline);

/// Every key of the composer, in the order the help lists them within a place, and the
/// footer shows them (the place's own first, then the ones that apply everywhere).
pub const BINDINGS: &[Binding] = &[
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
        true,
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
        "Ctrl-Z",
        "undo one step: a field's typing, a list edit, a type switch",
        false,
        &[(ctrl('z'), Act(&Action::Undo))],
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
        true,
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
        "Esc",
        "close, cancel, clear the message line",
        false,
        &[],
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
        W::Text,
        "← → Home End",
        "move in the text (Ctrl-← → by word)",
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
        "Backspace Del",
        "delete a character (Ctrl-W a word)",
        false,
        &[
            (with(Backspace, CTRL), Act(&DELETE_WORD)),
            (with(Backspace, ALT), Act(&DELETE_WORD)),
            (ctrl('w'), Act(&DELETE_WORD)),
            (key(Backspace), Act(&BACKSPACE)),
            (key(Delete), Act(&DELETE)),
        ],
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
    // --- an open list of values ---------------------------------------------------------
    row(
        W::PickerOpen,
        "↑ ↓ Enter",
        "choose",
        true,
        &[
            (key(Up), Act(&Action::MenuMove(-1))),
            (key(BackTab), Act(&Action::MenuMove(-1))),
            (with(BackTab, SHIFT), Act(&Action::MenuMove(-1))),
            (ch('k'), Act(&Action::MenuMove(-1))),
            (key(Down), Act(&Action::MenuMove(1))),
            (key(Tab), Act(&Action::MenuMove(1))),
            (ch('j'), Act(&Action::MenuMove(1))),
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
    row(
        W::Drafts,
        "↑ ↓",
        "select a draft",
        false,
        &[
            (key(Up), Act(&Action::MenuMove(-1))),
            (ch('k'), Act(&Action::MenuMove(-1))),
            (key(Down), Act(&Action::MenuMove(1))),
            (ch('j'), Act(&Action::MenuMove(1))),
        ],
    ),
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
        "",
        "",
        false,
        &[
            (key(Esc), Act(&Action::Back)),
            (key(Enter), Act(&Action::Activate)),
        ],
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
    row(
        W::History,
        "↑ ↓",
        "select a send",
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
            (key(Up), Act(&Action::MenuMove(-1))),
            (ch('k'), Act(&Action::MenuMove(-1))),
            (key(Down), Act(&Action::MenuMove(1))),
            (ch('j'), Act(&Action::MenuMove(1))),
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
    row(
        W::Help,
        "↑ ↓",
        "scroll",
        true,
        &[
            (key(Up), Act(&Action::MenuMove(-1))),
            (ch('k'), Act(&Action::MenuMove(-1))),
            (key(Down), Act(&Action::MenuMove(1))),
            (ch('j'), Act(&Action::MenuMove(1))),
            (key(PageUp), Act(&Action::MenuMove(-10))),
            (key(PageDown), Act(&Action::MenuMove(10))),
        ],
    ),
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
];

pub fn context(app: &App) -> Context {
    match &app.overlay {
        Some(Overlay::Help { .. }) => return Context::Help,
        Some(Overlay::Picker(_)) => return Context::PickerOpen,
        Some(Overlay::Drafts(b)) => {
            return match b.mode {
                BrowseMode::List => Context::Drafts,
                BrowseMode::Rename(_) => Context::DraftsRename,
                BrowseMode::ConfirmDelete => Context::DraftsConfirm,
            };
        }
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

/// Whether `k` answers to `key`.
fn matches(key: &Key, k: &KeyEvent) -> bool {
    let typed = !k.modifiers.intersects(CTRL | ALT);
    match *key {
        Key::Any => true,
        Key::Printable => typed && matches!(k.code, Char(c) if !c.is_control()),
        Key::Alnum => typed && matches!(k.code, Char(c) if c.is_alphanumeric()),
        Key::Press(code, mods) => {
            let same_code = match (code, k.code) {
                // A letter bound as such answers to either case (Y as y).
                (Char(a), Char(b)) => {
                    a == b || (a.is_ascii_lowercase() && a == b.to_ascii_lowercase())
                }
                (a, b) => a == b,
            };
            let extra = k.modifiers - SHIFT;
            same_code
                && (k.modifiers == mods
                    || (extra == mods && (mods == NONE || matches!(code, Char(_)))))
        }
    }
}

/// The binding and action `k` has in `ctx`, if any.
pub fn lookup(ctx: Context, k: &KeyEvent) -> Option<(&'static Binding, Action)> {
    for place in places(ctx) {
        for b in BINDINGS.iter().filter(|b| b.when == *place) {
            for (key, does) in b.keys {
                if matches(key, k) {
                    let action = match does {
                        Does::Act(a) => (*a).clone(),
                        Does::Char(f) => match k.code {
                            Char(c) => f(c),
                            _ => continue,
                        },
                    };
                    return Some((b, action));
                }
            }
        }
    }
    None
}

/// An Alt key no row binds, read as what it most likely was: Esc, then the key. A terminal
/// sends Alt-x as Esc and x, so Esc pressed right before another key (or written with it
/// in one go) reaches us as Alt and that key. Returns the key without Alt.
pub fn split_escape(app: &App, ev: &Event) -> Option<KeyEvent> {
    let Event::Key(k) = ev else { return None };
    if k.kind == KeyEventKind::Release || !k.modifiers.contains(ALT) {
        return None;
    }
    if lookup(context(app), k).is_some() {
        return None;
    }
    let mut plain = *k;
    plain.modifiers.remove(ALT);
    Some(plain)
}

pub fn map_key(app: &App, k: &KeyEvent) -> Option<Action> {
    let ctx = context(app);
    let (b, action) = lookup(ctx, k)?;
    // The pane swallows keys that would change the form under it.
    (b.when != When::PaneGuard).then_some(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTEXTS: [Context; 14] = [
        Context::Text,
        Context::Picker,
        Context::Toggle,
        Context::Item,
        Context::Other,
        Context::PickerOpen,
        Context::Drafts,
        Context::DraftsRename,
        Context::DraftsConfirm,
        Context::Help,
        Context::Confirm,
        Context::History,
        Context::Profiles,
        Context::Pane,
    ];

    /// A key event for `key`: a character no row names for the patterns, a function key no
    /// row names for "any key".
    fn event(key: &Key) -> KeyEvent {
        match *key {
            Key::Press(code, mods) => KeyEvent::new(code, mods),
            Key::Printable | Key::Alnum => KeyEvent::new(Char('é'), NONE),
            Key::Any => KeyEvent::new(F(9), NONE),
        }
    }

    fn expected(does: &Does, k: &KeyEvent) -> Action {
        match (does, k.code) {
            (Does::Act(a), _) => (*a).clone(),
            (Does::Char(f), Char(c)) => f(c),
            (Does::Char(_), _) => unreachable!("a character binding on a non-character key"),
        }
    }

    /// Every key of every row does what its row says in some context where the row applies:
    /// no row is dead, shadowed everywhere by another that does something else.
    #[test]
    fn every_binding_is_reachable() {
        for b in BINDINGS {
            let contexts: Vec<Context> = CONTEXTS
                .into_iter()
                .filter(|c| places(*c).contains(&b.when))
                .collect();
            assert!(!contexts.is_empty(), "{:?} applies nowhere", b.when);
            for (key, does) in b.keys {
                let k = event(key);
                let want = expected(does, &k);
                let got: Vec<Option<Action>> = contexts
                    .iter()
                    .map(|c| lookup(*c, &k).map(|(_, a)| a))
                    .collect();
                assert!(
                    got.iter().any(|a| a.as_ref() == Some(&want)),
                    "{:?} in {:?} ({}) should do {want:?}; it does {got:?}",
                    key,
                    b.when,
                    b.label
                );
            }
        }
    }

    /// What the help and the footer show is what the keys do.
    #[test]
    fn shown_rows_have_words_and_keys_do_what_they_say() {
        for b in BINDINGS {
            assert_eq!(b.label.is_empty(), b.help.is_empty(), "{}", b.label);
        }
        let at = |ctx, code, mods| lookup(ctx, &KeyEvent::new(code, mods)).map(|(_, a)| a);
        assert_eq!(at(Context::Text, Char('Q'), SHIFT), Some(insert('Q')));
        assert_eq!(at(Context::Text, Left, CTRL), Some(WORD_LEFT));
        assert_eq!(at(Context::Item, Left, CTRL), Some(Action::MoveItem(-1)));
        assert_eq!(at(Context::Other, F(8), SHIFT), Some(Action::PrevProblem));
        assert_eq!(at(Context::Other, F(8), NONE), Some(Action::NextProblem));
        assert_eq!(
            at(Context::Confirm, Char('Y'), SHIFT),
            Some(Action::MenuKey('y'))
        );
        assert_eq!(
            at(Context::Confirm, Enter, NONE),
            Some(Action::MenuKey('N'))
        );
        assert_eq!(
            at(Context::PickerOpen, Char('j'), NONE),
            Some(Action::MenuMove(1))
        );
        assert_eq!(at(Context::PickerOpen, Char('m'), NONE), Some(jump('m')));
        assert_eq!(at(Context::History, Char('q'), CTRL), Some(Action::Quit));
        assert_eq!(at(Context::Text, Char('s'), CTRL | ALT), None);
    }
}
