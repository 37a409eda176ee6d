//! The real app and runtime on a `TestBackend`: tests and benchmarks drive it with key
//! presses or actions, exactly as the terminal loop does (update, carry out effects, drain
//! the queue, draw), and read the screen back with its styles.

use super::action::{Action, Message};
use super::app::App;
use super::runtime::{self, NoTerminal, Runtime};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;

pub struct Harness {
    pub app: App,
    pub terminal: Terminal<TestBackend>,
    pub rt: Runtime,
}

impl Harness {
    /// An app on `doc` (the draft at `path`), drawn on a `width`×`height` screen.
    pub fn new(path: PathBuf, doc: Value, on_disk: bool, width: u16, height: u16) -> Self {
        let drafts_dir = path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
        let app = App::new(path, doc, on_disk, drafts_dir);
        Self::with_app(app, width, height)
    }

    /// The largest legal carousel with card 1's title one character past its limit (what
    /// tools/tuiperf types into: `max_carousel.py --bad-title`), on a `width`×`height`
    /// screen.
    pub fn title_past_its_limit(path: PathBuf, width: u16, height: u16) -> Self {
        let mut doc = crate::message::samples::largest_carousel();
        if let Some(Value::String(t)) = doc.pointer_mut("/cards/0/title") {
            t.push('x');
        }
        Self::new(path, doc, true, width, height)
    }

    pub fn with_app(app: App, width: u16, height: u16) -> Self {
        let terminal = match Terminal::new(TestBackend::new(width, height)) {
            Ok(t) => t,
            Err(e) => match e {},
        };
        let mut h = Harness {
            app,
            terminal,
            rt: Runtime::new(),
        };
        h.draw();
        h
    }

    /// Starts the session as the real loop does: what the draft's file holds (for the checks
    /// before each write), its lock, the temp files left by killed processes, the history.
    pub fn start(&mut self) {
        self.app.start(None);
        self.rt.execute(&mut self.app, &mut NoTerminal);
        self.drain();
        self.settle();
    }

    /// Waits until the writer thread has done every job queued so far (checks included,
    /// which are not counted as in flight), and handles their answers.
    pub fn sync(&mut self) {
        self.rt.flush();
        self.drain();
        self.settle();
    }

    /// Handles one message the way the loop does: update, effects, drain, draw. File jobs
    /// it started (a listing, a write, a draft opened) are waited for and their answers
    /// handled, as the loop would a moment later, so a test reads the screen they make.
    pub fn send(&mut self, m: Message) {
        self.app.update(m);
        self.rt.execute(&mut self.app, &mut NoTerminal);
        self.drain();
        self.settle();
    }

    fn drain(&mut self) {
        while let Ok(m) = self.rt.rx.try_recv() {
            self.app.update(m);
            self.rt.execute(&mut self.app, &mut NoTerminal);
        }
    }

    pub fn act(&mut self, a: Action) {
        self.send(Message::Do(a));
    }

    /// A key press through the keymap.
    pub fn key(&mut self, code: KeyCode, mods: KeyModifiers) {
        self.send(Message::Terminal(Event::Key(KeyEvent::new(code, mods))));
    }

    pub fn press(&mut self, code: KeyCode) {
        self.key(code, KeyModifiers::NONE);
    }

    pub fn ctrl(&mut self, c: char) {
        self.key(KeyCode::Char(c), KeyModifiers::CONTROL);
    }

    pub fn type_str(&mut self, s: &str) {
        for c in s.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// Waits until every write in flight has answered.
    pub fn settle(&mut self) {
        while self.app.save.jobs_in_flight > 0 {
            match self.rt.rx.recv_timeout(Duration::from_secs(10)) {
                Ok(m) => {
                    self.app.update(m);
                    self.rt.execute(&mut self.app, &mut NoTerminal);
                }
                Err(_) => break,
            }
        }
        self.draw();
    }

    /// Starts the network side as the real app does (the listener, and a sandbox with
    /// `sandbox`), and gives the app the listener's URL. The profiles are the test's to set.
    pub fn start_net(
        &mut self,
        sandbox: Option<crate::sandbox::SandboxConfig>,
    ) -> runtime::NetStarted {
        let started = self.rt.start_net(sandbox);
        self.app.session.callback_url = started.callback_url.clone();
        self.draw();
        started
    }

    /// Handles messages as they arrive (sends, delivery updates, writes) until `done` holds
    /// or `timeout` passes; false on timeout.
    pub fn wait_until(&mut self, timeout: Duration, done: impl Fn(&App) -> bool) -> bool {
        let end = std::time::Instant::now() + timeout;
        loop {
            if done(&self.app) {
                self.draw();
                return true;
            }
            let left = end.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                self.draw();
                return false;
            }
            match self.rt.rx.recv_timeout(left.min(Duration::from_millis(50))) {
                Ok(m) => {
                    self.app.update(m);
                    self.rt.execute(&mut self.app, &mut NoTerminal);
                    self.drain();
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(_) => return false,
            }
        }
    }

    /// The autosave delay has passed.
    pub fn autosave(&mut self) {
        self.send(Message::AutosaveDue);
        self.settle();
    }

    /// The app as it runs on a machine that cannot resolve the draft's media host (as
    /// tools/tuiperf runs it): the media check on, pictures on, and the message the runtime
    /// sends then (every URL on the host found unreachable by its one lookup; no picture is
    /// downloaded). Then drawn.
    pub fn media_unreachable(&mut self) {
        use crate::media::{NetFailure, Probe};
        self.app.configure_media(None, false);
        self.app.media.images = true;
        // The check it asks for (answered "not contacted" here: no network), before the
        // answers it stands for.
        self.rt.execute(&mut self.app, &mut NoTerminal);
        self.drain();
        let probes = crate::media::media_urls(&self.app.doc)
            .into_iter()
            .map(|(_, url)| {
                let host = url.split('/').nth(2).unwrap_or_default().to_string();
                let failure = NetFailure::Dns;
                (url, Probe::Unreachable { host, failure })
            })
            .collect();
        self.send(Message::MediaProbedTogether { probes });
        self.draw();
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.terminal.backend_mut().resize(width, height);
        let _ = self
            .terminal
            .resize(ratatui::layout::Rect::new(0, 0, width, height));
        self.send(Message::Terminal(Event::Resize(width, height)));
    }

    pub fn draw(&mut self) {
        let _ = runtime::draw_on(&mut self.terminal, &mut self.app);
        // The pictures the frame lacked, as the loop asks for them.
        self.rt.execute(&mut self.app, &mut NoTerminal);
    }

    pub fn buffer(&self) -> &Buffer {
        self.terminal.backend().buffer()
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        let b = self.buffer();
        let mut out = String::new();
        for y in 0..b.area.height {
            let mut skip = 0;
            for x in 0..b.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = b[(x, y)].symbol();
                out.push_str(sym);
                skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            }
            out.push('\n');
        }
        out
    }

    /// Where `text` first appears on screen (column, row).
    pub fn find(&self, text: &str) -> Option<(u16, u16)> {
        let b = self.buffer();
        for y in 0..b.area.height {
            let mut line = String::new();
            let mut cols = Vec::new();
            for x in 0..b.area.width {
                let sym = b[(x, y)].symbol();
                for _ in sym.chars() {
                    cols.push(x);
                }
                line.push_str(sym);
            }
            if let Some(i) = line.find(text) {
                let ci = line[..i].chars().count();
                return Some((cols.get(ci).copied().unwrap_or(0), y));
            }
        }
        None
    }
}
