//! The facilitator's list of participants: how many hold each role, everyone by name and
//! role, or by role and number when they gave no name ("Parent 3", see [`PersonLabels`];
//! newest first, where a burst of fake participants lands; a search finds anyone else), and
//! for each a way to remove them with all their notes. Removing cannot be undone, so it
//! first asks in the page, naming who and what goes; the answer is two real buttons, and
//! Escape or Cancel puts the focus back where it was.
//!
//! The console does not know who wrote which note (only the server does), so the question
//! says "all their notes" rather than a number; every screen sees them disappear.

use leptos::prelude::*;
use ordet_shared::{Command, Key, ParticipantId};

use crate::i18n::I18n;
use crate::live::Live;
use crate::widgets::{JoinedCounts, PersonLabels};

/// Most participants listed at once; the search finds the others.
const MAX_SHOWN: usize = 50;

/// The participants section of the console.
#[component]
pub fn ParticipantsPanel(
    /// The conference.
    live: Live,
) -> impl IntoView {
    let i18n = I18n::get();
    let query = RwSignal::new(String::new());
    // Whose removal is being asked about.
    let asking = RwSignal::new(None::<ParticipantId>);
    // Who was removed last, to say so once they are gone.
    let removed = RwSignal::new(None::<(ParticipantId, String)>);
    let find_ref = NodeRef::<leptos::html::Input>::new();
    let total = move || {
        live.state
            .with(|s| s.as_ref().map_or(0, |s| s.participants.len()))
    };
    let removed_count = move || {
        live.state
            .with(|s| s.as_ref().map_or(0, |s| s.removed.len()))
    };
    let matches = Memo::new(move |_| {
        let lang = i18n.lang();
        let wanted = query.get().trim().to_lowercase();
        live.state.with(|state| {
            let Some(state) = state else {
                return (Vec::new(), 0);
            };
            // "Kari (Pupil)", or "Pupil 3" for someone without a name; the search finds both.
            let labels = PersonLabels::new(state, lang);
            let mut found: Vec<_> = state
                .participants
                .values()
                .map(|p| (p, labels.with_role(p.id, lang)))
                .filter(|(_, label)| wanted.is_empty() || label.to_lowercase().contains(&wanted))
                .collect();
            let count = found.len();
            found.sort_by_key(|(p, _)| std::cmp::Reverse((p.joined_at, p.id)));
            let rows = found
                .into_iter()
                .take(MAX_SHOWN)
                .map(|(p, label)| (p.id, label))
                .collect::<Vec<_>>();
            (rows, count)
        })
    });
    let confirm = Callback::new(move |(id, label): (ParticipantId, String)| {
        live.problem.set(None);
        live.send(Command::RemoveParticipant { participant: id });
        asking.set(None);
        removed.set(Some((id, label)));
        // The row goes away: the search field keeps the focus in the panel.
        if let Some(input) = find_ref.get_untracked() {
            let _ = input.focus();
        }
    });
    let done = move || {
        let (id, label) = removed.get()?;
        let gone = live.state.with(|s| {
            s.as_ref()
                .is_some_and(|s| !s.participants.contains_key(&id))
        });
        gone.then(|| i18n.fill(Key::ParticipantRemovedStatus, &[("who", label)]))
    };
    view! {
        <section class="card participants-panel" aria-labelledby="participants-heading">
            <h2 id="participants-heading">{i18n.text(Key::ParticipantsHeading)}</h2>
            <JoinedCounts live=live/>
            <Show when=move || { removed_count() > 0 }>
                <p class="hint">{move || i18n.fill(Key::RemovedCount, &[("count", removed_count().to_string())])}</p>
            </Show>
            <p class="status-line" role="status" aria-live="polite">{done}</p>
            <Show when=move || { total() > 0 } fallback=move || view! {
                <p class="empty">{i18n.text(Key::NoParticipantsYet)}</p>
            }>
                <label for="find-participant">{i18n.text(Key::FindParticipantLabel)}</label>
                <input id="find-participant" type="search" node_ref=find_ref autocomplete="off"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev)) />
                <p class="hint">{move || {
                    let (rows, count) = matches.get();
                    i18n.fill(Key::ParticipantsShown, &[("shown", rows.len().to_string()), ("count", count.to_string())])
                }}</p>
                <Show when=move || matches.with(|(rows, _)| rows.is_empty())>
                    <p class="empty">{i18n.text(Key::NoParticipantMatches)}</p>
                </Show>
                <ul class="participant-list">
                    <For each=move || matches.get().0 key=|row| row.clone() children=move |(id, label)| view! {
                        <ParticipantRow id=id label=label asking=asking confirm=confirm/>
                    }/>
                </ul>
            </Show>
        </section>
    }
}

/// One participant with the button that asks about removing them, and the question.
#[component]
fn ParticipantRow(
    id: ParticipantId,
    label: String,
    asking: RwSignal<Option<ParticipantId>>,
    confirm: Callback<(ParticipantId, String)>,
) -> impl IntoView {
    let i18n = I18n::get();
    let open = move || asking.get() == Some(id);
    let ask_ref = NodeRef::<leptos::html::Button>::new();
    let question_ref = NodeRef::<leptos::html::P>::new();
    // The question takes the focus when it appears, so it is read first.
    Effect::new(move |_| {
        if let Some(question) = question_ref.get() {
            let _ = question.focus();
        }
    });
    let cancel = move || {
        asking.set(None);
        if let Some(button) = ask_ref.get_untracked() {
            let _ = button.focus();
        }
    };
    let question_id = format!("remove-{id}-question");
    let detail_id = format!("remove-{id}-detail");
    let ask_label = i18n.fill(Key::RemoveParticipantLabel, &[("who", label.clone())]);
    let question = i18n.fill(Key::RemoveParticipantQuestion, &[("who", label.clone())]);
    let label = StoredValue::new(label);
    view! {
        <li class="participant">
            <div class="participant-line">
                <span dir="auto">{label.get_value()}</span>
                <button type="button" class="secondary small" node_ref=ask_ref aria-label=ask_label
                    aria-expanded=move || open().to_string()
                    on:click=move |_| asking.set(Some(id))>
                    {i18n.text(Key::RemoveParticipantButton)}
                </button>
            </div>
            <Show when=open>
                <div class="confirm-box" role="group" aria-labelledby=question_id.clone() aria-describedby=detail_id.clone()
                    on:keydown=move |ev| if ev.key() == "Escape" { cancel() }>
                    <p id=question_id.clone() class="confirm-question" tabindex="-1" node_ref=question_ref dir="auto">{question.clone()}</p>
                    <p id=detail_id.clone()>{i18n.text(Key::RemoveParticipantDetail)}</p>
                    <div class="button-row">
                        <button type="button" class="danger confirm-remove"
                            on:click=move |_| confirm.run((id, label.get_value()))>
                            {i18n.text(Key::ConfirmRemoveParticipant)}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| cancel()>
                            {i18n.text(Key::CancelEdit)}
                        </button>
                    </div>
                </div>
            </Show>
        </li>
    }
}
