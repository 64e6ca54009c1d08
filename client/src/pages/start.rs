//! The start page: join with a code (first, because most visitors are participants), or
//! start a new conference as a facilitator; last and folded away, create a plan that
//! gathers several meetings.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ordet_shared::join_code::{JoinCode, JoinCodeProblem};
use ordet_shared::protocol::{CreateConference, ErrorCode};
use ordet_shared::{Key, limits};

use crate::api::{self, Problem};
use crate::i18n::I18n;
use crate::plan_view::{NewPlan, NewPlanForm};
use crate::widgets::{LanguagePicker, LanguageSelect};

/// The start page.
#[component]
pub fn StartPage() -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <header class="site-header">
            <p class="brand">{i18n.text(Key::AppName)}</p>
            <LanguagePicker/>
        </header>
        <main id="main" class="page narrow">
            <h1>{i18n.text(Key::Tagline)}</h1>
            <JoinByCode initial=String::new()/>
            <CreateConferenceForm/>
            <PlansEntry/>
        </main>
    }
}

/// Why a typed code is not a code, as a problem to explain.
pub fn code_problem(problem: JoinCodeProblem) -> Problem {
    Problem::Api(match problem {
        JoinCodeProblem::WrongLength => ErrorCode::JoinCodeLength,
        JoinCodeProblem::InvalidCharacter => ErrorCode::JoinCodeCharacters,
    })
}

/// The "code from the big screen" form; on a valid code it opens `/j/{code}`.
#[component]
pub fn JoinByCode(
    /// The code to start with (what was typed before).
    initial: String,
) -> impl IntoView {
    let i18n = I18n::get();
    let code = RwSignal::new(initial);
    let problem = RwSignal::new(None::<Problem>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        match JoinCode::parse(&code.get_untracked()) {
            Ok(code) => {
                let _ = window().location().assign(&format!("/j/{code}"));
            }
            Err(p) => problem.set(Some(code_problem(p))),
        }
    };
    view! {
        <section class="card" aria-labelledby="join-heading">
            <h2 id="join-heading">{i18n.text(Key::JoinHeading)}</h2>
            <form on:submit=submit novalidate>
                <label for="join-code">{i18n.text(Key::JoinCodeLabel)}</label>
                <input
                    id="join-code"
                    class="code-input"
                    type="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    maxlength="9"
                    aria-describedby="join-code-problem"
                    aria-invalid=move || problem.get().is_some().to_string()
                    prop:value=move || code.get()
                    on:input=move |ev| {
                        code.set(event_target_value(&ev));
                        problem.set(None);
                    }
                />
                <p id="join-code-problem" class="field-problem" role="alert">
                    {move || problem.get().map(|p| i18n.fill(p.key(), &ordet_shared::i18n::limit_values()))}
                </p>
                <button type="submit" class="primary">{i18n.text(Key::JoinButton)}</button>
            </form>
        </section>
    }
}

#[component]
fn CreateConferenceForm() -> impl IntoView {
    let i18n = I18n::get();
    let title = RwSignal::new(String::new());
    let language = RwSignal::new(i18n.lang_untracked());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<Problem>);
    let password = RwSignal::new(String::new());
    // The password field appears once the server says it wants one.
    let asks_password = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = CreateConference {
            title: title.get_untracked(),
            language: language.get_untracked(),
            organiser_password: Some(password.get_untracked()).filter(|p| !p.is_empty()),
        };
        if let Err(code) = ordet_shared::command::clean_title(&request.title) {
            problem.set(Some(Problem::Api(code)));
            return;
        }
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            match api::create_conference(&request).await {
                Ok(created) => {
                    let _ = window().location().assign(&created.console_path);
                }
                Err(p) => {
                    if p == Problem::Api(ordet_shared::protocol::ErrorCode::OrganiserPasswordNeeded)
                    {
                        asks_password.set(true);
                    }
                    problem.set(Some(p));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="create-heading">
            <h2 id="create-heading">{i18n.text(Key::StartHeading)}</h2>
            <form on:submit=submit novalidate aria-busy=move || busy.get().to_string()>
                <label for="conference-title">{i18n.text(Key::TitleLabel)}</label>
                <input
                    id="conference-title"
                    type="text"
                    maxlength=limits::TITLE_MAX_CHARS.to_string()
                    aria-describedby="conference-title-hint conference-problem"
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))
                />
                <p id="conference-title-hint" class="hint">{i18n.text(Key::TitleHint)}</p>
                <label for="conference-language">{i18n.text(Key::MeetingLanguageLabel)}</label>
                <LanguageSelect id="conference-language" value=language/>
                <Show when=move || asks_password.get()>
                    <label for="organiser-password">{i18n.text(Key::OrganiserPasswordLabel)}</label>
                    <input id="organiser-password" type="password" autocomplete="current-password"
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                </Show>
                <p id="conference-problem" class="field-problem" role="alert">
                    {move || problem.get().map(|p| i18n.fill(p.key(), &ordet_shared::i18n::limit_values()))}
                </p>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.t(Key::Creating) } else { i18n.t(Key::CreateButton) }}
                </button>
            </form>
        </section>
    }
}

/// The small entry for plans: what a plan is, and the form to create one, folded away.
#[component]
fn PlansEntry() -> impl IntoView {
    let i18n = I18n::get();
    let suggested_language = Signal::derive(move || i18n.lang());
    let open_plan = Callback::new(move |plan: NewPlan| {
        let _ = window().location().assign(&plan.created.plan_path);
    });
    view! {
        <section class="card plans-entry" aria-labelledby="plans-heading">
            <h2 id="plans-heading">{i18n.text(Key::PlansHeading)}</h2>
            <p>{i18n.text(Key::PlanExplain)}</p>
            <details>
                <summary>{i18n.text(Key::NewPlanSummary)}</summary>
                <NewPlanForm id="new-plan" suggested_title=String::new() suggested_language=suggested_language on_created=open_plan/>
            </details>
        </section>
    }
}
