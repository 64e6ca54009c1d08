//! Removing a participant from the facilitator console, in real Chromium: the console lists
//! who has joined, a "Remove…" button asks in the page (focus on the question, Escape and
//! Cancel give the focus back), and removing takes the person's notes off the projector while
//! the others' stay. People who gave no name are told apart in the console by role and number
//! ("Parent 2") in the list, the group cards, the job pickers and the round's queue, and
//! nowhere else; with six themes the board scrolls inside its box and the console page never
//! sideways, at 100 % or 200 % zoom. Screenshots are saved in `target/tmp/screenshots`.

use fantoccini::Locator;
use fantoccini::key::Key as Keys;
use ordet_tests::chromium::{
    browser, chromedriver, click, screenshot, type_into, wait_count, wait_text,
};
use ordet_tests::meeting::{Meeting, mixed_groups_of_two, start_meeting, to_first_round};
use serde_json::json;

async fn post(phone: &fantoccini::Client, text: &str) {
    type_into(phone, "#note-text", text).await;
    click(phone, "form.note-form button[type=submit]").await;
    wait_text(phone, ".my-notes", |t| t.contains(text)).await;
}

/// The identifier of the element that has the focus.
async fn focused(browser: &fantoccini::Client) -> String {
    browser
        .execute(
            "const a = document.activeElement; return (a.id || a.className || a.tagName);",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn the_facilitator_removes_a_participant_and_their_notes_after_being_asked() {
    let driver = chromedriver().await;
    let Meeting {
        console,
        projector,
        phones,
        _server,
        _profiles,
    } = start_meeting(&driver, "Short joint meeting", 4, &[0, 1]).await;
    to_first_round(&console).await;
    post(&phones[0], "Buy cheap followers here").await;
    post(&phones[0], "Buy cheap followers here too").await;
    post(&phones[1], "Safer crossing by the school").await;
    wait_text(&projector, ".wall", |t| {
        t.contains("followers here too") && t.contains("Safer crossing")
    })
    .await;

    // Two people listed, newest first, each with a real button.
    let rows = wait_count(&console, ".participant-list .participant", 2).await;
    assert!(rows[1].contains("Pupil / youth 1"), "{rows:?}");
    let buttons = console
        .find_all(Locator::Css(".participant-list .participant button"))
        .await
        .unwrap();
    let pupil_button = &buttons[1];
    assert_eq!(
        pupil_button.attr("aria-label").await.unwrap().as_deref(),
        Some("Remove Pupil / youth 1…")
    );

    // Asking first: the question has the focus; Escape closes it and gives the focus back.
    pupil_button.click().await.unwrap();
    let question = wait_text(&console, ".participant-list .confirm-question", |t| {
        !t.is_empty()
    })
    .await;
    assert_eq!(
        question,
        "Remove Pupil / youth 1 and all their notes? This cannot be undone."
    );
    assert!(focused(&console).await.ends_with("-question"));
    console
        .active_element()
        .await
        .unwrap()
        .send_keys(&Keys::Escape.to_string())
        .await
        .unwrap();
    wait_count(&console, ".participant-list .confirm-box", 0).await;
    assert!(focused(&console).await.contains("secondary small"));

    // Asked again, and this time removed.
    pupil_button.click().await.unwrap();
    wait_count(&console, ".participant-list .confirm-box", 1).await;
    screenshot(&console, "participants-remove-question").await;
    click(&console, ".participant-list .confirm-remove").await;
    wait_text(&console, ".participants-panel .status-line", |t| {
        t == "Pupil / youth 1 was removed."
    })
    .await;
    wait_count(&console, ".participant-list .participant", 1).await;
    wait_text(&console, ".joined-total", |t| t.contains('1')).await;
    wait_text(&projector, ".wall", |t| {
        !t.contains("followers") && t.contains("Safer crossing")
    })
    .await;
    assert_eq!(focused(&console).await, "find-participant");
    screenshot(&console, "participants-removed").await;
}

/// How far the page scrolls sideways, in pixels (0: not at all).
async fn sideways(browser: &fantoccini::Client) -> u64 {
    browser
        .execute(
            "return Math.max(0, document.documentElement.scrollWidth - window.innerWidth);",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}

/// The texts (`what`: "text" or an attribute) of every element matching `css`.
async fn all_of(browser: &fantoccini::Client, css: &str, what: &str) -> Vec<String> {
    let found = browser
        .execute(
            "return [...document.querySelectorAll(arguments[0])].map(e => \
                arguments[1] === 'text' ? e.textContent.trim() : e.getAttribute(arguments[1]));",
            vec![json!(css), json!(what)],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

#[tokio::test]
async fn people_without_names_are_told_apart_in_the_console_and_only_there() {
    let driver = chromedriver().await;
    let Meeting {
        console,
        projector,
        phones,
        _server,
        _profiles,
    } = start_meeting(&driver, "Short joint meeting", 4, &[1, 1, 0, 1]).await;

    // Role and number by join order within the role, newest first; nobody is "No name".
    let rows = wait_count(&console, ".participant-list .participant", 4).await;
    let labels: Vec<_> = rows
        .iter()
        .map(|r| r.lines().next().unwrap_or_default())
        .collect();
    assert_eq!(
        labels,
        ["Parent 3", "Pupil / youth 1", "Parent 2", "Parent 1"],
        "{rows:?}"
    );
    // The search finds them by that label.
    type_into(&console, "#find-participant", "parent 2").await;
    wait_text(&console, ".participant-list", |t| {
        t.contains("Parent 2") && !t.contains("Parent 1") && !t.contains("Parent 3")
    })
    .await;
    let removes = all_of(&console, ".participant-list button", "aria-label").await;
    assert_eq!(removes, ["Remove Parent 2…"]);
    console
        .find(Locator::Css("#find-participant"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();

    // Groups: the cards, moving people and the job pickers use the same labels.
    to_first_round(&console).await;
    let cards = mixed_groups_of_two(&console).await.join("\n");
    for label in ["Parent 1", "Parent 2", "Parent 3", "Pupil / youth 1"] {
        assert!(cards.contains(label), "{label} on the group cards: {cards}");
    }
    assert!(!cards.contains("No name"), "{cards}");
    let mut moves = all_of(&console, ".move-member", "aria-label").await;
    moves.sort();
    assert_eq!(
        moves,
        [
            "Move Parent 1 to",
            "Move Parent 2 to",
            "Move Parent 3 to",
            "Move Pupil / youth 1 to"
        ]
    );
    let mut choices = all_of(&console, ".group-card select[id^='job-0-'] option", "text").await;
    choices.sort();
    assert_eq!(
        choices,
        [
            "Nobody",
            "Nobody",
            "Parent 1",
            "Parent 2",
            "Parent 3",
            "Pupil / youth 1"
        ]
    );
    // The round's queue on the console, too.
    wait_text(&console, ".rounds-panel", |t| t.contains("Parent 2")).await;

    // A facilitator's laptop, for people to look at: the list, the groups and, with six
    // themes (more than fit beside each other), the board, which scrolls inside its own box
    // while the page does not scroll sideways, at 100 % nor at 200 % zoom.
    let laptop_profile = tempfile::tempdir().unwrap();
    let laptop = browser(&driver, (1366, 768), &laptop_profile).await;
    laptop
        .goto(console.current_url().await.unwrap().as_ref())
        .await
        .unwrap();
    wait_count(&laptop, ".participant-list .participant", 4).await;
    for i in 1..=6 {
        type_into(
            &laptop,
            "#new-theme",
            &format!("A rather long theme name {i}"),
        )
        .await;
        click(&laptop, ".themes-panel form button[type=submit]").await;
        wait_count(&laptop, ".theme-column", i + 1).await;
    }
    for phone in &phones {
        type_into(phone, "#note-text", "The bus runs too rarely at night").await;
        click(phone, "form.note-form button[type=submit]").await;
    }
    wait_count(&laptop, ".board-note", 4).await;
    for (panel, name) in [
        (".participants-panel", "console-unnamed-participants"),
        (".groups-panel", "console-unnamed-groups"),
        (".board", "console-six-themes-board"),
    ] {
        laptop
            .execute(
                "document.querySelector(arguments[0]).scrollIntoView();",
                vec![json!(panel)],
            )
            .await
            .unwrap();
        screenshot(&laptop, name).await;
    }
    assert_eq!(sideways(&laptop).await, 0, "the console scrolls sideways");
    // Text hidden for the eye but read aloud (as a card's labels once were) in a column
    // scrolled out of sight: the board clips it, it does not widen the page.
    laptop
        .execute(
            "const hidden = document.createElement('span'); \
             hidden.className = 'visually-hidden'; hidden.textContent = 'Move to'; \
             document.querySelector('.theme-column:last-child h3').appendChild(hidden);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        sideways(&laptop).await,
        0,
        "hidden text in a column out of sight makes the console scroll sideways"
    );
    laptop.close().await.unwrap();
    // 200 % zoom: the same screen seen as 683×384.
    let zoomed_profile = tempfile::tempdir().unwrap();
    let zoomed = browser(&driver, (683, 384), &zoomed_profile).await;
    zoomed
        .goto(console.current_url().await.unwrap().as_ref())
        .await
        .unwrap();
    wait_count(&zoomed, ".board-note", 4).await;
    zoomed
        .execute("document.querySelector('.board').scrollIntoView();", vec![])
        .await
        .unwrap();
    screenshot(&zoomed, "console-zoomed-six-themes").await;
    assert_eq!(
        sideways(&zoomed).await,
        0,
        "the console scrolls sideways at 200 %"
    );
    zoomed.close().await.unwrap();

    // The numbers are the console's own: neither the projector nor a phone shows them.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    for screen in std::iter::once(&projector).chain(&phones) {
        let text = screen
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for label in ["Parent 1", "Parent 2", "Parent 3", "Pupil / youth 1"] {
            assert!(!text.contains(label), "{label} off the console: {text}");
        }
    }
}
