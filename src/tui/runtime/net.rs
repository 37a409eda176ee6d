//! The network side of the app: a small tokio runtime with the in-process sandbox, the
//! delivery listener, one task per send, and the signal watcher. Each answers through the
//! one channel.

use super::Runtime;
use super::terminal::{leave_terminal, note_signal};
use crate::client;
use crate::profile::{Profile, Secret};
use crate::sandbox::{self, RunningListener, RunningSandbox, SandboxConfig};
use crate::store::config::PasswordCommands;
use crate::tui::action::{Action, Message};
use crate::tui::send::{ProfileSource, SendPhase};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// The network side: a tokio runtime with the sandbox, the listener and the sends in
/// flight. Dropped (without waiting for a stuck password command) when the app exits.
pub struct Net {
    pub(super) rt: Option<tokio::runtime::Runtime>,
    sandbox: Option<RunningSandbox>,
    listener: Option<RunningListener>,
    pub(super) sends: HashMap<u64, tokio::task::AbortHandle>,
    /// The password commands this app's sends run, to stop them.
    pub(super) password_commands: PasswordCommands,
}

/// What [`Runtime::start_net`] got going.
#[derive(Debug, Default)]
pub struct NetStarted {
    /// The built-in sandbox's profile, when it started.
    pub sandbox: Option<Profile>,
    /// The listener's callback URL, when it started.
    pub callback_url: Option<String>,
    /// What failed to start, in words.
    pub problems: Vec<String>,
}

impl Drop for Net {
    fn drop(&mut self) {
        for (_, h) in self.sends.drain() {
            h.abort();
        }
        self.password_commands.stop_all();
        // Stop the servers inside the runtime, then let it go without waiting.
        if let Some(rt) = self.rt.take() {
            let _guard = rt.enter();
            self.sandbox = None;
            self.listener = None;
            drop(_guard);
            rt.shutdown_background();
        }
    }
}

impl Runtime {
    /// Starts the network side: a tokio runtime, the delivery listener on a free loopback
    /// port, and (with `sandbox`) the sandbox on another. Updates and sandbox log lines come
    /// back as messages. Nothing is printed: what failed is returned in words.
    pub fn start_net(&mut self, sandbox: Option<SandboxConfig>) -> NetStarted {
        let mut started = NetStarted::default();
        let rt = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("rcs-composer-net")
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                started
                    .problems
                    .push(format!("cannot start the network runtime: {e}"));
                return started;
            }
        };
        let (updates, lines) = (self.tx.clone(), self.tx.clone());
        let sinks = sandbox::in_process::Sinks {
            update: Arc::new(move |u| {
                let _ = updates.send(Message::Delivery(u));
            }),
            log: Arc::new(move |line| {
                let _ = lines.send(Message::SandboxLog(line));
            }),
        };
        let running = rt.block_on(sandbox::in_process::start(sandbox, sinks));
        started.callback_url = running.listener.as_ref().map(|l| l.callback_url());
        started.sandbox = running.sandbox.as_ref().map(|s| s.profile());
        started.problems = running.problems;
        self.net = Some(Net {
            rt: Some(rt),
            sandbox: running.sandbox,
            listener: running.listener,
            sends: HashMap::new(),
            password_commands: PasswordCommands::new(),
        });
        started
    }

    /// Runs a send on the network runtime; its answer comes back as a message.
    pub(super) fn start_send(
        &mut self,
        id: u64,
        source: ProfileSource,
        body: serde_json::Value,
        phase: SendPhase,
    ) {
        let tx = self.tx.clone();
        let Some(net) = self.net.as_mut() else {
            let _ = tx.send(Message::SendFailed {
                id,
                reason: "the network side of the app is not running".into(),
            });
            return;
        };
        let Some(rt) = net.rt.as_ref() else { return };
        let commands = net.password_commands.clone();
        net.sends.retain(|_, h| !h.is_finished());
        let task = rt.spawn(async move {
            let resolved = match source {
                ProfileSource::Ready(p) => Ok((p, Vec::new())),
                // A password command may take a while (or ask a password manager).
                other => tokio::task::spawn_blocking(move || other.resolve(&commands))
                    .await
                    .unwrap_or_else(|e| Err(format!("resolving the profile failed: {e}"))),
            };
            // Esc while the secret was being obtained: post nothing (see `SendPhase`).
            if !phase.try_begin_post() {
                return;
            }
            let msg = match resolved {
                Ok((mut profile, warnings)) => {
                    let outcome = client::send(&profile, &body).await;
                    profile.password = Secret::default();
                    Message::SendFinished {
                        id,
                        profile: Box::new(profile),
                        body,
                        outcome: Box::new(outcome),
                        warnings,
                    }
                }
                Err(reason) => Message::SendFailed { id, reason },
            };
            let _ = tx.send(msg);
        });
        // The message line counts the seconds while the send is in flight; this stops
        // with the send (answered, failed or cancelled).
        let (handle, tick) = (task.abort_handle(), self.tx.clone());
        rt.spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(1));
            every.tick().await;
            loop {
                every.tick().await;
                if handle.is_finished() || tick.send(Message::SendTick { id }).is_err() {
                    return;
                }
            }
        });
        net.sends.insert(id, task.abort_handle());
    }

    /// Aborts the send `id`; its answer never arrives. Aborting the task does not stop a
    /// password command it is waiting for (one send is in flight at a time, so this is that
    /// send's).
    pub(super) fn cancel_send(&mut self, id: u64) {
        if let Some(n) = self.net.as_mut() {
            if let Some(h) = n.sends.remove(&id) {
                h.abort();
            }
            n.password_commands.stop_all();
        }
    }

    /// On SIGTERM, SIGHUP, SIGINT or SIGQUIT, quits as Ctrl-Q does (the draft saved, the
    /// terminal restored) instead of dying with the terminal in raw mode and the last second
    /// of typing unsaved. The quit goes into the channel the loop waits on; an editor running
    /// is stopped first (its process group), since the loop waits for it. Should the app not
    /// quit within 3 s, the terminal is restored here and the process exits.
    ///
    /// SIGTSTP (from outside: the terminal's Ctrl-Z is undo here) suspends as Alt-Z does;
    /// SIGCONT takes the terminal again, whoever stopped the app.
    pub(super) fn watch_signals(&mut self) {
        let Some(rt) = self.net.as_ref().and_then(|n| n.rt.as_ref()) else {
            return;
        };
        let tx = self.tx.clone();
        let editor = self.editor_slot.clone();
        let (suspend, resumed) = (self.tx.clone(), self.tx.clone());
        rt.spawn(async move {
            use tokio::signal::unix::{SignalKind, signal};
            let (Ok(mut stop), Ok(mut cont)) = (
                signal(SignalKind::from_raw(rustix::process::Signal::TSTP.as_raw())),
                signal(SignalKind::from_raw(rustix::process::Signal::CONT.as_raw())),
            ) else {
                return;
            };
            loop {
                tokio::select! {
                    Some(()) = stop.recv() => {
                        if suspend.send(Message::Do(Action::Suspend)).is_err() {
                            return;
                        }
                    }
                    Some(()) = cont.recv() => {
                        if resumed.send(Message::Resumed).is_err() {
                            return;
                        }
                    }
                    else => return,
                }
            }
        });
        rt.spawn(async move {
            use tokio::signal::unix::{SignalKind, signal};
            let (Ok(mut term), Ok(mut hup), Ok(mut int), Ok(mut quit)) = (
                signal(SignalKind::terminate()),
                signal(SignalKind::hangup()),
                signal(SignalKind::interrupt()),
                signal(SignalKind::quit()),
            ) else {
                return;
            };
            let n = tokio::select! {
                _ = term.recv() => 15,
                _ = hup.recv() => 1,
                _ = int.recv() => 2,
                _ = quit.recv() => 3,
            };
            note_signal(n);
            let _ = tx.send(Message::Do(Action::Quit));
            if editor.stop() {
                tokio::time::sleep(Duration::from_secs(1)).await;
                editor.kill();
            }
            tokio::time::sleep(Duration::from_secs(3)).await;
            leave_terminal();
            std::process::exit(128 + n);
        });
    }

    /// Watches the terminal for a hang-up (its window closed, `tmux kill-session`, the ssh
    /// connection gone) and sends `Message::InputClosed` at once: crossterm would read
    /// nothing forever in a tight loop, and a SIGHUP need not come (it goes to the session's
    /// leader, which may ignore it). A thread of its own, blocked in `poll` with no timeout,
    /// asking for no input: only the hang-up wakes it.
    pub(super) fn watch_hangup(&mut self) {
        let tx = self.tx.clone();
        let _ = std::thread::Builder::new()
            .name("rcs-composer-hangup".into())
            .spawn(move || {
                use rustix::event::{PollFd, PollFlags, poll};
                let Some(tty) = super::input::Tty::open() else {
                    return;
                };
                let fd = tty.fd();
                loop {
                    let mut fds = [PollFd::new(&fd, PollFlags::empty())];
                    match poll(&mut fds, None) {
                        Ok(_) => {
                            let r = fds[0].revents();
                            if r.contains(PollFlags::NVAL) {
                                // This descriptor cannot be polled (macOS's /dev/tty): the
                                // hang-up goes unwatched, as before.
                                return;
                            }
                            if r.intersects(PollFlags::HUP | PollFlags::ERR) {
                                let _ = tx.send(Message::InputClosed(Some(
                                    "the terminal was closed".into(),
                                )));
                                return;
                            }
                        }
                        Err(rustix::io::Errno::INTR) => {}
                        Err(_) => return,
                    }
                }
            });
    }
}
