//! `config.toml`: named profiles (where to send, as whom, how long to wait), parsed and
//! checked, every problem named by file, line, profile and field.
//!
//! - [`resolve()`](resolve::resolve): a profile plus the environment and the command line
//!   into a [`Profile`](crate::profile::Profile) ready to send with.
//! - [`password`]: obtaining the secret (`password_env`, `password_command`, `password`).
//!
//! Layering: this module builds the plain data types of [`crate::profile`]; it does not
//! touch the network.
//!
//! The secret comes from, first to last: `RCS_COMPOSER_PASSWORD`, then the profile's one
//! source: `password_env` (a variable's name), `password_command` (run with `sh -c`; the
//! first line it prints) or a plain `password` (warned about when the file is readable by
//! other users).

pub mod password;
pub mod resolve;
mod words;

use words::field_error;
pub use words::{PROFILE_KEYS, closest};

pub use password::{PASSWORD_COMMAND_TIMEOUT, PasswordCommands, fetch_secret};
pub use resolve::{Env, Resolved, SecretMode, Target, resolve};

use crate::profile::Secret;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;
use toml::Spanned;

/// Overrides the selected profile's `base_url`.
pub const ENV_BASE_URL: &str = "RCS_COMPOSER_BASE_URL";
/// Overrides the selected profile's `username`.
pub const ENV_USERNAME: &str = "RCS_COMPOSER_USERNAME";
/// Overrides the selected profile's password source.
pub const ENV_PASSWORD: &str = "RCS_COMPOSER_PASSWORD";

pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Timeouts longer than this are surely a typo (a day).
const MAX_TIMEOUT_SECS: f64 = 86_400.0;

/// A complete example, shown in the docs and checked by a test.
pub const EXAMPLE: &str = r#"# ~/.config/rcs-composer/config.toml
# The profile used when --profile is not given.
default_profile = "production"
# The composer checks every media URL in the background and draws the pictures in its
# preview; false turns either off.
media_check = true
images = true

[profiles.production]
# The API root: requests go to {base_url}/v5/messages. The vendor publishes no v5 base
# URL in its documentation; use the one from your account manager or vendor portal.
base_url = "https://api.example.com"
# The API key.
username = "my-api-key"
# The API secret: the first line this command prints (here from the `pass` password
# manager). Alternatives: password_env = "AERIALINK_SECRET" (a variable's name), or
# password = "..." (plain text: keep this file chmod 600).
password_command = "pass show aerialink/api-secret"
# Seconds to wait for the connection, and for the whole request.
connect_timeout_secs = 10
timeout_secs = 30
# What a new draft (Ctrl-N) starts with, instead of the last draft's.
default_source = "CONVEY"
default_destination = "15559876543"
# Hosts the media check and the preview never contact (nor the hosts below them).
private_hosts = ["intranet.example"]

[profiles.local]
# `rcs-composer sandbox` on this machine; nothing is delivered.
base_url = "http://127.0.0.1:8642"
username = "sandbox"
password_env = "SANDBOX_SECRET"
sandbox = true
"#;

/// Why a configuration could not be used. Every variant names the file, and where it can,
/// the line, the profile and the field.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },

    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{}:{line}: profile '{profile}': {field}: {message}", path.display())]
    Field {
        path: PathBuf,
        line: usize,
        profile: String,
        field: String,
        message: String,
    },

    #[error("{}", unknown_profile_text(name, path.as_deref(), available, *from_default))]
    UnknownProfile {
        name: String,
        path: Option<PathBuf>,
        /// The line of `default_profile` when that is where the name came from.
        line: Option<usize>,
        available: Vec<String>,
        from_default: bool,
    },

    #[error(
        "{} has {} profiles ({}) and no default_profile: choose one with --profile NAME, or set default_profile",
        path.display(), available.len(), available.join(", ")
    )]
    NoProfileChosen {
        path: PathBuf,
        available: Vec<String>,
    },

    /// A value needed to send is set nowhere.
    #[error("{profile}: no {field} is set. {hint}")]
    Missing {
        /// `profile 'NAME' in PATH`, or where the ad-hoc profile came from.
        profile: String,
        field: String,
        hint: String,
    },

    /// A value from the environment or the command line is unusable.
    #[error("{source_name}: {message}")]
    Override {
        source_name: String,
        message: String,
    },

    /// The secret could not be obtained from its source.
    #[error("{}:{line}: profile '{profile}': {field}: {message}", path.display())]
    Secret {
        path: PathBuf,
        line: usize,
        profile: String,
        field: String,
        message: String,
    },

    /// No config file, and nothing in the environment or on the command line says where to
    /// send.
    #[error(
        "nothing says where to send: there is no config file at {}, and neither --base-url \
         nor {ENV_BASE_URL} is set. To try it without an account, use --sandbox (a local \
         sandbox; nothing is delivered). To send for real, write a profile in that file (see \
         the README), or set {ENV_BASE_URL}, {ENV_USERNAME} and {ENV_PASSWORD}",
        path.display()
    )]
    NoConfig { path: PathBuf },

    /// The config file exists but defines no profile, and nothing else says where to send.
    #[error(
        "{} defines no profile, and neither --base-url nor {ENV_BASE_URL} is set: add a \
         [profiles.NAME] table with base_url, username and password_env (see the README), \
         or use --sandbox to try a local sandbox",
        path.display()
    )]
    NoProfiles { path: PathBuf },

    /// A profile made from the environment lacks a value.
    #[error("{from} says where to send (no profile is used), but {missing} is not set: {hint}")]
    EnvIncomplete {
        /// `RCS_COMPOSER_BASE_URL` or `--base-url`.
        from: String,
        missing: &'static str,
        hint: String,
    },
}

fn unknown_profile_text(
    name: &str,
    path: Option<&Path>,
    available: &[String],
    from_default: bool,
) -> String {
    let whence = if from_default {
        "default_profile names"
    } else {
        "there is no"
    };
    match path {
        None => format!(
            "there is no profile '{name}': no config file exists yet (see the README for one)"
        ),
        Some(p) if available.is_empty() => {
            format!(
                "{}: {whence} profile '{name}', and the file defines no profiles",
                p.display()
            )
        }
        Some(p) => format!(
            "{}: {whence} profile '{name}'{}; the profiles are: {}",
            p.display(),
            if from_default {
                ", which is not defined"
            } else {
                ""
            },
            available.join(", ")
        ),
    }
}

/// Where the secret of a profile comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    /// The name of an environment variable.
    Env(String),
    /// A shell command (`sh -c`); its first output line is the secret.
    Command(String),
    /// The secret itself, written in the file.
    Plain(Secret),
}

impl PasswordSource {
    /// The config key this source is written under.
    pub fn field(&self) -> &'static str {
        match self {
            PasswordSource::Env(_) => "password_env",
            PasswordSource::Command(_) => "password_command",
            PasswordSource::Plain(_) => "password",
        }
    }
}

/// One `[profiles.NAME]` table, checked but not yet resolved.
#[derive(Debug, Clone)]
pub struct ProfileConfig {
    pub name: String,
    pub base_url: Option<String>,
    pub username: Option<String>,
    pub password: Option<PasswordSource>,
    pub allow_insecure: bool,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    /// The profile points at the local sandbox: nothing is delivered, no confirmation.
    pub sandbox: bool,
    /// What a new draft's `source` and `destination` start as (Ctrl-N in the composer).
    pub default_source: Option<String>,
    pub default_destination: Option<String>,
    /// Hosts the composer's media check and image previews never contact (and the hosts
    /// below them): an intranet's media server.
    pub private_hosts: Vec<String>,
    /// Extra certificate authorities to trust (a path relative to the config file's folder).
    pub ca_file: Option<PathBuf>,
    /// The line of the `[profiles.NAME]` header.
    pub line: usize,
    field_lines: HashMap<&'static str, usize>,
}

impl ProfileConfig {
    /// The line `field` is written on, or the profile's own line.
    pub fn line_of(&self, field: &str) -> usize {
        self.field_lines.get(field).copied().unwrap_or(self.line)
    }

    /// Each key written in the profile and its line.
    pub fn lines(&self) -> Vec<(String, usize)> {
        let mut v: Vec<_> = self
            .field_lines
            .iter()
            .map(|(k, l)| (k.to_string(), *l))
            .collect();
        v.sort();
        v
    }
}

/// A parsed, checked `config.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    path: PathBuf,
    default_profile: Option<(String, usize)>,
    profiles: BTreeMap<String, ProfileConfig>,
    /// The file can be read by its group or by everyone.
    readable_by_others: bool,
    /// `media_check = false`: the composer checks no media URL.
    pub media_check: bool,
    /// `images = false`: the composer's preview draws no pictures.
    pub images: bool,
    /// Who else can change the file (its group, everyone, or anyone who can write its
    /// folder), when someone can: a `password_command` in it is then not run.
    writable_by_others: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    default_profile: Option<Spanned<String>>,
    #[serde(default)]
    profiles: BTreeMap<String, Spanned<RawProfile>>,
    media_check: Option<bool>,
    images: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    base_url: Option<Spanned<String>>,
    username: Option<Spanned<String>>,
    password: Option<Spanned<String>>,
    password_env: Option<Spanned<String>>,
    password_command: Option<Spanned<String>>,
    allow_insecure: Option<Spanned<bool>>,
    connect_timeout_secs: Option<Spanned<f64>>,
    timeout_secs: Option<Spanned<f64>>,
    sandbox: Option<Spanned<bool>>,
    default_source: Option<Spanned<String>>,
    default_destination: Option<Spanned<String>>,
    private_hosts: Option<Vec<String>>,
    ca_file: Option<Spanned<String>>,
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

impl Config {
    /// Loads `path` (the app reads `paths::config_file()`); `Ok(None)` when it does not
    /// exist, and the app then starts its own sandbox.
    pub fn load_from(path: &Path) -> Result<Option<Config>, ConfigError> {
        // A regular file only (a FIFO would hang the start), and at most 1 MB.
        let read = || -> std::io::Result<Vec<u8>> {
            if std::fs::metadata(path)?.is_file() {
                super::read_capped(std::fs::File::open(path)?, 1024 * 1024)
            } else if path.is_dir() {
                Err(std::io::Error::new(
                    std::io::ErrorKind::IsADirectory,
                    "it is a folder",
                ))
            } else {
                Err(std::io::Error::other("it is not a regular file"))
            }
        };
        let bytes = match read() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    reason: match e.kind() {
                        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
                        std::io::ErrorKind::IsADirectory => "it is a folder".into(),
                        _ => e.to_string(),
                    },
                });
            }
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            let (line, column) = line_col(
                &String::from_utf8_lossy(e.as_bytes()),
                e.utf8_error().valid_up_to(),
            );
            ConfigError::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message: "the file is not valid UTF-8".into(),
            }
        })?;
        let mut config = Self::parse(&text, path)?;
        config.readable_by_others = readable_by_others(path);
        config.writable_by_others = writable_by_others(path);
        Ok(Some(config))
    }

    /// Parses and checks the text of a config file; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            let message = e.message().trim().to_string();
            field_error(text, path, line, &message).unwrap_or_else(|| {
                let message = match message.strip_prefix("unknown field `") {
                    Some(rest) => format!(
                        "unknown key {}: the top level holds default_profile and \
                         [profiles.NAME] tables",
                        rest.split('`').next().unwrap_or(rest)
                    ),
                    None => message,
                };
                ConfigError::Syntax {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message,
                }
            })
        })?;
        let mut profiles = BTreeMap::new();
        for (name, spanned) in raw.profiles {
            let line = line_col(text, spanned.span().start).0;
            let p = check_profile(name.clone(), spanned.into_inner(), line, text, path)?;
            profiles.insert(name, p);
        }
        let default_profile = match raw.default_profile {
            None => None,
            Some(d) => {
                let line = line_col(text, d.span().start).0;
                let name = d.into_inner();
                if !profiles.contains_key(&name) {
                    return Err(ConfigError::UnknownProfile {
                        name,
                        path: Some(path.to_path_buf()),
                        line: Some(line),
                        available: profiles.keys().cloned().collect(),
                        from_default: true,
                    });
                }
                Some((name, line))
            }
        };
        Ok(Config {
            path: path.to_path_buf(),
            default_profile,
            profiles,
            readable_by_others: false,
            media_check: raw.media_check.unwrap_or(true),
            images: raw.images.unwrap_or(true),
            writable_by_others: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The profile names, sorted, for a picker.
    pub fn profile_names(&self) -> Vec<String> {
        self.profiles.keys().cloned().collect()
    }

    pub fn profile(&self, name: &str) -> Option<&ProfileConfig> {
        self.profiles.get(name)
    }

    /// `default_profile`, when set.
    pub fn default_profile(&self) -> Option<&str> {
        self.default_profile.as_ref().map(|(n, _)| n.as_str())
    }

    /// The profile used when none is named: `default_profile`, or the only profile.
    pub fn implicit_profile(&self) -> Option<&str> {
        self.default_profile().or_else(|| {
            if self.profiles.len() == 1 {
                self.profiles.keys().next().map(String::as_str)
            } else {
                None
            }
        })
    }

    /// True when the file can be read by its group or by everyone (Unix).
    pub fn readable_by_others(&self) -> bool {
        self.readable_by_others
    }

    /// Who else can change the file, in words (`its group`, `everyone`, `everyone who can
    /// write /etc/x`), when someone can (Unix).
    pub fn writable_by_others(&self) -> Option<&str> {
        self.writable_by_others.as_deref()
    }
}

/// Who besides its owner can change the file at `path`: its group or everyone by its mode,
/// or whoever can write its folder (and so replace it) when the folder is group- or
/// world-writable without the sticky bit.
#[cfg(unix)]
fn writable_by_others(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    if mode & 0o002 != 0 {
        return Some("everyone".into());
    }
    if mode & 0o020 != 0 {
        return Some("its group".into());
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty())?;
    let dmode = std::fs::metadata(dir).ok()?.permissions().mode();
    let sticky = dmode & 0o1000 != 0;
    if !sticky && dmode & 0o022 != 0 {
        let who = if dmode & 0o002 != 0 {
            "everyone"
        } else {
            "the group"
        };
        return Some(format!("{who} (its folder {} is writable)", dir.display()));
    }
    None
}

#[cfg(not(unix))]
fn writable_by_others(_path: &Path) -> Option<String> {
    None
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o044 != 0)
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> bool {
    false
}

fn check_profile(
    name: String,
    raw: RawProfile,
    line: usize,
    text: &str,
    path: &Path,
) -> Result<ProfileConfig, ConfigError> {
    let mut field_lines = HashMap::new();
    let mut at = |field: &'static str, span: std::ops::Range<usize>| {
        let l = line_col(text, span.start).0;
        field_lines.insert(field, l);
        l
    };
    let field_err = |field: &str, line: usize, message: String| ConfigError::Field {
        path: path.to_path_buf(),
        line,
        profile: name.clone(),
        field: field.to_string(),
        message,
    };

    let base_url = match raw.base_url {
        None => None,
        Some(s) => {
            let l = at("base_url", s.span());
            let v = s.into_inner();
            check_base_url(&v).map_err(|m| field_err("base_url", l, m))?;
            Some(v.trim().trim_end_matches('/').to_string())
        }
    };
    let username = match raw.username {
        None => None,
        Some(s) => {
            let l = at("username", s.span());
            let v = s.into_inner();
            check_username(&v).map_err(|m| field_err("username", l, m))?;
            Some(v)
        }
    };
    let mut sources = Vec::new();
    if let Some(s) = raw.password_env {
        let l = at("password_env", s.span());
        let v = s.into_inner();
        if v.is_empty() || v.contains('=') || v.contains('\0') {
            return Err(field_err(
                "password_env",
                l,
                format!("{v:?} is not an environment variable name"),
            ));
        }
        sources.push((PasswordSource::Env(v), l));
    }
    if let Some(s) = raw.password_command {
        let l = at("password_command", s.span());
        let v = s.into_inner();
        if v.trim().is_empty() {
            return Err(field_err(
                "password_command",
                l,
                "the command is empty".into(),
            ));
        }
        sources.push((PasswordSource::Command(v), l));
    }
    if let Some(s) = raw.password {
        let l = at("password", s.span());
        let v = s.into_inner();
        if v.is_empty() {
            return Err(field_err("password", l, "the password is empty".into()));
        }
        sources.push((PasswordSource::Plain(Secret::new(v)), l));
    }
    if sources.len() > 1 {
        let names: Vec<_> = sources.iter().map(|(s, _)| s.field()).collect();
        return Err(field_err(
            names[1],
            sources[1].1,
            format!("set only one of {}", names.join(", ")),
        ));
    }
    let mut timeout = |field: &'static str, v: Option<Spanned<f64>>, default: Duration| match v {
        None => Ok(default),
        Some(s) => {
            let l = at(field, s.span());
            let secs = s.into_inner();
            if !(secs.is_finite() && secs > 0.0 && secs <= MAX_TIMEOUT_SECS) {
                return Err(field_err(
                    field,
                    l,
                    format!("{secs} is not a number of seconds between 0 and {MAX_TIMEOUT_SECS}"),
                ));
            }
            Ok(Duration::from_secs_f64(secs))
        }
    };
    let connect_timeout = timeout(
        "connect_timeout_secs",
        raw.connect_timeout_secs,
        DEFAULT_CONNECT_TIMEOUT,
    )?;
    let timeout = timeout("timeout_secs", raw.timeout_secs, DEFAULT_TIMEOUT)?;
    let allow_insecure = raw.allow_insecure.map(|s| {
        at("allow_insecure", s.span());
        s.into_inner()
    });
    let sandbox = raw.sandbox.map(|s| {
        at("sandbox", s.span());
        s.into_inner()
    });
    let default_source = raw.default_source.map(|s| {
        at("default_source", s.span());
        s.into_inner()
    });
    let default_destination = raw.default_destination.map(|s| {
        at("default_destination", s.span());
        s.into_inner()
    });
    let ca_file = match raw.ca_file {
        None => None,
        Some(s) => {
            let l = at("ca_file", s.span());
            let v = s.into_inner();
            if v.trim().is_empty() {
                return Err(field_err("ca_file", l, "the path is empty".into()));
            }
            let p = PathBuf::from(v.trim());
            Some(match path.parent() {
                Some(dir) if p.is_relative() => dir.join(p),
                _ => p,
            })
        }
    };
    Ok(ProfileConfig {
        name,
        base_url,
        username,
        password: sources.pop().map(|(s, _)| s),
        allow_insecure: allow_insecure.unwrap_or(false),
        connect_timeout,
        timeout,
        sandbox: sandbox.unwrap_or(false),
        default_source,
        default_destination,
        private_hosts: raw.private_hosts.unwrap_or_default(),
        ca_file,
        line,
        field_lines,
    })
}

pub use crate::profile::check_base_url;

/// A Basic-auth user may not contain `:` or control characters.
fn check_username(v: &str) -> Result<(), String> {
    if v.is_empty() {
        return Err("the API key is empty".into());
    }
    if v.contains(':') {
        return Err("the API key cannot contain ':' (HTTP Basic auth separates on it)".into());
    }
    if v.chars().any(char::is_control) {
        return Err("the API key contains a control character".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests;
