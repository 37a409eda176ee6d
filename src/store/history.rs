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

/// How much of the history file is read: its last 8 MB, and of that the newest 1,000 sends.
/// The file only grows; what the history view shows (and the check for a repeated send)
/// needs its end, not a 200 MB read at every start.
pub const TAIL_BYTES: u64 = 8 * 1024 * 1024;
pub const TAIL_ENTRIES: usize = 1000;

/// How long an append waits for another process's lock on the file before it gives up.
const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(2);

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
/// entries never run together. Only a regular file is appended to (a FIFO would block), and
/// a lock another process holds is waited for at most 2 s.
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
        opts.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let mut f = opts.open(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is {}, not a regular file", super::file_kind(&meta)),
        ));
    }
    lock_within(&f, LOCK_PATIENCE)?;
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

/// Takes the file's exclusive lock, waiting at most `patience` for another process to let
/// go of it.
fn lock_within(f: &std::fs::File, patience: std::time::Duration) -> io::Result<()> {
    let start = std::time::Instant::now();
    loop {
        match f.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < patience => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    "another process has held it locked for more than 2 s",
                ));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

/// The history, newest first, and how many lines could not be read.
#[derive(Debug, Clone, Default)]
pub struct HistoryLog {
    pub entries: Vec<HistoryEntry>,
    /// Lines that were not a history entry (cut by a crash, edited by hand); skipped.
    pub skipped: usize,
    /// Bytes at the start of the file that were not read (older sends, past
    /// [`TAIL_BYTES`] or [`TAIL_ENTRIES`]); 0 when the whole file was read.
    pub older_bytes: u64,
}

/// Reads the end of `path`: the newest sends first, at most [`TAIL_ENTRIES`] of them from
/// its last [`TAIL_BYTES`], skipping lines that do not parse. Only a regular file is read (a
/// FIFO would block the start), and a lock another process holds is not waited for: appends
/// are single writes of whole lines, so at worst the line being written is not read yet.
pub fn read_from(path: &Path) -> io::Result<HistoryLog> {
    let (mut f, meta) = match super::open_regular(path) {
        Ok(x) => x,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(HistoryLog::default()),
        Err(e) => return Err(e),
    };
    let locked = f.try_lock_shared().is_ok();
    let start = meta.len().saturating_sub(TAIL_BYTES);
    let read = (|| {
        f.seek(SeekFrom::Start(start))?;
        super::read_capped(&mut f, TAIL_BYTES + 64 * 1024)
    })();
    if locked {
        let _ = f.unlock();
    }
    let bytes = read?;
    let mut log = HistoryLog::default();
    let mut text: &[u8] = &bytes;
    if start > 0 {
        // The first line read is a tail of an older one: it starts after the first break.
        let cut = text
            .iter()
            .position(|b| *b == b'\n')
            .map_or(text.len(), |i| i + 1);
        text = &text[cut..];
        log.older_bytes = start + cut as u64;
    }
    let lines: Vec<&[u8]> = text
        .split(|b| *b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .collect();
    let first = lines.len().saturating_sub(TAIL_ENTRIES);
    if first > 0 {
        let dropped: usize = lines[..first].iter().map(|l| l.len() + 1).sum();
        log.older_bytes += dropped as u64;
    }
    for line in &lines[first..] {
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

    /// Failed before: the whole file was read (a 200 MB history took 200 MB at every start).
    #[test]
    fn only_the_tail_is_read_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        let req = serde_json::json!({});
        let mut text = String::new();
        let big = "x".repeat(60_000);
        let mut n = 0;
        while (text.len() as u64) < TAIL_BYTES + 3 * 1024 * 1024 {
            text.push_str(&serde_json::to_string(&entry(n, &req, big.clone())).unwrap());
            text.push('\n');
            n += 1;
        }
        std::fs::write(&path, &text).unwrap();
        let log = read_from(&path).unwrap();
        assert_eq!(log.skipped, 0, "a cut line was read as an entry");
        assert_eq!(log.entries[0].message_guids, [format!("guid-{}", n - 1)]);
        assert!(log.older_bytes >= 3 * 1024 * 1024, "{}", log.older_bytes);
        let read: u64 = log
            .entries
            .iter()
            .map(|e| serde_json::to_string(e).unwrap().len() as u64 + 1)
            .sum();
        assert_eq!(read + log.older_bytes, text.len() as u64);
        // Many small entries: the newest TAIL_ENTRIES.
        let small: String = (0..TAIL_ENTRIES + 5)
            .map(|i| serde_json::to_string(&entry(i, &req, String::new())).unwrap() + "\n")
            .collect();
        std::fs::write(&path, &small).unwrap();
        let log = read_from(&path).unwrap();
        assert_eq!(log.entries.len(), TAIL_ENTRIES);
        assert_eq!(log.entries.last().unwrap().message_guids, ["guid-5"]);
        assert!(log.older_bytes > 0);
    }

    /// Failed before: a FIFO in the history's place blocked the start, and a lock held by
    /// another process blocked the read and every append.
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_and_a_lock_held_elsewhere_is_not_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("history.jsonl");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let e = read_from(&fifo).unwrap_err();
        assert!(
            e.to_string().contains("a pipe (FIFO), not a regular file"),
            "{e}"
        );
        let e = append_to(&fifo, &entry(1, &Value::Null, String::new())).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");

        let path = dir.path().join("locked.jsonl");
        append_to(&path, &entry(1, &Value::Null, String::new())).unwrap();
        let holder = std::fs::File::open(&path).unwrap();
        holder.lock().unwrap();
        let t = std::time::Instant::now();
        let log = read_from(&path).unwrap();
        assert_eq!(log.entries.len(), 1);
        let e = append_to(&path, &entry(2, &Value::Null, String::new())).unwrap_err();
        assert!(e.to_string().contains("locked"), "{e}");
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
        drop(holder);
        append_to(&path, &entry(2, &Value::Null, String::new())).unwrap();
    }

    #[test]
    fn missing_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let log = read_from(&dir.path().join("none.jsonl")).unwrap();
        assert!(log.entries.is_empty() && log.skipped == 0);
    }
}
