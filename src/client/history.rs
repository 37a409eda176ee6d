//! A finished send as the history records it. The history file is the store's; what a send
//! came to is the client's to say, so the mapping lives here.

use super::{SendOutcome, SendResult};
use crate::profile::Profile;
use crate::store::history::{HistoryEntry, Outcome, RESPONSE_CAP};
use serde_json::Value;

/// The history entry for a send that has just finished: the profile's name (never its
/// credentials), the request, the status, the latency and the answer, cut at
/// [`RESPONSE_CAP`] bytes.
pub fn history_entry(
    profile: &Profile,
    draft: Option<&str>,
    request: &Value,
    outcome: &SendOutcome,
) -> HistoryEntry {
    let mut response = outcome.response_body.clone();
    let mut truncated = outcome.truncated;
    if response.len() > RESPONSE_CAP {
        let mut cut = RESPONSE_CAP;
        while !response.is_char_boundary(cut) {
            cut -= 1;
        }
        response.truncate(cut);
        truncated = true;
    }
    HistoryEntry {
        time: jiff::Timestamp::now().to_string(),
        profile: profile.name.clone(),
        url: outcome.url.clone(),
        draft: draft.map(str::to_string),
        request: request.clone(),
        status: outcome.status,
        latency_ms: latency_ms(outcome.latency),
        outcome: history_outcome(&outcome.result),
        summary: outcome.result.summary(),
        message_guids: outcome.message_guids(),
        response,
        response_truncated: truncated,
        callback_added: false,
    }
}

/// A duration as the history writes it: milliseconds to a tenth.
pub fn latency_ms(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

/// The history's name for a result; the same as [`SendResult::kind`].
fn history_outcome(r: &SendResult) -> Outcome {
    match r {
        SendResult::Accepted { .. } => Outcome::Accepted,
        SendResult::Rejected { .. } => Outcome::Rejected,
        SendResult::AuthFailed { .. } => Outcome::AuthFailed,
        SendResult::RateLimited { .. } => Outcome::RateLimited,
        SendResult::Unexpected { .. } => Outcome::Unexpected,
        SendResult::Network { .. } => Outcome::Network,
        SendResult::Refused { .. } => Outcome::Refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Accepted;
    use crate::profile::Secret;
    use crate::store::history::{append_to, read_from};
    use std::time::Duration;

    fn profile() -> Profile {
        Profile {
            name: "prod".into(),
            base_url: "https://h.example".into(),
            username: "key".into(),
            password: Secret::new("the-secret"),
            allow_insecure: false,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            is_sandbox: false,
            ca_file: None,
            origin: Default::default(),
        }
    }

    fn outcome(n: usize, body: String) -> SendOutcome {
        SendOutcome {
            url: "https://h.example/v5/messages".into(),
            status: Some(200),
            latency: Duration::from_millis(42),
            result: SendResult::Accepted {
                message: "queued".into(),
                results: vec![Accepted {
                    message_guid: format!("guid-{n}"),
                    destination: "15550001111".into(),
                    status: "success".into(),
                }],
            },
            response_body: body,
            truncated: false,
            response_headers: Vec::new(),
            version: String::new(),
        }
    }

    #[test]
    fn an_entry_records_the_exchange_and_never_the_secret() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d/history.jsonl");
        let req = serde_json::json!({"messageText": "hi"});
        let e = history_entry(&profile(), Some("a.json"), &req, &outcome(7, "{}".into()));
        append_to(&path, &e).unwrap();
        let log = read_from(&path).unwrap();
        let e = &log.entries[0];
        assert_eq!(
            (e.status, e.latency_ms, e.outcome.as_str()),
            (Some(200), 42.0, "accepted")
        );
        assert_eq!(e.message_guids, ["guid-7"]);
        assert_eq!(
            (e.profile.as_str(), e.url.as_str()),
            ("prod", "https://h.example/v5/messages")
        );
        assert_eq!(e.summary, "accepted: 1 message. queued");
        assert_eq!(e.request, req);
        assert_eq!(e.draft.as_deref(), Some("a.json"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("the-secret"));
    }

    #[test]
    fn big_answers_are_capped() {
        let big = "é".repeat(RESPONSE_CAP);
        let e = history_entry(&profile(), None, &Value::Null, &outcome(0, big));
        assert!(e.response.len() <= RESPONSE_CAP && e.response_truncated);
    }

    #[test]
    fn a_failed_send_is_not_an_accepted_one() {
        let mut failed = outcome(2, String::new());
        failed.result = SendResult::Network {
            reason: "refused".into(),
        };
        let e = history_entry(&profile(), None, &Value::Null, &failed);
        assert_eq!(e.outcome, Outcome::Network);
        assert!(e.message_guids.is_empty());
    }

    #[test]
    fn the_history_names_each_result_as_kind_does() {
        for r in SendResult::examples() {
            assert_eq!(history_outcome(&r).as_str(), r.kind());
        }
    }
}
