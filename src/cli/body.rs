//! Reading a request body from a file or a pipe for `validate` and `send`, with bounded
//! memory whatever the input.
//!
//! - Only what may be read without waiting is read: a regular file, standard input (`-`),
//!   or a descriptor the shell opened (`<(cmd)` is `/dev/fd/N`). A named FIFO or a device
//!   would block the command forever (nobody may ever write to it) or never end; it is
//!   refused, as the composer refuses it.
//! - At most [`MAX_READ_BYTES`] are read.
//! - No array or object keeps more than [`MAX_ITEMS`] members: the API takes 10 cards and 4 choices, so a body
//!   with 200,000 cards or 500,000 keys is already refused for that, and its first thousand
//!   say all there is to say. What was not kept is reported ([`Cut`]). A document held as
//!   `serde_json::Value` (ordered maps) takes about 7 times the bytes of its JSON when it is
//!   mostly small objects; with this, the peak stays under 4 times the file's size.

use crate::message::{FieldPath, Segment};
use crate::store::MAX_READ_BYTES;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::io::{self, Read};

/// The most members an array or an object keeps.
pub const MAX_ITEMS: usize = 1000;

/// The most values a document keeps in all (nested collections multiply): a real body has a
/// few hundred.
pub const MAX_VALUES: usize = 100_000;

/// A collection of which only the first [`MAX_ITEMS`] members were kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    pub path: FieldPath,
    /// How many members it had.
    pub total: usize,
    /// How many were kept.
    pub kept: usize,
    /// "items" or "keys".
    pub what: &'static str,
}

impl Cut {
    pub fn message(&self) -> String {
        format!(
            "it has {} {}; only the first {} were read and checked (the rest are far past every limit of the API)",
            self.total, self.what, self.kept
        )
    }
}

/// A body as read: the document, what was cut, and its size in bytes.
#[derive(Debug)]
pub struct Body {
    pub doc: Value,
    pub cut: Vec<Cut>,
    pub bytes: u64,
}

/// Reads the body named `name`: `-` is standard input.
pub fn load(name: &str) -> Result<Body, String> {
    if name == "-" {
        return parse(io::stdin().lock()).map_err(|e| match e {
            Failed::Read(e) => format!("cannot read standard input: {e}"),
            Failed::Json(m) => m,
        });
    }
    let file = if is_open_descriptor(name) {
        // `<(cmd)`: a pipe the shell opened, with its writer running.
        std::fs::File::open(name).map_err(|e| format!("cannot read {name}: {}", io_reason(&e)))?
    } else {
        crate::store::open_regular(std::path::Path::new(name))
            .map(|(f, _)| f)
            .map_err(|e| format!("cannot read {name}: {}", io_reason(&e)))?
    };
    parse(file).map_err(|e| match e {
        Failed::Read(e) => format!("cannot read {name}: {}", io_reason(&e)),
        Failed::Json(m) => m,
    })
}

/// Paths that name a descriptor already open in this process (`/dev/fd/N`,
/// `/proc/self/fd/N`, `/dev/stdin`): what process substitution gives.
fn is_open_descriptor(name: &str) -> bool {
    let num = |rest: &str| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
    name == "/dev/stdin"
        || name.strip_prefix("/dev/fd/").is_some_and(num)
        || name.strip_prefix("/proc/self/fd/").is_some_and(num)
}

pub(super) fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "it is a folder".into(),
        io::ErrorKind::InvalidInput => {
            format!("{e}; a pipe is read from standard input (`-`) or as <(command)")
        }
        _ => e.to_string(),
    }
}

enum Failed {
    Read(io::Error),
    Json(String),
}

/// Reads all of `r` (at most [`MAX_READ_BYTES`]) and parses it, keeping at most
/// [`MAX_ITEMS`] members of any array or object. The bytes and the document are held
/// together for a moment: with the caps, that is at most about twice the input (a long
/// string is held as bytes and as text), and parsing from memory is several times faster
/// than from a reader.
fn parse(r: impl Read) -> Result<Body, Failed> {
    let bytes = crate::store::read_capped(r, MAX_READ_BYTES).map_err(Failed::Read)?;
    let mut cut = Vec::new();
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let doc = Seed {
        path: &mut Vec::new(),
        cut: &mut cut,
        budget: &mut MAX_VALUES.clone(),
    }
    .deserialize(&mut de)
    .and_then(|d| de.end().map(|()| d))
    .map_err(|e| Failed::Json(json_error(&e)))?;
    Ok(Body {
        doc,
        cut,
        bytes: bytes.len() as u64,
    })
}

/// A syntax error with its line and column, said plainly.
pub fn json_error(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Eof => "the JSON ends too early",
        _ => "invalid JSON",
    };
    // serde_json's message ends with " at line L column C"; say it plainly.
    let msg = e.to_string();
    let reason = msg
        .rsplit_once(" at line ")
        .map(|(r, _)| r.to_string())
        .unwrap_or(msg);
    format!(
        "{what} at line {} column {}: {reason}",
        e.line(),
        e.column()
    )
}

/// Builds a `Value`, keeping at most [`MAX_ITEMS`] members of each collection and
/// [`MAX_VALUES`] values in all.
struct Seed<'p> {
    path: &'p mut Vec<Segment>,
    cut: &'p mut Vec<Cut>,
    /// Values that may still be kept.
    budget: &'p mut usize,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Seed<'_> {
    fn note(&mut self, total: usize, kept: usize, what: &'static str) {
        let path = FieldPath::from_segments(self.path.clone());
        self.cut.push(Cut {
            path,
            total,
            kept,
            what,
        });
    }

    /// Whether one more member may be kept, given how many this collection keeps.
    fn room(&mut self, kept: usize) -> bool {
        if kept < MAX_ITEMS && *self.budget > 0 {
            *self.budget -= 1;
            true
        } else {
            false
        }
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        let mut total = 0;
        loop {
            if self.room(items.len()) {
                self.path.push(Segment::Index(total));
                let next = seq.next_element_seed(Seed {
                    path: self.path,
                    cut: self.cut,
                    budget: self.budget,
                });
                self.path.pop();
                match next? {
                    Some(v) => items.push(v),
                    None => {
                        // The end of the array, not a member: its room is given back.
                        *self.budget += 1;
                        break;
                    }
                }
            } else if seq.next_element::<IgnoredAny>()?.is_none() {
                break;
            }
            total += 1;
        }
        if total > items.len() {
            self.note(total, items.len(), "items");
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        let mut obj = Map::new();
        let mut total = 0;
        while let Some(key) = map.next_key::<String>()? {
            if obj.contains_key(&key) || self.room(obj.len()) {
                self.path.push(Segment::Key(key.clone()));
                let v = map.next_value_seed(Seed {
                    path: self.path,
                    cut: self.cut,
                    budget: self.budget,
                });
                self.path.pop();
                obj.insert(key, v?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
            total += 1;
        }
        if total > obj.len() {
            self.note(total, obj.len(), "keys");
        }
        Ok(Value::Object(obj))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Body, String> {
        parse(text.as_bytes()).map_err(|e| match e {
            Failed::Read(e) => e.to_string(),
            Failed::Json(m) => m,
        })
    }

    #[test]
    fn small_documents_read_whole_and_errors_say_where() {
        let b = read(r#"{"a": [1, 2.5, "x", null, true], "b": {"c": -3}}"#).unwrap();
        assert_eq!(
            b.doc,
            serde_json::json!({"a": [1, 2.5, "x", null, true], "b": {"c": -3}})
        );
        assert!(b.cut.is_empty());
        let e = read("{\n  \"a\": ,\n}").unwrap_err();
        assert!(e.starts_with("invalid JSON at line 2 column 8"), "{e}");
        let e = read("{\"a\": [1,").unwrap_err();
        assert!(e.starts_with("the JSON ends too early"), "{e}");
        assert!(read("{} x").is_err());
    }

    #[test]
    fn huge_collections_keep_their_first_thousand_and_say_so() {
        let cards: Vec<String> = (0..2500).map(|i| format!("{{\"n\": {i}}}")).collect();
        let keys: Vec<String> = (0..1500).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!(
            "{{\"cards\": [{}], \"x\": {{{}}}}}",
            cards.join(","),
            keys.join(",")
        );
        let b = read(&text).unwrap();
        assert_eq!(b.doc["cards"].as_array().unwrap().len(), MAX_ITEMS);
        assert_eq!(b.doc["cards"][999]["n"], 999);
        assert_eq!(b.doc["x"].as_object().unwrap().len(), MAX_ITEMS);
        let paths: Vec<String> = b.cut.iter().map(|c| c.path.to_string()).collect();
        assert_eq!(paths, ["cards", "x"]);
        assert_eq!((b.cut[0].total, b.cut[1].total), (2500, 1500));
        assert!(
            b.cut[0]
                .message()
                .starts_with("it has 2500 items; only the first 1000")
        );
        assert_eq!(b.bytes, text.len() as u64);
    }

    #[test]
    fn nested_collections_keep_a_hundred_thousand_values_in_all() {
        let inner = format!("[{}]", vec!["1"; 999].join(","));
        let text = format!("[{}]", vec![inner.as_str(); 500].join(","));
        let b = read(&text).unwrap();
        let kept: usize = b
            .doc
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_array().unwrap().len() + 1)
            .sum();
        assert_eq!(kept, MAX_VALUES);
        assert_eq!(b.cut.len(), 1, "{:?}", b.cut);
        assert_eq!((b.cut[0].total, b.cut[0].kept), (500, 100));
    }

    #[test]
    fn descriptors_the_shell_opened_are_told_from_named_pipes() {
        assert!(is_open_descriptor("/dev/fd/63"));
        assert!(is_open_descriptor("/proc/self/fd/12"));
        assert!(is_open_descriptor("/dev/stdin"));
        assert!(!is_open_descriptor("/dev/fd/"));
        assert!(!is_open_descriptor("/tmp/fifo"));
        assert!(!is_open_descriptor("/dev/fd/../x"));
    }
}
