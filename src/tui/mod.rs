//! The composer application.
//!
//! - [`app`]: the state and its one synchronous `update`.
//! - [`keymap`]: terminal events to actions, by what has focus.
//! - [`form`]: the form's rows, built from the document and the schema.
//! - [`view`]: drawing. [`preview`]: the message preview widget.
//! - [`runtime`]: the terminal, the event loop, and the workers (file writes, `$EDITOR`).
//! - [`harness`]: the same app and runtime on a `TestBackend`, for tests and benchmarks.
//!
//! - [`send`]: profiles, the send state, delivery tracking; `view::send` draws them.
//!
//! Sending follows the pattern of file writes: `Action::Send` (F5) checks the draft and the
//! profile in `App::update`, then pushes `Effect::Send` with an id; the runtime resolves the
//! profile off the UI thread and runs `crate::client::send` on its tokio runtime, answering
//! with `Message::SendFinished` (or `SendFailed`) carrying the id; an answer whose id is not
//! the send in flight is dropped, and `Esc` aborts the task. Delivery updates reach the app's
//! listener and are forwarded into the same channel as `Message::Delivery`, as are the
//! terminal's events: the loop blocks on that one channel. `docs/app.md` describes it for
//! users.

pub mod action;
pub mod app;
pub mod form;
#[cfg(any(test, feature = "test-util"))]
pub mod harness;
pub mod keymap;
pub mod line_memo;
pub mod measure;
pub mod pictures;
pub mod preview;
pub mod problems;
pub mod runtime;
pub mod send;
pub mod strings;
pub mod theme;
pub mod view;

use crate::store::config::Target;
use std::path::PathBuf;
use std::process::ExitCode;

/// Opens the composer on `file`, or on the most recently edited draft, or on a new one.
/// `no_media_check`: `--no-media-check`.
pub fn run(file: Option<PathBuf>, target: &Target, no_media_check: bool) -> ExitCode {
    runtime::run(file, target, no_media_check)
}
