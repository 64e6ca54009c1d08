//! The demo's meeting: a finished open meeting at a school, so that a
//! newcomer sees in one minute what Ordet produces — a programme run from start to end,
//! groups with talking rounds, a wall of notes sorted into themes, a vote and its results.
//!
//! Nothing here is staged by hand. The meeting is played the way the server plays a real
//! one: every action is a [`Command`] judged by [`decide`] at a simulated server time, every
//! event is numbered and applied with [`State::apply`], and before each command the round
//! changes that time alone makes ([`turns::due`]) come first, as in the server's conference
//! actor. So the stored log is one the server could have written, and replaying it gives the
//! same state.
//!
//! Behaviour (who speaks how long, when notes come in, how people vote) is drawn from a
//! generator with a fixed seed, so the meeting reads the same every time. Identifiers are
//! drawn from a generator seeded by the conference's identifier: different for every demo,
//! and the same whenever the same conference is built again.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use ordet_shared::command::{Actor, Command, clean_title, decide};
use ordet_shared::event::{Event, SequencedEvent};
use ordet_shared::notes::{Place, Wall, WallMode};
use ordet_shared::programme::{Clock, GroupingMode, Step, StepKind};
use ordet_shared::state::{BuiltinRole, Role, State};
use ordet_shared::templates::TEMPLATES;
use ordet_shared::turns::{self, Phase, TurnAction, TurnSettings};
use ordet_shared::voting::{Vote, VoteOn, VotingSetup};
use ordet_shared::{
    ConferenceId, GroupId, JoinCode, Lang, NoteId, ParticipantId, RoleId, StepId, ThemeId,
    Timestamp,
};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use BuiltinRole::{Other, Parent, Politician, Staff, Teacher, Youth};
use Topic::{AfterSchool, Bullying, Bus, Club, Food, Health, Outdoors, Phones, Say, Sports};

/// One stored event of the demo, with when and by whom.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoEntry {
    /// The event with its place in the log.
    pub event: SequencedEvent,
    /// Server time when it happened (Unix milliseconds).
    pub at_ms: u64,
    /// Who caused it; `None` when time alone did (a talking round moving on by itself).
    pub actor: Option<Actor>,
}

/// A finished demo meeting: its events in order (the first is `Event::ConferenceCreated`,
/// seq 1) and the state they lead to.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoMeeting {
    /// Every event, in log order.
    pub entries: Vec<DemoEntry>,
    /// The state after the last event, including what only the server knows.
    pub state: State,
}

/// An open meeting at a school: `start_ms` is when it began (Unix ms).
///
/// About forty people — pupils, parents, teachers, two politicians, municipal staff and a
/// youth-club worker — go through the dialogue-conference programme in nynorsk: welcome,
/// a round in groups of alike, reports, a round in mixed groups, reports, themes, dot voting
/// and the way forward. The meeting lasts a little over two hours and ends with the
/// programme stopped after its last step.
pub fn open_school_meeting(id: ConferenceId, join_code: JoinCode, start_ms: u64) -> DemoMeeting {
    let mut meeting = Meeting::create(id, join_code, start_ms);
    let steps = meeting.prepare_programme();
    meeting.welcome(steps.welcome);
    meeting.group_round(steps.first_round, GroupingMode::Homogeneous, RoundNo::First);
    meeting.reports(steps.first_reports);
    meeting.group_round(steps.second_round, GroupingMode::Mixed, RoundNo::Second);
    meeting.reports(steps.second_reports);
    let themes = meeting.clustering(&steps);
    meeting.voting(steps.voting, &themes);
    meeting.way_forward(steps.way_forward);
    DemoMeeting {
        entries: meeting.entries,
        state: meeting.state,
    }
}

/// The meeting's title.
const TITLE: &str = "Ope møte på Nordbygda skule – oppvekstplan 2027–2030";
/// The programme template the facilitator starts from.
const TEMPLATE: &str = "dialogue-conference";
/// Seed of everything people do, so the demo reads the same every time.
const SEED: u64 = 0x4e6f_7264_6279_6764;

const SECOND: u64 = 1_000;
const MINUTE: u64 = 60 * SECOND;

/// Time per speaker in the group rounds: the facilitator shortens the template's five
/// minutes to three, so a table of five is round in a quarter of an hour.
const SPEAKER_SECS: u32 = 180;
/// Open discussion after each group's round.
const DISCUSSION_SECS: u32 = 480;
/// When the facilitator starts the welcome, after the doors opened.
const WELCOME_AT: u64 = 8 * MINUTE;
/// The window in a group round in which notes come in, after the first two minutes.
const NOTE_WINDOW: u64 = 23 * MINUTE;
/// Dots per person in the vote (about one per three themes) and most dots on one theme.
const BUDGET: u8 = 3;
const MAX_DOTS_PER_THEME: u8 = 2;

/// Everyone who comes on time, in the order they join, with the first name they typed
/// (most type none). The last few arrive while the welcome is under way.
const ARRIVALS: &[(BuiltinRole, Option<&str>)] = &[
    (Teacher, Some("Ragnhild")),
    (Staff, Some("Åse")),
    (Teacher, None),
    (Youth, Some("Sigrid")),
    (Youth, None),
    (Youth, None),
    (Parent, Some("Kari")),
    (Youth, Some("Eirik")),
    (Staff, None),
    (Youth, None),
    (Politician, None),
    (Parent, None),
    (Youth, None),
    (Youth, Some("Maren")),
    (Teacher, Some("Jostein")),
    (Parent, None),
    (Youth, None),
    (Other, None),
    (Youth, Some("Sindre")),
    (Parent, None),
    (Youth, None),
    (Youth, None),
    (Teacher, None),
    (Parent, Some("Torbjørn")),
    (Youth, Some("Tuva")),
    (Staff, None),
    (Youth, None),
    (Parent, None),
    (Politician, None),
    (Youth, None),
    (Teacher, None),
    (Youth, Some("Jonas")),
    (Parent, None),
    (Youth, None),
    (Parent, Some("Hilde")),
    (Teacher, None),
    (Youth, None),
    (Parent, None),
];

/// How many of [`ARRIVALS`] have joined when the welcome starts.
const ON_TIME: usize = 32;

/// Who arrives after the first group round has started: each sits down at a table of their
/// own role and joins its talking round at the back of the queue.
const LATE_ARRIVALS: &[(BuiltinRole, Option<&str>)] = &[(Parent, None), (Youth, Some("Brage"))];

/// Who does not vote, by position in the order of joining (one left early, two did not get
/// round to it).
const ABSTAINERS: &[usize] = &[4, 25, 38];

/// The two group rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RoundNo {
    /// «Kvar står vi?», in groups of alike.
    First,
    /// «Kvar bør vi gå?», in mixed groups.
    Second,
}

/// What the notes are about: the themes a careful facilitator ends up with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Topic {
    Bus,
    Club,
    Health,
    Bullying,
    Sports,
    Food,
    Outdoors,
    Phones,
    AfterSchool,
    Say,
}

impl Topic {
    const ALL: [Topic; 10] = [
        Topic::Bus,
        Topic::Club,
        Topic::Health,
        Topic::Bullying,
        Topic::Sports,
        Topic::Food,
        Topic::Outdoors,
        Topic::Phones,
        Topic::AfterSchool,
        Topic::Say,
    ];

    /// The theme's name on the wall.
    fn theme_name(self) -> &'static str {
        match self {
            Topic::Bus => "Buss og skyss",
            Topic::Club => "Ungdomsklubb og møteplassar",
            Topic::Health => "Psykisk helse og helsesjukepleiar",
            Topic::Bullying => "Mobbing og trygge friminutt",
            Topic::Sports => "Idrett og fritid for alle",
            Topic::Food => "Skulemat og matpause",
            Topic::Outdoors => "Uteområde og trygg skuleveg",
            Topic::Phones => "Mobil og skjermbruk",
            Topic::AfterSchool => "SFO og tilbod etter skuletid",
            Topic::Say => "Ungdom med i avgjerdene",
        }
    }
}

/// Who writes a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum By {
    /// Someone in this role, on their own phone.
    Role(BuiltinRole),
    /// The note-taker of a table of mostly this role, for the whole group (first round).
    TableOf(BuiltinRole),
    /// The note-taker of the next table in turn, for the whole group (second round).
    AnyTable,
}

/// What becomes of a note after it is posted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    /// It stays as written.
    Kept,
    /// Its writer corrects it a minute or two later.
    EditedTo(&'static str),
    /// Its writer takes it back.
    Withdrawn,
    /// The facilitator hides it (rude or off topic).
    Hidden,
    /// The facilitator merges it into the note that begins with this text.
    SameAs(&'static str),
}

/// One note of the demo.
struct Line {
    round: RoundNo,
    by: By,
    topic: Option<Topic>,
    text: &'static str,
    fate: Fate,
}

impl Line {
    /// A note that stays on the wall, about `topic`.
    const fn new(round: RoundNo, by: By, topic: Topic, text: &'static str) -> Line {
        Line {
            round,
            by,
            topic: Some(topic),
            text,
            fate: Fate::Kept,
        }
    }

    /// A note that no theme will hold.
    const fn stray(round: RoundNo, by: By, text: &'static str, fate: Fate) -> Line {
        Line {
            round,
            by,
            topic: None,
            text,
            fate,
        }
    }

    /// The same note with another fate.
    const fn then(self, fate: Fate) -> Line {
        Line { fate, ..self }
    }
}

const R1: RoundNo = RoundNo::First;
const R2: RoundNo = RoundNo::Second;
const YOUTH: By = By::Role(Youth);
const PARENT: By = By::Role(Parent);
const TEACHER: By = By::Role(Teacher);
const POLITICIAN: By = By::Role(Politician);
const STAFF: By = By::Role(Staff);
const OTHER: By = By::Role(Other);

/// Every note of the meeting: the round it is written in, who writes it, what it is about
/// and what it says. Within a round they come in shuffled, as they would from a full hall.
#[rustfmt::skip]
const NOTES: &[Line] = &[
    // Round 1: «Kvar står vi? Kva fungerer bra i dag, og kva manglar?»
    Line::new(R1, YOUTH, Bus, "Siste bussen frå sentrum går 17.40. Då kjem vi oss ikkje heim etter trening."),
    Line::new(R1, YOUTH, Bus, "Bussen om morgonen er så full at mange må stå heile vegen."),
    Line::new(R1, YOUTH, Bus, "Ingen buss i helgene, så da blir man sittende hjemme."),
    Line::new(R1, PARENT, Bus, "Vi foreldre er sjåførar til alt på ettermiddagen, for bussen går ikkje."),
    Line::new(R1, STAFF, Bus, "Skuleskyssen fungerer godt, men det går ingen buss til aktivitetar om ettermiddagen."),
    Line::new(R1, By::TableOf(Youth), Bus, "Heile gruppa er einig: bussen er det største problemet for oss som bur i Nordbygda."),
    Line::new(R1, YOUTH, Bus, "Siste buss går altfor tidleg!!").then(Fate::SameAs("Siste bussen frå sentrum")),
    Line::stray(R1, YOUTH, "buss", Fate::Withdrawn),
    Line::new(R1, YOUTH, Club, "Ungdomsklubben på fredagar er det beste som finst i bygda."),
    Line::new(R1, YOUTH, Club, "Klubben er bare åpen én kveld i uka, det er for lite."),
    Line::new(R1, OTHER, Club, "Klubben har mange besøkande, men vi er berre to vaksne på jobb og rekk ikkje over alle."),
    Line::new(R1, YOUTH, Club, "Vi har ingen stad å henge etter skulen utan å måtte kjøpe noko."),
    Line::new(R1, PARENT, Club, "Bra at det ikkje kostar noko å gå på klubben, då kan alle kome."),
    Line::new(R1, YOUTH, Club, "Klubblokalet i kjellaren er trongt og kaldt. Vi treng eit betre lokale."),
    Line::new(R1, YOUTH, Health, "Helsesjukepleiaren er berre på skulen to dagar i veka, og det er oftekø.")
        .then(Fate::EditedTo("Helsesjukepleiaren er berre på skulen to dagar i veka, og det er ofte kø.")),
    Line::new(R1, YOUTH, Health, "Mange sliter med stress og press før prøver, men ingen snakker om det."),
    Line::new(R1, TEACHER, Health, "Vi ser fleire elevar med angst og høgt skulefråvær enn for nokre år sidan."),
    Line::new(R1, PARENT, Health, "Vanskeleg å vite kvar ein skal vende seg når barnet ikkje har det bra psykisk."),
    Line::new(R1, YOUTH, Health, "Det er flaut å gå til helsesjukepleiaren når alle ser deg i gangen."),
    Line::new(R1, STAFF, Health, "Lang ventetid til BUP. Skulen står mykje åleine med elevane i mellomtida."),
    Line::new(R1, By::TableOf(Teacher), Health, "Gruppa meiner helsesjukepleiaren gjer ein svært god jobb, men har altfor lite tid."),
    Line::new(R1, YOUTH, Bullying, "Nokon blir haldne utanfor i friminutta, og dei vaksne ser det ikkje."),
    Line::new(R1, YOUTH, Bullying, "Noen blir mobbet i garderoben etter gymmen."),
    Line::new(R1, PARENT, Bullying, "Skulen tek mobbesaker på alvor når vi seier ifrå. Det set vi pris på."),
    Line::new(R1, TEACHER, Bullying, "Trivselsleiarane i friminutta fungerer godt på barnetrinnet."),
    Line::new(R1, YOUTH, Bullying, "Ikkje alle har nokon å vere saman med i friminutta."),
    Line::new(R1, PARENT, Bullying, "Eg er redd for at barnet mitt går aleine i friminutta."),
    Line::new(R1, PARENT, Sports, "Idrettslaget er flott, men kontingent og utstyr kostar fort fleire tusen kroner i året."),
    Line::new(R1, YOUTH, Sports, "Det er berre fotball og handball her. Ikkje alle likar lagidrett."),
    Line::new(R1, PARENT, Sports, "Dugnadane i idrettslaget tek mykje tid for oss som har tre barn."),
    Line::new(R1, YOUTH, Sports, "Trening koster mye, og cupene enda mer. Ikke alle kan bli med."),
    Line::new(R1, POLITICIAN, Sports, "Kommunen gir tilskot til idrettslaga, men vi veit lite om kven som fell utanfor."),
    Line::new(R1, YOUTH, Food, "Vi har ikkje skulemat. Mange har ikkje med matpakke og et ingenting før dei kjem heim."),
    Line::new(R1, PARENT, Food, "Fruktordninga er bra, men ein blir ikkje mett av eitt eple."),
    Line::new(R1, YOUTH, Food, "Kantina er stengt og matpausen er bare 20 minutter."),
    Line::new(R1, TEACHER, Food, "Elevar som ikkje har ete frukost, klarer ikkje å konsentrere seg."),
    Line::new(R1, YOUTH, Food, "Matpausen er altfor kort").then(Fate::SameAs("Kantina er stengt")),
    Line::new(R1, YOUTH, Outdoors, "Skuleplassen er berre asfalt. Ingenting å gjere for oss på ungdomstrinnet."),
    Line::new(R1, PARENT, Outdoors, "Skulevegen langs fylkesvegen manglar fortau og gatelys. Det er farleg om vinteren."),
    Line::new(R1, YOUTH, Outdoors, "Gapahuken og turstien bak skulen er fine, vi brukar dei mykje."),
    Line::new(R1, STAFF, Outdoors, "Leikeplassen ved barneskulen er gamal og treng vedlikehald."),
    Line::new(R1, YOUTH, Outdoors, "Det er mørkt og skummelt å gå hjem fra klubben, det mangler gatelys."),
    Line::new(R1, YOUTH, Phones, "Mobilfri skule fungerer eigentleg greitt. Vi pratar meir med kvarandre no."),
    Line::new(R1, PARENT, Phones, "Vi foreldre synest det er vanskeleg å setje grenser for skjermtid heime."),
    Line::new(R1, YOUTH, Phones, "Mye drama starter på Snapchat og blir tatt med inn på skolen."),
    Line::new(R1, TEACHER, Phones, "Mange elevar søv for lite fordi dei sit med mobilen om natta."),
    Line::new(R1, YOUTH, Phones, "Gaming er sosialt for mange av oss, ikkje berre bortkasta skjermtid."),
    Line::new(R1, By::TableOf(Parent), Phones, "Gruppa opplever at kvar familie har sine eigne mobilreglar, og då er det vanskeleg å seie nei."),
    Line::new(R1, PARENT, AfterSchool, "SFO stengjer 16.30. Vi som pendlar, rekk ikkje å hente."),
    Line::new(R1, PARENT, AfterSchool, "SFO er dyrt når ein har to barn der."),
    Line::new(R1, TEACHER, AfterSchool, "SFO har flinke tilsette, men for få vaksne per barn."),
    Line::new(R1, STAFF, AfterSchool, "Billegare SFO for førsteklassingane har vore positivt."),
    Line::new(R1, By::TableOf(Parent), AfterSchool, "Det finst ingenting etter skuletid for dei på mellomtrinnet når SFO sluttar."),
    Line::new(R1, YOUTH, Say, "Elevrådet får aldri vite kva som skjer med forslaga våre."),
    Line::new(R1, YOUTH, Say, "Vi kommer med innspill, men det skjer aldri noe etterpå."),
    Line::new(R1, POLITICIAN, Say, "Ungdomsrådet har talerett i kommunestyret, men blir sjeldan høyrt før saka er avgjort."),
    Line::new(R1, TEACHER, Say, "Elevrådet fungerer godt når det får tid i skuletida."),
    Line::new(R1, YOUTH, Say, "Bra at vi får vere med på eit møte som dette!"),
    Line::new(R1, STAFF, Say, "Kommunen manglar ein fast måte å få innspel frå barn og unge på."),
    Line::new(R1, By::TableOf(Youth), Say, "Få av oss veit kven som sit i ungdomsrådet."),
    Line::stray(R1, YOUTH, "denne skulen suger haha", Fate::Hidden),
    // Round 2: «Kvar bør vi gå? Kva ønskjer vi oss, og korleis ser det ut når vi er der?»
    Line::new(R2, YOUTH, Bus, "Buss frå sentrum til Nordbygda kvar time heilt til klokka 22."),
    Line::new(R2, YOUTH, Bus, "Gratis buss for alle under 20 år."),
    Line::new(R2, PARENT, Bus, "Ein kveldsbuss som kan bestillast med app, slik dei har i nabokommunen."),
    Line::new(R2, STAFF, Bus, "Samordne busstidene med treningstidene i hallen."),
    Line::new(R2, By::AnyTable, Bus, "Gruppa ønskjer at kommunen organiserer samkøyring og skyss på kveldstid."),
    Line::new(R2, POLITICIAN, Bus, "Vi tek busstilbodet med oss til fylkeskommunen. Det må bli betre."),
    Line::new(R2, YOUTH, Bus, "Gratis buss for ungdom!").then(Fate::SameAs("Gratis buss for alle under 20")),
    Line::new(R2, YOUTH, Club, "Klubben ope to kveldar i veka, gjerne også laurdag."),
    Line::new(R2, YOUTH, Club, "Et ungdomshus med kafé der man kan henge uten å måtte kjøpe noe."),
    Line::new(R2, OTHER, Club, "Fleire vaksne på klubben, gjerne ein fast miljøarbeidar i full stilling."),
    Line::new(R2, YOUTH, Club, "Eit nytt klubblokale som vi ungdommane sjølve får vere med og pusse opp."),
    Line::new(R2, PARENT, Club, "Ein møteplass for ungdom som ikkje driv med idrett."),
    Line::new(R2, By::AnyTable, Club, "Ein open kafé i sentrum der både unge og eldre kan henge."),
    Line::new(R2, YOUTH, Health, "Helsesjukepleiar på skulen kvar dag, også etter skuletid."),
    Line::new(R2, YOUTH, Health, "Mindre press på karakterer. Heller færre prøver med bedre tid."),
    Line::new(R2, TEACHER, Health, "Psykisk helse som fast tema i undervisninga, frå dei minste trinna."),
    Line::new(R2, PARENT, Health, "Ein stad foreldre kan ringje og få hjelp når barnet slit."),
    Line::new(R2, STAFF, Health, "Kortare ventetid til psykolog og BUP."),
    Line::new(R2, YOUTH, Health, "Ein chat der ein kan snakke anonymt med helsesjukepleiaren."),
    Line::new(R2, By::AnyTable, Health, "Gruppa vil ha ein kommunepsykolog som skulen kan bruke direkte."),
    Line::new(R2, YOUTH, Bullying, "Vaksne ute i alle friminutt, også på ungdomsskulen."),
    Line::new(R2, YOUTH, Bullying, "Ingen skal gå alene i friminuttene. Faddere og vennebenk kan hjelpe."),
    Line::new(R2, TEACHER, Bullying, "Ein felles plan mot mobbing som alle vaksne kjenner og følgjer."),
    Line::new(R2, PARENT, Bullying, "Foreldremøte om mobbing og om korleis vi snakkar om andre heime."),
    Line::new(R2, YOUTH, Bullying, "Fleire felles aktivitetar på tvers av klassane, så alle blir kjende og får venner."),
    Line::new(R2, By::AnyTable, Bullying, "Alle elevar skal vite kven dei kan seie ifrå til når nokon blir mobba."),
    Line::new(R2, PARENT, Sports, "Eit fritidskort, så alle kan vere med på minst éin idrett eller aktivitet utan å betale."),
    Line::new(R2, YOUTH, Sports, "Fleire aktivitetar enn fotball: klatrevegg, dans, skatepark."),
    Line::new(R2, PARENT, Sports, "Ei utstyrsbu der ein kan låne ski, skøyter og fotballsko."),
    Line::new(R2, POLITICIAN, Sports, "Kommunen kan krevje låg eigenbetaling når idrettslaga får tilskot."),
    Line::new(R2, YOUTH, Sports, "Idrettshallen bør være åpen for alle på fredagskveldene."),
    Line::new(R2, TEACHER, Sports, "Fysisk aktivitet og trening kvar dag, ikkje berre i gymtimane."),
    Line::new(R2, YOUTH, Food, "Gratis skulemat kvar dag, gjerne eitt varmt måltid."),
    Line::new(R2, YOUTH, Food, "Lengre matpause, minst 30 minutter."),
    Line::new(R2, PARENT, Food, "Skulemat laga av lokale råvarer, gjerne med elevane på kjøkkenet."),
    Line::new(R2, TEACHER, Food, "Frukost på skulen for dei som treng det, utan at det blir flaut."),
    Line::new(R2, STAFF, Food, "Ei kantine som er open og billig for ungdomsskulen."),
    Line::new(R2, By::AnyTable, Food, "Felles lunsj med varm mat, der lærarar og elevar et saman."),
    Line::new(R2, YOUTH, Food, "Skulemat til alle!!").then(Fate::SameAs("Gratis skulemat kvar dag")),
    Line::new(R2, YOUTH, Outdoors, "Benkar og tak på skuleplassen, så vi kan vere ute også når det regnar."),
    Line::new(R2, PARENT, Outdoors, "Fortau og gatelys heile vegen frå Nordbygda til skulen."),
    Line::new(R2, YOUTH, Outdoors, "Mer grønt og trær i skolegården, ikke bare asfalt."),
    Line::new(R2, STAFF, Outdoors, "Bruke skogen og gapahuken meir i undervisninga."),
    Line::new(R2, TEACHER, Outdoors, "Uteskule i skogen ein dag i veka."),
    Line::new(R2, YOUTH, Phones, "Vi vil lære nettvett og gode skjermvanar av folk som kan det, ikkje berre sjå ein PowerPoint."),
    Line::new(R2, PARENT, Phones, "Felles mobilreglar for alle foreldra i klassen, så det blir lettare å seie nei heime."),
    Line::new(R2, TEACHER, Phones, "Halde fram med mobilfri skule heilt ut tiande klasse."),
    Line::new(R2, YOUTH, Phones, "Undervisning om TikTok, sosiale medier og kroppspress."),
    Line::new(R2, PARENT, Phones, "Mindre skjermtid i småskulen: meir bøker og færre nettbrett."),
    Line::new(R2, PARENT, AfterSchool, "SFO ope til 17.00 for dei som pendlar."),
    Line::new(R2, PARENT, AfterSchool, "Søskenmoderasjon på SFO."),
    Line::new(R2, TEACHER, AfterSchool, "Leksehjelp på SFO, så leksene er gjorde når barna kjem heim."),
    Line::new(R2, STAFF, AfterSchool, "Eit aktivitetstilbod etter skuletid for 5.–7. trinn, slik SFO er for dei yngste."),
    Line::new(R2, By::AnyTable, AfterSchool, "Fleire tilsette på SFO, så det blir tid til kvart barn."),
    Line::new(R2, YOUTH, Say, "Ungdomsrådet må få svar på alle innspel innan ein månad."),
    Line::new(R2, YOUTH, Say, "Politikerne bør komme på skolen og snakke med oss, ikke bare før valget."),
    Line::new(R2, POLITICIAN, Say, "Vi politikarar skal melde tilbake kva som skjer med innspela frå i dag."),
    Line::new(R2, TEACHER, Say, "Elevrådet bør få eit eige budsjett som dei styrer sjølve."),
    Line::new(R2, YOUTH, Say, "Fleire slike møte der vi blir høyrde, ikkje berre éin gong."),
    Line::new(R2, STAFF, Say, "Eit ungdomspanel som kommunen må høyre i alle saker om barn og unge."),
    Line::stray(R2, YOUTH, "Kven vann Brann–Molde i går? 😂", Fate::Hidden),
];

/// How each role spreads its dots: a weight per theme. Pupils care most about getting
/// around and a place to be, parents and teachers about health and bullying.
fn preferences(role: BuiltinRole) -> &'static [(Topic, u32)] {
    match role {
        Youth => &[
            (Bus, 9),
            (Club, 8),
            (Health, 5),
            (Food, 2),
            (Bullying, 2),
            (Sports, 2),
            (Say, 2),
            (Outdoors, 1),
            (Phones, 1),
        ],
        Parent => &[
            (Health, 6),
            (Bullying, 6),
            (Bus, 4),
            (Sports, 3),
            (AfterSchool, 3),
            (Food, 1),
            (Phones, 2),
            (Club, 1),
        ],
        Teacher => &[
            (Health, 7),
            (Bullying, 7),
            (Food, 1),
            (Phones, 2),
            (Outdoors, 2),
            (Say, 1),
        ],
        Politician => &[(Say, 4), (Bus, 3), (Health, 3), (Club, 1)],
        Staff => &[(Health, 4), (Say, 3), (Club, 3), (AfterSchool, 2)],
        Other => &[(Club, 6), (Health, 2), (Bus, 1)],
    }
}

/// How a speaker's turn ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Move {
    /// They finish within their time and the floor passes on (they or the leader press
    /// "next").
    Finished,
    /// They pass.
    Pass,
    /// They are not ready and go to the back of the queue.
    Skip,
    /// The leader gives them a minute more, then they finish.
    Extend,
    /// Their time runs out and the round moves on by itself.
    RunOver,
}

/// Turns that go differently, so the demo shows every way a turn can end: the round, the
/// table number, the turn (counting finished turns) and what happens.
const SURPRISES: &[(RoundNo, u32, usize, Move)] = &[
    (RoundNo::First, 1, 2, Move::RunOver),
    (RoundNo::First, 3, 0, Move::Skip),
    (RoundNo::First, 6, 1, Move::RunOver),
    (RoundNo::Second, 2, 3, Move::Extend),
    (RoundNo::Second, 5, 2, Move::RunOver),
];

/// The steps of the programme, by what they are for.
struct Steps {
    welcome: StepId,
    first_round: StepId,
    first_reports: StepId,
    second_round: StepId,
    second_reports: StepId,
    clustering: StepId,
    voting: StepId,
    way_forward: StepId,
}

impl Steps {
    /// The steps of the dialogue-conference template, found by kind and order.
    fn of(steps: &[Step]) -> Steps {
        let nth = |kind: StepKind, n: usize| {
            steps
                .iter()
                .filter(|s| s.kind == kind)
                .nth(n)
                .map(|s| s.id)
                .unwrap_or_else(|| panic!("the {TEMPLATE} template has no {kind:?} step {n}"))
        };
        Steps {
            welcome: nth(StepKind::Plenary, 0),
            first_round: nth(StepKind::GroupRound, 0),
            first_reports: nth(StepKind::Reports, 0),
            second_round: nth(StepKind::GroupRound, 1),
            second_reports: nth(StepKind::Reports, 1),
            clustering: nth(StepKind::Clustering, 0),
            voting: nth(StepKind::Voting, 0),
            way_forward: nth(StepKind::Plenary, 1),
        }
    }
}

/// Someone in the room.
#[derive(Clone, Copy)]
struct Person {
    id: ParticipantId,
    role: BuiltinRole,
}

/// A posted note and who wrote it.
#[derive(Clone, Copy)]
struct Posted {
    note: NoteId,
    author: ParticipantId,
}

/// Something that happens at a set time during a group round, besides the talking.
enum Errand {
    /// Line `n` of [`NOTES`] is posted.
    Post(usize),
    /// Its writer corrects it.
    Edit(usize),
    /// Its writer takes it back.
    Withdraw(usize),
    /// The facilitator hides it.
    Hide(usize),
    /// Someone arrives late.
    Arrive(BuiltinRole, Option<&'static str>),
}

/// What a table is waiting to do next.
#[derive(Clone, Copy)]
enum Cue {
    /// `speaker`'s turn ends this way.
    Turn { speaker: ParticipantId, ends: Move },
    /// The leader ends the open discussion.
    EndDiscussion,
}

/// One table in a group round, as its leader steers it.
struct Table {
    group: GroupId,
    /// When it next does something; `None` once its round is done.
    wake: Option<u64>,
    cue: Option<Cue>,
    /// Turns that go differently at this table: (turn, how).
    surprises: Vec<(usize, Move)>,
    rng: StdRng,
}

impl Table {
    /// How the turn of a speaker in `role` ends, after how many milliseconds (for turns that
    /// end before their time).
    fn choose(&mut self, role: BuiltinRole, turn: usize, others_waiting: bool) -> (Move, u64) {
        let drawn: f64 = self.rng.random();
        let surprise = self
            .surprises
            .iter()
            .position(|(at, _)| *at == turn)
            .map(|i| self.surprises.remove(i).1);
        let pass_chance = if role == Youth { 0.14 } else { 0.05 };
        let ends = match surprise {
            Some(Move::Skip) if !others_waiting => Move::Finished,
            Some(surprise) => surprise,
            None if drawn < pass_chance => Move::Pass,
            None if drawn < pass_chance + 0.03 => Move::RunOver,
            None => Move::Finished,
        };
        let after = match ends {
            Move::Pass => self.rng.random_range(8..25) * SECOND,
            Move::Skip => self.rng.random_range(5..12) * SECOND,
            _ => self.rng.random_range(speaking_secs(role)) * SECOND,
        };
        (ends, after)
    }
}

/// A version 4 UUID drawn from `rng`.
fn random_uuid(rng: &mut StdRng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

/// How long someone in `role` talks when they finish within their three minutes.
fn speaking_secs(role: BuiltinRole) -> std::ops::Range<u64> {
    match role {
        Youth => 40..150,
        Parent => 80..175,
        Teacher => 100..178,
        Politician => 120..179,
        Staff => 90..170,
        Other => 70..170,
    }
}

/// The meeting as it is being played: the state, the log so far and the simulated clock.
struct Meeting {
    state: State,
    entries: Vec<DemoEntry>,
    /// When the meeting began.
    start: u64,
    /// Server time now.
    now: u64,
    /// Draws identifiers (seeded by the conference).
    ids: StdRng,
    /// Draws what people do (fixed seed).
    rng: StdRng,
    /// Everyone who joined, in order.
    people: Vec<Person>,
    /// Each line of [`NOTES`] once posted.
    posted: Vec<Option<Posted>>,
    /// Who writes next, per role (as a position among the people of that role).
    next_writer: BTreeMap<RoleId, usize>,
    /// Which table's note-taker writes next for their group.
    next_table: usize,
}

impl Meeting {
    /// The conference as the server creates it, at `start_ms`.
    fn create(id: ConferenceId, join_code: JoinCode, start_ms: u64) -> Meeting {
        let (high, low) = id.0.as_u64_pair();
        let mut meeting = Meeting {
            state: State::default(),
            entries: Vec::new(),
            start: start_ms,
            now: start_ms,
            ids: StdRng::seed_from_u64(high ^ low.rotate_left(29)),
            rng: StdRng::seed_from_u64(SEED),
            people: Vec::new(),
            posted: vec![None; NOTES.len()],
            next_writer: BTreeMap::new(),
            next_table: 0,
        };
        let created = Event::ConferenceCreated {
            id,
            title: clean_title(TITLE).expect("the demo's title is valid"),
            language: Lang::Nn,
            join_code,
            created_at: Timestamp(start_ms),
            roles: Role::defaults(),
        };
        meeting.record(vec![created], Some(Actor::Facilitator));
        meeting
    }

    // --- The log and the clock -----------------------------------------------------------

    /// Numbers, applies and logs `events`, as the server does.
    fn record(&mut self, events: Vec<Event>, actor: Option<Actor>) {
        for event in events {
            let sequenced = SequencedEvent {
                seq: self.state.seq + 1,
                event,
            };
            self.state.apply(&sequenced);
            self.entries.push(DemoEntry {
                event: sequenced,
                at_ms: self.now,
                actor,
            });
        }
    }

    /// The round changes time alone makes now.
    fn catch_up(&mut self) -> bool {
        let due = turns::due(&self.state, Timestamp(self.now));
        let changed = !due.is_empty();
        self.record(due, None);
        changed
    }

    /// Lets time pass until `until`; rounds that move on by themselves do so on the way, each
    /// when the server would wake for it.
    fn wait_until(&mut self, until: u64) {
        while let Some(due) = turns::next_due(&self.state).filter(|due| due.0 <= until) {
            self.now = self.now.max(due.0);
            if !self.catch_up() {
                break;
            }
        }
        self.now = self.now.max(until);
    }

    /// Lets a while pass: between `secs.start` and `secs.end` seconds.
    fn pause(&mut self, secs: std::ops::Range<u64>) {
        let ms = self
            .rng
            .random_range(secs.start * SECOND..secs.end * SECOND);
        self.wait_until(self.now + ms);
    }

    /// Carries out `command` from `actor` now, as one batch of the server: time first, then
    /// the command through [`decide`].
    fn run(&mut self, actor: Actor, command: Command) {
        self.catch_up();
        let events = decide(&self.state, actor, &command, Timestamp(self.now))
            .unwrap_or_else(|error| panic!("the demo's {command:?} was refused: {error:?}"));
        self.record(events, Some(actor));
    }

    fn facilitator(&mut self, command: Command) {
        self.run(Actor::Facilitator, command);
    }

    fn participant(&mut self, id: ParticipantId, command: Command) {
        self.run(Actor::Participant { id }, command);
    }

    /// A fresh identifier from the conference's generator.
    fn new_uuid(&mut self) -> Uuid {
        random_uuid(&mut self.ids)
    }

    /// How long `step` is planned to take, in milliseconds (0 without a timebox).
    fn timebox(&self, step: StepId) -> u64 {
        let secs = self.state.programme.step(step).and_then(|s| s.timebox_secs);
        secs.map_or(0, |secs| u64::from(secs) * SECOND)
    }

    fn role_of(&self, id: ParticipantId) -> BuiltinRole {
        self.people
            .iter()
            .find(|p| p.id == id)
            .map_or(Other, |p| p.role)
    }

    fn show(&mut self, mode: WallMode, whole_conference: bool) {
        let wall = Wall {
            mode,
            focus: None,
            whole_conference,
        };
        self.facilitator(Command::SetWall { wall });
    }

    // --- Before the meeting ---------------------------------------------------------------

    /// The facilitator lays out the programme from the template and sets the group rounds
    /// to three minutes per speaker, moving on by themselves.
    fn prepare_programme(&mut self) -> Steps {
        let template = TEMPLATES
            .iter()
            .find(|t| t.slug == TEMPLATE)
            .unwrap_or_else(|| panic!("no {TEMPLATE} template"));
        let ids = &mut self.ids;
        let steps = template.steps_in(Lang::Nn, || StepId(random_uuid(ids)));
        self.pause(15..25);
        for step in &steps {
            self.facilitator(Command::AddStep {
                step: step.clone(),
                index: None,
            });
        }
        self.pause(20..40);
        for step in steps.iter().filter(|s| s.kind == StepKind::GroupRound) {
            let turns = step.turns.map(|settings| TurnSettings {
                speaker_secs: SPEAKER_SECS,
                auto_advance: true,
                discussion_secs: DISCUSSION_SECS,
                ..settings
            });
            let edited = Step {
                turns,
                ..step.clone()
            };
            self.facilitator(Command::EditStep { step: edited });
            self.pause(5..15);
        }
        self.facilitator(Command::SetGroupSettings {
            size: 5,
            prefer_youth_leader: true,
        });
        Steps::of(&steps)
    }

    /// Someone joins from their phone.
    fn join(&mut self, role: BuiltinRole, name: Option<&str>) {
        let id = ParticipantId(self.new_uuid());
        self.participant(
            id,
            Command::Join {
                name: name.map(str::to_string),
                role: role.id(),
            },
        );
        self.people.push(Person { id, role });
    }

    /// People join one after another over about `minutes`.
    fn arrive(&mut self, arrivals: &[(BuiltinRole, Option<&'static str>)], minutes: u64) {
        let gap = minutes * 60 / arrivals.len() as u64;
        for (role, name) in arrivals {
            self.pause(gap / 2..gap * 3 / 2 + 1);
            self.join(*role, *name);
        }
    }

    // --- The programme --------------------------------------------------------------------

    /// The welcome: people arrive, the facilitator starts on time and late-comers keep
    /// coming in during the first minutes.
    fn welcome(&mut self, step: StepId) {
        self.wait_until(self.start + MINUTE);
        self.arrive(&ARRIVALS[..ON_TIME], 6);
        self.wait_until(self.start + WELCOME_AT);
        self.facilitator(Command::StartStep { step });
        let started = self.now;
        self.arrive(&ARRIVALS[ON_TIME..], 3);
        self.wait_until(started + self.timebox(step));
    }

    /// A group round: groups are formed, every table plays its talking round through while
    /// notes come in, and the facilitator moves on when the time is up.
    fn group_round(&mut self, step: StepId, mode: GroupingMode, round: RoundNo) {
        self.facilitator(Command::FormGroups { step, mode });
        self.pause(20..40);
        self.facilitator(Command::StartStep { step });
        let started = self.now;
        self.show(WallMode::Newest, false);
        let mut agenda = self.agenda(round, started);
        let mut tables = self.tables(step, round, started);
        loop {
            let table = tables
                .iter()
                .enumerate()
                .filter_map(|(i, t)| t.wake.map(|wake| (wake, i)))
                .min();
            let errand_first = match (agenda.first(), table) {
                (Some((at, _)), Some((wake, _))) => *at <= wake,
                (errand, _) => errand.is_some(),
            };
            if errand_first {
                let (at, errand) = agenda.remove(0);
                self.wait_until(at);
                self.errand(step, errand);
            } else if let Some((wake, i)) = table {
                self.wait_until(wake);
                self.steer(step, &mut tables[i]);
            } else {
                break;
            }
        }
        self.wait_until((started + self.timebox(step)).max(self.now + MINUTE));
    }

    /// The notes of `round` at the times they come in, with what happens to them, and the
    /// late arrivals.
    fn agenda(&mut self, round: RoundNo, started: u64) -> Vec<(u64, Errand)> {
        let mut lines: Vec<usize> = (0..NOTES.len())
            .filter(|i| NOTES[*i].round == round)
            .collect();
        lines.shuffle(&mut self.rng);
        let gap = NOTE_WINDOW / lines.len() as u64;
        let mut agenda = Vec::new();
        for (k, index) in lines.into_iter().enumerate() {
            let at = started + 2 * MINUTE + k as u64 * gap + self.rng.random_range(0..gap / 2);
            agenda.push((at, Errand::Post(index)));
            let later = |rng: &mut StdRng, secs: std::ops::Range<u64>| {
                at + rng.random_range(secs.start * SECOND..secs.end * SECOND)
            };
            match NOTES[index].fate {
                Fate::EditedTo(_) => {
                    agenda.push((later(&mut self.rng, 90..160), Errand::Edit(index)))
                }
                Fate::Withdrawn => {
                    agenda.push((later(&mut self.rng, 20..50), Errand::Withdraw(index)))
                }
                Fate::Hidden => agenda.push((later(&mut self.rng, 60..150), Errand::Hide(index))),
                Fate::Kept | Fate::SameAs(_) => {}
            }
        }
        if round == RoundNo::First {
            for (i, (role, name)) in LATE_ARRIVALS.iter().enumerate() {
                let at = started + (3 + 2 * i as u64) * MINUTE;
                agenda.push((at, Errand::Arrive(*role, *name)));
            }
        }
        agenda.sort_by_key(|(at, _)| *at);
        agenda
    }

    /// The tables of `step`, each ready for its leader to start the round within the first
    /// minute and a half.
    fn tables(&mut self, step: StepId, round: RoundNo, started: u64) -> Vec<Table> {
        let groups = self
            .state
            .programme
            .groups
            .get(&step)
            .cloned()
            .unwrap_or_default();
        groups
            .iter()
            .map(|group| {
                let mut rng =
                    StdRng::seed_from_u64(SEED ^ (u64::from(group.number) << 8) ^ round as u64);
                Table {
                    group: group.id,
                    wake: Some(started + rng.random_range(30 * SECOND..90 * SECOND)),
                    cue: None,
                    surprises: SURPRISES
                        .iter()
                        .filter(|(r, table, _, _)| *r == round && *table == group.number)
                        .map(|(_, _, turn, ends)| (*turn, *ends))
                        .collect(),
                    rng,
                }
            })
            .collect()
    }

    /// Carries out one timed errand of a group round.
    fn errand(&mut self, step: StepId, errand: Errand) {
        match errand {
            Errand::Post(index) => self.post(step, index),
            Errand::Edit(index) => {
                if let (Some(posted), Fate::EditedTo(text)) =
                    (self.posted[index], NOTES[index].fate)
                {
                    self.participant(
                        posted.author,
                        Command::EditNote {
                            note: posted.note,
                            text: text.to_string(),
                        },
                    );
                }
            }
            Errand::Withdraw(index) => {
                if let Some(posted) = self.posted[index] {
                    self.participant(posted.author, Command::WithdrawNote { note: posted.note });
                }
            }
            Errand::Hide(index) => {
                if let Some(posted) = self.posted[index] {
                    self.facilitator(Command::PlaceNote {
                        note: posted.note,
                        place: Place::Hidden,
                    });
                }
            }
            Errand::Arrive(role, name) => self.join(role, name),
        }
    }

    /// Line `index` of [`NOTES`] is posted by whoever writes it.
    fn post(&mut self, step: StepId, index: usize) {
        let line = &NOTES[index];
        let (author, for_group) = self.writer(step, line.by);
        let note = NoteId(self.new_uuid());
        self.participant(
            author,
            Command::PostNote {
                note,
                text: line.text.to_string(),
                question: None,
                for_group,
            },
        );
        self.posted[index] = Some(Posted { note, author });
    }

    /// Who writes a note, and whether for their group.
    fn writer(&mut self, step: StepId, by: By) -> (ParticipantId, bool) {
        match by {
            By::Role(role) => {
                let of_role: Vec<ParticipantId> = self
                    .people
                    .iter()
                    .filter(|p| p.role == role)
                    .map(|p| p.id)
                    .collect();
                let next = self.next_writer.entry(role.id()).or_insert(0);
                let writer = of_role[*next % of_role.len()];
                *next += 1;
                (writer, false)
            }
            By::TableOf(role) => (self.note_taker(step, Some(role)), true),
            By::AnyTable => (self.note_taker(step, None), true),
        }
    }

    /// The note-taker of the next table in turn: among the tables of mostly `role`, if given.
    fn note_taker(&mut self, step: StepId, role: Option<BuiltinRole>) -> ParticipantId {
        let groups = self
            .state
            .programme
            .groups
            .get(&step)
            .cloned()
            .unwrap_or_default();
        let fitting: Vec<_> = groups
            .iter()
            .filter(|g| {
                role.is_none_or(|role| {
                    let alike = g
                        .members
                        .iter()
                        .filter(|m| self.role_of(**m) == role)
                        .count();
                    alike * 2 > g.members.len()
                })
            })
            .collect();
        let table = fitting[self.next_table % fitting.len()];
        self.next_table += 1;
        table.note_taker.expect("every table has a note-taker")
    }

    /// The leader of `table` (or its speaker) does what the table is waiting to do, and the
    /// table's next cue is set.
    fn steer(&mut self, step: StepId, table: &mut Table) {
        let group = table.group;
        let Some(leader) = self
            .state
            .programme
            .group(step, group)
            .and_then(|g| g.leader)
        else {
            table.wake = None;
            return;
        };
        let turn = |action| Command::Turn {
            step,
            group: Some(group),
            action,
        };
        let phase =
            turns::round_of(&self.state, step, Some(group)).map_or(Phase::Ready, |r| r.phase);
        match (phase, table.cue.take()) {
            (Phase::Ready, _) => self.participant(leader, turn(TurnAction::Start)),
            (
                Phase::Speaking { speaker, .. },
                Some(Cue::Turn {
                    speaker: cued,
                    ends,
                }),
            ) if cued == speaker => match ends {
                Move::Finished => {
                    let by = if table.rng.random_bool(0.5) {
                        speaker
                    } else {
                        leader
                    };
                    self.participant(by, turn(TurnAction::Next { current: speaker }));
                }
                Move::Pass => {
                    self.participant(speaker, turn(TurnAction::Pass { current: speaker }))
                }
                Move::Skip => self.participant(leader, turn(TurnAction::Skip { current: speaker })),
                Move::Extend => {
                    self.participant(leader, turn(TurnAction::Extend { seconds: 60 }));
                    table.cue = Some(Cue::Turn {
                        speaker,
                        ends: Move::Finished,
                    });
                    table.wake = Some(self.now + 45 * SECOND);
                    return;
                }
                Move::RunOver => {}
            },
            (Phase::Discussion { .. }, Some(Cue::EndDiscussion)) => {
                self.participant(leader, turn(TurnAction::Finish));
            }
            _ => {}
        }
        table.wake = self.next_cue(step, table);
    }

    /// What `table` waits for now, and when.
    fn next_cue(&mut self, step: StepId, table: &mut Table) -> Option<u64> {
        let round = turns::round_of(&self.state, step, Some(table.group))?;
        match round.phase {
            Phase::Speaking {
                speaker,
                clock: Clock::Running { deadline },
                allotted_ms,
            } => {
                let began = deadline.0 - allotted_ms;
                let others_waiting = !round.queue.is_empty();
                let finished = round.turns.len();
                let (ends, after) = table.choose(self.role_of(speaker), finished, others_waiting);
                table.cue = Some(Cue::Turn { speaker, ends });
                Some(match ends {
                    Move::RunOver => deadline.0 + SECOND,
                    Move::Extend => deadline.0 - 20 * SECOND,
                    _ => began + after,
                })
            }
            Phase::Discussion {
                clock: Clock::Running { deadline },
            } => {
                if table.rng.random_bool(0.65) {
                    table.cue = Some(Cue::EndDiscussion);
                    let talk = table.rng.random_range(3 * MINUTE..6 * MINUTE);
                    Some((self.now + talk).min(deadline.0 - 30 * SECOND))
                } else {
                    Some(deadline.0 + SECOND)
                }
            }
            _ => None,
        }
    }

    /// The plenary reports: each group's reporter in turn, the facilitator keeping time.
    fn reports(&mut self, step: StepId) {
        self.facilitator(Command::StartStep { step });
        self.show(WallMode::ByGroup, true);
        self.pause(40..80);
        let turn = |action| Command::Turn {
            step,
            group: None,
            action,
        };
        self.facilitator(turn(TurnAction::Start));
        while let Some(speaker) = turns::round_of(&self.state, step, None).and_then(|r| r.speaker())
        {
            let reported = turns::round_of(&self.state, step, None).map_or(0, |r| r.turns.len());
            // The fourth reporter has a lot to say and goes over time.
            let secs = if reported == 3 { 160..175 } else { 60..125 };
            self.pause(secs);
            let next = turn(TurnAction::Next { current: speaker });
            if self.rng.random_bool(0.4) {
                self.participant(speaker, next);
            } else {
                self.facilitator(next);
            }
        }
        self.pause(40..90);
    }

    /// Themes: the facilitator locks the notes, merges duplicates, asks for suggested themes,
    /// accepts and names them, and files what is left by hand. Returns each topic's theme.
    fn clustering(&mut self, steps: &Steps) -> BTreeMap<Topic, ThemeId> {
        self.facilitator(Command::StartStep {
            step: steps.clustering,
        });
        self.show(WallMode::ByTheme, true);
        for step in [steps.first_round, steps.second_round] {
            self.facilitator(Command::LockNotes {
                step: Some(step),
                locked: true,
            });
        }
        self.merge_duplicates();
        self.pause(20..40);
        // The server clusters the notes inside `decide` (off its actor's thread); here it
        // simply runs in line.
        self.facilitator(Command::SuggestThemes { step: None });
        self.pause(30..60);
        let mut themes = self.accept_suggestion();
        if self.state.suggestion.is_some() {
            self.facilitator(Command::DismissSuggestion);
        }
        self.file_by_hand(&mut themes);
        // The room looks over the themes before voting.
        self.pause(60..120);
        themes
    }

    /// Notes saying the same as an earlier one are merged into it.
    fn merge_duplicates(&mut self) {
        for (index, line) in NOTES.iter().enumerate() {
            let Fate::SameAs(original) = line.fate else {
                continue;
            };
            let target = NOTES
                .iter()
                .position(|l| l.text.starts_with(original))
                .and_then(|i| self.posted[i]);
            if let (Some(duplicate), Some(target)) = (self.posted[index], target) {
                self.pause(10..25);
                self.facilitator(Command::PlaceNote {
                    note: duplicate.note,
                    place: Place::Merged { into: target.note },
                });
            }
        }
    }

    /// The topic most of these notes are about, if more than half are.
    fn main_topic(&self, notes: &[NoteId]) -> Option<Topic> {
        let mut counts: BTreeMap<Topic, usize> = BTreeMap::new();
        for note in notes {
            let line = self
                .posted
                .iter()
                .position(|p| p.is_some_and(|p| p.note == *note));
            if let Some(topic) = line.and_then(|i| NOTES[i].topic) {
                *counts.entry(topic).or_default() += 1;
            }
        }
        let (topic, count) = counts
            .into_iter()
            .max_by_key(|(topic, count)| (*count, std::cmp::Reverse(*topic)))?;
        (count * 2 > notes.len()).then_some(topic)
    }

    /// The suggested themes that are mostly about one topic are accepted and named; a
    /// second theme about a topic already taken is merged into the first.
    fn accept_suggestion(&mut self) -> BTreeMap<Topic, ThemeId> {
        let Some(suggestion) = self.state.suggestion.clone() else {
            return BTreeMap::new();
        };
        let mut accepted = Vec::new();
        for (index, proposed) in suggestion.themes.iter().enumerate() {
            if let Some(topic) = self.main_topic(&proposed.notes) {
                accepted.push((index as u16, ThemeId(self.new_uuid()), topic));
            }
        }
        self.facilitator(Command::AcceptSuggestion {
            accept: accepted
                .iter()
                .map(|(index, id, _)| (*index, *id))
                .collect(),
        });
        let mut themes: BTreeMap<Topic, ThemeId> = BTreeMap::new();
        for (_, theme, topic) in accepted {
            self.pause(10..30);
            match themes.get(&topic) {
                Some(into) => {
                    let into = *into;
                    self.facilitator(Command::MergeThemes { theme, into });
                }
                None => {
                    self.facilitator(Command::RenameTheme {
                        theme,
                        name: topic.theme_name().to_string(),
                    });
                    themes.insert(topic, theme);
                }
            }
        }
        themes
    }

    /// Topics the suggestion missed get a theme, and every note not yet in its topic's theme
    /// is moved there by hand.
    fn file_by_hand(&mut self, themes: &mut BTreeMap<Topic, ThemeId>) {
        for topic in Topic::ALL {
            if let Entry::Vacant(missing) = themes.entry(topic) {
                let theme = ThemeId(self.new_uuid());
                self.pause(10..20);
                self.facilitator(Command::CreateTheme {
                    theme,
                    name: topic.theme_name().to_string(),
                });
                missing.insert(theme);
            }
        }
        for (index, line) in NOTES.iter().enumerate() {
            let (Some(topic), Some(posted)) = (line.topic, self.posted[index]) else {
                continue;
            };
            let theme = themes[&topic];
            let place = self.state.notes.get(&posted.note).map(|n| n.place);
            if let Some(Place::Wall { theme: now }) = place
                && now != Some(theme)
            {
                self.pause(5..15);
                self.facilitator(Command::PlaceNote {
                    note: posted.note,
                    place: Place::Wall { theme: Some(theme) },
                });
            }
        }
    }

    /// Dot voting on the themes: most people vote, two move a dot, the facilitator closes
    /// the vote and reveals the results.
    fn voting(&mut self, step: StepId, themes: &BTreeMap<Topic, ThemeId>) {
        self.facilitator(Command::StartStep { step });
        self.show(WallMode::ByTheme, true);
        self.pause(30..60);
        self.facilitator(Command::OpenVoting {
            setup: VotingSetup {
                on: VoteOn::Themes,
                budget: BUDGET,
                per_item_max: MAX_DOTS_PER_THEME,
                hide_results: true,
            },
        });
        let voters: Vec<Person> = self
            .people
            .iter()
            .enumerate()
            .filter(|(i, _)| !ABSTAINERS.contains(i))
            .map(|(_, p)| *p)
            .collect();
        for voter in &voters {
            self.pause(3..10);
            let votes = self.ballot(voter.role, themes);
            self.participant(voter.id, Command::CastVotes { votes });
        }
        // Two people change their minds before the vote closes.
        for voter in [voters[6], voters[21]] {
            self.pause(10..30);
            let votes = self.ballot(voter.role, themes);
            self.participant(voter.id, Command::CastVotes { votes });
        }
        self.pause(30..60);
        self.facilitator(Command::CloseVoting);
        self.pause(10..20);
        self.facilitator(Command::RevealResults);
        self.show(WallMode::Results, true);
        // The facilitator goes through the results.
        self.pause(90..150);
    }

    /// A ballot of [`BUDGET`] dots drawn from the preferences of `role`.
    fn ballot(&mut self, role: BuiltinRole, themes: &BTreeMap<Topic, ThemeId>) -> Vec<Vote> {
        let mut dots: BTreeMap<Topic, u8> = BTreeMap::new();
        for _ in 0..BUDGET {
            let open: Vec<(Topic, u32)> = preferences(role)
                .iter()
                .copied()
                .filter(|(topic, _)| dots.get(topic).copied().unwrap_or(0) < MAX_DOTS_PER_THEME)
                .collect();
            let total: u32 = open.iter().map(|(_, weight)| weight).sum();
            let mut drawn = self.rng.random_range(0..total);
            for (topic, weight) in open {
                if drawn < weight {
                    *dots.entry(topic).or_default() += 1;
                    break;
                }
                drawn -= weight;
            }
        }
        dots.into_iter()
            .map(|(topic, dots)| Vote {
                item: themes[&topic].0,
                dots,
            })
            .collect()
    }

    /// The way forward, then the programme stops.
    fn way_forward(&mut self, step: StepId) {
        self.facilitator(Command::StartStep { step });
        let started = self.now;
        self.wait_until(started + self.timebox(step));
        self.facilitator(Command::StopProgramme);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use ordet_shared::voting::MIN_GROUP_FOR_BREAKDOWN;

    use super::*;

    const START: u64 = 1_790_000_000_000;

    fn demo() -> DemoMeeting {
        demo_for(ConferenceId(Uuid::from_u128(0x0dea_2027)))
    }

    fn demo_for(id: ConferenceId) -> DemoMeeting {
        open_school_meeting(id, JoinCode::parse("K7P4RX").unwrap(), START)
    }

    fn count(state: &State, role: BuiltinRole) -> usize {
        state
            .participants
            .values()
            .filter(|p| p.role == role.id())
            .count()
    }

    #[test]
    fn about_forty_people_join_in_the_planned_roles() {
        let state = demo().state;
        assert!(state.participants.len() >= 36);
        assert_eq!(count(&state, Youth), 18);
        assert_eq!(count(&state, Parent), 10);
        assert_eq!(count(&state, Teacher), 6);
        assert_eq!(
            count(&state, Politician),
            2,
            "fewer than three: no breakdown"
        );
        assert_eq!(count(&state, Staff), 3);
        assert_eq!(count(&state, Other), 1);
        let named = state
            .participants
            .values()
            .filter(|p| p.name.is_some())
            .count();
        assert!(
            (11..=16).contains(&named),
            "about a third give a name: {named}"
        );
    }

    #[test]
    fn the_notes_are_sorted_into_themes_on_both_questions_with_moderation() {
        let state = demo().state;
        let notes: Vec<_> = state.notes.values().collect();
        let visible: Vec<_> = notes.iter().filter(|n| n.place.is_visible()).collect();
        let in_themes: Vec<_> = visible
            .iter()
            .filter(|n| n.place.theme().is_some())
            .collect();
        assert!(in_themes.len() >= 90, "{} notes in themes", in_themes.len());
        assert_eq!(
            in_themes.len(),
            visible.len(),
            "every visible note has a theme"
        );
        let questions: BTreeSet<_> = in_themes.iter().map(|n| (n.step, n.question)).collect();
        assert!(questions.len() >= 2, "{questions:?}");
        assert!(
            questions
                .iter()
                .all(|(step, q)| step.is_some() && q.is_some())
        );
        let placed = |wanted: fn(&Place) -> bool| notes.iter().filter(|n| wanted(&n.place)).count();
        assert!(placed(|p| *p == Place::Hidden) >= 1);
        assert!(placed(|p| matches!(p, Place::Merged { .. })) >= 1);
        assert_eq!(placed(|p| *p == Place::Withdrawn), 1);
        assert!(notes.iter().any(|n| n.edited));
        assert!(notes.iter().filter(|n| n.for_group).count() >= 3);
        assert!(state.themes.len() >= 5);
        assert!(
            state.suggestion.is_none(),
            "the suggestion was used up or dismissed"
        );
        assert_eq!(state.notes.len(), NOTES.len());
    }

    #[test]
    fn the_vote_is_closed_and_revealed_and_favours_a_few_themes() {
        let state = demo().state;
        let voting = state.voting.as_ref().expect("a vote was held");
        assert!(!voting.open && voting.revealed);
        assert!(voting.voters >= 30, "{} voters", voting.voters);
        let results = voting.results.as_ref().expect("results are shown");
        let total: u32 = results.iter().map(|r| r.dots).sum();
        assert_eq!(total, voting.voters * u32::from(BUDGET));
        let top_four: u32 = results.iter().take(4).map(|r| r.dots).sum();
        assert!(
            top_four * 2 > total,
            "four themes take most dots: {results:?}"
        );
        let voters_in = |role: BuiltinRole| {
            let ballots = &state.private.ballots;
            ballots
                .keys()
                .filter(|v| state.participants[v].role == role.id())
                .count() as u32
        };
        assert!(voters_in(Politician) < MIN_GROUP_FOR_BREAKDOWN);
        assert!(voters_in(Youth) >= MIN_GROUP_FOR_BREAKDOWN);
        for result in results {
            let roles: Vec<RoleId> = result.by_role.iter().map(|(role, _)| *role).collect();
            assert!(
                !roles.contains(&Politician.id()),
                "two politicians stay anonymous"
            );
            assert!(roles.contains(&Youth.id()));
        }
    }

    #[test]
    fn every_group_round_is_played_through_with_turns_by_several_roles() {
        let state = demo().state;
        let group_rounds: Vec<&Step> = state
            .programme
            .steps
            .iter()
            .filter(|s| s.kind == StepKind::GroupRound)
            .collect();
        assert_eq!(group_rounds.len(), 2);
        let mut ran_over = 0;
        let mut passes = 0;
        for step in group_rounds {
            let rounds = &state.programme.rounds[&step.id];
            assert_eq!(rounds.len(), state.programme.groups[&step.id].len());
            assert!(rounds.iter().all(|r| r.phase == Phase::Done));
            let turns: Vec<_> = rounds.iter().flat_map(|r| &r.turns).collect();
            let roles: BTreeSet<_> = turns.iter().map(|t| t.role).collect();
            assert!(roles.len() >= 4, "{roles:?}");
            let members: usize = state.programme.groups[&step.id]
                .iter()
                .map(|g| g.members.len())
                .sum();
            assert_eq!(turns.len(), members, "everyone had the floor once");
            ran_over += turns
                .iter()
                .filter(|t| t.spoke_ms == u64::from(SPEAKER_SECS) * 1000)
                .count();
            passes += turns.iter().filter(|t| t.passed).count();
        }
        assert!(
            ran_over >= 2,
            "turns that moved on by themselves: {ran_over}"
        );
        assert!(passes >= 2, "passes: {passes}");
        let reports: Vec<_> = state
            .programme
            .steps
            .iter()
            .filter(|s| s.kind == StepKind::Reports)
            .collect();
        for step in reports {
            let round = &state.programme.rounds[&step.id][0];
            assert_eq!(round.phase, Phase::Done);
            assert!(round.turns.len() >= 8);
        }
    }

    #[test]
    fn turns_end_in_every_way_a_round_allows() {
        let demo = demo();
        let state = &demo.state;
        let turns: Vec<_> = state
            .programme
            .rounds
            .values()
            .flatten()
            .filter(|r| r.group.is_some())
            .flat_map(|r| &r.turns)
            .collect();
        let allotted = u64::from(SPEAKER_SECS) * 1000;
        assert!(turns.iter().any(|t| t.passed), "a pass");
        assert!(turns.iter().any(|t| t.spoke_ms == allotted), "time ran out");
        assert!(
            turns.iter().any(|t| t.spoke_ms > allotted),
            "more time was given"
        );
        // A speaker who was not ready went to the back of the queue: the first to get the
        // floor at some table is not the first recorded there.
        let skipped = demo.entries.iter().any(|entry| match &entry.event.event {
            Event::RoundChanged { step, round } if round.turns.is_empty() => {
                let speaker = round.speaker();
                let last = turns::round_of(state, *step, round.group).expect("the round");
                speaker.is_some() && last.turns.first().map(|t| t.speaker) != speaker
            }
            _ => false,
        });
        assert!(skipped, "a skip");
    }

    #[test]
    fn the_log_replays_to_the_same_state_without_gaps() {
        let demo = demo();
        assert!(matches!(
            demo.entries[0].event.event,
            Event::ConferenceCreated { .. }
        ));
        let mut replayed = State::default();
        for (i, entry) in demo.entries.iter().enumerate() {
            assert_eq!(entry.event.seq, i as u64 + 1);
            assert!(replayed.apply(&entry.event));
        }
        assert_eq!(replayed, demo.state);
        assert!(demo.entries.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
        let last = demo.entries.last().unwrap().at_ms;
        let minutes = (last - START) / MINUTE;
        assert!(
            (110..=150).contains(&minutes),
            "the meeting lasts {minutes} minutes"
        );
        assert_eq!(demo.state.programme.current, None, "the programme ended");
        assert!(
            demo.entries.iter().any(|e| e.actor.is_none()),
            "time moved a round on"
        );
    }

    #[test]
    fn the_same_inputs_give_the_same_meeting_and_any_conference_the_same_notes() {
        let texts = |demo: &DemoMeeting| -> Vec<String> {
            demo.state
                .notes_in_order()
                .iter()
                .map(|n| n.text.clone())
                .collect()
        };
        let first = demo();
        let again = demo();
        assert_eq!(texts(&first), texts(&again));
        assert_eq!(first, again);
        let other = demo_for(ConferenceId::random());
        assert_eq!(texts(&first), texts(&other));
    }

    #[test]
    fn the_note_table_is_consistent() {
        for line in NOTES {
            assert!(line.text.chars().count() <= ordet_shared::limits::NOTE_MAX_CHARS);
            if let Fate::SameAs(original) = line.fate {
                let matches = NOTES
                    .iter()
                    .filter(|l| l.text.starts_with(original))
                    .count();
                assert_eq!(matches, 1, "{original:?} names one note");
            }
            assert_eq!(
                line.topic.is_none(),
                matches!(line.fate, Fate::Hidden | Fate::Withdrawn),
                "{:?}",
                line.text
            );
        }
        let posted = ARRIVALS.len() + LATE_ARRIVALS.len();
        assert!(ABSTAINERS.iter().all(|i| *i < posted));
    }
}
