//! Simulated delivery: what happens to an accepted message, and the updates posted to its
//! `callbackURL`.
//!
//! The rules (the sandbox's own; nothing is delivered):
//! - Normally the message is `queued`, `sent` and `delivered` over RCS.
//! - A destination whose last character is `0` cannot be reached over RCS: the message is
//!   reported `failed` on channel RCS. If the failover the message type uses is present with
//!   `enabled: true` (`smsFailover` for RCS_TEXT, `mmsFailover` for the other types), the
//!   fallback is then reported `sent` and `delivered` on channel SMS or MMS; otherwise the
//!   RCS failure is the last update.
//!
//! Updates are posted one [`SandboxConfig::delivery_step`](super::SandboxConfig) apart, the
//! first one step after the message was accepted (so the sender has its 200 first).

use super::DeliveryUpdate;
use super::log::{CallbackLog, LogSink, SandboxEvent};
use crate::client::{
    LoopbackOnly, Resolver, TransportFailure, causes, not_loopback, transport_failure,
};
use crate::message::MessageType;
use crate::message::schema::FailoverKind;
use serde_json::Value;
use std::net::IpAddr;
use std::time::Duration;
use tokio::sync::watch;

/// One simulated step: an update without its GUID, destination and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub status: &'static str,
    pub channel: &'static str,
    pub error: Option<String>,
}

fn step(status: &'static str, channel: &'static str, error: Option<String>) -> Step {
    Step {
        status,
        channel,
        error,
    }
}

/// The updates a valid message goes through, in order.
pub fn plan(doc: &Value) -> Vec<Step> {
    let destination = doc
        .get("destination")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !destination.trim_end().ends_with('0') {
        return vec![
            step("queued", "RCS", None),
            step("sent", "RCS", None),
            step("delivered", "RCS", None),
        ];
    }
    let message_type = doc
        .get("messageType")
        .and_then(Value::as_str)
        .and_then(MessageType::parse);
    // A valid body always has a known type; an unknown one is treated like the rich types.
    let failover = message_type.map_or(FailoverKind::Mms, MessageType::failover);
    let key = failover.key();
    let channel = match failover {
        FailoverKind::Sms => "SMS",
        FailoverKind::Mms => "MMS",
    };
    let enabled = doc
        .get(key)
        .and_then(|f| f.get("enabled"))
        .and_then(Value::as_bool)
        == Some(true);
    let failed = |then: String| {
        step(
            "failed",
            "RCS",
            Some(format!(
                "RCS delivery failed: the destination cannot receive RCS (sandbox: \
                 destinations ending in 0){then}"
            )),
        )
    };
    if enabled {
        vec![
            step("queued", "RCS", None),
            failed(format!("; failing over to {channel} ({key})")),
            step("sent", channel, None),
            step("delivered", channel, None),
        ]
    } else {
        vec![
            step("queued", "RCS", None),
            failed(format!(", and no {key} is enabled")),
        ]
    }
}

/// Why a callback URL is not posted to, or `None` when it may be. A host named
/// `localhost` or `*.localhost` passes here, but is posted to only when every address it
/// resolves to is this machine's (the loopback client's resolver checks).
pub fn refusal(url: &str, allow_remote: bool) -> Option<String> {
    let parsed = match url::Url::parse(url) {
        Ok(u) => u,
        Err(e) => return Some(format!("not a valid URL ({e})")),
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return Some(format!("scheme '{}' is not http or https", parsed.scheme()));
    }
    let loopback = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => {
            IpAddr::V6(ip).is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => return Some("the URL has no host".to_string()),
    };
    if loopback || allow_remote {
        None
    } else {
        Some(format!(
            "{} is not a loopback host; the sandbox posts callbacks only to this machine \
             unless started with --allow-remote-callbacks",
            parsed.host_str().unwrap_or_default()
        ))
    }
}

/// Everything a delivery simulation needs besides the message.
#[derive(Clone)]
pub(crate) struct Poster {
    /// For loopback callbacks: never through a proxy, and a name only to this machine's
    /// addresses.
    pub local: reqwest::Client,
    /// For remote callbacks (when allowed): the environment's proxy settings apply.
    pub remote: reqwest::Client,
    pub allow_remote: bool,
    pub step: Duration,
    pub sink: LogSink,
    pub stopped: watch::Receiver<bool>,
}

impl Poster {
    pub fn new(
        allow_remote: bool,
        step: Duration,
        sink: LogSink,
        stopped: watch::Receiver<bool>,
        resolver: Resolver,
    ) -> std::io::Result<Self> {
        let build = |proxy: bool| {
            let b = reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(5))
                .timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("rcs-composer-sandbox/", env!("CARGO_PKG_VERSION")));
            let b = if proxy {
                b.dns_resolver(std::sync::Arc::new(resolver.clone()))
            } else {
                b.no_proxy()
                    .dns_resolver(std::sync::Arc::new(LoopbackOnly(resolver.clone())))
            };
            b.build().map_err(std::io::Error::other)
        };
        Ok(Self {
            local: build(false)?,
            remote: build(true)?,
            allow_remote,
            step,
            sink,
            stopped,
        })
    }

    /// Posts the updates of `plan` for the message `guid` to `url`, one step apart, stopping
    /// early when the sandbox stops. Every attempt is reported to the sink; nothing fails.
    pub async fn run(mut self, url: String, guid: String, destination: String, plan: Vec<Step>) {
        let refused = refusal(&url, self.allow_remote);
        let local = refused.is_none() && refusal(&url, false).is_none();
        for s in plan {
            if *self.stopped.borrow() {
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(self.step) => {}
                _ = self.stopped.wait_for(|s| *s) => return,
            }
            let now = jiff::Timestamp::now();
            let update = DeliveryUpdate {
                message_guid: guid.clone(),
                destination: destination.clone(),
                status: s.status.to_string(),
                channel: s.channel.to_string(),
                timestamp: now
                    .round(jiff::Unit::Millisecond)
                    .unwrap_or(now)
                    .to_string(),
                error: s.error,
            };
            let mut log = CallbackLog {
                time: now,
                message_guid: guid.clone(),
                status: update.status.clone(),
                channel: update.channel.clone(),
                url: url.clone(),
                answer: None,
                problem: refused.clone(),
            };
            if refused.is_none() {
                let client = if local { &self.local } else { &self.remote };
                match post(client, &url, &update).await {
                    Ok(code) => {
                        log.answer = Some(code);
                        if !(200..300).contains(&code) {
                            log.problem = Some(format!("the callback answered {code}"));
                        }
                    }
                    Err(problem) => log.problem = Some(problem),
                }
            }
            (self.sink)(SandboxEvent::Callback(log));
        }
    }
}

async fn post(client: &reqwest::Client, url: &str, update: &DeliveryUpdate) -> Result<u16, String> {
    let body = serde_json::to_vec(update).map_err(|e| e.to_string())?;
    let resp = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .map_err(describe)?;
    Ok(resp.status().as_u16())
}

/// A reqwest error in words, its causes included (reqwest's own text alone says only
/// "error sending request").
fn describe(e: reqwest::Error) -> String {
    if let Some(n) = not_loopback(&e) {
        return format!(
            "not posted: {n}; callbacks go only to this machine unless the sandbox runs with \
             --allow-remote-callbacks"
        );
    }
    let mut out = match transport_failure(&e) {
        TransportFailure::TimedOut => "timed out",
        _ if e.is_connect() => "could not connect",
        _ => "request failed",
    }
    .to_string();
    for cause in causes(&e).skip(1) {
        out.push_str(": ");
        out.push_str(&cause.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn statuses(plan: &[Step]) -> Vec<(&str, &str)> {
        plan.iter().map(|s| (s.status, s.channel)).collect()
    }

    #[test]
    fn a_normal_destination_is_delivered_over_rcs() {
        let p = plan(&json!({"messageType": "RCS_CARD", "destination": "15559876543"}));
        assert_eq!(
            statuses(&p),
            [("queued", "RCS"), ("sent", "RCS"), ("delivered", "RCS")]
        );
        assert!(p.iter().all(|s| s.error.is_none()));
    }

    #[test]
    fn text_with_sms_failover_falls_back_to_sms() {
        let p = plan(&json!({
            "messageType": "RCS_TEXT", "destination": "15559876540",
            "smsFailover": {"enabled": true}
        }));
        assert_eq!(
            statuses(&p),
            [
                ("queued", "RCS"),
                ("failed", "RCS"),
                ("sent", "SMS"),
                ("delivered", "SMS")
            ]
        );
        assert!(
            p[1].error
                .as_deref()
                .unwrap()
                .contains("failing over to SMS")
        );
    }

    #[test]
    fn other_types_fall_back_to_mms_only_with_mms_failover() {
        for t in ["RCS_MEDIA", "RCS_CARD", "RCS_CAROUSEL"] {
            let p = plan(&json!({
                "messageType": t, "destination": "+1 555 987 6540",
                "mmsFailover": {"enabled": true}
            }));
            assert_eq!(p.last().unwrap().channel, "MMS", "{t}");
            assert_eq!(p.last().unwrap().status, "delivered", "{t}");
            // smsFailover is not what these types use.
            let p = plan(&json!({
                "messageType": t, "destination": "15559876540",
                "smsFailover": {"enabled": true}
            }));
            assert_eq!(statuses(&p), [("queued", "RCS"), ("failed", "RCS")], "{t}");
        }
    }

    #[test]
    fn a_disabled_failover_does_not_fall_back() {
        let p = plan(&json!({
            "messageType": "RCS_TEXT", "destination": "15559876540",
            "smsFailover": {"enabled": false, "failoverSource": "1555", "fallbackText": "x"}
        }));
        assert_eq!(statuses(&p), [("queued", "RCS"), ("failed", "RCS")]);
        assert!(
            p[1].error
                .as_deref()
                .unwrap()
                .contains("no smsFailover is enabled")
        );
    }

    #[test]
    fn only_loopback_hosts_unless_allowed() {
        for ok in [
            "http://127.0.0.1:9/cb",
            "http://127.8.9.10/cb",
            "http://[::1]:9/",
            "http://[::ffff:127.0.0.1]:9/",
            "http://localhost:8643/x",
            "https://LOCALHOST./x",
            "http://api.localhost/x",
        ] {
            assert_eq!(refusal(ok, false), None, "{ok}");
        }
        for remote in [
            "http://203.0.113.7/cb",
            "https://example.com/cb",
            "http://localhost.example.com/",
            "http://[2001:db8::1]/",
        ] {
            let why = refusal(remote, false).expect(remote);
            assert!(why.contains("not a loopback host"), "{why}");
            assert_eq!(refusal(remote, true), None, "{remote}");
        }
        assert!(refusal("ftp://127.0.0.1/", true).unwrap().contains("ftp"));
        assert!(
            refusal("not a url", true)
                .unwrap()
                .contains("not a valid URL")
        );
    }
}
