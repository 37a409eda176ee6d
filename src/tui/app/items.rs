//! Cards and choices: add, delete, duplicate, move and jump between them, with the folds
//! following the items. A list that is not in the draft yet is empty: the first add creates
//! it, and deleting its last item removes it again (only a list the form created).

use super::App;
use super::{Overlay, PickFor, Picker};
use crate::message::edit;
use crate::message::schema::{CHOICE_TYPES, ChoiceType, Kind, MessageType, fields_of};
use crate::message::{FieldPath, Segment};
use crate::tui::form::{self, ListKind, Row, RowKey, RowKind, RowTag};
use crate::tui::strings as s;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;

/// Where an add goes: the list, the position, what the list holds, how long it is and its
/// limit.
pub(super) struct AddTarget {
    list: FieldPath,
    at: usize,
    kind: ListKind,
    len: usize,
    max: Option<usize>,
}

impl AddTarget {
    fn full(&self) -> Option<usize> {
        self.max.filter(|m| self.len >= *m)
    }
}

impl App {
    /// The list and position of the card or choice the focus is in (innermost).
    pub(super) fn current_item(&self) -> Option<(FieldPath, usize, ListKind)> {
        let row = self.focused()?;
        let segs = row.path.segments();
        let end = match row.kind {
            // A list header and the add row carry the list's path: not inside an item of it.
            RowKind::ListHeader { .. } | RowKind::AddItem { .. } => segs.len().saturating_sub(1),
            _ => segs.len(),
        };
        let pos = segs[..end]
            .iter()
            .rposition(|s| matches!(s, Segment::Index(_)))?;
        let Segment::Index(i) = segs[pos] else {
            return None;
        };
        let list = row.path.prefix(pos);
        let kind = self.list_kind(&list)?;
        Some((list, i, kind))
    }

    fn list_kind(&self, list: &FieldPath) -> Option<ListKind> {
        match crate::message::schema::field_at(&self.doc, list)?.kind {
            Kind::Cards { .. } => Some(ListKind::Cards),
            Kind::Choices { .. } => Some(ListKind::Choices),
            _ => None,
        }
    }

    fn target(&self, list: FieldPath, at: Option<usize>) -> Option<AddTarget> {
        let field = crate::message::schema::field_at(&self.doc, &list)?;
        let (kind, max) = match field.kind {
            Kind::Cards { max, .. } => (ListKind::Cards, Some(max)),
            Kind::Choices { max, .. } => (ListKind::Choices, max),
            _ => return None,
        };
        // A list not in the draft yet is empty: the first add creates it.
        let len = list
            .get(&self.doc)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        Some(AddTarget {
            list,
            at: at.unwrap_or(len),
            kind,
            len,
            max,
        })
    }

    /// The list a new item goes into and where: after the focused item, or at the end of
    /// the focused list.
    pub(super) fn add_target(&self) -> Option<AddTarget> {
        let row = self.focused()?;
        match &row.kind {
            RowKind::ListHeader { .. } | RowKind::AddItem { .. } => {
                self.target(row.path.clone(), None)
            }
            _ => {
                let (list, i, _) = self.current_item()?;
                self.target(list, Some(i + 1))
            }
        }
    }

    /// `a`, `+`, Insert, or Enter on an add row: an item for the focused list.
    pub(super) fn add_item(&mut self) {
        match self.add_target() {
            Some(t) => self.add_to(t),
            None => self.say(s::NOT_IN_A_LIST),
        }
    }

    /// Alt-C, from any field: a choice after the focused one, else at the end of the
    /// choices of the card (or message) the focus is in.
    pub(super) fn add_choice_here(&mut self) {
        let path = self.focused().map(|r| r.path.clone()).unwrap_or_default();
        let segs = path.segments();
        let in_choice = segs
            .windows(2)
            .rposition(|w| matches!(w, [Segment::Key(k), Segment::Index(_)] if k == "choices"));
        let target = match in_choice {
            Some(pos) => {
                let Segment::Index(i) = segs[pos + 1] else {
                    return;
                };
                self.target(path.prefix(pos + 1), Some(i + 1))
            }
            None => {
                let card = match segs {
                    [Segment::Key(k), Segment::Index(i), ..] if k == "cards" => {
                        Some(FieldPath::root().key("cards").index(*i))
                    }
                    _ => None,
                };
                let owner = match card {
                    Some(c) => Some(c),
                    None if self.message_type() == Some(MessageType::Carousel) => None,
                    None => Some(FieldPath::root()),
                };
                owner.and_then(|o| self.target(o.key("choices"), None))
            }
        };
        match target {
            Some(t) => self.add_to(t),
            None => self.say(s::ADD_CHOICE_WHERE),
        }
    }

    /// Alt-N, from any field of a carousel: a card after the focused one, else at the end.
    pub(super) fn add_card_here(&mut self) {
        if self.message_type() != Some(MessageType::Carousel) {
            self.say(s::ADD_CARD_WHERE);
            return;
        }
        let cards = FieldPath::root().key("cards");
        let at = match self
            .focused()
            .map(|r| r.path.segments().to_vec())
            .as_deref()
        {
            Some([Segment::Key(k), Segment::Index(i), _, ..]) if k == "cards" => Some(i + 1),
            Some([Segment::Key(k), Segment::Index(i)]) if k == "cards" => Some(i + 1),
            _ => None,
        };
        if let Some(t) = self.target(cards, at) {
            self.add_to(t);
        }
    }

    fn message_type(&self) -> Option<MessageType> {
        self.doc
            .get("messageType")
            .and_then(Value::as_str)
            .and_then(MessageType::parse)
    }

    /// Adds to `t`: a card at once, a choice once its type is picked.
    fn add_to(&mut self, t: AddTarget) {
        if let Some(m) = t.full() {
            self.warn(s::list_full(t.kind.singular(), m));
            return;
        }
        match t.kind {
            ListKind::Choices => {
                self.overlay = Some(Overlay::Picker(Picker {
                    title: s::PICK_CHOICE_TYPE,
                    options: CHOICE_TYPES,
                    selected: 0,
                    purpose: PickFor::AddChoice {
                        list: t.list,
                        at: t.at,
                    },
                }));
            }
            ListKind::Cards => self.insert_item(&t.list, t.at, edit::new_card()),
        }
    }

    /// A new choice of type `t` at `at` in `list` (the type was picked).
    pub(super) fn insert_choice(&mut self, list: &FieldPath, at: usize, t: ChoiceType) {
        self.insert_item(list, at, edit::new_choice(t));
    }

    /// Inserts `item` and puts the focus on its title, ready for typing.
    fn insert_item(&mut self, list: &FieldPath, at: usize, item: Value) {
        let absent = list.get(&self.doc).is_none();
        self.checkpoint();
        match edit::list_insert(Arc::make_mut(&mut self.doc), list, at, item) {
            Ok(i) => {
                if absent {
                    self.form.created_lists.insert(list.clone());
                }
                self.shift_items(list, |j| if j >= i { Some(j + 1) } else { Some(j) });
                let target = RowKey::new(list.index(i).key("title"), RowTag::Value);
                self.changed(Some(target));
            }
            Err(e) => {
                self.drop_checkpoint();
                self.warn(e.to_string());
            }
        }
    }

    /// `x` or Delete: a card or a choice on its header, or a field the form keeps as it is
    /// (an unknown key, a value of the wrong shape).
    pub(super) fn delete_item(&mut self) {
        let Some(row) = self.focused().cloned() else {
            return;
        };
        if let RowKind::Raw(_) | RowKind::Unknown = row.kind {
            self.checkpoint();
            edit::remove(Arc::make_mut(&mut self.doc), &row.path);
            self.changed(None);
            self.say(s::removed_key(&row.path.to_string()));
            return;
        }
        if !matches!(row.kind, RowKind::Item { .. }) {
            self.say(s::NOT_IN_A_LIST);
            return;
        }
        let Some((list, i, kind)) = self.current_item() else {
            self.say(s::NOT_IN_A_LIST);
            return;
        };
        self.checkpoint();
        if edit::list_remove(Arc::make_mut(&mut self.doc), &list, i).is_err() {
            self.drop_checkpoint();
            return;
        }
        self.shift_items(&list, |j| match j.cmp(&i) {
            std::cmp::Ordering::Less => Some(j),
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Greater => Some(j - 1),
        });
        let len = list
            .get(&self.doc)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if len == 0 && self.form.created_lists.remove(&list) {
            // The form made this list: with its last item it goes too.
            edit::remove(Arc::make_mut(&mut self.doc), &list);
        }
        let target = if len == 0 {
            RowKey::new(list.clone(), RowTag::AddItem)
        } else {
            RowKey::new(list.index(i.min(len - 1)), RowTag::Item)
        };
        self.changed(Some(target));
        let what = match kind {
            ListKind::Cards => s::card_label(i),
            ListKind::Choices => s::choice_label(i),
        };
        self.say(s::deleted_item(&what));
    }

    /// `d`: a copy right after the item, with the focus on the copy's first field.
    pub(super) fn duplicate_item(&mut self) {
        let Some((list, i, kind)) = self.current_item() else {
            self.say(s::NOT_IN_A_LIST);
            return;
        };
        if let Some(max) = self.target(list.clone(), None).and_then(|t| t.full()) {
            self.warn(s::list_full(kind.singular(), max));
            return;
        }
        self.checkpoint();
        let Ok(n) = edit::list_duplicate(Arc::make_mut(&mut self.doc), &list, i) else {
            self.drop_checkpoint();
            return;
        };
        self.shift_items(&list, |j| if j > i { Some(j + 1) } else { Some(j) });
        let copy = list.index(n);
        self.form.folded.remove(&copy);
        let target = match fields_of(&self.doc, &copy).first() {
            Some(f) => RowKey::new(copy.key(f.key), RowTag::Value),
            None => RowKey::new(copy, RowTag::Item),
        };
        self.changed(Some(target));
        let what = match kind {
            ListKind::Cards => s::card_label(i),
            ListKind::Choices => s::choice_label(i),
        };
        self.say(s::duplicated_item(&what));
    }

    pub(super) fn move_item(&mut self, d: isize) {
        let Some((list, i, _)) = self.current_item() else {
            self.say(s::NOT_IN_A_LIST);
            return;
        };
        let before = self.doc.clone();
        match edit::list_move(Arc::make_mut(&mut self.doc), &list, i, d) {
            Ok(Some(to)) => {
                self.checkpoint_from(before);
                self.shift_items(&list, |j| {
                    Some(if j == i {
                        to
                    } else if j == to {
                        i
                    } else {
                        j
                    })
                });
                // Keep the focus on the same field of the moved item.
                let key = self.focused().map(Row::key);
                let target = key.map(|k| {
                    let mut segs = k.path.segments().to_vec();
                    segs[list.len()] = Segment::Index(to);
                    RowKey::new(FieldPath::from_segments(segs), k.tag)
                });
                self.form.input = None;
                self.changed(target);
            }
            Ok(None) => self.say(s::ALREADY_AT_END),
            Err(e) => self.warn(e.to_string()),
        }
    }

    /// Renumbers what the form keeps by item path (folds, the lists it created) under
    /// `list` after an insert, delete or move (`None`: gone).
    pub(super) fn shift_items(&mut self, list: &FieldPath, f: impl Fn(usize) -> Option<usize>) {
        shift_paths(&mut self.form.folded, list, &f);
        shift_paths(&mut self.form.created_lists, list, &f);
    }

    /// The next (`delta` 1) or previous (-1) card, or choice, in form order, unfolded, with
    /// the focus on its title.
    pub(super) fn jump_item(&mut self, kind: ListKind, delta: isize) {
        let all = form::build(&self.doc, &HashSet::new());
        let cur = self
            .focused()
            .and_then(|r| all.iter().position(|x| x.key() == r.key()))
            .unwrap_or(0);
        let items: Vec<usize> = all
            .iter()
            .enumerate()
            .filter(|(_, r)| matches!(r.kind, RowKind::Item { list, .. } if list == kind))
            .map(|(i, _)| i)
            .collect();
        // The item the focus is in counts as where we are.
        let focused = all.get(cur).map(|r| r.path.clone()).unwrap_or_default();
        let here = items
            .iter()
            .rev()
            .find(|&&i| i <= cur && focused.starts_with(&all[i].path))
            .copied()
            .unwrap_or(cur);
        let pick = if delta > 0 {
            items.iter().find(|&&i| i > here.max(cur))
        } else {
            items.iter().rev().find(|&&i| i < here)
        };
        let Some(&i) = pick else {
            self.say(s::no_more_items(kind.singular(), delta > 0));
            return;
        };
        let item = all[i].path.clone();
        self.reveal(&item.key("title"));
        self.rebuild(Some(RowKey::new(item.key("title"), RowTag::Value)));
        self.view.follow_focus = true;
    }
}

/// Renumbers the paths of `set` under `list` (their segment right after it) by `f`.
fn shift_paths(
    set: &mut HashSet<FieldPath>,
    list: &FieldPath,
    f: &impl Fn(usize) -> Option<usize>,
) {
    let n = list.len();
    let old = std::mem::take(set);
    for p in old {
        let segs = p.segments();
        if p.starts_with(list)
            && segs.len() > n
            && let Segment::Index(j) = segs[n]
        {
            if let Some(k) = f(j) {
                let mut v = segs.to_vec();
                v[n] = Segment::Index(k);
                set.insert(FieldPath::from_segments(v));
            }
        } else {
            set.insert(p);
        }
    }
}
