//! Quality of suggested themes on hand-labelled notes in nynorsk, bokmål and English mixed: the
//! agreement with the labels, as an adjusted Rand index (1 is perfect, 0 is chance), must not
//! fall below what the clustering reached. Notes the suggestion leaves unsorted count as one
//! group each.
//!
//! `data/labelled-notes.tsv` (100 notes, 10 topics) is the set the clustering and its word
//! families were tuned on; `data/held-out-notes.tsv` (38 notes, 8 topics, two of which no word
//! family knows) was written afterwards and never used for tuning: its score is the honest one.

use ordet_shared::NoteId;
use ordet_shared::clustering::{adjusted_rand_index, suggest};

fn labelled() -> Vec<(String, String)> {
    read(include_str!("data/labelled-notes.tsv"))
}

fn held_out() -> Vec<(String, String)> {
    read(include_str!("data/held-out-notes.tsv"))
}

fn read(tsv: &str) -> Vec<(String, String)> {
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (theme, note) = l.split_once('\t').expect("theme<TAB>note");
            (theme.to_string(), note.to_string())
        })
        .collect()
}

/// The hand labels and the suggestion's labels for the same notes, as numbers.
fn labellings(set: &[(String, String)]) -> (Vec<usize>, Vec<usize>) {
    let notes: Vec<(NoteId, &str)> = set
        .iter()
        .enumerate()
        .map(|(i, (_, text))| (NoteId(uuid::Uuid::from_u128(i as u128 + 1)), text.as_str()))
        .collect();
    let themes = suggest(&notes);
    let mut names: Vec<&str> = set.iter().map(|(t, _)| t.as_str()).collect();
    names.sort();
    names.dedup();
    let truth = set
        .iter()
        .map(|(t, _)| names.iter().position(|n| n == t).unwrap())
        .collect();
    let found = notes
        .iter()
        .enumerate()
        .map(|(i, (id, _))| {
            themes
                .iter()
                .position(|t| t.notes.contains(id))
                .unwrap_or(1000 + i)
        })
        .collect();
    (truth, found)
}

/// The agreement on `set`, printed with how many notes were sorted into themes.
fn agreement(name: &str, set: &[(String, String)]) -> f64 {
    let (truth, found) = labellings(set);
    let ari = adjusted_rand_index(&truth, &found);
    let sorted = found.iter().filter(|f| **f < 1000).count();
    println!(
        "{name}: adjusted Rand index {ari:.3}; {sorted} of {} notes sorted into themes",
        set.len()
    );
    ari
}

#[test]
fn suggested_themes_agree_with_hand_labels() {
    let tuned = labelled();
    assert_eq!(tuned.len(), 100);
    let ari = agreement("tuning set", &tuned);
    assert!(ari >= 0.80, "agreement on the tuning set fell to {ari:.3}");
    let fresh = held_out();
    assert_eq!(fresh.len(), 38);
    let ari = agreement("held-out set", &fresh);
    assert!(
        ari >= 0.20,
        "agreement on the held-out set fell to {ari:.3}"
    );
}

#[test]
fn themes_are_labelled_with_words_from_their_notes() {
    let set = labelled();
    let notes: Vec<(NoteId, &str)> = set
        .iter()
        .enumerate()
        .map(|(i, (_, text))| (NoteId(uuid::Uuid::from_u128(i as u128 + 1)), text.as_str()))
        .collect();
    for theme in suggest(&notes) {
        let first_word = theme.label.split(", ").next().unwrap().to_lowercase();
        let used = theme.notes.iter().any(|id| {
            let text = notes.iter().find(|(n, _)| n == id).unwrap().1;
            text.to_lowercase().contains(&first_word)
        });
        assert!(used, "label {:?} is not a word of its notes", theme.label);
    }
}

#[test]
fn a_handful_of_english_notes_splits_into_buses_and_food() {
    let texts = [
        "Free school lunch",
        "More buses in the evening",
        "Healthy food in the canteen",
        "<b>Free</b> bus for pupils",
        "Lunch break is too short",
    ];
    let notes: Vec<(NoteId, &str)> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (NoteId(uuid::Uuid::from_u128(i as u128 + 1)), *t))
        .collect();
    let themes = suggest(&notes);
    let theme_of = |i: usize| themes.iter().position(|t| t.notes.contains(&notes[i].0));
    assert_eq!(theme_of(1), theme_of(3), "the buses together: {themes:?}");
    assert_ne!(
        theme_of(1),
        theme_of(2),
        "buses apart from food: {themes:?}"
    );
    assert_eq!(theme_of(2), theme_of(4), "food together: {themes:?}");
}

/// "Sort the rest into my themes" as a facilitator starts it: two notes of each topic sorted
/// by hand into a theme named by the facilitator... here without a name (the labels of the
/// sets are not words of the room), so only the two notes speak. The share of the remaining
/// notes put into their own topic's theme.
fn sorted_right(set: &[(String, String)]) -> f64 {
    let mut topics: Vec<&str> = set.iter().map(|(t, _)| t.as_str()).collect();
    topics.sort();
    topics.dedup();
    let mut seeds: Vec<(&str, Vec<&str>)> = topics.iter().map(|_| ("", Vec::new())).collect();
    let mut rest: Vec<(usize, &str)> = Vec::new();
    for (topic, text) in set {
        let t = topics.iter().position(|x| x == topic).unwrap();
        if seeds[t].1.len() < 2 {
            seeds[t].1.push(text);
        } else {
            rest.push((t, text));
        }
    }
    let texts: Vec<&str> = rest.iter().map(|(_, t)| *t).collect();
    let placed = ordet_shared::clustering::sort_into(&seeds, &texts, None);
    let right = rest
        .iter()
        .zip(&placed)
        .filter(|((t, _), p)| p.as_ref().is_some_and(|p| p.theme == *t))
        .count();
    right as f64 / rest.len() as f64
}

/// The share sorted right must not fall below what the method reached (2026-12-02: 86 % on the
/// tuning set, 36 % on the held-out set, 20 % and 25 % on the two staff meetings, where notes
/// on one topic seldom share words; see docs/benchmarks.md).
#[test]
fn the_rest_is_sorted_into_hand_made_themes() {
    for (name, tsv, floor) in [
        ("tuning set", include_str!("data/labelled-notes.tsv"), 0.80),
        (
            "held-out set",
            include_str!("data/held-out-notes.tsv"),
            0.30,
        ),
        (
            "department heads",
            include_str!("data/department-heads-notes.tsv"),
            0.15,
        ),
        (
            "substance-abuse plan",
            include_str!("data/substance-plan-notes.tsv"),
            0.20,
        ),
    ] {
        let right = sorted_right(&read(tsv));
        println!("{name}: {:.0} % of the rest sorted right", 100.0 * right);
        assert!(right >= floor, "{name}: {right:.2} sorted right");
    }
}
