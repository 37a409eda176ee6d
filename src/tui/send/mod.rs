//! Sending from the composer: the profiles one can send with ([`profiles`]), the state of a
//! send, and the delivery updates this app's listener receives. Plain data and decisions;
//! the runtime does the network work and the views draw it.

mod profiles;

pub use profiles::{
    BUILT_IN_NAME, BUILT_IN_NAME_TAKEN, Endpoint, NewDraftDefaults, ProfileEntry, ProfileSource,
    Profiles,
};

use crate::client::SendOutcome;
use crate::message::schema::MessageType;
use crate::sandbox::DeliveryUpdate;
use crate::store::history::HistoryEntry;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A second F5 within this long sends a draft with local errors anyway.
pub const OVERRIDE_WINDOW: Duration = Duration::from_secs(5);
/// Sending the same body again within this long of a success asks first.
pub const REPEAT_WINDOW: Duration = Duration::from_secs(60);

/// The request line of the send pane: never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    pub method: &'static str,
    pub url: String,
    pub user: String,
    /// Where the URL and the user came from (`URL and user from config.toml`).
    pub origin: String,
    pub profile: String,
    /// The callback URL this app added to the request (not to the draft).
    pub callback_added: Option<String>,
    /// Sent with local errors, on purpose.
    pub overridden: bool,
}

/// Where a send in flight is, shared by the app and the task that sends it, so that Esc
/// can tell "nothing was sent" (still getting the secret) from "the POST may have
/// arrived", without a race: the task moves `RESOLVING → POSTING` only if Esc has not
/// moved it to `CANCELLED` first.
#[derive(Debug, Clone, Default)]
pub struct SendPhase(Arc<std::sync::atomic::AtomicU8>);

const PHASE_RESOLVING: u8 = 0;
const PHASE_POSTING: u8 = 1;
const PHASE_CANCELLED: u8 = 2;

/// What a cancel found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cancelled {
    /// The secret was still being obtained: nothing was sent, and nothing will be.
    BeforePosting,
    /// The POST had started: it may have reached the server.
    WhilePosting,
}

impl SendPhase {
    /// The sending task, once it has the secret: true when it may post, false when Esc came
    /// first.
    pub fn try_begin_post(&self) -> bool {
        use std::sync::atomic::Ordering::SeqCst;
        self.0
            .compare_exchange(PHASE_RESOLVING, PHASE_POSTING, SeqCst, SeqCst)
            .is_ok()
    }

    /// Esc: no POST starts after this; says whether one had.
    pub fn cancel(&self) -> Cancelled {
        match self
            .0
            .swap(PHASE_CANCELLED, std::sync::atomic::Ordering::SeqCst)
        {
            PHASE_RESOLVING => Cancelled::BeforePosting,
            _ => Cancelled::WhilePosting,
        }
    }
}

/// Where a send is.
#[derive(Debug, Clone, Default)]
pub enum SendState {
    #[default]
    Idle,
    InFlight {
        id: u64,
        started: Instant,
        request: RequestLine,
        /// The body as sent, and the draft's file name, for the history.
        body: Value,
        draft: Option<String>,
        /// See [`SendPhase`].
        phase: SendPhase,
    },
    /// An answer came (any answer, including a network failure).
    Done {
        request: RequestLine,
        outcome: Box<SendOutcome>,
        /// The body as the send pane shows it, made once.
        body: BodyView,
    },
    /// Nothing was sent (the profile could not be resolved), or the person cancelled.
    Failed {
        request: RequestLine,
        reason: String,
    },
}

impl SendState {
    pub fn in_flight(&self) -> Option<u64> {
        match self {
            SendState::InFlight { id, .. } => Some(*id),
            _ => None,
        }
    }
}

/// At most this many lines of a response body are shown in the send pane, and at most this
/// many characters of each.
pub const BODY_LINES: usize = 200;
pub const BODY_LINE_CHARS: usize = 400;

/// A response body as the send pane shows it: its first lines, cut, with control characters
/// made visible. Made once per answer, not on every redraw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyView {
    pub lines: Vec<String>,
    /// Lines left out after the first [`BODY_LINES`].
    pub more: usize,
}

impl BodyView {
    /// The body's first lines; a JSON body is pretty-printed first (its escapes kept, so a
    /// control character in a string stays an escape).
    pub fn of(body: &str) -> Self {
        let pretty = serde_json::from_str::<Value>(body)
            .ok()
            .filter(Value::is_object)
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .map(|t| crate::text::terminal_safe_json(&t));
        let body = pretty.as_deref().unwrap_or(body);
        let mut lines = Vec::new();
        let mut more = 0;
        for l in body.lines() {
            if lines.len() == BODY_LINES {
                more += 1;
                continue;
            }
            lines.push(crate::text::visible(&cut_line(l, BODY_LINE_CHARS)));
        }
        BodyView { lines, more }
    }
}

/// `line` cut to `max` characters, ending with `…` when it was cut.
pub fn cut_line(line: &str, max: usize) -> String {
    if line.chars().count() <= max {
        return line.to_string();
    }
    let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// A send waiting for the person's yes.
#[derive(Debug, Clone)]
pub struct PendingSend {
    pub question: String,
    pub overridden: bool,
}

/// One delivery update and when this app received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub update: DeliveryUpdate,
    pub at: jiff::Timestamp,
}

/// A sent message and the updates received for it, matched by messageGUID.
#[derive(Debug, Clone)]
pub struct Tracked {
    pub guid: String,
    pub destination: String,
    pub profile: String,
    pub draft: Option<String>,
    pub message_type: String,
    /// When the send was answered (RFC 3339), from the history entry.
    pub sent: String,
    /// The failover (SMS or MMS) the request enabled, if any.
    pub failover: Option<&'static str>,
    /// The request carried this app's callback URL, so updates should come here.
    pub expects_updates: bool,
    pub updates: Vec<Received>,
}

impl Tracked {
    pub fn from_entry(entry: &HistoryEntry, guid: &str, destination: &str) -> Self {
        let mt = entry
            .request
            .get("messageType")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        Tracked {
            guid: guid.to_string(),
            destination: destination.to_string(),
            profile: entry.profile.clone(),
            draft: entry.draft.clone(),
            message_type: mt,
            sent: entry.time.clone(),
            failover: failover_enabled(&entry.request),
            expects_updates: false,
            updates: Vec::new(),
        }
    }

    /// A message this app did not send (someone else used its callback URL).
    pub fn unknown(guid: &str, destination: &str) -> Self {
        Tracked {
            guid: guid.to_string(),
            destination: destination.to_string(),
            profile: "?".into(),
            draft: None,
            message_type: "?".into(),
            sent: String::new(),
            failover: None,
            expects_updates: false,
            updates: Vec::new(),
        }
    }

    /// No more updates are expected: delivered, or failed with no fallback to come.
    pub fn finished(&self) -> bool {
        self.updates.last().is_some_and(|r| {
            let u = &r.update;
            u.status == "delivered"
                || (u.status == "failed" && (u.channel != "RCS" || self.failover.is_none()))
        })
    }

    /// `queued → sent → delivered`, with the channel where it is not RCS.
    pub fn summary(&self) -> String {
        if self.updates.is_empty() {
            return "no update yet".into();
        }
        self.updates
            .iter()
            .map(|r| {
                if r.update.channel == "RCS" {
                    r.update.status.clone()
                } else {
                    format!("{} ({})", r.update.status, r.update.channel)
                }
            })
            .collect::<Vec<_>>()
            .join(" → ")
    }

    /// The fallback channel that carried the message, if it came to that.
    pub fn fallback(&self) -> Option<&str> {
        self.updates
            .iter()
            .map(|r| r.update.channel.as_str())
            .find(|c| *c != "RCS")
    }
}

/// `SMS` or `MMS` when the body enables the failover its message type uses.
pub fn failover_enabled(body: &Value) -> Option<&'static str> {
    let mt = body
        .get("messageType")
        .and_then(Value::as_str)
        .and_then(MessageType::parse)?;
    let f = mt.failover();
    let on = body
        .get(f.key())
        .and_then(|v| v.get("enabled"))
        .and_then(Value::as_bool)
        == Some(true);
    on.then_some(match f {
        crate::message::schema::FailoverKind::Sms => "SMS",
        crate::message::schema::FailoverKind::Mms => "MMS",
    })
}

/// The body to send: the draft, plus `callbackURL` when sending to a sandbox and the draft
/// has none. The draft itself is never changed. Returns the URL added, if any.
pub fn request_body(
    doc: &Value,
    is_sandbox: bool,
    callback: Option<&str>,
) -> (Value, Option<String>) {
    let mut body = doc.clone();
    let has = doc
        .get("callbackURL")
        .is_some_and(|v| !v.as_str().is_some_and(|s| s.trim().is_empty()));
    if is_sandbox
        && !has
        && let (Some(url), Some(obj)) = (callback, body.as_object_mut())
    {
        obj.insert("callbackURL".into(), Value::String(url.to_string()));
        return (body, Some(url.to_string()));
    }
    (body, None)
}

/// A history entry's request as a draft: the callbackURL this app added for its own
/// listener is taken out, as it was never part of the draft and its port is gone. (Entries
/// written before that was recorded: a loopback `/callbacks` URL sent to the built-in
/// sandbox, or the current listener's URL.)
pub fn reopened_draft(entry: &HistoryEntry, listener: Option<&str>) -> Value {
    let mut doc = entry.request.clone();
    let added = entry.callback_added
        || doc
            .get("callbackURL")
            .and_then(Value::as_str)
            .is_some_and(|u| {
                let loopback = (u.starts_with("http://127.0.0.1:")
                    || u.starts_with("http://[::1]:"))
                    && u.ends_with("/callbacks");
                Some(u) == listener || (loopback && entry.profile == "sandbox")
            });
    if added && let Some(o) = doc.as_object_mut() {
        o.remove("callbackURL");
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_callback_goes_into_the_request_only_for_a_sandbox_without_one() {
        let doc = json!({"messageType": "RCS_TEXT"});
        let (b, added) = request_body(&doc, true, Some("http://127.0.0.1:1/callbacks"));
        assert_eq!(b["callbackURL"], "http://127.0.0.1:1/callbacks");
        assert!(added.is_some());
        assert!(doc.get("callbackURL").is_none());
        let (b, added) = request_body(&doc, false, Some("http://127.0.0.1:1/callbacks"));
        assert!(b.get("callbackURL").is_none() && added.is_none());
        let own = json!({"callbackURL": "https://mine.example/cb"});
        let (b, added) = request_body(&own, true, Some("http://127.0.0.1:1/callbacks"));
        assert_eq!((b, added), (own, None));
    }

    fn update(status: &str, channel: &str) -> Received {
        Received {
            update: DeliveryUpdate {
                message_guid: "g".into(),
                destination: "1".into(),
                status: status.into(),
                channel: channel.into(),
                timestamp: "2026-01-01T00:00:00Z".into(),
                error: None,
            },
            at: jiff::Timestamp::now(),
        }
    }

    #[test]
    fn a_message_is_finished_when_delivered_or_failed_with_no_fallback_to_come() {
        let mut t = Tracked::unknown("g", "1");
        t.failover = Some("SMS");
        t.updates.push(update("queued", "RCS"));
        assert!(!t.finished());
        t.updates.push(update("failed", "RCS"));
        assert!(!t.finished(), "the SMS fallback is still to come");
        t.updates.push(update("sent", "SMS"));
        t.updates.push(update("delivered", "SMS"));
        assert!(t.finished());
        assert_eq!(
            t.summary(),
            "queued → failed → sent (SMS) → delivered (SMS)"
        );
        assert_eq!(t.fallback(), Some("SMS"));
        let mut u = Tracked::unknown("g", "1");
        u.updates.push(update("failed", "RCS"));
        assert!(u.finished());
    }

    #[test]
    fn a_body_is_shown_pretty_safe_and_cut() {
        let v = BodyView::of("{\"status\":\"error\",\"message\":\"a\\u001b[2Jb\\u009bc\"}");
        assert_eq!(v.lines[0], "{");
        assert!(v.lines[1].contains("\"status\": \"error\""));
        let all = v.lines.join("\n");
        assert!(
            all.contains("\\u001b[2J") && all.contains("\\u009b"),
            "{all}"
        );
        assert!(all.chars().all(|c| !c.is_control() || c == '\n'));
        let text = "x\n".repeat(BODY_LINES + 7) + &"y".repeat(BODY_LINE_CHARS * 3);
        let v = BodyView::of(&text);
        assert_eq!((v.lines.len(), v.more), (BODY_LINES, 8));
        let raw = BodyView::of("<html>\u{1b}]0;t\u{7}</html>");
        assert_eq!(raw.lines, ["<html>␛]0;t␇</html>"]);
    }
}
