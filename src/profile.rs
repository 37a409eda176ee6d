//! Profiles and secrets as plain data: where to send, as whom, and how long to wait. The
//! config file resolves into a [`Profile`], the client sends with one, the history names
//! it, and the sandbox makes one for itself.
//!
//! Layering: plain data; no internal imports.

use std::path::PathBuf;
use std::time::Duration;

/// The API secret. Never printed, logged or written: `Debug` and `Display` show `***`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    /// The secret itself, for the Authorization header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// A profile resolved for sending: where, who, and how long to wait.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    /// The API root; the request goes to `{base_url}/v5/messages`.
    pub base_url: String,
    /// The API key.
    pub username: String,
    pub password: Secret,
    /// Allows Basic auth over plain http to a host other than loopback.
    pub allow_insecure: bool,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    /// True for the local sandbox: nothing is delivered, no confirmation is asked.
    pub is_sandbox: bool,
    /// A PEM file of extra certificate authorities to trust (`ca_file`, `--cacert`).
    pub ca_file: Option<PathBuf>,
    /// Where each value came from, for the request line, messages and `--curl`.
    pub origin: Origin,
}

/// Where one value of a profile came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Source {
    /// The config file's profile (see [`Origin::file`]).
    #[default]
    Profile,
    /// A command-line option, e.g. `--base-url`.
    Flag(&'static str),
    /// An environment variable, e.g. `RCS_COMPOSER_BASE_URL`.
    Env(&'static str),
    /// Made by this program (the in-process sandbox, a test).
    BuiltIn,
}

/// Where the secret comes from, so that `--curl` can fetch it the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SecretSource {
    /// Nothing is known (a profile made in code): `$RCS_COMPOSER_PASSWORD`.
    #[default]
    Unknown,
    /// An environment variable: the profile's `password_env`, or `RCS_COMPOSER_PASSWORD`.
    Env(String),
    /// The profile's `password_command`; its first line is the secret.
    Command(String),
    /// Written in the config file.
    Plain,
}

/// Where a profile's values came from: the file and lines, or the options and variables
/// that overrode them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The config file and the line of `[profiles.NAME]`, for a profile of the file.
    pub file: Option<(PathBuf, usize)>,
    /// The line of each key written in the profile.
    pub lines: Vec<(String, usize)>,
    pub base_url: Source,
    pub username: Source,
    pub secret: SecretSource,
}

impl Origin {
    /// Everything made by this program.
    pub fn built_in() -> Self {
        Origin {
            base_url: Source::BuiltIn,
            username: Source::BuiltIn,
            ..Origin::default()
        }
    }

    /// `FILE:LINE: profile 'NAME': KEY` for a key of the file's profile (its header's line
    /// when the key is not written), or `profile 'NAME': KEY` for one made elsewhere.
    pub fn at(&self, profile: &str, key: &str) -> String {
        match self.line_of(key) {
            Some((path, line)) => {
                format!("{}:{line}: profile '{profile}': {key}", path.display())
            }
            None => format!("profile '{profile}': {key}"),
        }
    }

    /// The file and line where `key` is written (its profile header's line when it is not),
    /// for a profile read from a file.
    fn line_of(&self, key: &str) -> Option<(&std::path::Path, usize)> {
        let (path, header) = self.file.as_ref()?;
        let line = self
            .lines
            .iter()
            .find(|(k, _)| k == key)
            .map_or(*header, |(_, l)| *l);
        Some((path.as_path(), line))
    }

    /// Where a value came from, in words: `--base-url`, `RCS_COMPOSER_BASE_URL`,
    /// `config.toml:4`, `the built-in sandbox`.
    pub fn describe(&self, s: &Source, key: &str) -> String {
        match s {
            Source::Flag(f) => (*f).to_string(),
            Source::Env(v) => (*v).to_string(),
            Source::BuiltIn => "this program".to_string(),
            Source::Profile => match self.line_of(key) {
                Some((path, line)) => format!("{}:{line}", path.display()),
                None => "the profile".to_string(),
            },
        }
    }
}

impl Profile {
    /// `{base_url}/v5/messages`, the one URL this client posts to.
    pub fn messages_url(&self) -> String {
        format!("{}/v5/messages", self.base_url.trim_end_matches('/'))
    }

    /// Where the URL and the user came from, for the request line: `URL and user from
    /// config.toml`, or each named (`URL from --base-url, user from config.toml:5`).
    pub fn origin_text(&self) -> String {
        let o = &self.origin;
        let url = o.describe(&o.base_url, "base_url");
        let user = o.describe(&o.username, "username");
        let file_only = |s: &Source| matches!(s, Source::Profile) && o.file.is_some();
        let in_code = |s: &Source| *s == Source::Profile && o.file.is_none();
        if file_only(&o.base_url) && file_only(&o.username) {
            let path = o.file.as_ref().map(|(p, _)| p.display().to_string());
            format!("URL and user from {}", path.unwrap_or_default())
        } else if o.base_url == Source::BuiltIn && o.username == Source::BuiltIn {
            "a sandbox inside this program".to_string()
        } else if in_code(&o.base_url) && in_code(&o.username) {
            // A profile made in code says nothing about where it came from.
            String::new()
        } else {
            format!("URL from {url}, user from {user}")
        }
    }
}

/// A base URL must be an absolute http(s) URL with a host, without credentials, a query or
/// the endpoint itself (`/v5/messages` is added to it). The message says what to write.
pub fn check_base_url(v: &str) -> Result<(), String> {
    let v = v.trim();
    if !v.contains("://") {
        let host = v.trim_start_matches('/');
        return Err(format!(
            "{v:?} has no scheme: add http:// (this machine) or https://, as in \
             base_url = \"http://{host}\""
        ));
    }
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
    let path = url.path().trim_end_matches('/');
    for end in ["/v5/messages", "/v5"] {
        if let Some(root) = path.strip_suffix(end) {
            let mut right = url.clone();
            right.set_path(root);
            let right = right.as_str().trim_end_matches('/').to_string();
            return Err(format!(
                "{v:?} includes the endpoint ({end}), which is added to it: the request would \
                 go to {right}{end}/v5/messages. Write base_url = \"{right}\""
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints() {
        let p = Profile {
            name: "p".into(),
            base_url: "https://x".into(),
            username: "u".into(),
            password: Secret::new("hunter2"),
            allow_insecure: false,
            connect_timeout: Duration::from_secs(1),
            timeout: Duration::from_secs(1),
            is_sandbox: false,
            ca_file: None,
            origin: Origin::default(),
        };
        let shown = format!("{p:?} {}", p.password);
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
