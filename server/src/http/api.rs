//! The JSON API: create a conference, look up a join code, the join QR code, health.
//! Every error answer is an [`ApiError`] with a code the app translates and an English
//! message for scripts and logs.

use axum::Json;
use axum::extract::rejection::JsonRejection;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use ordet_shared::join_code::{JoinCode, JoinCodeProblem};
use ordet_shared::protocol::{ApiError, CreateConference, ErrorCode};
use qrcode::QrCode;
use qrcode::render::svg;

use super::AppState;
use super::guard::ClientAddress;
use crate::registry::RegistryError;

/// An error answer: status and code.
pub(crate) struct ApiFailure(pub(crate) StatusCode, pub(crate) ErrorCode);

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        (self.0, Json(ApiError::new(self.1))).into_response()
    }
}

impl From<crate::store::StoreError> for ApiFailure {
    fn from(error: crate::store::StoreError) -> Self {
        tracing::error!(%error, "storage failed while answering a request");
        ApiFailure(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::StorageFailed)
    }
}

/// A JSON request body, or the error that explains why it could not be read.
pub(crate) fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiFailure> {
    body.map(|Json(value)| value)
        .map_err(|rejection| match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => {
                ApiFailure(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooBig)
            }
            _ => ApiFailure(StatusCode::BAD_REQUEST, ErrorCode::BadMessage),
        })
}

/// `GET /healthz`: 200 while the server runs.
pub(crate) async fn healthz() -> &'static str {
    "ok"
}

/// `GET /metrics`: counters and latencies in Prometheus' text format (no personal data).
pub(crate) async fn metrics() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        crate::metrics::METRICS.render(),
    )
        .into_response()
}

/// `GET|POST /api/...` that matches nothing.
pub(crate) async fn not_found() -> ApiFailure {
    ApiFailure(StatusCode::NOT_FOUND, ErrorCode::BadMessage)
}

/// 429 with a Retry-After header.
pub(crate) fn too_many(retry_after: u64) -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, retry_after.to_string())],
        Json(ApiError::new(ErrorCode::RateLimited)),
    )
        .into_response()
}

/// `POST /api/conferences`: 201 with the new conference's keys.
pub(crate) async fn create_conference(
    State(app): State<AppState>,
    ClientAddress(client): ClientAddress,
    body: Result<Json<CreateConference>, JsonRejection>,
) -> Result<Response, ApiFailure> {
    if let Err(seconds) = app.creations.take(client) {
        return Ok(too_many(seconds));
    }
    let request = json_body(body)?;
    if !app
        .organiser_password
        .accepts(request.organiser_password.as_deref())
    {
        return Err(ApiFailure(
            StatusCode::UNAUTHORIZED,
            ErrorCode::OrganiserPasswordNeeded,
        ));
    }
    match app.registry.create(request).await {
        Ok(created) => Ok((StatusCode::CREATED, Json(created)).into_response()),
        Err(RegistryError::Invalid(code)) => Err(ApiFailure(StatusCode::BAD_REQUEST, code)),
        Err(RegistryError::Store(e)) => Err(e.into()),
    }
}

fn parse_code(code: &str) -> Result<JoinCode, ApiFailure> {
    JoinCode::parse(code).map_err(|problem| {
        let code = match problem {
            JoinCodeProblem::WrongLength => ErrorCode::JoinCodeLength,
            JoinCodeProblem::InvalidCharacter => ErrorCode::JoinCodeCharacters,
        };
        ApiFailure(StatusCode::BAD_REQUEST, code)
    })
}

/// `GET /api/join/{code}`: what a phone shows before joining.
pub(crate) async fn join_info(
    State(app): State<AppState>,
    ClientAddress(client): ClientAddress,
    Path(code): Path<String>,
) -> Result<Response, ApiFailure> {
    if let Err(seconds) = app.join_lookups.take(client) {
        return Ok(too_many(seconds));
    }
    let code = parse_code(&code)?;
    let unknown = ApiFailure(StatusCode::NOT_FOUND, ErrorCode::UnknownJoinCode);
    let conference = app.registry.by_join_code(&code).await?.ok_or(unknown)?;
    let info = conference
        .join_info()
        .await
        .map_err(|_| ApiFailure(StatusCode::SERVICE_UNAVAILABLE, ErrorCode::ShuttingDown))?
        // After *Close joining*, not even the join form's facts are given out.
        .ok_or(ApiFailure(StatusCode::FORBIDDEN, ErrorCode::JoiningClosed))?;
    Ok(Json(info).into_response())
}

/// `GET /api/join/{code}/qr.svg`: a QR code of the join link, for the projector.
pub(crate) async fn join_qr(
    State(app): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, ApiFailure> {
    let code = parse_code(&code)?;
    let link = format!("{}/j/{}", app.public_url, code);
    let qr = QrCode::new(link.as_bytes())
        .map_err(|_| ApiFailure(StatusCode::BAD_REQUEST, ErrorCode::BadMessage))?;
    let image = qr
        .render::<svg::Color>()
        .quiet_zone(true)
        .min_dimensions(256, 256)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        image,
    )
        .into_response())
}
