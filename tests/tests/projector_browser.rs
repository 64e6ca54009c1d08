//! The projector always fits its screen: one meeting (the dialogue conference's programme and
//! the child-rights step with its seven questions) is run from a websocket console while two
//! real projectors watch, one at 1280×720 and one at 1920×1080. In every step kind, and in
//! every wall mode in the themes step (forty notes in six themes, a seventh for the vote), each projector is
//! checked for:
//!
//! - no scrolling: the document is no taller and no wider than the window;
//! - the step's title, questions and clock inside the window;
//! - every visible element inside the window, and every visible note, result or word inside
//!   the wall (none cut off by its edge: what does not fit is on another page, and then the
//!   page indicator shows);
//! - no text read from the hall below 24 CSS px (docs/accessibility.md); the connection badge
//!   and the sound button, for the facilitator up close, are exempt;
//! - the sound button on one line.
//!
//! Screenshots go to `target/tmp/screenshots/projector-{720,1080}-{step}.png` for people to
//! look at.

use std::time::Duration;

use fantoccini::Client as Browser;
use ordet_shared::command::Command;
use ordet_shared::notes::{Focus, Place, Wall, WallMode};
use ordet_shared::programme::GroupingMode;
use ordet_shared::state::BuiltinRole;
use ordet_shared::templates::TEMPLATES;
use ordet_shared::turns::TurnAction;
use ordet_shared::voting::{Vote, VoteOn, VotingSetup};
use ordet_shared::{Lang, NoteId, StepId, ThemeId};
use ordet_tests::chromium::{Driver, PROJECTOR, browser, chromedriver, screenshot, wait_text};
use ordet_tests::{Client, TestServer};

/// A 1080p projector.
const FULL_HD: (u32, u32) = (1920, 1080);

/// What does not fit, as a list of problems (empty: all is well), and how many wall units
/// there are and how many are shown.
const FITS: &str = r#"
    const w = window.innerWidth, h = window.innerHeight, d = document.documentElement;
    const problems = [];
    if (d.scrollHeight > h + 1) problems.push(`the page is ${d.scrollHeight} px tall`);
    if (d.scrollWidth > w + 1) problems.push(`the page is ${d.scrollWidth} px wide`);
    const rect = el => el.getBoundingClientRect();
    const within = (r, b) => r.left >= b.left - 1 && r.top >= b.top - 1
        && r.right <= b.right + 1 && r.bottom <= b.bottom + 1;
    const name = el => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || '').trim().slice(0, 40)}"`;
    const view = { left: 0, top: 0, right: w, bottom: h };
    const shown = el => el.getClientRects().length > 0 && !el.closest('.visually-hidden');
    const step = document.querySelector('.screen-step');
    if (step) {
        for (const css of ['.step-title', '.questions', '.countdown']) {
            const el = step.querySelector(css);
            if (el && !within(rect(el), view)) problems.push(`${css} is off the screen`);
        }
    }
    // Nothing cut off by the frame it sits in (the step by the main column, the joining
    // details by their column).
    for (const [frame, css] of [['.screen-main', '.screen-step *'], ['.screen-join', '.screen-join *']]) {
        const box = document.querySelector(frame);
        if (!box) continue;
        for (const el of document.querySelectorAll(css)) {
            if (!shown(el) || rect(el).height === 0) continue;
            if (!within(rect(el), rect(box))) problems.push(`cut off by ${frame}: ${name(el)}`);
        }
    }
    let smallest = 1000;
    for (const el of document.querySelectorAll('main *')) {
        if (!shown(el)) continue;
        const r = rect(el);
        if (r.width === 0 || r.height === 0) continue;
        if (!within(r, view)) problems.push(`off the screen: ${name(el)} at ${Math.round(r.top)}..${Math.round(r.bottom)}`);
        const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() !== '');
        if (text && !el.closest('.screen-tools')) {
            const size = parseFloat(getComputedStyle(el).fontSize);
            smallest = Math.min(smallest, size);
            if (size < 23.5) problems.push(`${size} px text: ${name(el)}`);
        }
    }
    const sound = document.querySelector('.sound-toggle');
    if (sound && rect(sound).height > 2.2 * parseFloat(getComputedStyle(sound).fontSize) + 20)
        problems.push(`the sound button wraps (${Math.round(rect(sound).height)} px tall)`);
    const area = document.querySelector('.wall-area');
    let units = 0, visible = 0;
    if (area) {
        const all = [...area.querySelectorAll('.sticky, .result, .cloud-word, .focus-note, .focus-merged')];
        const on = all.filter(shown);
        units = all.length; visible = on.length;
        if (on.length > 1) for (const u of on)
            if (!within(rect(u), rect(area))) problems.push(`cut off by the wall: ${name(u)}`);
    }
    const page = (document.querySelector('.wall-page') || {}).textContent || '';
    if (visible < units && !/\d+\/\d+/.test(page)) problems.push(`${units - visible} units hidden without a page indicator`);
    return { problems, units, visible, page, smallest };
"#;

/// The two projectors and what was found wrong on them.
struct Projectors {
    screens: Vec<(&'static str, Browser)>,
    problems: Vec<String>,
}

impl Projectors {
    /// Checks both projectors (after the change has reached them) and saves screenshots
    /// `projector-720-{name}` and `projector-1080-{name}`. Returns the wall's unit count and
    /// page text at 720p.
    async fn check(&mut self, name: &str) -> (u64, String) {
        // A change reaches the screens, is drawn, and is paged on the next frame.
        tokio::time::sleep(Duration::from_millis(700)).await;
        let mut at_720 = (0, String::new());
        for (size, screen) in &self.screens {
            let found = screen.execute(FITS, vec![]).await.unwrap();
            screenshot(screen, &format!("projector-{size}-{name}")).await;
            let page = found["page"].as_str().unwrap_or("").to_string();
            println!(
                "{size} {name}: {} of {} wall units shown, page {page:?}, smallest text {} px",
                found["visible"], found["units"], found["smallest"]
            );
            for problem in found["problems"].as_array().cloned().unwrap_or_default() {
                self.problems
                    .push(format!("{size} {name}: {}", problem.as_str().unwrap_or("")));
            }
            if *size == "720" {
                at_720 = (found["units"].as_u64().unwrap_or(0), page);
            }
        }
        at_720
    }
}

/// A 720p projector whose viewer asked for reduced motion: its wall must not turn pages.
async fn still_projector(driver: &Driver, profile: &tempfile::TempDir, url: &str) -> Browser {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": std::env::var("ORDET_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--hide-scrollbars", "--force-prefers-reduced-motion",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "mobileEmulation": {
                "deviceMetrics": { "width": PROJECTOR.0, "height": PROJECTOR.1, "pixelRatio": 1.0 }
            }
        }),
    );
    let b =
        fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(driver.url())
            .await
            .expect("a Chromium session");
    b.goto(url).await.unwrap();
    wait_text(&b, ".conn", |t| t.contains("Connected")).await;
    b
}

/// The wall's page indicator as shown (not the words for screen readers).
async fn page_shown(screen: &Browser) -> String {
    screen
        .execute(
            "const p = document.querySelector('.wall-page [aria-hidden]'); return p ? p.textContent : '';",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap_or("")
        .to_string()
}

async fn open(
    driver: &Driver,
    size: (u32, u32),
    profile: &tempfile::TempDir,
    url: &str,
) -> Browser {
    let b = browser(driver, size, profile).await;
    b.goto(url).await.unwrap();
    wait_text(&b, ".conn", |t| t.contains("Connected")).await;
    b
}

/// Forty short and long notes over six topics, as a room writes them.
const NOTES: [&str; 8] = [
    "More buses in the evening, also at weekends, so we can get home from the club",
    "Free school lunch",
    "Lights on the path through the woods",
    "A youth club that is open on Fridays",
    "Someone to talk to at school when things are hard at home",
    "Safer crossing by the shop",
    "Less homework on the days we have training",
    "Ask us before you decide",
];

#[tokio::test]
async fn the_projector_fits_720p_and_1080p_in_every_step_and_wall_mode() {
    let driver = chromedriver().await;
    let server = TestServer::start().await;
    let ws = server.ws_url();
    let created = server
        .create(
            "Open meeting about the municipal plan for children and young people 2027–2030",
            Lang::En,
        )
        .await;
    let mut console = Client::facilitator(&ws, &created).await;
    let template = |slug: &str| {
        TEMPLATES
            .iter()
            .find(|t| t.slug == slug)
            .unwrap()
            .steps_in(Lang::En, StepId::random)
    };
    // Welcome, group round, reports, group round, reports, themes, voting, way forward; then
    // the child-rights step with a question for each of seven groups.
    let mut steps = template("dialogue-conference");
    steps.push(template("child-rights")[1].clone());
    for step in &steps {
        console
            .run(Command::AddStep {
                step: step.clone(),
                index: None,
            })
            .await
            .unwrap();
    }
    let roles = [
        BuiltinRole::Youth,
        BuiltinRole::Youth,
        BuiltinRole::Parent,
        BuiltinRole::Teacher,
        BuiltinRole::Politician,
        BuiltinRole::Staff,
    ];
    let mut phones = Vec::new();
    for i in 0..14 {
        phones.push(
            ordet_tests::join(&server, created.id, roles[i % roles.len()])
                .await
                .0,
        );
    }
    let screen_url = format!("{}/s/{}#{}", server.base, created.id, created.screen_key);
    let profiles: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut projectors = Projectors {
        screens: vec![
            (
                "720",
                open(&driver, PROJECTOR, &profiles[0], &screen_url).await,
            ),
            (
                "1080",
                open(&driver, FULL_HD, &profiles[1], &screen_url).await,
            ),
        ],
        problems: Vec::new(),
    };
    let wall = |mode, focus| Command::SetWall {
        wall: Wall {
            mode,
            focus,
            whole_conference: false,
        },
    };
    projectors.check("waiting").await;

    // The welcome (plenary).
    console
        .run(Command::StartStep { step: steps[0].id })
        .await
        .unwrap();
    projectors.check("welcome").await;

    // A group round: mixed groups, a talking round under way, notes coming in.
    let round = steps[1].id;
    console
        .run(Command::StartStep { step: round })
        .await
        .unwrap();
    console
        .run(Command::FormGroups {
            step: round,
            mode: GroupingMode::Mixed,
        })
        .await
        .unwrap();
    let groups = console.state.as_ref().unwrap().programme.groups[&round].clone();
    for group in groups.iter().take(2) {
        console
            .run(Command::Turn {
                step: round,
                group: Some(group.id),
                action: TurnAction::Start,
            })
            .await
            .unwrap();
    }
    let mut notes = Vec::new();
    for i in 0..40 {
        let note = NoteId::random();
        console
            .run(Command::PostNote {
                note,
                text: NOTES[i % NOTES.len()].into(),
                question: None,
                for_group: false,
            })
            .await
            .unwrap();
        notes.push(note);
    }
    projectors.check("group-round").await;
    console.run(wall(WallMode::ByGroup, None)).await.unwrap();
    projectors.check("group-round-by-group").await;

    // Reports in plenary.
    console
        .run(Command::StartStep { step: steps[2].id })
        .await
        .unwrap();
    projectors.check("reports").await;

    // The themes step: seven themes, every note in one, the wall left on "this step".
    console
        .run(Command::StartStep { step: steps[5].id })
        .await
        .unwrap();
    let names = [
        "Transport",
        "Food",
        "Safety",
        "Leisure",
        "Being heard",
        "School",
        "Someone to talk to",
    ];
    let mut themes = Vec::new();
    for name in names {
        let theme = ThemeId::random();
        console
            .run(Command::CreateTheme {
                theme,
                name: name.into(),
            })
            .await
            .unwrap();
        themes.push(theme);
    }
    for (i, note) in notes.iter().enumerate() {
        console
            .run(Command::PlaceNote {
                note: *note,
                place: Place::Wall {
                    theme: Some(themes[i % 6]),
                },
            })
            .await
            .unwrap();
    }
    for mode in WallMode::ALL {
        console.run(wall(mode, None)).await.unwrap();
        let name = format!("themes-{}", format!("{mode:?}").to_lowercase());
        let (units, _) = projectors.check(&name).await;
        if mode != WallMode::Results {
            assert!(
                units > 0,
                "{name}: the themes step shows the conference's notes"
            );
        }
    }
    // Pages turn by themselves, about every ten seconds, except for reduced motion. The
    // reduced-motion projector opens first, so that starting a browser (seconds on a busy
    // machine) does not eat into the ten seconds of page 1.
    let still = still_projector(&driver, &profiles[2], &screen_url).await;
    console.run(wall(WallMode::Newest, None)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let moving = &projectors.screens[0].1;
    let first = page_shown(moving).await;
    assert!(
        first.starts_with("1/"),
        "a new arrangement starts at page 1: {first:?}"
    );
    let still_first = page_shown(&still).await;
    assert!(
        still_first.starts_with("1/") && still_first.contains("more on the console"),
        "reduced motion: {still_first:?}"
    );
    // The next page comes within about ten seconds, and it is page 2 (watched, rather than
    // read once after a sleep: on a busy machine the reads above can take seconds).
    let turning = std::time::Instant::now();
    let later = loop {
        let shown = page_shown(moving).await;
        if shown != first {
            break shown;
        }
        assert!(
            turning.elapsed() < Duration::from_secs(15),
            "the page never turned from {first:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        later.starts_with("2/"),
        "the page turned: {first:?} then {later:?}"
    );
    assert_eq!(
        page_shown(&still).await,
        still_first,
        "reduced motion: no turning"
    );
    screenshot(&still, "projector-720-reduced-motion").await;
    still.close().await.unwrap();
    console
        .run(wall(
            WallMode::ByTheme,
            Some(Focus::Theme { theme: themes[0] }),
        ))
        .await
        .unwrap();
    projectors.check("themes-focus-theme").await;
    console
        .run(wall(
            WallMode::ByTheme,
            Some(Focus::Note { note: notes[0] }),
        ))
        .await
        .unwrap();
    projectors.check("themes-focus-note").await;

    // Voting on the seven themes: the ballot state, then the results.
    console
        .run(Command::StartStep { step: steps[6].id })
        .await
        .unwrap();
    console
        .run(Command::OpenVoting {
            setup: VotingSetup {
                on: VoteOn::Themes,
                budget: 3,
                per_item_max: 3,
                hide_results: false,
            },
        })
        .await
        .unwrap();
    for (i, phone) in phones.iter_mut().enumerate() {
        let votes = (0..3)
            .map(|k| Vote {
                item: themes[(i + k * k) % themes.len()].0,
                dots: 1,
            })
            .collect();
        phone.run(Command::CastVotes { votes }).await.unwrap();
    }
    console.run(wall(WallMode::Results, None)).await.unwrap();
    projectors.check("voting").await;
    console.run(wall(WallMode::ByTheme, None)).await.unwrap();
    projectors.check("voting-by-theme").await;
    console.run(Command::CloseVoting).await.unwrap();
    console.run(wall(WallMode::Results, None)).await.unwrap();
    let (results, page) = projectors.check("results").await;
    assert_eq!(results, 7, "every option is in the results");
    println!("results at 720p: page indicator {page:?}");

    // The child-rights step: seven questions, then seven groups of two with their rounds.
    let rights = steps[8].id;
    console
        .run(Command::StartStep { step: rights })
        .await
        .unwrap();
    console.run(wall(WallMode::Newest, None)).await.unwrap();
    projectors.check("rights").await;
    console
        .run(Command::SetGroupSettings {
            size: 2,
            prefer_youth_leader: true,
        })
        .await
        .unwrap();
    console
        .run(Command::FormGroups {
            step: rights,
            mode: GroupingMode::Mixed,
        })
        .await
        .unwrap();
    projectors.check("rights-groups").await;

    assert!(
        projectors.problems.is_empty(),
        "the projector does not fit:\n{}",
        projectors.problems.join("\n")
    );
}
