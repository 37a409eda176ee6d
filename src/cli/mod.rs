//! The command line: argument parsing and dispatch. Each subcommand lives in its own file.

pub mod body;
mod docs;
mod history;
mod output;
pub mod sandbox;
pub mod send;
mod set;
pub mod validate;

use crate::store::config::Target;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

pub use docs::{EXIT_CODES, help_footer};

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

/// Which API to talk to, and how: for the composer, `send` and `history resend`.
#[derive(Debug, Clone, Default, Args)]
pub struct TargetArgs {
    /// The profile of config.toml to use (its values beat the RCS_COMPOSER_* variables).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// The API root; requests go to {URL}/v5/messages. Beats the profile and the environment.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Allow Basic auth over plain http:// to a host other than this machine.
    #[arg(long)]
    pub allow_insecure: bool,

    /// A PEM file of certificate authorities to trust (beside the system's and the
    /// built-in ones), e.g. a company CA.
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,

    /// Seconds to wait for the whole request and answer (beats timeout_secs).
    #[arg(long, value_name = "SECS", value_parser = parse_secs)]
    pub timeout: Option<Duration>,

    /// Seconds to wait for the connection (beats connect_timeout_secs).
    #[arg(long, value_name = "SECS", value_parser = parse_secs)]
    pub connect_timeout: Option<Duration>,
}

fn parse_secs(s: &str) -> Result<Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 86_400.0 => Ok(Duration::from_secs_f64(v)),
        _ => Err(format!(
            "{s:?} is not a number of seconds between 0 and 86400"
        )),
    }
}

impl TargetArgs {
    /// The options as the layers below take them.
    pub fn target(&self) -> Target {
        Target {
            profile: self.profile.clone(),
            base_url: self.base_url.clone(),
            allow_insecure: self.allow_insecure,
            ca_file: self.cacert.clone(),
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
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
    /// List the sends, show one, or send one again.
    History(HistoryArgs),
    /// Serve a local stand-in for the v5 Messages API.
    Sandbox(SandboxArgs),
    /// Receive delivery callbacks and print each one.
    Listen(ListenArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell).
    Completions(CompletionsArgs),
    /// Print the manual page (roff) on standard output.
    Man(ManArgs),
}

/// The subcommands' names, for "did you mean" (kept in step with [`Command`] by a test).
pub const SUBCOMMANDS: &[&str] = &[
    "validate",
    "send",
    "history",
    "sandbox",
    "listen",
    "completions",
    "man",
];

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

    /// With --check-media: a PEM file of certificate authorities to trust (beside the
    /// system's and the built-in ones).
    #[arg(long, value_name = "FILE", requires = "check_media")]
    pub cacert: Option<PathBuf>,

    /// Change a field before checking: PATH=VALUE (`destination=14155550100`,
    /// `cards.1.title=Sale`); VALUE is JSON when it parses as JSON, else text. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,

    /// Files to check; `-` reads standard input, as does no FILE when standard input is
    /// not a terminal.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// The draft to send; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: String,

    #[command(flatten)]
    pub options: SendOptions,

    /// Send to a sandbox started inside this command (nothing is delivered) and print its
    /// delivery updates as they arrive.
    #[arg(long, conflicts_with_all = ["profile", "base_url"])]
    pub sandbox: bool,

    /// With --sandbox: how long to wait for the delivery updates.
    #[arg(long, value_name = "SECS", requires = "sandbox", value_parser = parse_secs)]
    pub wait: Option<Duration>,

    /// Change a field before sending: PATH=VALUE (`destination=14155550100`,
    /// `cards.1.title=Sale`); VALUE is JSON when it parses as JSON, else text. Repeatable.
    /// The history records the body as sent.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,

    /// Print the request without sending it.
    #[arg(long, conflicts_with = "curl")]
    pub dry_run: bool,

    /// Print an equivalent curl command instead of sending (the secret is fetched the way
    /// the profile fetches it, never written out).
    #[arg(long)]
    pub curl: bool,
}

/// What `send` and `history resend` share.
#[derive(Debug, Args)]
pub struct SendOptions {
    #[command(flatten)]
    pub target: TargetArgs,

    /// Send even when local validation finds errors, to see the server's own answer.
    #[arg(long)]
    pub force: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Print the request's and the answer's headers on standard error (the Authorization
    /// redacted), e.g. for a request ID the vendor's support asks for.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[command(subcommand)]
    pub action: Option<HistoryAction>,

    /// Output format of the list.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum HistoryAction {
    /// Print one send whole: N counts from the newest, which is 1.
    Show {
        #[arg(value_name = "N")]
        n: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Send the request of send N again (after asking, when the same request was accepted
    /// less than a minute ago).
    Resend {
        #[arg(value_name = "N")]
        n: usize,
        #[command(flatten)]
        options: SendOptions,
        /// Send the same request again without asking, even if it was accepted moments ago.
        #[arg(long)]
        yes: bool,
    },
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

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The page of one subcommand (`send`), instead of the main page.
    #[arg(value_name = "SUBCOMMAND")]
    pub subcommand: Option<String>,
}

/// The command line's definition, with the help's footer (variables, config file, exit
/// codes) filled in.
pub fn command() -> clap::Command {
    Cli::command().after_long_help(help_footer())
}

/// Parses the command line and runs it.
pub fn run() -> ExitCode {
    let matches = command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    match cli.command {
        Some(Command::Validate(a)) => validate::run(&a),
        Some(Command::Send(a)) => send::run(&a),
        Some(Command::History(a)) => history::run(&a),
        Some(Command::Sandbox(a)) => sandbox::run_sandbox(&a),
        Some(Command::Listen(a)) => sandbox::run_listen(&a),
        Some(Command::Completions(a)) => docs::completions(a.shell),
        Some(Command::Man(a)) => docs::man(a.subcommand.as_deref()),
        None => {
            if let Some(word) = cli.file.as_deref().and_then(docs::mistyped_subcommand) {
                eprintln!("{word}");
                return ExitCode::from(2);
            }
            crate::tui::run(cli.file, &cli.target.target(), cli.no_media_check)
        }
    }
}
