//! File work off the UI thread: one writer thread runs [`FileJob`]s in order (a rename
//! queued after a write happens after it) and answers each with a [`Message`].
//!
//! The writer remembers what each draft file held when this app last read or wrote it (its
//! [`Stamp`]), and checks the file against it before writing: what another instance or
//! another program wrote is never written over unless the person says so. It also holds the
//! open draft's lock.

use crate::store::history::{self, HistoryEntry};
use crate::store::lock::{self, DraftLock, Locked};
use crate::store::stamp::{self, OnDisk, Stamp};
use crate::store::{atomic, drafts};
use crate::tui::action::{Contents, DraftAnswer, DraftJob, Known, Message, SaveAnswer, SaveCheck};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::Sender;

/// A file job for the writer thread.
pub(super) enum FileJob {
    /// A file that is ours alone (a recovery file): written without a check.
    Write {
        path: PathBuf,
        generation: Option<u64>,
        contents: Contents,
    },
    /// The draft, serialized here (see [`Contents::Draft`]).
    SaveDraft {
        path: PathBuf,
        generation: u64,
        contents: Contents,
        check: SaveCheck,
    },
    CheckDraft {
        path: PathBuf,
    },
    Know {
        path: PathBuf,
        known: Known,
    },
    Lock {
        path: PathBuf,
    },
    Tidy {
        dirs: Vec<PathBuf>,
    },
    /// Answers on the channel once every job before it is done.
    Flush(Sender<()>),
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

/// The writer thread's memory.
pub(super) struct Writer {
    /// What each draft file held when we last read or wrote it (`None`: there was none).
    known: HashMap<PathBuf, Option<Stamp>>,
    /// Where our version of a draft went when its file was found changed (and the stamp of
    /// what was found), so later writes before the app hears of it go to the same copy.
    copies: HashMap<PathBuf, (Stamp, PathBuf)>,
    /// Tells this app's lock from another app's in the same process (the tests run two).
    instance: String,
    lock: Option<DraftLock>,
}

impl Writer {
    pub(super) fn new() -> Self {
        Writer {
            known: HashMap::new(),
            copies: HashMap::new(),
            instance: uuid::Uuid::new_v4().simple().to_string(),
            lock: None,
        }
    }

    /// Runs a job; its answer, if it has one.
    pub(super) fn run(&mut self, job: FileJob) -> Option<Message> {
        Some(match job {
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
            FileJob::SaveDraft {
                path,
                generation,
                contents,
                check,
            } => {
                let bytes = contents.into_bytes();
                let answer = self.save_draft(&path, &bytes, check);
                Message::DraftWritten {
                    path,
                    generation,
                    answer,
                }
            }
            FileJob::CheckDraft { path } => {
                let known = self.known.get(&path).copied()?;
                let OnDisk::Changed { bytes, stamp } = compare(&path, known).ok()? else {
                    return None;
                };
                let theirs = drafts::parse_bytes(&path, bytes).map_err(|e| e.to_string());
                Message::DraftChanged {
                    path,
                    theirs,
                    stamp,
                }
            }
            FileJob::Know { path, known } => {
                let stamp = match known {
                    Known::Stamp(s) => Some(s),
                    Known::Absent => None,
                    Known::Now => stamp::read(&path).ok().map(|(_, s)| s),
                };
                self.copies.remove(&path);
                self.known.insert(path, stamp);
                return None;
            }
            FileJob::Lock { path } => {
                self.lock = None;
                let holder = match lock::lock(&path, &self.instance) {
                    Ok(Locked::Mine(l)) => {
                        self.lock = Some(l);
                        None
                    }
                    Ok(Locked::Elsewhere { pid }) => Some(pid),
                    // No folder yet (a new draft), a read-only folder: nobody to warn.
                    Err(_) => None,
                };
                Message::DraftLocked { path, holder }
            }
            FileJob::Tidy { dirs } => {
                for d in dirs {
                    atomic::remove_stale_temps(&d);
                }
                return None;
            }
            FileJob::Flush(done) => {
                let _ = done.send(());
                return None;
            }
            FileJob::Drafts(job) => Message::Drafts(self.draft_job(job)),
            FileJob::ReadHistory { path } => {
                Message::HistoryRead(history::read_from(&path).map_err(|e| e.to_string()))
            }
            FileJob::History { path, entry } => Message::HistoryWritten {
                result: history::append_to(&path, &entry).map_err(|e| e.to_string()),
            },
            FileJob::ReadConfig { path } => {
                Message::ConfigRead(crate::store::config::Config::load_from(&path))
            }
        })
    }

    /// Writes a draft unless someone else wrote its file since we last read or wrote it;
    /// then our version goes beside it (`NAME.conflict-….json`) and theirs stays.
    fn save_draft(&mut self, path: &PathBuf, bytes: &[u8], check: SaveCheck) -> SaveAnswer {
        if let (SaveCheck::Checked { unsaved }, Some(known)) = (check, self.known.get(path)) {
            match compare(path, *known) {
                Ok(OnDisk::Same(_) | OnDisk::Gone) => {}
                Ok(OnDisk::Changed {
                    bytes: theirs,
                    stamp,
                }) => {
                    let theirs = drafts::parse_bytes(path, theirs).map_err(|e| e.to_string());
                    let ours = unsaved.then(|| {
                        let copy = match self.copies.get(path) {
                            Some((seen, copy)) if *seen == stamp => copy.clone(),
                            _ => drafts::conflict_path(path),
                        };
                        self.copies.insert(path.clone(), (stamp, copy.clone()));
                        atomic::write_atomic(&copy, bytes)
                            .map(|()| copy.clone())
                            .map_err(|e| format!("{}: {e}", copy.display()))
                    });
                    return SaveAnswer::Conflict {
                        theirs,
                        stamp,
                        ours,
                    };
                }
                Err(e) => {
                    return SaveAnswer::Failed(format!(
                        "cannot read it to see whether someone else wrote it: {e}"
                    ));
                }
            }
        }
        match atomic::write_atomic(path, bytes) {
            Ok(()) => {
                self.copies.remove(path);
                self.known
                    .insert(path.clone(), Some(Stamp::written(path, bytes)));
                SaveAnswer::Saved
            }
            Err(e) => SaveAnswer::Failed(e.to_string()),
        }
    }

    fn draft_job(&mut self, job: DraftJob) -> DraftAnswer {
        let text = |e: std::io::Error| e.to_string();
        match job {
            DraftJob::List { dir } => {
                let result = drafts::list(&dir).map_err(|e| format!("{}: {e}", dir.display()));
                DraftAnswer::Listed { dir, result }
            }
            DraftJob::Open { path } => {
                let result = drafts::load_stamped(&path)
                    .map(|(doc, stamp)| {
                        self.known.insert(path.clone(), Some(stamp));
                        doc
                    })
                    .map_err(|e| e.to_string());
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
                    let bytes = crate::store::to_draft_json(&doc).into_bytes();
                    atomic::write_atomic(&path, &bytes)
                        .map(|()| {
                            let stamp = Stamp::written(&path, &bytes);
                            self.known.insert(path.clone(), Some(stamp));
                            true
                        })
                        .map_err(|e| format!("{}: {e}", path.display()))
                } else {
                    self.known.insert(path.clone(), None);
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
                if result.is_ok()
                    && let Some(k) = self.known.remove(&from)
                {
                    self.known.insert(to.clone(), k);
                }
                DraftAnswer::Renamed { from, to, result }
            }
            DraftJob::Delete { path } => {
                let result = drafts::delete(&path).map_err(text);
                DraftAnswer::Deleted { path, result }
            }
        }
    }
}

/// The file at `path` against what we last saw there (`None`: no file).
fn compare(path: &std::path::Path, known: Option<Stamp>) -> std::io::Result<OnDisk> {
    match known {
        Some(k) => stamp::compare(path, &k),
        None => match stamp::read(path) {
            Ok((bytes, stamp)) => Ok(OnDisk::Changed { bytes, stamp }),
            Err(e) if stamp::is_absent(&e) => Ok(OnDisk::Gone),
            Err(e) => Err(e),
        },
    }
}
