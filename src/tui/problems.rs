//! The problems the form shows, from every source: the local validator, the server's 400
//! answer, and the media check. Each source is set as a whole; the index by path (exact, and
//! "somewhere inside") is rebuilt from all of them, so a new source is one more `set_*` call.

use crate::client::ServerIssue;
use crate::message::{FieldPath, Report, Severity};
use rustc_hash::FxHashMap as HashMap;

/// How a problem is marked: errors and warnings from the validator, what the media check
/// found (warnings: the API would take the message), and issues from the server, each with
/// its own style and marker. Ordered from the least to the most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mark {
    Warning,
    Media,
    Server,
    Error,
}

/// One problem, wherever it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: FieldPath,
    pub message: String,
    pub mark: Mark,
}

#[derive(Debug, Clone, Default)]
pub struct Problems {
    local: Vec<Problem>,
    server: Vec<Problem>,
    media: Vec<Problem>,
    /// Positions in `all()` order, by exact path. (Fx hashing: the form asks about every
    /// row on every frame; the keys are our own paths.)
    at: HashMap<FieldPath, Vec<usize>>,
    /// The worst mark strictly inside each path (for folded cards and choices).
    inside: HashMap<FieldPath, Mark>,
    errors: usize,
    warnings: usize,
    /// Counts the times the index was rebuilt: while it is the same, every path's marks
    /// are as they were.
    places: u64,
}

impl Problems {
    /// Replaces the local validator's problems.
    pub fn set_local(&mut self, report: &Report) {
        let local: Vec<Problem> = report
            .all()
            .map(|i| Problem {
                path: i.path.clone(),
                message: i.message.clone(),
                mark: match i.severity {
                    Severity::Error => Mark::Error,
                    Severity::Warning => Mark::Warning,
                },
            })
            .collect();
        // A keystroke mostly changes a message ("it has 102"), not where problems are: the
        // index, by position, path and mark, then stands as it is.
        let same_places = local.len() == self.local.len()
            && local
                .iter()
                .zip(&self.local)
                .all(|(a, b)| a.path == b.path && a.mark == b.mark);
        self.local = local;
        self.errors = report.errors.len();
        self.warnings = report.warnings.len();
        if !same_places {
            self.reindex();
        }
    }

    /// Replaces the server's problems (a 400's `data[]`); empty clears them.
    pub fn set_server(&mut self, issues: &[ServerIssue]) {
        self.server = issues
            .iter()
            .map(|i| Problem {
                path: i.path.clone(),
                message: i.message.clone(),
                mark: Mark::Server,
            })
            .collect();
        self.reindex();
    }

    /// Replaces the media check's findings (warnings at the media fields' paths).
    pub fn set_media(&mut self, findings: &[crate::message::Issue]) {
        let media: Vec<Problem> = findings
            .iter()
            .map(|i| Problem {
                path: i.path.clone(),
                message: i.message.clone(),
                mark: Mark::Media,
            })
            .collect();
        if media != self.media {
            self.media = media;
            self.reindex();
        }
    }

    /// The media check's findings, in the document's order.
    pub fn media(&self) -> impl Iterator<Item = &Problem> {
        self.media.iter()
    }

    /// Keeps the server's problems for which `keep` holds; true when any went.
    pub fn retain_server(&mut self, keep: impl Fn(&Problem) -> bool) -> bool {
        let before = self.server.len();
        self.server.retain(keep);
        let changed = self.server.len() != before;
        if changed {
            self.reindex();
        }
        changed
    }

    /// The server's problems (from the last 400), in its order.
    pub fn server(&self) -> impl Iterator<Item = &Problem> {
        self.server.iter()
    }

    /// Changes when the marks at some path may have changed (see `places`).
    pub fn places_generation(&self) -> u64 {
        self.places
    }

    fn reindex(&mut self) {
        self.places += 1;
        self.at.clear();
        self.inside.clear();
        let all: Vec<(FieldPath, Mark)> = self.all().map(|p| (p.path.clone(), p.mark)).collect();
        for (i, (path, mark)) in all.into_iter().enumerate() {
            let mut up = path.parent();
            while let Some(p) = up {
                let e = self.inside.entry(p.clone()).or_insert(mark);
                if mark > *e {
                    *e = mark;
                }
                up = p.parent();
            }
            self.at.entry(path).or_default().push(i);
        }
    }

    /// Local problems (errors then warnings), then the server's, then the media check's.
    pub fn all(&self) -> impl Iterator<Item = &Problem> {
        self.local.iter().chain(&self.server).chain(&self.media)
    }

    pub fn len(&self) -> usize {
        self.local.len() + self.server.len() + self.media.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<&Problem> {
        let (l, s) = (self.local.len(), self.server.len());
        if i < l {
            self.local.get(i)
        } else if i < l + s {
            self.server.get(i - l)
        } else {
            self.media.get(i - l - s)
        }
    }

    /// Problems exactly at `path`.
    pub fn at<'a>(&'a self, path: &FieldPath) -> impl Iterator<Item = &'a Problem> + 'a {
        // Most rows have none: no hashing then.
        (!self.at.is_empty())
            .then(|| self.at.get(path))
            .flatten()
            .into_iter()
            .flatten()
            .filter_map(|&i| self.get(i))
    }

    /// The worst mark exactly at `path`.
    pub fn mark_at(&self, path: &FieldPath) -> Option<Mark> {
        self.at(path).map(|p| p.mark).max()
    }

    /// The worst mark strictly inside `path`.
    pub fn mark_inside(&self, path: &FieldPath) -> Option<Mark> {
        if self.inside.is_empty() {
            return None;
        }
        self.inside.get(path).copied()
    }

    pub fn counts(&self) -> (usize, usize, usize) {
        (self.errors, self.warnings, self.server.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Issue;
    use proptest::prelude::*;

    fn issue(path: &str, severity: Severity, message: &str) -> Issue {
        Issue {
            path: FieldPath::parse(path),
            description: String::new(),
            message: message.to_string(),
            severity,
        }
    }

    fn report(items: &[(usize, bool, u8)]) -> Report {
        const PATHS: [&str; 4] = ["cards.0.title", "cards.0", "cards.1.title", "text"];
        let mut r = Report::default();
        for &(p, error, n) in items {
            let i = issue(
                PATHS[p % PATHS.len()],
                if error {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                &format!("it has {n}"),
            );
            if error {
                r.errors.push(i)
            } else {
                r.warnings.push(i)
            }
        }
        r
    }

    /// What every question about paths answers, for comparing two indexes.
    fn answers(p: &Problems) -> Vec<(Vec<Problem>, Option<Mark>, Option<Mark>)> {
        [
            "cards",
            "cards.0",
            "cards.0.title",
            "cards.1",
            "cards.1.title",
            "text",
        ]
        .iter()
        .map(|s| {
            let path = FieldPath::parse(s);
            (
                p.at(&path).cloned().collect(),
                p.mark_at(&path),
                p.mark_inside(&path),
            )
        })
        .collect()
    }

    #[test]
    fn an_error_that_becomes_a_warning_at_the_same_place_marks_its_card_as_a_warning() {
        let mut p = Problems::default();
        p.set_local(&report(&[(0, true, 1)]));
        assert_eq!(
            p.mark_inside(&FieldPath::parse("cards.0")),
            Some(Mark::Error)
        );
        p.set_local(&report(&[(0, false, 1)]));
        assert_eq!(
            p.mark_inside(&FieldPath::parse("cards.0")),
            Some(Mark::Warning)
        );
        assert_eq!(
            p.mark_at(&FieldPath::parse("cards.0.title")),
            Some(Mark::Warning)
        );
    }

    proptest! {
        /// Reports set one after another (the index kept when only messages change)
        /// answer as the last one set on its own.
        #[test]
        fn the_index_after_many_reports_is_the_last_reports_own(
            reports in proptest::collection::vec(
                proptest::collection::vec((0usize..4, any::<bool>(), 0u8..3), 0..5),
                1..6,
            )
        ) {
            let mut kept = Problems::default();
            kept.set_media(&[issue("cards.1.title", Severity::Warning, "not reachable")]);
            for r in &reports {
                kept.set_local(&report(r));
            }
            // The reference is indexed from nothing: setting the media findings last
            // indexes everything anew.
            let mut fresh = Problems::default();
            fresh.set_local(&report(reports.last().expect("one report")));
            fresh.set_media(&[issue("cards.1.title", Severity::Warning, "not reachable")]);
            prop_assert_eq!(answers(&kept), answers(&fresh));
            prop_assert_eq!(kept.counts(), fresh.counts());
        }
    }
}
