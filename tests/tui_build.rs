//! Building messages from nothing in the real app (a `TestBackend`, keys through the
//! keymap): adding, removing, clearing, switching, moving around, new drafts, what the screen
//! says, and undo/redo, which must take back exactly one action at a time.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use rcs_composer::message::FieldPath;
use rcs_composer::message::edit::new_message;
use rcs_composer::message::schema::MessageType;
use rcs_composer::store::to_draft_json;
use rcs_composer::tui::app::Overlay;
use rcs_composer::tui::form::RowKind;
use rcs_composer::tui::harness::Harness;
use serde_json::{Value, json};
use std::path::Path;

const ALT: KeyModifiers = KeyModifiers::ALT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

fn fresh(dir: &Path, t: MessageType, w: u16, h: u16) -> Harness {
    Harness::new(dir.join("new.json"), new_message(t), false, w, h)
}

fn on(dir: &Path, doc: Value, w: u16, h: u16) -> Harness {
    Harness::new(dir.join("d.json"), doc, false, w, h)
}

fn focused(h: &Harness) -> String {
    h.app
        .focused()
        .map(|r| r.path.to_string())
        .unwrap_or_default()
}

/// Focuses the first row at `path` (of the kind `pick` accepts).
fn focus(h: &mut Harness, path: &str, pick: impl Fn(&RowKind) -> bool) {
    let i = h
        .app
        .form
        .rows
        .iter()
        .position(|r| r.path.to_string() == path && pick(&r.kind))
        .unwrap_or_else(|| panic!("no row {path}:\n{}", h.screen()));
    h.app.set_focus(i);
    h.draw();
}

fn value_row(k: &RowKind) -> bool {
    matches!(k, RowKind::Value(_))
}

fn status(h: &Harness) -> String {
    h.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn at<'a>(h: &'a Harness, path: &str) -> Option<&'a Value> {
    FieldPath::parse(path).get(&h.app.doc)
}

#[test]
fn a_list_made_by_the_form_goes_with_its_last_item_and_a_loaded_one_stays() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = fresh(dir.path(), MessageType::Text, 100, 40);
    focus(&mut h, "choices", |k| matches!(k, RowKind::AddItem { .. }));
    h.press(KeyCode::Enter);
    h.press(KeyCode::Enter);
    assert_eq!(at(&h, "choices").unwrap().as_array().unwrap().len(), 1);
    focus(&mut h, "choices.0", |k| matches!(k, RowKind::Item { .. }));
    h.press(KeyCode::Char('x'));
    assert!(at(&h, "choices").is_none(), "{:#}", h.app.doc);
    // A draft that had an empty list keeps it.
    let mut doc = new_message(MessageType::Text);
    doc["choices"] = json!([]);
    let mut h = on(dir.path(), doc, 100, 40);
    focus(&mut h, "choices", |k| matches!(k, RowKind::AddItem { .. }));
    h.key(KeyCode::Char('c'), ALT);
    h.press(KeyCode::Enter);
    focus(&mut h, "choices.0", |k| matches!(k, RowKind::Item { .. }));
    h.press(KeyCode::Delete);
    assert_eq!(at(&h, "choices"), Some(&json!([])));
}

#[test]
fn a_field_kept_as_it_is_can_be_removed_and_brought_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = new_message(MessageType::Text);
    doc["zz"] = json!({"a": 1});
    let mut h = on(dir.path(), doc.clone(), 100, 40);
    focus(&mut h, "zz", |k| matches!(k, RowKind::Unknown));
    h.press(KeyCode::Char('x'));
    assert!(at(&h, "zz").is_none());
    assert!(status(&h).contains("Removed zz"), "{}", status(&h));
    h.ctrl('z');
    assert_eq!(*h.app.doc, doc);
}

#[test]
fn a_switch_names_what_it_kept_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = new_message(MessageType::Text);
    doc["zz"] = json!(1);
    let mut h = on(dir.path(), doc, 100, 40);
    focus(&mut h, "messageType", value_row);
    h.press(KeyCode::Right);
    assert_eq!(h.app.doc["messageType"], "RCS_MEDIA");
    assert!(
        status(&h).contains("Kept as it is: zz (x on its row removes it)"),
        "{}",
        status(&h)
    );
}

#[test]
fn ctrl_u_clears_and_the_text_area_takes_the_usual_line_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = fresh(dir.path(), MessageType::Text, 100, 40);
    focus(&mut h, "messageText", value_row);
    h.type_str("hello big world");
    h.key(KeyCode::Char('b'), ALT); // before "world"
    h.key(KeyCode::Char('k'), CTRL); // cut "world"
    assert_eq!(h.app.doc["messageText"], "hello big ");
    h.key(KeyCode::Char('a'), CTRL); // start
    h.key(KeyCode::Char('f'), ALT); // after "hello"
    h.key(KeyCode::Char('d'), ALT); // the word after: "big"
    assert_eq!(h.app.doc["messageText"], "hello  ");
    h.key(KeyCode::Char('u'), CTRL);
    assert_eq!(h.app.doc["messageText"], "");
    h.ctrl('z');
    assert_eq!(h.app.doc["messageText"], "hello  ");
    // a picker's value is cleared by removing it
    let mut h = fresh(dir.path(), MessageType::Card, 100, 40);
    focus(&mut h, "height", value_row);
    h.key(KeyCode::Char('u'), CTRL);
    assert!(at(&h, "height").is_none());
}

#[test]
fn arrows_on_the_message_type_switch_it_and_one_undo_restores_every_byte() {
    let dir = tempfile::tempdir().unwrap();
    let doc = json!({"messageType": "RCS_TEXT", "source": "ACME", "destination": "15559876543",
        "messageText": "Hi", "choices": [
            {"type": "REPLY", "title": "a", "postbackData": "a"},
            {"type": "REPLY", "title": "b", "postbackData": "b"},
            {"type": "REPLY", "title": "c", "postbackData": "c"},
            {"type": "REPLY", "title": "d", "postbackData": "d"},
            {"type": "REPLY", "title": "e", "postbackData": "e"}],
        "smsFailover": {"enabled": true, "failoverSource": "1555", "fallbackText": "Hi"}});
    let before = to_draft_json(&doc);
    let mut h = on(dir.path(), doc, 100, 40);
    focus(&mut h, "messageType", value_row);
    h.press(KeyCode::Left); // RCS_TEXT wraps to RCS_CAROUSEL
    assert_eq!(h.app.doc["messageType"], "RCS_CAROUSEL");
    assert_eq!(
        h.app.doc["cards"][0]["choices"].as_array().unwrap().len(),
        4
    );
    assert_eq!(h.app.doc["mmsFailover"]["fallbackText"], "Hi");
    let said = status(&h);
    assert!(
        said.contains("Moved: cards.0.choices") && said.contains("choices.4"),
        "{said}"
    );
    h.ctrl('z');
    assert_eq!(to_draft_json(&h.app.doc), before);
    h.ctrl('y');
    assert_eq!(h.app.doc["messageType"], "RCS_CAROUSEL");
    // → from RCS_TEXT is RCS_MEDIA, the same as picking it
    h.ctrl('z');
    focus(&mut h, "messageType", value_row);
    h.press(KeyCode::Right);
    assert_eq!(h.app.doc["messageType"], "RCS_MEDIA");
}

#[test]
fn arrows_on_a_choice_type_switch_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = new_message(MessageType::Text);
    doc["choices"] = json!([{"type": "REPLY", "title": "t", "postbackData": "p"}]);
    let mut h = on(dir.path(), doc, 100, 40);
    focus(&mut h, "choices.0.type", value_row);
    h.press(KeyCode::Right);
    assert_eq!(
        h.app.doc["choices"][0],
        json!({"type": "OPEN_URL", "title": "t", "postbackData": "p",
               "application": "BROWSER", "webviewViewMode": "FULL"})
    );
    h.press(KeyCode::Left);
    assert_eq!(h.app.doc["choices"][0]["type"], "REPLY");
    assert!(h.app.doc["choices"][0].get("application").is_none());
}

#[test]
fn every_change_is_one_undo_step_and_redo_brings_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = fresh(dir.path(), MessageType::Card, 100, 40);
    let d0 = h.app.doc.clone();
    focus(&mut h, "title", value_row);
    h.type_str("Hello");
    let d1 = h.app.doc.clone();
    focus(&mut h, "height", value_row);
    h.press(KeyCode::Right);
    let d2 = h.app.doc.clone();
    focus(&mut h, "mmsFailover.enabled", |k| {
        matches!(k, RowKind::Failover(_))
    });
    h.press(KeyCode::Char(' '));
    let d3 = h.app.doc.clone();
    focus(&mut h, "height", value_row);
    h.press(KeyCode::Enter);
    h.press(KeyCode::Home);
    h.press(KeyCode::Enter);
    let d4 = h.app.doc.clone();
    let steps = [&d0, &d1, &d2, &d3, &d4];
    assert!(steps.windows(2).all(|w| w[0] != w[1]));
    for want in steps.iter().rev().skip(1) {
        h.ctrl('z');
        assert_eq!(&&h.app.doc, want);
    }
    h.ctrl('z');
    assert_eq!(h.app.doc, d0);
    assert!(status(&h).contains("Nothing to undo"));
    for want in steps.iter().skip(1) {
        h.ctrl('y');
        assert_eq!(&&h.app.doc, want);
    }
    // Ctrl-Shift-Z, where the terminal reports it, redoes too; a new change forgets redo
    h.ctrl('z');
    h.key(KeyCode::Char('Z'), CTRL | KeyModifiers::SHIFT);
    assert_eq!(h.app.doc, d4);
    h.ctrl('z');
    focus(&mut h, "title", value_row);
    h.type_str("!");
    h.ctrl('y');
    assert!(status(&h).contains("Nothing to redo"));
}

#[test]
fn choices_and_cards_are_added_from_any_field_and_jumped_between() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = fresh(dir.path(), MessageType::Carousel, 100, 40);
    focus(&mut h, "cards.0.title", value_row);
    h.key(KeyCode::Char('c'), ALT);
    assert!(matches!(h.app.overlay, Some(Overlay::Picker(_))));
    h.press(KeyCode::Char('d')); // DIAL_PHONE
    h.press(KeyCode::Enter);
    assert_eq!(focused(&h), "cards.0.choices.0.title");
    // from inside a choice: after it
    h.key(KeyCode::Char('c'), ALT);
    h.press(KeyCode::Enter);
    assert_eq!(focused(&h), "cards.0.choices.1.title");
    assert_eq!(h.app.doc["cards"][0]["choices"][1]["type"], "REPLY");
    h.key(KeyCode::Char('n'), ALT);
    assert_eq!(focused(&h), "cards.1.title");
    h.key(KeyCode::Char('n'), ALT);
    assert_eq!(focused(&h), "cards.2.title");
    // jump back and forth
    h.key(KeyCode::PageUp, CTRL);
    assert_eq!(focused(&h), "cards.1.title");
    h.key(KeyCode::PageUp, CTRL);
    assert_eq!(focused(&h), "cards.0.title");
    h.key(KeyCode::PageUp, CTRL);
    assert!(status(&h).contains("No card before"), "{}", status(&h));
    h.key(KeyCode::PageDown, ALT);
    assert_eq!(focused(&h), "cards.0.choices.0.title");
    h.key(KeyCode::PageDown, ALT);
    assert_eq!(focused(&h), "cards.0.choices.1.title");
    h.key(KeyCode::PageDown, CTRL);
    assert_eq!(focused(&h), "cards.1.title");
    // a card takes 4 choices
    focus(&mut h, "cards.1.title", value_row);
    for _ in 0..4 {
        h.key(KeyCode::Char('c'), ALT);
        h.press(KeyCode::Enter);
    }
    h.key(KeyCode::Char('c'), ALT);
    assert!(h.app.overlay.is_none());
    assert!(status(&h).contains("limit is 4"), "{}", status(&h));
    // a text message: to the message's own choices
    let mut h = fresh(dir.path(), MessageType::Text, 100, 40);
    focus(&mut h, "source", value_row);
    h.key(KeyCode::Char('c'), ALT);
    h.press(KeyCode::Enter);
    assert_eq!(focused(&h), "choices.0.title");
    h.key(KeyCode::Char('n'), ALT);
    assert!(status(&h).contains("no cards"), "{}", status(&h));
}

#[test]
fn go_to_lists_every_field_and_narrows_as_one_types() {
    let dir = tempfile::tempdir().unwrap();
    let doc: Value =
        serde_json::from_str(include_str!("../assets/examples/carousel.json")).unwrap();
    let mut h = on(dir.path(), doc, 100, 30);
    // fold card 1 first: go to unfolds it
    focus(&mut h, "cards.0", |k| matches!(k, RowKind::Item { .. }));
    h.press(KeyCode::Left);
    focus(&mut h, "source", value_row);
    h.ctrl('g');
    assert!(matches!(h.app.overlay, Some(Overlay::GoTo(_))));
    assert!(h.screen().contains("messageType"), "{}", h.screen());
    h.type_str("url");
    assert!(h.screen().contains("cards.1.mediaUrl"), "{}", h.screen());
    h.type_str(" card 1 choice");
    let screen = h.screen();
    assert!(screen.contains("Card 1 › Choice 1 › URL"), "{screen}");
    assert!(!screen.contains("cards.1.mediaUrl"), "{screen}");
    h.press(KeyCode::Enter);
    assert_eq!(focused(&h), "cards.0.choices.0.url");
    assert!(h.app.form.input.is_some(), "ready for typing");
    // by path, and Esc stays
    h.ctrl('g');
    h.type_str("mmsFailover.enabled");
    h.press(KeyCode::Esc);
    assert_eq!(focused(&h), "cards.0.choices.0.url");
}

#[test]
fn turning_a_failover_on_brings_its_fields_into_view() {
    let dir = tempfile::tempdir().unwrap();
    let doc: Value =
        serde_json::from_str(include_str!("../assets/examples/carousel.json")).unwrap();
    let mut doc = doc;
    doc.as_object_mut().unwrap().remove("mmsFailover");
    let mut h = on(dir.path(), doc, 80, 24);
    focus(&mut h, "mmsFailover.enabled", |k| {
        matches!(k, RowKind::Failover(_))
    });
    assert!(!h.screen().contains("Fallback Text"));
    h.press(KeyCode::Char(' '));
    let screen = h.screen();
    for label in ["Failover Source", "Fallback Text", "Subject"] {
        assert!(screen.contains(label), "{label}:\n{screen}");
    }
    assert!(screen.contains("MMS Failover"), "{screen}");
}

#[test]
fn ctrl_n_asks_the_type_and_carries_the_sender_and_recipient() {
    use rcs_composer::store::config::{Config, Env, Target};
    use rcs_composer::tui::send::Profiles;
    let dir = tempfile::tempdir().unwrap();
    let doc: Value = serde_json::from_str(include_str!("../assets/examples/text.json")).unwrap();
    let mut h = Harness::new(dir.path().join("t.json"), doc, false, 100, 30);
    h.ctrl('n');
    assert!(
        h.screen().contains("New draft: message type"),
        "{}",
        h.screen()
    );
    h.press(KeyCode::Char('c')); // RCS_CARD
    h.press(KeyCode::Enter);
    assert_eq!(h.app.doc["messageType"], "RCS_CARD");
    assert_eq!(h.app.doc["source"], "CONVEY");
    assert_eq!(h.app.doc["destination"], "15559876543");
    assert_ne!(h.app.path, dir.path().join("t.json"));
    // a profile's defaults win
    let path = dir.path().join("config.toml");
    let text = "[profiles.p]\nbase_url = \"https://api.example.com\"\nusername = \"u\"\npassword_env = \"X\"\ndefault_source = \"BRAND\"\ndefault_destination = \"14155550100\"\n";
    let config = Config::parse(text, &path).unwrap();
    h.app.session.profiles = Profiles::from_config(
        Ok(Some(config)),
        path,
        &Target {
            profile: Some("p".into()),
            ..Target::default()
        },
        Env::default(),
        None,
    );
    h.ctrl('n');
    h.press(KeyCode::Enter);
    assert_eq!(h.app.doc["source"], "BRAND");
    assert_eq!(h.app.doc["destination"], "14155550100");
}

#[test]
fn the_footer_always_offers_help_and_the_next_problem_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = fresh(dir.path(), MessageType::Carousel, 80, 24);
    let footer = |h: &Harness| h.screen().lines().last().unwrap().to_string();
    for path in [
        "messageType",
        "source",
        "cards.0.height",
        "mmsFailover.enabled",
    ] {
        let i = h
            .app
            .form
            .rows
            .iter()
            .position(|r| r.path.to_string() == path)
            .unwrap();
        h.app.set_focus(i);
        h.draw();
        let f = footer(&h);
        assert!(f.starts_with("F1 help  F8 next problem"), "{path}: {f}");
    }
    // on an add row, Enter adds
    focus(&mut h, "cards.0.choices", |k| {
        matches!(k, RowKind::AddItem { .. })
    });
    assert!(footer(&h).contains("Enter add"), "{}", footer(&h));
    // inside a card, the keys to the next card and choice
    focus(&mut h, "cards.0.title", value_row);
    assert!(
        footer(&h).contains("next / previous card"),
        "{}",
        footer(&h)
    );
}

#[test]
fn overlays_leave_the_message_line_and_the_rename_prompt_shows_its_keys() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("other.json"), "{}").unwrap();
    let mut h = fresh(dir.path(), MessageType::Text, 100, 30);
    h.app.say("something just happened");
    h.ctrl('o');
    let screen = h.screen();
    assert!(screen.contains("something just happened"), "{screen}");
    h.press(KeyCode::Char('r'));
    let last = h.screen().lines().last().unwrap().to_string();
    assert!(
        last.contains("Enter rename") && last.contains("Esc keep the name"),
        "{last}"
    );
}

#[test]
fn f1_says_which_keys_the_text_area_takes() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = fresh(dir.path(), MessageType::Text, 120, 60);
    h.press(KeyCode::F(1));
    let mut screen = h.screen();
    for _ in 0..4 {
        h.press(KeyCode::PageDown);
        screen.push_str(&h.screen());
    }
    for keys in [
        "Ctrl-K",
        "Alt-B F",
        "Ctrl-W Alt-Bksp",
        "Ctrl-U",
        "Ctrl-Y",
        "Ctrl-G",
    ] {
        assert!(screen.contains(keys), "{keys} missing from the help");
    }
}

mod undo_redo {
    use super::*;
    use proptest::prelude::*;

    /// One user action on the draft.
    #[derive(Debug, Clone)]
    enum Op {
        Type(usize, String),
        Backspace(usize),
        Clear(usize),
        AddChoice(usize, usize),
        AddCard(usize),
        Delete(usize),
        Duplicate(usize),
        MoveDown(usize),
        NextValue(usize),
        Toggle,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0..40usize, "[a-z é]{1,6}").prop_map(|(i, s)| Op::Type(i, s)),
            (0..40usize).prop_map(Op::Backspace),
            (0..40usize).prop_map(Op::Clear),
            (0..40usize, 0..6usize).prop_map(|(i, t)| Op::AddChoice(i, t)),
            (0..40usize).prop_map(Op::AddCard),
            (0..40usize).prop_map(Op::Delete),
            (0..40usize).prop_map(Op::Duplicate),
            (0..40usize).prop_map(Op::MoveDown),
            (0..40usize).prop_map(Op::NextValue),
            Just(Op::Toggle),
        ]
    }

    /// Focuses the `n`-th row (of those `pick` accepts), wrapping around; false when none.
    fn pick_row(
        h: &mut Harness,
        n: usize,
        pick: impl Fn(&rcs_composer::tui::form::Row) -> bool,
    ) -> bool {
        let rows: Vec<usize> = h
            .app
            .form
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| pick(r))
            .map(|(i, _)| i)
            .collect();
        if rows.is_empty() {
            return false;
        }
        // Through another row: typing after a move is a new action even in the same field.
        h.app.set_focus(0);
        h.app.set_focus(rows[n % rows.len()]);
        true
    }

    fn apply(h: &mut Harness, op: &Op) {
        // Every op starts with the focus moved: typing there is a step of its own.
        match op {
            Op::Type(n, s) => {
                if pick_row(h, *n, |r| r.is_text()) {
                    h.type_str(s);
                }
            }
            Op::Backspace(n) => {
                if pick_row(h, *n, |r| r.is_text()) {
                    h.press(KeyCode::End);
                    h.press(KeyCode::Backspace);
                }
            }
            Op::Clear(n) => {
                if pick_row(h, *n, |r| matches!(r.kind, RowKind::Value(_))) {
                    h.key(KeyCode::Char('u'), CTRL);
                }
            }
            Op::AddChoice(n, t) => {
                if pick_row(h, *n, |_| true) {
                    h.key(KeyCode::Char('c'), ALT);
                    if h.app.overlay.is_some() {
                        for _ in 0..*t {
                            h.press(KeyCode::Down);
                        }
                        h.press(KeyCode::Enter);
                    }
                }
            }
            Op::AddCard(n) => {
                if pick_row(h, *n, |_| true) {
                    h.key(KeyCode::Char('n'), ALT);
                }
            }
            Op::Delete(n) => {
                if pick_row(h, *n, |r| matches!(r.kind, RowKind::Item { .. })) {
                    h.press(KeyCode::Char('x'));
                }
            }
            Op::Duplicate(n) => {
                if pick_row(h, *n, |r| matches!(r.kind, RowKind::Item { .. })) {
                    h.press(KeyCode::Char('d'));
                }
            }
            Op::MoveDown(n) => {
                if pick_row(h, *n, |r| matches!(r.kind, RowKind::Item { .. })) {
                    h.key(KeyCode::Down, ALT);
                }
            }
            Op::NextValue(n) => {
                if pick_row(h, *n, |r| r.is_picker()) {
                    h.press(KeyCode::Right);
                }
            }
            Op::Toggle => {
                if pick_row(h, 0, |r| matches!(r.kind, RowKind::Failover(_))) {
                    h.press(KeyCode::Char(' '));
                }
            }
        }
        // Nothing is left half open.
        if h.app.overlay.is_some() {
            h.press(KeyCode::Esc);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

        /// After any sequence of actions, undo takes back one action at a time to the start,
        /// byte for byte, and redo brings each back to the end.
        #[test]
        fn undo_and_redo_retrace_every_action(
            start in 0..4usize,
            ops in proptest::collection::vec(op(), 1..14),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let t = MessageType::ALL[start];
            let mut h = fresh(dir.path(), t, 100, 40);
            let mut docs = vec![to_draft_json(&h.app.doc)];
            for op in &ops {
                apply(&mut h, op);
                let now = to_draft_json(&h.app.doc);
                if docs.last() != Some(&now) {
                    docs.push(now);
                }
            }
            for want in docs.iter().rev().skip(1) {
                h.ctrl('z');
                prop_assert_eq!(&to_draft_json(&h.app.doc), want);
            }
            h.ctrl('z');
            prop_assert_eq!(&to_draft_json(&h.app.doc), &docs[0]);
            for want in docs.iter().skip(1) {
                h.ctrl('y');
                prop_assert_eq!(&to_draft_json(&h.app.doc), want);
            }
        }
    }
}

/// The other three types, from an empty start with keys alone (F8 to each field that needs
/// something, Alt-C for a choice): each ends valid, with no $EDITOR.
#[test]
fn a_text_a_media_and_a_card_built_from_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let f8 = |h: &mut Harness| h.press(KeyCode::F(8));
    // RCS_TEXT with a REPLY
    let mut h = fresh(dir.path(), MessageType::Text, 100, 40);
    for text in ["ACME", "15559876543", "Hello there"] {
        f8(&mut h);
        h.type_str(text);
    }
    h.key(KeyCode::Char('c'), ALT);
    h.press(KeyCode::Enter);
    h.type_str("Yes");
    f8(&mut h);
    h.type_str("yes");
    assert!(h.app.report.errors.is_empty(), "{:?}", h.app.report.errors);
    // RCS_MEDIA with a DIAL_PHONE
    let mut h = fresh(dir.path(), MessageType::Text, 100, 40);
    focus(&mut h, "messageType", value_row);
    h.press(KeyCode::Right);
    for text in [
        "ACME",
        "15559876543",
        "https://example.com/v.mp4",
        "https://example.com/v.jpg",
        "v.mp4",
    ] {
        f8(&mut h);
        h.type_str(text);
    }
    h.key(KeyCode::Char('c'), ALT);
    h.press(KeyCode::Char('d'));
    h.press(KeyCode::Enter);
    h.type_str("Call");
    for text in ["call", "+15551234567"] {
        f8(&mut h);
        h.type_str(text);
    }
    assert_eq!(h.app.doc["messageType"], "RCS_MEDIA");
    assert!(h.app.report.errors.is_empty(), "{:?}", h.app.report.errors);
    // RCS_CARD with a SHOW_LOCATION
    let mut h = fresh(dir.path(), MessageType::Text, 100, 40);
    focus(&mut h, "messageType", value_row);
    h.press(KeyCode::Right);
    h.press(KeyCode::Right);
    for text in [
        "ACME",
        "15559876543",
        "A card",
        "About it",
        "https://example.com/c.png",
    ] {
        f8(&mut h);
        h.type_str(text);
    }
    h.key(KeyCode::Char('c'), ALT);
    h.press(KeyCode::Char('s'));
    h.press(KeyCode::Enter);
    h.type_str("Map");
    for text in ["map", "37.4", "-122.1"] {
        f8(&mut h);
        h.type_str(text);
    }
    assert_eq!(h.app.doc["messageType"], "RCS_CARD");
    assert!(h.app.report.errors.is_empty(), "{:?}", h.app.report.errors);
    assert!(h.screen().contains("No problems"), "{}", h.screen());
}
