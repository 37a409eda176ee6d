//! Any document, at any size, renders inside its area.

use super::*;
use proptest::prelude::*;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        "\\PC{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("RCS_TEXT"),
            Just("RCS_MEDIA"),
            Just("RCS_CARD"),
            Just("RCS_CAROUSEL"),
            Just("REPLY"),
            Just("OPEN_URL"),
            Just("SHOW_LOCATION"),
            Just("CREATE_CALENDAR_EVENT"),
            Just("TALL"),
            Just("https://example.com/a.pdf"),
            Just("2030-01-01T00:00:00Z"),
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    let keys = prop_oneof![
        Just("messageType"),
        Just("messageText"),
        Just("choices"),
        Just("cards"),
        Just("type"),
        Just("title"),
        Just("description"),
        Just("height"),
        Just("mediaUrl"),
        Just("url"),
        Just("latitude"),
        Just("smsFailover"),
        Just("mmsFailover"),
        Just("enabled"),
        Just("fallbackText"),
        Just("filenameOverride"),
        Just("startTime"),
        Just("x"),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..6).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn any_document_renders_inside_its_area(doc in json_value(), w in 1u16..90, h in 1u16..30,
                                             fallback in any::<bool>()) {
        let report = validate_at(&doc, now());
        check_inside(&doc, &report, Some(&FieldPath::parse("cards.1.title")), w, h, fallback);
    }
}
