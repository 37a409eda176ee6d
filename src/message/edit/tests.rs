//! The draft edits' tests.

use super::*;
use serde_json::json;

fn p(s: &str) -> FieldPath {
    FieldPath::parse(s)
}

#[test]
fn set_places_new_keys_in_schema_order() {
    let mut doc = json!({"messageType": "RCS_TEXT", "messageText": "hi"});
    set(&mut doc, &p("source"), json!("CONVEY")).unwrap();
    set(&mut doc, &p("callbackURL"), json!("https://x")).unwrap();
    set(&mut doc, &p("destination"), json!("1555")).unwrap();
    let keys: Vec<_> = doc.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "messageType",
            "source",
            "destination",
            "messageText",
            "callbackURL"
        ]
    );
}

#[test]
fn set_creates_the_failover_object() {
    let mut doc = json!({"messageType": "RCS_TEXT", "source": "A", "x": 1});
    set(&mut doc, &p("smsFailover.enabled"), json!(true)).unwrap();
    assert_eq!(doc["smsFailover"], json!({"enabled": true}));
    let keys: Vec<_> = doc.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["messageType", "source", "smsFailover", "x"]);
}

#[test]
fn set_in_a_choice_follows_its_type() {
    let mut doc = json!({"messageType": "RCS_TEXT", "choices": [
        {"type": "OPEN_URL", "title": "t", "postbackData": "p", "application": "BROWSER"}]});
    set(&mut doc, &p("choices.0.url"), json!("https://e")).unwrap();
    let keys: Vec<_> = doc["choices"][0]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys,
        ["type", "title", "postbackData", "url", "application"]
    );
}

#[test]
fn set_replaces_a_value_where_it_is() {
    // Keys out of the schema's order, one the schema does not know, a list item and
    // the body itself: each is replaced in place, and nothing else moves.
    let mut doc = json!({"destination": "1", "zz": 0, "messageType": "RCS_TEXT",
        "choices": [{"title": "a"}, {"title": "b"}]});
    set(&mut doc, &p("messageType"), json!("RCS_CARD")).unwrap();
    set(&mut doc, &p("zz"), json!({"n": 1})).unwrap();
    set(&mut doc, &p("choices.1"), json!({"title": "c"})).unwrap();
    set(&mut doc, &p("choices.0.title"), json!(7)).unwrap();
    assert_eq!(
        doc,
        json!({"destination": "1", "zz": {"n": 1}, "messageType": "RCS_CARD",
            "choices": [{"title": 7}, {"title": "c"}]})
    );
    let keys: Vec<_> = doc.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["destination", "zz", "messageType", "choices"]);
    set(&mut doc, &FieldPath::root(), json!([])).unwrap();
    assert_eq!(doc, json!([]));
}

#[test]
fn set_refuses_missing_list_items_and_scalars() {
    let mut doc = json!({"messageType": "RCS_TEXT", "source": "A"});
    let before = doc.clone();
    assert!(set(&mut doc, &p("choices.3.title"), json!("x")).is_err());
    assert!(set(&mut doc, &p("source.x"), json!("x")).is_err());
    assert_eq!(doc, before);
}

#[test]
fn list_edits() {
    let mut doc = json!({"cards": [{"title": "a"}, {"title": "b"}]});
    let l = p("cards");
    assert_eq!(list_duplicate(&mut doc, &l, 0).unwrap(), 1);
    assert_eq!(doc["cards"].as_array().unwrap().len(), 3);
    assert_eq!(list_move(&mut doc, &l, 2, 1).unwrap(), None);
    assert_eq!(list_move(&mut doc, &l, 2, -1).unwrap(), Some(1));
    assert_eq!(doc["cards"][1]["title"], "b");
    list_remove(&mut doc, &l, 0).unwrap();
    assert_eq!(doc["cards"], json!([{"title": "b"}, {"title": "a"}]));
    assert!(list_remove(&mut doc, &l, 5).is_err());
    assert!(list_insert(&mut doc, &p("cards.0.title"), 0, json!(1)).is_err());
}

#[test]
fn choice_type_switch_keeps_title_and_postback() {
    let mut c = json!({"type": "OPEN_URL", "title": "T", "postbackData": "P",
        "url": "https://e", "application": "BROWSER", "webviewViewMode": "FULL", "extra": 1});
    let dropped = switch_choice_type(&mut c, ChoiceType::DialPhone);
    assert_eq!(dropped, ["url", "application", "webviewViewMode"]);
    assert_eq!(
        c,
        json!({"type": "DIAL_PHONE", "title": "T", "postbackData": "P", "extra": 1})
    );
}

#[test]
fn message_switch_text_to_media_keeps_common_and_converts_failover() {
    let mut doc = json!({"messageType": "RCS_TEXT", "source": "S", "destination": "D",
        "messageText": "hi", "choices": [], "callbackURL": "https://c",
        "smsFailover": {"enabled": true, "failoverSource": "1", "fallbackText": "t"}, "zz": 1});
    let r = switch_message_type(&mut doc, MessageType::Media);
    assert_eq!(r.dropped, ["messageText"]);
    assert_eq!(
        doc,
        json!({"messageType": "RCS_MEDIA", "source": "S", "destination": "D",
        "choices": [], "callbackURL": "https://c", "zz": 1,
        "mmsFailover": {"enabled": true, "failoverSource": "1", "fallbackText": "t"}})
    );
    let r = switch_message_type(&mut doc, MessageType::Text);
    assert!(r.dropped.is_empty(), "{r:?}");
    assert_eq!(doc["messageText"], "");
    assert_eq!(doc["smsFailover"]["fallbackText"], "t");
}

#[test]
fn both_failovers_present_keeps_the_target_one() {
    let mut doc = json!({"messageType": "RCS_TEXT", "messageText": "",
        "smsFailover": {"enabled": true, "fallbackText": "sms"},
        "mmsFailover": {"enabled": true, "fallbackText": "mms"}});
    let r = switch_message_type(&mut doc, MessageType::Media);
    assert_eq!(doc["mmsFailover"]["fallbackText"], "mms");
    assert_eq!(r.dropped, ["smsFailover"]);
    assert!(doc.get("smsFailover").is_none());
}

#[test]
fn card_to_carousel_and_back() {
    let mut doc = json!({"messageType": "RCS_CARD", "source": "S", "title": "T",
        "height": "SHORT", "choices": [{"type": "REPLY", "title": "a", "postbackData": "b"}]});
    switch_message_type(&mut doc, MessageType::Carousel);
    assert_eq!(
        doc,
        json!({"messageType": "RCS_CAROUSEL", "source": "S", "cards": [{"title": "T",
        "height": "SHORT", "choices": [{"type": "REPLY", "title": "a", "postbackData": "b"}]}]})
    );
    let mut doc2 = doc.clone();
    list_insert(&mut doc2, &p("cards"), 1, json!({"title": "second"})).unwrap();
    let r = switch_message_type(&mut doc2, MessageType::Card);
    assert_eq!(r.dropped, ["cards.1"]);
    assert_eq!(doc2["title"], "T");
    assert!(doc2.get("cards").is_none());
}

fn replies(n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| json!({"type": "REPLY", "title": format!("r{i}"), "postbackData": "p"}))
            .collect(),
    )
}

#[test]
fn a_texts_choices_go_to_the_card_up_to_four_and_back() {
    let mut doc = json!({"messageType": "RCS_TEXT", "source": "S", "messageText": "",
        "choices": replies(6)});
    let r = switch_message_type(&mut doc, MessageType::Card);
    assert_eq!(doc["choices"], replies(4));
    assert_eq!(r.dropped, ["choices.4", "choices.5"]);
    assert_eq!(doc["height"], DEFAULT_HEIGHT);

    let mut doc = json!({"messageType": "RCS_TEXT", "source": "S", "messageText": "hi",
        "choices": replies(5)});
    let r = switch_message_type(&mut doc, MessageType::Carousel);
    assert_eq!(
        doc,
        json!({"messageType": "RCS_CAROUSEL", "source": "S",
               "cards": [{"height": "MEDIUM", "choices": replies(4)}]})
    );
    assert_eq!(r.moved, ["cards.0.choices"]);
    assert_eq!(r.dropped, ["messageText", "choices.4"]);

    // back: the first card's choices are the message's again
    list_insert(
        &mut doc,
        &p("cards"),
        1,
        json!({"title": "2", "choices": replies(1)}),
    )
    .unwrap();
    let r = switch_message_type(&mut doc, MessageType::Text);
    assert_eq!(doc["choices"], replies(4));
    assert_eq!(r.moved, ["choices"]);
    assert_eq!(r.dropped, ["cards"]);
    assert!(doc.get("cards").is_none());
}

#[test]
fn new_items_start_with_the_usual_values() {
    assert_eq!(new_card(), json!({"height": "MEDIUM"}));
    assert_eq!(
        new_choice(ChoiceType::OpenUrl),
        json!({"type": "OPEN_URL", "title": "", "postbackData": "",
               "application": "BROWSER", "webviewViewMode": "FULL"})
    );
    let mut c = json!({"type": "REPLY", "title": "t", "postbackData": "p"});
    switch_choice_type(&mut c, ChoiceType::OpenUrl);
    assert_eq!(c["application"], "BROWSER");
    let keys: Vec<_> = c.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "type",
            "title",
            "postbackData",
            "application",
            "webviewViewMode"
        ]
    );
    assert_eq!(new_message(MessageType::Card)["height"], "MEDIUM");
}
