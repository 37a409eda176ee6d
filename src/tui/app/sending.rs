//! The app's side of sending: F5 and its checks, the answer, the history, the profiles and
//! the delivery updates. Still synchronous: the network work is an `Effect` the runtime
//! carries out.

use super::{App, Overlay, Side};
use crate::client::{SendOutcome, SendResult};
use crate::message::FieldPath;
use crate::profile::Profile;
use crate::sandbox::DeliveryUpdate;
use crate::store::config::{Config, ConfigError, Env, Target};
use crate::store::drafts;
use crate::store::history::{self, HistoryEntry, HistoryLog};
use crate::tui::action::{Effect, NewDraft};
use crate::tui::send::{
    BodyView, Cancelled, Endpoint, OVERRIDE_WINDOW, PendingSend, REPEAT_WINDOW, Received,
    RequestLine, SendPhase, SendState, Tracked, reopened_draft, request_body,
};
use crate::tui::send::{ProfileSource, Profiles};
use crate::tui::strings as s;
use serde_json::Value;
use std::path::PathBuf;
use std::time::Instant;

/// How many sandbox log lines are kept.
const LOG_LINES: usize = 500;

/// How many messages this app did not send are tracked (anyone may post to the listener):
/// the oldest goes when another comes.
const UNKNOWN_KEPT: usize = 50;

/// How many updates are kept for one message (a real one has four at most): the oldest go.
const UPDATES_KEPT: usize = 50;

/// Sending and what came of it: the profiles, the send in flight or its answer, the history
/// of sends, the delivery updates, and the in-process sandbox's log.
#[derive(Debug)]
pub struct SendSession {
    /// The profiles to send with and the active one.
    pub profiles: Profiles,
    /// This app's delivery listener, put into a sandbox request that has no callbackURL.
    pub callback_url: Option<String>,
    pub send: SendState,
    pub(super) next_send: u64,
    /// A first F5 on a draft with errors arms a second one (until then, at that generation).
    pub(super) override_armed: Option<(Instant, u64)>,
    /// The history file, and what it held (newest first) plus this session's sends.
    pub history_path: PathBuf,
    pub history: HistoryLog,
    /// Sent messages and their delivery updates, newest first.
    pub deliveries: Vec<Tracked>,
    /// The in-process sandbox's log lines, oldest first (the last few hundred).
    pub sandbox_log: Vec<String>,
    /// Bumped whenever what the send pane or the deliveries show changes (the send, the
    /// updates, the log), so the view keeps their wrapped-row count until then.
    pub revision: u64,
    /// The command line's choice (`--profile`, `--base-url`, …) and the config file, to
    /// read the profiles again (Ctrl-P).
    pub target: Target,
    pub config_path: PathBuf,
    /// What was last copied, shown in the send pane: the way to get it when the terminal
    /// does not take OSC 52.
    pub copied: Option<Copied>,
    /// The terminal is likely to take OSC 52 (see `runtime::osc52_likely`).
    pub osc52: bool,
}

/// Text put on the clipboard, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub what: &'static str,
    pub text: String,
}

impl Default for SendSession {
    fn default() -> Self {
        SendSession {
            profiles: Profiles::default(),
            callback_url: None,
            send: SendState::Idle,
            next_send: 0,
            override_armed: None,
            history_path: crate::store::paths::history_file(),
            history: HistoryLog::default(),
            deliveries: Vec::new(),
            sandbox_log: Vec::new(),
            revision: 0,
            target: Target::default(),
            config_path: crate::store::paths::config_file(),
            copied: None,
            osc52: false,
        }
    }
}

impl App {
    /// The status bar's profile text: the sandbox says that nothing is delivered.
    pub fn profile_label(&self) -> String {
        match self.session.profiles.active() {
            Some(p) if p.is_sandbox => s::sandbox_label(&p.name),
            Some(p) => p.name.clone(),
            None => s::NO_PROFILE_LABEL.to_string(),
        }
    }

    /// The draft's file name, for the history.
    fn draft_name(&self) -> Option<String> {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
    }

    /// F5 (`force`: Shift-F5). Checks, in order: a send in flight, a usable profile, local
    /// errors (blocked unless overridden), then asks for a yes when the profile is real or
    /// the same body was accepted less than a minute ago.
    pub(super) fn start_send(&mut self, force: bool) {
        if self.overlay.is_some() {
            return;
        }
        if self.session.send.in_flight().is_some() {
            self.warn(s::SEND_IN_FLIGHT);
            return;
        }
        let Some(entry) = self.session.profiles.active().cloned() else {
            self.warn(s::no_profile(self.session.profiles.error.as_deref()));
            return;
        };
        let url = match &entry.shown {
            Ok(x) => x.url.clone(),
            Err(e) => {
                self.warn(s::profile_unusable(&entry.name, e));
                return;
            }
        };
        let now = Instant::now();
        let errors = self.report.errors.len();
        let mut overridden = false;
        if errors > 0 {
            let armed = self
                .session
                .override_armed
                .is_some_and(|(until, g)| until > now && g == self.save.generation);
            if !force && !armed {
                self.session.override_armed = Some((now + OVERRIDE_WINDOW, self.save.generation));
                self.warn(s::blocked_by_errors(errors, OVERRIDE_WINDOW.as_secs()));
                return;
            }
            overridden = true;
        }
        self.session.override_armed = None;
        let (body, _) = request_body(
            &self.doc,
            entry.is_sandbox,
            self.session.callback_url.as_deref(),
        );
        let mut questions = Vec::new();
        if let Some(prev) = self.session.history.last_accepted(&body)
            && let Some(t) = prev.timestamp()
        {
            let age = jiff::Timestamp::now().duration_since(t);
            let secs = age.as_secs().max(0) as u64;
            if secs < REPEAT_WINDOW.as_secs() {
                questions.push(s::confirm_repeat(secs, &prev.message_guids.join(", ")));
            }
        }
        if !entry.is_sandbox {
            let destination = self
                .doc
                .get("destination")
                .and_then(Value::as_str)
                .unwrap_or("?");
            questions.push(s::confirm_real(&entry.name, &url, destination));
        }
        if questions.is_empty() {
            self.dispatch_send(overridden);
        } else {
            self.overlay = Some(Overlay::Confirm(PendingSend {
                question: s::confirm_question(&questions),
                overridden,
            }));
        }
    }

    /// Hands the send to the runtime and opens the send pane.
    pub(super) fn dispatch_send(&mut self, overridden: bool) {
        self.session.revision += 1;
        let Some(entry) = self.session.profiles.active().cloned() else {
            return;
        };
        let Ok(Endpoint { url, user, origin }) = entry.shown.clone() else {
            return;
        };
        let (body, added) = request_body(
            &self.doc,
            entry.is_sandbox,
            self.session.callback_url.as_deref(),
        );
        self.session.next_send += 1;
        let id = self.session.next_send;
        // The server's issues of an earlier answer no longer describe this request, and
        // what was copied gives way to the answer.
        self.set_server_issues(&[]);
        self.session.copied = None;
        let request = RequestLine {
            method: "POST",
            url,
            user,
            origin,
            profile: entry.name.clone(),
            callback_added: added,
            overridden,
        };
        let phase = SendPhase::default();
        self.session.send = SendState::InFlight {
            id,
            started: Instant::now(),
            request,
            body: body.clone(),
            draft: self.draft_name(),
            phase: phase.clone(),
        };
        self.view.side = Side::Send;
        self.view.side_scroll = 0;
        self.effects.push(Effect::Send {
            id,
            source: Box::new(entry.source.clone()),
            body,
            phase,
        });
        self.say(s::sending(0));
    }

    /// Another second in flight: the message line counts it, while it still speaks of the
    /// send.
    pub(super) fn send_tick(&mut self, id: u64) {
        let SendState::InFlight {
            id: current,
            started,
            ..
        } = &self.session.send
        else {
            return;
        };
        if *current != id {
            return;
        }
        let secs = started.elapsed().as_secs();
        if self
            .status
            .as_ref()
            .is_some_and(|st| st.text.starts_with(s::SENDING_PREFIX))
        {
            self.say(s::sending(secs));
        }
        self.session.revision += 1;
    }

    /// Esc while a send is in flight: abort it. The POST may already have arrived, so the
    /// history says so.
    pub(super) fn cancel_send(&mut self) {
        self.session.revision += 1;
        let SendState::InFlight {
            id,
            started,
            request,
            body,
            draft,
            phase,
        } = std::mem::take(&mut self.session.send)
        else {
            return;
        };
        self.effects.push(Effect::CancelSend { id });
        let waited = started.elapsed();
        if phase.cancel() == Cancelled::BeforePosting {
            // The task will not post: nothing was sent, so nothing goes to the history.
            let reason = s::cancelled_before_sending(waited.as_secs_f64());
            self.session.send = SendState::Failed {
                request,
                reason: reason.clone(),
            };
            self.warn(reason);
            return;
        }
        let reason = s::cancelled(waited.as_secs_f64());
        let entry = HistoryEntry {
            time: jiff::Timestamp::now().to_string(),
            profile: request.profile.clone(),
            url: request.url.clone(),
            draft,
            request: body,
            status: None,
            latency_ms: crate::client::latency_ms(waited),
            outcome: history::Outcome::Cancelled,
            summary: reason.clone(),
            message_guids: Vec::new(),
            response: String::new(),
            response_truncated: false,
            callback_added: request.callback_added.is_some(),
        };
        self.record(entry);
        self.session.send = SendState::Failed {
            request,
            reason: reason.clone(),
        };
        self.warn(reason);
    }

    /// Appends to the history file (by the writer thread) and to the list in memory.
    fn record(&mut self, entry: HistoryEntry) {
        self.file_job(Effect::AppendHistory {
            path: self.session.history_path.clone(),
            entry: Box::new(entry.clone()),
        });
        self.session.history.entries.insert(0, entry);
    }

    pub(super) fn send_finished(
        &mut self,
        id: u64,
        profile: &Profile,
        body: Value,
        outcome: SendOutcome,
        warnings: Vec<String>,
    ) {
        self.session.revision += 1;
        if self.session.send.in_flight() != Some(id) {
            // An answer to a send that was cancelled or replaced: stale.
            return;
        }
        let SendState::InFlight { request, draft, .. } = std::mem::take(&mut self.session.send)
        else {
            return;
        };
        if !matches!(outcome.result, SendResult::Refused { .. }) {
            let mut entry =
                crate::client::history_entry(profile, draft.as_deref(), &body, &outcome);
            entry.callback_added = request.callback_added.is_some();
            if let SendResult::Accepted { results, .. } = &outcome.result {
                for r in results.iter().rev() {
                    let mut t = Tracked::from_entry(&entry, &r.message_guid, &r.destination);
                    t.expects_updates = request.callback_added.is_some();
                    self.session.deliveries.insert(0, t);
                }
            }
            self.record(entry);
        }
        let status = match &outcome.result {
            SendResult::Accepted { results, .. } => (
                s::accepted_status(
                    results.len(),
                    &crate::client::format_latency(outcome.latency),
                ),
                false,
            ),
            SendResult::Rejected { issues, .. } => {
                let issues = issues.clone();
                self.set_server_issues(&issues);
                (s::rejected_status(issues.len()), true)
            }
            other => (s::failed_status(outcome.status, &other.summary()), true),
        };
        self.session.send = SendState::Done {
            request,
            body: BodyView::of(&outcome.response_body),
            outcome: Box::new(outcome),
        };
        self.view.side = Side::Send;
        self.view.side_scroll = 0;
        if let Some(w) = warnings.first() {
            self.warn(w.clone());
        } else if status.1 {
            self.warn(status.0);
        } else {
            self.say(status.0);
        }
    }

    pub(super) fn send_failed(&mut self, id: u64, reason: String) {
        self.session.revision += 1;
        if self.session.send.in_flight() != Some(id) {
            return;
        }
        let SendState::InFlight { request, .. } = std::mem::take(&mut self.session.send) else {
            return;
        };
        self.warn(s::not_sent(&reason));
        self.session.send = SendState::Failed { request, reason };
        self.view.side = Side::Send;
    }

    /// A delivery update from the listener: matched by messageGUID to this session's sends,
    /// else to the history.
    pub(super) fn delivery(&mut self, u: DeliveryUpdate) {
        self.session.revision += 1;
        let now = jiff::Timestamp::now();
        let i = match self
            .session
            .deliveries
            .iter()
            .position(|t| t.guid == u.message_guid)
        {
            Some(i) => i,
            None => {
                let t = self
                    .session
                    .history
                    .entries
                    .iter()
                    .find(|e| e.message_guids.contains(&u.message_guid))
                    .map(|e| Tracked::from_entry(e, &u.message_guid, &u.destination));
                let t = match t {
                    Some(t) => t,
                    None => {
                        // Bounded: updates for ids nobody here sent could come forever.
                        let unknown = |t: &Tracked| t.sent.is_empty() && t.profile == "?";
                        if self
                            .session
                            .deliveries
                            .iter()
                            .filter(|t| unknown(t))
                            .count()
                            >= UNKNOWN_KEPT
                            && let Some(oldest) = self.session.deliveries.iter().rposition(unknown)
                        {
                            self.session.deliveries.remove(oldest);
                        }
                        Tracked::unknown(&u.message_guid, &u.destination)
                    }
                };
                self.session.deliveries.insert(0, t);
                0
            }
        };
        let updates = &mut self.session.deliveries[i].updates;
        if updates.len() >= UPDATES_KEPT {
            updates.remove(0);
        }
        updates.push(Received { update: u, at: now });
    }

    pub fn sandbox_line(&mut self, line: String) {
        self.session.revision += 1;
        if self.session.sandbox_log.len() >= LOG_LINES {
            self.session.sandbox_log.remove(0);
        }
        self.session.sandbox_log.push(line);
    }

    /// After a change of the document: a one-field edit drops the server's issues at that
    /// field (and inside it); any other change (a list edit, a type switch, undo) drops them
    /// all, as their paths may no longer name the same fields.
    pub(super) fn edited_for_server(&mut self, edited: Option<FieldPath>) {
        let changed = match edited {
            Some(p) => self.problems.retain_server(|i| !i.path.starts_with(&p)),
            None => self.problems.retain_server(|_| false),
        };
        if changed {
            self.dirty = true;
        }
    }

    /// F6/F7: show that pane with the keys; again: back to the preview.
    pub(super) fn toggle_side(&mut self, side: Side) {
        if self.view.side == side && self.view.side_focus {
            self.view.side = Side::Preview;
            self.view.side_focus = false;
        } else {
            if self.view.side != side {
                self.view.side_scroll = 0;
            }
            self.view.side = side;
            self.view.side_focus = true;
        }
    }

    pub(super) fn pane_scroll(&mut self, d: isize) {
        self.view.side_scroll =
            (self.view.side_scroll as isize + d).clamp(0, u16::MAX as isize) as u16;
    }

    /// Ctrl-R: the history, read again from the file (another process may have sent).
    pub(super) fn open_history(&mut self) {
        self.overlay = Some(Overlay::History {
            selected: 0,
            detail: None,
        });
        self.file_job(Effect::ReadHistory {
            path: self.session.history_path.clone(),
        });
    }

    /// The history file as read again: it replaces what this app knew.
    pub(super) fn history_read(&mut self, result: Result<HistoryLog, String>) {
        self.save.jobs_in_flight = self.save.jobs_in_flight.saturating_sub(1);
        match result {
            Ok(log) => {
                self.session.history = log;
                if let Some(Overlay::History { selected, .. }) = &mut self.overlay {
                    let n = self.session.history.entries.len();
                    *selected = (*selected).min(n.saturating_sub(1));
                }
            }
            Err(e) => self.warn(s::history_unreadable(
                &self.session.history_path.display().to_string(),
                &e,
            )),
        }
    }

    /// `n` in the history: the send's request as a new draft in the drafts dir, written at
    /// once so it is a draft like any other.
    pub(super) fn reopen_history(&mut self, i: usize) {
        let Some(entry) = self.session.history.entries.get(i).cloned() else {
            return;
        };
        let doc = reopened_draft(&entry, self.session.callback_url.as_deref());
        let stem = entry
            .draft
            .as_deref()
            .map(|d| format!("{}-again", d.trim_end_matches(".json")))
            .unwrap_or_else(drafts::new_name);
        self.overlay = None;
        self.new_draft(doc, stem, NewDraft::FromHistory { time: entry.time });
    }

    /// Ctrl-P: the profiles, the active one selected, and config.toml read again (a file
    /// fixed meanwhile needs no restart).
    pub(super) fn open_profiles(&mut self) {
        self.overlay = Some(Overlay::Profiles {
            selected: self.session.profiles.active.unwrap_or(0),
        });
        self.file_job(Effect::ReadConfig {
            path: self.session.config_path.clone(),
        });
    }

    /// config.toml as read again: the profiles are made anew, the active one kept by name.
    pub(super) fn config_read(&mut self, loaded: Result<Option<Config>, ConfigError>) {
        self.save.jobs_in_flight = self.save.jobs_in_flight.saturating_sub(1);
        let old = &self.session.profiles;
        let active = old.active().map(|e| e.name.clone());
        let media_config = loaded.as_ref().map(Option::clone).map_err(drop);
        let mut profiles = Profiles::from_config(
            loaded,
            self.session.config_path.clone(),
            &self.session.target,
            Env::from_process(),
            None,
        );
        // Profiles made in this process (the built-in sandbox) stay.
        for e in old.entries.iter() {
            if let ProfileSource::Ready(p) = &e.source {
                profiles.push_ready(p.clone(), e.built_in);
            }
        }
        if profiles.active.is_none() && !profiles.entries.is_empty() {
            profiles.active = profiles.entries.iter().position(|e| e.built_in);
        }
        if let Some(i) = active.and_then(|n| profiles.entries.iter().position(|e| e.name == n)) {
            profiles.active = Some(i);
        }
        let n = profiles.entries.len();
        self.session.profiles = profiles;
        if let Some(Overlay::Profiles { selected }) = &mut self.overlay {
            *selected = self
                .session
                .profiles
                .active
                .unwrap_or(0)
                .min(n.saturating_sub(1));
        }
        self.media_config_read(media_config.as_ref().map(Option::as_ref).map_err(drop));
    }

    pub(super) fn choose_profile(&mut self, i: usize) {
        let Some(p) = self.session.profiles.entries.get(i) else {
            return;
        };
        self.session.profiles.active = Some(i);
        match &p.shown {
            Ok(Endpoint { url, .. }) => {
                let text = match p.warnings.first() {
                    Some(w) => format!("{} {w}", s::profile_chosen(&p.name, url, p.is_sandbox)),
                    None => s::profile_chosen(&p.name, url, p.is_sandbox),
                };
                if p.warnings.is_empty() {
                    self.say(text);
                } else {
                    self.warn(text);
                }
            }
            Err(e) => {
                let text = s::profile_unusable(&p.name, e);
                self.warn(text);
            }
        }
        // The media check trusts the CA file of the profile a send would use.
        self.media_transport_changed();
    }

    /// The body F5 would send now, and its curl command with the active profile (the
    /// secret fetched as the profile fetches it, never written out).
    fn curl_now(&self) -> Result<String, String> {
        let entry = self
            .session
            .profiles
            .active()
            .ok_or_else(|| s::no_profile(self.session.profiles.error.as_deref()))?;
        let (profile, _) = entry.source.resolve_without_secret()?;
        let (body, _) = request_body(
            &self.doc,
            entry.is_sandbox,
            self.session.callback_url.as_deref(),
        );
        crate::client::PreparedRequest::new(&profile, &body).map(|p| p.curl_command())
    }

    /// Ctrl-T: the curl command to the clipboard.
    pub(super) fn copy_curl(&mut self) {
        match self.curl_now() {
            Ok(text) => self.copy(s::COPIED_CURL, text),
            Err(e) => self.warn(s::cannot_copy_curl(&e)),
        }
    }

    /// Ctrl-B: the JSON body to the clipboard, as F5 would send it.
    pub(super) fn copy_body(&mut self) {
        let is_sandbox = self.session.profiles.active().is_some_and(|e| e.is_sandbox);
        let (body, _) = request_body(&self.doc, is_sandbox, self.session.callback_url.as_deref());
        let text = crate::store::to_draft_json(&body);
        self.copy(s::COPIED_BODY, text);
    }

    /// Sends `text` to the terminal's clipboard and shows it in the send pane, so it can be
    /// selected there when the terminal does not take OSC 52.
    fn copy(&mut self, what: &'static str, text: String) {
        self.session.revision += 1;
        if self.session.osc52 {
            self.effects
                .push(Effect::CopyToClipboard { text: text.clone() });
        }
        let osc52 = self.session.osc52;
        self.session.copied = Some(Copied { what, text });
        self.view.side = Side::Send;
        self.view.side_scroll = 0;
        self.say(s::copied(what, osc52));
    }
}
