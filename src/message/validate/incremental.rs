//! Checking one field again after its value changed, instead of the whole document: what a
//! keystroke needs, so that its cost follows the change and not the draft (a 10 MB value
//! elsewhere is not read again).
//!
//! Only a field whose problems depend on nothing but its own value and the object it is in
//! qualifies: a text, a URL, a number, a date-time or a value of a list, in the message, a
//! card, a choice or a failover. Anything else (a type, a failover's `enabled`, a list, a
//! calendar event's times, which are checked against each other) is refused, and
//! the caller validates the whole document. The result is the report a full validation gives,
//! issue for issue and in the same order: a property test holds it to that.

use super::{Ctx, Seg, Walker};
use crate::message::path::{FieldPath, Segment};
use crate::message::report::{Issue, Report, Severity};
use crate::message::schema::{self, ChoiceType, Kind};
use crate::message::value::json_len;
use serde_json::Value;
use std::cmp::Ordering;

/// Brings `report` (a full validation of the document before the change) up to date after
/// the value at `path` changed in `doc`; `old_len` is what the value was before, as compact
/// JSON (`json_len`), `None` when the key was absent. False, leaving `report` as it was, when
/// the change may reach beyond the field: validate the whole document then.
pub fn revalidate_field(
    doc: &Value,
    report: &mut Report,
    path: &FieldPath,
    old_len: Option<usize>,
    now: jiff::Timestamp,
) -> bool {
    let (Some(parent), Some(_)) = (path.parent(), path.last_key()) else {
        return false;
    };
    let Some(f) = schema::field_at(doc, path) else {
        return false;
    };
    let plain = matches!(
        f.kind,
        Kind::Text { .. } | Kind::Url { .. } | Kind::Number { .. } | Kind::DateTime | Kind::Enum(_)
    );
    if !plain || f.switch.is_some() {
        return false;
    }
    let Some(Value::Object(obj)) = parent.get(doc) else {
        return false;
    };
    let key = path.last_key().unwrap_or_default();
    let Some(ctx) = context(doc, &parent, obj, key, report) else {
        return false;
    };
    let mut w = Walker {
        path: parent
            .segments()
            .iter()
            .map(|s| match s {
                Segment::Key(k) => Seg::Key(k.as_str()),
                Segment::Index(i) => Seg::Index(*i),
            })
            .collect(),
        report: Report::default(),
        now,
    };
    w.field(obj, f, ctx);
    splice(&mut report.errors, path, w.report.errors, doc);
    splice(&mut report.warnings, path, w.report.warnings, doc);
    report.body_len = resized(report.body_len, obj, key, old_len);
    body_size(report);
    true
}

/// The body's size after the member `key` of `obj` went from `old_len` (its value's size,
/// `None`: absent) to what it is now: only that member and the commas between members
/// changed.
fn resized(
    body: usize,
    obj: &serde_json::Map<String, Value>,
    key: &str,
    old_len: Option<usize>,
) -> usize {
    let member = |value_len: usize| json_len(&Value::String(key.to_string())) + 1 + value_len;
    let now = obj.get(key).map(json_len);
    let n_now = obj.len();
    let n_before = n_now + usize::from(old_len.is_some()) - usize::from(now.is_some());
    let commas = |n: usize| n.saturating_sub(1);
    (body + now.map_or(0, member) + commas(n_now))
        .saturating_sub(old_len.map_or(0, member) + commas(n_before))
}

/// How the walker sees the object at `parent` for a change of its member `key`; `None` where
/// that member's problems depend on another's (a calendar event's times), on a value that
/// is not plain, or where `report`'s order cannot be kept by placing them after the fields
/// before it (a calendar event whose times have problems: those checked against each other
/// come after all of the event's fields).
fn context(
    doc: &Value,
    parent: &FieldPath,
    obj: &serde_json::Map<String, Value>,
    key: &str,
    report: &Report,
) -> Option<Ctx> {
    let segs = parent.segments();
    let in_list = |name: &str| {
        segs.len() >= 2
            && matches!(segs[segs.len() - 1], Segment::Index(_))
            && matches!(&segs[segs.len() - 2], Segment::Key(k) if k == name)
    };
    if parent.is_root() {
        return Some(super::TOP);
    }
    if in_list("cards") {
        return Some(Ctx {
            choice_type: None,
            enabled: false,
            in_carousel: true,
        });
    }
    if in_list("choices") {
        let ct = obj
            .get("type")
            .and_then(Value::as_str)
            .and_then(ChoiceType::parse);
        // A calendar event checks its times against each other (and the start against
        // now); its other fields stand alone.
        if ct == Some(ChoiceType::CreateCalendarEvent) {
            if matches!(key, "startTime" | "endTime") {
                return None;
            }
            let times = [parent.key("startTime"), parent.key("endTime")];
            if report
                .errors
                .iter()
                .chain(&report.warnings)
                .any(|i| times.contains(&i.path))
            {
                return None;
            }
        }
        return Some(Ctx {
            choice_type: ct,
            enabled: false,
            in_carousel: false,
        });
    }
    match schema::field_at(doc, parent).map(|f| f.kind) {
        Some(Kind::Failover(_)) => match obj.get("enabled") {
            Some(Value::Bool(enabled)) => Some(Ctx {
                choice_type: None,
                enabled: *enabled,
                in_carousel: false,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// Replaces the issues at `path` in `list` (in walk order) with `new`, where a walk would
/// have put them.
fn splice(list: &mut Vec<Issue>, path: &FieldPath, new: Vec<Issue>, doc: &Value) {
    let first = list.iter().position(|i| &i.path == path);
    list.retain(|i| &i.path != path);
    let at = first.unwrap_or_else(|| {
        list.iter()
            .position(|i| walk_cmp(doc, &i.path, path) == Ordering::Greater)
            .unwrap_or(list.len())
    });
    list.splice(at..at, new);
}

/// RBM's limit on the whole body, checked again (the body changed size).
fn body_size(report: &mut Report) {
    let root = FieldPath::root();
    report.warnings.retain(|i| i.path != root);
    let size = report.body_len;
    if size > schema::RBM_MAX_BODY_BYTES {
        report.warnings.push(Issue {
            path: root,
            description: "Request Body".into(),
            message: super::body_size_message(size),
            severity: Severity::Warning,
        });
    }
}

/// The order the validator walks the document in: each object's schema fields in order,
/// then its other keys in their order; list items by position; an object before what is
/// inside it; the body as a whole last.
fn walk_cmp(doc: &Value, a: &FieldPath, b: &FieldPath) -> Ordering {
    let (sa, sb) = (a.segments(), b.segments());
    match (sa.is_empty(), sb.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    for n in 0..sa.len().min(sb.len()) {
        if sa[n] == sb[n] {
            continue;
        }
        let parent = a.prefix(n);
        return rank(doc, &parent, &sa[n]).cmp(&rank(doc, &parent, &sb[n]));
    }
    sa.len().cmp(&sb.len())
}

/// Where `seg` comes among the keys (or items) of the object (or list) at `parent`.
fn rank(doc: &Value, parent: &FieldPath, seg: &Segment) -> (usize, usize) {
    match seg {
        Segment::Index(i) => (0, *i),
        Segment::Key(k) => {
            let fields = schema::fields_of(doc, parent);
            match fields.iter().position(|f| f.key == k) {
                Some(i) => (0, i),
                None => {
                    let at = match parent.get(doc) {
                        Some(Value::Object(m)) => m.keys().position(|x| x == k),
                        _ => None,
                    };
                    (1, at.unwrap_or(usize::MAX))
                }
            }
        }
    }
}
