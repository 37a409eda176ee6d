//! The terminal's input, read by the loop itself: it waits in `poll` on the terminal and on
//! the channel's bell ([`super::channel`]), then takes what crossterm has ready without ever
//! blocking in crossterm. A key wakes the loop's thread and no other. (A reading thread of
//! its own cost a second wake-up per key; crossterm's `EventStream` on the network runtime,
//! before it, two more.)
//!
//! While another program owns the terminal (`$EDITOR`, the shell after Alt-Z) the loop is
//! inside that call, so it reads nothing meant for that program; the input is paused
//! around it all the same, and the resize watcher with it. A resize (SIGWINCH) is sent into
//! the channel with the size now. A lone Esc and the escape sequence read with it are
//! rejoined ([`super::escape`]).

use super::channel::Bell;
use super::{Runtime, escape};
use crate::tui::action::Message;
use ratatui::crossterm::event::{self, Event};
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use std::collections::VecDeque;
use std::os::fd::{AsFd, BorrowedFd};
use std::sync::mpsc::TryRecvError;
use std::time::{Duration, Instant};

/// How often the loop looks at input crossterm would not read.
const STALLED: Duration = Duration::from_millis(20);

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

/// The terminal's input while it is read: the terminal, the events read and not yet
/// handed out, and the resize watcher.
pub(super) struct Input {
    tty: Tty,
    pending: VecDeque<Event>,
    /// Why the input ended (handed out after `pending`).
    closed: Option<String>,
    /// crossterm is asked without a look at the terminal first: it may hold events read
    /// before (it was asked at the start), or the loop's wait just saw input.
    ask_first: bool,
    /// The terminal was just found without input, and the loop has not waited since: the
    /// next read does not look again (what comes meanwhile wakes the wait).
    drained: bool,
    /// The terminal has input crossterm would not read (see [`Input::read`]): the loop
    /// does not wait on it, but looks again every [`STALLED`].
    stalled: bool,
    winch: Option<tokio::task::AbortHandle>,
}

impl Input {
    /// What `poll` says of the terminal now.
    fn state(&self) -> PollFlags {
        let fd = self.tty.fd();
        let mut fds = [PollFd::new(&fd, PollFlags::IN)];
        match poll(&mut fds, Some(&Timespec::default())) {
            Ok(_) => fds[0].revents(),
            Err(_) => PollFlags::empty(),
        }
    }

    /// Takes what the terminal has into `pending`, or notes why it can be read no more.
    /// crossterm is asked only when the terminal has input (or crossterm may hold some): it
    /// is drained whole each time, and on a terminal that hung up it would read the end of
    /// input forever.
    fn read(&mut self) {
        if !std::mem::take(&mut self.ask_first) {
            if self.drained {
                return;
            }
            let r = self.state();
            if let Some(why) = gone(r) {
                self.closed = Some(why);
                return;
            }
            if !r.contains(PollFlags::IN) {
                self.stalled = false;
                self.drained = true;
                return;
            }
        }
        for _ in 0..3 {
            match take_ready() {
                Ok(events) => self.pending.extend(rejoined(events)),
                Err(e) => {
                    self.closed = Some(e.to_string());
                    return;
                }
            }
            let r = self.state();
            if !r.contains(PollFlags::IN) || gone(r).is_some() {
                self.stalled = false;
                self.drained = !r.contains(PollFlags::IN);
                return;
            }
            // Input is left that crossterm did not read. Its poll is edge-triggered, and
            // it stops reading at the first event of a read (1024 bytes: a paste that is
            // not bracketed) or at a resize that came with a key: what is left waits for
            // new input. Setting the terminal's modes again, unchanged, wakes its poll.
            let fd = self.tty.fd();
            if let Ok(modes) = rustix::termios::tcgetattr(fd) {
                let _ =
                    rustix::termios::tcsetattr(fd, rustix::termios::OptionalActions::Now, &modes);
            }
        }
        // Still unread: the loop looks again in a while rather than spin on it.
        self.stalled = true;
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        if let Some(w) = &self.winch {
            w.abort();
        }
    }
}

/// What the loop's wait found.
pub(super) enum Waited {
    Message(Message),
    /// The time given passed first.
    TimedOut,
    /// Every producer is gone.
    Closed,
}

impl Runtime {
    /// Starts reading the terminal (see the module's documentation). The end of input or a
    /// read error comes as `Message::InputClosed`. False when the terminal cannot be opened.
    pub(super) fn start_input(&mut self) -> bool {
        if self.input.is_some() {
            return true;
        }
        let Some(tty) = Tty::open() else {
            return false;
        };
        // Resizes are watched from here on, before any frame: crossterm starts when first
        // asked (what it reads now stays queued for the loop), and the signal is taken here,
        // not when the task first runs.
        let _ = event::poll(Duration::ZERO);
        let winch = self
            .net
            .as_ref()
            .and_then(|n| n.rt.as_ref())
            .and_then(|rt| {
                use tokio::signal::unix::{SignalKind, signal};
                let _inside = rt.enter();
                let mut resized = signal(SignalKind::window_change()).ok()?;
                let tx = self.tx.clone();
                Some(
                    rt.spawn(async move {
                        while resized.recv().await.is_some() {
                            // Sent with the size now, whether or not crossterm says it too
                            // (the loop takes the size once for a burst of them).
                            if let Ok((cols, rows)) = ratatui::crossterm::terminal::size()
                                && tx
                                    .send(Message::Terminal(Event::Resize(cols, rows)))
                                    .is_err()
                            {
                                return;
                            }
                        }
                    })
                    .abort_handle(),
                )
            });
        self.input = Some(Input {
            tty,
            pending: VecDeque::new(),
            closed: None,
            ask_first: true,
            drained: false,
            stalled: false,
            winch,
        });
        true
    }

    /// Stops reading the terminal (another program is about to own it); true when it was
    /// being read.
    pub(super) fn pause_input(&mut self) -> bool {
        self.input.take().is_some()
    }

    /// The next message without waiting: an event read before, then the channel's queue,
    /// then what the terminal has ready.
    pub(super) fn ready(&mut self) -> Option<Result<Message, TryRecvError>> {
        if let Some(input) = &mut self.input {
            if let Some(e) = input.pending.pop_front() {
                return Some(Ok(Message::Terminal(e)));
            }
            if let Some(why) = input.closed.take() {
                self.input = None;
                return Some(Ok(Message::InputClosed(Some(why))));
            }
        }
        match self.rx.try_recv() {
            Ok(m) => return Some(Ok(m)),
            Err(TryRecvError::Disconnected) => return Some(Err(TryRecvError::Disconnected)),
            Err(TryRecvError::Empty) => {}
        }
        let input = self.input.as_mut()?;
        input.read();
        if input.pending.is_empty() && input.closed.is_none() {
            return None;
        }
        self.ready()
    }

    /// Waits for the next message, at most until `until`.
    pub(super) fn wait(&mut self, until: Option<Instant>) -> Waited {
        loop {
            match self.ready() {
                Some(Ok(m)) => return Waited::Message(m),
                Some(Err(_)) => return Waited::Closed,
                None => {}
            }
            let mut left = until.map(|u| u.saturating_duration_since(Instant::now()));
            if left == Some(Duration::ZERO) {
                return Waited::TimedOut;
            }
            let stalled = self.input.as_ref().is_some_and(|i| i.stalled);
            for (every, now) in [
                (Bell::FALLBACK, self.bell.reader().is_none()),
                (STALLED, stalled),
            ] {
                if now {
                    left = Some(left.map_or(every, |l| l.min(every)));
                }
            }
            let timeout = left.map(|l| Timespec {
                tv_sec: l.as_secs().try_into().unwrap_or(i64::MAX),
                tv_nsec: l.subsec_nanos().into(),
            });
            let tty = self
                .input
                .as_ref()
                .filter(|i| !i.stalled)
                .map(|i| i.tty.fd());
            let bell = self.bell.reader().map(AsFd::as_fd);
            let mut fds: Vec<PollFd<'_>> = tty
                .iter()
                .chain(bell.iter())
                .map(|fd| PollFd::new(fd, PollFlags::IN))
                .collect();
            let waited = poll(&mut fds, timeout.as_ref());
            let on_tty = if tty.is_some() {
                fds[0].revents()
            } else {
                PollFlags::empty()
            };
            let rung = bell.is_some() && !fds[fds.len() - 1].revents().is_empty();
            drop(fds);
            // Only a ring is read: a key alone costs no read of the bell.
            if rung || waited.is_err() {
                self.bell.clear();
            }
            if let Some(input) = &mut self.input {
                // What came meanwhile is looked at again; input seen is read at once.
                input.drained = false;
                input.ask_first |= on_tty.contains(PollFlags::IN) && gone(on_tty).is_none();
            }
            let closed = match waited {
                Ok(_) | Err(rustix::io::Errno::INTR) => None,
                Err(e) => Some(e.to_string()),
            }
            .or_else(|| gone(on_tty));
            match (closed, &mut self.input) {
                (Some(why), Some(input)) => input.closed = Some(why),
                // Only the bell is waited on, and that failed: look again in a while.
                (Some(_), None) => std::thread::sleep(Bell::FALLBACK),
                (None, _) => {}
            }
        }
    }
}

/// Why the terminal can be read no more, from what `poll` said of it.
fn gone(r: PollFlags) -> Option<String> {
    if r.contains(PollFlags::NVAL) {
        Some("the terminal's input cannot be waited for".into())
    } else if r.intersects(PollFlags::HUP | PollFlags::ERR) {
        Some("the terminal was closed".into())
    } else {
        None
    }
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
