//! The composer's profiles and sends as a new user meets them: Ctrl-P reads config.toml
//! again, profiles that cannot send are marked before anything is asked, no two profiles
//! share a name, warnings only for the profile used, the copy keys, the seconds counted,
//! and an answer that is not the API's in the message line. Real `App` and runtime
//! (harness), real loopback HTTP.

use ratatui::crossterm::event::KeyCode;
use rcs_composer::profile::{Origin, Profile, Secret};
use rcs_composer::sandbox::SandboxConfig;
use rcs_composer::store::config::{Config, Env, Target};
use rcs_composer::tui::app::Overlay;
use rcs_composer::tui::harness::Harness;
use rcs_composer::tui::send::Profiles;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

const TEXT: &str = include_str!("../assets/examples/text.json");
const WAIT: Duration = Duration::from_secs(15);

struct Fixture {
    h: Harness,
    config: PathBuf,
    _dir: tempfile::TempDir,
}

/// A composer on the text example, its config file at `config` (written when not empty),
/// the profiles made from it as at start, with the built-in sandbox.
fn fixture(config: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("drafts");
    std::fs::create_dir_all(&drafts).unwrap();
    let draft = drafts.join("msg.json");
    std::fs::write(&draft, TEXT).unwrap();
    let doc: Value = serde_json::from_str(TEXT).unwrap();
    let mut h = Harness::new(draft, doc, true, 160, 50);
    h.app.session.history_path = dir.path().join("data/history.jsonl");
    let cfg = dir.path().join("config.toml");
    if !config.is_empty() {
        write_private(&cfg, config);
    }
    let mut sb = SandboxConfig::with_fresh_credentials();
    sb.delivery_step = Duration::from_millis(50);
    let started = h.start_net(Some(sb));
    h.app.session.config_path = cfg.clone();
    h.app.session.profiles = Profiles::from_config(
        Config::load_from(&cfg),
        cfg.clone(),
        &Target::default(),
        Env::default(),
        started.sandbox,
    );
    h.draw();
    Fixture {
        h,
        config: cfg,
        _dir: dir,
    }
}

fn write_private(p: &Path, text: &str) {
    std::fs::write(p, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

fn names(h: &Harness) -> Vec<String> {
    h.app
        .session
        .profiles
        .entries
        .iter()
        .map(|e| e.name.clone())
        .collect()
}

fn status(h: &Harness) -> String {
    h.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn ctrl_p_reads_config_toml_again() {
    let mut f = fixture("[profiles.prod\nbase_url = 1\n");
    assert!(f.h.app.session.profiles.error.is_some());
    write_private(
        &f.config,
        "[profiles.prod]\nbase_url = \"https://api.example.com\"\nusername = \"k\"\npassword_env = \"X\"\n",
    );
    f.h.ctrl('p');
    assert!(f.h.app.session.profiles.error.is_none());
    assert_eq!(names(&f.h), ["prod", "sandbox"]);
    assert!(f.h.screen().contains("https://api.example.com/v5/messages"));
    // The active profile (the built-in sandbox) stays active.
    assert!(f.h.app.session.profiles.active().unwrap().built_in);
}

#[test]
fn profiles_that_cannot_send_are_marked_and_f5_says_so_before_asking() {
    let mut f = fixture(
        "default_profile = \"clear\"\n[profiles.clear]\nbase_url = \"http://example.invalid\"\nusername = \"k\"\npassword_env = \"X\"\n\n[profiles.fake]\nbase_url = \"https://api.example.com\"\nusername = \"k\"\npassword_env = \"X\"\nsandbox = true\n",
    );
    let p = &f.h.app.session.profiles;
    let clear = p.entries.iter().find(|e| e.name == "clear").unwrap();
    let why = clear.shown.as_ref().unwrap_err();
    assert!(
        why.contains("allow_insecure") && why.contains("--allow-insecure"),
        "{why}"
    );
    let fake = p.entries.iter().find(|e| e.name == "fake").unwrap();
    assert!(!fake.is_sandbox);
    assert!(fake.shown.as_ref().unwrap_err().contains("sandbox"));
    f.h.ctrl('p');
    let screen = f.h.screen();
    assert!(
        screen.contains("clear") && screen.contains("cannot send"),
        "{screen}"
    );
    f.h.press(KeyCode::Esc);
    assert_eq!(f.h.app.session.profiles.active().unwrap().name, "clear");
    f.h.press(KeyCode::F(5));
    assert!(!matches!(f.h.app.overlay, Some(Overlay::Confirm(_))));
    assert!(status(&f.h).contains("cannot send"), "{}", status(&f.h));
    assert!(!f.h.screen().contains("nothing is delivered — fake"));
}

#[test]
fn no_two_profiles_share_a_name_and_warnings_are_for_the_profile_used() {
    let f = fixture(
        "default_profile = \"sandbox\"\n[profiles.sandbox]\nbase_url = \"http://127.0.0.1:9\"\nusername = \"k\"\npassword_env = \"X\"\nsandbox = true\n\n[profiles.plain]\nbase_url = \"https://api.example.com\"\nusername = \"k\"\npassword = \"pw\"\n",
    );
    // Readable by others: a warning, but only for `plain`, and only when it is used.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&f.config, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let mut f = f;
    f.h.ctrl('p');
    assert_eq!(names(&f.h), ["plain", "sandbox", "built-in sandbox"]);
    assert!(f.h.app.session.profiles.active_warnings().is_empty());
    let plain =
        f.h.app
            .session
            .profiles
            .entries
            .iter()
            .position(|e| e.name == "plain");
    assert_eq!(plain, Some(0));
    f.h.press(KeyCode::Up);
    f.h.press(KeyCode::Enter);
    assert_eq!(f.h.app.session.profiles.active().unwrap().name, "plain");
    assert!(status(&f.h).contains("chmod 600"), "{}", status(&f.h));
}

#[test]
fn copy_keys_put_the_curl_command_and_the_body_in_the_send_pane() {
    let mut f = fixture("");
    f.h.ctrl('t');
    let copied = f.h.app.session.copied.clone().unwrap();
    assert!(copied.text.starts_with("curl "), "{}", copied.text);
    assert!(
        copied.text.contains("$RCS_COMPOSER_PASSWORD"),
        "{}",
        copied.text
    );
    let sandbox = f.h.app.session.profiles.active().unwrap();
    let Some(Ok(endpoint)) = Some(sandbox.shown.clone()) else {
        panic!()
    };
    assert!(copied.text.contains(&endpoint.url));
    let screen = f.h.screen();
    assert!(screen.contains("Copied: the curl command"), "{screen}");
    assert!(status(&f.h).contains("send pane"), "{}", status(&f.h));
    f.h.ctrl('b');
    let body: Value = serde_json::from_str(&f.h.app.session.copied.clone().unwrap().text).unwrap();
    assert_eq!(body["messageText"], "Hello from RCS!");
    // The sandbox's request carries the listener's callback, as F5 would send it.
    assert_eq!(
        body["callbackURL"].as_str(),
        f.h.app.session.callback_url.as_deref()
    );
}

/// A server that reads each request and answers `answer`, or never answers when `None`.
fn server(answer: Option<Vec<u8>>) -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        for c in l.incoming() {
            let Ok(mut c) = c else { continue };
            let answer = answer.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 65536];
                let _ = c.read(&mut buf);
                match answer {
                    Some(a) => {
                        let _ = c.write_all(&a);
                    }
                    None => while matches!(c.read(&mut buf), Ok(n) if n > 0) {},
                }
            });
        }
    });
    url
}

fn test_profile(url: &str) -> Profile {
    Profile {
        name: "x".into(),
        base_url: url.into(),
        username: "k".into(),
        password: Secret::new("secret-value"),
        allow_insecure: false,
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(30),
        is_sandbox: true,
        ca_file: None,
        origin: Origin::default(),
    }
}

#[test]
fn the_message_line_counts_the_seconds_of_a_send_in_flight() {
    let mut f = fixture("");
    f.h.app.session.profiles = Profiles::single(test_profile(&server(None)));
    f.h.press(KeyCode::F(5));
    assert!(status(&f.h).starts_with("Sending…"), "{}", status(&f.h));
    let counted = f.h.wait_until(WAIT, |a| {
        a.status.as_ref().is_some_and(|s| s.text.contains(" 1 s."))
    });
    assert!(counted, "{}", status(&f.h));
    assert!(f.h.screen().contains("Sending… 1 s"), "{}", f.h.screen());
    f.h.press(KeyCode::Esc);
    assert!(f.h.app.session.send.in_flight().is_none());
}

#[test]
fn a_502_page_shows_how_its_body_begins_in_the_message_line() {
    let mut f = fixture("");
    let page = b"<html><body>Bad gateway from the proxy</body></html>";
    let answer = [
        format!(
            "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            page.len()
        )
        .into_bytes(),
        page.to_vec(),
    ]
    .concat();
    f.h.app.session.profiles = Profiles::single(test_profile(&server(Some(answer))));
    f.h.press(KeyCode::F(5));
    assert!(f.h.wait_until(WAIT, |a| a.session.send.in_flight().is_none()));
    let st = status(&f.h);
    assert!(
        st.contains("502") && st.contains("It begins: <html><body>Bad gateway"),
        "{st}"
    );
}

#[test]
fn the_history_shows_latency_like_the_send_pane_and_cuts_names_from_the_left() {
    let mut f = fixture("");
    let long = "a-very-long-draft-name-that-will-not-fit-in-the-column.json";
    f.h.app.path = f.h.app.path.with_file_name(long);
    f.h.press(KeyCode::F(5));
    assert!(f.h.wait_until(WAIT, |a| a.session.send.in_flight().is_none()));
    f.h.ctrl('r');
    let list = f.h.screen();
    assert!(list.contains("…-in-the-column.json"), "{list}");
    f.h.press(KeyCode::Enter);
    let detail = f.h.screen();
    let latency = detail
        .lines()
        .find_map(|l| l.split("latency").nth(1))
        .unwrap()
        .trim()
        .to_string();
    assert!(
        latency.contains('.') || latency.ends_with(" ms") && !latency.starts_with("0 "),
        "{latency}"
    );
    let e = &f.h.app.session.history.entries[0];
    assert!(
        e.latency_ms.fract() != 0.0 || e.latency_ms >= 10.0,
        "{}",
        e.latency_ms
    );
}
