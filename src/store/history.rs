//! `history.jsonl`: one JSON line per send (when, with which profile, to which URL, the
//! request body, the status, the latency, the answer), appended under a file lock so lines
//! from two processes never interleave. It never holds the secret: the profile's name is
//! written, not its credentials, and the answer is scrubbed by the client before it gets
//! here.

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
    /// Milliseconds, to a tenth (older lines hold whole numbers).
    pub latency_ms: f64,
    /// What became of the send.
    pub outcome: Outcome,
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
            .find(|e| e.outcome == Outcome::Accepted && &e.request == request)
    }
}

/// What became of a send, as the history file writes it: `accepted`, `rejected`,
/// `auth_failed`, `rate_limited`, `unexpected`, `network`, `refused` (the client's answers,
/// named as `SendResult::kind` names them), or `cancelled` (the person stopped it before
/// anything was sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    Rejected,
    AuthFailed,
    RateLimited,
    Unexpected,
    Network,
    Refused,
    Cancelled,
    /// A value this version does not know (written by a newer one, or by hand): kept as it
    /// was written, so the line still reads and is written back unchanged.
    Other(String),
}

impl Outcome {
    /// The name written in the file.
    pub fn as_str(&self) -> &str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Rejected => "rejected",
            Outcome::AuthFailed => "auth_failed",
            Outcome::RateLimited => "rate_limited",
            Outcome::Unexpected => "unexpected",
            Outcome::Network => "network",
            Outcome::Refused => "refused",
            Outcome::Cancelled => "cancelled",
            Outcome::Other(s) => s,
        }
    }

    /// The outcome a name in the file stands for; an unknown name is [`Outcome::Other`].
    pub fn parse(s: &str) -> Self {
        match s {
            "accepted" => Outcome::Accepted,
            "rejected" => Outcome::Rejected,
            "auth_failed" => Outcome::AuthFailed,
            "rate_limited" => Outcome::RateLimited,
            "unexpected" => Outcome::Unexpected,
            "network" => Outcome::Network,
            "refused" => Outcome::Refused,
            "cancelled" => Outcome::Cancelled,
            other => Outcome::Other(other.to_string()),
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Outcome {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Outcome {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Outcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(Outcome::parse(&s))
    }
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

    /// An accepted send of `request`, as the client records one.
    fn entry(n: usize, request: &Value, response: String) -> HistoryEntry {
        HistoryEntry {
            time: jiff::Timestamp::now().to_string(),
            profile: "prod".into(),
            url: "https://h.example/v5/messages".into(),
            draft: None,
            request: request.clone(),
            status: Some(200),
            latency_ms: 42.0,
            outcome: Outcome::Accepted,
            summary: "accepted: 1 message(s). queued".into(),
            message_guids: vec![format!("guid-{n}")],
            response,
            response_truncated: false,
            callback_added: false,
        }
    }

    #[test]
    fn round_trip_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d/history.jsonl");
        let req = serde_json::json!({"messageText": "hi"});
        for n in 0..3 {
            let mut e = entry(n, &req, "{}".into());
            e.draft = Some("a.json".into());
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
            (Some(200), 42.0, "accepted")
        );
        assert_eq!(e.request, req);
        assert_eq!(e.draft.as_deref(), Some("a.json"));
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
        append_to(&path, &entry(1, &req, String::new())).unwrap();
        // A hand edit, then a line cut by a crash (no newline at the end).
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"not json\n{\"time\": \"2026-").unwrap();
        drop(f);
        append_to(&path, &entry(2, &req, String::new())).unwrap();
        let log = read_from(&path).unwrap();
        assert_eq!(log.skipped, 2);
        assert_eq!(log.entries.len(), 2);
        assert_eq!(log.entries[0].message_guids, ["guid-2"]);
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
                        append_to(&path, &entry(i, &Value::Null, body)).unwrap();
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
        append_to(&path, &entry(1, &a, String::new())).unwrap();
        let mut failed = entry(2, &a, String::new());
        failed.outcome = Outcome::Network;
        failed.status = None;
        failed.message_guids.clear();
        append_to(&path, &failed).unwrap();
        let log = read_from(&path).unwrap();
        let e = log.last_accepted(&a).unwrap();
        assert_eq!(e.message_guids, ["guid-1"]);
        let age = jiff::Timestamp::now().duration_since(e.timestamp().unwrap());
        assert!(age.as_secs() < 60);
        assert!(log.last_accepted(&b).is_none());
    }

    #[test]
    fn outcomes_read_and_write_as_their_names_and_an_unknown_one_still_reads() {
        let all = [
            (Outcome::Accepted, "accepted"),
            (Outcome::Rejected, "rejected"),
            (Outcome::AuthFailed, "auth_failed"),
            (Outcome::RateLimited, "rate_limited"),
            (Outcome::Unexpected, "unexpected"),
            (Outcome::Network, "network"),
            (Outcome::Refused, "refused"),
            (Outcome::Cancelled, "cancelled"),
            (Outcome::Other("queued_later".into()), "queued_later"),
        ];
        for (o, name) in all {
            assert_eq!(serde_json::to_value(&o).unwrap(), Value::from(name));
            assert_eq!(serde_json::from_value::<Outcome>(name.into()).unwrap(), o);
            assert_eq!(o, name);
        }
        // A line written before the outcome was an enum, and one from a newer version.
        let old = r#"{"time":"2026-01-01T00:00:00Z","profile":"p","url":"u","request":{},"status":null,"latency_ms":3,"outcome":"cancelled"}"#;
        let e: HistoryEntry = serde_json::from_str(old).unwrap();
        assert_eq!(e.outcome, Outcome::Cancelled);
        let line = serde_json::to_string(&e).unwrap();
        assert!(line.contains(r#""outcome":"cancelled""#), "{line}");
        let new = old.replace("cancelled", "held_for_review");
        let e: HistoryEntry = serde_json::from_str(&new).unwrap();
        assert_eq!(e.outcome, Outcome::Other("held_for_review".into()));
        assert!(
            serde_json::to_string(&e)
                .unwrap()
                .contains(r#""outcome":"held_for_review""#)
        );
    }

    #[test]
    fn missing_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let log = read_from(&dir.path().join("none.jsonl")).unwrap();
        assert!(log.entries.is_empty() && log.skipped == 0);
    }
}
