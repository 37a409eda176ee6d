//! What only a terminal shows: the terminal closing under the app, signals from outside,
//! suspend and resume, `$EDITOR` interrupted, Esc and a key read together, two instances
//! on one draft. The real binary in a pseudo-terminal the test can hang up (tests/pty).

#![cfg(target_os = "linux")]

mod pty;

use pty::{Pty, assert_restored, in_shell, kill, line_mode, pid_of, running, state, stty};
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

const TEXT: &str = include_str!("../assets/examples/text.json");
const DOWN: &[u8] = b"\x1b[B";
const CTRL_Q: &[u8] = b"\x11";

fn draft(dir: &Path, name: &str) -> std::path::PathBuf {
    let file = dir.join(name);
    fs::write(&file, TEXT).unwrap();
    file
}

/// The composer on a fresh copy of the text example, `name` in `dir`, under `in_shell` (with
/// `pre`) in a 24x80 terminal, its form on screen and the focus on Source: the draft, the
/// terminal and the composer's pid.
fn on_source(dir: &Path, name: &str, pre: &str) -> (std::path::PathBuf, Pty, u32) {
    let file = draft(dir, name);
    let mut p = Pty::start(in_shell(dir, &file, pre), 24, 80);
    let pid = pid_of(&p);
    p.wait_screen("Message Type");
    p.send(DOWN);
    (file, p, pid)
}

fn source_of(path: &Path) -> String {
    let doc: serde_json::Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    doc["source"].as_str().unwrap_or_default().to_string()
}

/// Failed before: with SIGHUP not coming (the session's leader ignores it), crossterm read
/// nothing forever in a tight loop and an idle app never quit (a core spinning); with typing
/// pending it got out only when the autosave's redraw failed.
#[test]
fn closing_the_terminal_saves_and_exits_within_a_second_without_a_sighup() {
    for typing in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        // The outer shell, the session's leader, ignores SIGHUP: it stays, and the kernel
        // sends the app no SIGHUP. Only the terminal's hang-up tells.
        let (file, mut p, pid) = on_source(dir.path(), "h.json", "trap '' HUP;");
        p.send(b"H");
        p.wait_screen("unsaved");
        if !typing {
            // Idle: the autosave has landed and nothing is left to do.
            p.wait_screen(" saved ");
        }
        let closed = Instant::now();
        p.hang_up();
        while running(pid) && closed.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(5));
        }
        let took = closed.elapsed();
        assert!(
            !running(pid),
            "typing {typing}: still running 5 s after the hang-up"
        );
        assert!(
            took < Duration::from_secs(1),
            "typing {typing}: took {took:?} to exit"
        );
        eprintln!("typing pending: {typing}: exited {took:?} after the terminal closed");
        assert_eq!(source_of(&file), "CONVEYH");
    }
}

/// Failed before: SIGINT and SIGQUIT killed the app in raw mode on the alternate screen with
/// the mouse reporting on and the cursor hidden, and the last typing was lost.
#[test]
fn sigint_and_sigquit_from_outside_save_and_restore_the_terminal() {
    for (sig, exit) in [("INT", "EXIT=130"), ("QUIT", "EXIT=131")] {
        let dir = tempfile::tempdir().unwrap();
        let (file, mut p, pid) = on_source(dir.path(), "i.json", "");
        p.send(sig.as_bytes());
        p.wait_screen("unsaved");
        kill(sig, pid);
        p.wait_for("the shell to finish", |s| s.raw().contains("ALLDONE"));
        assert_restored(&p.raw(), exit);
        assert_eq!(source_of(&file), format!("CONVEY{sig}"), "SIG{sig}");
    }
}

/// Failed before: SIGTSTP stopped the app in raw mode on the alternate screen, and after
/// SIGCONT keys were echoed over the UI in line mode.
#[test]
fn sigtstp_gives_the_terminal_back_and_sigcont_takes_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut p, pid) = on_source(dir.path(), "z.json", "");
    p.send(b"T");
    p.wait_screen("unsaved");
    for how in ["SIGTSTP", "Alt-Z"] {
        let before = p.raw().len();
        if how == "SIGTSTP" {
            kill("TSTP", pid);
        } else {
            p.send(b"\x1bz");
        }
        p.wait_for("the app to stop", |_| state(pid) == 'T');
        // Stopped: the alternate screen left (what it wrote before stopping may still be
        // on its way to the reader), the terminal in line mode, the draft saved.
        p.wait_for(&format!("{how}: the alternate screen left"), |s| {
            s.raw()[before..].contains("\x1b[?1049l")
        });
        let modes = stty(&p.tty);
        assert!(line_mode(&modes), "{how}: {modes}");
        assert_eq!(source_of(&file), "CONVEYT");
        // `fg`: the shell continues the job (here, the process group).
        let pgid = format!("-{}", p.child.id());
        let st = std::process::Command::new("kill")
            .args(["-CONT", "--", &pgid])
            .status()
            .unwrap();
        assert!(st.success());
        p.wait_for("the app to come back", |s| {
            s.raw()[before..].matches("\x1b[?1049h").count() >= 1 && state(pid) != 'T'
        });
        p.wait_for("raw mode", |s| !line_mode(&stty(&s.tty)));
        p.wait_screen("Message Type");
        // One continue, one return: the app's own message and the SIGCONT watcher's do
        // not take the terminal (and clear and draw the screen) twice.
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(
            p.raw()[before..].matches("\x1b[?1049h").count(),
            1,
            "{how}: the alternate screen entered more than once"
        );
    }
    // Keys reach the app again, and it quits cleanly.
    p.send(b"U");
    p.wait_for("the key", |_| true);
    p.send(CTRL_Q);
    p.wait_for("the shell to finish", |s| s.raw().contains("ALLDONE"));
    assert_restored(&p.raw(), "EXIT=0");
    assert_eq!(source_of(&file), "CONVEYTU");
}

/// Failed before: SIGTERM while the editor ran left the editor on the terminal and the app
/// exited after 3 s without saving what was typed before Ctrl-E.
#[test]
fn sigterm_while_the_editor_runs_saves_first_then_stops_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let file = draft(dir.path(), "e.json");
    let editor = dir.path().join("ed.sh");
    let marker = dir.path().join("editor.pid");
    fs::write(
        &editor,
        format!(
            "#!/bin/sh\necho $$ > '{}'\necho EDITOR-RUNNING\nexec sleep 600\n",
            marker.display()
        ),
    )
    .unwrap();
    let mut perms = fs::metadata(&editor).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    fs::set_permissions(&editor, perms).unwrap();
    let mut cmd = in_shell(dir.path(), &file, "");
    cmd.env("EDITOR", &editor);
    let mut p = Pty::start(cmd, 24, 80);
    let pid = pid_of(&p);
    p.wait_screen("Message Type");
    p.send(DOWN);
    p.send(b"E");
    p.wait_screen("unsaved");
    p.send(b"\x05"); // Ctrl-E, within the autosave's delay
    p.wait_for("the editor", |s| s.raw().contains("EDITOR-RUNNING"));
    p.wait_for("the editor's pid", |_| marker.exists());
    let ed: u32 = fs::read_to_string(&marker).unwrap().trim().parse().unwrap();
    assert!(running(ed));
    let sent = Instant::now();
    kill("TERM", pid);
    p.wait_for("the shell to finish", |s| s.raw().contains("ALLDONE"));
    assert!(
        sent.elapsed() < Duration::from_secs(3),
        "{:?}",
        sent.elapsed()
    );
    assert!(!running(ed), "the editor was left running");
    assert_restored(&p.raw(), "EXIT=143");
    assert_eq!(source_of(&file), "CONVEYE");
}

/// Failed before: Esc and F5 read together typed `[15~` into the field.
#[test]
fn esc_and_f5_written_at_once_are_esc_then_f5() {
    let dir = tempfile::tempdir().unwrap();
    let file = draft(dir.path(), "f.json");
    // No config: the app sends to its own sandbox.
    let mut p = Pty::start(in_shell(dir.path(), &file, ""), 40, 140);
    p.wait_screen("sandbox — nothing is delivered");
    p.send(DOWN);
    p.send(b"\x1b\x1b[15~");
    p.wait_screen("200 OK");
    assert!(!p.screen().contains("[15~"), "{}", p.screen());
    p.send(CTRL_Q);
    p.wait_for("the shell to finish", |s| s.raw().contains("ALLDONE"));
    assert_restored(&p.raw(), "EXIT=0");
    assert_eq!(source_of(&file), "CONVEY");
}

/// Two instances on one draft in two terminals: the second says who else has it open, and
/// its save after the first's keeps both versions.
#[test]
fn two_instances_in_two_terminals_keep_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let file = draft(dir.path(), "t.json");
    let mut a = Pty::start(in_shell(dir.path(), &file, ""), 30, 120);
    let a_pid = pid_of(&a);
    a.wait_screen("Message Type");
    let mut b = Pty::start(in_shell(dir.path(), &file, ""), 30, 120);
    b.wait_screen(&format!("is open in another rcs-composer (pid {a_pid})"));
    b.send(DOWN);
    b.send(b"B");
    b.wait_for("b's save", |_| source_of(&file) == "CONVEYB");
    // a has nothing unsaved: its first key finds b's write and reloads it.
    a.send(DOWN);
    a.wait_screen("changed on disk by another program; reloaded it");
    a.send(b"A");
    a.wait_for("a's save", |_| source_of(&file) == "CONVEYBA");
    // b types on a version a has since changed: its save keeps both.
    b.send(b"C");
    b.wait_screen("The draft was changed by someone else");
    b.wait_screen("conflict file");
    b.send(b"\r"); // Later
    b.send(CTRL_Q);
    a.send(CTRL_Q);
    a.wait_for("a to finish", |s| s.raw().contains("ALLDONE"));
    b.wait_for("b to finish", |s| s.raw().contains("ALLDONE"));
    assert_restored(&a.raw(), "EXIT=0");
    assert_restored(&b.raw(), "EXIT=0");
    assert_eq!(source_of(&file), "CONVEYBA");
    let copies: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("t.conflict-"))
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(source_of(&copies[0]), "CONVEYBC");
    // The lock is gone with both.
    assert!(!dir.path().join(".t.json.lock").exists());
}

/// The app keeps the terminal's size between frames (asking it costs system calls on every
/// key) and takes the new one when the terminal says it changed: after growing and after
/// shrinking, the footer is on the last row and the top bar spans the new width.
#[test]
fn a_resized_terminal_is_drawn_whole_at_its_new_size() {
    let dir = tempfile::tempdir().unwrap();
    let file = draft(dir.path(), "r.json");
    let mut p = Pty::start(in_shell(dir.path(), &file, ""), 24, 80);
    p.wait_screen("Message Type");
    // The frame may still be arriving: its last row comes last.
    p.wait_for("the footer", |s| {
        s.rows().last().is_some_and(|r| !r.trim().is_empty())
    });
    let footer = p.rows().last().cloned().unwrap_or_default();
    let hint = footer
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(
        !hint.is_empty(),
        "a footer on the last row:\n{}",
        p.screen()
    );
    for (rows, cols) in [(40u16, 120u16), (26, 90)] {
        p.resize(rows, cols);
        p.wait_for("the frame at the new size", |p| {
            let r = p.rows();
            r.len() == rows as usize
                && r.last().is_some_and(|l| l.starts_with(&hint))
                // The form and the preview side by side: the preview's border reaches the
                // right edge.
                && r.iter().any(|l| l.chars().count() == cols as usize)
        });
    }
    p.send(CTRL_Q);
    assert!(p.wait_exit(Duration::from_secs(5)).is_some());
}

/// CPU time (user and system, in clock ticks) `pid` has used so far.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command's name (in parentheses): utime and stime are the 12th
    // and 13th of them.
    let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
    rest.split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse::<u64>().ok())
        .sum()
}

/// Failed before: more than 1024 bytes of input at once that is not a bracketed paste
/// (tmux's `paste-buffer`, a terminal that does not bracket pastes) stopped after the first
/// 1024 or 2048: crossterm reads the terminal when its edge-triggered poll says so, and
/// stops at the first event of a read, so the rest waited for the next key, while the
/// thread reading the terminal spun on a full core.
#[test]
fn a_long_paste_without_brackets_is_read_whole_and_leaves_the_app_idle() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut p, pid) = on_source(dir.path(), "p.json", "");
    let pasted = "A".repeat(3000);
    p.send(pasted.as_bytes());
    // No key after it: the autosave writes what was read.
    let want = format!("CONVEY{pasted}");
    let start = Instant::now();
    while source_of(&file) != want {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the draft's source has {} of {} characters",
            source_of(&file).len(),
            want.len()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Then it waits: a second later it has used next to no CPU time.
    std::thread::sleep(Duration::from_millis(300));
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(1));
    let used = cpu_ticks(pid) - before;
    assert!(used < 10, "{used} ticks of CPU in a second, idle");
    p.send(CTRL_Q);
    assert!(p.wait_exit(Duration::from_secs(5)).is_some());
}
