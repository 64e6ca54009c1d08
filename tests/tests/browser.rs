//! The whole loop in real headless Chromium: a facilitator creates a conference, the
//! projector opens, two phone-sized browsers join by code and post notes, the projector and
//! console show them. Then the server goes away; a phone writes a note while offline, shows
//! it as waiting, and sends it once when the server is back — the open screens recover
//! without a reload. Screenshots of every screen are written to
//! `target/tmp/screenshots/` for people to look at.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::{Client as Browser, ClientBuilder, Locator};
use ordet_tests::TestServer;
use serde_json::json;
use tokio::process::{Child, Command};

const PHONE: (u32, u32) = (360, 740);
const PROJECTOR: (u32, u32) = (1280, 720);
const PATIENCE: Duration = Duration::from_secs(30);

struct Driver {
    _process: Child,
    url: String,
}

async fn chromedriver() -> Driver {
    let binary =
        std::env::var("ORDET_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let process = Command::new(&binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{binary} could not start ({e}): run the tests with `cargo xtask test`")
        });
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(started.elapsed() < PATIENCE, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Driver {
        _process: process,
        url: format!("http://127.0.0.1:{port}"),
    }
}

async fn browser(
    driver: &Driver,
    (width, height): (u32, u32),
    profile: &tempfile::TempDir,
) -> Browser {
    let chromium = std::env::var("ORDET_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-sync", "--hide-scrollbars", "--lang=nb-NO",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            // Exact viewports: a desktop window cannot be narrower than 500 px, a phone is.
            "mobileEmulation": {
                "deviceMetrics": {
                    "width": width, "height": height, "pixelRatio": 1.0,
                    "mobile": width < 600, "touch": width < 600
                }
            }
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a Chromium session")
}

/// Polls until `css` matches at least `count` elements; returns their texts.
async fn wait_count(browser: &Browser, css: &str, count: usize) -> Vec<String> {
    let started = Instant::now();
    loop {
        let elements = browser
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default();
        if elements.len() >= count {
            let mut texts = Vec::new();
            for element in elements {
                texts.push(element.text().await.unwrap_or_default());
            }
            return texts;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "waited for {count} × {css:?}, found fewer"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Polls until the first element matching `css` has text satisfying `ok`; returns it.
async fn wait_text(browser: &Browser, css: &str, ok: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        if let Ok(element) = browser.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
            && ok(&text)
        {
            return text;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "waited for the text of {css:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn type_into(browser: &Browser, css: &str, text: &str) {
    let element = browser
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await
        .unwrap();
    element.send_keys(text).await.unwrap();
}

async fn click(browser: &Browser, css: &str) {
    let element = browser
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await
        .unwrap();
    element.click().await.unwrap();
}

fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn screenshot(browser: &Browser, name: &str) {
    let png = browser.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
}

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
    }
    click(
        phone,
        "section[aria-labelledby=join-heading] button[type=submit]",
    )
    .await;
    wait_count(phone, ".choice label", 6).await;
    if shots {
        screenshot(phone, "phone-join-profile").await;
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

    let wall = wait_count(&projector, ".wall-notes .sticky", 2).await;
    assert!(
        wall.iter()
            .any(|t| t.contains("Fleire benkar i skulegarden") && t.contains("Elev / ungdom"))
    );
    assert!(
        wall.iter()
            .any(|t| t.contains("Tryggare skuleveg om vinteren") && t.contains("Forelder"))
    );
    wait_text(&projector, ".joined-total", |t| t.contains('2')).await;
    wait_count(&console, ".note-list .note", 2).await;
    screenshot(&projector, "projector-notes").await;
    screenshot(&console, "console-projector-size").await;
    let console_on_phone = browser(&driver, PHONE, &profiles[4]).await;
    console_on_phone
        .goto(console.current_url().await.unwrap().as_ref())
        .await
        .unwrap();
    wait_count(&console_on_phone, ".note-list .note", 2).await;
    screenshot(&console_on_phone, "console-phone-size").await;
    console_on_phone.close().await.unwrap();

    // The server goes away. The phone notices, keeps a new note as waiting, and sends it
    // once when the server is back; every open screen recovers without a reload.
    let addr = server.stop_for_now().await;
    wait_text(&pupil, ".conn", |t| t.contains("Fråkopla")).await;
    post_note(&pupil, "Skrive medan nettet var borte").await;
    wait_count(&pupil, ".my-note.pending", 1).await;
    screenshot(&pupil, "phone-offline-pending").await;
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

    for browser in [console, projector, pupil, parent] {
        browser.close().await.unwrap();
    }
    println!("screenshots in {}", screenshot_dir().display());
}
