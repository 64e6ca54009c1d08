//! The wire protocol cannot drift: every message kind has a golden JSON form here, and every
//! example in `docs/protocol.md` must parse as the message it claims to be and serialize back
//! to exactly the same JSON. After a deliberate change of the wire format (and a bump of
//! `PROTOCOL_VERSION` where old clients would misread it), regenerate the golden file with
//! `ORDET_UPDATE_GOLDEN=1 cargo test -p ordet-tests --test protocol`.

use ordet_shared::audience::{Audience, project_event, project_state};
use ordet_shared::event::{Event, SequencedEvent};
use ordet_shared::notes::{Focus, Place, SuggestedTheme, Suggestion, Theme, Wall, WallMode};
use ordet_shared::programme::{Clock, Group, GroupingMode, Step, StepKind};
use ordet_shared::protocol::{Auth, ClientMessage, ErrorCode, PROTOCOL_VERSION, ServerMessage};
use ordet_shared::state::{Note, Participant, Role, RoleName, State};
use ordet_shared::turns::{Phase, Round, TurnAction, TurnRecord};
use ordet_shared::voting::{ItemResult, Vote, VoteOn, Voting, VotingSetup};
use ordet_shared::{
    Actor, Command, CommandId, ConferenceId, GroupId, JoinCode, Lang, NoteId, ParticipantId,
    RoleId, StepId, ThemeId, Timestamp,
};
use serde_json::Value;
use uuid::Uuid;

const CONFERENCE: ConferenceId =
    ConferenceId(Uuid::from_u128(0x1c0f_0000_0000_4000_8000_0000_0000_0001));
const PARTICIPANT: ParticipantId =
    ParticipantId(Uuid::from_u128(0x9a27_0000_0000_4000_8000_0000_0000_0002));
const NOTE: NoteId = NoteId(Uuid::from_u128(0x7e7e_0000_0000_4000_8000_0000_0000_0003));
const COMMAND: CommandId = CommandId(Uuid::from_u128(0xc0de_0000_0000_4000_8000_0000_0000_0004));
const CUSTOM_ROLE: RoleId = RoleId(Uuid::from_u128(0x4e11_0000_0000_4000_8000_0000_0000_0005));
const STEP: StepId = StepId(Uuid::from_u128(0x57e9_0000_0000_4000_8000_0000_0000_0006));
const EARLIER_STEP: StepId = StepId(Uuid::from_u128(0x57e9_0000_0000_4000_8000_0000_0000_0007));
const GROUP: GroupId = GroupId(Uuid::from_u128(0x6e09_0000_0000_4000_8000_0000_0000_0008));
const THEME: ThemeId = ThemeId(Uuid::from_u128(0x7e3e_0000_0000_4000_8000_0000_0000_000a));
const OTHER_THEME: ThemeId = ThemeId(Uuid::from_u128(0x7e3e_0000_0000_4000_8000_0000_0000_000c));

fn step() -> Step {
    Step {
        id: STEP,
        kind: StepKind::GroupRound,
        title: "Runde 1: like grupper".into(),
        questions: vec!["Kvar står vi?".into()],
        timebox_secs: Some(900),
        notes_open: true,
        per_group: false,
        turns: ordet_shared::turns::TurnSettings::default_for(StepKind::GroupRound),
    }
}

fn group() -> Group {
    Group {
        id: GROUP,
        number: 3,
        name: Some("Bord ved vindauget".into()),
        members: vec![PARTICIPANT],
        leader: Some(PARTICIPANT),
        note_taker: Some(PARTICIPANT),
        reporter: Some(PARTICIPANT),
    }
}

fn youth() -> RoleId {
    ordet_shared::state::BuiltinRole::Youth.id()
}

fn note() -> Note {
    Note {
        step: Some(STEP),
        question: Some(0),
        group: Some(GROUP),
        ..Note::plain(
            NOTE,
            "Fleire benkar i skulegarden".into(),
            Some(youth()),
            Timestamp(1_795_000_000_000),
            6,
        )
    }
}

fn commands() -> Vec<Command> {
    vec![
        Command::Join {
            name: Some("Kari".into()),
            role: youth(),
        },
        Command::ChangeProfile {
            name: None,
            role: youth(),
        },
        Command::PostNote {
            note: NOTE,
            text: "Fleire benkar i skulegarden".into(),
            question: None,
            for_group: false,
        },
        Command::RenameConference {
            title: "Ope møte om oppvekstplanen".into(),
        },
        Command::ChangeLanguage { language: Lang::Nn },
        Command::AddRole {
            role: CUSTOM_ROLE,
            name: "Trenar".into(),
        },
        Command::RenameRole {
            role: CUSTOM_ROLE,
            name: "Idrettstrenar".into(),
        },
        Command::RemoveRole { role: CUSTOM_ROLE },
        Command::SetJoining { open: false },
        Command::AddStep {
            step: step(),
            index: None,
        },
        Command::EditStep { step: step() },
        Command::RemoveStep { step: STEP },
        Command::MoveStep {
            step: STEP,
            index: 0,
        },
        Command::StartStep { step: STEP },
        Command::StopProgramme,
        Command::PauseClock,
        Command::ResumeClock,
        Command::ExtendClock { seconds: 60 },
        Command::SetGroupSettings {
            size: 5,
            prefer_youth_leader: true,
        },
        Command::FormGroups {
            step: STEP,
            mode: GroupingMode::Reuse { from: EARLIER_STEP },
        },
        Command::MoveMember {
            step: STEP,
            participant: PARTICIPANT,
            to: GROUP,
        },
        Command::SetGroupJobs {
            step: STEP,
            group: GROUP,
            leader: Some(PARTICIPANT),
            note_taker: None,
            reporter: None,
        },
        Command::RenameGroup {
            step: STEP,
            group: GROUP,
            name: Some("Bord ved vindauget".into()),
        },
        Command::Turn {
            step: STEP,
            group: Some(GROUP),
            action: TurnAction::Next {
                current: PARTICIPANT,
            },
        },
        Command::EditNote {
            note: NOTE,
            text: "Fleire benkar og bord i skulegarden".into(),
        },
        Command::WithdrawNote { note: NOTE },
        Command::PlaceNote {
            note: NOTE,
            place: Place::Wall { theme: Some(THEME) },
        },
        Command::CreateTheme {
            theme: THEME,
            name: "Skulegarden".into(),
        },
        Command::RenameTheme {
            theme: THEME,
            name: "Uteområdet".into(),
        },
        Command::DeleteTheme { theme: THEME },
        Command::MergeThemes {
            theme: THEME,
            into: OTHER_THEME,
        },
        Command::SuggestThemes { step: Some(STEP) },
        Command::AcceptSuggestion {
            accept: vec![(0, THEME), (2, OTHER_THEME)],
        },
        Command::DismissSuggestion,
        Command::SortIntoThemes { step: None },
        Command::AcceptPlacements { notes: vec![NOTE] },
        Command::ReturnNotes {
            notes: vec![(NOTE, THEME)],
        },
        Command::LockNotes {
            step: Some(STEP),
            locked: true,
        },
        Command::ShowNames { shown: false },
        Command::SetWall {
            wall: Wall {
                mode: WallMode::ByTheme,
                focus: Some(Focus::Theme { theme: THEME }),
                whole_conference: false,
            },
        },
        Command::OpenVoting {
            setup: VotingSetup {
                on: VoteOn::Themes,
                budget: 0,
                per_item_max: 2,
                hide_results: true,
            },
        },
        Command::CastVotes {
            votes: vec![
                Vote {
                    item: THEME.0,
                    dots: 2,
                },
                Vote {
                    item: OTHER_THEME.0,
                    dots: 1,
                },
            ],
        },
        Command::CloseVoting,
        Command::RevealResults,
        Command::RemoveParticipant {
            participant: PARTICIPANT,
        },
    ]
}

fn events() -> Vec<Event> {
    vec![
        Event::ConferenceCreated {
            id: CONFERENCE,
            title: "Ope møte om oppvekstplanen".into(),
            language: Lang::Nn,
            join_code: JoinCode::parse("K7P4RX").unwrap(),
            created_at: Timestamp(1_795_000_000_000),
            roles: vec![Role {
                id: youth(),
                name: RoleName::Builtin(ordet_shared::state::BuiltinRole::Youth),
            }],
        },
        Event::ConferenceRenamed {
            title: "Nytt namn".into(),
        },
        Event::LanguageChanged { language: Lang::Nb },
        Event::ParticipantJoined {
            participant: Participant {
                id: PARTICIPANT,
                name: Some("Kari".into()),
                role: youth(),
                joined_at: Timestamp(1_795_000_000_000),
            },
        },
        Event::ProfileChanged {
            participant: PARTICIPANT,
            name: None,
            role: youth(),
        },
        Event::NotePosted {
            note: note(),
            author: None,
        },
        Event::RoleAdded {
            role: Role {
                id: CUSTOM_ROLE,
                name: RoleName::Custom("Trenar".into()),
            },
        },
        Event::RoleRenamed {
            role: CUSTOM_ROLE,
            name: "Idrettstrenar".into(),
        },
        Event::RoleRemoved { role: CUSTOM_ROLE },
        Event::JoiningChanged { open: false },
        Event::StepAdded {
            step: step(),
            index: 0,
        },
        Event::StepEdited { step: step() },
        Event::StepRemoved { step: EARLIER_STEP },
        Event::StepMoved {
            step: STEP,
            index: 0,
        },
        Event::StepStarted {
            step: Some(STEP),
            clock: Clock::Running {
                deadline: Timestamp(1_795_000_900_000),
            },
        },
        Event::ClockChanged {
            clock: Clock::Paused {
                remaining_ms: 840_000,
            },
        },
        Event::GroupSettingsChanged {
            size: 5,
            prefer_youth_leader: true,
        },
        Event::GroupsFormed {
            step: STEP,
            mode: GroupingMode::Homogeneous,
            groups: vec![group()],
        },
        Event::GroupAdded {
            step: STEP,
            group: group(),
        },
        Event::MemberMoved {
            step: STEP,
            participant: PARTICIPANT,
            to: GROUP,
        },
        Event::GroupJobsSet {
            step: STEP,
            group: GROUP,
            leader: Some(PARTICIPANT),
            note_taker: None,
            reporter: None,
        },
        Event::GroupRenamed {
            step: STEP,
            group: GROUP,
            name: None,
        },
        Event::RoundChanged {
            step: STEP,
            round: Round {
                group: Some(GROUP),
                queue: vec![],
                phase: Phase::Speaking {
                    speaker: PARTICIPANT,
                    clock: Clock::Running {
                        deadline: Timestamp(1_700_000_300_000),
                    },
                    allotted_ms: 300_000,
                },
                turns: vec![TurnRecord {
                    speaker: ParticipantId(Uuid::from_u128(
                        0x9a27_0000_0000_4000_8000_0000_0000_0009,
                    )),
                    role: RoleId(Uuid::from_u128(0x6f72_6465_7400_4000_8000_0000_0000_0001)),
                    spoke_ms: 184_000,
                    passed: false,
                }],
            },
        },
        Event::NoteChanged {
            note: Note {
                place: Place::Wall { theme: Some(THEME) },
                edited: true,
                // As every screen is sent it when its role would narrow the writer to fewer
                // than three people.
                role: None,
                masked: ordet_shared::anonymity::Masked {
                    role: true,
                    ..Default::default()
                },
                ..note()
            },
        },
        Event::ThemeChanged {
            theme: Theme {
                id: THEME,
                name: "Skulegarden".into(),
            },
        },
        Event::ThemeRemoved { theme: OTHER_THEME },
        Event::ThemesSuggested {
            suggestion: Some(Suggestion {
                step: Some(STEP),
                themes: vec![SuggestedTheme {
                    label: "Bussen".into(),
                    notes: vec![
                        NOTE,
                        NoteId(Uuid::from_u128(0x7e7e_0000_0000_4000_8000_0000_0000_000b)),
                    ],
                }],
                placements: vec![ordet_shared::notes::Placement {
                    note: NOTE,
                    theme: THEME,
                    sure: 82,
                    words: vec!["bussen".into()],
                }],
            }),
        },
        Event::NotesLocked {
            step: Some(STEP),
            locked: true,
        },
        Event::NamesShown { shown: false },
        Event::WallChanged {
            wall: Wall {
                mode: WallMode::WordCloud,
                focus: None,
                whole_conference: true,
            },
        },
        Event::VotingChanged {
            voting: Some(Voting {
                setup: VotingSetup {
                    on: VoteOn::Themes,
                    budget: 2,
                    per_item_max: 2,
                    hide_results: false,
                },
                items: vec![THEME.0, OTHER_THEME.0],
                open: false,
                revealed: false,
                voters: 14,
                results: Some(vec![
                    ItemResult {
                        item: THEME.0,
                        dots: 17,
                        by_role: vec![(youth(), 11)],
                    },
                    ItemResult {
                        item: OTHER_THEME.0,
                        dots: 9,
                        by_role: vec![(youth(), 3)],
                    },
                ]),
            }),
        },
        Event::BallotCast {
            voter: None,
            votes: vec![],
        },
        Event::ParticipantRemoved {
            participant: PARTICIPANT,
            notes: vec![NOTE],
        },
    ]
}

fn client_messages() -> Vec<ClientMessage> {
    let mut messages = vec![
        ClientMessage::Hello {
            protocol: PROTOCOL_VERSION,
            conference: CONFERENCE,
            auth: Auth::Participant {
                id: PARTICIPANT,
                token: "5f0c6d0e8e9b4b5c9a3e2f1d0c4b5a69".into(),
            },
            since: Some(41),
        },
        ClientMessage::Hello {
            protocol: PROTOCOL_VERSION,
            conference: CONFERENCE,
            auth: Auth::Facilitator {
                key: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
            },
            since: None,
        },
        ClientMessage::Hello {
            protocol: PROTOCOL_VERSION,
            conference: CONFERENCE,
            auth: Auth::Screen {
                key: "2c26b46b68ffc68ff99b453c1d30413413422d70".into(),
            },
            since: None,
        },
        ClientMessage::Ping {
            client_time: 1_795_000_000_123.0,
        },
    ];
    messages.extend(
        commands()
            .into_iter()
            .map(|command| ClientMessage::Command {
                id: COMMAND,
                command,
            }),
    );
    messages
}

fn server_messages() -> Vec<ServerMessage> {
    let mut state = State::default();
    state.apply(&SequencedEvent {
        seq: 1,
        event: events()[0].clone(),
    });
    let mut messages = vec![
        ServerMessage::Welcome {
            protocol: PROTOCOL_VERSION,
            server_time: Timestamp(1_795_000_000_000),
            viewer: Actor::Participant { id: PARTICIPANT },
            join_url: "http://192.168.1.20:8080/j".into(),
            screen_key: None,
        },
        ServerMessage::Welcome {
            protocol: PROTOCOL_VERSION,
            server_time: Timestamp(1_795_000_000_000),
            viewer: Actor::Facilitator,
            join_url: "http://192.168.1.20:8080/j".into(),
            screen_key: Some("2c26b46b68ffc68ff99b453c1d30413413422d70".into()),
        },
        ServerMessage::Snapshot {
            state: Box::new(state),
        },
        ServerMessage::Ack {
            id: COMMAND,
            seq: Some(3),
        },
        ServerMessage::Ack {
            id: COMMAND,
            seq: None,
        },
        ServerMessage::Rejected {
            id: COMMAND,
            error: ErrorCode::NoteTooLong,
            message: ErrorCode::NoteTooLong.english(),
        },
        ServerMessage::Error {
            error: ErrorCode::RateLimited,
            message: ErrorCode::RateLimited.english(),
        },
        ServerMessage::Pong {
            client_time: 1_795_000_000_123.0,
            server_time: Timestamp(1_795_000_000_140),
        },
        ServerMessage::SnapshotPart {
            seq: 5012,
            part: 0,
            parts: 3,
            data: r#"{"seq":5012,"id":"1c0f0000-0000-4000-8000-000000000001","title":"Ope m"#
                .into(),
        },
        ServerMessage::Seat(ordet_shared::audience::Seat {
            people: vec![Participant {
                id: PARTICIPANT,
                name: Some("Kari".into()),
                role: ordet_shared::state::BuiltinRole::Youth.id(),
                joined_at: Timestamp(1_795_000_000_000),
            }],
            groups: [(STEP, vec![group()])].into(),
            rounds: Default::default(),
        }),
    ];
    // Every kind of event as the facilitator's console receives it (the audience told of
    // every kind).
    messages.extend(events().into_iter().enumerate().map(|(i, event)| {
        let stored = SequencedEvent {
            seq: i as u64 + 1,
            event,
        };
        ServerMessage::Event(
            project_event(&stored, Audience::Facilitator).expect("the console is told of it"),
        )
    }));
    messages
}

fn type_of(value: &Value, path: &[&str]) -> String {
    let mut v = value;
    for key in path {
        v = &v[key];
    }
    v["type"].as_str().unwrap_or_default().to_string()
}

/// The kinds of message a list covers: `hello`, `command/post_note`, `event/note_posted`...
fn kinds(values: &[Value]) -> std::collections::BTreeSet<String> {
    values
        .iter()
        .map(|v| match type_of(v, &[]).as_str() {
            "command" => format!("command/{}", type_of(v, &["command"])),
            "event" => format!("event/{}", type_of(v, &["event"])),
            other => other.to_string(),
        })
        .collect()
}

fn golden_lines() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/golden/protocol.jsonl");
    std::fs::read_to_string(path)
        .expect("golden file")
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn every_message_serializes_exactly_as_the_golden_file_says() {
    let actual: Vec<String> = client_messages()
        .iter()
        .map(|m| serde_json::to_string(m).unwrap())
        .chain(
            server_messages()
                .iter()
                .map(|m| serde_json::to_string(m).unwrap()),
        )
        .collect();
    if std::env::var_os("ORDET_UPDATE_GOLDEN").is_some() {
        // A deliberate change of the wire format: rewrite the golden file from the code.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/golden/protocol.jsonl");
        std::fs::write(path, actual.join("\n") + "\n").expect("golden file written");
    }
    let golden = golden_lines();
    assert_eq!(actual.len(), golden.len(), "one golden line per sample");
    for (actual, golden) in actual.iter().zip(&golden) {
        assert_eq!(
            actual, golden,
            "the wire format changed: bump PROTOCOL_VERSION and update docs"
        );
    }
    // And every golden line reads back as the same message.
    for (message, line) in client_messages().iter().zip(&golden) {
        assert_eq!(
            &serde_json::from_str::<ClientMessage>(line).unwrap(),
            message
        );
    }
    for (message, line) in server_messages()
        .iter()
        .zip(&golden[client_messages().len()..])
    {
        assert_eq!(
            &serde_json::from_str::<ServerMessage>(line).unwrap(),
            message
        );
    }
}

/// The JSON blocks of `docs/protocol.md`, by side.
fn documented() -> (Vec<Value>, Vec<Value>) {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/protocol.md"))
        .expect("docs/protocol.md");
    let (mut client, mut server) = (Vec::new(), Vec::new());
    let mut rest = doc.as_str();
    while let Some(start) = rest.find("```json ") {
        let block = &rest[start + 8..];
        let (side, body) = block.split_once('\n').unwrap();
        let end = body.find("```").expect("closed block");
        let value: Value =
            serde_json::from_str(&body[..end]).unwrap_or_else(|e| panic!("bad JSON in docs: {e}"));
        match side.trim() {
            "client" => client.push(value),
            "server" => server.push(value),
            other => panic!("unknown block side {other:?}"),
        }
        rest = &body[end + 3..];
    }
    (client, server)
}

#[test]
fn every_example_in_the_protocol_doc_is_a_real_message() {
    let (client, server) = documented();
    for value in &client {
        let message: ClientMessage =
            serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"));
        assert_eq!(
            &serde_json::to_value(&message).unwrap(),
            value,
            "doc example differs from the wire format"
        );
    }
    for value in &server {
        let message: ServerMessage =
            serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"));
        assert_eq!(
            &serde_json::to_value(&message).unwrap(),
            value,
            "doc example differs from the wire format"
        );
    }
}

#[test]
fn the_protocol_doc_shows_every_kind_of_message() {
    let (client, server) = documented();
    let samples: Vec<Value> = client_messages()
        .iter()
        .map(|m| serde_json::to_value(m).unwrap())
        .chain(
            server_messages()
                .iter()
                .map(|m| serde_json::to_value(m).unwrap()),
        )
        .collect();
    let documented: Vec<Value> = client.into_iter().chain(server).collect();
    let missing: Vec<String> = kinds(&samples)
        .difference(&kinds(&documented))
        .cloned()
        .collect();
    assert!(
        missing.is_empty(),
        "docs/protocol.md lacks examples of {missing:?}"
    );
}

#[test]
fn the_samples_cover_every_command_and_event() {
    // An exhaustive match: adding a command or event fails to compile here until it has a
    // sample (and so a golden line and a documented example).
    let command_names: Vec<&str> = commands()
        .iter()
        .map(|c| match c {
            Command::Join { .. } => "join",
            Command::ChangeProfile { .. } => "change_profile",
            Command::PostNote { .. } => "post_note",
            Command::RenameConference { .. } => "rename_conference",
            Command::ChangeLanguage { .. } => "change_language",
            Command::AddRole { .. } => "add_role",
            Command::RenameRole { .. } => "rename_role",
            Command::RemoveRole { .. } => "remove_role",
            Command::SetJoining { .. } => "set_joining",
            Command::AddStep { .. } => "add_step",
            Command::EditStep { .. } => "edit_step",
            Command::RemoveStep { .. } => "remove_step",
            Command::MoveStep { .. } => "move_step",
            Command::StartStep { .. } => "start_step",
            Command::StopProgramme => "stop_programme",
            Command::PauseClock => "pause_clock",
            Command::ResumeClock => "resume_clock",
            Command::ExtendClock { .. } => "extend_clock",
            Command::SetGroupSettings { .. } => "set_group_settings",
            Command::FormGroups { .. } => "form_groups",
            Command::MoveMember { .. } => "move_member",
            Command::SetGroupJobs { .. } => "set_group_jobs",
            Command::RenameGroup { .. } => "rename_group",
            Command::Turn { .. } => "turn",
            Command::EditNote { .. } => "edit_note",
            Command::WithdrawNote { .. } => "withdraw_note",
            Command::PlaceNote { .. } => "place_note",
            Command::CreateTheme { .. } => "create_theme",
            Command::RenameTheme { .. } => "rename_theme",
            Command::DeleteTheme { .. } => "delete_theme",
            Command::MergeThemes { .. } => "merge_themes",
            Command::SuggestThemes { .. } => "suggest_themes",
            Command::AcceptSuggestion { .. } => "accept_suggestion",
            Command::DismissSuggestion => "dismiss_suggestion",
            Command::SortIntoThemes { .. } => "sort_into_themes",
            Command::AcceptPlacements { .. } => "accept_placements",
            Command::ReturnNotes { .. } => "return_notes",
            Command::LockNotes { .. } => "lock_notes",
            Command::ShowNames { .. } => "show_names",
            Command::SetWall { .. } => "set_wall",
            Command::OpenVoting { .. } => "open_voting",
            Command::CastVotes { .. } => "cast_votes",
            Command::CloseVoting => "close_voting",
            Command::RevealResults => "reveal_results",
            Command::RemoveParticipant { .. } => "remove_participant",
        })
        .collect();
    assert_eq!(command_names.len(), 45);
    let event_names: Vec<&str> = events()
        .iter()
        .map(|e| match e {
            Event::ConferenceCreated { .. } => "conference_created",
            Event::ConferenceRenamed { .. } => "conference_renamed",
            Event::LanguageChanged { .. } => "language_changed",
            Event::ParticipantJoined { .. } => "participant_joined",
            Event::ProfileChanged { .. } => "profile_changed",
            Event::NotePosted { .. } => "note_posted",
            Event::RoleAdded { .. } => "role_added",
            Event::RoleRenamed { .. } => "role_renamed",
            Event::RoleRemoved { .. } => "role_removed",
            Event::JoiningChanged { .. } => "joining_changed",
            Event::StepAdded { .. } => "step_added",
            Event::StepEdited { .. } => "step_edited",
            Event::StepRemoved { .. } => "step_removed",
            Event::StepMoved { .. } => "step_moved",
            Event::StepStarted { .. } => "step_started",
            Event::ClockChanged { .. } => "clock_changed",
            Event::GroupSettingsChanged { .. } => "group_settings_changed",
            Event::GroupsFormed { .. } => "groups_formed",
            Event::GroupAdded { .. } => "group_added",
            Event::MemberMoved { .. } => "member_moved",
            Event::GroupJobsSet { .. } => "group_jobs_set",
            Event::GroupRenamed { .. } => "group_renamed",
            Event::RoundChanged { .. } => "round_changed",
            Event::NoteChanged { .. } => "note_changed",
            Event::ThemeChanged { .. } => "theme_changed",
            Event::ThemeRemoved { .. } => "theme_removed",
            Event::ThemesSuggested { .. } => "themes_suggested",
            Event::NotesLocked { .. } => "notes_locked",
            Event::NamesShown { .. } => "names_shown",
            Event::WallChanged { .. } => "wall_changed",
            Event::VotingChanged { .. } => "voting_changed",
            Event::BallotCast { .. } => "ballot_cast",
            Event::ParticipantRemoved { .. } => "participant_removed",
        })
        .collect();
    assert_eq!(event_names.len(), 33);
    let unique: std::collections::BTreeSet<_> = command_names.iter().chain(&event_names).collect();
    assert_eq!(unique.len(), 78, "one sample per kind");
}

#[test]
fn a_large_snapshot_travels_in_small_pieces_and_comes_back_whole() {
    use ordet_shared::protocol::{SNAPSHOT_PART_BYTES, SnapshotAssembler, snapshot_messages};
    let mut state = State::default();
    state.apply(&SequencedEvent {
        seq: 1,
        event: events()[0].clone(),
    });
    for i in 0..300u64 {
        let seq = state.seq + 1;
        state.apply(&SequencedEvent {
            seq,
            event: Event::ParticipantJoined {
                participant: Participant {
                    id: ParticipantId::random(),
                    name: Some(format!("Åse {i} 🎉")),
                    role: youth(),
                    joined_at: Timestamp(i),
                },
            },
        });
    }
    let messages = snapshot_messages(&project_state(&state, Audience::Facilitator));
    assert!(messages.len() > 3, "{} pieces", messages.len());
    let mut assembler = SnapshotAssembler::default();
    let mut whole = None;
    for message in &messages {
        let text = serde_json::to_string(message).unwrap();
        assert!(text.len() < SNAPSHOT_PART_BYTES * 2, "a small frame");
        let ServerMessage::SnapshotPart {
            seq,
            part,
            parts,
            data,
        } = message
        else {
            panic!("pieces")
        };
        whole = assembler.add(*seq, *part, *parts, data).or(whole);
    }
    assert_eq!(whole, Some(state.clone()));
    // A small state stays one message.
    let mut small = State::default();
    small.apply(&SequencedEvent {
        seq: 1,
        event: events()[0].clone(),
    });
    assert!(matches!(
        snapshot_messages(&project_state(&small, Audience::Facilitator))[..],
        [ServerMessage::Snapshot { .. }]
    ));
}
