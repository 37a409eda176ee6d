//! The profiles one can send with, and which one is active.

use crate::client::check_transport;
use crate::profile::Profile;
use crate::store::config::{self, Config, ConfigError, Env, PasswordCommands, SecretMode, Target};
use std::path::PathBuf;
use std::sync::Arc;

/// The name of the composer's own sandbox, and the one it takes when a profile of the file
/// already has that name (two profiles never share a name).
pub const BUILT_IN_NAME: &str = "sandbox";
pub const BUILT_IN_NAME_TAKEN: &str = "built-in sandbox";

/// Where the secret of a profile comes from when it is time to send.
#[derive(Debug, Clone)]
pub enum ProfileSource {
    /// Everything is known (the built-in sandbox, or a test's server).
    Ready(Profile),
    /// Resolved from the config file and the environment at send time, off the UI thread
    /// (a `password_command` may take a while). `target.profile: None` is the file's default,
    /// or a profile made only from `--base-url`/`RCS_COMPOSER_*`.
    Config {
        config: Option<Arc<Config>>,
        config_path: PathBuf,
        target: Target,
        env: Arc<Env>,
    },
}

impl ProfileSource {
    /// The profile with its secret. May block (a password command, listed in `commands`
    /// while it runs): call it off the UI thread.
    pub fn resolve(&self, commands: &PasswordCommands) -> Result<(Profile, Vec<String>), String> {
        self.resolve_with(SecretMode::Fetch(commands))
    }

    /// The profile without its secret (nothing is run): for the curl command and the list.
    pub fn resolve_without_secret(&self) -> Result<(Profile, Vec<String>), String> {
        self.resolve_with(SecretMode::Skip)
    }

    fn resolve_with(&self, mode: SecretMode<'_>) -> Result<(Profile, Vec<String>), String> {
        match self {
            ProfileSource::Ready(p) => Ok((p.clone(), Vec::new())),
            ProfileSource::Config {
                config,
                config_path,
                target,
                env,
            } => config::resolve(config.as_deref(), config_path, target, env, mode)
                .map(|r| (r.profile, r.warnings))
                .map_err(|e| e.to_string()),
        }
    }
}

/// The URL a profile posts to and its user (never the secret), and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
    pub user: String,
    /// `URL and user from config.toml`, `URL from --base-url, user from …`.
    pub origin: String,
}

impl Endpoint {
    pub fn of(p: &Profile) -> Self {
        Endpoint {
            url: p.messages_url(),
            user: p.username.clone(),
            origin: p.origin_text(),
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
    /// Where it posts and as whom, or why the profile cannot be used (it is checked as a
    /// send would be: a plain-http URL to another host, a sandbox that is not this machine).
    pub shown: Result<Endpoint, String>,
    pub source: ProfileSource,
    /// What to tell the person when this profile is used (a plain password others can
    /// read, a variable not used).
    pub warnings: Vec<String>,
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
}

impl Profiles {
    /// Only `profile`, active (tests, and the sandbox when nothing else is configured).
    pub fn single(profile: Profile) -> Self {
        let mut p = Profiles::default();
        p.push_ready(profile, false);
        p.active = Some(0);
        p
    }

    /// Adds a ready profile (the built-in sandbox when `built_in`, renamed when a profile
    /// of the file has its name).
    pub fn push_ready(&mut self, mut profile: Profile, built_in: bool) {
        if built_in && self.entries.iter().any(|e| e.name == profile.name) {
            profile.name = BUILT_IN_NAME_TAKEN.to_string();
        }
        self.entries.push(ProfileEntry {
            name: profile.name.clone(),
            is_sandbox: profile.is_sandbox,
            built_in,
            shown: check_transport(&profile).map(|_| Endpoint::of(&profile)),
            source: ProfileSource::Ready(profile),
            warnings: Vec::new(),
            new_draft: NewDraftDefaults::default(),
        });
    }

    /// The warnings of the active profile.
    pub fn active_warnings(&self) -> &[String] {
        self.active().map_or(&[], |p| p.warnings.as_slice())
    }

    /// The built-in sandbox's profile, if there is one.
    pub fn built_in(&self) -> Option<Profile> {
        self.entries
            .iter()
            .find(|e| e.built_in)
            .and_then(|e| match &e.source {
                ProfileSource::Ready(p) => Some(p.clone()),
                ProfileSource::Config { .. } => None,
            })
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
        let mut target = target.clone();
        target.base_url = target.base_url.filter(|b| !b.trim().is_empty());
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
            target: Target {
                profile: name,
                ..target.clone()
            },
            env: env.clone(),
        };
        let entry = |name: String, source: ProfileSource| {
            let r = source.resolve_without_secret();
            let (shown, is_sandbox, warnings) = match r {
                Ok((p, w)) => match check_transport(&p) {
                    Ok(_) => (Ok(Endpoint::of(&p)), p.is_sandbox, w),
                    Err(e) => (Err(e), false, w),
                },
                Err(e) => (Err(e), false, Vec::new()),
            };
            ProfileEntry {
                name,
                is_sandbox,
                built_in: false,
                shown,
                source,
                warnings,
                new_draft: NewDraftDefaults::default(),
            }
        };
        let mut wanted: Option<String> = None;
        if let Some(c) = &config {
            // The file's default (no --profile) is resolved as `send` without --profile
            // would: the environment may override it.
            let implicit = match &target.profile {
                Some(_) => None,
                None => c.implicit_profile().map(str::to_string),
            };
            for name in c.profile_names() {
                let chosen = if implicit.as_deref() == Some(name.as_str()) {
                    None
                } else {
                    Some(name.clone())
                };
                let mut e = entry(name.clone(), source(chosen));
                if let Some(p) = c.profile(&name) {
                    e.new_draft = NewDraftDefaults {
                        source: p.default_source.clone(),
                        destination: p.default_destination.clone(),
                    };
                }
                out.entries.push(e);
            }
            match (&target.profile, c.implicit_profile()) {
                (Some(p), _) => wanted = Some(p.clone()),
                (None, Some(p)) => wanted = Some(p.to_string()),
                (None, None) if !c.profile_names().is_empty() => {
                    if let Err(e) = source(None).resolve_without_secret() {
                        out.error.get_or_insert(e);
                    }
                }
                (None, None) => {}
            }
        } else if out.error.is_none() {
            if let Some(p) = &target.profile {
                wanted = Some(p.clone());
            } else if target.base_url.is_some() || env.get(config::ENV_BASE_URL).is_some() {
                // No file: a profile made from --base-url and RCS_COMPOSER_*.
                let src = source(None);
                let name = src
                    .resolve_without_secret()
                    .map(|(p, _)| p.name)
                    .unwrap_or_else(|_| "(environment)".into());
                out.entries.push(entry(name, src));
                out.active = Some(out.entries.len() - 1);
            }
        }
        if let Some(w) = &wanted {
            match out.entries.iter().position(|e| &e.name == w) {
                Some(i) => out.active = Some(i),
                None => {
                    if out.error.is_none()
                        && let Err(e) = source(Some(w.clone())).resolve_without_secret()
                    {
                        out.error = Some(e);
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
            ca_file: None,
            origin: crate::profile::Origin::built_in(),
        }
    }

    fn target(profile: Option<&str>) -> Target {
        Target::profile(profile)
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
                user: "kb".to_string(),
                origin: "URL and user from /x/config.toml".to_string(),
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
