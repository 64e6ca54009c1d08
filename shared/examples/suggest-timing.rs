//! How long suggesting themes, and sorting the rest into 20 hand-made themes of two notes
//! each, take for a large meeting:
//! `cargo run --release -p ordet-shared --example suggest-timing -- 1000 5000 20000`
//! (one or more note counts; 1,000 when none is given; `--sort` times only the sorting). Peak memory is what the process
//! reached: run the built example under `/usr/bin/time -v` with one count at a time.
//! The notes are the labelled test notes, repeated with small changes (a place name and a
//! number added) until there are as many as asked for. Counts up to 5,000 are timed three
//! times, larger ones once.

use std::time::Instant;

use ordet_shared::NoteId;
use ordet_shared::clustering::{sort_into, suggest};

const PLACES: &[&str] = &[
    "på Nordbygda",
    "i sentrum",
    "ved Vestsida",
    "på Haugen",
    "i Dalen",
];

fn main() {
    let sort_only = std::env::args().any(|a| a == "--sort");
    let mut counts: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| a != "--sort")
        .map(|n| n.parse().expect("a number of notes"))
        .collect();
    if counts.is_empty() {
        counts.push(1000);
    }
    for count in counts {
        let texts = notes(count);
        if !sort_only {
            time(&texts);
        }
        time_sorting(&texts);
    }
}

/// Sorting `texts` into 20 themes, each named and holding two of the texts.
fn time_sorting(texts: &[String]) {
    let names: Vec<String> = (1..=20).map(|i| format!("Tema {i}")).collect();
    let themes: Vec<(&str, Vec<&str>)> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            (
                name.as_str(),
                vec![
                    texts[(2 * i) % texts.len()].as_str(),
                    texts[(2 * i + 1) % texts.len()].as_str(),
                ],
            )
        })
        .collect();
    let notes: Vec<&str> = texts.iter().map(String::as_str).collect();
    let started = Instant::now();
    let placed = sort_into(&themes, &notes, None);
    println!(
        "{} notes sorted into 20 themes: {} placed in {:.0} ms",
        notes.len(),
        placed.iter().filter(|p| p.is_some()).count(),
        started.elapsed().as_secs_f64() * 1000.0
    );
}

/// `count` notes: the labelled test notes, repeated with small changes.
fn notes(count: usize) -> Vec<String> {
    let base: Vec<&str> = include_str!("../tests/data/labelled-notes.tsv")
        .lines()
        .chain(include_str!("../tests/data/held-out-notes.tsv").lines())
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t').map(|(_, note)| note))
        .collect();
    (0..count)
        .map(|i| {
            let place = PLACES[(i / base.len()) % PLACES.len()];
            format!("{} {place} {}", base[i % base.len()], i / base.len())
        })
        .collect()
}

fn time(texts: &[String]) {
    let count = texts.len();
    let notes: Vec<(NoteId, &str)> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (NoteId(uuid::Uuid::from_u128(i as u128 + 1)), t.as_str()))
        .collect();
    let mut runs = Vec::new();
    let mut themes = 0;
    let times = if count <= 5000 { 3 } else { 1 };
    for _ in 0..times {
        let started = Instant::now();
        themes = suggest(&notes).len();
        runs.push(started.elapsed());
    }
    runs.sort();
    println!(
        "{count} notes → {themes} themes; fastest {:.0} ms, slowest {:.0} ms of {times} run(s)",
        runs[0].as_secs_f64() * 1000.0,
        runs[times - 1].as_secs_f64() * 1000.0
    );
}
