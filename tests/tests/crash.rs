//! The server as a real process, killed with SIGKILL while phones are posting, then started
//! again on the same data folder: every note the server acknowledged must be there, and
//! every phone must come back as itself.

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
