//! The plan page, `/p/{id}#{key}`: the meetings whose inputs go into one shared input
//! document, that document in every format, adding a meeting by its console link or from an
//! exported file, taking one out, and deleting the plan. Reached only through the plan's
//! secret link; every call carries its key.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ordet_shared::plan::{AttachMeeting, PlanInfo};
use ordet_shared::{Key, PlanId};

use crate::api;
use crate::i18n::I18n;
use crate::plan_view::{
    ConfirmDelete, DownloadButtons, Downloader, FieldProblem, Gone, LinkForm, ProblemLine, Said,
    StatusLine, busy_text, explained, invalid, long_date,
};
use crate::route::{Route, link_route};
use crate::widgets::LanguagePicker;

/// Largest file the server imports (64 MiB).
const MAX_IMPORT_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

/// Everything the page's parts share.
#[derive(Clone, Copy)]
struct Plan {
    id: PlanId,
    key: StoredValue<String>,
    info: RwSignal<Option<PlanInfo>>,
    /// The latest thing done, said politely.
    said: RwSignal<Said>,
}

impl Plan {
    fn key(self) -> String {
        self.key.get_value()
    }
}

/// `/p/{id}#{key}`.
#[component]
pub fn PlanPage(
    /// Which plan.
    plan: PlanId,
    /// The plan's key from the link.
    key: String,
) -> impl IntoView {
    let i18n = I18n::get();
    let page = Plan {
        id: plan,
        key: StoredValue::new(key.clone()),
        info: RwSignal::new(None),
        said: RwSignal::new(None),
    };
    let loading = RwSignal::new(true);
    let load_problem = RwSignal::new(None::<Key>);
    let deleted = RwSignal::new(false);
    let load = move || {
        loading.set(true);
        spawn_local(async move {
            match api::plan(plan, &page.key()).await {
                Ok(info) => {
                    page.info.set(Some(info));
                    load_problem.set(None);
                }
                Err(problem) => load_problem.set(Some(problem.key())),
            }
            loading.set(false);
        });
    };
    load();
    // The tab shows the plan's name; the plan's language is used unless the person chose one.
    Effect::new(move |_| {
        page.info.with(|info| {
            if let Some(info) = info {
                document().set_title(&format!("{} – Ordet", info.title));
                i18n.suggest(info.language);
            }
        })
    });
    let title = move || {
        page.info
            .with(|i| i.as_ref().map(|i| i.title.clone()))
            .unwrap_or_else(|| {
                i18n.t(if loading.get() {
                    Key::Loading
                } else {
                    Key::PlanSubtitle
                })
            })
    };
    // Without the plan, the page says why in its main part too, not only in the header.
    let unloaded = RwSignal::new(None::<Key>);
    Effect::new(move |_| {
        let problem = load_problem.get();
        unloaded.set(problem.filter(|_| page.info.with(Option::is_none)));
    });
    // How talking to the server goes, in words and a symbol, as the console shows it.
    let state = move || {
        let (class, symbol, text) = match (loading.get(), load_problem.get()) {
            (true, _) => ("conn conn-connecting", "◌ ", i18n.t(Key::Loading)),
            (false, Some(problem)) => ("conn conn-failed", "✕ ", explained(i18n, problem)),
            (false, None) => ("conn conn-online", "● ", i18n.t(Key::PlanUpToDate)),
        };
        let failed = load_problem.get().is_some() && !loading.get();
        view! {
            <span class=class>
                <span aria-hidden="true">{symbol}</span>{text}" "
                {failed.then(|| view! {
                    <button type="button" class="link-button" on:click=move |_| load()>{i18n.t(Key::TryAgain)}</button>
                })}
            </span>
        }
    };
    let stem = Signal::derive(move || {
        page.info
            .with(|i| i.as_ref().map(|i| i.title.clone()))
            .unwrap_or_default()
    });
    let base = format!("/api/plans/{plan}/export");
    let downloads = Downloader::new(base.clone(), key.clone(), stem);
    let json_first = Downloader::new(base, key, stem);
    view! {
        <Show when=move || !deleted.get() fallback=|| view! { <Gone heading=Key::PlanDeletedHeading text=Key::PlanDeletedText/> }>
            <header class="site-header">
                <div>
                    <p class="brand">{i18n.text(Key::AppName)}" · "{i18n.text(Key::PlanSubtitle)}</p>
                    <h1>{title}</h1>
                </div>
                <div class="header-tools">
                    <div class="connection" role="status" aria-live="polite">{state}</div>
                    <LanguagePicker/>
                </div>
            </header>
            <main id="main" class="page plan-page">
                <p class="warning" role="note">{i18n.text(Key::PlanKeepLinkWarning)}</p>
                <StatusLine class="said" said=page.said/>
                <ProblemLine problem=unloaded/>
                <Show when=move || page.info.with(Option::is_some)>
                    <MeetingList page=page/>
                    <div class="plan-grid">
                        <section class="card" aria-labelledby="plan-document-heading">
                            <h2 id="plan-document-heading">{i18n.text(Key::DocumentHeading)}</h2>
                            <p class="hint">{i18n.text(Key::PlanDocumentIntro)}</p>
                            <DownloadButtons downloader=downloads id="plan-export"/>
                        </section>
                        <AddMeeting page=page/>
                        <ImportFile page=page/>
                        <DeletePlan page=page json=json_first deleted=deleted/>
                    </div>
                </Show>
            </main>
        </Show>
    }
}

/// The plan's meetings, each with its facts and a way to take it out of the plan.
#[component]
fn MeetingList(page: Plan) -> impl IntoView {
    let i18n = I18n::get();
    let removing = RwSignal::new(false);
    let problem = RwSignal::new(None::<Key>);
    let heading = NodeRef::<leptos::html::H2>::new();
    let remove = move |index: usize| {
        let Some(meeting) = page
            .info
            .with_untracked(|i| i.as_ref().and_then(|i| i.meetings.get(index).cloned()))
        else {
            return;
        };
        if removing.get_untracked() {
            return;
        }
        removing.set(true);
        problem.set(None);
        page.said
            .set(Some((Key::Removing, "title", meeting.title.clone())));
        spawn_local(async move {
            match api::detach(page.id, &page.key(), meeting.id).await {
                Ok(info) => {
                    page.info.set(Some(info));
                    let key = if meeting.conference.is_some() {
                        Key::RemovedLive
                    } else {
                        Key::RemovedImported
                    };
                    page.said.set(Some((key, "title", meeting.title)));
                    // The button went with the meeting: the list's heading takes the focus.
                    if let Some(heading) = heading.get_untracked() {
                        let _ = heading.focus();
                    }
                }
                Err(p) => {
                    page.said.set(None);
                    problem.set(Some(p.key()));
                }
            }
            removing.set(false);
        });
    };
    // The whole list is drawn again when the plan or the language changes; it is short.
    let meetings = move || {
        let lang = i18n.lang();
        page.info.with(|info| {
            let meetings = info.as_ref().map_or(&[][..], |i| &i.meetings[..]);
            let count = i18n.fill(Key::MeetingsCount, &[("count", meetings.len().to_string())]);
            let empty = meetings
                .is_empty()
                .then(|| view! { <p class="empty">{Key::NoMeetingsYet.text(lang)}</p> });
            let items = meetings
                .iter()
                .enumerate()
                .map(|(index, meeting)| {
                    let title_id = format!("meeting-{}", meeting.id);
                    let button_id = format!("remove-{}", meeting.id);
                    let labelled = format!("{button_id} {title_id}");
                    let source = if meeting.conference.is_some() {
                        Key::SourceLive
                    } else {
                        Key::SourceImported
                    };
                    view! {
                        <li class="meeting">
                            <h3 id=title_id dir="auto">{meeting.title.clone()}</h3>
                            <dl class="meeting-facts">
                                <div><dt>{Key::MeetingDate.text(lang)}</dt><dd>{long_date(meeting.date, lang)}</dd></div>
                                <div><dt>{Key::ParticipantsHeading.text(lang)}</dt><dd>{meeting.participants}</dd></div>
                                <div><dt>{Key::NotesHeading.text(lang)}</dt><dd>{meeting.notes}</dd></div>
                                <div><dt>{Key::MeetingSource.text(lang)}</dt><dd>{source.text(lang)}</dd></div>
                            </dl>
                            <button type="button" class="secondary remove-meeting" id=button_id
                                aria-labelledby=labelled aria-describedby="remove-hint"
                                disabled=removing on:click=move |_| remove(index)>
                                {Key::RemoveFromPlan.text(lang)}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <p>{count}</p>
                {empty}
                <ul class="meeting-list">{items}</ul>
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="meetings-heading">
            <h2 id="meetings-heading" tabindex="-1" node_ref=heading>{i18n.text(Key::MeetingsHeading)}</h2>
            <ProblemLine problem=problem/>
            {meetings}
            <p id="remove-hint" class="hint">{i18n.text(Key::RemoveFromPlanHint)}</p>
        </section>
    }
}

/// "Add a meeting" by pasting its console link.
#[component]
fn AddMeeting(page: Plan) -> impl IntoView {
    let i18n = I18n::get();
    let link = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Key>);
    let busy = RwSignal::new(false);
    let add = Callback::new(move |()| {
        let Route::Console { conference, key } = link_route(&link.get_untracked()) else {
            problem.set(Some(Key::NotAConsoleLink));
            return;
        };
        problem.set(None);
        busy.set(true);
        spawn_local(async move {
            let meeting = AttachMeeting {
                conference,
                facilitator_key: key,
            };
            match api::attach(page.id, &page.key(), &meeting).await {
                Ok(info) => {
                    let title = info
                        .meetings
                        .iter()
                        .find(|m| m.conference == Some(conference))
                        .map(|m| m.title.clone())
                        .unwrap_or_default();
                    page.info.set(Some(info));
                    page.said.set(Some((Key::MeetingAdded, "title", title)));
                    link.set(String::new());
                }
                Err(p) => problem.set(Some(p.key())),
            }
            busy.set(false);
        });
    });
    view! {
        <section class="card" aria-labelledby="add-meeting-heading">
            <h2 id="add-meeting-heading">{i18n.text(Key::AddMeetingHeading)}</h2>
            <LinkForm id="console-link" label=Key::ConsoleLinkLabel hint=Key::ConsoleLinkHint
                button=Key::AddMeetingButton value=link problem=problem busy=busy on_submit=add/>
        </section>
    }
}

/// "Import from a file": an exported JSON file's meetings join the plan.
#[component]
fn ImportFile(page: Plan) -> impl IntoView {
    let i18n = I18n::get();
    let input = NodeRef::<leptos::html::Input>::new();
    let problem = RwSignal::new(None::<Key>);
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(field) = input.get_untracked() else {
            return;
        };
        let Some(file) = field.files().and_then(|files| files.get(0)) else {
            problem.set(Some(Key::ImportChooseFile));
            return;
        };
        if file.size() > MAX_IMPORT_BYTES {
            problem.set(Some(Key::ImportTooLarge));
            return;
        }
        problem.set(None);
        busy.set(true);
        let before = page
            .info
            .with_untracked(|i| i.as_ref().map_or(0, |i| i.meetings.len()));
        spawn_local(async move {
            match api::import(page.id, &page.key(), &file).await {
                Ok(info) => {
                    let added = info.meetings.len().saturating_sub(before);
                    page.info.set(Some(info));
                    page.said
                        .set(Some((Key::Imported, "count", added.to_string())));
                    field.set_value("");
                }
                Err(p) => problem.set(Some(p.key())),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="import-heading">
            <h2 id="import-heading">{i18n.text(Key::ImportHeading)}</h2>
            <form on:submit=submit novalidate>
                <label for="import-file">{i18n.text(Key::ImportLabel)}</label>
                <input id="import-file" type="file" accept=".json,application/json" node_ref=input
                    aria-describedby="import-hint import-problem" aria-invalid=invalid(problem)
                    on:change=move |_| problem.set(None)/>
                <p id="import-hint" class="hint">{i18n.text(Key::ImportHint)}</p>
                <FieldProblem id="import-problem".to_string() problem=problem/>
                <button type="submit" class="primary" disabled=busy>
                    {busy_text(busy, Key::ImportButton, Key::Importing)}
                </button>
            </form>
        </section>
    }
}

/// "Delete the plan", with every meeting in it, after asking in the page.
#[component]
fn DeletePlan(page: Plan, json: Downloader, deleted: RwSignal<bool>) -> impl IntoView {
    let i18n = I18n::get();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<Key>);
    let question = Signal::derive(move || {
        let plan = page
            .info
            .with(|i| i.as_ref().map(|i| i.title.clone()))
            .unwrap_or_default();
        i18n.fill(Key::DeletePlanQuestion, &[("plan", plan)])
    });
    let delete = Callback::new(move |()| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            match api::delete_plan(page.id, &page.key()).await {
                Ok(()) => deleted.set(true),
                Err(p) => problem.set(Some(p.key())),
            }
            busy.set(false);
        });
    });
    view! {
        <section class="card danger-card" aria-labelledby="delete-plan-heading">
            <h2 id="delete-plan-heading">{i18n.text(Key::DeletePlanHeading)}</h2>
            <p>{i18n.text(Key::DeletePlanExplain)}</p>
            <ConfirmDelete id="delete-plan" ask=Key::DeletePlanButton question=question
                confirm=Key::ConfirmDeletePlan json=json busy=busy problem=problem on_confirm=delete/>
        </section>
    }
}
