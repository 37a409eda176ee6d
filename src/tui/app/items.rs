//! Cards and choices: add, delete, duplicate and move, with the folds following the items.

use super::App;
use super::{Overlay, PickFor, Picker};
use crate::message::edit;
use crate::message::schema::{CHOICE_TYPES, Kind};
use crate::message::{FieldPath, Segment};
use crate::tui::form::{ListKind, Row, RowKey, RowKind, RowTag};
use crate::tui::strings as s;
use serde_json::Value;

/// Where an add goes: the list, the position, what the list holds, how long it is and its
/// limit.
pub(super) struct AddTarget {
    list: FieldPath,
    at: usize,
    kind: ListKind,
    len: usize,
    max: Option<usize>,
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
        let kind = match crate::message::schema::field_at(&self.doc, &list)?.kind {
            Kind::Cards { .. } => ListKind::Cards,
            Kind::Choices { .. } => ListKind::Choices,
            _ => return None,
        };
        Some((list, i, kind))
    }

    /// The list a new item goes into and where: after the focused item, or at the end of
    /// the focused list.
    pub(super) fn add_target(&self) -> Option<AddTarget> {
        let row = self.focused()?;
        let (list, at) = match &row.kind {
            RowKind::ListHeader { .. } | RowKind::AddItem { .. } => {
                // A list not in the draft yet is empty: the first add creates it.
                let len = row
                    .path
                    .get(&self.doc)
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                (row.path.clone(), len)
            }
            _ => {
                let (list, i, _) = self.current_item()?;
                (list, i + 1)
            }
        };
        let field = crate::message::schema::field_at(&self.doc, &list)?;
        let (kind, max) = match field.kind {
            Kind::Cards { max, .. } => (ListKind::Cards, Some(max)),
            Kind::Choices { max, .. } => (ListKind::Choices, max),
            _ => return None,
        };
        let len = list
            .get(&self.doc)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        Some(AddTarget {
            list,
            at,
            kind,
            len,
            max,
        })
    }

    pub(super) fn add_item(&mut self) {
        let Some(AddTarget {
            list,
            at,
            kind,
            len,
            max,
        }) = self.add_target()
        else {
            self.say(s::NOT_IN_A_LIST);
            return;
        };
        if let Some(m) = max
            && len >= m
        {
            self.warn(s::list_full(kind.singular(), m));
            return;
        }
        match kind {
            ListKind::Choices => {
                self.overlay = Some(Overlay::Picker(Picker {
                    title: s::PICK_CHOICE_TYPE,
                    options: CHOICE_TYPES,
                    selected: 0,
                    purpose: PickFor::AddChoice { list, at },
                }));
            }
            ListKind::Cards => {
                self.push_undo();
                if let Ok(i) = edit::list_insert(&mut self.doc, &list, at, edit::new_card()) {
                    self.shift_folded(&list, |j| if j >= i { Some(j + 1) } else { Some(j) });
                    let target = RowKey {
                        path: list.index(i).key("title"),
                        tag: RowTag::Value,
                    };
                    self.changed(Some(target));
                }
            }
        }
    }

    pub(super) fn delete_item(&mut self) {
        let Some(row) = self.focused().cloned() else {
            return;
        };
        if let RowKind::Raw(_) = row.kind {
            self.push_undo();
            edit::remove(&mut self.doc, &row.path);
            self.changed(None);
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
        self.push_undo();
        if edit::list_remove(&mut self.doc, &list, i).is_err() {
            self.form.undo.pop();
            return;
        }
        self.shift_folded(&list, |j| match j.cmp(&i) {
            std::cmp::Ordering::Less => Some(j),
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Greater => Some(j - 1),
        });
        let len = list
            .get(&self.doc)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let target = if len == 0 {
            RowKey {
                path: list.clone(),
                tag: RowTag::AddItem,
            }
        } else {
            RowKey {
                path: list.index(i.min(len - 1)),
                tag: RowTag::Item,
            }
        };
        self.changed(Some(target));
        let what = match kind {
            ListKind::Cards => s::card_label(i),
            ListKind::Choices => s::choice_label(i),
        };
        self.say(s::deleted_item(&what));
    }

    pub(super) fn duplicate_item(&mut self) {
        let Some((list, i, kind)) = self.current_item() else {
            self.say(s::NOT_IN_A_LIST);
            return;
        };
        if let Some(AddTarget {
            len,
            max: Some(max),
            ..
        }) = self.add_target()
            && len >= max
        {
            self.warn(s::list_full(kind.singular(), max));
            return;
        }
        self.push_undo();
        if let Ok(n) = edit::list_duplicate(&mut self.doc, &list, i) {
            let copy_folded = self.form.folded.contains(&list.index(i));
            self.shift_folded(&list, |j| if j > i { Some(j + 1) } else { Some(j) });
            if copy_folded {
                self.form.folded.insert(list.index(n));
            }
            self.changed(Some(RowKey {
                path: list.index(n),
                tag: RowTag::Item,
            }));
            let what = match kind {
                ListKind::Cards => s::card_label(i),
                ListKind::Choices => s::choice_label(i),
            };
            self.say(s::duplicated_item(&what));
        }
    }

    pub(super) fn move_item(&mut self, d: isize) {
        let Some((list, i, _)) = self.current_item() else {
            self.say(s::NOT_IN_A_LIST);
            return;
        };
        let before = self.doc.clone();
        match edit::list_move(&mut self.doc, &list, i, d) {
            Ok(Some(to)) => {
                self.form.undo.push(before);
                self.shift_folded(&list, |j| {
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
                    RowKey {
                        path: FieldPath::from_segments(segs),
                        tag: k.tag,
                    }
                });
                self.form.input = None;
                self.changed(target);
            }
            Ok(None) => self.say(s::ALREADY_AT_END),
            Err(e) => self.warn(e.to_string()),
        }
    }

    /// Renumbers folded items of `list` after an insert, delete or move (`None`: gone).
    pub(super) fn shift_folded(&mut self, list: &FieldPath, f: impl Fn(usize) -> Option<usize>) {
        let n = list.len();
        let old = std::mem::take(&mut self.form.folded);
        for p in old {
            let segs = p.segments();
            if p.starts_with(list)
                && segs.len() > n
                && let Segment::Index(j) = segs[n]
            {
                if let Some(k) = f(j) {
                    let mut v = segs.to_vec();
                    v[n] = Segment::Index(k);
                    self.form.folded.insert(FieldPath::from_segments(v));
                }
            } else {
                self.form.folded.insert(p);
            }
        }
    }
}
