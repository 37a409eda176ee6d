//! The secret of a profile, from its one source: an environment variable
//! (`password_env`), a shell command (`password_command`), or the file itself (`password`).

use super::PasswordSource;
use super::resolve::Env;
use crate::profile::Secret;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Obtains the secret from its source. The message of an error never holds the secret.
pub fn fetch_secret(source: &PasswordSource, env: &Env) -> Result<Secret, String> {
    match source {
        PasswordSource::Plain(s) => Ok(s.clone()),
        PasswordSource::Env(var) => env
            .get(var)
            .map(Secret::new)
            .ok_or_else(|| format!("the environment variable {var} is not set (or is empty)")),
        PasswordSource::Command(cmd) => run_password_command(cmd),
    }
}

/// How long a `password_command` may run: long enough to type a passphrase into a password
/// manager's prompt, short enough that a command waiting for input that never comes does
/// not hang `send` forever.
pub const PASSWORD_COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// Process groups of the password commands running now, each with the owner that started
/// it (see [`as_owner`]), so a cancelled send or quitting the app can stop its own (each
/// runs in its own group: `sh` and whatever it started).
static RUNNING: std::sync::Mutex<Vec<(u64, u32)>> = std::sync::Mutex::new(Vec::new());

std::thread_local! {
    static OWNER: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Runs `f` (which may run password commands) on this thread as `owner`, so that
/// [`stop_password_commands`]`(owner)` can stop what it started. Several apps in one
/// process (tests) each use their own owner.
pub fn as_owner<T>(owner: u64, f: impl FnOnce() -> T) -> T {
    let before = OWNER.with(|o| o.replace(owner));
    let out = f();
    OWNER.with(|o| o.set(before));
    out
}

/// Stops every password command `owner` started that is still running (its send was
/// cancelled, or it quits).
pub fn stop_password_commands(owner: u64) {
    let groups: Vec<u32> = match RUNNING.lock() {
        Ok(mut r) => {
            let (mine, rest): (Vec<_>, Vec<_>) = r.drain(..).partition(|(o, _)| *o == owner);
            *r = rest;
            mine.into_iter().map(|(_, g)| g).collect()
        }
        Err(_) => return,
    };
    for g in groups {
        kill_group(g);
    }
}

/// Sends SIGKILL to process group `g` (the standard `kill` command: no unsafe code here).
fn kill_group(g: u32) {
    #[cfg(unix)]
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{g}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    #[cfg(not(unix))]
    let _ = g;
}

/// Runs `cmd` with `sh -c` (no standard input) and returns the first line it prints.
fn run_password_command(cmd: &str) -> Result<Secret, String> {
    run_password_command_within(cmd, PASSWORD_COMMAND_TIMEOUT)
}

fn run_password_command_within(cmd: &str, limit: Duration) -> Result<Secret, String> {
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
    let owner = OWNER.with(|o| o.get());
    if let Ok(mut r) = RUNNING.lock() {
        r.push((owner, group));
    }
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
    let start = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break Ok(st),
            Ok(None) if start.elapsed() >= limit => {
                kill_group(group);
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!(
                    "the command {cmd:?} did not finish within {} s (is it waiting for input? \
                     it gets none); it was stopped",
                    limit.as_secs_f64().round()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => break Err(format!("waiting for {cmd:?} failed: {e}")),
        }
    };
    if let Ok(mut r) = RUNNING.lock() {
        r.retain(|&(_, g)| g != group);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_password_command_that_hangs_is_stopped_with_what_it_started() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let cmd = format!("sleep 30 & echo $! > '{}'; wait", pid_file.display());
        let t = std::time::Instant::now();
        let e = run_password_command_within(&cmd, Duration::from_millis(300)).unwrap_err();
        assert!(e.contains("did not finish within"), "{e}");
        assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        // Gone, or a zombie waiting for a parent that reaps it (state Z).
        std::thread::sleep(Duration::from_millis(100));
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim()));
        let alive = stat.is_ok_and(|s| {
            s.rsplit_once(") ")
                .is_some_and(|(_, rest)| !rest.starts_with('Z'))
        });
        assert!(!alive, "the command's own child was left running");
    }
}
