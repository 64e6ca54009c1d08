//! The browser's local storage, for what must survive a reload, a dead battery or a
//! sleeping phone: the device identity per conference, commands not yet acknowledged, the
//! notes this device wrote, the note box's text not yet sent, the plans a console put its
//! meeting in, and the chosen language.
//! Nothing here leaves the device except through the app's own messages to its own server.

use serde::Serialize;
use serde::de::DeserializeOwned;

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

/// Reads a JSON value; `None` if missing, unreadable or storage is unavailable.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = storage()?.get_item(key).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Writes a JSON value (best effort: private browsing may refuse).
pub fn save<T: Serialize>(key: &str, value: &T) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(value)) {
        let _ = storage.set_item(key, &text);
    }
}

/// Forgets a value (best effort).
pub fn remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}
