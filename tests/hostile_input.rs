//! Headless commands and the app's start on hostile input: a FIFO where a file should be,
//! escape codes in keys and file names, a history that is a pipe or locked elsewhere,
//! delivery updates for messages nobody here sent. Real files, the real binary.

use rcs_composer::tui::action::Message;
use rcs_composer::tui::harness::Harness;
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_rcs-composer");
const TEXT: &str = include_str!("../assets/examples/text.json");

fn mkfifo(p: &Path) {
    let st = Command::new("mkfifo").arg(p).status().unwrap();
    assert!(st.success());
}

/// Runs `cmd`, failing the test if it has not ended within 10 s (it would hang forever on
/// what it waits for).
fn run_bounded(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("still waiting after 10 s: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

/// Failed before: both waited forever for someone to write to the FIFO.
#[cfg(unix)]
#[test]
fn validate_and_send_refuse_a_named_fifo_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("body.json");
    mkfifo(&fifo);
    let mut v = Command::new(BIN);
    v.arg("validate").arg(&fifo);
    let out = run_bounded(v);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("it is a pipe (FIFO), not a regular file")
            && text.contains("standard input (`-`) or as <(command)"),
        "{text}"
    );
    let mut s = Command::new(BIN);
    s.arg("send")
        .arg(&fifo)
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("RCS_COMPOSER_BASE_URL", "http://127.0.0.1:9")
        .env("RCS_COMPOSER_USERNAME", "u")
        .env("RCS_COMPOSER_PASSWORD", "p");
    let out = run_bounded(s);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a regular file"), "{err}");
}

/// Standard input and process substitution are read (with the 64 MB cap).
#[cfg(unix)]
#[test]
fn validate_reads_standard_input_and_process_substitution() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.json");
    fs::write(&file, TEXT).unwrap();
    let out = Command::new(BIN)
        .args(["validate", "-"])
        .stdin(fs::File::open(&file).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    if Path::new("/bin/bash").exists() {
        let out = Command::new("/bin/bash")
            .arg("-c")
            .arg("\"$0\" validate <(cat \"$1\")")
            .arg(BIN)
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("1 valid"));
    }
    // Past the cap, from a pipe: refused in words.
    let out = Command::new("sh")
        .arg("-c")
        .arg("head -c 70000000 /dev/zero | \"$0\" validate -")
        .arg(BIN)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("larger than 64 MB"),
        "{out:?}"
    );
}

/// Failed before: a key `\u001b[2J` cleared the screen of whoever read the output, and a
/// file name could do the same.
#[cfg(unix)]
#[test]
fn validate_prints_escape_codes_in_keys_and_file_names_visibly() {
    let dir = tempfile::tempdir().unwrap();
    let name = dir.path().join("x\u{1b}[31mred.json");
    fs::write(
        &name,
        r#"{"messageType":"RCS_TEXT","source":"A","destination":"1","messageText":"hi","\u001b[2J\u001b]0;pwned\u0007":1,"\u009b31m":2}"#,
    )
    .unwrap();
    for format in ["human", "json"] {
        let out = Command::new(BIN)
            .args(["validate", "--format", format])
            .arg(&name)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains('\u{1b}'), "{format}: raw ESC in {text:?}");
        assert!(!text.contains('\u{9b}'), "{format}: raw CSI in {text:?}");
        assert!(!text.contains('\u{7}'), "{format}: raw BEL in {text:?}");
        if format == "human" {
            assert!(text.contains("␛[2J"), "{text}");
            assert!(text.contains("x␛[31mred.json"), "{text}");
        } else {
            // Still JSON, with the same keys.
            let v: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
            let fields: Vec<&str> = v["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|w| w["field"].as_str())
                .collect();
            assert!(
                fields.contains(&"\u{1b}[2J\u{1b}]0;pwned\u{7}"),
                "{fields:?}"
            );
        }
    }
}

/// Failed before: a FIFO in the history's place blocked the app's start (it was read on the
/// UI thread, whole). Now it is read by the writer thread, and refused in words.
#[cfg(unix)]
#[test]
fn a_history_that_is_a_fifo_does_not_hold_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("history.jsonl");
    mkfifo(&fifo);
    let draft = dir.path().join("d.json");
    fs::write(&draft, TEXT).unwrap();
    let doc: Value = serde_json::from_str(TEXT).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut h = Harness::new(draft, doc, true, 140, 30);
        h.app.session.history_path = fifo;
        h.start();
        let _ = tx.send(h.screen());
    });
    let screen = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the start waited on the history");
    assert!(
        screen.contains("a pipe (FIFO), not a regular file"),
        "{screen}"
    );
}

/// Failed before: every update for an id nobody here sent was kept (31,000 of them took
/// 31 MB).
#[test]
fn updates_for_messages_nobody_here_sent_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("d.json");
    fs::write(&draft, TEXT).unwrap();
    let doc: Value = serde_json::from_str(TEXT).unwrap();
    let mut h = Harness::new(draft, doc, true, 140, 30);
    for i in 0..3_000 {
        let u = rcs_composer::sandbox::DeliveryUpdate {
            message_guid: format!("stranger-{}", i % 300),
            destination: "15550000000".into(),
            status: "sent".into(),
            channel: "RCS".into(),
            timestamp: "2026-01-01T00:00:00Z".into(),
            error: None,
        };
        h.app.update(Message::Delivery(u));
    }
    for i in 0..500 {
        let u = rcs_composer::sandbox::DeliveryUpdate {
            message_guid: "one".into(),
            destination: "1".into(),
            status: format!("s{i}"),
            channel: "RCS".into(),
            timestamp: String::new(),
            error: None,
        };
        h.app.update(Message::Delivery(u));
    }
    let d = &h.app.session.deliveries;
    assert!(d.len() <= 50, "{} messages tracked", d.len());
    assert!(d.iter().all(|t| t.updates.len() <= 50));
    // The newest are kept.
    assert_eq!(d[0].guid, "one");
    assert_eq!(d[0].updates.last().unwrap().update.status, "s499");
}
