//! `rcs-composer send FILE [--profile NAME] [--base-url URL] [--force] [--format human|json]
//! [--dry-run] [--curl]`: validate a draft, send it, record it in the history, print the
//! answer.
//!
//! Exit codes:
//! - 0: the API accepted it (2xx with `status: success`); `--dry-run`/`--curl` printed.
//! - 1: rejected, locally (validation errors, without `--force`) or by the API (any 4xx:
//!   400 with its problems, 401/403, 429, other 4xx).
//! - 2: usage, config or file errors, and a send refused before it left (e.g. Basic auth
//!   over plain http to a remote host).
//! - 3: no usable answer: a network failure (including timeouts and a connection closed
//!   mid-response), a 5xx, or an answer that is not the API's (a redirect, a 2xx whose
//!   status is not `success`). The message may or may not have been delivered.

use super::{Format, SendArgs};
use crate::client::{self, PreparedRequest, SendOutcome, SendResult};
use crate::message::{Issue, Report, validate};
use crate::store::config::{self, Config, Env, PasswordCommands, SecretMode, Target};
use crate::store::{history, paths};
use crate::text::{terminal_safe_json, visible};
use serde_json::{Value, json};
use std::io::Write;
use std::process::ExitCode;

const OK: u8 = 0;
const REJECTED: u8 = 1;
const USAGE: u8 = 2;
const NO_ANSWER: u8 = 3;

pub fn run(args: &SendArgs, target: &Target) -> ExitCode {
    let out = Output {
        format: args.format,
        file: args.file.clone(),
    };
    ExitCode::from(send(args, target, &out))
}

/// What is printed, in the chosen format.
struct Output {
    format: Format,
    file: String,
}

impl Output {
    /// A failure before anything was sent: text on stderr, or a JSON object on stdout.
    fn fail(&self, kind: &str, error: &str, code: u8) -> u8 {
        match self.format {
            Format::Human if kind == "file_error" && !error.contains(self.file.as_str()) => {
                eprintln!("rcs-composer send: {}: {error}", self.file)
            }
            Format::Human => eprintln!("rcs-composer send: {error}"),
            Format::Json => print_json(&json!({
                "file": self.file,
                "sent": false,
                "kind": kind,
                "error": error,
            })),
        }
        code
    }
}

fn send(args: &SendArgs, target: &Target, out: &Output) -> u8 {
    let doc = match super::validate::load(&args.file) {
        Ok(d) => d,
        Err(e) => return out.fail("file_error", &e, USAGE),
    };
    let report = validate(&doc);
    if out.format == Format::Human {
        print_issues(&args.file, &report);
    }
    if !report.is_valid() && !args.force {
        let n = report.errors.len();
        let msg = format!(
            "not sent: {n} {} found locally; fix {} or use --force to let the API judge",
            if n == 1 { "error" } else { "errors" },
            if n == 1 { "it" } else { "them" }
        );
        return match out.format {
            Format::Human => {
                eprintln!("{msg}");
                REJECTED
            }
            Format::Json => {
                print_json(&json!({
                    "file": args.file,
                    "sent": false,
                    "kind": "invalid",
                    "error": msg,
                    "errors": report.errors,
                    "warnings": report.warnings,
                }));
                REJECTED
            }
        };
    }

    let config_path = paths::config_file();
    let config = match Config::load_from(&config_path) {
        Ok(c) => c,
        Err(e) => return out.fail("config_error", &e.to_string(), USAGE),
    };
    let print_only = args.dry_run || args.curl;
    // Nothing here stops a password command early: it ends, or times out.
    let commands = PasswordCommands::new();
    let selection = target.selection();
    let resolved = match config::resolve(
        config.as_ref(),
        &config_path,
        &selection,
        &Env::from_process(),
        if print_only {
            SecretMode::Skip
        } else {
            SecretMode::Fetch(&commands)
        },
    ) {
        Ok(r) => r,
        Err(e) => return out.fail("config_error", &e.to_string(), USAGE),
    };
    for w in &resolved.warnings {
        eprintln!("warning: {w}");
    }
    let profile = resolved.profile;

    if print_only {
        let prepared = match PreparedRequest::new(&profile, &doc) {
            Ok(p) => p,
            Err(reason) => return out.fail("refused", &reason, USAGE),
        };
        match out.format {
            Format::Human => {
                let mut text = String::new();
                if args.dry_run {
                    text.push_str(&prepared.dry_run_text());
                }
                if args.curl {
                    if args.dry_run {
                        text.push('\n');
                    }
                    text.push_str(&prepared.curl_command());
                }
                // The body is already terminal-safe JSON; the rest is ours.
                print!("{text}");
            }
            Format::Json => {
                let mut o = json!({
                    "file": args.file,
                    "sent": false,
                    "kind": "dry_run",
                    "profile": profile.name,
                    "method": prepared.method,
                    "url": prepared.url,
                    "headers": headers_json(&prepared),
                    "body": doc,
                });
                if args.curl {
                    o["curl"] = json!(prepared.curl_command());
                }
                print_json(&o);
            }
        }
        return OK;
    }

    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return out.fail("internal", &format!("cannot start the runtime: {e}"), USAGE),
    };
    if out.format == Format::Human {
        println!(
            "POST {} (profile '{}', user {})",
            profile.messages_url(),
            profile.name,
            visible(&profile.username)
        );
    }
    let outcome = runtime.block_on(client::send(&profile, &doc));

    if !matches!(outcome.result, SendResult::Refused { .. }) {
        let draft = (args.file != "-").then_some(args.file.as_str());
        let entry = client::history_entry(&profile, draft, &doc, &outcome);
        if let Err(e) = history::append(&entry) {
            eprintln!(
                "warning: could not add this send to {}: {e}",
                paths::history_file().display()
            );
        }
    }

    match out.format {
        Format::Human => print_human(&args.file, &outcome),
        Format::Json => print_json(&outcome_json(&args.file, &profile.name, &report, &outcome)),
    }
    exit_code(&outcome)
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

fn shown_path(i: &Issue) -> String {
    if i.path.is_root() {
        "(body)".into()
    } else {
        i.path.to_string()
    }
}

fn print_issues(file: &str, report: &Report) {
    for (what, list) in [("error", &report.errors), ("warning", &report.warnings)] {
        for i in list {
            eprintln!("{file}: {}: {what}: {}", shown_path(i), i.message);
        }
    }
}

fn print_human(file: &str, o: &SendOutcome) {
    let mut s = String::new();
    let ms = crate::client::format_latency(o.latency);
    match o.status {
        Some(code) => {
            let reason = reqwest::StatusCode::from_u16(code)
                .ok()
                .and_then(|c| c.canonical_reason())
                .unwrap_or("");
            s.push_str(&format!("HTTP {code} {reason} in {ms}\n"));
        }
        None if matches!(o.result, SendResult::Refused { .. }) => {}
        None => s.push_str(&format!("no answer after {ms}\n")),
    }
    match &o.result {
        SendResult::Accepted { message, results } => {
            s.push_str(&format!("accepted: {message}\n"));
            for r in results {
                s.push_str(&format!(
                    "  messageGUID {}  destination {}  status {}\n",
                    r.message_guid, r.destination, r.status
                ));
            }
        }
        SendResult::Rejected { message, issues } => {
            s.push_str(&format!("rejected by the API: {message}\n"));
            for i in issues {
                let path = if i.path.is_root() {
                    "(body)".to_string()
                } else {
                    i.path.to_string()
                };
                s.push_str(&format!("{file}: {path}: error (server): {}\n", i.message));
            }
        }
        SendResult::AuthFailed { hint } => s.push_str(&format!("not authorized: {hint}\n")),
        SendResult::RateLimited { retry_after } => match retry_after {
            Some(r) => s.push_str(&format!(
                "rate limited (HTTP 429): retry after {r} (seconds, or a date). Nothing was sent \
                 again automatically.\n"
            )),
            None => s.push_str(
                "rate limited (HTTP 429), with no Retry-After: wait before sending again\n",
            ),
        },
        SendResult::Unexpected { summary } => {
            s.push_str(&format!("unexpected answer: {summary}\n"))
        }
        SendResult::Network { reason } => s.push_str(&format!("network failure: {reason}\n")),
        SendResult::Refused { reason } => s.push_str(&format!("not sent: {reason}\n")),
    }
    if o.truncated {
        s.push_str("(the answer was over 1 MB and was cut there)\n");
    }
    // Everything from the server is already visible; this pass catches the rest.
    print!("{}", visible(&s));
    let _ = std::io::stdout().flush();
}

fn headers_json(p: &PreparedRequest) -> Value {
    let mut h = serde_json::Map::new();
    h.insert(
        "Authorization".into(),
        json!(format!("Basic <{}:secret, not shown>", p.username)),
    );
    for (k, v) in &p.headers {
        h.insert(k.clone(), json!(v));
    }
    h.insert("Content-Length".into(), json!(p.body.len().to_string()));
    Value::Object(h)
}

/// The outcome as one JSON object: the kind, the status, the response body (parsed when it
/// is JSON, else as text), and what was found in it.
pub fn outcome_json(file: &str, profile: &str, report: &Report, o: &SendOutcome) -> Value {
    let response = if o.truncated {
        json!(o.response_body)
    } else {
        serde_json::from_str::<Value>(&o.response_body).unwrap_or_else(|_| json!(o.response_body))
    };
    let mut v = json!({
        "file": file,
        "sent": !matches!(o.result, SendResult::Refused { .. }),
        "kind": o.result.kind(),
        "profile": profile,
        "url": o.url,
        "status": o.status,
        "latency_ms": u64::try_from(o.latency.as_millis()).unwrap_or(u64::MAX),
        "response": response,
        "response_truncated": o.truncated,
        "local_errors": report.errors,
        "local_warnings": report.warnings,
    });
    match &o.result {
        SendResult::Accepted { message, results } => {
            v["message"] = json!(message);
            v["message_guids"] = json!(o.message_guids());
            v["results"] = results
                .iter()
                .map(|r| {
                    json!({
                        "messageGUID": r.message_guid,
                        "destination": r.destination,
                        "status": r.status,
                    })
                })
                .collect();
        }
        SendResult::Rejected { message, issues } => {
            v["message"] = json!(message);
            v["issues"] = issues
                .iter()
                .map(|i| {
                    json!({
                        "field": i.path.to_string(),
                        "description": i.description,
                        "message": i.message,
                    })
                })
                .collect();
        }
        SendResult::AuthFailed { hint } => v["hint"] = json!(hint),
        SendResult::RateLimited { retry_after } => v["retry_after"] = json!(retry_after),
        SendResult::Unexpected { summary } => v["summary"] = json!(summary),
        SendResult::Network { reason } | SendResult::Refused { reason } => {
            v["reason"] = json!(reason)
        }
    }
    v
}

/// Prints `v` on one line, terminal-safe (see [`terminal_safe_json`]).
fn print_json(v: &Value) {
    let safe = terminal_safe_json(&v.to_string());
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let _ = writeln!(lock, "{safe}");
    let _ = lock.flush();
}
