//! Writing the draft: generations, what is on disk, file jobs in flight, the autosave.

use super::App;
use crate::tui::action::{Contents, Effect};
use crate::tui::preview::PreviewState;
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How soon after a change the draft is written.
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(400);

/// Where the draft stands against its file.
#[derive(Debug, Default)]
pub struct SaveState {
    /// Bumped by every change of the document.
    pub generation: u64,
    /// The generation last confirmed on disk.
    pub saved_generation: u64,
    /// The newest generation handed to a write.
    pub(super) queued_generation: u64,
    /// True once the draft's file exists (loaded, or written by us).
    pub on_disk: bool,
    /// File jobs (writes, history lines, work on the drafts folder) not yet answered.
    pub jobs_in_flight: usize,
    /// When the pending autosave is due.
    pub autosave_due: Option<Instant>,
}

impl SaveState {
    pub fn new(on_disk: bool) -> Self {
        SaveState {
            on_disk,
            ..Default::default()
        }
    }
}

impl App {
    /// True when the document differs from what is on disk.
    pub fn unsaved(&self) -> bool {
        self.save.generation != self.save.saved_generation || !self.save.on_disk
    }

    /// Asks for the draft to be written. `force`: even when nothing changed (Ctrl-S).
    pub(super) fn write_draft(&mut self, force: bool) {
        let fresh_new = !self.save.on_disk && self.save.generation == 0;
        let nothing_new = fresh_new || self.save.queued_generation == self.save.generation;
        if !force && nothing_new {
            return;
        }
        self.save.autosave_due = None;
        self.save.queued_generation = self.save.generation;
        self.file_job(Effect::Write {
            path: self.path.clone(),
            generation: Some(self.save.generation),
            contents: Contents::Draft(Box::new(self.doc.clone())),
        });
    }

    /// Hands file work (a write, a history line, a job on the drafts folder) to the writer
    /// thread; it is in flight until its answer comes.
    pub(super) fn file_job(&mut self, effect: Effect) {
        self.save.jobs_in_flight += 1;
        self.effects.push(effect);
    }

    /// Replaces the whole draft (opening another one).
    pub(super) fn load_draft(&mut self, path: PathBuf, doc: Value, on_disk: bool) {
        self.path = path;
        self.doc = doc;
        self.save.on_disk = on_disk;
        self.form.folded.clear();
        self.form.undo.clear();
        self.form.input = None;
        self.form.focus = 0;
        self.view.form_scroll = 0;
        self.view.problems_scroll = 0;
        self.view.preview = PreviewState::default();
        self.problems.set_server(&[]);
        self.save.generation += 1;
        self.save.saved_generation = self.save.generation;
        self.save.queued_generation = self.save.generation;
        self.save.autosave_due = None;
        self.revalidate();
        self.rebuild(None);
    }
}
