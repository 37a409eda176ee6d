//! `config.toml`: named profiles (where to send, as whom, how long to wait), and the
//! resolver that turns a profile plus the environment and the command line into a
//! [`Profile`] ready to send with.
//!
//! Layering: this module builds the plain data types of [`crate::profile`] ([`Profile`],
//! [`Secret`]); it does not touch the network.
//!
//! The secret comes from, first to last: `RCS_COMPOSER_PASSWORD`, then the profile's one
//! source: `password_env` (a variable's name), `password_command` (run with `sh -c`; the
//! first line it prints) or a plain `password` (warned about when the file is readable by
//! other users).

use crate::profile::{Profile, Secret};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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
        "no config file at {} and no --base-url or {ENV_BASE_URL}: nothing says where to send. \
         Create the file with a profile (see the README), or set {ENV_BASE_URL}, \
         {ENV_USERNAME} and {ENV_PASSWORD}",
        path.display()
    )]
    NoConfig { path: PathBuf },
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
    /// The line of the `[profiles.NAME]` header.
    pub line: usize,
    field_lines: HashMap<&'static str, usize>,
}

impl ProfileConfig {
    /// The line `field` is written on, or the profile's own line.
    pub fn line_of(&self, field: &str) -> usize {
        self.field_lines.get(field).copied().unwrap_or(self.line)
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    default_profile: Option<Spanned<String>>,
    #[serde(default)]
    profiles: BTreeMap<String, Spanned<RawProfile>>,
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
    /// Loads `config.toml` from the config dir. `Ok(None)` when the file does not exist
    /// (the app then starts its own sandbox).
    pub fn load() -> Result<Option<Config>, ConfigError> {
        Self::load_from(&super::paths::config_file())
    }

    /// Loads `path`; `Ok(None)` when it does not exist.
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
        Ok(Some(config))
    }

    /// Parses and checks the text of a config file; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            ConfigError::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
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
    Ok(ProfileConfig {
        name,
        base_url,
        username,
        password: sources.pop().map(|(s, _)| s),
        allow_insecure: allow_insecure.unwrap_or(false),
        connect_timeout,
        timeout,
        sandbox: sandbox.unwrap_or(false),
        line,
        field_lines,
    })
}

/// A base URL must be an absolute http(s) URL with a host and nothing after the path.
pub fn check_base_url(v: &str) -> Result<(), String> {
    let v = v.trim();
    let url = url::Url::parse(v)
        .map_err(|e| format!("{v:?} is not a URL ({e}); write it like https://api.example.com"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "{v:?} uses {}://; write it like https://api.example.com",
            url.scheme()
        ));
    }
    if url.host().is_none() {
        return Err(format!("{v:?} names no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "{v:?} has a ?query or #fragment; give only the API root (the request goes to \
             {{base_url}}/v5/messages)"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "credentials do not belong in base_url; use username and password_env or \
             password_command"
                .into(),
        );
    }
    Ok(())
}

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

/// The environment, captured once so the resolver can be tested without changing the
/// process's own variables.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
}

impl Env {
    pub fn from_process() -> Self {
        Self {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// The value of `name`; an empty value counts as unset.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// Whether to obtain the secret now. `--dry-run` and `--curl` never print it, so they do
/// not run a password command or require the variable to be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretMode {
    Fetch,
    Skip,
}

/// What the command line asks for (`--profile`, `--base-url`).
#[derive(Debug, Clone, Default)]
pub struct Selection<'a> {
    pub profile: Option<&'a str>,
    pub base_url: Option<&'a str>,
}

/// Which profile to send with, as the command line asked for it: the owned form of
/// [`Selection`], which the composer keeps for as long as it runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// `--profile NAME`.
    pub profile: Option<String>,
    /// `--base-url URL`.
    pub base_url: Option<String>,
}

impl Target {
    /// The selection to [`resolve`] with.
    pub fn selection(&self) -> Selection<'_> {
        Selection {
            profile: self.profile.as_deref(),
            base_url: self.base_url.as_deref(),
        }
    }
}

/// A profile ready to send with, and anything the person should be told about it.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub profile: Profile,
    /// E.g. a plain password in a file other users can read.
    pub warnings: Vec<String>,
}

/// Picks the profile (`--profile`, else `default_profile`, else the only one), applies the
/// environment and then the command line on top, checks every value, and (with
/// [`SecretMode::Fetch`]) obtains the secret.
///
/// With no config file (or no profile chosen and none in the file), a profile can still be
/// made entirely from `--base-url`/`RCS_COMPOSER_BASE_URL`, `RCS_COMPOSER_USERNAME` and
/// `RCS_COMPOSER_PASSWORD`; `config_path` is the file that was looked for.
pub fn resolve(
    config: Option<&Config>,
    config_path: &Path,
    selection: &Selection<'_>,
    env: &Env,
    mode: SecretMode,
) -> Result<Resolved, ConfigError> {
    let chosen: Option<&ProfileConfig> = match (config, selection.profile) {
        (Some(c), Some(name)) => {
            Some(c.profile(name).ok_or_else(|| ConfigError::UnknownProfile {
                name: name.to_string(),
                path: Some(c.path.clone()),
                line: None,
                available: c.profile_names(),
                from_default: false,
            })?)
        }
        (None, Some(name)) => {
            return Err(ConfigError::UnknownProfile {
                name: name.to_string(),
                path: None,
                line: None,
                available: Vec::new(),
                from_default: false,
            });
        }
        (Some(c), None) => match c.implicit_profile() {
            Some(name) => c.profile(name),
            None if c.profiles.is_empty() => None,
            None => {
                return Err(ConfigError::NoProfileChosen {
                    path: c.path.clone(),
                    available: c.profile_names(),
                });
            }
        },
        (None, None) => None,
    };
    let path = config
        .map(|c| c.path.clone())
        .unwrap_or_else(|| config_path.to_path_buf());
    let cli_base = selection.base_url.filter(|s| !s.trim().is_empty());
    // The command line beats the environment.
    let base_override = cli_base
        .map(|v| ("--base-url", v))
        .or_else(|| env.get(ENV_BASE_URL).map(|v| (ENV_BASE_URL, v)));

    let Some(p) = chosen else {
        // No profile: everything from the environment and the command line.
        let Some(base) = base_override else {
            return Err(ConfigError::NoConfig { path });
        };
        let who = "the environment";
        let base_url = override_base(base)?;
        let username = env.get(ENV_USERNAME).ok_or_else(|| ConfigError::Missing {
            profile: format!("no profile in {}; using {who}", path.display()),
            field: "username (API key)".into(),
            hint: format!("Set {ENV_USERNAME}, or write a profile in the config file"),
        })?;
        check_username(username).map_err(|m| ConfigError::Override {
            source_name: ENV_USERNAME.into(),
            message: m,
        })?;
        let password = match (mode, env.get(ENV_PASSWORD)) {
            (_, Some(s)) => Secret::new(s),
            (SecretMode::Skip, None) => Secret::default(),
            (SecretMode::Fetch, None) => {
                return Err(ConfigError::Missing {
                    profile: format!("no profile in {}; using {who}", path.display()),
                    field: "password (API secret)".into(),
                    hint: format!("Set {ENV_PASSWORD}, or write a profile in the config file"),
                });
            }
        };
        return Ok(Resolved {
            profile: Profile {
                name: format!("({})", base.0),
                base_url,
                username: username.to_string(),
                password,
                allow_insecure: false,
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                timeout: DEFAULT_TIMEOUT,
                is_sandbox: false,
            },
            warnings: Vec::new(),
        });
    };

    let profile_desc = format!("{}:{}: profile '{}'", path.display(), p.line, p.name);
    let overridden = base_override.is_some();
    let base_url = if let Some(base) = base_override {
        override_base(base)?
    } else {
        p.base_url.clone().ok_or_else(|| ConfigError::Missing {
            profile: profile_desc.clone(),
            field: "base_url".into(),
            hint: format!(
                "Add base_url = \"https://...\" (the API root) to [profiles.{}], or use \
                 --base-url or {ENV_BASE_URL}",
                p.name
            ),
        })?
    };
    let username = match env.get(ENV_USERNAME) {
        Some(u) => {
            check_username(u).map_err(|m| ConfigError::Override {
                source_name: ENV_USERNAME.into(),
                message: m,
            })?;
            u.to_string()
        }
        None => p.username.clone().ok_or_else(|| ConfigError::Missing {
            profile: profile_desc.clone(),
            field: "username (API key)".into(),
            hint: format!(
                "Add username = \"...\" to [profiles.{}], or set {ENV_USERNAME}",
                p.name
            ),
        })?,
    };
    let mut warnings = Vec::new();
    let password = match (env.get(ENV_PASSWORD), &p.password) {
        (Some(s), _) => Secret::new(s),
        (None, None) => {
            if mode == SecretMode::Fetch {
                return Err(ConfigError::Missing {
                    profile: profile_desc,
                    field: "password (API secret)".into(),
                    hint: format!(
                        "Add password_env = \"VARIABLE\" or password_command = \"...\" to \
                         [profiles.{}], or set {ENV_PASSWORD}",
                        p.name
                    ),
                });
            }
            Secret::default()
        }
        (None, Some(source)) => {
            if let PasswordSource::Plain(_) = source
                && config.is_some_and(Config::readable_by_others)
            {
                warnings.push(format!(
                    "{}:{}: profile '{}' keeps its password in plain text in a file other \
                     users can read; run chmod 600 {} or use password_env or \
                     password_command",
                    path.display(),
                    p.line_of("password"),
                    p.name,
                    path.display()
                ));
            }
            match mode {
                SecretMode::Skip => Secret::default(),
                SecretMode::Fetch => {
                    fetch_secret(source, env).map_err(|message| ConfigError::Secret {
                        path: path.clone(),
                        line: p.line_of(source.field()),
                        profile: p.name.clone(),
                        field: source.field().into(),
                        message,
                    })?
                }
            }
        }
    };
    Ok(Resolved {
        profile: Profile {
            name: p.name.clone(),
            base_url,
            username,
            password,
            allow_insecure: p.allow_insecure,
            connect_timeout: p.connect_timeout,
            timeout: p.timeout,
            // A profile whose URL was overridden may point anywhere: never skip confirmation.
            is_sandbox: p.sandbox && !overridden,
        },
        warnings,
    })
}

/// Checks a base URL given by `source_name` (the command line or the environment).
fn override_base((source_name, v): (&str, &str)) -> Result<String, ConfigError> {
    check_base_url(v).map_err(|message| ConfigError::Override {
        source_name: source_name.into(),
        message,
    })?;
    Ok(v.trim().trim_end_matches('/').to_string())
}

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

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/cfg/config.toml"))
    }

    fn sel<'a>(profile: Option<&'a str>, base_url: Option<&'a str>) -> Selection<'a> {
        Selection { profile, base_url }
    }

    fn resolve_with(text: &str, s: &Selection<'_>, env: &Env) -> Result<Resolved, ConfigError> {
        let c = parse(text)?;
        resolve(Some(&c), c.path(), s, env, SecretMode::Fetch)
    }

    #[test]
    fn example_parses_and_resolves() {
        let c = parse(EXAMPLE).unwrap();
        assert_eq!(c.profile_names(), vec!["local", "production"]);
        assert_eq!(c.default_profile(), Some("production"));
        let env = Env::from_pairs([("SANDBOX_SECRET", "sb")]);
        let r = resolve(
            Some(&c),
            c.path(),
            &sel(Some("local"), None),
            &env,
            SecretMode::Fetch,
        )
        .unwrap();
        assert_eq!(r.profile.base_url, "http://127.0.0.1:8642");
        assert_eq!(r.profile.password.expose(), "sb");
        assert!(r.profile.is_sandbox);
        // production uses a password command, which dry runs do not run.
        let r = resolve(Some(&c), c.path(), &sel(None, None), &env, SecretMode::Skip).unwrap();
        assert_eq!(r.profile.name, "production");
        assert_eq!(r.profile.timeout, Duration::from_secs(30));
        assert!(r.profile.password.is_empty());
    }

    #[test]
    fn password_from_env_variable() {
        let text = "[profiles.a]\nbase_url = \"https://h.example/\"\nusername = \"k\"\npassword_env = \"MY_SECRET\"\n";
        let r = resolve_with(
            text,
            &sel(None, None),
            &Env::from_pairs([("MY_SECRET", "v1")]),
        )
        .unwrap();
        assert_eq!(r.profile.password.expose(), "v1");
        assert_eq!(r.profile.base_url, "https://h.example");
        assert_eq!(r.profile.connect_timeout, Duration::from_secs(10));
        let e = resolve_with(text, &sel(None, None), &Env::default()).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("/cfg/config.toml:4")
                && msg.contains("profile 'a'")
                && msg.contains("password_env")
                && msg.contains("MY_SECRET"),
            "{msg}"
        );
    }

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

    #[cfg(unix)]
    #[test]
    fn a_config_that_is_a_pipe_is_refused_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        if !Command::new("mkfifo")
            .arg(&p)
            .status()
            .is_ok_and(|s| s.success())
        {
            return;
        }
        let e = Config::load_from(&p).unwrap_err().to_string();
        assert!(e.contains("not a regular file"), "{e}");
    }

    #[test]
    fn password_from_command_first_line() {
        let text = "[profiles.a]\nbase_url = \"https://h.example\"\nusername = \"k\"\npassword_command = \"printf 'line-one\\\\nline-two\\\\n'\"\n";
        let r = resolve_with(text, &sel(None, None), &Env::default()).unwrap();
        assert_eq!(r.profile.password.expose(), "line-one");

        let failing = "[profiles.a]\nbase_url = \"https://h.example\"\nusername = \"k\"\npassword_command = \"echo locked >&2; exit 3\"\n";
        let msg = resolve_with(failing, &sel(None, None), &Env::default())
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains(":4:") && msg.contains("exit status 3") && msg.contains("locked"),
            "{msg}"
        );

        let empty = "[profiles.a]\nbase_url = \"https://h.example\"\nusername = \"k\"\npassword_command = \"true\"\n";
        let msg = resolve_with(empty, &sel(None, None), &Env::default())
            .unwrap_err()
            .to_string();
        assert!(msg.contains("empty first line"), "{msg}");
    }

    #[test]
    fn env_overrides_beat_the_file_and_cli_beats_env() {
        let text = "[profiles.a]\nbase_url = \"https://file.example\"\nusername = \"filekey\"\npassword = \"filepw\"\nsandbox = true\n";
        let env = Env::from_pairs([
            (ENV_BASE_URL, "https://env.example"),
            (ENV_USERNAME, "envkey"),
            (ENV_PASSWORD, "envpw"),
        ]);
        let r = resolve_with(text, &sel(None, None), &env).unwrap();
        assert_eq!(r.profile.base_url, "https://env.example");
        assert_eq!(r.profile.username, "envkey");
        assert_eq!(r.profile.password.expose(), "envpw");
        assert!(
            !r.profile.is_sandbox,
            "an overridden URL is never the sandbox"
        );
        let r = resolve_with(text, &sel(None, Some("https://cli.example/")), &env).unwrap();
        assert_eq!(r.profile.base_url, "https://cli.example");
        let r = resolve_with(text, &sel(None, None), &Env::default()).unwrap();
        assert_eq!(r.profile.base_url, "https://file.example");
        assert!(r.profile.is_sandbox);
    }

    #[test]
    fn no_config_file_is_distinguishable_and_env_alone_works() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        assert!(Config::load_from(&path).unwrap().is_none());
        let e = resolve(
            None,
            &path,
            &sel(None, None),
            &Env::default(),
            SecretMode::Fetch,
        )
        .unwrap_err();
        assert!(matches!(e, ConfigError::NoConfig { .. }));
        assert!(e.to_string().contains(&path.display().to_string()));
        let env = Env::from_pairs([
            (ENV_BASE_URL, "http://127.0.0.1:9"),
            (ENV_USERNAME, "k"),
            (ENV_PASSWORD, "p"),
        ]);
        let r = resolve(None, &path, &sel(None, None), &env, SecretMode::Fetch).unwrap();
        assert_eq!(r.profile.base_url, "http://127.0.0.1:9");
        let e = resolve(None, &path, &sel(Some("x"), None), &env, SecretMode::Fetch).unwrap_err();
        assert!(e.to_string().contains("no config file"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn plain_password_warns_only_when_others_can_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "[profiles.a]\nbase_url = \"https://h.example\"\nusername = \"k\"\n\npassword = \"plainpw\"\n",
        )
        .unwrap();
        let go = || {
            let c = Config::load_from(&path).unwrap().unwrap();
            resolve(
                Some(&c),
                &path,
                &sel(None, None),
                &Env::default(),
                SecretMode::Fetch,
            )
            .unwrap()
        };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let r = go();
        assert_eq!(r.profile.password.expose(), "plainpw");
        assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
        assert!(r.warnings[0].contains(":5:") && r.warnings[0].contains("chmod 600"));
        assert!(!r.warnings[0].contains("plainpw"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(go().warnings.is_empty());
    }

    #[test]
    fn bad_toml_names_file_and_line() {
        let e =
            parse("default_profile = \"a\"\n\n[profiles.a]\nbase_url = https://x\n").unwrap_err();
        match &e {
            ConfigError::Syntax { line, .. } => assert_eq!(*line, 4, "{e}"),
            other => panic!("{other:?}"),
        }
        assert!(e.to_string().starts_with("/cfg/config.toml:4:"), "{e}");
    }

    #[test]
    fn unknown_fields_and_bad_values_name_line_profile_and_field() {
        let e = parse("[profiles.prod]\nbase_url = \"https://h\"\npasword_env = \"X\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains(":3:") && e.contains("pasword_env"), "{e}");

        let e = parse("[profiles.prod]\n\nbase_url = \"ftp://h\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(":3:") && e.contains("profile 'prod'") && e.contains("base_url"),
            "{e}"
        );

        let e = parse("[profiles.prod]\ntimeout_secs = 0\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains(":2:") && e.contains("timeout_secs"), "{e}");

        let e = parse("[profiles.prod]\npassword_env = \"A\"\npassword = \"b\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("set only one of"), "{e}");

        let e = parse("[profiles.prod]\nusername = \"a:b\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("username") && e.contains("':'"), "{e}");

        let e = parse("default_profile = \"nope\"\n[profiles.prod]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("'nope'") && e.contains("prod"), "{e}");

        let c = parse("[profiles.a]\n[profiles.b]\n").unwrap();
        let e = resolve(
            Some(&c),
            c.path(),
            &sel(None, None),
            &Env::default(),
            SecretMode::Fetch,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("--profile") && e.contains("a, b"), "{e}");

        let e = resolve(
            Some(&c),
            c.path(),
            &sel(Some("a"), None),
            &Env::default(),
            SecretMode::Fetch,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("profile 'a'") && e.contains("base_url"), "{e}");
        assert!(e.starts_with("/cfg/config.toml:1: "), "{e}");
    }

    #[test]
    fn profile_line_is_its_header() {
        let c = parse("# c\n\n[profiles.a]\nusername = \"k\"\n\n[profiles.b]\n").unwrap();
        assert_eq!(c.profile("a").unwrap().line, 3);
        assert_eq!(c.profile("a").unwrap().line_of("username"), 4);
        assert_eq!(c.profile("b").unwrap().line, 6);
    }

    #[test]
    fn fractional_timeouts() {
        let c = parse("[profiles.a]\nconnect_timeout_secs = 0.5\ntimeout_secs = 2\n").unwrap();
        let p = c.profile("a").unwrap();
        assert_eq!(p.connect_timeout, Duration::from_millis(500));
        assert_eq!(p.timeout, Duration::from_secs(2));
    }
}
