//! The form's rows, built from the document and the schema table: every field of the
//! message's type in the vendor's order, each card and choice with its own fields, the
//! failover, and any unknown key. Rows are keyed by [`FieldPath`]; after any edit the list is
//! rebuilt from the document, never patched.

use crate::message::schema::fields_of;
use crate::message::schema::{Field, Kind, MessageType};
use crate::message::{FieldPath, validate::utf16_len};
use serde_json::Value;
use std::collections::HashSet;

/// Which list a header or an item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    Cards,
    Choices,
}

impl ListKind {
    pub fn singular(self) -> &'static str {
        match self {
            ListKind::Cards => "card",
            ListKind::Choices => "choice",
        }
    }
}

/// What a row is.
#[derive(Debug, Clone, PartialEq)]
pub enum RowKind {
    /// A value of the schema: text, URL, number, date-time, or a picker.
    Value(&'static Field),
    /// A list's title with its count and limit (`Choices (2/4)`).
    ListHeader {
        field: &'static Field,
        list: ListKind,
        len: usize,
        max: Option<usize>,
    },
    /// A card or a choice: folds, and carries a mark when something inside is wrong.
    Item {
        list: ListKind,
        index: usize,
        folded: bool,
    },
    /// The row that adds to a list; says how many are left before the limit.
    AddItem {
        list: ListKind,
        len: usize,
        max: Option<usize>,
    },
    /// A failover's on/off toggle (its `enabled`); its fields follow when on. The field is
    /// the failover object's.
    Failover(&'static Field),
    /// A schema field whose value has the wrong JSON shape to be shown as a form.
    Raw(&'static Field),
    /// A key the schema does not know: shown, kept, never changed.
    Unknown,
    /// A line of explanation (the draft is not an object).
    Note(&'static str),
}

/// One row of the form.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The field's path; a list header and the add row carry the list's path, a failover
    /// toggle its `enabled`.
    pub path: FieldPath,
    pub kind: RowKind,
    pub depth: u16,
}

/// What kind of row a [`RowKey`] names: a list's header, its add row and an item can share
/// a path with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowTag {
    Value,
    ListHeader,
    Item,
    AddItem,
    Failover,
    Raw,
    Unknown,
    Note,
}

/// Identifies a row across rebuilds (its path and what it is).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowKey {
    pub path: FieldPath,
    pub tag: RowTag,
}

impl RowKey {
    pub fn new(path: FieldPath, tag: RowTag) -> Self {
        RowKey { path, tag }
    }
}

impl Row {
    pub fn key(&self) -> RowKey {
        let tag = match self.kind {
            RowKind::Value(_) => RowTag::Value,
            RowKind::ListHeader { .. } => RowTag::ListHeader,
            RowKind::Item { .. } => RowTag::Item,
            RowKind::AddItem { .. } => RowTag::AddItem,
            RowKind::Failover(_) => RowTag::Failover,
            RowKind::Raw(_) => RowTag::Raw,
            RowKind::Unknown => RowTag::Unknown,
            RowKind::Note(_) => RowTag::Note,
        };
        RowKey {
            path: self.path.clone(),
            tag,
        }
    }

    /// The label shown before the value.
    pub fn label(&self) -> String {
        use super::strings as s;
        match &self.kind {
            RowKind::Value(f) | RowKind::Raw(f) => f.label.to_string(),
            RowKind::ListHeader {
                field, len, max, ..
            } => s::list_count(field.label, *len, *max),
            RowKind::Item { list, index, .. } => match list {
                ListKind::Cards => s::card_label(*index),
                ListKind::Choices => s::choice_label(*index),
            },
            RowKind::AddItem { list, len, max } => s::add_item(list.singular(), *len, *max),
            RowKind::Failover(f) => f.label.to_string(),
            RowKind::Unknown => self.path.last_key().unwrap_or("?").to_string(),
            RowKind::Note(_) => String::new(),
        }
    }

    /// A text-like value edited by typing.
    pub fn is_text(&self) -> bool {
        matches!(self.kind, RowKind::Value(f) if is_text_kind(f.kind))
    }

    /// A value chosen from a list.
    pub fn is_picker(&self) -> bool {
        matches!(self.kind, RowKind::Value(f) if matches!(f.kind, Kind::Enum(_)))
    }

    /// Paths whose problems this row shows: its own, and for a failover toggle the failover
    /// object itself.
    pub fn shows(&self, path: &FieldPath) -> bool {
        if &self.path == path {
            return true;
        }
        matches!(self.kind, RowKind::Failover(_)) && self.path.parent().as_ref() == Some(path)
    }

    /// The path of the container this row stands for (an item, a failover), whose inside
    /// problems its header marks.
    pub fn container(&self) -> Option<FieldPath> {
        match self.kind {
            RowKind::Item { .. } | RowKind::ListHeader { .. } => Some(self.path.clone()),
            RowKind::Failover(_) => self.path.parent(),
            _ => None,
        }
    }
}

pub fn is_text_kind(k: Kind) -> bool {
    matches!(
        k,
        Kind::Text { .. } | Kind::Url { .. } | Kind::Number { .. } | Kind::DateTime
    )
}

/// The maximum length of a field, for its counter.
pub fn max_len(f: &Field) -> Option<usize> {
    match f.kind {
        Kind::Text { max, .. } | Kind::Url { max, .. } => max,
        _ => None,
    }
}

/// `23/25` for a length-limited field, counted in UTF-16 units like the validator.
pub fn counter(f: &Field, value: Option<&Value>) -> Option<(usize, usize)> {
    let max = max_len(f)?;
    let len = match value {
        Some(Value::String(s)) => utf16_len(s),
        _ => 0,
    };
    Some((len, max))
}

/// Builds the rows of `doc`. `folded` holds the paths of folded cards and choices.
pub fn build(doc: &Value, folded: &HashSet<FieldPath>) -> Vec<Row> {
    let mut rows = Vec::with_capacity(64);
    let Value::Object(obj) = doc else {
        rows.push(Row {
            path: FieldPath::root(),
            kind: RowKind::Note(super::strings::ROOT_NOT_OBJECT),
            depth: 0,
        });
        return rows;
    };
    let mt = obj
        .get("messageType")
        .and_then(Value::as_str)
        .and_then(MessageType::parse);
    let root = FieldPath::root();
    let fields = fields_of(doc, &root);
    for f in &fields {
        if let Kind::Failover(fk) = f.kind {
            // The type's own failover always; the other one only when it is there.
            let own = mt.map(|t| t.failover()) == Some(fk);
            if !own && !obj.contains_key(f.key) {
                continue;
            }
        }
        field_rows(doc, &root, f, 0, folded, &mut rows);
    }
    unknown_rows(doc, &root, &fields, 0, &mut rows);
    rows
}

fn field_rows(
    doc: &Value,
    parent: &FieldPath,
    f: &'static Field,
    depth: u16,
    folded: &HashSet<FieldPath>,
    rows: &mut Vec<Row>,
) {
    let path = parent.key(f.key);
    let value = path.get(doc);
    match f.kind {
        Kind::Choices { .. } | Kind::Cards { .. } => {
            let list = if matches!(f.kind, Kind::Cards { .. }) {
                ListKind::Cards
            } else {
                ListKind::Choices
            };
            let max = match f.kind {
                Kind::Cards { max, .. } => Some(max),
                Kind::Choices { max, .. } => max,
                _ => None,
            };
            let items = match value {
                None | Some(Value::Null) => &[][..],
                Some(Value::Array(a)) => a.as_slice(),
                Some(_) => return rows.push(raw_row(path, f, depth)),
            };
            rows.push(Row {
                path: path.clone(),
                kind: RowKind::ListHeader {
                    field: f,
                    list,
                    len: items.len(),
                    max,
                },
                depth,
            });
            for (i, item) in items.iter().enumerate() {
                let ipath = path.index(i);
                let is_folded = folded.contains(&ipath);
                rows.push(Row {
                    path: ipath.clone(),
                    kind: RowKind::Item {
                        list,
                        index: i,
                        folded: is_folded,
                    },
                    depth: depth + 1,
                });
                if is_folded || !item.is_object() {
                    continue;
                }
                let item_fields = fields_of(doc, &ipath);
                for g in &item_fields {
                    field_rows(doc, &ipath, g, depth + 2, folded, rows);
                }
                unknown_rows(doc, &ipath, &item_fields, depth + 2, rows);
            }
            rows.push(Row {
                path,
                kind: RowKind::AddItem {
                    list,
                    len: items.len(),
                    max,
                },
                depth: depth + 1,
            });
        }
        Kind::Failover(fk) => {
            if value.is_some_and(|v| !v.is_object()) {
                return rows.push(raw_row(path, f, depth));
            }
            rows.push(Row {
                path: path.key("enabled"),
                kind: RowKind::Failover(f),
                depth,
            });
            let on = value
                .and_then(|v| v.get("enabled"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if on {
                let ff = fk.fields();
                for g in ff.iter().skip(1) {
                    field_rows(doc, &path, g, depth + 1, folded, rows);
                }
                let refs: Vec<&'static Field> = ff.iter().collect();
                unknown_rows(doc, &path, &refs, depth + 1, rows);
            }
        }
        _ => rows.push(Row {
            path,
            kind: RowKind::Value(f),
            depth,
        }),
    }
}

/// The row of a schema field whose value has the wrong JSON shape to be shown as a form.
fn raw_row(path: FieldPath, f: &'static Field, depth: u16) -> Row {
    Row {
        path,
        kind: RowKind::Raw(f),
        depth,
    }
}

fn unknown_rows(
    doc: &Value,
    parent: &FieldPath,
    fields: &[&'static Field],
    depth: u16,
    rows: &mut Vec<Row>,
) {
    let Some(Value::Object(m)) = parent.get(doc) else {
        return;
    };
    for k in m.keys() {
        if !fields.iter().any(|f| f.key == k) {
            rows.push(Row {
                path: parent.key(k),
                kind: RowKind::Unknown,
                depth,
            });
        }
    }
}

/// What a folded card or choice says of itself: its title (a choice: its type too).
pub fn summary(list: ListKind, item: &Value, chars: usize) -> String {
    let title = item.get("title").and_then(Value::as_str).unwrap_or("");
    // Only what can show: a title may be megabytes long.
    let title = match title.char_indices().nth(chars) {
        Some((end, _)) => &title[..end],
        None => title,
    };
    match list {
        ListKind::Cards => title.to_string(),
        ListKind::Choices => {
            let t = item.get("type").and_then(Value::as_str).unwrap_or("?");
            if title.is_empty() {
                t.to_string()
            } else {
                format!("{t} · {title}")
            }
        }
    }
}

/// The text a value shows when its field is not being edited.
pub fn display(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.replace('\n', "⏎")),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

/// As [`display`], but only the first `chars` characters: a 2048-character URL costs no
/// more to show than the room it has.
pub fn display_prefix(value: Option<&Value>, chars: usize) -> Option<String> {
    match value? {
        Value::String(s) => Some(
            s.chars()
                .take(chars)
                .map(|c| if c == '\n' { '⏎' } else { c })
                .collect(),
        ),
        other => Some(
            json_prefix(other, chars.saturating_mul(4))
                .chars()
                .take(chars)
                .collect(),
        ),
    }
}

/// Whether field `f` takes line breaks (the schema says so).
pub fn is_multiline(f: &Field) -> bool {
    matches!(
        f.kind,
        Kind::Text {
            multiline: true,
            ..
        }
    )
}

/// The start of `v` as compact JSON, at most about `max` bytes (cut at a character), without
/// serialising the rest: a row shows one line of a value that may be megabytes long.
pub fn json_prefix(v: &Value, max: usize) -> String {
    struct Capped {
        buf: Vec<u8>,
        max: usize,
    }
    impl std::io::Write for Capped {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            let room = self.max.saturating_sub(self.buf.len());
            self.buf.extend_from_slice(&b[..b.len().min(room)]);
            if b.len() > room {
                return Err(std::io::Error::other("enough"));
            }
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut w = Capped {
        buf: Vec::new(),
        max,
    };
    let complete = serde_json::to_writer(&mut w, v).is_ok();
    let mut text = match String::from_utf8(w.buf) {
        Ok(t) => t,
        Err(e) => {
            let ok = e.utf8_error().valid_up_to();
            let mut b = e.into_bytes();
            b.truncate(ok);
            String::from_utf8(b).unwrap_or_default()
        }
    };
    if !complete {
        text.push('…');
    }
    text
}

/// The text a field starts with when it is edited.
pub fn edit_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => other.to_string(),
    }
}

/// What typing `text` into field `f` stores: a JSON number once a number field's text parses
/// as one (a half-typed `-` or `37.` stays a string, honestly reported), the text otherwise.
/// `None` removes the key: an emptied optional field, or an emptied number.
pub fn typed_value(f: &Field, text: &str) -> Option<Value> {
    if text.is_empty() {
        let keep = !matches!(f.kind, Kind::Number { .. })
            && f.required != crate::message::Required::Optional;
        return keep.then(|| Value::String(String::new()));
    }
    if let Kind::Number { .. } = f.kind
        && let Ok(Value::Number(n)) = serde_json::from_str::<Value>(text.trim())
    {
        return Some(Value::Number(n));
    }
    Some(Value::String(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn carousel() -> Value {
        serde_json::from_str(include_str!("../../assets/examples/carousel.json")).unwrap()
    }

    #[test]
    fn json_prefix_stops_early_and_cuts_at_a_character() {
        let v = json!({"k": "é".repeat(1000)});
        assert_eq!(json_prefix(&v, 1_000_000), v.to_string());
        let p = json_prefix(&v, 10);
        assert_eq!(p, "{\"k\":\"éé…");
        assert_eq!(json_prefix(&json!(12), 10), "12");
    }

    #[test]
    fn carousel_rows_follow_the_schema() {
        let rows = build(&carousel(), &HashSet::new());
        let paths: Vec<String> = rows.iter().map(|r| r.path.to_string()).collect();
        let i = paths
            .iter()
            .position(|p| p == "cards.0.choices.0.url")
            .unwrap();
        assert_eq!(paths[i - 1], "cards.0.choices.0.postbackData");
        assert_eq!(paths[0], "messageType");
        assert!(paths.contains(&"mmsFailover.subject".to_string()));
        assert!(!paths.iter().any(|p| p.starts_with("smsFailover")));
        // a card's thumbnailUrl row exists even when absent from the doc
        let mut doc = carousel();
        doc["cards"][1]
            .as_object_mut()
            .unwrap()
            .remove("thumbnailUrl");
        let rows = build(&doc, &HashSet::new());
        assert!(
            rows.iter()
                .any(|r| r.path.to_string() == "cards.1.thumbnailUrl")
        );
    }

    #[test]
    fn folding_hides_an_items_fields() {
        let mut folded = HashSet::new();
        folded.insert(FieldPath::parse("cards.0"));
        let rows = build(&carousel(), &folded);
        assert!(!rows.iter().any(|r| r.path.to_string() == "cards.0.title"));
        assert!(rows.iter().any(|r| r.path.to_string() == "cards.1.title"));
    }

    #[test]
    fn unknown_keys_and_raw_values() {
        let doc = json!({"messageType": "RCS_TEXT", "choices": "nope", "zz": [1]});
        let rows = build(&doc, &HashSet::new());
        assert!(
            rows.iter()
                .any(|r| r.path.to_string() == "choices" && matches!(r.kind, RowKind::Raw(_)))
        );
        assert!(
            rows.iter()
                .any(|r| r.path.to_string() == "zz" && r.kind == RowKind::Unknown)
        );
    }

    #[test]
    fn typed_numbers() {
        let f = &crate::message::schema::SHOW_LOCATION_FIELDS[0];
        assert_eq!(typed_value(f, "37.5"), Some(json!(37.5)));
        assert_eq!(typed_value(f, "-"), Some(json!("-")));
        assert_eq!(typed_value(f, ""), None);
        let t = &crate::message::schema::CHOICE_FIELDS[1];
        assert_eq!(typed_value(t, ""), Some(json!("")));
    }
}
