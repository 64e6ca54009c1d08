//! The facts an input document is made from, as exported in JSON and imported again. A
//! [`Meeting`] is taken from a conference's state with every anonymity rule applied once,
//! here: no names anywhere, no role, group or per-group question shown with a note that
//! would narrow its writer to fewer than [`anonymity::K`] people (each note's own mask, as
//! the room's screens showed it, and the same rule again on the state exported, so notes
//! older than the mask are checked too), roles pooled by [`anonymity::shown_roles`], no
//! hidden or withdrawn note. Everything the document shows besides these facts (ranks, the
//! word cloud, the plan table) is worked out from them when the document is written, so an
//! imported file gives exactly the document its exporter saw.

use std::collections::{BTreeMap, BTreeSet};

use ordet_shared::anonymity::{self, Masked};
use ordet_shared::notes::Place;
use ordet_shared::programme::StepKind;
use ordet_shared::state::{Note, State};
use ordet_shared::text::{TextProblem, clean};
use ordet_shared::voting::{VoteOn, tally};
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
/// Largest JSON file an import accepts. An export at every other limit here (20,000 notes,
/// two million characters) is about 15 MiB.
pub const MAX_IMPORT_BYTES: usize = 32 * 1024 * 1024;
/// Most notes merged into one note of an imported meeting. A live wall rarely has more
/// than a handful of copies of one note; without a limit, one small file of notes with
/// thousands of empty merged texts each made every export of its plan a gigabyte.
pub const MAX_MERGED_PER_NOTE: usize = 20;
/// Most note texts (notes and the texts merged into them) the imported meetings of one plan
/// hold together, whether they came in one file or several: as many as the largest meeting.
pub const MAX_IMPORTED_TEXTS: usize = MAX_NOTES_PER_MEETING;
/// Most characters of text (every note, title, question, theme and role name) the imported
/// meetings of one plan hold together: a hundred for each of [`MAX_IMPORTED_TEXTS`].
pub const MAX_IMPORTED_CHARS: usize = 2_000_000;
/// Largest count (of people, notes, dots, turns) an imported meeting may state.
pub const MAX_IMPORTED_COUNT: u32 = 1_000_000;
/// Largest speaking time an imported meeting may state, in seconds (about three years).
pub const MAX_IMPORTED_SECONDS: u64 = 100_000_000;
/// Most JSON values (strings, lists and objects) an imported file may hold. Counted before
/// the file is read into memory, so that a file of millions of tiny values (each takes ten
/// times its size in memory) is refused before it costs anything. An export at the limits
/// above holds about fifteen per note.
pub const MAX_IMPORT_VALUES: usize = 500_000;

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
    /// `role: None` (with more roles, when the pool would otherwise hold one or two).
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
    /// Index of its question in that step's `questions`; `None` in a step of several
    /// questions when the question was left out (it would have named a small group).
    pub question: Option<usize>,
    /// Its group's number in that step, unless the group was too small to show.
    pub group: Option<u32>,
    /// Its writer's role, when it narrows the writer to no fewer than three people (within
    /// the group shown, or else among everyone not in a shown group).
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

    /// Reads an exported file, refusing anything that is not one or breaks a limit: every
    /// text is cleaned as a typed one is ([`ordet_shared::text::clean`]), and a text with
    /// nothing visible left, or more of anything than a limit allows, refuses the whole file
    /// with a sentence that says what is wrong.
    pub fn from_json(bytes: &[u8]) -> Result<InputDocument, String> {
        let values = json_values(bytes);
        if values > MAX_IMPORT_VALUES {
            return Err(format!(
                "The file holds {values} JSON values; an input document holds at most {MAX_IMPORT_VALUES}."
            ));
        }
        let mut document: InputDocument = serde_json::from_slice(bytes)
            .map_err(|e| format!("The file is not an Ordet export: {e}."))?;
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
            return Err(format!(
                "The file has {} meetings; a plan holds at most {MAX_MEETINGS}.",
                document.meetings.len()
            ));
        }
        document.title = clean_field(&document.title, limits::TITLE_MAX_CHARS, "the title")?;
        for meeting in &mut document.meetings {
            meeting.clean_imported()?;
        }
        ImportSize::of(&document.meetings).within_limits()?;
        Ok(document)
    }
}

/// How much text imported meetings hold: what [`MAX_IMPORTED_TEXTS`] and
/// [`MAX_IMPORTED_CHARS`] limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportSize {
    /// Notes and merged texts.
    pub texts: usize,
    /// Characters in every text of the meetings.
    pub chars: usize,
}

impl ImportSize {
    /// The size of `meetings` together.
    pub fn of<'a>(meetings: impl IntoIterator<Item = &'a Meeting>) -> ImportSize {
        let mut size = ImportSize::default();
        for meeting in meetings {
            size.texts += meeting
                .notes
                .iter()
                .map(|n| 1 + n.merged.len())
                .sum::<usize>();
            meeting.each_text(|text| size.chars += text.chars().count());
        }
        size
    }

    /// Both sizes added.
    pub fn plus(self, other: ImportSize) -> ImportSize {
        ImportSize {
            texts: self.texts + other.texts,
            chars: self.chars + other.chars,
        }
    }

    /// Refuses a size over [`MAX_IMPORTED_TEXTS`] or [`MAX_IMPORTED_CHARS`], saying which.
    pub fn within_limits(self) -> Result<(), String> {
        if self.texts > MAX_IMPORTED_TEXTS {
            return Err(format!(
                "The imported meetings would hold {} notes and merged texts; a plan's imported meetings hold at most {MAX_IMPORTED_TEXTS}.",
                self.texts
            ));
        }
        if self.chars > MAX_IMPORTED_CHARS {
            return Err(format!(
                "The imported meetings would hold {} characters of text; a plan's imported meetings hold at most {MAX_IMPORTED_CHARS}.",
                self.chars
            ));
        }
        Ok(())
    }
}

/// How many strings, lists and objects a JSON text holds (object keys counted as strings),
/// without reading it into memory.
fn json_values(bytes: &[u8]) -> usize {
    let (mut values, mut in_string, mut escaped) = (0, false, false);
    for &byte in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else if byte == b'"' {
            in_string = true;
            values += 1;
        } else if byte == b'{' || byte == b'[' {
            values += 1;
        }
    }
    values
}

/// `text` cleaned as typed text is; `what` names it in the refusal.
fn clean_field(text: &str, max_chars: usize, what: &str) -> Result<String, String> {
    clean_text(text, max_chars, false, what)
}

fn clean_text(text: &str, max_chars: usize, multiline: bool, what: &str) -> Result<String, String> {
    clean(text, max_chars, multiline).map_err(|problem| match problem {
        TextProblem::Empty => format!("{what} is empty (nothing visible once cleaned)."),
        TextProblem::TooLong => format!("{what} is longer than {max_chars} characters."),
    })
}

/// Each of `items` cleaned, refusing more than `max_count` of them.
fn clean_all(
    items: &mut [String],
    max_count: usize,
    max_chars: usize,
    what: &str,
) -> Result<(), String> {
    if items.len() > max_count {
        return Err(format!("There are more than {max_count} of {what}."));
    }
    for item in items {
        *item = clean_field(item, max_chars, what)?;
    }
    Ok(())
}

/// A role's name, cleaned, when it has one (the pooled row has none).
fn clean_role(role: &mut Option<String>) -> Result<(), String> {
    if let Some(name) = role {
        *name = clean_field(name, limits::ROLE_NAME_MAX_CHARS, "a role's name")?;
    }
    Ok(())
}

impl Meeting {
    /// The anonymous facts of a conference, from its full state (the server's own, with the
    /// ballots, so a vote whose results are still hidden in the room is counted).
    pub fn from_state(state: &State) -> Meeting {
        let lang = state.language;
        let headcount = role_headcount(state);
        let named = anonymity::shown_roles(&headcount);
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
            .map(|note| {
                let masked = export_mask(state, note);
                MeetingNote {
                    text: note.text.clone(),
                    step: note.step.and_then(|s| step_index.get(&s).copied()),
                    question: note.question.filter(|_| !masked.question).map(usize::from),
                    group: note
                        .step
                        .zip(note.group)
                        .filter(|_| !masked.group)
                        .and_then(|(step, group)| state.programme.group(step, group))
                        .map(|g| g.number),
                    role: note
                        .role
                        .filter(|_| !masked.role)
                        .and_then(|role| named_role(state, &named, role)),
                    for_group: note.for_group,
                    theme: theme_index(note),
                    votes: note_votes.get(&note.id).copied(),
                    merged: merged.remove(&note.id).unwrap_or_default(),
                }
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
                    .map(|r| {
                        let count = headcount.get(&r.id).copied().unwrap_or(0);
                        (r.label(lang), count, named.contains(&r.id))
                    })
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
            floor: floor(state, &named),
        }
    }

    /// Cleans an imported meeting's texts and checks it against the limits a live one
    /// obeys: a text with nothing visible, one too long, too many of anything, or an index
    /// that points nowhere refuses it.
    fn clean_imported(&mut self) -> Result<(), String> {
        self.title = clean_field(&self.title, limits::TITLE_MAX_CHARS, "a meeting's title")?;
        if self.roles.len() > limits::MAX_ROLES + 1 || self.floor.len() > limits::MAX_ROLES + 1 {
            return Err(format!(
                "A meeting lists more than {} roles.",
                limits::MAX_ROLES
            ));
        }
        for row in &mut self.roles {
            clean_role(&mut row.role)?;
        }
        for row in &mut self.floor {
            clean_role(&mut row.role)?;
        }
        if self.steps.len() > ordet_shared::programme::MAX_STEPS {
            return Err(format!(
                "A meeting has more than {} steps.",
                ordet_shared::programme::MAX_STEPS
            ));
        }
        for step in &mut self.steps {
            step.title = clean_field(
                &step.title,
                ordet_shared::programme::STEP_TITLE_MAX_CHARS,
                "a step's title",
            )?;
            if step.questions.len() > ordet_shared::programme::MAX_QUESTIONS {
                return Err(format!(
                    "A step has more than {} questions.",
                    ordet_shared::programme::MAX_QUESTIONS
                ));
            }
            for question in &mut step.questions {
                // A plenary step's question may be left blank.
                if !question.is_empty() {
                    *question = clean_field(
                        question,
                        ordet_shared::programme::QUESTION_MAX_CHARS,
                        "a question",
                    )?;
                }
            }
        }
        clean_all(
            &mut self.themes,
            ordet_shared::notes::MAX_THEMES,
            ordet_shared::notes::THEME_NAME_MAX_CHARS,
            "a theme's name",
        )?;
        if self.notes.len() > MAX_NOTES_PER_MEETING {
            return Err(format!(
                "A meeting has {} notes; a meeting holds at most {MAX_NOTES_PER_MEETING}.",
                self.notes.len()
            ));
        }
        for note in &mut self.notes {
            if note.merged.len() > MAX_MERGED_PER_NOTE {
                return Err(format!(
                    "A note has {} texts merged into it; a note holds at most {MAX_MERGED_PER_NOTE}.",
                    note.merged.len()
                ));
            }
            note.text = clean_text(&note.text, limits::NOTE_MAX_CHARS, true, "A note")?;
            for merged in &mut note.merged {
                *merged = clean_text(merged, limits::NOTE_MAX_CHARS, true, "A merged note")?;
            }
            clean_role(&mut note.role)?;
            let step = note.step.map(|s| self.steps.get(s));
            if matches!(step, Some(None)) {
                return Err("A note refers to a step that is not there.".into());
            }
            if note.theme.is_some_and(|t| t >= self.themes.len()) {
                return Err("A note refers to a theme that is not there.".into());
            }
        }
        let mut counts = vec![self.participants, self.hidden_notes];
        counts.extend(self.roles.iter().map(|r| r.count));
        counts.extend(self.notes.iter().filter_map(|n| n.votes));
        counts.extend(self.floor.iter().flat_map(|r| [r.turns, r.passes]));
        if let Some(priorities) = &self.priorities {
            counts.push(priorities.voters);
            for item in &priorities.items {
                counts.push(item.dots);
                counts.extend(item.by_role.iter().map(|r| r.count));
            }
        }
        if counts.into_iter().any(|count| count > MAX_IMPORTED_COUNT)
            || self.floor.iter().any(|r| r.seconds > MAX_IMPORTED_SECONDS)
        {
            return Err("A meeting has a number larger than any meeting can have.".into());
        }
        if let Some(priorities) = &mut self.priorities {
            // Most dots first, as exported (ranks are counted down from the first).
            priorities
                .items
                .sort_by_key(|item| std::cmp::Reverse(item.dots));
            if priorities.items.len() > ordet_shared::voting::MAX_ITEMS {
                return Err(format!(
                    "The vote has more than {} options.",
                    ordet_shared::voting::MAX_ITEMS
                ));
            }
            for item in &mut priorities.items {
                item.label = clean_text(
                    &item.label,
                    limits::NOTE_MAX_CHARS,
                    true,
                    "An option of the vote",
                )?;
                if item.by_role.len() > limits::MAX_ROLES + 1 {
                    return Err(format!(
                        "A vote lists more than {} roles.",
                        limits::MAX_ROLES
                    ));
                }
                for row in &mut item.by_role {
                    clean_role(&mut row.role)?;
                }
            }
        }
        Ok(())
    }

    /// Calls `each` with every text of the meeting.
    fn each_text(&self, mut each: impl FnMut(&str)) {
        each(&self.title);
        let roles = self.roles.iter().chain(
            self.priorities
                .iter()
                .flat_map(|p| p.items.iter().flat_map(|i| &i.by_role)),
        );
        for role in roles.filter_map(|r| r.role.as_deref()) {
            each(role);
        }
        for role in self.floor.iter().filter_map(|r| r.role.as_deref()) {
            each(role);
        }
        for step in &self.steps {
            each(&step.title);
            step.questions.iter().for_each(|q| each(q));
        }
        self.themes.iter().for_each(|t| each(t));
        for note in &self.notes {
            each(&note.text);
            note.merged.iter().for_each(|m| each(m));
            if let Some(role) = &note.role {
                each(role);
            }
        }
        for item in self.priorities.iter().flat_map(|p| &p.items) {
            each(&item.label);
        }
    }

    /// The position of the question a note answers in its step: the one it names, or the
    /// first when it names none in a step of one question (notes of old logs). A note of a
    /// step of several questions that names none had its question left out: `None`.
    pub fn question_index(&self, note: &MeetingNote) -> Option<usize> {
        let step = self.steps.get(note.step?)?;
        note.question.or((step.questions.len() <= 1).then_some(0))
    }

    /// The question a note answers, if it names one.
    pub fn question_of(&self, note: &MeetingNote) -> Option<&str> {
        let step = self.steps.get(note.step?)?;
        step.questions
            .get(self.question_index(note)?)
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

/// What the document leaves out of a note: what its mask left out of every screen when it
/// was posted, and what the same rule leaves out when decided again on the state exported
/// (groups or roles may have shrunk since, and notes older than the mask have none). The
/// facilitator's notes and a group's own notes carry nothing to leave out.
fn export_mask(state: &State, note: &Note) -> Masked {
    let again = match state.private.authors.get(&note.id) {
        Some(writer) if !note.for_group && note.role.is_some() => {
            anonymity::mask(state, note.step, *writer)
        }
        _ => Masked::default(),
    };
    let stored = note.masked;
    Masked {
        role: stored.role || again.role,
        group: stored.group || again.group,
        question: stored.question || again.question,
    }
}

/// The role's name, if [`anonymity::shown_roles`] of the whole conference names it; `None`
/// means it goes into the pooled row.
fn named_role(state: &State, named: &BTreeSet<RoleId>, role: RoleId) -> Option<String> {
    named
        .contains(&role)
        .then(|| state.role(role).map(|r| r.label(state.language)))
        .flatten()
}

/// Role rows (name, people, whether it is named) with every role not named pooled into one
/// unnamed row (left out when nobody is in it).
fn pooled(rows: Vec<(String, usize, bool)>) -> Vec<RoleCount> {
    let small: usize = rows
        .iter()
        .filter(|(_, _, named)| !named)
        .map(|(_, n, _)| n)
        .sum();
    let mut out: Vec<RoleCount> = rows
        .into_iter()
        .filter(|(_, _, named)| *named)
        .map(|(role, count, _)| RoleCount {
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

/// The full tally of the conference's vote, whether or not it has been revealed in the room,
/// once voting has closed: while it is open an export has no totals, like every screen, so
/// exports taken one after another cannot be differenced into ballots. Totals the room was
/// shown are used as shown (a voter removed after close does not change them: the
/// difference would be their ballot; see `ordet_shared::voting`).
fn full_tally(state: &State) -> Option<Vec<ordet_shared::voting::ItemResult>> {
    let voting = state.voting.as_ref().filter(|v| !v.open)?;
    Some(match &voting.results {
        Some(shown) => shown.clone(),
        None => tally(state, &voting.items, &state.private.ballots),
    })
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

/// The note, if the document shows it: on the wall, or merged into a note on the wall. A
/// hidden or withdrawn note stays out of every part of the document, its vote too.
fn shown_note(state: &State, id: NoteId) -> Option<&Note> {
    let note = state.notes.get(&id)?;
    let shown = match note.place {
        Place::Wall { .. } => true,
        Place::Merged { into } => state.notes.get(&into).is_some_and(|n| n.place.is_visible()),
        Place::Hidden | Place::Withdrawn => false,
    };
    shown.then_some(note)
}

/// The vote's options with their dots, from the full tally; on notes, only the notes the
/// document shows.
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
                VoteOn::Notes => (shown_note(state, NoteId(result.item))?.text.clone(), None),
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
        voters: voting.voters,
        budget: voting.setup.budget,
        items,
    })
}

fn floor(state: &State, named: &BTreeSet<RoleId>) -> Vec<FloorRow> {
    let mut rows: Vec<FloorRow> = Vec::new();
    let mut pooled = FloorRow {
        role: None,
        seconds: 0,
        turns: 0,
        passes: 0,
    };
    for share in ordet_shared::turns::floor_by_role(state) {
        let row = FloorRow {
            role: named_role(state, named, share.role),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn note(text: &str, merged: Vec<String>) -> MeetingNote {
        MeetingNote {
            text: text.into(),
            step: None,
            question: None,
            group: None,
            role: None,
            for_group: false,
            theme: None,
            votes: None,
            merged,
        }
    }

    fn meeting(notes: Vec<MeetingNote>) -> Meeting {
        Meeting {
            title: "Ope møte".into(),
            date: Timestamp(1),
            language: Lang::Nn,
            participants: 3,
            roles: Vec::new(),
            steps: Vec::new(),
            themes: Vec::new(),
            notes,
            hidden_notes: 0,
            priorities: None,
            floor: Vec::new(),
        }
    }

    fn file(meetings: Vec<Meeting>) -> Vec<u8> {
        serde_json::to_vec(&InputDocument::new("Plan".into(), Lang::Nn, true, meetings)).unwrap()
    }

    /// A conference driven through the rules as the server drives it.
    struct Room(State);

    impl Room {
        fn new() -> Room {
            let mut room = Room(State::default());
            room.apply(ordet_shared::Event::ConferenceCreated {
                id: ordet_shared::ConferenceId::random(),
                title: "Ope møte".into(),
                language: Lang::Nb,
                join_code: ordet_shared::JoinCode::parse("K7P4RX").unwrap(),
                created_at: Timestamp(0),
                roles: ordet_shared::state::Role::defaults(),
            });
            room
        }

        fn apply(&mut self, event: ordet_shared::Event) {
            let seq = self.0.seq + 1;
            self.0.apply(&ordet_shared::SequencedEvent { seq, event });
        }

        fn run(&mut self, actor: ordet_shared::command::Actor, command: ordet_shared::Command) {
            let events =
                ordet_shared::command::decide(&self.0, actor, &command, Timestamp(1_000)).unwrap();
            events.into_iter().for_each(|e| self.apply(e));
        }

        fn join(&mut self, role: ordet_shared::state::BuiltinRole) -> ordet_shared::ParticipantId {
            let id = ordet_shared::ParticipantId::random();
            let join = ordet_shared::Command::Join {
                name: Some("Kari".into()),
                role: role.id(),
            };
            self.run(ordet_shared::command::Actor::Participant { id }, join);
            id
        }

        fn post(&mut self, id: ordet_shared::ParticipantId, text: &str) {
            let note = ordet_shared::Command::PostNote {
                note: NoteId::random(),
                text: text.into(),
                question: None,
                for_group: false,
            };
            self.run(ordet_shared::command::Actor::Participant { id }, note);
        }
    }

    #[test]
    fn a_group_of_two_youths_and_a_politician_shows_as_a_group_without_roles() {
        use ordet_shared::Command;
        use ordet_shared::command::Actor;
        use ordet_shared::programme::{GroupingMode, Step};
        use ordet_shared::state::BuiltinRole::{Politician, Youth};
        let mut room = Room::new();
        let members = [room.join(Youth), room.join(Youth), room.join(Politician)];
        let step = Step {
            id: StepId::random(),
            kind: StepKind::GroupRound,
            title: "Runde".into(),
            questions: vec!["Kvar står vi?".into()],
            timebox_secs: None,
            notes_open: true,
            per_group: false,
            turns: None,
        };
        let id = step.id;
        room.run(Actor::Facilitator, Command::AddStep { step, index: None });
        room.run(Actor::Facilitator, Command::StartStep { step: id });
        room.run(
            Actor::Facilitator,
            Command::SetGroupSettings {
                size: 3,
                prefer_youth_leader: true,
            },
        );
        room.run(
            Actor::Facilitator,
            Command::FormGroups {
                step: id,
                mode: GroupingMode::Mixed,
            },
        );
        for (i, member) in members.into_iter().enumerate() {
            room.post(member, &format!("Innspel {i}"));
        }
        // Four youths and three parents come late (some sit down in Group 1, which still
        // has no role to name), so the conference names Youth: only each note's group
        // keeps it off the notes of Group 1.
        let late: Vec<_> = (0..4).map(|_| room.join(Youth)).collect();
        (0..3).for_each(|_| {
            room.join(ordet_shared::state::BuiltinRole::Parent);
        });
        room.post(late[0], "Seint innspel");
        let meeting = Meeting::from_state(&room.0);
        let in_group: Vec<_> = meeting
            .notes
            .iter()
            .filter(|n| n.group == Some(1))
            .collect();
        assert!(in_group.len() >= 3);
        for note in in_group {
            assert_eq!(
                note.role, None,
                "{note:?}: a role in Group 1 is one or two people"
            );
        }
        // Six youths, three parents and one politician: naming Parent would leave the
        // politician alone in the pooled row, so Parent is pooled with them.
        assert_eq!(
            meeting.roles,
            vec![
                RoleCount {
                    role: Some("Elev / ungdom".into()),
                    count: 6
                },
                RoleCount {
                    role: None,
                    count: 4
                }
            ]
        );
    }

    #[test]
    fn a_note_whose_group_was_too_small_has_no_group_or_question_of_its_own_in_the_document() {
        let mut room = Room::new();
        let writer = room.join(ordet_shared::state::BuiltinRole::Youth);
        room.post(writer, "Innspel");
        let mut state = room.0.clone();
        let note = state.notes.values_mut().next().unwrap();
        assert!(note.masked.role, "one person: the role is left out");
        note.role = Some(ordet_shared::state::BuiltinRole::Youth.id());
        note.masked.group = true;
        note.masked.question = true;
        note.group = Some(ordet_shared::GroupId::random());
        note.question = Some(1);
        let meeting = Meeting::from_state(&state);
        let exported = &meeting.notes[0];
        assert_eq!(
            (exported.group, exported.question, &exported.role),
            (None, None, &None)
        );
    }

    #[test]
    fn a_good_file_reads_back_the_same() {
        let meetings = vec![meeting(vec![note(
            "Meir buss",
            vec!["Fleire bussar".into()],
        )])];
        let read = InputDocument::from_json(&file(meetings.clone())).unwrap();
        assert_eq!(read.meetings, meetings);
    }

    #[test]
    fn too_many_merged_texts_refuse_the_file_and_say_so() {
        let merged = vec!["Same".to_string(); MAX_MERGED_PER_NOTE + 1];
        let problem =
            InputDocument::from_json(&file(vec![meeting(vec![note("Meir buss", merged)])]))
                .unwrap_err();
        assert!(problem.contains("merged"), "{problem}");
        let merged = vec!["Same".to_string(); MAX_MERGED_PER_NOTE];
        assert!(
            InputDocument::from_json(&file(vec![meeting(vec![note("Meir buss", merged)])])).is_ok()
        );
    }

    #[test]
    fn an_empty_or_invisible_text_refuses_the_file() {
        for blank in ["", "   ", "\u{200B}\u{200B}", "\u{202E}"] {
            let problem = InputDocument::from_json(&file(vec![meeting(vec![note(
                "Meir buss",
                vec![blank.to_string()],
            )])]))
            .unwrap_err();
            assert!(problem.contains("empty"), "{blank:?}: {problem}");
            assert!(
                InputDocument::from_json(&file(vec![meeting(vec![note(blank, vec![])])])).is_err()
            );
        }
    }

    #[test]
    fn imported_texts_are_cleaned_as_typed_ones() {
        let mut hostile = meeting(vec![note("Meir\u{202E} buss\u{200B}", vec![])]);
        hostile.title = "Møte\u{2066}".into();
        hostile.roles = vec![RoleCount {
            role: Some("Ungdom\u{FEFF}".into()),
            count: 3,
        }];
        let read = InputDocument::from_json(&file(vec![hostile])).unwrap();
        assert_eq!(read.meetings[0].notes[0].text, "Meir buss");
        assert_eq!(read.meetings[0].title, "Møte");
        assert_eq!(read.meetings[0].roles[0].role.as_deref(), Some("Ungdom"));
    }

    #[test]
    fn the_imported_meetings_of_a_plan_are_limited_together() {
        let notes = |n: usize| {
            (0..n)
                .map(|i| note(&format!("Innspel {i}"), vec![]))
                .collect()
        };
        let half = MAX_IMPORTED_TEXTS / 2;
        let first = vec![meeting(notes(half / 2)), meeting(notes(half - half / 2))];
        assert!(InputDocument::from_json(&file(first.clone())).is_ok());
        let size = ImportSize::of(&first);
        assert_eq!(size.texts, half);
        assert!(size.plus(size).within_limits().is_ok());
        let problem = size
            .plus(size)
            .plus(ImportSize::of(&[meeting(notes(1))]))
            .within_limits()
            .unwrap_err();
        assert!(
            problem.contains(&MAX_IMPORTED_TEXTS.to_string()),
            "{problem}"
        );
        let long = ImportSize {
            texts: 1,
            chars: MAX_IMPORTED_CHARS + 1,
        };
        assert!(long.within_limits().unwrap_err().contains("characters"));
    }

    #[test]
    fn impossible_numbers_are_refused_and_priorities_put_in_order() {
        let mut huge = meeting(vec![]);
        huge.hidden_notes = u32::MAX;
        let problem = InputDocument::from_json(&file(vec![huge.clone(), huge])).unwrap_err();
        assert!(problem.contains("number"), "{problem}");

        let mut voted = meeting(vec![]);
        let item = |label: &str, dots| PriorityItem {
            label: label.into(),
            theme: None,
            dots,
            by_role: vec![],
        };
        voted.priorities = Some(Priorities {
            on: VoteOn::Notes,
            voters: 3,
            budget: 3,
            items: vec![item("Lite", 1), item("Mykje", 5), item("Midt", 3)],
        });
        let read = InputDocument::from_json(&file(vec![voted])).unwrap();
        let labels: Vec<_> = read.meetings[0]
            .priorities
            .as_ref()
            .unwrap()
            .items
            .iter()
            .map(|i| i.label.as_str())
            .collect();
        assert_eq!(labels, ["Mykje", "Midt", "Lite"]);
    }

    #[test]
    fn a_file_of_millions_of_tiny_values_is_refused_before_it_is_read() {
        assert_eq!(json_values(br#"{"a":["x","y\"z",{}],"b":1}"#), 7);
        let mut huge = b"{\"format\":\"ordet-input-document\",\"x\":[".to_vec();
        for _ in 0..=MAX_IMPORT_VALUES {
            huge.extend_from_slice(b"\"\",");
        }
        huge.extend_from_slice(b"\"\"]}");
        let problem = InputDocument::from_json(&huge).unwrap_err();
        assert!(problem.contains("JSON values"), "{problem}");
    }
}
