//! Sending from the composer: the profiles one can send with, the state of a send, and the
//! delivery updates this app's listener receives. Plain data and decisions; the runtime does
//! the network work and the views draw it.

use crate::client::SendOutcome;
use crate::message::schema::MessageType;
use crate::profile::Profile;
use crate::sandbox::DeliveryUpdate;
use crate::store::config::{
    self, Config, ConfigError, Env, PasswordCommands, SecretMode, Selection, Target,
};
use crate::store::history::HistoryEntry;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A second F5 within this long sends a draft with local errors anyway.
pub const OVERRIDE_WINDOW: Duration = Duration::from_secs(5);
/// Sending the same body again within this long of a success asks first.
pub const REPEAT_WINDOW: Duration = Duration::from_secs(60);

/// Where the secret of a profile comes from when it is time to send.
#[derive(Debug, Clone)]
pub enum ProfileSource {
    /// Everything is known (the built-in sandbox, or a test's server).
    Ready(Profile),
    /// Resolved from the config file and the environment at send time, off the UI thread
    /// (a `password_command` may take a while). `name: None` is a profile made only from
    /// `--base-url`/`RCS_COMPOSER_*`.
    Config {
        config: Option<Arc<Config>>,
        config_path: PathBuf,
        name: Option<String>,
        base_url: Option<String>,
        env: Arc<Env>,
    },
}

impl ProfileSource {
    /// The profile with its secret. May block (a password command, listed in `commands`
    /// while it runs): call it off the UI thread.
    pub fn resolve(&self, commands: &PasswordCommands) -> Result<(Profile, Vec<String>), String> {
        match self {
            ProfileSource::Ready(p) => Ok((p.clone(), Vec::new())),
            ProfileSource::Config {
                config,
                config_path,
                name,
                base_url,
                env,
            } => {
                let sel = Selection {
                    profile: name.as_deref(),
                    base_url: base_url.as_deref(),
                };
                config::resolve(
                    config.as_deref(),
                    config_path,
                    &sel,
                    env,
                    SecretMode::Fetch(commands),
                )
                .map(|r| (r.profile, r.warnings))
                .map_err(|e| e.to_string())
            }
        }
    }
}

/// The URL a profile posts to and its user (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
    pub user: String,
}

impl Endpoint {
    fn of(p: &Profile) -> Self {
        Endpoint {
            url: p.messages_url(),
            user: p.username.clone(),
        }
    }
}

/// One profile of the picker.
#[derive(Debug, Clone)]
pub struct ProfileEntry {
    /// The name in the status bar and the history.
    pub name: String,
    pub is_sandbox: bool,
    /// True for the sandbox this app runs itself.
    pub built_in: bool,
    /// Where it posts and as whom, or why the profile cannot be used.
    pub shown: Result<Endpoint, String>,
    pub source: ProfileSource,
}

/// The profiles to send with, and which one is active.
#[derive(Debug, Clone, Default)]
pub struct Profiles {
    pub entries: Vec<ProfileEntry>,
    pub active: Option<usize>,
    /// Why the config file (or the profile asked for) could not be used.
    pub error: Option<String>,
    /// E.g. a plain password in a file others can read.
    pub warnings: Vec<String>,
}

impl Profiles {
    /// Only `profile`, active (tests, and the sandbox when nothing else is configured).
    pub fn single(profile: Profile) -> Self {
        let mut p = Profiles::default();
        p.push_ready(profile, false);
        p.active = Some(0);
        p
    }

    /// Adds a ready profile (the built-in sandbox when `built_in`).
    pub fn push_ready(&mut self, profile: Profile, built_in: bool) {
        self.entries.push(ProfileEntry {
            name: profile.name.clone(),
            is_sandbox: profile.is_sandbox,
            built_in,
            shown: Ok(Endpoint::of(&profile)),
            source: ProfileSource::Ready(profile),
        });
    }

    /// The profiles of `config` (or the one the environment describes when there is no
    /// file), then the built-in sandbox; the active one is `--profile`, else the file's
    /// default, else the built-in sandbox. Errors become [`Profiles::error`], never a
    /// failure: the sandbox is always there to fall back on.
    pub fn from_config(
        loaded: Result<Option<Config>, ConfigError>,
        config_path: PathBuf,
        target: &Target,
        env: Env,
        sandbox: Option<Profile>,
    ) -> Self {
        let env = Arc::new(env);
        let base_url = target.base_url.clone().filter(|b| !b.trim().is_empty());
        let mut out = Profiles::default();
        let config = match loaded {
            Ok(c) => c.map(Arc::new),
            Err(e) => {
                out.error = Some(e.to_string());
                None
            }
        };
        let source = |name: Option<String>| ProfileSource::Config {
            config: config.clone(),
            config_path: config_path.clone(),
            name,
            base_url: base_url.clone(),
            env: env.clone(),
        };
        let check = |name: Option<&str>| {
            config::resolve(
                config.as_deref(),
                &config_path,
                &Selection {
                    profile: name,
                    base_url: base_url.as_deref(),
                },
                &env,
                SecretMode::Skip,
            )
        };
        let mut wanted: Option<String> = None;
        if let Some(c) = &config {
            for name in c.profile_names() {
                let r = check(Some(&name));
                let declared = c.profile(&name).is_some_and(|p| p.sandbox);
                if let Ok(r) = &r {
                    out.warnings.extend(r.warnings.iter().cloned());
                }
                out.entries.push(ProfileEntry {
                    is_sandbox: r.as_ref().map_or(declared, |r| r.profile.is_sandbox),
                    built_in: false,
                    shown: r
                        .as_ref()
                        .map(|r| Endpoint::of(&r.profile))
                        .map_err(|e| e.to_string()),
                    source: source(Some(name.clone())),
                    name,
                });
            }
            match (&target.profile, c.implicit_profile()) {
                (Some(p), _) => wanted = Some(p.clone()),
                (None, Some(p)) => wanted = Some(p.to_string()),
                (None, None) if !c.profile_names().is_empty() => {
                    if let Err(e) = check(None) {
                        out.error.get_or_insert(e.to_string());
                    }
                }
                (None, None) => {}
            }
        } else if out.error.is_none() {
            if let Some(p) = &target.profile {
                wanted = Some(p.clone());
            } else if base_url.is_some() || env.get(config::ENV_BASE_URL).is_some() {
                // No file: a profile made from --base-url and RCS_COMPOSER_*.
                let r = check(None);
                let name = r
                    .as_ref()
                    .map(|r| r.profile.name.clone())
                    .unwrap_or_else(|_| "(environment)".into());
                out.entries.push(ProfileEntry {
                    name,
                    is_sandbox: false,
                    built_in: false,
                    shown: r
                        .as_ref()
                        .map(|r| Endpoint::of(&r.profile))
                        .map_err(|e| e.to_string()),
                    source: source(None),
                });
                out.active = Some(out.entries.len() - 1);
            }
        }
        if let Some(w) = &wanted {
            match out.entries.iter().position(|e| &e.name == w) {
                Some(i) => out.active = Some(i),
                None => {
                    if out.error.is_none()
                        && let Err(e) = check(Some(w))
                    {
                        out.error = Some(e.to_string());
                    }
                }
            }
        }
        if let Some(p) = sandbox {
            out.push_ready(p, true);
            if out.active.is_none() {
                out.active = Some(out.entries.len() - 1);
            }
        }
        out
    }

    pub fn active(&self) -> Option<&ProfileEntry> {
        self.active.and_then(|i| self.entries.get(i))
    }
}

/// The request line of the send pane: never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    pub method: &'static str,
    pub url: String,
    pub user: String,
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
            let cut: String = l.chars().take(BODY_LINE_CHARS).collect();
            lines.push(crate::text::visible(&cut));
        }
        BodyView { lines, more }
    }
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
    use crate::profile::Secret;
    use serde_json::json;
    use std::path::Path;

    fn sandbox() -> Profile {
        Profile {
            name: "sandbox".into(),
            base_url: "http://127.0.0.1:9".into(),
            username: "sandbox-1".into(),
            password: Secret::new("pw"),
            allow_insecure: false,
            connect_timeout: Duration::from_secs(1),
            timeout: Duration::from_secs(1),
            is_sandbox: true,
        }
    }

    fn target(profile: Option<&str>) -> Target {
        Target {
            profile: profile.map(str::to_string),
            base_url: None,
        }
    }

    const TWO: &str = r#"
default_profile = "b"
[profiles.a]
base_url = "https://a.example"
username = "ka"
password_command = "exit 1"
[profiles.b]
base_url = "https://b.example"
username = "kb"
password_env = "B_SECRET"
[profiles.c]
username = "kc"
password_env = "C_SECRET"
"#;

    fn load(text: &str) -> Result<Option<Config>, ConfigError> {
        Config::parse(text, Path::new("/x/config.toml")).map(Some)
    }

    #[test]
    fn no_config_means_the_built_in_sandbox() {
        let p = Profiles::from_config(
            Ok(None),
            "/x/config.toml".into(),
            &target(None),
            Env::default(),
            Some(sandbox()),
        );
        assert_eq!(p.entries.len(), 1);
        assert!(p.error.is_none());
        let a = p.active().unwrap();
        assert!(a.built_in && a.is_sandbox);
    }

    #[test]
    fn the_default_profile_is_active_and_every_profile_is_listed() {
        let p = Profiles::from_config(
            load(TWO),
            "/x/config.toml".into(),
            &target(None),
            Env::default(),
            Some(sandbox()),
        );
        let names: Vec<_> = p.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "sandbox"]);
        assert_eq!(p.active().unwrap().name, "b");
        // the secret is not fetched to list them (no command runs, no variable needed)
        assert_eq!(
            p.entries[1].shown.as_ref().unwrap(),
            &Endpoint {
                url: "https://b.example/v5/messages".to_string(),
                user: "kb".to_string()
            }
        );
        // a profile with no base_url says why it cannot send
        let err = p.entries[2].shown.as_ref().unwrap_err();
        assert!(err.contains("base_url"), "{err}");
        // and resolving for real runs the password source, off the UI thread in the app
        let e = p.entries[0]
            .source
            .resolve(&PasswordCommands::new())
            .unwrap_err();
        assert!(e.contains("password_command"), "{e}");
    }

    #[test]
    fn an_unknown_profile_or_a_broken_file_is_an_error_shown_with_the_sandbox_active() {
        let p = Profiles::from_config(
            load(TWO),
            "/x/config.toml".into(),
            &target(Some("nope")),
            Env::default(),
            Some(sandbox()),
        );
        assert!(p.error.as_deref().unwrap().contains("'nope'"));
        assert!(p.active().unwrap().built_in);
        let broken = load("[profiles.a\nbase_url = 1");
        let p = Profiles::from_config(
            broken,
            "/x/config.toml".into(),
            &target(None),
            Env::default(),
            Some(sandbox()),
        );
        assert!(
            p.error.as_deref().unwrap().contains("/x/config.toml:"),
            "{:?}",
            p.error
        );
        assert!(p.active().unwrap().built_in);
    }

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
