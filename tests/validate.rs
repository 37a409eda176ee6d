//! The validator, rule by rule (`../shared/spec/validation.md`), through the library and
//! through the `validate` command.

use proptest::prelude::*;
use rcs_composer::message::{FieldPath, Report, validate, validate_at};
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};

// ---------------------------------------------------------------- helpers

fn text() -> Value {
    json!({
        "messageType": "RCS_TEXT",
        "source": "ACME",
        "destination": "14155550100",
        "messageText": "Your order shipped."
    })
}

fn media() -> Value {
    json!({
        "messageType": "RCS_MEDIA",
        "source": "ACME",
        "destination": "14155550100",
        "mediaUrl": "https://cdn.example/v.mp4",
        "thumbnailUrl": "https://cdn.example/v.jpg",
        "filenameOverride": "v.mp4"
    })
}

fn card_body() -> Value {
    json!({
        "title": "Sale",
        "description": "Everything 20% off.",
        "height": "MEDIUM",
        "mediaUrl": "https://cdn.example/sale.jpg"
    })
}

fn card() -> Value {
    let mut d = json!({
        "messageType": "RCS_CARD",
        "source": "ACME",
        "destination": "14155550100"
    });
    for (k, v) in card_body().as_object().unwrap() {
        d[k] = v.clone();
    }
    d
}

fn carousel(n: usize) -> Value {
    json!({
        "messageType": "RCS_CAROUSEL",
        "source": "ACME",
        "destination": "14155550100",
        "cards": (0..n).map(|_| card_body()).collect::<Vec<_>>()
    })
}

fn reply(title: &str) -> Value {
    json!({"type": "REPLY", "title": title, "postbackData": "p"})
}

fn open_url() -> Value {
    json!({"type": "OPEN_URL", "title": "Open", "postbackData": "p",
           "url": "https://shop.example/x", "application": "BROWSER", "webviewViewMode": "FULL"})
}

fn dial() -> Value {
    json!({"type": "DIAL_PHONE", "title": "Call", "postbackData": "p", "phoneNumber": "15551234567"})
}

fn location() -> Value {
    json!({"type": "SHOW_LOCATION", "title": "Map", "postbackData": "p",
           "latitude": 37.7749, "longitude": -122.4194})
}

fn request_location() -> Value {
    json!({"type": "REQUEST_LOCATION", "title": "Share", "postbackData": "p"})
}

fn calendar() -> Value {
    json!({"type": "CREATE_CALENDAR_EVENT", "title": "Save", "postbackData": "p",
           "startTime": "2030-03-03T15:00:00Z", "endTime": "2030-03-03T16:00:00Z",
           "eventTitle": "Launch"})
}

/// `doc` with the value at dotted `path` set (the parent must exist).
fn set(mut doc: Value, path: &str, v: Value) -> Value {
    let p = FieldPath::parse(path);
    let parent = p.parent().unwrap();
    let key = p.segments().last().unwrap().clone();
    let target = parent.get_mut(&mut doc).expect("parent exists");
    match key {
        rcs_composer::message::Segment::Key(k) => {
            target.as_object_mut().unwrap().insert(k, v);
        }
        rcs_composer::message::Segment::Index(i) => target[i] = v,
    }
    doc
}

/// `doc` without the key at dotted `path`.
fn del(mut doc: Value, path: &str) -> Value {
    let p = FieldPath::parse(path);
    let parent = p.parent().unwrap();
    let key = p.last_key().unwrap().to_string();
    parent
        .get_mut(&mut doc)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .shift_remove(&key);
    doc
}

fn now() -> jiff::Timestamp {
    "2026-11-27T00:00:00Z".parse().unwrap()
}

fn report(doc: &Value) -> Report {
    validate_at(doc, now())
}

fn errors(doc: &Value) -> Vec<String> {
    report(doc)
        .errors
        .iter()
        .map(|i| i.path.to_string())
        .collect()
}

fn warnings(doc: &Value) -> Vec<String> {
    report(doc)
        .warnings
        .iter()
        .map(|i| i.path.to_string())
        .collect()
}

fn error_messages(doc: &Value) -> Vec<String> {
    report(doc)
        .errors
        .iter()
        .map(|i| i.message.clone())
        .collect()
}

#[track_caller]
fn assert_errors(doc: &Value, want: &[&str]) {
    assert_eq!(errors(doc), want, "errors of {doc:#}");
}

#[track_caller]
fn assert_valid(doc: &Value) {
    assert_eq!(errors(doc), Vec::<String>::new(), "errors of {doc:#}");
}

fn s(n: usize) -> Value {
    Value::String("a".repeat(n))
}

// ---------------------------------------------------------------- top level

#[test]
fn minimal_bodies_of_every_type_are_valid_without_warnings() {
    for d in [text(), media(), card(), carousel(2)] {
        assert_valid(&d);
        assert_eq!(warnings(&d), Vec::<String>::new(), "{d:#}");
    }
}

#[test]
fn message_type_is_required_and_exact() {
    assert_errors(&del(text(), "messageType"), &["messageType"]);
    assert_errors(
        &set(text(), "messageType", json!("rcs_text")),
        &["messageType"],
    );
    assert_errors(
        &set(text(), "messageType", json!("RCS_FAX")),
        &["messageType"],
    );
    assert_errors(&set(text(), "messageType", json!(1)), &["messageType"]);
    assert_errors(&set(text(), "messageType", Value::Null), &["messageType"]);
    assert_eq!(
        error_messages(&del(text(), "messageType")),
        ["'messageType' is required"]
    );
}

#[test]
fn unknown_message_type_checks_only_common_fields() {
    // No messageText, bad height: not reported, since the type is unknown.
    let d = json!({"messageType": "RCS_FAX", "source": "14155550199", "destination": "1",
                   "height": "HUGE", "callbackURL": "ftp://x"});
    assert_errors(&d, &["messageType", "source", "callbackURL"]);
    // Keys of some type are not "unknown"; keys of none are.
    let d = json!({"messageType": "X", "source": "A", "destination": "14155550100",
                   "messageText": "t", "bogus": 1});
    assert_eq!(warnings(&d), ["bogus"]);
}

#[test]
fn source_is_required_and_not_a_phone_number() {
    assert_errors(&del(text(), "source"), &["source"]);
    assert_errors(&set(text(), "source", json!("")), &["source"]);
    assert_errors(&set(text(), "source", Value::Null), &["source"]);
    assert_errors(&set(text(), "source", json!(14155550199u64)), &["source"]);
    for phone in [
        "14155550199",
        "+14155550199",
        "+1 (415) 555-0199",
        "415.555.0199",
        "12345",
    ] {
        let d = set(text(), "source", json!(phone));
        assert_errors(&d, &["source"]);
        assert_eq!(
            error_messages(&d),
            ["RCS is not available for phone numbers"]
        );
    }
    for sender in ["CONVEY", "ACME 24", "+ACME", "1-800-FLOWERS"] {
        assert_valid(&set(text(), "source", json!(sender)));
    }
}

#[test]
fn destination_is_required_and_warned_when_not_a_phone_number() {
    assert_errors(&del(text(), "destination"), &["destination"]);
    assert_errors(&set(text(), "destination", json!("")), &["destination"]);
    assert_errors(
        &set(text(), "destination", json!(14155550100u64)),
        &["destination"],
    );
    for ok in ["1234567", "123456789012345", "+14155550100"] {
        let d = set(text(), "destination", json!(ok));
        assert_valid(&d);
        assert_eq!(warnings(&d), Vec::<String>::new(), "{ok}");
    }
    for odd in ["123456", "1234567890123456", "ACME", "+1 415 555 0100"] {
        let d = set(text(), "destination", json!(odd));
        assert_valid(&d);
        assert_eq!(warnings(&d), ["destination"], "{odd}");
    }
}

#[test]
fn callback_url_is_optional_http_and_at_most_2048() {
    assert_valid(&text());
    let prefix = "https://cb.example/";
    assert_valid(&set(
        text(),
        "callbackURL",
        json!(format!("{prefix}{}", "a".repeat(2048 - prefix.len()))),
    ));
    assert_errors(
        &set(
            text(),
            "callbackURL",
            json!(format!("{prefix}{}", "a".repeat(2049 - prefix.len()))),
        ),
        &["callbackURL"],
    );
    for bad in [
        "ftp://cb.example/x",
        "cb.example/x",
        "https://",
        "",
        "mailto:a@b.c",
    ] {
        assert_errors(&set(text(), "callbackURL", json!(bad)), &["callbackURL"]);
    }
    assert_errors(&set(text(), "callbackURL", Value::Null), &["callbackURL"]);
    assert_valid(&set(
        text(),
        "callbackURL",
        json!("http://127.0.0.1:8643/cb"),
    ));
}

#[test]
fn unknown_fields_are_warnings_at_every_level() {
    let mut d = set(text(), "extra", json!({"x": 1}));
    d = set(d, "choices", json!([reply("Yes")]));
    d = set(d, "choices.0.color", json!("red"));
    d = set(d, "smsFailover", json!({"enabled": false, "note": "x"}));
    assert_valid(&d);
    assert_eq!(
        warnings(&d),
        ["choices.0.color", "smsFailover.note", "extra"]
    );
    let mut c = carousel(2);
    c = set(c, "cards.1.subtitle", json!("x"));
    assert_valid(&c);
    assert_eq!(warnings(&c), ["cards.1.subtitle"]);
    // A field of another type is unknown for this one.
    let d = set(text(), "mediaUrl", json!("https://x.example/a.png"));
    assert_valid(&d);
    assert_eq!(warnings(&d), ["mediaUrl"]);
}

#[test]
fn wrong_json_types_are_errors_at_their_path() {
    assert_errors(&set(text(), "messageText", json!(5)), &["messageText"]);
    assert_errors(&set(text(), "messageText", json!(["a"])), &["messageText"]);
    assert_errors(
        &set(text(), "choices", json!({"0": reply("a")})),
        &["choices"],
    );
    assert_errors(&set(text(), "choices", json!("REPLY")), &["choices"]);
    assert_errors(&set(text(), "choices", json!([5])), &["choices.0"]);
    assert_errors(&set(carousel(2), "cards", json!({})), &["cards"]);
    assert_errors(&set(carousel(2), "cards.1", json!("card")), &["cards.1"]);
    assert_errors(&set(text(), "smsFailover", json!(true)), &["smsFailover"]);
    assert_errors(&set(card(), "height", json!(2)), &["height"]);
    assert_errors(&set(card(), "mediaUrl", json!({"url": "x"})), &["mediaUrl"]);
    assert_errors(
        &set(
            text(),
            "choices",
            json!([set(location(), "latitude", json!("37.7"))]),
        ),
        &["choices.0.latitude"],
    );
    assert_errors(
        &set(text(), "smsFailover", json!({"enabled": "true"})),
        &["smsFailover.enabled"],
    );
}

#[test]
fn null_is_an_error_anywhere() {
    assert_errors(&set(text(), "choices", Value::Null), &["choices"]);
    assert_errors(&set(text(), "smsFailover", Value::Null), &["smsFailover"]);
    assert_errors(&set(card(), "thumbnailUrl", Value::Null), &["thumbnailUrl"]);
    assert_errors(
        &set(
            text(),
            "choices",
            json!([set(location(), "label", Value::Null)]),
        ),
        &["choices.0.label"],
    );
}

#[test]
fn body_that_is_not_an_object_is_one_error_at_the_root() {
    for d in [
        json!([1]),
        json!("RCS_TEXT"),
        json!(3),
        Value::Null,
        json!(true),
    ] {
        let r = report(&d);
        assert_eq!(r.errors.len(), 1, "{d}");
        assert!(r.errors[0].path.is_root());
        assert!(r.errors[0].message.contains("must be a JSON object"));
    }
}

#[test]
fn errors_come_in_schema_order() {
    let d = json!({
        "mmsFailover": {"enabled": true},
        "callbackURL": "nope",
        "choices": [{"type": "OPEN_URL", "title": "t", "postbackData": "p"}],
        "description": "d",
        "messageType": "RCS_CARD",
        "destination": "",
        "height": "HUGE"
    });
    assert_errors(
        &d,
        &[
            "source",
            "destination",
            "title",
            "height",
            "mediaUrl",
            "choices.0.url",
            "choices.0.application",
            "choices.0.webviewViewMode",
            "callbackURL",
            "mmsFailover.failoverSource",
            "mmsFailover.fallbackText",
            "mmsFailover.mediaUrl",
            "mmsFailover.subject",
        ],
    );
}

// ---------------------------------------------------------------- per message type

#[test]
fn text_requires_message_text() {
    assert_errors(&del(text(), "messageText"), &["messageText"]);
    assert_errors(&set(text(), "messageText", json!("")), &["messageText"]);
    assert_eq!(
        error_messages(&del(text(), "messageText")),
        ["'messageText' is required"]
    );
}

#[test]
fn message_text_over_3072_is_a_warning() {
    let d = set(text(), "messageText", s(3072));
    assert_valid(&d);
    assert_eq!(warnings(&d), Vec::<String>::new());
    let d = set(text(), "messageText", s(3073));
    assert_valid(&d);
    assert_eq!(warnings(&d), ["messageText"]);
}

#[test]
fn text_and_media_choices_have_no_maximum_but_warn_over_11() {
    for base in [text(), media()] {
        let eleven: Vec<Value> = (0..11).map(|i| reply(&format!("R{i}"))).collect();
        let d = set(base.clone(), "choices", json!(eleven));
        assert_valid(&d);
        assert_eq!(warnings(&d), Vec::<String>::new());
        let many: Vec<Value> = (0..30).map(|i| reply(&format!("R{i}"))).collect();
        let d = set(base, "choices", json!(many));
        assert_valid(&d);
        assert_eq!(warnings(&d), ["choices"]);
    }
}

#[test]
fn empty_choices_are_allowed() {
    for d in [text(), media(), card()] {
        assert_valid(&set(d, "choices", json!([])));
    }
    assert_valid(&set(carousel(2), "cards.0.choices", json!([])));
}

#[test]
fn media_requires_urls_and_filename() {
    for k in ["mediaUrl", "thumbnailUrl", "filenameOverride"] {
        assert_errors(&del(media(), k), &[k]);
        assert_errors(&set(media(), k, json!("")), &[k]);
    }
    assert_errors(
        &set(media(), "mediaUrl", json!("ftp://x/v.mp4")),
        &["mediaUrl"],
    );
    assert_errors(
        &set(media(), "thumbnailUrl", json!("/v.jpg")),
        &["thumbnailUrl"],
    );
}

#[test]
fn filename_override_is_at_most_100_everywhere() {
    assert_valid(&set(media(), "filenameOverride", s(100)));
    assert_errors(
        &set(media(), "filenameOverride", s(101)),
        &["filenameOverride"],
    );
    assert_valid(&set(card(), "filenameOverride", s(100)));
    assert_errors(
        &set(card(), "filenameOverride", s(101)),
        &["filenameOverride"],
    );
    assert_valid(&set(carousel(2), "cards.1.filenameOverride", s(100)));
    assert_errors(
        &set(carousel(2), "cards.1.filenameOverride", s(101)),
        &["cards.1.filenameOverride"],
    );
}

#[test]
fn card_fields() {
    for k in ["title", "description", "height", "mediaUrl"] {
        assert_errors(&del(card(), k), &[k]);
    }
    // Optional on a card.
    for k in ["thumbnailUrl", "filenameOverride", "choices"] {
        assert_valid(&del(card(), k));
    }
    assert_valid(&set(card(), "title", s(100)));
    assert_errors(&set(card(), "title", s(101)), &["title"]);
    assert_valid(&set(card(), "description", s(500)));
    assert_errors(&set(card(), "description", s(501)), &["description"]);
    for h in ["SHORT", "MEDIUM", "TALL"] {
        assert_valid(&set(card(), "height", json!(h)));
    }
    for h in ["short", "LARGE", ""] {
        assert_errors(&set(card(), "height", json!(h)), &["height"]);
    }
    assert_valid(&set(
        card(),
        "thumbnailUrl",
        json!("https://cdn.example/t.jpg"),
    ));
    assert_errors(&set(card(), "thumbnailUrl", json!("")), &["thumbnailUrl"]);
    assert_errors(
        &set(card(), "thumbnailUrl", json!("thumb.jpg")),
        &["thumbnailUrl"],
    );
}

#[test]
fn card_choices_at_most_4() {
    let four: Vec<Value> = (0..4).map(|i| reply(&format!("R{i}"))).collect();
    assert_valid(&set(card(), "choices", json!(four)));
    let five: Vec<Value> = (0..5).map(|i| reply(&format!("R{i}"))).collect();
    assert_errors(&set(card(), "choices", json!(five.clone())), &["choices"]);
    assert_valid(&set(carousel(2), "cards.0.choices", json!(four)));
    assert_errors(
        &set(carousel(2), "cards.0.choices", json!(five)),
        &["cards.0.choices"],
    );
}

#[test]
fn carousel_cards_1_to_10() {
    assert_errors(&del(carousel(2), "cards"), &["cards"]);
    assert_errors(&carousel(0), &["cards"]);
    assert_valid(&carousel(1));
    assert_eq!(warnings(&carousel(1)), ["cards"]);
    assert_valid(&carousel(2));
    assert_valid(&carousel(10));
    assert_errors(&carousel(11), &["cards"]);
}

#[test]
fn carousel_card_fields_and_nested_paths() {
    for k in ["title", "description", "height", "mediaUrl"] {
        let p = format!("cards.1.{k}");
        assert_errors(&del(carousel(3), &p), &[p.as_str()]);
    }
    for k in ["thumbnailUrl", "filenameOverride", "choices"] {
        assert_valid(&del(carousel(3), &format!("cards.2.{k}")));
    }
    assert_errors(
        &set(carousel(2), "cards.0.title", s(101)),
        &["cards.0.title"],
    );
    assert_errors(
        &set(carousel(2), "cards.1.description", s(501)),
        &["cards.1.description"],
    );
    let d = set(carousel(2), "cards.1.choices", json!([reply("a"), dial()]));
    let d = del(d, "cards.1.choices.1.phoneNumber");
    assert_errors(&d, &["cards.1.choices.1.phoneNumber"]);
}

#[test]
fn tall_cards_in_a_carousel_are_a_warning() {
    let d = set(carousel(2), "cards.1.height", json!("TALL"));
    assert_valid(&d);
    assert_eq!(warnings(&d), ["cards.1.height"]);
    // Not on a single card.
    assert_eq!(
        warnings(&set(card(), "height", json!("TALL"))),
        Vec::<String>::new()
    );
}

// ---------------------------------------------------------------- failover

#[test]
fn failover_on_the_other_type_is_a_warning_and_still_checked() {
    let sms = json!({"enabled": true, "failoverSource": "15551234567", "fallbackText": "t"});
    let d = set(media(), "smsFailover", sms.clone());
    assert_valid(&d);
    assert_eq!(warnings(&d), ["smsFailover"]);
    assert!(report(&d).warnings[0].message.contains("use mmsFailover"));
    let d = set(media(), "smsFailover", del(sms, "fallbackText"));
    assert_errors(&d, &["smsFailover.fallbackText"]);
    let mms = json!({"enabled": false});
    let d = set(text(), "mmsFailover", mms);
    assert_valid(&d);
    assert_eq!(warnings(&d), ["mmsFailover"]);
}

#[test]
fn failover_enabled_decides_what_is_required() {
    // Enabled missing or not a boolean: only `enabled` is reported.
    let d = set(text(), "smsFailover", json!({"fallbackText": s(500)}));
    assert_errors(&d, &["smsFailover.enabled"]);
    let d = set(
        text(),
        "smsFailover",
        json!({"enabled": "yes", "failoverSource": 5}),
    );
    assert_errors(&d, &["smsFailover.enabled"]);
    // Enabled: sms needs source and text.
    assert_errors(
        &set(text(), "smsFailover", json!({"enabled": true})),
        &["smsFailover.failoverSource", "smsFailover.fallbackText"],
    );
    assert_eq!(
        error_messages(&set(text(), "smsFailover", json!({"enabled": true})))[0],
        "When 'enabled' is true, 'failoverSource' is required"
    );
    // Enabled: mms needs source, text, media and subject.
    assert_errors(
        &set(card(), "mmsFailover", json!({"enabled": true})),
        &[
            "mmsFailover.failoverSource",
            "mmsFailover.fallbackText",
            "mmsFailover.mediaUrl",
            "mmsFailover.subject",
        ],
    );
    // Disabled: nothing required, but what is present is checked.
    assert_valid(&set(card(), "mmsFailover", json!({"enabled": false})));
    assert_errors(
        &set(
            text(),
            "smsFailover",
            json!({"enabled": false, "fallbackText": s(161)}),
        ),
        &["smsFailover.fallbackText"],
    );
}

#[test]
fn failover_lengths() {
    let ok = json!({"enabled": true, "failoverSource": s(50), "fallbackText": s(160),
                    "mediaUrl": "https://x.example/m.jpg", "subject": s(100)});
    assert_valid(&set(card(), "mmsFailover", ok.clone()));
    for (k, n) in [
        ("failoverSource", 51),
        ("fallbackText", 161),
        ("subject", 101),
    ] {
        let p = format!("mmsFailover.{k}");
        assert_errors(
            &set(card(), "mmsFailover", set(ok.clone(), k, s(n))),
            &[p.as_str()],
        );
    }
    assert_errors(
        &set(
            card(),
            "mmsFailover",
            set(ok, "mediaUrl", json!("fallback.jpg")),
        ),
        &["mmsFailover.mediaUrl"],
    );
    let sms = json!({"enabled": true, "failoverSource": s(50), "fallbackText": s(160)});
    assert_valid(&set(text(), "smsFailover", sms.clone()));
    assert_errors(
        &set(text(), "smsFailover", set(sms, "failoverSource", s(51))),
        &["smsFailover.failoverSource"],
    );
}

#[test]
fn sms_text_outside_gsm_is_a_warning() {
    let sms = json!({"enabled": true, "failoverSource": "15551234567", "fallbackText": "Grüße 🙂"});
    let d = set(text(), "smsFailover", sms);
    assert_valid(&d);
    assert_eq!(warnings(&d), ["smsFailover.fallbackText"]);
    let gsm = json!({"enabled": true, "failoverSource": "15551234567", "fallbackText": "Prix: 5€ [ok] ü"});
    assert_eq!(
        warnings(&set(text(), "smsFailover", gsm)),
        Vec::<String>::new()
    );
    // MMS text is not SMS: no warning.
    let mms = json!({"enabled": true, "failoverSource": "1", "fallbackText": "🙂",
                     "mediaUrl": "https://x.example/a.jpg", "subject": "s"});
    assert_eq!(
        warnings(&set(card(), "mmsFailover", mms)),
        Vec::<String>::new()
    );
}

// ---------------------------------------------------------------- choices

fn with_choice(c: Value) -> Value {
    set(text(), "choices", json!([c]))
}

#[test]
fn every_choice_type_is_valid_as_given() {
    for c in [
        reply("a"),
        open_url(),
        dial(),
        location(),
        request_location(),
        calendar(),
    ] {
        let d = with_choice(c);
        assert_valid(&d);
        assert_eq!(warnings(&d), Vec::<String>::new(), "{d:#}");
    }
}

#[test]
fn every_choice_requires_type_title_and_postback() {
    for c in [
        reply("a"),
        open_url(),
        dial(),
        location(),
        request_location(),
        calendar(),
    ] {
        for k in ["title", "postbackData"] {
            let p = format!("choices.0.{k}");
            assert_errors(&with_choice(del(c.clone(), k)), &[p.as_str()]);
            assert_errors(&with_choice(set(c.clone(), k, json!(""))), &[p.as_str()]);
        }
    }
    assert_errors(&with_choice(del(reply("a"), "type")), &["choices.0.type"]);
}

#[test]
fn choice_of_unknown_type_checks_only_title_and_postback() {
    let c = json!({"type": "SHARE", "title": s(26), "url": 5, "phoneNumber": 1});
    assert_errors(
        &with_choice(c),
        &[
            "choices.0.type",
            "choices.0.title",
            "choices.0.postbackData",
        ],
    );
}

#[test]
fn choice_title_at_most_25_utf16_units() {
    assert_valid(&with_choice(reply(&"a".repeat(25))));
    assert_errors(&with_choice(reply(&"a".repeat(26))), &["choices.0.title"]);
    // An emoji is two UTF-16 units: 12 emoji + 1 = 25 units, 13 emoji = 26.
    assert_valid(&with_choice(reply(&format!("{}a", "🙂".repeat(12)))));
    assert_errors(&with_choice(reply(&"🙂".repeat(13))), &["choices.0.title"]);
    // 25 characters of two bytes each are still 25 units.
    assert_valid(&with_choice(reply(&"é".repeat(25))));
}

#[test]
fn postback_at_most_2048() {
    assert_valid(&with_choice(set(reply("a"), "postbackData", s(2048))));
    assert_errors(
        &with_choice(set(reply("a"), "postbackData", s(2049))),
        &["choices.0.postbackData"],
    );
}

#[test]
fn open_url_requires_all_three_fields_even_for_browser() {
    for k in ["url", "application", "webviewViewMode"] {
        let p = format!("choices.0.{k}");
        let d = with_choice(del(open_url(), k));
        assert_errors(&d, &[p.as_str()]);
        assert_eq!(
            error_messages(&d),
            [format!("When choice type is OPEN_URL, '{k}' is required")]
        );
    }
    for (k, bad) in [
        ("application", "APP"),
        ("webviewViewMode", "half"),
        ("webviewViewMode", ""),
    ] {
        let p = format!("choices.0.{k}");
        assert_errors(&with_choice(set(open_url(), k, json!(bad))), &[p.as_str()]);
    }
    for m in ["FULL", "HALF", "TALL"] {
        assert_valid(&with_choice(set(
            set(open_url(), "application", json!("WEBVIEW")),
            "webviewViewMode",
            json!(m),
        )));
    }
}

#[test]
fn open_url_accepts_any_absolute_uri_with_a_warning_off_the_web() {
    let prefix = "https://shop.example/";
    let at = |n: usize| json!(format!("{prefix}{}", "a".repeat(n - prefix.len())));
    assert_valid(&with_choice(set(open_url(), "url", at(2048))));
    assert_errors(
        &with_choice(set(open_url(), "url", at(2049))),
        &["choices.0.url"],
    );
    let d = with_choice(set(open_url(), "url", json!("tel:+15551234567")));
    assert_valid(&d);
    assert_eq!(warnings(&d), ["choices.0.url"]);
    for bad in ["shop.example/x", "", "/relative"] {
        assert_errors(
            &with_choice(set(open_url(), "url", json!(bad))),
            &["choices.0.url"],
        );
    }
}

#[test]
fn dial_phone_requires_a_number_of_at_most_20() {
    let d = with_choice(del(dial(), "phoneNumber"));
    assert_errors(&d, &["choices.0.phoneNumber"]);
    assert_eq!(
        error_messages(&d),
        ["When choice type is DIAL_PHONE, 'phoneNumber' is required"]
    );
    assert_valid(&with_choice(set(
        dial(),
        "phoneNumber",
        json!("1".repeat(20)),
    )));
    assert_errors(
        &with_choice(set(dial(), "phoneNumber", json!("1".repeat(21)))),
        &["choices.0.phoneNumber"],
    );
}

#[test]
fn show_location_coordinates() {
    for k in ["latitude", "longitude"] {
        let p = format!("choices.0.{k}");
        assert_errors(&with_choice(del(location(), k)), &[p.as_str()]);
    }
    for (lat, lng) in [(90.0, 180.0), (-90.0, -180.0), (0.0, 0.0)] {
        assert_valid(&with_choice(set(
            set(location(), "latitude", json!(lat)),
            "longitude",
            json!(lng),
        )));
    }
    assert_errors(
        &with_choice(set(location(), "latitude", json!(90.000001))),
        &["choices.0.latitude"],
    );
    assert_errors(
        &with_choice(set(location(), "latitude", json!(-90.5))),
        &["choices.0.latitude"],
    );
    assert_errors(
        &with_choice(set(location(), "longitude", json!(180.1))),
        &["choices.0.longitude"],
    );
    assert_errors(
        &with_choice(set(location(), "longitude", json!(-181))),
        &["choices.0.longitude"],
    );
    assert_valid(&with_choice(set(location(), "latitude", json!(45))));
    // Label optional, may be empty.
    assert_valid(&with_choice(set(location(), "label", json!(""))));
    assert_valid(&with_choice(set(location(), "label", json!("Our Office"))));
    assert_errors(
        &with_choice(set(location(), "label", json!(3))),
        &["choices.0.label"],
    );
}

#[test]
fn coordinates_with_more_than_6_decimals_warn() {
    let d = with_choice(set(location(), "latitude", json!(37.123456)));
    assert_eq!(warnings(&d), Vec::<String>::new());
    let d = with_choice(set(location(), "latitude", json!(37.1234567)));
    assert_valid(&d);
    assert_eq!(warnings(&d), ["choices.0.latitude"]);
}

#[test]
fn calendar_event_fields() {
    for k in ["startTime", "endTime", "eventTitle"] {
        let p = format!("choices.0.{k}");
        let d = with_choice(del(calendar(), k));
        assert_errors(&d, &[p.as_str()]);
        assert_eq!(
            error_messages(&d),
            [format!(
                "When choice type is CREATE_CALENDAR_EVENT, '{k}' is required"
            )]
        );
    }
    assert_valid(&with_choice(set(calendar(), "eventTitle", s(100))));
    assert_errors(
        &with_choice(set(calendar(), "eventTitle", s(101))),
        &["choices.0.eventTitle"],
    );
    assert_valid(&with_choice(set(calendar(), "description", s(500))));
    assert_valid(&with_choice(set(calendar(), "description", json!(""))));
    assert_errors(
        &with_choice(set(calendar(), "description", s(501))),
        &["choices.0.description"],
    );
}

#[test]
fn calendar_times_are_iso_8601_with_an_offset() {
    for ok in [
        "2030-03-03T15:00:00.000+01:00",
        "2030-03-03T15:00:00Z",
        "2030-03-03T15:00:00-05:00",
    ] {
        let d = with_choice(set(
            set(calendar(), "startTime", json!(ok)),
            "endTime",
            json!("2030-03-04T00:00:00Z"),
        ));
        assert_valid(&d);
    }
    for bad in [
        "2030-03-03T15:00:00",
        "2030-03-03",
        "03/03/2030 15:00",
        "2030-13-03T15:00:00Z",
        "now",
    ] {
        assert_errors(
            &with_choice(set(calendar(), "startTime", json!(bad))),
            &["choices.0.startTime"],
        );
    }
    assert_errors(
        &with_choice(set(calendar(), "endTime", json!(1))),
        &["choices.0.endTime"],
    );
}

#[test]
fn calendar_end_must_be_after_start_as_instants() {
    let at = |start: &str, end: &str| {
        with_choice(set(
            set(calendar(), "startTime", json!(start)),
            "endTime",
            json!(end),
        ))
    };
    assert_errors(
        &at("2031-06-01T09:00:00Z", "2031-06-01T08:00:00Z"),
        &["choices.0.endTime"],
    );
    assert_errors(
        &at("2031-06-01T09:00:00Z", "2031-06-01T09:00:00Z"),
        &["choices.0.endTime"],
    );
    // 10:00+02:00 is 08:00Z, before 09:00Z.
    assert_valid(&at("2031-06-01T10:00:00+02:00", "2031-06-01T09:00:00Z"));
    // 08:30-01:00 is 09:30Z, after 09:00Z.
    assert_errors(
        &at("2031-06-01T08:30:00-01:00", "2031-06-01T09:00:00Z"),
        &["choices.0.endTime"],
    );
}

#[test]
fn calendar_start_in_the_past_is_a_warning() {
    let d = with_choice(set(
        set(calendar(), "startTime", json!("2020-01-01T00:00:00Z")),
        "endTime",
        json!("2020-01-01T01:00:00Z"),
    ));
    assert_valid(&d);
    assert_eq!(warnings(&d), ["choices.0.startTime"]);
}

#[test]
fn choice_type_change_reports_fields_for_the_new_type() {
    // A REPLY carrying OPEN_URL's fields: they are unknown for REPLY.
    let d = with_choice(set(open_url(), "type", json!("REPLY")));
    assert_valid(&d);
    assert_eq!(
        warnings(&d),
        [
            "choices.0.url",
            "choices.0.application",
            "choices.0.webviewViewMode"
        ]
    );
}

#[test]
fn body_over_250_kb_is_a_warning() {
    let d = set(text(), "messageText", s(251_000));
    assert_valid(&d);
    assert!(warnings(&d).contains(&String::new()), "{:?}", warnings(&d));
}

// ---------------------------------------------------------------- the vendor's examples

/// One of the vendor document's error examples, kept once in `tests/conformance/`: the
/// request `body` and the API's 400 `answer`.
fn vendor_example(name: &str) -> Value {
    let path = format!(
        "{}/tests/conformance/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The errors the validator reports for a vendor example, as the API's `data[]`.
fn assert_vendor_example(name: &str) {
    let case = vendor_example(name);
    let got = serde_json::to_value(&report(&case["body"]).errors).unwrap();
    assert_eq!(got, case["answer"]["data"], "{name}");
}

#[test]
fn vendor_simple_error_example() {
    assert_vendor_example("vendor_simple_error_example");
}

#[test]
fn vendor_nested_choices_error_example() {
    assert_vendor_example("vendor_nested_error_example");
}

#[test]
fn vendor_carousel_error_example() {
    assert_vendor_example("vendor_carousel_error_example");
}

#[test]
fn examples_shipped_in_assets_are_valid_and_in_the_draft_format() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/examples");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let text = std::fs::read_to_string(&p).unwrap();
            let doc: Value = serde_json::from_str(&text).unwrap();
            let r = validate(&doc);
            assert!(r.is_valid(), "{}: {:?}", p.display(), r.errors);
            assert_eq!(
                rcs_composer::store::to_draft_json(&doc),
                text,
                "{} is not stored in the draft format",
                p.display()
            );
            n += 1;
        }
    }
    assert!(
        n >= 5,
        "expected the four vendor examples and every-choice.json"
    );
}

#[test]
fn conformance_cases_match() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conformance");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let mut want: Vec<String> = case["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        want.sort();
        let mut got = errors(&case["body"]);
        got.sort();
        assert_eq!(got, want, "{}", p.display());
        n += 1;
    }
    assert!(n >= 12);
}

// ---------------------------------------------------------------- properties

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1000.0f64..1000.0).prop_map(|f| json!(f)),
        prop_oneof![
            "[a-zA-Z0-9 :/._+-]{0,30}",
            Just("RCS_TEXT".to_string()),
            Just("RCS_CARD".to_string()),
            Just("RCS_CAROUSEL".to_string()),
            Just("RCS_MEDIA".to_string()),
            Just("OPEN_URL".to_string()),
            Just("SHOW_LOCATION".to_string()),
            Just("CREATE_CALENDAR_EVENT".to_string()),
            Just("https://x.example/a.jpg".to_string()),
            Just("2030-03-03T15:00:00Z".to_string()),
            Just("🙂é漢".to_string()),
        ]
        .prop_map(Value::String),
    ];
    let keys = prop_oneof![
        Just("messageType"),
        Just("source"),
        Just("destination"),
        Just("messageText"),
        Just("choices"),
        Just("cards"),
        Just("type"),
        Just("title"),
        Just("postbackData"),
        Just("url"),
        Just("latitude"),
        Just("startTime"),
        Just("endTime"),
        Just("smsFailover"),
        Just("mmsFailover"),
        Just("enabled"),
        Just("fallbackText"),
        Just("mediaUrl"),
        Just("height"),
        Just("other"),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..8).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

/// Every path points into the document, or names a missing key under an object that exists.
fn paths_point_into(doc: &Value, r: &Report) -> Result<(), String> {
    for i in r.all() {
        if i.path.get(doc).is_some() {
            continue;
        }
        let parent = i.path.parent().ok_or("root path missing?")?;
        match (parent.get(doc), i.path.last_key()) {
            (Some(Value::Object(_)), Some(_)) => {}
            _ => return Err(format!("{} does not point into {doc}", i.path)),
        }
    }
    Ok(())
}

fn example(name: &str) -> Value {
    let p = format!("{}/assets/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn never_panics_and_paths_point_into_the_document(doc in arb_json()) {
        let r = validate(&doc);
        prop_assert!(paths_point_into(&doc, &r).is_ok(), "{:?}", paths_point_into(&doc, &r));
    }

    /// Near-valid bodies exercise the deep rules: an example with one subtree replaced.
    #[test]
    fn mutated_examples_keep_paths_in_the_document(
        which in 0usize..5,
        pick in any::<prop::sample::Index>(),
        replacement in arb_json(),
    ) {
        let names = ["text.json", "media.json", "card.json", "carousel.json", "every-choice.json"];
        let mut doc = example(names[which]);
        let mut paths = Vec::new();
        collect_paths(&doc, FieldPath::root(), &mut paths);
        let target = pick.get(&paths).clone();
        if let Some(slot) = target.get_mut(&mut doc) {
            *slot = replacement;
        }
        let r = validate(&doc);
        prop_assert!(paths_point_into(&doc, &r).is_ok(), "{:?}", paths_point_into(&doc, &r));
    }
}

fn collect_paths(v: &Value, at: FieldPath, out: &mut Vec<FieldPath>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                collect_paths(c, at.key(k), out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                collect_paths(c, at.index(i), out);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- the command

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rcs-composer"))
}

fn run_stdin(args: &[&str], input: &[u8]) -> (i32, String, String) {
    let mut child = bin()
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn command_json_format_and_exit_codes() {
    let (code, out, _) = run_stdin(
        &["validate", "--format", "json", "-"],
        text().to_string().as_bytes(),
    );
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        v,
        json!({"file": "-", "valid": true, "errors": [], "warnings": []})
    );

    let (code, out, _) = run_stdin(
        &["validate", "--format", "json", "-"],
        del(text(), "messageText").to_string().as_bytes(),
    );
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["valid"], json!(false));
    assert_eq!(v["errors"][0]["field"], json!("messageText"));
}

#[test]
fn command_human_format_lists_file_path_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    let bad = dir.path().join("bad.json");
    std::fs::write(&good, text().to_string()).unwrap();
    std::fs::write(
        &bad,
        set(text(), "source", json!("14155550199")).to_string(),
    )
    .unwrap();
    let out = bin()
        .env("NO_COLOR", "1")
        .args(["validate"])
        .arg(&good)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(&format!(
            "{}: source: error: RCS is not available for phone numbers",
            bad.display()
        )),
        "{stdout}"
    );
    assert!(!stdout.contains('\x1b'), "no colour when not a terminal");
    assert!(
        stdout
            .trim_end()
            .ends_with("2 files checked: 1 valid, 1 invalid (1 error, 0 warnings)"),
        "{stdout}"
    );
}

#[test]
fn command_reports_invalid_json_with_line_and_column() {
    let (code, out, _) = run_stdin(
        &["validate", "-"],
        b"{\n  \"messageType\": \"RCS_TEXT\",\n  oops\n}",
    );
    assert_eq!(code, 2);
    assert!(out.contains("invalid JSON at line 3 column 3"), "{out}");
    let (code, out, _) = run_stdin(&["validate", "-"], b"{\"a\": ");
    assert_eq!(code, 2);
    assert!(out.contains("the JSON ends too early"), "{out}");
}

#[test]
fn command_reports_unreadable_files_and_bad_usage() {
    let out = bin()
        .args(["validate", "/nonexistent/x.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("/nonexistent/x.json: error: cannot read /nonexistent/x.json: no such file")
    );
    let out = bin().args(["validate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin()
        .args(["validate", "--format", "xml", "a"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn command_survives_hostile_input() {
    // A top-level array and string.
    for body in [&b"[1,2]"[..], b"\"RCS_TEXT\""] {
        let (code, out, _) = run_stdin(&["validate", "-"], body);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("must be a JSON object"), "{out}");
    }
    // A 10 MB string.
    let huge = set(text(), "messageText", s(10 * 1024 * 1024)).to_string();
    let (code, out, err) = run_stdin(&["validate", "--format", "json", "-"], huge.as_bytes());
    assert_eq!(code, 0, "{err}");
    assert!(out.len() < 10_000, "the value itself is not echoed");
    // 10,000 levels of nesting.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let (code, out, err) = run_stdin(&["validate", "-"], deep.as_bytes());
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.contains("recursion limit"), "{out}");
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let (code, _, _) = run_stdin(&["validate", "-"], deep_obj.as_bytes());
    assert_eq!(code, 2);
    // Invalid UTF-8.
    let (code, out, _) = run_stdin(&["validate", "-"], b"{\"messageType\": \"RCS_\xff\xfe\"}");
    assert_eq!(code, 2);
    assert!(out.contains("line 1"), "{out}");
}

proptest! {
    #[test]
    fn utf16_len_counts_like_encode_utf16(s in any::<String>()) {
        prop_assert_eq!(
            rcs_composer::message::validate::utf16_len(&s),
            s.encode_utf16().count()
        );
    }

    #[test]
    fn json_len_is_the_compact_serialized_length(doc in arb_json(), s in any::<String>()) {
        let doc = json!({"doc": doc, "s": s});
        prop_assert_eq!(
            rcs_composer::message::validate::json_len(&doc),
            serde_json::to_string(&doc).unwrap().len()
        );
    }
}

#[test]
fn schema_field_at_follows_the_document() {
    use rcs_composer::message::schema::field_at;
    let d = example("carousel.json");
    let f = |p: &str| field_at(&d, &FieldPath::parse(p)).map(|f| (f.key, f.label));
    assert_eq!(f("cards.0.choices.0.url"), Some(("url", "URL")));
    assert_eq!(
        f("cards.1.choices.0.phoneNumber"),
        Some(("phoneNumber", "Phone Number"))
    );
    assert_eq!(f("cards.1.height"), Some(("height", "Height")));
    assert_eq!(f("mmsFailover.subject"), Some(("subject", "Subject")));
    assert_eq!(f("source"), Some(("source", "Source")));
    assert_eq!(f("cards.1"), None);
    assert_eq!(f("messageText"), None, "not a field of RCS_CAROUSEL");
}

fn warning_messages(doc: &Value) -> Vec<String> {
    report(doc)
        .warnings
        .iter()
        .map(|i| format!("{}: {}", i.path, i.message))
        .collect()
}

#[test]
fn an_open_url_without_a_host_says_so_and_http_or_https_alone_is_never_blamed() {
    let with = |url: &str| {
        set(
            set(text(), "choices", json!([open_url()])),
            "choices.0.url",
            json!(url),
        )
    };
    assert!(warning_messages(&with("https://shop.example/x")).is_empty());
    assert!(warning_messages(&with("http://shop.example/x")).is_empty());
    assert_eq!(
        warning_messages(&with("https://")),
        ["choices.0.url: 'url' has no host; RCS clients cannot open it"]
    );
    let mail = warning_messages(&with("mailto:hi@example.com"));
    assert_eq!(
        mail,
        ["choices.0.url: 'url' uses the scheme 'mailto'; RCS clients open http and https links"]
    );
    assert_valid(&with("https://"));
}

#[test]
fn a_required_text_of_only_spaces_warns_and_a_free_label_does_not() {
    let doc = set(text(), "messageText", json!("   "));
    assert_valid(&doc);
    assert_eq!(
        warning_messages(&doc),
        ["messageText: 'messageText' holds only spaces; it reads as empty"]
    );
    let loc = set(
        set(text(), "choices", json!([location()])),
        "choices.0.label",
        json!("  "),
    );
    assert!(
        warning_messages(&loc).is_empty(),
        "{:?}",
        warning_messages(&loc)
    );
}

#[test]
fn a_number_written_almost_right_says_how_to_write_it() {
    let with = |v: &str| {
        let doc = set(
            set(text(), "choices", json!([location()])),
            "choices.0.latitude",
            json!(v),
        );
        error_messages(&doc).join("; ")
    };
    assert!(
        with("45,5").ends_with("(use a decimal point: 45.5)"),
        "{}",
        with("45,5")
    );
    assert!(
        with("+45").ends_with("(write it without the plus sign: 45)"),
        "{}",
        with("+45")
    );
    assert!(
        with(".5").ends_with("(write a 0 before the point: 0.5)"),
        "{}",
        with(".5")
    );
    assert!(
        with("-.5").ends_with("(write a 0 before the point: -0.5)"),
        "{}",
        with("-.5")
    );
    assert!(
        with("45.").ends_with("(end it with a digit: 45)"),
        "{}",
        with("45.")
    );
    assert_eq!(with("north"), "'latitude' must be a number, not a string");
}

/// Every field a form shows for `doc`: the schema fields of each object (present or not),
/// down through lists and failovers.
fn schema_fields(doc: &Value, at: FieldPath, out: &mut Vec<FieldPath>) {
    use rcs_composer::message::schema::{Kind, fields_of};
    for f in fields_of(doc, &at) {
        let p = at.key(f.key);
        match f.kind {
            Kind::Choices { .. } | Kind::Cards { .. } => {
                if let Some(Value::Array(a)) = p.get(doc) {
                    for i in 0..a.len() {
                        schema_fields(doc, p.index(i), out);
                    }
                }
            }
            Kind::Failover(_) => {
                if p.get(doc).is_some_and(Value::is_object) {
                    schema_fields(doc, p, out);
                }
            }
            _ => out.push(p),
        }
    }
}

fn leaf_value() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(json!(""))),
        Just(Some(json!("   "))),
        Just(Some(json!("x"))),
        Just(Some(json!("https://example.com/a.png"))),
        Just(Some(json!("https://"))),
        Just(Some(json!("mailto:a@b.c"))),
        Just(Some(json!("+15551234567"))),
        Just(Some(json!("2030-03-03T15:00:00Z"))),
        Just(Some(json!("SHORT"))),
        Just(Some(json!("TALL"))),
        Just(Some(json!("WEBVIEW"))),
        Just(Some(json!(45.5))),
        Just(Some(json!(-200))),
        Just(Some(json!("45,5"))),
        Just(Some(json!(null))),
        Just(Some(json!(7))),
        Just(Some(json!("é😀ü"))),
        (1usize..400).prop_map(|n| Some(json!("t".repeat(n)))),
        (240_000usize..260_000).prop_map(|n| Some(json!("b".repeat(n)))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Checking one field again after its value changed gives exactly the report a full
    /// validation gives, issue for issue and in order; where it cannot, it says so and
    /// leaves the report alone.
    #[test]
    fn one_field_checked_again_agrees_with_a_full_validation(
        which in 0usize..6,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), leaf_value()), 1..6),
    ) {
        use rcs_composer::message::{edit, revalidate_field};
        let names = ["text.json", "media.json", "card.json", "carousel.json", "every-choice.json"];
        let mut doc = if which == 5 {
            rcs_composer::message::samples::largest_carousel()
        } else {
            example(names[which])
        };
        let mut report = report(&doc);
        for (pick, value) in edits {
            let mut fields = Vec::new();
            schema_fields(&doc, FieldPath::root(), &mut fields);
            let path = pick.get(&fields).clone();
            let old_len = path.get(&doc).map(rcs_composer::message::validate::json_len);
            match value {
                Some(v) => {
                    if edit::set(&mut doc, &path, v).is_err() {
                        continue;
                    }
                }
                None => {
                    edit::remove(&mut doc, &path);
                }
            }
            let full = report_of(&doc);
            if revalidate_field(&doc, &mut report, &path, old_len, now()) {
                prop_assert_eq!(&report, &full, "after an edit at {}", path);
            } else {
                report = full;
            }
        }
    }
}

fn report_of(doc: &Value) -> Report {
    report(doc)
}
