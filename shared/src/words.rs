//! Words in notes, for the word cloud and for suggesting themes: splitting text into words,
//! dropping the small words of nynorsk, bokmål and English, and merging forms of one word —
//! inflections (*bussen*, *bussar*, *busser*, *buses*) and the two written standards
//! (*skule*/*skole*, *veg*/*vei*) — under one key. The rules are deliberately light and
//! predictable: the same notes always give the same words, and nothing is sent anywhere.

use std::collections::BTreeMap;

/// Small words of nynorsk, bokmål and English that say nothing about a note's topic.
const STOP_WORDS: &[&str] = &[
    // Nynorsk and bokmål.
    "og", "i", "på", "at", "er", "var", "vere", "være", "vore", "vært", "det", "den", "dei", "de",
    "dette", "desse", "disse", "eg", "jeg", "meg", "min", "mi", "mitt", "mine", "du", "deg", "din",
    "ditt", "dine", "vi", "me", "oss", "vår", "vårt", "våre", "han", "ho", "hun", "henne", "ikkje",
    "ikke", "ein", "ei", "eit", "en", "et", "av", "for", "med", "til", "frå", "fra", "om", "som",
    "så", "men", "eller", "kan", "kunne", "skal", "skulle", "vil", "ville", "må", "måtte", "har",
    "hadde", "ha", "få", "får", "fekk", "fikk", "meir", "mer", "mest", "mykje", "mye", "mange",
    "berre", "bare", "også", "òg", "kva", "hva", "kven", "hvem", "korleis", "hvordan", "når",
    "kor", "hvor", "her", "der", "no", "nå", "då", "da", "sin", "si", "sitt", "sine", "alle",
    "andre", "anna", "annet", "noko", "noe", "nokon", "noen", "inga", "ingen", "bli", "blir",
    "vert", "verte", "vart", "ble", "blitt", "sjølv", "selv", "enn", "fleire", "flere", "like",
    "godt", "god", "gode", "bra", "betre", "bedre", "treng", "trenger", "trengs", "burde", "bør",
    "gjere", "gjøre", "gjer", "gjør", "mellom", "under", "over", "etter", "før", "ved", "mot",
    "utan", "uten", "opp", "ut", "inn", "ned", "seg", "kvar", "hver", "heile", "hele", "litt",
    "veldig", "svært", "mykje", "slik", "sånn", "fordi", "viss", "hvis", "dersom", "gi", "gje",
    "ønskjer", "ønsker", "ønske", "kjem", "kommer", "gå", "går", "ta", "tek", "tar", "lite",
    "stor", "store", "større", "ny", "nye", "nytt", "fleire", "mindre", "altfor", "for", "ha",
    "hos", "både", "hjå", "dag", "idag", "ofte", "aldri", "alltid", "ganske", "nok",
    // English.
    "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "for", "with",
    "about", "as", "by", "from", "is", "are", "was", "were", "be", "been", "being", "it", "its",
    "this", "that", "these", "those", "there", "here", "we", "us", "our", "you", "your", "they",
    "them", "their", "i", "me", "my", "he", "she", "his", "her", "not", "no", "do", "does", "did",
    "have", "has", "had", "can", "could", "should", "would", "will", "more", "most", "some", "any",
    "all", "so", "than", "too", "very", "just", "also", "get", "got", "what", "which", "who",
    "how", "when", "where", "why", "into", "out", "up", "down", "over", "need", "needs", "want",
    "wants", "like", "lot", "lots", "many", "much", "really", "make", "better", "good", "great",
    "new", "more", "less", "often", "always", "never", "because", "want", "don't", "doesn't",
    "isn't", "aren't", "can't", "it's", "there's", "we're", "should", "enough",
];

/// Words so common in meetings about children and young people's lives that they say nothing
/// about a note's topic (every other note mentions school or youth). They still appear in the
/// word cloud's notes, just not as topic words.
const MEETING_WORDS: &[&str] = &[
    "skule",
    "skulen",
    "skole",
    "skolen",
    "school",
    "schools",
    "ungdom",
    "ungdommen",
    "ungdomen",
    "unge",
    "youth",
    "young",
    "elev",
    "elevar",
    "elever",
    "elevane",
    "elevene",
    "pupils",
    "students",
    "student",
    "people",
    "folk",
    "kommune",
    "kommunen",
    "municipality",
    "dag",
    "dagen",
    "day",
    "days",
    "problem",
    "problemet",
    "ting",
    "things",
    "thing",
    "tid",
    "tida",
    "tiden",
    "time",
    "kids",
    "alt",
    "everyone",
    "someone",
    "nobody",
    "mange",
    "fleire",
];

/// Common English words of these meetings, brought to their Norwegian word so that a mixed
/// room's notes meet (*bus* and *bussen*, *youth club* and *ungdomsklubb*).
const ENGLISH: &[(&str, &str)] = &[
    ("bus", "buss"),
    ("buses", "busser"),
    ("club", "klubb"),
    ("food", "mat"),
    ("lunch", "lunsj"),
    ("canteen", "kantine"),
    ("bullying", "mobbing"),
    ("bullied", "mobbet"),
    ("phone", "mobil"),
    ("phones", "mobiler"),
    ("mobile", "mobil"),
    ("screen", "skjerm"),
    ("screens", "skjermer"),
    ("parks", "parker"),
    ("trees", "trær"),
    ("tree", "tre"),
    ("forest", "skog"),
    ("road", "vei"),
    ("roads", "veier"),
    ("sidewalk", "fortau"),
    ("pavement", "fortau"),
    ("car", "bil"),
    ("cars", "biler"),
    ("health", "helse"),
    ("mental", "psykisk"),
    ("council", "råd"),
    ("politicians", "politikere"),
    ("politician", "politiker"),
    ("decisions", "beslutninger"),
    ("decision", "beslutning"),
    ("say", "si"),
    ("hall", "hall"),
    ("football", "fotball"),
    ("light", "lys"),
    ("lights", "lys"),
    ("safe", "trygg"),
    ("litter", "søppel"),
    ("rubbish", "søppel"),
    ("waste", "avfall"),
    ("green", "grønn"),
    ("recess", "friminutt"),
    ("break", "friminutt"),
    ("teacher", "lærer"),
    ("teachers", "lærere"),
    ("parents", "foreldre"),
    ("online", "nett"),
    ("town", "sentrum"),
    ("evening", "kveld"),
    ("evenings", "kvelder"),
    ("weekend", "helg"),
    ("weekends", "helger"),
    ("free", "gratis"),
    ("cheap", "billig"),
    ("expensive", "dyr"),
    ("climate", "klima"),
    ("nature", "natur"),
    ("grades", "karakterer"),
    ("anxious", "angst"),
    ("anxiety", "angst"),
    ("listen", "lytte"),
    ("training", "trening"),
    ("skate", "skate"),
    ("climbing", "klatring"),
    ("wall", "vegg"),
    ("lessons", "timer"),
    ("stress", "stress"),
    ("support", "hjelp"),
    ("help", "hjelp"),
    ("fast", "fort"),
    ("drive", "kjøre"),
    ("left", "utenfor"),
    ("hang", "henge"),
    ("open", "åpen"),
    ("winter", "vinter"),
    ("dark", "mørkt"),
];

/// Families of words for the topics that come up again and again when a municipality asks
/// children, young people and parents about growing up there. A note that uses any word of a
/// family also counts as being about the family's topic, so *busskort* and *skyss*, or
/// *helsesjukepleiar* and *stress*, can meet even though they share no word. Words are given
/// in one form; every form with the same stem, and every compound that contains a word of
/// four letters or more, belongs to the family.
pub const TOPICS: &[(&str, &[&str])] = &[
    (
        "transport",
        &[
            "buss",
            "busskort",
            "bussrute",
            "skyss",
            "skoleskyss",
            "kollektiv",
            "kollektivtilbud",
            "avgang",
            "rutetabell",
            "tog",
            "ferje",
            "drosje",
            "taxi",
            "transport",
            "billett",
            "henting",
            "kjøring",
        ],
    ),
    (
        "mobbing",
        &[
            "mobbing",
            "mobbe",
            "mobbet",
            "mobba",
            "utestengt",
            "utenfor",
            "alene",
            "aleine",
            "ensom",
            "ensomhet",
            "plaging",
            "erting",
            "krenkelse",
            "trakassering",
            "bullying",
            "inkludering",
            "vennskap",
            "venn",
        ],
    ),
    (
        "helse",
        &[
            "psykisk",
            "helse",
            "helsesykepleier",
            "helsesøster",
            "bup",
            "stress",
            "press",
            "angst",
            "depresjon",
            "sliter",
            "tungt",
            "samtale",
            "psykolog",
            "mental",
            "søvn",
            "trøtt",
            "karakterpress",
            "prestasjonspress",
        ],
    ),
    (
        "møteplass",
        &[
            "møteplass",
            "ungdomsklubb",
            "klubb",
            "fritidsklubb",
            "ungdomshus",
            "kafe",
            "henge",
            "samlingssted",
            "åpningstid",
            "fritidstilbud",
            "fritid",
            "kulturhus",
        ],
    ),
    (
        "idrett",
        &[
            "idrett",
            "idrettshall",
            "hall",
            "bane",
            "fotball",
            "fotballbane",
            "kunstgress",
            "kunstgras",
            "trening",
            "treningstid",
            "skatepark",
            "klatrevegg",
            "klatring",
            "gymsal",
            "turn",
            "turnhall",
            "ballbinge",
            "svømmehall",
            "basseng",
            "lag",
            "anlegg",
        ],
    ),
    (
        "mat",
        &[
            "mat", "skolemat", "matpakke", "kantine", "lunsj", "frokost", "frukt", "sunn",
            "måltid", "spise", "ete", "middag",
        ],
    ),
    (
        "medvirkning",
        &[
            "ungdomsråd",
            "elevråd",
            "medvirkning",
            "bestemme",
            "lytte",
            "høre",
            "høyrd",
            "politiker",
            "beslutning",
            "innspill",
            "innspel",
            "tilbakemelding",
            "demokrati",
            "påvirke",
            "råd",
            "medbestemmelse",
            "stemme",
        ],
    ),
    (
        "skjerm",
        &[
            "skjerm",
            "skjermtid",
            "skjermbruk",
            "mobil",
            "mobilfri",
            "gaming",
            "telefon",
            "sosiale",
            "tiktok",
            "snapchat",
            "nettbrett",
        ],
    ),
    (
        "trafikk",
        &[
            "fortau",
            "gatelys",
            "sykkelvei",
            "gangvei",
            "trafikk",
            "fart",
            "fartsdump",
            "bil",
            "kryss",
            "overgang",
            "fotgjengerfelt",
            "mørkt",
            "refleks",
            "sykkel",
        ],
    ),
    (
        "miljø",
        &[
            "miljø",
            "klima",
            "søppel",
            "avfall",
            "sortering",
            "grøntområde",
            "park",
            "skog",
            "natur",
            "tre",
            "forsøpling",
            "gjenbruk",
            "plast",
            "nærmiljø",
            "klimavennlig",
        ],
    ),
];

/// The topics (from [`TOPICS`]) that a word with stem `stem` belongs to.
pub fn topics_of(stem: &str) -> Vec<&'static str> {
    TOPICS
        .iter()
        .filter(|(_, family)| {
            family.iter().any(|word| {
                let member = self::stem(word);
                stem == member || (member.chars().count() >= 4 && stem.contains(&member))
            })
        })
        .map(|(topic, _)| *topic)
        .collect()
}

/// Spellings of the two written standards (and loose spellings) brought to one form before
/// stemming; applied inside compounds too (*skulemat* → *skolemat*).
const SPELLINGS: &[(&str, &str)] = &[
    ("skule", "skole"),
    ("tilbod", "tilbud"),
    ("lærar", "lærer"),
    ("sjukepleiar", "sykepleier"),
    ("sjuk", "syk"),
    ("heime", "hjemme"),
    ("heim", "hjem"),
    ("grøn", "grønn"),
    ("medverknad", "medvirkning"),
    ("vegen", "veien"),
    ("kafé", "kafe"),
    ("ungdomen", "ungdommen"),
    ("draum", "drøm"),
    ("røyst", "stemme"),
    ("høyr", "hør"),
];

/// Word endings removed, longest first, at most twice, leaving at least three letters:
/// enough to merge *lærar*, *lærer*, *lærere*, *lærarane* and *bussen*, *bussar*, *buses*.
const ENDINGS: &[&str] = &[
    "heitene", "hetene", "heitane", "heita", "heten", "heiter", "heter", "ingane", "ingene",
    "ingar", "inger", "ingen", "inga", "arne", "erne", "ande", "ende", "ane", "ene", "ast", "est",
    "ing", "ies", "ar", "er", "en", "et", "es", "ed", "a", "e", "s",
];

/// Whether `word` (lower case) is a small word to leave out.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// The words of `text`, lower-cased, in order: letters and digits, with apostrophes and
/// hyphens inside a word kept (*don't*, *e-sport*). Emoji and punctuation separate words.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let joins = (*c == '\'' || *c == '’' || *c == '-')
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        } else if joins {
            current.push(if *c == '’' { '\'' } else { *c });
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// One key for the forms of a word: spellings brought together, then common endings removed.
pub fn stem(word: &str) -> String {
    let mut word = word.to_lowercase();
    for (from, to) in SPELLINGS {
        if word.contains(from) {
            word = word.replace(from, to);
        }
    }
    // Nynorsk -vegen/-veg and bokmål -veien/-vei are one word.
    if let Some(base) = word.strip_suffix("veg") {
        word = format!("{base}vei");
    }
    for _ in 0..2 {
        let letters = word.chars().count();
        let Some(ending) = ENDINGS
            .iter()
            .find(|e| word.ends_with(*e) && letters >= e.chars().count() + 3)
        else {
            break;
        };
        word.truncate(word.len() - ending.len());
    }
    word
}

/// The topic words of `text`: each word that is not a small word, a number or one of the
/// words every note of such a meeting uses, with its stem (an English word by its Norwegian
/// counterpart's), in order.
pub fn topic_words(text: &str) -> Vec<(String, String)> {
    words(text)
        .into_iter()
        .filter(|w| w.chars().count() > 1 && !is_stop_word(w))
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !MEETING_WORDS.contains(&w.as_str()))
        .map(|w| {
            let norwegian = ENGLISH
                .iter()
                .find(|(en, _)| *en == w)
                .map_or(w.as_str(), |(_, no)| no);
            let stem = stem(norwegian);
            (stem, w)
        })
        .collect()
}

/// Every topic word of `text`, meeting words included: for the word cloud, where "skule"
/// may well be what the room talked about.
pub fn cloud_words(text: &str) -> Vec<(String, String)> {
    words(text)
        .into_iter()
        .filter(|w| w.chars().count() > 1 && !is_stop_word(w))
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .map(|w| (stem(&w), w))
        .collect()
}

/// One word of a word cloud: the form people wrote most often, and how many notes use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloudWord {
    /// The word as shown: its most written form.
    pub word: String,
    /// In how many notes it appears (in any form).
    pub count: usize,
}

/// The `most` most used topic words of `texts`, most used first (ties alphabetically), each
/// counted once per note.
pub fn word_cloud<'a>(texts: impl IntoIterator<Item = &'a str>, most: usize) -> Vec<CloudWord> {
    let mut notes_with: BTreeMap<String, usize> = BTreeMap::new();
    let mut forms: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for text in texts {
        let mut seen = std::collections::BTreeSet::new();
        for (stem, word) in cloud_words(text) {
            *forms
                .entry(stem.clone())
                .or_default()
                .entry(word)
                .or_default() += 1;
            if seen.insert(stem.clone()) {
                *notes_with.entry(stem).or_default() += 1;
            }
        }
    }
    let mut cloud: Vec<CloudWord> = notes_with
        .into_iter()
        .map(|(stem, count)| {
            let word = most_written(&forms[&stem]);
            CloudWord { word, count }
        })
        .collect();
    cloud.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.word.cmp(&b.word)));
    cloud.truncate(most);
    cloud
}

/// The form written most often (the shortest, then the first alphabetically, on a tie).
pub fn most_written(forms: &BTreeMap<String, usize>) -> String {
    forms
        .iter()
        .max_by(|a, b| {
            a.1.cmp(b.1)
                .then_with(|| b.0.chars().count().cmp(&a.0.chars().count()))
                .then_with(|| b.0.cmp(a.0))
        })
        .map(|(w, _)| w.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_split_on_punctuation_and_emoji_and_lower_cased() {
        assert_eq!(
            words("Meir LYS på skulevegen!!! 🚌 Don't e-sport, 2024"),
            vec![
                "meir",
                "lys",
                "på",
                "skulevegen",
                "don't",
                "e-sport",
                "2024"
            ]
        );
        assert_eq!(words("مرحبا بالعالم"), vec!["مرحبا", "بالعالم"]);
    }

    #[test]
    fn forms_of_a_word_in_both_standards_share_a_stem() {
        let same = |forms: &[&str]| {
            let stems: Vec<String> = forms.iter().map(|f| stem(f)).collect();
            assert!(
                stems.windows(2).all(|w| w[0] == w[1]),
                "{forms:?} → {stems:?}"
            );
        };
        same(&["bussen", "bussar", "busser", "buss", "buses", "bus"]);
        same(&["lærar", "lærer", "lærere", "lærarane", "lærerne"]);
        same(&["skulen", "skolen", "skule", "skole"]);
        same(&["skulevegen", "skoleveien", "skolevei", "skuleveg"]);
        same(&["tilbod", "tilbud", "tilboda", "tilbudene"]);
        assert_ne!(stem("buss"), stem("bok"));
    }

    #[test]
    fn the_word_cloud_counts_notes_not_repeats_and_shows_the_common_form() {
        let notes = [
            "Bussen går for sjeldan, bussen er full",
            "Fleire bussar på kvelden",
            "Bussen må gå oftare",
            "Meir lys i gymsalen",
        ];
        let cloud = word_cloud(notes, 3);
        assert_eq!(
            cloud[0],
            CloudWord {
                word: "bussen".into(),
                count: 3
            }
        );
        assert!(cloud.iter().all(|w| !is_stop_word(&w.word)));
    }
}
