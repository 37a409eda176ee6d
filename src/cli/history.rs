//! `rcs-composer history`: the sends, newest first (`--format json`); `history show N` one
//! whole; `history resend N` its request again, after the composer's duplicate check.

use super::output::print_json;
use super::send::{self, Job, REJECTED, USAGE};
use super::{Format, HistoryAction, HistoryArgs};
use crate::store::history::{self, HistoryEntry, HistoryLog};
use crate::store::paths;
use crate::text::{terminal_safe_json, visible};
use crate::tui::send::{BUILT_IN_NAME, BUILT_IN_NAME_TAKEN, REPEAT_WINDOW, reopened_draft};
use serde_json::{Value, json};
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

pub fn run(args: &HistoryArgs) -> ExitCode {
    let path = paths::history_file();
    let log = match history::read_from(&path) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("rcs-composer history: cannot read {}: {e}", path.display());
            return ExitCode::from(USAGE);
        }
    };
    if log.skipped > 0 {
        eprintln!(
            "rcs-composer history: {} damaged {} in {} skipped",
            log.skipped,
            if log.skipped == 1 { "line" } else { "lines" },
            path.display()
        );
    }
    match &args.action {
        None => list(&log, args.format),
        Some(HistoryAction::Show { n, format }) => match entry(&log, *n) {
            Ok(e) => show(*n, e, *format),
            Err(code) => code,
        },
        Some(HistoryAction::Resend { n, options, yes }) => {
            let e = match entry(&log, *n) {
                Ok(e) => e.clone(),
                Err(code) => return code,
            };
            ExitCode::from(resend(&log, *n, &e, options, *yes))
        }
    }
}

/// Entry `n` (1 is the newest), or the exit code after saying there is none.
fn entry(log: &HistoryLog, n: usize) -> Result<&HistoryEntry, ExitCode> {
    match n.checked_sub(1).and_then(|i| log.entries.get(i)) {
        Some(e) => Ok(e),
        None => {
            let have = log.entries.len();
            eprintln!(
                "rcs-composer history: there is no send {n}: the history holds {have} (1 is the newest){}",
                if have == 0 {
                    "; nothing was sent yet"
                } else {
                    ""
                }
            );
            Err(ExitCode::from(USAGE))
        }
    }
}

/// The time as `2026-12-01 15:04:05Z`.
fn time(e: &HistoryEntry) -> String {
    match e.timestamp() {
        Some(t) => t.strftime("%Y-%m-%d %H:%M:%SZ").to_string(),
        None => visible(&e.time),
    }
}

/// `s` in at most `width` characters, cut from the left: the end of a path tells drafts
/// apart.
fn cut_left(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_string();
    }
    let tail: String = s.chars().skip(n - width + 1).collect();
    format!("…{tail}")
}

fn list(log: &HistoryLog, format: Format) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let all: Vec<Value> = log
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let mut v = serde_json::to_value(e).unwrap_or(Value::Null);
                    v["n"] = json!(i + 1);
                    v
                })
                .collect();
            print_json(&Value::Array(all));
        }
        Format::Human if log.entries.is_empty() => {
            let _ = writeln!(out, "No sends yet.");
        }
        Format::Human => {
            for (i, e) in log.entries.iter().enumerate() {
                let status = e.status.map_or("---".to_string(), |s| s.to_string());
                let _ = writeln!(
                    out,
                    "{:>3}  {}  {:<12} {} {:<12} {:<24} {}",
                    i + 1,
                    time(e),
                    cut_left(&visible(&e.profile), 12),
                    status,
                    visible(e.outcome.as_str()),
                    cut_left(&visible(e.draft.as_deref().unwrap_or("-")), 24),
                    visible(&e.message_guids.join(", "))
                );
            }
        }
    }
    let _ = out.flush();
    ExitCode::SUCCESS
}

fn show(n: usize, e: &HistoryEntry, format: Format) -> ExitCode {
    if format == Format::Json {
        let mut v = serde_json::to_value(e).unwrap_or(Value::Null);
        v["n"] = json!(n);
        print_json(&v);
        return ExitCode::SUCCESS;
    }
    let latency = crate::client::format_latency(std::time::Duration::from_secs_f64(
        (e.latency_ms / 1000.0).clamp(0.0, 1e9),
    ));
    let mut s = String::new();
    let mut field = |k: &str, v: String| s.push_str(&format!("{k:<10} {v}\n"));
    field("send", n.to_string());
    field("time", time(e));
    field("profile", visible(&e.profile));
    field("url", format!("POST {}", visible(&e.url)));
    field("draft", visible(e.draft.as_deref().unwrap_or("(none)")));
    field(
        "status",
        e.status.map_or("no answer".to_string(), |c| c.to_string()),
    );
    field("latency", latency);
    field("outcome", visible(e.outcome.as_str()));
    field("summary", visible(&e.summary));
    for g in &e.message_guids {
        field("GUID", visible(g));
    }
    s.push_str("\nRequest:\n");
    let req = serde_json::to_string_pretty(&e.request).unwrap_or_default();
    s.push_str(&visible(&terminal_safe_json(&req)));
    s.push_str(if e.response_truncated {
        "\n\nResponse (cut):\n"
    } else {
        "\n\nResponse:\n"
    });
    s.push_str(&visible(&e.response));
    s.push('\n');
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
    ExitCode::SUCCESS
}

/// Sends entry `n`'s request again: with `--profile`/`--base-url` when given, else the
/// profile it was sent with (`--sandbox` for the composer's built-in one). The same request
/// accepted less than a minute ago is sent again only after a yes.
fn resend(
    log: &HistoryLog,
    n: usize,
    e: &HistoryEntry,
    options: &super::SendOptions,
    yes: bool,
) -> u8 {
    let body = reopened_draft(e, None);
    let t = &options.target;
    let built_in =
        e.callback_added || e.profile == BUILT_IN_NAME || e.profile == BUILT_IN_NAME_TAKEN;
    let sandbox = t.profile.is_none() && t.base_url.is_none() && built_in;
    // Where it went before, unless the command line says otherwise: the profile by name,
    // or the URL itself for a send made from --base-url or the environment.
    let mut options_owned;
    let options = if t.profile.is_none() && t.base_url.is_none() && !sandbox {
        options_owned = super::SendOptions {
            target: t.clone(),
            force: options.force,
            format: options.format,
            verbose: options.verbose,
        };
        if e.profile.starts_with('(') {
            options_owned.target.base_url =
                Some(e.url.trim_end_matches("/v5/messages").to_string());
        } else {
            options_owned.target.profile = Some(e.profile.clone());
        }
        &options_owned
    } else {
        options
    };
    if !yes && let Some(prev) = log.last_accepted(&body) {
        let age = prev
            .timestamp()
            .map(|t| jiff::Timestamp::now().duration_since(t).as_secs().max(0) as u64);
        if let Some(secs) = age.filter(|s| *s < REPEAT_WINDOW.as_secs()) {
            let question = format!(
                "The same request was accepted {secs} s ago ({}); this sends it again.",
                visible(&prev.message_guids.join(", "))
            );
            if !confirm(&question) {
                eprintln!("Not sent. (--yes sends it without asking.)");
                return REJECTED;
            }
        }
    }
    send::send(Job {
        doc: body,
        file: format!("history {n}"),
        draft: e.draft.clone(),
        options,
        sandbox: sandbox.then_some(send::DEFAULT_WAIT),
        dry_run: false,
        curl: false,
    })
}

/// Asks `question` on the terminal; false without one (nobody to answer).
fn confirm(question: &str) -> bool {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        eprintln!("{question} Standard input is not a terminal to answer on: use --yes.");
        return false;
    }
    eprint!("{question} Send? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let _ = stdin.lock().read_line(&mut line);
    matches!(line.trim(), "y" | "Y" | "yes")
}
