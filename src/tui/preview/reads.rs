//! What a kept carousel card's drawing read (see [`Reads`]), so that a card whose value
//! changed but would draw the same keeps its drawing.

use super::{Ctx, Shown};
use crate::message::{FieldPath, Severity};
use serde_json::Value;

/// What a card's drawing read besides its own value, the width, the height, the focus, its
/// frame and the pictures: the validator's answers it asked for, and how much of each text
/// that stopped at its lines decided them. A card whose value changed draws the same while
/// these give the same answers and its value is the same but past those texts' parts.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Reads {
    /// A text of the card (its key) and the bytes of it that decided what was drawn.
    pub texts: Vec<(&'static str, usize)>,
    pub report: Vec<ReportRead>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ReportRead {
    At(FieldPath, Option<Severity>),
    Under(FieldPath, Option<Severity>),
    Hidden {
        base: FieldPath,
        shown: Vec<String>,
        at_base: bool,
        lines: Vec<(Severity, String)>,
    },
}

impl ReportRead {
    /// The same question asked of `ctx`'s report gets the same answer.
    fn holds(&self, ctx: &Ctx<'_>) -> bool {
        match self {
            ReportRead::At(p, s) => ctx.severity_of(p) == *s,
            ReportRead::Under(p, s) => ctx.severity_under_of(p) == *s,
            ReportRead::Hidden {
                base,
                shown,
                at_base,
                lines,
            } => {
                let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
                let now = ctx.hidden_issues_of(base, &shown, *at_base);
                now.len() == lines.len()
                    && now
                        .iter()
                        .zip(lines)
                        .all(|(i, (s, m))| i.severity == *s && &i.message == m)
            }
        }
    }
}

impl Reads {
    /// Card `now` drawn with `ctx` is the drawing of `before` that made these reads. `only`:
    /// the keys that may differ (see `CardCache::changed_keys`), the others being the same.
    pub fn draw_alike(
        &self,
        ctx: &Ctx<'_>,
        before: &Value,
        now: &Value,
        only: Option<&[String]>,
    ) -> bool {
        let same_at = |k: &str, va: Option<&Value>, vb: Option<&Value>| match (va, vb) {
            (None, None) => true,
            (Some(va), Some(vb)) => match self.texts.iter().find(|(t, _)| *t == k) {
                Some((_, n)) => match (va, vb) {
                    (Value::String(x), Value::String(y)) => {
                        x.as_bytes().get(..*n).is_some()
                            && x.as_bytes().get(..*n) == y.as_bytes().get(..*n)
                    }
                    _ => false,
                },
                None => va == vb,
            },
            _ => false,
        };
        let same_value = match (before, now) {
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && match only {
                        Some(keys) => keys.iter().all(|k| same_at(k, a.get(k), b.get(k))),
                        None => a.iter().all(|(k, va)| same_at(k, Some(va), b.get(k))),
                    }
            }
            _ => before == now,
        };
        same_value && self.report.iter().all(|r| r.holds(ctx))
    }
}

impl Ctx<'_> {
    /// Notes what a card's drawing read, while one is drawn to be kept.
    pub(super) fn read(&self, r: impl FnOnce() -> ReportRead) {
        if let Some(reads) = self.reads.borrow_mut().as_mut() {
            reads.report.push(r());
        }
    }

    /// Notes how much of the card's text `key` (shown as `t`) decided its drawing: all of
    /// it unless `upto` (from [`shown_paragraph`]) says less, past its mark.
    pub fn read_text(&self, key: &'static str, t: &Shown<'_>, upto: Option<usize>) {
        let mut reads = self.reads.borrow_mut();
        if let (Some(reads), Some(at), Some(n)) = (reads.as_mut(), t.value_at, upto)
            && n > at
        {
            reads.texts.push((key, n - at));
        }
    }
}
