//! The facilitator console: how to join, who has joined (and removing someone with their
//! notes), the role list, every note as it arrives, and the meeting's input document.
//! Reached only through the secret console link.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use ordet_shared::protocol::Auth;
use ordet_shared::{Command, ConferenceId, Key, NoteId, RoleId, limits};

use crate::i18n::I18n;
use crate::live::Live;
use crate::pages::document_panel::DocumentPanel;
use crate::pages::participants_panel::ParticipantsPanel;
use crate::pages::programme_panel::{GroupsPanel, ProgrammePanel, RunPanel};
use crate::pages::themes_panel::ThemesPanel;
use crate::plan_view::Gone;
use crate::turns_view::RoundsPanel;
use crate::voting_view::VotingPanel;
use crate::widgets::{ConnectionBadge, LanguagePicker, ProblemMessage, connect, newest_notes};

/// `/f/{id}#{key}`.
#[component]
pub fn ConsolePage(
    /// Which conference.
    conference: ConferenceId,
    /// The facilitator key from the link.
    key: String,
) -> impl IntoView {
    let i18n = I18n::get();
    let live = connect(
        conference,
        Auth::Facilitator { key: key.clone() },
        "facilitator",
    );
    let deleted = RwSignal::new(false);
    let title = move || {
        live.state
            .with(|s| s.as_ref().map(|s| s.title.clone()))
            .unwrap_or_else(|| i18n.t(Key::Loading))
    };
    let key = StoredValue::new(key);
    view! {
        <Show when=move || !deleted.get() fallback=|| view! { <Gone heading=Key::MeetingDeletedHeading text=Key::MeetingDeletedText/> }>
            <header class="site-header console-header">
                <div>
                    <p class="brand">{i18n.text(Key::AppName)}" · "{i18n.text(Key::ConsoleSubtitle)}</p>
                    <h1>{title}</h1>
                </div>
                <div class="header-tools">
                    <ConnectionBadge live=live/>
                    <LanguagePicker/>
                </div>
            </header>
            <main id="main" class="page console">
                <p class="warning" role="note">{i18n.text(Key::KeepLinkWarning)}</p>
                <ProblemMessage live=live/>
                <RunPanel live=live/>
                <RoundsPanel live=live/>
                <ThemesPanel live=live/>
                <div class="console-grid">
                    <ProgrammePanel live=live/>
                    <GroupsPanel live=live/>
                    <JoinPanel live=live conference=conference/>
                    <NotesPanel live=live/>
                    <VotingPanel live=live/>
                    <ParticipantsPanel live=live/>
                    <RolesPanel live=live/>
                    <DocumentPanel live=live conference=conference key=key.get_value() deleted=deleted/>
                </div>
            </main>
        </Show>
    }
}

#[component]
fn JoinPanel(live: Live, conference: ConferenceId) -> impl IntoView {
    let i18n = I18n::get();
    let code = move || {
        live.state
            .with(|s| s.as_ref().map(|s| s.join_code.display_grouped()))
    };
    let join_url = move || {
        live.welcome
            .with(|w| w.as_ref().map(|w| w.join_url.clone()))
    };
    let screen_link = move || {
        live.welcome
            .with(|w| w.as_ref().and_then(|w| w.screen_key.clone()))
            .map(|key| format!("/s/{conference}#{key}"))
    };
    view! {
        <section class="card join-panel" aria-labelledby="join-panel-heading">
            <h2 id="join-panel-heading">{i18n.text(Key::JoinHeading)}</h2>
            <p class="join-instructions">
                {move || match (join_url(), code()) {
                    (Some(url), Some(code)) => i18n.fill(Key::JoinInstructions, &[("url", url), ("code", code)]),
                    _ => i18n.t(Key::Loading),
                }}
            </p>
            <p class="join-code-large" aria-hidden="true">{code}</p>
            {move || screen_link().map(|href| view! {
                <a class="button primary" href=href target="_blank" rel="noopener">{i18n.text(Key::OpenScreen)}</a>
            })}
        </section>
    }
}

#[component]
fn RolesPanel(live: Live) -> impl IntoView {
    let i18n = I18n::get();
    let new_role = RwSignal::new(String::new());
    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        let name = new_role.get_untracked();
        if name.trim().is_empty() {
            live.problem
                .set(Some(ordet_shared::protocol::ErrorCode::RoleNameEmpty));
            return;
        }
        live.send(Command::AddRole {
            role: RoleId::random(),
            name,
        });
        new_role.set(String::new());
    };
    let roles = move || {
        live.state.with(|state| {
            state.as_ref().map(|state| {
                state
                    .roles
                    .iter()
                    .map(|role| {
                        let id = role.id;
                        let label = role.label(i18n.lang());
                        let remove_label = i18n.fill(Key::RemoveRoleButton, &[("role", label.clone())]);
                        view! {
                            <li>
                                <span>{label}</span>
                                <button type="button" class="secondary small" aria-label=remove_label
                                    on:click=move |_| { live.send(Command::RemoveRole { role: id }); }>
                                    <span aria-hidden="true">"✕"</span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <section class="card" aria-labelledby="roles-heading">
            <h2 id="roles-heading">{i18n.text(Key::RolesHeading)}</h2>
            <ul class="role-list">{roles}</ul>
            <form class="inline-form" on:submit=add novalidate>
                <label for="new-role">{i18n.text(Key::NewRoleLabel)}</label>
                <div class="inline-row">
                    <input id="new-role" type="text" maxlength=limits::ROLE_NAME_MAX_CHARS.to_string()
                        prop:value=move || new_role.get()
                        on:input=move |ev| new_role.set(event_target_value(&ev)) />
                    <button type="submit" class="secondary">{i18n.text(Key::AddRoleButton)}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn NotesPanel(live: Live) -> impl IntoView {
    let i18n = I18n::get();
    let draft = RwSignal::new(String::new());
    let post = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = draft.get_untracked();
        if text.trim().is_empty() {
            live.problem
                .set(Some(ordet_shared::protocol::ErrorCode::NoteEmpty));
            return;
        }
        live.send(Command::PostNote {
            note: NoteId::random(),
            text,
            question: None,
            for_group: false,
        });
        draft.set(String::new());
    };
    let count = move || live.state.with(|s| s.as_ref().map_or(0, |s| s.notes.len()));
    let notes = move || newest_notes(live, i18n.lang(), usize::MAX);
    view! {
        <section class="card notes-panel" aria-labelledby="notes-heading">
            <h2 id="notes-heading">{i18n.text(Key::NotesHeading)}</h2>
            <p>{move || i18n.fill(Key::NotesCount, &[("count", count().to_string())])}</p>
            <form class="note-form" on:submit=post novalidate>
                <label for="console-note">{i18n.text(Key::ConsoleNoteLabel)}</label>
                <textarea id="console-note" rows="2" maxlength=limits::NOTE_MAX_CHARS.to_string()
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                <button type="submit" class="secondary">{i18n.text(Key::PostNote)}</button>
            </form>
            <Show when=move || count() == 0>
                <p class="empty">{i18n.text(Key::NoNotesYet)}</p>
            </Show>
            <ul class="note-list" aria-live="polite">
                <For each=notes key=|(id, text, role)| (*id, text.clone(), role.clone()) children=move |(_, text, role)| view! {
                    <li class="note"><p class="note-text" dir="auto">{text}</p><p class="note-role">{role}</p></li>
                }/>
            </ul>
        </section>
    }
}
