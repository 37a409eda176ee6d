//! The form's state: its rows, the focus, the folds, the text being typed, undo.

use crate::message::FieldPath;
use crate::tui::form::Row;
use ratatui_textarea::{CursorMove, TextArea};
use serde_json::Value;
use std::collections::HashSet;

/// A field whose text is longer than this (in bytes) is not edited in the text area: the
/// text area re-wraps and re-measures its whole text on every keystroke and every redraw,
/// which for a 10 MB value costs half a second each. Every field's limit is far below this,
/// so only a loaded or pasted giant value is affected; it is shown cut, and the message line
/// says how to deal with it (Backspace clears it, Ctrl-Z undoes, Ctrl-E edits the JSON).
pub const EDIT_LIMIT_BYTES: usize = 64 * 1024;
/// How many steps undo remembers.
pub(super) const UNDO_DEPTH: usize = 50;

/// The form: its rows (built from the document and the schema, rebuilt after every change),
/// the focused one, the folded cards and choices, the text being typed, and undo.
#[derive(Default)]
pub struct FormState {
    /// Replaced whole, by [`FormState::set_rows`].
    pub rows: Vec<Row>,
    /// Counts the times the rows were replaced: what the view keeps about them (the rows
    /// each problem shows at) stands while it is the same.
    pub rows_generation: u64,
    pub focus: usize,
    pub folded: HashSet<FieldPath>,
    pub input: Option<Input>,
    /// Earlier documents, newest last.
    pub(super) undo: Vec<Value>,
    /// Documents an undo took back, newest last; a new change forgets them.
    pub(super) redo: Vec<Value>,
    /// Lists the form created with their first item (they were not in the draft): deleting
    /// their last item removes them again.
    pub(super) created_lists: HashSet<FieldPath>,
    /// Where the last `$EDITOR` result that was not valid JSON is kept: the next Ctrl-E
    /// offers to continue from it.
    pub recovery: Option<std::path::PathBuf>,
    /// The field a one-field edit changed, so `changed` drops only its server issues.
    pub(super) last_edit: Option<FieldPath>,
    /// The document's generation (`SaveState::generation`) that a change of one value
    /// made, and that value's path: while the generation is that one, only the rows at,
    /// above or below the path can show anything new.
    pub value_edit: Option<(u64, FieldPath)>,
}

impl FormState {
    pub fn set_rows(&mut self, rows: Vec<Row>) {
        self.rows = rows;
        self.rows_generation += 1;
    }
}

/// The text being typed into the focused field.
pub struct Input {
    pub path: FieldPath,
    pub area: TextArea<'static>,
    /// The text as last written to the document.
    pub(super) text: String,
    /// The document before this field's first change, pushed as one undo step.
    pub(super) undo_taken: bool,
}

impl Input {
    pub(super) fn new(path: FieldPath, text: &str) -> Self {
        let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        let mut area = TextArea::new(lines);
        area.set_cursor_line_style(ratatui::style::Style::new());
        area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        Self {
            path,
            area,
            text: text.to_string(),
            undo_taken: false,
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn line_count(&self) -> usize {
        self.area.lines().len()
    }

    /// True once the field was changed since the focus came to it: its text is being typed
    /// (a URL in it may be half written).
    pub fn edited(&self) -> bool {
        self.undo_taken
    }
}

/// The row that shows a problem at `path`: the row of that path, else the first row inside
/// it, else the nearest row holding it.
pub fn resolve(rows: &[Row], path: &FieldPath) -> Option<usize> {
    if let Some(i) = rows.iter().position(|r| r.shows(path)) {
        return Some(i);
    }
    if let Some(i) = rows.iter().position(|r| r.path.starts_with(path)) {
        return Some(i);
    }
    let mut up = path.parent();
    while let Some(p) = up {
        if let Some(i) = rows.iter().position(|r| r.shows(&p)) {
            return Some(i);
        }
        up = p.parent();
    }
    None
}

/// Whether a value is too long to edit in the text area (see [`EDIT_LIMIT_BYTES`]).
pub(super) fn too_long_to_edit(v: Option<&Value>) -> bool {
    match v {
        Some(Value::String(s)) => s.len() > EDIT_LIMIT_BYTES,
        Some(v @ (Value::Array(_) | Value::Object(_))) => {
            // Serialised only to measure; stop counting past the limit.
            struct Counter(usize);
            impl std::io::Write for Counter {
                fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                    self.0 += b.len();
                    if self.0 > EDIT_LIMIT_BYTES {
                        return Err(std::io::Error::other("long"));
                    }
                    Ok(b.len())
                }
                fn flush(&mut self) -> std::io::Result<()> {
                    Ok(())
                }
            }
            serde_json::to_writer(Counter(0), v).is_err()
        }
        _ => false,
    }
}
