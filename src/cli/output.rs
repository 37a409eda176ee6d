//! What `send` prints: the answer in words or as one JSON object, and the headers for `-v`.

use super::Format;
use crate::client::{PreparedRequest, SendOutcome, SendResult};
use crate::message::{Issue, Report};
use crate::text::{terminal_safe_json, visible};
use serde_json::{Value, json};
use std::io::Write;

/// `-v`: the answer's status line and headers, `< ` each, on standard error.
pub fn print_verbose_answer(o: &SendOutcome) {
    let Some(code) = o.status else { return };
    let reason = reqwest::StatusCode::from_u16(code)
        .ok()
        .and_then(|c| c.canonical_reason())
        .unwrap_or("");
    let mut s = format!("< {} {code} {reason}\n", o.version);
    for (k, v) in &o.response_headers {
        s.push_str(&format!("< {k}: {}\n", visible(v)));
    }
    eprint!("{s}");
}

/// Prints a failure before anything was sent: text on stderr, or a JSON object on stdout.
pub fn fail(format: Format, file: &str, kind: &str, error: &str) {
    match format {
        Format::Human if kind == "file_error" && !error.contains(file) => {
            eprintln!("rcs-composer send: {file}: {error}")
        }
        Format::Human => eprintln!("rcs-composer send: {error}"),
        Format::Json => print_json(&json!({
            "file": file,
            "sent": false,
            "kind": kind,
            "error": error,
        })),
    }
}

pub fn shown_path(i: &Issue) -> String {
    if i.path.is_root() {
        "(body)".into()
    } else {
        i.path.to_string()
    }
}

pub fn print_issues(file: &str, report: &Report) {
    for (what, list) in [("error", &report.errors), ("warning", &report.warnings)] {
        for i in list {
            eprintln!("{file}: {}: {what}: {}", shown_path(i), i.message);
        }
    }
}

pub fn print_human(file: &str, o: &SendOutcome) {
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
                "rate limited (HTTP 429): {}. Nothing was sent again automatically.\n",
                crate::client::retry_after_text(r)
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

pub fn headers_json(p: &PreparedRequest) -> Value {
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
pub fn print_json(v: &Value) {
    let safe = terminal_safe_json(&v.to_string());
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let _ = writeln!(lock, "{safe}");
    let _ = lock.flush();
}
