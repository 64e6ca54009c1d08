//! Dot voting (*prioritering*): each person gets a budget of dots to put on themes or notes,
//! at most a few on one, and may move them until voting closes.
//!
//! Ballots are secret. A ballot travels to the server in a command and is stored in the log,
//! but what screens receive carries neither the voter nor the dots; they see only how many
//! have voted and, once voting has closed, the totals. The facilitator's console is a screen
//! like the others here: it gets what running the meeting needs, never a ballot.
//!
//! **When totals are published.** Only when voting is closed, and, with results hidden,
//! revealed — never while ballots are still taken. Totals published after each ballot
//! could be differenced: the change between two consecutive totals is the ballot that came
//! in between, and the count of voters says when one came. While a vote is open, every
//! screen sees only how many have voted (which changes by one per ballot: it tells that
//! someone voted, not how). The facilitator may reveal while voting is open; that takes
//! effect when voting closes. So every published total is one sum over all the ballots,
//! published once, and each ballot is hidden among everyone who voted.
//!
//! **By role.** A breakdown by role names only roles with at least
//! [`MIN_GROUP_FOR_BREAKDOWN`] voters. The voters of the roles not named form a remainder
//! whose dots are the total minus the named roles' dots; when that remainder has one or two
//! people, the smallest named role joins it (repeatedly, until the remainder is empty or
//! has at least three), so no subtraction singles out one or two people. When fewer than
//! three have voted in all, no role is named: the totals come without a breakdown.
//!
//! **Removing a voter.** While voting is open, their ballot is dropped and the count of
//! voters goes down by one; no totals are out yet. After close the published totals are
//! kept as they are: re-tallying without the removed person's ballot would publish the
//! difference — exactly their ballot — next to the removal, which names them. Their ballot
//! is still deleted; if results were hidden and are revealed later, the reveal tallies the
//! remaining ballots (nobody has seen a total before, so there is nothing to subtract).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::command::Actor;
use crate::event::Event;
use crate::ids::{ParticipantId, RoleId};
use crate::notes::Place;
use crate::protocol::ErrorCode;
use crate::state::State;

/// The fewest voters a role must have before the results show that role's dots separately.
pub const MIN_GROUP_FOR_BREAKDOWN: u32 = 3;
/// Most dots per person.
pub const MAX_BUDGET: u8 = 50;
/// Most items one vote may cover.
pub const MAX_ITEMS: usize = 300;

/// What people vote on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteOn {
    /// The themes.
    Themes,
    /// The visible notes of the running step (or every visible note).
    Notes,
}

/// How a vote is run, as the facilitator sets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VotingSetup {
    /// Themes or notes.
    pub on: VoteOn,
    /// Dots per person; `0` means about one per three options.
    pub budget: u8,
    /// Most dots on one item.
    pub per_item_max: u8,
    /// Whether totals stay hidden until the facilitator reveals them.
    pub hide_results: bool,
}

/// The default budget for `options` options: about one dot per three, at least one.
pub fn default_budget(options: usize) -> u8 {
    options.div_ceil(3).clamp(1, usize::from(MAX_BUDGET)) as u8
}

/// Dots on one item in one ballot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    /// A theme or note identifier.
    pub item: Uuid,
    /// How many dots.
    pub dots: u8,
}

/// One item's total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    /// The theme or note.
    pub item: Uuid,
    /// Its dots.
    pub dots: u32,
    /// Its dots by role, only for the roles named by the rule in the module documentation
    /// (at least [`MIN_GROUP_FOR_BREAKDOWN`] voters each, and the rest none or at least as
    /// many).
    pub by_role: Vec<(RoleId, u32)>,
}

/// A vote in progress or finished.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voting {
    /// How it runs, with the budget settled.
    pub setup: VotingSetup,
    /// The options, fixed when voting opened.
    pub items: Vec<Uuid>,
    /// Whether ballots are still taken.
    pub open: bool,
    /// Whether the facilitator has revealed the results.
    pub revealed: bool,
    /// How many people have voted.
    pub voters: u32,
    /// The totals, once voting has closed and they may be shown; most dots first.
    pub results: Option<Vec<ItemResult>>,
}

impl Voting {
    /// Whether totals may be shown now: voting has closed and, with results hidden, the
    /// facilitator has revealed them. Never while ballots are still taken (see the module
    /// documentation for why).
    pub fn results_visible(&self) -> bool {
        !self.open && (self.revealed || !self.setup.hide_results)
    }
}

/// The totals of `ballots`, most dots first (ties in the items' order), with dots by role for
/// the roles [`named_roles`] gives.
pub fn tally(
    state: &State,
    items: &[Uuid],
    ballots: &BTreeMap<ParticipantId, Vec<Vote>>,
) -> Vec<ItemResult> {
    let role_of = |p: &ParticipantId| state.participants.get(p).map(|p| p.role);
    let named = named_roles(state, ballots);
    let mut results: Vec<ItemResult> = items
        .iter()
        .map(|item| {
            let mut by_role: BTreeMap<RoleId, u32> = BTreeMap::new();
            let mut dots = 0;
            for (voter, ballot) in ballots {
                let on_item: u32 = ballot
                    .iter()
                    .filter(|v| v.item == *item)
                    .map(|v| u32::from(v.dots))
                    .sum();
                dots += on_item;
                if let Some(role) = role_of(voter) {
                    *by_role.entry(role).or_default() += on_item;
                }
            }
            let by_role = named
                .iter()
                .map(|role| (*role, by_role.get(role).copied().unwrap_or(0)))
                .collect();
            ItemResult {
                item: *item,
                dots,
                by_role,
            }
        })
        .collect();
    results.sort_by_key(|r| std::cmp::Reverse(r.dots));
    results
}

/// The roles whose dots the results show separately, in the conference's order: each with
/// at least [`MIN_GROUP_FOR_BREAKDOWN`] voters, and so that the voters left unnamed (whose
/// dots anyone can work out as the total minus the named roles) are none or at least
/// [`MIN_GROUP_FOR_BREAKDOWN`] too. While they would be one or two, the named role with the
/// fewest voters (the later one on a tie) joins them.
pub fn named_roles(state: &State, ballots: &BTreeMap<ParticipantId, Vec<Vote>>) -> Vec<RoleId> {
    let mut voters_by_role: BTreeMap<RoleId, u32> = BTreeMap::new();
    for voter in ballots.keys() {
        if let Some(p) = state.participants.get(voter) {
            *voters_by_role.entry(p.role).or_default() += 1;
        }
    }
    let mut named: Vec<(RoleId, u32)> = state
        .roles
        .iter()
        .map(|r| (r.id, voters_by_role.get(&r.id).copied().unwrap_or(0)))
        .filter(|(_, voters)| *voters >= MIN_GROUP_FOR_BREAKDOWN)
        .collect();
    let everyone = ballots.len() as u32;
    loop {
        let rest = everyone - named.iter().map(|(_, n)| n).sum::<u32>();
        if rest == 0 || rest >= MIN_GROUP_FOR_BREAKDOWN {
            break;
        }
        let Some(smallest) = named
            .iter()
            .enumerate()
            .min_by_key(|(i, (_, voters))| (*voters, std::cmp::Reverse(*i)))
            .map(|(i, _)| i)
        else {
            break;
        };
        named.remove(smallest);
    }
    named.into_iter().map(|(role, _)| role).collect()
}

/// Ranks for scores sorted most dots first, where near-ties are ties: an item within a
/// tenth of the top score (rounded down) of the item that opened its rank shares that rank,
/// so equal scores always tie and 40 and 37 tie, but 2 and 1 do not. Ranks count like a
/// sports table (1, 1, 3).
pub fn ranks(dots: impl IntoIterator<Item = u32>) -> Vec<usize> {
    let mut ranks: Vec<usize> = Vec::new();
    let mut margin = 0;
    let mut opener = None::<u32>;
    for (i, score) in dots.into_iter().enumerate() {
        match opener {
            Some(opened) if i > 0 && opened - score <= margin => ranks.push(ranks[i - 1]),
            _ => {
                if i == 0 {
                    margin = score / 10;
                }
                opener = Some(score);
                ranks.push(i + 1);
            }
        }
    }
    ranks
}

/// The options a vote on `on` offers now.
fn options(state: &State, on: VoteOn) -> Vec<Uuid> {
    match on {
        VoteOn::Themes => state.themes.iter().map(|t| t.id.0).collect(),
        VoteOn::Notes => {
            let step = state.programme.current;
            state
                .notes_in_order()
                .into_iter()
                .filter(|n| n.place.is_visible())
                .filter(|n| step.is_none() || n.step == step)
                .map(|n| n.id.0)
                .collect()
        }
    }
}

/// The voting's public state with `ballots`: while open, the count of voters and no totals;
/// once closed, the count as it stood at close and, when [`Voting::results_visible`], the
/// totals.
pub(crate) fn published(
    state: &State,
    voting: &Voting,
    ballots: &BTreeMap<ParticipantId, Vec<Vote>>,
) -> Voting {
    let mut next = voting.clone();
    if next.open {
        next.voters = ballots.len() as u32;
    }
    next.results = next
        .results_visible()
        .then(|| tally(state, &next.items, ballots));
    next
}

/// Opening, casting, closing and revealing a vote. `None` for other commands.
pub fn decide_voting(
    state: &State,
    actor: Actor,
    command: &crate::Command,
) -> Option<Result<Vec<Event>, ErrorCode>> {
    use crate::Command;
    let facilitator = || match actor {
        Actor::Facilitator => Ok(()),
        _ => Err(ErrorCode::NotAllowed),
    };
    let decided = match command {
        Command::OpenVoting { setup } => (|| {
            facilitator()?;
            let items = options(state, setup.on);
            if items.is_empty() {
                return Err(ErrorCode::NothingToVoteOn);
            }
            if items.len() > MAX_ITEMS || setup.budget > MAX_BUDGET || setup.per_item_max == 0 {
                return Err(ErrorCode::VoteSetupInvalid);
            }
            let budget = match setup.budget {
                0 => default_budget(items.len()),
                b => b,
            };
            let voting = Voting {
                setup: VotingSetup { budget, ..*setup },
                items,
                open: true,
                revealed: false,
                voters: 0,
                results: None,
            };
            let empty = BTreeMap::new();
            // A new vote starts with no ballots: the old ones are cleared.
            let mut events: Vec<Event> = state
                .private
                .ballots
                .keys()
                .map(|voter| Event::BallotCast {
                    voter: Some(*voter),
                    votes: vec![],
                })
                .collect();
            events.push(Event::VotingChanged {
                voting: Some(published(state, &voting, &empty)),
            });
            Ok(events)
        })(),
        Command::CastVotes { votes } => (|| {
            let Actor::Participant { id } = actor else {
                return Err(ErrorCode::NotAllowed);
            };
            if !state.participants.contains_key(&id) {
                return Err(ErrorCode::JoinFirst);
            }
            let voting = state.voting.as_ref().ok_or(ErrorCode::NoVoting)?;
            if !voting.open {
                return Err(ErrorCode::VotingClosed);
            }
            let mut ballot: BTreeMap<Uuid, u32> = BTreeMap::new();
            for vote in votes {
                if !voting.items.contains(&vote.item) {
                    return Err(ErrorCode::UnknownItem);
                }
                *ballot.entry(vote.item).or_default() += u32::from(vote.dots);
            }
            if ballot
                .values()
                .any(|d| *d > u32::from(voting.setup.per_item_max))
            {
                return Err(ErrorCode::VoteOverMax);
            }
            if ballot.values().sum::<u32>() > u32::from(voting.setup.budget) {
                return Err(ErrorCode::VoteOverBudget);
            }
            let ballot: Vec<Vote> = ballot
                .into_iter()
                .filter(|(_, d)| *d > 0)
                .map(|(item, dots)| Vote {
                    item,
                    dots: dots as u8,
                })
                .collect();
            if state
                .private
                .ballots
                .get(&id)
                .map_or(ballot.is_empty(), |b| *b == ballot)
            {
                return Ok(vec![]);
            }
            let mut ballots = state.private.ballots.clone();
            if ballot.is_empty() {
                ballots.remove(&id);
            } else {
                ballots.insert(id, ballot.clone());
            }
            Ok(vec![
                Event::BallotCast {
                    voter: Some(id),
                    votes: ballot,
                },
                Event::VotingChanged {
                    voting: Some(published(state, voting, &ballots)),
                },
            ])
        })(),
        Command::CloseVoting => (|| {
            facilitator()?;
            let voting = state.voting.as_ref().ok_or(ErrorCode::NoVoting)?;
            if !voting.open {
                return Ok(vec![]);
            }
            let closed = Voting {
                open: false,
                ..voting.clone()
            };
            Ok(vec![Event::VotingChanged {
                voting: Some(published(state, &closed, &state.private.ballots)),
            }])
        })(),
        Command::RevealResults => (|| {
            facilitator()?;
            let voting = state.voting.as_ref().ok_or(ErrorCode::NoVoting)?;
            if voting.revealed {
                return Ok(vec![]);
            }
            // Revealing while voting is open is allowed; the totals follow at close.
            let revealed = Voting {
                revealed: true,
                ..voting.clone()
            };
            Ok(vec![Event::VotingChanged {
                voting: Some(published(state, &revealed, &state.private.ballots)),
            }])
        })(),
        _ => return None,
    };
    Some(decided)
}

/// Whether a vote's option still exists: a theme not deleted, or a note still on the wall.
/// Options that are gone are neither offered nor shown in the results.
pub fn item_is_live(state: &State, item: Uuid) -> bool {
    state.themes.iter().any(|t| t.id.0 == item)
        || state
            .notes
            .get(&crate::NoteId(item))
            .is_some_and(|n| matches!(n.place, Place::Wall { .. }))
}
