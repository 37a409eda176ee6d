//! The composer driven through its real `App` and runtime on a `TestBackend`: key presses go
//! through the keymap, effects (file writes, the editor) really happen in temp dirs, and the
//! screen is read back with its styles.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use ratatui::style::{Color, Modifier};
use rcs_composer::message::FieldPath;
use rcs_composer::tui::action::Action;
use rcs_composer::tui::app::Overlay;
use rcs_composer::tui::form::RowKind;
use rcs_composer::tui::harness::Harness;
use serde_json::{Value, json};
use std::fs;
use std::path::{Path, PathBuf};

const CAROUSEL: &str = include_str!("../assets/examples/carousel.json");
const TEXT: &str = include_str!("../assets/examples/text.json");
const CARD: &str = include_str!("../assets/examples/card.json");

fn open_copy(dir: &Path, name: &str, text: &str, w: u16, h: u16) -> (Harness, PathBuf) {
    let p = dir.join(name);
    fs::write(&p, text).unwrap();
    let doc: Value = serde_json::from_str(text).unwrap();
    (Harness::new(p.clone(), doc, true, w, h), p)
}

fn focused_path(h: &Harness) -> String {
    h.app
        .focused()
        .map(|r| r.path.to_string())
        .unwrap_or_default()
}

/// Moves the focus with Down (or Up) presses until it is on `path`.
fn go_to(h: &mut Harness, path: &str) {
    for _ in 0..600 {
        if focused_path(h) == path {
            return;
        }
        let before = h.app.form.focus;
        h.press(KeyCode::Down);
        if h.app.form.focus == before {
            break;
        }
    }
    for _ in 0..600 {
        if focused_path(h) == path {
            return;
        }
        h.press(KeyCode::Up);
    }
    panic!("no row for {path}; focus is on {}", focused_path(h));
}

fn go_to_kind(h: &mut Harness, path: &str, is_item: bool) {
    go_to(h, path);
    if is_item && !matches!(h.app.focused().unwrap().kind, RowKind::Item { .. }) {
        h.press(KeyCode::Up);
    }
}

fn problem_paths(h: &Harness) -> Vec<String> {
    h.app.problems.all().map(|p| p.path.to_string()).collect()
}

/// The style of the first cell of `text` on screen.
fn style_of(h: &Harness, text: &str) -> ratatui::style::Style {
    let (x, y) = h
        .find(text)
        .unwrap_or_else(|| panic!("{text:?} not on screen:\n{}", h.screen()));
    h.buffer()[(x, y)].style()
}

fn line_of(h: &Harness, text: &str) -> String {
    let (_, y) = h.find(text).unwrap();
    h.screen().lines().nth(y as usize).unwrap().to_string()
}

#[test]
fn done_when_carousel_url_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, path) = open_copy(dir.path(), "carousel.json", CAROUSEL, 100, 30);
    let original = fs::read(&path).unwrap();
    go_to(&mut h, "cards.0.choices.0.url");
    let url = "https://example.com/details";
    for _ in 0..url.len() - 1 {
        h.press(KeyCode::Backspace);
    }
    assert_eq!(h.app.doc["cards"][0]["choices"][0]["url"], "h");
    h.press(KeyCode::Backspace);
    // The same keystroke that emptied it flags it as required.
    assert_eq!(h.app.doc["cards"][0]["choices"][0]["url"], "");
    let at_url: Vec<String> = h
        .app
        .problems
        .at(&FieldPath::parse("cards.0.choices.0.url"))
        .map(|p| p.message.clone())
        .collect();
    assert_eq!(at_url, ["When choice type is OPEN_URL, 'url' is required"]);
    assert!(
        h.screen().contains("cards.0.choices.0.url"),
        "{}",
        h.screen()
    );
    // Go elsewhere, then F8 comes back to it, ready for typing.
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    go_to(&mut h, "source");
    h.press(KeyCode::F(8));
    assert_eq!(focused_path(&h), "cards.0.choices.0.url");
    assert!(h.app.form.input.is_some());
    h.type_str(url);
    assert!(h.app.problems.is_empty(), "{:?}", problem_paths(&h));
    h.ctrl('s');
    h.settle();
    assert_eq!(
        String::from_utf8(fs::read(&path).unwrap()).unwrap(),
        String::from_utf8(original).unwrap()
    );
    assert!(!h.app.unsaved());
}

#[test]
fn the_offending_field_is_in_the_error_style_with_a_marker() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "text.json", TEXT, 100, 30);
    go_to(&mut h, "source");
    // Make the source a phone number: an error.
    for _ in 0..10 {
        h.press(KeyCode::Backspace);
    }
    h.type_str("15551234567");
    assert_eq!(problem_paths(&h), ["source"]);
    h.press(KeyCode::Down);
    let st = style_of(&h, "Source ");
    assert_eq!(st.fg, Some(Color::Red));
    assert!(st.add_modifier.contains(Modifier::BOLD));
    let line = line_of(&h, "Source ");
    assert!(line.contains("✗ Source"), "{line}");
    // its message sits under it, in the error style
    let msg = "RCS is not available for phone numbers";
    assert!(h.screen().contains(msg), "{}", h.screen());
    // A warning: yellow and '!' (destination that is not a phone number).
    go_to(&mut h, "destination");
    for _ in 0..20 {
        h.press(KeyCode::Backspace);
    }
    h.type_str("bob");
    h.press(KeyCode::Up);
    let st = style_of(&h, "Destination ");
    assert_eq!(st.fg, Some(Color::Yellow));
    assert!(line_of(&h, "Destination ").contains("! Destination"));
    // A field without a problem keeps the plain style.
    let plain = style_of(&h, "Message Text").fg;
    assert!(
        plain != Some(Color::Red) && plain != Some(Color::Yellow),
        "{plain:?}"
    );
}

#[test]
fn screens_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let (h, _) = open_copy(dir.path(), "text.json", TEXT, 80, 24);
    insta::assert_snapshot!("text_80x24", h.screen());
    let fresh = rcs_composer::message::edit::new_message(
        rcs_composer::message::schema::MessageType::Carousel,
    );
    let mut n = Harness::new(dir.path().join("new.json"), fresh, false, 80, 24);
    insta::assert_snapshot!("new_carousel_problems_80x24", n.screen());
    n.press(KeyCode::F(8));
    insta::assert_snapshot!("new_carousel_after_f8_80x24", n.screen());
    let (mut h, _) = open_copy(dir.path(), "carousel.json", CAROUSEL, 200, 60);
    insta::assert_snapshot!("carousel_200x60", h.screen());
    h.resize(50, 12);
    insta::assert_snapshot!("too_small", h.screen());
    h.resize(80, 24);
    h.press(KeyCode::F(1));
    insta::assert_snapshot!("help_80x24", h.screen());
    h.press(KeyCode::Esc);
    h.press(KeyCode::Enter); // the message type picker
    insta::assert_snapshot!("type_picker_80x24", h.screen());
}

#[test]
fn resize_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "carousel.json", CAROUSEL, 80, 24);
    for (w, ht) in [
        (1, 1),
        (0, 0),
        (10, 3),
        (63, 15),
        (64, 16),
        (300, 90),
        (80, 24),
    ] {
        h.resize(w, ht);
        h.press(KeyCode::Down);
        h.press(KeyCode::F(8));
    }
    assert!(h.screen().contains("Cards (2/10)"));
}

#[test]
fn switching_type_keeps_what_carries_over_and_says_what_was_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "text.json", TEXT, 100, 30);
    let before = h.app.doc.clone();
    go_to(&mut h, "messageType");
    h.press(KeyCode::Enter);
    assert!(matches!(h.app.overlay, Some(Overlay::Picker(_))));
    h.press(KeyCode::Char('m')); // RCS_MEDIA
    h.press(KeyCode::Enter);
    assert_eq!(h.app.doc["messageType"], "RCS_MEDIA");
    assert_eq!(h.app.doc["source"], before["source"]);
    assert_eq!(h.app.doc["destination"], before["destination"]);
    assert!(h.app.doc.get("messageText").is_none());
    let status = h.app.status.clone().unwrap().text;
    assert!(status.contains("Dropped: messageText"), "{status}");
    // the new type's fields are there to fill, and flagged
    assert!(problem_paths(&h).contains(&"mediaUrl".to_string()));
    // undo brings the text back
    h.ctrl('z');
    assert_eq!(h.app.doc, before);
}

#[test]
fn choice_editor_add_retype_duplicate_move_delete() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, path) = open_copy(dir.path(), "card.json", CARD, 100, 40);
    let n0 = h.app.doc["choices"].as_array().unwrap().len();
    go_to(&mut h, "choices");
    // the list header says how many of the limit are used
    assert!(
        h.screen().contains(&format!("Choices ({n0}/4)")),
        "{}",
        h.screen()
    );
    h.press(KeyCode::Char('a'));
    assert!(matches!(h.app.overlay, Some(Overlay::Picker(_))));
    for _ in 0..3 {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter); // SHOW_LOCATION
    let list = h.app.doc["choices"].as_array().unwrap().clone();
    assert_eq!(list.len(), n0 + 1);
    let new = &list[n0];
    assert_eq!(new["type"], "SHOW_LOCATION");
    // focus is on the new choice's title, ready for typing
    assert_eq!(focused_path(&h), format!("choices.{n0}.title"));
    h.type_str("Where");
    h.press(KeyCode::Tab);
    h.type_str("where_pb");
    h.press(KeyCode::Tab);
    assert_eq!(focused_path(&h), format!("choices.{n0}.latitude"));
    // a half-typed number is a string, then a number
    h.type_str("-");
    assert_eq!(h.app.doc["choices"][n0]["latitude"], "-");
    h.type_str("12.5");
    assert_eq!(h.app.doc["choices"][n0]["latitude"], json!(-12.5));
    // change its type: title and postbackData stay, latitude goes
    go_to(&mut h, &format!("choices.{n0}.type"));
    h.press(KeyCode::Enter);
    h.press(KeyCode::Home);
    h.press(KeyCode::Enter); // REPLY
    assert_eq!(
        h.app.doc["choices"][n0],
        json!({"type": "REPLY", "title": "Where", "postbackData": "where_pb"})
    );
    // duplicate, then the list is at the limit
    go_to_kind(&mut h, &format!("choices.{n0}"), true);
    let full = n0 + 2 >= 4;
    h.press(KeyCode::Char('d'));
    assert_eq!(h.app.doc["choices"].as_array().unwrap().len(), n0 + 2);
    assert_eq!(h.app.doc["choices"][n0], h.app.doc["choices"][n0 + 1]);
    // the focus is on the copy's first field
    assert_eq!(focused_path(&h), format!("choices.{}.type", n0 + 1));
    // move the copy up (Alt-Up), from that field
    h.key(KeyCode::Up, KeyModifiers::ALT);
    assert_eq!(h.app.doc["choices"][n0]["title"], "Where");
    assert_eq!(focused_path(&h), format!("choices.{n0}.type"));
    go_to_kind(&mut h, &format!("choices.{n0}"), true);
    if full {
        h.press(KeyCode::Char('a'));
        assert!(h.app.overlay.is_none());
        assert!(h.app.status.clone().unwrap().text.contains("limit is 4"));
        assert!(
            h.screen().contains("choices full: 4 of 4"),
            "{}",
            h.screen()
        );
    }
    // delete it
    h.press(KeyCode::Delete);
    assert_eq!(h.app.doc["choices"].as_array().unwrap().len(), n0 + 1);
    h.ctrl('s');
    h.settle();
    let saved: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved, *h.app.doc);
}

#[test]
fn card_editor_add_duplicate_move_delete_and_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "carousel.json", CAROUSEL, 100, 40);
    go_to_kind(&mut h, "cards.1", true);
    // move card 2 left (Alt-Left), from one of its fields
    h.press(KeyCode::Down);
    assert_eq!(focused_path(&h), "cards.1.title");
    h.key(KeyCode::Left, KeyModifiers::ALT);
    assert_eq!(h.app.doc["cards"][0]["title"], "Card 2");
    assert_eq!(focused_path(&h), "cards.0.title");
    for i in 0..8 {
        go_to_kind(&mut h, "cards.0", true);
        h.press(KeyCode::Char('d'));
        // the copy's first field has the focus, ready for typing
        assert_eq!(focused_path(&h), "cards.1.title", "copy {i}");
    }
    assert_eq!(h.app.doc["cards"].as_array().unwrap().len(), 10);
    assert!(h.app.form.rows.iter().any(|r| r.label() == "Cards (10/10)"));
    go_to_kind(&mut h, "cards.0", true);
    h.press(KeyCode::Char('d'));
    assert_eq!(h.app.doc["cards"].as_array().unwrap().len(), 10);
    assert!(h.app.status.clone().unwrap().text.contains("limit is 10"));
    h.press(KeyCode::Delete);
    assert_eq!(h.app.doc["cards"].as_array().unwrap().len(), 9);
    // add a card after the focused one: it starts empty, and its fields are flagged
    go_to_kind(&mut h, "cards.0", true);
    h.press(KeyCode::Char('a'));
    assert_eq!(h.app.doc["cards"][1], json!({"height": "MEDIUM"}));
    assert_eq!(focused_path(&h), "cards.1.title");
    assert!(problem_paths(&h).contains(&"cards.1.title".to_string()));
}

#[test]
fn folded_card_shows_its_problem_and_f8_unfolds_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "carousel.json", CAROUSEL, 100, 40);
    go_to(&mut h, "cards.1.choices.0.phoneNumber");
    h.type_str("123456789012345678901"); // too long
    assert!(problem_paths(&h).contains(&"cards.1.choices.0.phoneNumber".to_string()));
    go_to_kind(&mut h, "cards.1", true);
    h.press(KeyCode::Enter); // fold
    assert!(h.app.form.folded.contains(&FieldPath::parse("cards.1")));
    let line = line_of(&h, "▸ Card 2");
    assert!(line.contains("✗ ▸ Card 2"), "{line}");
    assert_eq!(style_of(&h, "▸ Card 2").fg, Some(Color::Red));
    go_to(&mut h, "source");
    h.press(KeyCode::F(8));
    assert_eq!(focused_path(&h), "cards.1.choices.0.phoneNumber");
    assert!(!h.app.form.folded.contains(&FieldPath::parse("cards.1")));
    // Shift-F8 from the top wraps to the last problem
    go_to(&mut h, "messageType");
    h.key(KeyCode::F(8), KeyModifiers::SHIFT);
    assert_eq!(focused_path(&h), "cards.1.choices.0.phoneNumber");
}

#[test]
fn a_missing_field_can_be_jumped_to_and_filled() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc: Value = serde_json::from_str(CAROUSEL).unwrap();
    doc["cards"][0]["choices"][0]
        .as_object_mut()
        .unwrap()
        .shift_remove("url");
    let (mut h, path) = open_copy(
        dir.path(),
        "c.json",
        &rcs_composer::store::to_draft_json(&doc),
        100,
        30,
    );
    assert_eq!(problem_paths(&h), ["cards.0.choices.0.url"]);
    h.press(KeyCode::F(8));
    assert_eq!(focused_path(&h), "cards.0.choices.0.url");
    h.type_str("https://example.com/details");
    assert!(h.app.problems.is_empty());
    h.autosave();
    // it went back in its schema place: the file is the example again
    assert_eq!(fs::read_to_string(&path).unwrap(), CAROUSEL);
}

#[test]
fn failover_toggle_shows_its_fields() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc: Value = serde_json::from_str(TEXT).unwrap();
    doc.as_object_mut().unwrap().shift_remove("smsFailover");
    let text = rcs_composer::store::to_draft_json(&doc);
    let (mut h, _) = open_copy(dir.path(), "text.json", &text, 100, 30);
    go_to(&mut h, "smsFailover.enabled");
    let has_row = |h: &Harness| {
        h.app
            .form
            .rows
            .iter()
            .any(|r| r.path.to_string() == "smsFailover.fallbackText")
    };
    assert!(!has_row(&h));
    h.press(KeyCode::Char(' '));
    assert_eq!(h.app.doc["smsFailover"], json!({"enabled": true}));
    assert!(has_row(&h));
    assert!(problem_paths(&h).contains(&"smsFailover.fallbackText".to_string()));
    h.press(KeyCode::Down);
    assert_eq!(focused_path(&h), "smsFailover.failoverSource");
    h.type_str("15551234567");
    h.press(KeyCode::Tab);
    h.type_str("Hi");
    assert!(h.screen().contains("2/160"), "{}", h.screen());
    go_to(&mut h, "smsFailover.enabled");
    h.press(KeyCode::Enter);
    assert_eq!(h.app.doc["smsFailover"]["enabled"], json!(false));
    assert!(!has_row(&h));
    // the values are kept, off
    assert_eq!(h.app.doc["smsFailover"]["fallbackText"], "Hi");
}

#[test]
fn counters_count_utf16_units() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "card.json", CARD, 100, 40);
    go_to(&mut h, "choices.0.title");
    for _ in 0..40 {
        h.press(KeyCode::Backspace);
    }
    h.type_str("Hi 😀");
    assert!(line_of(&h, " 5/25").contains("Title"), "{}", h.screen());
    h.type_str(&"x".repeat(20));
    let line = line_of(&h, "25/25");
    assert!(line.contains("Title"), "{line}");
    h.type_str("y");
    assert!(h.screen().contains("26/25"));
    assert_eq!(style_of(&h, "26/25").fg, Some(Color::Red));
}

#[test]
fn unknown_keys_survive_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    let text = "{\n  \"messageType\": \"RCS_TEXT\",\n  \"x-note\": {\n    \"a\": [\n      1\n    ]\n  },\n  \"source\": \"CONVEY\",\n  \"destination\": \"15559876543\",\n  \"messageText\": \"Hi\"\n}\n";
    let (mut h, path) = open_copy(dir.path(), "u.json", text, 100, 30);
    assert!(h.screen().contains("x-note"));
    go_to(&mut h, "messageText");
    h.type_str("!");
    h.autosave();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        text.replace("\"Hi\"", "\"Hi!\"")
    );
}

#[test]
fn autosave_writes_after_a_change_and_ctrl_s_always() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.json");
    let doc =
        rcs_composer::message::edit::new_message(rcs_composer::message::schema::MessageType::Text);
    let mut h = Harness::new(path.clone(), doc, false, 80, 24);
    // nothing typed: nothing written
    h.autosave();
    assert!(!path.exists());
    assert!(h.app.save.autosave_due.is_none());
    go_to(&mut h, "messageText");
    h.type_str("Hello");
    assert!(
        h.app.save.autosave_due.is_some(),
        "a change schedules the autosave"
    );
    assert!(h.app.unsaved());
    h.autosave();
    let saved: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["messageText"], "Hello");
    assert!(!h.app.unsaved());
    assert!(h.screen().contains("saved"));
}

fn write_script(dir: &Path, name: &str, body: &str) -> String {
    let p = dir.join(name);
    fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    }
    p.display().to_string()
}

#[test]
fn editor_round_trip_and_recovery() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, path) = open_copy(dir.path(), "text.json", TEXT, 100, 30);
    h.rt.editor = Some(write_script(
        dir.path(),
        "ed-ok.sh",
        "sed -i 's/CONVEY/ACME/' \"$1\"",
    ));
    h.ctrl('e');
    assert_eq!(h.app.doc["source"], "ACME");
    assert!(h.app.unsaved());
    // an edit that is not JSON: the draft stays, the edit is kept
    h.rt.editor = Some(write_script(
        dir.path(),
        "ed-bad.sh",
        "printf '{\\n  \"source\": ,\\n}' > \"$1\"",
    ));
    let before = h.app.doc.clone();
    h.ctrl('e');
    h.settle();
    assert_eq!(h.app.doc, before);
    let status = h.app.status.clone().unwrap();
    assert!(status.is_error);
    assert!(status.text.contains("line 2, column"), "{}", status.text);
    let rec = dir.path().join("text.recovery.json");
    assert_eq!(fs::read_to_string(&rec).unwrap(), "{\n  \"source\": ,\n}");
    // the message names the recovery file whole, however long the line is
    assert!(status.text.contains(&rec.display().to_string()));
    assert!(h.screen().contains("recovery.json"), "{}", h.screen());
    // the next Ctrl-E offers to continue from it; r does, and the editor gets that text
    h.rt.editor = Some(write_script(
        dir.path(),
        "ed-fix.sh",
        "sed -i 's/\"source\": ,/\"source\": \"FIXED\", \"destination\": \"15559876543\", \"messageType\": \"RCS_TEXT\", \"messageText\": \"x\"/' \"$1\"",
    ));
    h.ctrl('e');
    assert!(
        matches!(h.app.overlay, Some(Overlay::Recovery(_))),
        "{}",
        h.screen()
    );
    assert!(h.screen().contains("r continues from it"), "{}", h.screen());
    h.press(KeyCode::Char('r'));
    h.settle();
    assert_eq!(h.app.doc["source"], "FIXED", "{:?}", h.app.status);
    // once an edit was good, Ctrl-E goes straight to the editor again
    h.ctrl('z');
    assert_eq!(h.app.doc, before);
    // an editor that fails to run
    h.rt.editor = Some("/nonexistent/editor".into());
    h.ctrl('e');
    assert!(h.app.overlay.is_none());
    assert!(
        h.app
            .status
            .clone()
            .unwrap()
            .text
            .contains("/nonexistent/editor")
    );
    assert_eq!(h.app.doc, before);
    h.act(Action::Quit);
    h.settle();
    let saved: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["source"], "ACME");
}

#[test]
fn drafts_browser_open_new_duplicate_rename_delete() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, a) = open_copy(dir.path(), "alpha.json", TEXT, 100, 30);
    fs::write(dir.path().join("beta.json"), CAROUSEL).unwrap();
    fs::write(dir.path().join("broken.json"), "{").unwrap();
    // Fixed modified times, so the list order and the snapshot are the same every run.
    for (name, secs) in [("alpha", 3), ("beta", 2), ("broken", 1)] {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_780_000_000 + secs * 3600);
        fs::File::options()
            .write(true)
            .open(dir.path().join(format!("{name}.json")))
            .unwrap()
            .set_modified(t)
            .unwrap();
    }
    h.ctrl('o');
    let screen = h.screen();
    assert!(screen.contains("alpha"), "{screen}");
    assert!(screen.contains("RCS_CAROUSEL"));
    assert!(screen.contains("unreadable"));
    insta::assert_snapshot!(
        "drafts_browser",
        screen.replace(&dir.path().display().to_string(), "DIR")
    );
    // open beta
    let i = match &h.app.overlay {
        Some(Overlay::Drafts(b)) => b.items.iter().position(|d| d.name == "beta").unwrap(),
        _ => panic!(),
    };
    let cur = match &h.app.overlay {
        Some(Overlay::Drafts(b)) => b.selected,
        _ => panic!(),
    };
    for _ in cur..i {
        h.press(KeyCode::Down);
    }
    for _ in i..cur {
        h.press(KeyCode::Up);
    }
    h.press(KeyCode::Enter);
    assert!(h.app.overlay.is_none());
    assert_eq!(h.app.path, dir.path().join("beta.json"));
    assert_eq!(h.app.doc["messageType"], "RCS_CAROUSEL");
    // duplicate the open one, rename it, delete it
    h.ctrl('o');
    h.press(KeyCode::Char('d'));
    h.settle();
    assert!(dir.path().join("beta-copy.json").exists());
    h.ctrl('o');
    h.ctrl('o');
    let sel = |h: &Harness, name: &str| match &h.app.overlay {
        Some(Overlay::Drafts(b)) => b.items.iter().position(|d| d.name == name),
        _ => None,
    };
    let target = sel(&h, "beta-copy").unwrap();
    for _ in 0..10 {
        h.press(KeyCode::Up);
    }
    for _ in 0..target {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Char('r'));
    for _ in 0..20 {
        h.press(KeyCode::Backspace);
    }
    h.type_str("gamma");
    h.press(KeyCode::Enter);
    assert!(dir.path().join("gamma.json").exists());
    assert!(!dir.path().join("beta-copy.json").exists());
    let g = sel(&h, "gamma").unwrap();
    for _ in 0..10 {
        h.press(KeyCode::Up);
    }
    for _ in 0..g {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Char('x'));
    assert!(h.screen().contains("Delete the draft 'gamma'?"));
    h.press(KeyCode::Char('n'));
    assert!(
        dir.path().join("gamma.json").exists(),
        "any other key keeps it"
    );
    h.press(KeyCode::Char('x'));
    h.press(KeyCode::Char('y'));
    assert!(!dir.path().join("gamma.json").exists());
    // a new draft: its type first (the open one's is selected), then the open draft's
    // sender and recipient carried over
    h.press(KeyCode::Char('n'));
    assert!(matches!(h.app.overlay, Some(Overlay::Picker(_))));
    h.press(KeyCode::Char('m'));
    h.press(KeyCode::Enter);
    assert_eq!(h.app.doc["messageType"], "RCS_MEDIA");
    assert_eq!(h.app.doc["source"], "CONVEY");
    assert_eq!(h.app.doc["destination"], "15559876543");
    assert!(!h.app.save.on_disk);
    assert!(fs::read_to_string(&a).unwrap() == TEXT, "alpha untouched");
}

#[test]
fn mouse_click_focuses_and_wheel_scrolls() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "carousel.json", CAROUSEL, 100, 30);
    let (x, y) = h.find("Destination").unwrap();
    h.act(Action::Click { column: x, row: y });
    assert_eq!(focused_path(&h), "destination");
    let form = h.app.view.geometry.form;
    h.act(Action::Scroll {
        column: form.x + 2,
        row: form.y + 2,
        down: true,
    });
    assert_eq!(h.app.view.form_scroll, 3);
    assert!(!h.screen().contains("Destination"));
    // a click on a problem jumps to its field
    go_to(&mut h, "cards.0.title");
    for _ in 0..10 {
        h.press(KeyCode::Backspace);
    }
    go_to(&mut h, "source");
    let (px, py) = h.find("cards.0.title").unwrap();
    h.act(Action::Click {
        column: px,
        row: py,
    });
    assert_eq!(focused_path(&h), "cards.0.title");
    // a click on a value of an open picker chooses it
    go_to(&mut h, "cards.0.height");
    h.press(KeyCode::Enter);
    let (tx, ty) = h.find("  SHORT").unwrap();
    h.act(Action::Click {
        column: tx + 2,
        row: ty,
    });
    assert!(h.app.overlay.is_none());
    assert_eq!(h.app.doc["cards"][0]["height"], "SHORT");
}

#[test]
fn help_lists_every_key_and_f5_without_a_profile_says_how_to_pick_one() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "text.json", TEXT, 120, 60);
    h.press(KeyCode::F(1));
    // The help scrolls: read it a page at a time.
    let mut screen = h.screen();
    for _ in 0..6 {
        h.press(KeyCode::PageDown);
        screen.push_str(&h.screen());
    }
    for b in rcs_composer::tui::keymap::bindings() {
        if !b.label.is_empty() {
            assert!(screen.contains(b.help), "help is missing {:?}", b.help);
        }
    }
    h.press(KeyCode::Esc);
    assert!(h.app.overlay.is_none());
    h.press(KeyCode::F(5));
    let status = h.app.status.clone().unwrap();
    assert!(
        status.is_error && status.text.contains("Ctrl-P"),
        "{status:?}"
    );
    h.ctrl('f');
    assert!(h.app.view.preview.show_fallback);
    assert!(h.screen().contains("Preview: fallback"));
}

#[test]
fn server_issues_join_the_local_ones_in_their_own_style() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "carousel.json", CAROUSEL, 100, 30);
    h.app
        .set_server_issues(&[rcs_composer::client::ServerIssue {
            path: FieldPath::parse("cards.1.choices.0.phoneNumber"),
            description: "phoneNumber".into(),
            message: "'phoneNumber' is not reachable".into(),
        }]);
    h.draw();
    assert!(h.screen().contains("1 from the server"), "{}", h.screen());
    let st = style_of(&h, "cards.1.choices.0.phoneNumber");
    assert_eq!(st.fg, Some(Color::Magenta));
    h.press(KeyCode::F(8));
    assert_eq!(focused_path(&h), "cards.1.choices.0.phoneNumber");
    let line = line_of(&h, "Phone Number");
    assert!(line.contains("⇄ Phone Number"), "{line}");
    assert_eq!(style_of(&h, "Phone Number").fg, Some(Color::Magenta));
    assert!(h.screen().contains("⇄ 'phoneNumber' is not reachable"));
    h.app.set_server_issues(&[]);
    h.draw();
    assert!(h.screen().contains("No problems"));
}

#[test]
fn undo_takes_back_one_field_or_one_list_edit_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "text.json", TEXT, 100, 30);
    let start = h.app.doc.clone();
    go_to(&mut h, "messageText");
    h.type_str(" Bye");
    let typed = h.app.doc.clone();
    go_to_kind(&mut h, "choices.0", true);
    h.press(KeyCode::Delete);
    assert_eq!(h.app.doc["choices"].as_array().unwrap().len(), 1);
    h.ctrl('z');
    assert_eq!(h.app.doc, typed);
    h.ctrl('z');
    assert_eq!(h.app.doc, start);
    h.ctrl('z');
    assert!(
        h.app
            .status
            .clone()
            .unwrap()
            .text
            .contains("Nothing to undo")
    );
}

#[test]
fn a_date_time_field_shows_its_format_while_focused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "text.json", TEXT, 100, 30);
    go_to_kind(&mut h, "choices", false);
    h.press(KeyCode::Char('a'));
    h.press(KeyCode::End);
    h.press(KeyCode::Enter); // CREATE_CALENDAR_EVENT
    assert_eq!(h.app.doc["choices"][2]["type"], "CREATE_CALENDAR_EVENT");
    go_to(&mut h, "choices.2.startTime");
    assert!(
        h.screen().contains("2030-03-03T15:00:00Z"),
        "{}",
        h.screen()
    );
    h.type_str("2031-01-01T10:00:00Z");
    h.press(KeyCode::Tab);
    h.type_str("2031-01-01T09:00:00Z");
    assert!(
        problem_paths(&h).contains(&"choices.2.endTime".to_string()),
        "{:?}",
        problem_paths(&h)
    );
}

mod random_keys {
    use super::*;
    use proptest::prelude::*;

    fn key() -> impl Strategy<Value = (KeyCode, KeyModifiers)> {
        let none = KeyModifiers::NONE;
        prop_oneof![
            Just((KeyCode::Down, none)),
            Just((KeyCode::Up, none)),
            Just((KeyCode::Tab, none)),
            Just((KeyCode::Enter, none)),
            Just((KeyCode::Esc, none)),
            Just((KeyCode::Backspace, none)),
            Just((KeyCode::Delete, none)),
            Just((KeyCode::Left, none)),
            Just((KeyCode::Right, none)),
            Just((KeyCode::PageDown, none)),
            Just((KeyCode::F(8), none)),
            Just((KeyCode::F(8), KeyModifiers::SHIFT)),
            Just((KeyCode::Char(' '), none)),
            Just((KeyCode::Char('a'), none)),
            Just((KeyCode::Char('d'), none)),
            Just((KeyCode::Char('x'), none)),
            Just((KeyCode::Char('-'), none)),
            Just((KeyCode::Char('1'), none)),
            Just((KeyCode::Char('é'), none)),
            Just((KeyCode::Char('z'), KeyModifiers::CONTROL)),
            Just((KeyCode::Char('o'), KeyModifiers::CONTROL)),
            Just((KeyCode::Up, KeyModifiers::ALT)),
            Just((KeyCode::Right, KeyModifiers::ALT)),
            Just((KeyCode::Enter, KeyModifiers::ALT)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Whatever is pressed: no panic, the form matches the document, the problems are a
        /// full validation's, every problem has a row to jump to, and what is saved is what
        /// is shown.
        #[test]
        fn any_keys_keep_the_app_consistent(
            start in prop_oneof![Just(CAROUSEL), Just(TEXT), Just(CARD)],
            keys in proptest::collection::vec(key(), 1..80),
            (w, ht) in (20u16..140, 5u16..50),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let (mut h, _) = open_copy(dir.path(), "r.json", start, w, ht);
            for (code, mods) in keys {
                h.key(code, mods);
            }
            h.app.overlay = None;
            let rebuilt = rcs_composer::tui::form::build(&h.app.doc, &h.app.form.folded);
            prop_assert_eq!(&rebuilt, &h.app.form.rows);
            // what the app knows of the draft's problems (checked field by field as keys
            // change values) is what a full validation finds
            prop_assert_eq!(&h.app.report, &rcs_composer::message::validate(&h.app.doc));
            // the preview's kept card heights are those it would measure afresh
            {
                use ratatui::widgets::StatefulWidget;
                use rcs_composer::tui::preview::Preview;
                // at the width the app drew it, so the kept heights are the ones in use
                let drawn = h.app.view.geometry.preview;
                let area = ratatui::layout::Rect::new(0, 0, drawn.width.max(30), 60);
                let focus = h.app.focused().map(|r| r.path.clone());
                let render = |mut state: rcs_composer::tui::preview::PreviewState| {
                    let mut buf = ratatui::buffer::Buffer::empty(area);
                    Preview::new(&h.app.doc, &h.app.report, focus.as_ref())
                        .render(area, &mut buf, &mut state);
                    buf
                };
                let kept = h.app.view.preview.clone();
                let mut fresh = kept.clone();
                fresh.forget_cards();
                prop_assert_eq!(render(kept), render(fresh));
            }
            let all = rcs_composer::tui::form::build(&h.app.doc, &Default::default());
            for p in h.app.problems.all() {
                prop_assert!(
                    rcs_composer::tui::app::resolve(&all, &p.path).is_some(),
                    "no row for {}", p.path
                );
            }
            h.ctrl('s');
            h.settle();
            // (the drafts browser may have opened a copy: read the draft that is open)
            let saved: Value =
                serde_json::from_str(&fs::read_to_string(&h.app.path).unwrap()).unwrap();
            prop_assert_eq!(&saved, &*h.app.doc);
        }
    }
}

#[test]
fn the_line_f8_shows_goes_once_the_problem_is_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc: Value = serde_json::from_str(TEXT).unwrap();
    doc.as_object_mut().unwrap().shift_remove("messageText");
    let text = rcs_composer::store::to_draft_json(&doc);
    let (mut h, _) = open_copy(dir.path(), "text.json", &text, 100, 30);
    h.press(KeyCode::F(8));
    assert_eq!(focused_path(&h), "messageText");
    let said = h.app.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(said.contains("messageText"), "{said}");
    h.type_str("H");
    assert!(
        h.app.status.is_none(),
        "{:?}",
        h.app.status.as_ref().map(|s| &s.text)
    );
    // Any line goes with the next key that changes the draft: it was about the last action.
    h.ctrl('s');
    assert!(h.app.status.is_some());
    h.press(KeyCode::Right);
    assert!(
        h.app.status.is_some(),
        "a key that changes nothing keeps it"
    );
    h.type_str("i");
    assert!(h.app.status.is_none());
    // Esc clears it too.
    h.ctrl('s');
    h.press(KeyCode::Esc);
    assert!(h.app.status.is_none());
}

// ----- hostile input -----

fn status_text(h: &Harness) -> String {
    h.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn a_giant_value_is_not_edited_in_place_and_nothing_of_it_is_lost() {
    // A loaded value far past every limit would make each keystroke re-wrap megabytes in
    // the text area: it is shown cut, keys say what can be done, and it round-trips whole.
    let dir = tempfile::tempdir().unwrap();
    let giant = "é".repeat(600_000);
    let text = serde_json::to_string_pretty(&json!({
        "messageType": "RCS_TEXT", "source": "CONVEY", "destination": "15559876543",
        "messageText": giant,
    }))
    .unwrap();
    let (mut h, path) = open_copy(dir.path(), "giant.json", &text, 100, 30);
    go_to(&mut h, "messageText");
    assert!(
        h.app.form.input.is_none(),
        "no text area holds the giant value"
    );
    h.type_str("a");
    assert_eq!(h.app.doc["messageText"].as_str().unwrap(), giant);
    let said = status_text(&h);
    assert!(said.contains("Message Text is 600000 characters"), "{said}");
    assert!(said.contains("Backspace clears it"), "{said}");
    // An edit elsewhere saves the whole value.
    go_to(&mut h, "source");
    h.type_str("X");
    h.autosave();
    let saved: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["messageText"].as_str().unwrap(), giant);
    assert_eq!(saved["source"], "CONVEYX");
    // Backspace clears it in one undoable step.
    go_to(&mut h, "messageText");
    h.press(KeyCode::Backspace);
    assert_eq!(h.app.doc["messageText"], "");
    assert!(status_text(&h).contains("Ctrl-Z brings it back"));
    assert!(
        h.app.form.input.is_some(),
        "a cleared field is edited normally again"
    );
    h.ctrl('z');
    assert_eq!(h.app.doc["messageText"].as_str().unwrap(), giant);
}

#[test]
fn pasting_a_megabyte_keeps_all_of_it_and_stops_editing_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, path) = open_copy(dir.path(), "card.json", CARD, 100, 40);
    go_to(&mut h, "title");
    let before = h.app.doc["title"].as_str().unwrap().to_string();
    let paste = "0123456789".repeat(100_000);
    h.send(rcs_composer::tui::action::Message::Terminal(
        ratatui::crossterm::event::Event::Paste(paste.clone()),
    ));
    assert_eq!(
        h.app.doc["title"].as_str().unwrap(),
        format!("{before}{paste}")
    );
    assert!(h.app.form.input.is_none());
    assert!(
        status_text(&h).contains("Title is 1000"),
        "{}",
        status_text(&h)
    );
    h.autosave();
    let saved: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        saved["title"].as_str().unwrap().len(),
        before.len() + 1_000_000
    );
    // One Ctrl-Z takes the paste back.
    h.ctrl('z');
    assert_eq!(h.app.doc["title"].as_str().unwrap(), before);
}

fn paste(h: &mut Harness, text: &str) {
    h.send(rcs_composer::tui::action::Message::Terminal(
        ratatui::crossterm::event::Event::Paste(text.to_string()),
    ));
}

#[test]
fn a_paste_loses_escape_codes_and_a_one_line_field_its_line_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, path) = open_copy(dir.path(), "card.json", CARD, 100, 40);
    go_to(&mut h, "source");
    let evil = "A\x1b[2J\x1b]52;c;aGk=\x07B\u{9b}31m\tC\r\nD\x7f\x08";
    paste(&mut h, evil);
    assert_eq!(h.app.doc["source"], "CONVEYA[2J]52;c;aGk=B31m CD");
    let said = status_text(&h);
    assert!(said.contains("Pasted without 7 characters"), "{said}");
    assert!(said.contains("one line"), "{said}");
    // A multi-line field keeps the line break and the tab.
    go_to(&mut h, "description");
    let before = h.app.doc["description"].as_str().unwrap().to_string();
    paste(&mut h, "x\r\ny\tz\x1b");
    assert_eq!(
        h.app.doc["description"].as_str().unwrap(),
        format!("{before}x\ny\tz")
    );
    // Alt-Enter makes no line break in a one-line field.
    go_to(&mut h, "title");
    let title = h.app.doc["title"].clone();
    h.key(KeyCode::Enter, KeyModifiers::ALT);
    assert_eq!(h.app.doc["title"], title);
    h.autosave();
    let saved = fs::read_to_string(&path).unwrap();
    assert!(!saved.contains("\\u001b"), "{saved}");
}

#[test]
fn an_editor_that_fails_deletes_the_file_or_writes_bytes_keeps_the_draft_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "text.json", TEXT, 120, 30);
    let before = h.app.doc.clone();
    let cases = [
        (
            "ed-exit.sh",
            "exit 3",
            "failed (exit status: 3); the draft is unchanged",
        ),
        ("ed-rm.sh", "rm -f \"$1\"", "removed"),
        (
            "ed-bytes.sh",
            "printf '{\"a\": \"\\377\"}' > \"$1\"",
            "is not UTF-8 text (byte 7); the draft is unchanged and your edit is kept in",
        ),
        ("/nonexistent/editor", "", "not found"),
    ];
    for (name, body, expect) in cases {
        h.rt.editor = Some(if body.is_empty() {
            name.to_string()
        } else {
            write_script(dir.path(), name, body)
        });
        h.ctrl('e');
        h.settle();
        let said = status_text(&h);
        assert!(said.contains(expect), "{name}: {said}");
        assert!(h.app.status.as_ref().unwrap().is_error, "{name}");
        assert_eq!(h.app.doc, before, "{name}");
    }
    assert_eq!(
        fs::read(dir.path().join("text.recovery.json")).unwrap(),
        b"{\"a\": \"\xff\"}"
    );
}

#[test]
fn unknown_keys_at_every_level_survive_an_edit_and_a_list_edit_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let doc = json!({
        "messageType": "RCS_CAROUSEL",
        "x-top": {"n": [1, {"deep": null}], "s": "\u{1b}[2J"},
        "source": "CONVEY",
        "destination": "15559876543",
        "cards": [
            {"title": "A", "description": "d", "mediaUrl": "https://e.example/a.png",
             "height": "SHORT", "x-card": [true, 1.5e300],
             "choices": [{"type": "REPLY", "title": "Yes", "postbackData": "y", "x-choice": {}}]},
            {"title": "B", "description": "d", "mediaUrl": "https://e.example/b.png",
             "height": "SHORT", "choices": []}
        ],
        "mmsFailover": {"enabled": false, "x-fo": "kept"},
        "x-last": 12345678901234567890u64
    });
    let text = rcs_composer::store::to_draft_json(&doc);
    let (mut h, path) = open_copy(dir.path(), "u.json", &text, 120, 40);
    go_to(&mut h, "cards.0.choices.0.title");
    h.type_str("!");
    h.autosave();
    let mut want = doc.clone();
    want["cards"][0]["choices"][0]["title"] = json!("Yes!");
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        rcs_composer::store::to_draft_json(&want)
    );
    // A card moved: its unknown keys go with it.
    go_to_kind(&mut h, "cards.0", true);
    h.key(KeyCode::Down, KeyModifiers::ALT);
    h.autosave();
    let saved: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["cards"][0]["title"], "B", "the card moved");
    assert_eq!(saved["cards"][1]["x-card"], json!([true, 1.5e300]));
    assert_eq!(saved["x-top"], doc["x-top"]);
    assert_eq!(saved["x-last"], json!(12345678901234567890u64));
    assert_eq!(saved["mmsFailover"]["x-fo"], "kept");
}

#[test]
fn a_file_name_with_a_line_break_and_an_escape_code_is_shown_whole_and_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "a.json", TEXT, 120, 30);
    h.app.say(format!(
        "Opened {}",
        dir.path().join("ev\x1b[2Jil\nname.json").display()
    ));
    h.draw();
    let screen = h.screen();
    assert!(screen.contains("ev␛[2Jil⏎name.json"), "{screen}");
}

/// Moves the focus down to the first `+ add …` row of the list at `list`.
fn go_to_add_row(h: &mut Harness, list: &str) {
    for _ in 0..200 {
        if let Some(r) = h.app.focused()
            && r.path.to_string() == list
            && matches!(r.kind, RowKind::AddItem { .. })
        {
            return;
        }
        let before = h.app.form.focus;
        h.press(KeyCode::Down);
        assert_ne!(
            h.app.form.focus,
            before,
            "no add row for {list}:\n{}",
            h.screen()
        );
    }
    panic!("no add row for {list}");
}

#[test]
fn a_first_choice_is_added_from_an_empty_draft_of_every_type() {
    use rcs_composer::message::edit::new_message;
    use rcs_composer::message::schema::MessageType;
    let dir = tempfile::tempdir().unwrap();
    for t in MessageType::ALL {
        let path = dir.path().join(format!("{}.json", t.as_str()));
        let doc = new_message(t);
        let mut h = Harness::new(path, doc, false, 100, 40);
        let list = if t == MessageType::Carousel {
            "cards.0.choices"
        } else {
            "choices"
        };
        assert!(
            FieldPath::parse(list).get(&h.app.doc).is_none(),
            "{t:?} starts without {list}"
        );
        go_to_add_row(&mut h, list);
        // Enter on the add row asks for the choice's type, then lands on its title.
        h.press(KeyCode::Enter);
        assert!(
            matches!(h.app.overlay, Some(Overlay::Picker(_))),
            "{t:?}: {}",
            h.screen()
        );
        h.press(KeyCode::Enter);
        assert_eq!(focused_path(&h), format!("{list}.0.title"), "{t:?}");
        assert!(h.app.form.input.is_some());
        h.type_str("Yes");
        assert_eq!(
            FieldPath::parse(list).get(&h.app.doc).unwrap(),
            &json!([{"type": "REPLY", "title": "Yes", "postbackData": ""}]),
            "{t:?}"
        );
        // `a` on the add row of a list that does not exist yet adds too.
        if t == MessageType::Carousel {
            go_to_add_row(&mut h, "cards");
            h.press(KeyCode::Enter);
            assert_eq!(focused_path(&h), "cards.1.title");
            go_to_add_row(&mut h, "cards.1.choices");
            h.press(KeyCode::Char('a'));
            h.press(KeyCode::Enter);
            assert_eq!(focused_path(&h), "cards.1.choices.0.title");
        }
    }
}

/// File work is never done inside `update`: Ctrl-O and Ctrl-R hand it to the writer thread,
/// so a history file that blocks (a FIFO nobody writes) or a slow drafts folder cannot stall
/// a key. With the work inline, `update` itself would block on the FIFO.
#[cfg(unix)]
#[test]
fn opening_the_drafts_and_the_history_does_no_file_work_in_update() {
    use rcs_composer::tui::action::{DraftJob, Effect, Message};
    use rcs_composer::tui::app::App;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("history.jsonl");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for i in 0..50 {
        fs::write(dir.path().join(format!("d{i}.json")), TEXT).unwrap();
    }
    let doc: Value = serde_json::from_str(TEXT).unwrap();
    let mut app = App::new(
        dir.path().join("open.json"),
        doc,
        false,
        dir.path().to_path_buf(),
    );
    app.session.history_path = fifo.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        app.update(Message::Do(Action::OpenHistory));
        let history = app.take_effects();
        app.update(Message::Do(Action::Back));
        app.update(Message::Do(Action::OpenDrafts));
        let drafts = app.take_effects();
        let listed = match &app.overlay {
            Some(Overlay::Drafts(b)) => b.items.len(),
            _ => usize::MAX,
        };
        let _ = tx.send((history, drafts, listed));
    });
    let (history, drafts, listed) = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("update blocked on file work");
    assert!(
        matches!(history.as_slice(), [Effect::ReadHistory { path }] if *path == fifo),
        "{history:?}"
    );
    assert!(
        matches!(drafts.as_slice(), [Effect::Drafts(DraftJob::List { dir: d })] if d == dir.path()),
        "{drafts:?}"
    );
    assert_eq!(
        listed, 0,
        "nothing is listed until the writer thread answers"
    );
}

/// The side pane keeps its wrapped-row count only while its content is the same: a new log
/// line that keeps the text's line count and byte length but wraps to more rows still
/// scrolls into view (a cache keyed on lengths kept the old count and hid the last row).
#[test]
fn the_side_pane_recounts_its_rows_when_its_text_changes_but_keeps_its_length() {
    use rcs_composer::tui::action::Message;
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "t.json", TEXT, 100, 30);
    // The deliveries pane shows the log's last 50 lines; the first of them is 30 columns
    // of 'é' (60 bytes, one row in the 38-column pane).
    h.send(Message::SandboxLog("é".repeat(30)));
    for i in 0..49 {
        h.send(Message::SandboxLog(format!("line {i:02}")));
    }
    h.press(KeyCode::F(7));
    for _ in 0..5 {
        h.press(KeyCode::PageDown);
    }
    assert!(h.screen().contains("line 48"), "{}", h.screen());
    // One more line pushes the 'é' one out: as many lines, as many bytes, one row more.
    h.send(Message::SandboxLog(format!("{}END", "a".repeat(57))));
    for _ in 0..5 {
        h.press(KeyCode::PageDown);
    }
    assert!(h.screen().contains("aEND"), "{}", h.screen());
}

/// Esc written together with the next key reaches the app as Alt and that key (a terminal
/// sends Alt-x as Esc x): when no row binds the Alt key, it is Esc, then the key, each in
/// the context the one before leaves.
#[test]
fn esc_read_together_with_the_next_key_is_both_keys() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = open_copy(dir.path(), "t.json", TEXT, 100, 30);
    h.ctrl('p');
    assert!(matches!(h.app.overlay, Some(Overlay::Profiles { .. })));
    // Esc closes the profiles, then Ctrl-Q quits.
    h.key(
        KeyCode::Char('q'),
        KeyModifiers::ALT | KeyModifiers::CONTROL,
    );
    assert!(h.app.overlay.is_none());
    assert!(h.app.quit);
    let (mut h, _) = open_copy(dir.path(), "u.json", TEXT, 100, 30);
    go_to(&mut h, "source");
    h.app.say("a message");
    h.key(KeyCode::Char('x'), KeyModifiers::ALT);
    assert_eq!(h.app.doc["source"], "CONVEYx");
    assert!(h.app.status.is_none(), "Esc clears the message line");
}
