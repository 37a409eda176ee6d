//! The media check and the pictures in the real binary, in a pseudo-terminal, against a
//! loopback server: the "done when" walked with keys from an empty draft and
//! compared with `validate --check-media`; the switches as the command line and config.toml
//! give them; and the terminals that draw pictures themselves (kitty, sixel).

mod media_server;
mod pty_session;

use media_server::{Fixtures, Server};
use pty_session::*;
use std::fs;
use std::path::Path;

/// The message line: the rows between the problems pane's bottom edge and the footer, as
/// one line (a long message wraps at a space).
fn message_line(s: &Session) -> String {
    let lines = s.lines();
    let footer = lines.len() - 1;
    let bottom = (0..footer)
        .rev()
        .find(|&i| lines[i].starts_with('└'))
        .expect("the problems pane");
    lines[bottom + 1..footer]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The preview pane's columns: from its left edge (`┌Preview`) to the screen's edge.
fn preview_columns(s: &Session) -> std::ops::Range<u16> {
    let top = s.lines()[1].clone();
    let left = top.find("┌Preview").expect("the preview pane");
    let col = top[..left].chars().count() as u16;
    col + 1..col + 54
}

/// The rows of each picture in the two carousel cards in view, left and right.
fn picture_rows(s: &Session) -> (usize, usize) {
    let cols = preview_columns(s);
    let mid = cols.start + (cols.end - cols.start) / 2;
    let rows = |c: std::ops::Range<u16>| {
        s.rgb_cells_per_row(1..30, c)
            .iter()
            .filter(|&&n| n > 0)
            .count()
    };
    (rows(cols.start..mid), rows(mid..cols.end))
}

/// The "done when" of issue 14, as a new user: from no file at all, with the keys F1 and
/// the footer name, a carousel whose cards point at a local server's pictures. The pictures
/// appear, cropped as each card's height crops them; the wrong type, the heavy thumbnail,
/// the 404 and the hard crop are media warnings on their fields, F8 reaches each and says
/// what was found; `validate --check-media` on the saved draft reports the same.
#[test]
fn done_when_a_carousel_from_nothing_shows_its_pictures_and_its_media_warnings() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::start(command(dir.path(), BIN), 40, 120);
    s.wait_screen("Message Type");
    let url = |p: &str| format!("{base}{p}");
    s.send(LEFT); // RCS_TEXT → RCS_CAROUSEL
    s.wait_screen("RCS_CAROUSEL");
    for (i, (title, height_left, media, thumb)) in [
        ("Photo", false, "/img.png", None),
        ("Tall", true, "/tall.png", None),
        (
            "Wrong type",
            false,
            "/mislabelled.png",
            Some("/heavy-thumb.jpg"),
        ),
        ("Gone", false, "/missing.png", None),
    ]
    .into_iter()
    .enumerate()
    {
        if i == 0 {
            s.send(F8);
            s.send(b"ACME");
            s.send(F8);
            s.send(b"14155550100");
            s.send(F8); // the carousel-of-one warning
            s.send(F8);
        } else {
            s.send(ALT_N);
        }
        s.send(title.as_bytes());
        s.send(F8);
        s.send(format!("The card {title}").as_bytes());
        if height_left {
            s.send(TAB);
            s.send(LEFT); // MEDIUM → SHORT
            s.send(TAB);
        } else {
            s.send(F8);
        }
        s.send(url(media).as_bytes());
        s.send(TAB);
        if let Some(t) = thumb {
            s.send(url(t).as_bytes());
            s.send(TAB);
        }
    }
    s.send(CTRL_S);
    let want = [
        "cards.1.mediaUrl  the top and bottom 32 % of this 600×800 image are cut at SHORT height (a 232×112 dp media area shows 600×290 of it)",
        "cards.2.mediaUrl  Content-Type image/jpeg, but the file is a PNG: serve it as image/png",
        "cards.2.thumbnailUrl  154 kB: over the 100 kB recommended for thumbnails",
        "cards.3.mediaUrl  the server answered 404 Not Found",
    ];
    s.wait_screen("Problems: 0 errors, 0 warnings, 4 from the media check");
    s.wait_screen(" saved ");
    // The last card is in view: its box says what became of its picture.
    s.wait_screen(" 404 ");

    // F8 from the last field wraps to the first finding, then goes down the form.
    let mut said = Vec::new();
    for w in want {
        s.send(F8);
        let path = w.split("  ").next().unwrap();
        s.wait_for(path, |s| message_line(s).starts_with(&format!("{path}  ")));
        assert_eq!(message_line(&s), w);
        said.push(message_line(&s));
        if path == "cards.1.mediaUrl" {
            // Cards 2 and 3 in view (`◀ 1 more`), or 1 and 2: either way a SHORT card's
            // picture beside a MEDIUM one's, each cropped and scaled into its media area.
            s.wait_for("both pictures", |s| {
                let (l, r) = picture_rows(s);
                l > 0 && r > 0
            });
            let (l, r) = picture_rows(&s);
            let position = s.screen();
            let (short, medium) = if position.contains("◀ 1 more") {
                (l, r)
            } else {
                (r, l)
            };
            assert!(
                short < medium,
                "SHORT {short} rows, MEDIUM {medium}\n{position}"
            );
        }
    }
    s.send(CTRL_Q);
    let _ = s.child.wait();

    let drafts = dir.path().join("data/rcs-composer/drafts");
    let file = fs::read_dir(&drafts)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .expect("the draft was saved");
    let out = std::process::Command::new(BIN)
        .args(["validate", "--check-media"])
        .arg(&file)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let prefix = format!("{}: ", file.display());
    let reported: Vec<String> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(|l| l.replacen(": warning: ", "  ", 1))
        .collect();
    assert_eq!(reported, said, "{stdout}");
}

/// A media draft (a PNG served as image/jpeg) in `dir`, and the composer on it with
/// `config` as config.toml (none when `None`) and `args`.
fn start_on_card(dir: &Path, server: &Server, config: Option<&str>, args: &[&str]) -> Session {
    let file = dir.join("card.json");
    let doc = serde_json::json!({"messageType": "RCS_CARD", "source": "ACME",
        "destination": "14155550100", "title": "Sale", "description": "20% off",
        "height": "MEDIUM", "mediaUrl": format!("{}/mislabelled.png", server.base_url())});
    fs::write(&file, doc.to_string()).unwrap();
    if let Some(text) = config {
        let conf = dir.join("config/rcs-composer");
        fs::create_dir_all(&conf).unwrap();
        fs::write(conf.join("config.toml"), text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::Permissions::from_mode(0o600);
            fs::set_permissions(conf.join("config.toml"), mode).unwrap();
        }
    }
    let mut cmd = command(dir, BIN);
    cmd.arg(&file);
    for a in args {
        cmd.arg(a);
    }
    let s = Session::start(cmd, 40, 120);
    s.wait_screen("Message Type");
    s
}

/// The composer on `file`, with names from the debug builds' table, where
/// cdn.gone.example is not (cdn.here.example is); no proxy of the environment may take the
/// request instead.
fn without_gone_host(dir: &Path, file: &Path) -> portable_pty::CommandBuilder {
    let mut cmd = command(dir, BIN);
    cmd.arg(file);
    cmd.env("RCS_COMPOSER_TEST_RESOLVE", "cdn.here.example=192.0.2.1");
    for k in rcs_composer::client::PROXY_VARIABLES {
        cmd.env_remove(k);
    }
    cmd
}

/// A host whose name is not found is named at its field and in its card's box, while the
/// next card's picture, from a server that answers, still comes. (The composer settles such
/// a URL before it builds the HTTP client: tests/media.rs shows the words are the client's.)
#[test]
fn a_host_not_found_is_named_at_its_field_while_the_next_card_gets_its_picture() {
    let server = Server::start(Fixtures::shared());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("two.json");
    let card = |title: &str, url: &str| {
        serde_json::json!({"title": title, "description": "d", "height": "MEDIUM",
            "mediaUrl": url})
    };
    let doc = serde_json::json!({"messageType": "RCS_CAROUSEL", "source": "ACME",
    "destination": "14155550100", "cards": [
        card("Gone", "https://cdn.gone.example/a.png"),
        card("Here", &format!("{}/img.png", server.base_url())),
    ]});
    fs::write(&file, doc.to_string()).unwrap();
    let mut s = Session::start(without_gone_host(dir.path(), &file), 40, 120);
    s.wait_screen("not reachable: cdn.gone.example could not be found (DNS)");
    s.wait_screen("unreachable");
    s.wait_for("the second card's picture", |s| {
        let (left, right) = picture_rows(s);
        left == 0 && right > 3
    });
    s.wait_screen("Problems: 0 errors, 0 warnings, 1 from the media check");
    let log = server.log();
    assert!(
        log.iter().all(|r| r.path == "/img.png"),
        "only the second card's URL was asked for: {:?}",
        log.iter().map(|r| &r.path).collect::<Vec<_>>()
    );
    s.send(CTRL_Q);
    let _ = s.child.wait();
}

fn picture_cells(s: &Session) -> usize {
    s.rgb_cells_per_row(1..30, preview_columns(s)).iter().sum()
}

/// What the server was asked: probes are a HEAD and ranged GETs, a picture a plain GET.
fn asked(server: &Server) -> (usize, usize) {
    let log = server.log();
    let probes = log
        .iter()
        .filter(|r| r.method == "HEAD" || r.header("range").is_some())
        .count();
    (probes, log.len() - probes)
}

const FINDING: &str = "Content-Type image/jpeg, but the file is a PNG";

#[test]
fn no_media_check_on_the_command_line_or_in_the_config_stops_the_check_not_the_pictures() {
    for (config, args) in [
        (None, &["--no-media-check"][..]),
        (Some("media_check = false\n"), &[][..]),
    ] {
        let server = Server::start(Fixtures::shared());
        let dir = tempfile::tempdir().unwrap();
        let mut s = start_on_card(dir.path(), &server, config, args);
        s.wait_for("the picture", |s| picture_cells(s) > 50);
        s.send(F9);
        s.wait_screen("The media check is off");
        // F9 downloads the picture again, and checks nothing.
        s.wait_for("the picture again", |_| asked(&server).1 == 2);
        s.wait_for("the picture", |s| picture_cells(s) > 50);
        assert!(!s.screen().contains(FINDING), "{}", s.screen());
        assert_eq!(asked(&server).0, 0, "no probe: {:?}", server.log());
        s.send(CTRL_Q);
        let _ = s.child.wait();
    }
}

#[test]
fn images_false_in_the_config_draws_no_picture_until_alt_i() {
    let server = Server::start(Fixtures::shared());
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_on_card(dir.path(), &server, Some("images = false\n"), &[]);
    s.wait_screen(FINDING);
    assert_eq!(picture_cells(&s), 0, "{}", s.screen());
    assert_eq!(
        asked(&server).1,
        0,
        "no picture downloaded: {:?}",
        server.log()
    );
    s.send(ALT_I);
    s.wait_screen("Pictures in the preview: on");
    s.wait_for("the picture", |s| picture_cells(s) > 50);
    s.send(ALT_I);
    s.wait_screen("Pictures in the preview: off");
    s.wait_for("the hatched box", |s| picture_cells(s) == 0);
    s.send(CTRL_Q);
    let _ = s.child.wait();
}

#[test]
fn a_host_a_profile_marks_private_is_never_contacted() {
    let server = Server::start(Fixtures::shared());
    let dir = tempfile::tempdir().unwrap();
    let config = "default_profile = \"local\"\n\n[profiles.local]\n\
        base_url = \"http://127.0.0.1:9\"\nusername = \"u\"\npassword = \"p\"\n\
        private_hosts = [\"127.0.0.1\"]\n";
    let mut s = start_on_card(dir.path(), &server, Some(config), &[]);
    // The config was read (its profile is the active one), and the box says why it is empty.
    s.wait_screen("profile: local");
    s.wait_screen(" not fetched ");
    s.send(F9);
    s.wait_screen("Checking the media URL again");
    s.wait_screen(" not fetched ");
    assert!(
        !s.screen().contains("from the media check"),
        "{}",
        s.screen()
    );
    assert!(server.log().is_empty(), "{:?}", server.log());
    s.send(CTRL_Q);
    let _ = s.child.wait();
}

/// A config.toml that cannot be read may be the one that names the private hosts: nothing
/// is contacted, and F9 and Alt-I say why.
#[test]
fn with_a_broken_config_nothing_is_contacted_and_the_keys_say_why() {
    let server = Server::start(Fixtures::shared());
    let dir = tempfile::tempdir().unwrap();
    let config = "[profiles.local]\nprivate_hosts = [\"127.0.0.1\"\n";
    let mut s = start_on_card(dir.path(), &server, Some(config), &[]);
    s.wait_screen("config.toml:");
    s.send(F9);
    s.wait_screen("config.toml could not be read");
    s.send(b"\x1b"); // Esc clears the message line
    s.wait_for("the message line cleared", |s| {
        !s.screen().contains("config.toml could not be read")
    });
    s.send(ALT_I);
    s.wait_screen("config.toml could not be read");
    assert_eq!(picture_cells(&s), 0, "{}", s.screen());
    assert!(server.log().is_empty(), "{:?}", server.log());
    s.send(CTRL_Q);
    let _ = s.child.wait();
}

/// `NO_COLOR`, or a terminal without colours: the hatched boxes, no download, and Alt-I
/// says why it cannot help. The check runs all the same.
#[test]
fn without_colours_there_are_no_pictures() {
    for (var, value) in [("TERM", "dumb"), ("NO_COLOR", "1")] {
        let server = Server::start(Fixtures::shared());
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("card.json");
        let doc = serde_json::json!({"messageType": "RCS_CARD", "source": "ACME",
            "destination": "14155550100", "title": "Sale", "description": "20% off",
            "height": "MEDIUM", "mediaUrl": format!("{}/mislabelled.png", server.base_url())});
        fs::write(&file, doc.to_string()).unwrap();
        let mut cmd = command(dir.path(), BIN);
        cmd.arg(&file);
        cmd.env(var, value);
        let mut s = Session::start(cmd, 40, 120);
        s.wait_screen(FINDING);
        s.send(ALT_I);
        s.wait_screen("Pictures need colours");
        assert_eq!(picture_cells(&s), 0, "{var}: {}", s.screen());
        assert_eq!(
            asked(&server).1,
            0,
            "{var}: no download: {:?}",
            server.log()
        );
        s.send(CTRL_Q);
        let _ = s.child.wait();
    }
}

/// The composer on a card pointing at the server's PNG, in a terminal that will be asked
/// how it draws pictures.
fn start_asking(dir: &Path, server: &Server, env: &[(&str, &str)]) -> Session {
    let file = dir.join("card.json");
    let doc = serde_json::json!({"messageType": "RCS_CARD", "source": "ACME",
        "destination": "14155550100", "title": "Sale", "description": "20% off",
        "height": "MEDIUM", "mediaUrl": format!("{}/img.png", server.base_url())});
    fs::write(&file, doc.to_string()).unwrap();
    let mut cmd = command(dir, BIN);
    cmd.arg(&file);
    cmd.env("RCS_COMPOSER_GRAPHICS", "ask");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let s = Session::start(cmd, 40, 120);
    s.wait_for("the first question", |s| {
        s.raw().contains("\x1b[16t\x1b[5n")
    });
    assert!(
        !s.raw().contains("Message Type"),
        "asked before the first frame"
    );
    s
}

/// A terminal that answers the start-up question as kitty does gets its pictures in kitty's
/// graphics protocol; the question comes before the first frame, and the keys typed right
/// after it all arrive.
#[test]
fn a_terminal_that_answers_as_kitty_gets_kitty_pictures() {
    let server = Server::start(Fixtures::shared());
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_asking(dir.path(), &server, &[]);
    s.send(b"\x1b[?62;4;22c\x1b[6;20;10t\x1b[0n");
    s.wait_for("the kitty question", |s| s.raw().contains("\x1b_Gi=31,s=1"));
    s.send(b"\x1b_Gi=31;OK\x1b\\\x1b[0n");
    s.wait_screen("Message Type");
    s.send(DOWN);
    s.send(b"X");
    s.wait_screen("ACMEX");
    s.wait_for("the picture, sent the kitty way", |s| {
        s.raw().contains("\x1b_Gq=2,i=")
    });
    s.send(CTRL_Q);
    let _ = s.child.wait();
}

/// iTerm2 (named by the environment), answering without sixel or kitty, gets its inline
/// images.
#[test]
fn iterm2_gets_inline_images() {
    let server = Server::start(Fixtures::shared());
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_asking(dir.path(), &server, &[("TERM_PROGRAM", "iTerm.app")]);
    s.send(b"\x1b[?62;22c\x1b[6;20;10t\x1b[0n");
    s.wait_for("the kitty question", |s| s.raw().contains("\x1b_Gi=31,s=1"));
    s.send(b"\x1b[0n");
    s.wait_screen("Message Type");
    s.wait_for("the picture, sent as an inline image", |s| {
        s.raw().contains("\x1b]1337;File=inline=1;")
    });
    s.send(CTRL_Q);
    let _ = s.child.wait();
}

/// A terminal that says it does sixel (device attribute 4) and not kitty gets sixel.
#[test]
fn a_terminal_that_answers_with_sixel_gets_sixel_pictures() {
    let server = Server::start(Fixtures::shared());
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_asking(dir.path(), &server, &[]);
    s.send(b"\x1b[?62;4;22c\x1b[6;20;10t\x1b[0n");
    s.wait_for("the kitty question", |s| s.raw().contains("\x1b_Gi=31,s=1"));
    s.send(b"\x1b[0n"); // no kitty answer, only the status
    s.wait_screen("Message Type");
    // A sixel image: DCS, parameters, `q`, then the raster attributes.
    s.wait_for("the picture, sent as sixel", |s| {
        let raw = s.raw();
        raw.match_indices("\x1bP")
            .any(|(i, _)| raw[i..].chars().take(12).any(|c| c == 'q'))
    });
    assert!(!s.raw().contains("\x1b_Gq=2,i="), "not kitty");
    s.send(CTRL_Q);
    let _ = s.child.wait();
}

/// The first frame already shows what the check found about a host that is not found: at
/// its field, in the problems and in the card's box. The composer waits a moment before it
/// draws for answers on their way, so the screen does not change right after it appears.
/// (Each frame ends by hiding the cursor: the output up to the first of those is the first
/// frame.)
#[test]
fn the_first_frame_shows_what_the_check_found_about_a_host_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gone.json");
    let doc = serde_json::json!({"messageType": "RCS_CARD", "source": "ACME",
        "destination": "14155550100", "title": "Gone", "description": "d",
        "mediaUrl": "https://cdn.gone.example/a.png"});
    fs::write(&file, doc.to_string()).unwrap();
    let found = "not reachable: cdn.gone.example could not be found (DNS)";
    let mut s = Session::start(without_gone_host(dir.path(), &file), 40, 120);
    s.wait_screen(found);
    s.wait_screen("unreachable");
    let raw = s.raw.lock().unwrap().clone();
    let end = raw
        .windows(6)
        .position(|w| w == b"\x1b[?25l")
        .expect("a frame");
    let mut first = vt100::Parser::new(40, 120, 0);
    first.process(&raw[..end]);
    let screen = first.screen().contents();
    for want in [found, "unreachable", "1 from the media check"] {
        assert!(
            screen.contains(want),
            "{want:?} not in the first frame:\n{screen}"
        );
    }
    s.send(CTRL_Q);
    let _ = s.child.wait();
}
