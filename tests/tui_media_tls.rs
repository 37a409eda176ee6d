//! The composer's media check and pictures reach the network as a send does (one
//! `client_builder`): a local HTTPS server with a CA made here is not trusted until the CA
//! is the one a send would trust — `--cacert`, or the active profile's `ca_file` once that
//! profile is chosen with Ctrl-P — and config.toml read again by Ctrl-P applies its private
//! hosts at once. Real `App` and runtime (harness), real TLS on loopback.

mod common;

use common::{Act, TlsIdentity, serve_tls};
use ratatui::crossterm::event::KeyCode;
use rcs_composer::media::{Probe, Skip};
use rcs_composer::sandbox::SandboxConfig;
use rcs_composer::store::config::{Config, Env, Target};
use rcs_composer::tui::app::App;
use rcs_composer::tui::harness::Harness;
use rcs_composer::tui::pictures::Load;
use rcs_composer::tui::send::Profiles;
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// A 64×48 PNG.
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// An HTTPS server answering every path with the PNG (headers alone for HEAD).
fn media_server(id: &TlsIdentity) -> common::Server {
    let body = png();
    serve_tls(id, move |req| {
        let mut out = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        if !req.request_line.starts_with("HEAD ") {
            out.extend_from_slice(&body);
        }
        Act::Respond(out)
    })
}

fn write_private(p: &Path, text: &str) {
    std::fs::write(p, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

fn probe<'a>(a: &'a App, url: &str) -> Option<&'a Probe> {
    a.media.cache.probes().get(url)
}

fn media_problems(a: &App) -> Vec<String> {
    a.problems.media().map(|p| p.message.clone()).collect()
}

/// The composer on a media message whose file is `url`, config.toml at `cfg` with the
/// built-in sandbox active, the media check and the pictures on.
fn composer(dir: &Path, cfg: &Path, url: &str, target: Target) -> Harness {
    let doc = json!({
        "messageType": "RCS_MEDIA", "source": "CONVEY", "destination": "15559876543",
        "mediaUrl": url,
    });
    let mut h = Harness::new(dir.join("m.json"), doc, false, 120, 40);
    let started = h.start_net(Some(SandboxConfig::with_fresh_credentials()));
    let config = Config::load_from(cfg).unwrap();
    h.app.session.config_path = cfg.to_path_buf();
    h.app.session.target = target.clone();
    h.app.session.profiles = Profiles::from_config(
        Ok(config.clone()),
        cfg.to_path_buf(),
        &target,
        Env::default(),
        started.sandbox,
    );
    let sandbox = h
        .app
        .session
        .profiles
        .entries
        .iter()
        .position(|e| e.built_in);
    h.app.session.profiles.active = sandbox;
    h.app.configure_media(config.as_ref(), false);
    assert!(h.app.media.check && h.app.media.images);
    h
}

fn settled(a: &App, url: &str) -> bool {
    a.media.cache.pending() == 0
        && probe(a, url).is_some()
        && !a.media.pictures.busy()
        && a.view.preview.wanted.is_empty()
}

#[test]
fn the_media_check_trusts_what_a_send_would_trust() {
    let id = TlsIdentity::issued();
    let server = media_server(&id);
    let url = format!("{}/photo.png", server.base_url());
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(dir.path().join("company-ca.pem"), &id.ca_pem).unwrap();
    let corp = "[profiles.corp]\nbase_url = \"https://api.example.com\"\nusername = \"k\"\n\
                password_env = \"X\"\nca_file = \"company-ca.pem\"\n";
    write_private(&cfg, corp);

    // The built-in sandbox active: no CA but the built-in and the system's.
    let mut h = composer(dir.path(), &cfg, &url, Target::default());
    assert!(h.app.media.settings.extra_root_certs.is_empty());
    h.draw();
    assert!(h.wait_until(WAIT, |a| settled(a, &url)));
    assert!(
        matches!(probe(&h.app, &url), Some(Probe::Unreachable { .. })),
        "{:?}",
        probe(&h.app, &url)
    );
    assert!(
        media_problems(&h.app).iter().any(|m| m.contains("TLS")),
        "{:?}",
        media_problems(&h.app)
    );

    // Ctrl-P, then `corp`: its ca_file (relative to config.toml's folder) is trusted, and
    // the URL asked again; the picture comes.
    h.ctrl('p');
    let corp_at = h
        .app
        .session
        .profiles
        .entries
        .iter()
        .position(|e| e.name == "corp");
    let active = h.app.session.profiles.active;
    assert_eq!((corp_at, active), (Some(0), Some(1)));
    h.press(KeyCode::Up);
    h.press(KeyCode::Enter);
    assert_eq!(h.app.session.profiles.active().unwrap().name, "corp");
    assert_eq!(
        h.app.media.settings.extra_root_certs,
        [dir.path().join("company-ca.pem")]
    );
    h.draw();
    assert!(h.wait_until(WAIT, |a| settled(a, &url)
        && matches!(a.media.pictures.load(&url), Some(Load::Ready(_)))));
    assert!(
        matches!(probe(&h.app, &url), Some(Probe::Answered(_))),
        "{:?}",
        probe(&h.app, &url)
    );
    assert!(
        media_problems(&h.app).iter().all(|m| !m.contains("TLS")),
        "{:?}",
        media_problems(&h.app)
    );

    // config.toml read again (Ctrl-P) marks the host private: never contacted from now on.
    write_private(&cfg, &format!("{corp}private_hosts = [\"localhost\"]\n"));
    let asked = server.seen().len();
    h.press(KeyCode::Esc);
    h.ctrl('p');
    h.press(KeyCode::Esc);
    h.draw();
    assert!(h.wait_until(WAIT, |a| settled(a, &url)));
    assert!(
        matches!(
            probe(&h.app, &url),
            Some(Probe::Skipped(Skip::PrivateHost(_)))
        ),
        "{:?}",
        probe(&h.app, &url)
    );
    assert_eq!(server.seen().len(), asked);
}

#[test]
fn cacert_on_the_command_line_is_trusted_whatever_the_profile() {
    let id = TlsIdentity::issued();
    let server = media_server(&id);
    let url = format!("{}/photo.png", server.base_url());
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &id.ca_pem).unwrap();
    write_private(&cfg, "");
    let target = Target {
        ca_file: Some(ca.clone()),
        ..Target::default()
    };
    let mut h = composer(dir.path(), &cfg, &url, target);
    assert_eq!(h.app.media.settings.extra_root_certs, [ca]);
    h.draw();
    assert!(h.wait_until(WAIT, |a| settled(a, &url)
        && matches!(a.media.pictures.load(&url), Some(Load::Ready(_)))));
    assert!(
        matches!(probe(&h.app, &url), Some(Probe::Answered(_))),
        "{:?}",
        probe(&h.app, &url)
    );
}
