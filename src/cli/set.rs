//! `--set PATH=VALUE`: change a field of the body on the command line, without editing the
//! file. PATH is the API's dotted path (`cards.1.title`); VALUE is JSON when it parses as
//! JSON (`true`, `3`, `{"enabled":true}`), else text. A field the schema knows as text
//! (a phone number, a title) keeps digits as text: `destination=14155550100` is the string.

use crate::message::FieldPath;
use crate::message::edit;
use crate::message::schema::{self, Kind};
use serde_json::Value;

/// Applies every `PATH=VALUE` in order, or says which one does not fit and why.
pub fn apply(doc: &mut Value, sets: &[String]) -> Result<(), String> {
    for s in sets {
        let Some((path, value)) = s.split_once('=') else {
            return Err(format!(
                "--set {s:?}: write PATH=VALUE, as in --set destination=14155550100"
            ));
        };
        let path = path.trim();
        if path.is_empty() {
            return Err(format!("--set {s:?}: the path before '=' is empty"));
        }
        let path = FieldPath::parse(path);
        let text_field = schema::field_at(doc, &path).is_some_and(|f| {
            matches!(
                f.kind,
                Kind::Text { .. } | Kind::Url { .. } | Kind::Enum(_) | Kind::DateTime
            )
        });
        let value = match serde_json::from_str::<Value>(value) {
            Ok(Value::Number(_) | Value::Bool(_) | Value::Null) if text_field => {
                Value::String(value.to_string())
            }
            Ok(v) => v,
            Err(_) => Value::String(value.to_string()),
        };
        edit::set(doc, &path, value).map_err(|e| {
            format!(
                "--set {s:?}: {e} (a path goes through objects that exist or can be made, \
                 and list positions that exist, as in cards.0.title)"
            )
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_json_when_they_parse_and_text_otherwise() {
        let mut d = json!({"messageType": "RCS_CARD", "destination": "1", "cards": [{"title": "a"}], "n": 1});
        apply(
            &mut d,
            &[
                "destination=14155550100".into(),
                "n=2".into(),
                "cards.0.title=Sale: 50% off".into(),
                "smsFailover={\"enabled\":true}".into(),
                "messageText=\"007\"".into(),
            ],
        )
        .unwrap();
        assert_eq!(d["destination"], "14155550100");
        assert_eq!(d["n"], 2);
        assert_eq!(d["cards"][0]["title"], "Sale: 50% off");
        assert_eq!(d["smsFailover"]["enabled"], true);
        assert_eq!(d["messageText"], "007");
        let e = apply(&mut d, &["cards.5.title=x".into()]).unwrap_err();
        assert!(e.contains("cards.5.title"), "{e}");
        assert!(apply(&mut d, &["novalue".into()]).is_err());
    }
}
