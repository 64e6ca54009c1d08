//! The facilitator's programme tools in the console: start from a template or build steps by
//! hand, reorder and edit them (also live), run the programme (start, previous, next, pause,
//! +1 minute, end), close joining, and form and adjust the running step's groups.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use ordet_shared::programme::{
    GroupingMode, QUESTION_MAX_CHARS, STEP_TITLE_MAX_CHARS, Step, StepKind,
};
use ordet_shared::state::State;
use ordet_shared::templates::TEMPLATES;
use ordet_shared::turns::{TurnOrder, TurnSettings};
use ordet_shared::{Command, Key, StepId};

use crate::i18n::I18n;
use crate::live::Live;
use crate::step_view::{CurrentStep, group_label, minutes_text};
use crate::widgets::PersonLabels;

const KINDS: [StepKind; 6] = [
    StepKind::Plenary,
    StepKind::GroupRound,
    StepKind::Notes,
    StepKind::Reports,
    StepKind::Clustering,
    StepKind::Voting,
];

fn kind_code(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Plenary => "plenary",
        StepKind::GroupRound => "group_round",
        StepKind::Notes => "notes",
        StepKind::Reports => "reports",
        StepKind::Clustering => "clustering",
        StepKind::Voting => "voting",
    }
}

/// Reads a value out of the state, or a default before the state has arrived.
fn read<T>(live: Live, default: T, f: impl FnOnce(&State) -> T) -> T {
    live.state.with(|s| s.as_ref().map(f)).unwrap_or(default)
}

/// The run controls: what runs now, and the buttons to move through the programme.
#[component]
pub fn RunPanel(
    /// The conference.
    live: Live,
) -> impl IntoView {
    let i18n = I18n::get();
    let neighbour = move |delta: isize| {
        read(live, None, |s| {
            let steps = &s.programme.steps;
            let index = match s.programme.current.and_then(|c| s.programme.index_of(c)) {
                Some(i) => i as isize + delta,
                None if delta > 0 => 0,
                None => return None,
            };
            usize::try_from(index)
                .ok()
                .and_then(|i| steps.get(i))
                .map(|s| s.id)
        })
    };
    let go = move |delta: isize| {
        if let Some(step) = neighbour(delta) {
            live.send(Command::StartStep { step });
        }
    };
    let running = move || read(live, false, |s| s.programme.current.is_some());
    let paused = move || {
        read(live, false, |s| {
            matches!(
                s.programme.clock,
                ordet_shared::programme::Clock::Paused { .. }
            )
        })
    };
    let joining_open = move || read(live, true, |s| s.joining_open);
    let has_clock = move || {
        read(live, false, |s| {
            s.programme.clock != ordet_shared::programme::Clock::Off
        })
    };
    view! {
        <section class="card run-panel" aria-labelledby="run-heading">
            <h2 id="run-heading" class="visually-hidden">{i18n.text(Key::ProgrammeHeading)}</h2>
            <Show when=running fallback=move || {
                let ended = read(live, false, |s| s.programme.ended);
                view! { <p>{i18n.text(if ended { Key::ProgrammeEnded } else { Key::NotStarted })}</p> }
            }>
                <CurrentStep live=live/>
            </Show>
            <div class="button-row">
                <button type="button" class="secondary" disabled=move || neighbour(-1).is_none() on:click=move |_| go(-1)>
                    <span aria-hidden="true">"◀ "</span>{i18n.text(Key::PreviousStep)}
                </button>
                <button type="button" class="primary-inline" disabled=move || neighbour(1).is_none() on:click=move |_| go(1)>
                    {i18n.text(Key::NextStep)}<span aria-hidden="true">" ▶"</span>
                </button>
                <Show when=running>
                    <Show when=has_clock>
                        <button type="button" class="secondary" on:click=move |_| {
                            live.send(if paused() { Command::ResumeClock } else { Command::PauseClock });
                        }>
                            {move || if paused() { i18n.t(Key::ResumeClock) } else { i18n.t(Key::PauseClock) }}
                        </button>
                    </Show>
                    <button type="button" class="secondary" on:click=move |_| { live.send(Command::ExtendClock { seconds: 60 }); }>
                        {i18n.text(Key::AddMinute)}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| { live.send(Command::StopProgramme); }>
                        {i18n.text(Key::EndProgramme)}
                    </button>
                </Show>
                <button type="button" class="secondary" aria-pressed=move || (!joining_open()).to_string()
                    on:click=move |_| { live.send(Command::SetJoining { open: !joining_open() }); }>
                    {move || if joining_open() { i18n.t(Key::CloseJoining) } else { i18n.t(Key::OpenJoining) }}
                </button>
            </div>
        </section>
    }
}

/// The programme: templates when it is empty, the steps with their controls, the step form.
#[component]
pub fn ProgrammePanel(
    /// The conference.
    live: Live,
) -> impl IntoView {
    let i18n = I18n::get();
    let editing = RwSignal::new(None::<Step>);
    let steps = move || read(live, Vec::new(), |s| s.programme.steps.clone());
    let current = move || read(live, None, |s| s.programme.current);
    let templates = move || {
        steps().is_empty().then(|| {
            TEMPLATES
                .iter()
                .map(|template| {
                    let apply = move |_| {
                        for step in template.steps_in(i18n.lang_untracked(), StepId::random) {
                            live.send(Command::AddStep { step, index: None });
                        }
                    };
                    view! {
                        <li class="template">
                            <button type="button" class="secondary" on:click=apply>
                                {move || i18n.fill(Key::UseTemplate, &[("template", i18n.t(template.name))])}
                            </button>
                            <p class="hint">{i18n.text(template.summary)}</p>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let step_list = move || {
        let all = steps();
        let last = all.len().saturating_sub(1);
        all.into_iter()
            .enumerate()
            .map(|(index, step)| {
                let id = step.id;
                let is_current = current() == Some(id);
                let title = step.title.clone();
                let label = move |key: Key| i18n.fill(key, &[("step", title.clone())]);
                let minutes = step.timebox_secs.map(|s| i18n.fill(Key::StepMinutes, &[("minutes", (s / 60).to_string())]));
                let for_edit = step.clone();
                // A warning, not a block: the facilitator may mean to cut the round short.
                let too_short = read(live, None, |s| ordet_shared::turns::clock_too_short(s, id))
                    .map(|(needed, timebox)| {
                        i18n.fill(Key::ClockTooShort, &[
                            ("timebox", (timebox / 60).to_string()),
                            ("needed", needed.div_ceil(60).to_string()),
                        ])
                    });
                view! {
                    <li class="step-item" class:current=is_current aria-current=is_current.then_some("step")>
                        <div class="step-summary">
                            <span class="step-index">{index + 1}". "</span>
                            <strong>{step.title.clone()}</strong>
                            <span class="step-meta">
                                {i18n.t(step.kind.key())}
                                {minutes.map(|m| format!(" · {m}"))}
                                {step.turns.map(|t| format!(" · {}", i18n.fill(Key::TurnSummary, &[("minutes", minutes_text(t.speaker_secs, i18n.lang()))])))}
                                {step.notes_open.then_some(" · ✎")}
                            </span>
                            {is_current.then(|| view! { <span class="badge">{i18n.t(Key::RunningNow)}</span> })}
                        </div>
                        {too_short.map(|text| view! { <p class="step-warning"><span aria-hidden="true">"⚠ "</span>{text}</p> })}
                        <div class="step-actions">
                            <button type="button" class="secondary small" aria-label=label(Key::StartThisStep)
                                on:click=move |_| { live.send(Command::StartStep { step: id }); }>
                                <span aria-hidden="true">"▶"</span>
                            </button>
                            <button type="button" class="secondary small" aria-label=label(Key::MoveStepUp) disabled=index == 0
                                on:click=move |_| { live.send(Command::MoveStep { step: id, index: index.saturating_sub(1) }); }>
                                <span aria-hidden="true">"↑"</span>
                            </button>
                            <button type="button" class="secondary small" aria-label=label(Key::MoveStepDown) disabled=index == last
                                on:click=move |_| { live.send(Command::MoveStep { step: id, index: index + 1 }); }>
                                <span aria-hidden="true">"↓"</span>
                            </button>
                            <button type="button" class="secondary small" aria-label=label(Key::EditThisStep)
                                on:click=move |_| editing.set(Some(for_edit.clone()))>
                                <span aria-hidden="true">"✎"</span>
                            </button>
                            <button type="button" class="secondary small" aria-label=label(Key::RemoveThisStep)
                                on:click=move |_| { live.send(Command::RemoveStep { step: id }); }>
                                <span aria-hidden="true">"✕"</span>
                            </button>
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card programme-panel" aria-labelledby="programme-heading">
            <h2 id="programme-heading">{i18n.text(Key::ProgrammeHeading)}</h2>
            <Show when=move || steps().is_empty()>
                <p>{i18n.text(Key::NoStepsYet)}</p>
            </Show>
            <ul class="templates">{templates}</ul>
            <ol class="step-list">{step_list}</ol>
            <StepForm live=live editing=editing/>
        </section>
    }
}

/// Adds a step, or edits the one in `editing`.
#[component]
fn StepForm(live: Live, editing: RwSignal<Option<Step>>) -> impl IntoView {
    let i18n = I18n::get();
    let title = RwSignal::new(String::new());
    let kind = RwSignal::new(StepKind::GroupRound);
    let questions = RwSignal::new(String::new());
    let minutes = RwSignal::new(String::from("15"));
    let notes_open = RwSignal::new(true);
    let per_group = RwSignal::new(false);
    let turns = RwSignal::new(TurnSettings::default_for(StepKind::GroupRound));
    // A new step of another kind takes that kind's round settings (none, or reports').
    let choose_kind = move |k: StepKind| {
        if kind.get_untracked() != k {
            turns.set(TurnSettings::default_for(k));
        }
        kind.set(k);
    };
    Effect::new(move |_| {
        if let Some(step) = editing.get() {
            title.set(step.title.clone());
            kind.set(step.kind);
            questions.set(step.questions.join("\n"));
            minutes.set(step.timebox_secs.map_or(0, |s| s / 60).to_string());
            notes_open.set(step.notes_open);
            per_group.set(step.per_group);
            turns.set(step.turns);
        }
    });
    let reset = move || {
        editing.set(None);
        title.set(String::new());
        questions.set(String::new());
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let minutes = minutes.get_untracked().trim().parse::<u32>().unwrap_or(0);
        let step = Step {
            id: editing
                .get_untracked()
                .map_or_else(StepId::random, |s| s.id),
            kind: kind.get_untracked(),
            title: title.get_untracked(),
            questions: questions
                .get_untracked()
                .lines()
                .map(str::to_string)
                .collect(),
            timebox_secs: Some(minutes.saturating_mul(60)),
            notes_open: notes_open.get_untracked(),
            per_group: per_group.get_untracked(),
            turns: turns.get_untracked(),
        };
        match ordet_shared::command::clean_step(&step) {
            Err(problem) => live.problem.set(Some(problem)),
            Ok(step) => {
                live.send(if editing.get_untracked().is_some() {
                    Command::EditStep { step }
                } else {
                    Command::AddStep { step, index: None }
                });
                reset();
            }
        }
    };
    let kinds = KINDS
        .iter()
        .map(|k| {
            let k = *k;
            view! { <option value=kind_code(k) selected=move || kind.get() == k>{move || i18n.t(k.key())}</option> }
        })
        .collect_view();
    view! {
        <form class="step-form" on:submit=submit novalidate>
            <h3>{move || if editing.get().is_some() { i18n.t(Key::EditStepHeading) } else { i18n.t(Key::AddStepHeading) }}</h3>
            <label for="step-title">{i18n.text(Key::StepTitleLabel)}</label>
            <input id="step-title" type="text" maxlength=STEP_TITLE_MAX_CHARS.to_string()
                prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
            <label for="step-kind">{i18n.text(Key::StepKindLabel)}</label>
            <select id="step-kind" prop:value=move || kind_code(kind.get())
                on:change=move |ev| {
                    let code = event_target_value(&ev);
                    if let Some(k) = KINDS.iter().find(|k| kind_code(**k) == code) {
                        choose_kind(*k);
                    }
                }>
                {kinds}
            </select>
            <label for="step-questions">{i18n.text(Key::QuestionsLabel)}</label>
            <textarea id="step-questions" rows="3" maxlength=(QUESTION_MAX_CHARS * 4).to_string()
                prop:value=move || questions.get() on:input=move |ev| questions.set(event_target_value(&ev))></textarea>
            <label for="step-minutes">{i18n.text(Key::TimeboxLabel)}</label>
            <input id="step-minutes" type="number" min="0" max="240" inputmode="numeric"
                prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev)) />
            <div class="choice">
                <input id="step-notes" type="checkbox" prop:checked=move || notes_open.get()
                    on:change=move |ev| notes_open.set(event_target_checked(&ev)) />
                <label for="step-notes">{i18n.text(Key::NotesOpenLabel)}</label>
            </div>
            <div class="choice">
                <input id="step-per-group" type="checkbox" prop:checked=move || per_group.get()
                    on:change=move |ev| per_group.set(event_target_checked(&ev)) />
                <label for="step-per-group">{i18n.text(Key::PerGroupLabel)}</label>
            </div>
            <TurnSettingsFields turns=turns kind=kind/>
            <div class="button-row">
                <button type="submit" class="primary-inline">{i18n.text(Key::SaveStep)}</button>
                <Show when=move || editing.get().is_some()>
                    <button type="button" class="secondary" on:click=move |_| reset()>{i18n.text(Key::CancelEdit)}</button>
                </Show>
            </div>
        </form>
    }
}

fn order_code(order: TurnOrder) -> &'static str {
    match order {
        TurnOrder::Random => "random",
        TurnOrder::JoinOrder => "join_order",
        TurnOrder::YouthFirst => "youth_first",
        TurnOrder::NewStarter => "new_starter",
    }
}

fn order_key(order: TurnOrder) -> Key {
    match order {
        TurnOrder::Random => Key::TurnOrderRandom,
        TurnOrder::JoinOrder => Key::TurnOrderJoin,
        TurnOrder::YouthFirst => Key::TurnOrderYouth,
        TurnOrder::NewStarter => Key::TurnOrderNewStarter,
    }
}

/// A step's talking-round settings: on or off, minutes per speaker (halves allowed, so 2.5
/// for plenary reporters), who starts, moving on by itself, and the open discussion after.
#[component]
fn TurnSettingsFields(
    turns: RwSignal<Option<TurnSettings>>,
    kind: RwSignal<StepKind>,
) -> impl IntoView {
    let i18n = I18n::get();
    let on = move || turns.with(Option::is_some);
    let update = move |change: &dyn Fn(&mut TurnSettings)| {
        turns.update(|t| {
            if let Some(t) = t {
                change(t);
            }
        })
    };
    let minutes = move |secs: u32| minutes_text(secs, i18n.lang());
    let parse_secs = |text: String| {
        text.trim()
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|m| m.is_finite() && *m >= 0.0)
            .map(|m| (m * 60.0).round().min(f64::from(u32::MAX)) as u32)
    };
    let orders = move || {
        TurnOrder::ALL
        .iter()
        .map(|o| {
            let o = *o;
            view! {
                <option value=order_code(o) selected=move || turns.with(|t| t.is_some_and(|t| t.order == o))>
                    {move || i18n.t(order_key(o))}
                </option>
            }
        })
        .collect_view()
    };
    view! {
        <fieldset class="turn-settings">
            <legend>{i18n.text(Key::TurnsHeading)}</legend>
            <div class="choice">
                <input id="step-turns" type="checkbox" prop:checked=on
                    on:change=move |ev| {
                        let wanted = event_target_checked(&ev);
                        turns.set(wanted.then(|| {
                            TurnSettings::default_for(kind.get_untracked())
                                .or(TurnSettings::default_for(StepKind::GroupRound))
                                .expect("group rounds have settings")
                        }));
                    } />
                <label for="step-turns">{i18n.text(Key::TurnsUse)}</label>
            </div>
            <Show when=on>
                <label for="turn-minutes">{i18n.text(Key::TurnSpeakerMinutes)}</label>
                <input id="turn-minutes" type="number" min="0.5" max="30" step="0.5" inputmode="decimal"
                    prop:value=move || turns.with(|t| t.map(|t| minutes(t.speaker_secs)).unwrap_or_default())
                    on:change=move |ev| {
                        if let Some(secs) = parse_secs(event_target_value(&ev)) {
                            update(&|t| t.speaker_secs = secs);
                        }
                    } />
                <label for="turn-order">{i18n.text(Key::TurnOrderLabel)}</label>
                <select id="turn-order" on:change=move |ev| {
                    let code = event_target_value(&ev);
                    if let Some(o) = TurnOrder::ALL.iter().find(|o| order_code(**o) == code) {
                        update(&|t| t.order = *o);
                    }
                }>{orders}</select>
                <div class="choice">
                    <input id="turn-auto" type="checkbox" prop:checked=move || turns.with(|t| t.is_some_and(|t| t.auto_advance))
                        on:change=move |ev| {
                            let auto = event_target_checked(&ev);
                            update(&|t| t.auto_advance = auto);
                        } />
                    <label for="turn-auto">{i18n.text(Key::TurnAutoAdvance)}</label>
                </div>
                <label for="turn-discussion">{i18n.text(Key::TurnDiscussionMinutes)}</label>
                <input id="turn-discussion" type="number" min="0" max="60" step="1" inputmode="numeric"
                    prop:value=move || turns.with(|t| t.map(|t| minutes(t.discussion_secs)).unwrap_or_default())
                    on:change=move |ev| {
                        if let Some(secs) = parse_secs(event_target_value(&ev)) {
                            update(&|t| t.discussion_secs = secs);
                        }
                    } />
            </Show>
        </fieldset>
    }
}

/// The running step's groups: settings, forming, and every group with its members and jobs.
#[component]
pub fn GroupsPanel(
    /// The conference.
    live: Live,
) -> impl IntoView {
    let i18n = I18n::get();
    let current = move || read(live, None, |s| s.programme.current);
    let size = move || read(live, 5, |s| s.programme.group_size);
    let youth = move || read(live, true, |s| s.programme.prefer_youth_leader);
    let form = move |mode: GroupingMode| {
        if let Some(step) = current() {
            live.send(Command::FormGroups { step, mode });
        }
    };
    let reusable = move || {
        read(live, Vec::new(), |s| {
            let current = s.programme.current;
            s.programme
                .steps
                .iter()
                .filter(|step| {
                    Some(step.id) != current && s.programme.groups.contains_key(&step.id)
                })
                .map(|step| (step.id, step.title.clone()))
                .collect::<Vec<_>>()
        })
    };
    let groups = move || {
        live.state.with(|state| {
            let state = state.as_ref()?;
            let step = state.programme.current?;
            let groups = state.programme.groups.get(&step)?.clone();
            let lang = i18n.lang();
            let all: Vec<_> = groups.iter().map(|g| (g.id, group_label(i18n, g))).collect();
            let people = PersonLabels::new(state, lang);
            Some(
                groups
                    .iter()
                    .map(|group| {
                        let members = group
                            .members
                            .iter()
                            .map(|member| {
                                let name = people.get(*member, lang);
                                let described = people.with_role(*member, lang);
                                let mut jobs = Vec::new();
                                if group.leader == Some(*member) {
                                    jobs.push(i18n.t(Key::JobLeader));
                                }
                                if group.note_taker == Some(*member) {
                                    jobs.push(i18n.t(Key::JobNoteTaker));
                                }
                                if group.reporter == Some(*member) {
                                    jobs.push(i18n.t(Key::JobReporter));
                                }
                                let member = *member;
                                let options = all
                                    .iter()
                                    .map(|(id, label)| view! { <option value=id.to_string() selected=*id == group.id>{label.clone()}</option> })
                                    .collect_view();
                                let move_label = i18n.fill(Key::MoveMemberTo, &[("name", name.clone())]);
                                view! {
                                    <li>
                                        <span dir="auto">{described}</span>
                                        {(!jobs.is_empty()).then(|| view! { <span class="badge">{jobs.join(", ")}</span> })}
                                        <select class="move-member" aria-label=move_label on:change=move |ev| {
                                            if let (Some(step), Ok(to)) = (current(), event_target_value(&ev).parse()) {
                                                live.send(Command::MoveMember { step, participant: member, to });
                                            }
                                        }>{options}</select>
                                    </li>
                                }
                            })
                            .collect_view();
                        let group_id = group.id;
                        let label = group_label(i18n, group);
                        let rename_label = i18n.fill(Key::RenameGroupButton, &[("group", label.clone())]);
                        let current_name = group.name.clone().unwrap_or_default();
                        let rename = move |_| {
                            let prompt = i18n.t(Key::GroupNamePrompt);
                            if let (Some(step), Ok(Some(name))) =
                                (current(), window().prompt_with_message_and_default(&prompt, &current_name))
                            {
                                let name = Some(name.trim().to_string()).filter(|n| !n.is_empty());
                                live.send(Command::RenameGroup { step, group: group_id, name });
                            }
                        };
                        let jobs = [group.leader, group.note_taker, group.reporter];
                        let job_selects = [Key::JobLeader, Key::JobNoteTaker, Key::JobReporter]
                            .into_iter()
                            .enumerate()
                            .map(|(slot, key)| {
                                let select_id = format!("job-{slot}-{group_id}");
                                let options = std::iter::once((None, i18n.t(Key::Nobody)))
                                    .chain(group.members.iter().map(|m| (Some(*m), people.get(*m, lang))))
                                    .map(|(who, name)| {
                                        let value = who.map(|w| w.to_string()).unwrap_or_default();
                                        view! { <option value=value selected=who == jobs[slot]>{name}</option> }
                                    })
                                    .collect_view();
                                view! {
                                    <label for=select_id.clone()>{i18n.t(key)}</label>
                                    <select id=select_id on:change=move |ev| {
                                        let chosen = event_target_value(&ev).parse().ok();
                                        // The jobs as they are now, not as they were drawn.
                                        let mut jobs = live.state.with_untracked(|s| {
                                            s.as_ref()
                                                .and_then(|s| s.programme.groups.values().flatten().find(|g| g.id == group_id))
                                                .map_or(jobs, |g| [g.leader, g.note_taker, g.reporter])
                                        });
                                        jobs[slot] = chosen;
                                        if let Some(step) = current() {
                                            live.send(Command::SetGroupJobs {
                                                step,
                                                group: group_id,
                                                leader: jobs[0],
                                                note_taker: jobs[1],
                                                reporter: jobs[2],
                                            });
                                        }
                                    }>{options}</select>
                                }
                            })
                            .collect_view();
                        view! {
                            <li class="group-card">
                                <div class="group-card-head">
                                    <h3>{label}</h3>
                                    <button type="button" class="secondary small" aria-label=rename_label on:click=rename>
                                        <span aria-hidden="true">"✎"</span>
                                    </button>
                                </div>
                                <ul class="members">{members}</ul>
                                <div class="jobs">{job_selects}</div>
                            </li>
                        }
                    })
                    .collect_view(),
            )
        })
    };
    let sizes = (2u8..=8)
        .map(|n| view! { <option value=n.to_string() selected=move || size() == n>{n}</option> })
        .collect_view();
    view! {
        <Show when=move || current().is_some()>
            <section class="card groups-panel" aria-labelledby="groups-heading">
                <h2 id="groups-heading">{i18n.text(Key::GroupsHeading)}</h2>
                <div class="inline-row">
                    <label for="group-size">{i18n.text(Key::GroupSizeLabel)}</label>
                    <select id="group-size" prop:value=move || size().to_string() on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse() {
                            live.send(Command::SetGroupSettings { size: n, prefer_youth_leader: youth() });
                        }
                    }>{sizes.clone()}</select>
                </div>
                <div class="choice">
                    <input id="prefer-youth" type="checkbox" prop:checked=youth on:change=move |ev| {
                        live.send(Command::SetGroupSettings { size: size(), prefer_youth_leader: event_target_checked(&ev) });
                    } />
                    <label for="prefer-youth">{i18n.text(Key::PreferYouthLeader)}</label>
                </div>
                <div class="button-row">
                    <button type="button" class="secondary" on:click=move |_| form(GroupingMode::Homogeneous)>{i18n.text(Key::FormHomogeneous)}</button>
                    <button type="button" class="secondary" on:click=move |_| form(GroupingMode::Mixed)>{i18n.text(Key::FormMixed)}</button>
                    {move || reusable().into_iter().map(|(from, title)| view! {
                        <button type="button" class="secondary" on:click=move |_| form(GroupingMode::Reuse { from })>
                            {i18n.fill(Key::ReuseGroups, &[("step", title.clone())])}
                        </button>
                    }).collect_view()}
                </div>
                {move || match groups() {
                    Some(groups) => view! { <ul class="group-grid">{groups}</ul> }.into_any(),
                    None => view! { <p class="empty">{i18n.t(Key::NoGroupsYet)}</p> }.into_any(),
                }}
            </section>
        </Show>
    }
}
