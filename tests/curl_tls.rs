//! The printed curl command run by real curl, for each way a profile keeps its secret, and
//! a local HTTPS server with a CA made here: trusted after `--cacert`, `ca_file` or
//! `SSL_CERT_FILE`, and the failures before that in words that say what to set.

mod common;

use common::*;
use serde_json::Value;
use std::process::Command;

fn curl_installed() -> bool {
    Command::new("curl").arg("--version").output().is_ok()
}

/// Runs `command` with `sh -c`: its exit code and standard output.
fn sh(command: &str, env: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = Command::new("sh");
    c.arg("-c").arg(command);
    for v in [
        "RCS_COMPOSER_PASSWORD",
        "TEST_SECRET",
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        c.env_remove(v);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_curl_command_gets_the_same_answer_as_send_for_every_secret_source() {
    if !curl_installed() {
        eprintln!("curl is not installed: nothing to compare with");
        return;
    }
    let server = api_server();
    let base = server.base_url();
    let sources = [
        (
            "password_env = \"TEST_SECRET\"".to_string(),
            vec![("TEST_SECRET", SECRET)],
        ),
        (
            format!("password_command = \"printf '%s\\\\n%s\\\\n' {SECRET} second-line\""),
            vec![],
        ),
        (
            format!("password = \"{SECRET}\""),
            vec![("RCS_COMPOSER_PASSWORD", SECRET)],
        ),
    ];
    for (source, env) in sources {
        let home = Home::new(&format!(
            "[profiles.p]\nbase_url = \"{base}\"\nusername = \"{USER}\"\n{source}\n"
        ));
        let before = server.seen().len();
        let (code, out, err) = home.run_env(&["send", "--format", "json", TEXT], &env);
        assert_eq!(code, 0, "{source}: {out}\n{err}");
        let sent: Value = serde_json::from_str(out.trim()).unwrap();

        // The command is printed without the secret, and run as printed: only the
        // variables a user would have (the plain password's is RCS_COMPOSER_PASSWORD).
        let (code, curl, err) = home.run_env(&["send", "--curl", TEXT], &[]);
        assert_eq!(code, 0, "{err}");
        assert!(!curl.contains(&format!(":{SECRET}")), "{curl}");
        let (code, answer, err) = sh(&curl, &env);
        assert_eq!(code, 0, "{source}: curl failed: {err}\n{curl}");
        let answer: Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(answer, sent["response"], "{source}");
        let seen = server.seen();
        assert_eq!(seen.len(), before + 2);
        let (a, b) = (&seen[before], &seen[before + 1]);
        assert_eq!(a.headers["authorization"], basic(USER, SECRET));
        assert_eq!(b.headers["authorization"], a.headers["authorization"]);
        assert_eq!(a.body, b.body, "{source}");
        assert_eq!(a.request_line, b.request_line);
    }
}

#[test]
fn curl_fails_as_send_does_on_an_http_error() {
    if !curl_installed() {
        return;
    }
    let server = serve(|_| {
        json_answer(
            "401 Unauthorized",
            &serde_json::json!({"status": "error", "message": "no"}),
        )
    });
    let home = Home::for_server(&server);
    let (code, _, _) = home.run(&["send", TEXT]);
    assert_eq!(code, 1);
    let (_, curl, _) = home.run(&["send", "--curl", TEXT]);
    assert!(curl.contains("--fail-with-body"), "{curl}");
    let (code, body, _) = sh(&curl, &[("TEST_SECRET", "wrong")]);
    assert_ne!(code, 0);
    assert!(body.contains("\"no\""), "{body}");
}

#[test]
fn a_local_https_server_with_its_own_ca_works_after_cacert() {
    let id = TlsIdentity::issued();
    let server = serve_tls(&id, api);
    let home = Home::for_server(&server);
    let ca = home.write("ca.pem", &id.ca_pem);

    // Not trusted yet: the failure says what to set, in words.
    let (code, out, err) = home.run(&["send", TEXT]);
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(out.contains("TLS failed"), "{out}");
    assert!(
        out.contains("does not trust") && out.contains("--cacert"),
        "{out}"
    );
    assert!(
        !out.contains("UnknownIssuer") && !out.contains("Other("),
        "{out}"
    );

    // --cacert, SSL_CERT_FILE, and a profile's ca_file.
    let (code, out, err) = home.run(&["send", "--cacert", &ca, TEXT]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("accepted"), "{out}");
    let (code, out, err) = home.run_env(
        &["send", TEXT],
        &[("TEST_SECRET", SECRET), ("SSL_CERT_FILE", &ca)],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    std::fs::write(
        home.config_file(),
        format!(
            "[profiles.local]\nbase_url = \"{}\"\nusername = \"{USER}\"\npassword_env = \"TEST_SECRET\"\nca_file = \"{ca}\"\n",
            server.base_url()
        ),
    )
    .unwrap();
    let (code, out, err) = home.run(&["send", TEXT]);
    assert_eq!(code, 0, "{out}\n{err}");
    // The curl command carries the CA too, and works.
    if curl_installed() {
        let (_, curl, _) = home.run(&["send", "--curl", TEXT]);
        assert!(curl.contains("--cacert"), "{curl}");
        let (code, _, err) = sh(&curl, &[("TEST_SECRET", SECRET)]);
        assert_eq!(code, 0, "{err}\n{curl}");
    }
    // A CA file that is not there is named with the profile's key.
    std::fs::remove_file(&ca).unwrap();
    let (code, out, err) = home.run(&["send", TEXT]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        out.contains("cannot read the CA file") && out.contains("ca_file"),
        "{out}"
    );
}

#[test]
fn a_server_presenting_its_ca_certificate_is_told_in_words() {
    let id = TlsIdentity::ca_as_server();
    let server = serve_tls(&id, api);
    let home = Home::for_server(&server);
    let ca = home.write("ca.pem", &id.ca_pem);
    let (code, out, _) = home.run(&["send", "--cacert", &ca, TEXT]);
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("certificate authority's own certificate"),
        "{out}"
    );
    assert!(!out.contains("CaUsedAsEndEntity"), "{out}");
}

#[test]
fn the_media_check_trusts_what_sending_trusts() {
    // A media URL on the local HTTPS server: trusted with SSL_CERT_FILE, like a send.
    let id = TlsIdentity::issued();
    let server = serve_tls(&id, |_| {
        Act::Respond(http(
            "200 OK",
            &[("Content-Type", "image/png")],
            &[0x89, b'P', b'N', b'G', 13, 10, 26, 10],
        ))
    });
    let home = Home::new("");
    let ca = home.write("ca.pem", &id.ca_pem);
    let mut doc = example("media.json");
    doc["mediaUrl"] = format!("{}/a.png", server.base_url()).into();
    let d = home.write("m.json", &doc.to_string());
    let (_, untrusted, _) = home.run(&["validate", "--check-media", &d]);
    assert!(
        untrusted.contains("TLS") || untrusted.contains("certificate"),
        "{untrusted}"
    );
    assert!(untrusted.contains("does not trust"), "{untrusted}");
    let (_, trusted, _) = home.run_env(
        &["validate", "--check-media", &d],
        &[("SSL_CERT_FILE", &ca)],
    );
    assert!(!trusted.contains("TLS"), "{trusted}");
    let (_, trusted, _) = home.run(&["validate", "--check-media", "--cacert", &ca, &d]);
    assert!(
        !trusted.contains("TLS") && !trusted.contains("certificate"),
        "{trusted}"
    );
}

/// Prints what reading the system's trust store costs (the first client of a process pays
/// it; later ones reuse it). Run with `--ignored --nocapture` to see it.
#[test]
#[ignore]
fn measure_the_system_trust_store() {
    let t = std::time::Instant::now();
    let n = rcs_composer::client::system_roots().len();
    let first = t.elapsed();
    let t = std::time::Instant::now();
    let _ = rcs_composer::client::system_roots().len();
    println!(
        "system trust store: {n} certificates, first read {first:?}, then {:?}",
        t.elapsed()
    );
}
