//! # ordet-client
//!
//! Ordet's browser app. The path decides the screen:
//!
//! | path | screen | who |
//! | --- | --- | --- |
//! | `/` | start page: join with a code, or start a conference | everyone |
//! | `/j`, `/j/{code}` | join, then the phone view | participants |
//! | `/f/{id}#{key}` | facilitator console | the facilitator (the link is the key) |
//! | `/s/{id}#{key}` | projector screen | the projector |
//! | `/p/{id}#{key}` | plan page: the meetings of a plan and its input document | whoever writes the plan |
//!
//! It is built twice. The whole app serves every path but `/j`; with the `phone` feature it is
//! the phone's bundle, which has only the join page and the phone view, and the server sends
//! it for `/j` paths, so a phone on mobile data downloads none of the console's code.
//!
//! Keys travel in the URL fragment (`#…`), which browsers never send to a server, so they
//! stay out of logs and `Referer` headers.
//!
//! - [`live`]: the websocket connection — reconnects by itself, keeps commands typed offline
//!   in local storage until the server acknowledges them, applies events with the shared
//!   reducer.
//! - [`i18n`]: the reader's language, a signal every text depends on.
//! - [`pages`]: one module per screen; [`widgets`]: pieces several screens share;
//!   [`step_view`]: the running step and its clock as every screen shows it;
//!   [`plan_view`]: downloads, plan forms and confirmations of the input document.
//!
//! Chosen crates: `leptos` (fine-grained reactive UI, client-side rendered), `web-sys`,
//! `js-sys`, `wasm-bindgen-futures` (browser APIs: websocket, fetch, storage), `uuid`
//! (identifiers made on the device, from the browser's cryptographic random source).

pub mod api;
pub mod i18n;
pub mod live;
pub mod notes_view;
pub mod pages;
pub mod plan_view;
pub mod route;
pub mod step_view;
pub mod storage;
pub mod turns_view;
pub mod voting_view;
pub mod widgets;

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::route::Route;

/// Entry point, called by the loader script.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
}

/// The app: picks the screen for the current path.
#[component]
pub fn App() -> impl IntoView {
    let i18n = i18n::I18n::provide();
    let page = page_for(Route::current());
    view! {
        <a class="skip-link" href="#main">{i18n.text(ordet_shared::Key::SkipToContent)}</a>
        {page}
    }
}

/// The screen for a path, in the whole app.
#[cfg(not(feature = "phone"))]
fn page_for(route: Route) -> AnyView {
    match route {
        Route::Start => view! { <pages::start::StartPage/> }.into_any(),
        Route::Join { code } => view! { <pages::phone::JoinPage code=code/> }.into_any(),
        Route::Console { conference, key } => {
            view! { <pages::console::ConsolePage conference=conference key=key/> }.into_any()
        }
        Route::Screen { conference, key } => {
            view! { <pages::screen::ScreenPage conference=conference key=key/> }.into_any()
        }
        Route::Plan { plan, key } => {
            view! { <pages::plan::PlanPage plan=plan key=key/> }.into_any()
        }
        Route::NotFound => view! { <pages::not_found::NotFoundPage/> }.into_any(),
    }
}

/// The screen for a path, in the phone's bundle: only joining and the phone view.
#[cfg(feature = "phone")]
fn page_for(route: Route) -> AnyView {
    match route {
        Route::Join { code } => view! { <pages::phone::JoinPage code=code/> }.into_any(),
        _ => view! { <pages::not_found::NotFoundPage/> }.into_any(),
    }
}
