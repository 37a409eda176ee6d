//! The media check over real HTTP: a small server on loopback serves good and bad media,
//! and every finding is asserted at its path, through the library and through
//! `validate --check-media`. Image decoding is fed hostile files.

mod media_server;

use media_server::{
    Fixtures, Server, carousel, closed_port, crc32, expected, more_cards, more_cards_expected,
    tall_card, tall_card_expected,
};
use rcs_composer::client::{ProxyChoice, Resolver};
use rcs_composer::media::{
    self, FileType, ImageFailure, MediaCache, MediaClient, MediaSettings, Names, NetFailure, Probe,
    Skip, decode_image,
};
use serde_json::{Value, json};
use std::process::Command;
use std::time::{Duration, Instant};

fn settings(timeout_secs: u64) -> MediaSettings {
    MediaSettings {
        timeout: Duration::from_secs(timeout_secs),
        ..MediaSettings::default()
    }
}

fn shown(issues: &[rcs_composer::message::Issue]) -> Vec<String> {
    issues
        .iter()
        .map(|i| format!("{}: {}", i.path, i.message))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_finding_at_its_path_through_the_library() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let doc = carousel(&base);
    assert!(rcs_composer::message::validate(&doc).warnings.is_empty());
    let client = MediaClient::new(&settings(3)).unwrap();
    let mut cache = MediaCache::new();
    let started = Instant::now();
    cache.check(&doc, &client).await;
    // The slow body is the longest wait: the timeout, and no more.
    assert!(
        started.elapsed() < Duration::from_secs(3 + 3),
        "{:?}",
        started.elapsed()
    );
    let found = cache.findings(&doc);
    assert_eq!(shown(&found), expected(&base, &server.host(), 3));
    for i in &found {
        let want = if i.path.len() == 1 {
            "Media URL"
        } else {
            "mediaUrl"
        };
        if i.path.last_key() == Some("mediaUrl") {
            assert_eq!(i.description, want, "{}", i.path);
        } else {
            assert_eq!(i.description, "thumbnailUrl", "{}", i.path);
        }
    }

    // What the probes saw, beyond the findings.
    let probe = |path: &str| cache.get(&format!("{base}{path}")).cloned().unwrap();
    let Probe::Answered(a) = probe("/nohead.png") else {
        panic!("{:?}", probe("/nohead.png"))
    };
    assert!(a.head_refused);
    assert_eq!(
        (a.status, a.sniffed, a.dimensions),
        (206, Some(FileType::Png), Some((600, 400)))
    );
    assert_eq!(
        a.size,
        Some(server.fixtures.png.len() as u64),
        "from Content-Range"
    );
    let Probe::Answered(a) = probe("/nohead-drop.jpg") else {
        panic!("{:?}", probe("/nohead-drop.jpg"))
    };
    assert!(
        a.head_refused,
        "a HEAD the server hangs up on falls back to GET"
    );
    assert_eq!(a.dimensions, Some((300, 200)));
    let Probe::Answered(a) = probe("/huge.png") else {
        panic!()
    };
    assert_eq!((a.status, a.size), (200, Some(200 * 1024 * 1024)));
    assert_eq!(a.dimensions, Some((600, 400)));
    // The server that ignores Range saw the connection dropped long before the end.
    let sent = server
        .huge_sent
        .recv_timeout(Duration::from_secs(10))
        .unwrap();
    assert!(sent < 100 * 1024 * 1024, "{sent} bytes sent");

    // Each URL was fetched with HEAD, then a ranged GET of 64 KiB; never a full GET.
    let log = server.log();
    let img: Vec<_> = log.iter().filter(|r| r.path == "/img.png").collect();
    assert_eq!(img.len(), 2, "{img:?}");
    assert_eq!(img[0].method, "HEAD");
    assert_eq!(img[1].method, "GET");
    assert_eq!(img[1].header("range"), Some("bytes=0-65535"));
    for r in &log {
        assert_eq!(r.header("user-agent"), Some(media::USER_AGENT));
        assert_eq!(r.header("authorization"), None);
    }

    // Cached: a second run asks nothing; a re-check asks again.
    let before = server.log().len();
    assert!(cache.to_check(&doc).is_empty());
    cache.check(&doc, &client).await;
    assert_eq!(server.log().len(), before);
    assert!(cache.recheck(&format!("{base}/missing.png")));
    assert_eq!(cache.to_check(&doc), [format!("{base}/missing.png")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_other_findings_at_their_paths_through_the_library() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let port = closed_port();
    let client = MediaClient::new(&settings(3)).unwrap();
    for (doc, want) in [
        (more_cards(&base, port), more_cards_expected(port)),
        (tall_card(&base), tall_card_expected()),
    ] {
        assert!(rcs_composer::message::validate(&doc).warnings.is_empty());
        let mut cache = MediaCache::new();
        cache.check(&doc, &client).await;
        assert_eq!(shown(&cache.findings(&doc)), want);
    }
    // The 12 MB video was sized from its headers and sniffed from its first 64 KiB.
    let log = server.log();
    let video: Vec<_> = log.iter().filter(|r| r.path == "/clip.mp4").collect();
    assert_eq!(video.len(), 2, "{video:?}");
    assert_eq!(video[0].method, "HEAD");
    assert_eq!(video[1].header("range"), Some("bytes=0-65535"));
}

#[tokio::test]
async fn redirects_are_counted_and_followed_up_to_five() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let client = MediaClient::new(&settings(5)).unwrap();
    let Probe::Answered(a) = client.probe(&format!("{base}/hop/3")).await else {
        panic!()
    };
    assert_eq!((a.status, a.redirects), (206, 4));
    assert_eq!(a.final_url, format!("{base}/hop/7"));
    let p = client.probe(&format!("{base}/hop/1")).await;
    let Probe::Redirects {
        looped: false,
        chain,
    } = &p
    else {
        panic!("{p:?}")
    };
    assert_eq!(chain.len(), 7, "the start and six redirects");
    let doc = json!({"messageType": "RCS_MEDIA", "mediaUrl": format!("{base}/hop/1")});
    let probes = [(format!("{base}/hop/1"), p)].into_iter().collect();
    assert_eq!(
        shown(&media::findings(&doc, &probes)),
        [format!(
            "mediaUrl: more than 5 redirects (the last to {base}/hop/7)"
        )]
    );
}

#[tokio::test]
async fn an_empty_file_is_named() {
    let server = Server::start(Fixtures::shared());
    let url = format!("{}/empty.png", server.base_url());
    let client = MediaClient::new(&settings(5)).unwrap();
    let p = client.probe(&url).await;
    let Probe::Answered(a) = &p else {
        panic!("{p:?}")
    };
    assert_eq!((a.status, a.size, a.sniffed), (200, Some(0), None));
    let doc = json!({"messageType": "RCS_MEDIA", "mediaUrl": url});
    let probes = [(url.clone(), p)].into_iter().collect();
    assert_eq!(
        shown(&media::findings(&doc, &probes)),
        ["mediaUrl: the server answered 200 OK with an empty file"]
    );
    let e = client.fetch_image(&url).await.unwrap_err();
    assert_eq!(e.reason(), "not an image");
}

#[tokio::test]
async fn nothing_is_sent_to_a_private_host_or_with_credentials() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let private = MediaSettings {
        private_hosts: vec!["127.0.0.1".into()],
        ..settings(5)
    };
    let client = MediaClient::new(&private).unwrap();
    let p = client.probe(&format!("{base}/img.png")).await;
    assert_eq!(p, Probe::Skipped(Skip::PrivateHost(server.host())));
    let img = client.fetch_image(&format!("{base}/img.png")).await;
    assert_eq!(img.unwrap_err(), ImageFailure::Skipped);
    let off = MediaClient::new(&MediaSettings {
        enabled: false,
        ..settings(5)
    })
    .unwrap();
    assert_eq!(
        off.probe(&format!("{base}/img.png")).await,
        Probe::Skipped(Skip::Disabled)
    );
    assert!(server.log().is_empty(), "{:?}", server.log());

    // A redirect to a private host is not followed.
    let redirecting = MediaClient::new(&MediaSettings {
        private_hosts: vec!["localhost".into()],
        ..settings(5)
    })
    .unwrap();
    let p = redirecting.probe(&format!("{base}/to-localhost")).await;
    assert!(matches!(p, Probe::Skipped(Skip::PrivateHost(_))), "{p:?}");
    assert!(server.log().iter().all(|r| r.path == "/to-localhost"));

    // URL credentials are dropped, not sent.
    let client = MediaClient::new(&settings(5)).unwrap();
    let with_pw = base.replace("http://", "http://user:secret@");
    let p = client.probe(&format!("{with_pw}/img.png")).await;
    assert!(matches!(p, Probe::Answered(_)), "{p:?}");
    for r in server.log() {
        assert_eq!(r.header("authorization"), None, "{r:?}");
    }
    // Skipped findings are none.
    let doc = json!({"messageType": "RCS_MEDIA", "mediaUrl": format!("{base}/img.png")});
    let probes = [(
        format!("{base}/img.png"),
        Probe::Skipped(Skip::PrivateHost(server.host())),
    )]
    .into_iter()
    .collect();
    assert!(media::findings(&doc, &probes).is_empty());
}

#[tokio::test]
async fn a_closed_port_is_refused_by_name() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = MediaClient::new(&settings(5)).unwrap();
    let url = format!("http://127.0.0.1:{port}/x.png");
    let p = client.probe(&url).await;
    assert_eq!(
        p,
        Probe::Unreachable {
            host: format!("127.0.0.1:{port}"),
            failure: NetFailure::Refused
        }
    );
    let doc = json!({"messageType": "RCS_MEDIA", "mediaUrl": url});
    let probes = [(url.clone(), p)].into_iter().collect();
    assert_eq!(
        shown(&media::findings(&doc, &probes)),
        [format!(
            "mediaUrl: not reachable: 127.0.0.1:{port} refused the connection"
        )]
    );
    let img = client.fetch_image(&url).await.unwrap_err();
    assert_eq!(img.reason(), "unreachable");
}

/// A host that is not found is settled before any client is built (the composer's check
/// does so), in the very words the client would have used.
#[tokio::test]
async fn a_name_not_found_is_settled_without_a_client_in_the_clients_words() {
    let s = MediaSettings {
        proxy: ProxyChoice::Direct,
        ..settings(5)
    };
    // `.invalid` is never found (RFC 6761); the port and the credentials do not matter.
    let url = "https://user:pw@cdn.nothing.invalid:8443/a.png";
    let early = Names::new()
        .failure(&s, url)
        .await
        .expect("a name not found");
    let client = MediaClient::new(&s).unwrap();
    let probe = client.probe(url).await;
    assert_eq!(
        probe,
        Probe::Unreachable {
            host: "cdn.nothing.invalid:8443".into(),
            failure: NetFailure::Dns
        }
    );
    assert_eq!(early.clone().probe(), probe);
    assert_eq!(early.image(), client.fetch_image(url).await.unwrap_err());
}

/// The URLs asked about while their host is being looked up share that one lookup; a
/// name that resolves, a private host, an address or a proxy leaves the URL to the client.
#[tokio::test]
async fn urls_on_one_host_share_its_lookup_and_only_names_resolved_here_are_looked_up() {
    let s = MediaSettings {
        proxy: ProxyChoice::Direct,
        private_hosts: vec!["intranet.example".into()],
        ..settings(5)
    };
    let names = Names::with_resolver(Resolver::fixed([(
        "cdn.example",
        vec!["192.0.2.7".parse().unwrap()],
    )]));
    let mut asked = tokio::task::JoinSet::new();
    for i in 0..20 {
        for host in ["gone.example", "CDN.example."] {
            let (names, s) = (names.clone(), s.clone());
            let url = format!("https://{host}/card{i}.png");
            asked.spawn(async move { (url.clone(), names.failure(&s, &url).await) });
        }
    }
    let mut settled = 0;
    while let Some(done) = asked.join_next().await {
        let (url, failure) = done.unwrap();
        if url.contains("gone.example") {
            let probe = failure.expect("gone.example is not found").probe();
            assert_eq!(
                probe,
                Probe::Unreachable {
                    host: "gone.example".into(),
                    failure: NetFailure::Dns
                }
            );
            settled += 1;
        } else {
            assert_eq!(failure, None, "{url}");
        }
    }
    assert_eq!(settled, 20);
    assert_eq!(names.lookups(), 2, "one lookup for each host");
    // The answers are kept until the next check: a picture asked for after the check
    // takes its answer, and the next check asks again.
    let gone = "https://gone.example/x.png";
    assert!(names.failure(&s, gone).await.is_some());
    assert_eq!(names.failure(&s, "https://cdn.example/y.png").await, None);
    assert_eq!(names.lookups(), 2, "the check's answers were taken");
    names.new_check();
    assert!(names.failure(&s, gone).await.is_some());
    assert_eq!(names.lookups(), 3, "the next check asked again");
    for left in [
        "https://cdn.intranet.example/a.png",
        "https://192.0.2.9/a.png",
        "http://localhost:1/a.png",
        "not a url",
    ] {
        assert_eq!(names.failure(&s, left).await, None, "{left}");
    }
    let proxied = MediaSettings {
        proxy: ProxyChoice::Url("http://127.0.0.1:9".into()),
        ..s.clone()
    };
    let off = MediaSettings {
        enabled: false,
        ..s.clone()
    };
    for s in [proxied, off] {
        assert_eq!(names.failure(&s, "https://gone.example/a.png").await, None);
    }
    assert_eq!(names.lookups(), 3, "none of those was looked up");
}

#[tokio::test]
async fn https_to_a_server_that_does_not_speak_tls_is_a_tls_failure() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        use std::io::Write;
        for conn in listener.incoming().take(1) {
            let _ = conn.unwrap().write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n");
        }
    });
    let client = MediaClient::new(&settings(5)).unwrap();
    let p = client.probe(&format!("https://{addr}/x.png")).await;
    let Probe::Unreachable {
        host,
        failure: NetFailure::Tls(why),
    } = &p
    else {
        panic!("{p:?}")
    };
    assert_eq!(host, &addr.to_string());
    assert!(!why.is_empty());
    let doc = json!({"messageType": "RCS_MEDIA", "mediaUrl": format!("https://{addr}/x.png")});
    let probes = [(format!("https://{addr}/x.png"), p.clone())]
        .into_iter()
        .collect();
    assert_eq!(
        shown(&media::findings(&doc, &probes)),
        [format!(
            "mediaUrl: not reachable: TLS failed with {addr} ({why})"
        )]
    );
}

#[test]
fn a_bad_ca_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("ca.pem");
    std::fs::write(&pem, "not a certificate").unwrap();
    let e = MediaClient::new(&MediaSettings {
        extra_root_certs: vec![pem.clone()],
        ..MediaSettings::default()
    })
    .unwrap_err();
    assert!(e.contains("ca.pem"), "{e}");
    let missing = dir.path().join("missing.pem");
    let e = MediaClient::new(&MediaSettings {
        extra_root_certs: vec![missing],
        ..MediaSettings::default()
    })
    .unwrap_err();
    assert!(e.contains("cannot read the CA file"), "{e}");
}

// ---------------------------------------------------------------- the binary

fn run_validate(args: &[&str], file: &std::path::Path) -> std::process::Child {
    run_validate_all(args, &[file])
}

fn run_validate_all(args: &[&str], files: &[&std::path::Path]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_rcs-composer"))
        .arg("validate")
        .args(args)
        .args(files)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn validate_check_media_reports_the_same_findings() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("carousel.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&carousel(&base)).unwrap()).unwrap();

    // Without the flag: valid, no warning, and nothing fetched.
    let plain = run_validate(&[], &file).wait_with_output().unwrap();
    assert_eq!(plain.status.code(), Some(0));
    assert!(server.log().is_empty(), "{:?}", server.log());

    // Both formats at once: each waits for the slow body's 5 s timeout.
    let started = Instant::now();
    let human = run_validate(&["--check-media"], &file);
    let json_run = run_validate(&["--check-media", "--format", "json"], &file);
    let human = human.wait_with_output().unwrap();
    let json_out = json_run.wait_with_output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );

    let want = expected(&base, &server.host(), 5);
    let name = file.display().to_string();
    let stdout = String::from_utf8(human.stdout).unwrap();
    assert_eq!(human.status.code(), Some(0), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    let mut want_lines: Vec<String> = want
        .iter()
        .map(|w| {
            let (path, msg) = w.split_once(": ").unwrap();
            format!("{name}: {path}: warning: {msg}")
        })
        .collect();
    want_lines.push(format!(
        "1 file checked: 1 valid, 0 invalid (0 errors, {} warnings)",
        want.len()
    ));
    assert_eq!(lines, want_lines);

    assert_eq!(json_out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&json_out.stdout).unwrap();
    assert_eq!(v["valid"], json!(true));
    assert_eq!(v["errors"], json!([]));
    let got: Vec<String> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            format!(
                "{}: {}",
                w["field"].as_str().unwrap(),
                w["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(v["warnings"][0]["description"], json!("mediaUrl"));
    assert_eq!(v["warnings"][11]["field"], json!("mmsFailover.mediaUrl"));
}

/// The findings the ten-card carousel has no room for, in two files of one run: a video, a
/// hard crop at MEDIUM and at TALL height, a card's thumbnail without a type, a refused
/// connection, and the paths of a standalone card's own media.
#[test]
fn validate_check_media_reports_the_other_findings_in_both_formats() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let port = closed_port();
    let dir = tempfile::tempdir().unwrap();
    let (cards, card) = (dir.path().join("cards.json"), dir.path().join("card.json"));
    std::fs::write(&cards, more_cards(&base, port).to_string()).unwrap();
    std::fs::write(&card, tall_card(&base).to_string()).unwrap();
    let files = [cards.as_path(), card.as_path()];
    let human = run_validate_all(&["--check-media"], &files)
        .wait_with_output()
        .unwrap();
    let json_out = run_validate_all(&["--check-media", "--format", "json"], &files)
        .wait_with_output()
        .unwrap();

    let mut want: Vec<String> = Vec::new();
    for (file, found) in [
        (&cards, more_cards_expected(port)),
        (&card, tall_card_expected()),
    ] {
        for f in found {
            let (path, msg) = f.split_once(": ").unwrap();
            want.push(format!("{}: {path}: warning: {msg}", file.display()));
        }
    }
    want.push("2 files checked: 2 valid, 0 invalid (0 errors, 7 warnings)".into());
    let stdout = String::from_utf8(human.stdout).unwrap();
    assert_eq!(human.status.code(), Some(0), "{stdout}");
    assert_eq!(stdout.lines().collect::<Vec<_>>(), want);

    assert_eq!(json_out.status.code(), Some(0));
    let lines: Vec<Value> = String::from_utf8(json_out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<Vec<String>> = lines
        .iter()
        .map(|v| {
            assert_eq!((&v["valid"], &v["errors"]), (&json!(true), &json!([])));
            v["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| {
                    format!(
                        "{}: {}",
                        w["field"].as_str().unwrap(),
                        w["message"].as_str().unwrap()
                    )
                })
                .collect()
        })
        .collect();
    assert_eq!(got, [more_cards_expected(port), tall_card_expected()]);
    // The validator's description: the label at the top level, the key in a card.
    assert_eq!(lines[1]["warnings"][0]["description"], json!("Media URL"));
    assert_eq!(
        lines[1]["warnings"][1]["description"],
        json!("Thumbnail URL")
    );
    assert_eq!(
        lines[0]["warnings"][3]["description"],
        json!("thumbnailUrl")
    );
}

#[test]
fn validate_check_media_keeps_the_exit_status_of_an_invalid_file() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("card.json");
    let doc = json!({"messageType": "RCS_CARD", "source": "ACME", "destination": "14155550100",
        "title": "Sale", "height": "MEDIUM", "mediaUrl": format!("{base}/missing.png")});
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = run_validate(&["--check-media"], &file)
        .wait_with_output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("description: error: 'description' is required"),
        "{stdout}"
    );
    assert!(
        stdout.contains("mediaUrl: warning: the server answered 404 Not Found"),
        "{stdout}"
    );
}

// ---------------------------------------------------------------- images

#[tokio::test]
async fn images_download_and_decode_for_the_preview() {
    let server = Server::start(Fixtures::shared());
    let base = server.base_url();
    let s = settings(3);
    let png = media::fetch_image(&format!("{base}/img.png"), &s)
        .await
        .unwrap();
    assert_eq!(
        (png.width(), png.height(), png.format),
        (600, 400, FileType::Png)
    );
    let client = MediaClient::new(&s).unwrap();
    let jpg = client
        .fetch_image(&format!("{base}/photo.jpg"))
        .await
        .unwrap();
    assert_eq!((jpg.width(), jpg.height()), (300, 200));
    let gif = client
        .fetch_image(&format!("{base}/square.gif"))
        .await
        .unwrap();
    assert_eq!(
        (gif.width(), gif.height(), gif.format),
        (100, 100, FileType::Gif)
    );
    let padded = client
        .fetch_image(&format!("{base}/big.png"))
        .await
        .unwrap();
    assert_eq!(padded.bytes, 3 * 1024 * 1024);

    for (path, reason) in [
        ("/missing.png", "404"),
        ("/page.html", "not an image"),
        ("/huge.png", "too big"),
        ("/giant-header.png", "too big"),
        ("/slow.png", "timeout"),
        ("/loop/a", "redirects"),
    ] {
        let e = client
            .fetch_image(&format!("{base}{path}"))
            .await
            .unwrap_err();
        assert_eq!(e.reason(), reason, "{path}: {e}");
    }
}

#[test]
fn a_truncated_png_is_refused_without_a_panic() {
    let f = Fixtures::shared();
    for cut in [f.png.len() / 2, 40, 8, 3] {
        let e = decode_image(&f.png[..cut]).unwrap_err();
        assert!(
            matches!(e, ImageFailure::Broken(_) | ImageFailure::NotAnImage(_)),
            "{cut}: {e:?}"
        );
    }
    assert_eq!(decode_image(&[]).unwrap_err().reason(), "not an image");
}

#[test]
fn a_png_header_claiming_30000_by_30000_is_refused_by_the_limits() {
    let bytes = media_server::png_claiming(30_000, 30_000);
    assert_eq!(media::dimensions(&bytes), Some((30_000, 30_000)));
    let e = decode_image(&bytes).unwrap_err();
    assert!(matches!(e, ImageFailure::TooBig(_)), "{e:?}");
    assert_eq!(e.reason(), "too big");
    // Within each side's limit, but more pixels than the memory limit allows.
    let e = decode_image(&media_server::png_claiming(8000, 8000)).unwrap_err();
    assert!(matches!(e, ImageFailure::TooBig(_)), "{e:?}");
}

#[test]
fn gif_bombs_are_refused_by_the_limits() {
    // A 65535×65535 logical screen with a thousand full-screen frames.
    let e = decode_image(&media_server::gif_bomb(65_535, 65_535, 1000)).unwrap_err();
    assert!(matches!(e, ImageFailure::TooBig(_)), "{e:?}");
    // A small screen whose frame claims to be huge.
    let e = decode_image(&media_server::gif_bomb(16, 16, 1)).unwrap_err();
    assert!(matches!(e, ImageFailure::TooBig(_)), "{e:?}");
    // Many small frames: only the first is decoded.
    let ok = decode_image(&media_server::gif_frames(10, 10, 5000)).unwrap();
    assert_eq!((ok.width(), ok.height()), (10, 10));
}

#[test]
fn the_crc_helper_matches_the_png_encoder() {
    let f = Fixtures::shared();
    // IHDR's CRC covers its type and data (bytes 12..29) and follows them.
    let crc = u32::from_be_bytes(f.png[29..33].try_into().unwrap());
    assert_eq!(crc32(&f.png[12..29]), crc);
}
