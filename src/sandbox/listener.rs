//! The delivery-callback listener: accepts `POST` of a [`DeliveryUpdate`] on any path and
//! hands it on. A body it cannot read is refused with 400 and the listener keeps running.

use super::log::RejectSink;
use super::{DeliveryUpdate, MAX_BODY_BYTES};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tokio::sync::mpsc::UnboundedSender;

#[derive(Clone)]
struct Shared {
    updates: UnboundedSender<DeliveryUpdate>,
    on_reject: RejectSink,
}

pub(super) fn router(updates: UnboundedSender<DeliveryUpdate>, on_reject: RejectSink) -> Router {
    Router::new()
        .fallback(receive)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(Shared { updates, on_reject })
}

fn refuse(shared: &Shared, status: StatusCode, what: String) -> Response {
    (shared.on_reject)(what.clone());
    (
        status,
        axum::Json(json!({"status": "error", "message": what})),
    )
        .into_response()
}

async fn receive(State(shared): State<Shared>, req: Request) -> Response {
    let path = crate::text::visible(req.uri().path());
    if req.method() != Method::POST {
        let mut resp = refuse(
            &shared,
            StatusCode::METHOD_NOT_ALLOWED,
            format!(
                "{} {path}: a callback must be a POST",
                crate::text::visible(req.method().as_str())
            ),
        );
        resp.headers_mut().insert(
            axum::http::header::ALLOW,
            axum::http::HeaderValue::from_static("POST"),
        );
        return resp;
    }
    let body = match Bytes::from_request(req, &()).await {
        Ok(b) => b,
        Err(rejection) => {
            return refuse(
                &shared,
                rejection.status(),
                format!("POST {path}: {}", rejection.body_text()),
            );
        }
    };
    match serde_json::from_slice::<DeliveryUpdate>(&body) {
        Ok(update) => {
            // Nobody reading any more is not the sender's problem.
            let _ = shared.updates.send(update.bounded());
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => refuse(
            &shared,
            StatusCode::BAD_REQUEST,
            format!("POST {path}: not a delivery update: {e}"),
        ),
    }
}
