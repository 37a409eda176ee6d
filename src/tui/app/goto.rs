//! Ctrl-G, "go to": every field of the draft by its label and path, narrowed by what is
//! typed; Enter lands on the field, unfolding what holds it, ready for typing.

use super::{App, Overlay};
use crate::message::FieldPath;
use crate::tui::form::{self, Row, RowKey, RowKind};
use crate::tui::strings as s;
use ratatui_textarea::TextArea;
use std::collections::HashSet;

/// One field the go-to list offers.
#[derive(Debug, Clone, PartialEq)]
pub struct GoToItem {
    /// The label with what holds it: `Card 3 › Choice 2 › Title`.
    pub label: String,
    pub path: FieldPath,
    key: RowKey,
}

/// The go-to overlay: the query being typed, every field, and the selected match.
pub struct GoTo {
    pub query: Box<TextArea<'static>>,
    pub items: Vec<GoToItem>,
    pub selected: usize,
}

impl GoTo {
    /// The items that match the query, in form order: every word of it is in the label or
    /// the path (case ignored).
    pub fn matches(&self) -> Vec<&GoToItem> {
        let q = self.query.lines().join(" ").to_lowercase();
        let words: Vec<&str> = q.split_whitespace().collect();
        self.items
            .iter()
            .filter(|it| {
                let label = it.label.to_lowercase();
                let path = it.path.to_string().to_lowercase();
                words.iter().all(|w| label.contains(w) || path.contains(w))
            })
            .collect()
    }
}

/// Every row of the fully unfolded form that one can type into or set, labelled with what
/// holds it.
fn items(rows: &[Row]) -> Vec<GoToItem> {
    let mut out = Vec::new();
    // The labels of the items (cards, choices) open above the current row, by depth.
    let mut holders: Vec<(u16, String)> = Vec::new();
    for r in rows {
        while holders.last().is_some_and(|(d, _)| *d >= r.depth) {
            holders.pop();
        }
        match r.kind {
            RowKind::Item { .. } => holders.push((r.depth, r.label())),
            RowKind::Value(_) | RowKind::Failover(_) | RowKind::Raw(_) | RowKind::Unknown => {
                let mut label: Vec<String> = holders.iter().map(|(_, l)| l.clone()).collect();
                label.push(r.label());
                out.push(GoToItem {
                    label: label.join(" › "),
                    path: r.path.clone(),
                    key: r.key(),
                });
            }
            _ => {}
        }
    }
    out
}

impl App {
    pub(super) fn open_goto(&mut self) {
        let rows = form::build(&self.doc, &HashSet::new());
        let mut query = TextArea::default();
        query.set_cursor_line_style(ratatui::style::Style::new());
        self.overlay = Some(Overlay::GoTo(GoTo {
            query: Box::new(query),
            items: items(&rows),
            selected: 0,
        }));
    }

    /// Enter in the go-to list: the selected match.
    pub(super) fn goto_chosen(&mut self, g: GoTo) {
        let Some(item) = g.matches().get(g.selected).map(|it| (*it).clone()) else {
            self.say(s::GOTO_NOTHING);
            self.overlay = Some(Overlay::GoTo(g));
            return;
        };
        self.reveal(&item.path);
        self.rebuild(Some(item.key));
        self.view.follow_focus = true;
    }

    /// A key typed into the query: the selection goes back to the first match.
    pub(super) fn goto_typed(&mut self) {
        if let Some(Overlay::GoTo(g)) = &mut self.overlay {
            g.selected = 0;
        }
    }
}
