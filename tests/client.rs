//! The client and `rcs-composer send` over real loopback HTTP: small servers inside the test
//! write raw HTTP answers (or stall, or hang up), so every class of answer is exercised
//! through the real reqwest stack and the real binary.

use base64::Engine as _;
use rcs_composer::client::{self, SendResult};
use rcs_composer::message::{FieldPath, Segment};
use rcs_composer::profile::{Profile, Secret};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// A tiny HTTP server.

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    request_line: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// What the server does with a request.
enum Act {
    /// Write these bytes, then close.
    Respond(Vec<u8>),
    /// Write nothing for this long, then close.
    Stall(Duration),
    /// Write these bytes (an incomplete answer), then close.
    HangUp(Vec<u8>),
    /// Write these bytes, then nothing for this long, then close.
    Trickle(Vec<u8>, Duration),
}

struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(handler: impl Fn(&Seen) -> Act + Send + Sync + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let handler = Arc::new(handler);
    let seen2 = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let handler = handler.clone();
            let seen = seen2.clone();
            std::thread::spawn(move || handle(conn, &*handler, &seen));
        }
    });
    Server { addr, seen }
}

fn handle(mut conn: TcpStream, handler: &dyn Fn(&Seen) -> Act, seen: &Mutex<Vec<Seen>>) {
    conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or("").to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let body = buf[head_end..].to_vec();
    let req = Seen {
        request_line,
        headers,
        body,
    };
    let act = handler(&req);
    seen.lock().unwrap().push(req);
    match act {
        Act::Respond(bytes) | Act::HangUp(bytes) => {
            let _ = conn.write_all(&bytes);
            let _ = conn.flush();
        }
        Act::Stall(d) => std::thread::sleep(d),
        Act::Trickle(bytes, d) => {
            let _ = conn.write_all(&bytes);
            let _ = conn.flush();
            std::thread::sleep(d);
        }
    }
    let _ = conn.shutdown(std::net::Shutdown::Both);
}

fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut s = format!("HTTP/1.1 {status}\r\n");
    for (k, v) in headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut out = s.into_bytes();
    out.extend_from_slice(body);
    out
}

fn json_answer(status: &str, body: &Value) -> Act {
    Act::Respond(http(
        status,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    ))
}

fn success_body(guid: &str) -> Value {
    json!({
        "status": "success",
        "message": "Message successfully queued",
        "data": {"results": [
            {"messageGUID": guid, "destination": "15559876543", "status": "success"}
        ]}
    })
}

const USER: &str = "test-api-key";
const SECRET: &str = "S3cret-Value-9f2c";

fn basic(user: &str, pass: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

/// A server that behaves like the API: checks Basic auth, answers 200 with a GUID.
fn api_server() -> Server {
    serve(|req| {
        if req.headers.get("authorization") != Some(&basic(USER, SECRET)) {
            return json_answer(
                "401 Unauthorized",
                &json!({"status": "error", "message": "Invalid credentials"}),
            );
        }
        json_answer(
            "200 OK",
            &success_body("550e8400-e29b-41d4-a716-446655440000"),
        )
    })
}

fn profile(base_url: &str) -> Profile {
    Profile {
        name: "test".into(),
        base_url: base_url.into(),
        username: USER.into(),
        password: Secret::new(SECRET),
        allow_insecure: false,
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(10),
        is_sandbox: false,
        ca_file: None,
        origin: Default::default(),
    }
}

fn example(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples")
        .join(name);
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

// ---------------------------------------------------------------------------------------
// The client.

#[tokio::test]
async fn success_posts_json_with_basic_auth_and_reads_guids() {
    let server = api_server();
    let body = example("carousel.json");
    let o = client::send(&profile(&server.base_url()), &body).await;
    assert_eq!(o.status, Some(200));
    assert_eq!(o.url, format!("{}/v5/messages", server.base_url()));
    match &o.result {
        SendResult::Accepted { message, results } => {
            assert_eq!(message, "Message successfully queued");
            assert_eq!(results.len(), 1);
            assert_eq!(
                results[0].message_guid,
                "550e8400-e29b-41d4-a716-446655440000"
            );
            assert_eq!(results[0].destination, "15559876543");
            assert_eq!(results[0].status, "success");
        }
        other => panic!("{other:?}"),
    }
    assert!(o.is_success() && !o.truncated && o.latency > Duration::ZERO);
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "exactly one request, no retry");
    assert_eq!(seen[0].request_line, "POST /v5/messages HTTP/1.1");
    assert_eq!(seen[0].headers["content-type"], "application/json");
    assert_eq!(seen[0].headers["authorization"], basic(USER, SECRET));
    let sent: Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(sent, body);
}

#[tokio::test]
async fn base_url_with_a_path_and_trailing_slash() {
    let server = api_server();
    let o = client::send(
        &profile(&format!("{}/api/", server.base_url())),
        &example("text.json"),
    )
    .await;
    assert_eq!(
        server.seen()[0].request_line,
        "POST /api/v5/messages HTTP/1.1"
    );
    assert!(o.is_success(), "{:?}", o.result);
}

#[tokio::test]
async fn rejected_maps_each_field_to_a_path() {
    // The vendor document's carousel error example, word for word (tests/conformance/).
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/conformance/vendor_carousel_error_example.json"
    );
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let answer = case["answer"].clone();
    let server = serve(move |_| json_answer("400 Bad Request", &answer));
    let o = client::send(&profile(&server.base_url()), &example("carousel.json")).await;
    assert_eq!(o.status, Some(400));
    let SendResult::Rejected { message, issues } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert_eq!(message, "Missing or invalid parameters in body");
    let paths: Vec<String> = issues.iter().map(|i| i.path.to_string()).collect();
    assert_eq!(
        paths,
        [
            "cards.0.mediaUrl",
            "cards.1.choices.0.url",
            "cards.2.choices.1.latitude"
        ]
    );
    assert_eq!(
        issues[1].path.segments(),
        &[
            Segment::Key("cards".into()),
            Segment::Index(1),
            Segment::Key("choices".into()),
            Segment::Index(0),
            Segment::Key("url".into()),
        ]
    );
    assert_eq!(issues[1].path, FieldPath::parse("cards.1.choices.0.url"));
    assert_eq!(issues[0].description, "mediaUrl");
    assert_eq!(
        issues[2].message,
        "When choice type is SHOW_LOCATION, 'latitude' is required"
    );
}

#[tokio::test]
async fn a_400_without_data_is_still_a_rejection_and_a_404_page_is_not() {
    let server = serve(|req| {
        if req.request_line.contains("/v5/messages") && !req.request_line.contains("/wrong/") {
            json_answer(
                "400 Bad Request",
                &json!({"status": "error", "message": "Request body is not valid JSON"}),
            )
        } else {
            Act::Respond(http(
                "404 Not Found",
                &[("Content-Type", "text/html")],
                b"<h1>Not Found</h1>",
            ))
        }
    });
    let o = client::send(&profile(&server.base_url()), &json!({})).await;
    match &o.result {
        SendResult::Rejected { message, issues } => {
            assert_eq!(message, "Request body is not valid JSON");
            assert!(issues.is_empty());
        }
        other => panic!("{other:?}"),
    }
    let o = client::send(
        &profile(&format!("{}/wrong", server.base_url())),
        &json!({}),
    )
    .await;
    let SendResult::Unexpected { summary } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(
        summary.starts_with("HTTP 404 Not Found") && summary.contains("<h1>Not Found</h1>"),
        "{summary}"
    );
}

#[tokio::test]
async fn unauthorized_and_forbidden_say_what_to_check() {
    let server = serve(|req| {
        if req.request_line.contains("/forbidden/") {
            json_answer(
                "403 Forbidden",
                &json!({"status": "error", "message": "IP not allowed"}),
            )
        } else {
            Act::Respond(http(
                "401 Unauthorized",
                &[("WWW-Authenticate", "Basic")],
                b"",
            ))
        }
    });
    let o = client::send(&profile(&server.base_url()), &json!({})).await;
    assert_eq!(o.status, Some(401));
    let SendResult::AuthFailed { hint } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(
        hint.contains("API key") && hint.contains("secret"),
        "{hint}"
    );
    assert!(
        hint.contains("IP address") && hint.contains("'test'"),
        "{hint}"
    );

    let o = client::send(
        &profile(&format!("{}/forbidden", server.base_url())),
        &json!({}),
    )
    .await;
    assert_eq!(o.status, Some(403));
    let SendResult::AuthFailed { hint } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(
        hint.contains("IP address") && hint.contains("vendor portal"),
        "{hint}"
    );
    assert!(
        hint.contains("IP not allowed"),
        "the server's words too: {hint}"
    );
}

#[tokio::test]
async fn wrong_credentials_are_refused_right_ones_accepted() {
    let server = api_server();
    let mut p = profile(&server.base_url());
    p.password = Secret::new("wrong-secret");
    let o = client::send(&p, &example("text.json")).await;
    assert!(
        matches!(o.result, SendResult::AuthFailed { .. }),
        "{:?}",
        o.result
    );
    assert_eq!(o.status, Some(401));
    let o = client::send(&profile(&server.base_url()), &example("text.json")).await;
    assert!(o.is_success(), "{:?}", o.result);
    assert_eq!(
        server.seen()[0].headers["authorization"],
        basic(USER, "wrong-secret")
    );
}

#[tokio::test]
async fn rate_limited_carries_retry_after() {
    let server = serve(|req| {
        if req.request_line.contains("/with/") {
            Act::Respond(http(
                "429 Too Many Requests",
                &[("Retry-After", "120")],
                b"slow down",
            ))
        } else {
            Act::Respond(http("429 Too Many Requests", &[], b""))
        }
    });
    let o = client::send(&profile(&format!("{}/with", server.base_url())), &json!({})).await;
    assert_eq!(o.status, Some(429));
    match &o.result {
        SendResult::RateLimited { retry_after } => assert_eq!(retry_after.as_deref(), Some("120")),
        other => panic!("{other:?}"),
    }
    let o = client::send(&profile(&server.base_url()), &json!({})).await;
    assert!(matches!(
        o.result,
        SendResult::RateLimited { retry_after: None }
    ));
    assert_eq!(server.seen().len(), 2, "no automatic retry after a 429");
}

#[tokio::test]
async fn html_error_page_is_unexpected_with_its_first_lines() {
    let page = "<!DOCTYPE html>\n<html>\n<head><title>500 Internal Server Error</title></head>\n<body>\n<h1>Oops</h1>\n</body>\n</html>\n";
    let server = serve(move |_| {
        Act::Respond(http(
            "500 Internal Server Error",
            &[("Content-Type", "text/html")],
            page.as_bytes(),
        ))
    });
    let o = client::send(&profile(&server.base_url()), &json!({})).await;
    assert_eq!(o.status, Some(500));
    let SendResult::Unexpected { summary } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(
        summary.starts_with("HTTP 500 Internal Server Error"),
        "{summary}"
    );
    assert!(summary.contains("text/html"), "{summary}");
    assert!(
        summary.contains("<title>500 Internal Server Error</title>"),
        "{summary}"
    );
    assert_eq!(o.response_body, page);
}

#[tokio::test]
async fn a_200_that_is_not_the_apis_json_is_unexpected() {
    let server = serve(|_| {
        Act::Respond(http(
            "200 OK",
            &[("Content-Type", "text/html")],
            b"<p>login</p>",
        ))
    });
    let o = client::send(&profile(&server.base_url()), &json!({})).await;
    assert!(
        matches!(o.result, SendResult::Unexpected { .. }),
        "{:?}",
        o.result
    );
}

#[tokio::test]
async fn a_stalled_server_times_out_in_words() {
    let server = serve(|_| Act::Stall(Duration::from_secs(6)));
    let mut p = profile(&server.base_url());
    p.timeout = Duration::from_millis(700);
    let started = Instant::now();
    let o = client::send(&p, &json!({})).await;
    let took = started.elapsed();
    let SendResult::Network { reason } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(reason.contains("timed out after 0.7 s"), "{reason}");
    assert!(reason.contains("may have been accepted"), "{reason}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert_eq!(o.status, None);
}

#[tokio::test]
async fn a_body_that_stalls_times_out_with_what_arrived() {
    let server = serve(|_| {
        Act::Trickle(
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"sta".to_vec(),
            Duration::from_secs(6),
        )
    });
    let mut p = profile(&server.base_url());
    p.timeout = Duration::from_millis(600);
    let o = client::send(&p, &json!({})).await;
    let SendResult::Network { reason } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(
        reason.contains("timed out after 0.6 s while reading the answer (HTTP 200, 5 bytes"),
        "{reason}"
    );
    assert_eq!(o.status, Some(200));
    assert!(o.latency < Duration::from_secs(3));
}

#[tokio::test]
async fn a_server_closing_mid_response_is_reported() {
    let server = serve(|req| {
        if req.request_line.contains("/body/") {
            // Headers promise 1000 bytes; 10 arrive.
            Act::HangUp(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"status\":"
                    .to_vec(),
            )
        } else {
            Act::HangUp(b"HTTP/1.1 200 OK\r\nContent-Ty".to_vec())
        }
    });
    let o = client::send(&profile(&format!("{}/body", server.base_url())), &json!({})).await;
    let SendResult::Network { reason } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(reason.contains("closed mid-response"), "{reason}");
    assert!(
        reason.contains("HTTP 200") && reason.contains("10 bytes"),
        "{reason}"
    );
    assert_eq!(o.status, Some(200));

    let o = client::send(&profile(&server.base_url()), &json!({})).await;
    let SendResult::Network { reason } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(reason.contains("closed mid-response"), "{reason}");
    assert_eq!(server.seen().len(), 2, "no retry");
}

#[tokio::test]
async fn escape_sequences_in_answers_are_made_visible() {
    let hostile = "\x1b[2J\x1b[H\x1b]0;owned\x07\u{9b}31mred\r\nline two";
    let server = serve(move |req| {
        if req.request_line.contains("/json/") {
            json_answer(
                "400 Bad Request",
                &json!({"status": "error", "message": hostile, "data": [
                    {"field": "messageText", "description": hostile, "message": hostile}
                ]}),
            )
        } else {
            Act::Respond(http(
                "502 Bad Gateway",
                &[("Content-Type", "text/plain")],
                hostile.as_bytes(),
            ))
        }
    });
    let bad = |s: &str| s.chars().any(|c| c != '\n' && c != '\t' && c.is_control());
    let o = client::send(&profile(&server.base_url()), &json!({})).await;
    let SendResult::Unexpected { summary } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(!bad(summary), "{summary:?}");
    assert!(
        summary.contains("␛[2J␛[H␛]0;owned␇⟨U+009B⟩31mred"),
        "{summary:?}"
    );
    assert_eq!(o.response_body, hostile, "the raw body is kept as it came");
    assert!(!bad(&rcs_composer::text::visible(&o.response_body)));

    let o = client::send(&profile(&format!("{}/json", server.base_url())), &json!({})).await;
    let SendResult::Rejected { message, issues } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(!bad(message) && !bad(&issues[0].message) && !bad(&issues[0].description));
    assert!(message.starts_with("␛[2J"), "{message:?}");
}

#[tokio::test]
async fn a_5_mb_answer_is_cut_at_1_mb() {
    let big = "x".repeat(5 * 1024 * 1024);
    let server = serve(move |_| {
        Act::Respond(http(
            "200 OK",
            &[("Content-Type", "text/plain")],
            big.as_bytes(),
        ))
    });
    let o = client::send(&profile(&server.base_url()), &json!({})).await;
    assert!(o.truncated);
    assert_eq!(o.response_body.len(), client::MAX_BODY_BYTES);
    let SendResult::Unexpected { summary } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(summary.contains("over 1 MB"), "{summary}");
    // A short line of the body, not a megabyte of it.
    assert!(summary.len() < 1000, "{}", summary.len());
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused_before_connecting() {
    let o = client::send(&profile("http://example.invalid"), &json!({})).await;
    let SendResult::Refused { reason } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(
        reason.contains("example.invalid") && reason.contains("--allow-insecure"),
        "{reason}"
    );
    assert!(reason.contains("https"), "{reason}");
    assert_eq!((o.status, o.latency), (None, Duration::ZERO));

    // With allow_insecure it is attempted, and the name cannot be resolved: which shows the
    // refusal above came before any lookup or connection.
    let mut p = profile("http://example.invalid");
    p.allow_insecure = true;
    let o = client::send(&p, &json!({})).await;
    let SendResult::Network { reason } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(
        reason.contains("name not resolved") && reason.contains("example.invalid"),
        "{reason}"
    );
}

#[tokio::test]
async fn connection_refused_in_words() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let o = client::send(&profile(&format!("http://127.0.0.1:{port}")), &json!({})).await;
    let SendResult::Network { reason } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(
        reason.contains("connection refused") && reason.contains(&port.to_string()),
        "{reason}"
    );
}

#[tokio::test]
async fn tls_failure_in_words() {
    // An https URL pointing at a plain-HTTP server: it answers the ClientHello with an
    // HTTP error, and the handshake fails.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut conn, _)) = listener.accept() {
            let mut hello = [0u8; 512];
            let _ = conn.read(&mut hello);
            let _ = conn.write_all(&http("400 Bad Request", &[], b"plain http here"));
        }
    });
    let o = client::send(&profile(&format!("https://{addr}")), &json!({})).await;
    let SendResult::Network { reason } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(reason.starts_with("TLS failed"), "{reason}");
}

#[tokio::test]
async fn an_echoed_secret_is_scrubbed_from_the_answer() {
    let server = serve(|req| {
        let auth = req
            .headers
            .get("authorization")
            .cloned()
            .unwrap_or_default();
        Act::Respond(http(
            "500 Internal Server Error",
            &[],
            format!("you sent {auth} / {SECRET}").as_bytes(),
        ))
    });
    let o = client::send(&profile(&server.base_url()), &json!({})).await;
    let encoded = basic(USER, SECRET);
    let encoded = encoded.trim_start_matches("Basic ");
    assert!(!o.response_body.contains(SECRET) && !o.response_body.contains(encoded));
    let SendResult::Unexpected { summary } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert!(
        !summary.contains(SECRET) && summary.contains("you sent Basic ***"),
        "{summary}"
    );
}

// ---------------------------------------------------------------------------------------
// The `send` command.

/// Temp config and data dirs, and the config file pointing at a server.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new(config: &str) -> Home {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("config/rcs-composer");
        std::fs::create_dir_all(&cfg).unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        if !config.is_empty() {
            std::fs::write(cfg.join("config.toml"), config).unwrap();
        }
        Home { dir }
    }

    fn for_server(server: &Server) -> Home {
        Home::new(&format!(
            "default_profile = \"local\"\n\n[profiles.local]\nbase_url = \"{}\"\nusername = \"{USER}\"\npassword_env = \"TEST_SECRET\"\ntimeout_secs = 2\n",
            server.base_url()
        ))
    }

    fn history_file(&self) -> PathBuf {
        self.dir.path().join("data/rcs-composer/history.jsonl")
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        self.run_env(args, &[("TEST_SECRET", SECRET)])
    }

    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rcs-composer"));
        cmd.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
            .args(args)
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("HOME", self.dir.path().join("home"))
            .env("NO_COLOR", "1")
            .env_remove("RCS_COMPOSER_BASE_URL")
            .env_remove("RCS_COMPOSER_USERNAME")
            .env_remove("RCS_COMPOSER_PASSWORD")
            .env_remove("TEST_SECRET");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Every file under the temp dirs, with its bytes.
    fn all_files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(p: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            for e in std::fs::read_dir(p).unwrap() {
                let e = e.unwrap();
                let path = e.path();
                if e.file_type().unwrap().is_dir() {
                    walk(&path, out);
                } else {
                    out.push((path.clone(), std::fs::read(&path).unwrap()));
                }
            }
        }
        let mut out = Vec::new();
        walk(self.dir.path(), &mut out);
        out
    }
}

fn write_draft(home: &Home, name: &str, doc: &Value) -> String {
    let p = home.dir.path().join(name);
    std::fs::write(&p, serde_json::to_vec_pretty(doc).unwrap()).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn headless_send_success_prints_guid_and_records_history() {
    let server = api_server();
    let home = Home::for_server(&server);
    let draft = write_draft(&home, "hello.json", &example("text.json"));
    let (code, out, err) = home.run(&["send", &draft]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("HTTP 200 OK in "), "{out}");
    assert!(
        out.contains("550e8400-e29b-41d4-a716-446655440000"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "POST {}/v5/messages (profile 'local'",
            server.base_url()
        )),
        "{out}"
    );

    // A proxy that does not exist: loopback is reached directly all the same.
    let dead = "http://127.0.0.1:9";
    let (code, out, err) = home.run_env(
        &["send", "--format", "json", &draft],
        &[
            ("TEST_SECRET", SECRET),
            ("HTTP_PROXY", dead),
            ("http_proxy", dead),
            ("ALL_PROXY", dead),
        ],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["kind"], "accepted");
    assert_eq!(v["status"], 200);
    assert_eq!(v["response"]["status"], "success");
    assert_eq!(
        v["message_guids"][0],
        "550e8400-e29b-41d4-a716-446655440000"
    );

    // The history: two lines, newest first when read, with what was sent and answered.
    let text = std::fs::read_to_string(home.history_file()).unwrap();
    assert_eq!(text.lines().count(), 2);
    let log = rcs_composer::store::history::read_from(&home.history_file()).unwrap();
    assert_eq!((log.entries.len(), log.skipped), (2, 0));
    let e = &log.entries[0];
    assert_eq!(e.profile, "local");
    assert_eq!(e.url, format!("{}/v5/messages", server.base_url()));
    assert_eq!(e.draft.as_deref(), Some(draft.as_str()));
    assert_eq!(e.request, example("text.json"));
    assert_eq!(e.status, Some(200));
    assert_eq!(e.outcome, "accepted");
    assert_eq!(e.message_guids, ["550e8400-e29b-41d4-a716-446655440000"]);
    let resp: Value = serde_json::from_str(&e.response).unwrap();
    assert_eq!(resp["data"]["results"][0]["destination"], "15559876543");
    assert!(log.entries[0].time >= log.entries[1].time);
}

#[test]
fn headless_exit_codes() {
    let server = serve(|req| {
        let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
        match body["messageText"].as_str() {
            Some("server-400") => json_answer(
                "400 Bad Request",
                &json!({"status": "error", "message": "Missing or invalid parameters in body",
                        "data": [{"field": "cards.1.mediaUrl", "description": "mediaUrl",
                                  "message": "'mediaUrl' is required"}]}),
            ),
            Some("server-500") => {
                Act::Respond(http("500 Internal Server Error", &[], b"<html>down</html>"))
            }
            Some("server-403") => Act::Respond(http("403 Forbidden", &[], b"")),
            _ => json_answer("200 OK", &success_body("g-1")),
        }
    });
    let home = Home::for_server(&server);
    let with_text = |t: &str| {
        let mut d = example("text.json");
        d["messageText"] = json!(t);
        d
    };

    // 1: the API rejected it, and the path comes out as the API wrote it.
    let d = write_draft(&home, "a.json", &with_text("server-400"));
    let (code, out, err) = home.run(&["send", "--format", "json", &d]);
    assert_eq!(code, 1, "{out}\n{err}");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["kind"], "rejected");
    assert_eq!(v["status"], 400);
    assert_eq!(v["issues"][0]["field"], "cards.1.mediaUrl");
    assert_eq!(v["response"]["data"][0]["field"], "cards.1.mediaUrl");
    let (code, out, _) = home.run(&["send", &d]);
    assert_eq!(code, 1);
    assert!(
        out.contains(": cards.1.mediaUrl: error (server): 'mediaUrl' is required"),
        "{out}"
    );

    // 1: 403.
    let d = write_draft(&home, "b.json", &with_text("server-403"));
    let (code, out, _) = home.run(&["send", &d]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("IP address"), "{out}");

    // 1: local validation blocks, and nothing reaches the server.
    let before = server.seen().len();
    let mut invalid = example("text.json");
    invalid.as_object_mut().unwrap().remove("messageText");
    let d = write_draft(&home, "c.json", &invalid);
    let (code, out, err) = home.run(&["send", &d]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        err.contains("messageText") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(server.seen().len(), before);
    let (code, out, _) = home.run(&["send", "--format", "json", &d]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        (v["kind"].as_str(), v["sent"].as_bool()),
        (Some("invalid"), Some(false))
    );
    assert_eq!(server.seen().len(), before);
    // --force sends it anyway.
    let (code, out, err) = home.run(&["send", "--force", &d]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(server.seen().len(), before + 1);

    // 3: a 5xx.
    let d = write_draft(&home, "d.json", &with_text("server-500"));
    let (code, out, _) = home.run(&["send", &d]);
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("HTTP 500") && out.contains("<html>down</html>"),
        "{out}"
    );

    // 3: nothing listening.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let ok = write_draft(&home, "ok.json", &example("text.json"));
    let url = format!("http://127.0.0.1:{port}");
    let (code, out, _) = home.run(&["send", "--base-url", &url, &ok]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("connection refused"), "{out}");

    // 2: a missing file, a refused insecure URL, an unknown profile.
    let (code, _, err) = home.run(&["send", "/nonexistent/draft.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("no such file"), "{err}");
    let (code, out, err) = home.run(&["send", "--base-url", "http://example.invalid", &ok]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("--allow-insecure"), "{err}");
    let (code, _, err) = home.run(&["send", "--profile", "nope", &ok]);
    assert_eq!(code, 2);
    assert!(err.contains("'nope'") && err.contains("local"), "{err}");
    let (code, out, _) = home.run(&["send", "--format", "json", "--profile", "nope", &ok]);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["kind"], "config_error");
    // 2: the secret's variable is not set.
    let (code, _, err) = home.run_env(&["send", &ok], &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("TEST_SECRET") && err.contains("password_env"),
        "{err}"
    );
}

#[test]
fn headless_send_reads_standard_input() {
    let server = api_server();
    let home = Home::for_server(&server);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rcs-composer"));
    cmd.args(["send", "--format", "json", "-"])
        .env("XDG_CONFIG_HOME", home.dir.path().join("config"))
        .env("XDG_DATA_HOME", home.dir.path().join("data"))
        .env("HOME", home.dir.path().join("home"))
        .env("TEST_SECRET", SECRET)
        .env_remove("RCS_COMPOSER_BASE_URL")
        .env_remove("RCS_COMPOSER_USERNAME")
        .env_remove("RCS_COMPOSER_PASSWORD")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&serde_json::to_vec(&example("media.json")).unwrap())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "accepted");
    let log = rcs_composer::store::history::read_from(&home.history_file()).unwrap();
    assert_eq!(log.entries[0].draft, None);
    assert_eq!(log.entries[0].request, example("media.json"));
}

#[test]
fn headless_bad_config_names_file_and_line() {
    let home =
        Home::new("[profiles.x]\nbase_url = \"https://h.example\"\ntimeout_secs = \"thirty\"\n");
    let (code, _, err) = home.run(&["send", "assets/examples/text.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("config.toml:3:"), "{err}");
}

#[test]
fn headless_without_config_uses_the_environment() {
    let server = api_server();
    let home = Home::new("");
    let (code, _, err) = home.run(&["send", "assets/examples/text.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("no config file at"), "{err}");
    let (code, out, err) = home.run_env(
        &["send", "assets/examples/text.json"],
        &[
            ("RCS_COMPOSER_BASE_URL", &server.base_url()),
            ("RCS_COMPOSER_USERNAME", USER),
            ("RCS_COMPOSER_PASSWORD", SECRET),
        ],
    );
    assert_eq!(code, 0, "{out}\n{err}");
}

#[test]
fn headless_stall_times_out_with_exit_3() {
    let server = serve(|_| Act::Stall(Duration::from_secs(8)));
    let home = Home::new(&format!(
        "[profiles.slow]\nbase_url = \"{}\"\nusername = \"u\"\npassword = \"pppp\"\ntimeout_secs = 0.5\n",
        server.base_url()
    ));
    let (code, out, err) = home.run(&["send", "assets/examples/text.json"]);
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(out.contains("timed out after 0.5 s"), "{out}");
}

#[test]
fn dry_run_and_curl_print_the_request_without_the_secret() {
    let server = api_server();
    let home = Home::for_server(&server);
    // A password command that would leave a mark: dry runs must not run it.
    let marker = home.dir.path().join("ran");
    let cfg = format!(
        "[profiles.cmd]\nbase_url = \"{}\"\nusername = \"{USER}\"\npassword_command = \"touch '{}'; echo {SECRET}\"\n",
        server.base_url(),
        marker.display()
    );
    std::fs::write(home.dir.path().join("config/rcs-composer/config.toml"), cfg).unwrap();

    let (code, out, err) = home.run(&["send", "--dry-run", "assets/examples/text.json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.starts_with(&format!("POST {}/v5/messages\n", server.base_url())),
        "{out}"
    );
    assert!(
        out.contains("Authorization: Basic <test-api-key:secret, not shown>"),
        "{out}"
    );
    assert!(out.contains("Content-Type: application/json"), "{out}");
    assert!(out.contains("\"messageText\":\"Hello from RCS!\""), "{out}");
    assert!(!out.contains(SECRET) && !err.contains(SECRET));

    let (code, curl, err) = home.run(&["send", "--curl", "assets/examples/text.json"]);
    assert_eq!(code, 0, "{curl}\n{err}");
    // The secret is fetched as the profile fetches it: its password command.
    assert!(
        curl.contains(&format!("--user \"{USER}:$(sh -c 'touch ")),
        "{curl}"
    );
    assert!(curl.contains("| head -n 1)\""), "{curl}");
    assert!(!marker.exists(), "the password command ran for a dry run");
    assert!(server.seen().is_empty(), "a dry run sent something");

    let (code, out, _) = home.run(&[
        "send",
        "--dry-run",
        "--format",
        "json",
        "assets/examples/text.json",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["method"], "POST");
    assert_eq!(v["body"], example("text.json"));
    assert!(!out.contains(SECRET));

    // The printed command really is equivalent: run it and compare what the server saw.
    if Command::new("curl").arg("--version").output().is_ok() {
        let out = Command::new("sh")
            .arg("-c")
            .arg(&curl)
            .env("RCS_COMPOSER_PASSWORD", SECRET)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let seen = server.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].request_line, "POST /v5/messages HTTP/1.1");
        assert_eq!(seen[0].headers["authorization"], basic(USER, SECRET));
        let body: Value = serde_json::from_slice(&seen[0].body).unwrap();
        assert_eq!(body, example("text.json"));
    } else {
        eprintln!("curl is not installed: the printed command was not run");
    }

    // A real send runs the command, which prints the secret.
    let (code, out, err) = home.run(&["send", "assets/examples/text.json"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(marker.exists());
}

#[test]
fn dry_run_of_a_hostile_draft_is_safe_to_print_and_keeps_the_value() {
    let home = Home::new(
        "[profiles.p]\nbase_url = \"https://api.example.com\"\nusername = \"k\"\npassword_env = \"X\"\n",
    );
    let mut d = example("text.json");
    d["messageText"] = json!("hi \u{1b}[2J\u{9b}31m\u{202e}evil\u{7f}");
    let file = write_draft(&home, "hostile.json", &d);
    for args in [
        vec!["send", "--dry-run", &file],
        vec!["send", "--curl", &file],
        vec!["send", "--dry-run", "--format", "json", &file],
    ] {
        let (code, out, err) = home.run(&args);
        assert_eq!(code, 0, "{out}\n{err}");
        assert!(
            !out.chars()
                .any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{out:?}"
        );
        if args.contains(&"--dry-run") && !args.contains(&"json") {
            let body = out.lines().last().unwrap();
            assert_eq!(serde_json::from_str::<Value>(body).unwrap(), d);
        }
    }
}

#[test]
fn the_secret_is_in_no_file_the_app_wrote_nor_its_output() {
    // An API that echoes the credentials back, answering each class of outcome.
    let server = serve(|req| {
        let auth = req
            .headers
            .get("authorization")
            .cloned()
            .unwrap_or_default();
        let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
        match body["messageText"].as_str() {
            Some("400") => json_answer(
                "400 Bad Request",
                &json!({"status": "error", "message": auth, "data": [
                    {"field": "messageText", "description": auth, "message": SECRET}]}),
            ),
            Some("401") => json_answer("401 Unauthorized", &json!({"message": auth})),
            Some("500") => Act::Respond(http(
                "500 Internal Server Error",
                &[],
                format!("{auth} {SECRET}").as_bytes(),
            )),
            _ => json_answer(
                "200 OK",
                &json!({"status": "success", "message": auth,
                "data": {"results": [{"messageGUID": SECRET, "destination": auth, "status": "success"}]}}),
            ),
        }
    });
    let home = Home::for_server(&server);
    let mut outputs = String::new();
    for t in ["ok", "400", "401", "500"] {
        let mut d = example("text.json");
        d["messageText"] = json!(t);
        let d = write_draft(&home, &format!("{t}.json"), &d);
        for format in ["human", "json"] {
            let (code, out, err) = home.run(&["send", "--format", format, &d]);
            assert!(code <= 3, "{out}\n{err}");
            outputs.push_str(&out);
            outputs.push_str(&err);
        }
    }
    let stdin_send = home.run(&["send", "--dry-run", "--curl", "assets/examples/card.json"]);
    outputs.push_str(&stdin_send.1);
    let encoded = basic(USER, SECRET);
    let encoded = encoded.trim_start_matches("Basic ").to_string();
    assert!(
        !outputs.contains(SECRET) && !outputs.contains(&encoded),
        "{outputs}"
    );
    let history = std::fs::read_to_string(home.history_file()).unwrap();
    assert_eq!(history.lines().count(), 8);
    for (path, bytes) in home.all_files() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(SECRET) && !text.contains(&encoded),
            "{} holds the secret",
            path.display()
        );
    }
}

#[tokio::test]
async fn an_answer_that_is_not_http_says_so_instead_of_could_not_reach() {
    // A header carrying an escape code, and another protocol on the port.
    let server = serve(|req| {
        if req.request_line.contains("/header/") {
            Act::Respond(http("400 Bad Request", &[("X-Evil", "a\x1b[2Jb")], b"{}"))
        } else {
            Act::Respond(b"SSH-2.0-OpenSSH_9.2\r\n\x1b[2J".to_vec())
        }
    });
    for base in [format!("{}/header", server.base_url()), server.base_url()] {
        let o = client::send(&profile(&base), &json!({})).await;
        let SendResult::Network { reason } = &o.result else {
            panic!("{:?}", o.result)
        };
        assert!(reason.contains("not valid HTTP"), "{reason}");
        assert!(!reason.contains("could not reach"), "{reason}");
        assert!(!reason.contains('\x1b'), "{reason}");
    }
}
