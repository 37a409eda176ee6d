//! The composer application.
//!
//! - [`app`]: the state and its one synchronous `update`.
//! - [`keymap`]: terminal events to actions, by what has focus.
//! - [`form`]: the form's rows, built from the document and the schema.
//! - [`view`]: drawing. [`preview`]: the message preview widget.
//! - [`runtime`]: the terminal, the event loop, and the workers (file writes, `$EDITOR`).
//! - [`harness`]: the same app and runtime on a `TestBackend`, for tests and benchmarks.

pub mod action;
pub mod app;
pub mod form;
pub mod harness;
pub mod keymap;
pub mod preview;
pub mod problems;
pub mod runtime;
pub mod strings;
pub mod theme;
pub mod view;

use crate::cli::Target;
use std::path::PathBuf;
use std::process::ExitCode;

/// Opens the composer on `file`, or on the most recently edited draft, or on a new one.
pub fn run(file: Option<PathBuf>, target: &Target) -> ExitCode {
    runtime::run(file, target)
}
