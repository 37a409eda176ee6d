//! The terminal and the event loop. One channel carries every [`Message`]; the loop draws
//! only once the queue is drained, and while nothing happens it blocks on the terminal: no
//! tick, no redraw, no CPU. It wakes early only for a pending autosave or a write in flight.
//!
//! File writes run on one worker thread, in order (a rename queued after a write happens
//! after it), and answer with `Message::Written`. `$EDITOR` runs with the terminal handed
//! over to it and answers with `Message::EditorDone`.

use super::action::{Effect, Message};
use super::app::App;
use super::view;
use crate::cli::Target;
use crate::message::edit;
use crate::message::schema::MessageType;
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
use std::io::{self, Stdout};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
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
}

/// The channel and the workers, shared by the real loop and the test harness.
pub struct Runtime {
    pub tx: Sender<Message>,
    pub rx: Receiver<Message>,
    files: Option<Sender<FileJob>>,
    writer: Option<JoinHandle<()>>,
    /// The editor command; `None` reads `$VISUAL`, then `$EDITOR`, then `vi`.
    pub editor: Option<String>,
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
                    let msg = match job {
                        FileJob::Write {
                            job,
                            path,
                            generation,
                            bytes,
                        } => {
                            let result =
                                atomic::write_atomic(&path, &bytes).map_err(|e| e.to_string());
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
                    };
                    if answer.send(msg).is_err() {
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
        }
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
            let msg = match job {
                FileJob::Write {
                    job,
                    path,
                    generation,
                    bytes,
                } => Message::Written {
                    job,
                    result: atomic::write_atomic(&path, &bytes).map_err(|e| e.to_string()),
                    path,
                    generation,
                },
                FileJob::Rename { from, to } => Message::Renamed {
                    result: std::fs::rename(&from, &to).map_err(|e| e.to_string()),
                    from,
                    to,
                },
            };
            let _ = self.tx.send(msg);
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

    /// Waits for the writer to finish every queued job, and hands their answers to `app`.
    pub fn finish(&mut self, app: &mut App) {
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
    atomic::write_atomic(&tmp, text.as_bytes()).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$1\""))
        .arg("rcs-composer-editor")
        .arg(&tmp)
        .status();
    let result = match status {
        Ok(st) if st.success() => {
            std::fs::read_to_string(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))
        }
        Ok(st) => Err(format!("it exited with {st}")),
        Err(e) => Err(e.to_string()),
    };
    let _ = std::fs::remove_file(&tmp);
    result
}

// ----- the real terminal -----

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

/// Restores the terminal before the previous hook prints the panic.
fn install_panic_hook() {
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave_terminal();
        prev(info);
    }));
}

struct RealTerminal<'a>(&'a mut Terminal<CrosstermBackend<Stdout>>);

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
    if let Some(n) = note {
        app.warn(n);
    }
    app.profile = target.profile.clone().unwrap_or_else(|| "default".into());
    super::theme::use_color(std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()));
    let mut rt = Runtime::new();
    install_panic_hook();
    if let Err(e) = enter_terminal() {
        leave_terminal();
        eprintln!("rcs-composer: cannot use the terminal: {e}");
        return ExitCode::from(2);
    }
    let mut terminal = match Terminal::new(CrosstermBackend::new(io::stdout())) {
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
    if app.unsaved() && (app.on_disk || app.generation > 0) {
        // The last write failed: try once more, and say so when it fails again.
        if let Err(e) = drafts::save(&app.path, &app.doc) {
            eprintln!("rcs-composer: could not save {}: {e}", app.path.display());
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

fn save_on_the_way_out(app: &App) {
    if app.generation == 0 && app.on_disk {
        return;
    }
    match drafts::save(&app.path, &app.doc) {
        Ok(()) => eprintln!(
            "rcs-composer: the draft was saved to {}",
            app.path.display()
        ),
        Err(e) => eprintln!(
            "rcs-composer: could not save the draft to {}: {e}",
            app.path.display()
        ),
    }
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    app: &mut App,
    rt: &mut Runtime,
) -> io::Result<()> {
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
        // Wait: for the terminal only, unless a write is in flight or an autosave pending.
        let timeout = if app.writes_in_flight > 0 {
            Some(Duration::from_millis(10))
        } else {
            app.autosave_due
                .map(|d| d.saturating_duration_since(Instant::now()))
        };
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
