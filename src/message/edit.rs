//! Pure edits of a request body, used by the forms: set or remove the value at a path with
//! keys kept in schema order, list edits (insert, delete, duplicate, move), and switching a
//! message's or a choice's type while keeping what carries over.
//!
//! Every function works on any JSON value and never panics; an edit that does not fit the
//! document (a path through a string, an index past the end) returns an [`EditError`] and
//! changes nothing.

use super::path::{FieldPath, Segment};
use super::schema::{
    self, CARD_FIELDS, ChoiceType, FailoverKind, MAX_CARD_CHOICES, MessageType, fields_of,
};
use serde_json::{Map, Value};

/// Why an edit could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("'{0}' does not name a place in the draft")]
    NoSuchPath(FieldPath),
    #[error("'{0}' is not a list")]
    NotAList(FieldPath),
    #[error("position {index} is outside '{path}' ({len} items)")]
    OutOfRange {
        path: FieldPath,
        index: usize,
        len: usize,
    },
}

/// Inserts `key` into `obj` at its schema position: after the last present key that comes
/// before it in `order`. Keys not in `order` go at the end. An existing key keeps its place.
pub fn insert_ordered(obj: &mut Map<String, Value>, order: &[&str], key: &str, value: Value) {
    if let Some(v) = obj.get_mut(key) {
        *v = value;
        return;
    }
    let Some(rank) = order.iter().position(|k| *k == key) else {
        obj.insert(key.to_string(), value);
        return;
    };
    let mut at = 0;
    for (i, k) in obj.keys().enumerate() {
        if let Some(r) = order.iter().position(|o| o == k)
            && r < rank
        {
            at = i + 1;
        }
    }
    obj.shift_insert(at, key.to_string(), value);
}

/// Sets the value at `path`, creating missing objects on the way (a failover object, say).
/// A new key is placed at its schema position, so a saved draft reads in the vendor's order.
pub fn set(doc: &mut Value, path: &FieldPath, value: Value) -> Result<(), EditError> {
    // A value already there (every keystroke in a field) is replaced where it is: an
    // existing key keeps its place, as `insert_ordered` keeps it.
    if let Some(slot) = path.get_mut(doc) {
        *slot = value;
        return Ok(());
    }
    let segs = path.segments();
    let Some((last, parents)) = segs.split_last() else {
        *doc = value;
        return Ok(());
    };
    // Check the whole way first, so a refused edit changes nothing: the part of the path
    // that exists must end in an object, and the rest must be keys.
    let existing = (0..=parents.len())
        .rev()
        .find(|&n| {
            FieldPath::from_segments(parents[..n].to_vec())
                .get(doc)
                .is_some()
        })
        .unwrap_or(0);
    let base = FieldPath::from_segments(parents[..existing].to_vec());
    let fits = match base.get(doc) {
        Some(Value::Object(_)) => parents[existing..]
            .iter()
            .all(|s| matches!(s, Segment::Key(_))),
        Some(Value::Array(_)) => existing == parents.len(),
        _ => false,
    };
    if !fits {
        return Err(EditError::NoSuchPath(path.clone()));
    }
    // Create missing parent objects (keys only; list positions must exist).
    for depth in 0..parents.len() {
        let here = FieldPath::from_segments(parents[..=depth].to_vec());
        if here.get(doc).is_some() {
            continue;
        }
        let Segment::Key(k) = &parents[depth] else {
            return Err(EditError::NoSuchPath(path.clone()));
        };
        let up = FieldPath::from_segments(parents[..depth].to_vec());
        let order: Vec<&str> = fields_of(doc, &up).iter().map(|f| f.key).collect();
        match up.get_mut(doc) {
            Some(Value::Object(m)) => insert_ordered(m, &order, k, Value::Object(Map::new())),
            _ => return Err(EditError::NoSuchPath(path.clone())),
        }
    }
    let parent = FieldPath::from_segments(parents.to_vec());
    match last {
        Segment::Key(k) => {
            let order: Vec<&str> = fields_of(doc, &parent).iter().map(|f| f.key).collect();
            match parent.get_mut(doc) {
                Some(Value::Object(m)) => {
                    insert_ordered(m, &order, k, value);
                    Ok(())
                }
                _ => Err(EditError::NoSuchPath(path.clone())),
            }
        }
        Segment::Index(i) => match parent.get_mut(doc) {
            Some(Value::Array(a)) if *i < a.len() => {
                a[*i] = value;
                Ok(())
            }
            _ => Err(EditError::NoSuchPath(path.clone())),
        },
    }
}

/// Removes the value at `path` (keeping the order of the others). Returns what was there.
pub fn remove(doc: &mut Value, path: &FieldPath) -> Option<Value> {
    let parent = path.parent()?;
    match (path.segments().last()?, parent.get_mut(doc)?) {
        (Segment::Key(k), Value::Object(m)) => m.shift_remove(k),
        (Segment::Index(i), Value::Array(a)) if *i < a.len() => Some(a.remove(*i)),
        _ => None,
    }
}

fn list_mut<'a>(doc: &'a mut Value, list: &FieldPath) -> Result<&'a mut Vec<Value>, EditError> {
    match list.get_mut(doc) {
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(EditError::NotAList(list.clone())),
        None => Err(EditError::NoSuchPath(list.clone())),
    }
}

/// Inserts `item` into the list at `list` at position `index` (clamped to the end), creating
/// the list when it is missing. Returns the item's position.
pub fn list_insert(
    doc: &mut Value,
    list: &FieldPath,
    index: usize,
    item: Value,
) -> Result<usize, EditError> {
    if list.get(doc).is_none() {
        set(doc, list, Value::Array(Vec::new()))?;
    }
    let a = list_mut(doc, list)?;
    let at = index.min(a.len());
    a.insert(at, item);
    Ok(at)
}

/// The list at `list`, which must hold an item at `index`.
fn list_with<'a>(
    doc: &'a mut Value,
    list: &FieldPath,
    index: usize,
) -> Result<&'a mut Vec<Value>, EditError> {
    let a = list_mut(doc, list)?;
    if index >= a.len() {
        return Err(EditError::OutOfRange {
            path: list.clone(),
            index,
            len: a.len(),
        });
    }
    Ok(a)
}

/// Removes the item at `index` of the list at `list`.
pub fn list_remove(doc: &mut Value, list: &FieldPath, index: usize) -> Result<Value, EditError> {
    Ok(list_with(doc, list, index)?.remove(index))
}

/// Puts a copy of item `index` right after it. Returns the copy's position.
pub fn list_duplicate(doc: &mut Value, list: &FieldPath, index: usize) -> Result<usize, EditError> {
    let a = list_with(doc, list, index)?;
    let item = a[index].clone();
    a.insert(index + 1, item);
    Ok(index + 1)
}

/// Moves item `index` by `delta` places (−1 up/left, +1 down/right). Returns its new position,
/// or `None` when it is already at that end.
pub fn list_move(
    doc: &mut Value,
    list: &FieldPath,
    index: usize,
    delta: isize,
) -> Result<Option<usize>, EditError> {
    let a = list_with(doc, list, index)?;
    let to = index as isize + delta;
    if to < 0 || to as usize >= a.len() {
        return Ok(None);
    }
    a.swap(index, to as usize);
    Ok(Some(to as usize))
}

/// The height a new card starts with: RBM's usual one.
pub const DEFAULT_HEIGHT: &str = "MEDIUM";

/// What a new OPEN_URL choice starts with: the API requires both, even for BROWSER.
const OPEN_URL_DEFAULTS: [(&str, &str); 2] =
    [("application", "BROWSER"), ("webviewViewMode", "FULL")];

fn card_keys() -> Vec<&'static str> {
    CARD_FIELDS.iter().map(|f| f.key).collect()
}

/// A new choice of type `t`: its type, an empty title and postback data, and for OPEN_URL the
/// usual application and view mode. The fields a person must write (a URL, a phone number,
/// times) are left missing, so the form flags them and F8 goes to each.
pub fn new_choice(t: ChoiceType) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), Value::String(t.as_str().into()));
    m.insert("title".into(), Value::String(String::new()));
    m.insert("postbackData".into(), Value::String(String::new()));
    let mut v = Value::Object(m);
    choice_defaults(&mut v, t);
    v
}

/// Gives an OPEN_URL choice the application and view mode it lacks.
fn choice_defaults(choice: &mut Value, t: ChoiceType) {
    let Value::Object(m) = choice else { return };
    if t == ChoiceType::OpenUrl {
        let order: Vec<&str> = t.fields().map(|f| f.key).collect();
        for (k, v) in OPEN_URL_DEFAULTS {
            if !m.contains_key(k) {
                insert_ordered(m, &order, k, Value::String(v.into()));
            }
        }
    }
}

/// A new carousel card: nothing written yet but its height.
pub fn new_card() -> Value {
    let mut m = Map::new();
    m.insert("height".into(), Value::String(DEFAULT_HEIGHT.into()));
    Value::Object(m)
}

/// A new draft of `t` with its required text fields empty.
pub fn new_message(t: MessageType) -> Value {
    let mut m = Map::new();
    m.insert("messageType".into(), Value::String(t.as_str().into()));
    m.insert("source".into(), Value::String(String::new()));
    m.insert("destination".into(), Value::String(String::new()));
    if t == MessageType::Text {
        m.insert("messageText".into(), Value::String(String::new()));
    }
    if t == MessageType::Card {
        m.insert("height".into(), Value::String(DEFAULT_HEIGHT.into()));
    }
    if t == MessageType::Carousel {
        m.insert("cards".into(), Value::Array(vec![new_card()]));
    }
    Value::Object(m)
}

/// Changes a choice's type. The title, the postback data and keys unknown to every choice
/// type are kept, and so are fields the new type shares with the old; the old type's own
/// fields that the new type lacks are removed. Returns the keys removed.
pub fn switch_choice_type(choice: &mut Value, to: ChoiceType) -> Vec<String> {
    let Value::Object(m) = choice else {
        *choice = new_choice(to);
        return Vec::new();
    };
    let keep: Vec<&str> = to.fields().map(|f| f.key).collect();
    let mut dropped = Vec::new();
    let old = std::mem::take(m);
    for (k, v) in old {
        if keep.contains(&k.as_str()) || !schema::is_choice_key(&k) {
            m.insert(k, v);
        } else {
            dropped.push(k);
        }
    }
    insert_ordered(m, &keep, "type", Value::String(to.as_str().into()));
    choice_defaults(choice, to);
    dropped
}

/// What a message type switch did, for the status line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SwitchReport {
    /// Keys (dotted paths) that were removed.
    pub dropped: Vec<String>,
    /// Keys that moved (a card's fields into the first carousel card, or back).
    pub moved: Vec<String>,
}

/// Switches the message at `doc` to type `to`, keeping what carries over: source,
/// destination, callbackURL, unknown keys, fields the new type shares (mediaUrl between
/// RCS_MEDIA and RCS_CARD, choices), a card's content as the first carousel card and back,
/// and the failover's source and text when it turns from SMS into MMS or back.
pub fn switch_message_type(doc: &mut Value, to: MessageType) -> SwitchReport {
    let mut report = SwitchReport::default();
    let Value::Object(m) = doc else {
        *doc = new_message(to);
        return report;
    };
    let from = m
        .get("messageType")
        .and_then(Value::as_str)
        .and_then(MessageType::parse);
    if from == Some(to) {
        return report;
    }
    let new_keys: Vec<&str> = to.fields().map(|f| f.key).collect();
    let old = std::mem::take(m);
    let has_target_failover = old.contains_key(to.failover().key());
    let mut card_fields = Map::new();
    let mut first_card: Option<Map<String, Value>> = None;
    let mut old_failover: Option<(FailoverKind, Value)> = None;
    for (k, v) in old {
        let is_failover = k == "smsFailover" || k == "mmsFailover";
        if is_failover {
            let fk = if k == "smsFailover" {
                FailoverKind::Sms
            } else {
                FailoverKind::Mms
            };
            // Keep the one the new type uses; convert the other.
            if fk == to.failover() {
                m.insert(k, v);
            } else if old_failover.is_none() && !has_target_failover {
                old_failover = Some((fk, v));
            } else {
                report.dropped.push(k);
            }
            continue;
        }
        if to == MessageType::Carousel
            && from == Some(MessageType::Card)
            && CARD_FIELDS.iter().any(|f| f.key == k)
        {
            card_fields.insert(k, v);
            continue;
        }
        // A text's or a media message's choices go to the card (the first one of a
        // carousel), as many as a card takes.
        if k == "choices"
            && matches!(to, MessageType::Card | MessageType::Carousel)
            && matches!(from, Some(MessageType::Text | MessageType::Media))
        {
            if let Value::Array(mut list) = v {
                for i in MAX_CARD_CHOICES..list.len() {
                    report.dropped.push(format!("choices.{i}"));
                }
                list.truncate(MAX_CARD_CHOICES);
                if to == MessageType::Carousel {
                    if !list.is_empty() {
                        report.moved.push("cards.0.choices".into());
                    }
                    card_fields.insert(k, Value::Array(list));
                } else {
                    m.insert(k, Value::Array(list));
                }
            } else if to == MessageType::Carousel {
                report.dropped.push(k);
            } else {
                m.insert(k, v);
            }
            continue;
        }
        // And back: the first card's choices become the message's.
        if k == "cards"
            && from == Some(MessageType::Carousel)
            && matches!(to, MessageType::Text | MessageType::Media)
        {
            let first = v.get(0).and_then(|c| c.get("choices")).cloned();
            if let Some(choices @ Value::Array(_)) = first
                && !m.contains_key("choices")
            {
                report.moved.push("choices".into());
                m.insert("choices".into(), choices);
            }
            if holds_something(&v) {
                report.dropped.push(k);
            }
            continue;
        }
        if from == Some(MessageType::Carousel) && to == MessageType::Card && k == "cards" {
            match v {
                Value::Array(mut cards) if !cards.is_empty() => {
                    if let Value::Object(c) = cards.remove(0) {
                        first_card = Some(c);
                    }
                    for i in 0..cards.len() {
                        report.dropped.push(format!("cards.{}", i + 1));
                    }
                }
                _ => report.dropped.push(k),
            }
            continue;
        }
        if new_keys.contains(&k.as_str()) || !schema::is_top_level_key(&k) {
            m.insert(k, v);
        } else if holds_something(&v) {
            // An empty value is dropped without a word: nothing is lost.
            report.dropped.push(k);
        }
    }
    insert_ordered(
        m,
        &new_keys,
        "messageType",
        Value::String(to.as_str().into()),
    );
    if let Some(card) = first_card {
        for (k, v) in card {
            report.moved.push(format!("cards.0.{k}"));
            if CARD_FIELDS.iter().any(|f| f.key == k) {
                insert_ordered(m, &new_keys, &k, v);
            } else {
                // An unknown key of the card stays with the card's content.
                m.insert(k, v);
            }
        }
    }
    if to == MessageType::Carousel && !m.contains_key("cards") {
        if from == Some(MessageType::Card) && !card_fields.is_empty() {
            report
                .moved
                .extend(card_fields.keys().map(|k| k.to_string()));
        }
        if !card_fields.contains_key("height") && from != Some(MessageType::Card) {
            insert_ordered(
                &mut card_fields,
                &card_keys(),
                "height",
                Value::String(DEFAULT_HEIGHT.into()),
            );
        }
        let card = Value::Object(card_fields);
        insert_ordered(m, &new_keys, "cards", Value::Array(vec![card]));
    }
    if to == MessageType::Card && from != Some(MessageType::Carousel) && !m.contains_key("height") {
        insert_ordered(m, &new_keys, "height", Value::String(DEFAULT_HEIGHT.into()));
    }
    if to == MessageType::Text && !m.contains_key("messageText") {
        insert_ordered(m, &new_keys, "messageText", Value::String(String::new()));
    }
    if let Some((fk, v)) = old_failover {
        let target = to.failover();
        match v {
            Value::Object(f) => {
                let order: Vec<&str> = target.fields().iter().map(|f| f.key).collect();
                let mut out = Map::new();
                for (k, v) in f {
                    if order.contains(&k.as_str()) || !failover_key(&k) {
                        out.insert(k, v);
                    } else {
                        report.dropped.push(format!("{}.{k}", fk.key()));
                    }
                }
                insert_ordered(m, &new_keys, target.key(), Value::Object(out));
            }
            _ => report.dropped.push(fk.key().to_string()),
        }
    }
    report
}

fn holds_something(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

fn failover_key(k: &str) -> bool {
    schema::MMS_FAILOVER_FIELDS.iter().any(|f| f.key == k)
}

#[cfg(test)]
mod tests;
