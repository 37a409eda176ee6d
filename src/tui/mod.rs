//! The composer application.

pub mod preview;
pub mod theme;

use crate::cli::Target;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(_file: Option<PathBuf>, _target: &Target) -> ExitCode {
    eprintln!("rcs-composer: the composer is not built yet");
    ExitCode::from(2)
}
