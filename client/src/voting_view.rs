//! Dot voting on screens: the phone's ballot (dots left, − and + per option, saved on the
//! phone and sent whole after every change, so moving a dot is one tap and nothing is lost
//! offline) and the facilitator's controls (what to vote on, budget, limits, hidden results,
//! open, close, reveal). Results appear only once voting has closed, so nobody — not even
//! the facilitator — can work out a ballot from totals changing as ballots come in; the
//! texts here say so where people wait for them.

use leptos::prelude::*;
use ordet_shared::voting::{Vote, VoteOn, Voting, VotingSetup};
use ordet_shared::{Command, ConferenceId, Key};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::i18n::I18n;
use crate::live::Live;
use crate::notes_view::{dots_text, item_label, results_view};

/// This phone's ballot for one vote (the vote is known by its options).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct MyBallot {
    items: Vec<Uuid>,
    dots: Vec<(Uuid, u8)>,
}

impl MyBallot {
    fn on(&self, item: Uuid) -> u8 {
        self.dots
            .iter()
            .find(|(i, _)| *i == item)
            .map_or(0, |(_, d)| *d)
    }

    fn used(&self) -> u32 {
        self.dots.iter().map(|(_, d)| u32::from(*d)).sum()
    }

    fn set(&mut self, item: Uuid, dots: u8) {
        self.dots.retain(|(i, _)| *i != item);
        if dots > 0 {
            self.dots.push((item, dots));
        }
    }
}

fn ballot_key(conference: ConferenceId) -> String {
    format!("ordet.ballot.{conference}")
}

/// The phone's ballot while a vote is open, then the results when they are shown.
#[component]
pub fn Ballot(
    /// The conference.
    live: Live,
    /// Which conference (to keep the ballot on this phone).
    conference: ConferenceId,
) -> impl IntoView {
    let i18n = I18n::get();
    let mine = RwSignal::new(
        crate::storage::load::<MyBallot>(&ballot_key(conference)).unwrap_or_default(),
    );
    let voting = Memo::new(move |_| {
        live.state
            .with(|s| s.as_ref().and_then(|s| s.voting.clone()))
    });
    // A new vote (other options) starts with a fresh ballot.
    Effect::new(move |_| {
        if let Some(v) = voting.get()
            && mine.with_untracked(|m| m.items != v.items)
        {
            mine.set(MyBallot {
                items: v.items.clone(),
                dots: vec![],
            });
        }
    });
    let change = move |item: Uuid, dots: u8| {
        mine.update(|m| m.set(item, dots));
        mine.with_untracked(|m| {
            crate::storage::save(&ballot_key(conference), m);
            live.send(Command::CastVotes {
                votes: m
                    .dots
                    .iter()
                    .map(|(item, dots)| Vote {
                        item: *item,
                        dots: *dots,
                    })
                    .collect(),
            });
        });
    };
    move || {
        let voting: Voting = voting.get()?;
        let budget = u32::from(voting.setup.budget);
        let max = voting.setup.per_item_max;
        let waiting = live.queued(|c| matches!(c, Command::CastVotes { .. }));
        let options = live.state.with(|s| {
            let s = s.as_ref()?;
            Some(
                voting
                    .items
                    .iter()
                    .filter(|item| ordet_shared::voting::item_is_live(s, **item))
                    .map(|item| (*item, item_label(s, *item)))
                    .collect::<Vec<_>>(),
            )
        })?;
        let left = budget.saturating_sub(mine.with(MyBallot::used));
        let rows = options
            .into_iter()
            .map(|(item, label)| {
                let dots = mine.with(|m| m.on(item));
                let add = i18n.fill(Key::AddDot, &[("item", label.clone())]);
                let remove = i18n.fill(Key::RemoveDot, &[("item", label.clone())]);
                let open = voting.open;
                let can_add = open && dots < max && left > 0;
                let can_remove = open && dots > 0;
                view! {
                    <li class="ballot-item">
                        <span class="ballot-label">{label}</span>
                        <span class="ballot-dots" aria-hidden="true">{"●".repeat(usize::from(dots))}</span>
                        <span class="visually-hidden">{dots_text(i18n, u32::from(dots))}</span>
                        <span class="ballot-tools">
                            <button type="button" class="secondary small" aria-label=remove disabled=!can_remove
                                on:click=move |_| change(item, dots.saturating_sub(1))>"−"</button>
                            <button type="button" class="secondary small" aria-label=add disabled=!can_add
                                on:click=move |_| change(item, dots + 1)>"+"</button>
                        </span>
                    </li>
                }
            })
            .collect_view();
        let results = live.state.with(|s| {
            s.as_ref()
                .map(|s| results_view(s, i18n, i18n.lang()).into_any())
        });
        Some(view! {
            <section class="card ballot" aria-labelledby="ballot-heading">
                <h2 id="ballot-heading">{i18n.t(Key::VotingHeading)}</h2>
                {if voting.open {
                    view! {
                        <p class="dots-left" aria-live="polite">{i18n.fill(Key::DotsLeft, &[("left", left.to_string()), ("budget", budget.to_string())])}</p>
                        <p class="hint results-at-close">{i18n.t(Key::ResultsAtClose)}</p>
                    }.into_any()
                } else {
                    view! { <p class="hint">{i18n.t(Key::ErrorVotingClosed)}</p> }.into_any()
                }}
                <ul class="ballot-items">{rows}</ul>
                <p class="note-status">{if waiting { format!("○ {}", i18n.t(Key::VoteWaiting)) } else if mine.with(|m| !m.dots.is_empty()) { format!("✓ {}", i18n.t(Key::VoteSaved)) } else { String::new() }}</p>
                {voting.results.is_some().then_some(results)}
            </section>
        })
    }
}

/// The facilitator's voting controls, the live count of voters and, after close, the results.
#[component]
pub fn VotingPanel(
    /// The conference.
    live: Live,
) -> impl IntoView {
    let i18n = I18n::get();
    let on = RwSignal::new(VoteOn::Themes);
    let budget = RwSignal::new(String::from("0"));
    let max = RwSignal::new(String::from("2"));
    let hide = RwSignal::new(true);
    let voting = Memo::new(move |_| {
        live.state
            .with(|s| s.as_ref().and_then(|s| s.voting.clone()))
    });
    let open = move |_| {
        live.send(Command::OpenVoting {
            setup: VotingSetup {
                on: on.get_untracked(),
                budget: budget.get_untracked().trim().parse().unwrap_or(0),
                per_item_max: max.get_untracked().trim().parse().unwrap_or(2).max(1),
                hide_results: hide.get_untracked(),
            },
        });
    };
    let choice = move |value: VoteOn, id: &'static str, key: Key| {
        view! {
            <div class="choice">
                <input type="radio" name="vote-on" id=id prop:checked=move || on.get() == value on:change=move |_| on.set(value)/>
                <label for=id>{i18n.text(key)}</label>
            </div>
        }
    };
    let status = move || {
        let v = voting.get()?;
        Some(view! {
            <p class="voters">{i18n.fill(Key::VotersCount, &[("count", v.voters.to_string())])}</p>
            <div class="button-row">
                {v.open.then(|| view! { <button type="button" class="secondary" on:click=move |_| { live.send(Command::CloseVoting); }>{i18n.t(Key::CloseVotingButton)}</button> })}
                {(!v.revealed && v.setup.hide_results).then(|| view! { <button type="button" class="secondary" on:click=move |_| { live.send(Command::RevealResults); }>{i18n.t(Key::RevealResultsButton)}</button> })}
            </div>
            {v.open.then(|| {
                let pending = !v.revealed && v.setup.hide_results;
                let key = if pending { Key::RevealAtCloseHint } else { Key::ResultsAppearAtClose };
                view! { <p class="hint results-at-close">{i18n.t(key)}</p> }
            })}
        })
    };
    let results = move || {
        live.state.with(|s| {
            s.as_ref()
                .map(|s| results_view(s, i18n, i18n.lang()).into_any())
        })
    };
    view! {
        <section class="card voting-panel" aria-labelledby="voting-heading">
            <h2 id="voting-heading">{i18n.text(Key::VotingHeading)}</h2>
            <fieldset>
                <legend class="visually-hidden">{i18n.text(Key::VotingHeading)}</legend>
                {choice(VoteOn::Themes, "vote-on-themes", Key::VoteOnThemes)}
                {choice(VoteOn::Notes, "vote-on-notes", Key::VoteOnNotes)}
            </fieldset>
            <label for="vote-budget">{i18n.text(Key::VoteBudgetLabel)}</label>
            <input id="vote-budget" type="number" min="0" max="50" inputmode="numeric"
                prop:value=move || budget.get() on:input=move |ev| budget.set(event_target_value(&ev))/>
            <label for="vote-max">{i18n.text(Key::VoteMaxLabel)}</label>
            <input id="vote-max" type="number" min="1" max="50" inputmode="numeric"
                prop:value=move || max.get() on:input=move |ev| max.set(event_target_value(&ev))/>
            <div class="choice">
                <input id="vote-hide" type="checkbox" prop:checked=move || hide.get() on:change=move |ev| hide.set(event_target_checked(&ev))/>
                <label for="vote-hide">{i18n.text(Key::VoteHideResults)}</label>
            </div>
            <p class="hint">{i18n.text(Key::VoteResultsRule)}</p>
            <button type="button" class="primary-inline" on:click=open>{i18n.text(Key::OpenVotingButton)}</button>
            {status}
            {results}
        </section>
    }
}
