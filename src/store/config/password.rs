//! The secret of a profile, from its one source: an environment variable
//! (`password_env`), a shell command (`password_command`), or the file itself (`password`).
//!
//! A password command runs with `sh -c` in its own process group (`sh` and whatever it
//! starts), gets no input, and may run at most [`PASSWORD_COMMAND_TIMEOUT`]. While it runs it
//! is listed in the [`PasswordCommands`] it was started with, so whoever started it (a send
//! that is cancelled, an app that quits) can stop it.

use super::PasswordSource;
use super::resolve::Env;
use crate::profile::Secret;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// How long a `password_command` may run: long enough to type a passphrase into a password
/// manager's prompt, short enough that a command waiting for input that never comes does
/// not hang `send` forever.
pub const PASSWORD_COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// Obtains the secret from its source; a command is listed in `commands` while it runs. The
/// message of an error never holds the secret.
pub fn fetch_secret(
    source: &PasswordSource,
    env: &Env,
    commands: &PasswordCommands,
) -> Result<Secret, String> {
    match source {
        PasswordSource::Plain(s) => Ok(s.clone()),
        PasswordSource::Env(var) => env
            .get(var)
            .map(Secret::new)
            .ok_or_else(|| format!("the environment variable {var} is not set (or is empty)")),
        PasswordSource::Command(cmd) => commands.run(cmd, PASSWORD_COMMAND_TIMEOUT),
    }
}

/// The password commands someone has running, so that they can stop them: a cancelled send
/// or a quitting app must not leave a command (or a password manager's prompt) behind.
///
/// Cheap to clone; the clones share one list. Each app keeps its own, so one app quitting
/// never stops another's commands (a test process runs several apps).
#[derive(Debug, Clone, Default)]
pub struct PasswordCommands {
    /// The process groups of the commands still running (each `sh` leads its own). A group
    /// leaves the list before its leader is reaped, so an id on the list is never one the
    /// system has handed to another process.
    groups: Arc<Mutex<Vec<u32>>>,
}

impl PasswordCommands {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stops every command started with this handle (or a clone of it) that is still
    /// running, and what those commands started; each one's fetch then fails.
    pub fn stop_all(&self) {
        for g in self.groups().drain(..) {
            kill_group(g);
        }
    }

    fn groups(&self) -> MutexGuard<'_, Vec<u32>> {
        self.groups.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes `group` off the list; true when it was on it (nobody stopped it yet).
    fn forget(&self, group: u32) -> bool {
        let mut groups = self.groups();
        match groups.iter().position(|&g| g == group) {
            Some(i) => {
                groups.swap_remove(i);
                true
            }
            None => false,
        }
    }

    /// Stops `group` if it is still on the list; true when it was.
    fn stop(&self, group: u32) -> bool {
        let mut groups = self.groups();
        match groups.iter().position(|&g| g == group) {
            Some(i) => {
                groups.swap_remove(i);
                kill_group(group);
                true
            }
            None => false,
        }
    }

    /// Runs `cmd` with `sh -c` (no standard input) and returns the first line it prints; a
    /// command still running after `limit` is stopped with everything it started.
    fn run(&self, cmd: &str, limit: Duration) -> Result<Secret, String> {
        use std::io::Read;
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(cmd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            command.process_group(0);
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("could not run sh to start {cmd:?}: {e}"))?;
        let group = child.id();
        self.groups().push(group);
        let reader = |pipe: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                if let Some(p) = pipe {
                    // A secret is one line; a megabyte is plenty.
                    let _ = p.take(1024 * 1024).read_to_end(&mut buf);
                }
                buf
            })
        };
        let out_t = reader(
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let err_t = reader(
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        // A thread waits for the exit and answers on a channel, so this one can wait with a
        // timeout.
        let (tx, rx) = mpsc::channel();
        let list = self.clone();
        let waiter = std::thread::Builder::new()
            .name("rcs-composer-password".into())
            .spawn(move || {
                let status = if wait_unreaped(group) {
                    list.forget(group);
                    child.wait()
                } else {
                    let status = child.wait();
                    list.forget(group);
                    status
                };
                let _ = tx.send(status);
            });
        if let Err(e) = waiter {
            self.stop(group);
            return Err(format!("waiting for {cmd:?} failed: {e}"));
        }
        let status = match rx.recv_timeout(limit) {
            Ok(status) => status.map_err(|e| format!("waiting for {cmd:?} failed: {e}")),
            Err(RecvTimeoutError::Timeout) => {
                let stopped = self.stop(group);
                let status = rx.recv();
                match status {
                    // It finished just as the time ran out.
                    Ok(Ok(st)) if !stopped => Ok(st),
                    _ => Err(format!(
                        "the command {cmd:?} did not finish within {} s (is it waiting for input? \
                         it gets none); it was stopped",
                        limit.as_secs_f64().round()
                    )),
                }
            }
            Err(RecvTimeoutError::Disconnected) => Err(format!(
                "waiting for {cmd:?} failed: the waiting thread stopped"
            )),
        };
        let status = status?;
        let out = std::process::Output {
            status,
            stdout: out_t.join().unwrap_or_default(),
            stderr: err_t.join().unwrap_or_default(),
        };
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let first: String = crate::text::visible(first).chars().take(200).collect();
            let status = match out.status.code() {
                Some(c) => format!("exit status {c}"),
                None => "a signal".into(),
            };
            return Err(format!(
                "the command {cmd:?} failed with {status}{}",
                if first.is_empty() {
                    String::new()
                } else {
                    format!(": {first}")
                }
            ));
        }
        let text = String::from_utf8(out.stdout)
            .map_err(|_| format!("the command {cmd:?} printed something that is not UTF-8"))?;
        let first = text.lines().next().unwrap_or("").trim_end_matches('\r');
        if first.is_empty() {
            return Err(format!(
                "the command {cmd:?} printed an empty first line; it must print the secret"
            ));
        }
        Ok(Secret::new(first))
    }
}

/// Sends SIGKILL to process group `g`.
#[cfg(unix)]
fn kill_group(g: u32) {
    use rustix::process::{Pid, Signal, kill_process_group};
    if let Some(pid) = i32::try_from(g).ok().and_then(Pid::from_raw) {
        let _ = kill_process_group(pid, Signal::KILL);
    }
}

#[cfg(not(unix))]
fn kill_group(_g: u32) {}

/// Blocks until child `pid` has exited, leaving it unreaped (its id stays taken until
/// `wait`); false when this system cannot, and nothing was waited for.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn wait_unreaped(pid: u32) -> bool {
    use rustix::process::{Pid, WaitId, WaitIdOptions, waitid};
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return false;
    };
    loop {
        match waitid(
            WaitId::Pid(pid),
            WaitIdOptions::EXITED | WaitIdOptions::NOWAIT,
        ) {
            Err(rustix::io::Errno::INTR) => continue,
            Ok(_) => return true,
            Err(_) => return false,
        }
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn wait_unreaped(_pid: u32) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The id written to `file` by a command, once it has been written whole.
    #[cfg(unix)]
    fn pid_in(file: &std::path::Path) -> String {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let s = std::fs::read_to_string(file).unwrap_or_default();
            if s.ends_with('\n') {
                return s.trim().to_string();
            }
            assert!(std::time::Instant::now() < deadline, "no pid in {file:?}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// True while process `pid` runs (not gone, not a zombie).
    #[cfg(unix)]
    fn running(pid: &str) -> bool {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"));
        stat.is_ok_and(|s| {
            s.rsplit_once(") ")
                .is_some_and(|(_, rest)| !rest.starts_with('Z'))
        })
    }

    #[cfg(unix)]
    #[test]
    fn a_password_command_that_hangs_is_stopped_with_what_it_started() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let cmd = format!("sleep 30 & echo $! > '{}'; wait", pid_file.display());
        let t = std::time::Instant::now();
        let e = PasswordCommands::new()
            .run(&cmd, Duration::from_millis(300))
            .unwrap_err();
        assert!(e.contains("did not finish within"), "{e}");
        assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        // Gone, or a zombie waiting for a parent that reaps it (state Z).
        std::thread::sleep(Duration::from_millis(100));
        assert!(
            !running(pid.trim()),
            "the command's own child was left running"
        );
    }

    #[cfg(unix)]
    #[test]
    fn stop_all_stops_only_the_commands_of_its_own_handle() {
        let dir = tempfile::tempdir().unwrap();
        let start = |commands: &PasswordCommands, name: &str| {
            let file = dir.path().join(name);
            let cmd = format!("sleep 60 & echo $! > '{}'; wait", file.display());
            let commands = commands.clone();
            let fetch = std::thread::spawn(move || {
                fetch_secret(&PasswordSource::Command(cmd), &Env::default(), &commands)
            });
            (fetch, pid_in(&file))
        };
        let (mine, other) = (PasswordCommands::new(), PasswordCommands::new());
        let (fetch, pid) = start(&mine, "mine");
        let (other_fetch, other_pid) = start(&other, "other");
        mine.stop_all();
        let e = fetch.join().unwrap().unwrap_err();
        assert!(e.contains("failed with a signal"), "{e}");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while running(&pid) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(!running(&pid), "what the command started was left running");
        assert!(running(&other_pid), "another handle's command was stopped");
        other.stop_all();
        assert!(other_fetch.join().unwrap().is_err());
    }
}
