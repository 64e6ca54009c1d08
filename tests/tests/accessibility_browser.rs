//! Universal design, checked on every screen in every step: the start page, joining, the phone
//! (waiting, in a talking round as leader, writing notes, voting, seeing results), the
//! facilitator console (with its input document section), the projector in every wall mode,
//! and the plan page. Each screen is checked at the sizes people use — a 320 px wide phone,
//! and the console, projector and plan page at 200 % zoom (a 1280×720 screen showing 640×360
//! CSS pixels) — for:
//!
//! - axe-core's WCAG 2.0/2.1 A and AA rules: no serious or critical violation;
//! - reflow: no horizontal scrolling of the page (content may scroll inside a board);
//! - on phones, touch targets of at least 44×44 CSS pixels (a checkbox or radio button
//!   counts with its label, which is part of its target).
//!
//! A second test runs the facilitator's core flow with the keyboard alone.

use fantoccini::Client as Browser;
use fantoccini::key::Key;
use ordet_shared::Lang;
use ordet_shared::command::Command;
use ordet_shared::notes::{Wall, WallMode};
use ordet_shared::programme::GroupingMode;
use ordet_shared::templates::TEMPLATES;
use ordet_shared::turns::TurnAction;
use ordet_shared::voting::{VoteOn, VotingSetup};
use ordet_shared::{NoteId, StepId, ThemeId};
use ordet_tests::chromium::{
    Driver, PROJECTOR, axe_violations, browser, chromedriver, click, screenshot, wait_count,
    wait_text,
};
use ordet_tests::{Client, TestServer};

/// A phone at the narrowest width WCAG asks content to reflow to.
const NARROW_PHONE: (u32, u32) = (320, 640);
/// A 1280×720 screen at 200 % zoom.
const ZOOMED: (u32, u32) = (640, 360);

/// Whether the page scrolls sideways.
const OVERFLOW: &str = "return document.documentElement.scrollWidth > window.innerWidth + 1 \
    ? document.documentElement.scrollWidth : 0;";

/// Visible controls smaller than 44×44 CSS pixels; a checkbox or radio button is measured with
/// its label.
const SMALL_TARGETS: &str = r#"
    const small = [];
    for (const el of document.querySelectorAll('button, a[href], input, select, textarea')) {
        // The skip link is measured as it appears: when focused.
        if (el.classList.contains('skip-link')) el.focus();
        let r = el.getBoundingClientRect();
        if (el.classList.contains('skip-link')) el.blur();
        if (r.width === 0 && r.height === 0) continue;
        if ((el.type === 'checkbox' || el.type === 'radio') && el.id) {
            const label = document.querySelector(`label[for="${el.id}"]`);
            if (label) {
                const l = label.getBoundingClientRect();
                r = { width: r.width + l.width, height: Math.max(r.height, l.height) };
            }
        }
        if (r.width < 44 || r.height < 44) {
            small.push(`${el.tagName.toLowerCase()}.${el.className || el.id} ${Math.round(r.width)}×${Math.round(r.height)} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"`);
        }
    }
    return small;
"#;

/// What was found wrong, screen by screen.
#[derive(Default)]
struct Findings {
    problems: Vec<String>,
    checked: usize,
}

impl Findings {
    async fn check(&mut self, browser: &Browser, screen: &str, phone: bool) {
        self.checked += 1;
        screenshot(browser, &format!("a11y-{screen}")).await;
        for v in axe_violations(browser).await {
            let impact = v["impact"].as_str().unwrap_or("");
            let line = format!("{screen}: axe {} ({impact}) at {}", v["id"], v["nodes"]);
            println!("{line}");
            if matches!(impact, "serious" | "critical") {
                self.problems.push(line);
            }
        }
        let overflow = browser.execute(OVERFLOW, vec![]).await.unwrap();
        if overflow.as_u64().unwrap_or(0) > 0 {
            self.problems
                .push(format!("{screen}: scrolls sideways ({overflow} px wide)"));
        }
        if phone {
            let small = browser.execute(SMALL_TARGETS, vec![]).await.unwrap();
            for target in small.as_array().cloned().unwrap_or_default() {
                self.problems
                    .push(format!("{screen}: touch target too small: {target}"));
            }
        }
    }
}

async fn open(
    driver: &Driver,
    size: (u32, u32),
    profile: &tempfile::TempDir,
    url: &str,
) -> Browser {
    let b = browser(driver, size, profile).await;
    b.goto(url).await.unwrap();
    b
}

#[tokio::test]
async fn every_screen_in_every_step_is_accessible_at_320_px_and_200_percent() {
    let driver = chromedriver().await;
    let server = TestServer::start().await;
    let base = server.base.clone();
    let profiles: Vec<tempfile::TempDir> = (0..7).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut findings = Findings::default();

    // The start page and joining, before any conference.
    let start = open(&driver, NARROW_PHONE, &profiles[0], &base).await;
    wait_text(&start, "h1", |t| !t.is_empty()).await;
    findings.check(&start, "start-320", true).await;
    start.goto(&format!("{base}/j")).await.unwrap();
    wait_text(&start, "h1", |t| !t.is_empty()).await;
    findings.check(&start, "join-320", true).await;
    start.close().await.unwrap();

    // A conference run from a websocket console, seen by real screens.
    let created = server.create("Ope møte", Lang::En).await;
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    let template = TEMPLATES
        .iter()
        .find(|t| t.slug == "short-meeting")
        .unwrap();
    let steps = template.steps_in(Lang::En, StepId::random);
    for step in &steps {
        console
            .run(Command::AddStep {
                step: step.clone(),
                index: None,
            })
            .await
            .unwrap();
    }
    let console_page = open(
        &driver,
        ZOOMED,
        &profiles[1],
        &format!("{base}{}", created.console_path),
    )
    .await;
    let projector = open(
        &driver,
        ZOOMED,
        &profiles[2],
        &format!("{base}/s/{}#{}", created.id, created.screen_key),
    )
    .await;
    let full_projector = open(
        &driver,
        PROJECTOR,
        &profiles[3],
        &format!("{base}/s/{}#{}", created.id, created.screen_key),
    )
    .await;
    let phone = open(
        &driver,
        NARROW_PHONE,
        &profiles[4],
        &format!("{base}/j/{}", created.join_code),
    )
    .await;
    wait_count(&phone, ".choice label", 6).await;
    findings.check(&phone, "phone-profile-320", true).await;
    phone
        .find(fantoccini::Locator::Css(".choice label"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(&phone, "form.card button[type=submit]").await;
    wait_text(&phone, ".step-waiting", |t| !t.is_empty()).await;
    // A second participant, so groups and votes have company.
    let (_other, _) = ordet_tests::join(
        &server,
        created.id,
        ordet_shared::state::BuiltinRole::Parent,
    )
    .await;
    findings.check(&phone, "phone-waiting-320", true).await;
    for b in [&console_page, &projector, &full_projector] {
        wait_text(b, ".conn", |t| t.contains("Connected")).await;
    }
    findings.check(&console_page, "console-200pct", false).await;
    findings
        .check(&projector, "projector-waiting-200pct", false)
        .await;

    // The welcome, then the first group round with a talking round (the pupil leads).
    console
        .run(Command::StartStep { step: steps[0].id })
        .await
        .unwrap();
    wait_text(&phone, ".step-title", |t| !t.is_empty()).await;
    findings.check(&phone, "phone-plenary-320", true).await;
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
    wait_text(&phone, ".phone-round .floor", |t| !t.is_empty()).await;
    findings.check(&phone, "phone-round-ready-320", true).await;
    let group = console.state.as_ref().unwrap().programme.groups[&round][0].id;
    console
        .run(Command::Turn {
            step: round,
            group: Some(group),
            action: TurnAction::Start,
        })
        .await
        .unwrap();
    wait_text(&phone, ".phone-round .floor", |t| t.contains("floor")).await;
    findings
        .check(&phone, "phone-round-speaking-320", true)
        .await;
    findings
        .check(&console_page, "console-round-200pct", false)
        .await;
    findings
        .check(&projector, "projector-round-200pct", false)
        .await;

    // Notes, themes and the wall in every mode.
    for text in [
        "More buses in the evening",
        "Free school lunch",
        "Lights on the way to school",
    ] {
        console
            .run(Command::PostNote {
                note: NoteId::random(),
                text: text.into(),
                question: None,
                for_group: false,
            })
            .await
            .unwrap();
    }
    let theme = ThemeId::random();
    console
        .run(Command::CreateTheme {
            theme,
            name: "Transport".into(),
        })
        .await
        .unwrap();
    console
        .run(Command::SuggestThemes { step: None })
        .await
        .ok();
    wait_count(&console_page, ".board-note", 3).await;
    findings
        .check(&console_page, "console-notes-200pct", false)
        .await;
    for mode in WallMode::ALL {
        console
            .run(Command::SetWall {
                wall: Wall {
                    mode,
                    focus: None,
                    whole_conference: false,
                },
            })
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let name = format!("{mode:?}").to_lowercase();
        findings
            .check(&projector, &format!("projector-{name}-200pct"), false)
            .await;
        findings
            .check(&full_projector, &format!("projector-{name}-1280"), false)
            .await;
    }
    wait_text(&phone, ".my-notes", |_| true).await;
    findings.check(&phone, "phone-notes-320", true).await;

    // A vote, then its results.
    console
        .run(Command::OpenVoting {
            setup: VotingSetup {
                on: VoteOn::Notes,
                budget: 0,
                per_item_max: 1,
                hide_results: false,
            },
        })
        .await
        .unwrap();
    wait_text(&phone, ".dots-left", |t| !t.is_empty()).await;
    findings.check(&phone, "phone-ballot-320", true).await;
    findings
        .check(&console_page, "console-voting-200pct", false)
        .await;
    console.run(Command::CloseVoting).await.unwrap();
    wait_text(&phone, ".ballot", |t| t.contains("closed")).await;
    findings.check(&phone, "phone-results-320", true).await;

    // The plan page with this meeting in it, and the console's input document section
    // with its forms unfolded.
    let plan = ordet_tests::create_plan(&base, "Oppvekstplan 2027–2030", Lang::En).await;
    ordet_tests::attach_meeting(&base, &plan, &created).await;
    let plan_url = format!("{base}{}", plan.plan_path);
    let plan_phone = open(&driver, NARROW_PHONE, &profiles[5], &plan_url).await;
    wait_count(&plan_phone, ".meeting", 1).await;
    findings.check(&plan_phone, "plan-320", true).await;
    click(&plan_phone, ".danger-card button.danger").await;
    wait_text(&plan_phone, ".confirm-question", |t| !t.is_empty()).await;
    findings.check(&plan_phone, "plan-confirm-320", true).await;
    let plan_zoomed = open(&driver, ZOOMED, &profiles[6], &plan_url).await;
    wait_count(&plan_zoomed, ".meeting", 1).await;
    findings.check(&plan_zoomed, "plan-200pct", false).await;
    console_page
        .execute(
            "document.querySelectorAll('.document-panel details').forEach(d => d.open = true); \
             document.querySelector('.document-panel').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    findings
        .check(&console_page, "console-document-200pct", false)
        .await;

    println!(
        "{} screens checked; {} problems",
        findings.checked,
        findings.problems.len()
    );
    assert!(
        findings.problems.is_empty(),
        "accessibility problems:\n{}",
        findings.problems.join("\n")
    );
    for b in [
        phone,
        console_page,
        projector,
        full_projector,
        plan_phone,
        plan_zoomed,
    ] {
        b.close().await.unwrap();
    }
}

/// Presses `key` on the focused element. If the page redrew the element meanwhile (its
/// reference went stale), the key goes to whatever has the focus now.
async fn press(browser: &Browser, key: Key) {
    for _ in 0..5 {
        let focused = browser.active_element().await.unwrap();
        if focused
            .send_keys(&char::from(key).to_string())
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("could not press {key:?}");
}

/// Presses Tab until the focused element matches `css`, then `key`.
async fn tab_to(browser: &Browser, css: &str, key: Key) {
    for _ in 0..400 {
        let focused = browser
            .execute(
                "return document.activeElement && document.activeElement.matches(arguments[0]);",
                vec![serde_json::json!(css)],
            )
            .await
            .unwrap();
        if focused.as_bool() == Some(true) {
            press(browser, key).await;
            return;
        }
        press(browser, Key::Tab).await;
    }
    panic!("Tab never reached {css:?}");
}

/// Types `text` into the focused element.
async fn type_here(browser: &Browser, text: &str) {
    browser
        .active_element()
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_facilitator_runs_the_core_flow_with_the_keyboard_alone() {
    let driver = chromedriver().await;
    let server = TestServer::start().await;
    let profile = tempfile::tempdir().unwrap();
    let console = browser(&driver, PROJECTOR, &profile).await;
    console.goto(&server.base).await.unwrap();
    wait_text(&console, "h1", |t| !t.is_empty()).await;

    // Create a conference: Tab to the title, type, Tab to the button, Enter.
    tab_to(&console, "#conference-title", Key::Home).await;
    type_here(&console, "Tastatur").await;
    tab_to(
        &console,
        "section[aria-labelledby=create-heading] button[type=submit]",
        Key::Enter,
    )
    .await;
    wait_text(&console, ".conn", |t| !t.is_empty()).await;
    wait_count(&console, ".template button", 4).await;

    // A template, then start the first step and move to the group round.
    tab_to(&console, ".template button", Key::Enter).await;
    wait_count(&console, ".step-item", 4).await;
    tab_to(&console, ".run-panel .primary-inline", Key::Enter).await;
    wait_text(&console, ".run-panel .step-title", |t| !t.is_empty()).await;

    // A note from the console, and a theme, with the keyboard.
    tab_to(&console, "#console-note", Key::Home).await;
    type_here(&console, "Fleire bussar").await;
    tab_to(
        &console,
        ".notes-panel form button[type=submit]",
        Key::Enter,
    )
    .await;
    wait_count(&console, ".board-note", 1).await;
    tab_to(&console, "#new-theme", Key::Home).await;
    type_here(&console, "Buss").await;
    tab_to(
        &console,
        ".themes-panel form button[type=submit]",
        Key::Enter,
    )
    .await;
    wait_count(&console, ".theme-column", 2).await;

    // Move the note into the theme with its menu: the note's one button opens it, arrows
    // only move the highlight, Enter acts.
    tab_to(&console, ".note-actions", Key::Enter).await;
    wait_count(&console, "#board-menu [role=menuitem]", 5).await;
    tab_to(&console, "#board-menu [role=menuitem]", Key::Enter).await;
    wait_text(&console, "#board-menu", |t| t.contains("Buss")).await;
    press(&console, Key::Down).await;
    press(&console, Key::Enter).await;
    wait_text(&console, ".theme-column[aria-label=Buss]", |t| {
        t.contains("Fleire bussar")
    })
    .await;
    // Undo with the keyboard, too.
    tab_to(&console, ".themes-panel .button-row button", Key::Enter).await;
    wait_text(&console, ".theme-column:first-child", |t| {
        t.contains("Fleire bussar")
    })
    .await;
    screenshot(&console, "a11y-keyboard-console").await;
    console.close().await.unwrap();
}
