//! Notes and votes over real websockets and a real server: what other screens receive never
//! names a note's writer or a voter's dots, and the server still knows who wrote what after a
//! restart, so the writer can edit their note and nobody else can.

use ordet_shared::protocol::{Auth, ErrorCode, ServerMessage};
use ordet_shared::state::BuiltinRole;
use ordet_shared::voting::{Vote, VoteOn, VotingSetup};
use ordet_shared::{Command, Lang, NoteId, ThemeId};
use ordet_tests::{Client, TestServer, join};

#[tokio::test]
async fn screens_never_learn_who_wrote_a_note_or_how_anyone_voted() {
    let mut server = TestServer::start().await;
    let created = server.create("Hemmeleg", Lang::Nn).await;
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    let (mut writer, writer_auth) = join(&server, created.id, BuiltinRole::Youth).await;
    let (mut other, other_auth) = join(&server, created.id, BuiltinRole::Parent).await;
    let Auth::Participant { id: writer_id, .. } = writer_auth.clone() else {
        unreachable!()
    };
    let note = NoteId::random();
    writer
        .run(Command::PostNote {
            note,
            text: "Meir lys i gymsalen".into(),
            question: None,
            for_group: false,
        })
        .await
        .unwrap();
    let theme = ThemeId::random();
    console
        .run(Command::CreateTheme {
            theme,
            name: "Lys".into(),
        })
        .await
        .unwrap();
    console
        .run(Command::OpenVoting {
            setup: VotingSetup {
                on: VoteOn::Themes,
                budget: 1,
                per_item_max: 1,
                hide_results: true,
            },
        })
        .await
        .unwrap();
    writer
        .run(Command::CastVotes {
            votes: vec![Vote {
                item: theme.0,
                dots: 1,
            }],
        })
        .await
        .unwrap();
    other
        .until(|s| s.voting.as_ref().is_some_and(|v| v.voters == 1))
        .await;
    for screen in [&other, &console] {
        let seen = serde_json::to_string(&screen.received).unwrap();
        assert!(!seen.contains(r#""author""#), "an author reached a screen");
        assert!(
            !seen.contains(&format!(r#""voter":"{writer_id}""#)),
            "a voter reached a screen"
        );
        assert!(screen.state.as_ref().unwrap().private.is_empty());
        let voting = screen.state.as_ref().unwrap().voting.clone().unwrap();
        assert_eq!(voting.results, None, "hidden results stay hidden");
    }

    // After a restart the server still knows the writer.
    server.restart().await;
    let mut writer = Client::connect(&server.ws_url(), created.id, writer_auth, None)
        .await
        .unwrap();
    let mut other = Client::connect(&server.ws_url(), created.id, other_auth, None)
        .await
        .unwrap();
    assert!(
        !matches!(other.received.first(), Some(ServerMessage::Snapshot { state }) if !state.private.is_empty())
    );
    let edit = Command::EditNote {
        note,
        text: "Meir lys i gymsalen og garderoben".into(),
    };
    assert_eq!(other.run(edit.clone()).await, Err(ErrorCode::NotYourNote));
    writer.run(edit).await.unwrap();
    assert!(writer.state.as_ref().unwrap().notes[&note].edited);
}
