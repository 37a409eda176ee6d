//! The request exactly as it will be sent, built once so that sending, `--dry-run` and
//! `--curl` cannot disagree; and the transport check that refuses Basic auth in clear text.

use crate::profile::{Profile, SecretSource, Source, check_base_url};
use std::fmt::Write as _;
use std::path::PathBuf;
use url::{Host, Url};

/// The name of the environment variable the `--curl` command reads the secret from when the
/// profile names no other source.
pub const PASSWORD_VAR: &str = "RCS_COMPOSER_PASSWORD";

/// How the `--curl` command gets the secret: as the profile does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurlSecret {
    /// `"$VAR"`.
    Var(String),
    /// `"$(sh -c 'COMMAND' | head -n 1)"`: the first line a password command prints.
    Command(String),
}

/// A POST to `{base_url}/v5/messages`, without its secret.
#[derive(Debug, Clone)]
pub struct PreparedRequest {
    pub method: &'static str,
    pub url: String,
    /// The API key, sent with the secret as Basic auth.
    pub username: String,
    /// Every header but Authorization, in the order sent.
    pub headers: Vec<(String, String)>,
    /// The body bytes as sent: the draft as compact JSON, with the characters a terminal
    /// could obey escaped (see [`crate::text::terminal_safe_json`]).
    pub body: String,
    pub connect_timeout_secs: f64,
    pub timeout_secs: f64,
    /// Connect directly, ignoring HTTP_PROXY and friends: for this machine (a proxy cannot
    /// reach it) and for plain http (a proxy would carry the credentials in clear).
    pub direct: bool,
    /// Where `--curl` gets the secret from.
    pub secret: CurlSecret,
    /// Extra certificate authorities to trust (`--cacert` for curl).
    pub ca_file: Option<PathBuf>,
    /// Plain http to a host given by name (`localhost`, `*.localhost`): sent only if every
    /// address the name resolves to is this machine's (see `client::resolve`), as a name
    /// can point anywhere.
    pub loopback_only: bool,
}

impl PreparedRequest {
    /// Builds the request for `profile`, or says why it must not be sent (see
    /// [`check_transport`]).
    pub fn new(profile: &Profile, body: &serde_json::Value) -> Result<Self, String> {
        let url = check_transport(profile)?;
        let direct = url.scheme() == "http" || is_loopback_url(&url);
        let loopback_only = url.scheme() == "http"
            && !profile.allow_insecure
            && matches!(url.host(), Some(Host::Domain(_)));
        // Escaping the characters a terminal could obey keeps the value and lets the body be
        // printed as it is sent (`--dry-run`, `--curl`).
        let body = serde_json::to_string(body)
            .map(|b| crate::text::terminal_safe_json(&b))
            .map_err(|e| format!("the draft cannot be written as JSON: {e}"))?;
        Ok(Self {
            method: "POST",
            url: url.to_string(),
            username: profile.username.clone(),
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("Accept".into(), "application/json".into()),
            ],
            body,
            connect_timeout_secs: profile.connect_timeout.as_secs_f64(),
            timeout_secs: profile.timeout.as_secs_f64(),
            direct,
            secret: match &profile.origin.secret {
                SecretSource::Env(v) => CurlSecret::Var(v.clone()),
                SecretSource::Command(c) => CurlSecret::Command(c.clone()),
                SecretSource::Plain | SecretSource::Unknown => {
                    CurlSecret::Var(PASSWORD_VAR.to_string())
                }
            },
            ca_file: profile.ca_file.clone(),
            loopback_only,
        })
    }

    /// Request and response headers as `-v` prints them: `> ` lines for the request
    /// (Authorization redacted), `< ` lines for the answer.
    pub fn verbose_request(&self) -> String {
        let url = Url::parse(&self.url).ok();
        let path = url
            .as_ref()
            .map(|u| u.path().to_string())
            .unwrap_or_default();
        let host = url
            .as_ref()
            .and_then(|u| {
                u.host_str().map(|h| match u.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => h.to_string(),
                })
            })
            .unwrap_or_default();
        let mut s = format!("> {} {path} HTTP/1.1\n> Host: {host}\n", self.method);
        let _ = writeln!(
            s,
            "> Authorization: Basic <{}:secret, not shown>",
            self.username
        );
        let _ = writeln!(s, "> User-Agent: {}", super::USER_AGENT);
        for (k, v) in &self.headers {
            let _ = writeln!(s, "> {k}: {v}");
        }
        let _ = writeln!(s, "> Content-Length: {}", self.body.len());
        s
    }

    /// The request as text, for `--dry-run`: request line, headers (Authorization
    /// redacted), a blank line and the body.
    pub fn dry_run_text(&self) -> String {
        let mut s = format!("{} {}\n", self.method, self.url);
        let _ = writeln!(
            s,
            "Authorization: Basic <{}:secret, not shown>",
            self.username
        );
        for (k, v) in &self.headers {
            let _ = writeln!(s, "{k}: {v}");
        }
        let _ = writeln!(s, "Content-Length: {}", self.body.len());
        s.push('\n');
        s.push_str(&self.body);
        s.push('\n');
        s
    }

    /// An equivalent curl command for a POSIX shell. The secret is fetched as the profile
    /// fetches it (`$VAR`, `$(command)`, else `$RCS_COMPOSER_PASSWORD`), never written out,
    /// so the command can be shared and kept. `--fail-with-body` makes curl's exit status
    /// non-zero for an HTTP error, as `send`'s is.
    pub fn curl_command(&self) -> String {
        let mut s = format!(
            "curl --silent --show-error --fail-with-body --request {} {}",
            self.method,
            single_quoted(&self.url)
        );
        let secret = match &self.secret {
            CurlSecret::Var(v) => format!("${v}"),
            CurlSecret::Command(c) => format!("$(sh -c {} | head -n 1)", single_quoted(c)),
        };
        let _ = write!(
            s,
            " \\\n  --user \"{}:{secret}\"",
            double_quoted_inner(&self.username)
        );
        if let Some(ca) = &self.ca_file {
            let _ = write!(
                s,
                " \\\n  --cacert {}",
                single_quoted(&ca.display().to_string())
            );
        }
        for (k, v) in &self.headers {
            let _ = write!(s, " \\\n  --header {}", single_quoted(&format!("{k}: {v}")));
        }
        if self.direct {
            s.push_str(" \\\n  --noproxy '*'");
        }
        let _ = write!(
            s,
            " \\\n  --connect-timeout {} --max-time {}",
            trim_secs(self.connect_timeout_secs),
            trim_secs(self.timeout_secs)
        );
        let _ = write!(s, " \\\n  --data-binary {}", single_quoted(&self.body));
        s.push('\n');
        s
    }
}

fn trim_secs(s: f64) -> String {
    if s.fract() == 0.0 {
        format!("{}", s as u64)
    } else {
        format!("{s:.3}")
    }
}

/// `s` in single quotes for a POSIX shell: nothing inside is expanded.
fn single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r#"'\''"#))
}

/// `s` escaped for the inside of double quotes, where `$`, `` ` ``, `"` and `\` are special.
fn double_quoted_inner(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '$' | '`' | '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The URL to post to, or why the request must not go out: a base URL that is not an
/// absolute http(s) URL or that includes the endpoint, a profile marked `sandbox = true`
/// whose URL is not this machine, or Basic auth over plain `http://` to a host that is not
/// this machine (127.0.0.0/8, ::1, localhost) without `allow_insecure`. Checked before any
/// connection is made; a name (`localhost`, `*.localhost`) is checked again on its
/// addresses when the request is sent ([`PreparedRequest::loopback_only`]).
pub fn check_transport(profile: &Profile) -> Result<Url, String> {
    let o = &profile.origin;
    let where_url = match &o.base_url {
        Source::Profile if o.file.is_some() => o.at(&profile.name, "base_url"),
        other => o.describe(other, "base_url"),
    };
    check_base_url(&profile.base_url).map_err(|e| format!("{where_url}: {e}"))?;
    let url = Url::parse(&profile.messages_url())
        .map_err(|e| format!("{where_url}: {:?} is not a URL ({e})", profile.base_url))?;
    if profile.is_sandbox && !is_loopback_url(&url) {
        return Err(format!(
            "{}: sandbox = true, but base_url {} is not this machine. A sandbox profile must \
             point at `rcs-composer sandbox` on loopback (http://127.0.0.1:PORT); for a real \
             API remove sandbox = true",
            o.at(&profile.name, "sandbox"),
            profile.base_url
        ));
    }
    match url.scheme() {
        "http" if !is_loopback_url(&url) && !profile.allow_insecure => {
            let host = url.host_str().unwrap_or("?");
            let fix = match (&o.base_url, &o.file) {
                (Source::Profile, Some(_)) => format!(
                    "set allow_insecure = true in [profiles.{}] ({}) or pass --allow-insecure",
                    profile.name,
                    o.describe(&Source::Profile, "base_url")
                ),
                _ => "pass --allow-insecure".to_string(),
            };
            Err(format!(
                "refused to send to {url}: plain http would carry the API key and secret \
                 unencrypted to {host}, which is not this machine. Use an https:// base_url \
                 ({where_url}), or, if this network is trusted, {fix}."
            ))
        }
        _ => Ok(url),
    }
}

/// True when `url` names this machine. Decided on the URL's host (`localhost`,
/// `*.localhost`, 127.0.0.0/8, ::1): the one place that decides, for the plain-http check
/// and for sandbox profiles.
pub fn is_loopback_url(url: &Url) -> bool {
    url.host().is_some_and(|h| is_loopback_host(&h))
}

/// Why a request to a name that resolved elsewhere was not sent.
pub(super) fn not_this_machine(url: &str, n: &super::NotLoopback, profile: &str) -> String {
    format!(
        "refused to send to {url}: plain http would carry the API key and secret unencrypted, \
         and {n}. Nothing was sent. Use an https:// base_url, or set allow_insecure = true in \
         profile '{profile}' if this network is trusted."
    )
}

/// True for hosts that name this machine: `localhost` (and `*.localhost`), 127.0.0.0/8
/// and ::1 (also as an IPv4-mapped address). A name only says so; where it matters
/// (credentials in clear, callbacks) its addresses decide (`client::resolve`).
pub fn is_loopback_host(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Secret;
    use std::time::Duration;

    fn profile(base: &str, insecure: bool) -> Profile {
        Profile {
            name: "t".into(),
            base_url: base.into(),
            username: "key$`\"\\".into(),
            password: Secret::new("s3cr3t-value"),
            allow_insecure: insecure,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_millis(2500),
            is_sandbox: false,
            ca_file: None,
            origin: Default::default(),
        }
    }

    #[test]
    fn loopback_is_allowed_in_clear() {
        for base in [
            "http://127.0.0.1:8642",
            "http://127.9.9.9",
            "http://[::1]:80/",
            "http://localhost:1",
            "http://LOCALHOST.",
            "http://api.localhost",
        ] {
            assert!(check_transport(&profile(base, false)).is_ok(), "{base}");
        }
    }

    #[test]
    fn remote_plain_http_is_refused_unless_allowed() {
        for base in [
            "http://example.invalid",
            "http://10.0.0.1",
            "http://128.0.0.1",
            "http://[::2]",
            "http://localhost.example.com",
        ] {
            let e = check_transport(&profile(base, false)).unwrap_err();
            assert!(e.contains("--allow-insecure"), "{e}");
            assert!(check_transport(&profile(base, true)).is_ok());
        }
        assert!(check_transport(&profile("https://example.invalid", false)).is_ok());
        assert!(check_transport(&profile("ftp://example.invalid", true)).is_err());
        assert!(check_transport(&profile("not a url", true)).is_err());
    }

    #[test]
    fn url_is_base_plus_v5_messages() {
        let r =
            PreparedRequest::new(&profile("https://h.example/api/", false), &"x".into()).unwrap();
        assert_eq!(r.url, "https://h.example/api/v5/messages");
    }

    #[test]
    fn dry_run_and_curl_never_hold_the_secret() {
        let body = serde_json::json!({"messageText": "it's \"quoted\" $HOME"});
        let r = PreparedRequest::new(&profile("https://h.example", false), &body).unwrap();
        let d = r.dry_run_text();
        let c = r.curl_command();
        assert!(!d.contains("s3cr3t") && !c.contains("s3cr3t"));
        assert!(d.starts_with("POST https://h.example/v5/messages\n"), "{d}");
        assert!(d.contains("Authorization: Basic <"), "{d}");
        assert!(
            c.contains(r#"--user "key\$\`\"\\:$RCS_COMPOSER_PASSWORD""#),
            "{c}"
        );
        assert!(c.contains("--max-time 2.500"), "{c}");
        assert!(
            c.contains(r#"--data-binary '{"messageText":"it'\''s \"quoted\" $HOME"}'"#),
            "{c}"
        );
    }
}
