//! The real terminal: raw mode and the alternate screen in and out, the panic hook that
//! restores them, and the signal that made the app quit.

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// The signal (SIGTERM 15, SIGHUP 1) that made the app quit, 0 if none: the exit status
/// is then 128 + it, as a shell expects.
static SIGNALLED: AtomicI32 = AtomicI32::new(0);

pub(super) fn note_signal(n: i32) {
    SIGNALLED.store(n, Ordering::SeqCst);
}

pub(super) fn signalled() -> i32 {
    SIGNALLED.load(Ordering::SeqCst)
}

/// Whether the app has the terminal (raw mode, the alternate screen): leaving it twice
/// would send a second "leave the alternate screen", which most terminals answer by moving
/// the cursor back to where it was when the app started, and what is printed next (the
/// panic, "the draft was saved to …") would be written over what was printed before it.
static IN_TERMINAL: AtomicBool = AtomicBool::new(false);

/// When the app last took the terminal again after a stop (see `RealTerminal::resume`).
static RESUMED: std::sync::Mutex<Option<std::time::Instant>> = std::sync::Mutex::new(None);

/// Two resumes this close, with the terminal the app's in between, answer one continue.
const SAME_CONTINUE: std::time::Duration = std::time::Duration::from_millis(500);

pub(super) fn enter_terminal() -> io::Result<()> {
    IN_TERMINAL.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
}

/// Gives the terminal back; nothing when the app does not have it (left already, by the
/// panic hook, a suspend or the signal's last resort).
pub(super) fn leave_terminal() {
    if !IN_TERMINAL.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

/// Restores the terminal before the previous hook prints the panic, when the panic is on
/// the UI thread (the app is going down). A panic on another thread (a worker, a network
/// task) does not stop the app: restoring the terminal then would leave it running with
/// raw mode off, keys echoed and its screen gone.
pub(super) fn install_panic_hook() {
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
pub(super) type Screen = CrosstermBackend<io::BufWriter<Stdout>>;

/// The screen at the terminal's size now, kept at that size until [`follow_resize`] is
/// called: asking the terminal its size on every frame costs three system calls per key.
pub(super) fn open_screen() -> io::Result<Terminal<Screen>> {
    use ratatui::backend::Backend;
    let backend = CrosstermBackend::new(io::BufWriter::with_capacity(1 << 16, io::stdout()));
    let size = backend.size()?;
    Terminal::with_options(
        backend,
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(
                0,
                0,
                size.width,
                size.height,
            )),
        },
    )
}

/// After the terminal said it was resized: takes its size now (a burst of resizes is
/// answered once, at the size it ended on) and, when that changed, clears the screen so the
/// next frame is drawn whole.
pub(super) fn follow_resize(screen: &mut Terminal<Screen>) -> io::Result<()> {
    let size = screen.size()?;
    let area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
    if screen.get_frame().area() != area {
        screen.resize(area)?;
    }
    Ok(())
}

/// Hands the terminal to a child process and takes it back.
pub trait Suspend {
    fn suspend(&mut self);
    /// Takes the terminal again; false when it was taken again just now for the same
    /// continue (nothing to draw again).
    fn resume(&mut self) -> bool;
    /// Writes bytes straight to the terminal (an OSC 52 clipboard sequence); nothing
    /// without one.
    fn write_raw(&mut self, _bytes: &[u8]) {}
    /// A real terminal, whose foreground a child process can be given and which the app can
    /// stop itself in.
    fn is_terminal(&self) -> bool {
        false
    }
}

/// For the harness: there is no terminal to hand over.
pub struct NoTerminal;

impl Suspend for NoTerminal {
    fn suspend(&mut self) {}
    fn resume(&mut self) -> bool {
        true
    }
}

pub(super) struct RealTerminal<'a>(pub(super) &'a mut Terminal<Screen>);

impl Suspend for RealTerminal<'_> {
    fn suspend(&mut self) {
        leave_terminal();
    }
    /// Takes the terminal again and draws it all at the next frame: the screen is cleared
    /// and a fresh `Terminal` has no previous frame to draw the difference from.
    /// (`Terminal::clear` would ask the terminal where its cursor is and wait up to 2 s for
    /// an answer some terminals never give.)
    ///
    /// One continue brings two messages: the app's own, once the stop it sent itself
    /// returns, and the SIGCONT watcher's. The second, while the terminal is still the app's,
    /// is the same continue and does nothing; a stop in between gives the terminal back, so
    /// the continue after it takes it again.
    fn resume(&mut self) -> bool {
        let mut last = RESUMED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if IN_TERMINAL.load(Ordering::SeqCst)
            && last.is_some_and(|t: std::time::Instant| t.elapsed() < SAME_CONTINUE)
        {
            return false;
        }
        let _ = enter_terminal();
        let _ = execute!(
            io::stdout(),
            ratatui::crossterm::terminal::Clear(ratatui::crossterm::terminal::ClearType::All)
        );
        if let Ok(t) = open_screen() {
            *self.0 = t;
        }
        *last = Some(std::time::Instant::now());
        true
    }
    fn is_terminal(&self) -> bool {
        true
    }
    fn write_raw(&mut self, bytes: &[u8]) {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(bytes);
        let _ = out.flush();
    }
}
