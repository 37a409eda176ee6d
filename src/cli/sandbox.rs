//! `rcs-composer sandbox` and `rcs-composer listen`: the sandbox and the callback listener as
//! commands, printing one line per request or update until Ctrl-C.

use super::{ListenArgs, SandboxArgs};
use crate::sandbox::{self, DeliveryUpdate, LogSink, SandboxConfig};
use crate::text::visible;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// `eprintln!` without its panic when standard error is closed.
macro_rules! warn {
    ($($arg:tt)*) => {{
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, $($arg)*);
    }};
}

pub fn run_sandbox(args: &SandboxArgs) -> ExitCode {
    match runtime() {
        Ok(rt) => rt.block_on(sandbox_main(args)),
        Err(e) => {
            warn!("rcs-composer sandbox: cannot start the async runtime: {e}");
            ExitCode::from(2)
        }
    }
}

pub fn run_listen(args: &ListenArgs) -> ExitCode {
    match runtime() {
        Ok(rt) => rt.block_on(listen_main(args)),
        Err(e) => {
            warn!("rcs-composer listen: cannot start the async runtime: {e}");
            ExitCode::from(2)
        }
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// Writes one line to stdout; a closed stdout (`| head`) is not worth a panic.
fn out(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}");
    let _ = stdout.flush();
}

/// Credentials the user typed, checked for what HTTP Basic auth can carry.
fn given_credentials(args: &SandboxArgs) -> Result<Option<(String, String)>, String> {
    match (&args.username, &args.password) {
        (Some(u), Some(p)) => {
            if u.is_empty() {
                Err("--username must not be empty".into())
            } else if u.contains(':') {
                Err("--username must not contain ':' (HTTP Basic auth cannot carry it)".into())
            } else if p.is_empty() {
                Err("--password must not be empty".into())
            } else {
                Ok(Some((u.clone(), p.clone())))
            }
        }
        // clap makes each require the other; this is the no-credentials case.
        _ => Ok(None),
    }
}

/// The message for a failed bind, naming the address.
fn bind_error(command: &str, addr: &str, e: &std::io::Error) -> String {
    let addr = visible(addr);
    match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "rcs-composer {command}: cannot listen on {addr}: the address is already in use \
             (another {command} may be running there; choose another with --listen)"
        ),
        std::io::ErrorKind::PermissionDenied => format!(
            "rcs-composer {command}: cannot listen on {addr}: permission denied \
             (ports below 1024 need privileges; choose another with --listen)"
        ),
        _ => format!("rcs-composer {command}: cannot listen on {addr}: {e}"),
    }
}

async fn sandbox_main(args: &SandboxArgs) -> ExitCode {
    let given = match given_credentials(args) {
        Ok(g) => g,
        Err(e) => {
            warn!("rcs-composer sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    let generated = given.is_none();
    let (username, password) = given.unwrap_or_else(sandbox::fresh_credentials);
    let config = SandboxConfig {
        username,
        password,
        latency: Duration::from_millis(args.latency),
        allow_remote_callbacks: args.allow_remote_callbacks,
        ..SandboxConfig::with_fresh_credentials()
    };
    // Watch for Ctrl-C before saying we are ready, so a Ctrl-C right after the banner is ours.
    let mut stop = match StopSignal::new() {
        Ok(s) => s,
        Err(e) => {
            warn!("rcs-composer sandbox: cannot watch for Ctrl-C: {e}");
            return ExitCode::from(2);
        }
    };
    let sink: LogSink = Arc::new(|event| out(&event.to_string()));
    let running = match sandbox::start_with_log(config, &args.listen, sink).await {
        Ok(r) => r,
        Err(e) => {
            warn!("{}", bind_error("sandbox", &args.listen, &e));
            return ExitCode::from(2);
        }
    };
    let base = running.base_url();
    out(&format!(
        "rcs-composer sandbox: serving the v5 Messages API on {base} (nothing is delivered)"
    ));
    out(&format!("  endpoint:   POST {base}/v5/messages"));
    out(&format!("  API key:    {}", running.username));
    if generated {
        out(&format!(
            "  API secret: {} (fresh for this run)",
            running.password
        ));
    } else {
        out("  API secret: the one given with --password");
    }
    if !running.addr.ip().is_loopback() {
        warn!(
            "rcs-composer sandbox: warning: {} is not a loopback address; anyone who can \
             reach it can use this sandbox",
            running.addr
        );
    }
    out("");
    for line in profile_snippet(&base, &running.username) {
        out(&line);
    }
    out(&format!(
        "and, in the shell you send from: export {SNIPPET_SECRET_VAR}={}",
        if generated {
            shell_quoted(&running.password)
        } else {
            "'<your --password>'".to_string()
        }
    ));
    out("");
    out(
        "Press Ctrl-C to stop. One line per request: time, status, method, path, message type, destination, messageGUID.",
    );
    stop.wait().await;
    running.shutdown().await;
    warn!("rcs-composer sandbox: stopped");
    ExitCode::SUCCESS
}

/// The variable the printed profile reads its secret from.
pub const SNIPPET_SECRET_VAR: &str = "RCS_COMPOSER_SANDBOX_SECRET";
/// The printed profile's name: not `sandbox`, the composer's own.
pub const SNIPPET_PROFILE: &str = "local";

/// A working profile for this sandbox: `sandbox = true` (no confirmation, nothing
/// delivered) and the secret from a variable, not written in the file.
pub fn profile_snippet(base_url: &str, username: &str) -> Vec<String> {
    vec![
        "A profile for config.toml (then: rcs-composer send --profile local FILE):".into(),
        String::new(),
        format!("[profiles.{SNIPPET_PROFILE}]"),
        format!("base_url = {}", toml_string(base_url)),
        format!("username = {}", toml_string(username)),
        format!("password_env = \"{SNIPPET_SECRET_VAR}\""),
        "sandbox = true".into(),
        String::new(),
    ]
}

/// `s` in single quotes for a POSIX shell.
fn shell_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r#"'\''"#))
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

async fn listen_main(args: &ListenArgs) -> ExitCode {
    let mut stop = match StopSignal::new() {
        Ok(s) => s,
        Err(e) => {
            warn!("rcs-composer listen: cannot watch for Ctrl-C: {e}");
            return ExitCode::from(2);
        }
    };
    let on_reject: sandbox::log::RejectSink = Arc::new(|what| {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(
            stderr,
            "rcs-composer listen: refused: {}",
            sandbox::log::shown_line(&what)
        );
    });
    let mut listener = match sandbox::start_listener_with_log(&args.listen, on_reject).await {
        Ok(l) => l,
        Err(e) => {
            warn!("{}", bind_error("listen", &args.listen, &e));
            return ExitCode::from(2);
        }
    };
    out(&format!(
        "rcs-composer listen: receiving delivery callbacks on http://{} (POST JSON, any path)",
        listener.addr
    ));
    out(&format!(
        "  callbackURL: {}   Press Ctrl-C to stop.",
        listener.callback_url()
    ));
    loop {
        tokio::select! {
            update = listener.updates.recv() => match update {
                Some(u) => out(&update_line(&u)),
                None => break,
            },
            _ = stop.wait() => break,
        }
    }
    listener.shutdown().await;
    warn!("rcs-composer listen: stopped");
    ExitCode::SUCCESS
}

/// One update on one line: `TIMESTAMP GUID DESTINATION STATUS CHANNEL[ error: …]`, every
/// received string with its control characters made visible.
pub fn update_line(u: &DeliveryUpdate) -> String {
    let one = sandbox::log::shown_line;
    let mut line = format!(
        "{} {} {} {} {}",
        one(&u.timestamp),
        one(&u.message_guid),
        one(&u.destination),
        one(&u.status),
        one(&u.channel),
    );
    if let Some(e) = &u.error {
        line.push_str(" error: ");
        line.push_str(&one(e));
    }
    line
}

/// Ctrl-C, and on Unix also SIGTERM, registered at creation.
struct StopSignal {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl StopSignal {
    fn new() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                int: signal(SignalKind::interrupt())?,
                term: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Self {})
        }
    }

    async fn wait(&mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.int.recv() => {}
                _ = self.term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_is_one_visible_line() {
        let line = update_line(&DeliveryUpdate {
            message_guid: "g-1".into(),
            destination: "1555\x1b[31m\n".into(),
            status: "failed".into(),
            channel: "RCS".into(),
            timestamp: "2026-11-27T12:00:00.000Z".into(),
            error: Some("no\nroute".into()),
        });
        assert_eq!(
            line,
            "2026-11-27T12:00:00.000Z g-1 1555␛[31m␊ failed RCS error: no␊route"
        );
    }

    #[test]
    fn bind_errors_name_the_address() {
        let e = std::io::Error::from(std::io::ErrorKind::AddrInUse);
        let m = bind_error("sandbox", "127.0.0.1:8642", &e);
        assert!(m.contains("cannot listen on 127.0.0.1:8642"), "{m}");
        assert!(m.contains("already in use"), "{m}");
    }

    #[test]
    fn toml_strings_read_back_as_given() {
        for s in ["sandbox-1a2b", "a\"b'c\\d", "ünï"] {
            let table: toml::Table = toml::from_str(&format!("x = {}", toml_string(s))).unwrap();
            assert_eq!(table["x"].as_str(), Some(s));
        }
    }
}
