//! The facts an input document is made from, as exported in JSON and imported again. A
//! [`Meeting`] is taken from a conference's state with every anonymity rule applied once,
//! here: no names anywhere, no role shown for fewer than [`MIN_GROUP_FOR_BREAKDOWN`] people,
//! no hidden or withdrawn note. Everything the document shows besides these facts (ranks, the
//! word cloud, the plan table) is worked out from them when the document is written, so an
//! imported file gives exactly the document its exporter saw.

use std::collections::BTreeMap;

use ordet_shared::notes::Place;
use ordet_shared::programme::StepKind;
use ordet_shared::state::{Note, State};
use ordet_shared::voting::{MIN_GROUP_FOR_BREAKDOWN, VoteOn, tally};
use ordet_shared::{Lang, NoteId, RoleId, StepId, Timestamp, limits};
use serde::{Deserialize, Serialize};

/// The `format` field of every exported file.
pub const FORMAT: &str = "ordet-input-document";
/// The version of the exported file's layout.
pub const VERSION: u32 = 1;
/// Most meetings one plan (or one imported file) holds.
pub const MAX_MEETINGS: usize = 60;
/// Most notes one imported meeting may hold.
pub const MAX_NOTES_PER_MEETING: usize = 20_000;

/// An input document's facts: one plan's meetings, or a single meeting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputDocument {
    /// Always [`FORMAT`].
    pub format: String,
    /// The layout version, [`VERSION`].
    pub version: u32,
    /// The plan's name, or the meeting's title when it is one meeting alone.
    pub title: String,
    /// The language the document is written in.
    pub language: Lang,
    /// Whether this is a plan (several meetings) rather than one meeting.
    pub plan: bool,
    /// The meetings, oldest first.
    pub meetings: Vec<Meeting>,
}

/// One meeting, anonymous.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    /// Its title.
    pub title: String,
    /// When it was held.
    pub date: Timestamp,
    /// The language it was held in.
    pub language: Lang,
    /// How many took part.
    pub participants: u32,
    /// Participants by role; roles with fewer than three people are pooled in one row with
    /// `role: None`.
    pub roles: Vec<RoleCount>,
    /// The programme: steps with their exact questions.
    pub steps: Vec<MeetingStep>,
    /// The themes the notes were clustered into, in the order the facilitator made them.
    pub themes: Vec<String>,
    /// Every visible note, in the order they were written.
    pub notes: Vec<MeetingNote>,
    /// How many notes the facilitator hid (left out of the document).
    pub hidden_notes: u32,
    /// The vote, if one was held.
    pub priorities: Option<Priorities>,
    /// Speaking time by role in the talking rounds; small roles pooled as in `roles`.
    pub floor: Vec<FloorRow>,
}

/// A count of people in a role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCount {
    /// The role's name, or `None` for the pooled roles with fewer than three people each.
    pub role: Option<String>,
    /// How many.
    pub count: u32,
}

/// One step of the programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingStep {
    /// What happened in it.
    pub kind: StepKind,
    /// Its title.
    pub title: String,
    /// The exact questions asked.
    pub questions: Vec<String>,
}

/// A note as the document shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingNote {
    /// The words, verbatim.
    pub text: String,
    /// Index of its step in `steps`.
    pub step: Option<usize>,
    /// Index of its question in that step's `questions`.
    pub question: Option<usize>,
    /// Its group's number in that step.
    pub group: Option<u32>,
    /// Its writer's role, when at least three people had that role.
    pub role: Option<String>,
    /// Whether the group's note-taker wrote it for the whole group.
    pub for_group: bool,
    /// Index of its theme in `themes`.
    pub theme: Option<usize>,
    /// Dots it got, when the vote was on notes.
    pub votes: Option<u32>,
    /// Notes merged into it as duplicates, verbatim: both are kept.
    pub merged: Vec<String>,
}

/// A vote's outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priorities {
    /// Whether people voted on themes or on notes.
    pub on: VoteOn,
    /// How many voted.
    pub voters: u32,
    /// Dots per person.
    pub budget: u8,
    /// Every option, most dots first.
    pub items: Vec<PriorityItem>,
}

/// One option of a vote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityItem {
    /// The theme's name or the note's words.
    pub label: String,
    /// Index of the theme in `themes`, when voting on themes.
    pub theme: Option<usize>,
    /// Its dots.
    pub dots: u32,
    /// Its dots by role, only for roles with at least three voters.
    pub by_role: Vec<RoleCount>,
}

/// One role's share of the floor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FloorRow {
    /// The role, or `None` for the pooled small roles.
    pub role: Option<String>,
    /// Speaking time in seconds.
    pub seconds: u64,
    /// Turns taken, passes included.
    pub turns: u32,
    /// Of which passes.
    pub passes: u32,
}

impl InputDocument {
    /// A document of `meetings` under `title`.
    pub fn new(title: String, language: Lang, plan: bool, meetings: Vec<Meeting>) -> Self {
        InputDocument {
            format: FORMAT.into(),
            version: VERSION,
            title,
            language,
            plan,
            meetings,
        }
    }

    /// Reads an exported file, refusing anything that is not one or breaks a limit.
    pub fn from_json(bytes: &[u8]) -> Result<InputDocument, String> {
        let document: InputDocument =
            serde_json::from_slice(bytes).map_err(|e| format!("not an Ordet export: {e}"))?;
        if document.format != FORMAT {
            return Err(format!(
                "the format is {:?}, not {FORMAT:?}",
                document.format
            ));
        }
        if document.version > VERSION {
            return Err(format!(
                "the file is version {}, newer than this server reads ({VERSION})",
                document.version
            ));
        }
        if document.meetings.len() > MAX_MEETINGS {
            return Err(format!("more than {MAX_MEETINGS} meetings"));
        }
        for meeting in &document.meetings {
            meeting.check()?;
        }
        Ok(document)
    }
}

impl Meeting {
    /// The anonymous facts of a conference, from its full state (the server's own, with the
    /// ballots, so a vote whose results are still hidden in the room is counted).
    pub fn from_state(state: &State) -> Meeting {
        let lang = state.language;
        let headcount = role_headcount(state);
        let step_index: BTreeMap<StepId, usize> = state
            .programme
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        let theme_index = |note: &Note| {
            let theme = note.place.theme()?;
            state.themes.iter().position(|t| t.id == theme)
        };
        let note_votes = note_votes(state);
        let in_order = state.notes_in_order();
        let mut merged: BTreeMap<NoteId, Vec<String>> = BTreeMap::new();
        for note in &in_order {
            if let Place::Merged { into } = note.place {
                merged.entry(into).or_default().push(note.text.clone());
            }
        }
        let visible: Vec<&Note> = in_order
            .into_iter()
            .filter(|n| n.place.is_visible())
            .collect();
        let notes = visible
            .iter()
            .map(|note| MeetingNote {
                text: note.text.clone(),
                step: note.step.and_then(|s| step_index.get(&s).copied()),
                question: note.question.map(usize::from),
                group: note
                    .step
                    .zip(note.group)
                    .and_then(|(step, group)| state.programme.group(step, group))
                    .map(|g| g.number),
                role: note
                    .role
                    .and_then(|role| named_role(state, &headcount, role)),
                for_group: note.for_group,
                theme: theme_index(note),
                votes: note_votes.get(&note.id).copied(),
                merged: merged.remove(&note.id).unwrap_or_default(),
            })
            .collect();
        Meeting {
            title: state.title.clone(),
            date: state.created_at,
            language: lang,
            participants: state.participants.len() as u32,
            roles: pooled(
                state
                    .roles
                    .iter()
                    .map(|r| (r.label(lang), headcount.get(&r.id).copied().unwrap_or(0)))
                    .collect(),
            ),
            steps: state
                .programme
                .steps
                .iter()
                .map(|s| MeetingStep {
                    kind: s.kind,
                    title: s.title.clone(),
                    questions: s.questions.clone(),
                })
                .collect(),
            themes: state.themes.iter().map(|t| t.name.clone()).collect(),
            notes,
            hidden_notes: state
                .notes
                .values()
                .filter(|n| n.place == Place::Hidden)
                .count() as u32,
            priorities: priorities(state),
            floor: floor(state, &headcount),
        }
    }

    /// Checks an imported meeting against the limits a live one obeys.
    fn check(&self) -> Result<(), String> {
        let too_long = |text: &str, max: usize| text.chars().count() > max;
        if too_long(&self.title, limits::TITLE_MAX_CHARS) {
            return Err("a meeting title is too long".into());
        }
        if self.notes.len() > MAX_NOTES_PER_MEETING {
            return Err(format!(
                "a meeting has more than {MAX_NOTES_PER_MEETING} notes"
            ));
        }
        for note in &self.notes {
            if note.merged.len() > MAX_NOTES_PER_MEETING {
                return Err("too many merged notes".into());
            }
            for text in std::iter::once(&note.text).chain(&note.merged) {
                if too_long(text, limits::NOTE_MAX_CHARS) {
                    return Err("a note is longer than a note may be".into());
                }
            }
            let step = note.step.map(|s| self.steps.get(s));
            if matches!(step, Some(None)) {
                return Err("a note refers to a step that is not there".into());
            }
            if note.theme.is_some_and(|t| t >= self.themes.len()) {
                return Err("a note refers to a theme that is not there".into());
            }
        }
        if self.steps.len() > ordet_shared::programme::MAX_STEPS
            || self.themes.len() > ordet_shared::notes::MAX_THEMES
        {
            return Err("too many steps or themes".into());
        }
        if let Some(priorities) = &self.priorities
            && priorities.items.len() > ordet_shared::voting::MAX_ITEMS
        {
            return Err("too many options in the vote".into());
        }
        Ok(())
    }

    /// The question a note answers, if it names one.
    pub fn question_of(&self, note: &MeetingNote) -> Option<&str> {
        let step = self.steps.get(note.step?)?;
        step.questions
            .get(note.question.unwrap_or(0))
            .map(String::as_str)
    }
}

/// How many participants hold each role.
fn role_headcount(state: &State) -> BTreeMap<RoleId, usize> {
    let mut counts = BTreeMap::new();
    for participant in state.participants.values() {
        *counts.entry(participant.role).or_default() += 1;
    }
    counts
}

/// The role's name, if at least [`MIN_GROUP_FOR_BREAKDOWN`] people hold it; `None` means it
/// goes into the pooled row.
fn named_role(state: &State, headcount: &BTreeMap<RoleId, usize>, role: RoleId) -> Option<String> {
    let enough = headcount.get(&role).copied().unwrap_or(0) >= MIN_GROUP_FOR_BREAKDOWN as usize;
    enough
        .then(|| state.role(role).map(|r| r.label(state.language)))
        .flatten()
}

/// Role rows with every role under three people pooled into one unnamed row (left out when
/// nobody is in it).
fn pooled(rows: Vec<(String, usize)>) -> Vec<RoleCount> {
    let limit = MIN_GROUP_FOR_BREAKDOWN as usize;
    let small: usize = rows
        .iter()
        .filter(|(_, n)| *n < limit)
        .map(|(_, n)| n)
        .sum();
    let mut out: Vec<RoleCount> = rows
        .into_iter()
        .filter(|(_, n)| *n >= limit)
        .map(|(role, count)| RoleCount {
            role: Some(role),
            count: count as u32,
        })
        .collect();
    if small > 0 {
        out.push(RoleCount {
            role: None,
            count: small as u32,
        });
    }
    out
}

/// The full tally of the conference's vote, whether or not it has been revealed in the room.
fn full_tally(state: &State) -> Option<Vec<ordet_shared::voting::ItemResult>> {
    let voting = state.voting.as_ref()?;
    Some(tally(state, &voting.items, &state.private.ballots))
}

/// Dots per note, when the vote was on notes.
fn note_votes(state: &State) -> BTreeMap<NoteId, u32> {
    match (&state.voting, full_tally(state)) {
        (Some(voting), Some(results)) if voting.setup.on == VoteOn::Notes => results
            .into_iter()
            .map(|r| (NoteId(r.item), r.dots))
            .collect(),
        _ => BTreeMap::new(),
    }
}

fn priorities(state: &State) -> Option<Priorities> {
    let voting = state.voting.as_ref()?;
    let lang = state.language;
    let results = full_tally(state)?;
    let items = results
        .into_iter()
        .filter_map(|result| {
            let (label, theme) = match voting.setup.on {
                VoteOn::Themes => {
                    let index = state.themes.iter().position(|t| t.id.0 == result.item)?;
                    (state.themes[index].name.clone(), Some(index))
                }
                VoteOn::Notes => (state.notes.get(&NoteId(result.item))?.text.clone(), None),
            };
            Some(PriorityItem {
                label,
                theme,
                dots: result.dots,
                by_role: result
                    .by_role
                    .iter()
                    .filter_map(|(role, dots)| {
                        Some(RoleCount {
                            role: Some(state.role(*role)?.label(lang)),
                            count: *dots,
                        })
                    })
                    .collect(),
            })
        })
        .collect();
    Some(Priorities {
        on: voting.setup.on,
        voters: state.private.ballots.len() as u32,
        budget: voting.setup.budget,
        items,
    })
}

fn floor(state: &State, headcount: &BTreeMap<RoleId, usize>) -> Vec<FloorRow> {
    let mut rows: Vec<FloorRow> = Vec::new();
    let mut pooled = FloorRow {
        role: None,
        seconds: 0,
        turns: 0,
        passes: 0,
    };
    for share in ordet_shared::turns::floor_by_role(state) {
        let row = FloorRow {
            role: named_role(state, headcount, share.role),
            seconds: share.spoke_ms / 1000,
            turns: share.turns as u32,
            passes: share.passes as u32,
        };
        if row.role.is_some() {
            rows.push(row);
        } else {
            pooled.seconds += row.seconds;
            pooled.turns += row.turns;
            pooled.passes += row.passes;
        }
    }
    if pooled.turns > 0 {
        rows.push(pooled);
    }
    rows
}
