//! Sticky notes and themes: capture, moderation, clustering and what the projector wall shows.
//!
//! Every note is in exactly one [`Place`]: on the wall (in a theme or not yet), hidden by the
//! facilitator, merged into another note, or withdrawn by its writer. Moving, hiding,
//! merging and restoring all set that one field, so a note can never be in two places or
//! none. Hidden and merged notes stay in the log and can be restored; a merged note's text
//! is shown with the note it was merged into.
//!
//! Who wrote a note is known only to the server ([`crate::state::Private`]), so a writer can
//! edit or withdraw their own note until the facilitator locks the step; no screen is ever
//! told. A note shows its writer's name only when the facilitator turned names on before it
//! was written.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::anonymity;
use crate::clustering;
use crate::command::{Actor, Command};
use crate::event::Event;
use crate::ids::{GroupId, NoteId, StepId, ThemeId, Timestamp};
use crate::limits;
use crate::protocol::ErrorCode;
use crate::state::{Note, State};
use crate::text::{TextProblem, clean};

/// Longest theme name, in characters.
pub const THEME_NAME_MAX_CHARS: usize = 80;
/// Most themes in one conference.
pub const MAX_THEMES: usize = 100;

/// Where a note is. Exactly one, always.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "place", rename_all = "snake_case")]
pub enum Place {
    /// On the wall, in a theme or not (yet).
    Wall {
        /// The theme, once clustered.
        theme: Option<ThemeId>,
    },
    /// Hidden by the facilitator: gone from every screen and export, kept in the history.
    Hidden,
    /// Merged into another note as a duplicate; shown with that note.
    Merged {
        /// The note it was merged into.
        into: NoteId,
    },
    /// Withdrawn by its writer.
    Withdrawn,
}

impl Default for Place {
    fn default() -> Self {
        Place::Wall { theme: None }
    }
}

impl Place {
    /// Whether the note shows on the wall.
    pub fn is_visible(self) -> bool {
        matches!(self, Place::Wall { .. })
    }

    /// The note's theme, if it is on the wall in one.
    pub fn theme(self) -> Option<ThemeId> {
        match self {
            Place::Wall { theme } => theme,
            _ => None,
        }
    }
}

/// A theme (an affinity group of notes) with its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    /// Identifier, made by the facilitator's device.
    pub id: ThemeId,
    /// Its name.
    pub name: String,
}

/// How the projector arranges the notes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WallMode {
    /// The newest notes first.
    #[default]
    Newest,
    /// Under each question of the step.
    ByQuestion,
    /// Under each group.
    ByGroup,
    /// Under each theme.
    ByTheme,
    /// A word cloud.
    WordCloud,
    /// The voting results.
    Results,
}

impl WallMode {
    /// Every mode, in the order the console offers them.
    pub const ALL: [WallMode; 6] = [
        Self::Newest,
        Self::ByQuestion,
        Self::ByGroup,
        Self::ByTheme,
        Self::WordCloud,
        Self::Results,
    ];
}

/// One note or one theme shown large for the plenary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "focus", rename_all = "snake_case")]
pub enum Focus {
    /// One note.
    Note {
        /// Which.
        note: NoteId,
    },
    /// One theme with its notes.
    Theme {
        /// Which.
        theme: ThemeId,
    },
}

/// What the projector wall shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wall {
    /// The arrangement.
    pub mode: WallMode,
    /// One note or theme shown large, over the arrangement.
    pub focus: Option<Focus>,
    /// Whether the wall shows every note of the conference rather than the running step's.
    pub whole_conference: bool,
}

/// Themes proposed by the server for the facilitator to accept, in part or whole: new
/// themes ([`Command::SuggestThemes`]), or a theme among the facilitator's own for each
/// unsorted note ([`Command::SortIntoThemes`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The step whose notes were clustered (`None`: the whole conference).
    pub step: Option<StepId>,
    /// The proposed themes.
    pub themes: Vec<SuggestedTheme>,
    /// For "sort the rest": the proposed theme of each unsorted note alike to one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placements: Vec<Placement>,
}

/// Where "sort the rest" would put one unsorted note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    /// The note.
    pub note: NoteId,
    /// One of the facilitator's themes.
    pub theme: ThemeId,
    /// How sure, from 0 (a guess) to 100 (no other theme comes close).
    pub sure: u8,
    /// The words the note shares with the theme's notes, as the room wrote them: why.
    pub words: Vec<String>,
}

/// Work for a suggestion, taken from the state on the conference's actor and done away from
/// it (it may take a while): see [`SuggestionWork::of`], [`SuggestionWork::run`] and
/// [`suggestion_event`].
#[derive(Clone, Debug)]
pub enum SuggestionWork {
    /// New themes for these notes.
    Themes {
        /// The step (`None`: all unsorted notes).
        step: Option<StepId>,
        /// The unsorted notes, in the order written.
        notes: Vec<(NoteId, String)>,
    },
    /// A theme among `themes` (identifier, name, its notes' texts) for each of `notes`.
    Sorting {
        /// The step (`None`: all unsorted notes).
        step: Option<StepId>,
        /// The facilitator's themes.
        themes: Vec<(ThemeId, String, Vec<String>)>,
        /// The unsorted notes.
        notes: Vec<(NoteId, String)>,
    },
}

/// What a [`SuggestionWork`] found.
#[derive(Clone, Debug)]
pub enum SuggestionDone {
    /// New themes.
    Themes(Vec<SuggestedTheme>),
    /// Placements of unsorted notes.
    Sorting(Vec<Placement>),
}

impl SuggestionWork {
    /// The work `command` asks for, if it is [`Command::SuggestThemes`] or
    /// [`Command::SortIntoThemes`]; the refusal if it may not be done.
    pub fn of(state: &State, actor: Actor, command: &Command) -> Option<Result<Self, ErrorCode>> {
        match command {
            Command::SuggestThemes { step } => Some(
                notes_to_suggest_for(state, actor, *step)
                    .map(|notes| SuggestionWork::Themes { step: *step, notes }),
            ),
            Command::SortIntoThemes { step } => Some(sorting_work(state, actor, *step)),
            _ => None,
        }
    }

    /// The step it is for.
    pub fn step(&self) -> Option<StepId> {
        match self {
            SuggestionWork::Themes { step, .. } | SuggestionWork::Sorting { step, .. } => *step,
        }
    }

    /// Does the work, ending early at `deadline` with what is done by then.
    pub fn run(self, deadline: Option<std::time::Instant>) -> SuggestionDone {
        match self {
            SuggestionWork::Themes { notes, .. } => {
                let texts: Vec<(NoteId, &str)> = notes
                    .iter()
                    .map(|(id, text)| (*id, text.as_str()))
                    .collect();
                SuggestionDone::Themes(match deadline {
                    Some(deadline) => clustering::suggest_within(&texts, deadline),
                    None => clustering::suggest(&texts),
                })
            }
            SuggestionWork::Sorting { themes, notes, .. } => {
                let given: Vec<(&str, Vec<&str>)> = themes
                    .iter()
                    .map(|(_, name, texts)| {
                        (name.as_str(), texts.iter().map(String::as_str).collect())
                    })
                    .collect();
                let texts: Vec<&str> = notes.iter().map(|(_, text)| text.as_str()).collect();
                let sorted = clustering::sort_into(&given, &texts, deadline);
                SuggestionDone::Sorting(
                    notes
                        .iter()
                        .zip(sorted)
                        .filter_map(|((note, _), sorted)| {
                            let sorted = sorted?;
                            Some(Placement {
                                note: *note,
                                theme: themes[sorted.theme].0,
                                sure: sorted.sure,
                                words: sorted.words,
                            })
                        })
                        .collect(),
                )
            }
        }
    }
}

/// The most notes "sort the rest" learns from per theme (the first ones sorted there): enough
/// to know a theme, and a bound on the work whatever the wall holds.
pub const SORT_LEARNS_FROM: usize = 200;

/// The work of [`Command::SortIntoThemes`]: the facilitator's themes with (up to
/// [`SORT_LEARNS_FROM`] of) their notes, and the unsorted notes of `step`.
fn sorting_work(
    state: &State,
    actor: Actor,
    step: Option<StepId>,
) -> Result<SuggestionWork, ErrorCode> {
    if actor != Actor::Facilitator {
        return Err(ErrorCode::NotAllowed);
    }
    if state.themes.is_empty() {
        return Err(ErrorCode::NoThemesYet);
    }
    let mut texts: BTreeMap<ThemeId, Vec<String>> = BTreeMap::new();
    let mut notes = Vec::new();
    for note in state.notes_in_order() {
        match note.place {
            Place::Wall { theme: Some(theme) } => {
                let texts = texts.entry(theme).or_default();
                if texts.len() < SORT_LEARNS_FROM {
                    texts.push(note.text.clone());
                }
            }
            Place::Wall { theme: None } if step.is_none() || note.step == step => {
                notes.push((note.id, note.text.clone()))
            }
            _ => {}
        }
    }
    if notes.is_empty() {
        return Err(ErrorCode::NothingToSort);
    }
    let themes = state
        .themes
        .iter()
        .map(|t| {
            (
                t.id,
                t.name.clone(),
                texts.remove(&t.id).unwrap_or_default(),
            )
        })
        .collect();
    Ok(SuggestionWork::Sorting {
        step,
        themes,
        notes,
    })
}

/// The event proposing what `done` found, in the state as it is now (see [`suggested`]):
/// for placements, notes sorted or gone since then, and themes removed, are left out.
pub fn suggestion_event(state: &State, step: Option<StepId>, done: SuggestionDone) -> Event {
    match done {
        SuggestionDone::Themes(themes) => suggested(state, step, themes),
        SuggestionDone::Sorting(placements) => {
            let placements: Vec<Placement> = placements
                .into_iter()
                .filter(|p| state.theme(p.theme).is_some())
                .filter(|p| {
                    state
                        .notes
                        .get(&p.note)
                        .is_some_and(|n| n.place == Place::Wall { theme: None })
                })
                .collect();
            Event::ThemesSuggested {
                suggestion: Some(Suggestion {
                    step,
                    themes: vec![],
                    placements,
                }),
            }
        }
    }
}

/// One proposed theme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestedTheme {
    /// A short label made from the notes' most telling word(s).
    pub label: String,
    /// The notes it would gather.
    pub notes: Vec<NoteId>,
}

/// The step a note belongs to is locked: its writers may no longer change it.
pub fn is_locked(state: &State, note: &Note) -> bool {
    state.locked.contains(&note.step)
}

/// The note, or why not.
fn note(state: &State, id: NoteId) -> Result<&Note, ErrorCode> {
    state.notes.get(&id).ok_or(ErrorCode::UnknownNote)
}

fn changed(note: &Note, place: Place) -> Event {
    Event::NoteChanged {
        note: Note {
            place,
            ..note.clone()
        },
    }
}

/// A theme name typed by the facilitator, cleaned and checked.
pub fn clean_theme_name(name: &str) -> Result<String, ErrorCode> {
    clean(name, THEME_NAME_MAX_CHARS, false).map_err(|p| match p {
        TextProblem::Empty => ErrorCode::ThemeNameEmpty,
        TextProblem::TooLong => ErrorCode::ThemeNameTooLong,
    })
}

fn clean_note_text(text: &str) -> Result<String, ErrorCode> {
    clean(text, limits::NOTE_MAX_CHARS, true).map_err(|p| match p {
        TextProblem::Empty => ErrorCode::NoteEmpty,
        TextProblem::TooLong => ErrorCode::NoteTooLong,
    })
}

/// The notes' commands: writing, editing, withdrawing, moderating, clustering and the wall.
/// `None` for commands that are not about notes.
pub fn decide_notes(
    state: &State,
    actor: Actor,
    command: &Command,
    now: Timestamp,
) -> Option<Result<Vec<Event>, ErrorCode>> {
    let facilitator = || match actor {
        Actor::Facilitator => Ok(()),
        _ => Err(ErrorCode::NotAllowed),
    };
    let decided = match command {
        Command::PostNote {
            note,
            text,
            question,
            for_group,
        } => post(state, actor, *note, text, *question, *for_group, now),
        Command::EditNote { note: id, text } => (|| {
            let found = note(state, *id)?;
            own_or_facilitator(state, actor, found)?;
            let text = clean_note_text(text)?;
            if text == found.text {
                return Ok(vec![]);
            }
            Ok(vec![Event::NoteChanged {
                note: Note {
                    text,
                    edited: true,
                    ..found.clone()
                },
            }])
        })(),
        Command::WithdrawNote { note: id } => (|| {
            let found = note(state, *id)?;
            if !matches!(actor, Actor::Participant { .. }) {
                return Err(ErrorCode::NotAllowed);
            }
            own_or_facilitator(state, actor, found)?;
            if found.place == Place::Withdrawn {
                return Ok(vec![]);
            }
            let mut events = release_merged(state, *id, found.place.theme());
            events.push(changed(found, Place::Withdrawn));
            Ok(events)
        })(),
        Command::PlaceNote { note: id, place } => (|| {
            facilitator()?;
            let found = note(state, *id)?;
            if found.place == Place::Withdrawn || *place == Place::Withdrawn {
                return Err(ErrorCode::NotAllowed);
            }
            if found.place == *place {
                return Ok(vec![]);
            }
            let mut events = Vec::new();
            match place {
                Place::Wall { theme: Some(theme) } if state.theme(*theme).is_none() => {
                    return Err(ErrorCode::UnknownTheme);
                }
                Place::Merged { into } => {
                    if into == id {
                        return Err(ErrorCode::MergeIntoItself);
                    }
                    let target = note(state, *into)?;
                    if !target.place.is_visible() {
                        return Err(ErrorCode::UnknownNote);
                    }
                    // Notes merged into this one follow it: merges never chain.
                    for merged in merged_into(state, *id) {
                        events.push(changed(merged, Place::Merged { into: *into }));
                    }
                }
                Place::Hidden => events.extend(release_merged(state, *id, None)),
                _ => {}
            }
            events.push(changed(found, *place));
            Ok(events)
        })(),
        Command::CreateTheme { theme, name } => (|| {
            facilitator()?;
            if state.theme(*theme).is_some() {
                return Ok(vec![]);
            }
            if state.themes.len() >= MAX_THEMES {
                return Err(ErrorCode::TooManyThemes);
            }
            Ok(vec![Event::ThemeChanged {
                theme: Theme {
                    id: *theme,
                    name: clean_theme_name(name)?,
                },
            }])
        })(),
        Command::RenameTheme { theme, name } => (|| {
            facilitator()?;
            let found = state.theme(*theme).ok_or(ErrorCode::UnknownTheme)?;
            let name = clean_theme_name(name)?;
            if name == found.name {
                return Ok(vec![]);
            }
            Ok(vec![Event::ThemeChanged {
                theme: Theme { id: *theme, name },
            }])
        })(),
        Command::DeleteTheme { theme } => (|| {
            facilitator()?;
            if state.theme(*theme).is_none() {
                return Ok(vec![]);
            }
            Ok(move_theme_notes(state, *theme, None)
                .into_iter()
                .chain([Event::ThemeRemoved { theme: *theme }])
                .collect())
        })(),
        Command::MergeThemes { theme, into } => (|| {
            facilitator()?;
            state.theme(*theme).ok_or(ErrorCode::UnknownTheme)?;
            state.theme(*into).ok_or(ErrorCode::UnknownTheme)?;
            if theme == into {
                return Ok(vec![]);
            }
            Ok(move_theme_notes(state, *theme, Some(*into))
                .into_iter()
                .chain([Event::ThemeRemoved { theme: *theme }])
                .collect())
        })(),
        Command::SuggestThemes { .. } | Command::SortIntoThemes { .. } => (|| {
            let work = SuggestionWork::of(state, actor, command).expect("a suggestion")?;
            let step = work.step();
            Ok(vec![suggestion_event(state, step, work.run(None))])
        })(),
        Command::AcceptPlacements { notes } => (|| {
            facilitator()?;
            let Some(suggestion) = &state.suggestion else {
                return Ok(vec![]);
            };
            let chosen: BTreeSet<NoteId> = notes.iter().copied().collect();
            let mut events = Vec::new();
            for placement in &suggestion.placements {
                if !chosen.contains(&placement.note) || state.theme(placement.theme).is_none() {
                    continue;
                }
                if let Some(found) = state.notes.get(&placement.note)
                    && found.place == (Place::Wall { theme: None })
                {
                    events.push(changed(
                        found,
                        Place::Wall {
                            theme: Some(placement.theme),
                        },
                    ));
                }
            }
            let left: Vec<Placement> = suggestion
                .placements
                .iter()
                .filter(|p| !chosen.contains(&p.note))
                .cloned()
                .collect();
            let still = !left.is_empty() || !suggestion.themes.is_empty();
            events.push(Event::ThemesSuggested {
                suggestion: still.then(|| Suggestion {
                    placements: left,
                    ..suggestion.clone()
                }),
            });
            Ok(events)
        })(),
        Command::ReturnNotes { notes } => (|| {
            facilitator()?;
            let mut events = Vec::new();
            for (id, theme) in notes {
                if let Some(found) = state.notes.get(id)
                    && found.place
                        == (Place::Wall {
                            theme: Some(*theme),
                        })
                {
                    events.push(changed(found, Place::Wall { theme: None }));
                }
            }
            Ok(events)
        })(),
        Command::AcceptSuggestion { accept } => (|| {
            facilitator()?;
            let Some(suggestion) = &state.suggestion else {
                return Ok(vec![]);
            };
            let mut events = Vec::new();
            let mut created = 0;
            for (index, id) in accept {
                let Some(proposed) = suggestion.themes.get(usize::from(*index)) else {
                    continue;
                };
                if state.theme(*id).is_some() {
                    continue;
                }
                if state.themes.len() + created >= MAX_THEMES {
                    return Err(ErrorCode::TooManyThemes);
                }
                created += 1;
                let name =
                    clean_theme_name(&proposed.label).unwrap_or_else(|_| format!("{}", created));
                events.push(Event::ThemeChanged {
                    theme: Theme { id: *id, name },
                });
                for member in &proposed.notes {
                    if let Some(found) = state.notes.get(member)
                        && found.place == (Place::Wall { theme: None })
                    {
                        events.push(changed(found, Place::Wall { theme: Some(*id) }));
                    }
                }
            }
            let left: Vec<SuggestedTheme> = suggestion
                .themes
                .iter()
                .enumerate()
                .filter(|(i, _)| !accept.iter().any(|(a, _)| usize::from(*a) == *i))
                .map(|(_, t)| t.clone())
                .collect();
            events.push(Event::ThemesSuggested {
                suggestion: (!left.is_empty() || !suggestion.placements.is_empty()).then(|| {
                    Suggestion {
                        step: suggestion.step,
                        themes: left,
                        placements: suggestion.placements.clone(),
                    }
                }),
            });
            Ok(events)
        })(),
        Command::DismissSuggestion => facilitator().map(|_| match state.suggestion {
            None => vec![],
            Some(_) => vec![Event::ThemesSuggested { suggestion: None }],
        }),
        Command::LockNotes { step, locked } => facilitator().map(|_| {
            if state.locked.contains(step) == *locked {
                vec![]
            } else {
                vec![Event::NotesLocked {
                    step: *step,
                    locked: *locked,
                }]
            }
        }),
        Command::ShowNames { shown } => facilitator().map(|_| {
            if state.show_names == *shown {
                vec![]
            } else {
                vec![Event::NamesShown { shown: *shown }]
            }
        }),
        Command::SetWall { wall } => (|| {
            facilitator()?;
            match wall.focus {
                Some(Focus::Note { note: id }) if !note(state, id)?.place.is_visible() => {
                    return Err(ErrorCode::UnknownNote);
                }
                Some(Focus::Theme { theme }) if state.theme(theme).is_none() => {
                    return Err(ErrorCode::UnknownTheme);
                }
                _ => {}
            }
            if state.wall == *wall {
                return Ok(vec![]);
            }
            Ok(vec![Event::WallChanged { wall: *wall }])
        })(),
        _ => return None,
    };
    Some(decided)
}

/// The notes a [`Command::SuggestThemes`] clusters (identifier and text, in the order
/// written): the unsorted notes on the wall, of `step` unless `None`. Only the facilitator
/// may ask, and only when there are at least two. The server clusters them away from the
/// conference and then calls [`suggested`]; [`decide_notes`] does both at once.
pub fn notes_to_suggest_for(
    state: &State,
    actor: Actor,
    step: Option<StepId>,
) -> Result<Vec<(NoteId, String)>, ErrorCode> {
    if actor != Actor::Facilitator {
        return Err(ErrorCode::NotAllowed);
    }
    let notes: Vec<(NoteId, String)> = state
        .notes_in_order()
        .into_iter()
        .filter(|n| n.place == Place::Wall { theme: None })
        .filter(|n| step.is_none() || n.step == step)
        .map(|n| (n.id, n.text.clone()))
        .collect();
    if notes.len() < 2 {
        return Err(ErrorCode::NothingToSuggest);
    }
    Ok(notes)
}

/// The event proposing `themes` (clustered from [`notes_to_suggest_for`]) in the state as it
/// is now: notes sorted, hidden, merged or withdrawn since then are left out, and a theme
/// left with fewer than two notes is dropped. Largest themes first.
pub fn suggested(state: &State, step: Option<StepId>, themes: Vec<SuggestedTheme>) -> Event {
    let unsorted = |id: &NoteId| {
        state
            .notes
            .get(id)
            .is_some_and(|n| n.place == Place::Wall { theme: None })
    };
    let mut themes: Vec<SuggestedTheme> = themes
        .into_iter()
        .map(|t| SuggestedTheme {
            notes: t.notes.into_iter().filter(unsorted).collect(),
            ..t
        })
        .filter(|t| t.notes.len() >= 2)
        .collect();
    themes.sort_by_key(|t| std::cmp::Reverse(t.notes.len()));
    Event::ThemesSuggested {
        suggestion: Some(Suggestion {
            step,
            themes,
            placements: vec![],
        }),
    }
}

fn post(
    state: &State,
    actor: Actor,
    id: NoteId,
    text: &str,
    question: Option<u16>,
    for_group: bool,
    now: Timestamp,
) -> Result<Vec<Event>, ErrorCode> {
    let step = state.programme.current_step();
    let (role, group, name, author) = match actor {
        Actor::Facilitator => (None, None, None, None),
        Actor::Participant { id: me } => {
            let person = state.participants.get(&me).ok_or(ErrorCode::JoinFirst)?;
            if step.is_some_and(|s| !s.notes_open) {
                return Err(ErrorCode::NotesClosed);
            }
            if state.locked.contains(&step.map(|s| s.id)) {
                return Err(ErrorCode::NotesLocked);
            }
            let group = step.and_then(|s| state.programme.group_of(s.id, me));
            if for_group && group.is_none_or(|g| g.note_taker != Some(me)) {
                return Err(ErrorCode::NotANoteTaker);
            }
            let name = person
                .name
                .clone()
                .filter(|_| state.show_names && !for_group);
            let role = (!for_group).then_some(person.role);
            (role, group.map(|g| g.id), name, Some(me))
        }
        Actor::Screen => return Err(ErrorCode::NotAllowed),
    };
    // The facilitator's notes and a group's own notes keep what they carry (see
    // `anonymity`); a participant's note leaves out what would narrow them to under three.
    let masked = match author {
        Some(me) if !for_group => anonymity::mask(state, step.map(|s| s.id), me),
        _ => anonymity::Masked::default(),
    };
    if state.notes.contains_key(&id) {
        return Ok(vec![]);
    }
    if state.notes.len() >= limits::MAX_NOTES {
        return Err(ErrorCode::ConferenceFull);
    }
    let text = clean_note_text(text)?;
    let question = step.and_then(|s| question_for(state, s.id, group, question));
    Ok(vec![Event::NotePosted {
        note: Note {
            id,
            text,
            role,
            posted_at: now,
            seq: state.seq + 1,
            step: step.map(|s| s.id),
            question,
            group,
            for_group,
            name,
            place: Place::default(),
            edited: false,
            masked,
        },
        author,
    }])
}

/// Which question of `step` a note answers: the one asked for if the step has it, otherwise
/// the group's own question (per-group steps) or the first.
fn question_for(
    state: &State,
    step: StepId,
    group: Option<GroupId>,
    asked: Option<u16>,
) -> Option<u16> {
    let found = state.programme.step(step)?;
    if found.questions.is_empty() {
        return None;
    }
    let count = found.questions.len();
    if found.per_group
        && let Some(number) = group.and_then(|g| {
            state
                .programme
                .groups
                .get(&step)?
                .iter()
                .find(|x| x.id == g)
                .map(|x| x.number)
        })
    {
        return Some(((number.max(1) as usize - 1) % count) as u16);
    }
    Some(asked.filter(|q| usize::from(*q) < count).unwrap_or(0))
}

/// The writer (before the step is locked) or the facilitator.
fn own_or_facilitator(state: &State, actor: Actor, found: &Note) -> Result<(), ErrorCode> {
    match actor {
        Actor::Facilitator => Ok(()),
        Actor::Participant { id } => {
            if state.private.authors.get(&found.id) != Some(&id) {
                return Err(ErrorCode::NotYourNote);
            }
            if is_locked(state, found) {
                return Err(ErrorCode::NotesLocked);
            }
            if found.place == Place::Withdrawn {
                return Err(ErrorCode::UnknownNote);
            }
            Ok(())
        }
        Actor::Screen => Err(ErrorCode::NotAllowed),
    }
}

/// Notes merged into `id`.
pub fn merged_into(state: &State, id: NoteId) -> Vec<&Note> {
    state
        .notes_in_order()
        .into_iter()
        .filter(|n| n.place == Place::Merged { into: id })
        .collect()
}

/// Notes merged into `id` go back on the wall (in `theme`), for when `id` leaves it.
fn release_merged(state: &State, id: NoteId, theme: Option<ThemeId>) -> Vec<Event> {
    merged_into(state, id)
        .into_iter()
        .map(|n| changed(n, Place::Wall { theme }))
        .collect()
}

/// Every note in `theme` moved to `to`.
fn move_theme_notes(state: &State, theme: ThemeId, to: Option<ThemeId>) -> Vec<Event> {
    state
        .notes_in_order()
        .into_iter()
        .filter(|n| n.place == Place::Wall { theme: Some(theme) })
        .map(|n| changed(n, Place::Wall { theme: to }))
        .collect()
}
