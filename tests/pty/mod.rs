//! A pseudo-terminal for the tests that need what only a terminal shows: signals, the
//! terminal closing, suspend and resume, modes restored. Unlike portable-pty's, the test
//! holds every master end itself, so [`Pty::hang_up`] closes the terminal as closing its
//! window does. The program runs as a session leader with the pty as its controlling
//! terminal (`setsid -c`), keys go in as bytes, and the screen is read back with vt100.

#![allow(dead_code)]

use rustix::event::{PollFd, PollFlags, poll};
use rustix::fs::OFlags;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_rcs-composer");

pub struct Pty {
    pub child: Child,
    /// The terminal's device (`/dev/pts/N`), to read its modes from outside.
    pub tty: String,
    master: Option<File>,
    stop: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
    raw: Arc<Mutex<Vec<u8>>>,
    parser: Arc<Mutex<vt100::Parser>>,
}

impl Pty {
    /// Runs `cmd` (its stdio replaced by the terminal) in a `rows`×`cols` pty.
    pub fn start(cmd: Command, rows: u16, cols: u16) -> Pty {
        let master: OwnedFd = rustix::pty::openpt(
            // CLOEXEC: a master end inherited by the program would keep the terminal open.
            rustix::pty::OpenptFlags::RDWR
                | rustix::pty::OpenptFlags::NOCTTY
                | rustix::pty::OpenptFlags::CLOEXEC,
        )
        .unwrap();
        rustix::pty::grantpt(&master).unwrap();
        rustix::pty::unlockpt(&master).unwrap();
        let name = rustix::pty::ptsname(&master, Vec::new()).unwrap();
        set_size(&master, rows, cols);
        let slave = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(name.to_str().unwrap())
            .unwrap();
        let mut setsid = Command::new("setsid");
        setsid.arg("-c").arg(cmd.get_program()).args(cmd.get_args());
        for (k, v) in cmd.get_envs() {
            match v {
                Some(v) => setsid.env(k, v),
                None => setsid.env_remove(k),
            };
        }
        if let Some(d) = cmd.get_current_dir() {
            setsid.current_dir(d);
        }
        setsid
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        let child = setsid.spawn().unwrap();
        drop(cmd);
        let master = File::from(master);
        let flags = rustix::fs::fcntl_getfl(&master).unwrap();
        rustix::fs::fcntl_setfl(&master, flags | OFlags::NONBLOCK).unwrap();
        let raw = Arc::new(Mutex::new(Vec::new()));
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let stop = Arc::new(AtomicBool::new(false));
        let mut reading = master.try_clone().unwrap();
        let (r, p, s) = (raw.clone(), parser.clone(), stop.clone());
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !s.load(Ordering::SeqCst) {
                let mut fds = [PollFd::new(&reading, PollFlags::IN)];
                let wait = rustix::event::Timespec {
                    tv_sec: 0,
                    tv_nsec: 20_000_000,
                };
                if poll(&mut fds, Some(&wait)).is_err() {
                    continue;
                }
                match reading.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        r.lock().unwrap().extend_from_slice(&buf[..n]);
                        p.lock().unwrap().process(&buf[..n]);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                    // EIO: every slave end is closed (the program and its shell are gone).
                    Err(_) => std::thread::sleep(Duration::from_millis(20)),
                }
            }
        });
        Pty {
            child,
            tty: name.to_string_lossy().into_owned(),
            master: Some(master),
            stop,
            reader: Some(reader),
            raw,
            parser,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Waits for `f` to hold, at most a minute: only a failing test waits that long, and a
    /// CI machine with two cores running sixteen of these at once can stall for seconds.
    pub fn wait_for(&self, what: &str, f: impl Fn(&Pty) -> bool) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            if f(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {what}; screen:\n{}", self.screen());
    }

    pub fn wait_screen(&self, text: &str) {
        self.wait_for(text, |s| s.screen().contains(text));
    }

    /// Writes `bytes` to the terminal in one write.
    pub fn send(&mut self, bytes: &[u8]) {
        let m = self.master.as_mut().expect("the terminal is open");
        let mut left = bytes;
        while !left.is_empty() {
            match m.write(left) {
                Ok(n) => left = &left[n..],
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(5))
                }
                Err(e) => panic!("writing to the terminal: {e}"),
            }
        }
    }

    /// Resizes the terminal, as dragging its window does: the kernel tells the program
    /// (SIGWINCH), and the screen read back takes the new size.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        set_size(
            self.master.as_ref().expect("the terminal is open"),
            rows,
            cols,
        );
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
    }

    /// The screen's rows, as text.
    pub fn rows(&self) -> Vec<String> {
        let p = self.parser.lock().unwrap();
        let (_, cols) = p.screen().size();
        p.screen().rows(0, cols).collect()
    }

    /// Closes the terminal: every master end goes, as when its window is closed.
    pub fn hang_up(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        self.master = None;
    }

    /// Waits for the program (the session leader) to end, at most `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(st)) = self.child.try_wait() {
                return Some(st);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        self.hang_up();
        let _ = self.child.wait();
    }
}

/// Sets the terminal's size, through its master end.
fn set_size(master: impl std::os::fd::AsFd, rows: u16, cols: u16) {
    rustix::termios::tcsetwinsize(
        master,
        rustix::termios::Winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        },
    )
    .unwrap();
}

/// A command with the test's own data, config and home folders.
pub fn command(dir: &Path, program: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir);
    cmd.env("XDG_DATA_HOME", dir.join("data"));
    cmd.env("XDG_CONFIG_HOME", dir.join("config"));
    cmd.env("HOME", dir);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    cmd.env_remove("VISUAL");
    cmd.env_remove("EDITOR");
    cmd
}

/// The composer on `file` under `sh`, which prints its pid first (`PID=N`, an inner shell
/// `exec`s the composer) and after it its exit status (`EXIT=N`), the terminal's modes
/// (`stty -a`) and `ALLDONE`. `pre` runs first in the outer shell (a `trap`).
pub fn in_shell(dir: &Path, file: &Path, pre: &str) -> Command {
    let mut cmd = command(dir, "sh");
    cmd.arg("-c");
    cmd.arg(format!(
        "{pre} sh -c 'echo PID=$$; exec \"$0\" \"$1\"' \"$0\" \"$1\"; echo \"EXIT=$?\"; stty -a; echo ALLDONE"
    ));
    cmd.arg(BIN);
    cmd.arg(file);
    cmd
}

/// The composer's pid, as `in_shell` printed it.
pub fn pid_of(p: &Pty) -> u32 {
    p.wait_for("the pid", |s| s.raw().contains("PID="));
    let raw = p.raw();
    raw[raw.find("PID=").unwrap() + 4..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

/// Sends signal `sig` (a name: TERM, INT, …) to `pid`.
pub fn kill(sig: &str, pid: u32) {
    let st = Command::new("kill")
        .args([format!("-{sig}"), pid.to_string()])
        .status()
        .unwrap();
    assert!(st.success(), "kill -{sig} {pid}");
}

/// The composer exited with `exit`, having entered and then left the alternate screen, turned
/// mouse reporting off and shown the cursor, and the terminal is back in canonical mode with
/// echo.
#[track_caller]
pub fn assert_restored(raw: &str, exit: &str) {
    assert!(raw.contains(exit), "{raw}");
    let enter = raw
        .find("\x1b[?1049h")
        .expect("entered the alternate screen");
    let leave = raw.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(enter < leave);
    assert!(raw.rfind("\x1b[?1000l").is_some_and(|m| m > enter), "mouse");
    assert!(raw.rfind("\x1b[?25h").is_some_and(|c| c > enter), "cursor");
    let stty = &raw[raw.rfind(exit).unwrap()..];
    assert!(line_mode(stty), "{stty}");
}

/// `stty -a` says canonical mode, echo and signal keys: a shell's line mode, not raw.
pub fn line_mode(stty: &str) -> bool {
    let words: Vec<&str> = stty.split_whitespace().collect();
    ["icanon", "echo", "isig"].iter().all(|w| words.contains(w))
}

/// Whether process `pid` is running (not gone, not a zombie).
pub fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit_once(") ").map(|(_, r)| !r.starts_with('Z')))
        .unwrap_or(false)
}

/// The process state letter of `pid` (`S` sleeping, `T` stopped, …).
pub fn state(pid: u32) -> char {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit_once(") ").and_then(|(_, r)| r.chars().next()))
        .unwrap_or('?')
}

/// The terminal's modes as `stty -a` prints them, read from outside (while the app is
/// stopped, say).
pub fn stty(tty: &str) -> String {
    let out = Command::new("stty")
        .arg("-a")
        .stdin(File::open(tty).unwrap())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}
