//! `rcs-composer send`.

use super::{SendArgs, Target};
use std::process::ExitCode;

pub fn run(_args: &SendArgs, _target: &Target) -> ExitCode {
    eprintln!("rcs-composer send: not built yet");
    ExitCode::from(2)
}
