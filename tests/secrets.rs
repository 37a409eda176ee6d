//! A server that echoes the secret back, in every form JSON (and HTTP) can write it: the
//! secret reaches no output of `send` (human or JSON), no view of the composer (send pane,
//! problems, the answer's body) and no file (the history). And an ordinary word that
//! happens to be the secret is not blanked out of the server's sentences. Real loopback HTTP
//! (a small server in the test), the real binary, the real app and runtime.

use base64::Engine as _;
use ratatui::crossterm::event::KeyCode;
use rcs_composer::profile::{Profile, Secret};
use rcs_composer::tui::harness::Harness;
use rcs_composer::tui::send::Profiles;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::time::Duration;

const SECRET: &str = "S3cr3t-Echo/4711";
const USER: &str = "api-key";
const TEXT: &str = include_str!("../assets/examples/text.json");
const BIN: &str = env!("CARGO_BIN_EXE_rcs-composer");

fn u_escaped(s: &str, upper: bool) -> String {
    s.encode_utf16()
        .map(|u| {
            if upper {
                format!("\\u{u:04X}")
            } else {
                format!("\\u{u:04x}")
            }
        })
        .collect()
}

/// The secret as a server might write it inside a JSON string.
fn forms() -> Vec<(&'static str, String)> {
    let half = SECRET.len() / 2;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{SECRET}"));
    vec![
        ("as it is", SECRET.to_string()),
        ("\\u upper-case", u_escaped(SECRET, true)),
        ("\\u lower-case", u_escaped(SECRET, false)),
        ("\\/", SECRET.replace('/', "\\/")),
        (
            "half escaped",
            format!("{}{}", &SECRET[..half], u_escaped(&SECRET[half..], true)),
        ),
        ("Basic credentials", format!("Basic {basic}")),
        (
            "JSON inside JSON",
            // {"echo":"<\u-escaped>"} written as a JSON string.
            format!(
                "{{\\\"echo\\\":\\\"{}\\\"}}",
                u_escaped(SECRET, true).replace('\\', "\\\\")
            ),
        ),
        ("URL-encoded", SECRET.replace('/', "%2F")),
    ]
}

/// A 400 in the API's shape with `form` in its message and in an issue.
fn echo_body(form: &str) -> String {
    format!(
        r#"{{"status":"error","message":"bad credentials: {form}","data":[{{"field":"messageText","description":"Message Text","message":"you sent {form}"}}]}}"#
    )
}

/// True when `text` holds the secret in any form: as it is, in any JSON string it holds
/// (decoded, and JSON inside those decoded again), URL-encoded, or in Basic credentials.
fn leaks(text: &str) -> bool {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{SECRET}"));
    if text.contains(SECRET) || text.contains(&basic) || text.contains(&SECRET.replace('/', "%2F"))
    {
        return true;
    }
    fn walk(v: &Value) -> bool {
        match v {
            Value::String(s) => {
                leaks(s) || serde_json::from_str::<Value>(s).is_ok_and(|v| walk(&v))
            }
            Value::Array(a) => a.iter().any(walk),
            Value::Object(o) => o.iter().any(|(k, v)| leaks(k) || walk(v)),
            _ => false,
        }
    }
    serde_json::from_str::<Value>(text).is_ok_and(|v| walk(&v))
        || text
            .lines()
            .any(|l| serde_json::from_str::<Value>(l).is_ok_and(|v| walk(&v)))
}

/// A server answering every request with `status` and `body`.
fn server(status: &'static str, body: String) -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        for conn in l.incoming() {
            let Ok(mut c) = conn else { break };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            while let Ok(n) = c.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
                let t = String::from_utf8_lossy(&buf);
                if let Some(end) = t.find("\r\n\r\n") {
                    let len = t[..end]
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
            let resp = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\nx-echo: {SECRET}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = c.write_all(resp.as_bytes());
        }
    });
    url
}

fn profile(base_url: &str, secret: &str) -> Profile {
    Profile {
        name: "echo".into(),
        base_url: base_url.into(),
        username: USER.into(),
        password: Secret::new(secret),
        allow_insecure: false,
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(20),
        is_sandbox: false,
        ca_file: None,
        origin: Default::default(),
    }
}

/// `rcs-composer send` on `draft` to `url` with the secret from the environment; stdout.
fn cli_send(dir: &Path, draft: &Path, url: &str, secret: &str, json: bool) -> String {
    let mut cmd = std::process::Command::new(BIN);
    cmd.arg("send").arg(draft).arg("--base-url").arg(url);
    if json {
        cmd.args(["--format", "json"]);
    }
    let out = cmd
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("RCS_COMPOSER_USERNAME", USER)
        .env("RCS_COMPOSER_PASSWORD", secret)
        .output()
        .unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Failed before for every form but the first: the scrubber looked for the secret's bytes
/// only, and JSON escapes hid it from that.
#[test]
fn the_secret_echoed_in_any_form_reaches_no_output_view_or_file() {
    for (name, form) in forms() {
        let dir = tempfile::tempdir().unwrap();
        let url = server("400 Bad Request", echo_body(&form));
        let draft = dir.path().join("d.json");
        std::fs::write(&draft, TEXT).unwrap();

        // The client's outcome, everything in it.
        let rt = tokio::runtime::Runtime::new().unwrap();
        let doc: Value = serde_json::from_str(TEXT).unwrap();
        let outcome = rt.block_on(rcs_composer::client::send(&profile(&url, SECRET), &doc));
        let seen = format!("{outcome:?}\n{}", outcome.response_body);
        assert!(!leaks(&seen), "{name}: the outcome holds it:\n{seen}");
        assert!(
            outcome.response_body.contains("***"),
            "{name}: {}",
            outcome.response_body
        );

        // `send`, human and JSON, and the history it writes.
        for json in [false, true] {
            let out = cli_send(dir.path(), &draft, &url, SECRET, json);
            assert!(
                !leaks(&out),
                "{name}: send (json: {json}) printed it:\n{out}"
            );
            assert!(out.contains("***"), "{name}: {out}");
        }
        let history = dir.path().join("data/rcs-composer/history.jsonl");
        let lines = std::fs::read_to_string(&history).unwrap();
        assert_eq!(lines.lines().count(), 2);
        assert!(!leaks(&lines), "{name}: history.jsonl holds it:\n{lines}");

        // The composer: the send pane, the problems pane, the answer's body, scrolled through.
        let doc: Value = serde_json::from_str(TEXT).unwrap();
        let mut h = Harness::new(draft.clone(), doc, true, 160, 50);
        h.app.session.history_path = dir.path().join("app-history.jsonl");
        h.start_net(None);
        let mut profiles = Profiles::default();
        profiles.push_ready(profile(&url, SECRET), false);
        profiles.active = Some(0);
        h.app.session.profiles = profiles;
        h.press(KeyCode::F(5));
        if h.app.overlay.is_some() {
            // A real profile asks first.
            h.press(KeyCode::Char('y'));
        }
        assert!(
            h.wait_until(Duration::from_secs(15), |a| a
                .session
                .send
                .in_flight()
                .is_none()
                && !matches!(
                    a.session.send,
                    rcs_composer::tui::send::SendState::Idle
                )),
            "{name}: no answer"
        );
        let mut screens = h.screen();
        assert!(screens.contains("***"), "{name}: {screens}");
        for _ in 0..6 {
            h.press(KeyCode::PageDown);
            screens.push_str(&h.screen());
        }
        h.press(KeyCode::F(8));
        screens.push_str(&h.screen());
        assert!(!leaks(&screens), "{name}: a view shows it:\n{screens}");
        let app_history = std::fs::read_to_string(dir.path().join("app-history.jsonl")).unwrap();
        assert!(!leaks(&app_history), "{name}: the app's history holds it");
    }
}

/// Failed before: with a secret `wrong`, the server's sentence read "… secret is ***".
#[test]
fn an_ordinary_word_as_the_secret_is_not_blanked_out_of_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let body = r#"{"status":"error","message":"the API key or secret is wrong","data":[{"field":"messageText","description":"Message Text","message":"try again: wrong"}],"echo":"wrong"}"#;
    let url = server("400 Bad Request", body.to_string());
    let draft = dir.path().join("w.json");
    std::fs::write(&draft, TEXT).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let doc: Value = serde_json::from_str(TEXT).unwrap();
    let outcome = rt.block_on(rcs_composer::client::send(&profile(&url, "wrong"), &doc));
    let v: Value = serde_json::from_str(&outcome.response_body).unwrap();
    assert_eq!(v["message"], "the API key or secret is wrong");
    assert_eq!(
        v["echo"], "***",
        "a value that is the secret, whole, is hidden"
    );
    let out = cli_send(dir.path(), &draft, &url, "wrong", false);
    assert!(out.contains("the API key or secret is wrong"), "{out}");
    assert!(out.contains("try again: wrong"), "{out}");
}
