//! The sandbox under slow clients: a connection that does not send its headers in time is
//! closed, and only so many are served at once, so a flood of slow connections neither holds
//! it nor exhausts its file descriptors; real requests are still answered. Real loopback.

use rcs_composer::sandbox::{self, Limits, SandboxConfig};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const TEXT: &str = include_str!("../assets/examples/text.json");

/// A connection that sends the start of a request, then nothing.
fn slow(addr: std::net::SocketAddr) -> TcpStream {
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(b"POST /v5/messages HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    c
}

/// Waits (at most `limit`) for the server to close `c`; when it did.
fn closed_within(c: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    c.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match c.read(&mut buf) {
            Ok(0) => return Some(start.elapsed()),
            Ok(_) => {} // a 408 or the like, then the close
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return Some(start.elapsed());
            }
            Err(_) => return None,
        }
    }
}

/// A real request, as curl would send it; its status line.
fn real_request(addr: std::net::SocketAddr, user: &str, pass: &str) -> String {
    use base64::Engine as _;
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
    let req = format!(
        "POST /v5/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{TEXT}",
        TEXT.len()
    );
    c.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    let _ = c.read_to_string(&mut out);
    out.lines().next().unwrap_or("").to_string()
}

/// Failed before: slow connections were held for as long as they lasted, all of them, and
/// once as many as the process had descriptors for were open, nobody was answered.
#[test]
fn a_slow_header_flood_is_bounded_in_count_and_time() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let config = SandboxConfig {
        limits: Limits {
            header_timeout: Duration::from_secs(2),
            max_connections: 8,
        },
        ..SandboxConfig::with_fresh_credentials()
    };
    let sb = rt.block_on(sandbox::start(config, "127.0.0.1:0")).unwrap();
    let addr = sb.addr;
    let started = Instant::now();
    let flood: Vec<TcpStream> = (0..40).map(|_| slow(addr)).collect();
    // Never more than 8 served at once, while the flood lasts.
    let watching = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let most = {
        let (w, open) = (watching.clone(), std::sync::Arc::new(sb));
        let o = open.clone();
        let t = std::thread::spawn(move || {
            let mut most = 0;
            while w.load(std::sync::atomic::Ordering::SeqCst) {
                most = most.max(o.open_connections());
                std::thread::sleep(Duration::from_millis(2));
            }
            most
        });
        // A real request in the middle of the flood is answered at once: it takes the place
        // of a slow connection instead of waiting for one to time out.
        let t0 = Instant::now();
        let status = real_request(addr, &open.username, &open.password);
        let took = t0.elapsed();
        assert!(status.contains(" 200 "), "{status}");
        assert!(took < Duration::from_secs(1), "answered after {took:?}");
        eprintln!("answered {took:?} into the flood");
        // Every slow connection is closed: pushed out, or at the 2 s header timeout.
        for mut c in flood {
            assert!(
                closed_within(&mut c, Duration::from_secs(10)).is_some(),
                "a slow connection was held"
            );
        }
        let all_closed = started.elapsed();
        eprintln!("the flood was closed within {all_closed:?}");
        assert!(all_closed < Duration::from_secs(4), "{all_closed:?}");
        watching.store(false, std::sync::atomic::Ordering::SeqCst);
        t.join().unwrap()
    };
    assert!((1..=8).contains(&most), "{most} connections served at once");
}

/// The binary as a person runs it (`sandbox`), under an open-file limit of 256, and 300 slow
/// connections with the default 10 s header timeout. Failed before: once the descriptors ran
/// out, the sandbox stopped answering anyone until the slow clients let go.
#[cfg(target_os = "linux")]
#[test]
fn under_256_open_files_300_slow_connections_do_not_stop_the_sandbox() {
    use std::io::BufRead;
    let bin = env!("CARGO_BIN_EXE_rcs-composer");
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 256 && exec \"$0\" sandbox --listen 127.0.0.1:0 --username u --password p")
        .arg(bin)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut addr = None;
    let mut line = String::new();
    while addr.is_none() && out.read_line(&mut line).unwrap() > 0 {
        addr = line.split_whitespace().find_map(|w| {
            w.trim_start_matches("http://")
                .trim_end_matches('/')
                .parse()
                .ok()
        });
        line.clear();
    }
    let addr: std::net::SocketAddr = addr.expect("the sandbox's address");
    std::thread::spawn(move || for _ in out.lines() {});
    let flood: Vec<TcpStream> = (0..300).map(|_| slow(addr)).collect();
    let fds = || {
        std::fs::read_dir(format!("/proc/{pid}/fd"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let t = Instant::now();
    let status = real_request(addr, "u", "p");
    let took = t.elapsed();
    eprintln!(
        "answered after {took:?} under the flood; {} descriptors open",
        fds()
    );
    assert!(status.contains(" 200 "), "{status}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert!(fds() < 256);
    // The slow ones still open are closed at the 10 s header timeout.
    let start = Instant::now();
    for mut c in flood {
        assert!(closed_within(&mut c, Duration::from_secs(15)).is_some());
    }
    eprintln!(
        "the last slow connection was closed after {:?}",
        start.elapsed()
    );
    assert!(start.elapsed() < Duration::from_secs(12));
    let _ = child.kill();
    let _ = child.wait();
}
