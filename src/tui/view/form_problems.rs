//! The problems' lines below the form's rows: which rows each problem shows at, and its
//! message wrapped to the room below them, kept between frames (see [`ProblemRows`]).

use super::Mark;
use super::form::indent;
use crate::message::FieldPath;
use crate::text::visible;
use crate::tui::app::App;
use crate::tui::form::{self, RowKind};
use crate::tui::measure::wrap_lines;
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// The columns a problem's message wraps in, below `row`.
pub(super) fn message_room(row: &form::Row, width: usize) -> usize {
    width.saturating_sub(indent(row.depth) + 4)
}

/// A problem's lines below a row: its mark, whether it is the message's first line, the
/// text.
/// A problem's line below a row: its mark, whether it is the first line, and its text
/// (shared: the same lines are handed to every frame until the message changes).
pub(super) type MessageLine = (Option<Mark>, bool, Arc<str>);

/// A message wrapped at a room: (room, message, lines).
type Wrapped = (usize, String, Vec<Arc<str>>);

/// The rows each problem shows at, kept while the form's rows and the problems' places stay
/// the same, and each problem's message wrapped to its room, kept while it reads the same:
/// the heights of the form's rows (hundreds in a large carousel) are found from the
/// problems, without asking about each row, or looking paths up, on every frame.
#[derive(Default)]
pub struct ProblemRows {
    /// The rows `own` and `switched` are for
    /// ([`crate::tui::app::FormState::rows_generation`]).
    rows: Option<u64>,
    /// The rows whose own path is the key.
    own: HashMap<FieldPath, Vec<usize>>,
    /// Failover rows: each also shows the problems of the object it switches (the key).
    switched: HashMap<FieldPath, Vec<usize>>,
    /// The rows and the problems' places `rows_of` is for
    /// ([`crate::tui::problems::Problems::places_generation`]).
    generation: Option<(u64, u64)>,
    /// For each problem, in the order of `Problems::all`: the rows whose own path is its
    /// path, and the failover rows whose object is at its path.
    rows_of: Vec<(Vec<usize>, Vec<usize>)>,
    /// For each problem: its message wrapped at a room, as last shown (room, message,
    /// lines).
    wrapped: Vec<Vec<Wrapped>>,
}

impl ProblemRows {
    /// The problems' lines below each of the app's rows: the problems at its path, then,
    /// for a failover, those of the object it switches, each in the order of
    /// `Problems::all`.
    pub(super) fn messages(&mut self, app: &App, width: usize) -> Vec<Vec<MessageLine>> {
        let rows = &app.form.rows;
        // Where each path shows: found again only when the rows are.
        if self.rows != Some(app.form.rows_generation) {
            self.own.clear();
            self.switched.clear();
            for (i, row) in rows.iter().enumerate() {
                self.own.entry(row.path.clone()).or_default().push(i);
                if let RowKind::Failover(_) = row.kind
                    && let Some(parent) = row.path.parent()
                {
                    self.switched.entry(parent).or_default().push(i);
                }
            }
            self.rows = Some(app.form.rows_generation);
        }
        // Where each problem shows: found again only when the problems' places are.
        let now = (app.form.rows_generation, app.problems.places_generation());
        if self.generation != Some(now) {
            self.rows_of = app
                .problems
                .all()
                .map(|p| {
                    (
                        self.own.get(&p.path).cloned().unwrap_or_default(),
                        self.switched.get(&p.path).cloned().unwrap_or_default(),
                    )
                })
                .collect();
            self.wrapped.clear();
            self.generation = Some(now);
        }
        self.wrapped.resize_with(self.rows_of.len(), Vec::new);
        let mut out = vec![Vec::new(); rows.len()];
        for switched in [false, true] {
            for (k, p) in app.problems.all().enumerate() {
                let Some((own, sw)) = self.rows_of.get(k) else {
                    break;
                };
                for &i in if switched { sw } else { own } {
                    let Some(row) = rows.get(i) else { continue };
                    let room = message_room(row, width);
                    let memo = &mut self.wrapped[k];
                    let at = match memo
                        .iter()
                        .position(|(r, m, _)| *r == room && *m == p.message)
                    {
                        Some(j) => j,
                        None => {
                            // A message that changes as it is typed ("it has 102") leaves
                            // a few lines behind; they go before they pile up.
                            if memo.len() >= 4 {
                                memo.clear();
                            }
                            let lines = wrap_lines(&visible(&p.message), room)
                                .into_iter()
                                .map(Arc::from)
                                .collect();
                            memo.push((room, p.message.clone(), lines));
                            memo.len() - 1
                        }
                    };
                    // Continuation lines carry no marker of their own.
                    out[i].extend(
                        memo[at]
                            .2
                            .iter()
                            .enumerate()
                            .map(|(n, l)| (Some(p.mark), n == 0, l.clone())),
                    );
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod problem_rows_tests {
    use super::*;
    use crate::message::{Issue, Report, Severity};
    use proptest::prelude::*;
    use serde_json::Value;

    /// The problems' lines of each row as each row asks for them: its path's problems,
    /// then a failover's object's.
    fn asked_row_by_row(app: &App, width: usize) -> Vec<Vec<MessageLine>> {
        app.form
            .rows
            .iter()
            .map(|row| {
                let parent = match row.kind {
                    RowKind::Failover(_) => row.path.parent(),
                    _ => None,
                };
                app.problems
                    .at(&row.path)
                    .chain(parent.iter().flat_map(|pp| app.problems.at(pp)))
                    .flat_map(|p| {
                        wrap_lines(&visible(&p.message), message_room(row, width))
                            .into_iter()
                            .enumerate()
                            .map(|(k, l)| (Some(p.mark), k == 0, l.into()))
                    })
                    .collect()
            })
            .collect()
    }

    /// A card with both failovers (each shown as a toggle row standing for its object),
    /// and `cards` carousel cards.
    fn draft(cards: usize) -> Value {
        let mut doc = crate::message::samples::largest_carousel();
        if let Some(Value::Array(list)) = doc.get_mut("cards") {
            list.truncate(cards.max(1));
        }
        doc["mmsFailover"] = serde_json::json!({"enabled": true, "subject": "s"});
        doc["smsFailover"] = serde_json::json!({"enabled": true, "text": "t"});
        doc
    }

    proptest! {
        /// Problems set and rows rebuilt in any order: the lines found from the problems
        /// are the lines each row would ask for, failovers included.
        #[test]
        fn each_row_shows_the_problems_it_would_ask_for(
            steps in proptest::collection::vec(
                (0usize..3, proptest::collection::vec((any::<u16>(), any::<bool>(), 0usize..3), 0..8)),
                1..6,
            ),
            width in 10usize..90,
        ) {
            let dir = std::path::PathBuf::from("/nonexistent-drafts");
            let mut app = App::new(dir.join("d.json"), draft(2), false, dir);
            let mut kept = ProblemRows::default();
            let words = ["too long", "must be at most 100 characters long (it has 102)", "x"];
            for (cards, picks) in steps {
                if cards > 0 {
                    app.doc = draft(cards).into();
                    app.form.set_rows(form::build(&app.doc, &app.form.folded));
                }
                // Problems at rows' own paths and at the objects failovers stand for.
                let mut places: Vec<FieldPath> =
                    app.form.rows.iter().map(|r| r.path.clone()).collect();
                places.extend(app.form.rows.iter().filter_map(|r| r.container()));
                let mut report = Report::default();
                for (at, error, w) in picks {
                    let issue = Issue {
                        path: places[usize::from(at) % places.len()].clone(),
                        description: String::new(),
                        message: words[w].to_string(),
                        severity: if error { Severity::Error } else { Severity::Warning },
                    };
                    if error { report.errors.push(issue) } else { report.warnings.push(issue) }
                }
                app.problems.set_local(&report);
                prop_assert_eq!(kept.messages(&app, width), asked_row_by_row(&app, width));
            }
        }
    }

    #[test]
    fn a_failover_row_shows_the_problems_of_its_object() {
        let dir = std::path::PathBuf::from("/nonexistent-drafts");
        let mut app = App::new(dir.join("d.json"), draft(1), false, dir);
        let mut report = Report::default();
        report.errors.push(Issue {
            path: FieldPath::parse("mmsFailover"),
            description: String::new(),
            message: "no subject".into(),
            severity: Severity::Error,
        });
        app.problems.set_local(&report);
        let lines = ProblemRows::default().messages(&app, 60);
        let at = |p: &str| {
            let i = app
                .form
                .rows
                .iter()
                .position(|r| r.path == FieldPath::parse(p));
            lines[i.expect("the row")].clone()
        };
        assert_eq!(
            at("mmsFailover.enabled"),
            vec![(Some(Mark::Error), true, "no subject".into())]
        );
        assert!(at("smsFailover.enabled").is_empty());
    }
}
