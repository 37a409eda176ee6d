//! Where the keys go: focus, jumping to problems, the mouse, scrolling, and moving in and
//! choosing from the overlays' lists.

use super::form_state::{Input, resolve, too_long_to_edit};
use super::{App, BrowseMode, Overlay, Side};
use crate::message::Kind;
use crate::message::{FieldPath, Segment};
use crate::tui::form::{self, RowKind};
use crate::tui::strings as s;
use ratatui::layout::Rect;
use std::collections::HashSet;

impl App {
    pub(super) fn move_focus(&mut self, delta: isize) {
        self.view.side_focus = false;
        if self.form.rows.is_empty() {
            return;
        }
        let last = self.form.rows.len() as isize - 1;
        let to = (self.form.focus as isize + delta).clamp(0, last) as usize;
        self.set_focus(to);
    }

    pub fn set_focus(&mut self, i: usize) {
        self.form.focus = i.min(self.form.rows.len().saturating_sub(1));
        self.view.follow_focus = true;
        self.sync_input();
    }

    /// Makes the text input belong to the focused row: a new input when focus moved to
    /// another text field, none on other rows.
    pub(super) fn sync_input(&mut self) {
        let Some(row) = self.form.rows.get(self.form.focus) else {
            self.form.input = None;
            return;
        };
        if !row.is_text() {
            self.form.input = None;
            return;
        }
        if self.form.input.as_ref().is_some_and(|i| i.path == row.path) {
            return;
        }
        if too_long_to_edit(row.path.get(&self.doc)) {
            self.form.input = None;
            return;
        }
        let text = form::edit_text(row.path.get(&self.doc));
        self.form.input = Some(Input::new(row.path.clone(), &text));
    }

    /// Moves to the next (or previous) problem in form order, unfolding what holds it.
    pub(super) fn jump(&mut self, forward: bool) {
        self.view.side_focus = false;
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
        self.view.follow_focus = true;
        let text = self
            .problems
            .at(&self.form.rows[self.form.focus].path)
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
    pub(super) fn reveal(&mut self, path: &FieldPath) {
        let segs = path.segments();
        for n in 1..=segs.len() {
            if matches!(segs[n - 1], Segment::Index(_)) {
                self.form.folded.remove(&path.prefix(n));
            }
        }
    }

    /// Focuses the row that shows the problem at `path`, unfolding what holds it.
    pub fn focus_problem(&mut self, path: &FieldPath) {
        self.reveal(path);
        self.form
            .set_rows(form::build(&self.doc, &self.form.folded));
        if let Some(i) = resolve(&self.form.rows, path) {
            self.set_focus(i);
        }
    }

    /// Esc: closes what is open (the message line too), cancels a send in flight, or gives
    /// the keys back to the form.
    pub(super) fn back(&mut self) {
        self.status = None;
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
            None if self.session.send.in_flight().is_some() => self.cancel_send(),
            None if self.view.side_focus => self.view.side_focus = false,
            None => {}
        }
    }

    pub(super) fn activate(&mut self) {
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

    /// A letter in an overlay: `y` answers a confirmation, `n` in the history reopens a
    /// send, the drafts browser has its own.
    pub(super) fn menu_key(&mut self, c: char) {
        match &self.overlay {
            Some(Overlay::Confirm(_)) => {
                if c == 'y' {
                    self.menu_choose();
                } else {
                    self.back();
                }
            }
            Some(Overlay::History { selected, .. }) if c == 'n' => {
                self.reopen_history(*selected);
            }
            Some(Overlay::Drafts(_)) => self.browser_key(c),
            Some(Overlay::Recovery(rec)) if c == 'r' => {
                let rec = rec.clone();
                self.overlay = None;
                self.run_editor(Some(rec));
            }
            _ => {}
        }
    }

    pub(super) fn menu_move(&mut self, d: isize) {
        match &mut self.overlay {
            Some(Overlay::GoTo(g)) => {
                let n = g.matches().len() as isize;
                if n > 0 {
                    g.selected = (g.selected as isize + d).clamp(0, n - 1) as usize;
                }
            }
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
            Some(Overlay::Help { scroll })
            | Some(Overlay::History {
                detail: Some(scroll),
                ..
            }) => {
                let max = self.view.geometry.overlay_scroll_max as isize;
                *scroll = (*scroll as isize + d).clamp(0, max) as u16;
            }
            Some(Overlay::History { selected, .. }) => {
                let n = self.session.history.entries.len() as isize;
                if n > 0 {
                    *selected = (*selected as isize + d).clamp(0, n - 1) as usize;
                }
            }
            Some(Overlay::Profiles { selected }) => {
                let n = self.session.profiles.entries.len() as isize;
                if n > 0 {
                    *selected = (*selected as isize + d).clamp(0, n - 1) as usize;
                }
            }
            _ => {}
        }
    }

    pub(super) fn menu_choose(&mut self) {
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
            Some(Overlay::GoTo(g)) => self.goto_chosen(g),
            // Enter: edit the draft as it is; the kept edit stays for later.
            Some(Overlay::Recovery(_)) => self.run_editor(None),
            Some(Overlay::Help { .. }) | None => {}
        }
    }

    pub(super) fn click(&mut self, column: u16, row: u16) {
        if self.overlay.is_some() {
            let g = &self.view.geometry;
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
                }) if i < self.session.history.entries.len() => {
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
        let g = &self.view.geometry;
        if contains(g.form, column, row) {
            self.view.side_focus = false;
            let line = (row - g.form.y) as usize;
            if let Some(Some(i)) = g.form_lines.get(line).copied() {
                let was = self.form.focus;
                self.set_focus(i);
                if was == i
                    && matches!(
                        self.form.rows[i].kind,
                        RowKind::Item { .. } | RowKind::Failover(_) | RowKind::AddItem { .. }
                    )
                {
                    self.activate();
                }
            }
        } else if contains(g.preview, column, row) && self.view.side != Side::Preview {
            // A click on the send pane or the deliveries gives it the keys.
            self.view.side_focus = true;
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

    pub(super) fn scroll(&mut self, column: u16, row: u16, down: bool) {
        let g = &self.view.geometry;
        let step = |v: usize| if down { v + 3 } else { v.saturating_sub(3) };
        if let Some(Overlay::Help { scroll }) = &mut self.overlay {
            *scroll = if down {
                scroll.saturating_add(3).min(g.overlay_scroll_max)
            } else {
                scroll.saturating_sub(3)
            };
        } else if contains(g.form, column, row) {
            self.view.form_scroll = step(self.view.form_scroll);
            self.view.follow_focus = false;
        } else if let Some(Overlay::History {
            detail: Some(scroll),
            ..
        }) = &mut self.overlay
        {
            *scroll = if down {
                scroll.saturating_add(3).min(g.overlay_scroll_max)
            } else {
                scroll.saturating_sub(3)
            };
        } else if contains(g.preview, column, row) && self.view.side != Side::Preview {
            self.pane_scroll(if down { 3 } else { -3 });
        } else if contains(g.preview, column, row) {
            self.view.preview.scroll =
                step(self.view.preview.scroll as usize).min(u16::MAX as usize) as u16;
        } else if contains(g.problems, column, row) {
            self.view.problems_scroll = step(self.view.problems_scroll);
        }
    }
}

pub(super) fn contains(r: Rect, column: u16, row: u16) -> bool {
    column >= r.x && column < r.x + r.width && row >= r.y && row < r.y + r.height
}
