//! The loop's channel: every producer's [`Message`] goes into one queue, and each send rings
//! a bell (a byte on a pipe) that the loop waits on beside the terminal. The loop reads the
//! terminal itself, so a key wakes one thread, the loop's, and no other.

use crate::tui::action::Message;
use std::io::{PipeReader, PipeWriter, Read, Write};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};

/// A producer's end: sends a message and rings the bell.
#[derive(Clone)]
pub struct Tx {
    queue: Sender<Message>,
    bell: Option<Arc<PipeWriter>>,
}

impl Tx {
    /// Queues `m` and wakes the loop; an error when the loop is gone.
    pub fn send(&self, m: Message) -> Result<(), LoopGone> {
        self.queue.send(m).map_err(|_| LoopGone)?;
        if let Some(b) = &self.bell {
            // Non-blocking: a full pipe means the loop has a ring to wake it already.
            let _ = (&**b).write(&[1]);
        }
        Ok(())
    }
}

/// The loop is gone: nobody reads what is sent.
#[derive(Debug)]
pub struct LoopGone;

/// The loop's end of the bell.
pub struct Bell(Option<PipeReader>);

impl Bell {
    /// What to wait on; `None` when no pipe could be made (the loop then looks every
    /// [`Bell::FALLBACK`]).
    pub fn reader(&self) -> Option<&PipeReader> {
        self.0.as_ref()
    }

    /// How often the loop looks at the queue when there is no bell.
    pub const FALLBACK: std::time::Duration = std::time::Duration::from_millis(20);

    /// Takes every ring so far (the queue is read after this, so none is lost).
    pub fn clear(&mut self) {
        let Some(r) = &mut self.0 else { return };
        let mut rings = [0u8; 256];
        while matches!(r.read(&mut rings), Ok(n) if n > 0) {}
    }
}

/// A queue with a bell: the producers' end, the loop's end, and the bell.
pub fn channel() -> (Tx, Receiver<Message>, Bell) {
    let (queue, rx) = mpsc::channel();
    let pipe = std::io::pipe().ok().filter(|(r, w)| {
        use rustix::fs::{OFlags, fcntl_setfl};
        fcntl_setfl(r, OFlags::NONBLOCK).is_ok() && fcntl_setfl(w, OFlags::NONBLOCK).is_ok()
    });
    let (reader, writer) = match pipe {
        Some((r, w)) => (Some(r), Some(Arc::new(w))),
        None => (None, None),
    };
    (
        Tx {
            queue,
            bell: writer,
        },
        rx,
        Bell(reader),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustix::event::{PollFd, PollFlags, poll};
    use std::os::fd::AsFd;

    /// A send from another thread wakes a wait on the bell; once cleared, the bell is quiet
    /// until the next send.
    #[test]
    fn a_send_rings_the_bell_until_it_is_cleared() {
        let (tx, rx, mut bell) = channel();
        let ready = |bell: &Bell, ms: i32| {
            let fd = bell.reader().expect("a pipe").as_fd();
            let mut fds = [PollFd::new(&fd, PollFlags::IN)];
            let timeout = rustix::event::Timespec {
                tv_sec: i64::from(ms / 1000),
                tv_nsec: i64::from(ms % 1000) * 1_000_000,
            };
            poll(&mut fds, Some(&timeout)).expect("poll");
            fds[0].revents().contains(PollFlags::IN)
        };
        assert!(!ready(&bell, 0));
        let sender = tx.clone();
        let t = std::thread::spawn(move || {
            for _ in 0..1000 {
                sender
                    .send(Message::AutosaveDue)
                    .expect("the loop is there");
            }
        });
        assert!(ready(&bell, 5000), "the send woke the wait");
        t.join().expect("sender");
        bell.clear();
        assert!(!ready(&bell, 0), "cleared");
        assert_eq!(rx.try_iter().count(), 1000);
        drop(rx);
        assert!(tx.send(Message::AutosaveDue).is_err(), "the loop is gone");
    }
}
