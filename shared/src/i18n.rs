//! Every user-visible string, in nynorsk, bokmål and English. The [`translations!`] table
//! below is the only place text is written; a key without all three languages does not
//! compile. Placeholders are written `{name}` and filled with [`Key::fill`].
//!
//! Counts are written as "Label: 5" rather than in sentences, so no plural rules are needed.

use serde::{Deserialize, Serialize};

use crate::limits;

/// An interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Nynorsk.
    Nn,
    /// Bokmål (the default: most Norwegian municipalities write it).
    #[default]
    Nb,
    /// English.
    En,
}

impl Lang {
    /// All languages, in the order a picker shows them.
    pub const ALL: [Lang; 3] = [Lang::Nn, Lang::Nb, Lang::En];

    /// The BCP 47 code, for `<html lang>` and storage: `nn`, `nb`, `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nn => "nn",
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }

    /// Parses a code such as `nn`, `nb-NO`, `no` or `en-GB`; `None` for other languages.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "nn" => Some(Lang::Nn),
            "nb" | "no" => Some(Lang::Nb),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's own name, as a language picker shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Nn => "Nynorsk",
            Lang::Nb => "Bokmål",
            Lang::En => "English",
        }
    }
}

/// Declares a table of translation keys: an enum `$name` whose every key has its text in
/// nynorsk, bokmål and English, with `text`, `fill` and `ALL`. The app's strings use it
/// below as [`Key`]; the server's document texts use it for their own table.
#[macro_export]
macro_rules! translations {
    ($(#[$meta:meta])* $name:ident; $($key:ident { nn: $nn:literal, nb: $nb:literal, en: $en:literal $(,)? })*) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum $name { $($key),* }

        impl $name {
            /// Every key, for completeness tests.
            pub const ALL: &'static [$name] = &[$($name::$key),*];

            /// The text in `lang`, placeholders unfilled.
            pub fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                match self {
                    $($name::$key => match lang {
                        $crate::i18n::Lang::Nn => $nn,
                        $crate::i18n::Lang::Nb => $nb,
                        $crate::i18n::Lang::En => $en,
                    },)*
                }
            }

            /// The text in `lang` with each `{name}` replaced by its value.
            pub fn fill(self, lang: $crate::i18n::Lang, values: &[(&str, String)]) -> String {
                let mut text = self.text(lang).to_string();
                for (name, value) in values {
                    text = text.replace(&format!("{{{name}}}"), value);
                }
                text
            }
        }
    };
}

/// A whole number with thousands grouped as the language writes it: "10 000" (with a no-break
/// space) in nynorsk and bokmål, "10,000" in English.
pub fn number(n: u64, lang: Lang) -> String {
    let digits = n.to_string();
    let separator = match lang {
        Lang::Nn | Lang::Nb => '\u{a0}',
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// Minutes, rounded to a tenth and written with the language's decimal mark: "2,5" in
/// nynorsk and bokmål, "2.5" in English, "10" when whole.
pub fn minutes(seconds: u64, lang: Lang) -> String {
    let tenths = (seconds * 10 + 30) / 60;
    let (whole, tenth) = (tenths / 10, tenths % 10);
    let point = match lang {
        Lang::Nn | Lang::Nb => ',',
        Lang::En => '.',
    };
    if tenth == 0 {
        number(whole, lang)
    } else {
        format!("{}{point}{tenth}", number(whole, lang))
    }
}

/// The size limits under the names the texts use for them, so any text may mention them.
pub fn limit_values() -> Vec<(&'static str, String)> {
    vec![
        ("note_max", limits::NOTE_MAX_CHARS.to_string()),
        ("name_max", limits::NAME_MAX_CHARS.to_string()),
        ("title_max", limits::TITLE_MAX_CHARS.to_string()),
        ("max_roles", limits::MAX_ROLES.to_string()),
        ("length", crate::join_code::LENGTH.to_string()),
        (
            "step_title_max",
            crate::programme::STEP_TITLE_MAX_CHARS.to_string(),
        ),
        (
            "question_max",
            crate::programme::QUESTION_MAX_CHARS.to_string(),
        ),
        ("max_questions", crate::programme::MAX_QUESTIONS.to_string()),
        ("max_steps", crate::programme::MAX_STEPS.to_string()),
    ]
}

/// Keys whose text is the same in English and a Norwegian standard on purpose.
pub const SAME_AS_ENGLISH: &[Key] = &[Key::AppName, Key::StepMinutes, Key::WallPage];

translations! {
    /// A translation key: one user-visible string of the app in three languages.
    Key;
    AppName { nn: "Ordet", nb: "Ordet", en: "Ordet" }
    Tagline {
        nn: "Dialogkonferansar der alle får ordet",
        nb: "Dialogkonferanser der alle får ordet",
        en: "Dialogue conferences where everyone gets the floor",
    }
    LanguageLabel { nn: "Språk", nb: "Språk", en: "Language" }
    SkipToContent { nn: "Hopp til innhaldet", nb: "Hopp til innholdet", en: "Skip to content" }
    NotFoundHeading { nn: "Fann ikkje sida", nb: "Fant ikke siden", en: "Page not found" }
    BackToStart { nn: "Til startsida", nb: "Til startsiden", en: "To the start page" }
    Loading { nn: "Lastar …", nb: "Laster …", en: "Loading…" }
    Dismiss { nn: "Lukk", nb: "Lukk", en: "Dismiss" }

    ConnConnecting { nn: "Koplar til …", nb: "Kobler til …", en: "Connecting…" }
    ConnOnline { nn: "Tilkopla", nb: "Tilkoblet", en: "Connected" }
    ConnOffline {
        nn: "Fråkopla – prøver igjen om {seconds} s",
        nb: "Frakoblet – prøver igjen om {seconds} s",
        en: "Offline – trying again in {seconds} s",
    }
    ConnOfflineHint {
        nn: "Det du skriv, blir teke vare på her og sendt når nettet er tilbake.",
        nb: "Det du skriver, blir tatt vare på her og sendt når nettet er tilbake.",
        en: "What you write is kept here and sent when the connection is back.",
    }
    ConnRetryNow { nn: "Prøv no", nb: "Prøv nå", en: "Try now" }
    ConnFailed { nn: "Kan ikkje kople til", nb: "Kan ikke koble til", en: "Cannot connect" }
    ReloadPage { nn: "Last sida på nytt", nb: "Last inn siden på nytt", en: "Reload the page" }

    StartHeading {
        nn: "Start ein dialogkonferanse",
        nb: "Start en dialogkonferanse",
        en: "Start a dialogue conference",
    }
    TitleLabel { nn: "Tittel på møtet", nb: "Tittel på møtet", en: "Title of the meeting" }
    TitleHint {
        nn: "Til dømes: Ope møte om oppvekstplanen",
        nb: "For eksempel: Åpent møte om oppvekstplanen",
        en: "For example: Open meeting on the upbringing plan",
    }
    MeetingLanguageLabel { nn: "Språk på møtet", nb: "Språk på møtet", en: "Language of the meeting" }
    CreateButton { nn: "Lag konferansen", nb: "Lag konferansen", en: "Create the conference" }
    Creating { nn: "Lagar …", nb: "Lager …", en: "Creating…" }
    JoinHeading { nn: "Bli med i ein konferanse", nb: "Bli med i en konferanse", en: "Join a conference" }
    JoinCodeLabel { nn: "Koden frå storskjermen", nb: "Koden fra storskjermen", en: "Code from the big screen" }
    JoinButton { nn: "Bli med", nb: "Bli med", en: "Join" }
    Checking { nn: "Sjekkar …", nb: "Sjekker …", en: "Checking…" }

    ConsoleSubtitle {
        nn: "Styrepanel for tilretteleggjar",
        nb: "Styrepanel for tilrettelegger",
        en: "Facilitator console",
    }
    KeepLinkWarning {
        nn: "Adressa til denne sida er nøkkelen til konferansen. Lagre ho som bokmerke, og del ho ikkje.",
        nb: "Adressen til denne siden er nøkkelen til konferansen. Lagre den som bokmerke, og ikke del den.",
        en: "The address of this page is the key to the conference. Bookmark it and do not share it.",
    }
    OpenScreen { nn: "Opne storskjermen", nb: "Åpne storskjermen", en: "Open the projector screen" }
    JoinInstructions {
        nn: "Deltakarane går til {url} og skriv koden {code}.",
        nb: "Deltakerne går til {url} og skriver koden {code}.",
        en: "Participants go to {url} and type the code {code}.",
    }
    ParticipantsHeading { nn: "Deltakarar", nb: "Deltakere", en: "Participants" }
    JoinedCount { nn: "Med no: {count}", nb: "Med nå: {count}", en: "Joined: {count}" }
    FindParticipantLabel { nn: "Finn ein deltakar (namn)", nb: "Finn en deltaker (navn)", en: "Find a participant (name)" }
    ParticipantsShown { nn: "Viser {shown} av {count}, nyaste først", nb: "Viser {shown} av {count}, nyeste først", en: "Showing {shown} of {count}, newest first" }
    NoParticipantsYet { nn: "Ingen deltakarar enno.", nb: "Ingen deltakere ennå.", en: "No participants yet." }
    NoParticipantMatches { nn: "Ingen med det namnet.", nb: "Ingen med det navnet.", en: "Nobody by that name." }
    RemovedCount { nn: "Fjerna: {count}", nb: "Fjernet: {count}", en: "Removed: {count}" }
    RemoveParticipantButton { nn: "Fjern …", nb: "Fjern …", en: "Remove…" }
    RemoveParticipantLabel { nn: "Fjern {who} …", nb: "Fjern {who} …", en: "Remove {who}…" }
    RemoveParticipantQuestion {
        nn: "Fjerne {who} og alle lappane frå denne deltakaren? Det kan ikkje gjerast om.",
        nb: "Fjerne {who} og alle lappene fra denne deltakeren? Det kan ikke gjøres om.",
        en: "Remove {who} and all their notes? This cannot be undone.",
    }
    RemoveParticipantDetail {
        nn: "Lappane blir borte frå alle skjermar, prikkane i ei avstemming tel ikkje lenger, og eininga kan ikkje bli med att.",
        nb: "Lappene blir borte fra alle skjermer, prikkene i en avstemning teller ikke lenger, og enheten kan ikke bli med igjen.",
        en: "Their notes disappear from every screen, their dots in a vote no longer count, and their device cannot join again.",
    }
    ConfirmRemoveParticipant { nn: "Fjern", nb: "Fjern", en: "Remove" }
    ParticipantRemovedStatus { nn: "{who} er fjerna.", nb: "{who} er fjernet.", en: "{who} was removed." }
    NotesHeading { nn: "Lappar", nb: "Lapper", en: "Notes" }
    NotesCount { nn: "Lappar: {count}", nb: "Lapper: {count}", en: "Notes: {count}" }
    NoNotesYet { nn: "Ingen lappar enno.", nb: "Ingen lapper ennå.", en: "No notes yet." }
    RolesHeading { nn: "Roller", nb: "Roller", en: "Roles" }
    NewRoleLabel { nn: "Ny rolle", nb: "Ny rolle", en: "New role" }
    AddRoleButton { nn: "Legg til rolla", nb: "Legg til rollen", en: "Add the role" }
    RemoveRoleButton { nn: "Fjern {role}", nb: "Fjern {role}", en: "Remove {role}" }
    NoName { nn: "Utan namn", nb: "Uten navn", en: "No name" }
    WrittenByFacilitator { nn: "Tilretteleggjar", nb: "Tilrettelegger", en: "Facilitator" }
    NoteByParticipant { nn: "Ein deltakar", nb: "En deltaker", en: "A participant" }
    ConsoleNoteLabel {
        nn: "Skriv ein lapp (til dømes frå papir)",
        nb: "Skriv en lapp (for eksempel fra papir)",
        en: "Write a note (for example from paper)",
    }

    ScreenJoinAt { nn: "Bli med på", nb: "Bli med på", en: "Join at" }
    ScreenCodeLabel { nn: "Kode", nb: "Kode", en: "Code" }
    QrAlt {
        nn: "QR-kode som opnar sida for å bli med",
        nb: "QR-kode som åpner siden for å bli med",
        en: "QR code that opens the join page",
    }
    ScreenWaiting {
        nn: "Lappane kjem her når de skriv dei.",
        nb: "Lappene kommer her når dere skriver dem.",
        en: "Notes appear here as you write them.",
    }

    PhoneWelcome { nn: "Velkomen til", nb: "Velkommen til", en: "Welcome to" }
    NameLabel { nn: "Namnet ditt (kan stå tomt)", nb: "Navnet ditt (kan stå tomt)", en: "Your name (optional)" }
    RoleLabel { nn: "Eg er …", nb: "Jeg er …", en: "I am…" }
    ChooseRole { nn: "Vel ei rolle.", nb: "Velg en rolle.", en: "Choose a role." }
    PrivacyHint {
        nn: "Lappane dine blir viste utan namn.",
        nb: "Lappene dine vises uten navn.",
        en: "Your notes are shown without your name.",
    }
    YouAreIn { nn: "Du er med som: {role}", nb: "Du er med som: {role}", en: "You have joined as: {role}" }
    NoteLabel { nn: "Lappen din", nb: "Lappen din", en: "Your note" }
    NoteCounter { nn: "{count} av {max} teikn", nb: "{count} av {max} tegn", en: "{count} of {max} characters" }
    PostNote { nn: "Send lappen", nb: "Send lappen", en: "Post the note" }
    YourNotes { nn: "Lappane dine", nb: "Lappene dine", en: "Your notes" }
    NoteWaiting { nn: "Ventar på nett", nb: "Venter på nett", en: "Waiting for connection" }
    NoteSent { nn: "Sendt", nb: "Sendt", en: "Sent" }
    NoteNotSent { nn: "Ikkje sendt – sjå meldinga over", nb: "Ikke sendt – se meldingen over", en: "Not sent – see the message above" }

    RoleYouth { nn: "Elev / ungdom", nb: "Elev / ungdom", en: "Pupil / youth" }
    RoleParent { nn: "Forelder", nb: "Forelder", en: "Parent" }
    RoleTeacher { nn: "Lærar", nb: "Lærer", en: "Teacher" }
    RolePolitician { nn: "Politikar", nb: "Politiker", en: "Politician" }
    RoleStaff { nn: "Tilsett i kommunen", nb: "Ansatt i kommunen", en: "Municipal staff" }
    RoleOther { nn: "Anna", nb: "Annet", en: "Other" }

    ProgrammeHeading { nn: "Program", nb: "Program", en: "Programme" }
    NoStepsYet {
        nn: "Programmet er tomt. Start frå ein mal, eller legg til steg sjølv.",
        nb: "Programmet er tomt. Start fra en mal, eller legg til steg selv.",
        en: "The programme is empty. Start from a template, or add steps yourself.",
    }
    UseTemplate { nn: "Bruk malen «{template}»", nb: "Bruk malen «{template}»", en: "Use the template “{template}”" }
    KindPlenary { nn: "Plenum", nb: "Plenum", en: "Plenary" }
    KindGroupRound { nn: "Grupperunde", nb: "Grupperunde", en: "Group round" }
    KindNotes { nn: "Lappar", nb: "Lapper", en: "Notes" }
    KindReports { nn: "Rapportar", nb: "Rapporter", en: "Reports" }
    KindClustering { nn: "Tema", nb: "Temaer", en: "Themes" }
    KindVoting { nn: "Prioritering", nb: "Prioritering", en: "Prioritising" }
    StepMinutes { nn: "{minutes} min", nb: "{minutes} min", en: "{minutes} min" }
    StepNumber { nn: "Steg {number} av {total}", nb: "Steg {number} av {total}", en: "Step {number} of {total}" }
    StartThisStep { nn: "Set i gang «{step}»", nb: "Sett i gang «{step}»", en: "Start “{step}”" }
    RunningNow { nn: "Går no", nb: "Pågår nå", en: "Running now" }
    MoveStepUp { nn: "Flytt «{step}» opp", nb: "Flytt «{step}» opp", en: "Move “{step}” up" }
    MoveStepDown { nn: "Flytt «{step}» ned", nb: "Flytt «{step}» ned", en: "Move “{step}” down" }
    EditThisStep { nn: "Endre «{step}»", nb: "Endre «{step}»", en: "Edit “{step}”" }
    RemoveThisStep { nn: "Fjern «{step}»", nb: "Fjern «{step}»", en: "Remove “{step}”" }
    AddStepHeading { nn: "Legg til eit steg", nb: "Legg til et steg", en: "Add a step" }
    EditStepHeading { nn: "Endre steget", nb: "Endre steget", en: "Edit the step" }
    StepTitleLabel { nn: "Tittel", nb: "Tittel", en: "Title" }
    StepKindLabel { nn: "Slag", nb: "Type", en: "Kind" }
    QuestionsLabel { nn: "Spørsmål (eitt per linje)", nb: "Spørsmål (ett per linje)", en: "Questions (one per line)" }
    TimeboxLabel { nn: "Tid i minutt (0: inga klokke)", nb: "Tid i minutter (0: ingen klokke)", en: "Time in minutes (0: no clock)" }
    NotesOpenLabel { nn: "Deltakarane kan skrive lappar", nb: "Deltakerne kan skrive lapper", en: "Participants can write notes" }
    SaveStep { nn: "Lagre steget", nb: "Lagre steget", en: "Save the step" }
    CancelEdit { nn: "Avbryt", nb: "Avbryt", en: "Cancel" }
    PreviousStep { nn: "Førre steg", nb: "Forrige steg", en: "Previous step" }
    NextStep { nn: "Neste steg", nb: "Neste steg", en: "Next step" }
    PauseClock { nn: "Set klokka på pause", nb: "Sett klokken på pause", en: "Pause the clock" }
    ResumeClock { nn: "Hald fram", nb: "Fortsett", en: "Resume" }
    AddMinute { nn: "+1 minutt", nb: "+1 minutt", en: "+1 minute" }
    EndProgramme { nn: "Avslutt programmet", nb: "Avslutt programmet", en: "End the programme" }
    NotStarted { nn: "Programmet har ikkje starta.", nb: "Programmet har ikke startet.", en: "The programme has not started." }
    TimeUp { nn: "Tida er ute", nb: "Tiden er ute", en: "Time is up" }
    ClockPaused { nn: "På pause", nb: "På pause", en: "Paused" }
    TimeLeft { nn: "Tid att", nb: "Tid igjen", en: "Time left" }
    CloseJoining { nn: "Steng for nye deltakarar", nb: "Steng for nye deltakere", en: "Close joining" }
    OpenJoining { nn: "Opne for nye deltakarar", nb: "Åpne for nye deltakere", en: "Open joining" }
    JoiningIsClosed { nn: "Stengt for nye deltakarar", nb: "Stengt for nye deltakere", en: "Joining is closed" }
    GroupsHeading { nn: "Grupper", nb: "Grupper", en: "Groups" }
    GroupSizeLabel { nn: "Personar per gruppe", nb: "Personer per gruppe", en: "People per group" }
    PreferYouthLeader { nn: "La ein ungdom leie kvar gruppe", nb: "La en ungdom lede hver gruppe", en: "Let a youth lead each group" }
    FormHomogeneous { nn: "Lag like grupper", nb: "Lag like grupper", en: "Form groups of alike" }
    FormMixed { nn: "Lag blanda grupper", nb: "Lag blandede grupper", en: "Form mixed groups" }
    ReuseGroups { nn: "Bruk gruppene frå «{step}»", nb: "Bruk gruppene fra «{step}»", en: "Use the groups from “{step}”" }
    GroupNumber { nn: "Gruppe {number}", nb: "Gruppe {number}", en: "Group {number}" }
    JobLeader { nn: "Gruppeleiar", nb: "Gruppeleder", en: "Group leader" }
    JobNoteTaker { nn: "Referent", nb: "Referent", en: "Note-taker" }
    JobReporter { nn: "Rapportør", nb: "Rapportør", en: "Reporter" }
    RenameGroupButton { nn: "Gje «{group}» eit namn", nb: "Gi «{group}» et navn", en: "Name “{group}”" }
    GroupNamePrompt {
        nn: "Namn på gruppa (tomt: berre nummer)",
        nb: "Navn på gruppen (tomt: bare nummer)",
        en: "Name of the group (empty: number only)",
    }
    Nobody { nn: "Ingen", nb: "Ingen", en: "Nobody" }
    SoundOn { nn: "Slå på lyd når tida er ute", nb: "Slå på lyd når tiden er ute", en: "Sound when time is up" }
    MoveMemberTo { nn: "Flytt {name} til", nb: "Flytt {name} til", en: "Move {name} to" }
    NoGroupsYet { nn: "Ingen grupper i dette steget.", nb: "Ingen grupper i dette steget.", en: "No groups in this step." }
    YourGroup { nn: "Gruppa di: {group}", nb: "Gruppen din: {group}", en: "Your group: {group}" }
    YourJobs { nn: "Jobben din: {jobs}", nb: "Jobben din: {jobs}", en: "Your job: {jobs}" }
    WaitingForStart {
        nn: "Vent litt – møtet startar snart.",
        nb: "Vent litt – møtet starter snart.",
        en: "Hold on – the meeting starts soon.",
    }
    MeetingOver {
        nn: "Møtet er over. Takk for at du var med!",
        nb: "Møtet er over. Takk for at du var med!",
        en: "The meeting is over. Thank you for taking part!",
    }
    ProgrammeEnded {
        nn: "Programmet er avslutta. Start eit steg for å halde fram.",
        nb: "Programmet er avsluttet. Start et steg for å fortsette.",
        en: "The programme has ended. Start a step to carry on.",
    }
    TplRightsName { nn: "Sjumilssteget", nb: "Sjumilssteget", en: "Child-rights self-assessment" }
    TplRightsSummary {
        nn: "Sju grupper tek kvart sitt steg frå barnekonvensjonen, så prioriterer alle saman.",
        nb: "Sju grupper tar hvert sitt steg fra barnekonvensjonen, så prioriterer alle sammen.",
        en: "Seven groups each take one step of the Convention on the Rights of the Child, then everyone prioritises together.",
    }
    TplRightsGroupsTitle { nn: "Sju steg i sju grupper", nb: "Sju steg i sju grupper", en: "Seven steps in seven groups" }
    TplRightsParticipation {
        nn: "Medverknad: Korleis får barn og unge seie meininga si, og korleis blir dei høyrde?",
        nb: "Medvirkning: Hvordan får barn og unge si meningen sin, og hvordan blir de hørt?",
        en: "Participation: How do children and young people give their views, and how are they heard?",
    }
    TplRightsCare {
        nn: "God omsorg: Kva gjer vi for at alle barn får god omsorg, og kva manglar?",
        nb: "God omsorg: Hva gjør vi for at alle barn får god omsorg, og hva mangler?",
        en: "Good care: What do we do so that every child gets good care, and what is missing?",
    }
    TplRightsProtection {
        nn: "Særleg vern og støtte: Korleis fangar vi opp barn som treng ekstra hjelp?",
        nb: "Særlig vern og støtte: Hvordan fanger vi opp barn som trenger ekstra hjelp?",
        en: "Special protection and support: How do we notice children who need extra help?",
    }
    TplRightsAbuse {
        nn: "Vern mot overgrep: Korleis hindrar vi vald og overgrep, og kven kan barn seie frå til?",
        nb: "Vern mot overgrep: Hvordan hindrer vi vold og overgrep, og hvem kan barn si fra til?",
        en: "Protection against abuse: How do we prevent violence and abuse, and who can children tell?",
    }
    TplRightsFullLife {
        nn: "Eit fullverdig liv: Kva gjer vi for at barn med funksjonsnedsetjing kan vere med på alt?",
        nb: "Et fullverdig liv: Hva gjør vi for at barn med funksjonsnedsettelse kan være med på alt?",
        en: "A full life: What do we do so that children with disabilities can take part in everything?",
    }
    TplRightsHealth {
        nn: "God helse: Kva fremjar god helse for barn og unge her, og kva står i vegen?",
        nb: "God helse: Hva fremmer god helse for barn og unge her, og hva står i veien?",
        en: "Good health: What promotes good health for children and young people here, and what stands in the way?",
    }
    TplRightsEducation {
        nn: "God utdanning: Kva gjer at alle lærer og trivst på skulen, og kva manglar?",
        nb: "God utdanning: Hva gjør at alle lærer og trives på skolen, og hva mangler?",
        en: "Good education: What makes everyone learn and thrive at school, and what is missing?",
    }
    TplRightsPrioritiseTitle { nn: "Prioriter innsatsområde", nb: "Prioriter innsatsområder", en: "Choose focus areas" }
    PerGroupLabel {
        nn: "Kvar gruppe tek sitt eige spørsmål (gruppe 1 det første, gruppe 2 det andre …)",
        nb: "Hver gruppe tar sitt eget spørsmål (gruppe 1 det første, gruppe 2 det andre …)",
        en: "Each group takes its own question (group 1 the first, group 2 the second …)",
    }
    TplDialogueName { nn: "Dialogkonferanse", nb: "Dialogkonferanse", en: "Dialogue conference" }
    TplDialogueSummary {
        nn: "To rundar i grupper – først like, så blanda – med rapportar, tema og prioritering.",
        nb: "To runder i grupper – først like, så blandede – med rapporter, temaer og prioritering.",
        en: "Two rounds in groups – first alike, then mixed – with reports, themes and priorities.",
    }
    TplAiName { nn: "Anerkjennande utforsking", nb: "Anerkjennende utforsking", en: "Appreciative inquiry" }
    TplAiSummary {
        nn: "Fem fasar som startar i det som fungerer: definisjon, oppdaging, draum, utforming, gjennomføring.",
        nb: "Fem faser som starter i det som fungerer: definisjon, oppdagelse, drøm, utforming, gjennomføring.",
        en: "Five phases that start from what works: definition, discovery, dream, design, realisation.",
    }
    TplShortName { nn: "Kort felles møte", nb: "Kort felles møte", en: "Short joint meeting" }
    TplShortSummary {
        nn: "Dei to spørsmåla, ein runde der alle får ordet, så open samtale.",
        nb: "De to spørsmålene, en runde der alle får ordet, så åpen samtale.",
        en: "The two questions, a round where everyone speaks, then open discussion.",
    }
    TitleWhereAreWe { nn: "Kvar står vi?", nb: "Hvor står vi?", en: "Where are we?" }
    TitleWhereShouldWeGo { nn: "Kvar bør vi gå?", nb: "Hvor bør vi gå?", en: "Where should we go?" }
    QuestionWhereAreWe {
        nn: "Kvar står vi? Kva fungerer bra i dag, og kva manglar?",
        nb: "Hvor står vi? Hva fungerer bra i dag, og hva mangler?",
        en: "Where are we? What works well today, and what is missing?",
    }
    QuestionWhereShouldWeGo {
        nn: "Kvar bør vi gå? Kva ønskjer vi oss, og korleis ser det ut når vi er der?",
        nb: "Hvor bør vi gå? Hva ønsker vi oss, og hvordan ser det ut når vi er der?",
        en: "Where should we go? What do we wish for, and what does it look like when we get there?",
    }
    TplWelcomeTitle { nn: "Velkomen og spelereglar", nb: "Velkommen og spilleregler", en: "Welcome and ground rules" }
    TplWelcomeQuestion {
        nn: "Alle er like mykje verde her, alle får ordet, og det er erfaringane dine som tel.",
        nb: "Alle er like mye verdt her, alle får ordet, og det er erfaringene dine som teller.",
        en: "Everyone is equal here, everyone gets the floor, and it is your experience that counts.",
    }
    TplRound1Title { nn: "Runde 1 i like grupper", nb: "Runde 1 i like grupper", en: "Round 1 in groups of alike" }
    TplRound2Title { nn: "Runde 2 i blanda grupper", nb: "Runde 2 i blandede grupper", en: "Round 2 in mixed groups" }
    TplReportsTitle { nn: "Rapport frå gruppene", nb: "Rapport fra gruppene", en: "Reports from the groups" }
    TplReportsQuestion {
        nn: "Kva kom fram i gruppa dykkar? Berre oppklaringar, ingen debatt.",
        nb: "Hva kom fram i gruppen deres? Bare oppklaringer, ingen debatt.",
        en: "What came up in your group? Only clarifications, no debate.",
    }
    TplClusteringTitle { nn: "Samle innspela i tema", nb: "Samle innspillene i temaer", en: "Group the input into themes" }
    TplClusteringQuestion {
        nn: "Kva høyrer saman, og kva skal temaet heite?",
        nb: "Hva hører sammen, og hva skal temaet hete?",
        en: "What belongs together, and what should the theme be called?",
    }
    TplVotingTitle { nn: "Kva er viktigast?", nb: "Hva er viktigst?", en: "What matters most?" }
    TplVotingQuestion {
        nn: "Set prikkane dine på det du meiner er viktigast.",
        nb: "Sett prikkene dine på det du mener er viktigst.",
        en: "Put your dots on what you think matters most.",
    }
    TplWayForwardTitle { nn: "Vegen vidare", nb: "Veien videre", en: "The way forward" }
    TplWayForwardQuestion {
        nn: "Kva skjer med innspela, og når høyrer de frå oss?",
        nb: "Hva skjer med innspillene, og når hører dere fra oss?",
        en: "What happens with the input, and when will you hear from us?",
    }
    TplAiDefinitionTitle { nn: "Definisjon", nb: "Definisjon", en: "Definition" }
    TplAiDefinitionQuestion { nn: "Kva vil vi styrkje?", nb: "Hva vil vi styrke?", en: "What do we want to strengthen?" }
    TplAiDiscoveryTitle { nn: "Oppdaging", nb: "Oppdagelse", en: "Discovery" }
    TplAiDiscoveryQuestion {
        nn: "Fortel om ein gong det fungerte på sitt beste. Kva gjorde det mogleg?",
        nb: "Fortell om en gang det fungerte på sitt beste. Hva gjorde det mulig?",
        en: "Tell about a time it worked at its best. What made it possible?",
    }
    TplAiDreamTitle { nn: "Draum", nb: "Drøm", en: "Dream" }
    TplAiDreamQuestion {
        nn: "Korleis ser det ut når det skjer heile tida?",
        nb: "Hvordan ser det ut når det skjer hele tiden?",
        en: "What does it look like when that happens all the time?",
    }
    TplAiDesignTitle { nn: "Utforming", nb: "Utforming", en: "Design" }
    TplAiDesignQuestion {
        nn: "Kva må planen innehalde for at det skal skje?",
        nb: "Hva må planen inneholde for at det skal skje?",
        en: "What must the plan contain for that to happen?",
    }
    TplAiDestinyTitle { nn: "Gjennomføring", nb: "Gjennomføring", en: "Realisation" }
    TplAiDestinyQuestion {
        nn: "Kva er det første steget, og kven gjer kva?",
        nb: "Hva er det første steget, og hvem gjør hva?",
        en: "What is the first step, and who does what?",
    }
    TplOpenDiscussionTitle { nn: "Open samtale", nb: "Åpen samtale", en: "Open discussion" }
    TplOpenDiscussionQuestion {
        nn: "Kva høyrde du som du vil seie noko om?",
        nb: "Hva hørte du som du vil si noe om?",
        en: "What did you hear that you want to talk about?",
    }

    ErrorNetwork {
        nn: "Fekk ikkje kontakt med Ordet. Sjekk nettet og prøv igjen.",
        nb: "Fikk ikke kontakt med Ordet. Sjekk nettet og prøv igjen.",
        en: "Could not reach Ordet. Check the connection and try again.",
    }
    ErrorProtocolMismatch {
        nn: "Ordet er oppdatert. Last sida på nytt.",
        nb: "Ordet er oppdatert. Last inn siden på nytt.",
        en: "Ordet has been updated. Reload the page.",
    }
    ErrorUnauthorized {
        nn: "Lenkja eller eininga di passar ikkje til denne konferansen.",
        nb: "Lenken eller enheten din passer ikke til denne konferansen.",
        en: "This link or device does not match this conference.",
    }
    ErrorUnknownConference {
        nn: "Denne konferansen finst ikkje (lenger).",
        nb: "Denne konferansen finnes ikke (lenger).",
        en: "This conference does not exist (any more).",
    }
    ErrorUnknownJoinCode {
        nn: "Ingen konferanse har denne koden. Sjekk koden på storskjermen.",
        nb: "Ingen konferanse har denne koden. Sjekk koden på storskjermen.",
        en: "No conference has this code. Check the code on the big screen.",
    }
    ErrorJoinCodeLength { nn: "Koden har {length} teikn.", nb: "Koden har {length} tegn.", en: "The code has {length} characters." }
    ErrorJoinCodeCharacters {
        nn: "Koden inneheld eit teikn som ingen kodar har. Sjekk koden på storskjermen.",
        nb: "Koden inneholder et tegn som ingen koder har. Sjekk koden på storskjermen.",
        en: "The code has a character no code contains. Check the code on the big screen.",
    }
    ErrorBadMessage { nn: "Tenaren forstod ikkje meldinga.", nb: "Serveren forsto ikke meldingen.", en: "The server could not read the message." }
    ErrorRateLimited {
        nn: "Litt for mykje på ein gong. Vent eit augeblink og prøv igjen.",
        nb: "Litt for mye på en gang. Vent et øyeblikk og prøv igjen.",
        en: "A bit too much at once. Wait a moment and try again.",
    }
    ErrorTooBig { nn: "Meldinga er for stor.", nb: "Meldingen er for stor.", en: "The message is too large." }
    ErrorNotAllowed {
        nn: "Berre tilretteleggjaren kan gjere dette.",
        nb: "Bare tilretteleggeren kan gjøre dette.",
        en: "Only the facilitator can do this.",
    }
    ErrorJoinFirst { nn: "Bli med i konferansen først.", nb: "Bli med i konferansen først.", en: "Join the conference first." }
    ErrorUnknownRole {
        nn: "Den rolla finst ikkje lenger. Vel ei anna.",
        nb: "Den rollen finnes ikke lenger. Velg en annen.",
        en: "That role no longer exists. Choose another.",
    }
    ErrorRoleInUse {
        nn: "Nokon har denne rolla, så ho kan ikkje fjernast.",
        nb: "Noen har denne rollen, så den kan ikke fjernes.",
        en: "Someone has this role, so it cannot be removed.",
    }
    ErrorLastRole { nn: "Det må vere minst éi rolle.", nb: "Det må være minst én rolle.", en: "There must be at least one role." }
    ErrorTooManyRoles {
        nn: "Det kan vere høgst {max_roles} roller.",
        nb: "Det kan være maks {max_roles} roller.",
        en: "There can be at most {max_roles} roles.",
    }
    ErrorRoleNameEmpty { nn: "Skriv namnet på rolla.", nb: "Skriv navnet på rollen.", en: "Write the name of the role." }
    ErrorNoteEmpty { nn: "Lappen er tom.", nb: "Lappen er tom.", en: "The note is empty." }
    ErrorNoteTooLong {
        nn: "Lappen er for lang (høgst {note_max} teikn).",
        nb: "Lappen er for lang (maks {note_max} tegn).",
        en: "The note is too long (at most {note_max} characters).",
    }
    ErrorNameTooLong {
        nn: "Namnet er for langt (høgst {name_max} teikn).",
        nb: "Navnet er for langt (maks {name_max} tegn).",
        en: "The name is too long (at most {name_max} characters).",
    }
    ErrorTitleEmpty { nn: "Skriv ein tittel på møtet.", nb: "Skriv en tittel på møtet.", en: "Write a title for the meeting." }
    ErrorTitleTooLong {
        nn: "Tittelen er for lang (høgst {title_max} teikn).",
        nb: "Tittelen er for lang (maks {title_max} tegn).",
        en: "The title is too long (at most {title_max} characters).",
    }
    ErrorConferenceFull { nn: "Konferansen er full.", nb: "Konferansen er full.", en: "The conference is full." }
    ErrorStorageFull {
        nn: "Konferansen har lagra så mykje som ein konferanse kan, så ingenting meir kan leggjast til. Du kan framleis eksportere eller slette han.",
        nb: "Konferansen har lagret så mye som en konferanse kan, så ingenting mer kan legges til. Du kan fortsatt eksportere eller slette den.",
        en: "The conference has stored as much as one conference may, so nothing more can be added. You can still export or delete it.",
    }
    ErrorStorageFailed {
        nn: "Tenaren fekk ikkje lagra endringa. Ingenting er endra – prøv igjen.",
        nb: "Serveren fikk ikke lagret endringen. Ingenting er endret – prøv igjen.",
        en: "The server could not save the change. Nothing was changed – try again.",
    }
    ErrorShuttingDown {
        nn: "Tenaren startar på nytt. Koplar til igjen straks.",
        nb: "Serveren starter på nytt. Kobler til igjen straks.",
        en: "The server is restarting. Reconnecting shortly.",
    }
    ErrorJoiningClosed {
        nn: "Det er stengt for nye deltakarar no. Spør tilretteleggjaren.",
        nb: "Det er stengt for nye deltakere nå. Spør tilretteleggeren.",
        en: "Joining is closed right now. Ask the facilitator.",
    }
    ErrorNotesClosed {
        nn: "Det er ikkje tid for lappar i denne delen av møtet.",
        nb: "Det er ikke tid for lapper i denne delen av møtet.",
        en: "This part of the meeting does not take notes.",
    }
    ErrorUnknownStep {
        nn: "Den delen av programmet finst ikkje lenger.",
        nb: "Den delen av programmet finnes ikke lenger.",
        en: "That part of the programme no longer exists.",
    }
    ErrorStepTitleEmpty { nn: "Gje steget ein tittel.", nb: "Gi steget en tittel.", en: "Give the step a title." }
    ErrorStepTitleTooLong {
        nn: "Tittelen på steget er for lang (høgst {step_title_max} teikn).",
        nb: "Tittelen på steget er for lang (maks {step_title_max} tegn).",
        en: "The step title is too long (at most {step_title_max} characters).",
    }
    ErrorQuestionTooLong {
        nn: "Eit spørsmål er for langt (høgst {question_max} teikn).",
        nb: "Et spørsmål er for langt (maks {question_max} tegn).",
        en: "A question is too long (at most {question_max} characters).",
    }
    ErrorTooManyQuestions {
        nn: "Eit steg kan ha høgst {max_questions} spørsmål.",
        nb: "Et steg kan ha maks {max_questions} spørsmål.",
        en: "A step can have at most {max_questions} questions.",
    }
    ErrorTooManySteps {
        nn: "Programmet kan ha høgst {max_steps} steg.",
        nb: "Programmet kan ha maks {max_steps} steg.",
        en: "The programme can have at most {max_steps} steps.",
    }
    ErrorTimeboxInvalid {
        nn: "Den tida går ikkje. Vel mellom 1 minutt og 4 timar.",
        nb: "Den tiden går ikke. Velg mellom 1 minutt og 4 timer.",
        en: "That time does not work. Choose between 1 minute and 4 hours.",
    }
    ErrorNoClock {
        nn: "Ingen klokke går no. Start eit steg med tid først.",
        nb: "Ingen klokke går nå. Start et steg med tid først.",
        en: "No clock is running. Start a step with a time first.",
    }
    ErrorGroupSizeInvalid {
        nn: "Ei gruppe kan ha frå 2 til 8 personar.",
        nb: "En gruppe kan ha fra 2 til 8 personer.",
        en: "A group can have from 2 to 8 people.",
    }
    ErrorNobodyToGroup {
        nn: "Ingen er med enno, så det er ingen å dele i grupper.",
        nb: "Ingen er med ennå, så det er ingen å dele i grupper.",
        en: "Nobody has joined yet, so there is nobody to put in groups.",
    }
    ErrorNoGroups {
        nn: "Det steget har ingen grupper å bruke om igjen.",
        nb: "Det steget har ingen grupper å bruke om igjen.",
        en: "That step has no groups to reuse.",
    }
    ErrorUnknownGroup { nn: "Den gruppa finst ikkje lenger.", nb: "Den gruppen finnes ikke lenger.", en: "That group no longer exists." }
    ErrorUnknownParticipant { nn: "Den personen er ikkje med.", nb: "Den personen er ikke med.", en: "That person has not joined." }
    ErrorParticipantRemoved {
        nn: "Tilretteleggjaren har teke deg ut av denne konferansen.",
        nb: "Tilretteleggeren har tatt deg ut av denne konferansen.",
        en: "The facilitator has removed you from this conference.",
    }
    ErrorGroupFull { nn: "Gruppa har alt 8 personar.", nb: "Gruppen har allerede 8 personer.", en: "The group already has 8 people." }
    ErrorNotInGroup { nn: "Den personen er ikkje i gruppa.", nb: "Den personen er ikke i gruppen.", en: "That person is not in the group." }
    ErrorNoTurns { nn: "Dette steget har ingen talerunde.", nb: "Dette steget har ingen talerunde.", en: "This step has no talking round." }
    ErrorNobodyToSpeak { nn: "Det er ingen i køen å gi ordet til.", nb: "Det er ingen i køen å gi ordet til.", en: "There is nobody in the queue to give the floor to." }
    ErrorQueueChanged { nn: "Køen vart endra i mellomtida. Sjå over rekkjefølgja og prøv igjen.", nb: "Køen ble endret i mellomtiden. Se over rekkefølgen og prøv igjen.", en: "The queue changed meanwhile. Check the order and try again." }
    ErrorUnknownNote { nn: "Fann ikkje lappen. Han kan vere fjerna.", nb: "Fant ikke lappen. Den kan være fjernet.", en: "That note was not found. It may have been removed." }
    ErrorNotYourNote { nn: "Berre den som skreiv lappen, kan endre han.", nb: "Bare den som skrev lappen, kan endre den.", en: "Only the person who wrote the note can change it." }
    ErrorNotesLocked { nn: "Ordstyraren har låst lappane i dette steget.", nb: "Ordstyreren har låst lappene i dette steget.", en: "The facilitator has locked the notes of this step." }
    ErrorNotANoteTaker { nn: "Berre referenten skriv for heile gruppa.", nb: "Bare referenten skriver for hele gruppen.", en: "Only the note-taker writes for the whole group." }
    ErrorUnknownTheme { nn: "Fann ikkje temaet. Det kan vere sletta i mellomtida.", nb: "Fant ikke temaet. Det kan være slettet i mellomtiden.", en: "That theme was not found. It may have been deleted meanwhile." }
    ErrorThemeNameEmpty { nn: "Gi temaet eit namn.", nb: "Gi temaet et navn.", en: "Give the theme a name." }
    ErrorThemeNameTooLong { nn: "Namnet på temaet er for langt.", nb: "Navnet på temaet er for langt.", en: "The theme name is too long." }
    ErrorTooManyThemes { nn: "Det er for mange tema. Slå saman eller slett nokre.", nb: "Det er for mange temaer. Slå sammen eller slett noen.", en: "There are too many themes. Merge or delete some." }
    ErrorMergeIntoItself { nn: "Ein lapp kan ikkje slåast saman med seg sjølv.", nb: "En lapp kan ikke slås sammen med seg selv.", en: "A note cannot be merged with itself." }
    ErrorNothingToSort { nn: "Det er ingen usorterte lappar å sortere.", nb: "Det er ingen usorterte lapper å sortere.", en: "There are no unsorted notes to sort." }
    ErrorNoThemesYet { nn: "Lag eitt eller fleire tema først, så kan Ordet sortere resten inn i dei.", nb: "Lag ett eller flere temaer først, så kan Ordet sortere resten inn i dem.", en: "Make one or more themes first; then Ordet can sort the rest into them." }
    ErrorNothingToSuggest { nn: "Det må vere minst to usorterte lappar for å foreslå tema.", nb: "Det må være minst to usorterte lapper for å foreslå temaer.", en: "At least two unsorted notes are needed to suggest themes." }
    ErrorSuggestionRunning {
        nn: "Tema blir alt foreslått. Forslaget kjem snart.",
        nb: "Temaer blir allerede foreslått. Forslaget kommer snart.",
        en: "Themes are already being suggested. The suggestion is coming soon.",
    }
    ErrorNothingToVoteOn { nn: "Det er ingenting å stemme over enno.", nb: "Det er ingenting å stemme over ennå.", en: "There is nothing to vote on yet." }
    ErrorVoteSetupInvalid { nn: "Talet på prikkar er utanfor det som er lov.", nb: "Antallet prikker er utenfor det som er tillatt.", en: "The number of dots is out of range." }
    ErrorNoVoting { nn: "Det er inga avstemming no.", nb: "Det er ingen avstemning nå.", en: "There is no vote right now." }
    ErrorVotingClosed { nn: "Avstemminga er stengd.", nb: "Avstemningen er stengt.", en: "Voting has closed." }
    ErrorUnknownItem { nn: "Det du stemde på, er ikkje med i avstemminga.", nb: "Det du stemte på, er ikke med i avstemningen.", en: "What you voted for is not part of this vote." }
    ErrorVoteOverMax { nn: "Du har sett for mange prikkar på eitt alternativ.", nb: "Du har satt for mange prikker på ett alternativ.", en: "Too many dots on one option." }
    ErrorOrganiserPasswordNeeded { nn: "Denne tenaren krev arrangørpassordet for å starte ein konferanse. Skriv det inn og prøv igjen.", nb: "Denne serveren krever arrangørpassordet for å starte en konferanse. Skriv det inn og prøv igjen.", en: "This server needs the organiser password to start a conference. Type it and try again." }
    ErrorOriginNotAllowed { nn: "Ei side frå ein annan stad prøvde å kople til. Opne Ordet frå si eiga adresse.", nb: "En side fra et annet sted prøvde å koble til. Åpne Ordet fra sin egen adresse.", en: "A page from another site tried to connect. Open Ordet from its own address." }
    ErrorUnknownPlan { nn: "Fann ikkje planen. Kanskje han er sletta, eller lenkja er ufullstendig.", nb: "Fant ikke planen. Kanskje den er slettet, eller lenken er ufullstendig.", en: "The plan was not found. It may have been deleted, or the link is incomplete." }
    ErrorUnknownMeeting { nn: "Møtet er ikkje i denne planen.", nb: "Møtet er ikke i denne planen.", en: "That meeting is not in this plan." }
    ErrorUnknownFormat { nn: "Ordet lagar ikkje filer i det formatet. Vel DOCX, HTML, Markdown, CSV eller JSON.", nb: "Ordet lager ikke filer i det formatet. Velg DOCX, HTML, Markdown, CSV eller JSON.", en: "Ordet does not write that format. Choose DOCX, HTML, Markdown, CSV or JSON." }
    ErrorImportInvalid { nn: "Fila kan ikkje importerast: ho er ikkje eit innspelsdokument frå Ordet (JSON), eller ho har meir enn ein plan kan ta imot. Ingenting er endra.", nb: "Filen kan ikke importeres: den er ikke et innspillsdokument fra Ordet (JSON), eller den har mer enn en plan kan ta imot. Ingenting er endret.", en: "The file cannot be imported: it is not an input document exported by Ordet (JSON), or it holds more than a plan can take. Nothing was changed." }
    OrganiserPasswordLabel { nn: "Arrangørpassord", nb: "Arrangørpassord", en: "Organiser password" }
    ErrorVoteOverBudget { nn: "Du har ikkje fleire prikkar att.", nb: "Du har ikke flere prikker igjen.", en: "You have no dots left." }

    NoteQuestionLabel { nn: "Svarar på", nb: "Svarer på", en: "Answers" }
    NoteForGroup { nn: "Skriv for heile gruppa (t.d. frå papirlappar)", nb: "Skriv for hele gruppen (f.eks. fra papirlapper)", en: "Write for the whole group (e.g. from paper notes)" }
    NoteEdit { nn: "Endre", nb: "Endre", en: "Edit" }
    NoteSave { nn: "Lagre", nb: "Lagre", en: "Save" }
    NoteWithdraw { nn: "Trekk tilbake", nb: "Trekk tilbake", en: "Withdraw" }
    NoteWithdrawn { nn: "Trekt tilbake", nb: "Trukket tilbake", en: "Withdrawn" }
    NoteHiddenStatus { nn: "Ikkje vist (ordstyraren)", nb: "Ikke vist (ordstyreren)", en: "Not shown (facilitator)" }
    NoteMergedStatus { nn: "Slått saman med ein liknande lapp", nb: "Slått sammen med en lignende lapp", en: "Merged with a similar note" }
    NoteEditLabel { nn: "Ny tekst", nb: "Ny tekst", en: "New text" }
    ThemesHeading { nn: "Tema", nb: "Temaer", en: "Themes" }
    Unsorted { nn: "Usorterte", nb: "Usorterte", en: "Unsorted" }
    NewThemeLabel { nn: "Nytt tema", nb: "Nytt tema", en: "New theme" }
    AddTheme { nn: "Lag temaet", nb: "Lag temaet", en: "Create the theme" }
    RenameThemeButton { nn: "Gi nytt namn til «{theme}»", nb: "Gi nytt navn til «{theme}»", en: "Rename “{theme}”" }
    DeleteThemeButton { nn: "Slett «{theme}»", nb: "Slett «{theme}»", en: "Delete “{theme}”" }
    MergeThemeInto { nn: "Slå «{theme}» saman med", nb: "Slå «{theme}» sammen med", en: "Merge “{theme}” into" }
    MoveNoteTo { nn: "Flytt lappen til", nb: "Flytt lappen til", en: "Move the note to" }
    MergeNoteInto { nn: "Slå saman med", nb: "Slå sammen med", en: "Merge with" }
    HideNote { nn: "Skjul", nb: "Skjul", en: "Hide" }
    RestoreNote { nn: "Vis igjen", nb: "Vis igjen", en: "Restore" }
    FixTypo { nn: "Rett skrivefeil", nb: "Rett skrivefeil", en: "Fix a typo" }
    ShowLarge { nn: "Vis stort", nb: "Vis stort", en: "Show large" }
    NoteActions { nn: "Handlingar", nb: "Handlinger", en: "Actions" }
    NoteActionsFor { nn: "Handlingar for «{note}»", nb: "Handlinger for «{note}»", en: "Actions for “{note}”" }
    ThemeActionsFor { nn: "Handlingar for temaet «{theme}»", nb: "Handlinger for temaet «{theme}»", en: "Actions for the theme “{theme}”" }
    MenuBack { nn: "Tilbake", nb: "Tilbake", en: "Back" }
    MergeButton { nn: "Slå saman", nb: "Slå sammen", en: "Merge" }
    MergeNoteQuestion { nn: "Slå saman «{note}» med «{into}»? Han blir vist saman med den.", nb: "Slå sammen «{note}» med «{into}»? Den blir vist sammen med den.", en: "Merge “{note}” with “{into}”? It will be shown with it." }
    MergeThemeQuestion { nn: "Slå temaet «{theme}» saman med «{into}»? Lappane flyttar over.", nb: "Slå temaet «{theme}» sammen med «{into}»? Lappene flyttes over.", en: "Merge the theme “{theme}” into “{into}”? Its notes move over." }
    ThemeNameLabel { nn: "Namnet på temaet", nb: "Navnet på temaet", en: "The theme’s name" }
    StopFocus { nn: "Slutt å vise stort", nb: "Slutt å vise stort", en: "Stop showing large" }
    HiddenNotes { nn: "Skjulte lappar", nb: "Skjulte lapper", en: "Hidden notes" }
    SuggestThemes { nn: "Foreslå tema", nb: "Foreslå temaer", en: "Suggest themes" }
    SuggestionHeading { nn: "Forslag til tema", nb: "Forslag til temaer", en: "Suggested themes" }
    SuggestionNotes { nn: "{count} lappar", nb: "{count} lapper", en: "{count} notes" }
    AcceptSelected { nn: "Bruk dei valde", nb: "Bruk de valgte", en: "Use the selected" }
    SortTheRest { nn: "Sorter resten inn i tema mine", nb: "Sorter resten inn i temaene mine", en: "Sort the rest into my themes" }
    PlacementsHeading { nn: "Forslag: usorterte lappar inn i tema dine", nb: "Forslag: usorterte lapper inn i temaene dine", en: "Proposed: unsorted notes into your themes" }
    PlacementInto { nn: "til «{theme}»", nb: "til «{theme}»", en: "into “{theme}”" }
    PlacementSure { nn: "{sure} % sikker", nb: "{sure} % sikker", en: "{sure} % sure" }
    PlacementWords { nn: "felles ord: {words}", nb: "felles ord: {words}", en: "shared words: {words}" }
    PlacementsMore { nn: "… og {count} til (dei kjem med i «Bruk alle»)", nb: "… og {count} til (de blir med i «Bruk alle»)", en: "… and {count} more (included in “Use all”)" }
    AcceptAllPlacements { nn: "Bruk alle ({count})", nb: "Bruk alle ({count})", en: "Use all ({count})" }
    NoPlacements { nn: "Ingen av dei usorterte lappane liknar på tema du har laga.", nb: "Ingen av de usorterte lappene ligner på temaene du har laget.", en: "None of the unsorted notes is like the themes you have made." }
    DismissSuggestion { nn: "Forkast forslaget", nb: "Forkast forslaget", en: "Discard the suggestion" }
    Undo { nn: "Angre", nb: "Angre", en: "Undo" }
    LockNotesLabel { nn: "Lås lappane i dette steget", nb: "Lås lappene i dette steget", en: "Lock this step's notes" }
    ShowNamesLabel { nn: "Vis namn på nye lappar", nb: "Vis navn på nye lapper", en: "Show names on new notes" }
    DragHint { nn: "Dra lappar til eit tema, eller bruk «Handlingar» på lappen. Piltastane flyttar mellom lappane; Enter vel.", nb: "Dra lapper til et tema, eller bruk «Handlinger» på lappen. Piltastene flytter mellom lappene; Enter velger.", en: "Drag notes onto a theme, or use the note’s “Actions”. The arrow keys move between notes; Enter chooses." }
    WallHeading { nn: "Veggen på storskjermen", nb: "Veggen på storskjermen", en: "The projector wall" }
    WallNewest { nn: "Nyaste først", nb: "Nyeste først", en: "Newest first" }
    WallByQuestion { nn: "Etter spørsmål", nb: "Etter spørsmål", en: "By question" }
    WallByGroup { nn: "Etter gruppe", nb: "Etter gruppe", en: "By group" }
    WallByTheme { nn: "Etter tema", nb: "Etter tema", en: "By theme" }
    WallWordCloud { nn: "Ordsky", nb: "Ordsky", en: "Word cloud" }
    WallResults { nn: "Resultat", nb: "Resultater", en: "Results" }
    WallWhole { nn: "Heile konferansen, ikkje berre steget", nb: "Hele konferansen, ikke bare steget", en: "The whole conference, not just the step" }
    NoGroupLabel { nn: "Utan gruppe", nb: "Uten gruppe", en: "No group" }
    NoQuestionLabel { nn: "Utan spørsmål", nb: "Uten spørsmål", en: "No question" }
    MoreSimilar { nn: "+{count} like", nb: "+{count} like", en: "+{count} similar" }
    VotingHeading { nn: "Prioritering", nb: "Prioritering", en: "Priorities" }
    VoteOnThemes { nn: "Stem over tema", nb: "Stem over temaer", en: "Vote on themes" }
    VoteOnNotes { nn: "Stem over lappar", nb: "Stem over lapper", en: "Vote on notes" }
    VoteBudgetLabel { nn: "Prikkar per person (0: om lag ein per tre alternativ)", nb: "Prikker per person (0: omtrent én per tre alternativer)", en: "Dots per person (0: about one per three options)" }
    VoteMaxLabel { nn: "Flest prikkar på eitt alternativ", nb: "Flest prikker på ett alternativ", en: "Most dots on one option" }
    VoteHideResults { nn: "Skjul resultatet til eg viser det", nb: "Skjul resultatet til jeg viser det", en: "Hide the results until I reveal them" }
    OpenVotingButton { nn: "Opne avstemminga", nb: "Åpne avstemningen", en: "Open voting" }
    CloseVotingButton { nn: "Steng avstemminga", nb: "Steng avstemningen", en: "Close voting" }
    RevealResultsButton { nn: "Vis resultatet", nb: "Vis resultatet", en: "Reveal the results" }
    VotersCount { nn: "{count} har stemt", nb: "{count} har stemt", en: "{count} have voted" }
    DotsLeft { nn: "{left} av {budget} prikkar att", nb: "{left} av {budget} prikker igjen", en: "{left} of {budget} dots left" }
    AddDot { nn: "Set ein prikk på «{item}»", nb: "Sett en prikk på «{item}»", en: "Put a dot on “{item}”" }
    RemoveDot { nn: "Ta ein prikk frå «{item}»", nb: "Ta en prikk fra «{item}»", en: "Take a dot from “{item}”" }
    DotsOnItem { nn: "{dots} prikkar", nb: "{dots} prikker", en: "{dots} dots" }
    OneDot { nn: "1 prikk", nb: "1 prikk", en: "1 dot" }
    ResultsHidden { nn: "Resultatet blir vist når ordstyraren vil.", nb: "Resultatet vises når ordstyreren vil.", en: "The results are shown when the facilitator reveals them." }
    ResultsAtClose { nn: "Resultatet blir vist når avstemminga er stengd.", nb: "Resultatet vises når avstemningen er stengt.", en: "Results are shown when voting closes." }
    WallPage { nn: "{page}/{pages}", nb: "{page}/{pages}", en: "{page}/{pages}" }
    WallPageLabel { nn: "Side {page} av {pages}", nb: "Side {page} av {pages}", en: "Page {page} of {pages}" }
    WallPageStill { nn: "{page}/{pages} — meir på konsollen", nb: "{page}/{pages} — mer på konsollen", en: "{page}/{pages} — more on the console" }
    VoteResultsRule { nn: "Resultatet blir aldri vist medan avstemminga er open, så ingen kan rekne ut kva éin person stemte. Utan denne ruta kjem det når du stengjer.", nb: "Resultatet vises aldri mens avstemningen er åpen, så ingen kan regne ut hva én person stemte. Uten denne ruten kommer det når du stenger.", en: "Results are never shown while voting is open, so nobody can work out one person's dots. Without this box they appear when you close voting." }
    RevealAtCloseHint { nn: "Viser du resultatet no, kjem det når du stengjer avstemminga.", nb: "Viser du resultatet nå, kommer det når du stenger avstemningen.", en: "If you reveal now, the results appear when you close voting." }
    ResultsAppearAtClose { nn: "Resultatet blir vist så snart du stengjer avstemminga.", nb: "Resultatet vises så snart du stenger avstemningen.", en: "The results appear as soon as you close voting." }
    RankLabel { nn: "{rank}. plass", nb: "{rank}. plass", en: "Place {rank}" }
    SharedRank { nn: "delt {rank}. plass", nb: "delt {rank}. plass", en: "shared place {rank}" }
    ByRoleLabel { nn: "Etter rolle", nb: "Etter rolle", en: "By role" }
    VoteSaved { nn: "Prikkane dine er lagra", nb: "Prikkene dine er lagret", en: "Your dots are saved" }
    VoteWaiting { nn: "Ventar på å bli sendt", nb: "Venter på å bli sendt", en: "Waiting to be sent" }
    TurnsHeading { nn: "Talerunde", nb: "Talerunde", en: "Talking round" }
    TurnHasFloor { nn: "{name} har ordet", nb: "{name} har ordet", en: "{name} has the floor" }
    TurnYouHaveFloor { nn: "Du har ordet", nb: "Du har ordet", en: "You have the floor" }
    TurnNextSpeaker { nn: "Neste: {name}", nb: "Neste: {name}", en: "Next: {name}" }
    TurnYouAreNext { nn: "Du er neste – gjer deg klar", nb: "Du er neste – gjør deg klar", en: "You are next – get ready" }
    TurnYourPlace { nn: "Du er nummer {place} i køen", nb: "Du er nummer {place} i køen", en: "You are number {place} in the queue" }
    TurnYouStart { nn: "Du startar runden", nb: "Du starter runden", en: "You start the round" }
    TurnNotStarted { nn: "Runden har ikkje starta", nb: "Runden har ikke startet", en: "The round has not started" }
    TurnLeaderStarts { nn: "Gruppeleiaren startar runden.", nb: "Gruppelederen starter runden.", en: "The group leader starts the round." }
    TurnYouLead { nn: "Du leier gruppa og styrer runden.", nb: "Du leder gruppen og styrer runden.", en: "You lead the group and run the round." }
    TurnConsoleStarts { nn: "Start runden når gruppa er klar.", nb: "Start runden når gruppen er klar.", en: "Start the round when the group is ready." }
    TurnQueueHeading { nn: "Rekkjefølgje", nb: "Rekkefølge", en: "Order" }
    TurnStart { nn: "Start runden", nb: "Start runden", en: "Start the round" }
    ClockTooShort { nn: "Steget har {timebox} min, men runden treng om lag {needed} min.", nb: "Steget har {timebox} min, men runden trenger omtrent {needed} min.", en: "The step has {timebox} min, but its round needs about {needed} min." }
    TurnGiveFloor { nn: "Gi ordet til den som ventar", nb: "Gi ordet til den som venter", en: "Give the floor to whoever is waiting" }
    TurnPause { nn: "Set på pause", nb: "Sett på pause", en: "Pause" }
    TurnResume { nn: "Hald fram", nb: "Fortsett", en: "Resume" }
    TurnNextButton { nn: "Neste talar", nb: "Neste taler", en: "Next speaker" }
    TurnImDone { nn: "Eg er ferdig", nb: "Jeg er ferdig", en: "I am done" }
    TurnPass { nn: "Stå over", nb: "Stå over", en: "Pass" }
    TurnSkip { nn: "Ta seinare", nb: "Ta senere", en: "Later" }
    TurnExtend { nn: "+30 sek", nb: "+30 sek", en: "+30 s" }
    TurnFinish { nn: "Avslutt runden", nb: "Avslutt runden", en: "End the round" }
    TurnMarkDone { nn: "Gruppa er ferdig", nb: "Gruppen er ferdig", en: "The group is done" }
    TurnDiscussion { nn: "Open samtale i gruppa", nb: "Åpen samtale i gruppen", en: "Open discussion in the group" }
    TurnGroupDone { nn: "Ferdig", nb: "Ferdig", en: "Done" }
    TurnProgress { nn: "{done} av {total} har hatt ordet", nb: "{done} av {total} har hatt ordet", en: "{done} of {total} have had the floor" }
    TurnOvertime { nn: "Over tida: {time}", nb: "Over tiden: {time}", en: "Over time: {time}" }
    TurnFinalStretch { nn: "Siste 30 sekund", nb: "Siste 30 sekunder", en: "Last 30 seconds" }
    TurnYou { nn: "{name} (deg)", nb: "{name} (deg)", en: "{name} (you)" }
    TurnMoveUp { nn: "Flytt {name} opp", nb: "Flytt {name} opp", en: "Move {name} up" }
    TurnMoveDown { nn: "Flytt {name} ned", nb: "Flytt {name} ned", en: "Move {name} down" }
    TurnReporterOf { nn: "{group} ved {name}", nb: "{group} ved {name}", en: "{group}, by {name}" }
    TurnPlenaryHeading { nn: "Rapportar i plenum", nb: "Rapporter i plenum", en: "Plenary reports" }
    TurnsOverview { nn: "Rundane i gruppene", nb: "Rundene i gruppene", en: "Rounds in the groups" }
    TurnFloorHeading { nn: "Taletid etter rolle", nb: "Taletid etter rolle", en: "Speaking time by role" }
    TurnFloorRole { nn: "Rolle", nb: "Rolle", en: "Role" }
    TurnFloorTime { nn: "Taletid", nb: "Taletid", en: "Speaking time" }
    TurnFloorTurns { nn: "Turar", nb: "Turer", en: "Turns" }
    TurnFloorPasses { nn: "Stod over", nb: "Sto over", en: "Passes" }
    TurnsUse { nn: "Talerunde: kvar får ordet etter tur", nb: "Talerunde: alle får ordet etter tur", en: "Talking round: everyone gets the floor in turn" }
    TurnSpeakerMinutes { nn: "Minutt per talar", nb: "Minutter per taler", en: "Minutes per speaker" }
    TurnOrderLabel { nn: "Kven startar", nb: "Hvem starter", en: "Who starts" }
    TurnOrderRandom { nn: "Tilfeldig rekkjefølgje", nb: "Tilfeldig rekkefølge", en: "Random order" }
    TurnOrderJoin { nn: "Slik dei kom inn", nb: "Slik de kom inn", en: "In the order they joined" }
    TurnOrderYouth { nn: "Ungdom først", nb: "Ungdom først", en: "Youth first" }
    TurnOrderNewStarter { nn: "Ny startar kvar runde", nb: "Ny starter hver runde", en: "A new starter each round" }
    TurnAutoAdvance { nn: "Gå vidare av seg sjølv når tida er ute", nb: "Gå videre av seg selv når tiden er ute", en: "Move on by itself when time is up" }
    TurnDiscussionMinutes { nn: "Minutt open samtale etterpå (0: ingen)", nb: "Minutter åpen samtale etterpå (0: ingen)", en: "Minutes of open discussion afterwards (0: none)" }
    TurnSummary { nn: "{minutes} min per talar", nb: "{minutes} min per taler", en: "{minutes} min per speaker" }

    DocumentHeading { nn: "Innspelsdokument", nb: "Innspillsdokument", en: "Input document" }
    DocumentIntro {
        nn: "Alle innspela frå dette møtet i eitt dokument, til dei som skriv planen. Namn på deltakarar kjem aldri med.",
        nb: "Alle innspillene fra dette møtet i ett dokument, til dem som skriver planen. Navn på deltakere kommer aldri med.",
        en: "All the inputs of this meeting in one document, for those who write the plan. Participants' names are never in it.",
    }
    PlanDocumentIntro {
        nn: "Eitt dokument med innspela frå alle møta i planen. Namn på deltakarar kjem aldri med.",
        nb: "Ett dokument med innspillene fra alle møtene i planen. Navn på deltakere kommer aldri med.",
        en: "One document with the inputs of every meeting in the plan. Participants' names are never in it.",
    }
    DownloadAs { nn: "Last ned som", nb: "Last ned som", en: "Download as" }
    FormatDocxHint { nn: "for Word og LibreOffice", nb: "for Word og LibreOffice", en: "for Word and LibreOffice" }
    FormatHtmlHint { nn: "nettside, god til utskrift og PDF", nb: "nettside, god til utskrift og PDF", en: "web page, good for printing and PDF" }
    FormatMdHint { nn: "rein tekst", nb: "ren tekst", en: "plain text" }
    FormatCsvHint { nn: "eitt innspel per rad, for rekneark", nb: "ett innspill per rad, for regneark", en: "one input per row, for spreadsheets" }
    FormatJsonHint { nn: "alt, for å hente inn i ein annan plan", nb: "alt, for å hente inn i en annen plan", en: "everything, to import into another plan" }
    Preparing { nn: "Lagar dokumentet ({format}) …", nb: "Lager dokumentet ({format}) …", en: "Preparing the document ({format})…" }
    Downloaded { nn: "Lasta ned: {file}", nb: "Lastet ned: {file}", en: "Downloaded: {file}" }
    DownloadFailed { nn: "Nedlastinga gjekk ikkje. {reason}", nb: "Nedlastingen gikk ikke. {reason}", en: "The download did not work. {reason}" }
    MonthNames {
        nn: "januar februar mars april mai juni juli august september oktober november desember",
        nb: "januar februar mars april mai juni juli august september oktober november desember",
        en: "January February March April May June July August September October November December",
    }
    LongDate { nn: "{day}. {month} {year}", nb: "{day}. {month} {year}", en: "{day} {month} {year}" }

    PlansHeading { nn: "Planar med fleire møte", nb: "Planer med flere møter", en: "Plans with several meetings" }
    PlanExplain {
        nn: "Ein plan, til dømes «Oppvekstplan 2027–2030», samlar innspela frå fleire møte i eitt dokument.",
        nb: "En plan, for eksempel «Oppvekstplan 2027–2030», samler innspillene fra flere møter i ett dokument.",
        en: "A plan, such as “Upbringing plan 2027–2030”, gathers the inputs of several meetings in one document.",
    }
    NewPlanSummary { nn: "Lag ein plan", nb: "Lag en plan", en: "Create a plan" }
    PlanPartHeading { nn: "Del av ein plan", nb: "Del av en plan", en: "Part of a plan" }
    InPlan { nn: "Dette møtet er med i planen «{plan}».", nb: "Dette møtet er med i planen «{plan}».", en: "This meeting is in the plan “{plan}”." }
    OpenPlan { nn: "Opne planen", nb: "Åpne planen", en: "Open the plan" }
    CreatePlanHeading { nn: "Lag ein plan frå dette møtet", nb: "Lag en plan fra dette møtet", en: "Create a plan from this meeting" }
    PlanTitleLabel { nn: "Namn på planen", nb: "Navn på planen", en: "Name of the plan" }
    PlanTitleHint { nn: "Til dømes: Oppvekstplan 2027–2030", nb: "For eksempel: Oppvekstplan 2027–2030", en: "For example: Upbringing plan 2027–2030" }
    PlanTitleFrom { nn: "Innspel: {title}", nb: "Innspill: {title}", en: "Input: {title}" }
    PlanTitleEmpty { nn: "Skriv namnet på planen.", nb: "Skriv navnet på planen.", en: "Write the name of the plan." }
    PlanLanguageLabel { nn: "Språk i dokumentet", nb: "Språk i dokumentet", en: "Language of the document" }
    CreatePlanButton { nn: "Lag planen", nb: "Lag planen", en: "Create the plan" }
    PlanCreated {
        nn: "Planen «{plan}» er laga, og dette møtet er med i han.",
        nb: "Planen «{plan}» er laget, og dette møtet er med i den.",
        en: "The plan “{plan}” is created, and this meeting is in it.",
    }
    PlanLinkLabel { nn: "Lenkja til planen", nb: "Lenken til planen", en: "The plan's link" }
    PlanLinkWarning {
        nn: "Lenkja er nøkkelen til planen og alle møta i han. Lagre ho no – som bokmerke eller på ein trygg stad – og del ho berre med dei som skriv planen.",
        nb: "Lenken er nøkkelen til planen og alle møtene i den. Lagre den nå – som bokmerke eller på et trygt sted – og del den bare med dem som skriver planen.",
        en: "The link is the key to the plan and every meeting in it. Save it now – as a bookmark or somewhere safe – and share it only with those who write the plan.",
    }
    PlanAttachFailed {
        nn: "Planen er laga, men møtet kom ikkje med. {reason} Legg det til med lenkja under.",
        nb: "Planen er laget, men møtet kom ikke med. {reason} Legg det til med lenken under.",
        en: "The plan was created, but this meeting was not added. {reason} Add it with the link below.",
    }
    AddToPlanHeading { nn: "Legg møtet til i ein plan du har", nb: "Legg møtet til i en plan du har", en: "Add this meeting to an existing plan" }
    PlanLinkPasteLabel { nn: "Lim inn lenkja til planen", nb: "Lim inn lenken til planen", en: "Paste the plan's link" }
    PlanLinkPasteHint {
        nn: "Det er adressa til plansida, og ho ser ut som …/p/…#…",
        nb: "Det er adressen til plansiden, og den ser ut som …/p/…#…",
        en: "It is the address of the plan page and looks like …/p/…#…",
    }
    NotAPlanLink {
        nn: "Det er ikkje ei planlenkje. Ho ser ut som …/p/…#… – sjå etter at heile lenkja kom med.",
        nb: "Det er ikke en planlenke. Den ser ut som …/p/…#… – se etter at hele lenken kom med.",
        en: "That is not a plan link. It looks like …/p/…#… – check that the whole link was copied.",
    }
    AddToPlanButton { nn: "Legg til i planen", nb: "Legg til i planen", en: "Add to the plan" }
    AddedToPlan { nn: "Møtet er lagt til i planen «{plan}».", nb: "Møtet er lagt til i planen «{plan}».", en: "The meeting is added to the plan “{plan}”." }
    Adding { nn: "Legg til …", nb: "Legger til …", en: "Adding…" }

    DeleteMeetingHeading { nn: "Slett møtet", nb: "Slett møtet", en: "Delete this meeting" }
    DeleteMeetingExplain {
        nn: "Slettar du møtet, forsvinn alle lappar, prikkar og historikk for godt, og skjermane som er opne, blir stengde. Det kan ikkje angrast. Last ned JSON-fila først om du vil ta vare på innspela.",
        nb: "Sletter du møtet, forsvinner alle lapper, prikker og historikk for godt, og skjermene som er åpne, blir stengt. Det kan ikke angres. Last ned JSON-filen først hvis du vil ta vare på innspillene.",
        en: "Deleting the meeting removes all its notes, votes and history for good, and closes the screens that are open. It cannot be undone. Download the JSON file first if you want to keep the inputs.",
    }
    DeleteMeetingButton { nn: "Slett møtet …", nb: "Slett møtet …", en: "Delete the meeting…" }
    DeleteMeetingQuestion { nn: "Vil du slette «{title}» for godt?", nb: "Vil du slette «{title}» for godt?", en: "Delete “{title}” for good?" }
    ConfirmDeleteMeeting { nn: "Ja, slett møtet for godt", nb: "Ja, slett møtet for godt", en: "Yes, delete the meeting for good" }
    DownloadJsonFirst { nn: "Last ned JSON først", nb: "Last ned JSON først", en: "Download JSON first" }
    Deleting { nn: "Slettar …", nb: "Sletter …", en: "Deleting…" }
    MeetingDeletedHeading { nn: "Møtet er sletta", nb: "Møtet er slettet", en: "The meeting is deleted" }
    MeetingDeletedText {
        nn: "Alle lappar, prikkar og historikk er borte for godt, og skjermane som var opne, er stengde.",
        nb: "Alle lapper, prikker og historikk er borte for godt, og skjermene som var åpne, er stengt.",
        en: "All notes, votes and history are gone for good, and the screens that were open are closed.",
    }

    PlanSubtitle { nn: "Plan med fleire møte", nb: "Plan med flere møter", en: "Plan of several meetings" }
    PlanKeepLinkWarning {
        nn: "Adressa til denne sida er nøkkelen til planen og alle møta i han. Lagre ho som bokmerke, og del ho berre med dei som skriv planen.",
        nb: "Adressen til denne siden er nøkkelen til planen og alle møtene i den. Lagre den som bokmerke, og del den bare med dem som skriver planen.",
        en: "The address of this page is the key to the plan and every meeting in it. Bookmark it and share it only with those who write the plan.",
    }
    TryAgain { nn: "Prøv igjen", nb: "Prøv igjen", en: "Try again" }
    PlanUpToDate { nn: "Oppdatert", nb: "Oppdatert", en: "Up to date" }
    MeetingsHeading { nn: "Møta i planen", nb: "Møtene i planen", en: "Meetings in the plan" }
    MeetingsCount { nn: "Møte: {count}", nb: "Møter: {count}", en: "Meetings: {count}" }
    NoMeetingsYet {
        nn: "Ingen møte i planen enno. Legg til eit med konsoll-lenkja, eller hent eit frå ei fil.",
        nb: "Ingen møter i planen ennå. Legg til et med konsoll-lenken, eller hent et fra en fil.",
        en: "No meetings in the plan yet. Add one with its console link, or import one from a file.",
    }
    MeetingDate { nn: "Dato", nb: "Dato", en: "Date" }
    MeetingSource { nn: "Kjelde", nb: "Kilde", en: "Source" }
    SourceLive { nn: "Møte på denne tenaren", nb: "Møte på denne serveren", en: "Meeting on this server" }
    SourceImported { nn: "Henta frå fil (kan ikkje endrast)", nb: "Hentet fra fil (kan ikke endres)", en: "Imported from a file (read-only)" }
    RemoveFromPlan { nn: "Ta ut av planen", nb: "Ta ut av planen", en: "Take out of the plan" }
    RemoveFromPlanHint {
        nn: "Å ta eit møte ut av planen slettar ikkje møtet. Du kan leggje det til igjen.",
        nb: "Å ta et møte ut av planen sletter ikke møtet. Du kan legge det til igjen.",
        en: "Taking a meeting out of the plan does not delete the meeting. You can add it again.",
    }
    RemovedLive {
        nn: "«{title}» er teke ut av planen. Sjølve møtet er ikkje sletta – legg det til igjen med konsoll-lenkja om du vil.",
        nb: "«{title}» er tatt ut av planen. Selve møtet er ikke slettet – legg det til igjen med konsoll-lenken hvis du vil.",
        en: "“{title}” is taken out of the plan. The meeting itself is not deleted – add it again with its console link if you like.",
    }
    RemovedImported {
        nn: "«{title}» er teke ut av planen. Hent fila inn igjen om du vil ha det med.",
        nb: "«{title}» er tatt ut av planen. Hent filen inn igjen hvis du vil ha det med.",
        en: "“{title}” is taken out of the plan. Import the file again if you want it back.",
    }
    Removing { nn: "Tek ut …", nb: "Tar ut …", en: "Taking out…" }
    AddMeetingHeading { nn: "Legg til eit møte", nb: "Legg til et møte", en: "Add a meeting" }
    ConsoleLinkLabel { nn: "Lim inn konsoll-lenkja til møtet", nb: "Lim inn konsoll-lenken til møtet", en: "Paste the meeting's console link" }
    ConsoleLinkHint {
        nn: "Det er adressa til styrepanelet for møtet, og ho ser ut som …/f/…#…",
        nb: "Det er adressen til styrepanelet for møtet, og den ser ut som …/f/…#…",
        en: "It is the address of the meeting's facilitator console and looks like …/f/…#…",
    }
    NotAConsoleLink {
        nn: "Det er ikkje ei konsoll-lenkje. Ho ser ut som …/f/…#… – sjå etter at heile lenkja kom med.",
        nb: "Det er ikke en konsoll-lenke. Den ser ut som …/f/…#… – se etter at hele lenken kom med.",
        en: "That is not a console link. It looks like …/f/…#… – check that the whole link was copied.",
    }
    AddMeetingButton { nn: "Legg til møtet", nb: "Legg til møtet", en: "Add the meeting" }
    MeetingAdded { nn: "«{title}» er med i planen.", nb: "«{title}» er med i planen.", en: "“{title}” is in the plan." }
    ImportHeading { nn: "Hent frå ei fil", nb: "Hent fra en fil", en: "Import from a file" }
    ImportLabel { nn: "JSON-fil som Ordet har laga", nb: "JSON-fil som Ordet har laget", en: "A JSON file exported from Ordet" }
    ImportHint {
        nn: "Møta i fila kjem med i planen som innspel som ikkje kan endrast.",
        nb: "Møtene i filen kommer med i planen som innspill som ikke kan endres.",
        en: "The meetings in the file join the plan as records that cannot be changed.",
    }
    ImportButton { nn: "Hent inn fila", nb: "Hent inn filen", en: "Import the file" }
    ImportChooseFile { nn: "Vel ei fil først.", nb: "Velg en fil først.", en: "Choose a file first." }
    ImportTooLarge { nn: "Fila er for stor (høgst 64 MB).", nb: "Filen er for stor (maks 64 MB).", en: "The file is too large (at most 64 MB)." }
    Importing { nn: "Hentar inn …", nb: "Henter inn …", en: "Importing…" }
    Imported { nn: "Møte henta inn frå fila: {count}", nb: "Møter hentet inn fra filen: {count}", en: "Meetings imported from the file: {count}" }
    DeletePlanHeading { nn: "Slett planen", nb: "Slett planen", en: "Delete the plan" }
    DeletePlanExplain {
        nn: "Slettar du planen, blir òg alle møta i han sletta for godt, med alle lappar, prikkar og historikk. Det kan ikkje angrast. Last ned JSON-fila først om du vil ta vare på innspela, og ta ut av planen dei møta du vil behalde.",
        nb: "Sletter du planen, blir også alle møtene i den slettet for godt, med alle lapper, prikker og historikk. Det kan ikke angres. Last ned JSON-filen først hvis du vil ta vare på innspillene, og ta ut av planen de møtene du vil beholde.",
        en: "Deleting the plan also deletes every meeting in it for good, with all notes, votes and history. It cannot be undone. Download the JSON file first if you want to keep the inputs, and take the meetings you want to keep out of the plan.",
    }
    DeletePlanButton { nn: "Slett planen …", nb: "Slett planen …", en: "Delete the plan…" }
    DeletePlanQuestion {
        nn: "Vil du slette «{plan}» og alle møta i han for godt?",
        nb: "Vil du slette «{plan}» og alle møtene i den for godt?",
        en: "Delete “{plan}” and every meeting in it for good?",
    }
    ConfirmDeletePlan { nn: "Ja, slett planen og møta", nb: "Ja, slett planen og møtene", en: "Yes, delete the plan and its meetings" }
    PlanDeletedHeading { nn: "Planen er sletta", nb: "Planen er slettet", en: "The plan is deleted" }
    PlanDeletedText { nn: "Planen og alle møta i han er borte for godt.", nb: "Planen og alle møtene i den er borte for godt.", en: "The plan and every meeting in it are gone for good." }
    MisdirectedHost { nn: "Denne adressa høyrer ikkje til denne Ordet-tenaren. Bruk adressa som står på skjermen til tilretteleggjaren.", nb: "Denne adressen hører ikke til denne Ordet-serveren. Bruk adressen som står på skjermen til tilretteleggeren.", en: "This address is not served by this Ordet server. Use the address shown on the facilitator's screen." }
}

/// What is wrong with a translation table: texts that are empty, left in English (unless
/// listed in `same_as_english`), or whose `{placeholders}` differ between the languages. The
/// tests of every table ([`Key`] here, the server's document texts) call this.
pub fn table_problems<K: Copy + PartialEq + std::fmt::Debug>(
    all: &[K],
    text: impl Fn(K, Lang) -> &'static str,
    same_as_english: &[K],
) -> Vec<String> {
    let placeholders = |text: &str| -> std::collections::BTreeSet<String> {
        text.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
            .collect()
    };
    let mut problems = Vec::new();
    for key in all.iter().copied() {
        let en = text(key, Lang::En);
        for lang in Lang::ALL {
            let translated = text(key, lang);
            if translated.trim().is_empty() {
                problems.push(format!("{key:?} is empty in {lang:?}"));
            }
            if lang != Lang::En && translated == en && !same_as_english.contains(&key) {
                problems.push(format!("{key:?} is left in English in {lang:?}"));
            }
            if placeholders(translated) != placeholders(en) {
                problems.push(format!("{key:?} has other placeholders in {lang:?}"));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_and_minutes_are_written_as_each_language_writes_them() {
        assert_eq!(number(10_000, Lang::Nn), "10\u{a0}000");
        assert_eq!(number(1_234_567, Lang::En), "1,234,567");
        assert_eq!(number(999, Lang::Nb), "999");
        assert_eq!(minutes(150, Lang::Nn), "2,5");
        assert_eq!(minutes(150, Lang::En), "2.5");
        assert_eq!(minutes(600, Lang::Nb), "10");
        assert_eq!(minutes(750, Lang::Nb), "12,5");
    }

    use super::*;

    #[test]
    fn every_key_is_translated_with_the_same_placeholders() {
        assert_eq!(
            table_problems(Key::ALL, Key::text, SAME_AS_ENGLISH),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_missing_translation_is_found() {
        let problems = table_problems(
            &[Key::AppName, Key::Tagline],
            |key, lang| match (key, lang) {
                (Key::Tagline, Lang::Nn) => "Dialogue conferences where everyone gets the floor",
                (Key::Tagline, Lang::Nb) => "{who} får ordet",
                _ => key.text(lang),
            },
            &[Key::AppName],
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn placeholders_are_filled() {
        let text = Key::ErrorNoteTooLong.fill(Lang::Nn, &limit_values());
        assert_eq!(text, "Lappen er for lang (høgst 280 teikn).");
    }

    #[test]
    fn language_codes_from_browsers_are_understood() {
        assert_eq!(Lang::from_code("nn-NO"), Some(Lang::Nn));
        assert_eq!(Lang::from_code("no"), Some(Lang::Nb));
        assert_eq!(Lang::from_code("nb_NO"), Some(Lang::Nb));
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("sv"), None);
    }
}
