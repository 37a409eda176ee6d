//! What the command-line tests share: a tiny HTTP server on loopback (plain, or TLS with a
//! CA made in the test), temp config and data dirs, and running the real binary.
#![allow(dead_code)]

use base64::Engine as _;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const USER: &str = "test-api-key";
pub const SECRET: &str = "S3cret-Value-9f2c";

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub request_line: String,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// What the server does with a request.
pub enum Act {
    /// Write these bytes, then close.
    Respond(Vec<u8>),
    /// Keep the connection open, answering nothing, until the test ends.
    Hold,
}

pub struct Server {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// One message per request, once it has been read whole.
    pub arrived: mpsc::Receiver<()>,
    pub tls: bool,
}

impl Server {
    pub fn base_url(&self) -> String {
        if self.tls {
            format!("https://localhost:{}", self.addr.port())
        } else {
            format!("http://{}", self.addr)
        }
    }
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
    /// Waits for the next request to arrive whole.
    pub fn wait_request(&self) {
        self.arrived
            .recv_timeout(Duration::from_secs(20))
            .expect("no request arrived");
    }
}

type Handler = Arc<dyn Fn(&Seen) -> Act + Send + Sync>;

pub fn serve(handler: impl Fn(&Seen) -> Act + Send + Sync + 'static) -> Server {
    serve_with(handler, None)
}

/// A server answering over TLS with `identity` (certificate chain, key).
pub fn serve_tls(
    identity: &TlsIdentity,
    handler: impl Fn(&Seen) -> Act + Send + Sync + 'static,
) -> Server {
    serve_with(handler, Some(identity.server_config()))
}

fn serve_with(
    handler: impl Fn(&Seen) -> Act + Send + Sync + 'static,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let handler: Handler = Arc::new(handler);
    let (tx, arrived) = mpsc::channel();
    let seen2 = seen.clone();
    let is_tls = tls.is_some();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let (handler, seen, tx, tls) =
                (handler.clone(), seen2.clone(), tx.clone(), tls.clone());
            std::thread::spawn(move || {
                conn.set_read_timeout(Some(Duration::from_secs(20)))
                    .unwrap();
                match tls {
                    None => handle(conn, &*handler, &seen, &tx),
                    Some(cfg) => {
                        let Ok(c) = rustls::ServerConnection::new(cfg) else {
                            return;
                        };
                        let stream = rustls::StreamOwned::new(c, conn);
                        handle(stream, &*handler, &seen, &tx)
                    }
                }
            });
        }
    });
    Server {
        addr,
        seen,
        arrived,
        tls: is_tls,
    }
}

fn handle(
    mut conn: impl Read + Write,
    handler: &dyn Fn(&Seen) -> Act,
    seen: &Mutex<Vec<Seen>>,
    arrived: &mpsc::Sender<()>,
) {
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
    let req = Seen {
        request_line,
        headers,
        body: buf[head_end..].to_vec(),
    };
    let act = handler(&req);
    seen.lock().unwrap().push(req);
    let _ = arrived.send(());
    match act {
        Act::Respond(bytes) => {
            let _ = conn.write_all(&bytes);
            let _ = conn.flush();
        }
        Act::Hold => {
            // Until the client goes away (or the read timeout).
            let _ = conn.read(&mut chunk);
        }
    }
}

pub fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
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

pub fn json_answer(status: &str, body: &Value) -> Act {
    Act::Respond(http(
        status,
        &[
            ("Content-Type", "application/json"),
            ("X-Request-Id", "req-4711"),
        ],
        body.to_string().as_bytes(),
    ))
}

pub fn success_body(guid: &str) -> Value {
    json!({
        "status": "success",
        "message": "Message successfully queued",
        "data": {"results": [
            {"messageGUID": guid, "destination": "15559876543", "status": "success"}
        ]}
    })
}

pub fn basic(user: &str, pass: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

/// Checks Basic auth (401 otherwise) and answers 200 with one GUID.
pub fn api(req: &Seen) -> Act {
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
}

pub fn api_server() -> Server {
    serve(api)
}

// ---------------------------------------------------------------------------------------
// TLS with a CA made here.

pub struct TlsIdentity {
    pub ca_pem: String,
    chain: Vec<rustls::pki_types::CertificateDer<'static>>,
    key: Vec<u8>,
}

impl TlsIdentity {
    /// A CA, and a certificate it issued for localhost and 127.0.0.1.
    pub fn issued() -> TlsIdentity {
        let (ca_params, ca_key) = ca();
        let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let params =
            rcgen::CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
        let cert = params.signed_by(&key, &ca).unwrap();
        TlsIdentity {
            ca_pem: ca.pem(),
            chain: vec![cert.der().clone()],
            key: key.serialize_der(),
        }
    }

    /// A CA whose own certificate the server presents (valid for localhost too): a common
    /// mistake, which rustls calls CaUsedAsEndEntity.
    pub fn ca_as_server() -> TlsIdentity {
        let (mut params, key) = ca();
        params.subject_alt_names = vec![rcgen::SanType::DnsName("localhost".try_into().unwrap())];
        let cert = params.self_signed(&key).unwrap();
        TlsIdentity {
            ca_pem: cert.pem(),
            chain: vec![cert.der().clone()],
            key: key.serialize_der(),
        }
    }

    fn server_config(&self) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(self.key.clone().into());
        Arc::new(
            rustls::ServerConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(self.chain.clone(), key)
                .unwrap(),
        )
    }
}

fn ca() -> (rcgen::CertificateParams, rcgen::KeyPair) {
    let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    p.distinguished_name
        .push(rcgen::DnType::CommonName, "rcs-composer test CA");
    p.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::DigitalSignature,
    ];
    (p, rcgen::KeyPair::generate().unwrap())
}

// ---------------------------------------------------------------------------------------
// The binary in temp dirs.

/// Temp config and data dirs.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new(config: &str) -> Home {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("config/rcs-composer")).unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        let home = Home { dir };
        if !config.is_empty() {
            home.write_config(config);
        }
        home
    }

    /// A `local` profile (the default) for `server`, its secret in `TEST_SECRET`.
    pub fn for_server(server: &Server) -> Home {
        Home::new(&format!(
            "default_profile = \"local\"\n\n[profiles.local]\nbase_url = \"{}\"\nusername = \"{USER}\"\npassword_env = \"TEST_SECRET\"\ntimeout_secs = 5\n",
            server.base_url()
        ))
    }

    pub fn config_file(&self) -> PathBuf {
        self.dir.path().join("config/rcs-composer/config.toml")
    }

    pub fn write_config(&self, text: &str) {
        std::fs::write(self.config_file(), text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(self.config_file(), std::fs::Permissions::from_mode(0o600))
                .unwrap();
        }
    }

    pub fn history_file(&self) -> PathBuf {
        self.dir.path().join("data/rcs-composer/history.jsonl")
    }

    pub fn history(&self) -> Vec<Value> {
        std::fs::read_to_string(self.history_file())
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }

    pub fn write(&self, name: &str, text: &str) -> String {
        std::fs::write(self.dir.path().join(name), text).unwrap();
        self.path(name)
    }

    /// The binary with the temp dirs, no RCS_COMPOSER_* and no proxy from outside.
    pub fn command(&self, args: &[&str]) -> Command {
        // RCS_COMPOSER_TEST_BIN runs these tests against another build (an older one, to see
        // that they fail there).
        let bin = std::env::var("RCS_COMPOSER_TEST_BIN")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_rcs-composer").to_string());
        let mut cmd = Command::new(bin);
        cmd.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
            .args(args)
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("HOME", self.dir.path().join("home"))
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null());
        for v in [
            "RCS_COMPOSER_BASE_URL",
            "RCS_COMPOSER_USERNAME",
            "RCS_COMPOSER_PASSWORD",
            "TEST_SECRET",
            "SSL_CERT_FILE",
            "SSL_CERT_DIR",
        ]
        .into_iter()
        .chain(rcs_composer::client::PROXY_VARIABLES)
        {
            cmd.env_remove(v);
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        self.run_env(args, &[("TEST_SECRET", SECRET)])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
        let mut cmd = self.command(args);
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
}

pub const TEXT: &str = "assets/examples/text.json";

pub fn example(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples")
        .join(name);
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// Reads `stream` until a TCP peer would see it closed; for a connection used only to hold.
pub fn drain(mut s: TcpStream) {
    let mut b = [0u8; 1024];
    while matches!(s.read(&mut b), Ok(n) if n > 0) {}
}
