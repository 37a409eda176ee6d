//! `$VISUAL`/`$EDITOR` on a temp copy of the draft.
//!
//! The editor runs in a process group of its own, which holds the terminal (its foreground
//! group) while it runs. So Ctrl-C and Ctrl-Z typed in the editor reach the editor only; a
//! SIGTERM to the app stops the editor's whole group ([`EditorSlot::stop`]) instead of
//! leaving it on the terminal; and when the editor is suspended (Ctrl-Z in it), the app
//! suspends too, so the shell gets the terminal back, and `fg` resumes both.

use crate::store::{atomic, drafts};
use crate::tui::strings as s;
use std::io::{self, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

/// The process group of the editor while one runs (0 when none), shared with the signal
/// watcher so it can stop the editor.
#[derive(Debug, Clone, Default)]
pub(super) struct EditorSlot(Arc<AtomicI32>);

impl EditorSlot {
    /// Asks the editor's process group to end (SIGTERM); true when an editor was running.
    pub(super) fn stop(&self) -> bool {
        self.signal(rustix::process::Signal::TERM)
    }

    /// Ends it for good (SIGKILL), for an editor that ignored [`Self::stop`].
    pub(super) fn kill(&self) -> bool {
        self.signal(rustix::process::Signal::KILL)
    }

    fn signal(&self, sig: rustix::process::Signal) -> bool {
        let Some(pgid) = rustix::process::Pid::from_raw(self.0.load(Ordering::SeqCst)) else {
            return false;
        };
        let _ = rustix::process::kill_process_group(pgid, sig);
        true
    }
}

/// The editor command: `$VISUAL`, then `$EDITOR`, then `vi`.
pub(super) fn editor_from_env() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "vi".into())
}

/// Writes `text` to a temp file beside the draft, runs the editor on it, reads it back.
/// `terminal`: the app owns a real terminal, to hand to the editor while it runs.
pub(super) fn run_editor(
    command: &str,
    draft: &Path,
    text: &str,
    slot: &EditorSlot,
    terminal: bool,
) -> Result<String, String> {
    let dir = match draft.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // A random name created with O_EXCL, like every temp file: a file planted under a name
    // we would use is never opened.
    let tmp = atomic::create_temp(&dir, draft, "edit.json", Some(0o600))
        .and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            Ok(f.into_temp_path())
        })
        .map_err(|e| s::editor_failed(command, &format!("{}: {e}", dir.display())))?;
    let child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$1\""))
        .arg("rcs-composer-editor")
        .arg(&*tmp)
        .process_group(0)
        .spawn()
        .map_err(|e| s::editor_failed(command, &e.to_string()))?;
    let pid = rustix::process::Pid::from_child(&child);
    let tty = terminal.then(Foreground::ours).flatten();
    if let Some(t) = &tty {
        t.hand_to(pid);
    }
    slot.0.store(pid.as_raw_nonzero().get(), Ordering::SeqCst);
    let status = wait_through_stops(pid, tty.as_ref());
    slot.0.store(0, Ordering::SeqCst);
    if let Some(t) = &tty {
        t.take_back();
    }
    let read_back = || match std::fs::read(&tmp) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Err(s::editor_removed(command, &tmp.display().to_string()))
        }
        Err(e) => Err(format!("{}: {e}", tmp.display())),
    };
    match status {
        Ok(Ended::Code(0)) => {
            let bytes = read_back()?;
            String::from_utf8(bytes).map_err(|e| {
                // Not text we can parse; keep the bytes rather than lose the edit.
                let at = e.utf8_error().valid_up_to();
                let kept = keep(draft, e.as_bytes());
                s::editor_not_utf8(at, kept.as_deref())
            })
        }
        // sh says 127 when it cannot find the command, 126 when it cannot run it.
        Ok(Ended::Code(126 | 127)) => Err(s::editor_failed(
            command,
            "the command was not found or cannot be run",
        )),
        Ok(ended) => {
            // Stopped by a signal (the app quitting) or failed: what it had written to the
            // file is kept, not applied.
            let kept = read_back()
                .ok()
                .filter(|b| b != text.as_bytes())
                .and_then(|b| keep(draft, &b));
            Err(s::editor_exit(command, &ended.to_string(), kept.as_deref()))
        }
        Err(e) => Err(s::editor_failed(command, &e.to_string())),
    }
}

/// Keeps bytes the editor left in the recovery file beside the draft; its path if written.
fn keep(draft: &Path, bytes: &[u8]) -> Option<String> {
    let rec = drafts::recovery_path(draft);
    atomic::write_atomic(&rec, bytes)
        .ok()
        .map(|()| rec.display().to_string())
}

/// How the editor's shell ended.
enum Ended {
    Code(i32),
    Signal(i32),
}

impl std::fmt::Display for Ended {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ended::Code(c) => write!(f, "exit status: {c}"),
            Ended::Signal(n) => write!(f, "signal: {n}"),
        }
    }
}

/// Waits for the editor's shell to end. When the editor is suspended (Ctrl-Z in it), the app
/// suspends too, the terminal handed back to the shell; when `fg` resumes the app, the editor
/// gets the terminal back and resumes.
fn wait_through_stops(pid: rustix::process::Pid, tty: Option<&Foreground>) -> io::Result<Ended> {
    use rustix::process::{Signal, WaitOptions, kill_current_process_group, kill_process_group};
    loop {
        let status = match rustix::process::waitpid(Some(pid), WaitOptions::UNTRACED) {
            Ok(Some((_, st))) => st,
            Ok(None) => continue,
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        };
        if status.stopped() {
            if let Some(t) = tty {
                t.take_back();
                let _ = kill_current_process_group(Signal::STOP);
                // Resumed by `fg`.
                t.hand_to(pid);
            }
            let _ = kill_process_group(pid, Signal::CONT);
            continue;
        }
        if let Some(code) = status.exit_status() {
            return Ok(Ended::Code(code));
        }
        if let Some(sig) = status.terminating_signal() {
            return Ok(Ended::Signal(sig));
        }
    }
}

/// The terminal this app is the foreground process group of.
struct Foreground {
    tty: io::Stdin,
    ours: rustix::process::Pid,
}

impl Foreground {
    /// Standard input, when it is a terminal whose foreground group is ours.
    fn ours() -> Option<Foreground> {
        let tty = io::stdin();
        let ours = rustix::process::getpgrp();
        (rustix::termios::isatty(&tty) && rustix::termios::tcgetpgrp(&tty).ok() == Some(ours))
            .then_some(Foreground { tty, ours })
    }

    /// Makes `pgid` the foreground group, and wakes it should it have stopped trying to use
    /// the terminal before it was its.
    fn hand_to(&self, pgid: rustix::process::Pid) {
        let _ = rustix::termios::tcsetpgrp(&self.tty, pgid);
        let _ = rustix::process::kill_process_group(pgid, rustix::process::Signal::CONT);
    }

    /// Makes the app's group the foreground again. A background group doing this is sent
    /// SIGTTOU (which would stop the app) unless the signal is blocked: it is, on this
    /// thread, for the call.
    fn take_back(&self) {
        use nix::sys::signal::{SigSet, SigmaskHow, Signal, pthread_sigmask};
        let mut block = SigSet::empty();
        block.add(Signal::SIGTTOU);
        let mut old = SigSet::empty();
        let blocked = pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&block), Some(&mut old)).is_ok();
        let _ = rustix::termios::tcsetpgrp(&self.tty, self.ours);
        if blocked {
            let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
        }
    }
}
