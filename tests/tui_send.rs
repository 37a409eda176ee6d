//! Sending from the composer, end to end over real loopback HTTP: the real `App` and
//! runtime (harness), the in-process sandbox and listener, small servers inside the test for
//! a 400 and for a server that never answers, and real files in temp dirs.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use ratatui::style::Color;
use rcs_composer::profile::{Profile, Secret};
use rcs_composer::sandbox::SandboxConfig;
use rcs_composer::store::history;
use rcs_composer::tui::app::{Overlay, Side};
use rcs_composer::tui::harness::Harness;
use rcs_composer::tui::send::{Profiles, SendState};
use serde_json::{Value, json};
use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

const CAROUSEL: &str = include_str!("../assets/examples/carousel.json");
const TEXT: &str = include_str!("../assets/examples/text.json");
const SECRET: &str = "s3cret-never-shown-4711";
const WAIT: Duration = Duration::from_secs(15);

/// A composer on a copy of `text` in `dir/drafts`, with the history in `dir/data`, a
/// sandbox (fast delivery steps, a known secret) as its built-in profile, and its listener.
struct Fixture {
    h: Harness,
    draft: PathBuf,
    dir: PathBuf,
    /// Every screen seen, to check that the secret is on none.
    screens: String,
}

fn sandbox_config() -> SandboxConfig {
    let mut c = SandboxConfig::with_fresh_credentials();
    c.password = SECRET.into();
    c.delivery_step = Duration::from_millis(80);
    c
}

impl Fixture {
    fn new(dir: &Path, text: &str) -> Fixture {
        let drafts = dir.join("drafts");
        fs::create_dir_all(&drafts).unwrap();
        let draft = drafts.join("msg.json");
        fs::write(&draft, text).unwrap();
        let doc: Value = serde_json::from_str(text).unwrap();
        let mut h = Harness::new(draft.clone(), doc, true, 160, 50);
        h.app.session.history_path = dir.join("data/history.jsonl");
        let started = h.start_net(Some(sandbox_config()));
        assert!(started.problems.is_empty(), "{:?}", started.problems);
        let mut profiles = Profiles::default();
        profiles.push_ready(started.sandbox.expect("the sandbox started"), true);
        profiles.active = Some(0);
        h.app.session.profiles = profiles;
        h.draw();
        Fixture {
            h,
            draft,
            dir: dir.to_path_buf(),
            screens: String::new(),
        }
    }

    fn look(&mut self) -> String {
        self.h.draw();
        let s = self.h.screen();
        self.screens.push_str(&s);
        s
    }

    fn press(&mut self, code: KeyCode) {
        self.h.press(code);
        self.look();
    }

    fn wait(&mut self, what: &str, done: impl Fn(&rcs_composer::tui::app::App) -> bool) {
        let ok = self.h.wait_until(WAIT, done);
        let screen = self.look();
        assert!(ok, "timed out waiting for {what}; screen:\n{screen}");
    }

    fn wait_answer(&mut self) {
        self.wait("the answer", |a| a.session.send.in_flight().is_none());
    }

    /// The secret is on no screen seen and in no file under the test's dir.
    fn secret_nowhere(&self) {
        assert!(!self.screens.contains(SECRET));
        let mut stack = vec![self.dir.clone()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.is_file() {
                    // (not a FIFO a test made: reading it would wait for a writer)
                    let bytes = fs::read(&p).unwrap();
                    assert!(
                        !String::from_utf8_lossy(&bytes).contains(SECRET),
                        "the secret is in {}",
                        p.display()
                    );
                }
            }
        }
    }
}

fn guid_of(h: &Harness) -> String {
    match &h.app.session.send {
        SendState::Done { outcome, .. } => outcome.message_guids()[0].clone(),
        other => panic!("no answer: {other:?}"),
    }
}

#[test]
fn a_carousel_to_the_sandbox_shows_its_guid_then_queued_sent_delivered() {
    let tmp = tempfile::tempdir().unwrap();
    let mut f = Fixture::new(tmp.path(), CAROUSEL);
    let label = f.look();
    assert!(
        label.contains("profile: sandbox — nothing is delivered"),
        "{label}"
    );
    // On a narrow terminal the status bar still shows the profile and the draft's state.
    f.h.resize(80, 24);
    let top = f.look().lines().next().unwrap().to_string();
    assert!(
        top.contains("sandbox — nothing is delivered") && top.contains("saved"),
        "{top}"
    );
    f.h.resize(160, 50);
    f.press(KeyCode::F(5));
    // (the sandbox may have answered already: the harness drains the channel)
    assert!(!matches!(f.h.app.session.send, SendState::Idle));
    f.wait_answer();
    let guid = guid_of(&f.h);
    let screen = f.look();
    assert!(screen.contains("200 OK"), "{screen}");
    assert!(screen.contains(&guid), "{screen}");
    assert!(screen.contains("POST http://127.0.0.1:"), "{screen}");
    assert!(screen.contains("callbackURL http://127.0.0.1:"), "{screen}");
    assert_eq!(f.h.app.view.side, Side::Send);
    // The updates arrive through the listener; the deliveries view shows them.
    f.wait("delivered", |a| {
        a.session.deliveries.first().is_some_and(|t| t.finished())
    });
    f.press(KeyCode::F(7));
    let screen = f.look();
    assert!(screen.contains("queued → sent → delivered"), "{screen}");
    assert!(screen.contains(&guid), "{screen}");
    // the sandbox's log is there too, and nothing was printed to the terminal
    assert!(
        f.h.app
            .session
            .sandbox_log
            .iter()
            .any(|l| l.contains("200 POST"))
    );
    // The callback URL went into the request only: the draft and its file are untouched.
    assert!(f.h.app.doc.get("callbackURL").is_none());
    assert_eq!(fs::read_to_string(&f.draft).unwrap(), CAROUSEL);
    f.h.settle();
    let log = history::read_from(&f.h.app.session.history_path).unwrap();
    assert_eq!(log.entries.len(), 1);
    let e = &log.entries[0];
    assert_eq!(
        (e.outcome.as_str(), e.status, e.profile.as_str()),
        ("accepted", Some(200), "sandbox")
    );
    assert_eq!(e.message_guids, std::slice::from_ref(&guid));
    assert!(
        e.request["callbackURL"]
            .as_str()
            .unwrap()
            .ends_with("/callbacks")
    );
    assert_eq!(e.draft.as_deref(), Some("msg.json"));

    // The same draft again within a minute: asked first; anything but y keeps it unsent.
    f.press(KeyCode::F(5));
    let screen = f.look();
    assert!(matches!(f.h.app.overlay, Some(Overlay::Confirm(_))));
    assert!(screen.contains("accepted"), "{screen}");
    assert!(screen.contains(&guid), "{screen}");
    f.press(KeyCode::Char('n'));
    assert!(f.h.app.overlay.is_none());
    assert!(f.h.app.session.send.in_flight().is_none());
    f.press(KeyCode::F(5));
    f.press(KeyCode::Char('y'));
    f.wait_answer();
    assert_ne!(guid_of(&f.h), guid);
    f.secret_nowhere();
}

#[test]
fn an_sms_failover_to_a_destination_ending_in_0_reports_the_fallback() {
    let tmp = tempfile::tempdir().unwrap();
    let text = TEXT.replace("15559876543", "15559876540");
    let mut f = Fixture::new(tmp.path(), &text);
    f.press(KeyCode::F(5));
    f.wait_answer();
    let guid = guid_of(&f.h);
    f.wait("the fallback delivered", |a| {
        a.session.deliveries.first().is_some_and(|t| t.finished())
    });
    let t = &f.h.app.session.deliveries[0];
    assert_eq!(t.guid, guid);
    assert_eq!(t.fallback(), Some("SMS"));
    f.press(KeyCode::F(7));
    let screen = f.look();
    assert!(
        screen.contains("queued → failed → sent (SMS) → delivered (SMS)"),
        "{screen}"
    );
    assert!(screen.contains("fallback reported: SMS"), "{screen}");
    f.secret_nowhere();
}

/// A server that answers every request with `status` and `body`, and hands over each
/// request it read.
fn answering_server(
    status: &'static str,
    body: String,
) -> (String, std::sync::mpsc::Receiver<String>) {
    answering_server_with(status, "", body)
}

fn answering_server_with(
    status: &'static str,
    headers: &'static str,
    body: String,
) -> (String, std::sync::mpsc::Receiver<String>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for conn in l.incoming() {
            let Ok(mut c) = conn else { break };
            let req = read_request(&mut c);
            let _ = tx.send(req);
            let resp = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = c.write_all(resp.as_bytes());
        }
    });
    (url, rx)
}

fn read_request(c: &mut std::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = c.read(&mut chunk).unwrap_or(0);
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let len = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                break;
            }
        }
    }
    String::from_utf8_lossy(&buf).to_string()
}

fn remote_profile(name: &str, base_url: &str) -> Profile {
    Profile {
        name: name.into(),
        base_url: base_url.into(),
        username: "api-key".into(),
        password: Secret::new(SECRET),
        allow_insecure: false,
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(30),
        is_sandbox: false,
        ca_file: None,
        origin: Default::default(),
    }
}

#[test]
fn a_server_400_marks_its_field_f8_lands_there_and_the_history_shows_both_sends() {
    let tmp = tempfile::tempdir().unwrap();
    let mut f = Fixture::new(tmp.path(), CAROUSEL);
    // First a send to the sandbox.
    f.press(KeyCode::F(5));
    f.wait_answer();
    let guid = guid_of(&f.h);
    // Then a "real" profile whose server rejects the second card's media.
    let body = json!({
        "status": "error",
        "message": "Validation failed",
        "data": [{
            "field": "cards.1.mediaUrl",
            "description": "mediaUrl",
            "message": "The media at 'mediaUrl' could not be fetched"
        }]
    })
    .to_string();
    let (url, requests) = answering_server("400 Bad Request", body);
    f.h.app
        .session
        .profiles
        .push_ready(remote_profile("acme", &url), false);
    f.h.ctrl('p');
    let screen = f.look();
    assert!(screen.contains("acme"), "{screen}");
    assert!(
        screen.contains("built-in sandbox — nothing is delivered"),
        "{screen}"
    );
    f.press(KeyCode::Down); // acme comes after the built-in sandbox
    f.press(KeyCode::Enter);
    assert_eq!(f.h.app.session.profiles.active().unwrap().name, "acme");
    assert!(f.look().contains("profile: acme "));
    // A real profile asks first, naming the profile and the destination.
    f.press(KeyCode::F(5));
    let screen = f.look();
    assert!(matches!(f.h.app.overlay, Some(Overlay::Confirm(_))));
    assert!(
        screen.contains("'acme'") && screen.contains("15559876543"),
        "{screen}"
    );
    f.press(KeyCode::Char('y'));
    f.wait_answer();
    // No callbackURL is added for a profile that is not a sandbox.
    let req = requests.recv_timeout(WAIT).unwrap();
    assert!(!req.contains("callbackURL"), "{req}");
    assert!(req.to_ascii_lowercase().contains("authorization: basic "));
    let screen = f.look();
    assert!(screen.contains("400 Bad Request"), "{screen}");
    assert!(
        screen.contains("cards.1.mediaUrl  The media at 'mediaUrl' could not be fetched"),
        "{screen}"
    );
    assert!(screen.contains("1 from the server"), "{screen}");
    // In the problems pane, in the server's style.
    let (x, y) =
        f.h.find("⇄ cards.1.mediaUrl")
            .unwrap_or_else(|| panic!("{screen}"));
    assert_eq!(f.h.buffer()[(x + 2, y)].style().fg, Some(Color::Magenta));
    // F8 lands on it (the local draft has no other problem).
    f.press(KeyCode::F(8));
    let focused = f.h.app.focused().unwrap().path.to_string();
    assert_eq!(focused, "cards.1.mediaUrl");
    // Editing that field clears its server mark.
    f.press(KeyCode::Backspace);
    assert!(f.h.app.problems.server().next().is_none());
    assert!(!f.look().contains("from the server"));

    // The history shows both sends, newest first.
    f.h.ctrl('r');
    let screen = f.look();
    let at = |s: &str| screen.find(s).unwrap_or_else(|| panic!("{s}: {screen}"));
    assert!(at("acme") < at(&guid), "{screen}");
    assert!(
        screen.contains(" 400 ") && screen.contains(" 200 "),
        "{screen}"
    );
    // Enter shows one whole; n reopens its request as a new draft.
    f.press(KeyCode::Down);
    f.press(KeyCode::Enter);
    let screen = f.look();
    assert!(
        screen.contains("Request:") && screen.contains(&guid),
        "{screen}"
    );
    f.press(KeyCode::Char('n'));
    f.h.settle();
    let reopened = f.h.app.path.clone();
    assert_ne!(reopened, f.draft);
    assert_eq!(reopened.parent(), f.draft.parent());
    let doc: Value = serde_json::from_str(&fs::read_to_string(&reopened).unwrap()).unwrap();
    // the request as a draft, without the callback URL the app had added for its listener
    let original: Value = serde_json::from_str(CAROUSEL).unwrap();
    assert_eq!(doc, original);
    f.secret_nowhere();
}

#[test]
fn local_errors_block_the_send_until_overridden() {
    let tmp = tempfile::tempdir().unwrap();
    let broken = CAROUSEL.replace("\"CONVEY\"", "\"\"");
    let mut f = Fixture::new(tmp.path(), &broken);
    assert!(!f.h.app.report.errors.is_empty());
    f.press(KeyCode::F(5));
    let status = f.h.app.status.clone().unwrap();
    assert!(status.is_error, "{status:?}");
    assert!(
        status.text.contains("Not sent") && status.text.contains("Shift-F5"),
        "{status:?}"
    );
    assert!(matches!(f.h.app.session.send, SendState::Idle));
    // A second F5 (within the window) sends anyway; the sandbox answers with its own 400.
    f.press(KeyCode::F(5));
    f.wait_answer();
    let screen = f.look();
    assert!(screen.contains("Sent despite local errors"), "{screen}");
    assert!(screen.contains("400 Bad Request"), "{screen}");
    assert!(f.h.app.problems.server().next().is_some());
    assert!(
        f.h.app
            .problems
            .server()
            .any(|i| i.path.to_string() == "source")
    );
    // Shift-F5 sends at once.
    let sent = f.h.app.session.history.entries.len();
    f.h.key(KeyCode::F(5), KeyModifiers::SHIFT);
    f.wait_answer();
    assert_eq!(
        f.h.app.session.history.entries.len(),
        sent + 1,
        "{:?}",
        f.h.app.status
    );
    f.h.settle();
    let log = history::read_from(&f.h.app.session.history_path).unwrap();
    assert_eq!(log.entries.len(), 2);
    assert!(log.entries.iter().all(|e| e.status == Some(400)));
    f.secret_nowhere();
}

#[test]
fn esc_cancels_a_stalled_send_and_its_answer_never_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let mut f = Fixture::new(tmp.path(), CAROUSEL);
    // A server that reads the request and never answers, until the test lets it go: then
    // it closes the connection, which a send still waiting would report at once.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    let (got, request_read) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        if let Some(Ok(mut c)) = l.incoming().next() {
            let _ = got.send(read_request(&mut c));
            let _ = released.recv();
        }
    });
    let mut p = remote_profile("stall", &url);
    p.is_sandbox = true; // no confirmation, to keep the test on the cancel
    f.h.app.session.profiles = Profiles::single(p);
    f.press(KeyCode::F(5));
    assert!(f.h.app.session.send.in_flight().is_some());
    request_read
        .recv_timeout(WAIT)
        .expect("the request reached the server");
    // The UI still answers keys while the send is in flight.
    f.press(KeyCode::Down);
    assert!(f.h.app.session.send.in_flight().is_some());
    f.press(KeyCode::Esc);
    assert!(f.h.app.session.send.in_flight().is_none());
    let screen = f.look();
    assert!(screen.contains("Cancelled after"), "{screen}");
    // The connection goes; a send that were still waiting would now fail. Another send,
    // answered, then ends the session: the cancelled one left only its own line.
    let _ = release.send(());
    let (ok_url, _requests) = answering_server(
        "200 OK",
        json!({"status": "success", "message": "Message successfully queued",
               "data": {"results": [{"messageGUID": "0f5c2a9e-7d1b-4c3e-9a8f-2b6d4e1f0a7c",
                                     "destination": "15559876543", "status": "success"}]}})
        .to_string(),
    );
    let mut p = remote_profile("ok", &ok_url);
    p.is_sandbox = true;
    f.h.app.session.profiles = Profiles::single(p);
    f.press(KeyCode::F(5));
    f.wait_answer();
    assert!(f.look().contains("200 OK"), "{}", f.look());
    f.h.settle();
    let log = history::read_from(&f.h.app.session.history_path).unwrap();
    let outcomes: Vec<&str> = log.entries.iter().map(|e| e.outcome.as_str()).collect();
    assert_eq!(outcomes, ["accepted", "cancelled"]);
    f.secret_nowhere();
}

#[test]
fn every_kind_of_answer_is_told_in_the_send_pane() {
    let tmp = tempfile::tempdir().unwrap();
    let mut f = Fixture::new(tmp.path(), CAROUSEL);
    let big = format!("{{\"x\": \"{}\"}}", "y".repeat(2 * 1024 * 1024));
    let refused = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            answering_server(
                "403 Forbidden",
                r#"{"status":"error","message":"Forbidden"}"#.into(),
            )
            .0,
            vec!["403 Forbidden", "IP address"],
        ),
        (
            answering_server_with(
                "429 Too Many Requests",
                "retry-after: 17\r\n",
                r#"{"status":"error"}"#.into(),
            )
            .0,
            vec!["429 Too Many Requests", "retry after 17 s"],
        ),
        (
            answering_server(
                "502 Bad Gateway",
                "<html>\x1b[2J\x1b]0;owned\x07<body>Bad gateway</body></html>".into(),
            )
            .0,
            vec!["502 Bad Gateway", "␛[2J", "Bad gateway"],
        ),
        (
            answering_server("500 Internal Server Error", big).0,
            vec!["500 Internal Server Error", "longer than 1 MB"],
        ),
        (refused, vec!["no answer", "refused"]),
    ];
    // The form's focus on a card, where x would delete it.
    f.h.app
        .focus_problem(&rcs_composer::message::FieldPath::parse("cards.1"));
    assert!(matches!(
        f.h.app.focused().unwrap().kind,
        rcs_composer::tui::form::RowKind::Item { .. }
    ));
    for (url, expect) in cases {
        let mut p = remote_profile("x", &url);
        p.is_sandbox = true; // no confirmation: this test is about the answers
        f.h.app.session.profiles = Profiles::single(p);
        f.press(KeyCode::F(5));
        f.wait_answer();
        let screen = f.look();
        for e in expect {
            assert!(screen.contains(e), "{url}: {e:?} missing:\n{screen}");
        }
        // nothing from the server reaches the terminal raw
        assert!(!screen.contains('\x1b') && !screen.contains('\x07'));
        // the pane scrolls (F6 gives it the keys, PgDn moves it)
        f.press(KeyCode::F(6));
        assert!(f.h.app.view.side_focus);
        f.press(KeyCode::PageDown);
        // letters and Delete do not reach the form while the pane has the keys
        let doc = f.h.app.doc.clone();
        f.press(KeyCode::Char('x'));
        f.press(KeyCode::Delete);
        f.press(KeyCode::Enter);
        assert_eq!(f.h.app.doc, doc);
        assert!(f.h.app.form.folded.is_empty(), "Enter folded the card");
        f.press(KeyCode::Esc);
        assert!(!f.h.app.view.side_focus && f.h.app.view.side == Side::Send);
    }
    f.h.settle();
    let log = history::read_from(&f.h.app.session.history_path).unwrap();
    let statuses: Vec<_> = log.entries.iter().map(|e| e.status).collect();
    assert_eq!(statuses, [None, Some(500), Some(502), Some(429), Some(403)]);
    f.secret_nowhere();
}

#[cfg(unix)]
#[test]
fn a_password_command_runs_off_the_ui_thread_and_a_stale_answer_is_dropped() {
    use rcs_composer::store::config::Target;
    use rcs_composer::store::config::{Config, Env};
    use rcs_composer::tui::action::Message;
    let tmp = tempfile::tempdir().unwrap();
    let mut f = Fixture::new(tmp.path(), CAROUSEL);
    let sandbox = f.h.app.session.profiles.entries[0].shown.clone().unwrap();
    let base = sandbox.url.trim_end_matches("/v5/messages").to_string();
    // A profile whose secret comes from a command that waits (a password manager asking,
    // say): it reads the secret from a FIFO the test writes only when it chooses.
    let fifo = tmp.path().join("secret.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let text = format!(
        "[profiles.slow]\nbase_url = \"{base}\"\nusername = \"{}\"\npassword_command = \"cat '{}'\"\nsandbox = true\n",
        sandbox.user,
        fifo.display()
    );
    let path = tmp.path().join("config/config.toml");
    let config = Config::parse(&text, &path).unwrap();
    f.h.app.session.profiles = Profiles::from_config(
        Ok(Some(config)),
        path,
        &Target::default(),
        Env::default(),
        None,
    );
    assert_eq!(f.h.app.session.profiles.active().unwrap().name, "slow");
    f.press(KeyCode::F(5));
    // The keys still work while the command waits: it cannot end before the secret is
    // written, so these keys were handled while it ran.
    let focus = f.h.app.form.focus;
    f.press(KeyCode::Down);
    f.press(KeyCode::Down);
    assert_eq!(f.h.app.form.focus, focus + 2);
    assert!(f.h.app.session.send.in_flight().is_some());
    fs::write(&fifo, format!("{SECRET}\n")).unwrap();
    f.wait_answer();
    let guid = guid_of(&f.h);
    assert!(f.look().contains("200 OK"));
    // An answer carrying an old id changes nothing.
    let stale = match &f.h.app.session.send {
        SendState::Done { outcome, .. } => {
            let mut o = (**outcome).clone();
            o.status = Some(500);
            o
        }
        _ => unreachable!(),
    };
    let entries = f.h.app.session.history.entries.len();
    f.h.send(Message::SendFinished {
        id: 0,
        profile: Box::new(remote_profile("old", "http://127.0.0.1:9")),
        body: json!({}),
        outcome: Box::new(stale),
        warnings: Vec::new(),
    });
    assert_eq!(guid_of(&f.h), guid);
    assert_eq!(f.h.app.session.history.entries.len(), entries);
    f.h.settle();
    f.secret_nowhere();
}

#[cfg(unix)]
#[test]
fn cancelling_a_send_stops_its_password_command() {
    use rcs_composer::store::config::Target;
    use rcs_composer::store::config::{Config, Env};
    let tmp = tempfile::tempdir().unwrap();
    let mut f = Fixture::new(tmp.path(), CAROUSEL);
    let pid_file = tmp.path().join("pid");
    // A password command waiting for input that never comes (it gets none).
    let text = format!(
        "[profiles.stuck]\nbase_url = \"http://127.0.0.1:9\"\nusername = \"u\"\npassword_command = \"sleep 60 & echo $! > '{}'; wait\"\nsandbox = true\n",
        pid_file.display()
    );
    let path = tmp.path().join("config/config.toml");
    let config = Config::parse(&text, &path).unwrap();
    f.h.app.session.profiles = Profiles::from_config(
        Ok(Some(config)),
        path,
        &Target::default(),
        Env::default(),
        None,
    );
    f.press(KeyCode::F(5));
    assert!(f.h.app.session.send.in_flight().is_some());
    let t0 = std::time::Instant::now();
    while !pid_file.exists() || fs::read_to_string(&pid_file).unwrap().trim().is_empty() {
        assert!(t0.elapsed() < WAIT, "the password command did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = fs::read_to_string(&pid_file).unwrap().trim().to_string();
    f.press(KeyCode::Esc);
    assert!(f.h.app.session.send.in_flight().is_none());
    // Nothing was posted: the message says so and the history has no line for it.
    let screen = f.look();
    assert!(screen.contains("nothing was sent"), "{screen}");
    assert!(!screen.contains("may already have reached"), "{screen}");
    f.h.settle();
    assert!(f.h.app.session.history.entries.is_empty());
    let alive = || {
        fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
            s.rsplit_once(") ")
                .is_some_and(|(_, rest)| !rest.starts_with('Z'))
        })
    };
    let t0 = std::time::Instant::now();
    while alive() && t0.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!alive(), "the password command outlived the cancelled send");
}
