//! Talking rounds on every screen. [`RoundPanel`] is one round — who has the floor, the
//! countdown, who is next, the queue — with the controls the viewer may use: all of them
//! for the group leader and the facilitator, "I am done" and "Pass" for the speaker on their
//! own turn. [`RoundsOverview`] is the projector's view of every group at once.
//!
//! Nothing here decides anything: buttons send [`Command::Turn`] and the server's answer
//! comes back as the round's new state. A press names the speaker it means, so a press that
//! crosses another is harmless.

use std::time::Duration;

use leptos::prelude::*;
use ordet_shared::programme::{Clock, StepKind, server_now};
use ordet_shared::state::State;
use ordet_shared::turns::{self, FINAL_STRETCH_MS, Phase, Round, TurnAction};
use ordet_shared::{Actor, Command, GroupId, Key, Lang, ParticipantId, StepId};

use crate::i18n::I18n;
use crate::live::Live;
use crate::step_view::{Countdown, group_label, minutes_seconds};
use crate::widgets::{PersonLabels, role_label, ticking_now};

/// A round as one screen shows it: the round (or, before it starts, the planned queue),
/// labels for everyone in it, and what this viewer may do.
#[derive(Clone, Debug, PartialEq)]
struct RoundView {
    round: Round,
    labels: Vec<(ParticipantId, String)>,
    leads: bool,
    me: Option<ParticipantId>,
    /// Whether this is the facilitator's console, which starts rounds for any group.
    console: bool,
}

impl RoundView {
    fn label(&self, who: ParticipantId) -> String {
        self.labels
            .iter()
            .find(|(p, _)| *p == who)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    }
}

/// How a person in a round is called on screen: their name, or their role when they gave
/// none (on the console, their role and number, from `console`, so they can be told apart);
/// a reporter in plenary with their group. "(you)" on their own phone.
#[allow(clippy::too_many_arguments)]
fn speaker_label(
    state: &State,
    console: Option<&PersonLabels>,
    step: StepId,
    group: Option<GroupId>,
    who: ParticipantId,
    me: Option<ParticipantId>,
    i18n: I18n,
    lang: Lang,
) -> String {
    // A phone knows only the people it sits with: anyone else in a plenary queue is a
    // reporter of another group, and reads as one.
    let person = state.participants.get(&who);
    let mut label = match (person, console) {
        (Some(person), Some(labels)) => labels.get(person.id, lang),
        (Some(person), None) => person
            .name
            .clone()
            .unwrap_or_else(|| role_label(state, Some(person.role), lang)),
        (None, _) if group.is_none() => i18n.t(Key::JobReporter),
        (None, _) => i18n.t(Key::NoteByParticipant),
    };
    if me == Some(who) {
        label = i18n.fill(Key::TurnYou, &[("name", label)]);
    }
    if group.is_none()
        && let Some(table) = turns::reporting_groups(state, step)
            .into_iter()
            .find(|g| g.reporter == Some(who))
    {
        label = i18n.fill(
            Key::TurnReporterOf,
            &[("group", group_label(i18n, table)), ("name", label)],
        );
    }
    label
}

fn round_view(
    state: &State,
    viewer: Option<Actor>,
    step: StepId,
    group: Option<GroupId>,
    i18n: I18n,
    lang: Lang,
) -> RoundView {
    let round = turns::round_of(state, step, group)
        .cloned()
        .unwrap_or_else(|| Round {
            group,
            queue: turns::planned_queue(state, step, group),
            phase: Phase::Ready,
            turns: vec![],
        });
    let me = match viewer {
        Some(Actor::Participant { id }) => Some(id),
        _ => None,
    };
    let people = round
        .turns
        .iter()
        .map(|t| t.speaker)
        .chain(round.speaker())
        .chain(round.queue.iter().copied());
    let console = matches!(viewer, Some(Actor::Facilitator));
    let console_labels = console.then(|| PersonLabels::new(state, lang));
    let labels = people
        .map(|p| {
            let label = speaker_label(
                state,
                console_labels.as_ref(),
                step,
                group,
                p,
                me,
                i18n,
                lang,
            );
            (p, label)
        })
        .collect();
    RoundView {
        console,
        leads: viewer.is_some_and(|v| turns::may_lead(state, v, step, group)),
        round,
        labels,
        me,
    }
}

/// One talking round with the controls this viewer may use.
#[component]
pub fn RoundPanel(
    /// The conference.
    live: Live,
    /// The step.
    step: StepId,
    /// The group; `None` for plenary reports.
    group: Option<GroupId>,
    /// The panel's heading.
    #[prop(into)]
    heading: Signal<String>,
    /// Whether the panel sits under a section heading (an `h3`) or stands alone (an `h2`).
    #[prop(optional)]
    nested: bool,
) -> impl IntoView {
    let i18n = I18n::get();
    let view_of = Memo::new(move |_| {
        let viewer = live.welcome.with(|w| w.as_ref().map(|w| w.viewer));
        let lang = i18n.lang();
        live.state.with(|s| {
            s.as_ref()
                .map(|s| round_view(s, viewer, step, group, i18n, lang))
        })
    });
    let send = move |action: TurnAction| {
        live.send(Command::Turn {
            step,
            group,
            action,
        });
    };
    let clock = Signal::derive(move || {
        view_of.with(|v| v.as_ref().map_or(Clock::Off, |v| v.round.clock()))
    });
    cue_the_next_speaker(live, view_of, clock);
    let heading_id = format!(
        "round-{}",
        group.map_or("plenary".into(), |g| g.to_string())
    );
    let heading_view = {
        let id = heading_id.clone();
        move || {
            if nested {
                view! { <h3 id=id.clone()>{heading.get()}</h3> }.into_any()
            } else {
                view! { <h2 id=id.clone()>{heading.get()}</h2> }.into_any()
            }
        }
    };
    let status = move || {
        let v = view_of.get()?;
        let (done, total) = v.round.progress();
        let floor = match v.round.phase {
            Phase::Ready => {
                // Plenary reports are started by the facilitator, who needs no hint.
                let hint = match (group, v.leads) {
                    (None, _) => None,
                    // The console may start any group's round; "You lead the group" is a
                    // phone's words for its leader.
                    (Some(_), true) if v.console => Some(i18n.t(Key::TurnConsoleStarts)),
                    (Some(_), true) => Some(i18n.t(Key::TurnYouLead)),
                    (Some(_), false) => Some(i18n.t(Key::TurnLeaderStarts)),
                };
                view! {
                    <p class="floor">{i18n.t(Key::TurnNotStarted)}</p>
                    {hint.map(|hint| view! { <p class="hint">{hint}</p> })}
                }
                .into_any()
            }
            Phase::Speaking { speaker, .. } => {
                let mine = v.me == Some(speaker);
                let text = if mine {
                    i18n.t(Key::TurnYouHaveFloor)
                } else {
                    i18n.fill(Key::TurnHasFloor, &[("name", v.label(speaker))])
                };
                view! {
                    <p class="floor" class:mine=mine>{text}</p>
                    <Countdown live=live clock=clock overtime=true/>
                }
                .into_any()
            }
            Phase::Discussion { .. } => view! {
                <p class="floor">{i18n.t(Key::TurnDiscussion)}</p>
                <Countdown live=live clock=clock/>
            }
            .into_any(),
            Phase::Done => {
                let done = if group.is_some() {
                    Key::TurnMarkDone
                } else {
                    Key::TurnGroupDone
                };
                view! { <p class="floor done"><span aria-hidden="true">"✓ "</span>{i18n.t(done)}</p> }.into_any()
            }
        };
        let next = match (v.round.phase, v.round.queue.first()) {
            (Phase::Speaking { .. }, Some(next)) if v.me == Some(*next) => {
                Some(view! { <p class="round-next mine">{i18n.t(Key::TurnYouAreNext)}</p> }.into_any())
            }
            (Phase::Speaking { .. }, Some(next)) => Some(
                view! { <p class="round-next">{i18n.fill(Key::TurnNextSpeaker, &[("name", v.label(*next))])}</p> }
                    .into_any(),
            ),
            _ => None,
        };
        let place = v.me.and_then(|me| v.round.place_of(me)).map(|place| {
            let text = match (v.round.phase, place) {
                (Phase::Ready, 1) => i18n.t(Key::TurnYouStart),
                (Phase::Speaking { .. }, 1) => String::new(),
                _ => i18n.fill(Key::TurnYourPlace, &[("place", place.to_string())]),
            };
            (!text.is_empty()).then(|| view! { <p class="round-place">{text}</p> })
        });
        Some(view! {
            {floor}
            {next}
            {place}
            <p class="round-progress">
                <label>
                    {i18n.fill(Key::TurnProgress, &[("done", done.to_string()), ("total", total.to_string())])}
                    <progress max=total.max(1).to_string() value=done.to_string()></progress>
                </label>
            </p>
        })
    };
    let queue = move || {
        let v = view_of.get()?;
        if v.round.queue.is_empty() || v.round.phase == Phase::Done {
            return None;
        }
        let reorder = v.leads && matches!(v.round.phase, Phase::Ready | Phase::Speaking { .. });
        let last = v.round.queue.len() - 1;
        let waiting = v.round.queue.clone();
        let items = v
            .round
            .queue
            .iter()
            .enumerate()
            .map(|(i, who)| {
                let label = v.label(*who);
                let moved = |to: usize| {
                    let mut queue = waiting.clone();
                    queue.swap(i, to);
                    TurnAction::Reorder { queue }
                };
                let up = moved(i.saturating_sub(1));
                let down = moved((i + 1).min(last));
                let up_label = i18n.fill(Key::TurnMoveUp, &[("name", label.clone())]);
                let down_label = i18n.fill(Key::TurnMoveDown, &[("name", label.clone())]);
                view! {
                    <li class:mine=v.me == Some(*who)>
                        <span><span class="queue-number">{i + 1}". "</span>{label}</span>
                        {reorder.then(|| view! {
                            <span class="queue-tools">
                                <button type="button" class="secondary small" aria-label=up_label disabled=i == 0
                                    on:click=move |_| send(up.clone())><span aria-hidden="true">"↑"</span></button>
                                <button type="button" class="secondary small" aria-label=down_label disabled=i == last
                                    on:click=move |_| send(down.clone())><span aria-hidden="true">"↓"</span></button>
                            </span>
                        })}
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <h4 class="queue-heading">{i18n.t(Key::TurnQueueHeading)}</h4>
            <ol class="round-queue" role="list">{items}</ol>
        })
    };
    let controls = move || {
        let v = view_of.get()?;
        let own_turn = v.me.is_some() && v.round.speaker() == v.me;
        if !v.leads && !own_turn {
            return None;
        }
        let paused = matches!(v.round.clock(), Clock::Paused { .. });
        let button = move |key: Key, action: TurnAction, primary: bool| {
            view! {
                <button type="button" class=if primary { "primary-inline" } else { "secondary" }
                    on:click=move |_| send(action.clone())>{i18n.t(key)}</button>
            }
        };
        let buttons = match v.round.phase {
            Phase::Ready if v.leads => {
                vec![button(Key::TurnStart, TurnAction::Start, true)]
            }
            Phase::Speaking { speaker, .. } if v.leads => {
                let mut row = vec![
                    button(
                        Key::TurnNextButton,
                        TurnAction::Next { current: speaker },
                        true,
                    ),
                    button(Key::TurnPass, TurnAction::Pass { current: speaker }, false),
                    if paused {
                        button(Key::TurnResume, TurnAction::Resume, false)
                    } else {
                        button(Key::TurnPause, TurnAction::Pause, false)
                    },
                    button(Key::TurnExtend, TurnAction::Extend { seconds: 30 }, false),
                ];
                if !v.round.queue.is_empty() {
                    row.push(button(
                        Key::TurnSkip,
                        TurnAction::Skip { current: speaker },
                        false,
                    ));
                }
                row.push(button(Key::TurnFinish, TurnAction::Finish, false));
                row
            }
            Phase::Speaking { speaker, .. } => vec![
                button(Key::TurnImDone, TurnAction::Next { current: speaker }, true),
                button(Key::TurnPass, TurnAction::Pass { current: speaker }, false),
            ],
            Phase::Discussion { .. } if v.leads => vec![
                // Someone who came late waits in the queue: they can have the floor first.
                (!v.round.queue.is_empty())
                    .then(|| button(Key::TurnGiveFloor, TurnAction::Start, true)),
                Some(button(
                    Key::TurnMarkDone,
                    TurnAction::Finish,
                    v.round.queue.is_empty(),
                )),
                Some(if paused {
                    button(Key::TurnResume, TurnAction::Resume, false)
                } else {
                    button(Key::TurnPause, TurnAction::Pause, false)
                }),
                Some(button(
                    Key::TurnExtend,
                    TurnAction::Extend { seconds: 30 },
                    false,
                )),
            ]
            .into_iter()
            .flatten()
            .collect(),
            _ => vec![],
        };
        (!buttons.is_empty())
            .then(|| view! { <div class="button-row round-controls">{buttons}</div> })
    };
    let phase_class = move || {
        let phase = view_of.with(|v| v.as_ref().map(|v| v.round.phase));
        let name = match phase {
            Some(Phase::Speaking { .. }) => "speaking",
            Some(Phase::Discussion { .. }) => "discussion",
            Some(Phase::Done) => "done",
            _ => "ready",
        };
        format!("round round-{name}")
    };
    view! {
        <section class=phase_class aria-labelledby=heading_id>
            {heading_view}
            <div aria-live="polite">{status}</div>
            {controls}
            {queue}
        </section>
    }
}

/// A gentle cue on the phone of the person next in line when the current turn enters its last
/// 30 seconds (two short vibrations), and one when their own turn begins. Only on the change,
/// never when a screen opens in the middle of it.
fn cue_the_next_speaker(live: Live, view_of: Memo<Option<RoundView>>, clock: Signal<Clock>) {
    let now = ticking_now(Duration::from_millis(500));
    let almost = Memo::new(move |_| {
        let next = view_of.with(|v| {
            v.as_ref().is_some_and(|v| {
                v.me.is_some()
                    && matches!(v.round.phase, Phase::Speaking { .. })
                    && v.round.queue.first().copied() == v.me
            })
        });
        let remaining = clock
            .get()
            .remaining_ms(server_now(now.get(), live.clock_offset_ms.get()));
        next && remaining.is_some_and(|ms| ms <= FINAL_STRETCH_MS)
    });
    let mine = Memo::new(move |_| {
        view_of.with(|v| {
            v.as_ref()
                .is_some_and(|v| v.me.is_some() && v.round.speaker() == v.me)
        })
    });
    Effect::new(move |was: Option<(bool, bool)>| {
        let now = (almost.get(), mine.get());
        if let Some((was_almost, was_mine)) = was {
            let navigator = window().navigator();
            if now.0 && !was_almost {
                let pattern = js_sys::Array::of3(&120.into(), &100.into(), &120.into());
                let _ = navigator.vibrate_with_pattern(&pattern);
            } else if now.1 && !was_mine {
                let _ = navigator.vibrate_with_duration(250);
            }
        }
        now
    });
}

/// The running step's rounds: for plenary reports, the one round; for a group round, every
/// group's round. The console shows them with controls; the phone shows its own group's.
#[component]
pub fn RoundsPanel(
    /// The conference.
    live: Live,
) -> impl IntoView {
    let i18n = I18n::get();
    let rounds = Memo::new(move |_| {
        live.state.with(|s| {
            let s = s.as_ref()?;
            let step = s.programme.current_step().filter(|st| st.turns.is_some())?;
            let groups: Vec<(GroupId, u32)> = s
                .programme
                .groups
                .get(&step.id)
                .map(|groups| groups.iter().map(|g| (g.id, g.number)).collect())
                .unwrap_or_default();
            Some((step.id, step.kind, groups))
        })
    });
    move || {
        let (step, kind, groups) = rounds.get()?;
        // A group round before its groups are formed has no rounds to show yet.
        if kind != StepKind::Reports && groups.is_empty() {
            return None;
        }
        let body = if kind == StepKind::Reports {
            view! {
                <RoundPanel live=live step=step group=None nested=true
                    heading=Signal::derive(move || i18n.t(Key::TurnPlenaryHeading))/>
            }
            .into_any()
        } else {
            groups
                .into_iter()
                .map(|(id, _)| {
                    let heading = Signal::derive(move || {
                        live.state
                            .with(|s| {
                                s.as_ref()
                                    .and_then(|s| s.programme.groups.get(&step))
                                    .and_then(|gs| gs.iter().find(|g| g.id == id))
                                    .map(|g| group_label(i18n, g))
                            })
                            .unwrap_or_default()
                    });
                    view! { <RoundPanel live=live step=step group=Some(id) heading=heading nested=true/> }
                })
                .collect_view()
                .into_any()
        };
        Some(view! {
            <section class="card rounds-panel" aria-labelledby="rounds-heading">
                <h2 id="rounds-heading">{i18n.text(Key::TurnsOverview)}</h2>
                <div class="rounds-grid">{body}</div>
                <FloorShares live=live/>
            </section>
        })
    }
}

/// How the floor has been shared between roles so far, over every round of the conference.
#[component]
pub fn FloorShares(
    /// The conference.
    live: Live,
) -> impl IntoView {
    let i18n = I18n::get();
    let rows = move || {
        live.state.with(|s| {
            let s = s.as_ref()?;
            let shares: Vec<_> = turns::floor_by_role(s)
                .into_iter()
                .filter(|share| share.turns > 0)
                .map(|share| {
                    (
                        role_label(s, Some(share.role), i18n.lang()),
                        minutes_seconds(share.spoke_ms),
                        share.turns,
                        share.passes,
                    )
                })
                .collect();
            (!shares.is_empty()).then_some(shares)
        })
    };
    move || {
        rows().map(|rows| {
            let rows = rows
                .into_iter()
                .map(|(role, time, turns, passes)| {
                    view! { <tr><th scope="row">{role}</th><td>{time}</td><td>{turns}</td><td>{passes}</td></tr> }
                })
                .collect_view();
            view! {
                <table class="floor-shares">
                    <caption>{i18n.t(Key::TurnFloorHeading)}</caption>
                    <thead><tr>
                        <th scope="col">{i18n.t(Key::TurnFloorRole)}</th>
                        <th scope="col">{i18n.t(Key::TurnFloorTime)}</th>
                        <th scope="col">{i18n.t(Key::TurnFloorTurns)}</th>
                        <th scope="col">{i18n.t(Key::TurnFloorPasses)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
    }
}

/// The projector's overview of a group round: every group at once — who speaks and for how
/// long still, how far each has come, which are in open discussion or done — so the
/// facilitator sees who needs more time. For plenary reports, the one round, large.
#[component]
pub fn RoundsOverview(
    /// The conference.
    live: Live,
) -> impl IntoView {
    let i18n = I18n::get();
    let now = ticking_now(Duration::from_millis(500));
    let step = Memo::new(move |_| {
        live.state.with(|s| {
            s.as_ref()
                .and_then(|s| s.programme.current_step())
                .filter(|st| st.turns.is_some())
                .map(|st| (st.id, st.kind))
        })
    });
    move || {
        let (step, kind) = step.get()?;
        if kind == StepKind::Reports {
            return Some(
                view! {
                    <div class="screen-rounds plenary">
                        <RoundPanel live=live step=step group=None nested=true
                            heading=Signal::derive(move || i18n.t(Key::TurnPlenaryHeading))/>
                    </div>
                }
                .into_any(),
            );
        }
        let cards = move || {
            let lang = i18n.lang();
            let server_time = server_now(now.get(), live.clock_offset_ms.get());
            live.state.with(|s| {
                let s = s.as_ref()?;
                let groups = s.programme.groups.get(&step)?;
                Some(
                    groups
                        .iter()
                        .map(|g| {
                            let v = round_view(s, None, step, Some(g.id), i18n, lang);
                            let (done, total) = v.round.progress();
                            let left = v
                                .round
                                .clock()
                                .remaining_ms(server_time)
                                .map(minutes_seconds)
                                .unwrap_or_default();
                            let (state, text) = match v.round.phase {
                                Phase::Ready => ("ready", i18n.t(Key::TurnNotStarted)),
                                Phase::Speaking { speaker, .. } => (
                                    "speaking",
                                    format!(
                                        "{} · {left}",
                                        i18n.fill(Key::TurnHasFloor, &[("name", v.label(speaker))])
                                    ),
                                ),
                                Phase::Discussion { .. } => {
                                    ("discussion", format!("{} · {left}", i18n.t(Key::TurnDiscussion)))
                                }
                                Phase::Done => ("done", format!("✓ {}", i18n.t(Key::TurnGroupDone))),
                            };
                            view! {
                                <li class=format!("round-card round-{state}")>
                                    <p class="round-card-group">{group_label(i18n, g)}</p>
                                    <p class="round-card-state">{text}</p>
                                    <p class="round-card-progress">
                                        {i18n.fill(Key::TurnProgress, &[("done", done.to_string()), ("total", total.to_string())])}
                                    </p>
                                    <progress max=total.max(1).to_string() value=done.to_string() aria-hidden="true"></progress>
                                </li>
                            }
                        })
                        .collect_view(),
                )
            })
        };
        Some(
            view! {
                <div class="screen-rounds">
                    <h3 class="visually-hidden">{i18n.text(Key::TurnsOverview)}</h3>
                    <ul class="round-cards">{cards}</ul>
                </div>
            }
            .into_any(),
        )
    }
}
