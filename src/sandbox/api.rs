//! The Messages API as the sandbox serves it: `POST /v5/messages` behind HTTP Basic auth,
//! every answer in the API's JSON formats.

use super::delivery::{self, Poster};
use super::log::{LogSink, RequestLog, SandboxEvent};
use super::{MAX_BODY_BYTES, SandboxConfig};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// The `message` of every 400 for a body that fails validation, as the API words it.
pub const INVALID_BODY_MESSAGE: &str = "Missing or invalid parameters in body";
/// The `message` of every 200, as the API words it.
pub const SUCCESS_MESSAGE: &str = "Message successfully queued";
const REALM: &str = "Basic realm=\"rcs-composer sandbox\", charset=\"UTF-8\"";

struct Inner {
    username: String,
    password: String,
    latency: Duration,
    sink: LogSink,
    poster: Poster,
}

#[derive(Clone)]
struct Shared(Arc<Inner>);

/// What the handler learned about a request, for its log line (carried in the response's
/// extensions to the logging middleware).
#[derive(Debug, Clone, Default)]
struct Facts {
    message_type: Option<String>,
    destination: Option<String>,
    message_guid: Option<String>,
    note: Option<String>,
}

pub(super) fn router(
    config: SandboxConfig,
    sink: LogSink,
    stopped: watch::Receiver<bool>,
) -> std::io::Result<Router> {
    let poster = Poster::new(
        config.allow_remote_callbacks,
        config.delivery_step,
        sink.clone(),
        stopped,
        config.resolver.clone(),
    )?;
    let shared = Shared(Arc::new(Inner {
        username: config.username,
        password: config.password,
        latency: config.latency,
        sink,
        poster,
    }));
    Ok(Router::new()
        .route("/v5/messages", post(messages).fallback(method_not_allowed))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            log_and_delay,
        ))
        .with_state(shared))
}

/// Delays the answer by the configured latency, then reports the request to the sink.
async fn log_and_delay(State(shared): State<Shared>, req: Request, next: Next) -> Response {
    if !shared.0.latency.is_zero() {
        tokio::time::sleep(shared.0.latency).await;
    }
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    let facts = resp
        .extensions()
        .get::<Facts>()
        .cloned()
        .unwrap_or_default();
    (shared.0.sink)(SandboxEvent::Request(RequestLog {
        time: jiff::Timestamp::now(),
        method,
        path,
        status: resp.status().as_u16(),
        message_type: facts.message_type,
        destination: facts.destination,
        message_guid: facts.message_guid,
        note: facts.note,
    }));
    resp
}

/// `{"status": "error", "message": …}` with `status`.
fn error(status: StatusCode, message: &str, facts: Facts) -> Response {
    let mut resp = (
        status,
        axum::Json(json!({"status": "error", "message": message})),
    )
        .into_response();
    resp.extensions_mut().insert(facts);
    resp
}

fn noted(note: impl Into<String>) -> Facts {
    Facts {
        note: Some(note.into()),
        ..Facts::default()
    }
}

async fn messages(State(shared): State<Shared>, req: Request) -> Response {
    if let Err(resp) = check_auth(&shared.0, req.headers()) {
        return *resp;
    }
    let body = match Bytes::from_request(req, &()).await {
        Ok(b) => b,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!(
                    "Request body is larger than {} bytes (1 MB), the most the sandbox reads",
                    MAX_BODY_BYTES
                ),
                noted("body over 1 MB"),
            );
        }
        Err(rejection) => {
            let text = rejection.body_text();
            return error(
                StatusCode::BAD_REQUEST,
                &format!("Could not read the request body: {text}"),
                noted(format!("unreadable body: {text}")),
            );
        }
    };
    let doc: Value = match serde_json::from_slice(&body) {
        Ok(doc) => doc,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                &format!("Body is not valid JSON: {e}"),
                noted(format!("not JSON: {e}")),
            );
        }
    };
    let text = |key: &str| doc.get(key).and_then(Value::as_str).map(str::to_string);
    let mut facts = Facts {
        message_type: text("messageType"),
        destination: text("destination"),
        ..Facts::default()
    };
    let report = crate::message::validate(&doc);
    if !report.is_valid() {
        let n = report.errors.len();
        facts.note = Some(format!(
            "{n} error{}, first at {}",
            if n == 1 { "" } else { "s" },
            report.errors[0].path
        ));
        let mut resp = (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({
                "status": "error",
                "message": INVALID_BODY_MESSAGE,
                "data": report.errors,
            })),
        )
            .into_response();
        resp.extensions_mut().insert(facts);
        return resp;
    }

    let guid = uuid::Uuid::new_v4().to_string();
    let destination = facts.destination.clone().unwrap_or_default();
    if let Some(url) = text("callbackURL") {
        let plan = delivery::plan(&doc);
        tokio::spawn(
            shared
                .0
                .poster
                .clone()
                .run(url, guid.clone(), destination.clone(), plan),
        );
    }
    facts.message_guid = Some(guid.clone());
    let mut resp = (
        StatusCode::OK,
        axum::Json(json!({
            "status": "success",
            "message": SUCCESS_MESSAGE,
            "data": {"results": [{
                "messageGUID": guid,
                "destination": destination,
                "status": "success",
            }]},
        })),
    )
        .into_response();
    resp.extensions_mut().insert(facts);
    resp
}

/// `Ok` when the request carries the sandbox's key and secret; otherwise the 401 to answer.
fn check_auth(inner: &Inner, headers: &HeaderMap) -> Result<(), Box<Response>> {
    let unauthorized = |message: &str, note: &str| {
        let mut resp = error(StatusCode::UNAUTHORIZED, message, noted(note));
        resp.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(REALM));
        Box::new(resp)
    };
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(unauthorized(
            "Authentication required: send the API key and secret with HTTP Basic auth",
            "no credentials",
        ));
    };
    let malformed = || {
        unauthorized(
            "Invalid Authorization header: expected 'Basic' and the base64 of key:secret",
            "malformed Authorization header",
        )
    };
    let value = value.to_str().map_err(|_| malformed())?;
    let (scheme, encoded) = value.trim().split_once(' ').ok_or_else(malformed)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(malformed());
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| malformed())?;
    let pair = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (user, pass) = pair.split_once(':').ok_or_else(malformed)?;
    // Both compared in full, so the time taken does not tell which one was wrong.
    let user_ok = same(user.as_bytes(), inner.username.as_bytes());
    let pass_ok = same(pass.as_bytes(), inner.password.as_bytes());
    if user_ok & pass_ok {
        Ok(())
    } else {
        Err(unauthorized(
            "Invalid credentials: the API key or secret is wrong",
            "wrong credentials",
        ))
    }
}

/// Equality whose time depends only on the lengths.
fn same(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for (i, x) in a.iter().enumerate() {
        let y = b.get(i).copied().unwrap_or(0);
        diff |= usize::from(x ^ y);
    }
    diff == 0
}

async fn method_not_allowed(method: Method) -> Response {
    let mut resp = error(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!("Method {method} is not allowed on /v5/messages; use POST"),
        noted("method not allowed"),
    );
    resp.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    resp
}

async fn not_found(method: Method, req: Request) -> Response {
    let path = crate::text::visible(req.uri().path());
    error(
        StatusCode::NOT_FOUND,
        &format!("No such endpoint: {method} {path}; the sandbox serves POST /v5/messages"),
        noted("no such endpoint"),
    )
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn same_compares_whole_slices() {
        assert!(same(b"secret", b"secret"));
        assert!(!same(b"secret", b"secreT"));
        assert!(!same(b"secret", b"secret2"));
        assert!(!same(b"secret2", b"secret"));
        assert!(!same(b"", b"x"));
        assert!(same(b"", b""));
    }
}
