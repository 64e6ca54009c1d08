//! When vote totals are published, through `decide` and `apply` as the server runs them:
//! never while ballots are taken (so consecutive totals cannot be differenced into ballots),
//! once at close; a reveal while open waits for the close; the by-role breakdown never
//! leaves one or two people to be worked out by subtraction; and removing a voter after close
//! keeps the published totals, so the removal does not publish their ballot.

mod support;

use ordet_shared::command::{Actor, Command};
use ordet_shared::state::BuiltinRole;
use ordet_shared::voting::{ItemResult, MIN_GROUP_FOR_BREAKDOWN, Vote, VoteOn, VotingSetup};
use ordet_shared::{Event, ParticipantId, RoleId, ThemeId};
use support::Room;

fn theme(room: &mut Room, name: &str) -> ThemeId {
    let theme = ThemeId::random();
    room.facilitator(Command::CreateTheme {
        theme,
        name: name.into(),
    })
    .unwrap();
    theme
}

fn open(room: &mut Room, hide_results: bool) {
    room.facilitator(Command::OpenVoting {
        setup: VotingSetup {
            on: VoteOn::Themes,
            budget: 3,
            per_item_max: 3,
            hide_results,
        },
    })
    .unwrap();
}

fn cast(room: &mut Room, voter: ParticipantId, dots: &[(ThemeId, u8)]) -> Vec<Event> {
    room.run(
        Actor::Participant { id: voter },
        Command::CastVotes {
            votes: dots
                .iter()
                .map(|(t, d)| Vote {
                    item: t.0,
                    dots: *d,
                })
                .collect(),
        },
    )
    .unwrap()
}

/// The totals any of `events` carries. These are the events as stored; every screen is sent
/// a `VotingChanged` as it is, so no totals here means no totals on any screen, the
/// facilitator's console included.
fn totals_in(events: &[Event]) -> Vec<Vec<ItemResult>> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::VotingChanged { voting: Some(v) } => v.results.clone(),
            _ => None,
        })
        .collect()
}

fn dots(results: &[ItemResult], theme: ThemeId) -> u32 {
    results.iter().find(|r| r.item == theme.0).unwrap().dots
}

#[test]
fn with_results_not_hidden_no_screen_sees_totals_until_voting_closes() {
    let mut room = Room::new();
    let voters: Vec<ParticipantId> = [BuiltinRole::Youth, BuiltinRole::Parent, BuiltinRole::Staff]
        .into_iter()
        .map(|role| room.join(role))
        .collect();
    let a = theme(&mut room, "Buss");
    let b = theme(&mut room, "Lys");
    open(&mut room, false);
    let ballots = [vec![(a, 3)], vec![(b, 2), (a, 1)], vec![(b, 1)]];
    for (n, (voter, ballot)) in voters.iter().zip(&ballots).enumerate() {
        let events = cast(&mut room, *voter, ballot);
        assert!(
            totals_in(&events).is_empty(),
            "ballot {} published totals: {events:?}",
            n + 1
        );
        let voting = room.state.voting.as_ref().unwrap();
        assert_eq!(voting.voters, n as u32 + 1, "the count of voters is shown");
        assert_eq!(voting.results, None);
    }
    // Moving dots is a new ballot: still no totals.
    let events = cast(&mut room, voters[0], &[(a, 2)]);
    assert!(totals_in(&events).is_empty());

    let events = room.facilitator(Command::CloseVoting).unwrap();
    let totals = totals_in(&events);
    assert_eq!(totals.len(), 1, "the totals, once, at close");
    assert_eq!((dots(&totals[0], a), dots(&totals[0], b)), (3, 3));
    assert_eq!(room.state.voting.as_ref().unwrap().voters, 3);
}

#[test]
fn a_reveal_while_open_takes_effect_at_close() {
    let mut room = Room::new();
    let voters: Vec<ParticipantId> = (0..3).map(|_| room.join(BuiltinRole::Youth)).collect();
    let a = theme(&mut room, "Buss");
    open(&mut room, true);
    cast(&mut room, voters[0], &[(a, 1)]);
    let events = room.facilitator(Command::RevealResults).unwrap();
    assert!(totals_in(&events).is_empty());
    let voting = room.state.voting.as_ref().unwrap();
    assert!(voting.revealed && voting.results.is_none());
    for voter in &voters[1..] {
        let events = cast(&mut room, *voter, &[(a, 2)]);
        assert!(
            totals_in(&events).is_empty(),
            "a revealed, open vote publishes no totals"
        );
    }
    room.facilitator(Command::CloseVoting).unwrap();
    let results = room.state.voting.clone().unwrap().results.expect("shown");
    assert_eq!(dots(&results, a), 5);
}

#[test]
fn hidden_results_closed_but_not_revealed_stay_hidden() {
    let mut room = Room::new();
    let voters: Vec<ParticipantId> = (0..3).map(|_| room.join(BuiltinRole::Youth)).collect();
    let a = theme(&mut room, "Buss");
    open(&mut room, true);
    for voter in &voters {
        cast(&mut room, *voter, &[(a, 1)]);
    }
    let events = room.facilitator(Command::CloseVoting).unwrap();
    assert!(totals_in(&events).is_empty());
    room.facilitator(Command::RevealResults).unwrap();
    let results = room.state.voting.clone().unwrap().results.expect("shown");
    assert_eq!(dots(&results, a), 3);
}

/// Roles named in the breakdown after a closed vote where `roles` voted, one dot each.
fn breakdown(roles: &[(BuiltinRole, usize)]) -> Vec<RoleId> {
    let mut room = Room::new();
    let a = theme(&mut room, "Buss");
    let voters: Vec<ParticipantId> = roles
        .iter()
        .flat_map(|(role, n)| std::iter::repeat_n(*role, *n))
        .map(|role| room.join(role))
        .collect();
    open(&mut room, false);
    for voter in &voters {
        cast(&mut room, *voter, &[(a, 1)]);
    }
    room.facilitator(Command::CloseVoting).unwrap();
    let results = room.state.voting.clone().unwrap().results.unwrap();
    assert_eq!(dots(&results, a), voters.len() as u32);
    let named: Vec<RoleId> = results[0].by_role.iter().map(|(r, _)| *r).collect();
    // Whenever a role is named, the voters left unnamed are none or at least three.
    let in_named: usize = roles
        .iter()
        .filter(|(r, _)| named.contains(&r.id()))
        .map(|(_, n)| n)
        .sum();
    let rest = voters.len() - in_named;
    assert!(
        named.is_empty() || rest == 0 || rest >= MIN_GROUP_FOR_BREAKDOWN as usize,
        "{roles:?}: {rest} left to subtract"
    );
    named
}

#[test]
fn the_breakdown_by_role_never_leaves_one_or_two_to_be_worked_out_by_subtraction() {
    use BuiltinRole::{Parent, Politician, Staff, Youth};
    // Fewer than three voters: no breakdown at all.
    assert_eq!(breakdown(&[(Youth, 2)]), vec![]);
    // Everyone in one role of three: named (it says nothing the total does not).
    assert_eq!(breakdown(&[(Youth, 3)]), vec![Youth.id()]);
    // Three youth and two parents: the parents' dots would be the total minus the youth's,
    // so the youth are not named either.
    assert_eq!(breakdown(&[(Youth, 3), (Parent, 2)]), vec![]);
    // Youth 5, parents 3, one politician: the smaller named role (parents) joins the
    // politician, and the four of them stay unnamed.
    assert_eq!(
        breakdown(&[(Youth, 5), (Parent, 3), (Politician, 1)]),
        vec![Youth.id()]
    );
    // Youth 4, parents 3, one politician and two staff: three unnamed already, both named.
    assert_eq!(
        breakdown(&[(Youth, 4), (Parent, 3), (Politician, 1), (Staff, 2)]),
        vec![Youth.id(), Parent.id()]
    );
    // Every role with three or more: all named.
    assert_eq!(
        breakdown(&[(Youth, 3), (Parent, 4)]),
        vec![Youth.id(), Parent.id()]
    );
}

#[test]
fn removing_a_voter_after_close_keeps_the_published_totals() {
    let mut room = Room::new();
    let voters: Vec<ParticipantId> = (0..4).map(|_| room.join(BuiltinRole::Youth)).collect();
    let a = theme(&mut room, "Buss");
    let b = theme(&mut room, "Lys");
    open(&mut room, false);
    for voter in &voters[..3] {
        cast(&mut room, *voter, &[(a, 1)]);
    }
    cast(&mut room, voters[3], &[(b, 3)]);
    room.facilitator(Command::CloseVoting).unwrap();
    let before = room.state.voting.clone().unwrap();

    let events = room
        .facilitator(Command::RemoveParticipant {
            participant: voters[3],
        })
        .unwrap();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::VotingChanged { .. })),
        "no new totals: their difference would be the removed person's ballot"
    );
    assert_eq!(room.state.voting.as_ref(), Some(&before));
    assert!(
        !room.state.private.ballots.contains_key(&voters[3]),
        "their ballot is deleted"
    );
}

#[test]
fn removing_a_voter_while_open_lowers_the_count_and_publishes_no_totals() {
    let mut room = Room::new();
    let voters: Vec<ParticipantId> = (0..4).map(|_| room.join(BuiltinRole::Youth)).collect();
    let a = theme(&mut room, "Buss");
    open(&mut room, false);
    for voter in &voters {
        cast(&mut room, *voter, &[(a, 1)]);
    }
    let events = room
        .facilitator(Command::RemoveParticipant {
            participant: voters[0],
        })
        .unwrap();
    assert!(totals_in(&events).is_empty());
    assert_eq!(room.state.voting.as_ref().unwrap().voters, 3);
    room.facilitator(Command::CloseVoting).unwrap();
    let results = room.state.voting.clone().unwrap().results.unwrap();
    assert_eq!(dots(&results, a), 3, "their dot no longer counts");
}
