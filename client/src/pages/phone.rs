//! The phone: join a conference by code, pick a role and an optional name, then write notes.
//!
//! The device's identity (a participant identifier and a secret token, both made here) is
//! kept in local storage per conference, so a reload, a sleeping phone or a lost connection
//! brings the same person back. Notes written offline wait in the outbox and are shown as
//! waiting until the server has them; text typed in the note box and not yet sent is kept
//! there too, until the note is queued.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ordet_shared::join_code::JoinCode;
use ordet_shared::protocol::{Auth, ErrorCode, JoinInfo};
use ordet_shared::state::Role;
use ordet_shared::{Command, ConferenceId, Key, NoteId, ParticipantId, RoleId, limits};
use serde::{Deserialize, Serialize};

use crate::api::{self, Problem};
use crate::i18n::I18n;
use crate::live::Live;
use crate::pages::start::{JoinByCode, code_problem};
use crate::step_view::{CurrentStep, group_label};
use crate::turns_view::RoundPanel;
use crate::voting_view::Ballot;
use crate::widgets::{ConnectionBadge, LanguagePicker, ProblemMessage, connect, role_label};
use ordet_shared::notes::Place;

/// This device in one conference.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Device {
    id: ParticipantId,
    token: String,
}

impl Device {
    fn storage_key(conference: ConferenceId) -> String {
        format!("ordet.device.{conference}")
    }

    /// The device's identity for `conference`, made and saved on first use.
    fn for_conference(conference: ConferenceId) -> Device {
        let key = Self::storage_key(conference);
        crate::storage::load(&key).unwrap_or_else(|| {
            let device = Device {
                id: ParticipantId::random(),
                token: format!(
                    "{}{}",
                    uuid::Uuid::new_v4().simple(),
                    uuid::Uuid::new_v4().simple()
                ),
            };
            crate::storage::save(&key, &device);
            device
        })
    }
}

/// Notes this device wrote, newest last (so they can be shown with their status).
type MyNotes = Vec<(NoteId, String)>;

fn my_notes_key(conference: ConferenceId) -> String {
    format!("ordet.notes.{conference}")
}

/// Where the note box's unsent text is kept, so a reload or a phone that drops the page
/// does not lose what was typed. It goes once the note is queued (the outbox keeps it then).
fn draft_key(conference: ConferenceId) -> String {
    format!("ordet.draft.{conference}")
}

/// Keeps `text` as the note box's unsent text (at most a note's length), or forgets it when
/// the box is empty.
fn keep_draft(conference: ConferenceId, text: &str) {
    if text.is_empty() {
        crate::storage::remove(&draft_key(conference));
    } else {
        let bounded: String = text.chars().take(limits::NOTE_MAX_CHARS).collect();
        crate::storage::save(&draft_key(conference), &bounded);
    }
}

fn joined_key(conference: ConferenceId) -> String {
    format!("ordet.joined.{conference}")
}

/// Where a phone keeps what the join form showed for a code: after *Close joining* the server
/// no longer tells anyone, and a phone that joined comes back with what it was told then.
fn join_info_key(code: &JoinCode) -> String {
    format!("ordet.join.{}", code.as_str())
}

/// What the join form needs: from the server, or, once joining is closed, as this phone kept
/// it when it joined.
async fn join_info_for(code: JoinCode) -> Result<JoinInfo, Problem> {
    let key = join_info_key(&code);
    match api::join_info(code.as_str()).await {
        Ok(info) => {
            crate::storage::save(&key, &info);
            Ok(info)
        }
        Err(Problem::Api(ErrorCode::JoiningClosed)) => {
            match crate::storage::load::<JoinInfo>(&key) {
                Some(info)
                    if crate::storage::load::<bool>(&joined_key(info.conference))
                        .unwrap_or(false) =>
                {
                    Ok(info)
                }
                _ => Err(Problem::Api(ErrorCode::JoiningClosed)),
            }
        }
        Err(problem) => Err(problem),
    }
}

/// `/j` and `/j/{code}`: find the conference, join it, take part.
#[component]
pub fn JoinPage(
    /// The join code from the address, if any.
    code: Option<String>,
) -> impl IntoView {
    let i18n = I18n::get();
    let Some(typed) = code else {
        return view! {
            <header class="site-header"><p class="brand">{i18n.text(Key::AppName)}</p><LanguagePicker/></header>
            <main id="main" class="page narrow">
                <h1>{i18n.text(Key::JoinHeading)}</h1>
                <JoinByCode initial=String::new()/>
            </main>
        }
        .into_any();
    };
    let info = RwSignal::new(None::<Result<JoinInfo, Problem>>);
    match JoinCode::parse(&typed) {
        Ok(code) => spawn_local(async move { info.set(Some(join_info_for(code).await)) }),
        Err(problem) => info.set(Some(Err(code_problem(problem)))),
    }
    let body = move || {
        match info.get() {
        None => view! { <main id="main" class="page narrow"><p aria-busy="true">{i18n.text(Key::Checking)}</p></main> }.into_any(),
        Some(Err(problem)) => {
            let typed = typed.clone();
            view! {
                <main id="main" class="page narrow">
                    <h1>{i18n.text(Key::JoinHeading)}</h1>
                    <p class="problem" role="alert">{move || i18n.fill(problem.key(), &ordet_shared::i18n::limit_values())}</p>
                    <JoinByCode initial=typed/>
                </main>
            }
            .into_any()
        }
        Some(Ok(info)) => {
            i18n.suggest(info.language);
            view! { <Participate info=info/> }.into_any()
        }
        }
    };
    view! {
        <header class="site-header"><p class="brand">{i18n.text(Key::AppName)}</p><LanguagePicker/></header>
        {body}
    }
    .into_any()
}

/// Name (optional) and role. Submitting queues the join, so it works offline too.
#[component]
fn ProfileForm(title: String, roles: Signal<Vec<Role>>, live: Live) -> impl IntoView {
    let i18n = I18n::get();
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(None::<RoleId>);
    let problem = RwSignal::new(None::<ErrorCode>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = role.get_untracked() else {
            problem.set(Some(ErrorCode::UnknownRole));
            return;
        };
        let typed = name.get_untracked();
        if typed.trim().chars().count() > limits::NAME_MAX_CHARS {
            problem.set(Some(ErrorCode::NameTooLong));
            return;
        }
        let name = Some(typed.trim().to_string()).filter(|n| !n.is_empty());
        live.problem.set(None);
        live.send(Command::Join { name, role: chosen });
    };
    // Marks when a phone can first type (after the join link opened): `time-to-type` reads it.
    Effect::new(move |_| {
        if let Some(performance) = window().performance() {
            let _ = performance.mark("ordet-can-type");
        }
    });
    let role_choices = move || {
        roles
            .get()
            .into_iter()
            .map(|r: Role| {
                let id = r.id;
                let input_id = format!("role-{id}");
                view! {
                    <div class="choice">
                        <input type="radio" name="role" id=input_id.clone() value=id.to_string()
                            on:change=move |_| { role.set(Some(id)); problem.set(None); } />
                        <label for=input_id>{move || r.label(i18n.lang())}</label>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <main id="main" class="page narrow">
            <p class="welcome">{i18n.text(Key::PhoneWelcome)}</p>
            <h1>{title}</h1>
            <ProblemMessage live=live/>
            <form on:submit=submit novalidate class="card">
                <fieldset aria-describedby="role-problem">
                    <legend>{i18n.text(Key::RoleLabel)}</legend>
                    {role_choices}
                </fieldset>
                <label for="display-name">{i18n.text(Key::NameLabel)}</label>
                <input id="display-name" type="text" autocomplete="nickname"
                    maxlength=limits::NAME_MAX_CHARS.to_string()
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev)) />
                <p class="hint">{i18n.text(Key::PrivacyHint)}</p>
                <p id="role-problem" class="field-problem" role="alert">
                    {move || problem.get().map(|p| match p {
                        ErrorCode::UnknownRole => i18n.t(Key::ChooseRole),
                        other => i18n.fill(other.key(), &ordet_shared::i18n::limit_values()),
                    })}
                </p>
                <button type="submit" class="primary">{i18n.text(Key::JoinButton)}</button>
            </form>
        </main>
    }
}

/// The phone in a conference: the profile form until joined (or joining), then the notes.
#[component]
fn Participate(info: JoinInfo) -> impl IntoView {
    let conference = info.conference;
    let device = Device::for_conference(conference);
    let me = device.id;
    let auth = Auth::Participant {
        id: device.id,
        token: device.token,
    };
    let live = connect(conference, auth, "participant");

    // Remembered on the device, so a phone that reloads while offline goes straight back
    // to its notes.
    let remembered = crate::storage::load::<bool>(&joined_key(conference)).unwrap_or(false);
    let joined = Memo::new(move |_| {
        let joining = live.queued(|c| matches!(c, Command::Join { .. }));
        let known = live
            .state
            .with(|s| s.as_ref().map(|s| s.participants.contains_key(&me)));
        match known {
            Some(true) => true,
            Some(false) => joining,
            None => joining || remembered,
        }
    });
    Effect::new(move |_| crate::storage::save(&joined_key(conference), &joined.get()));

    let fallback_roles = info.roles.clone();
    let roles = Signal::derive(move || {
        live.state
            .with(|s| s.as_ref().map(|s| s.roles.clone()))
            .unwrap_or_else(|| fallback_roles.clone())
    });
    let title = info.title.clone();
    move || {
        if joined.get() {
            view! { <Notes live=live conference=conference me=me/> }.into_any()
        } else {
            view! { <ProfileForm title=title.clone() roles=roles live=live/> }.into_any()
        }
    }
}

/// The phone once joined: who I am, a note form, my notes and their status.
#[component]
fn Notes(live: Live, conference: ConferenceId, me: ParticipantId) -> impl IntoView {
    let i18n = I18n::get();
    let my_notes = RwSignal::new(
        crate::storage::load::<MyNotes>(&my_notes_key(conference)).unwrap_or_default(),
    );
    let draft = RwSignal::new(
        crate::storage::load::<String>(&draft_key(conference))
            .map(|text| {
                text.chars()
                    .take(limits::NOTE_MAX_CHARS)
                    .collect::<String>()
            })
            .unwrap_or_default(),
    );
    let draft_problem = RwSignal::new(None::<ErrorCode>);
    let question = RwSignal::new(0u16);
    let for_group = RwSignal::new(false);
    let editing = RwSignal::new(None::<NoteId>);
    let edit_text = RwSignal::new(String::new());
    // The running step's questions, when the phone should ask which one a note answers.
    let questions = move || {
        live.state.with(|s| {
            let step = s.as_ref()?.programme.current_step()?;
            (step.questions.len() > 1 && !step.per_group).then(|| step.questions.clone())
        })
    };
    let note_taker = move || {
        live.state.with(|s| {
            s.as_ref().is_some_and(|s| {
                s.programme
                    .current
                    .and_then(|step| s.programme.group_of(step, me))
                    .is_some_and(|g| g.note_taker == Some(me))
            })
        })
    };
    let note_input = NodeRef::<leptos::html::Textarea>::new();

    let post = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = draft.get_untracked();
        match ordet_shared::text::clean(&text, limits::NOTE_MAX_CHARS, true) {
            Err(ordet_shared::text::TextProblem::Empty) => {
                draft_problem.set(Some(ErrorCode::NoteEmpty))
            }
            Err(ordet_shared::text::TextProblem::TooLong) => {
                draft_problem.set(Some(ErrorCode::NoteTooLong))
            }
            Ok(text) => {
                let note = NoteId::random();
                live.send(Command::PostNote {
                    note,
                    text: text.clone(),
                    question: questions().map(|_| question.get_untracked()),
                    for_group: for_group.get_untracked() && note_taker(),
                });
                my_notes.update(|notes| notes.push((note, text)));
                my_notes
                    .with_untracked(|notes| crate::storage::save(&my_notes_key(conference), notes));
                draft.set(String::new());
                keep_draft(conference, "");
                draft_problem.set(None);
                if let Some(input) = note_input.get_untracked() {
                    let _ = input.focus();
                }
            }
        }
    };
    let title = move || {
        live.state
            .with(|s| s.as_ref().map(|s| s.title.clone()))
            .unwrap_or_default()
    };
    let my_role = move || {
        live.state.with(|state| {
            state.as_ref().and_then(|state| {
                state
                    .participants
                    .get(&me)
                    .map(|p| role_label(state, Some(p.role), i18n.lang()))
            })
        })
    };
    let count = move || draft.with(|d| d.trim().chars().count());
    let notes_open = move || {
        live.state.with(|s| {
            s.as_ref()
                .and_then(|s| s.programme.current_step())
                .is_none_or(|step| step.notes_open)
        })
    };
    let my_group = move || {
        live.state.with(|s| {
            let s = s.as_ref()?;
            let group = s.programme.group_of(s.programme.current?, me)?;
            let mut jobs = Vec::new();
            if group.leader == Some(me) {
                jobs.push(i18n.t(Key::JobLeader));
            }
            if group.note_taker == Some(me) {
                jobs.push(i18n.t(Key::JobNoteTaker));
            }
            if group.reporter == Some(me) {
                jobs.push(i18n.t(Key::JobReporter));
            }
            Some((group_label(i18n, group), jobs.join(", ")))
        })
    };
    let my_group_number = Signal::derive(move || {
        live.state.with(|s| {
            let s = s.as_ref()?;
            s.programme
                .group_of(s.programme.current?, me)
                .map(|g| g.number)
        })
    });
    // My group's talking round in the running step (or the plenary reports).
    let my_round = Memo::new(move |_| {
        live.state.with(|s| {
            let s = s.as_ref()?;
            let step = s.programme.current_step().filter(|st| st.turns.is_some())?;
            if step.kind == ordet_shared::programme::StepKind::Reports {
                return Some((step.id, None));
            }
            let group = s.programme.group_of(step.id, me)?;
            Some((step.id, Some(group.id)))
        })
    });
    let round = move || {
        my_round.get().map(|(step, group)| {
            let heading = Signal::derive(move || {
                if group.is_some() {
                    i18n.t(Key::TurnsHeading)
                } else {
                    i18n.t(Key::TurnPlenaryHeading)
                }
            });
            view! { <div class="card phone-round"><RoundPanel live=live step=step group=group heading=heading/></div> }
        })
    };
    let save_edit = move |id: NoteId| {
        let text = edit_text.get_untracked();
        match ordet_shared::text::clean(&text, limits::NOTE_MAX_CHARS, true) {
            Err(ordet_shared::text::TextProblem::Empty) => {
                live.problem.set(Some(ErrorCode::NoteEmpty))
            }
            Err(ordet_shared::text::TextProblem::TooLong) => {
                live.problem.set(Some(ErrorCode::NoteTooLong))
            }
            Ok(text) => {
                live.send(Command::EditNote {
                    note: id,
                    text: text.clone(),
                });
                my_notes.update(|notes| {
                    if let Some(entry) = notes.iter_mut().find(|(n, _)| *n == id) {
                        entry.1 = text;
                    }
                });
                my_notes
                    .with_untracked(|notes| crate::storage::save(&my_notes_key(conference), notes));
                editing.set(None);
            }
        }
    };
    let notes_view = move || {
        let server_note = |id: &NoteId| {
            live.state.with(|s| {
                s.as_ref().and_then(|s| {
                    s.notes
                        .get(id)
                        .map(|n| (n.place, s.locked.contains(&n.step)))
                })
            })
        };
        my_notes
            .get()
            .into_iter()
            .rev()
            .map(|(id, text)| {
                let on_server = server_note(&id);
                let is_sent = on_server.is_some();
                let queued = live.queued(|c| matches!(c, Command::PostNote { note, .. } if *note == id));
                let status = match on_server {
                    Some((Place::Withdrawn, _)) => format!("↩ {}", i18n.t(Key::NoteWithdrawn)),
                    Some((Place::Hidden, _)) => format!("– {}", i18n.t(Key::NoteHiddenStatus)),
                    Some((Place::Merged { .. }, _)) => format!("✓ {}", i18n.t(Key::NoteMergedStatus)),
                    Some(_) => format!("✓ {}", i18n.t(Key::NoteSent)),
                    None if queued => format!("○ {}", i18n.t(Key::NoteWaiting)),
                    None => format!("✕ {}", i18n.t(Key::NoteNotSent)),
                };
                let changeable = matches!(on_server, Some((Place::Wall { .. }, false)));
                let withdrawn = matches!(on_server, Some((Place::Withdrawn, _)));
                let edit_id = format!("edit-{id}");
                let original = text.clone();
                view! {
                    <li class="my-note" class:pending=!is_sent class:withdrawn=withdrawn>
                        <Show when=move || editing.get() == Some(id) fallback={
                            let text = text.clone();
                            move || view! { <p class="note-text" dir="auto">{text.clone()}</p> }
                        }>
                            <label for=edit_id.clone()>{i18n.t(Key::NoteEditLabel)}</label>
                            <textarea id=edit_id.clone() rows="3" maxlength=limits::NOTE_MAX_CHARS.to_string()
                                prop:value=move || edit_text.get()
                                on:input=move |ev| edit_text.set(event_target_value(&ev))></textarea>
                            <div class="button-row">
                                <button type="button" class="primary-inline" on:click=move |_| save_edit(id)>{i18n.t(Key::NoteSave)}</button>
                                <button type="button" class="secondary" on:click=move |_| editing.set(None)>{i18n.t(Key::CancelEdit)}</button>
                            </div>
                        </Show>
                        <p class="note-status">{status}</p>
                        {(changeable && editing.get() != Some(id)).then(|| {
                            let original = original.clone();
                            view! {
                                <div class="button-row">
                                    <button type="button" class="secondary small" on:click=move |_| { edit_text.set(original.clone()); editing.set(Some(id)); }>{i18n.t(Key::NoteEdit)}</button>
                                    <button type="button" class="secondary small" on:click=move |_| { live.send(Command::WithdrawNote { note: id }); }>{i18n.t(Key::NoteWithdraw)}</button>
                                </div>
                            }
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <main id="main" class="page narrow phone">
            <h1>{title}</h1>
            <ConnectionBadge live=live/>
            <p class="you-are">{move || my_role().map(|role| i18n.fill(Key::YouAreIn, &[("role", role)]))}</p>
            <ProblemMessage live=live/>
            // During a talking round, who has the floor comes first; the step's own clock
            // steps back so the phone shows one large countdown, the turn's.
            {round}
            <Ballot live=live conference=conference/>
            <section class="card phone-step" class:with-round=move || my_round.get().is_some() aria-label=move || i18n.t(Key::ProgrammeHeading)>
                {move || my_group().map(|(group, jobs)| view! {
                    <p class="my-group">{i18n.fill(Key::YourGroup, &[("group", group)])}</p>
                    {(!jobs.is_empty()).then(|| view! { <p class="my-jobs">{i18n.fill(Key::YourJobs, &[("jobs", jobs)])}</p> })}
                })}
                <CurrentStep live=live my_group=my_group_number/>
            </section>
            <Show when=notes_open fallback=move || view! { <p class="hint">{i18n.t(ordet_shared::protocol::ErrorCode::NotesClosed.key())}</p> }>
            <form class="card note-form" on:submit=post novalidate>
                <label for="note-text">{i18n.text(Key::NoteLabel)}</label>
                <textarea id="note-text" rows="4" node_ref=note_input
                    maxlength=limits::NOTE_MAX_CHARS.to_string()
                    aria-describedby="note-counter note-problem"
                    prop:value=move || draft.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        keep_draft(conference, &text);
                        draft.set(text);
                        draft_problem.set(None);
                    }
                ></textarea>
                <p id="note-counter" class="counter">
                    {move || i18n.fill(Key::NoteCounter, &[("count", count().to_string()), ("max", limits::NOTE_MAX_CHARS.to_string())])}
                </p>
                {move || questions().map(|questions| {
                    let options = questions
                        .into_iter()
                        .enumerate()
                        .map(|(i, q)| {
                            let i = i as u16;
                            view! { <option value=i.to_string() selected=move || question.get() == i>{q}</option> }
                        })
                        .collect_view();
                    view! {
                        <label for="note-question">{i18n.t(Key::NoteQuestionLabel)}</label>
                        <select id="note-question" on:change=move |ev| question.set(event_target_value(&ev).parse().unwrap_or(0))>{options}</select>
                    }
                })}
                <Show when=note_taker>
                    <div class="choice">
                        <input id="note-for-group" type="checkbox" prop:checked=move || for_group.get()
                            on:change=move |ev| for_group.set(event_target_checked(&ev))/>
                        <label for="note-for-group">{i18n.t(Key::NoteForGroup)}</label>
                    </div>
                </Show>
                <p id="note-problem" class="field-problem" role="alert">
                    {move || draft_problem.get().map(|p| i18n.fill(p.key(), &ordet_shared::i18n::limit_values()))}
                </p>
                <button type="submit" class="primary">{i18n.text(Key::PostNote)}</button>
                <p class="hint">{i18n.text(Key::ConnOfflineHint)}</p>
            </form>
            </Show>
            <section aria-labelledby="my-notes-heading">
                <h2 id="my-notes-heading">{i18n.text(Key::YourNotes)}</h2>
                <ul class="my-notes">{notes_view}</ul>
            </section>
        </main>
    }
}
