//! Profile resolution: which profile (`--profile`, else `default_profile`, else the only
//! one), then the environment and the command line on top, every value checked, and the
//! secret obtained when it is needed.

use super::password::{PasswordCommands, fetch_secret};
use super::{
    Config, ConfigError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, ENV_BASE_URL, ENV_PASSWORD,
    ENV_USERNAME, PasswordSource, ProfileConfig, check_base_url, check_username,
};
use crate::profile::{Origin, Profile, Secret, SecretSource, Source};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
#[derive(Debug, Clone, Copy)]
pub enum SecretMode<'a> {
    /// Obtain it; a password command is listed in these while it runs.
    Fetch(&'a PasswordCommands),
    Skip,
}

/// What the command line asks for: the profile, and values that beat the profile's and the
/// environment's. The composer keeps it for as long as it runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Target {
    /// `--profile NAME`.
    pub profile: Option<String>,
    /// `--base-url URL`.
    pub base_url: Option<String>,
    /// `--allow-insecure`: Basic auth over plain http to another host is allowed.
    pub allow_insecure: bool,
    /// `--cacert FILE`.
    pub ca_file: Option<PathBuf>,
    /// `--timeout SECS`.
    pub timeout: Option<Duration>,
    /// `--connect-timeout SECS`.
    pub connect_timeout: Option<Duration>,
}

impl Target {
    /// Only `--profile NAME` (or none).
    pub fn profile(name: Option<&str>) -> Self {
        Target {
            profile: name.map(str::to_string),
            ..Target::default()
        }
    }
}

/// A profile ready to send with, and anything the person should be told about it.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub profile: Profile,
    /// E.g. a plain password in a file other users can read, or a variable not used.
    pub warnings: Vec<String>,
}

/// Picks the profile (`--profile`, else `default_profile`, else the only one) and fills in
/// its values, each from the first that sets it:
///
/// 1. the command line (`--base-url`, `--timeout`, `--connect-timeout`, `--cacert`,
///    `--allow-insecure`);
/// 2. with `--profile NAME` (an explicit choice), the profile, then the environment
///    (`RCS_COMPOSER_BASE_URL`, `RCS_COMPOSER_USERNAME`, `RCS_COMPOSER_PASSWORD`);
/// 3. without it, the environment, then the profile the file chose.
///
/// Every value is checked, and (with [`SecretMode::Fetch`]) the secret obtained. With no
/// config file (or no profile in it), a profile can still be made entirely from
/// `--base-url`/`RCS_COMPOSER_BASE_URL`, `RCS_COMPOSER_USERNAME` and `RCS_COMPOSER_PASSWORD`;
/// `config_path` is the file that was looked for.
pub fn resolve(
    config: Option<&Config>,
    config_path: &Path,
    target: &Target,
    env: &Env,
    mode: SecretMode<'_>,
) -> Result<Resolved, ConfigError> {
    let chosen: Option<&ProfileConfig> = match (config, target.profile.as_deref()) {
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
    let flag_base = target
        .base_url
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|v| (Source::Flag("--base-url"), v));
    let env_base = env
        .get(ENV_BASE_URL)
        .map(|v| (Source::Env(ENV_BASE_URL), v));
    let env_user = env.get(ENV_USERNAME);
    let env_pass = env.get(ENV_PASSWORD);
    let timeout = target.timeout;
    let connect_timeout = target.connect_timeout;

    let Some(p) = chosen else {
        // No profile: everything from the environment and the command line.
        let Some((from, base)) = flag_base.or(env_base) else {
            return Err(match config {
                Some(_) => ConfigError::NoProfiles { path },
                None => ConfigError::NoConfig { path },
            });
        };
        let from_name = match from {
            Source::Flag(f) | Source::Env(f) => f,
            _ => "",
        };
        let base_url = override_base((from_name, base))?;
        let Some(username) = env_user else {
            return Err(ConfigError::EnvIncomplete {
                from: from_name.to_string(),
                missing: ENV_USERNAME,
                hint: format!(
                    "set it to the API key, or write a profile in {}",
                    path.display()
                ),
            });
        };
        check_username(username).map_err(|m| ConfigError::Override {
            source_name: ENV_USERNAME.into(),
            message: m,
        })?;
        let password = match (mode, env_pass) {
            (_, Some(s)) => Secret::new(s),
            (SecretMode::Skip, None) => Secret::default(),
            (SecretMode::Fetch(_), None) => {
                return Err(ConfigError::EnvIncomplete {
                    from: from_name.to_string(),
                    missing: ENV_PASSWORD,
                    hint: format!(
                        "set it to the API secret, or write a profile in {}",
                        path.display()
                    ),
                });
            }
        };
        return Ok(Resolved {
            profile: Profile {
                name: format!("({from_name})"),
                base_url,
                username: username.to_string(),
                password,
                allow_insecure: target.allow_insecure,
                connect_timeout: connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
                timeout: timeout.unwrap_or(DEFAULT_TIMEOUT),
                is_sandbox: false,
                ca_file: target.ca_file.clone(),
                origin: Origin {
                    base_url: from,
                    username: Source::Env(ENV_USERNAME),
                    secret: SecretSource::Env(ENV_PASSWORD.to_string()),
                    ..Origin::default()
                },
            },
            warnings: Vec::new(),
        });
    };

    let explicit = target.profile.is_some();
    let profile_desc = format!("{}:{}: profile '{}'", path.display(), p.line, p.name);
    let mut warnings = Vec::new();
    let mut unused = |var: &str, key: &str| {
        warnings.push(format!(
            "{var} is set but not used: --profile {} chose the profile, and its {key} \
             ({}:{}) comes first",
            p.name,
            path.display(),
            p.line_of(key)
        ))
    };
    // The profile's own value, unless the environment beats it (no explicit --profile).
    let from_file_base = p.base_url.as_deref().map(|v| (Source::Profile, v));
    let base = match flag_base {
        Some(b) => Some(b),
        None if explicit => {
            if from_file_base.is_some() && env_base.is_some() {
                unused(ENV_BASE_URL, "base_url");
            }
            from_file_base.or(env_base)
        }
        None => env_base.or(from_file_base),
    };
    let (base_source, base_url) = match base {
        Some((Source::Profile, v)) => (Source::Profile, v.to_string()),
        Some((src, v)) => {
            let name = match src {
                Source::Flag(f) | Source::Env(f) => f,
                _ => "",
            };
            (src, override_base((name, v))?)
        }
        None => {
            return Err(ConfigError::Missing {
                profile: profile_desc,
                field: "base_url".into(),
                hint: format!(
                    "Add base_url = \"https://...\" (the API root) to [profiles.{}], or use \
                     --base-url or {ENV_BASE_URL}",
                    p.name
                ),
            });
        }
    };
    let user = match (explicit, &p.username, env_user) {
        (true, Some(u), e) => {
            if e.is_some() {
                unused(ENV_USERNAME, "username");
            }
            Some((Source::Profile, u.as_str()))
        }
        (_, _, Some(e)) => Some((Source::Env(ENV_USERNAME), e)),
        (_, Some(u), None) => Some((Source::Profile, u.as_str())),
        (_, None, None) => None,
    };
    let (user_source, username) = match user {
        Some((src @ Source::Env(_), u)) => {
            check_username(u).map_err(|m| ConfigError::Override {
                source_name: ENV_USERNAME.into(),
                message: m,
            })?;
            (src, u.to_string())
        }
        Some((src, u)) => (src, u.to_string()),
        None => {
            return Err(ConfigError::Missing {
                profile: profile_desc,
                field: "username (API key)".into(),
                hint: format!(
                    "Add username = \"...\" to [profiles.{}], or set {ENV_USERNAME}",
                    p.name
                ),
            });
        }
    };
    // The secret: the environment's beats the profile's source unless --profile chose it.
    let use_env_pass = match (&p.password, env_pass) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(_), Some(_)) if explicit => {
            unused(
                ENV_PASSWORD,
                p.password.as_ref().map_or("password", |s| s.field()),
            );
            false
        }
        (Some(_), Some(_)) => true,
    };
    let (password, secret_source) = if use_env_pass {
        (
            Secret::new(env_pass.unwrap_or_default()),
            SecretSource::Env(ENV_PASSWORD.to_string()),
        )
    } else {
        match &p.password {
            None => {
                if matches!(mode, SecretMode::Fetch(_)) {
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
                (Secret::default(), SecretSource::Unknown)
            }
            Some(source) => {
                // A command anyone else can change is anyone's command: it is not run.
                let writable = config.and_then(Config::writable_by_others);
                if let (PasswordSource::Command(_), Some(who)) = (source, writable) {
                    let fix = format!("chmod go-w {}", path.display());
                    warnings.push(format!(
                        "{}:{}: profile '{}' runs its password_command from a file {who} can \
                         change, so it is not run; run {fix}, or use password_env",
                        path.display(),
                        p.line_of("password_command"),
                        p.name,
                    ));
                    if matches!(mode, SecretMode::Fetch(_)) {
                        return Err(ConfigError::Secret {
                            path: path.clone(),
                            line: p.line_of("password_command"),
                            profile: p.name.clone(),
                            field: "password_command".into(),
                            message: format!(
                                "not run: {} can be changed by {who}, who could make it run \
                                 anything; run {fix}",
                                path.display()
                            ),
                        });
                    }
                }
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
                let secret_source = match source {
                    PasswordSource::Env(v) => SecretSource::Env(v.clone()),
                    PasswordSource::Command(c) => SecretSource::Command(c.clone()),
                    PasswordSource::Plain(_) => SecretSource::Plain,
                };
                let secret =
                    match mode {
                        SecretMode::Skip => Secret::default(),
                        SecretMode::Fetch(commands) => fetch_secret(source, env, commands)
                            .map_err(|message| ConfigError::Secret {
                                path: path.clone(),
                                line: p.line_of(source.field()),
                                profile: p.name.clone(),
                                field: source.field().into(),
                                message,
                            })?,
                    };
                (secret, secret_source)
            }
        }
    };
    Ok(Resolved {
        profile: Profile {
            name: p.name.clone(),
            base_url,
            username,
            password,
            allow_insecure: p.allow_insecure || target.allow_insecure,
            connect_timeout: connect_timeout.unwrap_or(p.connect_timeout),
            timeout: timeout.unwrap_or(p.timeout),
            // A profile whose URL came from elsewhere may point anywhere: never skip the
            // confirmation for it.
            is_sandbox: p.sandbox && base_source == Source::Profile,
            ca_file: target.ca_file.clone().or_else(|| p.ca_file.clone()),
            origin: Origin {
                file: Some((path.clone(), p.line)),
                lines: p.lines(),
                base_url: base_source,
                username: user_source,
                secret: secret_source,
            },
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

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
