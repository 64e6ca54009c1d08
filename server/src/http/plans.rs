//! Plans, exports and deletion over HTTP. Every call but creating a plan needs a key as
//! `Authorization: Bearer KEY`: the conference's facilitator key for a conference, the plan's
//! key for a plan. Keys are compared as hashes in constant time.
//!
//! - `POST /api/plans`: create a plan (organiser password and rate limit as for conferences).
//! - `GET /api/plans/{id}`, `DELETE /api/plans/{id}` (with every conference in it).
//! - `POST /api/plans/{id}/meetings`: add a conference (its facilitator key in the body).
//! - `DELETE /api/plans/{id}/meetings/{meeting}`: take a meeting out of the plan.
//! - `POST /api/plans/{id}/import`: add the meetings of an exported JSON file.
//! - `GET /api/plans/{id}/export/{format}`, `GET /api/conferences/{id}/export/{format}`.
//! - `DELETE /api/conferences/{id}`: the conference with everything in it.

use axum::Json;
use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use ordet_shared::command::clean_title;
use ordet_shared::plan::{
    AttachMeeting, CreatePlan, CreatedPlan, ExportFormat, PlanInfo, PlanMeeting,
};
use ordet_shared::protocol::{ApiError, ErrorCode};
use ordet_shared::{ConferenceId, MeetingId, PlanId};

use super::AppState;
use super::api::{ApiFailure, json_body, too_many};
use super::guard::ClientAddress;
use crate::clock::now_ms;
use crate::conference::{Admission, ConferenceHandle, Credential};
use crate::export::model::ImportSize;
use crate::export::model::MAX_MEETINGS;
use crate::export::{InputDocument, Meeting, render};
use crate::secrets::{SecretHash, new_facilitator_key};
use crate::store::{MeetingSource, PlanRecord, StoredMeeting};

pub use crate::export::model::MAX_IMPORT_BYTES;
/// How many imported files the server reads and checks at once. Each may cost up to about
/// twice its size in memory while it is checked, so this caps what imports can take.
pub const IMPORTS_AT_ONCE: usize = 2;
/// How long an import waits for its turn before it is refused (429).
const IMPORT_QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
/// How long a file may take to arrive. A slow upload holds one of the [`IMPORTS_AT_ONCE`]
/// turns; this is how long at most.
pub const IMPORT_READ_TIME: std::time::Duration = std::time::Duration::from_secs(60);
/// Most bytes of a refused import read (and thrown away) so that its sender sees the
/// refusal; past this the connection is closed.
const DISCARD_BYTES: usize = 4 * MAX_IMPORT_BYTES;
/// How long a refused import is read (and thrown away) at most.
const DISCARD_TIME: std::time::Duration = std::time::Duration::from_secs(20);
/// How many exports the server writes at once.
pub const EXPORTS_AT_ONCE: usize = 2;
/// How long an export waits for its turn before it is refused (429).
const EXPORT_QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(30);
/// The turns of [`EXPORTS_AT_ONCE`], for the whole server.
static EXPORTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(EXPORTS_AT_ONCE);
/// The turns of [`IMPORTS_AT_ONCE`], for the whole server.
static IMPORTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(IMPORTS_AT_ONCE);

fn unauthorized() -> ApiFailure {
    ApiFailure(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized)
}

/// The key from `Authorization: Bearer KEY`.
fn bearer(headers: &HeaderMap) -> Result<&str, ApiFailure> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|key| !key.is_empty() && key.len() <= 256)
        .ok_or_else(unauthorized)
}

fn parse_id<T: std::str::FromStr>(text: &str, unknown: ErrorCode) -> Result<T, ApiFailure> {
    text.parse()
        .map_err(|_| ApiFailure(StatusCode::NOT_FOUND, unknown))
}

fn parse_format(text: &str) -> Result<ExportFormat, ApiFailure> {
    ExportFormat::from_extension(text)
        .ok_or(ApiFailure(StatusCode::NOT_FOUND, ErrorCode::UnknownFormat))
}

fn gone() -> ApiFailure {
    ApiFailure(StatusCode::SERVICE_UNAVAILABLE, ErrorCode::ShuttingDown)
}

/// The running conference, if `key` is its facilitator key.
async fn facilitated(
    app: &AppState,
    id: ConferenceId,
    key: &str,
) -> Result<ConferenceHandle, ApiFailure> {
    let conference = app.registry.get(id).await?.ok_or(ApiFailure(
        StatusCode::NOT_FOUND,
        ErrorCode::UnknownConference,
    ))?;
    match conference
        .admit(Credential::Facilitator(SecretHash::of(key)))
        .await
        .map_err(|_| gone())?
    {
        Admission::Admitted(ordet_shared::Actor::Facilitator) => Ok(conference),
        _ => Err(unauthorized()),
    }
}

/// The plan, if `key` is its key.
async fn keyed_plan(app: &AppState, id: PlanId, key: &str) -> Result<PlanRecord, ApiFailure> {
    let plan = app
        .registry
        .store()
        .plan(id)
        .await?
        .ok_or(ApiFailure(StatusCode::NOT_FOUND, ErrorCode::UnknownPlan))?;
    if plan.key_hash.matches(&SecretHash::of(key)) {
        Ok(plan)
    } else {
        Err(unauthorized())
    }
}

/// The plan named by the path's `id`, if the request's bearer key is its key.
async fn plan_in(app: &AppState, id: &str, headers: &HeaderMap) -> Result<PlanRecord, ApiFailure> {
    keyed_plan(app, parse_id(id, ErrorCode::UnknownPlan)?, bearer(headers)?).await
}

/// The facts of every meeting of a plan, with their identifiers and conferences.
async fn plan_facts(
    app: &AppState,
    plan: PlanId,
) -> Result<Vec<(StoredMeeting, Meeting)>, ApiFailure> {
    let mut facts = Vec::new();
    for stored in app.registry.store().plan_meetings(plan).await? {
        let meeting = match &stored.source {
            MeetingSource::Conference(id) => match app.registry.get(*id).await? {
                Some(conference) => conference.facts().await.map_err(|_| gone())?,
                None => continue,
            },
            MeetingSource::Imported(json) => match serde_json::from_str(json) {
                Ok(meeting) => meeting,
                Err(error) => {
                    tracing::error!(%error, "a stored imported meeting could not be read");
                    continue;
                }
            },
        };
        facts.push((stored, meeting));
    }
    facts.sort_by_key(|(_, meeting)| meeting.date);
    Ok(facts)
}

async fn plan_info(app: &AppState, plan: &PlanRecord) -> Result<PlanInfo, ApiFailure> {
    let meetings = plan_facts(app, plan.id)
        .await?
        .into_iter()
        .map(|(stored, meeting)| PlanMeeting {
            id: stored.id,
            conference: match stored.source {
                MeetingSource::Conference(id) => Some(id),
                MeetingSource::Imported(_) => None,
            },
            title: meeting.title,
            date: meeting.date,
            participants: meeting.participants,
            notes: meeting.notes.len() as u32,
        })
        .collect();
    Ok(PlanInfo {
        id: plan.id,
        title: plan.title.clone(),
        language: plan.language,
        meetings,
    })
}

/// `POST /api/plans`: 201 with the plan's key (shown once).
pub(crate) async fn create_plan(
    State(app): State<AppState>,
    ClientAddress(client): ClientAddress,
    body: Result<Json<CreatePlan>, JsonRejection>,
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
    let title =
        clean_title(&request.title).map_err(|code| ApiFailure(StatusCode::BAD_REQUEST, code))?;
    let key = new_facilitator_key();
    let id = PlanId::random();
    app.registry
        .store()
        .create_plan(PlanRecord {
            id,
            title,
            language: request.language,
            key_hash: SecretHash::of(&key),
            created_at_ms: now_ms(),
        })
        .await?;
    let created = CreatedPlan {
        id,
        plan_path: format!("/p/{id}#{key}"),
        key,
    };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// `GET /api/plans/{id}`.
pub(crate) async fn get_plan(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<PlanInfo>, ApiFailure> {
    let plan = plan_in(&app, &id, &headers).await?;
    Ok(Json(plan_info(&app, &plan).await?))
}

/// `DELETE /api/plans/{id}`: the plan and every conference in it.
pub(crate) async fn delete_plan(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiFailure> {
    let plan = plan_in(&app, &id, &headers).await?;
    app.registry.delete_plan(plan.id).await?;
    tracing::info!(plan = %plan.id, "plan deleted with its conferences");
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/plans/{id}/meetings`: adds a conference, proven by its facilitator key.
pub(crate) async fn attach_meeting(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<AttachMeeting>, JsonRejection>,
) -> Result<Json<PlanInfo>, ApiFailure> {
    let plan = plan_in(&app, &id, &headers).await?;
    let request = json_body(body)?;
    facilitated(&app, request.conference, &request.facilitator_key).await?;
    let store = app.registry.store();
    let meetings = store.plan_meetings(plan.id).await?;
    let already = meetings
        .iter()
        .any(|m| m.source == MeetingSource::Conference(request.conference));
    if !already {
        if meetings.len() >= MAX_MEETINGS {
            return Err(ApiFailure(StatusCode::BAD_REQUEST, ErrorCode::TooBig));
        }
        let meeting = StoredMeeting {
            id: MeetingId::random(),
            source: MeetingSource::Conference(request.conference),
        };
        store.add_meetings(plan.id, vec![meeting], now_ms()).await?;
    }
    Ok(Json(plan_info(&app, &plan).await?))
}

/// `DELETE /api/plans/{id}/meetings/{meeting}`: takes a meeting out (the conference stays).
pub(crate) async fn detach_meeting(
    State(app): State<AppState>,
    Path((id, meeting)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<PlanInfo>, ApiFailure> {
    let plan = plan_in(&app, &id, &headers).await?;
    let meeting: MeetingId = parse_id(&meeting, ErrorCode::UnknownMeeting)?;
    let store = app.registry.store();
    if !store
        .plan_meetings(plan.id)
        .await?
        .iter()
        .any(|m| m.id == meeting)
    {
        return Err(ApiFailure(StatusCode::NOT_FOUND, ErrorCode::UnknownMeeting));
    }
    store.remove_meeting(plan.id, meeting).await?;
    Ok(Json(plan_info(&app, &plan).await?))
}

/// `POST /api/plans/{id}/import`: adds every meeting of an exported JSON file. A file that
/// is not one is refused whole; nothing already stored changes.
///
/// The plan's key is checked before a byte of the body is read, so a request without it
/// costs nothing; then at most [`IMPORTS_AT_ONCE`] files are read and checked at once on
/// the whole server, each within [`IMPORT_READ_TIME`], and a body longer than
/// [`MAX_IMPORT_BYTES`] is refused (413) as soon as it gets past the limit. Every refusal
/// says in its `message` what is wrong.
pub(crate) async fn import(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<PlanInfo>, Refusal> {
    let plan = plan_in(&app, &id, &headers).await?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_IMPORT_BYTES as u64) {
        discard(body.into_data_stream()).await;
        return Err(too_large());
    }
    let _permit = match tokio::time::timeout(IMPORT_QUEUE_WAIT, IMPORTS.acquire()).await {
        Ok(Ok(permit)) => permit,
        _ => {
            return Err(Refusal(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                format!(
                    "The server is reading {IMPORTS_AT_ONCE} other files already; try again in a minute."
                ),
            ));
        }
    };
    let bytes = match tokio::time::timeout(IMPORT_READ_TIME, read_body(body)).await {
        Ok(bytes) => bytes?,
        Err(_) => {
            return Err(Refusal(
                StatusCode::REQUEST_TIMEOUT,
                ErrorCode::ImportInvalid,
                format!(
                    "The file did not arrive within {} seconds.",
                    IMPORT_READ_TIME.as_secs()
                ),
            ));
        }
    };
    let store = app.registry.store();
    let present = store.plan_meetings(plan.id).await?;
    let present_count = present.len();
    let document = tokio::task::spawn_blocking(move || {
        let document = InputDocument::from_json(&bytes)?;
        drop(bytes);
        let already: Vec<Meeting> = present
            .iter()
            .filter_map(|stored| match &stored.source {
                MeetingSource::Imported(json) => serde_json::from_str(json).ok(),
                MeetingSource::Conference(_) => None,
            })
            .collect();
        ImportSize::of(&already)
            .plus(ImportSize::of(&document.meetings))
            .within_limits()?;
        Ok::<_, String>(document)
    })
    .await
    .map_err(|_| gone())?
    .map_err(|problem| {
        tracing::info!(%problem, "an import was refused");
        Refusal(StatusCode::BAD_REQUEST, ErrorCode::ImportInvalid, problem)
    })?;
    if present_count + document.meetings.len() > MAX_MEETINGS {
        return Err(Refusal(
            StatusCode::BAD_REQUEST,
            ErrorCode::TooBig,
            format!("A plan holds at most {MAX_MEETINGS} meetings."),
        ));
    }
    let meetings =
        document
            .meetings
            .iter()
            .map(|meeting| {
                Ok(StoredMeeting {
                    id: MeetingId::random(),
                    source: MeetingSource::Imported(serde_json::to_string(meeting).map_err(
                        |_| ApiFailure(StatusCode::BAD_REQUEST, ErrorCode::ImportInvalid),
                    )?),
                })
            })
            .collect::<Result<Vec<_>, ApiFailure>>()?;
    store.add_meetings(plan.id, meetings, now_ms()).await?;
    Ok(Json(plan_info(&app, &plan).await?))
}

/// The request body, refused (413) as soon as it is longer than [`MAX_IMPORT_BYTES`].
async fn read_body(body: Body) -> Result<Vec<u8>, Refusal> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| {
            Refusal(
                StatusCode::BAD_REQUEST,
                ErrorCode::ImportInvalid,
                "The file did not arrive whole.".into(),
            )
        })?;
        if bytes.len() + chunk.len() > MAX_IMPORT_BYTES {
            drop(bytes);
            discard(stream).await;
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Reads what is left of a refused body without keeping it, for at most [`DISCARD_BYTES`]
/// and [`DISCARD_TIME`], so that a browser still sending it reads the refusal (closed
/// mid-upload, it would only report a network error). It costs no memory.
async fn discard(mut stream: axum::body::BodyDataStream) {
    let _ = tokio::time::timeout(DISCARD_TIME, async {
        let mut read = 0;
        while let Some(Ok(chunk)) = stream.next().await {
            read += chunk.len();
            if read > DISCARD_BYTES {
                break;
            }
        }
    })
    .await;
}

fn too_large() -> Refusal {
    Refusal(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::TooBig,
        format!(
            "The file is larger than {} MiB.",
            MAX_IMPORT_BYTES / (1024 * 1024)
        ),
    )
}

/// An error answer whose English message says, after the code's own explanation, exactly
/// what was wrong.
pub(crate) struct Refusal(StatusCode, ErrorCode, String);

impl From<ApiFailure> for Refusal {
    fn from(ApiFailure(status, code): ApiFailure) -> Self {
        Refusal(status, code, String::new())
    }
}

impl From<crate::store::StoreError> for Refusal {
    fn from(error: crate::store::StoreError) -> Self {
        ApiFailure::from(error).into()
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let Refusal(status, code, detail) = self;
        let mut error = ApiError::new(code);
        if !detail.is_empty() {
            error.message = format!("{} {detail}", error.message);
        }
        (status, Json(error)).into_response()
    }
}

/// `GET /api/plans/{id}/export/{format}`: the plan's input document.
pub(crate) async fn export_plan(
    State(app): State<AppState>,
    Path((id, format)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let plan = plan_in(&app, &id, &headers).await?;
    let format = parse_format(&format)?;
    let meetings = plan_facts(&app, plan.id)
        .await?
        .into_iter()
        .map(|(_, meeting)| meeting)
        .collect();
    let document = InputDocument::new(plan.title, plan.language, true, meetings);
    download(document, format).await
}

/// `GET /api/conferences/{id}/export/{format}`: one meeting's input document.
pub(crate) async fn export_conference(
    State(app): State<AppState>,
    Path((id, format)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiFailure> {
    let id = parse_id(&id, ErrorCode::UnknownConference)?;
    let format = parse_format(&format)?;
    let conference = facilitated(&app, id, bearer(&headers)?).await?;
    let meeting = conference.facts().await.map_err(|_| gone())?;
    let document = InputDocument::new(
        meeting.title.clone(),
        meeting.language,
        false,
        vec![meeting],
    );
    download(document, format).await
}

/// `DELETE /api/conferences/{id}`: the conference with its notes, votes and log.
pub(crate) async fn delete_conference(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiFailure> {
    let id = parse_id(&id, ErrorCode::UnknownConference)?;
    facilitated(&app, id, bearer(&headers)?).await?;
    app.registry.delete(id).await?;
    tracing::info!(conference = %id, "conference deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// The document as a file download. At most [`EXPORTS_AT_ONCE`] are written at once on the
/// whole server (a large plan's export takes a moment and its size in memory); others wait
/// their turn for up to [`EXPORT_QUEUE_WAIT`], then are refused (429).
async fn download(document: InputDocument, format: ExportFormat) -> Result<Response, ApiFailure> {
    let Ok(Ok(_permit)) = tokio::time::timeout(EXPORT_QUEUE_WAIT, EXPORTS.acquire()).await else {
        return Err(ApiFailure(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
        ));
    };
    let rendered = tokio::task::spawn_blocking(move || render(&document, format))
        .await
        .map_err(|_| gone())?;
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        rendered.file_name.replace(
            |c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '-',
            "_"
        ),
        percent_encode(&rendered.file_name)
    );
    let mut response = (StatusCode::OK, rendered.bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(rendered.content_type),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // An exported page has its style sheet inside and no scripts at all.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; img-src data:"),
    );
    Ok(response)
}

/// UTF-8 percent-encoding for `filename*` (RFC 5987): letters, digits and `.-_` stay.
fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b".-_".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
