//! Atomic file writes: a temp file in the same folder, synced, then renamed over the target.
//! A crash, a `kill -9` or a full disk leaves either the old file or the new one, whole.
//!
//! The temp file has a random name and is created with `O_EXCL` and `O_NOFOLLOW`, so in a
//! folder others can write, a file or a symlink planted under a name we might use is never
//! opened. The name still carries our pid (`.NAME.PID.RANDOM.tmp`), so one left by a kill is
//! recognised and removed at the next start ([`remove_stale_temps`]). A target that is a
//! symlink is written through: the new file replaces the link's target, in the target's
//! folder, and the link stays. A file that already exists keeps its mode and, where we may
//! set it, its owner and group.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How many symlinks are followed before giving up (as the kernel does).
const MAX_LINKS: usize = 40;

/// A temp file this old is left over even if its pid is alive again (reused by another
/// process): no write takes that long.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// Writes `bytes` to `path` atomically. The folder is created if missing.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with_mode(path, bytes, None)
}

/// As [`write_atomic`], and on Unix sets the new file's permission bits (e.g. 0o600 for a
/// file that holds a secret) before it becomes visible. Without `mode`, an existing file
/// keeps its own, and a new one gets 0o666 less the umask.
pub fn write_atomic_with_mode(path: &Path, bytes: &[u8], mode: Option<u32>) -> io::Result<()> {
    let target = follow_links(path)?;
    let dir = folder_of(&target);
    fs::create_dir_all(dir).map_err(|e| explain_dir_error(dir, e))?;
    let existing = fs::metadata(&target).ok().filter(fs::Metadata::is_file);
    let mut tmp = create_temp(dir, &target, "tmp", mode)?;
    keep_mode_and_owner(tmp.as_file(), existing.as_ref(), mode)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    // On failure the temp file is removed when `tmp` is dropped.
    tmp.persist(&target).map_err(|e| e.error)?;
    // Make the rename itself durable.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A new, empty temp file beside `target`: `.NAME.PID.RANDOM.SUFFIX`, created with
/// `O_EXCL | O_NOFOLLOW` (a name that exists, as a file or a link, is never opened; another
/// random name is tried). It is removed when dropped unless persisted.
pub fn create_temp(
    dir: &Path,
    target: &Path,
    suffix: &str,
    mode: Option<u32>,
) -> io::Result<tempfile::NamedTempFile> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    tempfile::Builder::new()
        .prefix(&format!(".{name}.{}.", std::process::id()))
        .suffix(&format!(".{suffix}"))
        .rand_bytes(8)
        .make_in(dir, |p| {
            let mut opts = OpenOptions::new();
            opts.read(true).write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(mode.unwrap_or(0o666));
                opts.custom_flags(
                    (rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::CLOEXEC).bits() as i32,
                );
            }
            #[cfg(not(unix))]
            let _ = mode;
            opts.open(p)
        })
}

/// Gives the new file the mode (and owner and group, where allowed) of the file it replaces,
/// or `mode` when one is asked for. The umask applied at creation is undone here: a 0664
/// draft stays 0664.
#[cfg(unix)]
fn keep_mode_and_owner(
    f: &File,
    existing: Option<&fs::Metadata>,
    mode: Option<u32>,
) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    if let Some(m) = mode {
        return f.set_permissions(fs::Permissions::from_mode(m));
    }
    let Some(old) = existing else {
        return Ok(());
    };
    let mine = f.metadata()?;
    if (mine.uid(), mine.gid()) != (old.uid(), old.gid()) {
        // Root may give the file back to its owner; anyone may keep a group they are in.
        // Neither is an error when refused: the content matters more than the owner.
        if std::os::unix::fs::fchown(f, Some(old.uid()), Some(old.gid())).is_err() {
            let _ = std::os::unix::fs::fchown(f, None, Some(old.gid()));
        }
    }
    f.set_permissions(fs::Permissions::from_mode(old.mode() & 0o7777))
}

#[cfg(not(unix))]
fn keep_mode_and_owner(
    f: &File,
    existing: Option<&fs::Metadata>,
    _mode: Option<u32>,
) -> io::Result<()> {
    if let Some(old) = existing {
        f.set_permissions(old.permissions())?;
    }
    Ok(())
}

/// Where a write to `path` lands: `path` itself, or when it is a symlink, the file it points
/// to (through any chain of links; a dangling link gives the path its target would have).
/// Only the last component is followed: a folder on the way that is a link is fine, a
/// rename inside it stays inside it.
pub fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&p)?;
                p = if to.is_absolute() {
                    to
                } else {
                    folder_of(&p).join(to)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other(format!(
        "{}: more than {MAX_LINKS} symlinks in a chain",
        path.display()
    )))
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Removes the temp files a killed process left in `dir`: ours by name
/// (`.NAME.PID[.RANDOM].tmp`, and the editor's `.NAME.PID.RANDOM.edit.json`), owned by this
/// user, whose process is gone (or that are over an hour old). A file another live instance
/// is writing is left alone. Returns how many were removed.
pub fn remove_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_owner) else {
            continue;
        };
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if meta.uid() != rustix::process::getuid().as_raw() {
                continue;
            }
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| SystemTime::now().duration_since(m).ok())
            .is_some_and(|age| age > STALE_AFTER);
        let mine = pid == std::process::id();
        if (old || !mine && !super::lock::process_alive(pid))
            && fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// The pid in the name of one of our temp files, or `None` for any other name.
fn temp_owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let rest = rest
        .strip_suffix(".tmp")
        .or_else(|| rest.strip_suffix(".edit.json"))?;
    let mut parts = rest.rsplit('.');
    let last = parts.next()?;
    // `.NAME.PID.tmp` (before random names) or `.NAME.PID.RANDOM.tmp`.
    let pid = match last.parse::<u32>() {
        Ok(pid) => pid,
        Err(_) => parts.next()?.parse::<u32>().ok()?,
    };
    // Something must remain as the name.
    parts.next()?;
    Some(pid)
}

/// `create_dir_all` answers "File exists" when a part of the path is a file: say which.
fn explain_dir_error(dir: &Path, e: io::Error) -> io::Error {
    if (e.kind() == io::ErrorKind::AlreadyExists || e.kind() == io::ErrorKind::NotADirectory)
        && let Some(file) = dir.ancestors().find(|a| a.is_file())
    {
        return io::Error::new(
            e.kind(),
            format!("{} is a file, not a folder", file.display()),
        );
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/draft.json");
        write_atomic(&p, b"first").unwrap();
        write_atomic(&p, b"second, longer").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"second, longer");
        let names: Vec<_> = fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn a_file_in_the_way_of_the_folder_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain");
        fs::write(&file, "x").unwrap();
        let e = write_atomic(&file.join("sub/draft.json"), b"{}").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{} is a file, not a folder", file.display())
        );
    }

    #[cfg(unix)]
    fn mode_of(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[cfg(unix)]
    #[test]
    fn sets_mode() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("secret");
        write_atomic_with_mode(&p, b"x", Some(0o600)).unwrap();
        assert_eq!(mode_of(&p), 0o600);
    }

    /// Failed before: every save made a 0600 draft 0644 (the temp file's default mode).
    #[cfg(unix)]
    #[test]
    fn an_existing_file_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        for mode in [0o600, 0o640, 0o664, 0o604] {
            let p = dir.path().join(format!("d{mode:o}.json"));
            fs::write(&p, "{}").unwrap();
            fs::set_permissions(&p, fs::Permissions::from_mode(mode)).unwrap();
            write_atomic(&p, b"{\"a\": 1}").unwrap();
            assert_eq!(mode_of(&p), mode, "{}", p.display());
        }
    }

    /// Failed before: the link was replaced by a plain file and the target never changed.
    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_to_its_target_in_the_target_s_folder() {
        let dir = tempfile::tempdir().unwrap();
        let real_dir = dir.path().join("real");
        let links = dir.path().join("links");
        fs::create_dir_all(&real_dir).unwrap();
        fs::create_dir_all(&links).unwrap();
        let target = real_dir.join("t.json");
        fs::write(&target, "old").unwrap();
        let link = links.join("d.json");
        std::os::unix::fs::symlink("../real/t.json", &link).unwrap();
        // A link to the link: followed to the end.
        let link2 = links.join("e.json");
        std::os::unix::fs::symlink(&link, &link2).unwrap();
        write_atomic(&link2, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            fs::symlink_metadata(&link2)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&target).unwrap(), b"new");
        // Nothing was left in either folder.
        assert_eq!(fs::read_dir(&real_dir).unwrap().count(), 1);
        assert_eq!(fs::read_dir(&links).unwrap().count(), 2);
        // A dangling link gets its target created.
        let dangling = links.join("f.json");
        std::os::unix::fs::symlink("../real/new.json", &dangling).unwrap();
        write_atomic(&dangling, b"made").unwrap();
        assert_eq!(fs::read(real_dir.join("new.json")).unwrap(), b"made");
    }

    /// Failed before: the temp file's name was `.NAME.PID.tmp`, opened without O_EXCL, so a
    /// symlink planted under it made the write land in the file it pointed to.
    #[cfg(unix)]
    #[test]
    fn a_planted_symlink_under_a_temp_name_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let drafts = dir.path().join("drafts");
        fs::create_dir_all(&drafts).unwrap();
        let draft = drafts.join("d.json");
        fs::write(&draft, "{}").unwrap();
        let planted = drafts.join(format!(".d.json.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        write_atomic(&draft, b"{\"new\": true}").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"precious");
        assert_eq!(fs::read(&draft).unwrap(), b"{\"new\": true}");
        assert!(
            fs::symlink_metadata(&planted)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn temp_names_carry_the_pid() {
        assert_eq!(temp_owner(".d.json.123.tmp"), Some(123));
        assert_eq!(temp_owner(".d.json.123.AbC9xYz0.tmp"), Some(123));
        assert_eq!(temp_owner(".d.77.AbC9xYz0.edit.json"), Some(77));
        assert_eq!(temp_owner("d.json.123.tmp"), None);
        assert_eq!(temp_owner(".123.tmp"), None);
        assert_eq!(temp_owner(".d.json.tmp"), None);
        assert_eq!(temp_owner(".d.json.lock"), None);
    }

    #[cfg(unix)]
    #[test]
    fn stale_temps_of_dead_processes_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        // A process that has exited: its pid is free (until reused, which the test accepts
        // as a rare false keep, never a false removal).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale = dir.path().join(format!(".d.json.{dead}.Zq81xYwA.tmp"));
        let old_style = dir.path().join(format!(".d.json.{dead}.tmp"));
        let live = dir
            .path()
            .join(format!(".d.json.{}.Zq81xYwA.tmp", std::process::id()));
        let other = dir.path().join("notes.tmp");
        for p in [&stale, &old_style, &live, &other] {
            fs::write(p, "x").unwrap();
        }
        assert_eq!(remove_stale_temps(dir.path()), 2);
        assert!(!stale.exists() && !old_style.exists());
        assert!(live.exists() && other.exists());
    }
}
