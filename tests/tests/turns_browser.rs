//! A talking round in real Chromium: a pupil who leads the group and two parents, on
//! phone-sized windows, go through a whole round — start, pause, more time, next, a pass from
//! a member's own phone, "I am done", the open discussion, done — while the projector shows
//! every group's progress and the console the share of the floor by role. The console's
//! round card speaks to the facilitator, not as the leader's phone does. Two of the phones
//! have clocks minutes wrong, and the test measures how far apart the three phones will
//! reach 0:00 for the same turn.

use std::time::Duration;

use fantoccini::{Client as Browser, Locator};
use ordet_tests::chromium::{
    assert_accessible, chromedriver, click, element, screenshot, type_into, wait_count, wait_text,
};
use ordet_tests::meeting::{Meeting, start_meeting, to_first_round};
use serde_json::json;

/// Makes the page's clock wrong by `skew` ms, as a phone with a badly set clock, and lets
/// the app measure its offset to the server again (as it does when a phone wakes up).
const SKEW_CLOCK: &str = "
    const skew = arguments[0];
    const real = Date.now.bind(Date);
    Date.now = () => real() + skew;
    document.dispatchEvent(new Event('visibilitychange'));
";

/// Clicks the round control labelled `label` on `browser`.
async fn press(browser: &Browser, label: &str) {
    let deadline = std::time::Instant::now() + ordet_tests::chromium::PATIENCE;
    loop {
        for button in browser
            .find_all(Locator::Css(".round-controls button"))
            .await
            .unwrap_or_default()
        {
            if button.text().await.unwrap_or_default().trim() == label {
                button.click().await.unwrap();
                return;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no round control labelled {label:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// When `browser` expects the running turn to end, in real time (its own clock minus `skew`).
async fn turn_ends_at(browser: &Browser, skew: f64) -> f64 {
    let ends_at = element(browser, ".phone-round .countdown[data-ends-at]")
        .await
        .attr("data-ends-at")
        .await
        .unwrap()
        .expect("a running countdown says when it ends");
    ends_at.parse::<f64>().unwrap() - skew
}

#[tokio::test]
async fn a_group_runs_a_whole_talking_round_on_phones() {
    let driver = chromedriver().await;
    // The server and browser profiles must live as long as the test: bound, not dropped.
    let Meeting {
        console,
        projector,
        phones,
        _server,
        _profiles,
    } = start_meeting(&driver, "Short joint meeting", 4, &[0, 1, 1]).await;

    to_first_round(&console).await;
    console
        .find_all(Locator::Css(".groups-panel .button-row button"))
        .await
        .unwrap()[1]
        .click()
        .await
        .unwrap();
    wait_count(&console, ".group-card", 1).await;

    // The pupil leads; the others wait for the leader.
    let (leader, first_parent, second_parent) = (&phones[0], &phones[1], &phones[2]);
    wait_text(leader, ".my-jobs", |t| t.contains("Group leader")).await;
    wait_text(first_parent, ".phone-round .hint", |t| {
        t.contains("The group leader starts the round")
    })
    .await;
    let queue = wait_count(leader, ".round-queue li", 3).await;
    assert!(queue[0].contains("(you)"), "the leader starts: {queue:?}");
    wait_text(leader, ".phone-round", |t| t.contains("You lead the group")).await;
    // The console may start the round too, in its own words (not the leader's phone's), and
    // tells the two parents apart.
    let console_round = wait_text(&console, ".rounds-panel", |t| {
        t.contains("Start the round when the group is ready.")
    })
    .await;
    assert!(!console_round.contains("You lead"), "{console_round}");
    assert!(
        console_round.contains("Parent 1") && console_round.contains("Parent 2"),
        "{console_round}"
    );
    screenshot(leader, "turns-phone-leader-ready").await;
    assert_accessible(leader, "turns-phone-leader-ready").await;

    // Two phones with wrong clocks: five minutes slow and three minutes fast.
    let skews = [0.0, -300_000.0, 180_000.0];
    for (phone, skew) in phones.iter().zip(skews).skip(1) {
        phone.execute(SKEW_CLOCK, vec![json!(skew)]).await.unwrap();
    }
    tokio::time::sleep(Duration::from_secs(1)).await;

    press(leader, "Start the round").await;
    wait_text(leader, ".phone-round .floor", |t| t == "You have the floor").await;
    wait_text(first_parent, ".phone-round .round-next", |t| {
        t.contains("You are next")
    })
    .await;
    wait_text(second_parent, ".phone-round .round-place", |t| {
        t.contains("number 2 in the queue")
    })
    .await;
    let floor = wait_text(second_parent, ".phone-round .floor", |t| {
        t.contains("has the floor")
    })
    .await;
    assert_eq!(floor, "Pupil / youth has the floor");
    wait_text(second_parent, ".phone-round .countdown", |t| {
        t.contains("5:00") || t.contains("4:5")
    })
    .await;

    // The same turn, counted down on three phones: when will each show 0:00, in real time?
    let mut ends = Vec::new();
    for (phone, skew) in phones.iter().zip(skews) {
        ends.push(turn_ends_at(phone, skew).await);
    }
    let spread = ends.iter().cloned().fold(f64::MIN, f64::max)
        - ends.iter().cloned().fold(f64::MAX, f64::min);
    println!("countdown spread across three phones (two with wrong clocks): {spread:.0} ms");
    assert!(
        spread < 1000.0,
        "phones disagree on the turn's end by {spread} ms: {ends:?}"
    );

    // The projector: every group's round, who speaks, how far it has come.
    let card = wait_text(&projector, ".round-card", |t| t.contains("has the floor")).await;
    assert!(card.contains("0 of 3 have had the floor"), "{card}");
    screenshot(&projector, "turns-projector-speaking").await;
    assert_accessible(&projector, "turns-projector-speaking").await;
    screenshot(first_parent, "turns-phone-next").await;
    wait_text(&console, ".rounds-panel .floor", |t| {
        t.contains("has the floor")
    })
    .await;
    screenshot(&console, "turns-console-speaking").await;

    // Pause, resume, 30 seconds more: every phone shows it in words.
    press(leader, "Pause").await;
    wait_text(second_parent, ".phone-round .countdown", |t| {
        t.contains("Paused")
    })
    .await;
    press(leader, "Resume").await;
    press(leader, "+30 s").await;
    wait_text(second_parent, ".phone-round .countdown", |t| {
        t.contains("5:2") || t.contains("5:3")
    })
    .await;
    screenshot(leader, "turns-phone-leader-speaking").await;
    assert_accessible(leader, "turns-phone-leader-speaking").await;

    // Next: the first parent has the floor and passes from their own phone.
    press(leader, "Next speaker").await;
    wait_text(first_parent, ".phone-round .floor", |t| {
        t == "You have the floor"
    })
    .await;
    screenshot(first_parent, "turns-phone-own-turn").await;
    assert_accessible(first_parent, "turns-phone-own-turn").await;
    press(first_parent, "Pass").await;
    // The second parent ends their own turn.
    wait_text(second_parent, ".phone-round .floor", |t| {
        t == "You have the floor"
    })
    .await;
    press(second_parent, "I am done").await;

    // Open discussion, then the leader marks the group done.
    for phone in &phones {
        wait_text(phone, ".phone-round .floor", |t| {
            t.contains("Open discussion")
        })
        .await;
    }
    wait_text(&projector, ".round-card", |t| {
        t.contains("Open discussion") && t.contains("3 of 3")
    })
    .await;
    // Someone comes late and sits down at this table during the discussion: the leader can
    // give them the floor, and the discussion comes back after their turn.
    let url = console.current_url().await.unwrap();
    let conference: ordet_shared::ConferenceId = url
        .path()
        .trim_start_matches("/f/")
        .parse()
        .expect("the console's address names the conference");
    let (mut late, _) = ordet_tests::join(
        &_server,
        conference,
        ordet_shared::state::BuiltinRole::Politician,
    )
    .await;
    press(leader, "Give the floor to whoever is waiting").await;
    wait_text(&projector, ".round-card", |t| {
        t.contains("Kari has the floor")
    })
    .await;
    late.until(|s| {
        s.programme
            .rounds
            .values()
            .flatten()
            .any(|r| r.speaker().is_some())
    })
    .await;
    press(leader, "Next speaker").await;
    for phone in &phones {
        wait_text(phone, ".phone-round .floor", |t| {
            t.contains("Open discussion")
        })
        .await;
    }
    press(leader, "The group is done").await;
    for phone in &phones {
        wait_text(phone, ".phone-round .floor", |t| {
            t.contains("The group is done")
        })
        .await;
    }
    wait_text(&projector, ".round-card", |t| t.contains("Done")).await;
    screenshot(&projector, "turns-projector-done").await;

    // The console: the share of the floor by role, one pass among the parents.
    let shares = wait_text(&console, ".floor-shares", |t| t.contains("Parent")).await;
    assert!(shares.contains("Pupil / youth"), "{shares}");
    let parent_row = wait_text(&console, ".floor-shares tbody tr:nth-child(2)", |t| {
        t.contains("Parent")
    })
    .await;
    assert!(
        parent_row.ends_with("2 1"),
        "two turns, one pass: {parent_row}"
    );
    screenshot(&console, "turns-console").await;
    assert_accessible(&console, "turns-console").await;
    screenshot(second_parent, "turns-phone-done").await;

    // Plenary reports: the group's reporter, found before the step changes.
    let mut reporter = None;
    for (i, phone) in phones.iter().enumerate() {
        if let Ok(jobs) = phone.find(Locator::Css(".my-jobs")).await
            && jobs.text().await.unwrap().contains("Reporter")
        {
            reporter = Some(i);
        }
    }
    let reporter = &phones[reporter.expect("the group has a reporter")];
    // The facilitator adds a reports step: 2.5 minutes per reporter unless changed.
    element(&console, "#step-kind option[value=reports]")
        .await
        .click()
        .await
        .unwrap();
    type_into(&console, "#step-title", "Reports").await;
    let minutes = element(&console, "#turn-minutes")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(minutes.as_deref(), Some("2.5"));
    click(&console, ".step-form button[type=submit]").await;
    let steps = wait_count(&console, ".step-item", 5).await;
    assert!(steps[4].contains("2.5 min per speaker"), "{steps:?}");
    click(&console, ".step-item:last-child .step-actions button").await;
    wait_text(&console, ".rounds-panel h3", |t| t == "Plenary reports").await;
    press(&console, "Start the round").await;
    let floor = wait_text(&projector, ".screen-rounds.plenary .floor", |t| {
        t.contains("has the floor")
    })
    .await;
    assert!(floor.starts_with("Group 1, by"), "{floor}");
    wait_text(&projector, ".screen-rounds.plenary .countdown", |t| {
        t.contains("2:30") || t.contains("2:2")
    })
    .await;
    screenshot(&projector, "turns-projector-plenary").await;
    assert_accessible(&projector, "turns-projector-plenary").await;
    wait_text(reporter, ".phone-round .floor", |t| {
        t == "You have the floor"
    })
    .await;
    screenshot(reporter, "turns-phone-reporting").await;
    press(reporter, "I am done").await;
    wait_text(&projector, ".screen-rounds.plenary .floor", |t| {
        t.contains("Done")
    })
    .await;

    for browser in phones.into_iter().chain([console, projector]) {
        browser.close().await.unwrap();
    }
}
