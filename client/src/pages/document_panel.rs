//! The console's "Input document" section: download this meeting's document in every
//! format, put the meeting in a plan (a new one, or one whose link the facilitator has), and
//! delete the meeting for good after asking in the page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use ordet_shared::plan::AttachMeeting;
use ordet_shared::protocol::ErrorCode;
use ordet_shared::{ConferenceId, Key, PlanId};

use crate::api::{self, Problem};
use crate::i18n::I18n;
use crate::live::Live;
use crate::plan_view::{
    ConfirmDelete, DownloadButtons, Downloader, KnownPlan, LinkForm, NewPlan, NewPlanForm, Said,
    StatusLine, explained, forget_plan, forget_plans, known_plans, remember_plan,
};
use crate::route::{Route, link_route};

/// The plan a `/p/{id}#{key}` link names.
fn plan_of(link: &str) -> Option<(PlanId, String)> {
    match link_route(link) {
        Route::Plan { plan, key } => Some((plan, key)),
        _ => None,
    }
}

/// Asks the server about each plan this browser remembers: names are brought up to date,
/// and plans that are gone, or no longer hold this meeting, are forgotten. Without an
/// answer, what was remembered is shown.
fn check_known_plans(conference: ConferenceId, plans: RwSignal<Vec<KnownPlan>>) {
    for known in plans.get_untracked() {
        let Some((plan, key)) = plan_of(&known.path) else {
            forget_plan(conference, &known.path);
            continue;
        };
        spawn_local(async move {
            match api::plan(plan, &key).await {
                Ok(info)
                    if info
                        .meetings
                        .iter()
                        .any(|m| m.conference == Some(conference)) =>
                {
                    remember_plan(
                        conference,
                        KnownPlan {
                            path: known.path,
                            title: info.title,
                        },
                    );
                }
                Ok(_) | Err(Problem::Api(ErrorCode::UnknownPlan | ErrorCode::Unauthorized)) => {
                    forget_plan(conference, &known.path);
                }
                Err(_) => return,
            }
            plans.set(known_plans(conference));
        });
    }
}

/// The section, for the conference `conference` run with the facilitator key `key`.
#[component]
pub fn DocumentPanel(
    /// The conference.
    live: Live,
    /// Its identifier.
    conference: ConferenceId,
    /// Its facilitator key.
    key: String,
    /// Set when the meeting has been deleted.
    deleted: RwSignal<bool>,
) -> impl IntoView {
    let i18n = I18n::get();
    let title = Signal::derive(move || {
        live.state
            .with(|s| s.as_ref().map(|s| s.title.clone()))
            .unwrap_or_default()
    });
    let language = Signal::derive(move || {
        live.state
            .with(|s| s.as_ref().map(|s| s.language))
            .unwrap_or_else(|| i18n.lang())
    });
    let base = format!("/api/conferences/{conference}/export");
    let downloads = Downloader::new(base.clone(), key.clone(), title);
    let json_first = Downloader::new(base, key.clone(), title);
    let facilitator_key = StoredValue::new(key.clone());

    // The plans this meeting is in, as far as this browser knows.
    let plans = RwSignal::new(known_plans(conference));
    check_known_plans(conference, plans);
    let created = RwSignal::new(None::<NewPlan>);
    let said = RwSignal::<Said>::new(None);
    let create_fold = NodeRef::<leptos::html::Details>::new();
    let on_created = Callback::new(move |plan: NewPlan| {
        if plan.attach_problem.is_none() {
            remember_plan(
                conference,
                KnownPlan {
                    path: plan.created.plan_path.clone(),
                    title: plan.title.clone(),
                },
            );
            plans.set(known_plans(conference));
            said.set(Some((Key::PlanCreated, "plan", plan.title.clone())));
        }
        created.set(Some(plan));
        // The form has done its work; the link is what matters now.
        if let Some(fold) = create_fold.get_untracked() {
            fold.set_open(false);
        }
    });
    let suggested_title = Signal::derive(move || {
        let title = title.get();
        if title.is_empty() {
            return String::new();
        }
        // In the meeting's language, like the plan's documents.
        let text = Key::PlanTitleFrom.fill(language.get(), &[("title", title)]);
        text.chars()
            .take(ordet_shared::limits::TITLE_MAX_CHARS)
            .collect()
    });
    // "This meeting is in the plan …", leaving out the one just made (shown with its link).
    let listed = move || {
        let fresh = created.with(|c| c.as_ref().map(|c| c.created.plan_path.clone()));
        let items: Vec<KnownPlan> = plans
            .get()
            .into_iter()
            .filter(|p| Some(&p.path) != fresh.as_ref())
            .collect();
        (!items.is_empty()).then(|| {
            let items = items
                .into_iter()
                .map(|plan| {
                    view! {
                        <li>
                            <p>{i18n.fill(Key::InPlan, &[("plan", plan.title)])}</p>
                            <a class="button secondary" href=plan.path target="_blank" rel="noopener">
                                {i18n.t(Key::OpenPlan)}
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="known-plans">{items}</ul> }
        })
    };
    let fresh_plan = move || {
        created.get().map(|plan| {
            let origin = window().location().origin().unwrap_or_default();
            let link = format!("{origin}{}", plan.created.plan_path);
            let failure = plan.attach_problem.map(|problem| {
                view! {
                    <p class="problem" role="alert">
                        {i18n.fill(Key::PlanAttachFailed, &[("reason", explained(i18n, problem))])}
                    </p>
                }
            });
            view! {
                <div class="plan-created">
                    {failure}
                    <label for="new-plan-link">{i18n.t(Key::PlanLinkLabel)}</label>
                    <textarea id="new-plan-link" class="plan-link" rows="4" readonly
                        aria-describedby="new-plan-link-warning"
                        on:focus=move |ev| {
                            use wasm_bindgen::JsCast;
                            if let Some(field) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
                                field.select();
                            }
                        }>{link}</textarea>
                    <p id="new-plan-link-warning" class="warning">{i18n.t(Key::PlanLinkWarning)}</p>
                    <a class="button primary" href=plan.created.plan_path target="_blank" rel="noopener">
                        {i18n.t(Key::OpenPlan)}
                    </a>
                </div>
            }
        })
    };

    // Adding the meeting to a plan whose link the facilitator has.
    let plan_link = RwSignal::new(String::new());
    let link_problem = RwSignal::new(None::<Key>);
    let adding = RwSignal::new(false);
    let add = Callback::new(move |()| {
        let Some((plan, plan_key)) = plan_of(&plan_link.get_untracked()) else {
            link_problem.set(Some(Key::NotAPlanLink));
            return;
        };
        link_problem.set(None);
        adding.set(true);
        spawn_local(async move {
            let meeting = AttachMeeting {
                conference,
                facilitator_key: facilitator_key.get_value(),
            };
            match api::attach(plan, &plan_key, &meeting).await {
                Ok(info) => {
                    remember_plan(
                        conference,
                        KnownPlan {
                            path: format!("/p/{plan}#{plan_key}"),
                            title: info.title.clone(),
                        },
                    );
                    plans.set(known_plans(conference));
                    plan_link.set(String::new());
                    said.set(Some((Key::AddedToPlan, "plan", info.title)));
                }
                Err(problem) => link_problem.set(Some(problem.key())),
            }
            adding.set(false);
        });
    });

    // Deleting the meeting.
    let deleting = RwSignal::new(false);
    let delete_problem = RwSignal::new(None::<Key>);
    let question =
        Signal::derive(move || i18n.fill(Key::DeleteMeetingQuestion, &[("title", title.get())]));
    let delete = Callback::new(move |()| {
        if deleting.get_untracked() {
            return;
        }
        deleting.set(true);
        delete_problem.set(None);
        spawn_local(async move {
            match api::delete_conference(conference, &facilitator_key.get_value()).await {
                Ok(()) => {
                    live.stop();
                    forget_plans(conference);
                    deleted.set(true);
                }
                Err(problem) => delete_problem.set(Some(problem.key())),
            }
            deleting.set(false);
        });
    });

    view! {
        <section class="card document-panel" aria-labelledby="document-heading">
            <h2 id="document-heading">{i18n.text(Key::DocumentHeading)}</h2>
            <p class="hint">{i18n.text(Key::DocumentIntro)}</p>
            <DownloadButtons downloader=downloads id="meeting-export"/>

            <h3>{i18n.text(Key::PlanPartHeading)}</h3>
            <p class="hint">{i18n.text(Key::PlanExplain)}</p>
            {listed}
            <StatusLine class="plan-status" said=said/>
            {fresh_plan}
            <details class="fold" node_ref=create_fold>
                <summary>{i18n.text(Key::CreatePlanHeading)}</summary>
                <NewPlanForm id="console-plan" suggested_title=suggested_title suggested_language=language
                    attach=(conference, key) on_created=on_created/>
            </details>
            <details class="fold">
                <summary>{i18n.text(Key::AddToPlanHeading)}</summary>
                <LinkForm id="existing-plan-link" label=Key::PlanLinkPasteLabel hint=Key::PlanLinkPasteHint
                    button=Key::AddToPlanButton value=plan_link problem=link_problem busy=adding on_submit=add/>
            </details>

            <h3>{i18n.text(Key::DeleteMeetingHeading)}</h3>
            <p>{i18n.text(Key::DeleteMeetingExplain)}</p>
            <ConfirmDelete id="delete-meeting" ask=Key::DeleteMeetingButton question=question
                confirm=Key::ConfirmDeleteMeeting json=json_first busy=deleting problem=delete_problem
                on_confirm=delete/>
        </section>
    }
}
