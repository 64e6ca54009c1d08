//! The projector screen, read from the back of a hall: the title, how to join (address,
//! large code, QR code), how many have joined by role, and the notes as they arrive. It
//! needs no interaction; the console opens it with the view-only screen key.

use leptos::prelude::*;
use ordet_shared::protocol::Auth;
use ordet_shared::{ConferenceId, Key};

use crate::i18n::I18n;
use crate::notes_view::Wall;
use crate::step_view::{CurrentStep, SoundCue, group_label};
use crate::turns_view::RoundsOverview;
use crate::widgets::{ConnectionBadge, JoinedCounts, connect};

/// `/s/{id}#{key}`.
#[component]
pub fn ScreenPage(
    /// Which conference.
    conference: ConferenceId,
    /// The screen key from the link.
    key: String,
) -> impl IntoView {
    let i18n = I18n::get();
    let live = connect(conference, Auth::Screen { key }, "screen");
    let sound = SoundCue::provide();
    let title = move || {
        live.state
            .with(|s| s.as_ref().map(|s| s.title.clone()))
            .unwrap_or_default()
    };
    let code = move || live.state.with(|s| s.as_ref().map(|s| s.join_code.clone()));
    let join_address = move || {
        live.welcome.with(|w| {
            w.as_ref().map(|w| {
                w.join_url
                    .trim_start_matches("http://")
                    .trim_start_matches("https://")
                    .to_string()
            })
        })
    };
    let empty = move || {
        live.state.with(|s| {
            s.as_ref().is_none_or(|s| {
                s.notes.is_empty() && s.wall.mode != ordet_shared::notes::WallMode::Results
            })
        })
    };
    let running = move || {
        live.state
            .with(|s| s.as_ref().is_some_and(|s| s.programme.current.is_some()))
    };
    let groups = move || {
        live.state.with(|s| {
            let s = s.as_ref()?;
            let step = s.programme.current_step().filter(|st| st.turns.is_none())?;
            let groups = s.programme.groups.get(&step.id)?;
            Some(
                groups
                    .iter()
                    .map(|g| view! { <li><strong>{group_label(i18n, g)}</strong>" · "{g.members.len()}</li> })
                    .collect_view(),
            )
        })
    };
    view! {
        <main id="main" class="screen">
            <header class="screen-header">
                <h1>{title}</h1>
                <div class="screen-tools">
                    <button type="button" class="secondary small sound-toggle" aria-pressed=move || sound.enabled.get().to_string()
                        on:click=move |_| sound.toggle()>
                        <span aria-hidden="true">{move || if sound.enabled.get() { "✓ " } else { "○ " }}</span>
                        {i18n.text(Key::SoundOn)}
                    </button>
                    <ConnectionBadge live=live/>
                </div>
            </header>
            // Once the meeting is under way, how to join steps aside for the wall.
            <div class="screen-body" class:busy=move || !empty() || running()>
                <aside class="screen-join" aria-labelledby="screen-join-heading">
                    <h2 id="screen-join-heading" class="visually-hidden">{i18n.text(Key::JoinHeading)}</h2>
                    <p class="screen-label">{i18n.text(Key::ScreenJoinAt)}</p>
                    <p class="screen-address">{join_address}</p>
                    <p class="screen-label">{i18n.text(Key::ScreenCodeLabel)}</p>
                    <p class="screen-code">{move || code().map(|c| c.display_grouped())}</p>
                    {move || code().map(|c| view! {
                        <img class="screen-qr" src=format!("/api/join/{c}/qr.svg") alt=move || i18n.t(Key::QrAlt) width="220" height="220"/>
                    })}
                    <JoinedCounts live=live hide_empty=true/>
                </aside>
                <div class="screen-main">
                <Show when=running fallback=move || {
                    // After "End the programme" the room reads that the meeting is over.
                    let ended = live.state.with(|s| s.as_ref().is_some_and(|s| s.programme.ended));
                    ended.then(|| view! { <p class="step-waiting">{i18n.text(Key::MeetingOver)}</p> })
                }>
                    <section class="screen-step" aria-labelledby="screen-step-heading">
                        <h2 id="screen-step-heading" class="visually-hidden">{i18n.text(Key::ProgrammeHeading)}</h2>
                        <CurrentStep live=live/>
                        <ul class="screen-groups">{groups}</ul>
                        <RoundsOverview live=live/>
                    </section>
                </Show>
                <section class="wall" aria-labelledby="wall-heading">
                    <h2 id="wall-heading" class="visually-hidden">{i18n.text(Key::NotesHeading)}</h2>
                    <Show when=empty>
                        <p class="wall-empty">{i18n.text(Key::ScreenWaiting)}</p>
                    </Show>
                    <div aria-live="polite"><Wall live=live/></div>
                </section>
                </div>
            </div>
        </main>
    }
}
