//! Drafts on disk: each one a request body in the one stable format
//! ([`super::to_draft_json`]), written atomically, listed with what a person needs to pick
//! one (type, name, modified time, valid or not).

use super::atomic::write_atomic;
use super::stamp::{self, Stamp};
use crate::message::validate;
use serde_json::Value;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Why a draft could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: line {line}, column {column}: {message}")]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// One draft as the drafts browser lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftInfo {
    pub path: PathBuf,
    /// The file name without `.json`.
    pub name: String,
    /// The `messageType` as written, if the file is a readable object with one.
    pub message_type: Option<String>,
    pub modified: Option<SystemTime>,
    /// `Some(true)` when it validates with no error, `None` when it cannot be read as JSON.
    pub valid: Option<bool>,
}

/// Parses draft text; errors carry the line and column.
pub fn parse(path: &Path, text: &str) -> Result<Value, LoadError> {
    serde_json::from_str(text).map_err(|e| LoadError::Json {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })
}

/// serde_json appends " at line L column C"; we say it first. Its "recursion limit
/// exceeded" is said in the user's terms.
fn strip_position(msg: &str) -> String {
    let msg = match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    if msg == "recursion limit exceeded" {
        return "nested more than 128 levels deep; a draft nests a few levels at most".into();
    }
    msg.to_string()
}

/// Reads and parses a draft. Only a regular file is read (a FIFO would block the app until
/// something writes to it, a device could be endless), and at most
/// [`super::MAX_READ_BYTES`]; text that is not UTF-8 is reported with its line.
pub fn load(path: &Path) -> Result<Value, LoadError> {
    load_stamped(path).map(|(doc, _)| doc)
}

/// As [`load`], with the stamp of the bytes read, to tell later whether someone else wrote
/// the file since.
pub fn load_stamped(path: &Path) -> Result<(Value, Stamp), LoadError> {
    let io_err = |source: io::Error| {
        let source = match source.kind() {
            io::ErrorKind::IsADirectory => {
                io::Error::new(source.kind(), "it is a folder, not a draft file")
            }
            _ => source,
        };
        LoadError::Io {
            path: path.to_path_buf(),
            source,
        }
    };
    let (bytes, stamp) = stamp::read(path).map_err(io_err)?;
    Ok((parse_bytes(path, bytes)?, stamp))
}

/// Parses the bytes of a draft file: UTF-8 (else the line and column of the first bad
/// byte), not empty, JSON.
pub fn parse_bytes(path: &Path, bytes: Vec<u8>) -> Result<Value, LoadError> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = at
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        LoadError::Json {
            path: path.to_path_buf(),
            line,
            column,
            message: format!("not UTF-8 text (byte {at})"),
        }
    })?;
    if text.trim().is_empty() {
        return Err(LoadError::Json {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: "the file is empty; a draft is a JSON object".into(),
        });
    }
    parse(path, &text)
}

/// Writes `doc` to `path` atomically in the stable format.
pub fn save(path: &Path, doc: &Value) -> io::Result<()> {
    write_atomic(path, super::to_draft_json(doc).as_bytes())
}

/// Where [`save_or_rescue`] put the draft.
#[derive(Debug, PartialEq)]
pub enum Saved {
    /// In its own file.
    InPlace,
    /// Its own file could not be written (the error says why); a copy is at this path.
    Rescued { copy: PathBuf, error: String },
}

/// Saves `doc` to `path`; when that fails (a read-only folder, a file in the way, a full
/// disk), writes a copy to a free name in `drafts_dir`, else in the temp folder, so what
/// was typed is never lost on the way out. Fails only when no copy could be written.
pub fn save_or_rescue(path: &Path, doc: &Value, drafts_dir: &Path) -> Result<Saved, String> {
    let error = match save(path, doc) {
        Ok(()) => return Ok(Saved::InPlace),
        Err(e) => format!("{}: {e}", path.display()),
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "draft".into());
    let mut errors = vec![error.clone()];
    for dir in [drafts_dir.to_path_buf(), std::env::temp_dir()] {
        let copy = free_path(&dir, &format!("{stem}-rescued"));
        match save(&copy, doc) {
            Ok(()) => return Ok(Saved::Rescued { copy, error }),
            Err(e) => errors.push(format!("{}: {e}", copy.display())),
        }
    }
    Err(errors.join("; "))
}

fn is_draft_file(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "json")
        && !p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.') || n.ends_with(".recovery.json"))
}

/// Every draft in `dir`, most recently modified first. A missing folder is an empty list.
pub fn list(dir: &Path) -> io::Result<Vec<DraftInfo>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_file() || !is_draft_file(&path) {
            continue;
        }
        out.push(info(&path));
    }
    out.sort_by(|a, b| b.modified.cmp(&a.modified).then(a.name.cmp(&b.name)));
    Ok(out)
}

/// What the browser shows about one draft file.
pub fn info(path: &Path) -> DraftInfo {
    let modified = fs::metadata(path).and_then(|m| m.modified()).ok();
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (message_type, valid) = match load(path) {
        Ok(doc) => (
            doc.get("messageType")
                .and_then(Value::as_str)
                .map(str::to_string),
            Some(validate(&doc).is_valid()),
        ),
        Err(_) => (None, None),
    };
    DraftInfo {
        path: path.to_path_buf(),
        name,
        message_type,
        modified,
        valid,
    }
}

/// The most recently modified draft in `dir`.
pub fn most_recent(dir: &Path) -> Option<PathBuf> {
    list(dir).ok()?.into_iter().next().map(|d| d.path)
}

/// A path in `dir` for a new draft named after `stem`, not taken by another file
/// (`stem.json`, `stem-2.json`, …).
pub fn free_path(dir: &Path, stem: &str) -> PathBuf {
    let stem = sanitize(stem);
    let first = dir.join(format!("{stem}.json"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}.json")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// A file-name-safe version of a name a person typed.
pub fn sanitize(name: &str) -> String {
    let s: String = name
        .trim()
        .trim_end_matches(".json")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | ' ' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_start_matches('.').trim().to_string();
    if s.is_empty() { "draft".into() } else { s }
}

/// A name for a new draft: `draft-YYYYMMDD-HHMMSS` in UTC.
pub fn new_name() -> String {
    let now = jiff::Timestamp::now();
    format!("draft-{}", now.strftime("%Y%m%d-%H%M%S"))
}

/// Copies a draft next to itself (`name-copy.json`). Returns the copy's path.
pub fn duplicate(path: &Path) -> io::Result<PathBuf> {
    let bytes = fs::read(path)?;
    copy_beside(path, &bytes)
}

/// Writes `bytes` as a copy of the draft at `path`, beside it (`name-copy.json`, or
/// `name-copy-2.json`, …). Returns the copy's path.
pub fn copy_beside(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "draft".into());
    let to = free_path(dir, &format!("{stem}-copy"));
    write_atomic(&to, bytes)?;
    Ok(to)
}

/// Where renaming the draft at `path` to a name a person typed puts it: beside it, the name
/// made safe for a file.
pub fn renamed_path(path: &Path, new_name: &str) -> PathBuf {
    path.with_file_name(format!("{}.json", sanitize(new_name)))
}

/// Renames a draft within its folder. Refuses to replace another file.
pub fn rename(path: &Path, new_name: &str) -> io::Result<PathBuf> {
    let to = renamed_path(path, new_name);
    rename_to(path, &to)?;
    Ok(to)
}

/// Renames `path` to `to`, refusing to replace another file.
pub fn rename_to(path: &Path, to: &Path) -> io::Result<()> {
    if to == path {
        return Ok(());
    }
    if to.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} already exists", to.display()),
        ));
    }
    fs::rename(path, to)
}

/// Deletes a draft.
pub fn delete(path: &Path) -> io::Result<()> {
    fs::remove_file(path)
}

/// Where an edit that could not be read back is kept: `name.recovery.json` beside the draft.
pub fn recovery_path(draft: &Path) -> PathBuf {
    let stem = draft
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "draft".into());
    draft.with_file_name(format!("{stem}.recovery.json"))
}

/// Where our version of a draft goes when someone else wrote the draft's file since we last
/// read or wrote it: `NAME.conflict-YYYYMMDD-HHMMSS.json` beside it (UTC, like new drafts'
/// names), or `…-2.json` when that is taken.
pub fn conflict_path(draft: &Path) -> PathBuf {
    let stem = draft
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "draft".into());
    let now = jiff::Timestamp::now();
    let dir = draft.parent().unwrap_or(Path::new("."));
    let name = format!("{stem}.conflict-{}", now.strftime("%Y%m%d-%H%M%S"));
    let first = dir.join(format!("{name}.json"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{name}-{n}.json")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn list_sorts_newest_first_and_reads_type_and_validity() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        save(&a, &json!({"messageType": "RCS_TEXT"})).unwrap();
        let b = dir.path().join("b.json");
        let good = include_str!("../../assets/examples/text.json");
        fs::write(&b, good).unwrap();
        let old = SystemTime::now() - std::time::Duration::from_secs(60);
        fs::File::options()
            .write(true)
            .open(&a)
            .unwrap()
            .set_modified(old)
            .unwrap();
        fs::write(dir.path().join("broken.json"), "{").unwrap();
        fs::write(dir.path().join("x.recovery.json"), "{").unwrap();
        fs::write(dir.path().join("notes.txt"), "").unwrap();
        let l = list(dir.path()).unwrap();
        let names: Vec<_> = l.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names.len(), 3, "{names:?}");
        assert_eq!(*names.last().unwrap(), "a");
        let a_info = l.iter().find(|d| d.name == "a").unwrap();
        assert_eq!(a_info.message_type.as_deref(), Some("RCS_TEXT"));
        assert_eq!(a_info.valid, Some(false));
        let b_info = l.iter().find(|d| d.name == "b").unwrap();
        assert_eq!(b_info.valid, Some(true));
        assert_eq!(l.iter().find(|d| d.name == "broken").unwrap().valid, None);
        assert_ne!(most_recent(dir.path()).unwrap(), a);
    }

    #[test]
    fn duplicate_rename_delete() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        save(&a, &json!({"x": 1})).unwrap();
        let c = duplicate(&a).unwrap();
        assert_eq!(c.file_name().unwrap(), "a-copy.json");
        assert_eq!(fs::read(&a).unwrap(), fs::read(&c).unwrap());
        assert_eq!(duplicate(&a).unwrap().file_name().unwrap(), "a-copy-2.json");
        assert!(rename(&c, "a").is_err(), "must not replace a");
        let r = rename(&c, "promo/../x").unwrap();
        assert_eq!(r.file_name().unwrap(), "promo-..-x.json");
        delete(&r).unwrap();
        assert!(!r.exists());
    }

    #[test]
    fn a_folder_a_pipe_bytes_and_an_empty_file_are_refused_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let e = load(dir.path()).unwrap_err().to_string();
        assert!(e.ends_with("it is a folder, not a draft file"), "{e}");
        #[cfg(unix)]
        {
            let fifo = dir.path().join("pipe.json");
            let ok = std::process::Command::new("mkfifo").arg(&fifo).status();
            if ok.is_ok_and(|s| s.success()) {
                // Would block forever if it were opened.
                let e = load(&fifo).unwrap_err().to_string();
                assert!(e.contains("not a regular file"), "{e}");
            }
        }
        let bad = dir.path().join("bad.json");
        fs::write(&bad, b"{\n  \"a\": \"\xff\"\n}").unwrap();
        let e = load(&bad).unwrap_err().to_string();
        assert!(
            e.ends_with("line 2, column 9: not UTF-8 text (byte 10)"),
            "{e}"
        );
        let empty = dir.path().join("empty.json");
        fs::write(&empty, "\n").unwrap();
        let e = load(&empty).unwrap_err().to_string();
        assert!(e.contains("the file is empty"), "{e}");
    }

    #[test]
    fn deep_nesting_is_said_in_words() {
        let text = format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000));
        let e = parse(Path::new("d.json"), &text).unwrap_err().to_string();
        assert!(e.contains("nested more than 128 levels deep"), "{e}");
        assert!(e.starts_with("d.json: line 1, column "), "{e}");
    }

    #[test]
    fn reading_stops_past_the_cap() {
        let e = crate::store::read_capped(std::io::repeat(0), 1024).unwrap_err();
        assert!(e.to_string().contains("larger than"), "{e}");
        assert_eq!(crate::store::read_capped(&b"abc"[..], 3).unwrap(), b"abc");
        // A size that was wrong by the time of the read (the file grew or shrank) reads
        // what is there; a size past the cap is no way past it.
        use crate::store::read_capped_sized as sized;
        assert_eq!(sized(&b"abcdef"[..], 64, 2).unwrap(), b"abcdef");
        assert_eq!(sized(&b"abc"[..], 64, 10).unwrap(), b"abc");
        assert_eq!(sized(&b"abc"[..], 3, 3).unwrap(), b"abc");
        assert!(sized(std::io::repeat(0), 1024, u64::MAX).is_err());
    }

    #[test]
    fn parse_error_names_line_and_column() {
        let e = parse(Path::new("d.json"), "{\n  \"a\": ,\n}").unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("d.json: line 2, column 8: "), "{s}");
    }
}
