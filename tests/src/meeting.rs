//! A meeting in real Chromium, for the browser tests: a server, the facilitator console, the
//! projector and phones that have joined, created through the pages as a person would.

use fantoccini::{Client as Browser, Locator};

use crate::TestServer;
use crate::chromium::{
    Driver, PHONE, PROJECTOR, browser, click, element, type_into, wait_count, wait_text,
};

/// A meeting in progress: the console (projector-sized), the projector, and phones that have
/// joined with the given role positions (0: pupil, 1: parent).
pub struct Meeting {
    /// The server; the meeting ends when it is dropped.
    pub _server: TestServer,
    /// The browsers' profiles, kept as long as the browsers.
    pub _profiles: Vec<tempfile::TempDir>,
    /// The facilitator console, projector-sized.
    pub console: Browser,
    /// The projector.
    pub projector: Browser,
    /// The phones, in the order they joined.
    pub phones: Vec<Browser>,
}

/// Creates an English conference, applies the template whose button mentions `template`, opens
/// the projector and lets the phones join.
pub async fn start_meeting(
    driver: &Driver,
    template: &str,
    steps: usize,
    roles: &[usize],
) -> Meeting {
    let server = TestServer::start().await;
    let base = server.base.clone();
    let profiles: Vec<tempfile::TempDir> = (0..roles.len() + 2)
        .map(|_| tempfile::tempdir().unwrap())
        .collect();

    let console = browser(driver, PROJECTOR, &profiles[0]).await;
    console.goto(&base).await.unwrap();
    type_into(&console, "#conference-title", "Meeting").await;
    element(&console, "#conference-language option[value=en]")
        .await
        .click()
        .await
        .unwrap();
    click(
        &console,
        "section[aria-labelledby=create-heading] button[type=submit]",
    )
    .await;
    wait_text(&console, ".conn", |t| t.contains("Connected")).await;

    let templates = wait_count(&console, ".template button", 4).await;
    let index = templates
        .iter()
        .position(|t| t.contains(template))
        .expect("template offered");
    console
        .find_all(Locator::Css(".template button"))
        .await
        .unwrap()[index]
        .click()
        .await
        .unwrap();
    wait_count(&console, ".step-item", steps).await;
    let screen_href = element(&console, "a[target=_blank]")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let code = wait_text(&console, ".join-code-large", |t| t.trim().len() == 7)
        .await
        .replace(' ', "");

    let projector = browser(driver, PROJECTOR, &profiles[1]).await;
    projector
        .goto(&format!("{base}{screen_href}"))
        .await
        .unwrap();
    wait_text(&projector, ".conn", |t| t.contains("Connected")).await;

    let mut phones = Vec::new();
    for (i, role) in roles.iter().enumerate() {
        let phone = browser(driver, PHONE, &profiles[2 + i]).await;
        phone.goto(&format!("{base}/j/{code}")).await.unwrap();
        wait_count(&phone, ".choice label", 6).await;
        phone.find_all(Locator::Css(".choice label")).await.unwrap()[*role]
            .click()
            .await
            .unwrap();
        click(&phone, "form.card button[type=submit]").await;
        wait_text(&phone, ".step-waiting", |t| t.contains("starts soon")).await;
        phones.push(phone);
    }
    wait_text(&console, ".joined-total", |t| {
        t.contains(&roles.len().to_string())
    })
    .await;
    Meeting {
        _server: server,
        _profiles: profiles,
        console,
        projector,
        phones,
    }
}

/// From the start of a template: next to the welcome, next to the first group round
/// ("Where are we?").
pub async fn to_first_round(console: &Browser) {
    click(console, ".run-panel .primary-inline").await;
    wait_text(console, ".run-panel .step-title", |t| t.contains("Welcome")).await;
    click(console, ".run-panel .primary-inline").await;
    wait_text(console, ".run-panel .step-title", |t| {
        t.starts_with("Where are we?")
    })
    .await;
}

/// Forms mixed groups of two for the running step; returns the group cards' texts.
pub async fn mixed_groups_of_two(console: &Browser) -> Vec<String> {
    element(console, "#group-size option[value='2']")
        .await
        .click()
        .await
        .unwrap();
    let buttons = console
        .find_all(Locator::Css(".groups-panel .button-row button"))
        .await
        .unwrap();
    buttons[1].click().await.unwrap();
    wait_count(console, ".group-card", 2).await
}
