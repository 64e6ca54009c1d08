//! Pieces of the input document that the console and the plan page share: the download
//! buttons, the form that creates a plan, the form for a pasted link, the in-page
//! confirmation before deleting and the page left after it, dates written the Norwegian way,
//! and the plans this browser knows a conference is in.
//!
//! Every view here is one more piece of code for every phone to download, so the pieces are
//! shared rather than repeated, problems are kept as the [`Key`] of their explanation (one
//! signal type for all), and signals are handed to attributes as they are.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ordet_shared::plan::{AttachMeeting, CreatePlan, CreatedPlan, ExportFormat};
use ordet_shared::protocol::ErrorCode;
use ordet_shared::{ConferenceId, Key, Lang, Timestamp, limits};

use crate::api;
use crate::i18n::I18n;
use crate::widgets::{LanguagePicker, LanguageSelect};

/// A key's text with the size limits filled in (tracked).
pub fn explained(i18n: I18n, key: Key) -> String {
    i18n.fill(key, &ordet_shared::i18n::limit_values())
}

/// `aria-invalid` of a field whose problem is `problem`.
pub fn invalid(problem: RwSignal<Option<Key>>) -> impl Fn() -> &'static str + Copy + 'static {
    move || {
        if problem.get().is_some() {
            "true"
        } else {
            "false"
        }
    }
}

/// A button's text: `idle`, or `working` while `busy`.
pub fn busy_text(
    busy: RwSignal<bool>,
    idle: Key,
    working: Key,
) -> impl Fn() -> String + Copy + 'static {
    let i18n = I18n::get();
    move || i18n.t(if busy.get() { working } else { idle })
}

/// A field's problem, announced, with the identifier the field points to.
#[component]
pub fn FieldProblem(
    /// The element's identifier.
    id: String,
    /// The problem, if any.
    problem: RwSignal<Option<Key>>,
) -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <p id=id class="field-problem" role="alert">{move || problem.get().map(|k| explained(i18n, k))}</p>
    }
}

/// A problem with what the page did, announced.
#[component]
pub fn ProblemLine(
    /// The problem, if any.
    problem: RwSignal<Option<Key>>,
) -> impl IntoView {
    let i18n = I18n::get();
    move || {
        problem
            .get()
            .map(|k| view! { <p class="problem" role="alert">{explained(i18n, k)}</p> })
    }
}

/// Something to say politely: a key, and the name and value of its one placeholder
/// (translated when shown, so it follows a change of language).
pub type Said = Option<(Key, &'static str, String)>;

/// A polite status line (empty until there is something to say).
#[component]
pub fn StatusLine(
    /// Extra classes.
    class: &'static str,
    /// What to say.
    said: RwSignal<Said>,
) -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <p class=format!("status-line {class}") role="status" aria-live="polite">
            {move || said.get().map(|(key, name, value)| i18n.fill(key, &[(name, value)]))}
        </p>
    }
}

/// The date as people write it, in this device's time zone: "23. november 2026" in
/// Norwegian, "23 November 2026" in English.
pub fn long_date(at: Timestamp, lang: Lang) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.0 as f64));
    let month = Key::MonthNames
        .text(lang)
        .split(' ')
        .nth(date.get_month() as usize)
        .unwrap_or_default()
        .to_string();
    Key::LongDate.fill(
        lang,
        &[
            ("day", date.get_date().to_string()),
            ("month", month),
            ("year", date.get_full_year().to_string()),
        ],
    )
}

/// Fetches the input document of a conference or a plan, with the key, as a download.
#[derive(Clone, Copy)]
pub struct Downloader {
    /// `/api/…/export`, without the format.
    base: StoredValue<String>,
    key: StoredValue<String>,
    /// The file's name (without extension) if the server gives none.
    stem: Signal<String>,
    /// A download is on its way.
    busy: RwSignal<bool>,
    /// How the latest download went: "Preparing…", "Downloaded: …".
    said: RwSignal<Said>,
    /// Why the latest download failed.
    problem: RwSignal<Option<Key>>,
}

impl Downloader {
    /// A downloader for the exports under `base` (such as `/api/plans/{id}/export`).
    pub fn new(base: String, key: String, stem: Signal<String>) -> Downloader {
        Downloader {
            base: StoredValue::new(base),
            key: StoredValue::new(key),
            stem,
            busy: RwSignal::new(false),
            said: RwSignal::new(None),
            problem: RwSignal::new(None),
        }
    }

    /// Starts downloading `format`, unless a download is already on its way.
    pub fn start(self, format: ExportFormat) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.problem.set(None);
        self.said
            .set(Some((Key::Preparing, "format", format.label().to_string())));
        let url = format!("{}/{}", self.base.get_value(), format.extension());
        let key = self.key.get_value();
        let stem = self.stem.get_untracked();
        let stem = if stem.trim().is_empty() {
            "ordet"
        } else {
            &stem
        };
        let fallback = format!("{stem}.{}", format.extension());
        spawn_local(async move {
            match api::download(&url, &key, &fallback).await {
                Ok(name) => self.said.set(Some((Key::Downloaded, "file", name))),
                Err(problem) => {
                    self.said.set(None);
                    self.problem.set(Some(problem.key()));
                }
            }
            self.busy.set(false);
        });
    }
}

fn format_hint(format: ExportFormat) -> Key {
    match format {
        ExportFormat::Docx => Key::FormatDocxHint,
        ExportFormat::Html => Key::FormatHtmlHint,
        ExportFormat::Md => Key::FormatMdHint,
        ExportFormat::Csv => Key::FormatCsvHint,
        ExportFormat::Json => Key::FormatJsonHint,
    }
}

/// One button per format, each saying what the format is good for, and how it is going.
#[component]
pub fn DownloadButtons(
    /// What to download.
    downloader: Downloader,
    /// Prefix for the element identifiers (unique on the page).
    id: &'static str,
) -> impl IntoView {
    let i18n = I18n::get();
    let buttons = ExportFormat::ALL
        .into_iter()
        .map(|format| {
            view! {
                <li>
                    <button type="button" class="secondary download" data-format=format.extension()
                        on:click=move |_| downloader.start(format)>
                        <span class="format-name">{format.label()}</span>
                        <span class="format-hint">{i18n.text(format_hint(format))}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    let label_id = format!("{id}-label");
    view! {
        <p id=label_id.clone() class="downloads-label">{i18n.text(Key::DownloadAs)}</p>
        <ul class="download-list" aria-labelledby=label_id>{buttons}</ul>
        <DownloadStatus downloader=downloader/>
    }
}

/// "Preparing the document…", "Downloaded: name", or why it did not work.
#[component]
pub fn DownloadStatus(
    /// The downloads to report on.
    downloader: Downloader,
) -> impl IntoView {
    let i18n = I18n::get();
    let problem = downloader.problem;
    view! {
        <StatusLine class="download-status" said=downloader.said/>
        {move || problem.get().map(|k| view! {
            <p class="problem" role="alert">
                {i18n.fill(Key::DownloadFailed, &[("reason", explained(i18n, k))])}
            </p>
        })}
    }
}

/// A plan this browser made from a conference, or added the conference to.
#[derive(Clone, Debug, PartialEq)]
pub struct KnownPlan {
    /// `/p/{id}#{key}`.
    pub path: String,
    /// Its name, as last seen.
    pub title: String,
}

fn known_key(conference: ConferenceId) -> String {
    format!("ordet.plans.{conference}")
}

/// The plans this browser knows `conference` is in. Each is kept as one line, "path name"
/// (a path has no spaces).
pub fn known_plans(conference: ConferenceId) -> Vec<KnownPlan> {
    let lines: Vec<String> = crate::storage::load(&known_key(conference)).unwrap_or_default();
    lines
        .into_iter()
        .filter_map(|line| {
            line.split_once(' ').map(|(path, title)| KnownPlan {
                path: path.to_string(),
                title: title.to_string(),
            })
        })
        .collect()
}

fn keep_plans(conference: ConferenceId, plans: impl Iterator<Item = KnownPlan>) {
    let lines: Vec<String> = plans.map(|p| format!("{} {}", p.path, p.title)).collect();
    crate::storage::save(&known_key(conference), &lines);
}

/// Remembers that `conference` is in `plan` (replacing an older entry for the same plan).
pub fn remember_plan(conference: ConferenceId, plan: KnownPlan) {
    let mut plans = known_plans(conference);
    plans.retain(|p| p.path != plan.path);
    plans.push(plan);
    keep_plans(conference, plans.into_iter());
}

/// Forgets that `conference` is in the plan at `path`.
pub fn forget_plan(conference: ConferenceId, path: &str) {
    let others = known_plans(conference)
        .into_iter()
        .filter(|p| p.path != path);
    keep_plans(conference, others);
}

/// Forgets every plan of a deleted conference.
pub fn forget_plans(conference: ConferenceId) {
    crate::storage::remove(&known_key(conference));
}

/// What creating a plan came to.
#[derive(Clone, Debug, PartialEq)]
pub struct NewPlan {
    /// The plan and its key.
    pub created: CreatedPlan,
    /// Its name.
    pub title: String,
    /// Why the conference could not be added to it, if that was asked and failed.
    pub attach_problem: Option<Key>,
}

/// The form that creates a plan: its name and language (the organiser password when the
/// server asks for one). With `attach`, the conference is added to the new plan at once.
#[component]
pub fn NewPlanForm(
    /// Prefix for the element identifiers (unique on the page).
    id: &'static str,
    /// The name to offer until the person types one.
    #[prop(into)]
    suggested_title: Signal<String>,
    /// The language to offer until the person picks one.
    #[prop(into)]
    suggested_language: Signal<Lang>,
    /// A conference and its facilitator key, to add to the new plan.
    #[prop(optional)]
    attach: Option<(ConferenceId, String)>,
    /// Called once the plan exists.
    on_created: Callback<NewPlan>,
) -> impl IntoView {
    let i18n = I18n::get();
    let typed_title = RwSignal::new(None::<String>);
    let title = move || typed_title.get().unwrap_or_else(|| suggested_title.get());
    let chosen_language = RwSignal::new(false);
    let language = RwSignal::new(suggested_language.get_untracked());
    Effect::new(move |_| {
        if !chosen_language.get() {
            language.set(suggested_language.get());
        }
    });
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<Key>);
    let password = RwSignal::new(String::new());
    let asks_password = RwSignal::new(false);
    let attach = StoredValue::new(attach);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = CreatePlan {
            title: untrack(title),
            language: language.get_untracked(),
            organiser_password: Some(password.get_untracked()).filter(|p| !p.is_empty()),
        };
        let title = match ordet_shared::command::clean_title(&request.title) {
            Ok(title) => title,
            Err(ErrorCode::TitleEmpty) => return problem.set(Some(Key::PlanTitleEmpty)),
            Err(code) => return problem.set(Some(code.key())),
        };
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            let created = match api::create_plan(&request).await {
                Ok(created) => created,
                Err(p) => {
                    if p == api::Problem::Api(ErrorCode::OrganiserPasswordNeeded) {
                        asks_password.set(true);
                    }
                    problem.set(Some(p.key()));
                    busy.set(false);
                    return;
                }
            };
            let mut attach_problem = None;
            if let Some((conference, facilitator_key)) = attach.get_value() {
                let meeting = AttachMeeting {
                    conference,
                    facilitator_key,
                };
                if let Err(p) = api::attach(created.id, &created.key, &meeting).await {
                    attach_problem = Some(p.key());
                }
            }
            busy.set(false);
            typed_title.set(None);
            on_created.run(NewPlan {
                created,
                title,
                attach_problem,
            });
        });
    };
    let title_id = format!("{id}-title");
    let hint_id = format!("{id}-title-hint");
    let problem_id = format!("{id}-problem");
    let language_id = format!("{id}-language");
    let password_id = format!("{id}-password");
    view! {
        <form class="plan-form" on:submit=submit novalidate>
            <label for=title_id.clone()>{i18n.text(Key::PlanTitleLabel)}</label>
            <input id=title_id type="text" maxlength=limits::TITLE_MAX_CHARS.to_string()
                aria-describedby=format!("{hint_id} {problem_id}") aria-invalid=invalid(problem)
                prop:value=title
                on:input=move |ev| {
                    typed_title.set(Some(event_target_value(&ev)));
                    problem.set(None);
                }/>
            <p id=hint_id class="hint">{i18n.text(Key::PlanTitleHint)}</p>
            <label for=language_id.clone()>{i18n.text(Key::PlanLanguageLabel)}</label>
            <LanguageSelect id=language_id value=language on_pick=Callback::new(move |_| chosen_language.set(true))/>
            <Show when=move || asks_password.get()>
                <label for=password_id.clone()>{i18n.text(Key::OrganiserPasswordLabel)}</label>
                <input id=password_id.clone() type="password" autocomplete="current-password"
                    prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
            </Show>
            <FieldProblem id=problem_id problem=problem/>
            <button type="submit" class="primary" disabled=busy>
                {busy_text(busy, Key::CreatePlanButton, Key::Creating)}
            </button>
        </form>
    }
}

/// A form with one field for a pasted link: label, hint, problem, and the button, which
/// reads "Adding…" while `busy`. The field's identifier is `id`.
#[component]
pub fn LinkForm(
    /// The field's identifier; the hint and problem take it as a prefix.
    id: &'static str,
    /// The field's label.
    label: Key,
    /// How the link looks, and where to find it.
    hint: Key,
    /// The button.
    button: Key,
    /// The field's text.
    value: RwSignal<String>,
    /// What is wrong, if anything.
    problem: RwSignal<Option<Key>>,
    /// Whether the link is being used.
    busy: RwSignal<bool>,
    /// Uses the link.
    on_submit: Callback<()>,
) -> impl IntoView {
    let i18n = I18n::get();
    let hint_id = format!("{id}-hint");
    let problem_id = format!("{id}-problem");
    view! {
        <form class="plan-form" novalidate on:submit=move |ev: SubmitEvent| {
            ev.prevent_default();
            if !busy.get_untracked() {
                on_submit.run(());
            }
        }>
            <label for=id>{i18n.text(label)}</label>
            <input id=id type="text" autocomplete="off" spellcheck="false"
                aria-describedby=format!("{hint_id} {problem_id}") aria-invalid=invalid(problem)
                prop:value=value
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    problem.set(None);
                }/>
            <p id=hint_id class="hint">{i18n.text(hint)}</p>
            <FieldProblem id=problem_id problem=problem/>
            <button type="submit" class="primary" disabled=busy>{busy_text(busy, button, Key::Adding)}</button>
        </form>
    }
}

/// A danger button that first asks, in the page: what will be lost, a way to download the
/// JSON file first, then "yes" or "cancel".
#[component]
pub fn ConfirmDelete(
    /// Prefix for the element identifiers (unique on the page).
    id: &'static str,
    /// The button that opens the question.
    ask: Key,
    /// The question, naming what goes.
    question: Signal<String>,
    /// The button that deletes.
    confirm: Key,
    /// Downloads the JSON file first.
    json: Downloader,
    /// Whether the deletion is on its way.
    busy: RwSignal<bool>,
    /// Why the deletion failed, if it did.
    problem: RwSignal<Option<Key>>,
    /// Deletes.
    on_confirm: Callback<()>,
) -> impl IntoView {
    let i18n = I18n::get();
    let open = RwSignal::new(false);
    let question_ref = NodeRef::<leptos::html::P>::new();
    let ask_ref = NodeRef::<leptos::html::Button>::new();
    let return_focus = RwSignal::new(false);
    // The question takes the focus when it appears, so it is read first; cancelling gives
    // the focus back to the button that asked.
    Effect::new(move |_| {
        if let Some(question) = question_ref.get() {
            let _ = question.focus();
        }
    });
    Effect::new(move |_| {
        if let Some(button) = ask_ref.get()
            && return_focus.get_untracked()
        {
            return_focus.set(false);
            let _ = button.focus();
        }
    });
    let question_id = format!("{id}-question");
    view! {
        <Show when=move || open.get() fallback=move || view! {
            <button type="button" class="danger" node_ref=ask_ref on:click=move |_| open.set(true)>
                {i18n.text(ask)}
            </button>
        }>
            <div class="confirm-box" role="group" aria-labelledby=question_id.clone()>
                <p id=question_id.clone() class="confirm-question" tabindex="-1" node_ref=question_ref>{question}</p>
                <div class="button-row">
                    <button type="button" class="secondary" on:click=move |_| json.start(ExportFormat::Json)>
                        {i18n.text(Key::DownloadJsonFirst)}
                    </button>
                    <button type="button" class="danger confirm-delete" disabled=busy
                        on:click=move |_| on_confirm.run(())>
                        {busy_text(busy, confirm, Key::Deleting)}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| {
                        return_focus.set(true);
                        open.set(false);
                    }>{i18n.text(Key::CancelEdit)}</button>
                </div>
                <DownloadStatus downloader=json/>
                <ProblemLine problem=problem/>
            </div>
        </Show>
    }
}

/// The page once what it showed is deleted: that it is gone for good, and the way out.
#[component]
pub fn Gone(
    /// The heading ("The meeting is deleted").
    heading: Key,
    /// What went with it.
    text: Key,
) -> impl IntoView {
    let i18n = I18n::get();
    let heading_ref = NodeRef::<leptos::html::H1>::new();
    // The page changed under the person's feet: reading starts again at the new heading.
    Effect::new(move |_| {
        if let Some(h1) = heading_ref.get() {
            let _ = h1.focus();
        }
    });
    let gone = heading.text(i18n.lang_untracked());
    document().set_title(&format!("{gone} – Ordet"));
    view! {
        <header class="site-header">
            <p class="brand">{i18n.text(Key::AppName)}</p>
            <LanguagePicker/>
        </header>
        <main id="main" class="page narrow gone">
            <h1 tabindex="-1" node_ref=heading_ref>{i18n.text(heading)}</h1>
            <p>{i18n.text(text)}</p>
            <p><a class="button primary" href="/">{i18n.text(Key::BackToStart)}</a></p>
        </main>
    }
}
