//! The input document and plans in real Chromium: the facilitator makes a plan from a meeting
//! in the console, opens the plan page, downloads the plan's document as DOCX and CSV (the
//! files arrive and hold the notes), takes the meeting out of the plan and adds it back with
//! its console link, imports a file, and deletes the plan after confirming in the page. A
//! second test deletes a meeting from its console; a third makes a plan on the start page.
//! Every new screen is checked with axe-core at 320×640 and 1280×720 and photographed.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::{Client as Browser, Locator};
use ordet_shared::state::BuiltinRole;
use ordet_shared::{Command, Key, Lang, NoteId};
use ordet_tests::chromium::{
    PATIENCE, PROJECTOR, assert_accessible, browser, chromedriver, click, download_dir, element,
    screenshot, type_into, wait_count, wait_text,
};
use ordet_tests::{Client, TestServer, join};

/// The narrowest phone WCAG asks pages to reflow to.
const NARROW_PHONE: (u32, u32) = (320, 640);

const NOTES: [&str; 3] = [
    "Fleire bussar om kvelden",
    "Gratis skulelunsj",
    "Lys langs skulevegen",
];

/// A meeting with three notes from a pupil's phone; returns the conference.
async fn meeting_with_notes(
    server: &TestServer,
    title: &str,
) -> ordet_shared::protocol::CreatedConference {
    let created = server.create(title, Lang::Nn).await;
    let (mut phone, _) = join(server, created.id, BuiltinRole::Youth).await;
    for text in NOTES {
        phone
            .run(Command::PostNote {
                note: NoteId::random(),
                text: text.into(),
                question: None,
                for_group: false,
            })
            .await
            .expect("note accepted");
    }
    phone.close().await;
    created
}

/// Waits for a downloaded file with `extension` in `dir` (Chromium renames it from
/// `.crdownload` once complete); returns its path and bytes.
async fn downloaded(dir: &Path, extension: &str) -> (PathBuf, Vec<u8>) {
    let started = Instant::now();
    loop {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == extension) {
                let bytes = std::fs::read(&path).unwrap();
                if !bytes.is_empty() {
                    return (path, bytes);
                }
            }
        }
        assert!(
            started.elapsed() < PATIENCE,
            "no .{extension} file arrived in {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The text of a DOCX file's body.
fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("a Word document part")
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// Scrolls the element matching `css` into view (for screenshots of a section).
async fn scroll_to(browser: &Browser, css: &str) {
    browser
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({ block: 'start' });",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap();
}

/// The value of the input matching `css`, once it is not empty.
async fn value_of(browser: &Browser, css: &str) -> String {
    let started = Instant::now();
    loop {
        let value = element(browser, css)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default();
        if !value.is_empty() {
            return value;
        }
        assert!(started.elapsed() < PATIENCE, "{css} stayed empty");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_meeting_goes_into_a_plan_whose_document_downloads_and_the_plan_is_deleted() {
    let driver = chromedriver().await;
    let server = TestServer::start().await;
    let base = server.base.clone();
    let created = meeting_with_notes(&server, "Ope møte på skulen").await;
    let console_link = format!("{base}{}", created.console_path);

    // The console, projector-sized, in English: its input document section.
    let console_profile = tempfile::tempdir().unwrap();
    let console = browser(&driver, PROJECTOR, &console_profile).await;
    console.goto(&base).await.unwrap();
    console
        .execute("localStorage.setItem('ordet.lang', '\"en\"');", vec![])
        .await
        .unwrap();
    console.goto(&console_link).await.unwrap();
    wait_text(&console, ".conn", |t| t.contains("Connected")).await;
    let downloads = wait_count(&console, ".document-panel .download-list .format-name", 5).await;
    assert_eq!(
        downloads,
        ["Word (DOCX)", "HTML", "Markdown", "CSV", "JSON"],
        "one button per format"
    );

    // This meeting's own document, as Markdown.
    click(&console, ".document-panel button[data-format=md]").await;
    wait_text(&console, ".document-panel .download-status", |t| {
        t.starts_with("Downloaded:")
    })
    .await;
    let (path, markdown) = downloaded(&download_dir(&console_profile), "md").await;
    let markdown = String::from_utf8(markdown).unwrap();
    assert!(
        NOTES.iter().all(|note| markdown.contains(note)),
        "{}: {markdown}",
        path.display()
    );

    // A plan from this meeting: the name is offered, the link shown with its warning.
    click(&console, ".document-panel details.fold summary").await;
    let offered = value_of(&console, "#console-plan-title").await;
    assert_eq!(
        offered, "Innspel: Ope møte på skulen",
        "in the meeting's language"
    );
    let title_field = element(&console, "#console-plan-title").await;
    title_field.clear().await.unwrap();
    title_field
        .send_keys("Oppvekstplan 2027–2030")
        .await
        .unwrap();
    click(&console, ".document-panel .plan-form button[type=submit]").await;
    let plan_link = value_of(&console, "#new-plan-link").await;
    assert!(plan_link.starts_with(&format!("{base}/p/")), "{plan_link}");
    wait_text(&console, ".document-panel .plan-status", |t| {
        t.contains("“Oppvekstplan 2027–2030” is created, and this meeting is in it")
    })
    .await;
    let warning = wait_text(&console, ".plan-created .warning", |t| !t.is_empty()).await;
    assert!(warning.contains("key to the plan"), "{warning}");
    scroll_to(&console, ".document-panel").await;
    screenshot(&console, "plans-console-created-1280").await;
    scroll_to(&console, ".plan-created").await;
    screenshot(&console, "plans-console-link-1280").await;
    assert_accessible(&console, "plans-console-created-1280").await;

    // The console remembers the plan in this browser.
    console.refresh().await.unwrap();
    let known = wait_text(&console, ".known-plans", |t| !t.is_empty()).await;
    assert!(
        known.contains("This meeting is in the plan “Oppvekstplan 2027–2030”"),
        "{known}"
    );

    // The plan page on a narrow phone: the meeting is listed with a Norwegian date.
    let phone_profile = tempfile::tempdir().unwrap();
    let phone = browser(&driver, NARROW_PHONE, &phone_profile).await;
    phone.goto(&plan_link).await.unwrap();
    wait_text(&phone, "h1", |t| t == "Oppvekstplan 2027–2030").await;
    let meeting = wait_text(&phone, ".meeting", |t| !t.is_empty()).await;
    assert!(meeting.contains("Ope møte på skulen"), "{meeting}");
    assert!(
        Key::MonthNames
            .text(Lang::Nn)
            .split(' ')
            .any(|m| meeting.contains(&format!(". {m} 20"))),
        "a date such as 23. november 2026: {meeting}"
    );
    assert!(meeting.contains("Møte på denne tenaren"), "{meeting}");
    screenshot(&phone, "plans-page-320").await;
    assert_accessible(&phone, "plans-page-320").await;
    for (part, css) in [("tools", ".plan-grid"), ("delete", ".danger-card")] {
        scroll_to(&phone, css).await;
        screenshot(&phone, &format!("plans-page-{part}-320")).await;
    }

    // The plan page at 1280×720 in English: download the plan's document as DOCX and CSV.
    let page_profile = tempfile::tempdir().unwrap();
    let page = browser(&driver, PROJECTOR, &page_profile).await;
    page.goto(&base).await.unwrap();
    page.execute("localStorage.setItem('ordet.lang', '\"en\"');", vec![])
        .await
        .unwrap();
    page.goto(&plan_link).await.unwrap();
    wait_count(&page, ".meeting", 1).await;
    wait_text(&page, ".connection", |t| t.contains("Up to date")).await;
    screenshot(&page, "plans-page-1280").await;
    assert_accessible(&page, "plans-page-1280").await;
    scroll_to(&page, ".plan-grid").await;
    screenshot(&page, "plans-page-tools-1280").await;
    click(&page, "button[data-format=docx]").await;
    let (_, docx) = downloaded(&download_dir(&page_profile), "docx").await;
    assert!(docx.starts_with(b"PK"), "a DOCX file is a zip file");
    let body = docx_text(&docx);
    assert!(NOTES.iter().all(|note| body.contains(note)), "{body}");
    wait_text(&page, ".plan-grid .download-status", |t| {
        t.contains(".docx")
    })
    .await;
    click(&page, "button[data-format=csv]").await;
    let (_, csv) = downloaded(&download_dir(&page_profile), "csv").await;
    let csv = String::from_utf8(csv).unwrap();
    assert!(NOTES.iter().all(|note| csv.contains(note)), "{csv}");
    assert!(csv.contains("Oppvekstplan 2027–2030"), "{csv}");

    // Take the meeting out (it is not deleted), then add it back with its console link.
    click(&page, ".remove-meeting").await;
    wait_text(&page, ".said", |t| {
        t.contains(
            "“Ope møte på skulen” is taken out of the plan. The meeting itself is not deleted",
        )
    })
    .await;
    wait_text(&page, ".empty", |t| {
        t.contains("No meetings in the plan yet")
    })
    .await;
    assert!(page.find(Locator::Css(".meeting")).await.is_err());
    type_into(&page, "#console-link", "not a link").await;
    click(&page, "#console-link ~ button[type=submit]").await;
    wait_text(&page, "#console-link-problem", |t| {
        t.contains("not a console link")
    })
    .await;
    let field = element(&page, "#console-link").await;
    field.clear().await.unwrap();
    field
        .send_keys(&format!("  {console_link} "))
        .await
        .unwrap();
    click(&page, "#console-link ~ button[type=submit]").await;
    wait_text(&page, ".said", |t| {
        t.contains("“Ope møte på skulen” is in the plan")
    })
    .await;
    wait_count(&page, ".meeting", 1).await;

    // Import a meeting from a file exported elsewhere.
    let other = meeting_with_notes(&server, "Referansegruppa").await;
    let exported = reqwest::Client::new()
        .get(format!("{base}/api/conferences/{}/export/json", other.id))
        .bearer_auth(&other.facilitator_key)
        .send()
        .await
        .unwrap();
    assert_eq!(exported.status(), 200);
    let file = page_profile.path().join("referansegruppa.json");
    std::fs::write(&file, exported.bytes().await.unwrap()).unwrap();
    click(&page, "#import-file ~ button[type=submit]").await;
    wait_text(&page, "#import-problem", |t| {
        t.contains("Choose a file first")
    })
    .await;
    element(&page, "#import-file")
        .await
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    click(&page, "#import-file ~ button[type=submit]").await;
    wait_text(&page, ".said", |t| {
        t.contains("Meetings imported from the file: 1")
    })
    .await;
    let meetings = wait_count(&page, ".meeting", 2).await;
    assert!(
        meetings
            .iter()
            .any(|m| m.contains("Referansegruppa") && m.contains("Imported from a file")),
        "{meetings:?}"
    );

    // Delete the plan: the page asks first, and offers the JSON file.
    click(&page, ".danger-card button.danger").await;
    let question = wait_text(&page, ".confirm-question", |t| !t.is_empty()).await;
    assert_eq!(
        question,
        "Delete “Oppvekstplan 2027–2030” and every meeting in it for good?"
    );
    let focused = page
        .execute(
            "return document.activeElement.classList.contains('confirm-question');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        focused,
        serde_json::json!(true),
        "the question has the focus"
    );
    scroll_to(&page, ".danger-card").await;
    screenshot(&page, "plans-page-confirm-1280").await;
    assert_accessible(&page, "plans-page-confirm-1280").await;
    click(&page, ".confirm-box .button-row button:first-child").await;
    let (_, json) = downloaded(&download_dir(&page_profile), "json").await;
    assert!(
        String::from_utf8(json).unwrap().contains(NOTES[0]),
        "the JSON file holds the notes"
    );
    click(&page, ".confirm-delete").await;
    wait_text(&page, "h1", |t| t == "The plan is deleted").await;
    screenshot(&page, "plans-page-deleted-1280").await;
    assert_accessible(&page, "plans-page-deleted-1280").await;

    // Gone on the server: the plan, and the conference that was in it.
    let (plan_id, plan_key) = plan_link
        .split_once("/p/")
        .and_then(|(_, rest)| rest.split_once('#'))
        .unwrap();
    let http = reqwest::Client::new();
    let plan = http
        .get(format!("{base}/api/plans/{plan_id}"))
        .bearer_auth(plan_key)
        .send()
        .await
        .unwrap();
    assert_eq!(plan.status(), 404);
    let conference = http
        .get(format!("{base}/api/conferences/{}/export/md", created.id))
        .bearer_auth(&created.facilitator_key)
        .send()
        .await
        .unwrap();
    assert_eq!(conference.status(), 404);

    for b in [console, phone, page] {
        b.close().await.unwrap();
    }
}

#[tokio::test]
async fn the_facilitator_deletes_a_meeting_after_confirming_in_the_page() {
    let driver = chromedriver().await;
    let server = TestServer::start().await;
    let base = server.base.clone();
    let created = meeting_with_notes(&server, "Styringsgruppa").await;
    // A plan made elsewhere, whose link the facilitator pastes into the console.
    let plan = ordet_tests::create_plan(&base, "Rusmiddelpolitisk handlingsplan", Lang::Nb).await;
    // A projector that is watching when the meeting is deleted.
    let mut watching = Client::connect(
        &server.ws_url(),
        created.id,
        ordet_shared::protocol::Auth::Screen {
            key: created.screen_key.clone(),
        },
        None,
    )
    .await
    .expect("the projector is admitted");

    // The console on a narrow phone, in nynorsk (the meeting's language).
    let profile = tempfile::tempdir().unwrap();
    let console = browser(&driver, NARROW_PHONE, &profile).await;
    console
        .goto(&format!("{base}{}", created.console_path))
        .await
        .unwrap();
    wait_text(&console, ".conn", |t| t.contains("Tilkopla")).await;
    click(
        &console,
        ".document-panel details.fold:nth-of-type(2) summary",
    )
    .await;
    type_into(&console, "#existing-plan-link", "/p/feil#lenkje").await;
    click(&console, "#existing-plan-link ~ button[type=submit]").await;
    wait_text(&console, "#existing-plan-link-problem", |t| {
        t.contains("ikkje ei planlenkje")
    })
    .await;
    let field = element(&console, "#existing-plan-link").await;
    field.clear().await.unwrap();
    field
        .send_keys(&format!("{base}{}", plan.plan_path))
        .await
        .unwrap();
    click(&console, "#existing-plan-link ~ button[type=submit]").await;
    wait_text(&console, ".known-plans", |t| {
        t.contains("Dette møtet er med i planen «Rusmiddelpolitisk handlingsplan».")
    })
    .await;
    scroll_to(&console, ".document-panel").await;
    screenshot(&console, "plans-console-320").await;
    assert_accessible(&console, "plans-console-320").await;

    // Asking first; cancelling gives the focus back to the button.
    click(&console, ".document-panel button.danger").await;
    let question = wait_text(&console, ".confirm-question", |t| !t.is_empty()).await;
    assert_eq!(question, "Vil du slette «Styringsgruppa» for godt?");
    scroll_to(&console, ".confirm-box").await;
    screenshot(&console, "plans-console-confirm-320").await;
    assert_accessible(&console, "plans-console-confirm-320").await;
    click(&console, ".confirm-box .button-row button:last-child").await;
    let started = Instant::now();
    loop {
        let back = console
            .execute(
                "return document.activeElement.matches('.document-panel button.danger');",
                vec![],
            )
            .await
            .unwrap();
        if back == serde_json::json!(true) {
            break;
        }
        assert!(started.elapsed() < PATIENCE, "the focus went back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(console.find(Locator::Css(".confirm-box")).await.is_err());

    // Download the JSON first, then delete for good.
    click(&console, ".document-panel button.danger").await;
    click(&console, ".confirm-box .button-row button:first-child").await;
    let (_, json) = downloaded(&download_dir(&profile), "json").await;
    assert!(String::from_utf8(json).unwrap().contains(NOTES[1]));
    click(&console, ".confirm-delete").await;
    wait_text(&console, "h1", |t| t == "Møtet er sletta").await;
    let link = element(&console, "main a.button").await;
    assert_eq!(link.attr("href").await.unwrap().as_deref(), Some("/"));
    screenshot(&console, "plans-console-deleted-320").await;
    assert_accessible(&console, "plans-console-deleted-320").await;

    // The projector was closed; the meeting is gone, and gone from the plan.
    watching.wait_close().await;
    let refused = Client::connect(
        &server.ws_url(),
        created.id,
        ordet_shared::protocol::Auth::Facilitator {
            key: created.facilitator_key.clone(),
        },
        None,
    )
    .await
    .err()
    .expect("a deleted meeting admits nobody");
    assert_eq!(
        refused.error,
        Some(ordet_shared::protocol::ErrorCode::UnknownConference)
    );
    let info = ordet_tests::plan_info(&base, &plan).await;
    assert!(info.meetings.is_empty(), "{info:?}");
    // The console forgot what it kept about the meeting in this browser.
    let kept = console
        .execute(
            "return Object.keys(localStorage).filter(k => k.includes(arguments[0]));",
            vec![serde_json::json!(created.id.to_string())],
        )
        .await
        .unwrap();
    assert_eq!(kept, serde_json::json!([]));
    console.close().await.unwrap();
}

#[tokio::test]
async fn a_plan_is_made_from_the_start_page() {
    let driver = chromedriver().await;
    let server = TestServer::start().await;
    let profile = tempfile::tempdir().unwrap();
    let start = browser(&driver, NARROW_PHONE, &profile).await;
    start.goto(&server.base).await.unwrap();
    // The plan entry comes after joining and starting a conference, folded away.
    let headings = wait_count(&start, "main h2", 3).await;
    assert_eq!(headings.len(), 3, "{headings:?}");
    click(&start, ".plans-entry summary").await;
    click(&start, ".plans-entry button[type=submit]").await;
    wait_text(&start, "#new-plan-problem", |t| {
        t == "Write the name of the plan."
    })
    .await;
    screenshot(&start, "plans-start-320").await;
    assert_accessible(&start, "plans-start-320").await;
    type_into(&start, "#new-plan-title", "Oppvekstplan 2027–2030").await;
    click(&start, ".plans-entry button[type=submit]").await;
    wait_text(&start, "h1", |t| t == "Oppvekstplan 2027–2030").await;
    let url = start.current_url().await.unwrap();
    assert!(url.path().starts_with("/p/"), "{url}");
    assert!(url.fragment().is_some_and(|f| f.len() > 20), "{url}");
    let warning = wait_text(&start, ".warning", |t| !t.is_empty()).await;
    assert!(!warning.is_empty());
    wait_text(&start, ".empty", |t| !t.is_empty()).await;

    // A link to a plan that does not exist (any more) says so, in the page.
    start
        .goto(&format!(
            "{}/p/{}#{}",
            server.base,
            ordet_shared::PlanId::random(),
            "x".repeat(43)
        ))
        .await
        .unwrap();
    let problem = wait_text(&start, "main .problem", |t| !t.is_empty()).await;
    assert!(problem.contains("plan was not found"), "{problem}");
    wait_text(&start, ".connection", |t| t.contains("Try again")).await;
    assert_accessible(&start, "plans-unknown-320").await;
    start.close().await.unwrap();
}
