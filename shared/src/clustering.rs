//! Suggesting themes: a first clustering of notes for the facilitator to accept, in part or
//! whole, and adjust by hand. It runs on the Ordet server (these are minors' words; nothing
//! goes to a cloud service) and is deterministic: the same notes give the same themes.
//!
//! Each note becomes a weighted bag of features: its topic words brought to one form across
//! inflections and both written standards ([`crate::words::stem`]), and the four-letter pieces
//! of those words, which let compounds meet their parts (*skulebussen* shares pieces with
//! *bussen*). Features are weighted by how rare they are (tf-idf) and compared by cosine.
//!
//! Themes grow by average linkage: every note starts alone, and the two themes whose notes are
//! most alike on average join, again and again, until no two are alike enough. A theme of one
//! note is no theme: such notes stay unsorted. Each theme is labelled with its most telling word(s), in the form
//! the room wrote most.
//!
//! Average linkage compares every note with every other: its cost grows with the square of
//! the notes (20,000 notes took 109 s and 1.7 GB). So only the first [`CLUSTER_AT_MOST`]
//! notes are clustered that way (a 4 MB table); every later note joins the theme whose notes
//! it is most alike on average (the theme's centroid), if that is alike enough to have joined
//! by average linkage, and otherwise stays unsorted. The themes do not move while later
//! notes join, so the cost is bounded by construction: O(cap² + notes · themes) time and
//! O(cap² + notes) memory. A deadline ([`suggest_within`]) may end the work early; what is
//! done by then is returned.

use std::collections::BTreeMap;
use std::time::Instant;

use crate::ids::NoteId;
use crate::notes::SuggestedTheme;
use crate::words::{most_written, topic_words, topics_of};

/// The clustering's knobs, tuned on the labelled notes in `shared/tests/data`.
#[derive(Clone, Copy, Debug)]
pub struct Tuning {
    /// How alike two themes' notes must be on average to become one theme (cosine).
    pub merge: f64,
    /// Weight of a word piece relative to a whole word.
    pub piece_weight: f64,
    /// Letters in a word piece.
    pub piece_letters: usize,
    /// Weight of a topic family (see [`crate::words::TOPICS`]) relative to a whole word.
    pub topic_weight: f64,
}

/// The tuning Ordet uses.
pub const TUNING: Tuning = Tuning {
    merge: 0.07,
    piece_weight: 0.5,
    piece_letters: 4,
    topic_weight: 1.5,
};

type Vector = BTreeMap<u32, f64>;

/// Most notes clustered by average linkage (the first ones written); later notes join the
/// theme they are most alike. Its similarity table takes 4 MB.
pub const CLUSTER_AT_MOST: usize = 1000;

/// Themes for `notes` (identifier and text, in the order written): groups of at least two
/// notes, largest first, each with a label. Deterministic.
pub fn suggest(notes: &[(NoteId, &str)]) -> Vec<SuggestedTheme> {
    suggest_tuned(notes, TUNING)
}

/// [`suggest`], ending early at `deadline`: themes stop growing and later notes stop being
/// placed, and what is done by then is returned (deterministic when done in time).
pub fn suggest_within(notes: &[(NoteId, &str)], deadline: Instant) -> Vec<SuggestedTheme> {
    suggest_bounded(notes, TUNING, CLUSTER_AT_MOST, Some(deadline))
}

/// [`suggest`] with other knobs, for tuning.
pub fn suggest_tuned(notes: &[(NoteId, &str)], tuning: Tuning) -> Vec<SuggestedTheme> {
    suggest_bounded(notes, tuning, CLUSTER_AT_MOST, None)
}

/// Whether `deadline` has passed (never, without one).
fn past(deadline: Option<Instant>) -> bool {
    deadline.is_some_and(|d| Instant::now() >= d)
}

/// Clusters the first `cap` notes by average linkage and places the others by centroid.
fn suggest_bounded(
    notes: &[(NoteId, &str)],
    tuning: Tuning,
    cap: usize,
    deadline: Option<Instant>,
) -> Vec<SuggestedTheme> {
    let mut features = Features {
        piece_weight: tuning.piece_weight,
        piece_letters: tuning.piece_letters,
        topic_weight: tuning.topic_weight,
        ..Features::default()
    };
    let bags: Vec<BTreeMap<u32, f64>> = notes.iter().map(|(_, text)| features.bag(text)).collect();
    let vectors = weigh(&bags);
    let clustered = cap.min(vectors.len());
    let assignment = cluster(&vectors[..clustered], tuning, deadline);
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (note, theme) in assignment.iter().enumerate() {
        members.entry(*theme).or_default().push(note);
    }
    let mut members: Vec<Vec<usize>> = members.into_values().filter(|m| m.len() >= 2).collect();
    place_the_rest(&vectors, clustered, &mut members, tuning, deadline);
    let mut themes: Vec<(Vec<usize>, String)> = members
        .into_iter()
        .map(|m| {
            let label = features.label(&m, &bags, &vectors, notes);
            (m, label)
        })
        .collect();
    themes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0[0].cmp(&b.0[0])));
    themes
        .into_iter()
        .map(|(m, label)| SuggestedTheme {
            label,
            notes: m.iter().map(|i| notes[*i].0).collect(),
        })
        .collect()
}

/// The feature vocabulary: stems and word pieces, numbered as they are met.
#[derive(Default)]
struct Features {
    ids: BTreeMap<String, u32>,
    /// For each stem feature, the forms written and how often.
    forms: BTreeMap<u32, BTreeMap<String, usize>>,
    is_stem: BTreeMap<u32, bool>,
    /// The topic families of each stem met so far: finding them stems every family word,
    /// so each stem is looked up once.
    topics: BTreeMap<String, Vec<&'static str>>,
    piece_weight: f64,
    piece_letters: usize,
    topic_weight: f64,
}

impl Features {
    fn id(&mut self, key: String, stem: bool) -> u32 {
        let next = self.ids.len() as u32;
        let id = *self.ids.entry(key).or_insert(next);
        self.is_stem.entry(id).or_insert(stem);
        id
    }

    /// A note's features with their counts.
    fn bag(&mut self, text: &str) -> BTreeMap<u32, f64> {
        let mut bag = BTreeMap::new();
        for (stem, word) in topic_words(text) {
            let topics = match self.topics.get(&stem) {
                Some(topics) => topics.clone(),
                None => {
                    let topics = topics_of(&stem);
                    self.topics.insert(stem.clone(), topics.clone());
                    topics
                }
            };
            for topic in topics {
                let id = self.id(format!("t:{topic}"), false);
                *bag.entry(id).or_insert(0.0) += self.topic_weight;
            }
            let id = self.id(format!("w:{stem}"), true);
            *self.forms.entry(id).or_default().entry(word).or_default() += 1;
            *bag.entry(id).or_insert(0.0) += 1.0;
            let letters: Vec<char> = format!("<{stem}>").chars().collect();
            if letters.len() > self.piece_letters + 1 {
                for piece in letters.windows(self.piece_letters) {
                    let piece: String = piece.iter().collect();
                    let id = self.id(format!("p:{piece}"), false);
                    *bag.entry(id).or_insert(0.0) += self.piece_weight;
                }
            }
        }
        bag
    }

    /// The label of a theme: its one or two heaviest words, as written most.
    fn label(
        &self,
        members: &[usize],
        bags: &[BTreeMap<u32, f64>],
        vectors: &[Vector],
        notes: &[(NoteId, &str)],
    ) -> String {
        let mut weight: BTreeMap<u32, (f64, usize)> = BTreeMap::new();
        for m in members {
            for (feature, w) in &vectors[*m] {
                if self.is_stem.get(feature) == Some(&true) && bags[*m].contains_key(feature) {
                    let entry = weight.entry(*feature).or_insert((0.0, 0));
                    entry.0 += w;
                    entry.1 += 1;
                }
            }
        }
        let mut ranked: Vec<(u32, f64, usize)> =
            weight.into_iter().map(|(f, (w, n))| (f, w, n)).collect();
        // Words used by several notes of the theme first, then by weight.
        ranked.sort_by(|a, b| {
            b.2.cmp(&a.2)
                .then_with(|| b.1.total_cmp(&a.1))
                .then_with(|| a.0.cmp(&b.0))
        });
        let word = |f: u32| self.forms.get(&f).map(most_written).unwrap_or_default();
        let mut label = match ranked.first() {
            Some(first) => capitalised(&word(first.0)),
            None => capitalised(notes[members[0]].1),
        };
        if let (Some(first), Some(second)) = (ranked.first(), ranked.get(1))
            && second.2 >= 2
            && second.2 * 2 >= first.2
        {
            label = format!("{label}, {}", word(second.0));
        }
        label
            .chars()
            .take(crate::notes::THEME_NAME_MAX_CHARS)
            .collect()
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// tf-idf weights, each vector of length one.
fn weigh(bags: &[BTreeMap<u32, f64>]) -> Vec<Vector> {
    let mut documents: BTreeMap<u32, usize> = BTreeMap::new();
    for bag in bags {
        for feature in bag.keys() {
            *documents.entry(*feature).or_default() += 1;
        }
    }
    let n = bags.len() as f64;
    bags.iter()
        .map(|bag| {
            let mut vector: Vector = bag
                .iter()
                .map(|(f, count)| {
                    let idf = (n / documents[f] as f64).ln() + 1.0;
                    // Sub-linear in repeats; a word piece counts only its fraction.
                    let tf = if *count >= 1.0 {
                        1.0 + count.ln()
                    } else {
                        *count
                    };
                    (*f, tf * idf)
                })
                .collect();
            normalise(&mut vector);
            vector
        })
        .collect()
}

fn normalise(vector: &mut Vector) {
    let length = vector.values().map(|w| w * w).sum::<f64>().sqrt();
    if length > 0.0 {
        for w in vector.values_mut() {
            *w /= length;
        }
    }
}

fn cosine(a: &Vector, b: &Vector) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small
        .iter()
        .filter_map(|(f, w)| large.get(f).map(|v| w * v))
        .sum()
}

/// Puts each note from `first` on into the theme (of `themes`, lists of note numbers) whose
/// notes it is most alike on average, if that is at least the merge threshold (as average
/// linkage would have joined it); otherwise it stays unsorted. The average similarity to a
/// theme is the dot product with the theme's centroid (the mean of its notes' vectors), found
/// through an index from feature to the centroids that have it. Ties go to the earlier theme.
/// Centroids stay as clustered, so the order of the later notes does not matter.
fn place_the_rest(
    vectors: &[Vector],
    first: usize,
    themes: &mut [Vec<usize>],
    tuning: Tuning,
    deadline: Option<Instant>,
) {
    if first >= vectors.len() || themes.is_empty() {
        return;
    }
    let mut index: BTreeMap<u32, Vec<(usize, f64)>> = BTreeMap::new();
    for (theme, members) in themes.iter().enumerate() {
        let mut centroid = Vector::new();
        for m in members {
            for (f, w) in &vectors[*m] {
                *centroid.entry(*f).or_default() += w;
            }
        }
        let size = members.len() as f64;
        for (f, w) in centroid {
            index.entry(f).or_default().push((theme, w / size));
        }
    }
    let mut scores = vec![0.0f64; themes.len()];
    let mut joined: Vec<(usize, usize)> = Vec::new();
    for (note, vector) in vectors.iter().enumerate().skip(first) {
        if note % 1024 == 0 && past(deadline) {
            break;
        }
        scores.iter_mut().for_each(|s| *s = 0.0);
        for (f, w) in vector {
            for (theme, c) in index.get(f).into_iter().flatten() {
                scores[*theme] += w * c;
            }
        }
        let mut best: Option<(usize, f64)> = None;
        for (theme, s) in scores.iter().enumerate() {
            if *s >= tuning.merge && best.is_none_or(|(_, b)| *s > b) {
                best = Some((theme, *s));
            }
        }
        if let Some((theme, _)) = best {
            joined.push((theme, note));
        }
    }
    for (theme, note) in joined {
        themes[theme].push(note);
    }
}

/// Where [`sort_into`] would put one note: a theme (its position in the list given), how sure
/// it is (0–100), and the words the note shares with that theme's notes, as the room wrote
/// them — the reason shown to the facilitator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sorted {
    /// The theme's position in the list given to [`sort_into`].
    pub theme: usize,
    /// How sure, from 0 (a guess) to 100 (nothing else comes close).
    pub sure: u8,
    /// The words shared with the theme's notes (at most three).
    pub words: Vec<String>,
}

/// How alike a note and a theme must be, on average over its notes, before a placement is
/// proposed at all (below it, nothing is shared but chance word pieces).
const SORT_AT_LEAST: f64 = 0.02;

/// Proposes a theme for each of `notes` among the facilitator's `themes` (each given by its
/// name and its notes' texts): the theme whose notes, with its name counted as one of them,
/// the note is most alike on average (by centroid, as [`place_the_rest`]). `None` for a note
/// alike to no theme. The features and weights are those of [`suggest`], made over all the
/// texts together. Cost: O(texts · words) to weigh and O(notes · shared features) to place;
/// past `deadline` the remaining notes get `None`.
pub fn sort_into(
    themes: &[(&str, Vec<&str>)],
    notes: &[&str],
    deadline: Option<Instant>,
) -> Vec<Option<Sorted>> {
    let mut features = Features {
        piece_weight: TUNING.piece_weight,
        piece_letters: TUNING.piece_letters,
        topic_weight: TUNING.topic_weight,
        ..Features::default()
    };
    // The themes' texts first (name, then notes), then the notes to sort.
    let mut owner: Vec<usize> = Vec::new();
    let mut bags: Vec<BTreeMap<u32, f64>> = Vec::new();
    for (theme, (name, texts)) in themes.iter().enumerate() {
        for text in std::iter::once(name).chain(texts.iter()) {
            bags.push(features.bag(text));
            owner.push(theme);
        }
    }
    let first_note = bags.len();
    bags.extend(notes.iter().map(|text| features.bag(text)));
    let vectors = weigh(&bags);
    let mut centroids: Vec<Vector> = vec![Vector::new(); themes.len()];
    let mut sizes = vec![0usize; themes.len()];
    for (i, theme) in owner.iter().enumerate() {
        sizes[*theme] += 1;
        for (f, w) in &vectors[i] {
            *centroids[*theme].entry(*f).or_default() += w;
        }
    }
    let mut index: BTreeMap<u32, Vec<(usize, f64)>> = BTreeMap::new();
    for (theme, centroid) in centroids.iter().enumerate() {
        for (f, w) in centroid {
            index
                .entry(*f)
                .or_default()
                .push((theme, w / sizes[theme] as f64));
        }
    }
    let mut scores = vec![0.0f64; themes.len()];
    let mut sorted = Vec::with_capacity(notes.len());
    for (i, vector) in vectors.iter().enumerate().skip(first_note) {
        if i % 1024 == 0 && past(deadline) {
            sorted.resize(notes.len(), None);
            return sorted;
        }
        scores.iter_mut().for_each(|s| *s = 0.0);
        for (f, w) in vector {
            for (theme, c) in index.get(f).into_iter().flatten() {
                scores[*theme] += w * c;
            }
        }
        let mut ranked: Vec<(usize, f64)> = scores.iter().copied().enumerate().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let Some(&(theme, best)) = ranked.first().filter(|(_, s)| *s >= SORT_AT_LEAST) else {
            sorted.push(None);
            continue;
        };
        let second = ranked.get(1).map_or(0.0, |r| r.1);
        // Sure when the best theme is well ahead of the next and clearly alike at all.
        let ahead = (best - second) / best;
        let alike = (best / 0.15).min(1.0);
        let sure = (100.0 * ahead * alike).round().clamp(0.0, 100.0) as u8;
        let shared: Vec<String> = {
            let mut words: Vec<(f64, u32)> = vector
                .iter()
                .filter(|(f, _)| features.is_stem.get(f) == Some(&true))
                .filter_map(|(f, w)| centroids[theme].get(f).map(|c| (w * c, *f)))
                .collect();
            words.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            words
                .into_iter()
                .take(3)
                .map(|(_, f)| features.forms.get(&f).map(most_written).unwrap_or_default())
                .collect()
        };
        sorted.push(Some(Sorted {
            theme,
            sure,
            words: shared,
        }));
    }
    sorted
}

/// A theme number for each note, by average-linkage clustering: start with every note alone,
/// and repeatedly join the two themes whose notes are most alike on average, until no two
/// are alike enough. Ties go to the earlier notes, so the result is deterministic. Each row
/// remembers its most alike partner, so a join costs one pass over the rows it touched.
/// Past `deadline`, no more themes join (a table not finished by then counts as nothing
/// alike).
fn cluster(vectors: &[Vector], tuning: Tuning, deadline: Option<Instant>) -> Vec<usize> {
    let n = vectors.len();
    let mut similarity: Vec<Vec<f32>> = vec![vec![0.0; n]; n];
    for a in 0..n {
        if past(deadline) {
            return (0..n).collect();
        }
        for b in a + 1..n {
            let s = cosine(&vectors[a], &vectors[b]) as f32;
            similarity[a][b] = s;
            similarity[b][a] = s;
        }
    }
    let mut size = vec![1usize; n];
    let mut active = vec![true; n];
    let mut parent: Vec<usize> = (0..n).collect();
    let best_in_row =
        |row: usize, similarity: &[Vec<f32>], active: &[bool]| -> Option<(usize, f32)> {
            let mut best: Option<(usize, f32)> = None;
            for (other, s) in similarity[row].iter().enumerate() {
                if other != row && active[other] && best.is_none_or(|(_, b)| *s > b) {
                    best = Some((other, *s));
                }
            }
            best
        };
    let mut best: Vec<Option<(usize, f32)>> = (0..n)
        .map(|row| best_in_row(row, &similarity, &active))
        .collect();
    let threshold = tuning.merge as f32;
    loop {
        if past(deadline) {
            break;
        }
        let mut pick: Option<(usize, usize, f32)> = None;
        for (row, candidate) in best.iter().enumerate() {
            if let (true, Some((other, s))) = (active[row], candidate)
                && pick.is_none_or(|(_, _, b)| *s > b)
            {
                pick = Some((row, *other, *s));
            }
        }
        let Some((a, b, s)) = pick else { break };
        if s < threshold {
            break;
        }
        let (keep, gone) = (a.min(b), a.max(b));
        let (sk, sg) = (size[keep] as f32, size[gone] as f32);
        for other in 0..n {
            if active[other] && other != keep && other != gone {
                let joined =
                    (sk * similarity[keep][other] + sg * similarity[gone][other]) / (sk + sg);
                similarity[keep][other] = joined;
                similarity[other][keep] = joined;
            }
        }
        size[keep] += size[gone];
        active[gone] = false;
        parent[gone] = keep;
        best[gone] = None;
        best[keep] = best_in_row(keep, &similarity, &active);
        for row in 0..n {
            if !active[row] || row == keep {
                continue;
            }
            match best[row] {
                Some((other, _)) if other == keep || other == gone => {
                    best[row] = best_in_row(row, &similarity, &active);
                }
                Some((_, s)) if similarity[row][keep] > s => {
                    best[row] = Some((keep, similarity[row][keep]));
                }
                _ => {}
            }
        }
    }
    (0..n)
        .map(|mut x| {
            while parent[x] != x {
                x = parent[x];
            }
            x
        })
        .collect()
}

/// The adjusted Rand index of two labellings of the same items: 1 for identical groupings,
/// about 0 for chance agreement.
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    assert_eq!(a.len(), b.len());
    let n = a.len() as f64;
    let pairs = |x: f64| x * (x - 1.0) / 2.0;
    let mut table: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut rows: BTreeMap<usize, f64> = BTreeMap::new();
    let mut cols: BTreeMap<usize, f64> = BTreeMap::new();
    for (x, y) in a.iter().zip(b) {
        *table.entry((*x, *y)).or_default() += 1.0;
        *rows.entry(*x).or_default() += 1.0;
        *cols.entry(*y).or_default() += 1.0;
    }
    let index: f64 = table.values().map(|v| pairs(*v)).sum();
    let row_sum: f64 = rows.values().map(|v| pairs(*v)).sum();
    let col_sum: f64 = cols.values().map(|v| pairs(*v)).sum();
    let expected = row_sum * col_sum / pairs(n);
    let max = (row_sum + col_sum) / 2.0;
    if (max - expected).abs() < f64::EPSILON {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_adjusted_rand_index_is_one_for_the_same_grouping_under_other_names() {
        assert!((adjusted_rand_index(&[0, 0, 1, 1], &[5, 5, 2, 2]) - 1.0).abs() < 1e-12);
        assert!(adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1]) < 0.0);
    }

    #[test]
    fn the_same_notes_give_the_same_themes() {
        let texts = [
            "Bussen går for sjeldan",
            "Fleire bussar på kveldstid",
            "Skulebussen er alltid full",
            "Meir lys i gymsalen",
            "Betre lys på fotballbanen",
            "Gatelys langs skulevegen",
        ];
        let notes: Vec<(NoteId, &str)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (NoteId(uuid::Uuid::from_u128(i as u128)), *t))
            .collect();
        let first = suggest(&notes);
        assert_eq!(first, suggest(&notes));
        assert!(!first.is_empty());
        let bus = first
            .iter()
            .find(|t| t.notes.contains(&notes[0].0))
            .expect("the bus notes form a theme");
        assert!(bus.notes.contains(&notes[1].0), "{first:?}");
        assert!(bus.label.to_lowercase().contains("buss"), "{first:?}");
    }

    fn numbered<'a>(texts: &[&'a str]) -> Vec<(NoteId, &'a str)> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| (NoteId(uuid::Uuid::from_u128(i as u128 + 1)), *t))
            .collect()
    }

    #[test]
    fn notes_past_the_cap_join_the_theme_they_are_most_alike_or_stay_unsorted() {
        let notes = numbered(&[
            "Bussen går for sjeldan",
            "Fleire bussar på kveldstid",
            "Meir lys i gymsalen",
            "Betre lys på fotballbanen",
            // Past the cap of four:
            "Bussane går for sjeldan på kveldstid",
            "Meir lys på fotballbanen om kvelden",
            "Pizza til lunsj kvar fredag",
        ]);
        let themes = suggest_bounded(&notes, TUNING, 4, None);
        let theme_of = |i: usize| themes.iter().position(|t| t.notes.contains(&notes[i].0));
        assert_eq!(themes.len(), 2, "{themes:?}");
        assert!(theme_of(0).is_some(), "{themes:?}");
        assert_eq!(theme_of(4), theme_of(0), "{themes:?}");
        assert_eq!(theme_of(5), theme_of(2), "{themes:?}");
        assert_ne!(theme_of(0), theme_of(2), "{themes:?}");
        assert_eq!(theme_of(6), None, "{themes:?}");
        // Within the cap, the same notes give the same themes as before.
        let all = suggest_bounded(&notes, TUNING, notes.len(), None);
        assert_eq!(all, suggest(&notes));
    }

    #[test]
    fn a_passed_deadline_stops_the_work() {
        let notes = numbered(&[
            "Bussen går for sjeldan",
            "Fleire bussar på kveldstid",
            "Skulebussen er alltid full",
        ]);
        assert!(!suggest(&notes).is_empty());
        assert!(suggest_within(&notes, Instant::now()).is_empty());
    }
}
