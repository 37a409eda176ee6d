//! The drafts browser (Ctrl-O): list, open, new, duplicate, rename, delete.

use super::{App, BrowseMode, Browser, Overlay};
use crate::message::edit;
use crate::message::schema::MessageType;
use crate::store::{self, drafts};
use crate::tui::action::Effect;
use crate::tui::strings as s;
use ratatui_textarea::{CursorMove, TextArea};
use std::path::Path;

impl App {
    pub(super) fn open_browser(&mut self) {
        self.overlay = Some(Overlay::Drafts(Browser {
            items: Vec::new(),
            selected: 0,
            mode: BrowseMode::List,
        }));
        let current = self.path.clone();
        self.refresh_browser(Some(&current));
    }

    pub(super) fn refresh_browser(&mut self, select: Option<&Path>) {
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

    pub(super) fn browser_enter(&mut self, mut b: Browser) {
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

    pub(super) fn rename_draft(&mut self, from: &Path, name: &str) {
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
            if !self.save.on_disk {
                self.path = to.clone();
                self.refresh_browser(Some(&to));
                return;
            }
            self.write_draft(false);
            self.save.writes_in_flight += 1;
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

    pub(super) fn menu_key(&mut self, c: char) {
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
                        self.save.writes_in_flight += 1;
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
}
