//! Tests of `resolve`: which source wins, and what each wrong turn says.

use super::super::EXAMPLE;
use super::*;
use std::time::Duration;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("/cfg/config.toml"))
}

fn fetch() -> SecretMode<'static> {
    static COMMANDS: std::sync::LazyLock<PasswordCommands> =
        std::sync::LazyLock::new(PasswordCommands::new);
    SecretMode::Fetch(&COMMANDS)
}

fn sel(profile: Option<&str>, base_url: Option<&str>) -> Target {
    Target {
        profile: profile.map(str::to_string),
        base_url: base_url.map(str::to_string),
        ..Target::default()
    }
}

fn resolve_with(text: &str, s: &Target, env: &Env) -> Result<Resolved, ConfigError> {
    let c = parse(text)?;
    resolve(Some(&c), c.path(), s, env, fetch())
}

#[test]
fn example_parses_and_resolves() {
    let c = parse(EXAMPLE).unwrap();
    assert_eq!(c.profile_names(), vec!["local", "production"]);
    assert_eq!(c.default_profile(), Some("production"));
    let env = Env::from_pairs([("SANDBOX_SECRET", "sb")]);
    let r = resolve(Some(&c), c.path(), &sel(Some("local"), None), &env, fetch()).unwrap();
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
    let e = resolve(None, &path, &sel(None, None), &Env::default(), fetch()).unwrap_err();
    assert!(matches!(e, ConfigError::NoConfig { .. }));
    assert!(e.to_string().contains(&path.display().to_string()));
    let env = Env::from_pairs([
        (ENV_BASE_URL, "http://127.0.0.1:9"),
        (ENV_USERNAME, "k"),
        (ENV_PASSWORD, "p"),
    ]);
    let r = resolve(None, &path, &sel(None, None), &env, fetch()).unwrap();
    assert_eq!(r.profile.base_url, "http://127.0.0.1:9");
    let e = resolve(None, &path, &sel(Some("x"), None), &env, fetch()).unwrap_err();
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
        resolve(Some(&c), &path, &sel(None, None), &Env::default(), fetch()).unwrap()
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

/// Failed before: a group- or world-writable config's password_command was run (anyone
/// who could write the file could make the app run anything), without a word.
#[cfg(unix)]
#[test]
fn a_password_command_in_a_file_others_can_change_is_not_run() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let conf_dir = dir.path().join("conf");
    std::fs::create_dir(&conf_dir).unwrap();
    let path = conf_dir.join("config.toml");
    let ran = dir.path().join("ran");
    std::fs::write(
        &path,
        format!(
            "[profiles.a]\nbase_url = \"https://h.example\"\nusername = \"k\"\npassword_command = \"touch '{}'; echo s3cret\"\n",
            ran.display()
        ),
    )
    .unwrap();
    let set =
        |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    let load = || Config::load_from(&path).unwrap().unwrap();
    set(&conf_dir, 0o700);
    for (file, dirm, who) in [
        (0o664, 0o700, "its group"),
        (0o606, 0o700, "everyone"),
        (0o644, 0o777, "its folder"),
    ] {
        set(&path, file);
        set(&conf_dir, dirm);
        let c = load();
        let e = resolve(Some(&c), &path, &sel(None, None), &Env::default(), fetch())
            .unwrap_err()
            .to_string();
        assert!(e.contains(":4:") && e.contains("password_command"), "{e}");
        assert!(e.contains("not run") && e.contains(who), "{e}");
        assert!(e.contains(&format!("chmod go-w {}", path.display())), "{e}");
        assert!(!ran.exists(), "the command ran from a {file:o} file");
        // Without fetching (the app's profile list), the warning says it.
        let r = resolve(
            Some(&c),
            &path,
            &sel(None, None),
            &Env::default(),
            SecretMode::Skip,
        )
        .unwrap();
        assert!(
            r.warnings.iter().any(|w| w.contains("is not run")),
            "{:?}",
            r.warnings
        );
    }
    set(&conf_dir, 0o700);
    set(&path, 0o644);
    let r = resolve(
        Some(&load()),
        &path,
        &sel(None, None),
        &Env::default(),
        fetch(),
    )
    .unwrap();
    assert_eq!(r.profile.password.expose(), "s3cret");
    assert!(ran.exists());
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
        fetch(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("--profile") && e.contains("a, b"), "{e}");

    let e = resolve(
        Some(&c),
        c.path(),
        &sel(Some("a"), None),
        &Env::default(),
        fetch(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("profile 'a'") && e.contains("base_url"), "{e}");
    assert!(e.starts_with("/cfg/config.toml:1: "), "{e}");
}
