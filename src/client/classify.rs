//! The answer sorted into what a person needs to know: the API's success and error shapes,
//! auth problems, rate limits, pages that are not the API's, and network failures in words.

use super::transport::{TransportFailure, causes, transport_failure};
use super::{Accepted, PreparedRequest, SendResult, ServerIssue};
use crate::message::FieldPath;
use crate::profile::Profile;
use crate::text::visible;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::time::Duration;

/// How many lines of an unexpected answer are shown, and how long each may be.
const SUMMARY_LINES: usize = 6;
const SUMMARY_LINE_CHARS: usize = 200;

/// What classification needs to know about the request.
pub(super) struct Context {
    profile_name: String,
    host: String,
    port: u16,
    connect_timeout: Duration,
    timeout: Duration,
}

impl Context {
    pub(super) fn new(profile: &Profile, prepared: &PreparedRequest) -> Self {
        let url = url::Url::parse(&prepared.url).ok();
        Self {
            profile_name: profile.name.clone(),
            host: url
                .as_ref()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default(),
            port: url
                .as_ref()
                .and_then(|u| u.port_or_known_default())
                .unwrap_or(0),
            connect_timeout: profile.connect_timeout,
            timeout: profile.timeout,
        }
    }

    pub(super) fn host_port(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    /// A transport failure in words. `answer` is the status and the bytes already read when
    /// the failure came while reading the body.
    pub(super) fn describe_error(
        &self,
        e: &reqwest::Error,
        answer: Option<(u16, usize)>,
    ) -> String {
        let hp = self.host_port();
        let failure = transport_failure(e);
        if failure == TransportFailure::TimedOut {
            return if e.is_connect() {
                format!(
                    "timed out after {} connecting to {hp} (connect_timeout_secs); nothing was sent",
                    secs(self.connect_timeout)
                )
            } else if let Some((status, n)) = answer {
                format!(
                    "timed out after {} while reading the answer (HTTP {status}, {n} bytes so far) \
                     from {hp}; the message may have been accepted",
                    secs(self.timeout)
                )
            } else {
                format!(
                    "timed out after {} waiting for {hp} to answer (timeout_secs); the message \
                     may have been accepted, so check before sending again",
                    secs(self.timeout)
                )
            };
        }
        if let Some((status, n)) = answer {
            return format!(
                "the connection closed mid-response: {hp} answered HTTP {status} and then \
                 stopped after {n} bytes ({})",
                last_cause(e)
            );
        }
        match failure {
            TransportFailure::NameNotResolved => format!(
                "name not resolved: {} could not be found (check base_url in profile '{}', \
                 and this machine's network)",
                self.host, self.profile_name
            ),
            TransportFailure::Refused => format!(
                "connection refused by {hp}: nothing is listening there (check base_url in \
                 profile '{}')",
                self.profile_name
            ),
            TransportFailure::Tls => match super::tls_reason(e) {
                Some(why) => format!("TLS failed with {hp}: {why}. Nothing was sent"),
                None => format!(
                    "TLS failed with {hp}: the server hung up or answered without TLS ({}); \
                     is base_url really https? Nothing was sent",
                    last_cause(e)
                ),
            },
            TransportFailure::Closed => format!(
                "the connection closed mid-response: {hp} hung up before a complete answer \
                 ({}); the message may have been accepted",
                last_cause(e)
            ),
            // The server answered, but not in HTTP (another protocol on that port, or a
            // header with control characters in it).
            TransportFailure::NotHttp => format!(
                "{hp} answered with something that is not valid HTTP ({}); is base_url the \
                 API's address? The message may have been accepted",
                last_cause(e)
            ),
            TransportFailure::Unreachable => {
                format!("{hp} is unreachable from this machine ({})", last_cause(e))
            }
            TransportFailure::TimedOut | TransportFailure::Other => {
                format!("could not reach {hp}: {}", visible(&chain_text(e)))
            }
        }
    }

    /// Sorts an answer that arrived whole (or cut at 1 MB).
    pub(super) fn classify(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        text: &str,
        truncated: bool,
    ) -> SendResult {
        let json: Option<Value> = if truncated {
            None
        } else {
            serde_json::from_str(text).ok()
        };
        let code = status.as_u16();
        let server_message = json
            .as_ref()
            .and_then(|j| j.get("message"))
            .and_then(Value::as_str)
            .map(visible);
        match code {
            401 | 403 => {
                let mut hint = if code == 401 {
                    format!(
                        "HTTP 401: the API did not accept the credentials of profile '{}'. \
                         Check the API key (username) and the API secret (password).",
                        self.profile_name
                    )
                } else {
                    format!(
                        "HTTP 403: the API refused profile '{}'. Check the API key and secret, \
                         and that this machine's IP address is allowed for this API key in \
                         the vendor portal.",
                        self.profile_name
                    )
                };
                if code == 401 {
                    hint.push_str(
                        " If they are right, check that this machine's IP address is allowed \
                         in the vendor portal.",
                    );
                }
                if let Some(m) = server_message {
                    hint.push_str(&format!(" The server said: {m}"));
                }
                SendResult::AuthFailed { hint }
            }
            429 => SendResult::RateLimited {
                retry_after: headers.get(reqwest::header::RETRY_AFTER).map(|v| {
                    visible(&String::from_utf8_lossy(v.as_bytes()))
                        .trim()
                        .to_string()
                }),
            },
            // An answer cut at 1 MB: the results that arrived whole, read as a stream.
            200..=299 if truncated => {
                let p = super::partial::read(text, accepted);
                let seen = p.results.len();
                match p.status.as_deref() {
                    Some("success") | None if seen > 0 || p.status.is_some() => {
                        SendResult::Accepted {
                            message: visible(&format!(
                                "{} (the answer was over 1 MB and was cut there; the {seen} \
                                 result{} before the cut are listed)",
                                p.message.as_deref().unwrap_or("accepted"),
                                if seen == 1 { "" } else { "s" }
                            )),
                            results: p.results,
                        }
                    }
                    Some(other) => SendResult::Unexpected {
                        summary: format!(
                            "HTTP {code}, but the answer's status is {} rather than \"success\"",
                            visible(&format!("{other:?}"))
                        ),
                    },
                    None => self.unexpected(status, headers, text, truncated),
                }
            }
            200..=299 => match &json {
                Some(j) if j.get("status").and_then(Value::as_str) == Some("success") => {
                    SendResult::Accepted {
                        message: server_message.unwrap_or_default(),
                        results: results(j),
                    }
                }
                Some(j) => SendResult::Unexpected {
                    summary: format!(
                        "HTTP {code}, but the answer's status is {} rather than \"success\"{}",
                        j.get("status")
                            .map(|s| visible(&s.to_string()))
                            .unwrap_or_else(|| "missing".into()),
                        server_message.map(|m| format!(": {m}")).unwrap_or_default()
                    ),
                },
                None => self.unexpected(status, headers, text, truncated),
            },
            // The API's 400 carries `data[]`; a 400 with only a `message` (e.g. a body it
            // could not parse) is still the API's rejection.
            400..=499 => match json.as_ref() {
                Some(j)
                    if j.get("data").is_some_and(Value::is_array)
                        || (code == 400 && j.get("message").is_some_and(Value::is_string)) =>
                {
                    SendResult::Rejected {
                        message: server_message.unwrap_or_else(|| format!("HTTP {code}")),
                        issues: j
                            .get("data")
                            .and_then(Value::as_array)
                            .map(|d| d.iter().map(issue).collect())
                            .unwrap_or_default(),
                    }
                }
                _ => self.unexpected(status, headers, text, truncated),
            },
            _ => self.unexpected(status, headers, text, truncated),
        }
    }

    fn unexpected(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        text: &str,
        truncated: bool,
    ) -> SendResult {
        let code = status.as_u16();
        let reason = status.canonical_reason().unwrap_or("");
        let mut summary = format!("HTTP {code} {reason}").trim_end().to_string();
        if let Some(loc) = headers
            .get(reqwest::header::LOCATION)
            .filter(|_| (300..400).contains(&code))
        {
            summary.push_str(&format!(
                ", redirecting to {} (not followed: check base_url)",
                visible(&String::from_utf8_lossy(loc.as_bytes()))
            ));
        }
        let kind = headers
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| visible(&String::from_utf8_lossy(v.as_bytes())));
        if text.trim().is_empty() {
            summary.push_str(" with an empty body");
        } else {
            let what = if serde_json::from_str::<Value>(text).is_ok() {
                "JSON that is not the API's answer".to_string()
            } else if truncated {
                "a body over 1 MB (cut)".to_string()
            } else {
                match kind {
                    Some(k) => format!("a body of type {k}, not the API's JSON"),
                    None => "a body that is not the API's JSON".into(),
                }
            };
            summary.push_str(&format!(" from {}: {what}. It begins:", self.host));
            for line in text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .take(SUMMARY_LINES)
            {
                let cut: String = line.chars().take(SUMMARY_LINE_CHARS).collect();
                let more = if cut.len() < line.len() { "…" } else { "" };
                summary.push_str(&format!("\n  {}{more}", visible(cut.trim_end())));
            }
        }
        SendResult::Unexpected { summary }
    }
}

fn results(j: &Value) -> Vec<Accepted> {
    let list = j
        .get("data")
        .and_then(|d| d.get("results"))
        .and_then(Value::as_array);
    list.map(|l| l.iter().map(accepted).collect())
        .unwrap_or_default()
}

/// One result of a success answer.
fn accepted(r: &Value) -> Accepted {
    Accepted {
        message_guid: text_of(r.get("messageGUID")),
        destination: text_of(r.get("destination")),
        status: text_of(r.get("status")),
    }
}

fn issue(v: &Value) -> ServerIssue {
    let field = v.get("field").and_then(Value::as_str).unwrap_or("");
    ServerIssue {
        path: FieldPath::parse(field),
        description: text_of(v.get("description")),
        message: text_of(v.get("message")),
    }
}

/// A JSON value as plain visible text: strings without quotes, numbers as written.
fn text_of(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => visible(s),
        Some(other) => visible(&other.to_string()),
    }
}

/// The body bytes as text: a multi-byte character cut at the 1 MB mark is dropped, any
/// other invalid UTF-8 becomes U+FFFD.
pub(super) fn body_text(buf: &[u8]) -> String {
    match std::str::from_utf8(buf) {
        Ok(s) => s.to_string(),
        Err(e) if e.error_len().is_none() => {
            String::from_utf8_lossy(&buf[..e.valid_up_to()]).into_owned()
        }
        Err(_) => String::from_utf8_lossy(buf).into_owned(),
    }
}

/// A duration as a person says it: `30 s`, `0.5 s`.
pub(super) fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{} s", s as u64)
    } else {
        format!("{s:.1} s")
    }
}

/// `e` and its causes in words, outermost first.
fn chain_text(e: &reqwest::Error) -> String {
    causes(e)
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(": ")
}

/// The innermost cause, which is usually the one that names the problem.
fn last_cause(e: &reqwest::Error) -> String {
    causes(e)
        .last()
        .map(|c| visible(&c.to_string()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_cut_mid_character_drops_the_partial_character() {
        let s = "aé";
        let bytes = &s.as_bytes()[..2];
        assert_eq!(body_text(bytes), "a");
        assert_eq!(body_text(b"a\xffb"), "a\u{fffd}b");
    }

    #[test]
    fn secs_reads_naturally() {
        assert_eq!(secs(Duration::from_secs(30)), "30 s");
        assert_eq!(secs(Duration::from_millis(500)), "0.5 s");
    }
}
