//! The terminal and the event loop. One channel carries every [`Message`]; the loop draws
//! only once the queue is drained, and while nothing happens it blocks on the terminal: no
//! tick, no redraw, no CPU. It wakes early only for a pending autosave or a write in flight.
//!
//! File writes run on one worker thread, in order (a rename queued after a write happens
//! after it), and answer with `Message::Written`. `$EDITOR` runs with the terminal handed
//! over to it and answers with `Message::EditorDone`.
//!
//! The network ([`Net`]) is a small tokio runtime owned by the app: the in-process sandbox,
//! the delivery listener (its updates are forwarded into the one channel) and one task per
//! send, which resolves the profile off the UI thread, posts, and answers with
//! `Message::SendFinished`. While a send or a write is in flight, or delivery updates are
//! expected, the loop polls the terminal with a short timeout so answers are seen at once;
//! otherwise it blocks.

use super::action::{Action, Effect, Message};
use super::app::App;
use super::send::{ProfileSource, Profiles};
use super::view;
use crate::client;
use crate::message::edit;
use crate::message::schema::MessageType;
use crate::profile::{Profile, Secret};
use crate::sandbox::{self, RunningListener, RunningSandbox, SandboxConfig};
use crate::store::config::{Config, Env, PasswordCommands, Target};
use crate::store::history::{self, HistoryEntry};
use crate::store::{atomic, drafts, paths};
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};
use std::collections::HashMap;
use std::io::{self, Stdout};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A file job for the writer thread.
enum FileJob {
    Write {
        job: u64,
        path: PathBuf,
        generation: Option<u64>,
        bytes: Vec<u8>,
    },
    Rename {
        from: PathBuf,
        to: PathBuf,
    },
    History {
        path: PathBuf,
        entry: Box<HistoryEntry>,
    },
}

impl FileJob {
    fn run(self) -> Message {
        match self {
            FileJob::Write {
                job,
                path,
                generation,
                bytes,
            } => {
                let result = atomic::write_atomic(&path, &bytes).map_err(|e| e.to_string());
                Message::Written {
                    job,
                    path,
                    generation,
                    result,
                }
            }
            FileJob::Rename { from, to } => {
                let result = std::fs::rename(&from, &to).map_err(|e| e.to_string());
                Message::Renamed { from, to, result }
            }
            FileJob::History { path, entry } => Message::HistoryWritten {
                result: history::append_to(&path, &entry).map_err(|e| e.to_string()),
            },
        }
    }
}

/// The network side: a tokio runtime with the sandbox, the listener and the sends in
/// flight. Dropped (without waiting for a stuck password command) when the app exits.
pub struct Net {
    rt: Option<tokio::runtime::Runtime>,
    sandbox: Option<RunningSandbox>,
    listener: Option<RunningListener>,
    sends: HashMap<u64, tokio::task::AbortHandle>,
    /// The password commands these sends run, to stop on cancel and on exit.
    password_commands: PasswordCommands,
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

/// The channel and the workers, shared by the real loop and the test harness.
pub struct Runtime {
    pub tx: Sender<Message>,
    pub rx: Receiver<Message>,
    files: Option<Sender<FileJob>>,
    writer: Option<JoinHandle<()>>,
    /// The editor command; `None` reads `$VISUAL`, then `$EDITOR`, then `vi`.
    pub editor: Option<String>,
    /// The network, once started.
    pub net: Option<Net>,
}

/// Hands the terminal to a child process and takes it back.
pub trait Suspend {
    fn suspend(&mut self);
    fn resume(&mut self);
}

/// For the harness: there is no terminal to hand over.
pub struct NoTerminal;

impl Suspend for NoTerminal {
    fn suspend(&mut self) {}
    fn resume(&mut self) {}
}

impl Default for Runtime {
    fn default() -> Self {
        Self::new()
    }
}

impl Runtime {
    pub fn new() -> Self {
        let (tx, rx) = mpsc::channel();
        let (ftx, frx) = mpsc::channel::<FileJob>();
        let answer = tx.clone();
        let writer = std::thread::Builder::new()
            .name("rcs-composer-files".into())
            .spawn(move || {
                for job in frx {
                    if answer.send(job.run()).is_err() {
                        break;
                    }
                }
            })
            .ok();
        Runtime {
            tx,
            rx,
            files: writer.as_ref().map(|_| ftx),
            writer,
            editor: None,
            net: None,
        }
    }

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
        let mut net = Net {
            rt: None,
            sandbox: None,
            listener: None,
            sends: HashMap::new(),
            password_commands: PasswordCommands::new(),
        };
        let tx = self.tx.clone();
        let rejects: sandbox::log::RejectSink = Arc::new(move |line: String| {
            let _ = tx.send(Message::SandboxLog(format!("callback refused: {line}")));
        });
        match rt.block_on(sandbox::start_listener_with_log("127.0.0.1:0", rejects)) {
            Ok(mut l) => {
                let (_, closed) = tokio::sync::mpsc::unbounded_channel();
                let mut updates = std::mem::replace(&mut l.updates, closed);
                let tx = self.tx.clone();
                rt.spawn(async move {
                    while let Some(u) = updates.recv().await {
                        if tx.send(Message::Delivery(u)).is_err() {
                            break;
                        }
                    }
                });
                started.callback_url = Some(l.callback_url());
                net.listener = Some(l);
            }
            Err(e) => started.problems.push(format!(
                "the delivery listener could not start on 127.0.0.1: {e}"
            )),
        }
        if let Some(cfg) = sandbox {
            let tx = self.tx.clone();
            let sink: sandbox::LogSink = Arc::new(move |ev: sandbox::SandboxEvent| {
                let _ = tx.send(Message::SandboxLog(ev.to_string()));
            });
            match rt.block_on(sandbox::start_with_log(cfg, "127.0.0.1:0", sink)) {
                Ok(sb) => {
                    started.sandbox = Some(sb.profile());
                    net.sandbox = Some(sb);
                }
                Err(e) => started
                    .problems
                    .push(format!("the sandbox could not start on 127.0.0.1: {e}")),
            }
        }
        net.rt = Some(rt);
        self.net = Some(net);
        started
    }

    /// Runs a send on the network runtime; its answer comes back as a message.
    fn start_send(
        &mut self,
        id: u64,
        source: ProfileSource,
        body: serde_json::Value,
        phase: super::send::SendPhase,
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
            let go = phase.compare_exchange(
                super::send::PHASE_RESOLVING,
                super::send::PHASE_POSTING,
                std::sync::atomic::Ordering::SeqCst,
                std::sync::atomic::Ordering::SeqCst,
            );
            if go.is_err() {
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
        net.sends.insert(id, task.abort_handle());
    }

    /// Carries out what the app asked for.
    pub fn execute(&mut self, app: &mut App, term: &mut dyn Suspend) {
        for effect in app.take_effects() {
            match effect {
                Effect::Write {
                    job,
                    path,
                    generation,
                    bytes,
                } => self.file_job(FileJob::Write {
                    job,
                    path,
                    generation,
                    bytes,
                }),
                Effect::Rename { from, to } => self.file_job(FileJob::Rename { from, to }),
                Effect::RunEditor {
                    generation,
                    draft,
                    text,
                } => {
                    let command = self.editor_command();
                    term.suspend();
                    let result = run_editor(&command, &draft, &text);
                    term.resume();
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
                Effect::CancelSend { id } => {
                    if let Some(h) = self.net.as_mut().and_then(|n| n.sends.remove(&id)) {
                        h.abort();
                    }
                    // Aborting the task does not stop a password command it is waiting
                    // for (one send is in flight at a time, so this is that send's).
                    if let Some(n) = &self.net {
                        n.password_commands.stop_all();
                    }
                }
                Effect::AppendHistory { path, entry } => {
                    self.file_job(FileJob::History { path, entry })
                }
            }
        }
    }

    fn file_job(&mut self, job: FileJob) {
        let failed = match &self.files {
            Some(f) => f.send(job).err().map(|e| e.0),
            None => Some(job),
        };
        // No writer thread: write here rather than lose the draft.
        if let Some(job) = failed {
            let _ = self.tx.send(job.run());
        }
    }

    fn editor_command(&self) -> String {
        self.editor
            .clone()
            .or_else(|| {
                std::env::var("VISUAL")
                    .ok()
                    .filter(|v| !v.trim().is_empty())
            })
            .or_else(|| {
                std::env::var("EDITOR")
                    .ok()
                    .filter(|v| !v.trim().is_empty())
            })
            .unwrap_or_else(|| "vi".into())
    }

    /// On SIGTERM or SIGHUP, quits as Ctrl-Q does (the draft saved, the terminal restored)
    /// instead of dying with the terminal in raw mode and the last second of typing unsaved.
    /// The UI thread may be blocked reading the terminal: a SIGWINCH to ourselves wakes it
    /// (crossterm reports it as a resize), and it then finds the quit in the queue. Should it
    /// not quit within 3 s, the terminal is restored here and the process exits.
    fn watch_signals(&mut self) {
        #[cfg(unix)]
        {
            let Some(rt) = self.net.as_ref().and_then(|n| n.rt.as_ref()) else {
                return;
            };
            let tx = self.tx.clone();
            rt.spawn(async move {
                use tokio::signal::unix::{SignalKind, signal};
                let (Ok(mut term), Ok(mut hup)) = (
                    signal(SignalKind::terminate()),
                    signal(SignalKind::hangup()),
                ) else {
                    return;
                };
                let n = tokio::select! {
                    _ = term.recv() => 15,
                    _ = hup.recv() => 1,
                };
                SIGNALLED.store(n, std::sync::atomic::Ordering::SeqCst);
                let _ = tx.send(Message::Do(Action::Quit));
                let _ = tokio::process::Command::new("kill")
                    .args(["-WINCH", &std::process::id().to_string()])
                    .status()
                    .await;
                tokio::time::sleep(Duration::from_secs(3)).await;
                leave_terminal();
                std::process::exit(128 + n);
            });
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

/// Writes `text` to a temp file beside the draft, runs the editor on it, reads it back.
fn run_editor(command: &str, draft: &Path, text: &str) -> Result<String, String> {
    let dir = match draft.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let stem = draft
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "draft".into());
    let tmp = dir.join(format!(".{stem}.edit.json"));
    atomic::write_atomic(&tmp, text.as_bytes())
        .map_err(|e| super::strings::editor_failed(command, &format!("{}: {e}", tmp.display())))?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$1\""))
        .arg("rcs-composer-editor")
        .arg(&tmp)
        .status();
    let result = match status {
        Ok(st) if st.success() => match std::fs::read(&tmp) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(text),
                Err(e) => {
                    // Not text we can parse; keep the bytes rather than lose the edit.
                    let at = e.utf8_error().valid_up_to();
                    let rec = drafts::recovery_path(draft);
                    let kept = atomic::write_atomic(&rec, e.as_bytes()).is_ok();
                    Err(super::strings::editor_not_utf8(
                        at,
                        kept.then(|| rec.display().to_string()).as_deref(),
                    ))
                }
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(super::strings::editor_removed(
                command,
                &tmp.display().to_string(),
            )),
            Err(e) => Err(format!("{}: {e}", tmp.display())),
        },
        // sh says 127 when it cannot find the command, 126 when it cannot run it.
        Ok(st) if matches!(st.code(), Some(126 | 127)) => Err(super::strings::editor_failed(
            command,
            "the command was not found or cannot be run",
        )),
        Ok(st) => Err(super::strings::editor_exit(command, &st.to_string())),
        Err(e) => Err(super::strings::editor_failed(command, &e.to_string())),
    };
    let _ = std::fs::remove_file(&tmp);
    result
}

// ----- the real terminal -----

/// The signal (SIGTERM 15, SIGHUP 1) that made the app quit, 0 if none: the exit status
/// is then 128 + it, as a shell expects.
static SIGNALLED: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

fn enter_terminal() -> io::Result<()> {
    enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
}

fn leave_terminal() {
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

/// Restores the terminal before the previous hook prints the panic, when the panic is on
/// the UI thread (the app is going down). A panic on another thread (a worker, a network
/// task) does not stop the app: restoring the terminal then would leave it running with
/// raw mode off, keys echoed and its screen gone.
fn install_panic_hook() {
    let prev = std::panic::take_hook();
    let ui = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == ui {
            leave_terminal();
        }
        prev(info);
    }));
}

/// The terminal's output: a frame is buffered whole and written at once (stdout's own buffer
/// would write it in 1 KB pieces, each a system call and a chance to show half a frame).
type Screen = CrosstermBackend<io::BufWriter<Stdout>>;

struct RealTerminal<'a>(&'a mut Terminal<Screen>);

impl Suspend for RealTerminal<'_> {
    fn suspend(&mut self) {
        leave_terminal();
    }
    fn resume(&mut self) {
        let _ = enter_terminal();
        let _ = self.0.clear();
    }
}

/// Picks the draft to open: FILE, else the most recent draft, else a new one.
fn open_start(file: Option<PathBuf>) -> Result<(App, Option<String>), String> {
    let dir = paths::drafts_dir();
    let new_doc = || edit::new_message(MessageType::Text);
    if let Some(f) = file {
        if f.exists() {
            let doc = drafts::load(&f).map_err(|e| e.to_string())?;
            return Ok((App::new(f, doc, true, dir), None));
        }
        return Ok((App::new(f, new_doc(), false, dir), None));
    }
    let fresh = || drafts::free_path(&dir, &drafts::new_name());
    match drafts::most_recent(&dir) {
        Some(p) => match drafts::load(&p) {
            Ok(doc) => Ok((App::new(p, doc, true, dir), None)),
            Err(e) => {
                let note = super::strings::could_not_open(&e.to_string());
                Ok((App::new(fresh(), new_doc(), false, dir), Some(note)))
            }
        },
        None => Ok((App::new(fresh(), new_doc(), false, dir), None)),
    }
}

pub fn run(file: Option<PathBuf>, target: &Target) -> ExitCode {
    let (mut app, note) = match open_start(file) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("rcs-composer: {e}");
            return ExitCode::from(2);
        }
    };
    // The file is checked first: its problem is the more specific one.
    {
        use std::io::IsTerminal;
        // Before anything is written: escape codes in a file or a pipe help nobody.
        if !io::stdout().is_terminal() {
            eprintln!("rcs-composer: {}", super::strings::NOT_A_TERMINAL);
            return ExitCode::from(2);
        }
    }
    if let Some(n) = note {
        app.warn(n);
    }
    super::theme::use_color(std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()));
    let mut rt = Runtime::new();
    connect(
        &mut app,
        &mut rt,
        target,
        SandboxConfig::with_fresh_credentials(),
    );
    rt.watch_signals();
    install_panic_hook();
    if let Err(e) = enter_terminal() {
        leave_terminal();
        eprintln!("rcs-composer: cannot use the terminal: {e}");
        return ExitCode::from(2);
    }
    let mut terminal = match Terminal::new(CrosstermBackend::new(io::BufWriter::with_capacity(
        1 << 16,
        io::stdout(),
    ))) {
        Ok(t) => t,
        Err(e) => {
            leave_terminal();
            eprintln!("rcs-composer: cannot use the terminal: {e}");
            return ExitCode::from(2);
        }
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        event_loop(&mut terminal, &mut app, &mut rt)
    }));
    leave_terminal();
    // Every queued write lands before we exit.
    rt.execute(&mut app, &mut super::runtime::NoTerminal);
    rt.finish(&mut app);
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            save_on_the_way_out(&app);
            eprintln!("rcs-composer: terminal error: {e}");
            return ExitCode::from(1);
        }
        Err(_) => {
            save_on_the_way_out(&app);
            return ExitCode::from(101);
        }
    }
    let signalled = SIGNALLED.load(std::sync::atomic::Ordering::SeqCst);
    if app.unsaved() && (app.on_disk || app.generation > 0) {
        // The last write failed: try once more, else keep a copy elsewhere.
        return match drafts::save_or_rescue(&app.path, &app.doc, &app.drafts_dir) {
            Ok(drafts::Saved::InPlace) => ExitCode::SUCCESS,
            Ok(drafts::Saved::Rescued { copy, error }) => {
                eprintln!("rcs-composer: could not save {error}");
                eprintln!("rcs-composer: the draft was saved to {}", copy.display());
                ExitCode::from(1)
            }
            Err(e) => {
                eprintln!("rcs-composer: could not save the draft anywhere: {e}");
                ExitCode::from(1)
            }
        };
    }
    if signalled > 0 {
        return ExitCode::from(128 + signalled as u8);
    }
    ExitCode::SUCCESS
}

/// Gives the app its profiles, its listener and its history: reads `config.toml`, starts
/// the network (the listener, and the built-in sandbox), and loads the history file. Every
/// problem is shown in the app; none stops it.
pub fn connect(app: &mut App, rt: &mut Runtime, target: &Target, sandbox: SandboxConfig) {
    let started = rt.start_net(Some(sandbox));
    let config_path = paths::config_file();
    let loaded = Config::load_from(&config_path);
    app.profiles = Profiles::from_config(
        loaded,
        config_path,
        target,
        Env::from_process(),
        started.sandbox,
    );
    app.callback_url = started.callback_url;
    match history::read_from(&app.history_path) {
        Ok(log) => app.history = log,
        Err(e) => app.warn(super::strings::history_unreadable(
            &app.history_path.display().to_string(),
            &e.to_string(),
        )),
    }
    for p in &started.problems {
        app.sandbox_line(p.clone());
    }
    if let Some(e) = app.profiles.error.clone() {
        app.warn(super::strings::config_problem(&e));
    } else if let Some(w) = app.profiles.warnings.first().cloned() {
        app.warn(w);
    } else if let Some(p) = started.problems.first() {
        app.warn(p.clone());
    }
}

fn save_on_the_way_out(app: &App) {
    if app.generation == 0 && app.on_disk {
        return;
    }
    match drafts::save_or_rescue(&app.path, &app.doc, &app.drafts_dir) {
        Ok(drafts::Saved::InPlace) => eprintln!(
            "rcs-composer: the draft was saved to {}",
            app.path.display()
        ),
        Ok(drafts::Saved::Rescued { copy, error }) => {
            eprintln!("rcs-composer: could not save {error}");
            eprintln!("rcs-composer: the draft was saved to {}", copy.display());
        }
        Err(e) => eprintln!("rcs-composer: could not save the draft anywhere: {e}"),
    }
}

fn event_loop(terminal: &mut Terminal<Screen>, app: &mut App, rt: &mut Runtime) -> io::Result<()> {
    terminal.draw(|f| view::draw(f, app))?;
    app.dirty = false;
    loop {
        // Drain the queue, then draw once.
        while let Ok(m) = rt.rx.try_recv() {
            app.update(m);
            rt.execute(app, &mut RealTerminal(terminal));
        }
        if app.quit {
            return Ok(());
        }
        if app.dirty {
            terminal.draw(|f| view::draw(f, app))?;
            app.dirty = false;
        }
        // Wait: for the terminal only, unless a write or a send is in flight, delivery
        // updates are expected, or an autosave is pending.
        let timeout = app.next_wake(Instant::now());
        let ready = match timeout {
            None => true,
            Some(t) => event::poll(t)?,
        };
        if ready {
            let _ = rt.tx.send(Message::Terminal(event::read()?));
            while event::poll(Duration::ZERO)? {
                let _ = rt.tx.send(Message::Terminal(event::read()?));
            }
        }
        if app.autosave_due.is_some_and(|d| d <= Instant::now()) {
            let _ = rt.tx.send(Message::AutosaveDue);
        }
    }
}

/// Draws `app` on any backend (the harness's `TestBackend`).
pub fn draw_on<B: Backend>(terminal: &mut Terminal<B>, app: &mut App) -> Result<(), B::Error> {
    terminal.draw(|f| view::draw(f, app))?;
    app.dirty = false;
    Ok(())
}
