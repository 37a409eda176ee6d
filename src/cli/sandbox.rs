//! `rcs-composer sandbox` and `rcs-composer listen`.

use super::{ListenArgs, SandboxArgs};
use std::process::ExitCode;

pub fn run_sandbox(_args: &SandboxArgs) -> ExitCode {
    eprintln!("rcs-composer sandbox: not built yet");
    ExitCode::from(2)
}

pub fn run_listen(_args: &ListenArgs) -> ExitCode {
    eprintln!("rcs-composer listen: not built yet");
    ExitCode::from(2)
}
