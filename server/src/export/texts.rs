//! The words of the input document in nynorsk, bokmål and English, and the way dates and
//! numbers are written in each: "23. november 2026" and "10 000" in Norwegian, "23 November
//! 2026" and "10,000" in English. Dates are Norwegian local time (CET/CEST), since the
//! meetings are held in Norway.

use ordet_shared::{Lang, Timestamp, translations};

/// Texts that are the same in English on purpose.
pub const SAME_AS_ENGLISH: &[DocKey] = &[DocKey::Min, DocKey::Plan];

translations! {
    /// A text of the input document.
    DocKey;
    InputDocument { nn: "Innspelsdokument", nb: "Innspillsdokument", en: "Input document" }
    MeetingCount { nn: "Møte: {count}", nb: "Møter: {count}", en: "Meetings: {count}" }
    MadeWith { nn: "Laga med Ordet", nb: "Laget med Ordet", en: "Made with Ordet" }
    About { nn: "Om dokumentet", nb: "Om dokumentet", en: "About this document" }
    AboutText {
        nn: "Dokumentet samlar innspela frå møta under. Kvart innspel står ordrett, sortert etter spørsmål og tema. Innspel som vart slegne saman som like, står saman, begge ordrett: usemje er teken med, ikkje jamna ut. Ingen deltakarar er nemnde med namn, og roller med færre enn tre personar er slegne saman.",
        nb: "Dokumentet samler innspillene fra møtene nedenfor. Hvert innspill står ordrett, sortert etter spørsmål og tema. Innspill som ble slått sammen som like, står sammen, begge ordrett: uenighet er tatt med, ikke jevnet ut. Ingen deltakere er nevnt med navn, og roller med færre enn tre personer er slått sammen.",
        en: "This document gathers the inputs from the meetings below. Every input is given verbatim, sorted by question and theme. Inputs merged as duplicates are shown together, both verbatim: disagreement is kept, not smoothed over. No participant is named, and roles with fewer than three people are pooled.",
    }
    HiddenLeftOut {
        nn: "Innspel som møteleiaren skjulte (til dømes personangrep), er ikkje med: {count}.",
        nb: "Innspill som møtelederen skjulte (for eksempel personangrep), er ikke med: {count}.",
        en: "Inputs the facilitator hid (personal attacks, for example) are left out: {count}.",
    }
    UseHeading { nn: "Korleis innspela blir brukte", nb: "Hvordan innspillene blir brukt", en: "How the inputs will be used" }
    UseText {
        nn: "Styringsgruppa skriv planen ut frå dette dokumentet. Fyll inn korleis og når deltakarane får høyre kva som kom ut av innspela deira.",
        nb: "Styringsgruppen skriver planen ut fra dette dokumentet. Fyll inn hvordan og når deltakerne får høre hva som kom ut av innspillene deres.",
        en: "The steering group writes the plan from this document. Fill in how and when the participants will hear what came of their inputs.",
    }
    Participation { nn: "Deltaking", nb: "Deltakelse", en: "Participation" }
    Meeting { nn: "Møte", nb: "Møte", en: "Meeting" }
    Date { nn: "Dato", nb: "Dato", en: "Date" }
    Participants { nn: "Deltakarar", nb: "Deltakere", en: "Participants" }
    ByRole { nn: "Etter rolle", nb: "Etter rolle", en: "By role" }
    Role { nn: "Rolle", nb: "Rolle", en: "Role" }
    SmallRoles { nn: "Andre roller (færre enn tre kvar)", nb: "Andre roller (færre enn tre hver)", en: "Other roles (fewer than three each)" }
    Method { nn: "Metode og program", nb: "Metode og program", en: "Method and programme" }
    MethodText {
        nn: "Møta følgde programmet under. Deltakarane svarte på telefonane sine, utan konto; i grupperundane fekk alle ordet etter tur, med lik taletid.",
        nb: "Møtene fulgte programmet nedenfor. Deltakerne svarte på telefonene sine, uten konto; i grupperundene fikk alle ordet etter tur, med lik taletid.",
        en: "The meetings followed the programme below. Participants answered on their own phones, without accounts; in the group rounds everyone had the floor in turn, with equal speaking time.",
    }
    Inputs { nn: "Innspel", nb: "Innspill", en: "Inputs" }
    Question { nn: "Spørsmål", nb: "Spørsmål", en: "Question" }
    NoQuestion { nn: "Andre innspel", nb: "Andre innspill", en: "Other inputs" }
    NoTheme { nn: "Utan tema", nb: "Uten tema", en: "No theme" }
    Group { nn: "Gruppe {number}", nb: "Gruppe {number}", en: "Group {number}" }
    NoGroup { nn: "Utan gruppe", nb: "Uten gruppe", en: "No group" }
    ForGroup { nn: "for gruppa", nb: "for gruppen", en: "for the group" }
    AlsoSaid { nn: "Same innspel, sagt slik:", nb: "Samme innspill, sagt slik:", en: "The same input, put this way:" }
    Dots { nn: "prikkar: {count}", nb: "prikker: {count}", en: "dots: {count}" }
    Priorities { nn: "Prioriteringar", nb: "Prioriteringer", en: "Priorities" }
    VotingFacts {
        nn: "Røysta over: {on}. Deltakarar som røysta: {voters}. Prikkar per person: {budget}.",
        nb: "Stemt over: {on}. Deltakere som stemte: {voters}. Prikker per person: {budget}.",
        en: "Voted on: {on}. Participants who voted: {voters}. Dots per person: {budget}.",
    }
    OnThemes { nn: "tema", nb: "temaer", en: "themes" }
    OnNotes { nn: "innspel", nb: "innspill", en: "inputs" }
    Rank { nn: "Plass", nb: "Plass", en: "Rank" }
    Theme { nn: "Tema", nb: "Tema", en: "Theme" }
    DotsHeader { nn: "Prikkar", nb: "Prikker", en: "Dots" }
    NoVote { nn: "Det vart ikkje røysta i dette møtet.", nb: "Det ble ikke stemt i dette møtet.", en: "There was no vote in this meeting." }
    WordCloud { nn: "Ordsky", nb: "Ordsky", en: "Word cloud" }
    WordCloudText {
        nn: "Orda som flest innspel brukar; di større, di fleire. Talet er kor mange innspel ordet står i.",
        nb: "Ordene som flest innspill bruker; jo større, jo flere. Tallet er hvor mange innspill ordet står i.",
        en: "The words most inputs use; the larger, the more. The number is how many inputs use the word.",
    }
    Floor { nn: "Taletid etter rolle", nb: "Taletid etter rolle", en: "Speaking time by role" }
    FloorText {
        nn: "Kor lenge kvar rolle hadde ordet i talerundane. Berre tida er registrert, ikkje kva som vart sagt.",
        nb: "Hvor lenge hver rolle hadde ordet i talerundene. Bare tiden er registrert, ikke hva som ble sagt.",
        en: "How long each role had the floor in the talking rounds. Only the time is recorded, never what was said.",
    }
    SpeakingTime { nn: "Taletid", nb: "Taletid", en: "Speaking time" }
    Turns { nn: "Tur", nb: "Turer", en: "Turns" }
    Passes { nn: "Stod over", nb: "Stod over", en: "Passed" }
    NoRounds { nn: "Dette møtet hadde ingen talerundar.", nb: "Dette møtet hadde ingen talerunder.", en: "This meeting had no talking rounds." }
    Min { nn: "min", nb: "min", en: "min" }
    PlanTable { nn: "Planskisse", nb: "Planskisse", en: "Plan table" }
    PlanTableText {
        nn: "Til styringsgruppa: fyll ut tabellen. Han er førehandsfylt med dei høgast prioriterte tema frå møta. Prioritet: A må, B bør, C seinare.",
        nb: "Til styringsgruppen: fyll ut tabellen. Den er forhåndsutfylt med de høyest prioriterte temaene fra møtene. Prioritet: A må, B bør, C senere.",
        en: "For the steering group to complete. It is pre-filled with the highest priorities from the meetings. Priority: A must, B should, C later.",
    }
    MainGoal { nn: "Hovudmål", nb: "Hovedmål", en: "Main goal" }
    SubGoal { nn: "Delmål", nb: "Delmål", en: "Sub-goal" }
    Measure { nn: "Tiltak", nb: "Tiltak", en: "Measure" }
    Priority { nn: "Prioritet", nb: "Prioritet", en: "Priority" }
    Comment { nn: "Kommentar/effekt", nb: "Kommentar/effekt", en: "Comment/effect" }
    Cost { nn: "Kostnad", nb: "Kostnad", en: "Cost" }
    Responsible { nn: "Ansvarleg", nb: "Ansvarlig", en: "Responsible" }
    Year { nn: "År", nb: "År", en: "Year" }
    FromMeeting { nn: "{dots} prikkar i «{meeting}»", nb: "{dots} prikker i «{meeting}»", en: "{dots} dots in “{meeting}”" }
    Appendix { nn: "Vedlegg: alle innspel etter gruppe", nb: "Vedlegg: alle innspill etter gruppe", en: "Appendix: all inputs by group" }
    Total { nn: "I alt", nb: "Totalt", en: "Total" }
    Step { nn: "Steg", nb: "Steg", en: "Step" }
    Text { nn: "Tekst", nb: "Tekst", en: "Text" }
    Votes { nn: "Prikkar på innspelet", nb: "Prikker på innspillet", en: "Dots on the input" }
    ThemeVotes { nn: "Prikkar på temaet", nb: "Prikker på temaet", en: "Dots on the theme" }
    Plan { nn: "Plan", nb: "Plan", en: "Plan" }
    NoInputs { nn: "Ingen innspel enno.", nb: "Ingen innspill ennå.", en: "No inputs yet." }
}

const MONTHS_NO: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    /// Year.
    pub year: i64,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
}

/// The day in Norway at `at`.
pub fn norwegian_day(at: Timestamp) -> Day {
    let utc_secs = (at.0 / 1000) as i64;
    let offset = if summer_time(utc_secs) { 7200 } else { 3600 };
    day_of((utc_secs + offset).div_euclid(86_400))
}

/// The date as people write it: "23. november 2026" or "23 November 2026".
pub fn long_date(at: Timestamp, lang: Lang) -> String {
    let Day { year, month, day } = norwegian_day(at);
    let index = (month - 1) as usize;
    match lang {
        Lang::Nn | Lang::Nb => format!("{day}. {} {year}", MONTHS_NO[index]),
        Lang::En => format!("{day} {} {year}", MONTHS_EN[index]),
    }
}

/// The date as spreadsheets read it: "23.11.2026" in Norwegian, "2026-11-23" in English.
pub fn short_date(at: Timestamp, lang: Lang) -> String {
    let Day { year, month, day } = norwegian_day(at);
    match lang {
        Lang::Nn | Lang::Nb => format!("{day:02}.{month:02}.{year}"),
        Lang::En => format!("{year}-{month:02}-{day:02}"),
    }
}

pub use ordet_shared::i18n::number;

/// Minutes with one decimal and the unit: "12,5 min" or "12.5 min".
pub fn minutes(seconds: u64, lang: Lang) -> String {
    format!(
        "{} {}",
        ordet_shared::i18n::minutes(seconds, lang),
        DocKey::Min.text(lang)
    )
}

/// Whether Central European Summer Time is in force at `utc_secs`: from 01:00 UTC on the
/// last Sunday of March to 01:00 UTC on the last Sunday of October.
fn summer_time(utc_secs: i64) -> bool {
    let year = day_of(utc_secs.div_euclid(86_400)).year;
    let start = last_sunday(year, 3) * 86_400 + 3600;
    let end = last_sunday(year, 10) * 86_400 + 3600;
    (start..end).contains(&utc_secs)
}

/// Days since 1970-01-01 of the last Sunday of `month` (March or October: 31 days).
fn last_sunday(year: i64, month: u32) -> i64 {
    let last = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday; (days + 4) % 7 is 0 on Sundays.
    last - (last + 4).rem_euclid(7)
}

/// Days since 1970-01-01 of a calendar date (proleptic Gregorian).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar date of a day number since 1970-01-01.
fn day_of(days: i64) -> Day {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Day { year, month, day }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(year: i64, month: u32, day: u32, hour: i64, minute: i64) -> Timestamp {
        let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60;
        Timestamp(secs as u64 * 1000)
    }

    #[test]
    fn every_document_text_is_translated() {
        assert_eq!(
            ordet_shared::i18n::table_problems(DocKey::ALL, DocKey::text, SAME_AS_ENGLISH),
            Vec::<String>::new()
        );
    }

    #[test]
    fn dates_are_written_the_norwegian_way_in_norwegian_time() {
        assert_eq!(
            long_date(at(2026, 11, 23, 12, 0), Lang::Nn),
            "23. november 2026"
        );
        assert_eq!(
            long_date(at(2026, 11, 23, 12, 0), Lang::En),
            "23 November 2026"
        );
        assert_eq!(short_date(at(2026, 11, 23, 12, 0), Lang::Nb), "23.11.2026");
        assert_eq!(short_date(at(2026, 11, 23, 12, 0), Lang::En), "2026-11-23");
        // 23:30 UTC on New Year's Eve is already the new year in Oslo (UTC+1).
        assert_eq!(short_date(at(2026, 12, 31, 23, 30), Lang::Nb), "01.01.2027");
        // 22:30 UTC in June is 00:30 the next day in Oslo (UTC+2), but 23:30 in January.
        assert_eq!(short_date(at(2026, 6, 10, 22, 30), Lang::Nb), "11.06.2026");
        assert_eq!(short_date(at(2026, 1, 10, 22, 30), Lang::Nb), "10.01.2026");
        // Summer time 2026: 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert!(!summer_time(at(2026, 3, 29, 0, 59).0 as i64 / 1000));
        assert!(summer_time(at(2026, 3, 29, 1, 0).0 as i64 / 1000));
        assert!(summer_time(at(2026, 10, 25, 0, 59).0 as i64 / 1000));
        assert!(!summer_time(at(2026, 10, 25, 1, 0).0 as i64 / 1000));
        assert_eq!(
            day_of(days_from_civil(2024, 2, 29)),
            Day {
                year: 2024,
                month: 2,
                day: 29
            }
        );
    }

    #[test]
    fn numbers_group_thousands_and_minutes_use_the_decimal_comma() {
        assert_eq!(number(10_000, Lang::Nn), "10\u{a0}000");
        assert_eq!(number(1_234_567, Lang::En), "1,234,567");
        assert_eq!(number(999, Lang::Nb), "999");
        assert_eq!(minutes(750, Lang::Nb), "12,5 min");
        assert_eq!(minutes(750, Lang::En), "12.5 min");
        assert_eq!(minutes(600, Lang::Nn), "10 min");
    }
}
