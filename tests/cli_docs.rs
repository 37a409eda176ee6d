//! The command line describing itself: completions and man pages for every subcommand,
//! `--help` with the variables, config path and exit codes; options only where they mean
//! something; a mistyped subcommand; `validate` reading a pipe.

mod common;

use common::*;
use std::io::Write;
use std::process::Stdio;

/// Every subcommand, as `--help` lists them.
fn subcommands(home: &Home) -> Vec<String> {
    let (code, out, _) = home.run(&["--help"]);
    assert_eq!(code, 0);
    let list = out
        .split("Commands:")
        .nth(1)
        .and_then(|s| s.split("\n\n").next())
        .unwrap();
    let subs: Vec<String> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| *w != "help")
        .map(str::to_string)
        .collect();
    assert_eq!(subs.len(), rcs_composer::cli::SUBCOMMANDS.len(), "{subs:?}");
    for s in &subs {
        assert!(rcs_composer::cli::SUBCOMMANDS.contains(&s.as_str()), "{s}");
    }
    subs
}

#[test]
fn completions_cover_every_subcommand_in_every_shell() {
    let home = Home::new("");
    let subs = subcommands(&home);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let (code, out, err) = home.run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        for s in &subs {
            assert!(out.contains(s.as_str()), "{shell} completion lacks {s}");
        }
        assert!(
            out.contains("base-url") && out.contains("cacert"),
            "{shell}"
        );
    }
    let (code, _, _) = home.run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
}

#[test]
fn the_man_page_lists_every_subcommand_and_each_has_its_own() {
    let home = Home::new("");
    let subs = subcommands(&home);
    let (code, page, _) = home.run(&["man"]);
    assert_eq!(code, 0);
    assert!(page.starts_with(".ie") || page.contains(".TH"), "{page}");
    for s in &subs {
        assert!(
            page.contains(&format!("rcs\\-composer\\-{s}")) || page.contains(s.as_str()),
            "man lacks {s}"
        );
        let (code, sub, err) = home.run(&["man", s]);
        assert_eq!(code, 0, "{s}: {err}");
        assert!(sub.contains(".TH"), "{s}");
        assert!(sub.contains(&format!("rcs\\-composer\\-{s}")), "{s}: {sub}");
    }
    assert!(
        page.contains("RCS_COMPOSER_BASE_URL"),
        "man lacks the variables"
    );
    assert_eq!(home.run(&["man", "nope"]).0, 2);
}

#[test]
fn help_lists_the_variables_the_config_file_and_the_exit_codes() {
    let home = Home::new("");
    let (_, out, _) = home.run(&["--help"]);
    for want in [
        "RCS_COMPOSER_BASE_URL",
        "RCS_COMPOSER_USERNAME",
        "RCS_COMPOSER_PASSWORD",
        "SSL_CERT_FILE",
        "Exit codes:",
        "130",
    ] {
        assert!(out.contains(want), "--help lacks {want}:\n{out}");
    }
    let config = home.config_file().display().to_string();
    assert!(out.contains(&config), "--help lacks {config}");
}

#[test]
fn options_only_where_they_mean_something() {
    let home = Home::new("");
    let (code, _, err) = home.run(&["validate", "--profile", "x", TEXT]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--profile"), "{err}");
    let (code, _, _) = home.run(&[
        "sandbox",
        "--base-url",
        "http://x",
        "--listen",
        "127.0.0.1:0",
    ]);
    assert_eq!(code, 2);
}

#[test]
fn a_mistyped_subcommand_is_named_instead_of_opening_a_draft() {
    let home = Home::new("");
    let (code, out, err) = home.run(&["sandox"]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("did you mean `rcs-composer sandbox`"), "{err}");
    assert!(!home.dir.path().join("sandox").exists());
}

#[test]
fn validate_without_a_file_reads_a_pipe() {
    let home = Home::new("");
    let mut child = home
        .command(&["validate"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(std::fs::read(TEXT).unwrap().as_slice())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("1 file checked: 1 valid"), "{text}");
}
