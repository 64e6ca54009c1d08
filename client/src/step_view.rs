//! The running step as every screen shows it: its title, questions and clock, and the names of
//! groups and group jobs. The countdown is computed locally from the clock's deadline and this
//! device's estimate of the server's clock, so it is right even when the device's own clock
//! is not, and nothing needs to tick over the network.

use std::time::Duration;

use leptos::prelude::*;
use ordet_shared::Key;
use ordet_shared::programme::{Clock, Group, server_now};

use crate::i18n::I18n;
use crate::live::Live;
use crate::widgets::ticking_now;

/// A group's name as shown in the room: its name, or "Group 3".
pub fn group_label(i18n: I18n, group: &Group) -> String {
    group
        .name
        .clone()
        .unwrap_or_else(|| i18n.fill(Key::GroupNumber, &[("number", group.number.to_string())]))
}

/// Minutes as a person writes them in the screen's language: `5`, `2,5` (`2.5` in English).
pub fn minutes_text(secs: u32, lang: ordet_shared::Lang) -> String {
    ordet_shared::i18n::minutes(u64::from(secs), lang)
}

/// `m:ss`.
pub fn minutes_seconds(ms: u64) -> String {
    let seconds = ms.div_ceil(1000);
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// A gentle sound when time runs out, for the projector. Browsers allow sound only after a
/// person has clicked on the page, so the projector offers a toggle; the sound is two soft
/// tones made on the spot (no audio file, nothing fetched).
#[derive(Clone, Copy)]
pub struct SoundCue {
    /// Whether the sound is on.
    pub enabled: RwSignal<bool>,
    context: StoredValue<Option<web_sys::AudioContext>, LocalStorage>,
}

impl SoundCue {
    /// Creates the cue (off) and makes it available to the countdowns below.
    pub fn provide() -> SoundCue {
        let cue = SoundCue {
            enabled: RwSignal::new(false),
            context: StoredValue::new_local(None),
        };
        provide_context(cue);
        cue
    }

    /// Turns the sound on or off; call from a click, so the browser allows audio.
    pub fn toggle(self) {
        let on = !self.enabled.get_untracked();
        if on && self.context.with_value(Option::is_none) {
            self.context.set_value(web_sys::AudioContext::new().ok());
        }
        self.enabled.set(on);
        if on {
            self.play();
        }
    }

    fn play(self) {
        self.context.with_value(|context| {
            let Some(context) = context else { return };
            let _ = context.resume();
            let start = context.current_time();
            for (i, frequency) in [523.25_f32, 659.25].into_iter().enumerate() {
                let (Ok(tone), Ok(volume)) = (context.create_oscillator(), context.create_gain())
                else {
                    return;
                };
                let at = start + i as f64 * 0.35;
                tone.frequency().set_value(frequency);
                let _ = volume.gain().set_value_at_time(0.0, at);
                let _ = volume.gain().linear_ramp_to_value_at_time(0.2, at + 0.05);
                let _ = volume.gain().linear_ramp_to_value_at_time(0.0, at + 0.5);
                let _ = tone.connect_with_audio_node(&volume);
                let _ = volume.connect_with_audio_node(&context.destination());
                let _ = tone.start_with_when(at);
                let _ = tone.stop_with_when(at + 0.55);
            }
        });
    }
}

/// A clock counting down: the running step's, or a speaker's turn. Shows "Time is up",
/// "Paused" and "Last 30 seconds" in words, not only by colour; phones vibrate once when
/// time runs out, and a projector with its [`SoundCue`] on plays a soft sound. With
/// `overtime`, a turn that runs over shows by how much instead of "Time is up".
#[component]
pub fn Countdown(
    /// The conference (for this device's estimate of the server's clock).
    live: Live,
    /// The clock to show.
    #[prop(into)]
    clock: Signal<Clock>,
    /// Whether to count time beyond the deadline (a speaker going over).
    #[prop(optional)]
    overtime: bool,
) -> impl IntoView {
    let i18n = I18n::get();
    // Ten ticks a second: two screens flip to the next second at most 0.1 s apart.
    let now = ticking_now(Duration::from_millis(100));
    let server_time = move || server_now(now.get(), live.clock_offset_ms.get());
    // When this device expects the clock to run out, in its own clock (ms since 1970): what
    // the screens agree on, exposed as `data-ends-at` so tests can measure the agreement.
    let ends_at = move || match clock.get() {
        Clock::Running { deadline } => Some(format!(
            "{:.0}",
            deadline.0 as f64 - live.clock_offset_ms.get()
        )),
        _ => None,
    };
    let remaining = move || clock.get().remaining_ms(server_time());
    // A gentle cue when time runs out: one short vibration on phones that can (others ignore
    // it). Only on the change to "time is up", not when a screen opens on an expired clock.
    let time_up =
        Memo::new(move |_| matches!(clock.get(), Clock::Running { .. }) && remaining() == Some(0));
    Effect::new(move |was_up: Option<bool>| {
        let up = time_up.get();
        if up && was_up == Some(false) {
            let _ = window().navigator().vibrate_with_duration(300);
            if let Some(cue) = use_context::<SoundCue>()
                && cue.enabled.get_untracked()
            {
                cue.play();
            }
        }
        up
    });
    move || {
        let clock = clock.get();
        remaining().map(|ms| {
            let (text, note, state) = match clock {
                Clock::Paused { .. } => (
                    minutes_seconds(ms),
                    Some(i18n.t(Key::ClockPaused)),
                    "paused",
                ),
                _ if ms == 0 && overtime => {
                    let over = ordet_shared::turns::overtime_ms(clock, server_time());
                    (
                        format!("+{}", minutes_seconds(over)),
                        Some(i18n.fill(Key::TurnOvertime, &[("time", minutes_seconds(over))])),
                        "up",
                    )
                }
                _ if ms == 0 => (i18n.t(Key::TimeUp), None, "up"),
                _ if ms <= ordet_shared::turns::FINAL_STRETCH_MS => (
                    minutes_seconds(ms),
                    Some(i18n.t(Key::TurnFinalStretch)),
                    "ending",
                ),
                _ => (minutes_seconds(ms), None, "running"),
            };
            view! {
                <div class=format!("countdown countdown-{state}") role="timer" aria-live="off" data-ends-at=ends_at>
                    <p class="countdown-time">
                        <span class="visually-hidden">{i18n.t(Key::TimeLeft)}": "</span>
                        {text}
                    </p>
                    {note.map(|note| view! { <p class="countdown-note">{note}</p> })}
                </div>
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
    // Only the step's own data: a note arriving does not redraw the step (or its clock).
    let current = Memo::new(move |_| {
        live.state.with(|s| {
            let s = s.as_ref()?;
            let programme = &s.programme;
            let step = programme.current_step()?.clone();
            let number = programme.index_of(step.id)? + 1;
            let groups: Vec<u32> = programme
                .groups
                .get(&step.id)
                .map(|groups| groups.iter().map(|g| g.number).collect())
                .unwrap_or_default();
            Some((step, number, programme.steps.len(), groups))
        })
    });
    let ended = Memo::new(move |_| {
        live.state
            .with(|s| s.as_ref().is_some_and(|s| s.programme.ended))
    });
    move || match current.get() {
        None if ended.get() => {
            view! { <p class="step-waiting">{i18n.text(Key::MeetingOver)}</p> }.into_any()
        }
        None => view! { <p class="step-waiting">{i18n.text(Key::WaitingForStart)}</p> }.into_any(),
        Some((step, number, total, groups)) => {
            let mine = my_group.and_then(|g| g.get());
            let labelled = |n: u32, q: &str| {
                let group = i18n.fill(Key::GroupNumber, &[("number", n.to_string())]);
                format!("{group}: {q}")
            };
            let questions: Vec<String> = match (step.per_group, mine) {
                // The projector and console: each group that exists, with its question; before
                // groups are formed, every question with the group that will take it.
                (true, None) if !groups.is_empty() => groups
                    .iter()
                    .filter_map(|n| {
                        step.questions_for(Some(*n))
                            .first()
                            .map(|q| labelled(*n, q))
                    })
                    .collect(),
                (true, None) => step
                    .questions
                    .iter()
                    .enumerate()
                    .map(|(i, q)| labelled(i as u32 + 1, q))
                    .collect(),
                _ => step
                    .questions_for(mine)
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
            };
            let many = questions.len() > 2;
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
                    <ul class="questions" class:many=many>{questions}</ul>
                    <Countdown live=live clock=Signal::derive(move || {
                        live.state.with(|s| s.as_ref().map_or(Clock::Off, |s| s.programme.clock))
                    })/>
                </div>
            }
            .into_any()
        }
    }
}
