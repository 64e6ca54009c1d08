//! How long suggesting themes takes for a large meeting:
//! `cargo run --release -p ordet-shared --example suggest-timing -- 1000 5000 20000`
//! (one or more note counts; 1,000 when none is given). Peak memory is what the process
//! reached: run the built example under `/usr/bin/time -v` with one count at a time.
//! The notes are the labelled test notes, repeated with small changes (a place name and a
//! number added) until there are as many as asked for. Counts up to 5,000 are timed three
//! times, larger ones once.

use std::time::Instant;

use ordet_shared::NoteId;
use ordet_shared::clustering::suggest;

const PLACES: &[&str] = &[
    "på Nordbygda",
    "i sentrum",
    "ved Vestsida",
    "på Haugen",
    "i Dalen",
];

fn main() {
    let mut counts: Vec<usize> = std::env::args()
        .skip(1)
        .map(|n| n.parse().expect("a number of notes"))
        .collect();
    if counts.is_empty() {
        counts.push(1000);
    }
    for count in counts {
        time(count);
    }
}

fn time(count: usize) {
    let base: Vec<&str> = include_str!("../tests/data/labelled-notes.tsv")
        .lines()
        .chain(include_str!("../tests/data/held-out-notes.tsv").lines())
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t').map(|(_, note)| note))
        .collect();
    let texts: Vec<String> = (0..count)
        .map(|i| {
            let place = PLACES[(i / base.len()) % PLACES.len()];
            format!("{} {place} {}", base[i % base.len()], i / base.len())
        })
        .collect();
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
