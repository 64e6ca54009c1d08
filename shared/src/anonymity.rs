//! k-anonymity, k = 3: what may be shown with a note without narrowing its writer to fewer
//! than three people. The same rule serves every screen live and every export.
//!
//! Ordet promises pupils in a small place that nobody can tell who wrote what. A note never
//! names its writer (unless the facilitator turned names on), but the attributes it carries
//! can: "a youth in group 3" is one person when group 3 has one youth, and the only
//! politician's notes say *Politician*. So each attribute (the group, the role, the question
//! of a per-group step, which names the group) is shown only when the people it fits, in
//! everything else shown with the note, are at least [`K`].
//!
//! The decision is made once, when the note is posted ([`mask`], called by the rules for
//! `PostNote`), from the state at that moment: the people who could have written it then
//! are its anonymity set. It is stored with the note as [`Masked`], so what a screen sees,
//! [`shown`], is a pure function of the note: the server and every screen can never
//! disagree about it, and a replayed log shows exactly what the room saw.
//!
//! The scope a role is counted in:
//! - the writer's group, when the group is shown (it has at least [`K`] members);
//! - otherwise everyone who is not in a shown group of the step (the ungrouped, and the
//!   members of groups too small to show): a note without a group can only be from them.
//!
//! Within the scope, [`shown_roles`] names the roles held by at least [`K`] people and pools
//! the rest; when the pool would hold one or two people it points at them, so named roles
//! go into the pool too until it does not.
//!
//! Left as they are, by design:
//! - notes written by the facilitator carry no role (`None`) and no group: the facilitator
//!   is one known person and writes in their own name, often typing in what was said aloud;
//! - a note written by the group's note-taker for the whole group ([`Note::for_group`])
//!   carries the group and no role: it speaks for the group, which is the point of it.
//!
//! Notes posted before this rule existed carry no [`Masked`] (it reads as nothing masked),
//! so a screen shows their role and group as it did then; the exports check every note
//! again against the state they are made from, old ones too.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::ids::{ParticipantId, RoleId, StepId};
use crate::state::{Note, State};

/// The fewest people an attribute shown with a note, a ballot or a speaking time may point
/// to.
pub const K: usize = 3;

/// Which of a note's attributes are left out of every screen and export, because showing
/// them would narrow its writer to fewer than [`K`] people. Decided when the note is posted
/// ([`mask`]); all `false` (the default, left out of the JSON) for notes where nothing is
/// left out, for the facilitator's notes and for notes posted before the rule existed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Masked {
    /// The writer's role is left out: screens show "a participant", never "the
    /// facilitator".
    #[serde(default, skip_serializing_if = "is_false")]
    pub role: bool,
    /// The writer's group is left out (it had fewer than [`K`] members). Only the server
    /// and the exports see this flag: [`shown`] clears it, since "from a small group" is
    /// itself a narrowing fact.
    #[serde(default, skip_serializing_if = "is_false")]
    pub group: bool,
    /// The question is left out: the step gives each group its own question, so the
    /// question would name the group. Cleared by [`shown`] like `group`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub question: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Masked {
    /// Whether nothing is left out (the JSON then leaves the field out).
    pub fn is_none(&self) -> bool {
        *self == Masked::default()
    }
}

/// The roles that may be named within a scope of people, given how many of them hold each
/// role. A role is named when at least [`K`] people hold it; the others are pooled ("other
/// roles"). A pool of one or two people would point at them, so while it has one or two,
/// the smallest named role (on a tie, the one with the greatest identifier) joins it, until
/// the pool is empty, has at least [`K`], or nothing is named.
pub fn shown_roles(counts: &BTreeMap<RoleId, usize>) -> BTreeSet<RoleId> {
    let mut named: BTreeSet<RoleId> = counts
        .iter()
        .filter(|(_, n)| **n >= K)
        .map(|(role, _)| *role)
        .collect();
    let mut pool: usize = counts
        .iter()
        .filter(|(role, _)| !named.contains(role))
        .map(|(_, n)| n)
        .sum();
    while (1..K).contains(&pool) {
        let Some(smallest) = named
            .iter()
            .copied()
            .min_by_key(|role| (counts[role], std::cmp::Reverse(*role)))
        else {
            break;
        };
        named.remove(&smallest);
        pool += counts[&smallest];
    }
    named
}

/// How many people of `people` hold each role in `state`.
fn role_counts(
    state: &State,
    people: impl IntoIterator<Item = ParticipantId>,
) -> BTreeMap<RoleId, usize> {
    let mut counts = BTreeMap::new();
    for id in people {
        if let Some(person) = state.participants.get(&id) {
            *counts.entry(person.role).or_default() += 1;
        }
    }
    counts
}

/// What to leave out of a note `writer` writes (as themselves, not for a group) in `step`,
/// decided from `state`: the group when it has fewer than [`K`] members (present in the
/// conference), the question when it would name such a group, and the role when
/// [`shown_roles`] of the scope (see the module doc) does not name it. A writer who is not
/// in the conference has nothing to hide behind: everything is left out.
pub fn mask(state: &State, step: Option<StepId>, writer: ParticipantId) -> Masked {
    let Some(person) = state.participants.get(&writer) else {
        return Masked {
            role: true,
            group: true,
            question: true,
        };
    };
    let present = |members: &[ParticipantId]| {
        members
            .iter()
            .filter(|m| state.participants.contains_key(m))
            .count()
    };
    let groups = step
        .and_then(|s| state.programme.groups.get(&s))
        .map(Vec::as_slice)
        .unwrap_or_default();
    let own = groups.iter().find(|g| g.members.contains(&writer));
    let group_shown = own.is_some_and(|g| present(&g.members) >= K);
    let scope = match own {
        Some(g) if group_shown => role_counts(state, g.members.iter().copied()),
        _ => {
            let in_shown_group: BTreeSet<ParticipantId> = groups
                .iter()
                .filter(|g| present(&g.members) >= K)
                .flat_map(|g| g.members.iter().copied())
                .collect();
            role_counts(
                state,
                state
                    .participants
                    .keys()
                    .copied()
                    .filter(|p| !in_shown_group.contains(p)),
            )
        }
    };
    let group_masked = own.is_some() && !group_shown;
    let per_group_question = step
        .and_then(|s| state.programme.step(s))
        .is_some_and(|s| s.per_group && s.questions.len() > 1);
    Masked {
        role: !shown_roles(&scope).contains(&person.role),
        group: group_masked,
        question: group_masked && per_group_question,
    }
}

/// The note as any screen may see it: the attributes its [`Masked`] leaves out are removed
/// (role, group, question set to `None`). Of the mask only `role` is kept, so a screen can
/// tell "role left out" from "written by the facilitator" (both have no role); the group and
/// question flags are cleared, because "this note's group was too small to show" narrows
/// its writer to the members of small groups.
pub fn shown(note: &Note) -> Note {
    let masked = note.masked;
    Note {
        role: if masked.role { None } else { note.role },
        group: if masked.group { None } else { note.group },
        question: if masked.question { None } else { note.question },
        masked: Masked {
            role: masked.role,
            group: false,
            question: false,
        },
        ..note.clone()
    }
}
