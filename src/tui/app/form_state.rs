//! The form's state: its rows, the focus, the folds, the text being typed, undo.

use crate::message::FieldPath;
use crate::tui::form::Row;
use ratatui_textarea::{CursorMove, TextArea};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;

/// A field whose text is longer than this (in bytes) is not edited in the text area: the
/// text area re-wraps and re-measures its whole text on every keystroke and every redraw,
/// which for a 10 MB value costs half a second each. Every field's limit is far below this,
/// so only a loaded or pasted giant value is affected; it is shown cut, and the message line
/// says how to deal with it (Backspace clears it, Ctrl-Z undoes, Ctrl-E edits the JSON).
pub const EDIT_LIMIT_BYTES: usize = 64 * 1024;
/// How many steps undo remembers.
pub(super) const UNDO_DEPTH: usize = 50;
/// How much memory undo's steps may hold (each is a whole document). A draft of a few
/// hundred kilobytes keeps all [`UNDO_DEPTH`] steps; one holding a 60 MB value keeps one,
/// where 50 would take 3 GB.
pub(super) const UNDO_BYTES: usize = 64 << 20;

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
    pub(super) undo: Steps,
    /// Documents an undo took back, newest last; a new change forgets them.
    pub(super) redo: Steps,
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

/// Whole documents for undo or redo, newest last: at most [`UNDO_DEPTH`], and the oldest
/// dropped while they hold more than [`UNDO_BYTES`] (the newest is always kept).
#[derive(Default)]
pub(super) struct Steps {
    docs: std::collections::VecDeque<(Arc<Value>, usize)>,
    bytes: usize,
}

impl Steps {
    pub(super) fn push(&mut self, doc: Arc<Value>) {
        let size = heap_bytes(&doc);
        self.bytes += size;
        self.docs.push_back((doc, size));
        while self.docs.len() > UNDO_DEPTH || (self.bytes > UNDO_BYTES && self.docs.len() > 1) {
            if let Some((_, size)) = self.docs.pop_front() {
                self.bytes -= size;
            }
        }
    }

    pub(super) fn pop(&mut self) -> Option<Arc<Value>> {
        let (doc, size) = self.docs.pop_back()?;
        self.bytes -= size;
        Some(doc)
    }

    pub(super) fn last(&self) -> Option<&Arc<Value>> {
        self.docs.back().map(|(doc, _)| doc)
    }

    pub(super) fn clear(&mut self) {
        self.docs.clear();
        self.bytes = 0;
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.docs.len()
    }
}

/// About the memory a document takes: its strings, and a few words for each value and each
/// key. Walks the values, not the text, so a giant string costs no more than a short one.
fn heap_bytes(v: &Value) -> usize {
    const NODE: usize = 48;
    NODE + match v {
        Value::String(s) => s.len(),
        Value::Array(items) => items.iter().map(heap_bytes).sum(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| NODE + k.len() + heap_bytes(v))
            .sum(),
        Value::Null | Value::Bool(_) | Value::Number(_) => 0,
    }
}

/// The text being typed into the focused field.
pub struct Input {
    /// This input's own number: the view keeps how far its text is scrolled by it.
    pub id: u64,
    pub path: FieldPath,
    /// The text and its cursor, edited here; the view draws them itself (`view::input`),
    /// so the text area's own wrapping and drawing are not used.
    pub area: TextArea<'static>,
    /// The text as last written to the document.
    pub(super) text: String,
    /// The document before this field's first change, pushed as one undo step.
    pub(super) undo_taken: bool,
}

impl Input {
    pub(super) fn new(path: FieldPath, text: &str) -> Self {
        let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut area = TextArea::new(lines);
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        Self {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
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

#[cfg(test)]
mod steps {
    use super::*;
    use serde_json::json;

    #[test]
    fn undo_keeps_fifty_small_steps_newest_last() {
        let mut steps = Steps::default();
        for i in 0..60 {
            steps.push(Arc::new(json!({ "messageText": i })));
        }
        assert_eq!(steps.len(), UNDO_DEPTH);
        assert_eq!(steps.pop().as_deref(), Some(&json!({ "messageText": 59 })));
        assert_eq!(
            steps.last().map(|d| &**d),
            Some(&json!({ "messageText": 58 }))
        );
    }

    /// Beside a 25 MB value, two steps fit in 64 MB; beside a 70 MB one, only the newest.
    #[test]
    fn undo_keeps_only_what_fits_in_its_memory() {
        let doc =
            |mb: usize, n: usize| Arc::new(json!({ "messageText": "a".repeat(mb << 20), "n": n }));
        let mut steps = Steps::default();
        for n in 0..5 {
            steps.push(doc(25, n));
        }
        assert_eq!(steps.len(), 2);
        assert!(
            steps.bytes > 50 << 20 && steps.bytes <= UNDO_BYTES,
            "{}",
            steps.bytes
        );
        assert_eq!(steps.last().map(|d| d["n"].clone()), Some(json!(4)));
        steps.push(doc(70, 5));
        assert_eq!(steps.len(), 1, "the newest is kept, however big");
        assert_eq!(steps.pop().map(|d| d["n"].clone()), Some(json!(5)));
        assert_eq!((steps.len(), steps.bytes), (0, 0));
        steps.push(doc(1, 6));
        steps.clear();
        assert_eq!((steps.len(), steps.bytes), (0, 0));
    }
}
