//! Ballots worked out from vote totals: an attacker in the room joins as a participant,
//! records every `VotingChanged` their phone receives while three phones vote one after
//! another (results not hidden), and subtracts consecutive totals — the change when the count
//! of voters goes up by one is that voter's ballot, and a total of one voter is that ballot.
//! Ordet publishes totals only once voting has closed (`ordet_shared::voting`), so the
//! attacker, and the facilitator's console too, learn nothing before the close and, from the
//! one total published at close, no single ballot. The facilitator's exports, taken after
//! every ballot, carry no totals while voting is open either; and removing a voter after
//! close changes neither the totals shown nor those exported (their difference would be the
//! removed person's ballot).

use std::collections::BTreeMap;
use std::time::Duration;

use ordet_server::export::InputDocument;
use ordet_shared::plan::ExportFormat;
use ordet_shared::protocol::{Auth, CreatedConference, ServerMessage};
use ordet_shared::state::BuiltinRole;
use ordet_shared::voting::{Vote, VoteOn, Voting, VotingSetup};
use ordet_shared::{Command, Event, Lang, ThemeId};
use ordet_tests::{Client, TestServer, create_conference, join};
use uuid::Uuid;

use super::{Bystander, Ordet};

/// Resident memory the server may have once the test is over, in KiB.
const MEMORY_AFTER_KIB: u64 = 100 * 1024;

/// Every voting state `client` was sent in an event, in order.
fn recorded(client: &Client) -> Vec<Voting> {
    client
        .received
        .iter()
        .filter_map(|message| match message {
            ServerMessage::Event(sequenced) => match &sequenced.event {
                Event::VotingChanged {
                    voting: Some(voting),
                } => Some(voting.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The attack: every ballot that can be read off `record` — the totals of a vote with one
/// voter, and the difference of two consecutive totals whose count of voters went up by one.
/// Each is the dots per item.
fn ballots_learned(record: &[Voting]) -> Vec<BTreeMap<Uuid, u32>> {
    let totals = |v: &Voting| -> Option<BTreeMap<Uuid, u32>> {
        Some(
            v.results
                .as_ref()?
                .iter()
                .map(|r| (r.item, r.dots))
                .collect(),
        )
    };
    let mut learned = Vec::new();
    let mut previous: Option<&Voting> = None;
    for voting in record {
        if let Some(now) = totals(voting) {
            if voting.voters == 1 {
                learned.push(now.clone());
            }
            if let Some(before) = previous.filter(|p| p.voters + 1 == voting.voters)
                && let Some(then) = totals(before)
            {
                learned.push(
                    now.iter()
                        .map(|(item, dots)| (*item, dots - then.get(item).copied().unwrap_or(0)))
                        .collect(),
                );
            }
        }
        previous = Some(voting);
    }
    learned
}

/// The vote in the facilitator's JSON export of the conference, as dots per option label,
/// if it has one.
async fn exported_totals(base: &str, created: &CreatedConference) -> Option<BTreeMap<String, u32>> {
    let response = reqwest::Client::new()
        .get(format!(
            "{base}/api/conferences/{}/export/{}",
            created.id,
            ExportFormat::Json.extension()
        ))
        .bearer_auth(&created.facilitator_key)
        .send()
        .await
        .expect("export answered");
    assert_eq!(response.status(), 200);
    let json = response.bytes().await.unwrap();
    let document = InputDocument::from_json(&json).expect("the export reads back");
    let priorities = document.meetings.first()?.priorities.clone()?;
    Some(
        priorities
            .items
            .into_iter()
            .map(|item| (item.label, item.dots))
            .collect(),
    )
}

/// Reads until the phone has been sent a voting state with `voters` voters.
async fn until_voters(client: &mut Client, voters: u32) {
    client
        .until(|s| s.voting.as_ref().is_some_and(|v| v.voters == voters))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_cannot_difference_vote_totals_into_ballots() {
    let ordet = Ordet::spawn(&[]).await;
    let ws = ordet.ws();
    let bystander = Bystander::start(&ordet.base, &ws).await;
    let server = TestServer {
        server: None,
        base: ordet.base.clone(),
        data: tempfile::tempdir().expect("temp dir"),
    };

    let created = create_conference(&ordet.base, "Ope møte om fritida", Lang::Nn).await;
    let mut console = Client::facilitator(&ws, &created).await;
    let themes: Vec<ThemeId> = (0..3).map(|_| ThemeId::random()).collect();
    for (theme, name) in themes.iter().zip(["Buss", "Lys", "Klubb"]) {
        console
            .run(Command::CreateTheme {
                theme: *theme,
                name: name.into(),
            })
            .await
            .unwrap();
    }
    let (mut attacker, _) = join(&server, created.id, BuiltinRole::Youth).await;
    let mut voters = Vec::new();
    let mut voter_ids = Vec::new();
    for role in [
        BuiltinRole::Youth,
        BuiltinRole::Parent,
        BuiltinRole::Politician,
    ] {
        let (phone, auth) = join(&server, created.id, role).await;
        let Auth::Participant { id, .. } = auth else {
            unreachable!("a participant")
        };
        voters.push(phone);
        voter_ids.push(id);
    }
    console
        .run(Command::OpenVoting {
            setup: VotingSetup {
                on: VoteOn::Themes,
                budget: 3,
                per_item_max: 3,
                hide_results: false,
            },
        })
        .await
        .unwrap();
    // Three different ballots, cast one after another; the attacker watches each arrive.
    let ballots = [
        vec![(themes[0], 3)],
        vec![(themes[1], 2), (themes[2], 1)],
        vec![(themes[2], 3)],
    ];
    for (n, (voter, ballot)) in voters.iter_mut().zip(&ballots).enumerate() {
        voter
            .run(Command::CastVotes {
                votes: ballot
                    .iter()
                    .map(|(theme, dots)| Vote {
                        item: theme.0,
                        dots: *dots,
                    })
                    .collect(),
            })
            .await
            .expect("ballot accepted");
        until_voters(&mut attacker, n as u32 + 1).await;
        until_voters(&mut console, n as u32 + 1).await;
        assert_eq!(
            exported_totals(&ordet.base, &created).await,
            None,
            "the facilitator's export after ballot {} has totals",
            n + 1
        );
    }
    // A phone that joins while voting is open: its snapshot carries no totals either.
    let (again, _) = join(&server, created.id, BuiltinRole::Youth).await;
    let snapshot: Vec<Voting> = again
        .state
        .as_ref()
        .and_then(|s| s.voting.clone())
        .into_iter()
        .collect();
    assert_eq!(snapshot.len(), 1, "the snapshot has the vote");
    for (who, record) in [
        ("the attacker", recorded(&attacker)),
        ("the console", recorded(&console)),
        ("a fresh snapshot", snapshot),
    ] {
        assert!(
            record.iter().all(|v| v.results.is_none()),
            "{who} was sent totals while voting was open: {record:?}"
        );
        assert_eq!(ballots_learned(&record), vec![], "{who} learned a ballot");
    }
    again.close().await;

    console.run(Command::CloseVoting).await.unwrap();
    attacker
        .until(|s| s.voting.as_ref().is_some_and(|v| v.results.is_some()))
        .await;
    let record = recorded(&attacker);
    let published: Vec<&Voting> = record.iter().filter(|v| v.results.is_some()).collect();
    assert_eq!(published.len(), 1, "one total, at close");
    let published_once = &published[0].clone();
    assert_eq!(published[0].voters, 3);
    let dots: BTreeMap<Uuid, u32> = published[0]
        .results
        .as_ref()
        .unwrap()
        .iter()
        .map(|r| (r.item, r.dots))
        .collect();
    assert_eq!(
        dots,
        BTreeMap::from([(themes[0].0, 3), (themes[1].0, 2), (themes[2].0, 4)]),
        "the totals are right"
    );
    assert!(
        published[0].results.as_ref().unwrap()[0].by_role.is_empty(),
        "three voters in three roles: no role is broken out"
    );
    assert_eq!(
        ballots_learned(&record),
        vec![],
        "nothing to subtract after close either"
    );
    let by_label = |dots: [u32; 3]| -> BTreeMap<String, u32> {
        ["Buss", "Lys", "Klubb"]
            .into_iter()
            .map(String::from)
            .zip(dots)
            .collect()
    };
    assert_eq!(
        exported_totals(&ordet.base, &created).await,
        Some(by_label([3, 2, 4])),
        "the export has the totals once voting has closed"
    );

    // The facilitator removes the last voter after close: nothing new to subtract, on the
    // screens or in the export.
    console
        .run(Command::RemoveParticipant {
            participant: voter_ids[2],
        })
        .await
        .expect("removed");
    attacker
        .until(|s| !s.participants.contains_key(&voter_ids[2]))
        .await;
    let record = recorded(&attacker);
    assert_eq!(
        record.iter().filter(|v| v.results.is_some()).count(),
        1,
        "no new totals after the removal: {record:?}"
    );
    assert_eq!(
        attacker.state.as_ref().unwrap().voting.as_ref(),
        Some(published_once)
    );
    assert_eq!(
        exported_totals(&ordet.base, &created).await,
        Some(by_label([3, 2, 4])),
        "the export keeps the totals the room was shown"
    );

    tokio::time::sleep(Duration::from_millis(300)).await;
    let witnessed = bystander.finish().await;
    assert_eq!(witnessed.lost, 0, "the bystander lost nothing");
    assert_eq!(witnessed.health_failures, 0, "/healthz kept answering");
    assert!(ordet.rss_kib() < MEMORY_AFTER_KIB);
}
