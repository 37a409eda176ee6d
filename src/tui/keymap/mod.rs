//! Terminal events become actions here, and only here, through one table of bindings
//! ([`bindings`]): each row says where it applies, its keys and what each does, and how the
//! help and the footer show it. The same table feeds [`map_key`], the help overlay and the
//! footer, so they cannot drift.
//!
//! What a key means depends on what has focus ([`Context`]): each context looks through a
//! list of places ([`When`]) in order, and the first row that has the key wins. An overlay
//! first, then the composer's global keys, then the focused row (a text field takes
//! printable keys; a header takes letter commands).

mod bindings;
mod overlay_bindings;

use super::action::{Action, TextEdit};
use super::app::{App, BrowseMode, Overlay, Side};
use super::form::RowKind;
use bindings::{ALT, CTRL, NONE, SHIFT};
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
    /// On a `+ add …` row.
    AddRow,
    /// Typing in the go-to list (Ctrl-G).
    GoTo,
    /// Ctrl-E with an earlier edit kept: continue from it or not.
    Recovery,
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
    /// On an add row, before the item keys.
    AddRow,
    /// Anywhere in the form; the footer shows these inside a card or a choice.
    InItem,
    /// In the go-to list.
    GoTo,
    /// The question of Ctrl-E with an edit kept.
    Recovery,
    /// On any row that is not a text field.
    NotText,
    /// In the drafts browser.
    Drafts,
    DraftsRename,
    DraftsConfirm,
    /// In an open list of values.
    PickerOpen,
    /// In any of the overlays' lists: moving in it.
    List,
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
        Context::Text => &[Always, TextFirst, Composer, Form, InItem, Text],
        Context::Picker => &[Always, Composer, Form, InItem, Picker, NotText],
        Context::Toggle => &[Always, Composer, Form, InItem, Toggle, NotText],
        Context::Item => &[Always, Composer, Form, InItem, Item, NotText],
        Context::AddRow => &[Always, Composer, Form, InItem, AddRow, Item, NotText],
        Context::Other => &[Always, Composer, Form, InItem, NotText],
        Context::GoTo => &[Always, GoTo, Text],
        Context::Recovery => &[Always, Recovery],
        Context::PickerOpen => &[Always, List, PickerOpen],
        Context::Drafts => &[Always, List, Drafts],
        Context::DraftsRename => &[Always, DraftsRename, Text],
        Context::DraftsConfirm => &[Always, DraftsConfirm],
        Context::Help => &[Always, List, Help],
        Context::Confirm => &[Always, Confirm],
        Context::History => &[Always, List, History],
        Context::Profiles => &[Always, List, Profiles],
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

/// Every row: the composer's, then the overlays'.
pub fn bindings() -> impl Iterator<Item = &'static Binding> {
    bindings::COMPOSER.iter().chain(overlay_bindings::OVERLAYS)
}

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
        Some(Overlay::GoTo(_)) => return Context::GoTo,
        Some(Overlay::Recovery(_)) => return Context::Recovery,
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
            RowKind::AddItem { .. } => Context::AddRow,
            RowKind::Item { .. } | RowKind::ListHeader { .. } => Context::Item,
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

/// A key code bound as `bound`, typed as `typed`: a letter bound as such answers to either
/// case (Y as y).
fn same_code(bound: KeyCode, typed: KeyCode) -> bool {
    match (bound, typed) {
        (KeyCode::Char(a), KeyCode::Char(b)) => {
            a == b || (a.is_ascii_lowercase() && a == b.to_ascii_lowercase())
        }
        (a, b) => a == b,
    }
}

/// Whether `k` answers to `key`.
fn matches(key: &Key, k: &KeyEvent) -> bool {
    let typed = !k.modifiers.intersects(CTRL | ALT);
    match *key {
        Key::Any => true,
        Key::Printable => typed && matches!(k.code, KeyCode::Char(c) if !c.is_control()),
        Key::Alnum => typed && matches!(k.code, KeyCode::Char(c) if c.is_alphanumeric()),
        Key::Press(code, mods) => {
            let extra = k.modifiers - SHIFT;
            same_code(code, k.code)
                && (k.modifiers == mods
                    || (extra == mods && (mods == NONE || matches!(code, KeyCode::Char(_)))))
        }
    }
}

/// The binding and action `k` has in `ctx`, if any. A row naming the key with exactly its
/// modifiers wins (Ctrl-Shift-Z over Ctrl-Z); then, place by place, a row it answers to
/// with Shift ignored, or a pattern (any character, any key).
pub fn lookup(ctx: Context, k: &KeyEvent) -> Option<(&'static Binding, Action)> {
    let exact = |key: &Key| matches!(*key, Key::Press(code, mods) if mods == k.modifiers && same_code(code, k.code));
    for pass in [true, false] {
        for place in places(ctx) {
            for b in bindings().filter(|b| b.when == *place) {
                for (key, does) in b.keys {
                    let hit = if pass { exact(key) } else { matches(key, k) };
                    if !hit {
                        continue;
                    }
                    let action = match does {
                        Does::Act(a) => (*a).clone(),
                        Does::Char(f) => match k.code {
                            KeyCode::Char(c) => f(c),
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
    use super::bindings::{WORD_LEFT, insert, jump};
    use super::*;
    use ratatui::crossterm::event::KeyCode::*;

    const CONTEXTS: [Context; 17] = [
        Context::AddRow,
        Context::GoTo,
        Context::Recovery,
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
            Key::Any => KeyEvent::new(F(10), NONE),
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
        for b in bindings() {
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
        for b in bindings() {
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
