//! The drafts browser (Ctrl-O): list, open, new, duplicate, rename, delete. Every file
//! operation is a `DraftJob` for the writer thread, answered with a `DraftAnswer`; the
//! browser shows what the last listing found.

use super::{App, BrowseMode, Browser, Overlay};
use crate::message::edit;
use crate::message::schema::MessageType;
use crate::store::{self, drafts};
use crate::tui::action::{DraftAnswer, DraftJob, Effect, NewDraft};
use crate::tui::strings as s;
use ratatui_textarea::{CursorMove, TextArea};
use std::path::PathBuf;

impl App {
    /// Hands a job on the drafts folder to the writer thread.
    pub(super) fn draft_job(&mut self, job: DraftJob) {
        self.file_job(Effect::Drafts(job));
    }

    pub(super) fn open_browser(&mut self) {
        self.overlay = Some(Overlay::Drafts(Browser {
            items: Vec::new(),
            selected: 0,
            mode: BrowseMode::List,
            select: Some(self.path.clone()),
        }));
        self.refresh_browser(None);
    }

    /// Lists the drafts again; `select` is selected once they are listed.
    pub(super) fn refresh_browser(&mut self, select: Option<PathBuf>) {
        let Some(Overlay::Drafts(b)) = &mut self.overlay else {
            return;
        };
        if select.is_some() {
            b.select = select;
        }
        let dir = self.drafts_dir.clone();
        self.draft_job(DraftJob::List { dir });
    }

    /// Starts a new draft in the drafts folder (`n` in the browser): the current one is
    /// saved first.
    pub(super) fn new_draft(&mut self, doc: serde_json::Value, stem: String, why: NewDraft) {
        self.write_draft(false);
        let write = why != NewDraft::Blank;
        let dir = self.drafts_dir.clone();
        self.draft_job(DraftJob::Create {
            dir,
            stem,
            doc,
            write,
            why,
        });
    }

    /// A new draft of type `t` in the drafts folder, starting with the active profile's
    /// `default_source`/`default_destination`, else the draft open now's source and
    /// destination.
    pub(super) fn start_new_draft(&mut self, t: MessageType) {
        let mut doc = edit::new_message(t);
        let defaults = self
            .session
            .profiles
            .active()
            .map(|p| p.new_draft.clone())
            .unwrap_or_default();
        for (key, default) in [
            ("source", defaults.source),
            ("destination", defaults.destination),
        ] {
            let carried = default.or_else(|| {
                self.doc
                    .get(key)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_string)
            });
            if let Some(v) = carried {
                let _ = edit::set(
                    &mut doc,
                    &crate::message::FieldPath::root().key(key),
                    serde_json::Value::String(v),
                );
            }
        }
        self.new_draft(doc, drafts::new_name(), NewDraft::Blank);
    }

    pub(super) fn drafts_answer(&mut self, answer: DraftAnswer) {
        self.save.jobs_in_flight = self.save.jobs_in_flight.saturating_sub(1);
        match answer {
            DraftAnswer::Listed { dir, result } => {
                let Some(Overlay::Drafts(b)) = &mut self.overlay else {
                    return;
                };
                match result {
                    Ok(items) if dir == self.drafts_dir => {
                        b.items = items;
                        if let Some(p) = b.select.take()
                            && let Some(i) = b.items.iter().position(|d| d.path == p)
                        {
                            b.selected = i;
                        }
                        b.selected = b.selected.min(b.items.len().saturating_sub(1));
                    }
                    Ok(_) => {}
                    Err(e) => self.warn(s::drafts_error(&e)),
                }
            }
            DraftAnswer::Opened { path, result } => match result {
                Ok(doc) => {
                    self.write_draft(false);
                    self.load_draft(path.clone(), doc, true);
                    self.overlay = None;
                    self.say(s::opened(&path.display().to_string()));
                }
                Err(e) => self.warn(e),
            },
            DraftAnswer::Created {
                path,
                doc,
                why,
                result,
            } => {
                let written = result.as_ref().is_ok_and(|w| *w);
                self.load_draft(path.clone(), doc, written);
                match (why, result) {
                    (_, Err(e)) => self.warn(s::save_failed(&path.display().to_string(), &e)),
                    (NewDraft::FromHistory { time }, Ok(_)) => {
                        self.say(s::reopened(&time, &path.display().to_string()))
                    }
                    (NewDraft::Blank, Ok(_)) => {}
                }
            }
            DraftAnswer::Copied { from, result } => match result {
                Ok(to) => {
                    let name = from
                        .file_stem()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    self.say(s::duplicated_item(&name));
                    self.refresh_browser(Some(to));
                }
                Err(e) => self.warn(s::drafts_error(&e)),
            },
            DraftAnswer::Renamed { from, to, result } => {
                match result {
                    Ok(()) => {}
                    Err(e) => {
                        if self.path == to {
                            self.path = from;
                        }
                        self.warn(s::drafts_error(&e));
                    }
                }
                self.refresh_browser(Some(to));
            }
            DraftAnswer::Deleted { result, .. } => {
                if let Err(e) = result {
                    self.warn(s::drafts_error(&e));
                }
                self.refresh_browser(None);
            }
        }
    }

    pub(super) fn browser_enter(&mut self, mut b: Browser) {
        let mode = std::mem::replace(&mut b.mode, BrowseMode::List);
        let item = b.items.get(b.selected).cloned();
        match mode {
            BrowseMode::Rename(area) => {
                let name = area.lines().join("");
                self.overlay = Some(Overlay::Drafts(b));
                if let Some(item) = item {
                    self.rename_draft(item.path, &name);
                }
            }
            BrowseMode::ConfirmDelete => self.overlay = Some(Overlay::Drafts(b)),
            BrowseMode::List => {
                let Some(item) = item else {
                    self.overlay = Some(Overlay::Drafts(b));
                    return;
                };
                if item.path == self.path {
                    return;
                }
                // The browser stays until the draft is read; a draft that cannot be is
                // named in the message line.
                self.overlay = Some(Overlay::Drafts(b));
                self.draft_job(DraftJob::Open { path: item.path });
            }
        }
    }

    fn rename_draft(&mut self, from: PathBuf, name: &str) {
        let to = drafts::renamed_path(&from, name);
        if to == from {
            return;
        }
        if from == self.path {
            if !self.save.on_disk {
                // Nothing on disk yet: the first write goes to the new name.
                self.path = to.clone();
                self.refresh_browser(Some(to));
                return;
            }
            // Ordered with this draft's pending writes: write, then rename, then write there.
            self.write_draft(false);
            self.path = to.clone();
        }
        self.draft_job(DraftJob::Rename { from, to });
    }

    /// A letter in the drafts browser.
    pub(super) fn browser_key(&mut self, c: char) {
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
                } else {
                    self.draft_job(DraftJob::Delete { path: item.path });
                }
            }
            return;
        }
        match c {
            'n' => self.ask_new_draft_type(),
            'd' => {
                if let Some(item) = selected {
                    // The open draft is copied as it is on screen, not as an older file.
                    let bytes = (item.path == self.path)
                        .then(|| store::to_draft_json(&self.doc).into_bytes());
                    self.draft_job(DraftJob::Copy {
                        from: item.path,
                        bytes,
                    });
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
}
