//! The config file's parsing: errors with their line, the media switches, timeouts.

use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("/cfg/config.toml"))
}

#[cfg(unix)]
#[test]
fn a_config_that_is_a_pipe_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config.toml");
    if !std::process::Command::new("mkfifo")
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
fn bad_toml_names_file_and_line() {
    let e = parse("default_profile = \"a\"\n\n[profiles.a]\nbase_url = https://x\n").unwrap_err();
    match &e {
        ConfigError::Syntax { line, .. } => assert_eq!(*line, 4, "{e}"),
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().starts_with("/cfg/config.toml:4:"), "{e}");
}

#[test]
fn profile_line_is_its_header() {
    let c = parse("# c\n\n[profiles.a]\nusername = \"k\"\n\n[profiles.b]\n").unwrap();
    assert_eq!(c.profile("a").unwrap().line, 3);
    assert_eq!(c.profile("a").unwrap().line_of("username"), 4);
    assert_eq!(c.profile("b").unwrap().line, 6);
}

#[test]
fn media_switches_and_private_hosts() {
    let c = parse("media_check = false\nimages = false\n[profiles.a]\nprivate_hosts = [\"intranet.example\"]\n").unwrap();
    assert!(!c.media_check && !c.images);
    assert_eq!(c.profile("a").unwrap().private_hosts, ["intranet.example"]);
    let c = parse("[profiles.a]\n").unwrap();
    assert!(c.media_check && c.images);
    assert!(c.profile("a").unwrap().private_hosts.is_empty());
}

#[test]
fn fractional_timeouts() {
    let c = parse("[profiles.a]\nconnect_timeout_secs = 0.5\ntimeout_secs = 2\n").unwrap();
    let p = c.profile("a").unwrap();
    assert_eq!(p.connect_timeout, Duration::from_millis(500));
    assert_eq!(p.timeout, Duration::from_secs(2));
}
