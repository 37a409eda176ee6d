//! The command line: argument parsing and dispatch. Each subcommand lives in its own file.

pub mod sandbox;
pub mod send;
pub mod validate;

use crate::store::config::Target;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "rcs-composer",
    version,
    about = "Compose, check and send rich RCS messages (Aerialink/Convey v5 Messages API)",
    long_about = "Compose, check and send rich RCS messages (Aerialink/Convey v5 Messages API).\n\n\
With no subcommand, opens the composer on FILE, or on the most recently edited draft."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The draft to open (created on first save if it does not exist).
    pub file: Option<PathBuf>,

    #[command(flatten)]
    pub target: TargetArgs,

    /// Check no media URL in the composer (config.toml: media_check = false).
    #[arg(long)]
    pub no_media_check: bool,
}

/// Which API to talk to.
#[derive(Debug, Clone, Default, Args)]
pub struct TargetArgs {
    /// The profile of config.toml to use.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// The API root; requests go to {URL}/v5/messages.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
}

impl TargetArgs {
    /// The options as the layers below take them.
    pub fn target(&self) -> Target {
        Target {
            profile: self.profile.clone(),
            base_url: self.base_url.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    #[default]
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check request bodies against the API's rules.
    Validate(ValidateArgs),
    /// Validate and send a draft.
    Send(SendArgs),
    /// Serve a local stand-in for the v5 Messages API.
    Sandbox(SandboxArgs),
    /// Receive delivery callbacks and print each one.
    Listen(ListenArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Also fetch every media URL (HEAD and the first 64 KiB) and report what RBM would
    /// stumble on: unreachable, not 2xx, a missing or wrong Content-Type, too big, cropped
    /// hard by the card's height. Findings are warnings; without this, nothing is fetched.
    #[arg(long)]
    pub check_media: bool,

    /// Files to check; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// The draft to send; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: String,

    /// Send even when local validation finds errors, to see the server's own answer.
    #[arg(long)]
    pub force: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Print the request without sending it.
    #[arg(long)]
    pub dry_run: bool,

    /// Print an equivalent curl command (the secret stays as $RCS_COMPOSER_PASSWORD).
    #[arg(long)]
    pub curl: bool,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8642", value_name = "ADDR")]
    pub listen: String,

    /// The API key the sandbox accepts.
    #[arg(long, value_name = "U", requires = "password")]
    pub username: Option<String>,

    /// The API secret the sandbox accepts.
    #[arg(long, value_name = "P", requires = "username")]
    pub password: Option<String>,

    /// Delay every answer by this many milliseconds.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub latency: u64,

    /// Also post delivery callbacks to hosts other than loopback.
    #[arg(long)]
    pub allow_remote_callbacks: bool,
}

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8643", value_name = "ADDR")]
    pub listen: String,
}

/// Parses the command line and runs it.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let target = cli.target.target();
    match cli.command {
        Some(Command::Validate(a)) => validate::run(&a),
        Some(Command::Send(a)) => send::run(&a, &target),
        Some(Command::Sandbox(a)) => sandbox::run_sandbox(&a),
        Some(Command::Listen(a)) => sandbox::run_listen(&a),
        None => crate::tui::run(cli.file, &target, cli.no_media_check),
    }
}
