//! Driving real headless Chromium through ChromeDriver (Debian's packages, installed by
//! `cargo xtask test`): start the driver, open phone- or projector-sized browsers with exact
//! viewports, wait for what a person would wait for, and save screenshots to look at.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::{Client as Browser, ClientBuilder, Locator};
use serde_json::json;
use tokio::process::{Child, Command};

/// A small phone's viewport.
pub const PHONE: (u32, u32) = (360, 740);
/// A 720p projector's viewport.
pub const PROJECTOR: (u32, u32) = (1280, 720);
/// How long any wait in a browser test may take.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// A running ChromeDriver.
pub struct Driver {
    _process: Child,
    url: String,
}

impl Driver {
    /// ChromeDriver's address, for commands fantoccini does not offer.
    pub fn url(&self) -> &str {
        &self.url
    }
}

/// Starts ChromeDriver on a free port.
pub async fn chromedriver() -> Driver {
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

/// A new browser with its own profile and an exact viewport.
pub async fn browser(
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
            // Downloads land in the profile's `downloads` folder ([`download_dir`]), unasked.
            "prefs": {
                "download.default_directory": download_dir(profile).display().to_string(),
                "download.prompt_for_download": false
            },
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

/// Where a browser made with `profile` saves downloads.
pub fn download_dir(profile: &tempfile::TempDir) -> PathBuf {
    profile.path().join("downloads")
}

/// Polls until `css` matches at least `count` elements; returns their texts.
pub async fn wait_count(browser: &Browser, css: &str, count: usize) -> Vec<String> {
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
pub async fn wait_text(browser: &Browser, css: &str, ok: impl Fn(&str) -> bool) -> String {
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

/// The element matching `css`, once it exists.
pub async fn element(browser: &Browser, css: &str) -> fantoccini::elements::Element {
    browser
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("waited for {css:?}: {e}"))
}

/// Types into the element matching `css`, once it exists.
pub async fn type_into(browser: &Browser, css: &str, text: &str) {
    element(browser, css).await.send_keys(text).await.unwrap();
}

/// Clicks the element matching `css`, once it exists.
pub async fn click(browser: &Browser, css: &str) {
    element(browser, css).await.click().await.unwrap();
}

/// Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page and returns its violations, each
/// with `id`, `impact`, `help` and up to five `nodes`. `cargo xtask test` installs axe-core and
/// sets `ORDET_AXE` to its script.
pub async fn axe_violations(browser: &Browser) -> Vec<serde_json::Value> {
    let path = std::env::var("ORDET_AXE").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../target/axe/node_modules/axe-core/axe.min.js"
        )
        .into()
    });
    let axe = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("axe-core not found at {path} ({e}): run the tests with `cargo xtask test`")
    });
    browser.execute(&axe, vec![]).await.expect("axe-core loads");
    let report = browser
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
              .then(result => done(result.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))
              }))))
              .catch(error => done([{ id: "axe-error", impact: "critical", help: String(error), nodes: [] }]));"#,
            vec![],
        )
        .await
        .expect("axe-core runs");
    report.as_array().cloned().unwrap_or_default()
}

/// Fails on any serious or critical accessibility violation on the page; prints lesser ones.
pub async fn assert_accessible(browser: &Browser, screen: &str) {
    let violations = axe_violations(browser).await;
    for v in &violations {
        println!(
            "axe {screen}: {} ({}) {} at {}",
            v["id"], v["impact"], v["help"], v["nodes"]
        );
    }
    let serious: Vec<&serde_json::Value> = violations
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    assert!(
        serious.is_empty(),
        "{screen}: serious accessibility violations: {serious:#?}"
    );
}

/// Where screenshots go: `target/tmp/screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../target/tmp")
        .join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Saves a screenshot as `name.png`.
pub async fn screenshot(browser: &Browser, name: &str) {
    let png = browser.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
}
