//! Sending to the API: profiles resolved to a URL and credentials, one POST with timeouts,
//! and the answer sorted into what a person needs to know.
//!
//! CONTRACT (the composer codes against these names; the bodies are being built):
//! - [`send`] never panics and never retries; cancel it by dropping the future or aborting
//!   its task.
//! - The secret lives only in [`Secret`], whose `Debug`/`Display` print `***`.

use crate::message::FieldPath;
use std::time::Duration;

/// The API secret. Never printed, logged or written: `Debug` and `Display` show `***`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    /// The secret itself, for the Authorization header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// A profile resolved for sending: where, who, and how long to wait.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    /// The API root; the request goes to `{base_url}/v5/messages`.
    pub base_url: String,
    /// The API key.
    pub username: String,
    pub password: Secret,
    /// Allows Basic auth over plain http to a host other than loopback.
    pub allow_insecure: bool,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    /// True for the local sandbox: nothing is delivered, no confirmation is asked.
    pub is_sandbox: bool,
}

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

/// The whole exchange, for the send pane and the history.
#[derive(Debug, Clone)]
pub struct SendOutcome {
    /// `POST {url}` as sent.
    pub url: String,
    pub status: Option<u16>,
    pub latency: Duration,
    pub result: SendResult,
    /// The response body as text, cut at 1 MB (`truncated` says so). Raw: pass it through
    /// [`visible`] before it reaches a terminal.
    pub response_body: String,
    pub truncated: bool,
}

/// Sends `body` with `profile`.
pub async fn send(profile: &Profile, body: &serde_json::Value) -> SendOutcome {
    let _ = body;
    SendOutcome {
        url: format!("{}/v5/messages", profile.base_url.trim_end_matches('/')),
        status: None,
        latency: Duration::ZERO,
        result: SendResult::Refused {
            reason: "sending is not built yet".into(),
        },
        response_body: String::new(),
        truncated: false,
    }
}

/// `s` with every control character made visible (`\x1b` → `␛`, …), so a hostile body
/// cannot move the cursor or change the terminal. Newlines and tabs are kept.
pub fn visible(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\t' => c,
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
            '\u{7f}' => '␡',
            c if ('\u{80}'..='\u{9f}').contains(&c) => '�',
            c => c,
        })
        .collect()
}
