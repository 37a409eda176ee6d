//! The profiles one can send with, and which one is active.

use crate::profile::Profile;
use crate::store::config::{
    self, Config, ConfigError, Env, PasswordCommands, SecretMode, Selection, Target,
};
use std::path::PathBuf;
use std::sync::Arc;

/// Where the secret of a profile comes from when it is time to send.
#[derive(Debug, Clone)]
pub enum ProfileSource {
    /// Everything is known (the built-in sandbox, or a test's server).
    Ready(Profile),
    /// Resolved from the config file and the environment at send time, off the UI thread
    /// (a `password_command` may take a while). `name: None` is a profile made only from
    /// `--base-url`/`RCS_COMPOSER_*`.
    Config {
        config: Option<Arc<Config>>,
        config_path: PathBuf,
        name: Option<String>,
        base_url: Option<String>,
        env: Arc<Env>,
    },
}

impl ProfileSource {
    /// The profile with its secret. May block (a password command, listed in `commands`
    /// while it runs): call it off the UI thread.
    pub fn resolve(&self, commands: &PasswordCommands) -> Result<(Profile, Vec<String>), String> {
        match self {
            ProfileSource::Ready(p) => Ok((p.clone(), Vec::new())),
            ProfileSource::Config {
                config,
                config_path,
                name,
                base_url,
                env,
            } => {
                let sel = Selection {
                    profile: name.as_deref(),
                    base_url: base_url.as_deref(),
                };
                config::resolve(
                    config.as_deref(),
                    config_path,
                    &sel,
                    env,
                    SecretMode::Fetch(commands),
                )
                .map(|r| (r.profile, r.warnings))
                .map_err(|e| e.to_string())
            }
        }
    }
}

/// The URL a profile posts to and its user (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
    pub user: String,
}

impl Endpoint {
    fn of(p: &Profile) -> Self {
        Endpoint {
            url: p.messages_url(),
            user: p.username.clone(),
        }
    }
}

/// One profile of the picker.
#[derive(Debug, Clone)]
pub struct ProfileEntry {
    /// The name in the status bar and the history.
    pub name: String,
    pub is_sandbox: bool,
    /// True for the sandbox this app runs itself.
    pub built_in: bool,
    /// Where it posts and as whom, or why the profile cannot be used.
    pub shown: Result<Endpoint, String>,
    pub source: ProfileSource,
    /// What a new draft starts with while this profile is active (`default_source`,
    /// `default_destination` in config.toml).
    pub new_draft: NewDraftDefaults,
}

/// A profile's `default_source` and `default_destination`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewDraftDefaults {
    pub source: Option<String>,
    pub destination: Option<String>,
}

/// The profiles to send with, and which one is active.
#[derive(Debug, Clone, Default)]
pub struct Profiles {
    pub entries: Vec<ProfileEntry>,
    pub active: Option<usize>,
    /// Why the config file (or the profile asked for) could not be used.
    pub error: Option<String>,
    /// E.g. a plain password in a file others can read.
    pub warnings: Vec<String>,
}

impl Profiles {
    /// Only `profile`, active (tests, and the sandbox when nothing else is configured).
    pub fn single(profile: Profile) -> Self {
        let mut p = Profiles::default();
        p.push_ready(profile, false);
        p.active = Some(0);
        p
    }

    /// Adds a ready profile (the built-in sandbox when `built_in`).
    pub fn push_ready(&mut self, profile: Profile, built_in: bool) {
        self.entries.push(ProfileEntry {
            name: profile.name.clone(),
            is_sandbox: profile.is_sandbox,
            built_in,
            shown: Ok(Endpoint::of(&profile)),
            source: ProfileSource::Ready(profile),
            new_draft: NewDraftDefaults::default(),
        });
    }

    /// The profiles of `config` (or the one the environment describes when there is no
    /// file), then the built-in sandbox; the active one is `--profile`, else the file's
    /// default, else the built-in sandbox. Errors become [`Profiles::error`], never a
    /// failure: the sandbox is always there to fall back on.
    pub fn from_config(
        loaded: Result<Option<Config>, ConfigError>,
        config_path: PathBuf,
        target: &Target,
        env: Env,
        sandbox: Option<Profile>,
    ) -> Self {
        let env = Arc::new(env);
        let base_url = target.base_url.clone().filter(|b| !b.trim().is_empty());
        let mut out = Profiles::default();
        let config = match loaded {
            Ok(c) => c.map(Arc::new),
            Err(e) => {
                out.error = Some(e.to_string());
                None
            }
        };
        let source = |name: Option<String>| ProfileSource::Config {
            config: config.clone(),
            config_path: config_path.clone(),
            name,
            base_url: base_url.clone(),
            env: env.clone(),
        };
        let check = |name: Option<&str>| {
            config::resolve(
                config.as_deref(),
                &config_path,
                &Selection {
                    profile: name,
                    base_url: base_url.as_deref(),
                },
                &env,
                SecretMode::Skip,
            )
        };
        let mut wanted: Option<String> = None;
        if let Some(c) = &config {
            for name in c.profile_names() {
                let r = check(Some(&name));
                let declared = c.profile(&name).is_some_and(|p| p.sandbox);
                if let Ok(r) = &r {
                    out.warnings.extend(r.warnings.iter().cloned());
                }
                out.entries.push(ProfileEntry {
                    is_sandbox: r.as_ref().map_or(declared, |r| r.profile.is_sandbox),
                    built_in: false,
                    shown: r
                        .as_ref()
                        .map(|r| Endpoint::of(&r.profile))
                        .map_err(|e| e.to_string()),
                    source: source(Some(name.clone())),
                    new_draft: c
                        .profile(&name)
                        .map(|p| NewDraftDefaults {
                            source: p.default_source.clone(),
                            destination: p.default_destination.clone(),
                        })
                        .unwrap_or_default(),
                    name,
                });
            }
            match (&target.profile, c.implicit_profile()) {
                (Some(p), _) => wanted = Some(p.clone()),
                (None, Some(p)) => wanted = Some(p.to_string()),
                (None, None) if !c.profile_names().is_empty() => {
                    if let Err(e) = check(None) {
                        out.error.get_or_insert(e.to_string());
                    }
                }
                (None, None) => {}
            }
        } else if out.error.is_none() {
            if let Some(p) = &target.profile {
                wanted = Some(p.clone());
            } else if base_url.is_some() || env.get(config::ENV_BASE_URL).is_some() {
                // No file: a profile made from --base-url and RCS_COMPOSER_*.
                let r = check(None);
                let name = r
                    .as_ref()
                    .map(|r| r.profile.name.clone())
                    .unwrap_or_else(|_| "(environment)".into());
                out.entries.push(ProfileEntry {
                    name,
                    is_sandbox: false,
                    built_in: false,
                    shown: r
                        .as_ref()
                        .map(|r| Endpoint::of(&r.profile))
                        .map_err(|e| e.to_string()),
                    source: source(None),
                    new_draft: NewDraftDefaults::default(),
                });
                out.active = Some(out.entries.len() - 1);
            }
        }
        if let Some(w) = &wanted {
            match out.entries.iter().position(|e| &e.name == w) {
                Some(i) => out.active = Some(i),
                None => {
                    if out.error.is_none()
                        && let Err(e) = check(Some(w))
                    {
                        out.error = Some(e.to_string());
                    }
                }
            }
        }
        if let Some(p) = sandbox {
            out.push_ready(p, true);
            if out.active.is_none() {
                out.active = Some(out.entries.len() - 1);
            }
        }
        out
    }

    pub fn active(&self) -> Option<&ProfileEntry> {
        self.active.and_then(|i| self.entries.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Secret;
    use std::path::Path;
    use std::time::Duration;

    fn sandbox() -> Profile {
        Profile {
            name: "sandbox".into(),
            base_url: "http://127.0.0.1:9".into(),
            username: "sandbox-1".into(),
            password: Secret::new("pw"),
            allow_insecure: false,
            connect_timeout: Duration::from_secs(1),
            timeout: Duration::from_secs(1),
            is_sandbox: true,
        }
    }

    fn target(profile: Option<&str>) -> Target {
        Target {
            profile: profile.map(str::to_string),
            base_url: None,
        }
    }

    const TWO: &str = r#"
default_profile = "b"
[profiles.a]
base_url = "https://a.example"
username = "ka"
password_command = "exit 1"
[profiles.b]
base_url = "https://b.example"
username = "kb"
password_env = "B_SECRET"
[profiles.c]
username = "kc"
password_env = "C_SECRET"
"#;

    fn load(text: &str) -> Result<Option<Config>, ConfigError> {
        Config::parse(text, Path::new("/x/config.toml")).map(Some)
    }

    #[test]
    fn no_config_means_the_built_in_sandbox() {
        let p = Profiles::from_config(
            Ok(None),
            "/x/config.toml".into(),
            &target(None),
            Env::default(),
            Some(sandbox()),
        );
        assert_eq!(p.entries.len(), 1);
        assert!(p.error.is_none());
        let a = p.active().unwrap();
        assert!(a.built_in && a.is_sandbox);
    }

    #[test]
    fn the_default_profile_is_active_and_every_profile_is_listed() {
        let p = Profiles::from_config(
            load(TWO),
            "/x/config.toml".into(),
            &target(None),
            Env::default(),
            Some(sandbox()),
        );
        let names: Vec<_> = p.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "sandbox"]);
        assert_eq!(p.active().unwrap().name, "b");
        // the secret is not fetched to list them (no command runs, no variable needed)
        assert_eq!(
            p.entries[1].shown.as_ref().unwrap(),
            &Endpoint {
                url: "https://b.example/v5/messages".to_string(),
                user: "kb".to_string()
            }
        );
        // a profile with no base_url says why it cannot send
        let err = p.entries[2].shown.as_ref().unwrap_err();
        assert!(err.contains("base_url"), "{err}");
        // and resolving for real runs the password source, off the UI thread in the app
        let e = p.entries[0]
            .source
            .resolve(&PasswordCommands::new())
            .unwrap_err();
        assert!(e.contains("password_command"), "{e}");
    }

    #[test]
    fn an_unknown_profile_or_a_broken_file_is_an_error_shown_with_the_sandbox_active() {
        let p = Profiles::from_config(
            load(TWO),
            "/x/config.toml".into(),
            &target(Some("nope")),
            Env::default(),
            Some(sandbox()),
        );
        assert!(p.error.as_deref().unwrap().contains("'nope'"));
        assert!(p.active().unwrap().built_in);
        let broken = load("[profiles.a\nbase_url = 1");
        let p = Profiles::from_config(
            broken,
            "/x/config.toml".into(),
            &target(None),
            Env::default(),
            Some(sandbox()),
        );
        assert!(
            p.error.as_deref().unwrap().contains("/x/config.toml:"),
            "{:?}",
            p.error
        );
        assert!(p.active().unwrap().built_in);
    }
}
