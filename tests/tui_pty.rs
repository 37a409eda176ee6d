//! The real binary in a pseudo-terminal: keys go in as bytes, the screen is read back with
//! a vt100 parser, and the escape sequences and `stty` show the terminal was restored.

mod pty_session;

use pty_session::*;
use std::fs;
use std::time::{Duration, Instant};

#[test]
fn type_see_a_problem_come_and_go_save_quit_and_the_terminal_is_restored() {
    let dir = tempfile::tempdir().unwrap();
    let original = include_str!("../assets/examples/text.json");
    let file = dir.path().join("d.json");
    fs::write(&file, original).unwrap();
    // After the composer exits, stty reports the terminal's modes in the same pty.
    let cmd = in_shell(dir.path(), &file);
    let mut s = Session::start(cmd, 24, 80);
    s.wait_screen("Message Type");
    s.wait_screen("No problems");
    s.send(DOWN); // Source
    for _ in 0.."CONVEY".len() {
        s.send(BACKSPACE);
    }
    s.wait_screen("Problems: 1 error");
    assert!(s.screen().contains("source  "), "{}", s.screen());
    s.send(b"ACME");
    s.wait_screen("No problems");
    s.send(CTRL_S);
    s.wait_screen("Saved to");
    s.wait_screen("saved");
    s.send(CTRL_Q);
    s.wait_for("the shell to finish", |s| s.raw().contains("ALLDONE"));
    let _ = s.child.wait();
    let raw = s.raw();
    assert!(raw.contains("EXIT=0"), "{raw}");
    // the alternate screen was entered, then left; mouse reporting turned off
    let enter = raw
        .find("\x1b[?1049h")
        .expect("entered the alternate screen");
    let leave = raw.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(enter < leave);
    assert!(raw[leave - 40.min(leave)..].contains("\x1b[?1000l") || raw.contains("\x1b[?1000l"));
    // raw mode is off: canonical mode and echo are back
    let stty = &raw[raw.rfind("EXIT=0").unwrap()..];
    assert!(stty.contains(" icanon"), "{stty}");
    assert!(!stty.contains("-icanon"), "{stty}");
    assert!(stty.contains(" echo "), "{stty}");
    // the file is the example with the new source, in the one stable format
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        original.replace("\"CONVEY\"", "\"ACME\"")
    );
}

#[test]
fn first_start_opens_a_new_text_draft_and_autosaves_it_in_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::start(command(dir.path(), BIN), 24, 80);
    s.wait_screen("RCS_TEXT");
    s.wait_screen("new, not saved");
    let drafts = dir.path().join("data/rcs-composer/drafts");
    assert!(!drafts.exists() || fs::read_dir(&drafts).unwrap().count() == 0);
    s.send(DOWN);
    s.send(b"ACME");
    // autosave within a second, without any key
    s.wait_for("the autosave", |_| {
        fs::read_dir(&drafts)
            .map(|d| d.count() == 1)
            .unwrap_or(false)
    });
    s.wait_screen("saved");
    s.send(CTRL_Q);
    let _ = s.child.wait();
    let f = fs::read_dir(&drafts)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let doc: serde_json::Value = serde_json::from_str(&fs::read_to_string(&f).unwrap()).unwrap();
    assert_eq!(doc["source"], "ACME");
    // the next start opens the most recent draft
    let mut s = Session::start(command(dir.path(), BIN), 24, 80);
    s.wait_screen(&f.file_name().unwrap().to_string_lossy());
    s.wait_screen("ACME");
    s.send(CTRL_Q);
    let _ = s.child.wait();
}

#[test]
fn killed_during_autosave_the_draft_is_whole() {
    let dir = tempfile::tempdir().unwrap();
    let original = include_str!("../assets/examples/carousel.json");
    let file = dir.path().join("k.json");
    fs::write(&file, original).unwrap();
    let mut seen_new = false;
    for round in 0..8u64 {
        let mut s = Session::start(
            {
                let mut c = command(dir.path(), BIN);
                c.arg(&file);
                c
            },
            30,
            100,
        );
        s.wait_screen("Message Type");
        s.send(DOWN); // source: keep appending to it
        s.send(b"\x1b[F"); // End
        let before = fs::read_to_string(&file).unwrap();
        // Type steadily through several autosaves, then kill at a different moment each round.
        let kill_after = Duration::from_millis(450 + round * 137 % 700);
        let start = Instant::now();
        while start.elapsed() < kill_after {
            s.send(b"x");
            std::thread::sleep(Duration::from_millis(7));
        }
        let pid = s.child.process_id().unwrap();
        let st = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .unwrap();
        assert!(st.success());
        let _ = s.child.wait();
        let after = fs::read_to_string(&file).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&after)
            .unwrap_or_else(|e| panic!("round {round}: broken draft ({e}):\n{after}"));
        // whole: either the previous content, or a newer save in the stable format
        assert!(after.ends_with("}\n"), "round {round}");
        assert_eq!(after, rcs_composer::store::to_draft_json(&doc));
        if after != before {
            seen_new = true;
            let src = doc["source"].as_str().unwrap();
            assert!(src.starts_with("CONVEY") && src[6..].chars().all(|c| c == 'x'));
        }
        // no other file was left looking like a draft
        let drafts: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json") && !n.starts_with('.'))
            .collect();
        assert_eq!(drafts, ["k.json"]);
    }
    assert!(seen_new, "no autosave landed before a kill in 8 rounds");
}

#[test]
fn a_panic_restores_the_terminal_and_saves_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    let original = include_str!("../assets/examples/text.json");
    let file = dir.path().join("p.json");
    fs::write(&file, original).unwrap();
    let mut cmd = in_shell(dir.path(), &file);
    cmd.env("RCS_COMPOSER_DEBUG_PANIC", "1");
    // The panic's message, not a backtrace that would scroll it off the screen.
    cmd.env("RUST_BACKTRACE", "0");
    let mut s = Session::start(cmd, 24, 80);
    s.wait_screen("Message Type");
    s.send(DOWN);
    s.send(b"Z");
    s.wait_screen("unsaved");
    s.send(b"\x1b[24~"); // F12: panic (debug builds, with the variable set)
    s.wait_for("the shell to finish", |s| s.raw().contains("ALLDONE"));
    let _ = s.child.wait();
    let raw = s.raw();
    assert_restored(&raw, "EXIT=101");
    assert!(raw.contains("the draft was saved to"), "{raw}");
    // Both are on the screen, one after the other: neither was written over the other.
    let screen = s.screen();
    let panicked = screen.find("panic requested with F12").expect(&screen);
    let saved = screen.find("the draft was saved to").expect(&screen);
    assert!(panicked < saved, "{screen}");
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        original.replace("\"CONVEY\"", "\"CONVEYZ\"")
    );
}

#[test]
fn a_file_that_is_not_json_is_refused_with_line_and_column_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    fs::write(&file, "{\n  \"messageType\": \"RCS_TEXT\",\n  oops\n}\n").unwrap();
    let out = std::process::Command::new(BIN)
        .arg(&file)
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json: line 3, column 3"), "{err}");
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        "{\n  \"messageType\": \"RCS_TEXT\",\n  oops\n}\n"
    );
}

/// Context switches of one thread (`tid`) of `pid`, voluntary and not.
#[cfg(target_os = "linux")]
fn switches(pid: u32, tid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/task/{tid}/status")).unwrap_or_default();
    status
        .lines()
        .filter(|l| l.contains("ctxt_switches:"))
        .filter_map(|l| l.split_whitespace().last()?.parse::<u64>().ok())
        .sum()
}

/// Whether thread `tid` of `pid` is blocked with no timeout: in `futex` wait with a null
/// timeout, in `epoll_wait` with -1, or in `ppoll` with a null timeout (the terminal's
/// hang-up watcher). Such a thread wakes only for an event (a key, a message in its
/// channel, the terminal closing), never on its own: the state proves there is no polling,
/// where counting wake-ups would need a stretch of time.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn blocked_for_good(pid: u32, tid: u32) -> Result<(), String> {
    const FUTEX: &str = "202";
    const EPOLL_WAIT: &str = "232";
    const PPOLL: &str = "271";
    let line = fs::read_to_string(format!("/proc/{pid}/task/{tid}/syscall"))
        .map_err(|e| format!("/proc/{pid}/task/{tid}/syscall: {e}"))?;
    let f: Vec<&str> = line.split_whitespace().collect();
    let ok = match f.first().copied() {
        Some(FUTEX) => f.get(4) == Some(&"0x0"),
        Some(EPOLL_WAIT) => f.get(4) == Some(&"0xffffffff"),
        Some(PPOLL) => f.get(3) == Some(&"0x0"),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("thread {tid}: {line}"))
    }
}

/// Waits (up to 20 s) until every thread of `pid` for which `which` holds is blocked for
/// good, and panics with what they were doing otherwise.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn wait_until_blocked(pid: u32, which: impl Fn(u32) -> bool) {
    let start = Instant::now();
    let mut last = String::new();
    while start.elapsed() < Duration::from_secs(20) {
        let tids: Vec<u32> = fs::read_dir(format!("/proc/{pid}/task"))
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .filter(|t| which(*t))
            .collect();
        let waits: Vec<String> = tids
            .iter()
            .filter_map(|t| blocked_for_good(pid, *t).err())
            .collect();
        if waits.is_empty() {
            return;
        }
        last = waits.join("; ");
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("a thread keeps a timed wait (polling): {last}");
}

/// The composer on a copy of the carousel example, `name` in `dir`, in a 24x80 terminal,
/// its form on screen.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn on_the_carousel(dir: &std::path::Path, name: &str) -> Session {
    let file = dir.join(name);
    fs::write(&file, include_str!("../assets/examples/carousel.json")).unwrap();
    let mut cmd = command(dir, BIN);
    cmd.arg(&file);
    let s = Session::start(cmd, 24, 80);
    s.wait_screen("Message Type");
    s
}

/// Idle means every thread waits for an event with no timeout: no tick, no poll, no redraw.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[test]
fn idle_means_no_redraw_and_no_wakeups() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = on_the_carousel(dir.path(), "i.json");
    s.send(DOWN);
    s.send(b"x");
    s.wait_screen("unsaved");
    // the autosave lands, then nothing is left to do
    s.wait_screen(" saved");
    let pid = s.child.process_id().unwrap();
    wait_until_blocked(pid, |_| true);
    let drawn = s.raw.lock().unwrap().len();
    // Still blocked after reading every thread: nothing happened in between.
    wait_until_blocked(pid, |_| true);
    assert_eq!(s.raw.lock().unwrap().len(), drawn, "it drew while idle");
    s.send(CTRL_Q);
    let _ = s.child.wait();
}

/// Failed before: every report of the mouse moving (the terminal reports all motion, for
/// the clicks and the wheel) drew a frame, about 0.4 ms of CPU each, many times a second
/// while the pointer crossed the window. Moving it now draws nothing, and a click still
/// does what it did.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[test]
fn the_mouse_moving_draws_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = on_the_carousel(dir.path(), "m.json");
    let pid = s.child.process_id().unwrap();
    wait_until_blocked(pid, |_| true);
    let drawn = s.raw.lock().unwrap().len();
    for i in 0..60u16 {
        // SGR reports: motion with no button (35), then with the left button held (32).
        let code = if i % 2 == 0 { 35 } else { 32 };
        s.send(format!("\x1b[<{code};{};{}M", 5 + i, 3 + i % 15).as_bytes());
    }
    // The reports reach the app (the terminal hands input on in a while), then it waits.
    std::thread::sleep(Duration::from_millis(300));
    wait_until_blocked(pid, |_| true);
    let raw = s.raw.lock().unwrap().clone();
    assert_eq!(
        raw.len(),
        drawn,
        "the mouse moving drew: {:?}",
        String::from_utf8_lossy(&raw[drawn.min(raw.len())..])
    );
    // A click on the Source row (the form's third row) still moves the focus there.
    s.send(b"\x1b[<0;10;4M\x1b[<0;10;4m");
    s.wait_for("the click to move the focus", |s| {
        s.raw.lock().unwrap().len() > drawn
    });
    s.send(CTRL_Q);
    let _ = s.child.wait();
}

#[test]
fn done_when_in_the_real_binary() {
    let dir = tempfile::tempdir().unwrap();
    let original = include_str!("../assets/examples/carousel.json");
    let file = dir.path().join("carousel.json");
    fs::write(&file, original).unwrap();
    let mut cmd = command(dir.path(), BIN);
    cmd.arg(&file);
    // The example's media is on example.com, not reachable from here.
    cmd.arg("--no-media-check");
    let mut s = Session::start(cmd, 30, 100);
    s.wait_screen("Message Type");
    // messageType, source, destination, Cards, Card 1, its 6 fields, Choices, Choice 1,
    // type, title, postbackData: the 17th row is the url.
    for _ in 0..16 {
        s.send(DOWN);
    }
    let url = "https://example.com/details";
    for _ in 0..url.len() {
        s.send(BACKSPACE);
    }
    s.wait_screen("cards.0.choices.0.url  When choice type is OPEN_URL, 'url' is required");
    // the autosave writes the draft without its url
    s.wait_for("the autosave", |_| {
        fs::read_to_string(&file).unwrap().contains("\"url\": \"\"")
    });
    s.send(b"\x1b[H"); // Home: the cursor to the start; then leave the field
    s.send(b"\x1b[A\x1b[A\x1b[A");
    s.send(b"\x1b[19~"); // F8
    s.send(url.as_bytes());
    s.wait_screen("No problems");
    s.send(CTRL_S);
    s.wait_screen("Saved to");
    s.send(CTRL_Q);
    let _ = s.child.wait();
    assert_eq!(fs::read_to_string(&file).unwrap(), original);
}

#[test]
fn no_color_keeps_the_markers_and_drops_the_colours() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("n.json");
    fs::write(&file, include_str!("../assets/examples/text.json")).unwrap();
    let mut cmd = command(dir.path(), BIN);
    cmd.arg(&file);
    cmd.env("NO_COLOR", "1");
    let mut s = Session::start(cmd, 24, 80);
    s.wait_screen("Message Type");
    s.send(DOWN);
    for _ in 0..6 {
        s.send(BACKSPACE);
    }
    s.wait_screen("✗ Source");
    s.send(CTRL_Q);
    let _ = s.child.wait();
    let raw = s.raw();
    // no foreground colour was ever set (SGR 30-37, 90-97, or 38;…)
    for code in ["\x1b[31m", "\x1b[33m", "\x1b[38;5;", "\x1b[32m", "\x1b[36m"] {
        assert!(!raw.contains(code), "colour {code:?} sent with NO_COLOR");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn first_run_sends_to_the_built_in_sandbox_and_shows_the_guid() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.json");
    let original = include_str!("../assets/examples/carousel.json");
    fs::write(&file, original).unwrap();
    // No config file in the fresh XDG dirs: the app starts its own sandbox.
    let cmd = in_shell(dir.path(), &file);
    let mut s = Session::start(cmd, 40, 140);
    s.wait_screen("sandbox — nothing is delivered");
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    let sent_at = {
        let app = child_of(s.child.process_id().unwrap());
        app.map(|a| (a, switches(a, a)))
    };
    s.send(b"\x1b[15~"); // F5
    s.wait_screen("200 OK");
    let history = dir.path().join("data/rcs-composer/history.jsonl");
    s.wait_for("the history line", |_| history.exists());
    let line = fs::read_to_string(&history).unwrap();
    let entry: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    let guid = entry["message_guids"][0].as_str().unwrap().to_string();
    s.wait_screen(&guid);
    // The delivery updates arrive (one a second), then the app is idle again. The UI
    // thread wakes for each message (the answer, the updates, the sandbox's log lines),
    // not on a timer: the count from F5 to the last update is bounded by them, and it
    // ends blocked with no timeout.
    s.send(b"\x1b[18~"); // F7
    s.wait_screen("queued → sent → delivered");
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    {
        let (app, before) = sent_at.expect("the composer's pid");
        let woke = switches(app, app) - before;
        assert!(woke <= 40, "the UI thread woke {woke} times in the send");
        wait_until_blocked(app, |t| t == app);
    }
    s.send(CTRL_Q);
    s.wait_for("the shell to finish", |s| s.raw().contains("ALLDONE"));
    let _ = s.child.wait();
    let raw = s.raw();
    assert_restored(&raw, "EXIT=0");
    // the draft was not changed by the send (no callbackURL), and nothing was printed
    assert_eq!(fs::read_to_string(&file).unwrap(), original);
    let after_leave = &raw[raw.rfind("\x1b[?1049l").unwrap()..raw.rfind("EXIT=0").unwrap()];
    assert!(
        after_leave.trim().len() < 40,
        "printed on exit: {after_leave:?}"
    );
}

#[test]
fn a_broken_config_is_shown_in_the_app_and_the_sandbox_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("config/rcs-composer");
    fs::create_dir_all(&conf).unwrap();
    fs::write(conf.join("config.toml"), "[profiles.prod\nbase_url = 3\n").unwrap();
    let file = dir.path().join("t.json");
    fs::write(&file, include_str!("../assets/examples/text.json")).unwrap();
    let mut cmd = command(dir.path(), BIN);
    cmd.arg(&file);
    let mut s = Session::start(cmd, 30, 140);
    s.wait_screen("Config:");
    s.wait_screen("config.toml:1");
    s.wait_screen("sandbox — nothing is delivered");
    s.send(b"\x10"); // Ctrl-P: the error is at the top of the profiles
    s.wait_screen("Profiles (Enter uses one)");
    s.send(b"\x1b");
    s.send(CTRL_Q);
    let status = s.child.wait().unwrap();
    assert!(status.success());
}

#[test]
fn a_draft_that_cannot_be_saved_is_named_in_the_app_and_rescued_on_quit() {
    // A file stands where the draft's folder should be: every save fails.
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("blocker");
    fs::write(&blocker, "not a folder").unwrap();
    let file = blocker.join("d.json");
    let mut cmd = command(dir.path(), "sh");
    cmd.arg("-c");
    cmd.arg("\"$0\" \"$1\"; echo \"EXIT=$?\"; echo ALLDONE");
    cmd.arg(BIN);
    cmd.arg(&file);
    let mut s = Session::start(cmd, 30, 120);
    s.wait_screen("Message Type");
    s.send(b"\t\t\tHello rescue");
    s.send(CTRL_S);
    s.wait_screen("is a file, not a folder");
    s.send(CTRL_Q);
    s.wait_for("the shell to finish", |s| s.raw().contains("ALLDONE"));
    let _ = s.child.wait();
    let raw = s.raw();
    assert!(raw.contains("EXIT=1"), "{raw}");
    let copy = dir.path().join("data/rcs-composer/drafts/d-rescued.json");
    assert!(
        raw.contains(&format!("the draft was saved to {}", copy.display())),
        "{raw}"
    );
    let saved: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&copy).unwrap()).unwrap();
    assert_eq!(saved["messageText"], "Hello rescue");
}

#[test]
fn sigterm_saves_the_last_keystrokes_and_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let original = include_str!("../assets/examples/text.json");
    let file = dir.path().join("t.json");
    fs::write(&file, original).unwrap();
    // The inner shell prints its pid and becomes the composer (exec), so the test can
    // signal it; the outer one reports the exit status and the terminal's modes.
    let mut cmd = command(dir.path(), "sh");
    cmd.arg("-c");
    cmd.arg(
        "sh -c 'echo PID=$$; exec \"$0\" \"$1\"' \"$0\" \"$1\"; echo \"EXIT=$?\"; stty -a; echo ALLDONE",
    );
    cmd.arg(BIN);
    cmd.arg(&file);
    let mut s = Session::start(cmd, 24, 80);
    s.wait_screen("Message Type");
    let raw = s.raw();
    let pid: String = raw[raw.find("PID=").unwrap() + 4..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    s.send(DOWN);
    s.send(b"Q");
    s.wait_screen("unsaved");
    // Within the autosave delay: only the signal's own save can keep the "Q".
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    s.wait_for("the shell to finish", |s| s.raw().contains("ALLDONE"));
    let _ = s.child.wait();
    let raw = s.raw();
    assert_restored(&raw, "EXIT=143");
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        original.replace("\"CONVEY\"", "\"CONVEYQ\"")
    );
}

#[test]
fn without_a_terminal_the_composer_says_so_and_writes_no_escape_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(BIN)
        .arg(dir.path().join("d.json"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "{:?}", out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(err.contains("rcs-composer validate"), "{err}");
}

#[test]
fn a_panic_on_a_worker_thread_leaves_the_app_running_in_its_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let original = include_str!("../assets/examples/text.json");
    let file = dir.path().join("w.json");
    fs::write(&file, original).unwrap();
    let mut cmd = command(dir.path(), "sh");
    cmd.arg("-c");
    cmd.arg("\"$0\" \"$1\" 2>/dev/null; echo \"EXIT=$?\"; echo ALLDONE");
    cmd.arg(BIN);
    cmd.arg(&file);
    cmd.env("RCS_COMPOSER_DEBUG_PANIC", "1");
    // The panic's message, not a backtrace that would scroll it off the screen.
    cmd.env("RUST_BACKTRACE", "0");
    let mut s = Session::start(cmd, 24, 80);
    s.wait_screen("Message Type");
    s.send(b"\x1b[23~"); // F11: a worker thread panics (debug builds, with the variable set)
    // The keys after it are handled after it: once they show, the panic has happened.
    s.send(DOWN);
    s.send(b"W");
    s.wait_screen("unsaved");
    // Still in the alternate screen, in raw mode: the key edited the field at once.
    assert!(
        !s.raw().contains("\x1b[?1049l"),
        "the terminal was restored under the app"
    );
    s.send(CTRL_Q);
    s.wait_for("the shell to finish", |s| s.raw().contains("ALLDONE"));
    let _ = s.child.wait();
    assert!(s.raw().contains("EXIT=0"), "{}", s.raw());
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        original.replace("\"CONVEY\"", "\"CONVEYW\"")
    );
}

/// The composer's own job, done as a new user would, in the real binary: from no file at
/// all, with keys alone (F1 and the footer name every one used), a 3-card carousel with two
/// choices a card and one of every choice type, saved. The keys that are not typed text
/// (letters that pick from a list count as keys) stay within a budget of 45.
#[test]
fn a_carousel_built_from_nothing_with_keys_alone() {
    const F8: &[u8] = b"\x1b[19~";
    const LEFT: &[u8] = b"\x1b[D";
    const ALT_C: &[u8] = b"\x1bc";
    const ALT_N: &[u8] = b"\x1bn";
    const ENTER: &[u8] = b"\r";
    enum Step {
        Key(&'static [u8]),
        Text(&'static str),
    }
    use Step::{Key as K, Text as T};
    let choice = |letter: &'static [u8]| [K(ALT_C), K(letter), K(ENTER)];
    let mut steps = vec![
        K(LEFT), // RCS_TEXT → RCS_CAROUSEL
        K(F8),
        T("ACME"),
        K(F8),
        T("15559876543"),
        K(F8), // the carousel-of-one warning
        K(F8),
        T("Card one"),
        K(F8),
        T("The first card"),
        K(F8),
        T("https://example.com/1.png"),
        K(ALT_C),
        K(ENTER), // REPLY
        T("Yes"),
        K(F8),
        T("yes"),
    ];
    steps.extend(choice(b"o"));
    steps.extend([
        T("Open"),
        K(F8),
        T("open"),
        K(F8),
        T("https://example.com/shop"),
        K(ALT_N),
        T("Card two"),
        K(F8),
        T("The second card"),
        K(F8),
        T("https://example.com/2.png"),
    ]);
    steps.extend(choice(b"d"));
    steps.extend([T("Call"), K(F8), T("call"), K(F8), T("+15551234567")]);
    steps.extend(choice(b"s"));
    steps.extend([
        T("Map"),
        K(F8),
        T("map"),
        K(F8),
        T("37.4"),
        K(F8),
        T("-122.1"),
        K(ALT_N),
        T("Card three"),
        K(F8),
        T("The third card"),
        K(F8),
        T("https://example.com/3.png"),
    ]);
    steps.extend(choice(b"r"));
    steps.extend([T("Where"), K(F8), T("where")]);
    steps.extend(choice(b"c"));
    steps.extend([
        T("Meet"),
        K(F8),
        T("meet"),
        K(F8),
        T("2030-03-03T15:00:00Z"),
        K(F8),
        T("2030-03-03T16:00:00Z"),
        K(F8),
        T("Meeting"),
        K(CTRL_S),
    ]);
    let keys = steps.iter().filter(|s| matches!(s, K(_))).count();
    assert!(keys <= 45, "{keys} keys that are not text");

    let dir = tempfile::tempdir().unwrap();
    // No file, no config: the app opens a new RCS_TEXT draft in the data dir.
    let mut cmd = command(dir.path(), BIN);
    // example.com is not reachable from here: the media check's findings (tui_media.rs)
    // would be problems F8 stops at.
    cmd.arg("--no-media-check");
    let mut s = Session::start(cmd, 40, 120);
    s.wait_screen("Message Type");
    for step in &steps {
        match step {
            K(bytes) => s.send(bytes),
            T(text) => s.send(text.as_bytes()),
        }
    }
    s.wait_screen("No problems: this message can be sent.");
    s.wait_screen(" saved ");
    s.send(CTRL_Q);
    let _ = s.child.wait();
    let drafts = dir.path().join("data/rcs-composer/drafts");
    let file = fs::read_dir(&drafts)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .expect("the draft was saved");
    let saved: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    let card = |n: &str, what: &str, img: &str, choices: serde_json::Value| {
        serde_json::json!({"title": n, "description": what, "height": "MEDIUM",
                           "mediaUrl": format!("https://example.com/{img}"), "choices": choices})
    };
    let expected = serde_json::json!({
        "messageType": "RCS_CAROUSEL", "source": "ACME", "destination": "15559876543",
        "cards": [
            card("Card one", "The first card", "1.png", serde_json::json!([
                {"type": "REPLY", "title": "Yes", "postbackData": "yes"},
                {"type": "OPEN_URL", "title": "Open", "postbackData": "open",
                 "url": "https://example.com/shop", "application": "BROWSER",
                 "webviewViewMode": "FULL"}])),
            card("Card two", "The second card", "2.png", serde_json::json!([
                {"type": "DIAL_PHONE", "title": "Call", "postbackData": "call",
                 "phoneNumber": "+15551234567"},
                {"type": "SHOW_LOCATION", "title": "Map", "postbackData": "map",
                 "latitude": 37.4, "longitude": -122.1}])),
            card("Card three", "The third card", "3.png", serde_json::json!([
                {"type": "REQUEST_LOCATION", "title": "Where", "postbackData": "where"},
                {"type": "CREATE_CALENDAR_EVENT", "title": "Meet", "postbackData": "meet",
                 "startTime": "2030-03-03T15:00:00Z", "endTime": "2030-03-03T16:00:00Z",
                 "eventTitle": "Meeting"}])),
        ]
    });
    assert_eq!(saved, expected);
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        rcs_composer::store::to_draft_json(&expected),
        "keys in the vendor's order, pretty-printed"
    );
}
