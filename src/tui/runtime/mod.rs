//! The terminal, the event loop, and the workers. One channel carries every [`Message`]:
//! file results, send answers, delivery updates, signals; the loop reads the terminal's
//! input itself. It waits on the terminal and the channel's bell at once (its only timeout
//! is a pending autosave), handles what came and everything queued behind it, then draws
//! once: no tick, no polling, no CPU while idle.
//!
//! - [`files`]: the writer thread (drafts, recovery files, renames, history lines, in
//!   order), which checks a draft's file before writing it and holds its lock.
//! - [`editor`]: `$EDITOR` in a process group of its own that holds the terminal.
//! - [`net`]: a small tokio runtime with the in-process sandbox, the delivery listener,
//!   the sends and the signal watcher.
//! - [`channel`]: the queue every producer sends into, with the bell the loop waits on.
//! - [`input`]: the terminal's input, read by the loop, and the loop's wait.
//! - [`terminal`]: raw mode and the alternate screen in and out, the panic hook.
//! - [`app_loop`]: starting the app, the loop itself, and leaving.

mod app_loop;
mod channel;
mod clipboard;
mod editor;
pub mod encode;
mod escape;
mod files;
mod frame;
mod graphics;
mod input;
mod media;
mod net;
mod terminal;

pub use app_loop::{connect, draw_on, run};
pub use channel::Tx;
pub use clipboard::osc52_likely;
pub use encode::encode;
pub use net::{Net, NetStarted};
pub use terminal::{NoTerminal, Suspend};

use super::action::{Effect, Message};
use super::app::App;
use editor::EditorSlot;
use files::{FileJob, Writer};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

/// The channel and the workers, shared by the real loop and the test harness.
pub struct Runtime {
    pub tx: Tx,
    pub rx: Receiver<Message>,
    /// Rung by each send: the loop waits on it beside the terminal.
    bell: channel::Bell,
    files: Option<Sender<FileJob>>,
    writer: Option<JoinHandle<()>>,
    /// Runs file jobs here should the writer thread not have started.
    fallback: Writer,
    /// The editor command; `None` reads `$VISUAL`, then `$EDITOR`, then `vi`.
    pub editor: Option<String>,
    /// The editor running, for the signal watcher to stop.
    editor_slot: EditorSlot,
    /// The network, once started.
    pub net: Option<Net>,
    /// The media check's and the pictures' client and limits.
    media: media::MediaWorker,
    /// The terminal's input, while it is read.
    input: Option<input::Input>,
}

impl Default for Runtime {
    fn default() -> Self {
        Self::new()
    }
}

impl Runtime {
    pub fn new() -> Self {
        let (tx, rx, bell) = channel::channel();
        let (ftx, frx) = mpsc::channel::<FileJob>();
        let answer = tx.clone();
        let writer = std::thread::Builder::new()
            .name("rcs-composer-files".into())
            .spawn(move || {
                let mut w = Writer::new();
                for job in frx {
                    if let Some(m) = w.run(job)
                        && answer.send(m).is_err()
                    {
                        break;
                    }
                }
            })
            .ok();
        Runtime {
            tx,
            rx,
            bell,
            files: writer.as_ref().map(|_| ftx),
            writer,
            fallback: Writer::new(),
            editor: None,
            editor_slot: EditorSlot::default(),
            net: None,
            media: media::MediaWorker::default(),
            input: None,
        }
    }

    /// Carries out what the app asked for.
    pub fn execute(&mut self, app: &mut App, term: &mut dyn Suspend) {
        for effect in app.take_effects() {
            match effect {
                Effect::Write {
                    path,
                    generation,
                    contents,
                } => self.file_job(FileJob::Write {
                    path,
                    generation,
                    contents,
                }),
                Effect::Drafts(job) => self.file_job(FileJob::Drafts(job)),
                Effect::ReadHistory { path } => self.file_job(FileJob::ReadHistory { path }),
                Effect::RunEditor {
                    generation,
                    draft,
                    text,
                    from,
                } => {
                    let text = match from.map(|p| std::fs::read_to_string(&p).map_err(|e| (p, e))) {
                        None => text,
                        Some(Ok(kept)) => kept,
                        Some(Err((p, e))) => {
                            let _ = self.tx.send(Message::EditorDone {
                                generation,
                                command: String::new(),
                                result: Err(crate::tui::strings::recovery_unreadable(
                                    &p.display().to_string(),
                                    &e.to_string(),
                                )),
                            });
                            continue;
                        }
                    };
                    let command = self.editor.clone().unwrap_or_else(editor::editor_from_env);
                    // What was typed is on disk before the editor starts: should the app be
                    // told to quit while the editor runs, nothing is waiting to be saved.
                    self.flush();
                    // The editor owns the terminal: its keys must not reach us.
                    let reading = self.pause_input();
                    term.suspend();
                    let slot = &self.editor_slot;
                    let result =
                        editor::run_editor(&command, &draft, &text, slot, term.is_terminal());
                    term.resume();
                    app.view.forget_screen();
                    if reading {
                        self.start_input();
                    }
                    let _ = self.tx.send(Message::EditorDone {
                        generation,
                        command,
                        result,
                    });
                }
                Effect::Send {
                    id,
                    source,
                    body,
                    phase,
                } => self.start_send(id, *source, body, phase),
                Effect::CancelSend { id } => self.cancel_send(id),
                Effect::AppendHistory { path, entry } => {
                    self.file_job(FileJob::History { path, entry })
                }
                Effect::Media(job) => self.media_job(job),
                Effect::ReadConfig { path } => self.file_job(FileJob::ReadConfig { path }),
                Effect::CopyToClipboard { text } => term.write_raw(&clipboard::osc52(&text)),
                Effect::SaveDraft {
                    path,
                    generation,
                    contents,
                    check,
                } => self.file_job(FileJob::SaveDraft {
                    path,
                    generation,
                    contents,
                    check,
                }),
                Effect::CheckDraft { path } => self.file_job(FileJob::CheckDraft { path }),
                Effect::KnowDraft { path, known } => self.file_job(FileJob::Know { path, known }),
                Effect::LockDraft { path } => self.file_job(FileJob::Lock { path }),
                Effect::Tidy { dirs } => self.file_job(FileJob::Tidy { dirs }),
                Effect::Suspend => self.suspend(term),
                Effect::Reenter => {
                    if term.resume() {
                        app.view.forget_screen();
                    }
                }
            }
        }
    }

    /// Saves, gives the terminal back to the shell and stops the app's process group (as the
    /// terminal's Ctrl-Z would, had it not been undo). When `fg` continues it, the input is
    /// read again and `Message::Resumed` brings the screen back.
    fn suspend(&mut self, term: &mut dyn Suspend) {
        self.flush();
        let reading = self.pause_input();
        term.suspend();
        if term.is_terminal() {
            let _ = rustix::process::kill_current_process_group(rustix::process::Signal::STOP);
        }
        if reading {
            self.start_input();
        }
        let _ = self.tx.send(Message::Resumed);
    }

    /// Waits (at most 2 s) until every file job queued so far is done.
    pub(crate) fn flush(&mut self) {
        let (tx, rx) = mpsc::channel();
        self.file_job(FileJob::Flush(tx));
        let _ = rx.recv_timeout(Duration::from_secs(2));
    }

    fn file_job(&mut self, job: FileJob) {
        let failed = match &self.files {
            Some(f) => f.send(job).err().map(|e| e.0),
            None => Some(job),
        };
        // No writer thread: write here rather than lose the draft.
        if let Some(job) = failed
            && let Some(m) = self.fallback.run(job)
        {
            let _ = self.tx.send(m);
        }
    }

    /// Waits for the writer to finish every queued job, and hands their answers to `app`.
    /// Stops the network first (sends in flight are abandoned).
    pub fn finish(&mut self, app: &mut App) {
        self.net = None;
        self.files = None;
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
        while let Ok(m) = self.rx.try_recv() {
            app.update(m);
        }
    }
}
