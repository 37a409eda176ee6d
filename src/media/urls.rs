//! Which fields of a draft hold media, found with the schema tables: the URLs to check and
//! what each one is for (a card's media, its thumbnail, the MMS failover's file).

use crate::message::schema::{FailoverKind, Field, Kind, MessageType};
use crate::message::{FieldPath, uri};
use serde_json::{Map, Value};

/// The keys of media URL fields.
const MEDIA_KEYS: &[&str] = &["mediaUrl", "thumbnailUrl"];

/// What a media field is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// `mediaUrl` of an RCS_MEDIA message.
    Media,
    /// `mediaUrl` of a card: shown in the card's media area, cropped to its height.
    CardMedia {
        width_dp: u32,
        height_dp: Option<u32>,
    },
    /// `thumbnailUrl` of an RCS_MEDIA message or a card.
    Thumbnail,
    /// `mmsFailover.mediaUrl`: RBM's rules do not apply to it.
    MmsMedia,
}

/// A media URL of a draft, with what it is for.
#[derive(Debug, Clone)]
pub(super) struct MediaField {
    pub path: FieldPath,
    pub url: String,
    pub role: Role,
    /// For a thumbnail, the path of its media (same object's `mediaUrl`).
    pub media_of_thumbnail: Option<FieldPath>,
}

/// Every media URL of a draft with its API path, in schema order: the top-level `mediaUrl`
/// and `thumbnailUrl`, each card's, and the MMS failover's when it is enabled. Only http
/// and https URLs that the validator accepts are listed: one it rejects already has an
/// error, and there is nothing to fetch.
pub fn media_urls(doc: &Value) -> Vec<(FieldPath, String)> {
    media_fields(doc)
        .into_iter()
        .map(|f| (f.path, f.url))
        .collect()
}

pub(super) fn media_fields(doc: &Value) -> Vec<MediaField> {
    let mut out = Vec::new();
    let Some(obj) = doc.as_object() else {
        return out;
    };
    let Some(mt) = obj
        .get("messageType")
        .and_then(Value::as_str)
        .and_then(MessageType::parse)
    else {
        return out;
    };
    let root = FieldPath::root();
    let top_media = if mt == MessageType::Card {
        Role::CardMedia {
            width_dp: super::geometry::STANDALONE_CARD_WIDTH_DP,
            height_dp: card_height(obj),
        }
    } else {
        Role::Media
    };
    collect(obj, mt.own_fields(), &root, top_media, &mut out);
    for f in mt.own_fields() {
        if let (Kind::Cards { .. }, Some(Value::Array(cards))) = (f.kind, obj.get(f.key)) {
            for (i, card) in cards.iter().enumerate() {
                if let Value::Object(c) = card {
                    let role = Role::CardMedia {
                        width_dp: super::geometry::CAROUSEL_CARD_WIDTH_DP,
                        height_dp: card_height(c),
                    };
                    let base = root.key(f.key).index(i);
                    collect(
                        c,
                        crate::message::schema::CARD_FIELDS,
                        &base,
                        role,
                        &mut out,
                    );
                }
            }
        }
    }
    let fk = mt.failover();
    if fk == FailoverKind::Mms
        && let Some(Value::Object(fo)) = obj.get(fk.key())
        && fo.get("enabled") == Some(&Value::Bool(true))
    {
        collect(
            fo,
            fk.fields(),
            &root.key(fk.key()),
            Role::MmsMedia,
            &mut out,
        );
    }
    out
}

fn card_height(card: &Map<String, Value>) -> Option<u32> {
    card.get("height")
        .and_then(Value::as_str)
        .and_then(super::geometry::height_dp)
}

/// The media URL fields of `obj` described by `fields`.
fn collect(
    obj: &Map<String, Value>,
    fields: &[Field],
    base: &FieldPath,
    media_role: Role,
    out: &mut Vec<MediaField>,
) {
    let has_media = fields.iter().any(|f| f.key == "mediaUrl");
    for f in fields {
        if !MEDIA_KEYS.contains(&f.key)
            || !matches!(
                f.kind,
                Kind::Url {
                    any_scheme: false,
                    ..
                }
            )
        {
            continue;
        }
        let Some(Value::String(s)) = obj.get(f.key) else {
            continue;
        };
        if !is_checkable(s) {
            continue;
        }
        let thumbnail = f.key == "thumbnailUrl";
        out.push(MediaField {
            path: base.key(f.key),
            url: s.clone(),
            role: if thumbnail {
                Role::Thumbnail
            } else {
                media_role
            },
            media_of_thumbnail: (thumbnail && has_media).then(|| base.key("mediaUrl")),
        });
    }
}

/// Whether a new value at a field with this key can change what the media check finds
/// ([`media_fields`] and the findings): the URLs, a card's height, the message's type and
/// the failover's switch. Typing in any other field (a title, a description) leaves them
/// as they were.
pub fn read_by_the_check(key: &str) -> bool {
    MEDIA_KEYS.contains(&key) || matches!(key, "height" | "messageType" | "enabled")
}

/// An http or https URL with a host, valid by the validator's rules and parseable by the
/// HTTP client.
pub fn is_checkable(s: &str) -> bool {
    uri::parse_absolute(s).is_ok_and(|u| u.is_web()) && url::Url::parse(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(doc: &Value) -> Vec<String> {
        media_urls(doc)
            .into_iter()
            .map(|(p, u)| format!("{p}={u}"))
            .collect()
    }

    #[test]
    fn every_media_field_of_every_type() {
        let media = json!({"messageType": "RCS_MEDIA", "mediaUrl": "https://a.example/v.mp4",
            "thumbnailUrl": "https://a.example/t.jpg",
            "mmsFailover": {"enabled": true, "mediaUrl": "https://a.example/m.jpg"}});
        assert_eq!(
            paths(&media),
            [
                "mediaUrl=https://a.example/v.mp4",
                "thumbnailUrl=https://a.example/t.jpg",
                "mmsFailover.mediaUrl=https://a.example/m.jpg"
            ]
        );
        let carousel = json!({"messageType": "RCS_CAROUSEL", "cards": [
            {"mediaUrl": "https://a.example/0.png"},
            "not a card",
            {"mediaUrl": "https://a.example/2.png", "thumbnailUrl": "http://b.example/2t.png"}
        ]});
        assert_eq!(
            paths(&carousel),
            [
                "cards.0.mediaUrl=https://a.example/0.png",
                "cards.2.mediaUrl=https://a.example/2.png",
                "cards.2.thumbnailUrl=http://b.example/2t.png"
            ]
        );
    }

    #[test]
    fn what_the_validator_rejects_or_the_api_ignores_is_left_out() {
        let doc = json!({"messageType": "RCS_CARD",
            "mediaUrl": "https://a.example/has space.png",
            "thumbnailUrl": "ftp://a.example/t.png",
            "mmsFailover": {"enabled": false, "mediaUrl": "https://a.example/m.jpg"}});
        assert!(paths(&doc).is_empty());
        let text = json!({"messageType": "RCS_TEXT", "mediaUrl": "https://a.example/x.png",
            "mmsFailover": {"enabled": true, "mediaUrl": "https://a.example/m.jpg"}});
        assert!(paths(&text).is_empty(), "not fields of RCS_TEXT");
        assert!(paths(&json!({"mediaUrl": "https://a.example/x.png"})).is_empty());
        assert!(paths(&json!([1])).is_empty());
        assert!(paths(&json!({"messageType": "RCS_CARD", "mediaUrl": 5})).is_empty());
    }

    /// Every value of these drafts at a key the check does not read is changed (a string
    /// grows, a number moves, a switch flips), one at a time: the media fields, their URLs
    /// and roles stay as they were.
    #[test]
    fn a_value_at_a_key_the_check_does_not_read_changes_nothing_it_finds() {
        fn leaves(v: &Value, at: Vec<String>, out: &mut Vec<Vec<String>>) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        let mut p = at.clone();
                        p.push(k.clone());
                        leaves(x, p, out);
                    }
                }
                Value::Array(a) => {
                    for (i, x) in a.iter().enumerate() {
                        let mut p = at.clone();
                        p.push(i.to_string());
                        leaves(x, p, out);
                    }
                }
                _ => out.push(at),
            }
        }
        let seen = |doc: &Value| format!("{:?}", media_fields(doc));
        let drafts = [
            crate::message::samples::largest_carousel(),
            json!({"messageType": "RCS_CARD", "height": "TALL", "title": "t",
                "mediaUrl": "https://a.example/x.png", "thumbnailUrl": "https://a.example/t.png",
                "mmsFailover": {"enabled": true, "mediaUrl": "https://a.example/m.jpg",
                    "fallbackText": "f", "failoverSource": "15551234567"}}),
            json!({"messageType": "RCS_MEDIA", "mediaUrl": "https://a.example/v.mp4",
                "thumbnailUrl": "https://a.example/t.jpg",
                "mmsFailover": {"enabled": true, "mediaUrl": "https://a.example/m.jpg"}}),
        ];
        let mut changed = 0;
        for doc in drafts {
            let before = seen(&doc);
            assert!(!media_fields(&doc).is_empty());
            let mut paths = Vec::new();
            leaves(&doc, Vec::new(), &mut paths);
            for p in paths {
                let Some(key) = p.last().filter(|k| k.parse::<usize>().is_err()) else {
                    continue;
                };
                if read_by_the_check(key) {
                    continue;
                }
                let mut edited = doc.clone();
                let pointer = format!("/{}", p.join("/"));
                let Some(v) = edited.pointer_mut(&pointer) else {
                    continue;
                };
                *v = match v.take() {
                    Value::String(s) => Value::String(s + "x"),
                    Value::Bool(b) => Value::Bool(!b),
                    Value::Number(n) => json!(n.as_f64().unwrap_or(0.0) + 1.5),
                    _ => json!("x"),
                };
                assert_eq!(seen(&edited), before, "{pointer}");
                changed += 1;
            }
        }
        assert!(changed > 100, "{changed} values changed");
        // And a key it reads does change what it finds.
        let doc = json!({"messageType": "RCS_CARD", "height": "TALL",
            "mediaUrl": "https://a.example/x.png"});
        let mut short = doc.clone();
        short["height"] = json!("SHORT");
        assert_ne!(seen(&short), seen(&doc));
        assert!(read_by_the_check("height"));
    }

    #[test]
    fn roles_carry_the_card_geometry() {
        let doc = json!({"messageType": "RCS_CARD", "height": "SHORT",
            "mediaUrl": "https://a.example/x.png", "thumbnailUrl": "https://a.example/t.png"});
        let f = media_fields(&doc);
        assert_eq!(
            f[0].role,
            Role::CardMedia {
                width_dp: 320,
                height_dp: Some(112)
            }
        );
        assert_eq!(f[1].role, Role::Thumbnail);
        assert_eq!(
            f[1].media_of_thumbnail.as_ref().map(|p| p.to_string()),
            Some("mediaUrl".into())
        );
    }
}
