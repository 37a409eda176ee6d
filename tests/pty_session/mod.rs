//! The real binary in a portable-pty pseudo-terminal, for the tests that drive it: keys go
//! in as bytes, the screen is read back with a vt100 parser (text and colours), and the raw
//! output is kept for the escape sequences.

// Each test binary uses part of it.
#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_rcs-composer");

pub struct Session {
    pub child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    parser: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    pub fn start(cmd: CommandBuilder, rows: u16, cols: u16) -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let raw = Arc::new(Mutex::new(Vec::new()));
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let (r, p) = (raw.clone(), parser.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        r.lock().unwrap().extend_from_slice(&buf[..n]);
                        p.lock().unwrap().process(&buf[..n]);
                    }
                }
            }
        });
        Session {
            child,
            writer,
            raw,
            parser,
            _master: pair.master,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// The screen's rows, as text.
    pub fn lines(&self) -> Vec<String> {
        self.screen().lines().map(str::to_string).collect()
    }

    /// How many cells of each row in `rows`, between columns `cols`, have a background in
    /// 24-bit colour: what half-block pictures are drawn with.
    pub fn rgb_cells_per_row(
        &self,
        rows: std::ops::Range<u16>,
        cols: std::ops::Range<u16>,
    ) -> Vec<usize> {
        let p = self.parser.lock().unwrap();
        rows.map(|r| {
            cols.clone()
                .filter(|&c| {
                    p.screen()
                        .cell(r, c)
                        .is_some_and(|cell| matches!(cell.bgcolor(), vt100::Color::Rgb(..)))
                })
                .count()
        })
        .collect()
    }

    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Waits for `f` to hold, at most a minute: only a failing test waits that long, and a
    /// CI machine with two cores running sixteen of these at once can stall for seconds.
    pub fn wait_for(&self, what: &str, f: impl Fn(&Session) -> bool) {
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

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }
}

pub fn command(dir: &Path, program: &str) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(program);
    cmd.cwd(dir);
    cmd.env("XDG_DATA_HOME", dir.join("data"));
    cmd.env("XDG_CONFIG_HOME", dir.join("config"));
    cmd.env("HOME", dir);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    cmd
}

/// The composer on `file` under `sh`, which then prints its exit status (`EXIT=N`), the
/// terminal's modes (`stty -a`) and `ALLDONE`: what the terminal was left like.
pub fn in_shell(dir: &Path, file: &Path) -> CommandBuilder {
    let mut cmd = command(dir, "sh");
    cmd.arg("-c");
    cmd.arg("\"$0\" \"$1\"; echo \"EXIT=$?\"; stty -a; echo ALLDONE");
    cmd.arg(BIN);
    cmd.arg(file);
    cmd
}

/// The composer exited with `exit`, having entered and then left the alternate screen, and
/// the terminal is back in canonical mode.
#[track_caller]
pub fn assert_restored(raw: &str, exit: &str) {
    assert!(raw.contains(exit), "{raw}");
    let enter = raw
        .find("\x1b[?1049h")
        .expect("entered the alternate screen");
    let leave = raw.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(enter < leave);
    // Left once: a second "leave" moves the cursor back to where the app started, and what
    // is printed next is written over what was printed before it.
    assert_eq!(
        raw.matches("\x1b[?1049l").count(),
        raw.matches("\x1b[?1049h").count(),
        "the alternate screen left more often than entered"
    );
    let stty = &raw[raw.rfind(exit).unwrap()..];
    assert!(
        stty.contains(" icanon") && !stty.contains("-icanon"),
        "{stty}"
    );
}

pub const DOWN: &[u8] = b"\x1b[B";
pub const BACKSPACE: &[u8] = b"\x7f";
pub const CTRL_S: &[u8] = b"\x13";
pub const CTRL_Q: &[u8] = b"\x11";
pub const TAB: &[u8] = b"\t";
pub const ENTER: &[u8] = b"\r";
pub const LEFT: &[u8] = b"\x1b[D";
pub const F8: &[u8] = b"\x1b[19~";
pub const F9: &[u8] = b"\x1b[20~";
pub const ALT_N: &[u8] = b"\x1bn";
pub const ALT_I: &[u8] = b"\x1bi";

/// The process whose parent is `pid` (the composer under its shell).
#[cfg(target_os = "linux")]
pub fn child_of(pid: u32) -> Option<u32> {
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|p| {
            std::fs::read_to_string(format!("/proc/{p}/stat"))
                .ok()
                .and_then(|st| {
                    st.rsplit(')')
                        .next()?
                        .split_whitespace()
                        .nth(1)?
                        .parse::<u32>()
                        .ok()
                })
                == Some(pid)
        })
}
