//! Running a programme in real Chromium: the facilitator starts from a template, four
//! phone-sized browsers join, the console forms mixed groups of two, and every screen follows
//! the programme — the projector shows the step, its question, the clock and the groups; each
//! phone shows its group, its job, the question and the clock.

use fantoccini::Locator;
use ordet_tests::chromium::{
    assert_accessible, chromedriver, click, element, screenshot, wait_count, wait_text,
};
use ordet_tests::meeting::{Meeting, mixed_groups_of_two, start_meeting, to_first_round};

#[tokio::test]
async fn a_programme_runs_from_the_console_and_every_screen_follows() {
    let driver = chromedriver().await;
    // The server and browser profiles must live as long as the test: bound, not dropped.
    let Meeting {
        console,
        projector,
        phones,
        _server,
        _profiles,
    } = start_meeting(&driver, "Short joint meeting", 4, &[0, 0, 1, 1]).await;

    to_first_round(&console).await;

    // Groups of six in a round step: the step list warns that the clock is too short for the
    // round (a warning, nothing is blocked); with groups of two it is long enough.
    element(&console, "#group-size option[value='8']")
        .await
        .click()
        .await
        .unwrap();
    let warning = wait_text(&console, ".step-warning", |t| t.contains("needs about")).await;
    assert!(warning.contains("min"), "{warning}");
    screenshot(&console, "programme-console-clock-warning").await;

    // Mixed groups of two.
    let groups = mixed_groups_of_two(&console).await;
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
    // A group round: the projector shows each group's talking round.
    let overview = wait_count(&projector, ".round-card", 2).await;
    assert!(
        overview
            .iter()
            .all(|g| g.contains("Group") && g.contains("0 of 2 have had the floor")),
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
    wait_text(&projector, ".round-cards", |t| {
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

    // End the programme: every screen says the meeting is over, not that it starts soon.
    let end = console
        .find(Locator::XPath(
            "//section[contains(@class,'run-panel')]//button[normalize-space()='End the programme']",
        ))
        .await
        .expect("the end button");
    end.click().await.unwrap();
    wait_text(&console, ".run-panel > p", |t| {
        t.starts_with("The programme has ended")
    })
    .await;
    wait_text(&projector, ".step-waiting", |t| {
        t.starts_with("The meeting is over")
    })
    .await;
    wait_text(&phones[0], ".step-waiting", |t| {
        t.starts_with("The meeting is over")
    })
    .await;
    screenshot(&phones[0], "programme-phone-ended").await;

    for browser in phones.into_iter().chain([console, projector]) {
        browser.close().await.unwrap();
    }
}

#[tokio::test]
async fn in_the_child_rights_template_each_group_gets_its_own_theme() {
    let driver = chromedriver().await;
    // The server and browser profiles must live as long as the test: bound, not dropped.
    let Meeting {
        console,
        projector,
        phones,
        _server,
        _profiles,
    } = start_meeting(&driver, "Child-rights self-assessment", 5, &[0, 0, 1, 1]).await;
    // Jump straight to the step-groups (the second step) with its ▶ button.
    let start_buttons = console
        .find_all(Locator::Css(".step-actions button"))
        .await
        .unwrap();
    start_buttons[5].click().await.unwrap();
    wait_text(&console, ".run-panel .step-title", |t| {
        t == "Seven steps in seven groups"
    })
    .await;
    mixed_groups_of_two(&console).await;

    // The projector lists each group's theme; each phone sees only its own.
    let wall = wait_text(&projector, ".screen-step .questions", |t| {
        t.contains("Group 2:")
    })
    .await;
    assert!(
        wall.contains("Group 1: Participation") && wall.contains("Group 2: Good care"),
        "{wall}"
    );
    screenshot(&projector, "child-rights-projector").await;
    assert_accessible(&projector, "child-rights-projector").await;
    let mut themes = Vec::new();
    for phone in &phones {
        let group = wait_text(phone, ".my-group", |t| t.starts_with("Your group: Group")).await;
        let question = wait_text(phone, ".phone-step .questions", |t| !t.is_empty()).await;
        assert!(
            !question.contains("Group 1:"),
            "a phone sees only its own theme: {question}"
        );
        let expected = if group.ends_with('1') {
            "Participation"
        } else {
            "Good care"
        };
        assert!(question.starts_with(expected), "{group}: {question}");
        themes.push(question);
    }
    screenshot(&phones[0], "child-rights-phone").await;
    assert_accessible(&phones[0], "child-rights-phone").await;
    for browser in phones.into_iter().chain([console, projector]) {
        browser.close().await.unwrap();
    }
}
