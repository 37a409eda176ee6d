//! The sandbox and the callback listener over real loopback sockets, with reqwest as the
//! client; and the `sandbox` / `listen` commands as real processes.

use rcs_composer::sandbox::{
    self, DeliveryUpdate, LogSink, RunningListener, RunningSandbox, SandboxConfig, SandboxEvent,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const USER: &str = "test-key";
const PASS: &str = "test-secret";
/// Short, so a whole delivery takes well under a second.
const STEP: Duration = Duration::from_millis(25);
/// Long enough for any update on a loaded machine; waits end as soon as the update is in.
const PATIENCE: Duration = Duration::from_secs(10);

fn config() -> SandboxConfig {
    SandboxConfig {
        username: USER.into(),
        password: PASS.into(),
        latency: Duration::ZERO,
        allow_remote_callbacks: false,
        delivery_step: STEP,
        ..SandboxConfig::with_fresh_credentials()
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(PATIENCE)
        .build()
        .unwrap()
}

/// Every event the sandbox reported, for asserting on its log.
#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<SandboxEvent>>>);

impl Events {
    fn sink(&self) -> LogSink {
        let me = self.clone();
        Arc::new(move |e| me.0.lock().unwrap().push(e))
    }
    fn all(&self) -> Vec<SandboxEvent> {
        self.0.lock().unwrap().clone()
    }
    async fn wait_for(&self, what: &str, pred: impl Fn(&SandboxEvent) -> bool) -> SandboxEvent {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(e) = self.all().into_iter().find(&pred) {
                return e;
            }
            assert!(
                Instant::now() < deadline,
                "no event: {what}; got {:?}",
                self.all()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

async fn start(config: SandboxConfig) -> (RunningSandbox, Events) {
    let events = Events::default();
    let sb = sandbox::start_with_log(config, "127.0.0.1:0", events.sink())
        .await
        .unwrap();
    (sb, events)
}

fn url(sb: &RunningSandbox) -> String {
    format!("{}/v5/messages", sb.base_url())
}

/// Posts `body` to the sandbox with `auth`; the status, the headers and the JSON answer.
async fn post_raw(
    sb: &RunningSandbox,
    auth: Option<(&str, &str)>,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut req = client()
        .post(url(sb))
        .header("content-type", "application/json")
        .body(body);
    if let Some((u, p)) = auth {
        req = req.basic_auth(u, Some(p));
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    let json = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("answer {status} is not JSON ({e}): {text}"));
    (status, headers, json)
}

async fn post(sb: &RunningSandbox, body: &Value) -> (StatusCode, Value) {
    let (status, _, json) = post_raw(sb, Some((USER, PASS)), body.to_string()).await;
    (status, json)
}

fn example(name: &str) -> Value {
    let path = format!("{}/assets/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn assert_uuid_v4(s: &str) {
    let u = uuid::Uuid::parse_str(s).unwrap_or_else(|e| panic!("{s:?} is not a UUID: {e}"));
    assert_eq!(u.get_version_num(), 4, "{s} is not a v4 UUID");
    assert_eq!(u.hyphenated().to_string(), s, "not in the canonical form");
}

// ---------------------------------------------------------------------------------------
// Response classes
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn every_vendor_example_is_accepted_with_a_fresh_uuid_v4() {
    let (sb, events) = start(config()).await;
    let profile = sb.profile();
    assert_eq!(profile.base_url, sb.base_url());
    assert_eq!(
        (profile.username.as_str(), profile.password.expose()),
        (USER, PASS)
    );
    assert!(profile.is_sandbox);
    let mut guids = Vec::new();
    for name in ["text.json", "media.json", "card.json", "carousel.json"] {
        let body = example(name);
        let (status, answer) = post(&sb, &body).await;
        assert_eq!(status, StatusCode::OK, "{name}: {answer}");
        assert_eq!(answer["status"], "success");
        assert_eq!(answer["message"], "Message successfully queued");
        let results = answer["data"]["results"].as_array().unwrap();
        assert_eq!(results.len(), 1);
        assert_eq!(results[0]["destination"], body["destination"]);
        assert_eq!(results[0]["status"], "success");
        let guid = results[0]["messageGUID"].as_str().unwrap().to_string();
        assert_uuid_v4(&guid);
        guids.push(guid);
    }
    let mut unique = guids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        guids.len(),
        "a GUID was given twice: {guids:?}"
    );

    // One log line per request, naming its type, destination and GUID.
    let requests: Vec<_> = events
        .all()
        .into_iter()
        .filter_map(|e| match e {
            SandboxEvent::Request(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[2].status, 200);
    assert_eq!(requests[2].message_type.as_deref(), Some("RCS_CARD"));
    assert_eq!(requests[2].destination.as_deref(), Some("15559876543"));
    assert_eq!(requests[2].message_guid.as_deref(), Some(guids[2].as_str()));
    let line = requests[2].to_string();
    assert!(line.contains(&format!(
        " 200 POST /v5/messages RCS_CARD 15559876543 {}",
        guids[2]
    )));
}

#[tokio::test]
async fn an_invalid_body_gets_the_vendor_documents_400_path_for_path() {
    let (sb, _) = start(config()).await;
    // The vendor's three error examples, kept once in tests/conformance/.
    let cases = [
        "vendor_simple_error_example",
        "vendor_nested_error_example",
        "vendor_carousel_error_example",
    ]
    .map(|name| {
        let path = format!(
            "{}/tests/conformance/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        (case["body"].clone(), case["answer"].clone())
    });
    for (body, want) in cases {
        let (status, answer) = post(&sb, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(answer["message"], "Missing or invalid parameters in body");
        assert_eq!(answer, want);
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_gets_400_naming_line_and_column() {
    let (sb, events) = start(config()).await;
    let (status, _, answer) = post_raw(
        &sb,
        Some((USER, PASS)),
        "{\n  \"messageType\": \"RCS_TEXT\",\n  oops\n}",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["status"], "error");
    let message = answer["message"].as_str().unwrap();
    assert!(message.starts_with("Body is not valid JSON"), "{message}");
    assert!(message.contains("line 3 column 3"), "{message}");

    for bad in [
        b"".to_vec(),
        b"\xff\xfe{}".to_vec(),
        "[".repeat(10_000).into_bytes(),
    ] {
        let (status, _, answer) = post_raw(&sb, Some((USER, PASS)), bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert!(
            answer["message"]
                .as_str()
                .unwrap()
                .contains("line 1 column")
        );
    }
    // JSON, but not an object: the validator's 400.
    let (status, answer) = post(&sb, &json!(["RCS_TEXT"])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["message"], "Missing or invalid parameters in body");
    assert!(!answer["data"].as_array().unwrap().is_empty());

    let e = events
        .wait_for(
            "the first 400",
            |e| matches!(e, SandboxEvent::Request(r) if r.status == 400),
        )
        .await;
    assert!(e.to_string().contains("not JSON"), "{e}");
}

#[tokio::test]
async fn missing_or_wrong_credentials_get_401_with_a_challenge() {
    let (sb, events) = start(config()).await;
    let body = example("text.json").to_string();
    let attempts: [(Option<(&str, &str)>, &str); 4] = [
        (None, "Authentication required"),
        (Some((USER, "wrong")), "Invalid credentials"),
        (Some(("wrong", PASS)), "Invalid credentials"),
        (Some((USER, "test-secret-and-more")), "Invalid credentials"),
    ];
    for (auth, expected) in attempts {
        let (status, headers, answer) = post_raw(&sb, auth, body.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}");
        let challenge = headers["www-authenticate"].to_str().unwrap();
        assert!(challenge.starts_with("Basic realm="), "{challenge}");
        assert_eq!(answer["status"], "error");
        assert!(
            answer["message"].as_str().unwrap().starts_with(expected),
            "{answer}"
        );
        assert!(
            answer.get("data").is_none(),
            "no GUID for an unauthorized request"
        );
    }
    // Not Basic, or not base64.
    for header in ["Bearer abc", "Basic !!!", "Basic"] {
        let resp = client()
            .post(url(&sb))
            .header("authorization", header)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{header}");
        assert!(resp.headers().contains_key("www-authenticate"));
        let answer: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
        assert!(
            answer["message"]
                .as_str()
                .unwrap()
                .contains("Authorization header")
        );
    }
    // Auth comes first: an unauthorized bad body is still a 401.
    let (status, _, _) = post_raw(&sb, None, "not json").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The secret never reaches the log, even when it is what was sent wrong.
    for e in events.all() {
        let line = e.to_string();
        assert!(!line.contains("test-secret"), "{line}");
    }
}

#[tokio::test]
async fn a_body_over_1_mb_gets_413_and_one_at_the_limit_does_not() {
    let (sb, _) = start(config()).await;
    // A valid message padded with spaces to exactly the limit.
    let mut at_limit = example("text.json").to_string().into_bytes();
    at_limit.resize(sandbox::MAX_BODY_BYTES, b' ');
    let (status, _, answer) = post_raw(&sb, Some((USER, PASS)), at_limit.clone()).await;
    assert_eq!(status, StatusCode::OK, "{answer}");

    at_limit.push(b' ');
    let (status, _, answer) = post_raw(&sb, Some((USER, PASS)), at_limit).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer["status"], "error");
    assert!(
        answer["message"].as_str().unwrap().contains("1 MB"),
        "{answer}"
    );

    // Still serving.
    let (status, _) = post(&sb, &example("card.json")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn other_paths_and_methods_get_json_404_and_405() {
    let (sb, _) = start(config()).await;
    let c = client();
    let resp = c
        .post(format!("{}/v4/messages", sb.base_url()))
        .basic_auth(USER, Some(PASS))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let answer: Value = resp.json_like().await;
    assert_eq!(answer["status"], "error");
    assert!(answer["message"].as_str().unwrap().contains("/v4/messages"));

    let resp = c.get(url(&sb)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(resp.headers()["allow"], "POST");
    let answer: Value = resp.json_like().await;
    assert_eq!(answer["status"], "error");
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let latency = Duration::from_millis(300);
    let (sb, _) = start(SandboxConfig {
        latency,
        ..config()
    })
    .await;
    let t = Instant::now();
    let (status, _) = post(&sb, &example("text.json")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(t.elapsed() >= latency, "answered after {:?}", t.elapsed());
    let t = Instant::now();
    let (status, _, _) = post_raw(&sb, None, "{}").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(t.elapsed() >= latency, "401 after {:?}", t.elapsed());
}

#[tokio::test]
async fn a_stopped_sandbox_refuses_connections() {
    let (sb, _) = start(config()).await;
    let addr = sb.addr;
    sb.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());

    let (sb, _) = start(config()).await;
    let addr = sb.addr;
    drop(sb);
    let deadline = Instant::now() + PATIENCE;
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(Instant::now() < deadline, "still serving after drop");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// reqwest's `json` feature is not enabled: parse the text.
trait JsonLike {
    async fn json_like(self) -> Value;
}

impl JsonLike for reqwest::Response {
    async fn json_like(self) -> Value {
        let text = self.text().await.unwrap();
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }
}

// ---------------------------------------------------------------------------------------
// Delivery callbacks
// ---------------------------------------------------------------------------------------

/// Sends `body` with its callbackURL pointing at a fresh listener; the GUID and the listener.
async fn send_with_callback(sb: &RunningSandbox, mut body: Value) -> (String, RunningListener) {
    let listener = sandbox::start_listener("127.0.0.1:0").await.unwrap();
    body["callbackURL"] = json!(listener.callback_url());
    let (status, answer) = post(sb, &body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let guid = answer["data"]["results"][0]["messageGUID"]
        .as_str()
        .unwrap()
        .to_string();
    (guid, listener)
}

async fn next_update(listener: &mut RunningListener) -> DeliveryUpdate {
    tokio::time::timeout(PATIENCE, listener.updates.recv())
        .await
        .expect("no delivery update in time")
        .expect("listener channel closed")
}

/// The next `n` updates, then a check that no more come within a few steps.
async fn updates(listener: &mut RunningListener, n: usize) -> Vec<DeliveryUpdate> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(next_update(listener).await);
    }
    let extra = tokio::time::timeout(STEP * 8, listener.updates.recv()).await;
    assert!(extra.is_err(), "an update too many: {extra:?}");
    out
}

fn sequence(us: &[DeliveryUpdate]) -> Vec<(&str, &str)> {
    us.iter()
        .map(|u| (u.status.as_str(), u.channel.as_str()))
        .collect()
}

fn check_common(us: &[DeliveryUpdate], guid: &str, destination: &str) {
    let mut last: Option<jiff::Timestamp> = None;
    for u in us {
        assert_eq!(u.message_guid, guid);
        assert_eq!(u.destination, destination);
        let t: jiff::Timestamp = u
            .timestamp
            .parse()
            .unwrap_or_else(|e| panic!("timestamp {:?} is not RFC 3339: {e}", u.timestamp));
        if let Some(prev) = last {
            assert!(t >= prev, "timestamps go backwards: {us:?}");
        }
        last = Some(t);
    }
}

#[tokio::test]
async fn a_delivered_message_is_queued_sent_delivered_over_rcs() {
    let (sb, events) = start(config()).await;
    let body = example("card.json");
    let (guid, mut listener) = send_with_callback(&sb, body.clone()).await;
    let us = updates(&mut listener, 3).await;
    assert_eq!(
        sequence(&us),
        [("queued", "RCS"), ("sent", "RCS"), ("delivered", "RCS")]
    );
    assert!(us.iter().all(|u| u.error.is_none()));
    check_common(&us, &guid, "15559876543");

    // The wire format is the documented one.
    let wire = serde_json::to_value(&us[0]).unwrap();
    let keys: Vec<_> = wire.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "messageGUID",
            "destination",
            "status",
            "channel",
            "timestamp",
            "error"
        ]
    );

    // Each post is logged with the listener's answer.
    let e = events
        .wait_for(
            "the delivered callback",
            |e| matches!(e, SandboxEvent::Callback(c) if c.status == "delivered"),
        )
        .await;
    match e {
        SandboxEvent::Callback(c) => {
            assert_eq!(c.answer, Some(204));
            assert_eq!(c.problem, None);
            assert_eq!(c.message_guid, guid);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn rcs_failure_with_sms_failover_is_delivered_as_sms() {
    let (sb, _) = start(config()).await;
    let mut body = example("text.json");
    body["destination"] = json!("15559876540");
    assert_eq!(body["smsFailover"]["enabled"], true);
    let (guid, mut listener) = send_with_callback(&sb, body).await;
    let us = updates(&mut listener, 4).await;
    assert_eq!(
        sequence(&us),
        [
            ("queued", "RCS"),
            ("failed", "RCS"),
            ("sent", "SMS"),
            ("delivered", "SMS")
        ]
    );
    let error = us[1].error.as_deref().unwrap();
    assert!(
        error.contains("RCS delivery failed") && error.contains("SMS"),
        "{error}"
    );
    assert!(us[2].error.is_none() && us[3].error.is_none());
    check_common(&us, &guid, "15559876540");
}

#[tokio::test]
async fn rcs_failure_with_mms_failover_is_delivered_as_mms() {
    let (sb, _) = start(config()).await;
    let mut body = example("card.json");
    body["destination"] = json!("+15559876540");
    assert_eq!(body["mmsFailover"]["enabled"], true);
    let (guid, mut listener) = send_with_callback(&sb, body).await;
    let us = updates(&mut listener, 4).await;
    assert_eq!(
        sequence(&us),
        [
            ("queued", "RCS"),
            ("failed", "RCS"),
            ("sent", "MMS"),
            ("delivered", "MMS")
        ]
    );
    check_common(&us, &guid, "+15559876540");
}

#[tokio::test]
async fn rcs_failure_without_failover_is_reported_failed() {
    let (sb, _) = start(config()).await;
    // A disabled failover is no failover.
    let mut body = example("card.json");
    body["destination"] = json!("15559876540");
    body["mmsFailover"] = json!({"enabled": false});
    let (guid, mut listener) = send_with_callback(&sb, body).await;
    let us = updates(&mut listener, 2).await;
    assert_eq!(sequence(&us), [("queued", "RCS"), ("failed", "RCS")]);
    let error = us[1].error.as_deref().unwrap();
    assert!(error.contains("no mmsFailover is enabled"), "{error}");
    check_common(&us, &guid, "15559876540");

    // And with none at all.
    let mut body = example("media.json");
    body["destination"] = json!("15559876540");
    body.as_object_mut().unwrap().remove("mmsFailover");
    let (_, mut listener) = send_with_callback(&sb, body).await;
    let us = updates(&mut listener, 2).await;
    assert_eq!(sequence(&us), [("queued", "RCS"), ("failed", "RCS")]);
}

#[tokio::test]
async fn a_remote_callback_url_is_not_posted_to_unless_allowed() {
    // 0.0.0.0 is not a loopback address by the rule (it is not 127.0.0.0/8, ::1 or
    // localhost), yet a connection to it stays on this machine: Linux delivers it to the
    // local host. So the test can see whether the sandbox posted, without any traffic leaving
    // loopback.
    let mut listener = sandbox::start_listener("127.0.0.1:0").await.unwrap();
    let callback = format!("http://0.0.0.0:{}/cb", listener.addr.port());

    let (sb, events) = start(config()).await;
    let mut body = example("text.json");
    body["callbackURL"] = json!(callback);
    let (status, _) = post(&sb, &body).await;
    assert_eq!(status, StatusCode::OK);
    let e = events
        .wait_for(
            "the refused delivered callback",
            |e| matches!(e, SandboxEvent::Callback(c) if c.status == "delivered"),
        )
        .await;
    let line = e.to_string();
    assert!(line.contains("not a loopback host"), "{line}");
    assert!(line.contains("--allow-remote-callbacks"), "{line}");
    for e in events.all() {
        if let SandboxEvent::Callback(c) = e {
            assert_eq!(c.answer, None, "posted: {c:?}");
        }
    }
    assert!(
        listener.updates.try_recv().is_err(),
        "a remote callback was posted"
    );

    // The same URL is posted to when allowed: the refusal above was not an accident.
    let (sb, _) = start(SandboxConfig {
        allow_remote_callbacks: true,
        ..config()
    })
    .await;
    let (status, _) = post(&sb, &body).await;
    assert_eq!(status, StatusCode::OK);
    let u = next_update(&mut listener).await;
    assert_eq!((u.status.as_str(), u.channel.as_str()), ("queued", "RCS"));
}

#[tokio::test]
async fn a_dead_callback_is_logged_and_the_sandbox_keeps_serving() {
    // A port nobody listens on: bind one, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (sb, events) = start(config()).await;
    let mut body = example("text.json");
    body["callbackURL"] = json!(format!("http://127.0.0.1:{port}/cb"));
    let (status, _) = post(&sb, &body).await;
    assert_eq!(status, StatusCode::OK);
    let e = events
        .wait_for("a failed callback", |e| {
            matches!(e, SandboxEvent::Callback(_))
        })
        .await;
    let line = e.to_string();
    assert!(line.contains("not delivered: could not connect"), "{line}");
    let (status, _) = post(&sb, &example("card.json")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn stopping_the_sandbox_cancels_pending_updates() {
    let (sb, _) = start(SandboxConfig {
        delivery_step: Duration::from_secs(1),
        ..config()
    })
    .await;
    let (_, mut listener) = send_with_callback(&sb, example("card.json")).await;
    sb.shutdown().await;
    let got = tokio::time::timeout(Duration::from_millis(1500), listener.updates.recv()).await;
    assert!(got.is_err(), "an update after shutdown: {got:?}");
}

// ---------------------------------------------------------------------------------------
// The listener
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_listener_hands_on_updates_and_survives_bad_ones() {
    let rejects = Arc::new(Mutex::new(Vec::<String>::new()));
    let r = rejects.clone();
    let mut listener = sandbox::start_listener_with_log(
        "127.0.0.1:0",
        Arc::new(move |line| r.lock().unwrap().push(line)),
    )
    .await
    .unwrap();
    let c = client();
    let sent = DeliveryUpdate {
        message_guid: "6f1c2a43-9f0e-4c5b-8d7a-2b3c4d5e6f70".into(),
        destination: "15559876543".into(),
        status: "delivered".into(),
        channel: "RCS".into(),
        timestamp: "2026-11-27T12:00:00.000Z".into(),
        error: None,
    };
    let post = |path: &str, body: String| {
        c.post(format!("http://{}{path}", listener.addr))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    let resp = post("/anything/at/all", "{\"not\": \"an update\"}".into())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let resp = post("/cb", "garbage".into()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let resp = c.get(listener.callback_url()).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);

    let resp = post("/cb", serde_json::to_string(&sent).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let got = next_update(&mut listener).await;
    assert_eq!(got, sent);
    assert!(
        listener.updates.try_recv().is_err(),
        "bad bodies were handed on"
    );

    let rejects = rejects.lock().unwrap().clone();
    assert_eq!(rejects.len(), 3, "{rejects:?}");
    assert!(rejects[0].contains("not a delivery update"), "{rejects:?}");
    assert!(rejects[1].contains("line 1 column 1"), "{rejects:?}");
}

// ---------------------------------------------------------------------------------------
// The commands, as real processes
// ---------------------------------------------------------------------------------------

mod commands {
    use super::*;
    use tokio::io::{AsyncBufReadExt, BufReader, Lines};
    use tokio::process::{Child, ChildStdout, Command};

    fn command(args: &[&str]) -> Command {
        let dir = std::env::temp_dir();
        let mut c = Command::new(env!("CARGO_BIN_EXE_rcs-composer"));
        c.args(args)
            .env("XDG_CONFIG_HOME", &dir)
            .env("XDG_DATA_HOME", &dir)
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        c
    }

    async fn next_line(lines: &mut Lines<BufReader<ChildStdout>>) -> String {
        tokio::time::timeout(PATIENCE, lines.next_line())
            .await
            .expect("no output in time")
            .unwrap()
            .expect("stdout closed")
    }

    /// Lines until one starts with `prefix`; that one.
    async fn line_starting(lines: &mut Lines<BufReader<ChildStdout>>, prefix: &str) -> String {
        loop {
            let line = next_line(lines).await;
            if line.trim_start().starts_with(prefix) {
                return line;
            }
        }
    }

    fn interrupt(child: &Child) {
        let pid = child.id().expect("already exited").to_string();
        let ok = std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    async fn finish(mut child: Child) -> (std::process::ExitStatus, String) {
        let status = tokio::time::timeout(PATIENCE, child.wait())
            .await
            .expect("did not stop after SIGINT")
            .unwrap();
        let mut stderr = String::new();
        if let Some(mut e) = child.stderr.take() {
            use tokio::io::AsyncReadExt;
            e.read_to_string(&mut stderr).await.unwrap();
        }
        (status, stderr)
    }

    #[tokio::test]
    async fn sandbox_serves_logs_and_stops_on_sigint() {
        let mut child = command(&["sandbox", "--listen", "127.0.0.1:0"])
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();

        let banner = line_starting(&mut lines, "rcs-composer sandbox: serving").await;
        let base = banner
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap()
            .to_string();
        assert!(!base.ends_with(":0"), "{banner}");
        let key = line_starting(&mut lines, "API key:").await;
        let key = key.split_whitespace().last().unwrap().to_string();
        let secret = line_starting(&mut lines, "API secret:").await;
        let secret = secret.split_whitespace().nth(2).unwrap().to_string();
        assert!(secret.len() >= 32, "{secret}");
        // The profile snippet names the same base URL and credentials.
        let snippet_url = line_starting(&mut lines, "base_url =").await;
        assert!(snippet_url.contains(&base), "{snippet_url}");
        line_starting(&mut lines, "Press Ctrl-C").await;

        let resp = client()
            .post(format!("{base}/v5/messages"))
            .basic_auth(&key, Some(&secret))
            .body(example("card.json").to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let answer = resp.json_like().await;
        let guid = answer["data"]["results"][0]["messageGUID"]
            .as_str()
            .unwrap();

        let log = next_line(&mut lines).await;
        assert!(
            log.contains(&format!(
                " 200 POST /v5/messages RCS_CARD 15559876543 {guid}"
            )),
            "{log}"
        );

        interrupt(&child);
        let (status, stderr) = finish(child).await;
        assert!(status.success(), "{status:?}: {stderr}");
        assert!(stderr.contains("stopped"), "{stderr}");
    }

    #[tokio::test]
    async fn listen_prints_each_update_visibly_and_stops_on_sigint() {
        let mut child = command(&["listen", "--listen", "127.0.0.1:0"])
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let banner = line_starting(&mut lines, "rcs-composer listen: receiving").await;
        let base = banner
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap()
            .to_string();
        line_starting(&mut lines, "callbackURL:").await;

        let update = json!({
            "messageGUID": "g-1", "destination": "1555\u{1b}[2J", "status": "failed",
            "channel": "RCS", "timestamp": "2026-11-27T12:00:00.000Z",
            "error": "line one\nline two"
        });
        let resp = client()
            .post(format!("{base}/cb"))
            .body(update.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::NO_CONTENT);
        let line = next_line(&mut lines).await;
        assert_eq!(
            line,
            "2026-11-27T12:00:00.000Z g-1 1555␛[2J failed RCS error: line one␊line two"
        );

        interrupt(&child);
        let (status, stderr) = finish(child).await;
        assert!(status.success(), "{status:?}: {stderr}");
    }

    #[tokio::test]
    async fn an_address_in_use_is_named_with_exit_2() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = taken.local_addr().unwrap().to_string();
        for cmd in ["sandbox", "listen"] {
            let out = command(&[cmd, "--listen", &addr]).output().await.unwrap();
            assert_eq!(out.status.code(), Some(2), "{cmd}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains(&format!("cannot listen on {addr}")) && stderr.contains("in use"),
                "{cmd}: {stderr}"
            );
        }
    }
}
