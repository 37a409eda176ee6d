//! The composer's state and its one `update` function. No terminal I/O here: the runtime
//! feeds [`Message`]s in, draws, and carries out the [`Effect`]s the app asks for, so tests
//! drive the real app with scripted actions.

use super::action::{Action, Effect, Message, TextEdit};
use super::form::{self, ListKind, Row, RowKey, RowKind};
use super::keymap;
use super::preview::PreviewState;
use super::problems::Problems;
use super::send::{PendingSend, Profiles, SendState, Tracked};
use super::strings as s;
use crate::message::edit;
use crate::message::schema::{
    APPLICATIONS, CHOICE_TYPES, ChoiceType, HEIGHTS, Kind, MESSAGE_TYPES, MessageType,
    WEBVIEW_VIEW_MODES,
};
use crate::message::{FieldPath, Report, Segment, validate};
use crate::store::history::HistoryLog;
use crate::store::{self, drafts};
use ratatui::layout::Rect;
use ratatui_textarea::{CursorMove, TextArea};
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod sending;

/// How soon after a change the draft is written.
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(400);
const UNDO_DEPTH: usize = 50;

/// A field whose text is longer than this (in bytes) is not edited in the text area: the
/// text area re-wraps and re-measures its whole text on every keystroke and every redraw,
/// which for a 10 MB value costs half a second each. Every field's limit is far below this,
/// so only a loaded or pasted giant value is affected; it is shown cut, and the message line
/// says how to deal with it (Backspace clears it, Ctrl-Z undoes, Ctrl-E edits the JSON).
pub const EDIT_LIMIT_BYTES: usize = 64 * 1024;

/// The text being typed into the focused field.
pub struct Input {
    pub path: FieldPath,
    pub area: TextArea<'static>,
    /// The text as last written to the document.
    text: String,
    /// The document before this field's first change, pushed as one undo step.
    undo_taken: bool,
}

impl Input {
    fn new(path: FieldPath, text: &str) -> Self {
        let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        let mut area = TextArea::new(lines);
        area.set_cursor_line_style(ratatui::style::Style::new());
        area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        Self {
            path,
            area,
            text: text.to_string(),
            undo_taken: false,
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn line_count(&self) -> usize {
        self.area.lines().len()
    }
}

/// Why a list of values is open.
#[derive(Debug, Clone, PartialEq)]
pub enum PickFor {
    /// Set an enumeration field.
    Value(FieldPath),
    MessageType,
    /// Change the type of the choice at this path.
    ChoiceType(FieldPath),
    /// Add a choice of the picked type to a list, at a position.
    AddChoice {
        list: FieldPath,
        at: usize,
    },
}

pub struct Picker {
    pub title: &'static str,
    pub options: &'static [&'static str],
    pub selected: usize,
    pub purpose: PickFor,
}

pub enum BrowseMode {
    List,
    ConfirmDelete,
    Rename(Box<TextArea<'static>>),
}

pub struct Browser {
    pub items: Vec<drafts::DraftInfo>,
    pub selected: usize,
    pub mode: BrowseMode,
}

pub enum Overlay {
    Help {
        scroll: u16,
    },
    Picker(Picker),
    Drafts(Browser),
    /// A send waiting for a yes (a real profile, or the same draft again soon).
    Confirm(PendingSend),
    /// The sends, newest first; `detail` shows the selected one whole, scrolled this far.
    History {
        selected: usize,
        detail: Option<u16>,
    },
    Profiles {
        selected: usize,
    },
}

/// What the right-hand column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    #[default]
    Preview,
    /// The last send: request line and answer.
    Send,
    /// Delivery updates for each sent message, and the sandbox's log.
    Deliveries,
}

/// The line under the form that says what just happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub is_error: bool,
    /// The problem this line reports (after `F8`): the line goes once it is fixed.
    pub about: Option<FieldPath>,
}

/// Where things were drawn, for the mouse.
#[derive(Debug, Clone, Default)]
pub struct Geometry {
    pub form: Rect,
    /// For each visible line of the form, the row it belongs to.
    pub form_lines: Vec<Option<usize>>,
    pub preview: Rect,
    pub problems: Rect,
    /// For each visible line of the problems pane, the problem's position.
    pub problem_lines: Vec<usize>,
    /// The list of an open picker or of the drafts browser, and the position of its first
    /// visible line.
    pub overlay_list: Rect,
    pub overlay_first: usize,
}

pub struct App {
    /// The draft's file (it may not exist yet).
    pub path: PathBuf,
    /// The request body being composed.
    pub doc: Value,
    pub report: Report,
    pub problems: Problems,
    pub rows: Vec<Row>,
    pub focus: usize,
    pub folded: HashSet<FieldPath>,
    pub input: Option<Input>,
    pub overlay: Option<Overlay>,
    pub preview: PreviewState,
    pub status: Option<Status>,
    pub form_scroll: usize,
    pub follow_focus: bool,
    pub problems_scroll: usize,
    pub geometry: Geometry,
    /// What the right-hand column shows, whether it has the keys, and how far it is
    /// scrolled.
    pub side: Side,
    pub side_focus: bool,
    pub side_scroll: u16,
    /// How many rows the pane's text wraps to (kept between redraws).
    pub pane_rows: super::send_view::PaneRows,
    /// The profiles to send with and the active one.
    pub profiles: Profiles,
    /// This app's delivery listener, put into a sandbox request that has no callbackURL.
    pub callback_url: Option<String>,
    pub send: SendState,
    next_send: u64,
    /// A first F5 on a draft with errors arms a second one (until then, at that generation).
    override_armed: Option<(Instant, u64)>,
    /// The server's issues from the last 400, as shown on the form.
    pub server_issues: Vec<crate::client::ServerIssue>,
    /// The field a one-field edit changed, so `changed` drops only its server issues.
    last_edit: Option<FieldPath>,
    /// The history file, and what it held (newest first) plus this session's sends.
    pub history_path: PathBuf,
    pub history: HistoryLog,
    /// Sent messages and their delivery updates, newest first.
    pub deliveries: Vec<Tracked>,
    /// The in-process sandbox's log lines, oldest first (the last few hundred).
    pub sandbox_log: Vec<String>,
    /// Bumped by every change of the document.
    pub generation: u64,
    /// The generation last confirmed on disk.
    pub saved_generation: u64,
    /// The newest generation handed to a write.
    queued_generation: u64,
    /// True once the draft's file exists (loaded, or written by us).
    pub on_disk: bool,
    pub writes_in_flight: usize,
    pub autosave_due: Option<Instant>,
    effects: Vec<Effect>,
    undo: Vec<Value>,
    /// Where the drafts browser looks.
    pub drafts_dir: PathBuf,
    pub quit: bool,
    /// Set when something visible changed since the last draw.
    pub dirty: bool,
}

impl App {
    /// An app on `doc`, the draft at `path`. `on_disk`: the file already holds it.
    pub fn new(path: PathBuf, doc: Value, on_disk: bool, drafts_dir: PathBuf) -> Self {
        let mut app = App {
            path,
            doc,
            report: Report::default(),
            problems: Problems::default(),
            rows: Vec::new(),
            focus: 0,
            folded: HashSet::new(),
            input: None,
            overlay: None,
            preview: PreviewState::default(),
            status: None,
            form_scroll: 0,
            follow_focus: true,
            problems_scroll: 0,
            geometry: Geometry::default(),
            side: Side::Preview,
            side_focus: false,
            side_scroll: 0,
            pane_rows: None,
            profiles: Profiles::default(),
            callback_url: None,
            send: SendState::Idle,
            next_send: 0,
            override_armed: None,
            server_issues: Vec::new(),
            last_edit: None,
            history_path: store::paths::history_file(),
            history: HistoryLog::default(),
            deliveries: Vec::new(),
            sandbox_log: Vec::new(),
            generation: 0,
            saved_generation: 0,
            queued_generation: 0,
            on_disk,
            writes_in_flight: 0,
            autosave_due: None,
            effects: Vec::new(),
            undo: Vec::new(),
            drafts_dir,
            quit: false,
            dirty: true,
        };
        app.revalidate();
        app.rebuild(None);
        app
    }

    /// The effects asked for since the last call.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// True when the document differs from what is on disk.
    pub fn unsaved(&self) -> bool {
        self.generation != self.saved_generation || !self.on_disk
    }

    pub fn focused(&self) -> Option<&Row> {
        self.rows.get(self.focus)
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            is_error: false,
            about: None,
        });
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            is_error: true,
            about: None,
        });
    }

    /// Shows a server's 400 answer beside the local problems: its own style and marker,
    /// reachable with F8 like the others. An empty slice clears them.
    pub fn set_server_issues(&mut self, issues: &[crate::client::ServerIssue]) {
        self.server_issues = issues.to_vec();
        self.problems.set_server(issues);
        self.dirty = true;
    }

    // ----- the one update -----

    pub fn update(&mut self, msg: Message) {
        self.dirty = true;
        match msg {
            Message::Terminal(ev) => {
                if let Some(a) = keymap::map_event(self, &ev) {
                    self.act(a);
                }
            }
            Message::Do(a) => self.act(a),
            Message::InputClosed(_) => self.act(Action::Quit),
            Message::Written {
                path,
                generation,
                result,
            } => {
                self.writes_in_flight = self.writes_in_flight.saturating_sub(1);
                // A copy made from the browser appears in it once written.
                if generation.is_none() {
                    self.refresh_browser(None);
                }
                match result {
                    Ok(()) => {
                        if let Some(g) = generation
                            && path == self.path
                        {
                            self.on_disk = true;
                            self.saved_generation = self.saved_generation.max(g);
                        }
                    }
                    Err(e) => {
                        if generation.is_some() && path == self.path {
                            // Let the next change or Ctrl-S try again.
                            self.queued_generation = self.saved_generation;
                        }
                        self.warn(s::save_failed(&path.display().to_string(), &e));
                    }
                }
            }
            Message::Renamed { from, to, result } => {
                self.writes_in_flight = self.writes_in_flight.saturating_sub(1);
                if let Err(e) = result {
                    if self.path == to {
                        self.path = from;
                    }
                    self.warn(s::drafts_error(&e));
                }
                self.refresh_browser(None);
            }
            Message::EditorDone {
                generation,
                command,
                result,
            } => self.editor_done(generation, &command, result),
            Message::AutosaveDue => {
                self.autosave_due = None;
                self.write_draft(false);
            }
            Message::SendFinished {
                id,
                profile,
                body,
                outcome,
                warnings,
            } => self.send_finished(id, &profile, body, *outcome, warnings),
            Message::SendFailed { id, reason } => self.send_failed(id, reason),
            Message::Delivery(u) => self.delivery(u),
            Message::SandboxLog(line) => self.sandbox_line(line),
            Message::HistoryWritten { result } => {
                self.writes_in_flight = self.writes_in_flight.saturating_sub(1);
                if let Err(e) = result {
                    self.warn(s::history_failed(
                        &self.history_path.display().to_string(),
                        &e,
                    ));
                }
            }
        }
    }

    fn act(&mut self, a: Action) {
        match a {
            Action::Quit => {
                // A send in flight is abandoned, and the history says so.
                self.cancel_send();
                self.write_draft(false);
                self.quit = true;
            }
            Action::Save => {
                self.write_draft(true);
                self.say(s::saved_to(&self.path.display().to_string()));
            }
            Action::OpenDrafts => self.open_browser(),
            Action::EditAsJson => {
                self.effects.push(Effect::RunEditor {
                    generation: self.generation,
                    draft: self.path.clone(),
                    text: store::to_draft_json(&self.doc),
                });
            }
            Action::Help => {
                self.overlay = match self.overlay {
                    Some(Overlay::Help { .. }) => None,
                    _ => Some(Overlay::Help { scroll: 0 }),
                }
            }
            Action::Send => self.start_send(false),
            Action::SendAnyway => self.start_send(true),
            Action::ToggleSendPane => self.toggle_side(Side::Send),
            Action::ToggleDeliveries => self.toggle_side(Side::Deliveries),
            Action::OpenHistory => self.open_history(),
            Action::OpenProfiles => self.open_profiles(),
            Action::PaneScroll(d) => self.pane_scroll(d),
            Action::ToggleFallback => {
                self.preview.show_fallback = !self.preview.show_fallback;
                self.preview.scroll = 0;
            }
            Action::Undo => self.undo(),
            Action::NextProblem => self.jump(true),
            Action::PrevProblem => self.jump(false),
            Action::NextField => self.move_focus(1),
            Action::PrevField => self.move_focus(-1),
            Action::PageDown => self.move_focus(10),
            Action::PageUp => self.move_focus(-10),
            Action::Back => self.back(),
            Action::Activate => self.activate(),
            Action::Toggle => self.toggle(),
            Action::CycleValue(d) => self.cycle_value(d),
            Action::Fold => self.set_fold(true),
            Action::Unfold => self.set_fold(false),
            Action::AddItem => self.add_item(),
            Action::DeleteItem => self.delete_item(),
            Action::DuplicateItem => self.duplicate_item(),
            Action::MoveItem(d) => self.move_item(d),
            Action::Edit(e) => self.edit_text(e),
            Action::MenuMove(d) => self.menu_move(d),
            Action::MenuKey(c) => self.menu_key(c),
            Action::MenuJump(c) => {
                if let Some(Overlay::Picker(p)) = &mut self.overlay {
                    let n = p.options.len();
                    let up = c.to_ascii_uppercase();
                    if let Some(i) = (1..=n).map(|k| (p.selected + k) % n).find(|&i| {
                        let o = p.options[i];
                        o.strip_prefix("RCS_").unwrap_or(o).starts_with(up)
                    }) {
                        p.selected = i;
                    }
                }
            }
            Action::Click { column, row } => self.click(column, row),
            Action::Scroll { column, row, down } => self.scroll(column, row, down),
            Action::Redraw => {}
        }
    }

    // ----- the document -----

    fn revalidate(&mut self) {
        self.report = validate(&self.doc);
        self.problems.set_local(&self.report);
        if let Some(Status {
            about: Some(path), ..
        }) = &self.status
            && self.problems.at(path).next().is_none()
        {
            self.status = None;
        }
    }

    /// Rebuilds the rows from the document and puts the focus on `target` (or keeps it on
    /// the same field), then makes sure the text input belongs to the focused field.
    fn rebuild(&mut self, target: Option<RowKey>) {
        let keep = target.or_else(|| self.focused().map(Row::key));
        let old_focus = self.focus;
        self.rows = form::build(&self.doc, &self.folded);
        self.focus = keep
            .and_then(|k| self.find_row(&k))
            .unwrap_or_else(|| old_focus.min(self.rows.len().saturating_sub(1)));
        self.sync_input();
    }

    fn find_row(&self, k: &RowKey) -> Option<usize> {
        self.rows
            .iter()
            .position(|r| &r.key() == k)
            .or_else(|| self.rows.iter().position(|r| r.path == k.path))
    }

    /// After any change of the document: bump the generation, validate, rebuild the rows,
    /// schedule the autosave.
    fn changed(&mut self, target: Option<RowKey>) {
        self.generation += 1;
        let edited = self.last_edit.take();
        self.edited_for_server(edited);
        self.revalidate();
        self.rebuild(target);
        if self.autosave_due.is_none() {
            self.autosave_due = Some(Instant::now() + AUTOSAVE_DELAY);
        }
    }

    fn push_undo(&mut self) {
        if self.undo.len() == UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.undo.push(self.doc.clone());
    }

    fn undo(&mut self) {
        match self.undo.pop() {
            Some(doc) => {
                self.doc = doc;
                self.input = None;
                self.changed(None);
                self.say(s::UNDONE);
            }
            None => self.say(s::NOTHING_TO_UNDO),
        }
    }

    /// Asks for the draft to be written. `force`: even when nothing changed (Ctrl-S).
    fn write_draft(&mut self, force: bool) {
        let fresh_new = !self.on_disk && self.generation == 0;
        let nothing_new = fresh_new || self.queued_generation == self.generation;
        if !force && nothing_new {
            return;
        }
        self.autosave_due = None;
        self.queued_generation = self.generation;
        self.writes_in_flight += 1;
        self.effects.push(Effect::Write {
            path: self.path.clone(),
            generation: Some(self.generation),
            bytes: store::to_draft_json(&self.doc).into_bytes(),
        });
    }

    /// Replaces the whole draft (opening another one).
    fn load_draft(&mut self, path: PathBuf, doc: Value, on_disk: bool) {
        self.path = path;
        self.doc = doc;
        self.on_disk = on_disk;
        self.folded.clear();
        self.undo.clear();
        self.input = None;
        self.focus = 0;
        self.form_scroll = 0;
        self.problems_scroll = 0;
        self.preview = PreviewState::default();
        self.server_issues.clear();
        self.problems.set_server(&[]);
        self.generation += 1;
        self.saved_generation = self.generation;
        self.queued_generation = self.generation;
        self.autosave_due = None;
        self.revalidate();
        self.rebuild(None);
    }

    // ----- focus -----

    fn move_focus(&mut self, delta: isize) {
        self.side_focus = false;
        if self.rows.is_empty() {
            return;
        }
        let last = self.rows.len() as isize - 1;
        let to = (self.focus as isize + delta).clamp(0, last) as usize;
        self.set_focus(to);
    }

    pub fn set_focus(&mut self, i: usize) {
        self.focus = i.min(self.rows.len().saturating_sub(1));
        self.follow_focus = true;
        self.sync_input();
    }

    /// Makes the text input belong to the focused row: a new input when focus moved to
    /// another text field, none on other rows.
    fn sync_input(&mut self) {
        let Some(row) = self.rows.get(self.focus) else {
            self.input = None;
            return;
        };
        if !row.is_text() {
            self.input = None;
            return;
        }
        if self.input.as_ref().is_some_and(|i| i.path == row.path) {
            return;
        }
        if too_long_to_edit(row.path.get(&self.doc)) {
            self.input = None;
            return;
        }
        let text = form::edit_text(row.path.get(&self.doc));
        self.input = Some(Input::new(row.path.clone(), &text));
    }

    /// Moves to the next (or previous) problem in form order, unfolding what holds it.
    fn jump(&mut self, forward: bool) {
        self.side_focus = false;
        if self.problems.is_empty() {
            self.say(s::NO_PROBLEM_TO_JUMP);
            return;
        }
        // Order problems by where they sit in the fully unfolded form.
        let all_rows = form::build(&self.doc, &HashSet::new());
        let cur = self
            .focused()
            .and_then(|r| {
                let k = r.key();
                all_rows.iter().position(|x| x.key() == k)
            })
            .unwrap_or(0);
        let mut positions: Vec<(usize, FieldPath)> = self
            .problems
            .all()
            .filter_map(|p| resolve(&all_rows, &p.path).map(|i| (i, p.path.clone())))
            .collect();
        positions.sort_by_key(|(i, _)| *i);
        positions.dedup_by_key(|(i, _)| *i);
        let pick = if forward {
            positions
                .iter()
                .find(|(i, _)| *i > cur)
                .or(positions.first())
        } else {
            positions
                .iter()
                .rev()
                .find(|(i, _)| *i < cur)
                .or(positions.last())
        };
        let Some((i, _)) = pick.cloned() else {
            return;
        };
        let target = all_rows[i].key();
        self.reveal(&target.path);
        self.rebuild(Some(target));
        self.follow_focus = true;
        let text = self
            .problems
            .at(&self.rows[self.focus].path)
            .next()
            .map(|p| (format!("{}  {}", p.path, p.message), p.path.clone()));
        if let Some((text, path)) = text {
            self.say(text);
            if let Some(status) = &mut self.status {
                status.about = Some(path);
            }
        }
    }

    /// Unfolds every card and choice that holds `path`.
    fn reveal(&mut self, path: &FieldPath) {
        let segs = path.segments();
        for n in 1..=segs.len() {
            if matches!(segs[n - 1], Segment::Index(_)) {
                self.folded
                    .remove(&FieldPath::from_segments(segs[..n].to_vec()));
            }
        }
    }

    /// Focuses the row that shows the problem at `path`, unfolding what holds it.
    pub fn focus_problem(&mut self, path: &FieldPath) {
        self.reveal(path);
        self.rows = form::build(&self.doc, &self.folded);
        if let Some(i) = resolve(&self.rows, path) {
            self.set_focus(i);
        }
    }

    fn back(&mut self) {
        match &mut self.overlay {
            Some(Overlay::Drafts(b)) if !matches!(b.mode, BrowseMode::List) => {
                b.mode = BrowseMode::List;
            }
            Some(Overlay::History {
                detail: detail @ Some(_),
                ..
            }) => *detail = None,
            Some(Overlay::Confirm(_)) => {
                self.overlay = None;
                self.say(s::SEND_NOT_CONFIRMED);
            }
            Some(_) => self.overlay = None,
            None if self.send.in_flight().is_some() => self.cancel_send(),
            None if self.side_focus => self.side_focus = false,
            None => self.status = None,
        }
    }

    // ----- fields -----

    fn activate(&mut self) {
        if self.overlay.is_some() {
            self.menu_choose();
            return;
        }
        let Some(row) = self.focused().cloned() else {
            return;
        };
        match row.kind {
            RowKind::Value(f) if matches!(f.kind, Kind::Enum(_)) => self.open_picker(&row),
            RowKind::Value(_) => self.move_focus(1),
            RowKind::Failover(_) => self.toggle(),
            RowKind::Item { .. } | RowKind::ListHeader { .. } => self.toggle(),
            RowKind::AddItem { .. } => self.add_item(),
            RowKind::Raw(_) | RowKind::Unknown | RowKind::Note(_) => {}
        }
    }

    fn open_picker(&mut self, row: &Row) {
        let RowKind::Value(f) = row.kind else { return };
        let Kind::Enum(options) = f.kind else { return };
        let cur = row.path.get(&self.doc).and_then(Value::as_str);
        let selected = cur
            .and_then(|c| options.iter().position(|o| *o == c))
            .unwrap_or(0);
        let is_type = row.path.last_key() == Some("type") && row.path.len() >= 3;
        let (title, purpose) = if row.path.to_string() == "messageType" {
            (s::PICK_MESSAGE_TYPE, PickFor::MessageType)
        } else if is_type {
            (
                s::PICK_CHOICE_TYPE,
                PickFor::ChoiceType(row.path.parent().unwrap_or_default()),
            )
        } else {
            (s::PICK_VALUE, PickFor::Value(row.path.clone()))
        };
        self.overlay = Some(Overlay::Picker(Picker {
            title,
            options,
            selected,
            purpose,
        }));
    }

    fn toggle(&mut self) {
        let Some(row) = self.focused().cloned() else {
            return;
        };
        match row.kind {
            RowKind::Failover(_) => {
                let on = row.path.get(&self.doc).and_then(Value::as_bool) == Some(true);
                if edit::set(&mut self.doc, &row.path, Value::Bool(!on)).is_ok() {
                    self.last_edit = Some(row.path.clone());
                    self.changed(None);
                }
            }
            RowKind::Item { folded, .. } => {
                if folded {
                    self.folded.remove(&row.path);
                } else {
                    self.folded.insert(row.path.clone());
                }
                self.rebuild(None);
            }
            RowKind::ListHeader { len, .. } => {
                let items: Vec<FieldPath> = (0..len).map(|i| row.path.index(i)).collect();
                let any_open = items.iter().any(|p| !self.folded.contains(p));
                for p in items {
                    if any_open {
                        self.folded.insert(p);
                    } else {
                        self.folded.remove(&p);
                    }
                }
                self.rebuild(None);
            }
            RowKind::Value(f) if matches!(f.kind, Kind::Enum(_)) => self.open_picker(&row),
            _ => {}
        }
    }

    fn set_fold(&mut self, fold: bool) {
        let Some(row) = self.focused().cloned() else {
            return;
        };
        if let RowKind::Item { folded, .. } = row.kind
            && folded != fold
        {
            self.toggle();
        }
    }

    fn cycle_value(&mut self, d: isize) {
        let Some(row) = self.focused().cloned() else {
            return;
        };
        let RowKind::Value(f) = row.kind else { return };
        let Kind::Enum(options) = f.kind else { return };
        if std::ptr::eq(options, MESSAGE_TYPES) || std::ptr::eq(options, CHOICE_TYPES) {
            // A type change may drop fields: always through the list, never by a stray arrow.
            self.open_picker(&row);
            return;
        }
        let cur = row
            .path
            .get(&self.doc)
            .and_then(Value::as_str)
            .and_then(|c| options.iter().position(|o| *o == c));
        let n = options.len() as isize;
        let next = match cur {
            Some(i) => (i as isize + d).rem_euclid(n) as usize,
            None if d > 0 => 0,
            None => options.len() - 1,
        };
        if edit::set(
            &mut self.doc,
            &row.path,
            Value::String(options[next].into()),
        )
        .is_ok()
        {
            self.last_edit = Some(row.path.clone());
            self.changed(None);
        }
    }

    fn edit_text(&mut self, e: TextEdit) {
        if let Some(Overlay::Drafts(b)) = &mut self.overlay {
            if let BrowseMode::Rename(area) = &mut b.mode {
                let _ = apply_edit(area, &e, false);
            }
            return;
        }
        let Some(row) = self.focused().cloned() else {
            return;
        };
        let RowKind::Value(f) = row.kind else { return };
        let multiline = form::is_multiline(f);
        if self.input.is_none() && row.is_text() {
            self.edit_huge(&row, f, &e);
            return;
        }
        let Some(input) = self.input.as_mut() else {
            return;
        };
        let left_out = apply_edit(&mut input.area, &e, multiline);
        let text = input.text();
        if left_out > 0 {
            let note = s::paste_left_out(left_out, multiline);
            self.say(note);
        }
        let Some(input) = self.input.as_mut() else {
            return;
        };
        if text == input.text {
            return;
        }
        input.text = text.clone();
        let first_change = !input.undo_taken;
        input.undo_taken = true;
        if first_change {
            self.push_undo();
        }
        self.follow_focus = true;
        self.last_edit = Some(row.path.clone());
        match form::typed_value(f, &text) {
            Some(v) => {
                if edit::set(&mut self.doc, &row.path, v).is_err() {
                    return;
                }
            }
            None => {
                edit::remove(&mut self.doc, &row.path);
            }
        }
        self.changed(None);
        if text.len() > EDIT_LIMIT_BYTES {
            // A paste made it giant: stop editing it in place (see `EDIT_LIMIT_BYTES`).
            self.input = None;
            self.say(s::too_long_to_edit(f.label, text.chars().count()));
        }
    }

    /// A key on a field too long to edit in place: Backspace or Delete clears it (one undo
    /// step), anything else says what can be done.
    fn edit_huge(&mut self, row: &Row, f: &'static crate::message::schema::Field, e: &TextEdit) {
        let len = match row.path.get(&self.doc) {
            Some(Value::String(t)) => t.chars().count(),
            other => form::edit_text(other).chars().count(),
        };
        match e {
            TextEdit::Backspace | TextEdit::Delete | TextEdit::DeleteWord => {
                self.push_undo();
                self.last_edit = Some(row.path.clone());
                match form::typed_value(f, "") {
                    Some(v) => {
                        if edit::set(&mut self.doc, &row.path, v).is_err() {
                            return;
                        }
                    }
                    None => {
                        edit::remove(&mut self.doc, &row.path);
                    }
                }
                self.changed(None);
                self.say(s::cleared_huge(f.label, len));
            }
            _ => self.say(s::too_long_to_edit(f.label, len)),
        }
    }

    fn menu_choose(&mut self) {
        match self.overlay.take() {
            Some(Overlay::Picker(p)) => {
                let value = p.options[p.selected];
                self.pick(p.purpose, value);
            }
            Some(Overlay::Drafts(b)) => self.browser_enter(b),
            Some(Overlay::Confirm(p)) => self.dispatch_send(p.overridden),
            Some(Overlay::History { selected, detail }) => {
                // Enter shows the selected send whole.
                self.overlay = Some(Overlay::History {
                    selected,
                    detail: Some(detail.unwrap_or(0)),
                });
            }
            Some(Overlay::Profiles { selected }) => self.choose_profile(selected),
            Some(Overlay::Help { .. }) | None => {}
        }
    }

    fn pick(&mut self, purpose: PickFor, value: &'static str) {
        match purpose {
            PickFor::Value(path) => {
                if edit::set(&mut self.doc, &path, Value::String(value.into())).is_ok() {
                    self.last_edit = Some(path.clone());
                    self.changed(None);
                }
            }
            PickFor::MessageType => {
                let Some(t) = MessageType::parse(value) else {
                    return;
                };
                let cur = self.doc.get("messageType").and_then(Value::as_str);
                if cur == Some(value) {
                    return;
                }
                self.push_undo();
                let r = edit::switch_message_type(&mut self.doc, t);
                self.folded.clear();
                self.changed(None);
                self.say(s::switched_type(value, &r.dropped, &r.moved));
            }
            PickFor::ChoiceType(choice) => {
                let Some(t) = ChoiceType::parse(value) else {
                    return;
                };
                let Some(c) = choice.get_mut(&mut self.doc) else {
                    return;
                };
                if c.get("type").and_then(Value::as_str) == Some(value) {
                    return;
                }
                let before = self.doc.clone();
                let Some(c) = choice.get_mut(&mut self.doc) else {
                    return;
                };
                let dropped = edit::switch_choice_type(c, t);
                self.undo.push(before);
                self.changed(None);
                self.say(s::switched_choice_type(value, &dropped));
            }
            PickFor::AddChoice { list, at } => {
                let Some(t) = ChoiceType::parse(value) else {
                    return;
                };
                self.push_undo();
                match edit::list_insert(&mut self.doc, &list, at, edit::new_choice(t)) {
                    Ok(i) => {
                        self.shift_folded(&list, |j| if j >= i { Some(j + 1) } else { Some(j) });
                        // Focus the new choice's title, ready for typing.
                        let target = RowKey {
                            path: list.index(i).key("title"),
                            tag: 0,
                        };
                        self.changed(Some(target));
                    }
                    Err(e) => {
                        self.undo.pop();
                        self.warn(e.to_string());
                    }
                }
            }
        }
    }

    // ----- cards and choices -----

    /// The list and position of the card or choice the focus is in (innermost).
    fn current_item(&self) -> Option<(FieldPath, usize, ListKind)> {
        let row = self.focused()?;
        let segs = row.path.segments();
        let end = match row.kind {
            // A list header and the add row carry the list's path: not inside an item of it.
            RowKind::ListHeader { .. } | RowKind::AddItem { .. } => segs.len().saturating_sub(1),
            _ => segs.len(),
        };
        let pos = segs[..end]
            .iter()
            .rposition(|s| matches!(s, Segment::Index(_)))?;
        let Segment::Index(i) = segs[pos] else {
            return None;
        };
        let list = FieldPath::from_segments(segs[..pos].to_vec());
        let kind = if list.last_key() == Some("cards") {
            ListKind::Cards
        } else {
            ListKind::Choices
        };
        Some((list, i, kind))
    }

    /// The list a new item goes into and where: after the focused item, or at the end of
    /// the focused list.
    fn add_target(&self) -> Option<(FieldPath, usize, ListKind, usize, Option<usize>)> {
        let row = self.focused()?;
        let (list, at) = match &row.kind {
            RowKind::ListHeader { .. } | RowKind::AddItem { .. } => {
                // A list not in the draft yet is empty: the first add creates it.
                let len = row
                    .path
                    .get(&self.doc)
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                (row.path.clone(), len)
            }
            _ => {
                let (list, i, _) = self.current_item()?;
                (list, i + 1)
            }
        };
        let field = crate::message::schema::field_at(&self.doc, &list)?;
        let (kind, max) = match field.kind {
            Kind::Cards { max, .. } => (ListKind::Cards, Some(max)),
            Kind::Choices { max, .. } => (ListKind::Choices, max),
            _ => return None,
        };
        let len = list
            .get(&self.doc)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        Some((list, at, kind, len, max))
    }

    fn add_item(&mut self) {
        let Some((list, at, kind, len, max)) = self.add_target() else {
            self.say(s::NOT_IN_A_LIST);
            return;
        };
        if let Some(m) = max
            && len >= m
        {
            self.warn(s::list_full(kind.singular(), m));
            return;
        }
        match kind {
            ListKind::Choices => {
                self.overlay = Some(Overlay::Picker(Picker {
                    title: s::PICK_CHOICE_TYPE,
                    options: CHOICE_TYPES,
                    selected: 0,
                    purpose: PickFor::AddChoice { list, at },
                }));
            }
            ListKind::Cards => {
                self.push_undo();
                if let Ok(i) = edit::list_insert(&mut self.doc, &list, at, edit::new_card()) {
                    self.shift_folded(&list, |j| if j >= i { Some(j + 1) } else { Some(j) });
                    let target = RowKey {
                        path: list.index(i).key("title"),
                        tag: 0,
                    };
                    self.changed(Some(target));
                }
            }
        }
    }

    fn delete_item(&mut self) {
        let Some(row) = self.focused().cloned() else {
            return;
        };
        if let RowKind::Raw(_) = row.kind {
            self.push_undo();
            edit::remove(&mut self.doc, &row.path);
            self.changed(None);
            return;
        }
        if !matches!(row.kind, RowKind::Item { .. }) {
            self.say(s::NOT_IN_A_LIST);
            return;
        }
        let Some((list, i, kind)) = self.current_item() else {
            self.say(s::NOT_IN_A_LIST);
            return;
        };
        self.push_undo();
        if edit::list_remove(&mut self.doc, &list, i).is_err() {
            self.undo.pop();
            return;
        }
        self.shift_folded(&list, |j| match j.cmp(&i) {
            std::cmp::Ordering::Less => Some(j),
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Greater => Some(j - 1),
        });
        let len = list
            .get(&self.doc)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let target = if len == 0 {
            RowKey {
                path: list.clone(),
                tag: 3,
            }
        } else {
            RowKey {
                path: list.index(i.min(len - 1)),
                tag: 2,
            }
        };
        self.changed(Some(target));
        let what = match kind {
            ListKind::Cards => s::card_label(i),
            ListKind::Choices => s::choice_label(i),
        };
        self.say(s::deleted_item(&what));
    }

    fn duplicate_item(&mut self) {
        let Some((list, i, kind)) = self.current_item() else {
            self.say(s::NOT_IN_A_LIST);
            return;
        };
        if let Some((_, _, _, len, Some(max))) = self.add_target()
            && len >= max
        {
            self.warn(s::list_full(kind.singular(), max));
            return;
        }
        self.push_undo();
        if let Ok(n) = edit::list_duplicate(&mut self.doc, &list, i) {
            let copy_folded = self.folded.contains(&list.index(i));
            self.shift_folded(&list, |j| if j > i { Some(j + 1) } else { Some(j) });
            if copy_folded {
                self.folded.insert(list.index(n));
            }
            self.changed(Some(RowKey {
                path: list.index(n),
                tag: 2,
            }));
            let what = match kind {
                ListKind::Cards => s::card_label(i),
                ListKind::Choices => s::choice_label(i),
            };
            self.say(s::duplicated_item(&what));
        }
    }

    fn move_item(&mut self, d: isize) {
        let Some((list, i, _)) = self.current_item() else {
            self.say(s::NOT_IN_A_LIST);
            return;
        };
        let before = self.doc.clone();
        match edit::list_move(&mut self.doc, &list, i, d) {
            Ok(Some(to)) => {
                self.undo.push(before);
                self.shift_folded(&list, |j| {
                    Some(if j == i {
                        to
                    } else if j == to {
                        i
                    } else {
                        j
                    })
                });
                // Keep the focus on the same field of the moved item.
                let key = self.focused().map(Row::key);
                let target = key.map(|k| {
                    let mut segs = k.path.segments().to_vec();
                    segs[list.len()] = Segment::Index(to);
                    RowKey {
                        path: FieldPath::from_segments(segs),
                        tag: k.tag,
                    }
                });
                self.input = None;
                self.changed(target);
            }
            Ok(None) => self.say(s::ALREADY_AT_END),
            Err(e) => self.warn(e.to_string()),
        }
    }

    /// Renumbers folded items of `list` after an insert, delete or move (`None`: gone).
    fn shift_folded(&mut self, list: &FieldPath, f: impl Fn(usize) -> Option<usize>) {
        let n = list.len();
        let old = std::mem::take(&mut self.folded);
        for p in old {
            let segs = p.segments();
            if p.starts_with(list)
                && segs.len() > n
                && let Segment::Index(j) = segs[n]
            {
                if let Some(k) = f(j) {
                    let mut v = segs.to_vec();
                    v[n] = Segment::Index(k);
                    self.folded.insert(FieldPath::from_segments(v));
                }
            } else {
                self.folded.insert(p);
            }
        }
    }

    // ----- overlays -----

    fn menu_move(&mut self, d: isize) {
        match &mut self.overlay {
            Some(Overlay::Picker(p)) => {
                p.selected =
                    (p.selected as isize + d).clamp(0, p.options.len() as isize - 1) as usize
            }
            Some(Overlay::Drafts(b)) if matches!(b.mode, BrowseMode::List) => {
                let n = b.items.len() as isize;
                if n > 0 {
                    b.selected = (b.selected as isize + d).clamp(0, n - 1) as usize;
                }
            }
            Some(Overlay::Help { scroll }) => {
                *scroll = (*scroll as isize + d).max(0) as u16;
            }
            Some(Overlay::History {
                detail: Some(scroll),
                ..
            }) => {
                *scroll = (*scroll as isize + d).clamp(0, u16::MAX as isize) as u16;
            }
            Some(Overlay::History { selected, .. }) => {
                let n = self.history.entries.len() as isize;
                if n > 0 {
                    *selected = (*selected as isize + d).clamp(0, n - 1) as usize;
                }
            }
            Some(Overlay::Profiles { selected }) => {
                let n = self.profiles.entries.len() as isize;
                if n > 0 {
                    *selected = (*selected as isize + d).clamp(0, n - 1) as usize;
                }
            }
            _ => {}
        }
    }

    fn open_browser(&mut self) {
        self.overlay = Some(Overlay::Drafts(Browser {
            items: Vec::new(),
            selected: 0,
            mode: BrowseMode::List,
        }));
        let current = self.path.clone();
        self.refresh_browser(Some(&current));
    }

    fn refresh_browser(&mut self, select: Option<&Path>) {
        let listed = drafts::list(&self.drafts_dir);
        let Some(Overlay::Drafts(b)) = &mut self.overlay else {
            return;
        };
        match listed {
            Ok(items) => {
                b.items = items;
                if let Some(p) = select
                    && let Some(i) = b.items.iter().position(|d| d.path == p)
                {
                    b.selected = i;
                }
                b.selected = b.selected.min(b.items.len().saturating_sub(1));
            }
            Err(e) => {
                let msg = s::drafts_error(&format!("{}: {e}", self.drafts_dir.display()));
                self.warn(msg);
            }
        }
    }

    fn browser_enter(&mut self, mut b: Browser) {
        match std::mem::replace(&mut b.mode, BrowseMode::List) {
            BrowseMode::Rename(area) => {
                let name = area.lines().join("");
                if let Some(item) = b.items.get(b.selected).cloned() {
                    self.overlay = Some(Overlay::Drafts(b));
                    self.rename_draft(&item.path, &name);
                } else {
                    self.overlay = Some(Overlay::Drafts(b));
                }
            }
            BrowseMode::ConfirmDelete => self.overlay = Some(Overlay::Drafts(b)),
            BrowseMode::List => {
                let Some(item) = b.items.get(b.selected).cloned() else {
                    self.overlay = Some(Overlay::Drafts(b));
                    return;
                };
                if item.path == self.path {
                    return;
                }
                match drafts::load(&item.path) {
                    Ok(doc) => {
                        self.write_draft(false);
                        self.load_draft(item.path.clone(), doc, true);
                        self.say(s::opened(&item.path.display().to_string()));
                    }
                    Err(e) => {
                        self.overlay = Some(Overlay::Drafts(b));
                        self.warn(e.to_string());
                    }
                }
            }
        }
    }

    fn rename_draft(&mut self, from: &Path, name: &str) {
        let to = from.with_file_name(format!("{}.json", drafts::sanitize(name)));
        if to == from {
            return;
        }
        if to.exists() {
            self.warn(s::drafts_error(&format!("{} already exists", to.display())));
            return;
        }
        if from == self.path {
            // Ordered with this draft's pending writes: write, then rename, then write there.
            if !self.on_disk {
                self.path = to.clone();
                self.refresh_browser(Some(&to));
                return;
            }
            self.write_draft(false);
            self.writes_in_flight += 1;
            self.effects.push(Effect::Rename {
                from: from.to_path_buf(),
                to: to.clone(),
            });
            self.path = to.clone();
        } else if let Err(e) = drafts::rename(from, name) {
            self.warn(s::drafts_error(&e.to_string()));
        }
        self.refresh_browser(Some(&to));
    }

    fn menu_key(&mut self, c: char) {
        match &self.overlay {
            Some(Overlay::Confirm(_)) => {
                if c == 'y' {
                    self.menu_choose();
                } else {
                    self.back();
                }
                return;
            }
            Some(Overlay::History { selected, .. }) => {
                if c == 'n' {
                    self.reopen_history(*selected);
                }
                return;
            }
            _ => {}
        }
        let Some(Overlay::Drafts(b)) = &mut self.overlay else {
            return;
        };
        let selected = b.items.get(b.selected).cloned();
        if let BrowseMode::ConfirmDelete = b.mode {
            b.mode = BrowseMode::List;
            if c == 'y'
                && let Some(item) = selected
            {
                if item.path == self.path {
                    self.warn(s::CANNOT_DELETE_OPEN);
                } else if let Err(e) = drafts::delete(&item.path) {
                    self.warn(s::drafts_error(&e.to_string()));
                }
                self.refresh_browser(None);
            }
            return;
        }
        match c {
            'n' => {
                self.write_draft(false);
                let path = drafts::free_path(&self.drafts_dir, &drafts::new_name());
                self.load_draft(path, edit::new_message(MessageType::Text), false);
                self.overlay = None;
            }
            'd' => {
                if let Some(item) = selected {
                    if item.path == self.path {
                        self.write_draft(true);
                        // The copy must hold what is on screen, not an older file.
                        let to = drafts::free_path(
                            item.path.parent().unwrap_or(Path::new(".")),
                            &format!("{}-copy", item.name),
                        );
                        self.writes_in_flight += 1;
                        self.effects.push(Effect::Write {
                            path: to.clone(),
                            generation: None,
                            bytes: store::to_draft_json(&self.doc).into_bytes(),
                        });
                        self.say(s::duplicated_item(&item.name));
                    } else {
                        match drafts::duplicate(&item.path) {
                            Ok(to) => {
                                self.refresh_browser(Some(&to));
                                self.say(s::duplicated_item(&item.name));
                            }
                            Err(e) => self.warn(s::drafts_error(&e.to_string())),
                        }
                    }
                }
            }
            'r' => {
                if let Some(item) = selected {
                    let mut area = TextArea::new(vec![item.name.clone()]);
                    area.set_cursor_line_style(ratatui::style::Style::new());
                    area.move_cursor(CursorMove::End);
                    b.mode = BrowseMode::Rename(Box::new(area));
                }
            }
            'x' if selected.is_some() => b.mode = BrowseMode::ConfirmDelete,
            _ => {}
        }
    }

    // ----- the editor -----

    fn editor_done(&mut self, generation: u64, _command: &str, result: Result<String, String>) {
        let text = match result {
            Ok(t) => t,
            Err(e) => {
                // `e` is the whole sentence, naming the command (`runtime::run_editor`).
                self.warn(e);
                return;
            }
        };
        if generation != self.generation {
            // The draft changed meanwhile (cannot happen while the editor holds the
            // terminal); keep the edit rather than lose either.
            self.keep_recovery(&text, "the draft changed while the editor was open");
            return;
        }
        if text == store::to_draft_json(&self.doc) {
            self.say(s::EDITOR_UNCHANGED);
            return;
        }
        match drafts::parse(Path::new("edit"), &text) {
            Ok(doc) => {
                self.push_undo();
                self.doc = doc;
                self.input = None;
                self.changed(None);
                self.say(s::EDITOR_RELOADED);
            }
            Err(drafts::LoadError::Json {
                line,
                column,
                message,
                ..
            }) => {
                self.keep_recovery(&text, &format!("line {line}, column {column}: {message}"));
            }
            Err(e) => self.keep_recovery(&text, &e.to_string()),
        }
    }

    fn keep_recovery(&mut self, text: &str, why: &str) {
        let rec = drafts::recovery_path(&self.path);
        self.writes_in_flight += 1;
        self.effects.push(Effect::Write {
            path: rec.clone(),
            generation: None,
            bytes: text.as_bytes().to_vec(),
        });
        self.warn(s::editor_invalid(why, &rec.display().to_string()));
    }

    // ----- the mouse -----

    fn click(&mut self, column: u16, row: u16) {
        if self.overlay.is_some() {
            let g = &self.geometry;
            if !contains(g.overlay_list, column, row) {
                return;
            }
            let i = g.overlay_first + (row - g.overlay_list.y) as usize;
            match &mut self.overlay {
                Some(Overlay::Picker(p)) if i < p.options.len() => {
                    p.selected = i;
                    self.menu_choose();
                }
                Some(Overlay::Drafts(b))
                    if matches!(b.mode, BrowseMode::List) && i < b.items.len() =>
                {
                    if b.selected == i {
                        self.menu_choose();
                    } else {
                        b.selected = i;
                    }
                }
                Some(Overlay::History {
                    selected,
                    detail: None,
                }) if i < self.history.entries.len() => {
                    if *selected == i {
                        self.menu_choose();
                    } else {
                        *selected = i;
                    }
                }
                _ => {}
            }
            return;
        }
        let g = &self.geometry;
        if contains(g.form, column, row) {
            self.side_focus = false;
            let line = (row - g.form.y) as usize;
            if let Some(Some(i)) = g.form_lines.get(line).copied() {
                let was = self.focus;
                self.set_focus(i);
                if was == i
                    && matches!(
                        self.rows[i].kind,
                        RowKind::Item { .. } | RowKind::Failover(_) | RowKind::AddItem { .. }
                    )
                {
                    self.activate();
                }
            }
        } else if contains(g.preview, column, row) && self.side != Side::Preview {
            // A click on the send pane or the deliveries gives it the keys.
            self.side_focus = true;
        } else if contains(g.problems, column, row) {
            let line = (row - g.problems.y) as usize;
            if let Some(&i) = g.problem_lines.get(line)
                && let Some(p) = self.problems.get(i)
            {
                let path = p.path.clone();
                self.focus_problem(&path);
            }
        }
    }

    fn scroll(&mut self, column: u16, row: u16, down: bool) {
        let g = &self.geometry;
        let step = |v: usize| if down { v + 3 } else { v.saturating_sub(3) };
        if let Some(Overlay::Help { scroll }) = &mut self.overlay {
            *scroll = if down {
                scroll.saturating_add(3)
            } else {
                scroll.saturating_sub(3)
            };
        } else if contains(g.form, column, row) {
            self.form_scroll = step(self.form_scroll);
            self.follow_focus = false;
        } else if let Some(Overlay::History {
            detail: Some(scroll),
            ..
        }) = &mut self.overlay
        {
            *scroll = if down {
                scroll.saturating_add(3)
            } else {
                scroll.saturating_sub(3)
            };
        } else if contains(g.preview, column, row) && self.side != Side::Preview {
            self.pane_scroll(if down { 3 } else { -3 });
        } else if contains(g.preview, column, row) {
            self.preview.scroll = step(self.preview.scroll as usize).min(u16::MAX as usize) as u16;
        } else if contains(g.problems, column, row) {
            self.problems_scroll = step(self.problems_scroll);
        }
    }

    /// The options a picker field offers (for the footer and tests).
    pub fn picker_options(path: &FieldPath) -> &'static [&'static str] {
        match path.last_key() {
            Some("height") => HEIGHTS,
            Some("application") => APPLICATIONS,
            Some("webviewViewMode") => WEBVIEW_VIEW_MODES,
            Some("messageType") => MESSAGE_TYPES,
            _ => CHOICE_TYPES,
        }
    }
}

/// The row that shows a problem at `path`: the row of that path, else the first row inside
/// it, else the nearest row holding it.
pub fn resolve(rows: &[Row], path: &FieldPath) -> Option<usize> {
    if let Some(i) = rows.iter().position(|r| r.shows(path)) {
        return Some(i);
    }
    if let Some(i) = rows.iter().position(|r| r.path.starts_with(path)) {
        return Some(i);
    }
    let mut up = path.parent();
    while let Some(p) = up {
        if let Some(i) = rows.iter().position(|r| r.shows(&p)) {
            return Some(i);
        }
        up = p.parent();
    }
    None
}

/// Whether a value is too long to edit in the text area (see [`EDIT_LIMIT_BYTES`]).
fn too_long_to_edit(v: Option<&Value>) -> bool {
    match v {
        Some(Value::String(s)) => s.len() > EDIT_LIMIT_BYTES,
        Some(v @ (Value::Array(_) | Value::Object(_))) => {
            // Serialised only to measure; stop counting past the limit.
            struct Counter(usize);
            impl std::io::Write for Counter {
                fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                    self.0 += b.len();
                    if self.0 > EDIT_LIMIT_BYTES {
                        return Err(std::io::Error::other("long"));
                    }
                    Ok(b.len())
                }
                fn flush(&mut self) -> std::io::Result<()> {
                    Ok(())
                }
            }
            serde_json::to_writer(Counter(0), v).is_err()
        }
        _ => false,
    }
}

fn contains(r: Rect, column: u16, row: u16) -> bool {
    column >= r.x && column < r.x + r.width && row >= r.y && row < r.y + r.height
}

/// Applies one edit to a text area. A paste loses its control characters (escape codes,
/// bells, …: they would be stored in the draft and sent) and, in a one-line field, its line
/// breaks and tabs; the number left out is returned so the user can be told.
fn apply_edit(area: &mut TextArea<'static>, e: &TextEdit, multiline: bool) -> usize {
    match e {
        TextEdit::Insert(c) => area.insert_char(*c),
        TextEdit::Paste(t) => {
            let (clean, left_out) = clean_paste(t, multiline);
            area.insert_str(clean);
            return left_out;
        }
        TextEdit::Newline => {
            if multiline {
                area.insert_newline();
            }
        }
        TextEdit::Backspace => {
            area.delete_char();
        }
        TextEdit::DeleteWord => {
            area.delete_word();
        }
        TextEdit::Delete => {
            area.delete_next_char();
        }
        TextEdit::Left => area.move_cursor(CursorMove::Back),
        TextEdit::Right => area.move_cursor(CursorMove::Forward),
        TextEdit::WordLeft => area.move_cursor(CursorMove::WordBack),
        TextEdit::WordRight => area.move_cursor(CursorMove::WordForward),
        TextEdit::Home => area.move_cursor(CursorMove::Head),
        TextEdit::End => area.move_cursor(CursorMove::End),
    }
    0
}

/// Pasted text as a field takes it: `\r\n` and `\r` become `\n` (kept only in a multi-line
/// field), a tab is kept in a multi-line field and becomes a space in a one-line one, and
/// every other control character (C0, DEL, C1) is dropped. Returns the text and how many
/// characters were dropped, line breaks of a one-line field included.
pub fn clean_paste(t: &str, multiline: bool) -> (String, usize) {
    let mut out = String::with_capacity(t.len());
    let mut left_out = 0;
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' if multiline => out.push('\n'),
            '\r' | '\n' => left_out += 1,
            '\t' if multiline => out.push('\t'),
            '\t' => out.push(' '),
            c if c.is_control() => left_out += 1,
            c => out.push(c),
        }
    }
    (out, left_out)
}
