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
mod request;
mod resolve;
mod scrub;
mod transport;

pub use history::history_entry;
pub use request::{PreparedRequest, check_transport, is_loopback_host};
pub use resolve::{LoopbackOnly, NotLoopback, Resolver, is_loopback_ip, not_loopback};
pub use scrub::Scrubber;
pub use transport::{SystemResolver, TransportFailure, causes, transport_failure};

use crate::message::FieldPath;
use crate::profile::Profile;
use std::time::{Duration, Instant};

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

    /// The outcome in one line, for a history list.
    pub fn summary(&self) -> String {
        let s = match self {
            SendResult::Accepted { message, results } => {
                format!("accepted: {} message(s). {message}", results.len())
            }
            SendResult::Rejected { message, issues } => {
                format!("rejected: {message} ({} problem(s))", issues.len())
            }
            SendResult::AuthFailed { hint } => hint.clone(),
            SendResult::RateLimited { retry_after } => match retry_after {
                Some(r) => format!("rate limited; retry after {r}"),
                None => "rate limited".into(),
            },
            SendResult::Unexpected { summary } => summary.clone(),
            SendResult::Network { reason } => reason.clone(),
            SendResult::Refused { reason } => reason.clone(),
        };
        s.lines().next().unwrap_or("").trim().to_string()
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
        }
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
    let mut builder = reqwest::Client::builder()
        .connect_timeout(profile.connect_timeout)
        .timeout(profile.timeout)
        // A redirect would resend the credentials somewhere the profile does not name.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("rcs-composer/", env!("CARGO_PKG_VERSION")));
    // Names resolved (the system's resolver, its failures marked so they are told apart by
    // type); for credentials in clear, only to this machine's addresses.
    builder = if prepared.loopback_only {
        builder.dns_resolver(std::sync::Arc::new(LoopbackOnly(resolver.clone())))
    } else {
        builder.dns_resolver(std::sync::Arc::new(resolver.clone()))
    };
    if prepared.direct {
        builder = builder.no_proxy();
    }
    let client = match builder.build() {
        Ok(c) => c,
        Err(e) => {
            return SendOutcome::without_answer(
                url,
                Duration::ZERO,
                SendResult::Refused {
                    reason: format!("could not set up the HTTP client: {e}"),
                },
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
