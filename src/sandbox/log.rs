//! What the sandbox reports about its work: one event per request and one per callback
//! attempt. The sandbox never prints; it hands events to a [`LogSink`], and whoever started it
//! decides where they go (the `sandbox` command prints them on stdout, the composer shows them
//! in a view and must not write to the terminal it draws on).

use crate::text::log_line;
use std::fmt;
use std::sync::Arc;

/// Receives every [`SandboxEvent`]. Called from the server's tasks: keep it quick (print a
/// line, push onto a channel).
pub type LogSink = Arc<dyn Fn(SandboxEvent) + Send + Sync>;

/// Receives one line per callback the listener refused.
pub type RejectSink = Arc<dyn Fn(String) + Send + Sync>;

/// A sink that drops every event.
pub fn discard() -> LogSink {
    Arc::new(|_| {})
}

/// A reject sink that drops every line.
pub fn discard_rejects() -> RejectSink {
    Arc::new(|_| {})
}

/// Something the sandbox did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SandboxEvent {
    /// A request was answered.
    Request(RequestLog),
    /// A delivery update was posted to a callback URL, or could not be.
    Callback(CallbackLog),
}

/// One answered request. Strings come from the request as sent: [`fmt::Display`] makes their
/// control characters visible and shortens them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLog {
    pub time: jiff::Timestamp,
    pub method: String,
    pub path: String,
    pub status: u16,
    /// `messageType` of the body, when it had one.
    pub message_type: Option<String>,
    /// `destination` of the body, when it had one.
    pub destination: Option<String>,
    /// The GUID given to an accepted message.
    pub message_guid: Option<String>,
    /// Why a request was refused, in a few words (`wrong credentials`, `3 errors: …`).
    pub note: Option<String>,
}

/// One callback attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackLog {
    pub time: jiff::Timestamp,
    pub message_guid: String,
    /// `queued`, `sent`, `delivered` or `failed`.
    pub status: String,
    /// RCS, SMS or MMS.
    pub channel: String,
    /// The callback URL, as given in the message.
    pub url: String,
    /// The HTTP status the callback answered with, if it answered.
    pub answer: Option<u16>,
    /// Why nothing was posted, or why the post failed.
    pub problem: Option<String>,
}

/// At most this many characters of a value from a request reach a log line.
const MAX_SHOWN: usize = 60;

/// `s` fit for one log line: control characters visible (newlines and tabs too), and cut at
/// [`MAX_SHOWN`] characters with an ellipsis.
pub fn shown(s: &str) -> String {
    log_line(s, MAX_SHOWN)
}

fn or_dash(s: &Option<String>) -> String {
    match s {
        Some(s) if !s.is_empty() => shown(s),
        _ => "-".to_string(),
    }
}

/// The time as `HH:MM:SS.mmm` UTC followed by `Z`, the date left out: a log is read live.
fn clock(t: jiff::Timestamp) -> String {
    t.strftime("%H:%M:%S%.3fZ").to_string()
}

impl fmt::Display for RequestLog {
    /// `12:00:01.250Z 200 POST /v5/messages RCS_CARD 15559876543 3f2b…-…`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} {} {} {}",
            clock(self.time),
            self.status,
            shown(&self.method),
            shown(&self.path),
            or_dash(&self.message_type),
            or_dash(&self.destination),
            or_dash(&self.message_guid),
        )?;
        if let Some(note) = &self.note {
            write!(f, " ({})", shown_line(note))?;
        }
        Ok(())
    }
}

impl fmt::Display for CallbackLog {
    /// `12:00:02.250Z callback 3f2b… delivered RCS → http://127.0.0.1:8643/callbacks: 204`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} callback {} {} {} -> {}",
            clock(self.time),
            shown(&self.message_guid),
            shown(&self.status),
            shown(&self.channel),
            shown_line(&self.url),
        )?;
        match (&self.problem, self.answer) {
            (Some(problem), _) => write!(f, ": not delivered: {}", shown_line(problem)),
            (None, Some(code)) => write!(f, ": {code}"),
            (None, None) => Ok(()),
        }
    }
}

impl fmt::Display for SandboxEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SandboxEvent::Request(r) => r.fmt(f),
            SandboxEvent::Callback(c) => c.fmt(f),
        }
    }
}

/// At most this many characters of a note or a URL reach a log line.
const MAX_SHOWN_LINE: usize = 300;

/// Like [`shown`], for notes and URLs, which may run longer.
pub fn shown_line(s: &str) -> String {
    log_line(s, MAX_SHOWN_LINE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> jiff::Timestamp {
        "2026-11-27T12:00:01.25Z".parse().unwrap()
    }

    #[test]
    fn request_line_has_time_status_type_destination_guid() {
        let line = RequestLog {
            time: at(),
            method: "POST".into(),
            path: "/v5/messages".into(),
            status: 200,
            message_type: Some("RCS_CARD".into()),
            destination: Some("15559876543".into()),
            message_guid: Some("550e8400-e29b-41d4-a716-446655440000".into()),
            note: None,
        }
        .to_string();
        assert_eq!(
            line,
            "12:00:01.250Z 200 POST /v5/messages RCS_CARD 15559876543 \
             550e8400-e29b-41d4-a716-446655440000"
        );
    }

    #[test]
    fn hostile_strings_cannot_break_the_line_or_the_terminal() {
        let line = RequestLog {
            time: at(),
            method: "POST".into(),
            path: "/v5/messages".into(),
            status: 400,
            message_type: Some("\x1b[2J\nRCS".into()),
            destination: Some("1".repeat(500)),
            message_guid: None,
            note: Some("1 error".into()),
        }
        .to_string();
        assert!(!line.contains('\x1b'));
        assert!(!line.contains('\n'));
        assert!(line.contains("␛[2J␊RCS"));
        assert!(line.contains(&format!("{}…", "1".repeat(MAX_SHOWN - 1))));
        assert!(line.ends_with(" - (1 error)"));
    }

    #[test]
    fn callback_line_says_what_went_wrong() {
        let line = CallbackLog {
            time: at(),
            message_guid: "g".into(),
            status: "sent".into(),
            channel: "SMS".into(),
            url: "http://203.0.113.9/cb".into(),
            answer: None,
            problem: Some("not a loopback host".into()),
        }
        .to_string();
        assert_eq!(
            line,
            "12:00:01.250Z callback g sent SMS -> http://203.0.113.9/cb: not delivered: \
             not a loopback host"
        );
    }
}
