//! The whole loop in real headless Chromium: a facilitator creates a conference, the
//! projector opens, two phone-sized browsers join by code and post notes, the projector and
//! console show them. Then the server goes away; a phone writes a note while offline, shows
//! it as waiting, and sends it once when the server is back — the open screens recover
//! without a reload. Text typed in a phone's note box and not yet sent survives a reload,
//! and is gone once the note is sent. Screenshots of every screen are written to
//! `target/tmp/screenshots/` for people to look at.

use std::time::Duration;

use fantoccini::{Client as Browser, Locator};
use ordet_shared::Lang;
use ordet_tests::TestServer;
use ordet_tests::chromium::{
    PATIENCE, PHONE, PROJECTOR, assert_accessible, axe_violations, browser, chromedriver, click,
    screenshot, screenshot_dir, type_into, wait_count, wait_text,
};

async fn join_by_phone(
    phone: &Browser,
    base: &str,
    code: &str,
    role_index: usize,
    name: &str,
    shots: bool,
) {
    phone.goto(base).await.unwrap();
    type_into(phone, "#join-code", &code.to_lowercase()).await;
    if shots {
        screenshot(phone, "phone-start").await;
        assert_accessible(phone, "phone-start").await;
    }
    click(
        phone,
        "section[aria-labelledby=join-heading] button[type=submit]",
    )
    .await;
    wait_count(phone, ".choice label", 6).await;
    if shots {
        screenshot(phone, "phone-join-profile").await;
        assert_accessible(phone, "phone-join-profile").await;
    }
    let labels = phone.find_all(Locator::Css(".choice label")).await.unwrap();
    labels[role_index].click().await.unwrap();
    type_into(phone, "#display-name", name).await;
    click(phone, "form.card button[type=submit]").await;
    wait_text(phone, ".conn", |t| t.contains("Tilkopla")).await;
}

async fn post_note(phone: &Browser, text: &str) {
    type_into(phone, "#note-text", text).await;
    click(phone, ".note-form button[type=submit]").await;
}

#[tokio::test]
async fn phones_join_by_code_and_their_notes_reach_the_projector_even_through_an_outage() {
    let mut server = TestServer::start().await;
    let base = server.base.clone();
    let driver = chromedriver().await;
    let profiles: Vec<tempfile::TempDir> = (0..5).map(|_| tempfile::tempdir().unwrap()).collect();

    // The facilitator creates a conference on the start page.
    let console = browser(&driver, PROJECTOR, &profiles[0]).await;
    console.goto(&base).await.unwrap();
    type_into(&console, "#conference-title", "Ope møte om oppvekstplanen").await;
    let nynorsk = console
        .find(Locator::Css("#conference-language option[value=nn]"))
        .await
        .unwrap();
    nynorsk.click().await.unwrap();
    screenshot(&console, "start-projector-size").await;
    assert_accessible(&console, "start-projector-size").await;
    click(
        &console,
        "section[aria-labelledby=create-heading] button[type=submit]",
    )
    .await;
    let code = wait_text(&console, ".join-code-large", |t| t.trim().len() == 7)
        .await
        .replace(' ', "");
    assert!(
        console
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/f/")
    );
    wait_text(&console, ".conn", |t| t.contains("Tilkopla")).await;
    let screen_href = console
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css("a[target=_blank]"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .expect("a projector link");
    assert!(screen_href.starts_with("/s/"));

    // The projector opens in its own window.
    let projector = browser(&driver, PROJECTOR, &profiles[1]).await;
    projector
        .goto(&format!("{base}{screen_href}"))
        .await
        .unwrap();
    let shown_code = wait_text(&projector, ".screen-code", |t| !t.is_empty()).await;
    assert_eq!(shown_code.replace(' ', ""), code);
    projector
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css("img.screen-qr"))
        .await
        .unwrap();
    screenshot(&projector, "projector-waiting").await;
    assert_accessible(&projector, "projector-waiting").await;

    // Two phones join by code and post.
    let pupil = browser(&driver, PHONE, &profiles[2]).await;
    let parent = browser(&driver, PHONE, &profiles[3]).await;
    join_by_phone(&pupil, &base, &code, 0, "Ola", true).await;
    join_by_phone(&parent, &base, &code, 1, "", false).await;
    post_note(&pupil, "Fleire benkar i skulegarden").await;
    post_note(&parent, "Tryggare skuleveg om vinteren").await;
    for phone in [&pupil, &parent] {
        wait_count(phone, ".my-note:not(.pending)", 1).await;
    }
    screenshot(&pupil, "phone-posted").await;
    assert_accessible(&pupil, "phone-posted").await;

    let wall = wait_count(&projector, ".wall-notes .sticky", 2).await;
    // One youth and one parent: a role would name its writer, so neither is shown.
    assert!(
        wall.iter()
            .any(|t| t.contains("Fleire benkar i skulegarden") && t.contains("Ein deltakar"))
    );
    assert!(
        wall.iter()
            .any(|t| t.contains("Tryggare skuleveg om vinteren") && t.contains("Ein deltakar"))
    );
    assert!(
        !wall
            .iter()
            .any(|t| t.contains("Elev / ungdom") || t.contains("Forelder"))
    );
    wait_text(&projector, ".joined-total", |t| t.contains('2')).await;
    wait_count(&console, ".note-list .note", 2).await;
    screenshot(&projector, "projector-notes").await;
    assert_accessible(&projector, "projector-notes").await;
    screenshot(&console, "console-projector-size").await;
    assert_accessible(&console, "console-projector-size").await;
    let console_on_phone = browser(&driver, PHONE, &profiles[4]).await;
    console_on_phone
        .goto(console.current_url().await.unwrap().as_ref())
        .await
        .unwrap();
    wait_count(&console_on_phone, ".note-list .note", 2).await;
    screenshot(&console_on_phone, "console-phone-size").await;
    assert_accessible(&console_on_phone, "console-phone-size").await;
    console_on_phone.close().await.unwrap();

    // The server goes away. The phone notices, keeps a new note as waiting, and sends it
    // once when the server is back; every open screen recovers without a reload.
    let addr = server.stop_for_now().await;
    wait_text(&pupil, ".conn", |t| t.contains("Fråkopla")).await;
    post_note(&pupil, "Skrive medan nettet var borte").await;
    wait_count(&pupil, ".my-note.pending", 1).await;
    screenshot(&pupil, "phone-offline-pending").await;
    assert_accessible(&pupil, "phone-offline-pending").await;
    server.start_again(addr).await;
    wait_text(&pupil, ".conn", |t| t.contains("Tilkopla")).await;
    wait_count(&pupil, ".my-note:not(.pending)", 2).await;
    let wall = wait_count(&projector, ".wall-notes .sticky", 3).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let wall_after = projector
        .find_all(Locator::Css(".wall-notes .sticky"))
        .await
        .unwrap();
    assert_eq!(
        wall_after.len(),
        3,
        "the offline note arrives once: {wall:?}"
    );
    wait_count(&console, ".note-list .note", 3).await;
    screenshot(&projector, "projector-after-outage").await;
    assert_accessible(&projector, "projector-after-outage").await;

    // The accessibility check itself works: an image without a text alternative is caught.
    parent
        .execute(
            "document.querySelector('main').appendChild(document.createElement('img'));",
            vec![],
        )
        .await
        .unwrap();
    let found = axe_violations(&parent).await;
    assert!(
        found.iter().any(|v| v["id"] == "image-alt"),
        "axe must catch a missing alt: {found:?}"
    );

    for browser in [console, projector, pupil, parent] {
        browser.close().await.unwrap();
    }
    println!("screenshots in {}", screenshot_dir().display());
}

/// What the phone's note box holds.
async fn note_box(phone: &Browser) -> String {
    phone
        .execute(
            "const box = document.querySelector('#note-text'); return box ? box.value : null;",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .expect("a note box")
        .to_string()
}

#[tokio::test]
async fn a_phone_keeps_its_unsent_note_through_a_reload_until_it_is_sent() {
    let server = TestServer::start().await;
    let created = server.create("Foreldremøte", Lang::Nn).await;
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let phone = browser(&driver, PHONE, &profile).await;
    join_by_phone(
        &phone,
        &server.base,
        created.join_code.as_str(),
        1,
        "Kari",
        false,
    )
    .await;

    // Typed, not sent, and the page reloads (a tap on a link, a phone that dropped the tab).
    let typed = "Fleire vaksne ute i friminutta";
    type_into(&phone, "#note-text", typed).await;
    phone.refresh().await.unwrap();
    wait_text(&phone, ".conn", |t| t.contains("Tilkopla")).await;
    assert_eq!(note_box(&phone).await, typed);
    wait_text(&phone, "#note-counter", |t| t.starts_with("30")).await;
    screenshot(&phone, "phone-note-kept-after-reload").await;

    // Sent: the box is empty, and stays empty after another reload.
    click(&phone, ".note-form button[type=submit]").await;
    wait_count(&phone, ".my-note:not(.pending)", 1).await;
    assert_eq!(note_box(&phone).await, "");
    phone.refresh().await.unwrap();
    wait_text(&phone, ".conn", |t| t.contains("Tilkopla")).await;
    wait_count(&phone, ".my-note", 1).await;
    assert_eq!(note_box(&phone).await, "");
    phone.close().await.unwrap();
}
