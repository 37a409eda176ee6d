//! Typing, clearing, picking and switching: what changes the draft from the focused field,
//! undo, and the `$EDITOR` round trip.

use super::form_state::EDIT_LIMIT_BYTES;
use super::{App, BrowseMode, Overlay};
use crate::message::FieldPath;
use crate::message::edit;
use crate::message::schema::Field;
use crate::store::{self, drafts};
use crate::tui::action::{Contents, Effect, TextEdit};
use crate::tui::form::{self, Row, RowKind};
use crate::tui::strings as s;
use ratatui_textarea::{CursorMove, TextArea};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

impl App {
    /// Before a change of the document: the document as it is becomes one undo step, and
    /// what was undone can no longer be redone. Every change goes through here, so an undo
    /// takes back one action (a run of typing in one field is one).
    pub(super) fn checkpoint(&mut self) {
        let doc = self.doc.clone();
        self.checkpoint_from(doc);
    }

    /// [`App::checkpoint`] with the document as it was before a change already made.
    pub(super) fn checkpoint_from(&mut self, before: Arc<Value>) {
        self.form.undo.push(before);
        self.form.redo.clear();
    }

    /// Takes back a checkpoint whose change did not happen.
    pub(super) fn drop_checkpoint(&mut self) {
        self.form.undo.pop();
    }

    /// Ctrl-Z: the document before the last action; Ctrl-Y brings it back.
    pub(super) fn undo(&mut self) {
        // A step that left the document as it was (two like cards swapped) is no step.
        while self.form.undo.last() == Some(&self.doc) {
            self.form.undo.pop();
        }
        match self.form.undo.pop() {
            Some(doc) => {
                let now = std::mem::replace(&mut self.doc, doc);
                self.form.redo.push(now);
                self.form.input = None;
                self.changed(None);
                self.say(s::UNDONE);
            }
            None => self.say(s::NOTHING_TO_UNDO),
        }
    }

    /// Ctrl-Y (or Ctrl-Shift-Z): the action the last undo took back, again.
    pub(super) fn redo(&mut self) {
        while self.form.redo.last() == Some(&self.doc) {
            self.form.redo.pop();
        }
        match self.form.redo.pop() {
            Some(doc) => {
                let now = std::mem::replace(&mut self.doc, doc);
                self.form.undo.push(now);
                self.form.input = None;
                self.changed(None);
                self.say(s::REDONE);
            }
            None => self.say(s::NOTHING_TO_REDO),
        }
    }

    /// Ctrl-U: the focused field emptied (a picker's value removed), as one undo step.
    pub(super) fn clear_field(&mut self) {
        let Some(row) = self.focused().cloned() else {
            return;
        };
        let RowKind::Value(f) = row.kind else {
            self.say(s::NOTHING_TO_CLEAR);
            return;
        };
        let Some(value) = row.path.get(&self.doc) else {
            return;
        };
        if value.as_str() == Some("") {
            return;
        }
        self.checkpoint();
        let old = self.value_len(&row.path);
        if row.is_text() {
            if !self.put_text(&row.path, f, "") {
                self.drop_checkpoint();
                return;
            }
        } else {
            self.form.last_edit = Some(row.path.clone());
            edit::remove(Arc::make_mut(&mut self.doc), &row.path);
        }
        // A fresh input on the emptied field; typing now is a new step.
        self.form.input = None;
        self.changed_value(&row.path, old);
        self.sync_input();
    }

    pub(super) fn edit_text(&mut self, e: TextEdit) {
        if let Some(Overlay::GoTo(g)) = &mut self.overlay {
            apply_edit(&mut g.query, &e, false);
            self.goto_typed();
            return;
        }
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
            self.checkpoint();
        }
        self.view.follow_focus = true;
        let old = self.value_len(&row.path);
        if !self.put_text(&row.path, f, &text) {
            return;
        }
        self.changed_value(&row.path, old);
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
            Some(v) => edit::set(Arc::make_mut(&mut self.doc), path, v).is_ok(),
            None => {
                edit::remove(Arc::make_mut(&mut self.doc), path);
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
            TextEdit::Backspace
            | TextEdit::Delete
            | TextEdit::DeleteWord
            | TextEdit::DeleteWordForward
            | TextEdit::KillToEnd => {
                self.checkpoint();
                let old = self.value_len(&row.path);
                if !self.put_text(&row.path, f, "") {
                    return;
                }
                self.changed_value(&row.path, old);
                // Short now: the text area edits it again.
                self.sync_input();
                self.say(s::cleared_huge(f.label, len));
            }
            _ => self.say(s::too_long_to_edit(f.label, len)),
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
                self.checkpoint();
                self.form.recovery = None;
                self.doc = Arc::new(doc);
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

    /// `$VISUAL`/`$EDITOR` on the draft as JSON, or on the edit kept in `from` (a
    /// recovery file).
    pub(super) fn run_editor(&mut self, from: Option<std::path::PathBuf>) {
        self.overlay = None;
        // Saved first: should the app be told to quit while the editor runs, the editor is
        // stopped and nothing typed before it is lost.
        self.write_draft(false);
        self.effects.push(Effect::RunEditor {
            generation: self.save.generation,
            draft: self.path.clone(),
            text: store::to_draft_json(&self.doc),
            from,
        });
    }

    pub(super) fn keep_recovery(&mut self, text: &str, why: &str) {
        let rec = drafts::recovery_path(&self.path);
        self.form.recovery = Some(rec.clone());
        self.file_job(Effect::Write {
            path: rec.clone(),
            generation: None,
            contents: Contents::Bytes(text.as_bytes().to_vec()),
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
        TextEdit::DeleteWordForward => {
            area.delete_next_word();
        }
        TextEdit::KillToEnd => {
            area.delete_line_by_end();
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
