//! Removing a participant from the facilitator console, in real Chromium: the console lists
//! who has joined, a "Remove…" button asks in the page (focus on the question, Escape and
//! Cancel give the focus back), and removing takes the person's notes off the projector while
//! the others' stay. Screenshots of the question and the result are saved in
//! `target/tmp/screenshots`.

use fantoccini::Locator;
use fantoccini::key::Key as Keys;
use ordet_tests::chromium::{chromedriver, click, screenshot, type_into, wait_count, wait_text};
use ordet_tests::meeting::{Meeting, start_meeting, to_first_round};

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
    assert!(rows[1].contains("No name (Pupil / youth)"), "{rows:?}");
    let buttons = console
        .find_all(Locator::Css(".participant-list .participant button"))
        .await
        .unwrap();
    let pupil_button = &buttons[1];
    assert_eq!(
        pupil_button.attr("aria-label").await.unwrap().as_deref(),
        Some("Remove No name (Pupil / youth)…")
    );

    // Asking first: the question has the focus; Escape closes it and gives the focus back.
    pupil_button.click().await.unwrap();
    let question = wait_text(&console, ".participant-list .confirm-question", |t| {
        !t.is_empty()
    })
    .await;
    assert_eq!(
        question,
        "Remove No name (Pupil / youth) and all their notes? This cannot be undone."
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
        t == "No name (Pupil / youth) was removed."
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
