//! The app's side of sending: F5 and its checks, the answer, the history, the profiles and
//! the delivery updates. Still synchronous: the network work is an `Effect` the runtime
//! carries out.

use super::{App, Overlay, Side};
use crate::client::{SendOutcome, SendResult};
use crate::message::FieldPath;
use crate::profile::Profile;
use crate::sandbox::DeliveryUpdate;
use crate::store::drafts;
use crate::store::history::{self, HistoryEntry};
use crate::tui::action::Effect;
use crate::tui::send::{
    BodyView, DELIVERY_WATCH, OVERRIDE_WINDOW, PHASE_CANCELLED, PHASE_RESOLVING, PendingSend,
    REPEAT_WINDOW, Received, RequestLine, SendPhase, SendState, Tracked, reopened_draft,
    request_body,
};
use crate::tui::strings as s;
use serde_json::Value;
use std::time::{Duration, Instant};

/// How many sandbox log lines are kept.
const LOG_LINES: usize = 500;
/// How often the loop looks for an answer while a send or a write is in flight, and for
/// delivery updates while they are expected.
const POLL_BUSY: Duration = Duration::from_millis(10);
const POLL_WATCH: Duration = Duration::from_millis(50);

impl App {
    /// The status bar's profile text: the sandbox says that nothing is delivered.
    pub fn profile_label(&self) -> String {
        match self.profiles.active() {
            Some(p) if p.is_sandbox => s::sandbox_label(&p.name),
            Some(p) => p.name.clone(),
            None => s::NO_PROFILE_LABEL.to_string(),
        }
    }

    /// How long the loop may wait for the terminal before it must look at the channel
    /// again; `None`: only a key or a resize can change anything.
    pub fn next_wake(&mut self, now: Instant) -> Option<Duration> {
        if self.watch_until.is_some_and(|w| w <= now) {
            self.watch_until = None;
        }
        let mut wake = self.autosave_due.map(|d| d.saturating_duration_since(now));
        let mut at_most = |d: Duration| wake = Some(wake.map_or(d, |w| w.min(d)));
        if self.writes_in_flight > 0 || self.send.in_flight().is_some() {
            at_most(POLL_BUSY);
        }
        if self.watch_until.is_some() {
            at_most(POLL_WATCH);
        }
        wake
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
        if self.send.in_flight().is_some() {
            self.warn(s::SEND_IN_FLIGHT);
            return;
        }
        let Some(entry) = self.profiles.active().cloned() else {
            self.warn(s::no_profile(self.profiles.error.as_deref()));
            return;
        };
        let (url, _) = match &entry.shown {
            Ok(x) => x.clone(),
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
                .override_armed
                .is_some_and(|(until, g)| until > now && g == self.generation);
            if !force && !armed {
                self.override_armed = Some((now + OVERRIDE_WINDOW, self.generation));
                self.warn(s::blocked_by_errors(errors, OVERRIDE_WINDOW.as_secs()));
                return;
            }
            overridden = true;
        }
        self.override_armed = None;
        let (body, _) = request_body(&self.doc, entry.is_sandbox, self.callback_url.as_deref());
        let mut questions = Vec::new();
        if let Some(prev) = self.history.last_accepted(&body)
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
        let Some(entry) = self.profiles.active().cloned() else {
            return;
        };
        let Ok((url, user)) = entry.shown.clone() else {
            return;
        };
        let (body, added) = request_body(&self.doc, entry.is_sandbox, self.callback_url.as_deref());
        self.next_send += 1;
        let id = self.next_send;
        // The server's issues of an earlier answer no longer describe this request.
        self.set_server_issues(&[]);
        let request = RequestLine {
            method: "POST",
            url,
            user,
            profile: entry.name.clone(),
            callback_added: added,
            overridden,
        };
        let phase = SendPhase::default();
        self.send = SendState::InFlight {
            id,
            started: Instant::now(),
            request,
            body: body.clone(),
            draft: self.draft_name(),
            phase: phase.clone(),
        };
        self.side = Side::Send;
        self.side_scroll = 0;
        self.effects.push(Effect::Send {
            id,
            source: Box::new(entry.source.clone()),
            body,
            phase,
        });
        self.say(s::SENDING);
    }

    /// Esc while a send is in flight: abort it. The POST may already have arrived, so the
    /// history says so.
    pub(super) fn cancel_send(&mut self) {
        let SendState::InFlight {
            id,
            started,
            request,
            body,
            draft,
            phase,
        } = std::mem::take(&mut self.send)
        else {
            return;
        };
        self.effects.push(Effect::CancelSend { id });
        let waited = started.elapsed();
        let before = phase.swap(PHASE_CANCELLED, std::sync::atomic::Ordering::SeqCst);
        if before == PHASE_RESOLVING {
            // The task will not post: nothing was sent, so nothing goes to the history.
            let reason = s::cancelled_before_sending(waited.as_secs_f64());
            self.send = SendState::Failed {
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
            latency_ms: u64::try_from(waited.as_millis()).unwrap_or(u64::MAX),
            outcome: history::Outcome::Cancelled,
            summary: reason.clone(),
            message_guids: Vec::new(),
            response: String::new(),
            response_truncated: false,
            callback_added: request.callback_added.is_some(),
        };
        self.record(entry);
        self.send = SendState::Failed {
            request,
            reason: reason.clone(),
        };
        self.warn(reason);
    }

    /// Appends to the history file (by the writer thread) and to the list in memory.
    fn record(&mut self, entry: HistoryEntry) {
        self.writes_in_flight += 1;
        self.effects.push(Effect::AppendHistory {
            path: self.history_path.clone(),
            entry: Box::new(entry.clone()),
        });
        self.history.entries.insert(0, entry);
    }

    pub(super) fn send_finished(
        &mut self,
        id: u64,
        profile: &Profile,
        body: Value,
        outcome: SendOutcome,
        warnings: Vec<String>,
    ) {
        if self.send.in_flight() != Some(id) {
            // An answer to a send that was cancelled or replaced: stale.
            return;
        }
        let SendState::InFlight { request, draft, .. } = std::mem::take(&mut self.send) else {
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
                    self.deliveries.insert(0, t);
                }
                if request.callback_added.is_some() && !results.is_empty() {
                    self.watch_until = Some(Instant::now() + DELIVERY_WATCH);
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
        self.send = SendState::Done {
            request,
            body: BodyView::of(&outcome.response_body),
            outcome: Box::new(outcome),
        };
        self.side = Side::Send;
        self.side_scroll = 0;
        if let Some(w) = warnings.first() {
            self.warn(w.clone());
        } else if status.1 {
            self.warn(status.0);
        } else {
            self.say(status.0);
        }
    }

    pub(super) fn send_failed(&mut self, id: u64, reason: String) {
        if self.send.in_flight() != Some(id) {
            return;
        }
        let SendState::InFlight { request, .. } = std::mem::take(&mut self.send) else {
            return;
        };
        self.warn(s::not_sent(&reason));
        self.send = SendState::Failed { request, reason };
        self.side = Side::Send;
    }

    /// A delivery update from the listener: matched by messageGUID to this session's sends,
    /// else to the history.
    pub(super) fn delivery(&mut self, u: DeliveryUpdate) {
        let now = jiff::Timestamp::now();
        let i = match self
            .deliveries
            .iter()
            .position(|t| t.guid == u.message_guid)
        {
            Some(i) => i,
            None => {
                let t = self
                    .history
                    .entries
                    .iter()
                    .find(|e| e.message_guids.contains(&u.message_guid))
                    .map(|e| Tracked::from_entry(e, &u.message_guid, &u.destination))
                    .unwrap_or_else(|| Tracked::unknown(&u.message_guid, &u.destination));
                self.deliveries.insert(0, t);
                0
            }
        };
        self.deliveries[i]
            .updates
            .push(Received { update: u, at: now });
        if self.watch_until.is_some() {
            let waiting = self
                .deliveries
                .iter()
                .any(|t| t.expects_updates && !t.finished());
            self.watch_until = waiting.then(|| Instant::now() + DELIVERY_WATCH);
        }
    }

    pub fn sandbox_line(&mut self, line: String) {
        if self.sandbox_log.len() >= LOG_LINES {
            self.sandbox_log.remove(0);
        }
        self.sandbox_log.push(line);
    }

    /// After a change of the document: a one-field edit drops the server's issues at that
    /// field (and inside it); any other change (a list edit, a type switch, undo) drops them
    /// all, as their paths may no longer name the same fields.
    pub(super) fn edited_for_server(&mut self, edited: Option<FieldPath>) {
        if self.server_issues.is_empty() {
            return;
        }
        let keep: Vec<_> = match edited {
            Some(p) => self
                .server_issues
                .iter()
                .filter(|i| !i.path.starts_with(&p))
                .cloned()
                .collect(),
            None => Vec::new(),
        };
        if keep.len() != self.server_issues.len() {
            self.set_server_issues(&keep);
        }
    }

    /// F6/F7: show that pane with the keys; again: back to the preview.
    pub(super) fn toggle_side(&mut self, side: Side) {
        if self.side == side && self.side_focus {
            self.side = Side::Preview;
            self.side_focus = false;
        } else {
            if self.side != side {
                self.side_scroll = 0;
            }
            self.side = side;
            self.side_focus = true;
        }
    }

    pub(super) fn pane_scroll(&mut self, d: isize) {
        self.side_scroll = (self.side_scroll as isize + d).clamp(0, u16::MAX as isize) as u16;
    }

    /// Ctrl-R: the history, read again from the file (another process may have sent).
    pub(super) fn open_history(&mut self) {
        match history::read_from(&self.history_path) {
            Ok(log) => self.history = log,
            Err(e) => self.warn(s::history_unreadable(
                &self.history_path.display().to_string(),
                &e.to_string(),
            )),
        }
        self.overlay = Some(Overlay::History {
            selected: 0,
            detail: None,
        });
    }

    /// `n` in the history: the send's request as a new draft in the drafts dir.
    pub(super) fn reopen_history(&mut self, i: usize) {
        let Some(entry) = self.history.entries.get(i).cloned() else {
            return;
        };
        let doc = reopened_draft(&entry, self.callback_url.as_deref());
        self.write_draft(false);
        let stem = entry
            .draft
            .as_deref()
            .map(|d| format!("{}-again", d.trim_end_matches(".json")))
            .unwrap_or_else(drafts::new_name);
        let path = drafts::free_path(&self.drafts_dir, &stem);
        self.load_draft(path.clone(), doc, false);
        // Written at once, so it is a draft like any other.
        self.write_draft(true);
        self.overlay = None;
        self.say(s::reopened(&entry.time, &path.display().to_string()));
    }

    /// Ctrl-P: the profiles, the active one selected.
    pub(super) fn open_profiles(&mut self) {
        self.overlay = Some(Overlay::Profiles {
            selected: self.profiles.active.unwrap_or(0),
        });
    }

    pub(super) fn choose_profile(&mut self, i: usize) {
        let Some(p) = self.profiles.entries.get(i) else {
            return;
        };
        self.profiles.active = Some(i);
        match &p.shown {
            Ok((url, _)) => {
                let text = s::profile_chosen(&p.name, url, p.is_sandbox);
                self.say(text);
            }
            Err(e) => {
                let text = s::profile_unusable(&p.name, e);
                self.warn(text);
            }
        }
    }
}
