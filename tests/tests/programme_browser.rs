//! Running a programme in real Chromium: the facilitator starts from a template, four
//! phone-sized browsers join, the console forms mixed groups of two, and every screen follows
//! the programme — the projector shows the step, its question, the clock and the groups; each
//! phone shows its group, its job, the question and the clock.

use fantoccini::Locator;
use ordet_tests::TestServer;
use ordet_tests::chromium::{
    PHONE, PROJECTOR, assert_accessible, browser, chromedriver, click, screenshot, type_into,
    wait_count, wait_text,
};

#[tokio::test]
async fn a_programme_runs_from_the_console_and_every_screen_follows() {
    let server = TestServer::start().await;
    let base = server.base.clone();
    let driver = chromedriver().await;
    let profiles: Vec<tempfile::TempDir> = (0..6).map(|_| tempfile::tempdir().unwrap()).collect();

    let console = browser(&driver, PROJECTOR, &profiles[0]).await;
    console.goto(&base).await.unwrap();
    type_into(&console, "#conference-title", "Short meeting").await;
    console
        .find(Locator::Css("#conference-language option[value=en]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(
        &console,
        "section[aria-labelledby=create-heading] button[type=submit]",
    )
    .await;
    wait_text(&console, ".conn", |t| t.contains("Connected")).await;

    // Start from the short-meeting template: four steps.
    let templates = wait_count(&console, ".template button", 3).await;
    let short = templates
        .iter()
        .position(|t| t.contains("Short joint meeting"))
        .expect("template offered");
    console
        .find_all(Locator::Css(".template button"))
        .await
        .unwrap()[short]
        .click()
        .await
        .unwrap();
    wait_count(&console, ".step-item", 4).await;
    let screen_href = console
        .find(Locator::Css("a[target=_blank]"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let code = wait_text(&console, ".join-code-large", |t| t.trim().len() == 7)
        .await
        .replace(' ', "");

    let projector = browser(&driver, PROJECTOR, &profiles[1]).await;
    projector
        .goto(&format!("{base}{screen_href}"))
        .await
        .unwrap();
    wait_text(&projector, ".conn", |t| t.contains("Connected")).await;

    // Four phones: two pupils, two parents.
    let mut phones = Vec::new();
    for (i, role) in [0usize, 0, 1, 1].into_iter().enumerate() {
        let phone = browser(&driver, PHONE, &profiles[2 + i]).await;
        phone.goto(&format!("{base}/j/{code}")).await.unwrap();
        wait_count(&phone, ".choice label", 6).await;
        phone.find_all(Locator::Css(".choice label")).await.unwrap()[role]
            .click()
            .await
            .unwrap();
        click(&phone, "form.card button[type=submit]").await;
        wait_text(&phone, ".step-waiting", |t| t.contains("starts soon")).await;
        phones.push(phone);
    }
    wait_text(&console, ".joined-total", |t| t.contains('4')).await;

    // Next, next: the welcome, then the first round.
    click(&console, ".run-panel .primary-inline").await;
    wait_text(&console, ".run-panel .step-title", |t| {
        t.contains("Welcome")
    })
    .await;
    click(&console, ".run-panel .primary-inline").await;
    wait_text(&console, ".run-panel .step-title", |t| {
        t.starts_with("Where are we?")
    })
    .await;

    // Mixed groups of two.
    console
        .find(Locator::Css("#group-size option[value='2']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let form_mixed = console
        .find_all(Locator::Css(".groups-panel .button-row button"))
        .await
        .unwrap();
    form_mixed[1].click().await.unwrap();
    let groups = wait_count(&console, ".group-card", 2).await;
    assert!(
        groups
            .iter()
            .all(|g| g.contains("Pupil / youth") && g.contains("Parent")),
        "{groups:?}"
    );
    screenshot(&console, "programme-console").await;
    assert_accessible(&console, "programme-console").await;

    // The projector: step, question, clock, groups.
    wait_text(&projector, ".screen-step .questions", |t| {
        t.contains("What works well today")
    })
    .await;
    let clock = wait_text(&projector, ".screen-step .countdown", |t| t.contains(':')).await;
    assert!(clock.contains("20:00") || clock.contains("19:5"), "{clock}");
    let overview = wait_count(&projector, ".screen-groups li", 2).await;
    assert!(
        overview
            .iter()
            .all(|g| g.contains("Group") && g.contains('2')),
        "{overview:?}"
    );
    screenshot(&projector, "programme-projector").await;
    assert_accessible(&projector, "programme-projector").await;

    // Every phone: its group, the question, the clock; a pupil leads each group.
    let mut leaders = 0;
    for phone in &phones {
        wait_text(phone, ".my-group", |t| t.starts_with("Your group: Group")).await;
        wait_text(phone, ".phone-step .questions", |t| {
            t.contains("What works well today")
        })
        .await;
        wait_text(phone, ".phone-step .countdown", |t| t.contains(':')).await;
        if let Ok(jobs) = phone.find(Locator::Css(".my-jobs")).await
            && jobs.text().await.unwrap().contains("Group leader")
        {
            leaders += 1;
        }
    }
    assert_eq!(leaders, 2, "one leader per group");
    screenshot(&phones[0], "programme-phone").await;
    assert_accessible(&phones[0], "programme-phone").await;

    // Name a group: the projector and that group's phones show the name.
    let rename = console
        .find_all(Locator::Css(".group-card-head button"))
        .await
        .unwrap();
    rename[0].click().await.unwrap();
    console.send_alert_text("Bord ved vindauget").await.unwrap();
    console.accept_alert().await.unwrap();
    wait_text(&projector, ".screen-groups", |t| {
        t.contains("Bord ved vindauget")
    })
    .await;
    let mut named = 0;
    for phone in &phones {
        let group = wait_text(phone, ".my-group", |t| t.starts_with("Your group:")).await;
        if group.contains("Bord ved vindauget") {
            named += 1;
        }
    }
    assert_eq!(named, 2, "both members of the named group see its name");

    // Pause: every screen says so in words.
    let pause = console
        .find_all(Locator::Css(".run-panel .button-row button"))
        .await
        .unwrap();
    pause[2].click().await.unwrap();
    wait_text(&projector, ".screen-step .countdown", |t| {
        t.contains("Paused")
    })
    .await;
    wait_text(&phones[3], ".phone-step .countdown", |t| {
        t.contains("Paused")
    })
    .await;

    // Next step: the second question reaches every screen, with a fresh clock.
    click(&console, ".run-panel .primary-inline").await;
    wait_text(&projector, ".screen-step .questions", |t| {
        t.contains("Where should we go?")
    })
    .await;
    for phone in &phones {
        wait_text(phone, ".phone-step .questions", |t| {
            t.contains("Where should we go?")
        })
        .await;
    }
    screenshot(&phones[2], "programme-phone-next-step").await;
    assert_accessible(&phones[2], "programme-phone-next-step").await;

    for browser in phones.into_iter().chain([console, projector]) {
        browser.close().await.unwrap();
    }
}
