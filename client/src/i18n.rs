//! The reader's language. Every text on screen is a closure over one signal, so switching
//! language redraws every string at once. The choice is remembered on the device; without
//! one, the browser's language is used, then the conference's default.

use leptos::prelude::*;
use ordet_shared::{Key, Lang};

const STORAGE_KEY: &str = "ordet.lang";

/// The language context; cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
    chosen: RwSignal<bool>,
}

impl I18n {
    /// Creates the context for the app and keeps `<html lang>` in step with it.
    pub fn provide() -> I18n {
        let stored: Option<Lang> = crate::storage::load(STORAGE_KEY);
        let browser = window()
            .navigator()
            .language()
            .and_then(|code| Lang::from_code(&code));
        let i18n = I18n {
            lang: RwSignal::new(stored.or(browser).unwrap_or_default()),
            chosen: RwSignal::new(stored.is_some()),
        };
        Effect::new(move |_| {
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("lang", i18n.lang.get().code());
            }
        });
        provide_context(i18n);
        i18n
    }

    /// The context provided by the app.
    pub fn get() -> I18n {
        expect_context::<I18n>()
    }

    /// The current language (tracked).
    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    /// The current language, without tracking.
    pub fn lang_untracked(self) -> Lang {
        self.lang.get_untracked()
    }

    /// A text in the current language (tracked).
    pub fn t(self, key: Key) -> String {
        key.text(self.lang.get()).to_string()
    }

    /// A text with placeholders filled (tracked).
    pub fn fill(self, key: Key, values: &[(&str, String)]) -> String {
        key.fill(self.lang.get(), values)
    }

    /// A reactive text, for use directly in a view.
    pub fn text(self, key: Key) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    /// The person chose a language: use it and remember it on this device.
    pub fn choose(self, lang: Lang) {
        self.lang.set(lang);
        self.chosen.set(true);
        crate::storage::save(STORAGE_KEY, &lang);
    }

    /// A conference's default language, used unless the person chose one.
    pub fn suggest(self, lang: Lang) {
        if !self.chosen.get_untracked() && self.lang.get_untracked() != lang {
            self.lang.set(lang);
        }
    }
}
