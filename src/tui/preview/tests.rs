//! Snapshots of the preview, and the promise that it stays inside its area at every size,
//! whatever the document.

use super::*;
use crate::message::{FieldPath, validate_at};
use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use serde_json::{Value, json};

/// A fixed "now", so a calendar start in the past stays in the past.
fn now() -> jiff::Timestamp {
    "2026-01-01T00:00:00Z".parse().expect("a timestamp")
}

fn example(name: &str) -> Value {
    let path = format!("{}/assets/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("example readable");
    serde_json::from_str(&text).expect("example is JSON")
}

#[test]
fn the_largest_carousel_is_legal() {
    let report = validate_at(&crate::message::samples::largest_carousel(), now());
    assert!(report.is_valid(), "{report:?}");
}

/// A readable carousel of ten short cards.
fn ten_cards() -> Value {
    let cards: Vec<Value> = (1..=10)
        .map(|i| {
            json!({
                "title": format!("Card {i}"),
                "description": format!("The {i}th card of ten."),
                "height": "SHORT",
                "mediaUrl": format!("https://example.com/media{i}.png"),
                "choices": [{"type": "REPLY", "title": format!("Pick {i}"), "postbackData": format!("pick_{i}")}],
            })
        })
        .collect();
    json!({"messageType": "RCS_CAROUSEL", "source": "CONVEY", "destination": "15559876543", "cards": cards})
}

struct Shot {
    buf: Buffer,
    state: PreviewState,
}

fn render_with(doc: &Value, focus: Option<&str>, state: PreviewState, w: u16, h: u16) -> Shot {
    let report = validate_at(doc, now());
    let focus = focus.map(FieldPath::parse);
    let mut state = state;
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    Preview::new(doc, &report, focus.as_ref()).render(buf.area, &mut buf, &mut state);
    Shot { buf, state }
}

fn render(doc: &Value, w: u16, h: u16) -> String {
    text_of(&render_with(doc, None, PreviewState::default(), w, h).buf)
}

fn render_fallback(doc: &Value, w: u16, h: u16) -> String {
    let state = PreviewState {
        show_fallback: true,
        ..Default::default()
    };
    text_of(&render_with(doc, None, state, w, h).buf)
}

/// The buffer as the terminal shows it, one line a row, trailing blanks trimmed, framed so a
/// snapshot shows the area's edges.
fn text_of(buf: &Buffer) -> String {
    let a = buf.area;
    let mut out = String::new();
    out.push_str(&format!("┌{}┐\n", "─".repeat(a.width as usize)));
    for y in a.top()..a.bottom() {
        let mut line = String::new();
        let mut skip = 0;
        let mut cols = 0;
        for x in a.left()..a.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            let w = sym.cell_width().max(1);
            skip = w - 1;
            cols += w;
            line.push_str(sym);
        }
        let pad = (a.width as usize).saturating_sub(cols as usize);
        out.push_str(&format!("│{line}{}│\n", " ".repeat(pad)));
    }
    out.push_str(&format!("└{}┘", "─".repeat(a.width as usize)));
    out
}

// --- Snapshots ---------------------------------------------------------------------------

#[test]
fn snapshot_text() {
    insta::assert_snapshot!(render(&example("text.json"), 60, 12));
}

#[test]
fn snapshot_media() {
    insta::assert_snapshot!(render(&example("media.json"), 60, 12));
}

#[test]
fn snapshot_card() {
    insta::assert_snapshot!(render(&example("card.json"), 60, 22));
}

#[test]
fn snapshot_carousel() {
    insta::assert_snapshot!(render(&example("carousel.json"), 72, 22));
}

#[test]
fn snapshot_every_choice_as_chips() {
    insta::assert_snapshot!(render(&example("every-choice.json"), 76, 16));
}

#[test]
fn snapshot_every_choice_as_buttons() {
    let chips = example("every-choice.json")["choices"].clone();
    let card = |choices: &[Value]| {
        json!({"title": "Buttons", "description": "Every kind.", "height": "SHORT",
               "mediaUrl": "https://example.com/a.mp4", "choices": choices})
    };
    let list = chips.as_array().expect("choices");
    let doc = json!({"messageType": "RCS_CAROUSEL", "source": "CONVEY", "destination": "15559876543",
                     "cards": [card(&list[..3]), card(&list[3..])]});
    insta::assert_snapshot!(render(&doc, 62, 24));
}

#[test]
fn snapshot_ten_cards_scrolled_to_the_middle() {
    let doc = ten_cards();
    let shot = render_with(&doc, Some("cards.4.title"), PreviewState::default(), 80, 20);
    assert!(shot.state.first_card <= 4 && 4 < shot.state.first_card + 2);
    insta::assert_snapshot!(text_of(&shot.buf));
}

#[test]
fn snapshot_ten_cards_scrolled_to_the_end() {
    let doc = ten_cards();
    let shot = render_with(
        &doc,
        Some("cards.9.choices.0.title"),
        PreviewState::default(),
        80,
        20,
    );
    assert_eq!(shot.state.first_card, 8);
    insta::assert_snapshot!(text_of(&shot.buf));
}

#[test]
fn snapshot_fallback_sms_gsm7() {
    insta::assert_snapshot!(render_fallback(&example("text.json"), 60, 10));
}

#[test]
fn snapshot_fallback_sms_ucs2_in_two_segments() {
    let mut doc = example("text.json");
    doc["smsFailover"]["fallbackText"] = json!(
        "Привет! Ваш заказ готов 🎉 Заберите его сегодня до 20:00 в магазине на Ленина, 5. Спасибо, что выбрали нас 🙂 До встречи!"
    );
    insta::assert_snapshot!(render_fallback(&doc, 60, 14));
}

#[test]
fn snapshot_fallback_sms_gsm7_extension_characters() {
    let mut doc = example("text.json");
    doc["smsFailover"]["fallbackText"] = json!("Price: 5€ [sale] {today}");
    insta::assert_snapshot!(render_fallback(&doc, 60, 10));
}

#[test]
fn snapshot_fallback_mms() {
    insta::assert_snapshot!(render_fallback(&example("card.json"), 60, 16));
}

#[test]
fn snapshot_fallback_none() {
    let mut doc = example("text.json");
    let obj = doc.as_object_mut().expect("object");
    obj.remove("smsFailover");
    obj.insert(
        "mmsFailover".into(),
        json!({"enabled": true, "failoverSource": "1555", "fallbackText": "x",
               "mediaUrl": "https://example.com/a.jpg", "subject": "s"}),
    );
    insta::assert_snapshot!(render_fallback(&doc, 60, 8));
}

#[test]
fn snapshot_fallback_turned_off() {
    let mut doc = example("media.json");
    doc["mmsFailover"]["enabled"] = json!(false);
    insta::assert_snapshot!(render_fallback(&doc, 60, 6));
}

#[test]
fn snapshot_narrow_pane() {
    insta::assert_snapshot!("narrow_carousel", render(&example("carousel.json"), 22, 26));
    insta::assert_snapshot!("narrow_text", render(&example("text.json"), 14, 12));
}

#[test]
fn snapshot_two_cards_in_a_half_width_pane() {
    // A 160-column terminal with the form beside the preview leaves it about 52 columns.
    insta::assert_snapshot!(render(&example("carousel.json"), 52, 24));
}

#[test]
fn two_carousel_cards_show_side_by_side_from_49_columns() {
    for w in 49..=80u16 {
        let text = render(&example("carousel.json"), w, 24);
        assert!(
            text.contains("Card 1") && text.contains("Card 2"),
            "at {w}:\n{text}"
        );
        assert!(!text.contains("more ▶"), "at {w}:\n{text}");
    }
    let text = render(&example("carousel.json"), 48, 24);
    assert!(text.contains("1 more ▶"), "{text}");
}

#[test]
fn snapshot_emoji_and_cjk() {
    let doc = json!({
        "messageType": "RCS_TEXT", "source": "CONVEY", "destination": "15559876543",
        "messageText": "こんにちは！ご注文の商品が発送されました 📦🚚 Café crème ✨ 한국어도 됩니다 👩‍👩‍👧 e\u{301}",
        "choices": [
            {"type": "REPLY", "title": "はい 👍", "postbackData": "yes"},
            {"type": "REPLY", "title": "追跡する📍追跡する📍追跡する📍追跡する📍追跡する📍", "postbackData": "track"}
        ]
    });
    insta::assert_snapshot!(render(&doc, 40, 14));
}

#[test]
fn snapshot_problems_as_placeholders() {
    let doc = json!({
        "messageType": "RCS_CARD", "source": "+1 555 123", "destination": "15559876543",
        "description": 42, "height": "HUGE", "mediaUrl": "ftp:/nowhere",
        "choices": [
            {"type": "OPEN_URL", "title": "Go", "postbackData": "go", "application": "WEBVIEW", "webviewViewMode": "HALF"},
            {"type": "DIAL_PHONE", "title": "Call", "phoneNumber": "123"},
            "not a choice"
        ],
        "callbackURL": "nope"
    });
    insta::assert_snapshot!(render(&doc, 60, 30));
}

#[test]
fn snapshot_choice_problems() {
    let doc = json!({
        "messageType": "RCS_TEXT", "source": "CONVEY", "destination": "15559876543",
        "messageText": "What is wrong with each choice?",
        "choices": [
            {"type": "REPLY", "title": "", "postbackData": "p"},
            {"type": "OPEN_URL", "title": "Open", "postbackData": "p", "url": "mailto:hi@example.com",
             "application": "APP", "webviewViewMode": "FULL"},
            {"type": "DIAL_PHONE", "title": "Call", "postbackData": "p", "phoneNumber": "+1 555 123 4567 890 123"},
            {"type": "SHOW_LOCATION", "title": "Map", "postbackData": "p", "latitude": "37.7", "longitude": 200},
            {"type": "REQUEST_LOCATION", "title": "Where", "postbackData": "p", "extra": 1},
            {"type": "CREATE_CALENDAR_EVENT", "title": "Event", "postbackData": "p",
             "startTime": "2030-03-03T16:00:00Z", "endTime": "2030-03-03T15:00:00Z"},
            {"type": "SEND_MONEY", "title": "Pay", "postbackData": "p"}
        ]
    });
    insta::assert_snapshot!(render(&doc, 70, 22));
}

#[test]
fn snapshot_wrong_types() {
    insta::assert_snapshot!("top_level_array", render(&json!([1, 2, 3]), 40, 4));
    insta::assert_snapshot!(
        "choices_not_a_list",
        render(
            &json!({"messageType": "RCS_TEXT", "source": "CONVEY", "destination": 15559876543_u64,
                    "messageText": ["a"], "choices": {"type": "REPLY"}}),
            50,
            8
        )
    );
    insta::assert_snapshot!(
        "cards_wrong",
        render(
            &json!({"messageType": "RCS_CAROUSEL", "source": "CONVEY", "destination": "15559876543",
                    "cards": ["a card?", {"title": 1, "choices": "none"}]}),
            64,
            16
        )
    );
    insta::assert_snapshot!(
        "unknown_type",
        render(
            &json!({"messageType": "RCS_VIDEO", "source": "CONVEY", "destination": "15559876543"}),
            40,
            6
        )
    );
}

// --- Styles and behaviour ----------------------------------------------------------------

fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let first = needle.chars().next()?.to_string();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            if buf[(x, y)].symbol() == first {
                let rest: String = (x..buf.area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>();
                if rest.starts_with(needle) {
                    return Some((x, y));
                }
            }
        }
    }
    None
}

#[test]
fn a_missing_field_is_a_placeholder_in_the_problem_colour() {
    let mut doc = example("card.json");
    doc.as_object_mut().expect("object").remove("title");
    let shot = render_with(&doc, None, PreviewState::default(), 60, 30);
    let (x, y) = find(&shot.buf, "✗ ‹no title›").expect("placeholder drawn");
    assert_eq!(shot.buf[(x, y)].fg, Color::Red);
    assert_eq!(shot.buf[(x + 3, y)].fg, Color::Red);
    // A valid title is bold and not red.
    let shot = render_with(&example("card.json"), None, PreviewState::default(), 60, 30);
    let (x, y) = find(&shot.buf, "Welcome!").expect("title drawn");
    assert!(shot.buf[(x, y)].modifier.contains(Modifier::BOLD));
    assert_ne!(shot.buf[(x, y)].fg, Color::Red);
}

#[test]
fn the_media_area_keeps_the_clients_proportions() {
    let mut rows = Vec::new();
    for height in ["SHORT", "MEDIUM", "TALL"] {
        let mut doc = example("card.json");
        doc["height"] = json!(height);
        let text = render(&doc, 60, 40);
        rows.push(text.lines().filter(|l| l.contains('░')).count());
    }
    assert_eq!(rows, [4, 6, 9]);
    // 112 : 168 : 264 dp, within a row.
    for (r, dp) in rows.iter().zip([112.0, 168.0, 264.0]) {
        assert!((*r as f64 - dp / 28.0).abs() < 0.5, "{r} rows for {dp} dp");
    }
}

#[test]
fn the_focused_card_is_framed_in_the_focus_colour() {
    let shot = render_with(
        &ten_cards(),
        Some("cards.3.description"),
        PreviewState::default(),
        100,
        20,
    );
    let (x, y) = find(&shot.buf, "Card 4").expect("card 4 in view");
    // The frame's left edge, in the focus colour; the other cards' frames are not.
    assert_eq!(shot.buf[(x - 1, y)].fg, Color::Cyan);
    let (x, y) = find(&shot.buf, "Card 3").expect("card 3 in view");
    assert_ne!(shot.buf[(x - 1, y)].fg, Color::Cyan);
}

#[test]
fn the_carousel_keeps_its_place_until_the_focus_leaves_the_view() {
    let doc = ten_cards();
    let mut state = PreviewState::default();
    for (focus, first) in [
        ("cards.0.title", 0),
        ("cards.3.title", 2),
        ("cards.2.title", 2),
        ("cards.1.title", 1),
        ("source", 1),
        ("cards.9.title", 8),
    ] {
        state = render_with(&doc, Some(focus), state, 62, 20).state;
        assert_eq!(state.first_card, first, "after focusing {focus}");
    }
    // A wider pane shows more cards, and never leaves room empty at the right.
    state = render_with(&doc, None, state, 200, 20).state;
    assert_eq!(state.first_card, 4);
}

#[test]
fn scrolling_stays_inside_the_content_and_follows_the_focus() {
    let doc = example("every-choice.json");
    let state = PreviewState {
        scroll: 500,
        ..Default::default()
    };
    let shot = render_with(&doc, None, state, 30, 6);
    let top = shot.state.scroll;
    assert!(top > 0 && top < 500, "{top}");
    // At the end of the content: a mark says there is more above, none below.
    let text = text_of(&shot.buf);
    assert!(text.contains("▲") && !text.contains("▼"), "{text}");
    let again = render_with(&doc, None, shot.state.clone(), 30, 6);
    assert_eq!(again.state.scroll, top);
    // Focusing the first line's field scrolls back up to it.
    let shot = render_with(&doc, Some("messageText"), shot.state, 30, 6);
    assert_eq!(shot.state.scroll, 2);
    let text = text_of(&shot.buf);
    assert!(text.contains("Every kind"), "{text}");
    assert!(text.contains("▲") && text.contains("▼"), "{text}");
    // A focused text taller than the pane can still be scrolled through, not past.
    let mut long = doc.clone();
    long["messageText"] = json!("word ".repeat(60));
    let mut state = PreviewState::default();
    let mut seen = Vec::new();
    for _ in 0..20 {
        state = render_with(&long, Some("messageText"), state, 30, 6).state;
        seen.push(state.scroll);
        state.scroll += 1;
    }
    assert_eq!(seen[0], 2, "starts at the bubble's top");
    assert!(seen.windows(2).any(|w| w[1] > w[0]), "scrolls: {seen:?}");
    let last = *seen.last().expect("scrolled");
    assert_eq!(
        last,
        seen[seen.len() - 2],
        "stops at the bubble's end: {seen:?}"
    );
    // The last choice, focused, is in view.
    let shot = render_with(
        &doc,
        Some("choices.5.eventTitle"),
        PreviewState::default(),
        30,
        6,
    );
    assert!(
        text_of(&shot.buf).contains("Add to Calendar"),
        "{}",
        text_of(&shot.buf)
    );
}

#[test]
fn a_short_pane_scrolls_to_the_cards_field_being_edited() {
    let doc = example("card.json");
    for (focus, expect) in [
        ("title", "Welcome!"),
        ("description", "choices."),
        ("choices.1.phoneNumber", "Contact Us"),
        ("cards.1.title", "Welcome!"),
    ] {
        let mut state = PreviewState::default();
        if focus.starts_with("cards") {
            // Not a field of this card: the scroll is left where it was, within the content.
            state.scroll = 8;
        }
        let shot = render_with(&doc, Some(focus), state, 50, 5);
        let text = text_of(&shot.buf);
        assert!(text.contains(expect), "focus {focus}:\n{text}");
    }
    // The standalone card's frame takes the focus colour while one of its fields is edited.
    let shot = render_with(&doc, Some("title"), PreviewState::default(), 50, 30);
    let (x, y) = find(&shot.buf, "Welcome!").expect("title");
    assert_eq!(shot.buf[(x - 1, y)].fg, Color::Cyan);
}

#[test]
fn sms_segments_come_from_the_gsm_rules() {
    let mut doc = example("text.json");
    doc["smsFailover"]["fallbackText"] = json!("€".repeat(81));
    let text = render_fallback(&doc, 60, 12);
    assert!(text.contains("GSM-7 · 162/306 · 2 segments"), "{text}");
    doc["smsFailover"]["fallbackText"] = json!("ж".repeat(71));
    let text = render_fallback(&doc, 60, 12);
    assert!(text.contains("UCS-2 · 71/134 · 2 segments"), "{text}");
}

// --- Never outside the area, never a panic -----------------------------------------------

const SENTINEL: &str = "#";

/// Renders into the middle of a larger buffer and checks that nothing outside the area
/// changed and that no wide character hangs over the area's right edge.
fn check_inside(
    doc: &Value,
    report: &Report,
    focus: Option<&FieldPath>,
    w: u16,
    h: u16,
    fallback: bool,
) {
    let outer = Rect::new(0, 0, w + 6, h + 4);
    let area = Rect::new(3, 2, w, h);
    let mut buf = Buffer::empty(outer);
    for y in 0..outer.height {
        for x in 0..outer.width {
            buf[(x, y)].set_symbol(SENTINEL);
        }
    }
    let mut state = PreviewState {
        show_fallback: fallback,
        scroll: 3,
        first_card: 7,
        ..PreviewState::default()
    };
    let before = buf.clone();
    Preview::new(doc, report, focus).render(area, &mut buf, &mut state);
    for y in 0..outer.height {
        for x in 0..outer.width {
            let inside = area.contains(ratatui::layout::Position { x, y });
            let cell = &buf[(x, y)];
            if !inside {
                assert_eq!(
                    cell,
                    &before[(x, y)],
                    "wrote outside the area at ({x},{y}) at {w}x{h}"
                );
            } else {
                let cw = cell.symbol().cell_width();
                assert!(
                    x + cw <= area.right(),
                    "{:?} at ({x},{y}) hangs over the edge at {w}x{h}",
                    cell.symbol()
                );
            }
        }
    }
}

fn awkward_docs() -> Vec<Value> {
    let mut docs = vec![
        example("text.json"),
        example("media.json"),
        example("card.json"),
        example("carousel.json"),
        example("every-choice.json"),
        crate::message::samples::largest_carousel(),
        json!([1, 2, 3]),
        json!("RCS_TEXT"),
        json!(null),
        json!({}),
        json!({"messageType": 5}),
        json!({"messageType": "RCS_TEXT", "messageText": 12, "choices": "no", "smsFailover": "on"}),
        json!({"messageType": "RCS_TEXT", "messageText": "x", "smsFailover": {"enabled": "yes"}}),
        json!({"messageType": "RCS_MEDIA", "mediaUrl": 1, "thumbnailUrl": [], "choices": [1, null, {"type": 3}]}),
        json!({"messageType": "RCS_CARD", "title": {}, "height": 2, "choices": [{"type": "SHOW_LOCATION", "latitude": "north"}]}),
        json!({"messageType": "RCS_CAROUSEL", "cards": []}),
        json!({"messageType": "RCS_CAROUSEL", "cards": {"0": {}}}),
        json!({"messageType": "RCS_CAROUSEL", "cards": [null, 7, "x", [], {}]}),
        json!({"messageType": "RCS_CARD", "mmsFailover": {"enabled": true, "fallbackText": 9, "subject": null, "mediaUrl": "x"}}),
        json!({"messageType": "RCS_TEXT", "source": "日本語の送信者名前がとても長い", "destination": "👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧",
               "messageText": "e\u{301}\u{302}\u{303} 📦\u{200d}🚚 \t tab\r\nline 漢字漢字漢字漢字漢字漢字漢字 ﾊﾟﾊﾟ \u{7}bell",
               "smsFailover": {"enabled": true, "failoverSource": "送信", "fallbackText": "漢字\u{0}\u{1b}[31m"}}),
    ];
    // Beyond the limits: more cards, chips and buttons than clients show, a huge text.
    let mut many = ten_cards();
    let extra = many["cards"][0].clone();
    if let Some(cards) = many["cards"].as_array_mut() {
        cards.extend(std::iter::repeat_n(extra, 5));
        if let Some(c) = cards[0].as_object_mut() {
            c.insert(
                "choices".into(),
                json!(vec![
                    json!({"type": "REPLY", "title": "r", "postbackData": "p"});
                    7
                ]),
            );
        }
    }
    docs.push(many);
    docs.push(json!({"messageType": "RCS_TEXT", "messageText": "a".repeat(100_000),
                     "choices": vec![json!({"type": "REQUEST_LOCATION", "title": "where", "postbackData": "p"}); 40]}));
    docs
}

#[test]
fn stays_inside_its_area_at_every_size() {
    let mut widths: Vec<u16> = (1..=40).collect();
    widths.extend((41..=200).step_by(9));
    widths.push(200);
    let heights = [1u16, 2, 3, 4, 5, 7, 10, 16, 24, 40, 60];
    let focuses = [
        None,
        Some(FieldPath::parse("cards.9.choices.3.title")),
        Some(FieldPath::parse("choices.1.url")),
    ];
    for (i, doc) in awkward_docs().iter().enumerate() {
        let report = validate_at(doc, now());
        for &w in &widths {
            for &h in &heights {
                let focus = focuses[(i + usize::from(w) + usize::from(h)) % focuses.len()].as_ref();
                check_inside(doc, &report, focus, w, h, false);
                check_inside(doc, &report, focus, w, h, true);
            }
        }
    }
}

#[test]
fn a_zero_sized_area_draws_nothing() {
    let doc = example("card.json");
    let report = validate_at(&doc, now());
    let mut buf = Buffer::empty(Rect::new(0, 0, 4, 4));
    let before = buf.clone();
    let mut state = PreviewState::default();
    Preview::new(&doc, &report, None).render(Rect::new(1, 1, 0, 3), &mut buf, &mut state);
    Preview::new(&doc, &report, None).render(Rect::new(1, 1, 3, 0), &mut buf, &mut state);
    // An area partly outside the buffer is cut to the buffer.
    Preview::new(&doc, &report, None).render(Rect::new(2, 2, 10, 10), &mut buf, &mut state);
    assert_eq!(&buf.content[..2], &before.content[..2]);
}

mod arbitrary;

#[test]
fn a_giant_unknown_message_type_is_quoted_by_its_start_only() {
    let t = "R".repeat(5_000_000);
    let m = strings::unknown_message_type(&t);
    assert!(m.len() < 200, "{}", m.len());
    assert!(
        m.starts_with(&format!("messageType \"{}\"…", "R".repeat(60))),
        "{m}"
    );
    assert_eq!(
        strings::unknown_message_type("SMS"),
        "messageType \"SMS\" is not one of RCS_TEXT, RCS_MEDIA, RCS_CARD, RCS_CAROUSEL."
    );
}
