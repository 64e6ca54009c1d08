//! The two HTTP calls the app makes: create a conference, look up a join code.

use ordet_shared::protocol::{ApiError, CreateConference, CreatedConference, ErrorCode, JoinInfo};
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

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

/// `POST /api/conferences`.
pub async fn create_conference(request: &CreateConference) -> Result<CreatedConference, Problem> {
    let body = serde_json::to_string(request).map_err(|_| Problem::Network)?;
    call("POST", "/api/conferences", Some(body)).await
}

/// `GET /api/join/{code}`.
pub async fn join_info(code: &str) -> Result<JoinInfo, Problem> {
    call("GET", &format!("/api/join/{code}"), None).await
}

async fn call<T: DeserializeOwned>(
    method: &str,
    url: &str,
    body: Option<String>,
) -> Result<T, Problem> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = &body {
        init.set_body(&JsValue::from_str(body));
    }
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| Problem::Network)?;
    if body.is_some() {
        let _ = request.headers().set("Content-Type", "application/json");
    }
    let response: Response = JsFuture::from(leptos::prelude::window().fetch_with_request(&request))
        .await
        .map_err(|_| Problem::Network)?
        .dyn_into()
        .map_err(|_| Problem::Network)?;
    let text = JsFuture::from(response.text().map_err(|_| Problem::Network)?)
        .await
        .map_err(|_| Problem::Network)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        serde_json::from_str(&text).map_err(|_| Problem::Network)
    } else {
        match serde_json::from_str::<ApiError>(&text) {
            Ok(error) => Err(Problem::Api(error.error)),
            Err(_) => Err(Problem::Network),
        }
    }
}
