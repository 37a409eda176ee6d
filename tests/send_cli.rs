//! `rcs-composer send` and `history` as a new user meets them, over real loopback HTTP: no
//! profile mistaken for the sandbox, every exit path with its history line and documented
//! code, the order flags > environment > profile, messages in words, `--set`, `--sandbox`,
//! `-v`, `--timeout`, and the history commands.

mod common;

use common::*;
use serde_json::{Value, json};
use std::io::BufRead;
use std::process::Stdio;

#[test]
fn sandbox_true_is_refused_unless_the_url_is_this_machine() {
    let home = Home::new(
        "[profiles.prod]\nbase_url = \"https://api.example.invalid\"\nusername = \"k\"\npassword_env = \"TEST_SECRET\"\nsandbox = true\n",
    );
    let (code, out, err) = home.run(&["send", TEXT]);
    assert_eq!(code, 2, "{out}\n{err}");
    let file = home.config_file().display().to_string();
    assert!(
        err.contains(&format!("{file}:5: profile 'prod': sandbox")),
        "{err}"
    );
    assert!(err.contains("not this machine"), "{err}");
    assert!(home.history().is_empty());

    // On loopback it is a sandbox: sent, nothing asked.
    let server = api_server();
    home.write_config(&format!(
        "[profiles.local]\nbase_url = \"{}\"\nusername = \"{USER}\"\npassword_env = \"TEST_SECRET\"\nsandbox = true\n",
        server.base_url()
    ));
    let (code, out, err) = home.run(&["send", TEXT]);
    assert_eq!(code, 0, "{out}\n{err}");
}

#[test]
fn the_profile_the_sandbox_command_prints_works_as_printed_and_warns_of_nothing() {
    let home = Home::new("");
    let mut child = home
        .command(&["sandbox", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let mut snippet = String::new();
    let mut export = None;
    let mut inside = false;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.starts_with("[profiles.") {
            inside = true;
        }
        if let Some(rest) = line.strip_prefix("and, in the shell you send from: export ") {
            export = Some(rest.to_string());
            break;
        }
        if line.starts_with("Press Ctrl-C") {
            break;
        }
        if inside {
            snippet.push_str(&line);
            snippet.push('\n');
        }
    }
    if export.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let (var, value) = export
        .expect("no export line")
        .split_once('=')
        .map(|(a, b)| (a.to_string(), b.trim_matches('\'').to_string()))
        .unwrap();
    assert!(snippet.contains("sandbox = true"), "{snippet}");
    assert!(snippet.contains("password_env"), "{snippet}");
    assert!(!snippet.contains("password ="), "{snippet}");
    // Written as it was printed, readable by others (no plain password to warn about).
    std::fs::write(home.config_file(), &snippet).unwrap();
    let (code, out, err) = home.run_env(&["send", "--profile", "local", TEXT], &[(&var, &value)]);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(!err.contains("warning"), "{err}");
    assert!(out.contains("accepted"), "{out}");
}

#[test]
fn ctrl_c_while_the_request_is_in_flight_records_it_and_exits_130() {
    let server = serve(|_| Act::Hold);
    let home = Home::for_server(&server);
    let child = home
        .command(&["send", TEXT])
        .env("TEST_SECRET", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    server.wait_request();
    let ok = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("may already have reached the server"), "{err}");
    let h = home.history();
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0]["outcome"], "cancelled");
    assert_eq!(h[0]["request"], example("text.json"));
}

#[test]
fn a_base_url_holding_the_endpoint_is_refused_with_the_right_value() {
    let server = api_server();
    let base = server.base_url();
    let home = Home::new(&format!(
        "[profiles.p]\nbase_url = \"{base}/v5/messages\"\nusername = \"{USER}\"\npassword_env = \"TEST_SECRET\"\n"
    ));
    let (code, out, err) = home.run(&["send", TEXT]);
    assert_eq!(code, 2, "{out}\n{err}");
    let file = home.config_file().display().to_string();
    assert!(
        err.contains(&format!("{file}:2: profile 'p': base_url")),
        "{err}"
    );
    assert!(err.contains(&format!("base_url = \"{base}\"")), "{err}");
    home.write_config("");
    let (code, _, err) = home.run_env(
        &["send", "--base-url", &format!("{base}/v5/"), TEXT],
        &[
            ("RCS_COMPOSER_USERNAME", USER),
            ("RCS_COMPOSER_PASSWORD", SECRET),
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--base-url") && err.contains(&format!("\"{base}\"")),
        "{err}"
    );
    // No scheme: say to add one.
    let (code, _, err) = home.run_env(
        &["send", "--base-url", "localhost:18642", TEXT],
        &[
            ("RCS_COMPOSER_USERNAME", USER),
            ("RCS_COMPOSER_PASSWORD", SECRET),
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("add http://"), "{err}");
    assert!(server.seen().is_empty());
}

#[test]
fn a_success_over_1_mb_is_accepted_with_the_guids_that_arrived() {
    let results: Vec<Value> = (0..20_000)
        .map(|i| json!({"messageGUID": format!("guid-{i:05}"), "destination": "15559876543", "status": "success"}))
        .collect();
    let body = json!({"status": "success", "message": "queued", "data": {"results": results}});
    assert!(body.to_string().len() > 1024 * 1024);
    let server = serve(move |_| json_answer("200 OK", &body));
    let home = Home::for_server(&server);
    let (code, out, err) = home.run(&["send", TEXT]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("accepted") && out.contains("guid-00000"),
        "{out}"
    );
    assert!(out.contains("cut"), "{out}");
    let h = home.history();
    assert_eq!(h[0]["outcome"], "accepted");
    assert!(h[0]["message_guids"].as_array().unwrap().len() > 1000);
}

#[test]
fn a_404_exits_1_as_documented_and_a_429_says_when_to_retry() {
    let server = serve(|req| {
        if req.body.windows(4).any(|w| w == b"slow") {
            Act::Respond(http(
                "429 Too Many Requests",
                &[("Retry-After", "30")],
                b"{}",
            ))
        } else {
            Act::Respond(http(
                "404 Not Found",
                &[("Content-Type", "text/html")],
                b"<html>no</html>",
            ))
        }
    });
    let home = Home::for_server(&server);
    let (code, out, _) = home.run(&["send", TEXT]);
    assert_eq!(code, 1, "{out}");
    let docs = std::fs::read_to_string("docs/send.md").unwrap();
    assert!(
        docs.contains("| 1 | rejected") && docs.contains("404"),
        "docs/send.md"
    );
    let d = home.write("slow.json", &{
        let mut v = example("text.json");
        v["messageText"] = json!("slow");
        v.to_string()
    });
    let (code, out, _) = home.run(&["send", &d]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("retry after 30 s"), "{out}");
}

#[test]
fn flags_beat_the_environment_which_beats_the_default_profile_but_not_a_named_one() {
    let (a, b, c) = (api_server(), api_server(), api_server());
    let home = Home::for_server(&a);
    let env = [
        ("TEST_SECRET", SECRET),
        ("RCS_COMPOSER_BASE_URL", &*b.base_url().leak()),
    ];
    // The default profile: the environment beats it, and the request line says so.
    let (code, out, err) = home.run_env(&["send", TEXT], &env);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("URL from RCS_COMPOSER_BASE_URL"), "{out}");
    assert_eq!((a.seen().len(), b.seen().len()), (0, 1));
    // A profile named on the command line beats the environment, which is said.
    let (code, out, err) = home.run_env(&["send", "--profile", "local", TEXT], &env);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("URL and user from"), "{out}");
    assert!(
        err.contains("RCS_COMPOSER_BASE_URL is set but not used"),
        "{err}"
    );
    assert_eq!((a.seen().len(), b.seen().len()), (1, 1));
    // --base-url beats both.
    let (code, out, _) = home.run_env(
        &[
            "send",
            "--profile",
            "local",
            "--base-url",
            &c.base_url(),
            TEXT,
        ],
        &env,
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("URL from --base-url"), "{out}");
    assert_eq!(c.seen().len(), 1);
}

#[test]
fn plain_http_to_another_host_is_refused_with_a_hint_that_exists_and_allow_insecure_lifts_it() {
    let home = Home::new("");
    let env = [
        ("RCS_COMPOSER_USERNAME", USER),
        ("RCS_COMPOSER_PASSWORD", SECRET),
    ];
    let (code, _, err) = home.run_env(
        &["send", "--base-url", "http://example.invalid", TEXT],
        &env,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--allow-insecure"), "{err}");
    assert!(!err.contains("profile '("), "{err}");
    let (code, out, err) = home.run_env(
        &[
            "send",
            "--allow-insecure",
            "--connect-timeout",
            "5",
            "--base-url",
            "http://example.invalid",
            TEXT,
        ],
        &env,
    );
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(out.contains("example.invalid"), "{out}");
}

#[test]
fn config_messages_name_file_line_profile_and_key_in_words() {
    let home = Home::new("# nothing yet\n");
    let (code, _, err) = home.run(&["send", TEXT]);
    assert_eq!(code, 2);
    assert!(
        err.contains("defines no profile") && !err.contains("no config file"),
        "{err}"
    );

    let (code, _, err) = home.run_env(
        &["send", TEXT],
        &[
            ("RCS_COMPOSER_BASE_URL", "http://127.0.0.1:9"),
            ("RCS_COMPOSER_USERNAME", "k"),
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("RCS_COMPOSER_PASSWORD is not set"), "{err}");
    assert!(!err.contains("no profile in"), "{err}");

    home.write_config("[profiles.p]\nbase_url = \"http://127.0.0.1:9\"\ntimeout_secs = \"30\"\n");
    let (code, _, err) = home.run(&["send", TEXT]);
    assert_eq!(code, 2);
    let file = home.config_file().display().to_string();
    assert!(
        err.contains(&format!(
            "{file}:3: profile 'p': timeout_secs: must be a number, like 30, not the text \"30\""
        )),
        "{err}"
    );
    assert!(!err.contains("f64"), "{err}");

    home.write_config("[profiles.p]\npasword_env = \"X\"\n");
    let (_, _, err) = home.run(&["send", TEXT]);
    assert!(err.contains("did you mean password_env"), "{err}");

    // No config at all: --sandbox is suggested.
    std::fs::remove_file(home.config_file()).unwrap();
    let (code, _, err) = home.run(&["send", TEXT]);
    assert_eq!(code, 2);
    assert!(err.contains("--sandbox"), "{err}");
}

#[test]
fn verbose_shows_both_sides_headers_without_the_secret_and_timeout_overrides_the_profile() {
    let server = api_server();
    let home = Home::for_server(&server);
    let (code, out, err) = home.run(&["send", "-v", TEXT]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(err.contains("> POST /v5/messages HTTP/1.1"), "{err}");
    assert!(
        err.contains("> Authorization: Basic <test-api-key:secret, not shown>"),
        "{err}"
    );
    assert!(err.contains("< HTTP/1.1 200 OK"), "{err}");
    assert!(
        err.to_lowercase().contains("< x-request-id: req-4711"),
        "{err}"
    );
    assert!(!err.contains(SECRET) && !out.contains(SECRET));

    let stalled = serve(|_| Act::Hold);
    let home = Home::for_server(&stalled);
    let (code, out, _) = home.run(&["send", "--timeout", "0.5", TEXT]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("timed out after 0.5 s"), "{out}");
}

#[test]
fn set_changes_the_body_sent_and_recorded_and_works_for_validate() {
    let server = api_server();
    let home = Home::for_server(&server);
    let (code, out, err) = home.run(&[
        "send",
        "--set",
        "destination=14155550100",
        "--set",
        "smsFailover.enabled=false",
        TEXT,
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    let sent = server.seen()[0].json();
    assert_eq!(sent["destination"], "14155550100");
    assert_eq!(sent["smsFailover"]["enabled"], false);
    assert_eq!(home.history()[0]["request"], sent);

    let (code, out, _) = home.run(&["validate", "--set", "messageText=", TEXT]);
    assert_eq!(code, 1, "{out}");
    let (code, _, err) = home.run(&["send", "--set", "cards.3.title=x", TEXT]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cards.3.title"), "{err}");
}

#[test]
fn send_sandbox_prints_the_delivery_updates() {
    let home = Home::new("");
    let (code, out, err) = home.run(&["send", "--sandbox", "--wait", "20", TEXT]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("accepted"), "{out}");
    assert!(out.contains(" delivered "), "{out}");
    let h = home.history();
    assert_eq!(h[0]["outcome"], "accepted");
    assert_eq!(h[0]["callback_added"], true);
    let (code, _, err) = home.run(&["send", "--sandbox", "--profile", "x", TEXT]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn history_lists_shows_and_resends_after_the_duplicate_check() {
    let server = api_server();
    let home = Home::for_server(&server);
    let (code, out, _) = home.run(&["history"]);
    assert_eq!((code, out.trim()), (0, "No sends yet."));
    assert_eq!(home.run(&["send", TEXT]).0, 0);
    let other = home.write("o.json", &{
        let mut v = example("text.json");
        v["messageText"] = json!("second");
        v.to_string()
    });
    assert_eq!(home.run(&["send", &other]).0, 0);

    let (code, out, _) = home.run(&["history"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].trim_start().starts_with("1 ") && lines[0].contains("o.json"),
        "{out}"
    );
    let (_, out, _) = home.run(&["history", "--format", "json"]);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v[0]["n"], 1);
    assert_eq!(v[1]["request"]["messageText"], "Hello from RCS!");

    let (code, out, _) = home.run(&["history", "show", "2"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Hello from RCS!") && out.contains("accepted"),
        "{out}"
    );
    let (code, _, err) = home.run(&["history", "show", "9"]);
    assert_eq!(code, 2, "{err}");

    // Accepted moments ago: not sent again without a yes (no terminal to ask on here).
    let (code, _, err) = home.run(&["history", "resend", "1"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(server.seen().len(), 2);
    let (code, out, err) = home.run(&["history", "resend", "1", "--yes"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(server.seen().len(), 3);
    assert_eq!(server.seen()[2].json()["messageText"], "second");
}

#[test]
fn dry_run_with_curl_is_a_usage_error() {
    let home = Home::new("");
    let (code, _, err) = home.run(&["send", "--dry-run", "--curl", TEXT]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn resend_of_a_send_made_from_the_environment_goes_where_it_went() {
    let server = api_server();
    let home = Home::new("");
    let who = [
        ("RCS_COMPOSER_USERNAME", USER),
        ("RCS_COMPOSER_PASSWORD", SECRET),
    ];
    let base = server.base_url();
    let mut first = who.to_vec();
    first.push(("RCS_COMPOSER_BASE_URL", &base));
    assert_eq!(home.run_env(&["send", TEXT], &first).0, 0);
    let (code, out, err) = home.run_env(&["history", "resend", "1", "--yes"], &who);
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(server.seen().len(), 2);
}
