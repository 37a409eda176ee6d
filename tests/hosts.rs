//! "This machine" is decided on a host's resolved addresses, all of them: a name under
//! `.localhost` that resolves elsewhere gets no credentials over plain http, and no
//! callbacks from the sandbox. Names are looked up in a table the test gives (no DNS);
//! servers are real, on loopback.

use rcs_composer::client::{self, Resolver, SendResult};
use rcs_composer::profile::{Profile, Secret};
use rcs_composer::sandbox::{self, SandboxConfig, SandboxEvent};
use serde_json::Value;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BIN: &str = env!("CARGO_BIN_EXE_rcs-composer");
const TEXT: &str = include_str!("../assets/examples/text.json");

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn profile(base_url: &str) -> Profile {
    Profile {
        name: "p".into(),
        base_url: base_url.into(),
        username: "key".into(),
        password: Secret::new("the-secret-1234"),
        allow_insecure: false,
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(10),
        is_sandbox: false,
        ca_file: None,
        origin: Default::default(),
    }
}

/// A server on loopback that counts connections and answers 200 with the API's shape,
/// keeping each request's Authorization header.
async fn server() -> (u16, Arc<Mutex<Vec<String>>>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut c, _)) = l.accept().await {
            let mut buf = vec![0u8; 65536];
            let n = c.read(&mut buf).await.unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]).to_string();
            let auth = req
                .lines()
                .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
                .unwrap_or("")
                .to_string();
            s.lock().unwrap().push(auth);
            let body = r#"{"status":"success","message":"ok","data":[{"messageGUID":"g","destination":"1","status":"success"}]}"#;
            let resp = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = c.write_all(resp.as_bytes()).await;
        }
    });
    (port, seen)
}

/// Failed before: `http://evil.example.localhost` was trusted by its name and got Basic auth
/// in clear wherever it resolved.
#[tokio::test]
async fn plain_http_credentials_go_only_to_names_that_resolve_here() {
    let (port, seen) = server().await;
    let doc: Value = serde_json::from_str(TEXT).unwrap();
    let table = Resolver::fixed([
        ("evil.example.localhost", vec![ip("203.0.113.7")]),
        ("half.localhost", vec![ip("127.0.0.1"), ip("198.51.100.2")]),
        ("good.localhost", vec![ip("127.0.0.1")]),
        ("localhost", vec![ip("::1"), ip("127.0.0.1")]),
    ]);
    for host in ["evil.example.localhost", "half.localhost"] {
        let url = format!("http://{host}:{port}");
        let o = client::send_with(&profile(&url), &doc, &table).await;
        let SendResult::Refused { reason } = &o.result else {
            panic!("{host}: {:?}", o.result);
        };
        assert!(reason.contains("not only to this machine"), "{reason}");
        assert!(reason.contains("Nothing was sent"), "{reason}");
        assert!(reason.contains(host), "{reason}");
    }
    assert!(seen.lock().unwrap().is_empty(), "a connection was made");
    // A name that resolves here only is sent to, with its credentials.
    let o = client::send_with(
        &profile(&format!("http://good.localhost:{port}")),
        &doc,
        &table,
    )
    .await;
    assert!(o.is_success(), "{:?}", o.result);
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert!(seen.lock().unwrap()[0].contains("Basic "));
    // allow_insecure: the person said this network is trusted; the name is not checked.
    let mut p = profile(&format!("http://evil.example.localhost:{port}"));
    p.allow_insecure = true;
    let o = client::send_with(
        &p,
        &doc,
        &Resolver::fixed([("evil.example.localhost", vec![ip("127.0.0.1")])]),
    )
    .await;
    assert!(o.is_success(), "{:?}", o.result);
}

/// The binary, with the resolver table debug builds read from the environment.
#[test]
fn send_refuses_a_localhost_name_that_resolves_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("d.json");
    std::fs::write(&draft, TEXT).unwrap();
    let out = std::process::Command::new(BIN)
        .arg("send")
        .arg(&draft)
        .args(["--base-url", "http://evil.example.localhost:9"])
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("RCS_COMPOSER_USERNAME", "key")
        .env("RCS_COMPOSER_PASSWORD", "the-secret-1234")
        .env(
            "RCS_COMPOSER_TEST_RESOLVE",
            "evil.example.localhost=203.0.113.7",
        )
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("evil.example.localhost resolves to 203.0.113.7, not only to this machine"),
        "{text}"
    );
    assert_ne!(out.status.code(), Some(0), "{text}");
}

/// Failed before: the sandbox posted callbacks to any `*.localhost` name.
#[tokio::test]
async fn the_sandbox_posts_callbacks_only_to_names_that_resolve_here() {
    let (port, seen) = server().await;
    let config = SandboxConfig {
        delivery_step: Duration::from_millis(20),
        resolver: Resolver::fixed([
            ("evil.localhost", vec![ip("192.0.2.1")]),
            ("cb.localhost", vec![ip("127.0.0.1")]),
        ]),
        ..SandboxConfig::with_fresh_credentials()
    };
    let events: Arc<Mutex<Vec<SandboxEvent>>> = Arc::default();
    let sink_events = events.clone();
    let sb = sandbox::start_with_log(
        config,
        "127.0.0.1:0",
        Arc::new(move |e| sink_events.lock().unwrap().push(e)),
    )
    .await
    .unwrap();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    for host in ["evil.localhost", "cb.localhost"] {
        let mut doc: Value = serde_json::from_str(TEXT).unwrap();
        doc["callbackURL"] = format!("http://{host}:{port}/cb").into();
        let r = http
            .post(format!("{}/v5/messages", sb.base_url()))
            .basic_auth(&sb.username, Some(&sb.password))
            .header("content-type", "application/json")
            .body(doc.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{host}");
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    let (refused, posted) = loop {
        let all = events.lock().unwrap().clone();
        let callbacks: Vec<_> = all
            .iter()
            .filter_map(|e| match e {
                SandboxEvent::Callback(c) => Some(c.clone()),
                _ => None,
            })
            .collect();
        let refused: Vec<_> = callbacks
            .iter()
            .filter(|c| c.url.contains("evil"))
            .cloned()
            .collect();
        let posted: Vec<_> = callbacks
            .iter()
            .filter(|c| c.url.contains("cb.localhost"))
            .cloned()
            .collect();
        if refused.len() >= 3 && posted.len() >= 3 || Instant::now() > deadline {
            break (refused, posted);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(refused.len() >= 3, "{refused:?}");
    for c in &refused {
        let p = c.problem.as_deref().unwrap_or("");
        assert!(p.contains("evil.localhost resolves to 192.0.2.1"), "{p}");
        assert_eq!(c.answer, None);
    }
    assert!(posted.iter().all(|c| c.answer == Some(200)), "{posted:?}");
    // The server saw the good name's callbacks only (and no Basic auth: callbacks carry none).
    assert_eq!(seen.lock().unwrap().len(), posted.len());
}
