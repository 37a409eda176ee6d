//! Pickers and switches: opening a list of values, picking from it, ←/→ on a picker field
//! (on a message or choice type exactly the switch the list makes), the failover toggle,
//! folding.

use super::{App, Overlay, PickFor, Picker};
use crate::message::FieldPath;
use crate::message::edit;
use crate::message::schema::MESSAGE_TYPES;
use crate::message::schema::{ChoiceType, Field, Kind, MessageType, Switch, fields_of};
use crate::tui::form::{Row, RowKind};
use crate::tui::strings as s;
use serde_json::Value;
use std::sync::Arc;

impl App {
    pub(super) fn open_picker(&mut self, row: &Row) {
        let RowKind::Value(f) = row.kind else { return };
        let Kind::Enum(options) = f.kind else { return };
        let cur = row.path.get(&self.doc).and_then(Value::as_str);
        let selected = cur
            .and_then(|c| options.iter().position(|o| *o == c))
            .unwrap_or(0);
        let (title, purpose) = match f.switch {
            Some(Switch::MessageType) => (s::PICK_MESSAGE_TYPE, PickFor::MessageType),
            Some(Switch::ChoiceType) => (
                s::PICK_CHOICE_TYPE,
                PickFor::ChoiceType(row.path.parent().unwrap_or_default()),
            ),
            None => (s::PICK_VALUE, PickFor::Value(row.path.clone())),
        };
        self.overlay = Some(Overlay::Picker(Picker {
            title,
            options,
            selected,
            purpose,
        }));
    }

    /// Ctrl-N (and `n` in the drafts browser): the new draft's type first.
    pub(super) fn ask_new_draft_type(&mut self) {
        let current = self.doc.get("messageType").and_then(Value::as_str);
        self.overlay = Some(Overlay::Picker(Picker {
            title: s::PICK_NEW_DRAFT_TYPE,
            options: MESSAGE_TYPES,
            selected: current
                .and_then(|c| MESSAGE_TYPES.iter().position(|o| *o == c))
                .unwrap_or(0),
            purpose: PickFor::NewDraft,
        }));
    }

    /// Space or Enter: a failover on or off, a card or choice (or a whole list) folded or
    /// unfolded; a picker opens its list.
    pub(super) fn toggle(&mut self) {
        let Some(row) = self.focused().cloned() else {
            return;
        };
        match row.kind {
            RowKind::Failover(_) => {
                let on = row.path.get(&self.doc).and_then(Value::as_bool) == Some(true);
                self.checkpoint();
                if edit::set(Arc::make_mut(&mut self.doc), &row.path, Value::Bool(!on)).is_ok() {
                    self.form.last_edit = Some(row.path.clone());
                    self.changed(None);
                    if !on {
                        self.show_opened();
                    }
                } else {
                    self.drop_checkpoint();
                }
            }
            RowKind::Item { folded, .. } => {
                if folded {
                    self.form.folded.remove(&row.path);
                } else {
                    self.form.folded.insert(row.path.clone());
                }
                self.rebuild(None);
                if folded {
                    self.show_opened();
                }
            }
            RowKind::ListHeader { len, .. } => {
                let items: Vec<FieldPath> = (0..len).map(|i| row.path.index(i)).collect();
                let any_open = items.iter().any(|p| !self.form.folded.contains(p));
                for p in items {
                    if any_open {
                        self.form.folded.insert(p);
                    } else {
                        self.form.folded.remove(&p);
                    }
                }
                self.rebuild(None);
                if !any_open {
                    self.show_opened();
                }
            }
            RowKind::Value(f) if matches!(f.kind, Kind::Enum(_)) => self.open_picker(&row),
            _ => {}
        }
    }

    /// After a fold was opened (or a failover turned on) at the focus: the view scrolls so
    /// that what it holds shows, the focused row kept in view.
    fn show_opened(&mut self) {
        let Some(row) = self.focused() else { return };
        let depth = row.depth;
        let start = self.form.focus;
        let end = self.form.rows[start + 1..]
            .iter()
            .position(|r| r.depth <= depth)
            .map_or(self.form.rows.len(), |n| start + 1 + n);
        self.view.show_rows = Some((start, end.saturating_sub(1)));
    }

    pub(super) fn set_fold(&mut self, fold: bool) {
        let Some(row) = self.focused().cloned() else {
            return;
        };
        if let RowKind::Item { folded, .. } = row.kind
            && folded != fold
        {
            self.toggle();
        }
    }

    /// ← and → on a picker field: the previous or next value. On a message or choice type
    /// it is the switch the list makes: what fits carries over, what does not is dropped
    /// and named, and it is one undo step.
    pub(super) fn cycle_value(&mut self, d: isize) {
        let Some(row) = self.focused().cloned() else {
            return;
        };
        let RowKind::Value(f) = row.kind else { return };
        let Kind::Enum(options) = f.kind else { return };
        let cur = row
            .path
            .get(&self.doc)
            .and_then(Value::as_str)
            .and_then(|c| options.iter().position(|o| *o == c));
        let n = options.len() as isize;
        let next = match cur {
            Some(i) => (i as isize + d).rem_euclid(n) as usize,
            None if d > 0 => 0,
            None => options.len() - 1,
        };
        let purpose = match f.switch {
            Some(Switch::MessageType) => PickFor::MessageType,
            Some(Switch::ChoiceType) => PickFor::ChoiceType(row.path.parent().unwrap_or_default()),
            None => PickFor::Value(row.path.clone()),
        };
        self.pick(purpose, options[next]);
    }

    pub(super) fn pick(&mut self, purpose: PickFor, value: &'static str) {
        match purpose {
            PickFor::DiskConflict => self.resolve_conflict(value),
            PickFor::Value(path) => {
                if path.get(&self.doc).and_then(Value::as_str) == Some(value) {
                    return;
                }
                self.checkpoint();
                let old = self.value_len(&path);
                if edit::set(
                    Arc::make_mut(&mut self.doc),
                    &path,
                    Value::String(value.into()),
                )
                .is_ok()
                {
                    self.changed_value(&path, old);
                } else {
                    self.drop_checkpoint();
                }
            }
            PickFor::MessageType => {
                let Some(t) = MessageType::parse(value) else {
                    return;
                };
                let cur = self.doc.get("messageType").and_then(Value::as_str);
                if cur == Some(value) {
                    return;
                }
                self.checkpoint();
                let r = edit::switch_message_type(Arc::make_mut(&mut self.doc), t);
                self.form.folded.clear();
                self.form.created_lists.clear();
                self.changed(None);
                let kept = kept_as_is(&self.doc, &FieldPath::root());
                self.say(s::switched_type(value, &r.dropped, &r.moved, &kept));
            }
            PickFor::ChoiceType(choice) => {
                let Some(t) = ChoiceType::parse(value) else {
                    return;
                };
                let Some(c) = choice.get(&self.doc) else {
                    return;
                };
                if c.get("type").and_then(Value::as_str) == Some(value) {
                    return;
                }
                self.checkpoint();
                let Some(c) = choice.get_mut(Arc::make_mut(&mut self.doc)) else {
                    self.drop_checkpoint();
                    return;
                };
                let dropped = edit::switch_choice_type(c, t);
                self.changed(None);
                let kept = kept_as_is(&self.doc, &choice);
                self.say(s::switched_choice_type(value, &dropped, &kept));
            }
            PickFor::AddChoice { list, at } => {
                if let Some(t) = ChoiceType::parse(value) {
                    self.insert_choice(&list, at, t);
                }
            }
            PickFor::NewDraft => {
                if let Some(t) = MessageType::parse(value) {
                    self.start_new_draft(t);
                }
            }
        }
    }
}

/// The keys of the object at `at` that its (new) type does not know: kept as they are, and
/// named after a switch so they can be removed.
fn kept_as_is(doc: &Value, at: &FieldPath) -> Vec<String> {
    let known: Vec<&'static Field> = fields_of(doc, at);
    match at.get(doc) {
        Some(Value::Object(m)) => m
            .keys()
            .filter(|k| !known.iter().any(|f| f.key == k.as_str()))
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}
