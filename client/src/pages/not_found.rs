//! The screen for an address the app does not know.

use leptos::prelude::*;
use ordet_shared::Key;

use crate::i18n::I18n;

/// "Page not found", with a way back.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <main id="main" class="page narrow">
            <h1>{i18n.text(Key::NotFoundHeading)}</h1>
            <p><a href="/">{i18n.text(Key::BackToStart)}</a></p>
        </main>
    }
}
