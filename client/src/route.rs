//! Which screen the current address asks for.

use ordet_shared::ConferenceId;

/// A screen of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`
    Start,
    /// `/j` or `/j/{code}`
    Join {
        /// The code from the path, if any.
        code: Option<String>,
    },
    /// `/f/{id}#{key}`
    Console {
        /// Which conference.
        conference: ConferenceId,
        /// The facilitator key from the fragment.
        key: String,
    },
    /// `/s/{id}#{key}`
    Screen {
        /// Which conference.
        conference: ConferenceId,
        /// The screen key from the fragment.
        key: String,
    },
    /// Anything else.
    NotFound,
}

impl Route {
    /// The route of the page's current address.
    pub fn current() -> Route {
        let location = leptos::prelude::window().location();
        let path = location.pathname().unwrap_or_default();
        let hash = location.hash().unwrap_or_default();
        Route::parse(&path, hash.trim_start_matches('#'))
    }

    /// Parses a path and fragment.
    pub fn parse(path: &str, fragment: &str) -> Route {
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let keyed = |id: &str, make: fn(ConferenceId, String) -> Route| match id.parse() {
            Ok(id) if !fragment.is_empty() => make(id, fragment.to_string()),
            _ => Route::NotFound,
        };
        match parts.as_slice() {
            [] => Route::Start,
            ["j"] => Route::Join { code: None },
            ["j", code] => Route::Join {
                code: Some(code.to_string()),
            },
            ["f", id] => keyed(id, |conference, key| Route::Console { conference, key }),
            ["s", id] => keyed(id, |conference, key| Route::Screen { conference, key }),
            _ => Route::NotFound,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_screens() {
        let id = ConferenceId::random();
        assert_eq!(Route::parse("/", ""), Route::Start);
        assert_eq!(
            Route::parse("/j/K7P4RX", ""),
            Route::Join {
                code: Some("K7P4RX".into())
            }
        );
        assert_eq!(
            Route::parse(&format!("/f/{id}"), "abc"),
            Route::Console {
                conference: id,
                key: "abc".into()
            }
        );
        assert_eq!(Route::parse(&format!("/f/{id}"), ""), Route::NotFound);
        assert_eq!(Route::parse("/s/not-a-uuid", "k"), Route::NotFound);
        assert_eq!(Route::parse("/x", ""), Route::NotFound);
    }
}
