//! The server as a real process, killed with SIGKILL while phones are posting, then started
//! again on the same data folder: every note, ballot and turn change the server acknowledged
//! must be there, and every phone must come back as itself.

use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ordet_shared::protocol::{Auth, ClientMessage, ServerMessage};
use ordet_shared::state::BuiltinRole;
use ordet_shared::{Command, CommandId, Lang, NoteId};
use ordet_tests::{Client, create_conference, new_participant, ordet_binary};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command as Process};

const PHONES: usize = 6;
const ROUNDS: usize = 3;

struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn spawn(data: &Path) -> Server {
        let mut child = Process::new(ordet_binary())
            .args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(data)
            .env("ORDET_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("ordet starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = loop {
            let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
                .await
                .expect("ordet prints its address")
                .unwrap()
                .expect("ordet prints its address before exiting");
            if line.contains("on this computer") {
                let url = line.split_whitespace().last().unwrap();
                break url.trim_end_matches('/').replace("localhost", "127.0.0.1");
            }
        };
        // Keep reading what the server prints, as a terminal would.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Server { child, base }
    }

    fn ws(&self) -> String {
        format!("{}/ws", self.base.replace("http://", "ws://"))
    }

    async fn kill_hard(mut self) {
        self.child.start_kill().expect("SIGKILL sent");
        self.child.wait().await.expect("process reaped");
    }
}

/// Posts notes at a phone's pace until the connection dies; records each acknowledged note.
async fn post_until_killed(mut phone: Client, acked: Arc<Mutex<Vec<NoteId>>>) {
    loop {
        let note = NoteId::random();
        let id = CommandId::random();
        let command = ClientMessage::Command {
            id,
            command: Command::PostNote {
                note,
                text: format!("Innspel {note}"),
                question: None,
                for_group: false,
            },
        };
        let json = serde_json::to_string(&command).unwrap();
        if !phone
            .try_send_raw(tokio_tungstenite::tungstenite::Message::text(json))
            .await
        {
            return;
        }
        loop {
            match phone.next().await {
                None => return,
                Some(ServerMessage::Ack { id: acked_id, .. }) if acked_id == id => {
                    acked.lock().unwrap().push(note);
                    break;
                }
                Some(ServerMessage::Rejected {
                    id: refused, error, ..
                }) if refused == id => {
                    panic!("a note was refused: {error:?}")
                }
                Some(_) => {}
            }
        }
        tokio::time::sleep(Duration::from_millis(110)).await;
    }
}

#[tokio::test]
async fn no_acknowledged_note_is_lost_when_the_server_is_killed() {
    let data = tempfile::tempdir().unwrap();
    let mut server = Server::spawn(data.path()).await;
    let created = create_conference(&server.base, "Krasjtest", Lang::Nb).await;
    let phones: Vec<Auth> = (0..PHONES).map(|_| new_participant()).collect();
    let acked = Arc::new(Mutex::new(Vec::new()));

    for round in 0..ROUNDS {
        let mut tasks = Vec::new();
        for auth in &phones {
            let mut phone = Client::connect(&server.ws(), created.id, auth.clone(), None)
                .await
                .unwrap_or_else(|refused| {
                    panic!("round {round}: phone refused after restart: {refused:?}")
                });
            if round == 0 {
                phone
                    .run(Command::Join {
                        name: None,
                        role: BuiltinRole::Youth.id(),
                    })
                    .await
                    .expect("joined");
            }
            tasks.push(tokio::spawn(post_until_killed(phone, acked.clone())));
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        server.kill_hard().await;
        for task in tasks {
            task.await.expect("phone task ends when the server dies");
        }
        server = Server::spawn(data.path()).await;
    }

    let mut console = Client::facilitator(&server.ws(), &created).await;
    console.until(|_| true).await;
    let state = console.state.take().unwrap();
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= ROUNDS * PHONES * 5,
        "the phones posted ({} acknowledged)",
        acked.len()
    );
    let missing: Vec<_> = acked
        .iter()
        .filter(|id| !state.notes.contains_key(id))
        .collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged notes lost: {missing:?}",
        missing.len()
    );
    assert_eq!(state.participants.len(), PHONES);
    println!(
        "crash test: {} notes acknowledged over {ROUNDS} kills, all present; {} stored in all",
        acked.len(),
        state.notes.len()
    );
    server.kill_hard().await;
}

/// Sends `command` and waits for its answer: `Some(true)` acknowledged, `None` when the
/// connection died first (the command may or may not have been stored).
async fn acknowledged(phone: &mut Client, command: Command) -> Option<bool> {
    let id = CommandId::random();
    let json = serde_json::to_string(&ClientMessage::Command { id, command }).unwrap();
    if !phone
        .try_send_raw(tokio_tungstenite::tungstenite::Message::text(json))
        .await
    {
        return None;
    }
    loop {
        match phone.next().await {
            None => return None,
            Some(ServerMessage::Ack { id: acked, .. }) if acked == id => return Some(true),
            Some(ServerMessage::Rejected {
                id: refused, error, ..
            }) if refused == id => {
                panic!("refused: {error:?}")
            }
            Some(_) => {}
        }
    }
}

/// What one phone knows about its ballots: the last one acknowledged, and the one in flight
/// when the server died (stored or not: either may be the server's).
#[derive(Clone, Copy, Default)]
struct BallotLog {
    acked: Option<usize>,
    in_flight: Option<usize>,
}

#[tokio::test]
async fn no_acknowledged_vote_or_turn_is_lost_when_the_server_is_killed() {
    use ordet_shared::programme::{GroupingMode, Step, StepKind};
    use ordet_shared::turns::{self, TurnAction, TurnOrder, TurnSettings};
    use ordet_shared::voting::{Vote, VoteOn, VotingSetup};
    use ordet_shared::{StepId, ThemeId};

    let data = tempfile::tempdir().unwrap();
    let mut server = Server::spawn(data.path()).await;
    let created = create_conference(&server.base, "Krasj med røyster", Lang::Nn).await;
    let phones: Vec<Auth> = (0..PHONES).map(|_| new_participant()).collect();
    for auth in &phones {
        let mut phone = Client::connect(&server.ws(), created.id, auth.clone(), None)
            .await
            .unwrap();
        phone
            .run(Command::Join {
                name: None,
                role: BuiltinRole::Parent.id(),
            })
            .await
            .unwrap();
    }
    let mut console = Client::facilitator(&server.ws(), &created).await;
    let themes = [ThemeId::random(), ThemeId::random()];
    for (theme, name) in themes.iter().zip(["Buss", "Klubb"]) {
        console
            .run(Command::CreateTheme {
                theme: *theme,
                name: name.into(),
            })
            .await
            .unwrap();
    }
    console
        .run(Command::OpenVoting {
            setup: VotingSetup {
                on: VoteOn::Themes,
                budget: 1,
                per_item_max: 1,
                hide_results: false,
            },
        })
        .await
        .unwrap();
    let step = Step {
        id: StepId::random(),
        kind: StepKind::GroupRound,
        title: "Runde".into(),
        questions: vec!["Kvar står vi?".into()],
        timebox_secs: None,
        notes_open: false,
        per_group: false,
        turns: Some(TurnSettings {
            speaker_secs: 600,
            order: TurnOrder::JoinOrder,
            auto_advance: false,
            discussion_secs: 0,
        }),
    };
    let step_id = step.id;
    console
        .run(Command::AddStep { step, index: None })
        .await
        .unwrap();
    console
        .run(Command::StartStep { step: step_id })
        .await
        .unwrap();
    console
        .run(Command::FormGroups {
            step: step_id,
            mode: GroupingMode::Mixed,
        })
        .await
        .unwrap();
    let group = console.state.as_ref().unwrap().programme.groups[&step_id][0].id;
    let turn = move |action| Command::Turn {
        step: step_id,
        group: Some(group),
        action,
    };
    console.run(turn(TurnAction::Start)).await.unwrap();
    let deadline_of =
        |state: &ordet_shared::State| match turns::round_of(state, step_id, Some(group))
            .unwrap()
            .clock()
        {
            ordet_shared::programme::Clock::Running { deadline } => deadline.0,
            other => panic!("the turn's clock runs: {other:?}"),
        };
    let first_deadline = deadline_of(console.state.as_ref().unwrap());

    let ballots = Arc::new(Mutex::new(vec![BallotLog::default(); PHONES]));
    let extends = Arc::new(Mutex::new((0u64, 0u64))); // (acknowledged, in flight at the end)
    for round in 0..ROUNDS {
        let mut tasks = Vec::new();
        for (index, auth) in phones.iter().enumerate() {
            let mut phone = Client::connect(&server.ws(), created.id, auth.clone(), None)
                .await
                .unwrap_or_else(|e| panic!("round {round}: refused after restart: {e:?}"));
            let ballots = ballots.clone();
            tasks.push(tokio::spawn(async move {
                for k in index.. {
                    let votes = vec![Vote {
                        item: themes[k % 2].0,
                        dots: 1,
                    }];
                    ballots.lock().unwrap()[index].in_flight = Some(k % 2);
                    if acknowledged(&mut phone, Command::CastVotes { votes })
                        .await
                        .is_none()
                    {
                        return;
                    }
                    ballots.lock().unwrap()[index] = BallotLog {
                        acked: Some(k % 2),
                        in_flight: None,
                    };
                    tokio::time::sleep(Duration::from_millis(90)).await;
                }
            }));
        }
        let mut facilitator = Client::facilitator(&server.ws(), &created).await;
        let counted = extends.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                counted.lock().unwrap().1 = 1;
                let extend = turn(TurnAction::Extend { seconds: 1 });
                if acknowledged(&mut facilitator, extend).await.is_none() {
                    return;
                }
                {
                    let mut counts = counted.lock().unwrap();
                    counts.0 += 1;
                    counts.1 = 0;
                }
                tokio::time::sleep(Duration::from_millis(70)).await;
            }
        }));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        server.kill_hard().await;
        for task in tasks {
            task.await.expect("tasks end when the server dies");
        }
        server = Server::spawn(data.path()).await;
    }

    let mut watcher = Client::facilitator(&server.ws(), &created).await;
    watcher.until(|_| true).await;
    // Totals are published only once voting has closed.
    watcher.run(Command::CloseVoting).await.expect("closed");
    watcher
        .until(|s| s.voting.as_ref().is_some_and(|v| v.results.is_some()))
        .await;
    let state = watcher.state.take().unwrap();

    // Every acknowledged "more time" is there; one more may be, if it was stored unanswered.
    let (acked_extends, in_flight) = *extends.lock().unwrap();
    assert!(
        acked_extends >= (ROUNDS * 5) as u64,
        "the facilitator pressed ({acked_extends})"
    );
    let added = (deadline_of(&state) - first_deadline) / 1000;
    assert!(
        (acked_extends..=acked_extends + in_flight).contains(&added),
        "{acked_extends} acknowledged extensions, {added} s added"
    );

    // Every phone's ballot is its last acknowledged one (or the one it was sending).
    let ballots = ballots.lock().unwrap().clone();
    let voting = state.voting.as_ref().expect("the vote");
    assert_eq!(
        voting.voters as usize, PHONES,
        "every phone's ballot is stored"
    );
    let results = voting.results.as_ref().expect("results shown");
    let dots_on = |theme: ThemeId| {
        results
            .iter()
            .find(|r| r.item == theme.0)
            .map_or(0, |r| r.dots as usize)
    };
    let surely_first = ballots
        .iter()
        .filter(|b| b.in_flight.is_none() && b.acked == Some(0))
        .count();
    let maybe_first = ballots
        .iter()
        .filter(|b| b.acked == Some(0) || b.in_flight == Some(0))
        .count();
    let first = dots_on(themes[0]);
    assert!(
        (surely_first..=maybe_first).contains(&first),
        "{first} dots on the first theme; between {surely_first} and {maybe_first} expected"
    );
    assert_eq!(first + dots_on(themes[1]), PHONES, "one dot per phone");
    println!(
        "crash test: {acked_extends} extensions and {PHONES} ballots over {ROUNDS} kills, all present"
    );
    server.kill_hard().await;
}
