//! The media check and the pictures in the composer, over real HTTP on loopback: every
//! finding at its field with its own glyph and colour, F8 reaching each, the URL being typed
//! checked only once the focus leaves it, the switches, private hosts, a send that never
//! waits for a check; pictures in the preview, cropped as the card's height crops it (insta
//! snapshots of the half-blocks at two sizes), `loading…` and the one-word failures, a video,
//! the MMS fallback, and Alt-I; in a carousel, pictures only for the media areas in view, and
//! sixel pictures whole in every frame. Every wait is on the app's state, never on the clock.

mod media_server;

use media_server::{
    Fixtures, Server, card, carousel, expected, more_cards, more_cards_expected, tall_card,
    tall_card_expected,
};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Color;
use rcs_composer::media::{MediaSettings, Probe, Skip};
use rcs_composer::message::FieldPath;
use rcs_composer::store::config::Config;
use rcs_composer::tui::action::{Action, Message};
use rcs_composer::tui::app::App;
use rcs_composer::tui::harness::Harness;
use rcs_composer::tui::runtime::NoTerminal;
use rcs_composer::tui::send::{Profiles, SendState};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The media check's timeout in these tests: the slow body waits this long.
const TIMEOUT: u64 = 2;
const WAIT: Duration = Duration::from_secs(20);

fn settings() -> Arc<MediaSettings> {
    Arc::new(MediaSettings {
        timeout: Duration::from_secs(TIMEOUT),
        ..MediaSettings::default()
    })
}

/// The app on `doc` with the network side running and the media check on.
fn app(dir: &Path, doc: Value, w: u16, h: u16) -> Harness {
    let mut h = Harness::new(dir.join("m.json"), doc, false, w, h);
    h.start_net(None);
    h.app.media.check = true;
    h.app.media.settings = settings();
    h
}

fn media_problems(app: &App) -> Vec<String> {
    app.problems
        .media()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect()
}

fn checked(a: &App) -> bool {
    a.media.cache.pending() == 0 && !a.media.cache.probes().is_empty()
}

/// The screen line the focused row is drawn on.
fn focused_line(h: &Harness) -> u16 {
    let g = &h.app.view.geometry;
    let i = g
        .form_lines
        .iter()
        .position(|l| *l == Some(h.app.form.focus))
        .expect("the focused row is on screen");
    g.form.y + i as u16
}

/// The problems pane, scrolled with the wheel from its top to its end: every line that
/// names a media finding, as drawn, with the colour of its mark.
fn media_lines_in_the_pane(h: &mut Harness) -> Vec<(String, Color)> {
    let mut seen: Vec<(String, Color)> = Vec::new();
    for _ in 0..40 {
        let g = h.app.view.geometry.problems;
        let b = h.buffer().clone();
        for y in g.y..g.y + g.height {
            let line: String = (g.x..g.x + g.width).map(|x| b[(x, y)].symbol()).collect();
            let line = line.trim_end().to_string();
            if line.starts_with("◈ ") && !seen.iter().any(|(l, _)| *l == line) {
                seen.push((line, b[(g.x, y)].fg));
            }
        }
        let last = h.app.view.geometry.problem_lines.last().copied();
        if last == Some(h.app.problems.len() - 1) {
            break;
        }
        let (column, row) = (g.x + 2, g.y);
        h.act(Action::Scroll {
            column,
            row,
            down: true,
        });
        h.draw();
    }
    h.app.view.problems_scroll = 0;
    h.draw();
    seen
}

/// The media check found `want` (`path: message`, in order) in the app on its own: listed
/// in the problems pane with what was found, each at its field with the media glyph in the
/// media colour, F8 reaching every one and saying what was found.
fn assert_found_listed_and_reached(h: &mut Harness, want: &[String]) {
    assert!(h.wait_until(WAIT, checked), "{:?}", h.app.media.cache);
    assert_eq!(media_problems(&h.app), want);
    h.draw();
    let screen = h.screen();
    assert!(
        screen.contains(&format!("{} from the media check", want.len())),
        "{screen}"
    );

    // The problems pane lists each: `◈ path  message` (cut with … where it is too long).
    let listed = media_lines_in_the_pane(h);
    assert_eq!(listed.len(), want.len(), "{listed:#?}");
    for ((line, colour), w) in listed.iter().zip(want) {
        let (path, message) = w.split_once(": ").unwrap();
        let full = format!("◈ {path}  {message}");
        let shown = line.trim_end_matches('…');
        assert!(
            full.starts_with(shown) && shown.len() > path.len() + 12,
            "{line} for {w}"
        );
        assert_eq!(*colour, Color::LightBlue, "{line}");
    }

    // F8 goes to each finding, in the form's order, and says what was found.
    h.app.set_focus(0);
    let mut seen = Vec::new();
    for _ in 0..h.app.problems.len() {
        h.press(KeyCode::F(8));
        let path = h.app.focused().unwrap().path.to_string();
        let status = h.app.status.as_ref().unwrap().text.clone();
        let Some(finding) = want.iter().find(|w| w.starts_with(&format!("{path}: "))) else {
            // A validator's problem (none in these drafts).
            panic!("F8 stopped at {path}, which has no finding: {status}");
        };
        let message = &finding[path.len() + 2..];
        assert_eq!(status, format!("{path}  {message}"));
        // The field's own mark: the media glyph in the media colour.
        let y = focused_line(h);
        let b = h.buffer();
        let x = (0..h.app.view.geometry.form.width)
            .find(|&x| b[(x, y)].symbol() == "◈")
            .unwrap_or_else(|| panic!("no ◈ on the line of {path}:\n{}", h.screen()));
        assert_eq!(b[(x, y)].fg, Color::LightBlue, "{path}");
        seen.push(path);
    }
    let mut paths: Vec<String> = want
        .iter()
        .map(|w| w.split(": ").next().unwrap().to_string())
        .collect();
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    paths.sort();
    paths.dedup();
    assert_eq!(sorted, paths, "F8 reached every finding");
    h.press(KeyCode::F(8));
    assert_eq!(
        h.app.focused().unwrap().path.to_string(),
        seen[0],
        "and wraps"
    );
}

#[test]
fn every_media_finding_at_its_field_and_f8_reaches_each() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(dir.path(), carousel(&base), 160, 50);
    // Any message is a check point for a fresh app.
    h.act(Action::Redraw);
    let want = expected(&base, &server.host(), TIMEOUT);
    assert_found_listed_and_reached(&mut h, &want);
    assert!(h.app.report.warnings.is_empty() && h.app.report.errors.is_empty());

    // Cached: nothing is asked again; F9 asks again.
    let asked = server.log().len();
    h.press(KeyCode::Tab);
    h.app.update(Message::AutosaveDue);
    assert_eq!(h.app.media.cache.pending(), 0);
    h.press(KeyCode::F(9));
    assert!(h.app.media.cache.pending() > 0);
    assert!(h.wait_until(WAIT, checked));
    assert!(server.log().len() > asked);
    assert_eq!(media_problems(&h.app), want);
}

/// The findings the ten-card carousel has no room for: a hard crop at MEDIUM and at TALL
/// height, a heavy video, a video type RBM does not take, a card's thumbnail without a
/// Content-Type, a refused connection, and a standalone card's own `mediaUrl` and
/// `thumbnailUrl`. A video found by the check is not downloaded: its thumbnail is its first
/// frame, under a play glyph.
#[test]
fn the_other_findings_at_their_fields_and_a_video_shows_its_first_frame() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let port = media_server::closed_port();
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(dir.path(), more_cards(&base, port), 160, 50);
    h.app.media.images = true;
    h.act(Action::Redraw);
    assert_found_listed_and_reached(&mut h, &more_cards_expected(port));
    h.app.focus_problem(&FieldPath::parse("cards.1.title"));
    settle_pictures(&mut h);
    let shot = preview_of(&h);
    assert!(
        shot.content()
            .iter()
            .any(|c| c.symbol() == "▶" && c.bg == Color::Black),
        "{}",
        h.screen()
    );
    assert!(picture_cells(&shot) > 50, "{}", h.screen());
    let downloads: Vec<_> = server
        .log()
        .into_iter()
        .filter(|r| r.method == "GET" && r.header("range").is_none())
        .map(|r| r.path)
        .collect();
    assert!(
        downloads.contains(&"/photo.jpg".to_string()),
        "{downloads:?}"
    );
    assert!(
        !downloads.iter().any(|p| p.starts_with("/clip")),
        "a video is never downloaded: {downloads:?}"
    );

    let mut h = app(dir.path(), tall_card(&base), 160, 50);
    h.act(Action::Redraw);
    assert_found_listed_and_reached(&mut h, &tall_card_expected());
}

#[test]
fn the_url_being_typed_is_checked_when_the_focus_leaves_it() {
    let server = Server::start(Fixtures::shared());
    let dir = tempfile::tempdir().unwrap();
    let doc = json!({"messageType": "RCS_MEDIA", "source": "ACME",
        "destination": "14155550100", "mediaUrl": ""});
    let mut h = app(dir.path(), doc, 120, 40);
    h.app.media.images = true;
    h.app.focus_problem(&FieldPath::parse("mediaUrl"));
    h.act(Action::Redraw);
    let url = format!("{}/mislabelled.png", server.base_url());
    for (i, c) in url.char_indices() {
        h.press(KeyCode::Char(c));
        if i % 5 == 0 {
            // The autosave's pause passes while typing: still nothing is asked.
            h.send(Message::AutosaveDue);
        }
        let typed = &url[..=i];
        assert_eq!(h.app.media.cache.pending(), 0, "checked after {typed:?}");
        assert!(
            h.app.media.pictures.load(typed).is_none(),
            "downloaded {typed:?}"
        );
    }
    assert!(h.app.media.cache.probes().is_empty());
    h.press(KeyCode::Tab);
    assert_eq!(
        h.app.media.cache.pending(),
        1,
        "leaving the field checks it"
    );
    assert!(
        h.app.media.pictures.load(&url).is_some(),
        "and shows its picture"
    );
    assert!(h.wait_until(WAIT, |a| checked(a) && !a.media.pictures.busy()));
    assert_eq!(
        media_problems(&h.app),
        ["mediaUrl: Content-Type image/jpeg, but the file is a PNG: serve it as image/png"]
    );
    assert!(server.log().iter().all(|r| r.path == "/mislabelled.png"));
}

/// Focus alone is not typing: a media URL the focus rests on (F8 to its finding, the start)
/// is checked and its picture drawn; one being changed is left alone.
#[test]
fn a_media_url_merely_focused_is_checked_and_drawn() {
    let server = Server::start(Fixtures::shared());
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/mislabelled.png", server.base_url());
    let doc = json!({"messageType": "RCS_MEDIA", "source": "ACME",
        "destination": "14155550100", "mediaUrl": url});
    let mut h = app(dir.path(), doc, 120, 40);
    h.app.media.images = true;
    h.app.focus_problem(&FieldPath::parse("mediaUrl"));
    h.act(Action::Redraw);
    assert!(h.wait_until(WAIT, checked));
    settle_pictures(&mut h);
    assert_eq!(media_problems(&h.app).len(), 1);
    assert!(picture_cells(&preview_of(&h)) > 20, "{}", h.screen());
    // One more character: the new URL is neither asked for nor downloaded.
    h.press(KeyCode::Char('x'));
    h.send(Message::AutosaveDue);
    h.draw();
    let typed = format!("{url}x");
    assert!(!h.app.media.cache.probes().contains_key(&typed));
    assert!(h.app.media.pictures.load(&typed).is_none());
    assert!(server.log().iter().all(|r| r.path == "/mislabelled.png"));
}

#[test]
fn the_switches_and_private_hosts() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let dir = tempfile::tempdir().unwrap();
    let parse = |t: &str| Config::parse(t, Path::new("/cfg/config.toml")).unwrap();

    // `--no-media-check`, and `media_check = false`: nothing is asked; F9 says why.
    for (config, flag) in [(None, true), (Some(parse("media_check = false\n")), false)] {
        let mut h = app(dir.path(), carousel(&base), 120, 40);
        h.app.configure_media(config.as_ref(), flag);
        assert!(!h.app.media.check);
        h.act(Action::Redraw);
        h.press(KeyCode::F(9));
        assert_eq!(h.app.media.cache.pending(), 0);
        assert!(
            h.app
                .status
                .as_ref()
                .unwrap()
                .text
                .contains("media check is off")
        );
    }
    // `images = false` (and the check on, by default).
    let mut h = app(dir.path(), carousel(&base), 120, 40);
    h.app
        .configure_media(Some(&parse("images = false\n")), false);
    assert!(h.app.media.check && !h.app.media.images);

    // A host a profile marks private is never contacted, by the check or the preview.
    let asked = server.log().len();
    let mut h = app(dir.path(), carousel(&base), 120, 40);
    let config = parse("[profiles.a]\nprivate_hosts = [\"127.0.0.1\"]\n");
    h.app.configure_media(Some(&config), false);
    h.app.media.images = true;
    h.act(Action::Redraw);
    assert!(h.wait_until(WAIT, |a| checked(a) && !a.media.pictures.busy()));
    assert!(
        h.app
            .media
            .cache
            .probes()
            .values()
            .all(|p| matches!(p, Probe::Skipped(Skip::PrivateHost(_)))),
        "{:?}",
        h.app.media.cache.probes()
    );
    assert!(media_problems(&h.app).is_empty());
    assert!(h.screen().contains("not fetched"), "{}", h.screen());
    assert_eq!(server.log().len(), asked, "{:?}", server.log());
}

#[test]
fn a_send_never_waits_for_the_check() {
    let server = Server::start(Fixtures::shared());
    let dir = tempfile::tempdir().unwrap();
    let doc = json!({"messageType": "RCS_MEDIA", "source": "ACME",
        "destination": "14155550101", "mediaUrl": format!("{}/slow.png", server.base_url()),
        "thumbnailUrl": format!("{}/slow.png?thumbnail", server.base_url()),
        "filenameOverride": "sale.png"});
    let mut h = Harness::new(dir.path().join("m.json"), doc, false, 160, 50);
    h.app.session.history_path = dir.path().join("history.jsonl");
    let started = h.start_net(Some(
        rcs_composer::sandbox::SandboxConfig::with_fresh_credentials(),
    ));
    let mut profiles = Profiles::default();
    profiles.push_ready(started.sandbox.expect("the sandbox started"), true);
    profiles.active = Some(0);
    h.app.session.profiles = profiles;
    h.app.media.check = true;
    // The slow body holds the check for a minute.
    h.app.media.settings = Arc::new(MediaSettings {
        timeout: Duration::from_secs(60),
        ..MediaSettings::default()
    });
    h.act(Action::Redraw);
    assert_eq!(h.app.media.cache.pending(), 2);
    h.press(KeyCode::F(5));
    let done = h.wait_until(WAIT, |a| matches!(a.session.send, SendState::Done { .. }));
    assert!(done, "{:?}\n{}", h.app.session.send, h.screen());
    // The slow probe is still under way (the quick one may be too: the probes' HTTP client
    // is built off the UI thread by the first of them, reading the trust store).
    assert!(
        h.app.media.cache.pending() >= 1,
        "the check is still under way"
    );
}

/// Draws and handles answers until no picture is being fetched or encoded, and the last
/// frame lacked none.
fn settle_pictures(h: &mut Harness) {
    let end = std::time::Instant::now() + WAIT;
    loop {
        h.draw();
        if !h.app.media.pictures.busy() && h.app.view.preview.wanted.is_empty() {
            h.draw();
            return;
        }
        assert!(std::time::Instant::now() < end, "pictures never settled");
        h.wait_until(WAIT, |a| !a.media.pictures.busy());
    }
}

/// The preview pane (inside its frame) as a buffer of its own, styles and all.
fn preview_of(h: &Harness) -> Buffer {
    let r = h.app.view.geometry.preview;
    let mut out = Buffer::empty(Rect::new(0, 0, r.width, r.height));
    for y in 0..r.height {
        for x in 0..r.width {
            out[(x, y)] = h.buffer()[(r.x + x, r.y + y)].clone();
        }
    }
    out
}

/// Cells of `b` coloured as a picture is (half-blocks carry RGB colours).
fn picture_cells(b: &Buffer) -> usize {
    b.content()
        .iter()
        .filter(|c| matches!(c.bg, Color::Rgb(..)) || matches!(c.fg, Color::Rgb(..)))
        .count()
}

fn pictures_app(dir: &Path, doc: Value, w: u16, hgt: u16) -> Harness {
    let mut h = Harness::new(dir.join("p.json"), doc, false, w, hgt);
    h.start_net(None);
    h.app.media.images = true;
    h.app.media.settings = settings();
    h
}

fn gallery(base: &str) -> Value {
    json!({
        "messageType": "RCS_CAROUSEL", "source": "ACME", "destination": "14155550100",
        "cards": [
            card(base, "MEDIUM", "/img.png", None),
            card(base, "SHORT", "/tall.png", None),
            card(base, "TALL", "/photo.jpg", None),
        ]
    })
}

#[test]
fn pictures_in_a_carousel_as_half_blocks_at_two_sizes() {
    let server = Server::start(Fixtures::shared());
    let dir = tempfile::tempdir().unwrap();
    for (w, hgt) in [(120u16, 40u16), (100, 30)] {
        let mut h = pictures_app(dir.path(), gallery(&server.base_url()), w, hgt);
        h.draw();
        assert!(h.screen().contains("loading…"), "{}", h.screen());
        settle_pictures(&mut h);
        let shot = preview_of(&h);
        assert!(picture_cells(&shot) > 100, "{}", h.screen());
        assert!(!h.screen().contains("loading…"));
        insta::assert_debug_snapshot!(format!("carousel_pictures_{w}x{hgt}"), shot);
        // Alt-I: the hatched boxes again, with the files' names.
        h.key(KeyCode::Char('i'), KeyModifiers::ALT);
        assert_eq!(picture_cells(&preview_of(&h)), 0);
        assert!(h.screen().contains("img.png"), "{}", h.screen());
    }
}

/// Pictures are downloaded for the cards in view only (and their thumbnails first), as the
/// carousel scrolls: never the whole draft's media at once.
#[test]
fn only_the_cards_in_view_are_downloaded() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let dir = tempfile::tempdir().unwrap();
    let mut h = pictures_app(dir.path(), carousel(&base), 120, 40);
    let downloads = |server: &Server| -> Vec<String> {
        let mut v: Vec<String> = server.log().into_iter().map(|r| r.path).collect();
        v.sort();
        v
    };
    settle_pictures(&mut h);
    // Cards 1 and 2 are in view: their media and thumbnails, nothing else.
    assert_eq!(
        downloads(&server),
        [
            "/heavy-thumb.jpg",
            "/img.png",
            "/mislabelled.png",
            "/photo.jpg"
        ]
    );
    h.app.focus_problem(&FieldPath::parse("cards.4.title"));
    settle_pictures(&mut h);
    let got = downloads(&server);
    assert!(got.contains(&"/tall.png".to_string()), "{got:?}");
    assert!(
        !got.iter()
            .any(|p| p.starts_with("/loop") || p == "/huge.png"),
        "{got:?}"
    );
}

/// Typing in a card whose pictures are settled lays it out once per key (its drawing gives
/// its height): its title wraps as a fresh drawing's would (debug builds compare every frame
/// with one drawn from nothing, and the height with a measure), it keeps its picture, and
/// it asks for nothing more.
#[test]
fn typing_in_a_card_with_its_pictures_shown_wraps_its_title_and_fetches_nothing_more() {
    let server = Server::start(Fixtures::shared());
    let dir = tempfile::tempdir().unwrap();
    let mut h = pictures_app(dir.path(), gallery(&server.base_url()), 120, 40);
    h.app.focus_problem(&FieldPath::parse("cards.1.title"));
    settle_pictures(&mut h);
    let (asked, pictures) = (server.log().len(), picture_cells(&preview_of(&h)));
    assert!(pictures > 100, "{}", h.screen());
    for c in " and a title long enough to wrap onto two more lines".chars() {
        h.press(KeyCode::Char(c));
    }
    // The card's title shows its first two lines, the second cut.
    let pane: String = {
        let p = preview_of(&h);
        (0..p.area.height)
            .map(|y| {
                (0..p.area.width)
                    .map(|x| p[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(pane.contains("Sale and a title long"), "{pane}");
    assert!(pane.contains("enough to wrap onto tw…"), "{pane}");
    assert_eq!(picture_cells(&preview_of(&h)), pictures, "{}", h.screen());
    assert_eq!(server.log().len(), asked, "{:?}", server.log());
    assert!(h.app.view.preview.wanted.is_empty());
}

/// A carousel scrolled down until its cards' media areas are out of view downloads none of
/// them: a card only partly in view is drawn in place, not whole and kept.
#[test]
fn media_areas_scrolled_out_of_view_are_not_downloaded() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let dir = tempfile::tempdir().unwrap();
    let with_choices = |media: &str| {
        let mut c = card(&base, "TALL", media, None);
        c["choices"] = (0..4)
            .map(|i| json!({"type": "REPLY", "title": format!("Reply {i}"), "postbackData": "r"}))
            .collect();
        c
    };
    let doc = json!({
        "messageType": "RCS_CAROUSEL", "source": "ACME", "destination": "14155550100",
        "cards": [with_choices("/img.png"), with_choices("/photo.jpg")]
    });
    let mut h = pictures_app(dir.path(), doc, 120, 18);
    h.app
        .focus_problem(&FieldPath::parse("cards.0.choices.3.postbackData"));
    settle_pictures(&mut h);
    assert!(h.app.view.preview.scroll > 0);
    assert!(server.log().is_empty(), "{:?}", server.log());
    // Back up: the media areas come into view, and their pictures.
    h.app.focus_problem(&FieldPath::parse("cards.0.mediaUrl"));
    settle_pictures(&mut h);
    let got: Vec<String> = server.log().into_iter().map(|r| r.path).collect();
    assert!(got.contains(&"/img.png".to_string()), "{got:?}");
}

/// A terminal that draws pictures itself (sixel here: one escape sequence in the picture's
/// first cell) gets each carousel card's picture whole, frame after frame: such a card is
/// drawn in place, never copied from a card drawn before.
#[test]
fn sixel_pictures_in_a_carousel() {
    use rcs_composer::tui::pictures::{Graphics, GraphicsKind};
    let server = Server::start(Fixtures::shared());
    let dir = tempfile::tempdir().unwrap();
    let mut h = pictures_app(dir.path(), gallery(&server.base_url()), 120, 40);
    h.app.media.pictures.set_graphics(Graphics {
        kind: GraphicsKind::Sixel,
        cell: (10, 20),
    });
    settle_pictures(&mut h);
    let sixels = |h: &Harness| {
        preview_of(h)
            .content()
            .iter()
            .filter(|c| c.symbol().contains("\x1bP"))
            .count()
    };
    // Cards 1 and 2 are in view.
    assert_eq!(sixels(&h), 2, "{}", h.screen());
    h.app.dirty = true;
    h.draw();
    assert_eq!(sixels(&h), 2);
}

#[test]
fn what_a_media_box_says_without_a_picture_and_a_video() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let dir = tempfile::tempdir().unwrap();
    let mut video = card(&base, "MEDIUM", "/clip.mp4", Some("/photo.jpg"));
    video["title"] = json!("Video with a first frame");
    let doc = json!({
        "messageType": "RCS_CAROUSEL", "source": "ACME", "destination": "14155550100",
        "cards": [
            card(&base, "MEDIUM", "/missing.png", None),
            card(&base, "MEDIUM", "/page.html", None),
            card(&base, "MEDIUM", "/movie.mp4", None),
            video,
            card(&base, "MEDIUM", "/giant-header.png", None),
            card(&base, "MEDIUM", "/huge.png", None),
        ]
    });
    let mut h = pictures_app(dir.path(), doc, 160, 50);
    settle_pictures(&mut h);
    let screen = h.screen();
    assert!(screen.contains(" 404 "), "{screen}");
    assert!(screen.contains(" not an image "), "{screen}");
    // Cards 3 and 4: a video without a thumbnail, and one with.
    h.app.focus_problem(&FieldPath::parse("cards.3.title"));
    settle_pictures(&mut h);
    let screen = h.screen();
    assert!(screen.contains(" ▶ "), "{screen}");
    let shot = preview_of(&h);
    assert!(picture_cells(&shot) > 50, "the thumbnail shows: {screen}");
    assert!(
        shot.content()
            .iter()
            .any(|c| c.symbol() == "▶" && c.bg == Color::Black)
    );
    // Cards 5 and 6: a 30,000×30,000 PNG header (the decoder's limits) and 200 MiB (the
    // download's 10 MB): both too big.
    h.app.focus_problem(&FieldPath::parse("cards.5.title"));
    settle_pictures(&mut h);
    let screen = h.screen();
    assert_eq!(screen.matches(" too big ").count(), 2, "{screen}");
    // Neither video was downloaded.
    assert!(
        server.log().iter().all(|r| !r.path.ends_with(".mp4")),
        "{:?}",
        server.log()
    );
}

#[test]
fn the_mms_fallback_shows_its_picture() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let dir = tempfile::tempdir().unwrap();
    let doc = json!({
        "messageType": "RCS_CARD", "source": "ACME", "destination": "14155550100",
        "title": "Sale", "description": "20% off", "height": "MEDIUM",
        "mediaUrl": format!("{base}/img.png"),
        "mmsFailover": {"enabled": true, "failoverSource": "15551234567",
            "fallbackText": "Sale", "mediaUrl": format!("{base}/square.gif"), "subject": "Sale"}
    });
    let mut h = pictures_app(dir.path(), doc, 120, 40);
    settle_pictures(&mut h);
    assert!(picture_cells(&preview_of(&h)) > 50, "{}", h.screen());
    h.ctrl('f');
    settle_pictures(&mut h);
    assert!(h.screen().contains("MMS"), "{}", h.screen());
    assert!(picture_cells(&preview_of(&h)) > 10, "{}", h.screen());
    assert!(server.log().iter().any(|r| r.path == "/square.gif"));
}

/// Probes that share a lookup come back together (every URL of a draft on one host that
/// does not resolve): their findings are worked out once, not once each. None is shown
/// while the answers come in, and all are before the next message is handled and before a
/// frame.
#[test]
fn a_burst_of_answers_is_shown_before_the_next_message_and_the_next_frame() {
    use rcs_composer::media::NetFailure;
    let dir = tempfile::tempdir().unwrap();
    let doc = rcs_composer::message::samples::largest_carousel();
    let urls: Vec<String> = rcs_composer::media::media_urls(&doc)
        .into_iter()
        .map(|(_, u)| u)
        .collect();
    assert!(urls.len() > 10);
    let mut h = Harness::new(dir.path().join("b.json"), doc, true, 120, 40);
    h.app.media.check = true;
    // The check point a fresh app passes at its first message (the real app at its start).
    h.app.update(Message::AutosaveDue);
    let unreachable = || Probe::Unreachable {
        host: "cdn.example.com".into(),
        failure: NetFailure::Dns,
    };
    for url in &urls {
        h.app.update(Message::MediaProbed {
            url: url.clone(),
            probe: unreachable(),
        });
    }
    assert!(media_problems(&h.app).is_empty(), "worked out once, later");
    h.app.update(Message::AutosaveDue);
    let shown = media_problems(&h.app);
    assert!(!shown.is_empty(), "before the next message");
    assert!(
        shown.iter().all(|p| p.contains("cdn.example.com")),
        "{shown:?}"
    );

    // Answered again as skipped: the frame shows the change without another message.
    for url in &urls {
        h.app.update(Message::MediaProbed {
            url: url.clone(),
            probe: Probe::Skipped(Skip::PrivateHost("cdn.example.com".into())),
        });
    }
    h.draw();
    assert_ne!(media_problems(&h.app), shown, "before the frame");
}

/// A picture whose URL the check could not reach is not downloaded: the download would fail
/// the same way. Its card's box says why in the frame after the check, with no download
/// under way.
#[test]
fn a_picture_the_check_could_not_reach_is_not_downloaded() {
    let port = media_server::closed_port();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}/gone.png");
    let doc = json!({"messageType": "RCS_CARD", "source": "ACME",
        "destination": "14155550100", "title": "Gone", "description": "d",
        "mediaUrl": url});
    let mut h = app(dir.path(), doc, 120, 40);
    h.app.media.images = true;
    // The check point, with no frame drawn before the check answers (as the composer holds
    // its first frame for it): `wait_until` draws the first frame once it has.
    h.app.update(Message::AutosaveDue);
    h.rt.execute(&mut h.app, &mut NoTerminal);
    assert!(h.wait_until(WAIT, checked));
    assert!(
        matches!(
            h.app.media.cache.probes().get(&url),
            Some(Probe::Unreachable { .. })
        ),
        "{:?}",
        h.app.media.cache.probes()
    );
    assert!(h.app.media.pictures.load(&url).is_none(), "not downloaded");
    assert!(!h.app.media.pictures.busy());
    let shot = preview_of(&h);
    let pane: String = shot.content().iter().map(|c| c.symbol()).collect();
    assert!(pane.contains("unreachable"), "{}", h.screen());
    assert!(!pane.contains("loading…"), "{}", h.screen());
}

/// The URLs on a host that is not found are settled together by its one lookup: one
/// message for all of them (so one frame), not one each.
#[test]
fn the_urls_on_a_host_not_found_come_back_in_one_message() {
    let dir = tempfile::tempdir().unwrap();
    // `.invalid` is never found (RFC 6761).
    let url = |k: &str, i: usize| format!("https://cdn.nothing.invalid/{k}{i}.png");
    let cards: Vec<Value> = (0..3)
        .map(|i| {
            json!({"title": format!("Card {i}"), "description": "d", "height": "MEDIUM",
                "mediaUrl": url("m", i), "thumbnailUrl": url("t", i)})
        })
        .collect();
    let doc = json!({"messageType": "RCS_CAROUSEL", "source": "ACME",
        "destination": "14155550100", "cards": cards});
    let mut h = app(dir.path(), doc, 120, 40);
    h.app.update(Message::AutosaveDue);
    h.rt.execute(&mut h.app, &mut NoTerminal);
    assert_eq!(h.app.media.cache.pending(), 6);
    let answer = loop {
        match h.rt.rx.recv_timeout(WAIT).expect("the check answers") {
            m @ (Message::MediaProbed { .. } | Message::MediaProbedTogether { .. }) => break m,
            other => h.app.update(other),
        }
    };
    let Message::MediaProbedTogether { probes } = answer else {
        panic!("one message for the host: {answer:?}");
    };
    assert_eq!(probes.len(), 6, "{probes:?}");
    for (_, p) in &probes {
        assert!(
            matches!(p, Probe::Unreachable { host, .. } if host == "cdn.nothing.invalid"),
            "{p:?}"
        );
    }
    h.app.update(Message::MediaProbedTogether { probes });
    assert_eq!(h.app.media.cache.pending(), 0);
    // Shown at the frame.
    h.draw();
    assert_eq!(
        media_problems(&h.app).len(),
        6,
        "{:?}",
        media_problems(&h.app)
    );
}
