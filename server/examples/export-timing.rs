//! How long exporting a large plan takes:
//! `cargo run --release -p ordet-server --example export-timing -- 10000`.
//! Builds a plan of three meetings with that many notes in all (through the same `decide`
//! and `apply` as the server; 600 participants, 20 themes, a vote on themes in each), then
//! times taking the anonymous facts from each state and writing every format.

use std::time::{Duration, Instant};

use ordet_server::export::{InputDocument, Meeting, render};
use ordet_shared::notes::Place;
use ordet_shared::plan::ExportFormat;
use ordet_shared::state::{BuiltinRole, Role};
use ordet_shared::voting::{Vote, VoteOn, VotingSetup};
use ordet_shared::{
    Actor, Command, ConferenceId, Event, JoinCode, Lang, NoteId, ParticipantId, SequencedEvent,
    State, ThemeId, Timestamp, decide,
};

const MEETINGS: usize = 3;
const PARTICIPANTS: usize = 200;
const THEMES: usize = 20;
const RUNS: usize = 3;

const WORDS: &[&str] = &[
    "buss",
    "ungdomsklubb",
    "skulehelsetenesta",
    "mobbing",
    "idrett",
    "kostnad",
    "skulemat",
    "uteområde",
    "mobil",
    "SFO",
    "medverknad",
    "lys",
    "gangveg",
    "bibliotek",
    "helsesjukepleiar",
    "trygg",
    "fritid",
    "møteplass",
    "kultur",
    "natur",
];

fn run(state: &mut State, actor: Actor, command: Command, now: u64) {
    let events = decide(state, actor, &command, Timestamp(now)).expect("command accepted");
    apply(state, events);
}

fn apply(state: &mut State, events: Vec<Event>) {
    for event in events {
        let seq = state.seq + 1;
        state.apply(&SequencedEvent { seq, event });
    }
}

fn meeting(index: usize, notes: usize) -> State {
    let mut state = State::default();
    apply(
        &mut state,
        vec![Event::ConferenceCreated {
            id: ConferenceId::random(),
            title: format!("Møte {}", index + 1),
            language: Lang::Nn,
            join_code: JoinCode::parse("K7P4RX").expect("code"),
            created_at: Timestamp(1_795_000_000_000 + index as u64 * 86_400_000),
            roles: Role::defaults(),
        }],
    );
    let mut now = 1_795_000_000_000;
    let people: Vec<ParticipantId> = (0..PARTICIPANTS)
        .map(|i| {
            let id = ParticipantId::random();
            let role = BuiltinRole::ALL[i % BuiltinRole::ALL.len()];
            run(
                &mut state,
                Actor::Participant { id },
                Command::Join {
                    name: None,
                    role: role.id(),
                },
                now,
            );
            id
        })
        .collect();
    let themes: Vec<ThemeId> = (0..THEMES)
        .map(|i| {
            let theme = ThemeId::random();
            run(
                &mut state,
                Actor::Facilitator,
                Command::CreateTheme {
                    theme,
                    name: format!("Tema {} om {}", i + 1, WORDS[i]),
                },
                now,
            );
            theme
        })
        .collect();
    for i in 0..notes {
        now += 50;
        let note = NoteId::random();
        let text = format!(
            "Innspel {i}: meir {} og betre {} for alle, særleg {} på {}",
            WORDS[i % WORDS.len()],
            WORDS[(i / 3) % WORDS.len()],
            WORDS[(i / 7) % WORDS.len()],
            WORDS[(i / 11) % WORDS.len()]
        );
        let writer = Actor::Participant {
            id: people[i % PARTICIPANTS],
        };
        run(
            &mut state,
            writer,
            Command::PostNote {
                note,
                text,
                question: None,
                for_group: false,
            },
            now,
        );
        let theme = Some(themes[i % THEMES]);
        run(
            &mut state,
            Actor::Facilitator,
            Command::PlaceNote {
                note,
                place: Place::Wall { theme },
            },
            now,
        );
    }
    let setup = VotingSetup {
        on: VoteOn::Themes,
        budget: 5,
        per_item_max: 3,
        hide_results: false,
    };
    run(
        &mut state,
        Actor::Facilitator,
        Command::OpenVoting { setup },
        now,
    );
    for (i, voter) in people.iter().enumerate() {
        let votes = (0..3)
            .map(|k| Vote {
                item: themes[(i + k * 5) % THEMES].0,
                dots: 1,
            })
            .collect();
        run(
            &mut state,
            Actor::Participant { id: *voter },
            Command::CastVotes { votes },
            now,
        );
    }
    run(&mut state, Actor::Facilitator, Command::CloseVoting, now);
    state
}

fn millis(runs: &mut [Duration]) -> String {
    runs.sort();
    format!(
        "{:.0}–{:.0} ms",
        runs[0].as_secs_f64() * 1000.0,
        runs[runs.len() - 1].as_secs_f64() * 1000.0
    )
}

fn main() {
    let total: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let states: Vec<State> = (0..MEETINGS)
        .map(|i| meeting(i, total / MEETINGS + usize::from(i < total % MEETINGS)))
        .collect();
    let mut facts_runs = Vec::new();
    let mut meetings = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        meetings = states.iter().map(Meeting::from_state).collect();
        facts_runs.push(started.elapsed());
    }
    let notes: usize = meetings.iter().map(|m: &Meeting| m.notes.len()).sum();
    println!(
        "{MEETINGS} meetings, {notes} notes; facts from the states: {}",
        millis(&mut facts_runs)
    );
    let document = InputDocument::new("Oppvekstplan 2027–2030".into(), Lang::Nn, true, meetings);
    for format in ExportFormat::ALL {
        let mut runs = Vec::new();
        let mut size = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            size = render(&document, format).bytes.len();
            runs.push(started.elapsed());
        }
        println!(
            "{:>5}: {} ({} bytes)",
            format.extension(),
            millis(&mut runs),
            size
        );
    }
}
