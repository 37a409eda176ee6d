//! The composer's state and its one `update` function. No terminal I/O here: the runtime
//! feeds [`Message`]s in, draws, and carries out the [`Effect`]s the app asks for, so tests
//! drive the real app with scripted actions.
//!
//! The state is kept in rooms, each with the code that changes it:
//! - the draft itself (`path`, `doc`) and what is wrong with it (`report`, `problems`);
//! - [`FormState`]: the form's rows, focus, folds, the text being typed, undo
//!   ([`editing`]: typing, pickers, switches, undo, `$EDITOR`; [`items`]: cards and
//!   choices; [`navigation`]: focus, jumps, the mouse, the overlays' lists);
//! - [`SaveState`]: generations, what is on disk, writes in flight, the autosave ([`save`]);
//! - [`SendSession`]: profiles, the send, the history, deliveries, the sandbox's log
//!   ([`sending`]);
//! - [`ViewState`]: scroll positions, where things were drawn, the panes' caches; the view
//!   writes it while drawing, `update` reads it for the mouse;
//! - the overlay open, the message line, the drafts browser ([`browser`]).

use super::action::{Action, Effect, Message};
use super::form::{self, Row, RowKey};
use super::keymap;
use super::problems::Problems;
use super::send::PendingSend;
use super::strings as s;
use crate::message::{FieldPath, Report, Segment, revalidate_field, validate};
use crate::store::drafts;
use ratatui_textarea::TextArea;
use serde_json::Value;
use std::path::PathBuf;
use std::time::Instant;

mod browser;
mod editing;
mod form_state;
mod goto;
mod items;
mod media;
mod navigation;
mod save;
mod sending;
mod switching;
mod view_state;

pub use editing::clean_paste;
pub use form_state::{EDIT_LIMIT_BYTES, FormState, Input, resolve};
pub use goto::{GoTo, GoToItem};
pub use media::{MediaJob, MediaState};
pub use save::{AUTOSAVE_DELAY, Conflict, SaveState};
pub use sending::SendSession;
pub use view_state::{Geometry, InputScroll, KeptLines, Side, ViewState};

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
    /// Start a new draft of the picked type.
    NewDraft,
    /// What to do now that someone else wrote the draft's file under our changes.
    DiskConflict,
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
    /// What the last listing found, most recently modified first.
    pub items: Vec<drafts::DraftInfo>,
    pub selected: usize,
    pub mode: BrowseMode,
    /// The draft to select once the listing under way arrives.
    pub select: Option<PathBuf>,
}

pub enum Overlay {
    /// Ctrl-G: every field, narrowed by what is typed.
    GoTo(GoTo),
    /// Ctrl-E while an edit that was not valid JSON is kept: continue from it, or start from
    /// the draft.
    Recovery(std::path::PathBuf),
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

/// The line under the form that says what just happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub is_error: bool,
    /// The problem this line reports (after `F8`): the line goes once it is fixed.
    pub about: Option<FieldPath>,
}

pub struct App {
    /// The draft's file (it may not exist yet).
    pub path: PathBuf,
    /// The request body being composed. Shared with the writer thread while it writes the
    /// draft, and with undo: a change copies it first only while either still holds it.
    pub doc: std::sync::Arc<Value>,
    pub report: Report,
    /// The validator's problems and the server's, indexed by path.
    pub problems: Problems,
    pub form: FormState,
    pub save: SaveState,
    pub session: SendSession,
    /// The media check's probes and findings, and the preview's pictures.
    pub media: MediaState,
    pub view: ViewState,
    pub overlay: Option<Overlay>,
    /// The message line.
    pub status: Option<Status>,
    /// Counts the messages said, so that a key that changes the draft without saying
    /// anything clears the one an earlier action left.
    status_seq: u64,
    /// Where the drafts browser looks.
    pub drafts_dir: PathBuf,
    pub quit: bool,
    /// Set when something visible changed since the last draw.
    pub dirty: bool,
    effects: Vec<Effect>,
}

impl App {
    /// An app on `doc`, the draft at `path`. `on_disk`: the file already holds it.
    pub fn new(path: PathBuf, doc: Value, on_disk: bool, drafts_dir: PathBuf) -> Self {
        let mut app = App {
            path,
            doc: std::sync::Arc::new(doc),
            report: Report::default(),
            problems: Problems::default(),
            form: FormState::default(),
            save: SaveState::new(on_disk),
            session: SendSession::default(),
            media: MediaState::default(),
            view: ViewState::default(),
            overlay: None,
            status: None,
            status_seq: 0,
            drafts_dir,
            quit: false,
            dirty: true,
            effects: Vec::new(),
        };
        app.revalidate();
        app.rebuild(None);
        app
    }

    /// The effects asked for since the last call.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    pub fn focused(&self) -> Option<&Row> {
        self.form.rows.get(self.form.focus)
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.status_seq += 1;
        self.status = Some(Status {
            text: text.into(),
            is_error: false,
            about: None,
        });
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.status_seq += 1;
        self.status = Some(Status {
            text: text.into(),
            is_error: true,
            about: None,
        });
    }

    /// Shows a server's 400 answer beside the local problems: its own style and marker,
    /// reachable with F8 like the others. An empty slice clears them.
    pub fn set_server_issues(&mut self, issues: &[crate::client::ServerIssue]) {
        self.problems.set_server(issues);
        self.dirty = true;
    }

    pub fn update(&mut self, msg: Message) {
        // The mouse moving (all motion is reported, for the clicks and the wheel), a button
        // let go, the focus coming and going: nothing to do, and nothing to draw.
        if let Message::Terminal(ev) = &msg
            && !matches!(ev, ratatui::crossterm::event::Event::Key(_))
            && keymap::map_event(self, ev).is_none()
        {
            return;
        }
        self.dirty = true;
        // What this message does sees every probe that came back before it.
        if !matches!(
            msg,
            Message::MediaProbed { .. } | Message::MediaProbedTogether { .. }
        ) {
            self.settle_media();
        }
        match msg {
            Message::Terminal(ev) => {
                self.check_disk_after_idle();
                let (generation, said) = (self.save.generation, self.status_seq);
                self.key_event(&ev);
                // A message belongs to the action that said it: the next key that changes
                // the draft (and says nothing of its own) takes it away.
                if self.save.generation != generation && self.status_seq == said {
                    self.status = None;
                }
            }
            Message::Do(a) => self.act(a),
            Message::InputClosed(_) => self.act(Action::Quit),
            Message::Written {
                path,
                generation,
                result,
            } => {
                self.save.jobs_in_flight = self.save.jobs_in_flight.saturating_sub(1);
                if let Err(e) = result {
                    if generation.is_some() && path == self.path {
                        // Let the next change or Ctrl-S try again.
                        self.save.queued_generation = self.save.saved_generation;
                    }
                    self.warn(s::save_failed(&path.display().to_string(), &e));
                }
            }
            Message::DraftWritten {
                path,
                generation,
                answer,
            } => self.draft_written(&path, generation, answer),
            Message::DraftChanged {
                path,
                theirs,
                stamp,
            } => self.draft_changed(&path, theirs, stamp),
            Message::DraftLocked { path, holder } => self.draft_locked(&path, holder),
            Message::Resumed => self.effects.push(Effect::Reenter),
            Message::Drafts(answer) => self.drafts_answer(answer),
            Message::HistoryRead(result) => self.history_read(result),
            Message::EditorDone {
                generation,
                command,
                result,
            } => self.editor_done(generation, &command, result),
            Message::AutosaveDue => {
                self.save.autosave_due = None;
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
            Message::SendTick { id } => self.send_tick(id),
            Message::ConfigRead(loaded) => self.config_read(loaded),
            Message::Delivery(u) => self.delivery(u),
            Message::SandboxLog(line) => self.sandbox_line(line),
            Message::HistoryWritten { result } => {
                self.save.jobs_in_flight = self.save.jobs_in_flight.saturating_sub(1);
                if let Err(e) = result {
                    self.warn(s::history_failed(
                        &self.session.history_path.display().to_string(),
                        &e,
                    ));
                }
            }
            Message::MediaProbed { url, probe } => self.media_probed(url, probe),
            Message::MediaProbedTogether { probes } => {
                for (url, probe) in probes {
                    self.media_probed(url, probe);
                }
            }
            Message::ImageLoaded { url, result } => self.image_loaded(url, result),
            Message::ImageEncoded {
                key,
                graphics,
                result,
            } => self.image_encoded(key, graphics, result),
        }
        self.media_after_update();
    }

    /// A terminal event through the keymap.
    fn key_event(&mut self, ev: &ratatui::crossterm::event::Event) {
        match keymap::split_escape(self, ev) {
            Some(key) => {
                // Esc, then the key it was read together with: each in the context the one
                // before leaves.
                self.act(Action::Back);
                if let Some(a) = keymap::map_key(self, &key) {
                    self.act(a);
                }
            }
            None => {
                if let Some(a) = keymap::map_event(self, ev) {
                    self.act(a);
                }
            }
        }
    }

    pub(super) fn act(&mut self, a: Action) {
        match a {
            Action::Quit => {
                // A send in flight is abandoned, and the history says so.
                self.cancel_send();
                self.write_draft(false);
                self.quit = true;
            }
            Action::Save => {
                self.write_draft(true);
                match &self.save.conflict {
                    Some(c) => {
                        let copy = c.ours.display().to_string();
                        self.say(s::conflict_later(&copy));
                        self.offer_conflict_choices();
                    }
                    None => self.say(s::saved_to(&self.path.display().to_string())),
                }
            }
            Action::Suspend => {
                self.write_draft(false);
                self.effects.push(Effect::Suspend);
            }
            Action::OpenDrafts => self.open_browser(),
            Action::EditAsJson => match self.form.recovery.clone() {
                Some(rec) => self.overlay = Some(Overlay::Recovery(rec)),
                None => self.run_editor(None),
            },
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
                self.view.preview.show_fallback = !self.view.preview.show_fallback;
                self.view.preview.scroll = 0;
            }
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::ClearField => self.clear_field(),
            Action::AddChoiceHere => self.add_choice_here(),
            Action::AddCardHere => self.add_card_here(),
            Action::JumpCard(d) => self.jump_item(form::ListKind::Cards, d),
            Action::JumpChoice(d) => self.jump_item(form::ListKind::Choices, d),
            Action::OpenGoTo => self.open_goto(),
            Action::NewDraft => self.ask_new_draft_type(),
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
            Action::RecheckMedia => self.recheck_media(),
            Action::ToggleImages => self.toggle_images(),
            Action::CopyCurl => self.copy_curl(),
            Action::CopyBody => self.copy_body(),
        }
    }

    pub(super) fn revalidate(&mut self) {
        self.report = validate(&self.doc);
        self.report_changed();
    }

    /// The problems follow the report; the line about a problem goes once it is fixed.
    fn report_changed(&mut self) {
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
    pub(super) fn rebuild(&mut self, target: Option<RowKey>) {
        let keep = target.or_else(|| self.focused().map(Row::key));
        let old_focus = self.form.focus;
        self.form
            .set_rows(form::build(&self.doc, &self.form.folded));
        self.form.focus = keep
            .and_then(|k| self.find_row(&k))
            .unwrap_or_else(|| old_focus.min(self.form.rows.len().saturating_sub(1)));
        self.sync_input();
    }

    pub(super) fn find_row(&self, k: &RowKey) -> Option<usize> {
        self.form
            .rows
            .iter()
            .position(|r| &r.key() == k)
            .or_else(|| self.form.rows.iter().position(|r| r.path == k.path))
    }

    /// After a change of one field's value (typing, a pick, a clear): that field alone is
    /// checked again where the validator can do it alone, and the rows stay as they are
    /// (they come from the schema and the document's shape, which a value does not change).
    /// `old_len`: the value's size as compact JSON before the change (see
    /// [`App::value_len`]), so the body's size follows without measuring the whole draft.
    pub(super) fn changed_value(&mut self, path: &FieldPath, old_len: Option<usize>) {
        self.save.generation += 1;
        self.media.checked_value(self.save.generation, path);
        self.form.value_edit = Some((self.save.generation, path.clone()));
        self.form.last_edit = None;
        self.edited_for_server(Some(path.clone()));
        match path.segments() {
            [Segment::Key(k), Segment::Index(i), rest @ ..] if k == "cards" => {
                let key = match rest.first() {
                    Some(Segment::Key(key)) => Some(key.as_str()),
                    _ => None,
                };
                self.view.preview.forget_card(*i, key)
            }
            _ => {}
        }
        let now = jiff::Timestamp::now();
        if revalidate_field(&self.doc, &mut self.report, path, old_len, now) {
            self.report_changed();
        } else {
            self.revalidate();
        }
        self.schedule_autosave();
    }

    /// The size of the value at `path` as compact JSON, `None` when absent: taken before a
    /// one-value change, for [`App::changed_value`].
    pub(super) fn value_len(&self, path: &FieldPath) -> Option<usize> {
        path.get(&self.doc).map(crate::message::validate::json_len)
    }

    fn schedule_autosave(&mut self) {
        if self.save.autosave_due.is_none() {
            let delay = save::autosave_delay(self.save.write_took);
            self.save.autosave_due = Some(Instant::now() + delay);
        }
    }

    /// After any change of the document: bump the generation, validate, rebuild the rows,
    /// schedule the autosave.
    pub(super) fn changed(&mut self, target: Option<RowKey>) {
        self.save.generation += 1;
        self.view.preview.forget_cards();
        let edited = self.form.last_edit.take();
        self.edited_for_server(edited);
        self.revalidate();
        self.rebuild(target);
        self.schedule_autosave();
    }
}
