//! The running step as every screen shows it: its title, questions and clock, and the names of
//! groups and group jobs. The countdown is computed locally from the clock's deadline and this
//! device's estimate of the server's clock, so it is right even when the device's own clock
//! is not, and nothing needs to tick over the network.

use std::time::Duration;

use leptos::prelude::*;
use ordet_shared::Key;
use ordet_shared::programme::{Clock, Group, StepKind, server_now};

use crate::i18n::I18n;
use crate::live::Live;
use crate::widgets::ticking_now;

/// The translation key naming a kind of step.
pub fn kind_key(kind: StepKind) -> Key {
    match kind {
        StepKind::Plenary => Key::KindPlenary,
        StepKind::GroupRound => Key::KindGroupRound,
        StepKind::Notes => Key::KindNotes,
        StepKind::Reports => Key::KindReports,
        StepKind::Clustering => Key::KindClustering,
        StepKind::Voting => Key::KindVoting,
    }
}

/// A group's name as shown in the room: its name, or "Group 3".
pub fn group_label(i18n: I18n, group: &Group) -> String {
    group
        .name
        .clone()
        .unwrap_or_else(|| i18n.fill(Key::GroupNumber, &[("number", group.number.to_string())]))
}

/// `m:ss`.
pub fn minutes_seconds(ms: u64) -> String {
    let seconds = ms.div_ceil(1000);
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The running step's clock, counting down. Shows "Time is up" and "Paused" in words, not
/// only by colour; the last 30 seconds are marked for styling; phones vibrate once when
/// time runs out.
#[component]
pub fn Countdown(
    /// The conference.
    live: Live,
) -> impl IntoView {
    let i18n = I18n::get();
    let now = ticking_now(Duration::from_millis(250));
    let clock = move || {
        live.state
            .with(|s| s.as_ref().map_or(Clock::Off, |s| s.programme.clock))
    };
    let remaining = move || clock().remaining_ms(server_now(now.get(), live.clock_offset_ms.get()));
    // A gentle cue when time runs out: one short vibration on phones that can (others ignore
    // it). Only on the change to "time is up", not when a screen opens on an expired clock.
    let time_up =
        Memo::new(move |_| matches!(clock(), Clock::Running { .. }) && remaining() == Some(0));
    Effect::new(move |was_up: Option<bool>| {
        let up = time_up.get();
        if up && was_up == Some(false) {
            let _ = window().navigator().vibrate_with_duration(300);
        }
        up
    });
    move || {
        let clock = clock();
        remaining().map(|ms| {
            let (text, state) = match clock {
                Clock::Paused { .. } => (
                    format!("{} · {}", minutes_seconds(ms), i18n.t(Key::ClockPaused)),
                    "paused",
                ),
                _ if ms == 0 => (i18n.t(Key::TimeUp), "up"),
                _ if ms <= 30_000 => (minutes_seconds(ms), "ending"),
                _ => (minutes_seconds(ms), "running"),
            };
            view! {
                <p class=format!("countdown countdown-{state}") role="timer">
                    <span class="visually-hidden">{i18n.t(Key::TimeLeft)}": "</span>
                    {text}
                </p>
            }
        })
    }
}

/// The running step: "Step 2 of 8", title, questions and clock; or a waiting message.
///
/// When the step gives each group its own question, a phone passes its group's number and
/// sees only its question; the projector and console see every question with its group.
#[component]
pub fn CurrentStep(
    /// The conference.
    live: Live,
    /// This phone's group number in the running step, if it is in a group.
    #[prop(optional, into)]
    my_group: Option<Signal<Option<u32>>>,
) -> impl IntoView {
    let i18n = I18n::get();
    let current = move || {
        live.state.with(|s| {
            let s = s.as_ref()?;
            let programme = &s.programme;
            let step = programme.current_step()?.clone();
            let number = programme.index_of(step.id)? + 1;
            Some((step, number, programme.steps.len()))
        })
    };
    move || match current() {
        None => view! { <p class="step-waiting">{i18n.text(Key::WaitingForStart)}</p> }.into_any(),
        Some((step, number, total)) => {
            let mine = my_group.and_then(|g| g.get());
            let questions: Vec<String> = match (step.per_group, mine) {
                (true, None) => step
                    .questions
                    .iter()
                    .enumerate()
                    .map(|(i, q)| {
                        let group = i18n.fill(Key::GroupNumber, &[("number", (i + 1).to_string())]);
                        format!("{group}: {q}")
                    })
                    .collect(),
                _ => step
                    .questions_for(mine)
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
            };
            let questions = questions
                .into_iter()
                .map(|q| view! { <li>{q}</li> })
                .collect_view();
            view! {
                <div class="current-step">
                    <p class="step-number">
                        {move || i18n.fill(Key::StepNumber, &[("number", number.to_string()), ("total", total.to_string())])}
                    </p>
                    <h2 class="step-title">{step.title.clone()}</h2>
                    <ul class="questions">{questions}</ul>
                    <Countdown live=live/>
                </div>
            }
            .into_any()
        }
    }
}
