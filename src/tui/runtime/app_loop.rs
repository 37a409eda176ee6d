//! Starting the composer, its loop, and leaving it.

use super::input::Waited;
use super::terminal::{self, RealTerminal, Screen};
use super::{NoTerminal, Runtime};
use crate::message::edit;
use crate::message::schema::MessageType;
use crate::sandbox::SandboxConfig;
use crate::store::config::{Config, Env, Target};
use crate::store::stamp::Stamp;
use crate::store::{drafts, paths};
use crate::tui::action::Message;
use crate::tui::app::App;
use crate::tui::send::Profiles;
use crate::tui::strings as s;
use ratatui::Terminal;
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// What the app starts on: the app, the stamp of the draft's file as read (for the checks
/// before each write), and a note for the message line.
type Start = (App, Option<Stamp>, Option<String>);

/// Picks the draft to open: FILE, else the most recent draft, else a new one.
fn open_start(file: Option<PathBuf>) -> Result<Start, String> {
    let dir = paths::drafts_dir();
    let new_doc = || edit::new_message(MessageType::Text);
    if let Some(f) = file {
        // A symlink to a file not yet made is a new draft too (written through the link).
        if f.exists() {
            let (doc, stamp) = drafts::load_stamped(&f).map_err(|e| e.to_string())?;
            return Ok((App::new(f, doc, true, dir), Some(stamp), None));
        }
        return Ok((App::new(f, new_doc(), false, dir), None, None));
    }
    let fresh = || drafts::free_path(&dir, &drafts::new_name());
    match drafts::most_recent(&dir) {
        Some(p) => match drafts::load_stamped(&p) {
            Ok((doc, stamp)) => Ok((App::new(p, doc, true, dir), Some(stamp), None)),
            Err(e) => {
                let note = s::could_not_open(&e.to_string());
                Ok((App::new(fresh(), new_doc(), false, dir), None, Some(note)))
            }
        },
        None => Ok((App::new(fresh(), new_doc(), false, dir), None, None)),
    }
}

pub fn run(file: Option<PathBuf>, target: &Target, no_media_check: bool) -> ExitCode {
    if !no_media_check {
        super::media::load_resolver();
    }
    let (mut app, stamp, note) = match open_start(file) {
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
            eprintln!("rcs-composer: {}", s::NOT_A_TERMINAL);
            return ExitCode::from(2);
        }
    }
    if let Some(n) = note {
        app.warn(n);
    }
    crate::tui::theme::use_color(std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()));
    let mut rt = Runtime::new();
    connect(
        &mut app,
        &mut rt,
        target,
        SandboxConfig::with_fresh_credentials(),
        no_media_check,
    );
    app.start(stamp);
    // The lock and the history now, not at the first key.
    rt.execute(&mut app, &mut NoTerminal);
    rt.watch_signals();
    rt.watch_hangup();
    terminal::install_panic_hook();
    let mut screen = match terminal::enter_terminal().and_then(|_| terminal::open_screen()) {
        Ok(t) => t,
        Err(e) => {
            terminal::leave_terminal();
            eprintln!("rcs-composer: cannot use the terminal: {e}");
            return ExitCode::from(2);
        }
    };
    // Pictures need colours: NO_COLOR (above), or a terminal without any. Then, before
    // anything reads the keyboard, the terminal is asked how it draws them.
    app.media.terminal_colours = super::graphics::has_colours(&|k| std::env::var(k).ok());
    if app.media.showing_images() {
        app.media.pictures.set_graphics(super::graphics::detect());
    }
    if !rt.start_input() {
        terminal::leave_terminal();
        eprintln!("rcs-composer: cannot read the terminal's input (standard input or /dev/tty)");
        return ExitCode::from(2);
    }
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        event_loop(&mut screen, &mut app, &mut rt)
    }));
    terminal::leave_terminal();
    // Every queued write lands before we exit.
    rt.execute(&mut app, &mut NoTerminal);
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
    let signalled = terminal::signalled();
    if let Some(c) = &app.save.conflict {
        let (path, copy) = (app.path.display().to_string(), c.ours.display().to_string());
        eprintln!("rcs-composer: {}", s::conflict_on_exit(&path, &copy));
    }
    if app.unsaved() && (app.save.on_disk || app.save.generation > 0) {
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

/// Gives the app its profiles and its listener: reads `config.toml`, starts the network (the
/// listener, and the built-in sandbox). Every problem is shown in the app; none stops it.
/// (The history is read by the writer thread: a slow or locked file cannot hold the start.)
/// `no_media_check`: `--no-media-check`.
pub fn connect(
    app: &mut App,
    rt: &mut Runtime,
    target: &Target,
    sandbox: SandboxConfig,
    no_media_check: bool,
) {
    let started = rt.start_net(Some(sandbox));
    let config_path = paths::config_file();
    let loaded = Config::load_from(&config_path);
    let media_config = loaded.as_ref().map(Option::clone).map_err(drop);
    app.session.profiles = Profiles::from_config(
        loaded,
        config_path,
        target,
        Env::from_process(),
        started.sandbox,
    );
    app.session.callback_url = started.callback_url;
    app.session.target = target.clone();
    app.session.config_path = paths::config_file();
    app.session.osc52 = super::clipboard::osc52_likely();
    // After the profiles: the check trusts the CA file the active one sends with. Its probes
    // start before the first frame; a name not found is settled without building the HTTP
    // client (the trust store), which otherwise is built on a blocking thread.
    match media_config {
        Ok(config) => app.configure_media(config.as_ref(), no_media_check),
        Err(()) => app.configure_media_without_config(),
    }
    for p in &started.problems {
        app.sandbox_line(p.clone());
    }
    if let Some(e) = app.session.profiles.error.clone() {
        app.warn(s::config_problem(&e));
    } else if let Some(w) = app.session.profiles.active_warnings().first().cloned() {
        app.warn(w);
    } else if let Some(p) = started.problems.first() {
        app.warn(p.clone());
    }
}

fn save_on_the_way_out(app: &App) {
    if app.save.generation == 0 && app.save.on_disk {
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

/// Debug builds only, for the tests that a panic restores the terminal and saves the draft:
/// with `RCS_COMPOSER_DEBUG_PANIC` set, F12 panics on the UI thread, and F11 on another
/// thread (as a worker might), which the app survives.
#[cfg(debug_assertions)]
fn debug_panic(m: &Message) {
    use ratatui::crossterm::event::{Event, KeyCode};
    let Message::Terminal(Event::Key(k)) = m else {
        return;
    };
    if std::env::var_os("RCS_COMPOSER_DEBUG_PANIC").is_none() {
        return;
    }
    match k.code {
        KeyCode::F(12) => panic!("panic requested with F12 (RCS_COMPOSER_DEBUG_PANIC)"),
        KeyCode::F(11) => {
            let _ =
                std::thread::spawn(|| panic!("panic requested with F11 on a worker thread")).join();
        }
        _ => {}
    }
}

/// How long the first frame waits for the media check's answers already on their way. A
/// name that is not found is known about 1 ms after the check starts (on the 2-core machine
/// the targets are measured on): waiting for it draws the form and its findings in one
/// frame, not a frame that changes again at once. A slower answer (a real host) is shown
/// when it comes; a key or a resize ends the wait.
const FIRST_FRAME_HOLD: Duration = Duration::from_millis(3);

/// The one wait point: the next message (the terminal's or the channel's), or
/// `AutosaveDue` when the autosave's time comes first, or `Some(None)` when the first
/// frame's `hold` is over. `None` when every sender is gone.
fn next_message(rt: &mut Runtime, app: &App, hold: Option<Instant>) -> Option<Option<Message>> {
    let autosave = app.save.autosave_due;
    let until = match hold {
        Some(h) => Some(autosave.map_or(h, |a| a.min(h))),
        None => autosave,
    };
    match rt.wait(until) {
        Waited::Message(m) => Some(Some(m)),
        Waited::TimedOut if hold.is_some_and(|h| Instant::now() >= h) => Some(None),
        Waited::TimedOut => Some(Some(Message::AutosaveDue)),
        Waited::Closed => None,
    }
}

fn event_loop(screen: &mut Terminal<Screen>, app: &mut App, rt: &mut Runtime) -> io::Result<()> {
    let mut hold = (app.media.cache.pending() > 0).then(|| Instant::now() + FIRST_FRAME_HOLD);
    if hold.is_none() {
        draw_on(screen, app)?;
        rt.execute(app, &mut RealTerminal(screen));
    }
    while let Some(first) = next_message(rt, app, hold) {
        // Handle what came and everything queued behind it, then draw once.
        let mut next = first;
        let mut resized = false;
        let mut terminal = false;
        while let Some(m) = next {
            #[cfg(debug_assertions)]
            debug_panic(&m);
            resized |= matches!(
                m,
                Message::Terminal(ratatui::crossterm::event::Event::Resize(..))
            );
            terminal |= matches!(m, Message::Terminal(_));
            app.update(m);
            rt.execute(app, &mut RealTerminal(screen));
            next = rt.ready().and_then(Result::ok);
        }
        if app.quit {
            return Ok(());
        }
        if resized {
            terminal::follow_resize(screen)?;
            app.dirty = true;
        }
        if let Some(h) = hold {
            if app.media.cache.pending() > 0 && !terminal && Instant::now() < h {
                continue;
            }
            hold = None;
            app.dirty = true;
        }
        if app.dirty {
            draw_on(screen, app)?;
            // The pictures the frame lacked.
            rt.execute(app, &mut RealTerminal(screen));
        }
    }
    Ok(())
}

/// Draws `app` on any backend (the harness's `TestBackend`).
pub fn draw_on<B: super::frame::WriteCells>(
    terminal: &mut Terminal<B>,
    app: &mut App,
) -> Result<(), B::Error> {
    app.settle_media();
    // The view reads the app and writes only its own state, kept in the app between frames.
    let mut state = std::mem::take(&mut app.view);
    let drawn = super::frame::draw(terminal, app, &mut state);
    app.view = state;
    app.pictures_wanted();
    app.after_frame();
    drawn?;
    app.dirty = false;
    Ok(())
}
