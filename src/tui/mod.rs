//! The composer application.
//!
//! - [`app`]: the state and its one synchronous `update`.
//! - [`keymap`]: terminal events to actions, by what has focus.
//! - [`form`]: the form's rows, built from the document and the schema.
//! - [`view`]: drawing. [`preview`]: the message preview widget.
//! - [`runtime`]: the terminal, the event loop, and the workers (file writes, `$EDITOR`).
//! - [`harness`]: the same app and runtime on a `TestBackend`, for tests and benchmarks.
//!
//! Sending (issue 5) plugs in the same way as file writes: `Action::Send` (F5, now a
//! message saying it arrives soon) pushes an `Effect` carrying the body and an id; the
//! runtime runs `crate::client::send` on a tokio task and answers with a `Message` carrying
//! the id and the `SendOutcome`; a stale id is dropped. On `SendResult::Rejected`,
//! `App::set_server_issues` shows the server's issues at their fields in `theme::server()`,
//! reachable with F8 like local ones. While a send is in flight the loop must wake for the
//! answer: `event_loop` already polls with a short timeout while `writes_in_flight > 0`; the
//! same test should include sends in flight. The status bar shows `App::profile`.

pub mod action;
pub mod app;
pub mod form;
pub mod harness;
pub mod keymap;
pub mod preview;
pub mod problems;
pub mod runtime;
pub mod send;
pub mod send_view;
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
