//! Finding the schema entry for a place in a document: the fields of an object, the field at
//! a path, by walking the tables with the document's own message and choice types.

use super::{
    CARD_FIELDS, CHOICE_FIELDS, ChoiceType, Field, HEAD_FIELDS, Kind, MessageType, TAIL_FIELDS,
};

/// True when `key` is a top-level field of any message type.
pub fn is_top_level_key(key: &str) -> bool {
    HEAD_FIELDS
        .iter()
        .chain(TAIL_FIELDS)
        .chain(MessageType::ALL.iter().flat_map(|t| t.own_fields()))
        .any(|f| f.key == key)
}

/// True when `key` is a field of any choice type.
pub fn is_choice_key(key: &str) -> bool {
    CHOICE_FIELDS
        .iter()
        .chain(ChoiceType::ALL.iter().flat_map(|t| t.own_fields()))
        .any(|f| f.key == key)
}

/// The schema fields of the object at `parent` in `doc`, in schema order: the message's own
/// fields at the root, a card's, a choice's (by its type) or a failover's below it. Empty when
/// the place is unknown (an unknown key, a list itself).
pub fn fields_of(
    doc: &serde_json::Value,
    parent: &crate::message::FieldPath,
) -> Vec<&'static Field> {
    if parent.is_root() {
        return match doc
            .get("messageType")
            .and_then(serde_json::Value::as_str)
            .and_then(MessageType::parse)
        {
            Some(t) => t.fields().collect(),
            None => HEAD_FIELDS.iter().chain(TAIL_FIELDS).collect(),
        };
    }
    let segs = parent.segments();
    // A list item: the list's field says what its items are.
    if let Some(crate::message::path::Segment::Index(_)) = segs.last() {
        let list_path = parent.prefix(segs.len() - 1);
        return match field_at(doc, &list_path).map(|f| f.kind) {
            Some(Kind::Cards { .. }) => CARD_FIELDS.iter().collect(),
            Some(Kind::Choices { .. }) => match parent
                .get(doc)
                .and_then(|c| c.get("type"))
                .and_then(serde_json::Value::as_str)
                .and_then(ChoiceType::parse)
            {
                Some(ct) => ct.fields().collect(),
                None => CHOICE_FIELDS.iter().collect(),
            },
            _ => Vec::new(),
        };
    }
    match field_at(doc, parent).map(|f| f.kind) {
        Some(Kind::Failover(fk)) => fk.fields().iter().collect(),
        _ => Vec::new(),
    }
}

/// The schema entry for the field at `path` in `doc`, found by walking the tables with the
/// document's own message and choice types. `None` for unknown keys and for array positions.
pub fn field_at(
    doc: &serde_json::Value,
    path: &crate::message::FieldPath,
) -> Option<&'static Field> {
    use crate::message::path::Segment;
    let segs = path.segments();
    let mt = doc
        .get("messageType")
        .and_then(|v| v.as_str())
        .and_then(MessageType::parse);
    let mut fields: Vec<&'static Field> = match mt {
        Some(t) => t.fields().collect(),
        None => HEAD_FIELDS.iter().chain(TAIL_FIELDS).collect(),
    };
    let mut cur = doc;
    let mut i = 0;
    let mut found: Option<&'static Field> = None;
    while i < segs.len() {
        let Segment::Key(k) = &segs[i] else {
            return None;
        };
        let f = *fields.iter().find(|f| f.key == k)?;
        found = Some(f);
        let next = cur.get(k.as_str());
        i += 1;
        if i == segs.len() {
            break;
        }
        match f.kind {
            Kind::Failover(fk) => {
                fields = fk.fields().iter().collect();
                cur = next?;
            }
            Kind::Choices { .. } | Kind::Cards { .. } => {
                let Segment::Index(n) = segs[i] else {
                    return None;
                };
                let item = next?.get(n)?;
                i += 1;
                if i == segs.len() {
                    return None;
                }
                fields = if matches!(f.kind, Kind::Cards { .. }) {
                    CARD_FIELDS.iter().collect()
                } else {
                    match item
                        .get("type")
                        .and_then(|v| v.as_str())
                        .and_then(ChoiceType::parse)
                    {
                        Some(ct) => ct.fields().collect(),
                        None => CHOICE_FIELDS.iter().collect(),
                    }
                };
                cur = item;
            }
            _ => return None,
        }
    }
    found
}
