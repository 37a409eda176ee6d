//! `rcs-composer send FILE`: validate a draft, send it, record it in the history, print the
//! answer. `history resend N` goes through the same steps with a request from the history.
//!
//! Exit codes:
//! - 0: the API accepted it (2xx with `status: success`); `--dry-run`/`--curl` printed.
//! - 1: rejected, locally (validation errors, without `--force`) or by the API (any 4xx:
//!   400 with its problems, 401/403, 404, 429, other 4xx): the message was not delivered.
//! - 2: usage, config or file errors, and a send refused before it left (e.g. Basic auth
//!   over plain http to a remote host).
//! - 3: no usable answer: a network failure (including timeouts and a connection closed
//!   mid-response), a 5xx, or an answer that is not the API's (a redirect, a 2xx whose
//!   status is not `success`). The message may or may not have been delivered.
//! - 130: interrupted (Ctrl-C). A request in flight may have arrived: the history records
//!   it as `cancelled`.

use super::output::{self, fail, print_json};
use super::{Format, SendArgs, SendOptions};
use crate::client::{self, PreparedRequest, SendOutcome, SendResult};
use crate::message::validate;
use crate::profile::Profile;
use crate::sandbox::{self, SandboxConfig};
use crate::store::config::{self, Config, Env, PasswordCommands, SecretMode};
use crate::store::history::{self, HistoryEntry, Outcome};
use crate::store::paths;
use crate::text::visible;
use crate::tui::send::{Tracked, request_body};
use serde_json::{Value, json};
use std::process::ExitCode;
use std::time::{Duration, Instant};

pub const OK: u8 = 0;
pub const REJECTED: u8 = 1;
pub const USAGE: u8 = 2;
pub const NO_ANSWER: u8 = 3;
pub const INTERRUPTED: u8 = 130;

/// How long `send --sandbox` waits for delivery updates when `--wait` is not given.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(5);

pub fn run(args: &SendArgs) -> ExitCode {
    let format = args.options.format;
    let mut doc = match super::validate::load(&args.file) {
        Ok(d) => d,
        Err(e) => {
            fail(format, &args.file, "file_error", &e);
            return ExitCode::from(USAGE);
        }
    };
    if let Err(e) = super::set::apply(&mut doc, &args.set) {
        fail(format, &args.file, "usage", &e);
        return ExitCode::from(USAGE);
    }
    let job = Job {
        doc,
        file: args.file.clone(),
        draft: (args.file != "-").then(|| args.file.clone()),
        options: &args.options,
        sandbox: args.sandbox.then(|| args.wait.unwrap_or(DEFAULT_WAIT)),
        dry_run: args.dry_run,
        curl: args.curl,
    };
    ExitCode::from(send(job))
}

/// One send, from the body on.
pub struct Job<'a> {
    pub doc: Value,
    /// How the body is named in messages (`FILE`, `-`, `history 3`).
    pub file: String,
    /// The draft's name for the history.
    pub draft: Option<String>,
    pub options: &'a SendOptions,
    /// `--sandbox`, and how long to wait for its delivery updates.
    pub sandbox: Option<Duration>,
    pub dry_run: bool,
    pub curl: bool,
}

/// Runs `job` and returns the exit code.
pub fn send(job: Job<'_>) -> u8 {
    let format = job.options.format;
    let report = validate(&job.doc);
    if format == Format::Human {
        output::print_issues(&job.file, &report);
    }
    if !report.is_valid() && !job.options.force {
        let n = report.errors.len();
        let msg = format!(
            "not sent: {n} {} found locally; fix {} or use --force to let the API judge",
            if n == 1 { "error" } else { "errors" },
            if n == 1 { "it" } else { "them" }
        );
        match format {
            Format::Human => eprintln!("{msg}"),
            Format::Json => print_json(&json!({
                "file": job.file,
                "sent": false,
                "kind": "invalid",
                "error": msg,
                "errors": report.errors,
                "warnings": report.warnings,
            })),
        }
        return REJECTED;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            fail(
                format,
                &job.file,
                "internal",
                &format!("cannot start the runtime: {e}"),
            );
            return USAGE;
        }
    };
    let code = runtime.block_on(send_on_runtime(job, &report));
    // A password command still running after Ctrl-C is not waited for.
    runtime.shutdown_background();
    code
}

/// Ctrl-C, registered at creation: from then on it no longer ends the process at once.
struct Interrupt {
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl Interrupt {
    fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Self {
                int: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    async fn wait(&mut self) {
        #[cfg(unix)]
        if let Some(s) = self.int.as_mut() {
            s.recv().await;
            return;
        }
        std::future::pending::<()>().await
    }
}

async fn send_on_runtime(job: Job<'_>, report: &crate::message::Report) -> u8 {
    let format = job.options.format;
    let mut interrupt = Interrupt::new();
    let print_only = job.dry_run || job.curl;

    // The profile: the in-process sandbox, or the config file, the environment and the flags.
    let mut running = None;
    let (updates_tx, mut updates) = tokio::sync::mpsc::unbounded_channel();
    let (profile, body, callback) = if job.sandbox.is_some() {
        let started = sandbox::in_process::start(
            Some(SandboxConfig::with_fresh_credentials()),
            sandbox::in_process::Sinks {
                update: std::sync::Arc::new(move |u| {
                    let _ = updates_tx.send(u);
                }),
                log: std::sync::Arc::new(|_| {}),
            },
        )
        .await;
        let Some(sb) = started.sandbox.as_ref() else {
            let why = started.problems.join("; ");
            fail(
                format,
                &job.file,
                "internal",
                &format!("the sandbox did not start: {why}"),
            );
            return USAGE;
        };
        let mut profile = sb.profile();
        let t = &job.options.target;
        profile.timeout = t.timeout.unwrap_or(profile.timeout);
        profile.connect_timeout = t.connect_timeout.unwrap_or(profile.connect_timeout);
        let callback = started.listener.as_ref().map(|l| l.callback_url());
        let (body, added) = request_body(&job.doc, true, callback.as_deref());
        running = Some(started);
        (profile, body, added)
    } else {
        let target = job.options.target.target();
        let config_path = paths::config_file();
        let loaded = match Config::load_from(&config_path) {
            Ok(c) => c,
            Err(e) => {
                fail(format, &job.file, "config_error", &e.to_string());
                return USAGE;
            }
        };
        let commands = PasswordCommands::new();
        let env = Env::from_process();
        let resolved = if print_only {
            config::resolve(
                loaded.as_ref(),
                &config_path,
                &target,
                &env,
                SecretMode::Skip,
            )
        } else {
            // A password command may take a while; Ctrl-C stops it, and nothing is sent.
            let c = commands.clone();
            let resolving = tokio::task::spawn_blocking(move || {
                config::resolve(
                    loaded.as_ref(),
                    &config_path,
                    &target,
                    &env,
                    SecretMode::Fetch(&c),
                )
            });
            tokio::select! {
                r = resolving => match r {
                    Ok(r) => r,
                    Err(e) => {
                        fail(format, &job.file, "internal", &format!("resolving the profile failed: {e}"));
                        return USAGE;
                    }
                },
                _ = interrupt.wait() => {
                    commands.stop_all();
                    eprintln!("rcs-composer send: interrupted while getting the profile's secret: nothing was sent");
                    return INTERRUPTED;
                }
            }
        };
        let resolved = match resolved {
            Ok(r) => r,
            Err(e) => {
                fail(format, &job.file, "config_error", &e.to_string());
                return USAGE;
            }
        };
        for w in &resolved.warnings {
            eprintln!("warning: {w}");
        }
        (resolved.profile, job.doc.clone(), None)
    };

    let prepared = match PreparedRequest::new(&profile, &body) {
        Ok(p) => p,
        Err(reason) => {
            fail(format, &job.file, "refused", &format!("not sent: {reason}"));
            return USAGE;
        }
    };
    if print_only {
        print_request(&job, &profile, &prepared, &body);
        return OK;
    }
    if format == Format::Human {
        let origin = profile.origin_text();
        println!(
            "POST {} (profile '{}', user {}{})",
            profile.messages_url(),
            visible(&profile.name),
            visible(&profile.username),
            if origin.is_empty() {
                String::new()
            } else {
                format!("; {}", visible(&origin))
            }
        );
    }
    if job.options.verbose {
        eprint!("{}", prepared.verbose_request());
    }
    let started = Instant::now();
    let outcome = tokio::select! {
        o = client::send(&profile, &body) => o,
        _ = interrupt.wait() => {
            return interrupted(&job, &profile, &body, callback.is_some(), started.elapsed());
        }
    };
    if job.options.verbose {
        output::print_verbose_answer(&outcome);
    }
    if !matches!(outcome.result, SendResult::Refused { .. }) {
        let mut entry = client::history_entry(&profile, job.draft.as_deref(), &body, &outcome);
        entry.callback_added = callback.is_some();
        record(&entry);
    }
    match format {
        Format::Human => output::print_human(&job.file, &outcome),
        Format::Json => print_json(&output::outcome_json(
            &job.file,
            &profile.name,
            report,
            &outcome,
        )),
    }
    if let (Some(wait), Some(_running)) = (job.sandbox, running.take())
        && outcome.is_success()
        && format == Format::Human
    {
        follow_deliveries(&mut updates, &body, &outcome, wait, &mut interrupt).await;
    }
    exit_code(&outcome)
}

/// `--dry-run` or `--curl`: the request, and nothing sent.
fn print_request(job: &Job<'_>, profile: &Profile, prepared: &PreparedRequest, body: &Value) {
    match job.options.format {
        Format::Human => {
            // The body is already terminal-safe JSON; the rest is ours.
            if job.dry_run {
                print!("{}", prepared.dry_run_text());
            } else {
                print!("{}", prepared.curl_command());
            }
        }
        Format::Json => {
            let mut o = json!({
                "file": job.file,
                "sent": false,
                "kind": "dry_run",
                "profile": profile.name,
                "method": prepared.method,
                "url": prepared.url,
                "headers": output::headers_json(prepared),
                "body": body,
            });
            if job.curl {
                o["curl"] = json!(prepared.curl_command());
            }
            print_json(&o);
        }
    }
}

/// Appends `entry` to the history, saying so when it cannot.
fn record(entry: &HistoryEntry) {
    if let Err(e) = history::append(entry) {
        eprintln!(
            "warning: could not add this send to {}: {e}",
            paths::history_file().display()
        );
    }
}

/// Ctrl-C while the request was in flight: it may have arrived, so the history says so,
/// as the composer's Esc does.
fn interrupted(
    job: &Job<'_>,
    profile: &Profile,
    body: &Value,
    callback: bool,
    waited: Duration,
) -> u8 {
    let summary = format!(
        "interrupted after {:.1} s: the request may already have reached the server",
        waited.as_secs_f64()
    );
    record(&HistoryEntry {
        time: jiff::Timestamp::now().to_string(),
        profile: profile.name.clone(),
        url: profile.messages_url(),
        draft: job.draft.clone(),
        request: body.clone(),
        status: None,
        latency_ms: client::latency_ms(waited),
        outcome: Outcome::Cancelled,
        summary: summary.clone(),
        message_guids: Vec::new(),
        response: String::new(),
        response_truncated: false,
        callback_added: callback,
    });
    match job.options.format {
        Format::Human => eprintln!(
            "rcs-composer send: {summary}; the history records it as cancelled. Check \
             before sending again (rcs-composer history)."
        ),
        Format::Json => print_json(&json!({
            "file": job.file,
            "sent": true,
            "kind": "cancelled",
            "profile": profile.name,
            "url": profile.messages_url(),
            "reason": summary,
        })),
    }
    INTERRUPTED
}

/// `send --sandbox`: prints the delivery updates of the accepted messages as they arrive,
/// until each has reached its end, `wait` has passed, or Ctrl-C.
async fn follow_deliveries(
    updates: &mut tokio::sync::mpsc::UnboundedReceiver<crate::sandbox::DeliveryUpdate>,
    body: &Value,
    outcome: &SendOutcome,
    wait: Duration,
    interrupt: &mut Interrupt,
) {
    let entry = HistoryEntry {
        time: String::new(),
        profile: String::new(),
        url: String::new(),
        draft: None,
        request: body.clone(),
        status: None,
        latency_ms: 0.0,
        outcome: Outcome::Accepted,
        summary: String::new(),
        message_guids: Vec::new(),
        response: String::new(),
        response_truncated: false,
        callback_added: true,
    };
    let mut tracked: Vec<Tracked> = match &outcome.result {
        SendResult::Accepted { results, .. } => results
            .iter()
            .map(|r| Tracked::from_entry(&entry, &r.message_guid, &r.destination))
            .collect(),
        _ => return,
    };
    println!(
        "delivery updates (the sandbox's; waiting up to {} s):",
        wait.as_secs_f64()
    );
    let deadline = tokio::time::Instant::now() + wait;
    while !tracked.iter().all(Tracked::finished) {
        tokio::select! {
            u = updates.recv() => match u {
                Some(u) => {
                    println!("  {}", super::sandbox::update_line(&u));
                    if let Some(t) = tracked.iter_mut().find(|t| t.guid == u.message_guid) {
                        t.updates.push(crate::tui::send::Received { update: u, at: jiff::Timestamp::now() });
                    }
                }
                None => break,
            },
            _ = tokio::time::sleep_until(deadline) => {
                println!("  (stopped waiting after {} s; --wait SECS waits longer)", wait.as_secs_f64());
                break;
            }
            _ = interrupt.wait() => break,
        }
    }
}

/// The exit code for an answer (see the module docs).
pub fn exit_code(o: &SendOutcome) -> u8 {
    match &o.result {
        SendResult::Accepted { .. } => OK,
        SendResult::Rejected { .. }
        | SendResult::AuthFailed { .. }
        | SendResult::RateLimited { .. } => REJECTED,
        SendResult::Unexpected { .. } if o.status.is_some_and(|s| (400..500).contains(&s)) => {
            REJECTED
        }
        SendResult::Unexpected { .. } | SendResult::Network { .. } => NO_ANSWER,
        SendResult::Refused { .. } => USAGE,
    }
}

pub use output::outcome_json;
