//! Which instance has a draft open: a lock file beside it (`.NAME.lock`) holding the pid of
//! the process, when that process started, and an id of the instance. It is advice, not a
//! barrier: a second instance opening the draft says who else has it open, and both check the
//! file before every save (see `drafts::Stamp`). A lock whose process is gone (killed, the
//! machine restarted, the pid reused by another program) is stale and taken over.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// This instance's hold on a draft; the lock file is removed when it is dropped, if it is
/// still ours.
#[derive(Debug)]
pub struct DraftLock {
    path: PathBuf,
    content: String,
}

impl Drop for DraftLock {
    fn drop(&mut self) {
        if fs::read_to_string(&self.path).is_ok_and(|c| c == self.content) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// What trying to lock a draft came to.
#[derive(Debug)]
pub enum Locked {
    /// Ours now.
    Mine(DraftLock),
    /// Another live instance has it open: its pid.
    Elsewhere { pid: u32 },
}

/// The lock file of the draft at `draft` (through a symlink, the target's).
pub fn lock_path(draft: &Path) -> PathBuf {
    let target = super::atomic::follow_links(draft).unwrap_or_else(|_| draft.to_path_buf());
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "draft".into());
    target.with_file_name(format!(".{name}.lock"))
}

/// Takes the lock of `draft` for the instance `instance` (an id unique to one app in this
/// process), unless another live instance holds it. A draft whose folder does not exist yet
/// (a new draft) is locked once its folder exists; until then there is nobody to tell.
pub fn lock(draft: &Path, instance: &str) -> io::Result<Locked> {
    let path = lock_path(draft);
    let content = format!(
        "{} {} {instance}\n",
        std::process::id(),
        start_time(std::process::id()).unwrap_or(0)
    );
    for _ in 0..3 {
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(content.as_bytes())?;
                return Ok(Locked::Mine(DraftLock { path, content }));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        // Someone's lock: live, or stale (its process gone) and taken over.
        let held = fs::read_to_string(&path).unwrap_or_default();
        if let Some(pid) = holder(&held, instance) {
            return Ok(Locked::Elsewhere { pid });
        }
        // Stale: replace it in one step, so two instances taking it over at once do not
        // both think it theirs (the one that reads its own content back wins).
        super::atomic::write_atomic(&path, content.as_bytes())?;
        if fs::read_to_string(&path).is_ok_and(|c| c == content) {
            return Ok(Locked::Mine(DraftLock { path, content }));
        }
    }
    let held = fs::read_to_string(&path).unwrap_or_default();
    match holder(&held, instance) {
        Some(pid) => Ok(Locked::Elsewhere { pid }),
        None => Err(io::Error::other(format!(
            "{}: another instance keeps replacing it",
            path.display()
        ))),
    }
}

/// The pid of the live instance a lock file's text names, `None` when the lock is stale
/// (or unreadable, or this very instance's).
fn holder(text: &str, instance: &str) -> Option<u32> {
    let mut parts = text.split_whitespace();
    let pid: u32 = parts.next()?.parse().ok()?;
    let started: u64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let id = parts.next().unwrap_or("");
    if pid == std::process::id() {
        return (id != instance).then_some(pid);
    }
    if !process_alive(pid) {
        return None;
    }
    // The pid may have been reused by another program since: its start time tells.
    match (started, start_time(pid)) {
        (0, _) | (_, None) => Some(pid),
        (s, Some(now)) => (s == now).then_some(pid),
    }
}

/// True when a process with this pid exists (even one we may not signal).
pub fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Some(p) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return false;
        };
        match rustix::process::test_kill_process(p) {
            Ok(()) => true,
            Err(e) => e == rustix::io::Errno::PERM,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// When the process started, in clock ticks since boot (Linux's `/proc/PID/stat`, field 22);
/// `None` where there is no `/proc`.
fn start_time(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(19)?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_instance_sees_the_first_and_a_stale_lock_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let draft = dir.path().join("d.json");
        fs::write(&draft, "{}").unwrap();
        let Locked::Mine(first) = lock(&draft, "a").unwrap() else {
            panic!("the first instance gets the lock");
        };
        let lock_file = dir.path().join(".d.json.lock");
        let text = fs::read_to_string(&lock_file).unwrap();
        assert!(
            text.starts_with(&format!("{} ", std::process::id())),
            "{text}"
        );
        match lock(&draft, "b").unwrap() {
            Locked::Elsewhere { pid } => assert_eq!(pid, std::process::id()),
            Locked::Mine(_) => panic!("two instances hold one draft"),
        }
        drop(first);
        assert!(!lock_file.exists());
        // A lock left by a process that is gone.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        fs::write(&lock_file, format!("{dead} 1 x\n")).unwrap();
        let Locked::Mine(second) = lock(&draft, "b").unwrap() else {
            panic!("a stale lock is taken over");
        };
        // A lock rewritten by someone else is not removed by us.
        fs::write(&lock_file, "1 1 other\n").unwrap();
        drop(second);
        assert!(lock_file.exists());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_reused_pid_does_not_hold_the_lock() {
        // pid 1 is alive, but it did not start at tick 5.
        assert_eq!(holder("1 5 x\n", "me"), None);
        let started = start_time(1).unwrap();
        assert_eq!(holder(&format!("1 {started} x\n"), "me"), Some(1));
    }

    #[test]
    fn a_symlinked_draft_is_locked_at_its_target() {
        let dir = tempfile::tempdir().unwrap();
        #[cfg(unix)]
        {
            let real = dir.path().join("real.json");
            fs::write(&real, "{}").unwrap();
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&real, &link).unwrap();
            assert_eq!(lock_path(&link), dir.path().join(".real.json.lock"));
        }
    }
}
