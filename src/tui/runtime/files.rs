//! File work off the UI thread: one writer thread runs [`FileJob`]s in order (a rename
//! queued after a write happens after it) and answers each with a [`Message`]; and
//! `$VISUAL`/`$EDITOR` on a temp copy of the draft.

use crate::store::history::{self, HistoryEntry};
use crate::store::{atomic, drafts};
use crate::tui::action::{Contents, DraftAnswer, DraftJob, Message};
use crate::tui::strings as s;
use std::io;
use std::path::{Path, PathBuf};

/// A file job for the writer thread.
pub(super) enum FileJob {
    Write {
        path: PathBuf,
        generation: Option<u64>,
        contents: Contents,
    },
    Drafts(DraftJob),
    ReadHistory {
        path: PathBuf,
    },
    History {
        path: PathBuf,
        entry: Box<HistoryEntry>,
    },
    ReadConfig {
        path: PathBuf,
    },
}

impl FileJob {
    pub(super) fn run(self) -> Message {
        match self {
            FileJob::Write {
                path,
                generation,
                contents,
            } => {
                let bytes = contents.into_bytes();
                let result = atomic::write_atomic(&path, &bytes).map_err(|e| e.to_string());
                Message::Written {
                    path,
                    generation,
                    result,
                }
            }
            FileJob::Drafts(job) => Message::Drafts(draft_job(job)),
            FileJob::ReadHistory { path } => {
                Message::HistoryRead(history::read_from(&path).map_err(|e| e.to_string()))
            }
            FileJob::History { path, entry } => Message::HistoryWritten {
                result: history::append_to(&path, &entry).map_err(|e| e.to_string()),
            },
            FileJob::ReadConfig { path } => {
                Message::ConfigRead(crate::store::config::Config::load_from(&path))
            }
        }
    }
}

fn draft_job(job: DraftJob) -> DraftAnswer {
    let text = |e: std::io::Error| e.to_string();
    match job {
        DraftJob::List { dir } => {
            let result = drafts::list(&dir).map_err(|e| format!("{}: {e}", dir.display()));
            DraftAnswer::Listed { dir, result }
        }
        DraftJob::Open { path } => {
            let result = drafts::load(&path).map_err(|e| e.to_string());
            DraftAnswer::Opened { path, result }
        }
        DraftJob::Create {
            dir,
            stem,
            doc,
            write,
            why,
        } => {
            let path = drafts::free_path(&dir, &stem);
            let result = if write {
                drafts::save(&path, &doc)
                    .map(|()| true)
                    .map_err(|e| format!("{}: {e}", path.display()))
            } else {
                Ok(false)
            };
            DraftAnswer::Created {
                path,
                doc,
                why,
                result,
            }
        }
        DraftJob::Copy { from, bytes } => {
            let result = match bytes {
                Some(b) => drafts::copy_beside(&from, &b),
                None => drafts::duplicate(&from),
            }
            .map_err(text);
            DraftAnswer::Copied { from, result }
        }
        DraftJob::Rename { from, to } => {
            let result = drafts::rename_to(&from, &to).map_err(text);
            DraftAnswer::Renamed { from, to, result }
        }
        DraftJob::Delete { path } => {
            let result = drafts::delete(&path).map_err(text);
            DraftAnswer::Deleted { path, result }
        }
    }
}

/// The editor command: `$VISUAL`, then `$EDITOR`, then `vi`.
pub(super) fn editor_from_env() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "vi".into())
}

/// Writes `text` to a temp file beside the draft, runs the editor on it, reads it back.
pub(super) fn run_editor(command: &str, draft: &Path, text: &str) -> Result<String, String> {
    let dir = match draft.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let stem = draft
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "draft".into());
    let tmp = dir.join(format!(".{stem}.edit.json"));
    atomic::write_atomic(&tmp, text.as_bytes())
        .map_err(|e| s::editor_failed(command, &format!("{}: {e}", tmp.display())))?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$1\""))
        .arg("rcs-composer-editor")
        .arg(&tmp)
        .status();
    let result = match status {
        Ok(st) if st.success() => match std::fs::read(&tmp) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(text),
                Err(e) => {
                    // Not text we can parse; keep the bytes rather than lose the edit.
                    let at = e.utf8_error().valid_up_to();
                    let rec = drafts::recovery_path(draft);
                    let kept = atomic::write_atomic(&rec, e.as_bytes()).is_ok();
                    Err(s::editor_not_utf8(
                        at,
                        kept.then(|| rec.display().to_string()).as_deref(),
                    ))
                }
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Err(s::editor_removed(command, &tmp.display().to_string()))
            }
            Err(e) => Err(format!("{}: {e}", tmp.display())),
        },
        // sh says 127 when it cannot find the command, 126 when it cannot run it.
        Ok(st) if matches!(st.code(), Some(126 | 127)) => Err(s::editor_failed(
            command,
            "the command was not found or cannot be run",
        )),
        Ok(st) => Err(s::editor_exit(command, &st.to_string())),
        Err(e) => Err(s::editor_failed(command, &e.to_string())),
    };
    let _ = std::fs::remove_file(&tmp);
    result
}
