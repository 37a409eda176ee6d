//! Sending to the API: profiles resolved to a URL and credentials, one POST with timeouts,
//! and the answer sorted into what a person needs to know.
//!
//! CONTRACT (the composer codes against these names):
//! - [`send`] never panics and never retries; cancel it by dropping the future or aborting
//!   its task.
//! - The secret lives only in [`crate::profile::Secret`], whose `Debug`/`Display` print `***`.
//! - Every string inside a [`SendResult`] that came from the server has already been passed
//!   through [`crate::text::visible`]; [`SendOutcome::response_body`] is raw and must be.

mod classify;
mod history;
mod http;
mod partial;
mod request;
mod resolve;
mod scrub;
mod transport;

pub use history::{history_entry, latency_ms};
pub use http::{
    PROXY_VARIABLES, ProxyChoice, Transport, client_builder, read_ca_file, system_roots,
};
pub use request::{
    CurlSecret, PreparedRequest, check_transport, is_loopback_host, is_loopback_url,
};
pub use resolve::{LoopbackOnly, NotLoopback, Resolver, is_loopback_ip, not_loopback};
pub use scrub::Scrubber;
pub use transport::{
    SystemResolver, TRUST_HINT, TransportFailure, causes, tls_reason, transport_failure,
};

use crate::message::FieldPath;
use crate::profile::Profile;
use std::time::{Duration, Instant};

/// Sent with every request, so a server's log says who asked.
pub const USER_AGENT: &str = concat!("rcs-composer/", env!("CARGO_PKG_VERSION"));

/// Response bodies are read up to this many bytes; the rest is dropped and
/// [`SendOutcome::truncated`] says so.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// One accepted message of a 200 answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub message_guid: String,
    pub destination: String,
    pub status: String,
}

/// One entry of a 400 answer's `data[]`, its path parsed so the form can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerIssue {
    pub path: FieldPath,
    pub description: String,
    pub message: String,
}

/// What became of a send, sorted by what the person should do next.
#[derive(Debug, Clone)]
pub enum SendResult {
    /// 2xx with `status: success`.
    Accepted {
        message: String,
        results: Vec<Accepted>,
    },
    /// 400 with the API's `data[]`.
    Rejected {
        message: String,
        issues: Vec<ServerIssue>,
    },
    /// 401/403: what to check.
    AuthFailed { hint: String },
    /// 429, with the Retry-After header if any.
    RateLimited { retry_after: Option<String> },
    /// Any other status, or a body that is not the API's JSON: the first lines of it.
    Unexpected { summary: String },
    /// No answer: the failure in words (name not resolved, refused, TLS, timed out after N s).
    Network { reason: String },
    /// Refused before sending (e.g. Basic auth over plain http to a remote host).
    Refused { reason: String },
}

impl SendResult {
    /// A stable machine name for the kind of outcome, used in `--format json` and the
    /// history: `accepted`, `rejected`, `auth_failed`, `rate_limited`, `unexpected`,
    /// `network`, `refused`.
    pub fn kind(&self) -> &'static str {
        match self {
            SendResult::Accepted { .. } => "accepted",
            SendResult::Rejected { .. } => "rejected",
            SendResult::AuthFailed { .. } => "auth_failed",
            SendResult::RateLimited { .. } => "rate_limited",
            SendResult::Unexpected { .. } => "unexpected",
            SendResult::Network { .. } => "network",
            SendResult::Refused { .. } => "refused",
        }
    }

    /// The outcome in one line, for a history list and the message line. An answer that
    /// is not the API's keeps the start of its body (`… It begins: <html>…`).
    pub fn summary(&self) -> String {
        let s = match self {
            SendResult::Accepted { message, results } => {
                let n = results.len();
                format!(
                    "accepted: {n} {}. {message}",
                    if n == 1 { "message" } else { "messages" }
                )
            }
            SendResult::Rejected { message, issues } => {
                let n = issues.len();
                format!(
                    "rejected: {message} ({n} {})",
                    if n == 1 { "problem" } else { "problems" }
                )
            }
            SendResult::AuthFailed { hint } => hint.clone(),
            SendResult::RateLimited { retry_after } => match retry_after {
                Some(r) => format!("rate limited: {}", retry_after_text(r)),
                None => "rate limited, with no Retry-After: wait before sending again".into(),
            },
            SendResult::Unexpected { summary } => summary.clone(),
            SendResult::Network { reason } => reason.clone(),
            SendResult::Refused { reason } => reason.clone(),
        };
        let mut lines = s.lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines.next().unwrap_or("").to_string();
        match lines.next() {
            Some(next) if first.ends_with(':') => format!("{first} {next}"),
            _ => first,
        }
    }

    /// One result of each kind, empty, for tests that must cover them all.
    #[cfg(test)]
    pub(crate) fn examples() -> Vec<SendResult> {
        vec![
            SendResult::Accepted {
                message: String::new(),
                results: vec![],
            },
            SendResult::Rejected {
                message: String::new(),
                issues: vec![],
            },
            SendResult::AuthFailed {
                hint: String::new(),
            },
            SendResult::RateLimited { retry_after: None },
            SendResult::Unexpected {
                summary: String::new(),
            },
            SendResult::Network {
                reason: String::new(),
            },
            SendResult::Refused {
                reason: String::new(),
            },
        ]
    }
}

/// The whole exchange, for the send pane and the history.
#[derive(Debug, Clone)]
pub struct SendOutcome {
    /// `POST {url}` as sent.
    pub url: String,
    pub status: Option<u16>,
    pub latency: Duration,
    pub result: SendResult,
    /// The response body as text, cut at 1 MB (`truncated` says so). Raw: pass it through
    /// [`crate::text::visible`] before it reaches a terminal.
    pub response_body: String,
    pub truncated: bool,
    /// The answer's headers as received (`-v` prints them; a request ID is in there).
    pub response_headers: Vec<(String, String)>,
    /// The HTTP version of the answer, `HTTP/1.1`.
    pub version: String,
}

impl SendOutcome {
    /// True for a 2xx answer with `status: success`.
    pub fn is_success(&self) -> bool {
        matches!(self.result, SendResult::Accepted { .. })
    }

    /// The messageGUIDs of an accepted send, in the server's order.
    pub fn message_guids(&self) -> Vec<String> {
        match &self.result {
            SendResult::Accepted { results, .. } => {
                results.iter().map(|r| r.message_guid.clone()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The outcome with every form of the secret hidden in everything that came from the
    /// server: the body, the messages and issues read from it, the headers' values, the
    /// transport's error text.
    pub fn scrubbed(mut self, s: &Scrubber) -> Self {
        if s.is_empty() {
            return self;
        }
        let f = |t: &mut String| *t = s.scrub(t);
        f(&mut self.url);
        f(&mut self.response_body);
        for (name, value) in &mut self.response_headers {
            f(name);
            f(value);
        }
        match &mut self.result {
            SendResult::Accepted { message, results } => {
                f(message);
                for r in results {
                    f(&mut r.message_guid);
                    f(&mut r.destination);
                    f(&mut r.status);
                }
            }
            SendResult::Rejected { message, issues } => {
                f(message);
                for i in issues {
                    f(&mut i.description);
                    f(&mut i.message);
                    let path = i.path.to_string();
                    let hidden = s.scrub(&path);
                    if hidden != path {
                        i.path = FieldPath::parse(&hidden);
                    }
                }
            }
            SendResult::AuthFailed { hint: t }
            | SendResult::Unexpected { summary: t }
            | SendResult::Network { reason: t }
            | SendResult::Refused { reason: t } => f(t),
            SendResult::RateLimited { retry_after } => {
                if let Some(t) = retry_after {
                    f(t)
                }
            }
        }
        self
    }

    fn without_answer(url: String, latency: Duration, result: SendResult) -> Self {
        Self {
            url,
            status: None,
            latency,
            result,
            response_body: String::new(),
            truncated: false,
            response_headers: Vec::new(),
            version: String::new(),
        }
    }
}

/// A `Retry-After` value as a person reads it: `retry after 30 s`, or `retry after Tue,
/// 01 Dec 2026 16:00:00 GMT (in 42 s)`.
pub fn retry_after_text(value: &str) -> String {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return format!("retry after {secs} s");
    }
    match jiff::fmt::rfc2822::parse(v) {
        Ok(when) => {
            let left = when.timestamp().as_second() - jiff::Timestamp::now().as_second();
            if left > 0 {
                format!("retry after {v} (in {left} s)")
            } else {
                format!("retry after {v} (now)")
            }
        }
        Err(_) => format!("retry after {v}"),
    }
}

/// Sends `body` with `profile`: one POST to `{base_url}/v5/messages` with Basic auth, the
/// profile's connect and whole-request timeouts, and no retry (a POST may have been
/// delivered even when the answer was lost).
pub async fn send(profile: &Profile, body: &serde_json::Value) -> SendOutcome {
    send_with(profile, body, &Resolver::from_env()).await
}

/// As [`send`], looking names up with `resolver` (a test's table).
pub async fn send_with(
    profile: &Profile,
    body: &serde_json::Value,
    resolver: &Resolver,
) -> SendOutcome {
    let started = Instant::now();
    let prepared = match PreparedRequest::new(profile, body) {
        Ok(p) => p,
        Err(reason) => {
            return SendOutcome::without_answer(
                profile.messages_url(),
                Duration::ZERO,
                SendResult::Refused { reason },
            );
        }
    };
    let url = prepared.url.clone();
    let transport = Transport {
        ca_files: profile.ca_file.iter().cloned().collect(),
        proxy: ProxyChoice::FromEnvironment,
        plain_http_only: prepared.url.starts_with("http://"),
    };
    let client = match client_builder(&transport, prepared.direct).and_then(|b| {
        // Names resolved with `resolver`; for credentials in clear, only to this machine's
        // addresses.
        let b = if prepared.loopback_only {
            b.dns_resolver(std::sync::Arc::new(LoopbackOnly(resolver.clone())))
        } else {
            b.dns_resolver(std::sync::Arc::new(resolver.clone()))
        };
        b.connect_timeout(profile.connect_timeout)
            .timeout(profile.timeout)
            .user_agent(USER_AGENT)
            .build()
            .map_err(|e| format!("could not set up the HTTP client: {e}"))
    }) {
        Ok(c) => c,
        Err(reason) => {
            let reason = match &profile.ca_file {
                Some(_) if reason.contains("CA file") => {
                    format!("{reason} ({})", profile.origin.at(&profile.name, "ca_file"))
                }
                _ => reason,
            };
            return SendOutcome::without_answer(
                url,
                Duration::ZERO,
                SendResult::Refused { reason },
            );
        }
    };
    let mut builder = client
        .post(&url)
        .basic_auth(&profile.username, Some(profile.password.expose()));
    for (name, value) in &prepared.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let request = builder.body(prepared.body.clone());
    let ctx = classify::Context::new(profile, &prepared);

    // reqwest's own timeout covers connect, headers and body; this outer one is a safety
    // net with a small margin so a stuck DNS lookup cannot hold the send forever.
    let limit = profile.timeout + Duration::from_millis(500);
    let exchange = async {
        let mut response = match request.send().await {
            Ok(r) => r,
            Err(e) => {
                if let Some(n) = not_loopback(&e) {
                    return SendOutcome::without_answer(
                        url.clone(),
                        started.elapsed(),
                        SendResult::Refused {
                            reason: request::not_this_machine(&url, &n, &profile.name),
                        },
                    );
                }
                return SendOutcome::without_answer(
                    url.clone(),
                    started.elapsed(),
                    SendResult::Network {
                        reason: ctx.describe_error(&e, None),
                    },
                );
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        let version = format!("{:?}", response.version());
        let mut buf: Vec<u8> = Vec::new();
        let mut truncated = false;
        let mut failure = None;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = MAX_BODY_BYTES - buf.len();
                    if chunk.len() > room {
                        buf.extend_from_slice(&chunk[..room]);
                        truncated = true;
                        break;
                    }
                    buf.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    failure = Some(ctx.describe_error(&e, Some((status.as_u16(), buf.len()))));
                    break;
                }
            }
        }
        drop(response);
        let latency = started.elapsed();
        let text = classify::body_text(&buf);
        let result = match failure {
            Some(reason) => SendResult::Network { reason },
            None => ctx.classify(status, &headers, &text, truncated),
        };
        SendOutcome {
            url: url.clone(),
            status: Some(status.as_u16()),
            latency,
            result,
            response_body: text,
            truncated,
            response_headers: headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_string(),
                        crate::text::visible(&String::from_utf8_lossy(v.as_bytes())),
                    )
                })
                .collect(),
            version,
        }
    };
    let outcome = match tokio::time::timeout(limit, exchange).await {
        Ok(outcome) => outcome,
        Err(_) => SendOutcome::without_answer(
            prepared.url.clone(),
            started.elapsed(),
            SendResult::Network {
                reason: format!(
                    "timed out after {}: {} did not answer completely",
                    classify::secs(profile.timeout),
                    ctx.host_port()
                ),
            },
        ),
    };
    // Whatever the server sent back, decoded or not, the secret is hidden in it.
    outcome.scrubbed(&Scrubber::new(&profile.username, profile.password.expose()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_distinct() {
        let all = SendResult::examples();
        let mut kinds: Vec<_> = all.iter().map(|r| r.kind()).collect();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), all.len());
    }
}

/// A latency as a person reads it: `0.8 ms` below 10 ms, `182 ms`, then `1.52 s`.
pub fn format_latency(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

#[cfg(test)]
mod latency_tests {
    use super::*;

    #[test]
    fn latency_reads_well_at_every_scale() {
        assert_eq!(format_latency(Duration::from_micros(800)), "0.8 ms");
        assert_eq!(format_latency(Duration::from_millis(182)), "182 ms");
        assert_eq!(format_latency(Duration::from_millis(1520)), "1.52 s");
    }
}
