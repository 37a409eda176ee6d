//! Field paths as the API prints them: object keys and zero-based array positions joined by
//! `.` (`cards.1.choices.0.url`). The validator keys its issues by them, the form keys its
//! fields by them, and a server's 400 `data[].field` parses back into one.

use serde_json::Value;
use std::fmt;

/// One step of a path: an object key or an array position.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A path into the request body. The empty path is the body itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(Vec<Segment>);

impl FieldPath {
    /// The body itself.
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// Parses the API's dotted form. A segment made only of ASCII digits is an array
    /// position; everything else is a key. The empty string is the root.
    pub fn parse(s: &str) -> Self {
        if s.is_empty() {
            return Self::root();
        }
        Self(
            s.split('.')
                .map(|part| {
                    if !part.is_empty()
                        && part.len() < 10
                        && part.bytes().all(|b| b.is_ascii_digit())
                    {
                        part.parse()
                            .map(Segment::Index)
                            .unwrap_or_else(|_| Segment::Key(part.into()))
                    } else {
                        Segment::Key(part.to_string())
                    }
                })
                .collect(),
        )
    }

    pub fn from_segments(segments: Vec<Segment>) -> Self {
        Self(segments)
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// This path with a key appended.
    pub fn key(&self, key: &str) -> Self {
        let mut v = self.0.clone();
        v.push(Segment::Key(key.to_string()));
        Self(v)
    }

    /// This path with an array position appended.
    pub fn index(&self, index: usize) -> Self {
        let mut v = self.0.clone();
        v.push(Segment::Index(index));
        Self(v)
    }

    /// The path one step up, or `None` at the root.
    pub fn parent(&self) -> Option<Self> {
        if self.0.is_empty() {
            None
        } else {
            Some(Self(self.0[..self.0.len() - 1].to_vec()))
        }
    }

    /// The path of the first `n` segments (the whole path when it has fewer): its ancestor
    /// `n` steps below the root, e.g. the card a deeper path is in.
    pub fn prefix(&self, n: usize) -> Self {
        Self(self.0[..n.min(self.0.len())].to_vec())
    }

    /// The last segment's key, if the path ends in a key.
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Segment::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// True when `prefix` is this path or an ancestor of it.
    pub fn starts_with(&self, prefix: &FieldPath) -> bool {
        self.0.starts_with(&prefix.0)
    }

    /// The value this path names in `doc`, if it exists.
    pub fn get<'a>(&self, doc: &'a Value) -> Option<&'a Value> {
        let mut cur = doc;
        for seg in &self.0 {
            cur = match (seg, cur) {
                (Segment::Key(k), Value::Object(m)) => m.get(k)?,
                (Segment::Index(i), Value::Array(a)) => a.get(*i)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// The value this path names in `doc`, mutably, if it exists.
    pub fn get_mut<'a>(&self, doc: &'a mut Value) -> Option<&'a mut Value> {
        let mut cur = doc;
        for seg in &self.0 {
            cur = match (seg, cur) {
                (Segment::Key(k), Value::Object(m)) => m.get_mut(k)?,
                (Segment::Index(i), Value::Array(a)) => a.get_mut(*i)?,
                _ => return None,
            };
        }
        Some(cur)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            match seg {
                Segment::Key(k) => f.write_str(k)?,
                Segment::Index(n) => write!(f, "{n}")?,
            }
        }
        Ok(())
    }
}

impl serde::Serialize for FieldPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for FieldPath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(FieldPath::parse(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_and_prints_the_api_form() {
        let p = FieldPath::parse("cards.1.choices.0.url");
        assert_eq!(p.to_string(), "cards.1.choices.0.url");
        assert_eq!(p.segments()[1], Segment::Index(1));
        assert_eq!(p.last_key(), Some("url"));
        assert_eq!(FieldPath::parse("").to_string(), "");
        assert!(FieldPath::parse("").is_root());
    }

    #[test]
    fn get_follows_keys_and_indices() {
        let doc = json!({"cards": [{"x": 1}, {"choices": [{"url": "u"}]}]});
        assert_eq!(
            FieldPath::parse("cards.1.choices.0.url").get(&doc),
            Some(&json!("u"))
        );
        assert_eq!(FieldPath::parse("cards.2").get(&doc), None);
        assert_eq!(FieldPath::parse("cards.x").get(&doc), None);
    }

    #[test]
    fn prefixes() {
        let p = FieldPath::parse("cards.1.choices.0.url");
        assert!(p.starts_with(&FieldPath::parse("cards.1")));
        assert!(!p.starts_with(&FieldPath::parse("cards.0")));
        assert_eq!(p.parent().unwrap().to_string(), "cards.1.choices.0");
    }

    #[test]
    fn prefix_keeps_the_first_segments() {
        let p = FieldPath::parse("cards.1.choices.0.url");
        assert_eq!(p.prefix(2), FieldPath::parse("cards.1"));
        assert_eq!(p.prefix(4).to_string(), "cards.1.choices.0");
        assert!(p.prefix(0).is_root());
        assert_eq!(p.prefix(5), p);
        assert_eq!(p.prefix(99), p);
        for n in 0..=p.len() {
            assert!(p.starts_with(&p.prefix(n)));
            assert_eq!(p.prefix(n).len(), n);
        }
    }
}
