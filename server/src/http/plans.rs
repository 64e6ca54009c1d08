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
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ordet_shared::command::clean_title;
use ordet_shared::plan::{
    AttachMeeting, CreatePlan, CreatedPlan, ExportFormat, PlanInfo, PlanMeeting,
};
use ordet_shared::protocol::ErrorCode;
use ordet_shared::{ConferenceId, MeetingId, PlanId};

use super::AppState;
use super::api::{ApiFailure, json_body, too_many};
use super::guard::ClientAddress;
use crate::clock::now_ms;
use crate::conference::{Admission, ConferenceHandle, Credential};
use crate::export::model::MAX_MEETINGS;
use crate::export::{InputDocument, Meeting, render};
use crate::secrets::{SecretHash, new_facilitator_key};
use crate::store::{MeetingSource, PlanRecord, StoredMeeting};

/// Largest JSON file `import` accepts: a plan of tens of thousands of notes.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

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
pub(crate) async fn import(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<PlanInfo>, ApiFailure> {
    let plan = plan_in(&app, &id, &headers).await?;
    let document = tokio::task::spawn_blocking(move || InputDocument::from_json(&body))
        .await
        .map_err(|_| gone())?
        .map_err(|problem| {
            tracing::info!(%problem, "an import was refused");
            ApiFailure(StatusCode::BAD_REQUEST, ErrorCode::ImportInvalid)
        })?;
    let store = app.registry.store();
    let present = store.plan_meetings(plan.id).await?.len();
    if present + document.meetings.len() > MAX_MEETINGS {
        return Err(ApiFailure(StatusCode::BAD_REQUEST, ErrorCode::TooBig));
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

/// The document as a file download.
async fn download(document: InputDocument, format: ExportFormat) -> Result<Response, ApiFailure> {
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
