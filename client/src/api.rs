//! The HTTP calls the app makes: create a conference, look up a join code, and the plan and
//! export calls of the input document. Keys go in `Authorization: Bearer KEY`, never in the
//! address, so they stay out of logs.

use ordet_shared::plan::{AttachMeeting, CreatePlan, CreatedPlan, PlanInfo};
use ordet_shared::protocol::{ApiError, CreateConference, CreatedConference, ErrorCode, JoinInfo};
use ordet_shared::{ConferenceId, MeetingId, PlanId};
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Request, RequestInit, Response, Url};

/// Why a call failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The server answered with this error.
    Api(ErrorCode),
    /// The server could not be reached.
    Network,
}

impl Problem {
    /// The text that explains the problem.
    pub fn key(self) -> ordet_shared::Key {
        match self {
            Problem::Api(code) => code.key(),
            Problem::Network => ordet_shared::Key::ErrorNetwork,
        }
    }
}

/// What a request sends.
enum Body<'a> {
    None,
    Json(String),
    /// A file the person chose, sent as it is (the browser reads it, not the app).
    File(&'a web_sys::File),
}

/// `POST /api/conferences`.
pub async fn create_conference(request: &CreateConference) -> Result<CreatedConference, Problem> {
    call("POST", "/api/conferences", None, json(request)?).await
}

/// `GET /api/join/{code}`.
pub async fn join_info(code: &str) -> Result<JoinInfo, Problem> {
    call("GET", &format!("/api/join/{code}"), None, Body::None).await
}

/// `POST /api/plans`.
pub async fn create_plan(request: &CreatePlan) -> Result<CreatedPlan, Problem> {
    call("POST", "/api/plans", None, json(request)?).await
}

/// `GET /api/plans/{id}`.
pub async fn plan(id: PlanId, key: &str) -> Result<PlanInfo, Problem> {
    call("GET", &format!("/api/plans/{id}"), Some(key), Body::None).await
}

/// `DELETE /api/plans/{id}`: the plan and every conference in it.
pub async fn delete_plan(id: PlanId, key: &str) -> Result<(), Problem> {
    send("DELETE", &format!("/api/plans/{id}"), Some(key), Body::None)
        .await
        .map(drop)
}

/// `POST /api/plans/{id}/meetings`: adds a conference, proven by its facilitator key.
pub async fn attach(id: PlanId, key: &str, meeting: &AttachMeeting) -> Result<PlanInfo, Problem> {
    let url = format!("/api/plans/{id}/meetings");
    call("POST", &url, Some(key), json(meeting)?).await
}

/// `DELETE /api/plans/{id}/meetings/{meeting}`: takes a meeting out (it is not deleted).
pub async fn detach(id: PlanId, key: &str, meeting: MeetingId) -> Result<PlanInfo, Problem> {
    let url = format!("/api/plans/{id}/meetings/{meeting}");
    call("DELETE", &url, Some(key), Body::None).await
}

/// `POST /api/plans/{id}/import` with an exported JSON file.
pub async fn import(id: PlanId, key: &str, file: &web_sys::File) -> Result<PlanInfo, Problem> {
    let url = format!("/api/plans/{id}/import");
    call("POST", &url, Some(key), Body::File(file)).await
}

/// `DELETE /api/conferences/{id}`: the conference with everything in it.
pub async fn delete_conference(id: ConferenceId, key: &str) -> Result<(), Problem> {
    send(
        "DELETE",
        &format!("/api/conferences/{id}"),
        Some(key),
        Body::None,
    )
    .await
    .map(drop)
}

/// Fetches a file with the key and hands it to the browser as a download, named as the
/// server says (or `fallback`). Returns the file's name.
pub async fn download(url: &str, key: &str, fallback: &str) -> Result<String, Problem> {
    let response = send("GET", url, Some(key), Body::None).await?;
    let name = response
        .headers()
        .get("Content-Disposition")
        .ok()
        .flatten()
        .and_then(|header| file_name(&header))
        .unwrap_or_else(|| fallback.to_string());
    let blob: Blob = wait(response.blob())
        .await?
        .dyn_into()
        .map_err(|_| Problem::Network)?;
    let href = Url::create_object_url_with_blob(&blob).map_err(|_| Problem::Network)?;
    let document = leptos::prelude::document();
    let link: web_sys::HtmlElement = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into().ok())
        .ok_or(Problem::Network)?;
    let _ = link.set_attribute("href", &href);
    let _ = link.set_attribute("download", &name);
    link.set_hidden(true);
    if let Some(body) = document.body() {
        let _ = body.append_child(&link);
    }
    link.click();
    link.remove();
    // The browser has taken the file by then; the memory is freed when the address goes.
    leptos::prelude::set_timeout(
        move || {
            let _ = Url::revoke_object_url(&href);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(name)
}

/// The file name in a `Content-Disposition` header: `filename*=UTF-8''…` (percent-encoded)
/// if present, else `filename="…"`. Folders in the name are dropped.
pub fn file_name(header: &str) -> Option<String> {
    let mut plain = None;
    let mut encoded = None;
    for part in header.split(';').map(str::trim) {
        if let Some(value) = part.strip_prefix("filename*=") {
            let value = value.trim_matches('"');
            let value = value.split_once("''").map_or(value, |(_, v)| v);
            encoded = percent_decode(value);
        } else if let Some(value) = part.strip_prefix("filename=") {
            plain = Some(value.trim_matches('"').to_string());
        }
    }
    let name = encoded.or(plain)?;
    let name = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    (!name.is_empty()).then(|| name.to_string())
}

fn percent_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if byte == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

fn json(value: &impl serde::Serialize) -> Result<Body<'static>, Problem> {
    serde_json::to_string(value)
        .map(Body::Json)
        .map_err(|_| Problem::Network)
}

async fn wait(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, Problem> {
    JsFuture::from(promise.map_err(|_| Problem::Network)?)
        .await
        .map_err(|_| Problem::Network)
}

async fn text(response: &Response) -> Result<String, Problem> {
    Ok(wait(response.text()).await?.as_string().unwrap_or_default())
}

/// Makes the request; a successful answer is returned, an error answer explained.
async fn send(
    method: &str,
    url: &str,
    key: Option<&str>,
    body: Body<'_>,
) -> Result<Response, Problem> {
    let init = RequestInit::new();
    init.set_method(method);
    let content_type = match &body {
        Body::None => None,
        Body::Json(text) => {
            init.set_body(&JsValue::from_str(text));
            Some("application/json")
        }
        Body::File(file) => {
            init.set_body(file);
            Some("application/json")
        }
    };
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| Problem::Network)?;
    let headers = request.headers();
    if let Some(content_type) = content_type {
        let _ = headers.set("Content-Type", content_type);
    }
    if let Some(key) = key {
        let _ = headers.set("Authorization", &format!("Bearer {key}"));
    }
    let response: Response = wait(Ok(leptos::prelude::window().fetch_with_request(&request)))
        .await?
        .dyn_into()
        .map_err(|_| Problem::Network)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    match serde_json::from_str::<ApiError>(&text(&response).await?) {
        Ok(error) => Err(Problem::Api(error.error)),
        Err(_) if status == 413 => Err(Problem::Api(ErrorCode::TooBig)),
        Err(_) if status == 429 => Err(Problem::Api(ErrorCode::RateLimited)),
        Err(_) => Err(Problem::Network),
    }
}

async fn call<T: DeserializeOwned>(
    method: &str,
    url: &str,
    key: Option<&str>,
    body: Body<'_>,
) -> Result<T, Problem> {
    let response = send(method, url, key, body).await?;
    serde_json::from_str(&text(&response).await?).map_err(|_| Problem::Network)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_come_from_the_header() {
        assert_eq!(
            file_name(
                "attachment; filename=\"Ope_m_te.docx\"; filename*=UTF-8''Ope%20m%C3%B8te.docx"
            )
            .as_deref(),
            Some("Ope møte.docx")
        );
        assert_eq!(
            file_name("attachment; filename=\"plan.csv\"").as_deref(),
            Some("plan.csv")
        );
        assert_eq!(
            file_name("attachment; filename*=UTF-8''..%2F..%2Fetc.md").as_deref(),
            Some("etc.md")
        );
        // A broken encoding falls back to the plain name.
        assert_eq!(
            file_name("attachment; filename=\"a.md\"; filename*=UTF-8''%E2%28").as_deref(),
            Some("a.md")
        );
        assert_eq!(file_name("attachment"), None);
        assert_eq!(file_name("attachment; filename=\"\""), None);
    }
}
