//! Which screen the current address asks for.

use ordet_shared::{ConferenceId, PlanId};

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
    /// `/p/{id}#{key}`
    Plan {
        /// Which plan.
        plan: PlanId,
        /// The plan's key from the fragment.
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
        fn keyed<T: std::str::FromStr>(
            id: &str,
            fragment: &str,
            make: fn(T, String) -> Route,
        ) -> Route {
            match id.parse() {
                Ok(id) if !fragment.is_empty() => make(id, fragment.to_string()),
                _ => Route::NotFound,
            }
        }
        match parts.as_slice() {
            [] => Route::Start,
            ["j"] => Route::Join { code: None },
            ["j", code] => Route::Join {
                code: Some(code.to_string()),
            },
            ["f", id] => keyed(id, fragment, |conference, key| Route::Console {
                conference,
                key,
            }),
            ["s", id] => keyed(id, fragment, |conference, key| Route::Screen {
                conference,
                key,
            }),
            ["p", id] => keyed(id, fragment, |plan, key| Route::Plan { plan, key }),
            _ => Route::NotFound,
        }
    }
}

/// The screen a link someone pasted leads to: a whole address (`https://host/p/ID#KEY`) or
/// just its path and fragment. Spaces around it, as copying often adds, are ignored.
pub fn link_route(link: &str) -> Route {
    let link = link.trim();
    let (before, fragment) = link.split_once('#').unwrap_or((link, ""));
    // Drop the scheme and host, if any: the path starts at the first single slash.
    let rest = before.split_once("://").map_or(before, |(_, rest)| rest);
    let path = rest.find('/').map_or("/", |slash| &rest[slash..]);
    let path = path.split('?').next().unwrap_or_default();
    Route::parse(path, fragment.trim())
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

    #[test]
    fn pasted_links_are_understood_with_or_without_the_address() {
        let plan = PlanId::random();
        let expected = Route::Plan {
            plan,
            key: "k3y".into(),
        };
        for link in [
            format!("http://192.168.1.20:8080/p/{plan}#k3y"),
            format!("  https://ordet.example.no/p/{plan}?x=1#k3y \n"),
            format!("/p/{plan}#k3y"),
        ] {
            assert_eq!(link_route(&link), expected, "{link}");
        }
        let conference = ConferenceId::random();
        for link in [
            format!("http://localhost:8080/f/{conference}#abc"),
            format!("localhost:8080/f/{conference}#abc"),
        ] {
            assert_eq!(
                link_route(&link),
                Route::Console {
                    conference,
                    key: "abc".into()
                },
                "{link}"
            );
        }
        assert_eq!(link_route(&format!("/p/{plan}")), Route::NotFound);
        assert_eq!(link_route(""), Route::Start);
    }
}
