//! Serves the embedded browser app. Files under `/assets/` have content hashes in their
//! names and are cached forever; the pages (`index.html`, `phone.html`) are revalidated every
//! time (cheap, by ETag).
//! Any other path that is not an API path gets `index.html`, and the app shows the screen
//! for that path; `/j` paths get `phone.html`, the phone's smaller bundle of the app. Each file is sent brotli- or gzip-compressed when the browser accepts it
//! (browsers offer brotli only over HTTPS, so gzip matters on a venue's plain-HTTP network).

use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use ordet_shared::protocol::ErrorCode;

use super::api::ApiFailure;

/// One embedded file.
pub struct Asset {
    /// URL path.
    pub path: &'static str,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Strong ETag of the raw content.
    pub etag: &'static str,
    /// Whether the file name carries a content hash (cache forever).
    pub immutable: bool,
    /// The file.
    pub raw: &'static [u8],
    /// The file, gzip-compressed.
    pub gzip: Option<&'static [u8]>,
    /// The file, brotli-compressed.
    pub brotli: Option<&'static [u8]>,
}

include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));

/// Whether the browser app was built into this binary (see `build.rs`).
pub fn web_app_built() -> bool {
    WEB_APP_BUILT
}

/// Fallback handler: an embedded file, or the page of the app's bundle for the path.
pub(crate) async fn serve(uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    if path.starts_with("/api/") || path == "/ws" {
        return ApiFailure(StatusCode::NOT_FOUND, ErrorCode::BadMessage).into_response();
    }
    if let Some(asset) = find(path) {
        return send(asset, &headers);
    }
    if path.starts_with("/assets/") {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let page = if path == "/j" || path.starts_with("/j/") {
        find("/phone.html").or_else(|| find("/index.html"))
    } else {
        find("/index.html")
    };
    match page {
        Some(page) => send(page, &headers),
        None => Html(NOT_BUILT).into_response(),
    }
}

fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == path)
}

fn send(asset: &'static Asset, request: &HeaderMap) -> Response {
    let cache = if asset.immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut response = if request
        .get(header::IF_NONE_MATCH)
        .is_some_and(|tag| tag.as_bytes() == asset.etag.as_bytes())
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let accepts = |encoding: &str| {
            request
                .get(header::ACCEPT_ENCODING)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with(encoding)))
        };
        let (body, encoding) = match (asset.brotli, asset.gzip) {
            (Some(br), _) if accepts("br") => (br, Some("br")),
            (_, Some(gz)) if accepts("gzip") => (gz, Some("gzip")),
            _ => (asset.raw, None),
        };
        let mut response = body.into_response();
        if let Some(encoding) = encoding {
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::ETAG, HeaderValue::from_static(asset.etag));
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    response
}

const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Ordet</title>\
<main><h1>Ordet</h1><p>The server is running, but this binary was built without the browser app. \
Build and start Ordet with <code>cargo xtask start</code> (see README.md).</p></main></html>";
