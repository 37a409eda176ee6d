//! The terminal's input, read on a thread of its own that sends each event straight into
//! the loop's channel: a key wakes that thread, which wakes the loop. (crossterm's
//! `EventStream`, polled on the network runtime, took two more wake-ups per key: its own
//! polling thread, then the runtime's worker.)
//!
//! The thread waits in `poll` on the terminal and on a pipe of its own, then takes what
//! crossterm has ready without ever blocking in crossterm. A byte on the pipe says stop
//! (another program is about to own the terminal: the thread is gone before it does, so no
//! key meant for that program is taken) or look (SIGWINCH: the thread sends the size).
//! A lone Esc and the escape sequence read with it are rejoined ([`super::escape`]).

use super::{Runtime, escape};
use crate::tui::action::Message;
use ratatui::crossterm::event::{self, Event};
use rustix::event::{PollFd, PollFlags, poll};
use std::io::{PipeReader, PipeWriter, Read, Write};
use std::os::fd::{AsFd, BorrowedFd};
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;

const STOP: u8 = b's';
const LOOK: u8 = b'l';

/// The events after a lone Esc looked at for the rest of an escape sequence.
const AFTER_ESC: usize = 64;

/// The terminal crossterm reads: standard input when it is one, else `/dev/tty`.
pub(super) enum Tty {
    Stdin(std::io::Stdin),
    Dev(std::fs::File),
}

impl Tty {
    pub(super) fn open() -> Option<Tty> {
        let stdin = std::io::stdin();
        if rustix::termios::isatty(stdin.as_fd()) {
            return Some(Tty::Stdin(stdin));
        }
        std::fs::File::open("/dev/tty").ok().map(Tty::Dev)
    }

    pub(super) fn fd(&self) -> BorrowedFd<'_> {
        match self {
            Tty::Stdin(s) => s.as_fd(),
            Tty::Dev(f) => f.as_fd(),
        }
    }
}

/// The reading thread, while it runs.
pub(super) struct Input {
    wake: Arc<PipeWriter>,
    thread: std::thread::JoinHandle<()>,
    winch: Option<tokio::task::AbortHandle>,
}

impl Input {
    /// Tells the thread to stop and waits until it has.
    fn stop(self) {
        if let Some(w) = &self.winch {
            w.abort();
        }
        let _ = (&*self.wake).write(&[STOP]);
        let _ = self.thread.join();
    }
}

impl Runtime {
    /// Makes the terminal's input one more producer into the channel (see the module's
    /// documentation). The end of input or a read error is sent as `Message::InputClosed`.
    /// False when the terminal cannot be opened or the thread not started.
    pub(super) fn start_input(&mut self) -> bool {
        if self.input.is_some() {
            return true;
        }
        let Some(tty) = Tty::open() else {
            return false;
        };
        let Ok((wait, wake)) = std::io::pipe() else {
            return false;
        };
        // Resizes are watched from here on, before any frame: crossterm starts when first
        // asked (what it reads now stays queued for the thread), and the signal is taken
        // here, not when the task first runs.
        let _ = event::poll(Duration::ZERO);
        let resized = self
            .net
            .as_ref()
            .and_then(|n| n.rt.as_ref())
            .and_then(|rt| {
                use tokio::signal::unix::{SignalKind, signal};
                let _inside = rt.enter();
                Some((
                    rt.handle().clone(),
                    signal(SignalKind::window_change()).ok()?,
                ))
            });
        // A burst of resizes cannot block the signal task on a full pipe.
        let _ = rustix::fs::fcntl_setfl(&wake, rustix::fs::OFlags::NONBLOCK);
        let wake = Arc::new(wake);
        let tx = self.tx.clone();
        let Ok(thread) = std::thread::Builder::new()
            .name("rcs-composer-input".into())
            .spawn(move || read_loop(&tty, wait, &tx))
        else {
            return false;
        };
        let winch = resized.map(|(rt, mut resized)| {
            let wake = wake.clone();
            rt.spawn(async move {
                while resized.recv().await.is_some() {
                    let _ = (&*wake).write(&[LOOK]);
                }
            })
            .abort_handle()
        });
        self.input = Some(Input {
            wake,
            thread,
            winch,
        });
        true
    }

    /// Stops reading the terminal (another program is about to own it) and waits until the
    /// reader has let go, so that no key meant for that program is taken.
    pub(super) fn pause_input(&mut self) -> bool {
        match self.input.take() {
            Some(input) => {
                input.stop();
                true
            }
            None => false,
        }
    }
}

/// Waits for the terminal or the pipe, and sends what crossterm has ready, until told to
/// stop, the input ends, or reading fails.
fn read_loop(tty: &Tty, mut wait: PipeReader, tx: &Sender<Message>) {
    let mut said = [0u8; 64];
    // What crossterm read before the thread began.
    if !send_ready(tx) {
        return;
    }
    loop {
        let (fd, pipe) = (tty.fd(), wait.as_fd());
        let mut fds = [
            PollFd::new(&fd, PollFlags::IN),
            PollFd::new(&pipe, PollFlags::IN),
        ];
        match poll(&mut fds, None) {
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => {
                let _ = tx.send(Message::InputClosed(Some(e.to_string())));
                return;
            }
        }
        let (on_tty, on_pipe) = (fds[0].revents(), fds[1].revents());
        if on_pipe.contains(PollFlags::IN) {
            match wait.read(&mut said) {
                Ok(n) if said[..n].contains(&STOP) => return,
                // Every writer is gone: nobody can stop this thread, nor wants it.
                Ok(0) => return,
                // A resize: said with the size now, whether or not crossterm says it too
                // (the loop takes the size once for a burst of them).
                Ok(_) => {
                    if let Ok((cols, rows)) = ratatui::crossterm::terminal::size()
                        && tx
                            .send(Message::Terminal(Event::Resize(cols, rows)))
                            .is_err()
                    {
                        return;
                    }
                }
                Err(_) => {}
            }
        }
        if on_tty.contains(PollFlags::NVAL) {
            let why = "the terminal's input cannot be waited for".to_string();
            let _ = tx.send(Message::InputClosed(Some(why)));
            return;
        }
        if !send_ready(tx) {
            return;
        }
        if on_tty.intersects(PollFlags::HUP | PollFlags::ERR) {
            // The terminal is gone; what it held was sent above.
            let _ = tx.send(Message::InputClosed(Some("the terminal was closed".into())));
            return;
        }
    }
}

/// Sends every event crossterm can give without waiting; false when reading failed (that
/// is sent as `InputClosed`) or the loop is gone.
fn send_ready(tx: &Sender<Message>) -> bool {
    let ready = match take_ready() {
        Ok(events) => events,
        Err(e) => {
            let _ = tx.send(Message::InputClosed(Some(e.to_string())));
            return false;
        }
    };
    rejoined(ready)
        .into_iter()
        .all(|e| tx.send(Message::Terminal(e)).is_ok())
}

/// Every event crossterm can give without waiting.
fn take_ready() -> std::io::Result<Vec<Event>> {
    let mut events = Vec::new();
    while event::poll(Duration::ZERO)? {
        events.push(event::read()?);
    }
    Ok(events)
}

/// The events as they came, with each lone Esc rejoined with the escape sequence read with it.
fn rejoined(ready: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(ready.len());
    let mut rest = ready.into_iter().peekable();
    while let Some(ev) = rest.next() {
        if escape::is_lone_esc(&ev) {
            let mut after = Vec::new();
            while after.len() < AFTER_ESC {
                match rest.next() {
                    Some(e) => after.push(e),
                    None => break,
                }
            }
            out.extend(escape::rejoin(ev, after));
        } else {
            out.push(ev);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn key(c: KeyCode) -> Event {
        Event::Key(KeyEvent::new(c, KeyModifiers::NONE))
    }

    #[test]
    fn a_lone_esc_is_rejoined_with_the_sequence_read_with_it() {
        let typed = [
            key(KeyCode::Char('a')),
            key(KeyCode::Esc),
            key(KeyCode::Char('[')),
            key(KeyCode::Char('1')),
            key(KeyCode::Char('5')),
            key(KeyCode::Char('~')),
            key(KeyCode::Char('b')),
        ];
        assert_eq!(
            rejoined(typed.to_vec()),
            [
                key(KeyCode::Char('a')),
                key(KeyCode::Esc),
                key(KeyCode::F(5)),
                key(KeyCode::Char('b'))
            ]
        );
        let plain = [key(KeyCode::Esc), key(KeyCode::Char('x'))];
        assert_eq!(rejoined(plain.to_vec()), plain);
    }
}
