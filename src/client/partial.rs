//! What can be read from an answer cut at the 1 MB mark: the API's success object is read
//! as a stream, and every result that arrived whole is kept, so a long answer still yields
//! its messageGUIDs instead of "unexpected" (which would invite a resend).

use super::Accepted;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;

/// The top-level `status` and `message`, and the results read before the text ended.
#[derive(Debug, Default)]
pub(super) struct Partial {
    pub status: Option<String>,
    pub message: Option<String>,
    pub results: Vec<Accepted>,
}

/// Reads what it can of `text`, an API answer that may end anywhere.
pub(super) fn read(text: &str, accepted: fn(&Value) -> Accepted) -> Partial {
    let mut p = Partial::default();
    let mut de = serde_json::Deserializer::from_str(text);
    // The error is the cut itself; what was read before it is kept.
    let _ = Top(&mut p, accepted).deserialize(&mut de);
    p
}

struct Top<'a>(&'a mut Partial, fn(&Value) -> Accepted);
struct Data<'a>(&'a mut Partial, fn(&Value) -> Accepted);
struct Results<'a>(&'a mut Partial, fn(&Value) -> Accepted);

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the API's answer object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
        while let Some(k) = m.next_key::<String>()? {
            match k.as_str() {
                "status" => self.0.status = m.next_value::<Value>()?.as_str().map(str::to_string),
                "message" => self.0.message = m.next_value::<Value>()?.as_str().map(str::to_string),
                "data" => m.next_value_seed(Data(&mut *self.0, self.1))?,
                _ => {
                    m.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Data<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Data<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the answer's data")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
        while let Some(k) = m.next_key::<String>()? {
            if k == "results" {
                m.next_value_seed(Results(&mut *self.0, self.1))?;
            } else {
                m.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
    // Anything else in `data` carries no results.
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<(), A::Error> {
        while s.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Results<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Results<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of results")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<(), A::Error> {
        while let Some(v) = s.next_element::<Value>()? {
            self.0.results.push((self.1)(&v));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(v: &Value) -> Accepted {
        Accepted {
            message_guid: v["messageGUID"].as_str().unwrap_or("").into(),
            destination: String::new(),
            status: String::new(),
        }
    }

    #[test]
    fn a_cut_answer_keeps_every_whole_result() {
        let text = r#"{"status":"success","message":"queued","data":{"results":[{"messageGUID":"a"},{"messageGUID":"b"},{"messageGU"#;
        let p = read(text, acc);
        assert_eq!(p.status.as_deref(), Some("success"));
        assert_eq!(p.message.as_deref(), Some("queued"));
        let guids: Vec<_> = p.results.iter().map(|r| r.message_guid.as_str()).collect();
        assert_eq!(guids, ["a", "b"]);
        let p = read(r#"{"data":"x","status":"error"}"#, acc);
        assert_eq!((p.status.as_deref(), p.results.len()), (Some("error"), 0));
    }
}
