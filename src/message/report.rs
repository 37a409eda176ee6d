//! What the validator reports: each problem in the shape of an entry of the API's 400
//! `data[]`, errors and warnings apart.

use super::path::FieldPath;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, in the shape of an entry of the API's 400 `data[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    #[serde(rename = "field")]
    pub path: FieldPath,
    pub description: String,
    pub message: String,
    #[serde(skip)]
    pub severity: Severity,
}

/// Everything the validator found, errors and warnings each in schema order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
    /// The body's size as compact JSON, in bytes (kept so that checking one field again
    /// need not measure a giant body again).
    #[serde(skip)]
    pub body_len: usize,
}

impl Report {
    /// True when nothing blocks sending (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// Errors then warnings.
    pub fn all(&self) -> impl Iterator<Item = &Issue> {
        self.errors.iter().chain(&self.warnings)
    }

    /// Issues at `path` or anywhere below it.
    pub fn under<'a>(&'a self, path: &'a FieldPath) -> impl Iterator<Item = &'a Issue> + 'a {
        self.all().filter(move |i| i.path.starts_with(path))
    }
}
