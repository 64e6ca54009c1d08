//! Pieces several screens share: the connection badge, the language pickers, the problem
//! message, role names, how the console calls people, and the joined-count list.

use leptos::prelude::*;
use ordet_shared::protocol::Auth;
use ordet_shared::state::State;
use ordet_shared::{ConferenceId, Key, Lang, ParticipantId, RoleId};

use crate::i18n::I18n;
use crate::live::{Live, Status};

/// Shows how the connection is doing, in words and a symbol (never by colour alone), and
/// offers "try now" while offline and "reload" when the server refused for good.
#[component]
pub fn ConnectionBadge(
    /// The connection to show.
    live: Live,
) -> impl IntoView {
    let i18n = I18n::get();
    // Ticks once a second so the countdown to the next attempt stays true.
    let now = ticking_now(std::time::Duration::from_secs(1));
    let view = move || {
        match live.status.get() {
        Status::Connecting => view! {
            <span class="conn conn-connecting"><span aria-hidden="true">"◌ "</span>{i18n.t(Key::ConnConnecting)}</span>
        }
        .into_any(),
        Status::Online => view! {
            <span class="conn conn-online"><span aria-hidden="true">"● "</span>{i18n.t(Key::ConnOnline)}</span>
        }
        .into_any(),
        Status::Offline { retry_at } => {
            let seconds = ((retry_at - now.get()) / 1000.0).ceil().max(0.0) as u64;
            view! {
                <span class="conn conn-offline">
                    <span aria-hidden="true">"○ "</span>
                    {i18n.fill(Key::ConnOffline, &[("seconds", seconds.to_string())])}
                    " "
                    <button type="button" class="link-button" on:click=move |_| live.retry_now()>
                        {i18n.t(Key::ConnRetryNow)}
                    </button>
                </span>
            }
            .into_any()
        }
        Status::Failed(error) => view! {
            <span class="conn conn-failed">
                <span aria-hidden="true">"✕ "</span>
                {i18n.t(error.key())}
                " "
                <button type="button" class="link-button" on:click=move |_| { let _ = window().location().reload(); }>
                    {i18n.t(Key::ReloadPage)}
                </button>
            </span>
        }
        .into_any(),
    }
    };
    view! { <div class="connection" role="status" aria-live="polite">{view}</div> }
}

/// This device's clock (`Date.now()`), as a signal that updates every `every` while the
/// calling component lives: for countdowns that must move without any network traffic.
pub fn ticking_now(every: std::time::Duration) -> RwSignal<f64> {
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(ticker) = set_interval_with_handle(move || now.set(js_sys::Date::now()), every) {
        on_cleanup(move || ticker.clear());
    }
    now
}

/// A `<select>` of the three languages; the choice is remembered on this device.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let i18n = I18n::get();
    let options = Lang::ALL
        .iter()
        .map(|lang| {
            let code = lang.code();
            let lang = *lang;
            view! { <option value=code lang=code selected=move || i18n.lang() == lang>{lang.native_name()}</option> }
        })
        .collect_view();
    view! {
        <label class="language-picker">
            <span>{i18n.text(Key::LanguageLabel)}</span>
            <select
                prop:value=move || i18n.lang().code()
                on:change=move |ev| {
                    if let Some(lang) = Lang::from_code(&event_target_value(&ev)) {
                        i18n.choose(lang);
                    }
                }
            >
                {options}
            </select>
        </label>
    }
}

/// A `<select>` of the three languages for a meeting or a plan (not the reader's own).
#[component]
pub fn LanguageSelect(
    /// The element's identifier, for its label.
    #[prop(into)]
    id: String,
    /// The chosen language.
    value: RwSignal<Lang>,
    /// Called when the person picks one.
    #[prop(optional)]
    on_pick: Option<Callback<Lang>>,
) -> impl IntoView {
    let options = Lang::ALL
        .iter()
        .map(|lang| {
            let lang = *lang;
            view! { <option value=lang.code() lang=lang.code() selected=move || value.get() == lang>{lang.native_name()}</option> }
        })
        .collect_view();
    view! {
        <select id=id prop:value=move || value.get().code()
            on:change=move |ev| {
                if let Some(lang) = Lang::from_code(&event_target_value(&ev)) {
                    value.set(lang);
                    if let Some(pick) = on_pick {
                        pick.run(lang);
                    }
                }
            }>
            {options}
        </select>
    }
}

/// The latest refusal from the server, explained, with a button to dismiss it.
#[component]
pub fn ProblemMessage(
    /// The connection whose problems to show.
    live: Live,
) -> impl IntoView {
    let i18n = I18n::get();
    move || {
        live.problem.get().map(|error| {
            view! {
                <p class="problem" role="alert">
                    {i18n.fill(error.key(), &ordet_shared::i18n::limit_values())}
                    " "
                    <button type="button" class="link-button" on:click=move |_| live.problem.set(None)>{i18n.t(Key::Dismiss)}</button>
                </p>
            }
        })
    }
}

/// A role's name in `lang`; a role the conference no longer offers reads as "Other".
pub fn role_label(state: &State, role: Option<RoleId>, lang: Lang) -> String {
    match role {
        None => Key::WrittenByFacilitator.text(lang).to_string(),
        Some(id) => state
            .role(id)
            .map(|r| r.label(lang))
            .unwrap_or_else(|| Key::RoleOther.text(lang).to_string()),
    }
}

/// How the facilitator's console calls each person: their name, or, for someone who gave
/// none, their role and their place in that role by join order ("Parent 3"), so that people
/// without names can be told apart when moving them or giving them jobs.
///
/// The numbers are worked out from the console's own state each time and never stored or
/// sent: they are not part of the conference, so no export, projector or phone shows them.
/// Everyone in the role counts (named or not), so one person giving a name later does not
/// renumber the others.
pub struct PersonLabels(std::collections::HashMap<ParticipantId, Label>);

/// One person's label: a name they gave, or their role and number.
enum Label {
    Named { name: String, role: String },
    Numbered(String),
}

impl PersonLabels {
    /// Labels for everyone who has joined `state`, in `lang`.
    pub fn new(state: &State, lang: Lang) -> PersonLabels {
        let mut people: Vec<_> = state.participants.values().collect();
        people.sort_by_key(|p| (p.joined_at, p.id));
        let mut in_role: std::collections::HashMap<RoleId, usize> = Default::default();
        let labels = people
            .into_iter()
            .map(|person| {
                let place = in_role.entry(person.role).or_default();
                *place += 1;
                let role = role_label(state, Some(person.role), lang);
                let label = match &person.name {
                    Some(name) => Label::Named {
                        name: name.clone(),
                        role,
                    },
                    None => Label::Numbered(format!("{role} {place}")),
                };
                (person.id, label)
            })
            .collect();
        PersonLabels(labels)
    }

    /// The short label of `who` ("Kari", "Parent 3"); "No name" for someone the console
    /// does not know.
    pub fn get(&self, who: ParticipantId, lang: Lang) -> String {
        match self.0.get(&who) {
            Some(Label::Named { name, .. }) => name.clone(),
            Some(Label::Numbered(label)) => label.clone(),
            None => Key::NoName.text(lang).to_string(),
        }
    }

    /// The label of `who` with their role where the short label does not say it:
    /// "Kari (Parent)", "Parent 3".
    pub fn with_role(&self, who: ParticipantId, lang: Lang) -> String {
        match self.0.get(&who) {
            Some(Label::Named { name, role }) => format!("{name} ({role})"),
            _ => self.get(who, lang),
        }
    }
}

/// Who wrote a note, by role, in `lang`: the role; "a participant" when the role was left
/// out so as not to narrow the writer to fewer than three people
/// ([`ordet_shared::anonymity`]); "Facilitator" only when the facilitator wrote it.
pub fn note_role_label(state: &State, note: &ordet_shared::state::Note, lang: Lang) -> String {
    if note.role.is_none() && note.masked.role {
        return Key::NoteByParticipant.text(lang).to_string();
    }
    role_label(state, note.role, lang)
}

/// Up to `limit` notes, newest first, each as (identifier, text, the writer's role in `lang`).
pub fn newest_notes(
    live: Live,
    lang: Lang,
    limit: usize,
) -> Vec<(ordet_shared::NoteId, String, String)> {
    live.state.with(|state| {
        let Some(state) = state.as_ref() else {
            return Vec::new();
        };
        state
            .notes_in_order()
            .into_iter()
            .rev()
            .take(limit)
            .map(|note| {
                (
                    note.id,
                    note.text.clone(),
                    note_role_label(state, note, lang),
                )
            })
            .collect()
    })
}

/// "Joined: N" and the count per role.
#[component]
pub fn JoinedCounts(
    /// The conference to count.
    live: Live,
    /// Leave out roles nobody holds (the projector has no room for a list of zeros).
    #[prop(optional)]
    hide_empty: bool,
) -> impl IntoView {
    let i18n = I18n::get();
    move || {
        live.state.with(|state| {
            state.as_ref().map(|state| {
                let lang = i18n.lang();
                let total = state.participants.len();
                let rows = state
                    .role_counts()
                    .into_iter()
                    .filter(|(_, count)| !hide_empty || *count > 0)
                    .map(|(role, count)| {
                        view! { <li><span class="count">{count}</span>" "{role.label(lang)}</li> }
                    })
                    .collect_view();
                view! {
                    <p class="joined-total">{i18n.fill(Key::JoinedCount, &[("count", total.to_string())])}</p>
                    <ul class="role-counts">{rows}</ul>
                }
            })
        })
    }
}

/// Connects a screen to its conference and lets the page follow it: the browser tab shows
/// the conference's title, and the conference's language is used unless the person chose
/// one. `kind` names the screen, to keep each screen's unsent commands apart.
pub fn connect(conference: ConferenceId, auth: Auth, kind: &str) -> Live {
    let live = Live::connect(
        conference,
        auth,
        format!("ordet.outbox.{conference}.{kind}"),
    );
    follow_title(live);
    follow_language(live);
    live
}

/// Sets the browser tab's title to the conference's.
fn follow_title(live: Live) {
    Effect::new(move |_| {
        let title = live.state.with(|s| s.as_ref().map(|s| s.title.clone()));
        if let Some(title) = title {
            document().set_title(&format!("{title} – Ordet"));
        }
    });
}

/// Uses the conference's default language unless the person chose one.
fn follow_language(live: Live) {
    let i18n = I18n::get();
    Effect::new(move |_| {
        if let Some(lang) = live.state.with(|s| s.as_ref().map(|s| s.language)) {
            i18n.suggest(lang);
        }
    });
}
