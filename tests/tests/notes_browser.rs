//! Notes, themes and voting in real Chromium: phones post notes (one with markup, shown as
//! text), the facilitator drags notes into a theme, takes the server's suggested themes,
//! shows the wall by theme and as a word cloud, opens a vote; phones spend their dots; the
//! projector shows the ranked result. A second test fills the projector wall with 150 and 500
//! notes and counts how many fit on the screen without scrolling.

use std::time::Duration;

use fantoccini::{Client as Browser, Locator};
use ordet_shared::protocol::Auth;
use ordet_shared::{Command, Lang, NoteId};
use ordet_tests::chromium::{
    PROJECTOR, assert_accessible, browser, chromedriver, click, element, screenshot, type_into,
    wait_count, wait_text,
};
use ordet_tests::meeting::{Meeting, start_meeting, to_first_round};
use ordet_tests::{Client, TestServer};
use serde_json::json;

/// Drags the board note whose text is `text` onto the column labelled `column`, as a mouse
/// would: a real `dragstart` on the note and `drop` on the column, sharing one DataTransfer.
const DRAG: &str = "
    const [text, column] = arguments;
    const note = [...document.querySelectorAll('.board-note')]
        .find(n => n.querySelector('.note-text').textContent === text);
    const target = document.querySelector(`.theme-column[aria-label=\"${column}\"]`);
    if (!note || !target) return false;
    const data = new DataTransfer();
    note.dispatchEvent(new DragEvent('dragstart', { dataTransfer: data, bubbles: true }));
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    return true;
";

async fn post(phone: &Browser, text: &str) {
    type_into(phone, "#note-text", text).await;
    click(phone, "form.note-form button[type=submit]").await;
    wait_text(phone, ".my-notes", |t| t.contains(text)).await;
}

/// Chooses the wall mode whose label is `label` in the console.
async fn wall_mode(console: &Browser, label: &str) {
    for choice in console
        .find_all(Locator::Css(".wall-panel .choice"))
        .await
        .unwrap()
    {
        if choice.text().await.unwrap().trim() == label {
            choice
                .find(Locator::Css("input"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            return;
        }
    }
    panic!("no wall mode {label:?}");
}

#[tokio::test]
async fn phones_post_the_facilitator_clusters_phones_vote_and_the_projector_ranks() {
    let driver = chromedriver().await;
    let Meeting {
        console,
        projector,
        phones,
        _server,
        _profiles,
    } = start_meeting(&driver, "Short joint meeting", 4, &[0, 0, 1]).await;
    to_first_round(&console).await;

    let notes = [
        ["The bus runs too rarely", "Free school lunch"],
        ["More buses in the evening", "Healthy food in the canteen"],
        ["<b>Free</b> bus for pupils", "Lunch break is too short"],
    ];
    for (phone, texts) in phones.iter().zip(notes) {
        for text in texts {
            post(phone, text).await;
        }
    }
    // Markup is shown as text, never run.
    wait_text(&projector, ".wall", |t| {
        t.contains("<b>Free</b> bus for pupils")
    })
    .await;
    assert!(
        projector.find(Locator::Css(".wall b")).await.is_err(),
        "markup in a note must not become markup"
    );
    screenshot(&projector, "notes-projector-newest").await;

    // A theme made by hand; notes dragged in, or moved with the list.
    type_into(&console, "#new-theme", "Transport").await;
    click(&console, ".themes-panel form button[type=submit]").await;
    wait_count(&console, ".theme-column", 2).await;
    let dropped = console
        .execute(
            DRAG,
            vec![json!("The bus runs too rarely"), json!("Transport")],
        )
        .await
        .unwrap();
    assert_eq!(dropped, json!(true));
    wait_text(&console, ".theme-column[aria-label=Transport]", |t| {
        t.contains("The bus runs too rarely")
    })
    .await;
    // Undo puts it back among the unsorted, and dragging again works.
    click(&console, ".themes-panel .button-row button").await;
    wait_text(&console, ".theme-column[aria-label=Unsorted]", |t| {
        t.contains("The bus runs too rarely")
    })
    .await;
    console
        .execute(
            DRAG,
            vec![json!("The bus runs too rarely"), json!("Transport")],
        )
        .await
        .unwrap();
    wait_text(&console, ".theme-column[aria-label=Transport]", |t| {
        t.contains("The bus runs too rarely")
    })
    .await;

    // The server's suggestion for the rest.
    click(&console, ".themes-panel .button-row button:nth-child(2)").await;
    wait_count(&console, ".suggested-themes li", 1).await;
    screenshot(&console, "notes-console-suggestion").await;
    assert_accessible(&console, "notes-console-suggestion").await;
    click(&console, ".suggestion .primary-inline").await;
    let columns = wait_count(&console, ".theme-column", 3).await;
    assert!(columns.len() >= 3, "{columns:?}");

    // The projector by theme.
    wall_mode(&console, "By theme").await;
    let sections = wait_count(&projector, ".wall-section-title", 2).await;
    assert!(sections.contains(&"Transport".to_string()), "{sections:?}");
    screenshot(&projector, "notes-projector-by-theme").await;
    assert_accessible(&projector, "notes-projector-by-theme").await;
    wall_mode(&console, "Word cloud").await;
    let cloud = wait_count(&projector, ".cloud-word", 3).await;
    assert!(
        cloud.iter().any(|w| w.starts_with("bus")),
        "bus, buses: one word: {cloud:?}"
    );
    screenshot(&projector, "notes-projector-word-cloud").await;

    // A vote on the themes: one dot per three themes, results hidden until revealed and, like
    // all totals, shown only once voting has closed.
    click(&console, ".voting-panel .primary-inline").await;
    for phone in &phones {
        wait_text(phone, ".dots-left", |t| t.contains("of 1 dots left")).await;
    }
    screenshot(&phones[0], "notes-phone-ballot").await;
    assert_accessible(&phones[0], "notes-phone-ballot").await;
    for (i, phone) in phones.iter().enumerate() {
        // Everyone puts their dot on Transport, except the last on the second theme.
        let pluses = phone
            .find_all(Locator::Css(".ballot-tools button:last-child"))
            .await
            .unwrap();
        let labels = wait_count(phone, ".ballot-label", 2).await;
        let transport = labels.iter().position(|l| l == "Transport").unwrap();
        let pick = if i < 2 {
            transport
        } else {
            (transport + 1) % labels.len()
        };
        pluses[pick].click().await.unwrap();
        wait_text(phone, ".ballot .note-status", |t| t.contains("saved")).await;
    }
    wait_text(&console, ".voting-panel .voters", |t| t.starts_with("3 ")).await;
    wall_mode(&console, "Results").await;
    wait_text(&projector, ".wall", |t| {
        t.contains("shown when voting closes")
    })
    .await;
    // Revealing while voting is open takes effect at close: no totals while ballots come in.
    click(&console, ".voting-panel .button-row button:nth-child(2)").await;
    wait_text(&console, ".voting-panel .results-at-close", |t| {
        t.contains("as soon as you close")
    })
    .await;
    let wall = element(&projector, ".wall").await.text().await.unwrap();
    assert!(
        wall.contains("shown when voting closes"),
        "still no totals while open: {wall}"
    );
    click(&console, ".voting-panel .button-row button:nth-child(1)").await;
    let first = wait_text(&projector, ".results-list .result", |t| {
        t.contains("Place 1")
    })
    .await;
    assert!(
        first.contains("Transport") && first.contains("2 dots"),
        "{first}"
    );
    screenshot(&projector, "notes-projector-results").await;
    assert_accessible(&projector, "notes-projector-results").await;

    // A phone edits its own note, then withdraws the other.
    let phone = &phones[1];
    let edit = phone
        .find_all(Locator::Css(".my-note .button-row button"))
        .await
        .unwrap();
    edit[0].click().await.unwrap();
    let field = element(phone, ".my-note textarea").await;
    field.clear().await.unwrap();
    field
        .send_keys("Healthy and cheap food in the canteen")
        .await
        .unwrap();
    click(phone, ".my-note .primary-inline").await;
    wait_text(&console, ".board", |t| {
        t.contains("Healthy and cheap food in the canteen")
    })
    .await;
    screenshot(phone, "notes-phone-my-notes").await;

    for browser in phones.into_iter().chain([console, projector]) {
        browser.close().await.unwrap();
    }
}

/// Posts `count` notes through several facilitator connections at a phone's pace each.
async fn fill(
    server: &TestServer,
    created: &ordet_shared::protocol::CreatedConference,
    count: usize,
) {
    let writers = 10;
    let mut tasks = Vec::new();
    for w in 0..writers {
        let url = server.ws_url();
        let key = created.facilitator_key.clone();
        let id = created.id;
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(&url, id, Auth::Facilitator { key }, None)
                .await
                .unwrap();
            for i in (w..count).step_by(writers) {
                client
                    .run(Command::PostNote {
                        note: NoteId::random(),
                        text: format!(
                            "Innspel nummer {i}: meir lys og fleire benkar i skulegarden"
                        ),
                        question: None,
                        for_group: false,
                    })
                    .await
                    .unwrap();
                tokio::time::sleep(Duration::from_millis(110)).await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

/// How many notes are wholly inside the window.
const VISIBLE: &str = "
    const h = window.innerHeight, w = window.innerWidth;
    return [...document.querySelectorAll('.wall .sticky')].filter(n => {
        const r = n.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= h && r.left >= 0 && r.right <= w;
    }).length;
";

#[tokio::test]
async fn the_projector_wall_reflows_from_a_few_notes_to_hundreds() {
    let driver = chromedriver().await;
    let server = TestServer::start().await;
    let created = server.create("Mange lappar", Lang::Nn).await;
    let profile = tempfile::tempdir().unwrap();
    let projector = browser(&driver, PROJECTOR, &profile).await;
    projector
        .goto(&format!(
            "{}/s/{}#{}",
            server.base, created.id, created.screen_key
        ))
        .await
        .unwrap();
    wait_text(&projector, ".conn", |t| t.contains("Tilkopla")).await;
    let mut filled = 0;
    for total in [8, 150, 500] {
        fill(&server, &created, total - filled).await;
        filled = total;
        wait_count(&projector, ".wall .sticky", total).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let visible = projector.execute(VISIBLE, vec![]).await.unwrap();
        println!(
            "{total} notes: {visible} fully visible on a 1280×720 projector without scrolling"
        );
        screenshot(&projector, &format!("notes-projector-{total}")).await;
        let visible = visible.as_u64().unwrap() as usize;
        if total <= 8 {
            assert_eq!(visible, total, "a few notes all fit");
        } else {
            assert!(visible >= 30, "{total} notes: only {visible} fit");
        }
    }
    projector.close().await.unwrap();
}
