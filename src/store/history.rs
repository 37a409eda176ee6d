//! `history.jsonl`: one JSON line per send (when, with which profile, to which URL, the
//! request body, the status, the latency, the answer), appended under a file lock so lines
//! from two processes never interleave. It never holds the secret: the profile's name is
//! written, not its credentials, and the answer is scrubbed by the client before it gets
//! here.

use crate::client::{SendOutcome, SendResult};
use crate::profile::Profile;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fs::OpenOptions;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Answers longer than this many bytes are cut in the history (the send pane has them
/// whole, up to the client's 1 MB).
pub const RESPONSE_CAP: usize = 64 * 1024;

/// One send, as written to the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// RFC 3339, UTC.
    pub time: String,
    pub profile: String,
    pub url: String,
    /// The draft's file name, if it had one.
    #[serde(default)]
    pub draft: Option<String>,
    /// The request body as sent.
    pub request: Value,
    /// The HTTP status; none when no answer came.
    #[serde(default)]
    pub status: Option<u16>,
    pub latency_ms: u64,
    /// `accepted`, `rejected`, `auth_failed`, `rate_limited`, `unexpected`, `network`,
    /// `refused` (see [`SendResult::kind`]).
    pub outcome: String,
    /// The outcome in one line of words.
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub message_guids: Vec<String>,
    /// The response body, cut at [`RESPONSE_CAP`] bytes.
    #[serde(default)]
    pub response: String,
    /// The response was cut, here or by the client.
    #[serde(default)]
    pub response_truncated: bool,
    /// The composer added `callbackURL` to the request for its own listener (it is not part
    /// of the draft, and is left out when the request is reopened as a draft).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub callback_added: bool,
}

impl HistoryEntry {
    /// The entry for a send that has just finished.
    pub fn from_outcome(
        profile: &Profile,
        draft: Option<&str>,
        request: &Value,
        outcome: &SendOutcome,
    ) -> Self {
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
            latency_ms: u64::try_from(outcome.latency.as_millis()).unwrap_or(u64::MAX),
            outcome: outcome.result.kind().to_string(),
            summary: summary(&outcome.result),
            message_guids: outcome.message_guids(),
            response,
            response_truncated: truncated,
            callback_added: false,
        }
    }
}

impl HistoryEntry {
    /// When it was sent; `None` if the line was edited into something unreadable.
    pub fn timestamp(&self) -> Option<jiff::Timestamp> {
        self.time.parse().ok()
    }
}

impl HistoryLog {
    /// The newest accepted send of exactly this request body, so a second send of the same
    /// draft soon after a success can ask first.
    pub fn last_accepted(&self, request: &Value) -> Option<&HistoryEntry> {
        self.entries
            .iter()
            .find(|e| e.outcome == "accepted" && &e.request == request)
    }
}

/// The outcome in one line, for a history list.
pub fn summary(r: &SendResult) -> String {
    let s = match r {
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

/// Appends `entry` to the history file in the data dir.
pub fn append(entry: &HistoryEntry) -> io::Result<()> {
    append_to(&super::paths::history_file(), entry)
}

/// Appends `entry` as one line to `path` (created with mode 0600). The whole line is one
/// write under an exclusive lock, and a line left unfinished by a crash is closed first, so
/// entries never run together.
pub fn append_to(path: &Path, entry: &HistoryEntry) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut line = serde_json::to_string(entry).map_err(io::Error::other)?;
    line.push('\n');
    let mut opts = OpenOptions::new();
    opts.create(true).append(true).read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.lock()?;
    let result = (|| {
        let len = f.metadata()?.len();
        if len > 0 {
            let mut last = [0u8; 1];
            f.seek(SeekFrom::End(-1))?;
            f.read_exact(&mut last)?;
            if last[0] != b'\n' {
                line.insert(0, '\n');
            }
        }
        f.write_all(line.as_bytes())?;
        f.flush()
    })();
    let _ = f.unlock();
    result
}

/// The history, newest first, and how many lines could not be read.
#[derive(Debug, Clone, Default)]
pub struct HistoryLog {
    pub entries: Vec<HistoryEntry>,
    /// Lines that were not a history entry (cut by a crash, edited by hand); skipped.
    pub skipped: usize,
}

/// Reads the history file in the data dir. A missing file is an empty history.
pub fn read_all() -> io::Result<HistoryLog> {
    read_from(&super::paths::history_file())
}

/// Reads `path`, newest first, skipping lines that do not parse.
pub fn read_from(path: &Path) -> io::Result<HistoryLog> {
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(HistoryLog::default()),
        Err(e) => return Err(e),
    };
    f.lock_shared()?;
    let mut bytes = Vec::new();
    let read = f.read_to_end(&mut bytes);
    let _ = f.unlock();
    read?;
    let mut log = HistoryLog::default();
    for line in bytes.split(|b| *b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<HistoryEntry>(line) {
            Ok(e) => log.entries.push(e),
            Err(_) => log.skipped += 1,
        }
    }
    log.entries.reverse();
    Ok(log)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Accepted;
    use crate::profile::Secret;
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
        }
    }

    #[test]
    fn round_trip_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d/history.jsonl");
        let req = serde_json::json!({"messageText": "hi"});
        for n in 0..3 {
            let e = HistoryEntry::from_outcome(
                &profile(),
                Some("a.json"),
                &req,
                &outcome(n, "{}".into()),
            );
            append_to(&path, &e).unwrap();
        }
        let log = read_from(&path).unwrap();
        assert_eq!(log.skipped, 0);
        let guids: Vec<_> = log
            .entries
            .iter()
            .map(|e| e.message_guids[0].clone())
            .collect();
        assert_eq!(guids, ["guid-2", "guid-1", "guid-0"]);
        let e = &log.entries[0];
        assert_eq!(
            (e.status, e.latency_ms, e.outcome.as_str()),
            (Some(200), 42, "accepted")
        );
        assert_eq!(e.request, req);
        assert_eq!(e.draft.as_deref(), Some("a.json"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("the-secret"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn corrupt_and_unfinished_lines_are_skipped_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        let req = serde_json::json!({});
        append_to(
            &path,
            &HistoryEntry::from_outcome(&profile(), None, &req, &outcome(1, String::new())),
        )
        .unwrap();
        // A hand edit, then a line cut by a crash (no newline at the end).
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"not json\n{\"time\": \"2026-").unwrap();
        drop(f);
        append_to(
            &path,
            &HistoryEntry::from_outcome(&profile(), None, &req, &outcome(2, String::new())),
        )
        .unwrap();
        let log = read_from(&path).unwrap();
        assert_eq!(log.skipped, 2);
        assert_eq!(log.entries.len(), 2);
        assert_eq!(log.entries[0].message_guids, ["guid-2"]);
    }

    #[test]
    fn big_answers_are_capped() {
        let big = "é".repeat(RESPONSE_CAP);
        let e = HistoryEntry::from_outcome(&profile(), None, &Value::Null, &outcome(0, big));
        assert!(e.response.len() <= RESPONSE_CAP && e.response_truncated);
    }

    #[test]
    fn concurrent_appends_never_interleave() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        let threads: Vec<_> = (0..6)
            .map(|t| {
                let path = path.clone();
                std::thread::spawn(move || {
                    for i in 0..30 {
                        let body = format!("{t}-{i}-{}", "x".repeat(20_000 + t * 997));
                        let e = HistoryEntry::from_outcome(
                            &profile(),
                            None,
                            &Value::Null,
                            &outcome(i, body),
                        );
                        append_to(&path, &e).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let log = read_from(&path).unwrap();
        assert_eq!((log.entries.len(), log.skipped), (180, 0));
    }

    #[test]
    fn last_accepted_finds_the_newest_success_of_the_same_body() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        let a = serde_json::json!({"messageText": "a"});
        let b = serde_json::json!({"messageText": "b"});
        append_to(
            &path,
            &HistoryEntry::from_outcome(&profile(), None, &a, &outcome(1, String::new())),
        )
        .unwrap();
        let mut failed = outcome(2, String::new());
        failed.result = SendResult::Network {
            reason: "refused".into(),
        };
        append_to(
            &path,
            &HistoryEntry::from_outcome(&profile(), None, &a, &failed),
        )
        .unwrap();
        let log = read_from(&path).unwrap();
        let e = log.last_accepted(&a).unwrap();
        assert_eq!(e.message_guids, ["guid-1"]);
        let age = jiff::Timestamp::now().duration_since(e.timestamp().unwrap());
        assert!(age.as_secs() < 60);
        assert!(log.last_accepted(&b).is_none());
    }

    #[test]
    fn missing_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let log = read_from(&dir.path().join("none.jsonl")).unwrap();
        assert!(log.entries.is_empty() && log.skipped == 0);
    }
}
