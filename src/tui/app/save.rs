//! Writing the draft: generations, what is on disk, file jobs in flight, the autosave, and
//! what happens when someone else writes the draft's file (another instance, an editor,
//! `git checkout`): nothing of theirs is written over, nothing of ours is lost.
//!
//! The writer thread checks the file before each write against what we last read or wrote.
//! When it changed:
//! - and we have nothing unsaved, the draft is reloaded and the message line says so;
//! - and we have changes of our own, ours is written beside it
//!   (`NAME.conflict-YYYYMMDD-HHMMSS.json`), theirs stays, and the person picks: go on
//!   editing (ours keeps being saved in the conflict file), reload theirs, or overwrite.
//!
//! The file is also checked when a key comes after a second or more without one, so a
//! change made while the app sat idle is reloaded before the person types into it.

use super::{App, Overlay, PickFor, Picker};
use crate::store::stamp::Stamp;
use crate::tui::action::{Contents, Effect, Known, SaveAnswer, SaveCheck};
use crate::tui::preview::PreviewState;
use crate::tui::strings as s;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How soon after a change the draft is written.
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(400);
/// The longest the autosave waits, however slow the last write was.
pub const AUTOSAVE_MAX_DELAY: Duration = Duration::from_secs(5);

/// How long after a change the autosave comes: [`AUTOSAVE_DELAY`], or ten times the last
/// write for a draft that takes longer to write (up to [`AUTOSAVE_MAX_DELAY`]). A key typed
/// while the writer still holds the document copies it, so for a 60 MB draft (a write of a
/// few hundred milliseconds) typing meets that copy once every few seconds, not every 0.4 s.
pub fn autosave_delay(last_write: Duration) -> Duration {
    AUTOSAVE_DELAY
        .max(last_write.saturating_mul(10))
        .min(AUTOSAVE_MAX_DELAY)
}

/// A key after this long without one checks the draft's file for someone else's write.
const CHECK_AFTER: Duration = Duration::from_secs(1);

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
    /// Someone else wrote the draft's file while we had changes of our own.
    pub conflict: Option<Conflict>,
    /// Another live instance has this draft open (its pid), as the lock file says.
    pub held_by: Option<u32>,
    /// When the draft's file was last checked for someone else's write (a key after a
    /// second or more checks again; a test sets `None` to check at the next key).
    pub last_check: Option<Instant>,
    /// That check is asked for after the key's frame (see [`App::after_frame`]).
    check_after_frame: bool,
    /// When the draft write in flight was handed to the writer.
    pub(super) write_started: Option<Instant>,
    /// How long the last draft write took, handing over to answer.
    pub write_took: Duration,
}

/// The draft's file and ours parted: theirs is on disk, ours in `ours`.
#[derive(Debug)]
pub struct Conflict {
    /// Where our version is written, until the person picks.
    pub ours: PathBuf,
    /// The file's content as someone else wrote it, or why it is not a draft.
    pub theirs: Result<Value, String>,
    pub stamp: Stamp,
}

/// The choices when the draft's file changed under our own changes, in the picker's order.
const CONFLICT_CHOICES: &[&str] = &[
    "Later: go on editing; yours is saved in the conflict file",
    "Reload: take the file as it is now; yours stays in the conflict file",
    "Overwrite: write this version over the file",
];

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

    /// The first work of a session, before any key: what the draft's file holds (`known`,
    /// for the checks before each write), its lock, the temp files killed processes left,
    /// and the history. The harness and the real loop call it.
    pub fn start(&mut self, known: Option<Stamp>) {
        let known = match known {
            Some(s) => Known::Stamp(s),
            None if self.save.on_disk => Known::Now,
            None => Known::Absent,
        };
        self.effects.push(Effect::KnowDraft {
            path: self.path.clone(),
            known,
        });
        self.file_job(Effect::LockDraft {
            path: self.path.clone(),
        });
        let mut dirs = vec![self.drafts_dir.clone()];
        if let Some(d) = self.path.parent().filter(|d| !d.as_os_str().is_empty())
            && d != self.drafts_dir
        {
            dirs.push(d.to_path_buf());
        }
        self.effects.push(Effect::Tidy { dirs });
        self.file_job(Effect::ReadHistory {
            path: self.session.history_path.clone(),
        });
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
        let (path, check) = match &self.save.conflict {
            // Ours alone: written over, each time.
            Some(c) => (c.ours.clone(), SaveCheck::Overwrite),
            None => (
                self.path.clone(),
                SaveCheck::Checked {
                    unsaved: self.unsaved(),
                },
            ),
        };
        self.save.write_started = Some(std::time::Instant::now());
        self.file_job(Effect::SaveDraft {
            path,
            generation: self.save.generation,
            contents: Contents::Draft(self.doc.clone()),
            check,
        });
    }

    /// Hands file work (a write, a history line, a job on the drafts folder) to the writer
    /// thread; it is in flight until its answer comes.
    pub(super) fn file_job(&mut self, effect: Effect) {
        self.save.jobs_in_flight += 1;
        self.effects.push(effect);
    }

    /// Replaces the whole draft (opening another one), and takes its lock.
    pub(super) fn load_draft(&mut self, path: PathBuf, doc: Value, on_disk: bool) {
        if path != self.path {
            self.file_job(Effect::LockDraft { path: path.clone() });
            self.save.held_by = None;
        }
        self.save.conflict = None;
        self.path = path;
        self.doc = Arc::new(doc);
        self.save.on_disk = on_disk;
        self.form.folded.clear();
        self.form.undo.clear();
        self.form.input = None;
        self.form.focus = 0;
        self.view.form_scroll = 0;
        self.view.problems_scroll = 0;
        self.view.preview = PreviewState::default();
        self.problems.set_server(&[]);
        self.mark_saved();
        self.view.preview.forget_cards();
        self.revalidate();
        self.rebuild(None);
    }

    /// The document is what the file holds: nothing to write.
    fn mark_saved(&mut self) {
        self.save.generation += 1;
        self.save.saved_generation = self.save.generation;
        self.save.queued_generation = self.save.generation;
        self.save.autosave_due = None;
    }

    /// A key came: if none came for a while, see whether someone else wrote the file.
    pub(super) fn check_disk_after_idle(&mut self) {
        let now = Instant::now();
        let idle = self
            .save
            .last_check
            .is_none_or(|t| now.duration_since(t) >= CHECK_AFTER);
        self.save.last_check = Some(now);
        self.save.check_after_frame |= idle;
    }

    /// After a frame: the work a key asked for that can wait until the key is on screen.
    /// The check of the draft's file (a read and a hash of all of it) would otherwise
    /// take the other core from the terminal while it shows the key.
    pub fn after_frame(&mut self) {
        if std::mem::take(&mut self.save.check_after_frame)
            && self.save.on_disk
            && self.save.conflict.is_none()
        {
            self.effects.push(Effect::CheckDraft {
                path: self.path.clone(),
            });
        }
    }

    /// A draft write's answer.
    pub(super) fn draft_written(&mut self, path: &Path, generation: u64, answer: SaveAnswer) {
        self.save.jobs_in_flight = self.save.jobs_in_flight.saturating_sub(1);
        if let Some(t) = self.save.write_started.take() {
            self.save.write_took = t.elapsed();
        }
        let ours_copy = self.save.conflict.as_ref().is_some_and(|c| c.ours == path);
        if path != self.path && !ours_copy {
            return;
        }
        match answer {
            SaveAnswer::Saved => {
                if path == self.path {
                    self.save.on_disk = true;
                }
                self.save.saved_generation = self.save.saved_generation.max(generation);
            }
            SaveAnswer::Failed(e) => {
                // Let the next change or Ctrl-S try again.
                self.save.queued_generation = self.save.saved_generation;
                self.warn(s::save_failed(&path.display().to_string(), &e));
            }
            SaveAnswer::Conflict {
                theirs,
                stamp,
                ours: None,
            } => self.changed_on_disk(theirs, stamp),
            SaveAnswer::Conflict {
                theirs,
                stamp,
                ours: Some(Ok(copy)),
            } => {
                self.save.saved_generation = self.save.saved_generation.max(generation);
                if self.save.conflict.as_ref().is_some_and(|c| c.ours == copy) {
                    return;
                }
                let text = s::conflict(
                    &self.path.display().to_string(),
                    &copy.display().to_string(),
                    self.save.held_by,
                );
                self.save.conflict = Some(Conflict {
                    ours: copy,
                    theirs,
                    stamp,
                });
                self.warn(text);
                self.offer_conflict_choices();
            }
            SaveAnswer::Conflict {
                ours: Some(Err(e)), ..
            } => {
                self.save.queued_generation = self.save.saved_generation;
                let text = s::conflict_not_kept(&self.path.display().to_string(), &e);
                self.warn(text);
            }
        }
    }

    /// A check found the draft's file written by someone else.
    pub(super) fn draft_changed(
        &mut self,
        path: &Path,
        theirs: Result<Value, String>,
        stamp: Stamp,
    ) {
        if path != self.path || self.save.conflict.is_some() {
            return;
        }
        let writing = self.save.queued_generation != self.save.saved_generation;
        if writing {
            // A write is on its way: it finds the change and keeps both.
        } else if self.unsaved() {
            // Ours and theirs both changed: the write finds it and keeps both.
            self.write_draft(true);
        } else {
            self.changed_on_disk(theirs, stamp);
        }
    }

    /// The file changed and we have nothing unsaved: take theirs (Ctrl-Z brings ours back).
    fn changed_on_disk(&mut self, theirs: Result<Value, String>, stamp: Stamp) {
        let name = self.path.display().to_string();
        match theirs {
            Ok(doc) => {
                self.checkpoint();
                self.reload(doc, stamp);
                self.say(s::reloaded_from_disk(&name));
            }
            // Not a draft now: nothing to load; our next write will keep both.
            Err(e) => self.warn(s::changed_not_a_draft(&name, &e)),
        }
    }

    /// The draft becomes what the file holds (stamped `stamp`), keeping focus and folds.
    fn reload(&mut self, doc: Value, stamp: Stamp) {
        self.doc = Arc::new(doc);
        self.form.input = None;
        self.save.on_disk = true;
        self.save.conflict = None;
        self.effects.push(Effect::KnowDraft {
            path: self.path.clone(),
            known: Known::Stamp(stamp),
        });
        self.mark_saved();
        self.view.preview.forget_cards();
        self.revalidate();
        self.rebuild(None);
    }

    /// Shows the choices for a conflict (again with Ctrl-S while it lasts).
    pub(super) fn offer_conflict_choices(&mut self) {
        if self.overlay.is_none() {
            self.overlay = Some(Overlay::Picker(Picker {
                title: s::CONFLICT_TITLE,
                options: CONFLICT_CHOICES,
                selected: 0,
                purpose: PickFor::DiskConflict,
            }));
        }
    }

    /// The person's pick for a conflict.
    pub(super) fn resolve_conflict(&mut self, choice: &str) {
        let Some(c) = self.save.conflict.take() else {
            return;
        };
        let (name, copy) = (
            self.path.display().to_string(),
            c.ours.display().to_string(),
        );
        if choice == CONFLICT_CHOICES[1] {
            match c.theirs {
                Ok(doc) => {
                    if self.unsaved() {
                        // The last of ours goes to the conflict file first.
                        self.file_job(Effect::SaveDraft {
                            path: c.ours.clone(),
                            generation: self.save.generation,
                            contents: Contents::Draft(self.doc.clone()),
                            check: SaveCheck::Overwrite,
                        });
                    }
                    self.checkpoint();
                    self.reload(doc, c.stamp);
                    self.say(s::reloaded_theirs(&name, &copy));
                }
                Err(ref e) => {
                    let text = s::changed_not_a_draft(&name, e);
                    self.save.conflict = Some(c);
                    self.warn(text);
                }
            }
        } else if choice == CONFLICT_CHOICES[2] {
            self.save.queued_generation = self.save.generation;
            self.file_job(Effect::SaveDraft {
                path: self.path.clone(),
                generation: self.save.generation,
                contents: Contents::Draft(self.doc.clone()),
                check: SaveCheck::Overwrite,
            });
            self.save.autosave_due = None;
            self.say(s::overwrote(&name, &copy));
        } else {
            self.save.conflict = Some(c);
            self.say(s::conflict_later(&copy));
        }
    }

    /// Another instance has the draft open (or nobody does any more).
    pub(super) fn draft_locked(&mut self, path: &Path, holder: Option<u32>) {
        self.save.jobs_in_flight = self.save.jobs_in_flight.saturating_sub(1);
        if path != self.path {
            return;
        }
        self.save.held_by = holder;
        if let Some(pid) = holder {
            self.warn(s::open_elsewhere(&self.path.display().to_string(), pid));
        }
    }
}

#[cfg(test)]
mod shared_draft {
    use crate::tui::action::{Contents, Effect};
    use crate::tui::harness::Harness;
    use ratatui::crossterm::event::KeyCode;
    use std::sync::Arc;

    /// The largest carousel with card 0's title past its limit, `x` typed into that title.
    pub(super) fn typing_in_the_title(dir: &std::path::Path) -> Harness {
        let mut h = Harness::title_past_its_limit(dir.join("d.json"), 120, 40);
        h.press(KeyCode::F(8));
        h.press(KeyCode::Char('x'));
        h
    }

    fn title(doc: &serde_json::Value) -> &str {
        doc["cards"][0]["title"].as_str().unwrap_or_default()
    }

    /// The draft handed to the writer is the document itself, not a copy; a key typed while
    /// the writer holds it copies it (the writer's stays as it was), and once the writer is
    /// done a key copies nothing.
    #[test]
    fn the_writer_shares_the_draft_and_a_key_copies_it_only_while_shared() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut h = typing_in_the_title(dir.path());
        h.app.write_draft(true);
        let mut written = None;
        for effect in h.app.take_effects() {
            if let Effect::SaveDraft {
                contents: Contents::Draft(doc),
                ..
            } = &effect
            {
                written = Some(doc.clone());
            }
            h.app.effects.push(effect);
        }
        let written = written.expect("a draft write");
        assert!(Arc::ptr_eq(&written, &h.app.doc), "shared, not copied");

        h.press(KeyCode::Char('y'));
        assert!(!Arc::ptr_eq(&written, &h.app.doc), "copied while shared");
        assert!(title(&written).ends_with('x'), "{}", title(&written));
        assert!(title(&h.app.doc).ends_with("xy"), "{}", title(&h.app.doc));

        drop(written);
        let before = Arc::as_ptr(&h.app.doc);
        h.press(KeyCode::Char('z'));
        assert!(title(&h.app.doc).ends_with("xyz"));
        assert_eq!(
            Arc::as_ptr(&h.app.doc),
            before,
            "not copied once the writer is done"
        );
        assert_eq!(Arc::strong_count(&h.app.doc), 1);
    }

    /// A key after a pause asks for the check of the draft's file only once its frame is
    /// drawn: the key is on screen before the file is read and hashed.
    #[test]
    fn the_check_after_a_pause_waits_for_the_keys_frame() {
        use crate::tui::action::Message;
        use ratatui::crossterm::event::{Event, KeyEvent, KeyModifiers};
        let dir = tempfile::tempdir().expect("temp dir");
        let mut h = typing_in_the_title(dir.path());
        let checks = |effects: &[Effect]| {
            effects
                .iter()
                .filter(|e| matches!(e, Effect::CheckDraft { .. }))
                .count()
        };
        h.app.save.last_check = None;
        let key = KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE);
        h.app.update(Message::Terminal(Event::Key(key)));
        let effects = h.app.take_effects();
        assert_eq!(checks(&effects), 0, "no check before the frame");
        h.app.effects = effects;
        h.app.after_frame();
        assert_eq!(checks(&h.app.take_effects()), 1, "the check after it");
        h.app.after_frame();
        assert_eq!(checks(&h.app.take_effects()), 0, "once");
    }
}

#[cfg(test)]
mod autosave_pace {
    use super::shared_draft::typing_in_the_title;
    use super::{AUTOSAVE_DELAY, AUTOSAVE_MAX_DELAY, autosave_delay};
    use crate::tui::harness::Harness;
    use crate::tui::runtime::NoTerminal;
    use ratatui::crossterm::event::KeyCode;
    use std::time::{Duration, Instant};

    #[test]
    fn the_autosave_waits_ten_times_a_slow_write_up_to_five_seconds() {
        assert_eq!(autosave_delay(Duration::ZERO), AUTOSAVE_DELAY);
        assert_eq!(autosave_delay(Duration::from_millis(30)), AUTOSAVE_DELAY);
        assert_eq!(
            autosave_delay(Duration::from_millis(200)),
            Duration::from_secs(2)
        );
        assert_eq!(autosave_delay(Duration::from_secs(3)), AUTOSAVE_MAX_DELAY);
        assert_eq!(autosave_delay(Duration::MAX), AUTOSAVE_MAX_DELAY);
    }

    /// A write that took 200 ms (its start set back to make it so) puts the next autosave
    /// two seconds after the next change; a quick one, 0.4 s.
    #[test]
    fn the_next_autosave_follows_how_long_the_last_write_took() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut h = typing_in_the_title(dir.path());
        // The time from a change to its autosave, for the key `c`.
        let due_after = |h: &mut Harness, c: char| {
            let before = Instant::now();
            h.press(KeyCode::Char(c));
            let due = h.app.save.autosave_due.expect("an autosave due") - before;
            let expected = autosave_delay(h.app.save.write_took);
            assert!(
                due >= expected && due < expected + Duration::from_millis(500),
                "{due:?} for a write of {:?}",
                h.app.save.write_took
            );
            due
        };
        h.app.write_draft(true);
        h.app.save.write_started = Some(Instant::now() - Duration::from_millis(200));
        h.rt.execute(&mut h.app, &mut NoTerminal);
        h.settle();
        assert!(h.app.save.write_took >= Duration::from_millis(200));
        assert!(due_after(&mut h, 'y') >= Duration::from_secs(2));

        h.app.write_draft(true);
        h.rt.execute(&mut h.app, &mut NoTerminal);
        h.settle();
        assert!(h.app.save.write_took < Duration::from_millis(200));
        due_after(&mut h, 'z');
    }
}
