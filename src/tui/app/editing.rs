//! Typing, clearing, picking and switching: what changes the draft from the focused field,
//! undo, and the `$EDITOR` round trip.

use super::form_state::{EDIT_LIMIT_BYTES, UNDO_DEPTH};
use super::{App, BrowseMode, Overlay, PickFor, Picker};
use crate::message::FieldPath;
use crate::message::edit;
use crate::message::schema::{ChoiceType, Field, Kind, MessageType, Switch};
use crate::store::{self, drafts};
use crate::tui::action::{Effect, TextEdit};
use crate::tui::form::{self, Row, RowKey, RowKind, RowTag};
use crate::tui::strings as s;
use ratatui_textarea::{CursorMove, TextArea};
use serde_json::Value;
use std::path::Path;

impl App {
    pub(super) fn push_undo(&mut self) {
        if self.form.undo.len() == UNDO_DEPTH {
            self.form.undo.remove(0);
        }
        self.form.undo.push(self.doc.clone());
    }

    pub(super) fn undo(&mut self) {
        match self.form.undo.pop() {
            Some(doc) => {
                self.doc = doc;
                self.form.input = None;
                self.changed(None);
                self.say(s::UNDONE);
            }
            None => self.say(s::NOTHING_TO_UNDO),
        }
    }

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

    pub(super) fn toggle(&mut self) {
        let Some(row) = self.focused().cloned() else {
            return;
        };
        match row.kind {
            RowKind::Failover(_) => {
                let on = row.path.get(&self.doc).and_then(Value::as_bool) == Some(true);
                if edit::set(&mut self.doc, &row.path, Value::Bool(!on)).is_ok() {
                    self.form.last_edit = Some(row.path.clone());
                    self.changed(None);
                }
            }
            RowKind::Item { folded, .. } => {
                if folded {
                    self.form.folded.remove(&row.path);
                } else {
                    self.form.folded.insert(row.path.clone());
                }
                self.rebuild(None);
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
            }
            RowKind::Value(f) if matches!(f.kind, Kind::Enum(_)) => self.open_picker(&row),
            _ => {}
        }
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

    pub(super) fn cycle_value(&mut self, d: isize) {
        let Some(row) = self.focused().cloned() else {
            return;
        };
        let RowKind::Value(f) = row.kind else { return };
        let Kind::Enum(options) = f.kind else { return };
        if f.switch.is_some() {
            // A type change may drop fields: always through the list, never by a stray arrow.
            self.open_picker(&row);
            return;
        }
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
        if edit::set(
            &mut self.doc,
            &row.path,
            Value::String(options[next].into()),
        )
        .is_ok()
        {
            self.form.last_edit = Some(row.path.clone());
            self.changed(None);
        }
    }

    pub(super) fn edit_text(&mut self, e: TextEdit) {
        if let Some(Overlay::Drafts(b)) = &mut self.overlay {
            if let BrowseMode::Rename(area) = &mut b.mode {
                let _ = apply_edit(area, &e, false);
            }
            return;
        }
        let Some(row) = self.focused().cloned() else {
            return;
        };
        let RowKind::Value(f) = row.kind else { return };
        let multiline = form::is_multiline(f);
        if self.form.input.is_none() && row.is_text() {
            self.edit_huge(&row, f, &e);
            return;
        }
        let Some(input) = self.form.input.as_mut() else {
            return;
        };
        let left_out = apply_edit(&mut input.area, &e, multiline);
        let text = input.text();
        if left_out > 0 {
            let note = s::paste_left_out(left_out, multiline);
            self.say(note);
        }
        let Some(input) = self.form.input.as_mut() else {
            return;
        };
        if text == input.text {
            return;
        }
        input.text = text.clone();
        let first_change = !input.undo_taken;
        input.undo_taken = true;
        if first_change {
            self.push_undo();
        }
        self.view.follow_focus = true;
        if !self.put_text(&row.path, f, &text) {
            return;
        }
        self.changed(None);
        if text.len() > EDIT_LIMIT_BYTES {
            // A paste made it giant: stop editing it in place (see `EDIT_LIMIT_BYTES`).
            self.form.input = None;
            self.say(s::too_long_to_edit(f.label, text.chars().count()));
        }
    }

    /// Stores what typing `text` into field `f` at `path` means (a number once it is one,
    /// the key removed when an optional field is emptied), as the field's one edit. False
    /// when the document has no place for it.
    pub(super) fn put_text(&mut self, path: &FieldPath, f: &Field, text: &str) -> bool {
        self.form.last_edit = Some(path.clone());
        match form::typed_value(f, text) {
            Some(v) => edit::set(&mut self.doc, path, v).is_ok(),
            None => {
                edit::remove(&mut self.doc, path);
                true
            }
        }
    }

    /// A key on a field too long to edit in place: Backspace or Delete clears it (one undo
    /// step), anything else says what can be done.
    pub(super) fn edit_huge(
        &mut self,
        row: &Row,
        f: &'static crate::message::schema::Field,
        e: &TextEdit,
    ) {
        let len = match row.path.get(&self.doc) {
            Some(Value::String(t)) => t.chars().count(),
            other => form::edit_text(other).chars().count(),
        };
        match e {
            TextEdit::Backspace | TextEdit::Delete | TextEdit::DeleteWord => {
                self.push_undo();
                if !self.put_text(&row.path, f, "") {
                    return;
                }
                self.changed(None);
                self.say(s::cleared_huge(f.label, len));
            }
            _ => self.say(s::too_long_to_edit(f.label, len)),
        }
    }

    pub(super) fn pick(&mut self, purpose: PickFor, value: &'static str) {
        match purpose {
            PickFor::DiskConflict => self.resolve_conflict(value),
            PickFor::Value(path) => {
                if edit::set(&mut self.doc, &path, Value::String(value.into())).is_ok() {
                    self.form.last_edit = Some(path.clone());
                    self.changed(None);
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
                self.push_undo();
                let r = edit::switch_message_type(&mut self.doc, t);
                self.form.folded.clear();
                self.changed(None);
                self.say(s::switched_type(value, &r.dropped, &r.moved));
            }
            PickFor::ChoiceType(choice) => {
                let Some(t) = ChoiceType::parse(value) else {
                    return;
                };
                let Some(c) = choice.get_mut(&mut self.doc) else {
                    return;
                };
                if c.get("type").and_then(Value::as_str) == Some(value) {
                    return;
                }
                let before = self.doc.clone();
                let Some(c) = choice.get_mut(&mut self.doc) else {
                    return;
                };
                let dropped = edit::switch_choice_type(c, t);
                self.form.undo.push(before);
                self.changed(None);
                self.say(s::switched_choice_type(value, &dropped));
            }
            PickFor::AddChoice { list, at } => {
                let Some(t) = ChoiceType::parse(value) else {
                    return;
                };
                self.push_undo();
                match edit::list_insert(&mut self.doc, &list, at, edit::new_choice(t)) {
                    Ok(i) => {
                        self.shift_folded(&list, |j| if j >= i { Some(j + 1) } else { Some(j) });
                        // Focus the new choice's title, ready for typing.
                        let target = RowKey {
                            path: list.index(i).key("title"),
                            tag: RowTag::Value,
                        };
                        self.changed(Some(target));
                    }
                    Err(e) => {
                        self.form.undo.pop();
                        self.warn(e.to_string());
                    }
                }
            }
        }
    }

    pub(super) fn editor_done(
        &mut self,
        generation: u64,
        _command: &str,
        result: Result<String, String>,
    ) {
        let text = match result {
            Ok(t) => t,
            Err(e) => {
                // `e` is the whole sentence, naming the command (`runtime::run_editor`).
                self.warn(e);
                return;
            }
        };
        if generation != self.save.generation {
            // The draft changed meanwhile (cannot happen while the editor holds the
            // terminal); keep the edit rather than lose either.
            self.keep_recovery(&text, "the draft changed while the editor was open");
            return;
        }
        if text == store::to_draft_json(&self.doc) {
            self.say(s::EDITOR_UNCHANGED);
            return;
        }
        match drafts::parse(Path::new("edit"), &text) {
            Ok(doc) => {
                self.push_undo();
                self.doc = doc;
                self.form.input = None;
                self.changed(None);
                self.say(s::EDITOR_RELOADED);
            }
            Err(drafts::LoadError::Json {
                line,
                column,
                message,
                ..
            }) => {
                self.keep_recovery(&text, &format!("line {line}, column {column}: {message}"));
            }
            Err(e) => self.keep_recovery(&text, &e.to_string()),
        }
    }

    pub(super) fn keep_recovery(&mut self, text: &str, why: &str) {
        let rec = drafts::recovery_path(&self.path);
        self.file_job(Effect::Write {
            path: rec.clone(),
            generation: None,
            bytes: text.as_bytes().to_vec(),
        });
        self.warn(s::editor_invalid(why, &rec.display().to_string()));
    }
}

/// Applies one edit to a text area. A paste loses its control characters (escape codes,
/// bells, …: they would be stored in the draft and sent) and, in a one-line field, its line
/// breaks and tabs; the number left out is returned so the user can be told.
pub(super) fn apply_edit(area: &mut TextArea<'static>, e: &TextEdit, multiline: bool) -> usize {
    match e {
        TextEdit::Insert(c) => area.insert_char(*c),
        TextEdit::Paste(t) => {
            let (clean, left_out) = clean_paste(t, multiline);
            area.insert_str(clean);
            return left_out;
        }
        TextEdit::Newline => {
            if multiline {
                area.insert_newline();
            }
        }
        TextEdit::Backspace => {
            area.delete_char();
        }
        TextEdit::DeleteWord => {
            area.delete_word();
        }
        TextEdit::Delete => {
            area.delete_next_char();
        }
        TextEdit::Left => area.move_cursor(CursorMove::Back),
        TextEdit::Right => area.move_cursor(CursorMove::Forward),
        TextEdit::WordLeft => area.move_cursor(CursorMove::WordBack),
        TextEdit::WordRight => area.move_cursor(CursorMove::WordForward),
        TextEdit::Home => area.move_cursor(CursorMove::Head),
        TextEdit::End => area.move_cursor(CursorMove::End),
    }
    0
}

/// Pasted text as a field takes it: `\r\n` and `\r` become `\n` (kept only in a multi-line
/// field), a tab is kept in a multi-line field and becomes a space in a one-line one, and
/// every other control character (C0, DEL, C1) is dropped. Returns the text and how many
/// characters were dropped, line breaks of a one-line field included.
pub fn clean_paste(t: &str, multiline: bool) -> (String, usize) {
    let mut out = String::with_capacity(t.len());
    let mut left_out = 0;
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' if multiline => out.push('\n'),
            '\r' | '\n' => left_out += 1,
            '\t' if multiline => out.push('\t'),
            '\t' => out.push(' '),
            c if c.is_control() => left_out += 1,
            c => out.push(c),
        }
    }
    (out, left_out)
}
