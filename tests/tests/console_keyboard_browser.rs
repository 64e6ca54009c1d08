//! The facilitator's themes board in real Chromium, with the keyboard alone and at scale.
//!
//! - Ten notes are sorted into three themes with Tab, the arrow keys, Enter and Escape only;
//!   the server's state then shows every note where it was meant to go and no other note
//!   moved (arrow keys only move a highlight: nothing acts until Enter).
//! - Renaming a theme, fixing a typo and merging two notes go through dialogs in the page
//!   (never the browser's `prompt()`), and a fixed typo shows in the console's notes list at
//!   once.
//! - The page's element count grows in proportion to the notes (no list of every other note
//!   on every card), and the console does not scroll sideways with many themes.
//! - An ignored measurement (`cargo test -p ordet-tests --test console_keyboard_browser --
//!   --ignored --nocapture`) loads the console with 150 and 500 notes in 20 themes and prints
//!   the load time, element count and how soon one more note shows.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use fantoccini::Client as Browser;
use fantoccini::key::Key;
use ordet_shared::notes::Place;
use ordet_shared::protocol::{Auth, CreatedConference};
use ordet_shared::{Command, Lang, NoteId, ThemeId};
use ordet_tests::chromium::{
    PATIENCE, assert_accessible, browser, chromedriver, screenshot, wait_count, wait_text,
};
use ordet_tests::{Client, TestServer};
use serde_json::json;

/// A 1366×768 laptop, the facilitator's usual screen.
const LAPTOP: (u32, u32) = (1366, 768);

/// A server without the per-address message limit: every test client comes from 127.0.0.1.
async fn server() -> TestServer {
    TestServer::start_with(|config| {
        config.messages_per_address = (1_000_000, 1_000_000.0);
    })
    .await
}

/// Opens the console of `created` and waits until it is connected.
async fn open_console(browser: &Browser, server: &TestServer, created: &CreatedConference) {
    browser
        .goto(&format!(
            "{}/f/{}#{}",
            server.base, created.id, created.facilitator_key
        ))
        .await
        .unwrap();
    wait_text(browser, ".conn", |t| t.contains("Connected")).await;
}

/// Posts `texts` as the facilitator; returns their identifiers, in order.
async fn post_all(facilitator: &mut Client, texts: &[String]) -> Vec<NoteId> {
    let mut ids = Vec::new();
    for text in texts {
        let note = NoteId::random();
        facilitator
            .run(Command::PostNote {
                note,
                text: text.clone(),
                question: None,
                for_group: false,
            })
            .await
            .unwrap();
        ids.push(note);
    }
    ids
}

/// Makes a theme called `name`.
async fn theme(facilitator: &mut Client, name: &str) -> ThemeId {
    let theme = ThemeId::random();
    facilitator
        .run(Command::CreateTheme {
            theme,
            name: name.into(),
        })
        .await
        .unwrap();
    theme
}

/// Presses `key` on the focused element.
async fn press(browser: &Browser, key: Key) {
    browser
        .active_element()
        .await
        .unwrap()
        .send_keys(&char::from(key).to_string())
        .await
        .unwrap();
}

/// Types `text` into the focused element.
async fn type_here(browser: &Browser, text: &str) {
    browser
        .active_element()
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// Whether the focused element matches `css`.
async fn focused(browser: &Browser, css: &str) -> bool {
    browser
        .execute(
            "return !!document.activeElement && document.activeElement.matches(arguments[0]);",
            vec![json!(css)],
        )
        .await
        .unwrap()
        .as_bool()
        == Some(true)
}

/// The focused element's text (or label).
async fn focused_text(browser: &Browser) -> String {
    browser
        .execute(
            "const e = document.activeElement; \
             return e ? (e.getAttribute('aria-label') || e.textContent || '').trim() : '';",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Waits until the focused element matches `css`.
async fn wait_focus(browser: &Browser, css: &str) {
    let deadline = Instant::now() + PATIENCE;
    while !focused(browser, css).await {
        assert!(Instant::now() < deadline, "focus never reached {css:?}");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

/// Presses Tab until the focused element matches `css`.
async fn tab_to(browser: &Browser, css: &str) {
    for _ in 0..200 {
        if focused(browser, css).await {
            return;
        }
        press(browser, Key::Tab).await;
    }
    panic!("Tab never reached {css:?}");
}

/// Presses ArrowDown in the open menu until the highlighted item's text contains `wanted`.
async fn arrow_to(browser: &Browser, wanted: &str) {
    let deadline = Instant::now() + PATIENCE;
    while !focused(browser, "[role=menu] [role=menuitem]").await {
        assert!(Instant::now() < deadline, "focus never went into the menu");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    for _ in 0..40 {
        if focused_text(browser).await.contains(wanted) {
            return;
        }
        press(browser, Key::Down).await;
    }
    panic!(
        "no menu item {wanted:?}; focus is on {:?}",
        focused_text(browser).await
    );
}

/// Waits until the facilitator's state satisfies `done`.
async fn until(facilitator: &mut Client, done: impl Fn(&ordet_shared::State) -> bool) {
    tokio::time::timeout(PATIENCE, facilitator.until(done))
        .await
        .expect("the state got there");
}

/// Places of every note, as the server has them.
fn places(facilitator: &Client) -> HashMap<NoteId, Place> {
    facilitator
        .state
        .as_ref()
        .unwrap()
        .notes
        .values()
        .map(|n| (n.id, n.place))
        .collect()
}

/// Elements in the page.
const ELEMENTS: &str = "return document.getElementsByTagName('*').length;";

/// Whether the page scrolls sideways.
const OVERFLOW: &str = "return document.documentElement.scrollWidth > window.innerWidth + 1 \
    ? document.documentElement.scrollWidth : 0;";

/// "Sort the rest into my themes" from the console: two themes the facilitator made, each with
/// one note; the proposal lists the unsorted notes that are like a theme, with how sure and
/// the shared words, the surest ticked; "Use the selected" moves exactly those, and Undo
/// takes them back.
#[tokio::test]
async fn the_rest_is_sorted_into_my_themes_from_the_console_and_undone() {
    let server = server().await;
    let created = server.create("Sorter resten", Lang::En).await;
    let mut facilitator = Client::facilitator(&server.ws_url(), &created).await;
    let texts: Vec<String> = [
        "Bussen går for sjeldan",
        "Gratis skulemat for alle",
        "Bussane om kvelden er fulle",
        "Skulematen er kald",
        "Eg likar fotball",
    ]
    .iter()
    .map(|t| t.to_string())
    .collect();
    let notes = post_all(&mut facilitator, &texts).await;
    let bus = theme(&mut facilitator, "Bussen").await;
    let food = theme(&mut facilitator, "Skulemat").await;
    for (note, theme) in [(notes[0], bus), (notes[1], food)] {
        facilitator
            .run(Command::PlaceNote {
                note,
                place: Place::Wall { theme: Some(theme) },
            })
            .await
            .unwrap();
    }

    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let console = browser(&driver, LAPTOP, &profile).await;
    open_console(&console, &server, &created).await;
    wait_count(&console, ".board-note", 5).await;
    let sort = console
        .find(fantoccini::Locator::XPath(
            "//button[normalize-space()='Sort the rest into my themes']",
        ))
        .await
        .expect("the button");
    sort.click().await.unwrap();
    let listed = wait_count(&console, "[aria-labelledby=placements-heading] li", 2).await;
    let bus_line = listed
        .iter()
        .find(|l| l.contains("Bussane om kvelden"))
        .expect("the bus note is proposed");
    assert!(bus_line.contains("into “Bussen”"), "{bus_line}");
    assert!(bus_line.contains("% sure"), "{bus_line}");
    assert!(
        bus_line.to_lowercase().contains("shared words: buss"),
        "{bus_line}"
    );
    assert!(
        !listed.iter().any(|l| l.contains("fotball")),
        "a note like no theme is not proposed: {listed:?}"
    );
    screenshot(&console, "console-sort-the-rest").await;
    assert_accessible(&console, "console-sort-the-rest").await;
    // Nothing moved yet.
    assert!(
        places(&facilitator)
            .values()
            .filter(|p| **p == Place::Wall { theme: None })
            .count()
            == 3
    );
    let use_selected = console
        .find(fantoccini::Locator::XPath(
            "//*[@aria-labelledby='placements-heading']//button[normalize-space()='Use the selected']",
        ))
        .await
        .unwrap();
    use_selected.click().await.unwrap();
    until(&mut facilitator, |s| {
        s.notes[&notes[2]].place == Place::Wall { theme: Some(bus) }
            && s.notes[&notes[3]].place == Place::Wall { theme: Some(food) }
    })
    .await;
    assert_eq!(places(&facilitator)[&notes[4]], Place::Wall { theme: None });
    // Undo: both back to unsorted.
    let undo = console
        .find(fantoccini::Locator::XPath(
            "//section[contains(@class,'themes-panel')]//button[contains(normalize-space(),'Undo')]",
        ))
        .await
        .unwrap();
    undo.click().await.unwrap();
    until(&mut facilitator, |s| {
        s.notes[&notes[2]].place == Place::Wall { theme: None }
            && s.notes[&notes[3]].place == Place::Wall { theme: None }
    })
    .await;
    console.close().await.unwrap();
}

#[tokio::test]
async fn ten_notes_are_sorted_into_three_themes_with_the_keyboard_alone() {
    let server = server().await;
    let created = server.create("Tastatur", Lang::En).await;
    let mut facilitator = Client::facilitator(&server.ws_url(), &created).await;
    let texts: Vec<String> = (0..10).map(|i| format!("Note number {i}")).collect();
    let notes = post_all(&mut facilitator, &texts).await;
    let themes = [
        theme(&mut facilitator, "Buses").await,
        theme(&mut facilitator, "Food").await,
        theme(&mut facilitator, "Breaks").await,
    ];
    let names = ["Buses", "Food", "Breaks"];

    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let console = browser(&driver, LAPTOP, &profile).await;
    open_console(&console, &server, &created).await;
    wait_count(&console, ".board-note", 10).await;

    // Each note is one tab stop: its "Actions" button.
    let stops: u64 = console
        .execute(
            "return [...document.querySelectorAll('.board-note')].map(card =>
                [...card.querySelectorAll('button, select, input, a[href], [tabindex]')]
                    .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length).length)
                .reduce((a, b) => Math.max(a, b), 0);",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap();
    assert_eq!(stops, 1, "a note is one tab stop");

    // Arrow keys in a menu only move the highlight: nothing moved by them, Escape closes
    // and gives focus back to the note's button.
    let first = format!(".note-actions[data-note='{}']", notes[0]);
    tab_to(&console, &first).await;
    press(&console, Key::Enter).await;
    wait_count(&console, "[role=menu] [role=menuitem]", 2).await;
    console
        .execute(
            "document.getElementById('board-menu').scrollIntoView({ block: 'center' });",
            vec![],
        )
        .await
        .unwrap();
    screenshot(&console, "console-keyboard-menu").await;
    assert_accessible(&console, "console-keyboard-menu").await;
    for _ in 0..6 {
        press(&console, Key::Down).await;
    }
    press(&console, Key::Up).await;
    press(&console, Key::Escape).await;
    wait_focus(&console, &first).await;
    assert_eq!(
        console
            .find_all(fantoccini::Locator::Css("[role=menu]"))
            .await
            .unwrap()
            .len(),
        0,
        "Escape closes the menu"
    );
    let before = places(&facilitator);
    facilitator
        .run(Command::RenameTheme {
            theme: themes[0],
            name: "Buses".into(),
        })
        .await
        .ok();
    assert_eq!(places(&facilitator), before, "arrows moved nothing");

    // Sort: note i goes to theme i % 3, except the last, which stays unsorted.
    let mut intended = places(&facilitator);
    for (i, note) in notes.iter().enumerate().take(9) {
        let button = format!(".note-actions[data-note='{note}']");
        tab_to(&console, &button).await;
        press(&console, Key::Enter).await;
        wait_count(&console, "[role=menu] [role=menuitem]", 2).await;
        arrow_to(&console, "Move the note").await;
        press(&console, Key::Enter).await;
        arrow_to(&console, names[i % 3]).await;
        press(&console, Key::Enter).await;
        let theme = themes[i % 3];
        intended.insert(*note, Place::Wall { theme: Some(theme) });
        let note = *note;
        until(&mut facilitator, |s| {
            s.notes.get(&note).unwrap().place == Place::Wall { theme: Some(theme) }
        })
        .await;
        // Focus follows the note to its new column, so the next key goes on from there.
        let deadline = Instant::now() + PATIENCE;
        while !focused(&console, &button).await {
            assert!(
                Instant::now() < deadline,
                "focus returned to the moved note"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(places(&facilitator), intended, "only note {i} moved");
    }
    screenshot(&console, "console-keyboard-sorted").await;

    // Merging asks first: Escape on the question merges nothing.
    let last = format!(".note-actions[data-note='{}']", notes[9]);
    tab_to(&console, &last).await;
    press(&console, Key::Enter).await;
    wait_count(&console, "[role=menu] [role=menuitem]", 2).await;
    arrow_to(&console, "Merge with").await;
    press(&console, Key::Enter).await;
    arrow_to(&console, "Note number 3").await;
    press(&console, Key::Enter).await;
    wait_count(&console, "dialog[open]", 1).await;
    screenshot(&console, "console-keyboard-merge-question").await;
    assert_accessible(&console, "console-keyboard-merge-question").await;
    press(&console, Key::Escape).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(places(&facilitator), intended, "no merge without a yes");

    // And Enter on "Merge" merges.
    tab_to(&console, &last).await;
    press(&console, Key::Enter).await;
    wait_count(&console, "[role=menu] [role=menuitem]", 2).await;
    arrow_to(&console, "Merge with").await;
    press(&console, Key::Enter).await;
    arrow_to(&console, "Note number 3").await;
    press(&console, Key::Enter).await;
    wait_count(&console, "dialog[open]", 1).await;
    tab_to(&console, "dialog[open] button.primary-inline").await;
    press(&console, Key::Enter).await;
    intended.insert(notes[9], Place::Merged { into: notes[3] });
    let (merged, into) = (notes[9], notes[3]);
    until(&mut facilitator, |s| {
        s.notes.get(&merged).unwrap().place == Place::Merged { into }
    })
    .await;
    assert_eq!(places(&facilitator), intended, "only the merge happened");
    console.close().await.unwrap();
}

#[tokio::test]
async fn renaming_and_fixing_a_typo_use_dialogs_in_the_page() {
    let server = server().await;
    let created = server.create("Dialogar", Lang::En).await;
    let mut facilitator = Client::facilitator(&server.ws_url(), &created).await;
    let notes = post_all(&mut facilitator, &["Mroe buses".to_string()]).await;
    let buses = theme(&mut facilitator, "Bsues").await;

    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let console = browser(&driver, LAPTOP, &profile).await;
    open_console(&console, &server, &created).await;
    wait_count(&console, ".board-note", 1).await;
    // A prompt() would stop the page; make any call to it fail the test instead.
    console
        .execute(
            "window.prompt = () => { window.__prompted = true; return null; };",
            vec![],
        )
        .await
        .unwrap();

    // Rename the theme: its menu, "Rename", a labelled field, Enter.
    let theme_button = format!(".theme-actions[data-theme='{buses}']");
    tab_to(&console, &theme_button).await;
    press(&console, Key::Enter).await;
    wait_count(&console, "[role=menu] [role=menuitem]", 2).await;
    arrow_to(&console, "Rename").await;
    press(&console, Key::Enter).await;
    wait_count(&console, "dialog[open] input", 1).await;
    assert!(
        focused(&console, "dialog[open] input").await,
        "focus moves into the dialog"
    );
    let label: String = console
        .execute(
            "const i = document.querySelector('dialog[open] input'); \
             return i.labels.length ? i.labels[0].textContent : '';",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    assert!(!label.trim().is_empty(), "the field has a label");
    screenshot(&console, "console-rename-dialog").await;
    assert_accessible(&console, "console-rename-dialog").await;
    // Select all and type over it.
    press(&console, Key::End).await;
    for _ in 0.."Bsues".len() {
        press(&console, Key::Backspace).await;
    }
    type_here(&console, "Buses").await;
    press(&console, Key::Enter).await;
    until(&mut facilitator, |s| {
        s.theme(buses).is_some_and(|t| t.name == "Buses")
    })
    .await;
    wait_count(&console, ".theme-column[aria-label=Buses]", 1).await;
    let deadline = Instant::now() + PATIENCE;
    while !focused(&console, &theme_button).await {
        assert!(
            Instant::now() < deadline,
            "focus returned to the theme's button"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Fix the note's typo the same way; the notes list shows it at once.
    let note_button = format!(".note-actions[data-note='{}']", notes[0]);
    tab_to(&console, &note_button).await;
    press(&console, Key::Enter).await;
    wait_count(&console, "[role=menu] [role=menuitem]", 2).await;
    arrow_to(&console, "Fix a typo").await;
    press(&console, Key::Enter).await;
    wait_count(&console, "dialog[open] textarea", 1).await;
    assert!(focused(&console, "dialog[open] textarea").await);
    screenshot(&console, "console-typo-dialog").await;
    console
        .execute(
            "const t = document.querySelector('dialog[open] textarea'); t.select();",
            vec![],
        )
        .await
        .unwrap();
    type_here(&console, "More buses").await;
    tab_to(&console, "dialog[open] button.primary-inline").await;
    press(&console, Key::Enter).await;
    let note = notes[0];
    until(&mut facilitator, |s| {
        s.notes.get(&note).unwrap().text == "More buses"
    })
    .await;
    wait_text(&console, ".note-list", |t| t.contains("More buses")).await;
    wait_text(&console, ".board", |t| t.contains("More buses")).await;
    let prompted = console
        .execute("return !!window.__prompted;", vec![])
        .await
        .unwrap();
    assert_eq!(prompted, json!(false), "no prompt()");
    console.close().await.unwrap();
}

/// Runs `command`, waiting and trying again while the connection's rate limit refuses it.
async fn patiently(client: &mut Client, command: Command) {
    loop {
        match client.run(command.clone()).await {
            Err(ordet_shared::protocol::ErrorCode::RateLimited) => {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            answer => {
                answer.unwrap();
                return;
            }
        }
    }
}

/// Posts `count` notes and spreads them over `themes` (the first note of every
/// `themes.len() + 1` stays unsorted).
async fn fill(server: &TestServer, created: &CreatedConference, count: usize, themes: &[ThemeId]) {
    let writers = 25;
    let mut tasks = Vec::new();
    for w in 0..writers {
        let url = server.ws_url();
        let key = created.facilitator_key.clone();
        let id = created.id;
        let themes = themes.to_vec();
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(&url, id, Auth::Facilitator { key }, None)
                .await
                .unwrap();
            for i in (w..count).step_by(writers) {
                let note = NoteId::random();
                patiently(
                    &mut client,
                    Command::PostNote {
                        note,
                        text: format!("Innspel {i}: meir lys og fleire benkar i skulegarden"),
                        question: None,
                        for_group: false,
                    },
                )
                .await;
                let slot = i % (themes.len() + 1);
                if slot > 0 {
                    let place = Place::Wall {
                        theme: Some(themes[slot - 1]),
                    };
                    patiently(&mut client, Command::PlaceNote { note, place }).await;
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

/// Counts the page's elements with `n` notes on the board.
async fn elements_with(console: &Browser, n: usize) -> u64 {
    wait_count(console, ".board-note", n).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    console
        .execute(ELEMENTS, vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn the_page_grows_in_proportion_to_the_notes_and_never_sideways() {
    let server = server().await;
    let created = server.create("Mange", Lang::En).await;
    let mut facilitator = Client::facilitator(&server.ws_url(), &created).await;
    let mut themes = Vec::new();
    for i in 0..8 {
        themes.push(theme(&mut facilitator, &format!("Theme {i}")).await);
    }
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let console = browser(&driver, LAPTOP, &profile).await;
    open_console(&console, &server, &created).await;
    let empty = elements_with(&console, 0).await;
    fill(&server, &created, 50, &themes).await;
    let fifty = elements_with(&console, 50).await;
    fill(&server, &created, 150, &themes).await;
    let two_hundred = elements_with(&console, 200).await;
    let ratio = (two_hundred - empty) as f64 / (fifty - empty) as f64;
    println!(
        "elements: {empty} empty, {fifty} with 50 notes, {two_hundred} with 200: ratio {ratio:.2}"
    );
    assert!(
        (3.5..=4.5).contains(&ratio),
        "four times the notes should be about four times the elements, not {ratio:.2}"
    );
    let overflow = console.execute(OVERFLOW, vec![]).await.unwrap();
    assert_eq!(
        overflow,
        json!(0),
        "the console scrolls sideways with 8 themes"
    );
    console.close().await.unwrap();

    // 200 % zoom: a 1366×768 screen seen as 683×384.
    let zoomed_profile = tempfile::tempdir().unwrap();
    let zoomed = browser(&driver, (683, 384), &zoomed_profile).await;
    open_console(&zoomed, &server, &created).await;
    wait_count(&zoomed, ".board-note", 200).await;
    let overflow = zoomed.execute(OVERFLOW, vec![]).await.unwrap();
    screenshot(&zoomed, "console-zoomed-board").await;
    assert_eq!(overflow, json!(0), "the console scrolls sideways at 200 %");
    zoomed.close().await.unwrap();
}

/// Watches the board for a note containing `marker`; the time it appeared is kept in
/// `window.__seen`, and the time the watch began in `window.__start`.
const WATCH: &str = "
    const marker = arguments[0];
    window.__seen = null;
    window.__found = false;
    const board = document.querySelector('.board');
    const observer = new MutationObserver(() => {
        if (!window.__found && board.textContent.includes(marker)) {
            window.__found = true;
            observer.disconnect();
            // Shown once the browser has painted the frame after the change.
            requestAnimationFrame(() => setTimeout(() => { window.__seen = performance.now(); }));
        }
    });
    observer.observe(board, { childList: true, subtree: true, characterData: true });
    window.__start = performance.now();
";

#[tokio::test]
#[ignore = "a measurement, not a test: run with --ignored --nocapture"]
async fn measure_the_console_with_150_and_500_notes() {
    let server = server().await;
    let driver = chromedriver().await;
    for total in [150, 500] {
        let created = server.create("Måling", Lang::En).await;
        let mut setup = Client::facilitator(&server.ws_url(), &created).await;
        let mut themes = Vec::new();
        for i in 0..20 {
            themes.push(theme(&mut setup, &format!("Tema {i}")).await);
        }
        setup.close().await;
        fill(&server, &created, total, &themes).await;
        let profile = tempfile::tempdir().unwrap();
        let console = browser(&driver, LAPTOP, &profile).await;
        let started = Instant::now();
        console
            .goto(&format!(
                "{}/f/{}#{}",
                server.base, created.id, created.facilitator_key
            ))
            .await
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let count = console
                .execute(
                    "return document.querySelectorAll('.board-note').length;",
                    vec![],
                )
                .await
                .unwrap()
                .as_u64()
                .unwrap_or(0);
            if count as usize >= total {
                break;
            }
            assert!(Instant::now() < deadline, "the board never filled");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let load = started.elapsed();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let elements = console.execute(ELEMENTS, vec![]).await.unwrap();
        let options = console
            .execute(
                "return document.getElementsByTagName('option').length;",
                vec![],
            )
            .await
            .unwrap();
        // A fresh connection: the first one has not read its messages while the page loaded.
        let mut facilitator = Client::facilitator(&server.ws_url(), &created).await;
        let mut latencies = Vec::new();
        for round in 0..3 {
            let marker = format!("Ekstra innspel {round} {total}");
            console
                .execute(WATCH, vec![json!(marker.clone())])
                .await
                .unwrap();
            let sent = Instant::now();
            facilitator
                .run(Command::PostNote {
                    note: NoteId::random(),
                    text: marker,
                    question: None,
                    for_group: false,
                })
                .await
                .unwrap();
            let acked = sent.elapsed();
            let deadline = Instant::now() + Duration::from_secs(60);
            let seen = loop {
                let seen = console
                    .execute(
                        "return window.__seen === null ? null : window.__seen - window.__start;",
                        vec![],
                    )
                    .await
                    .unwrap();
                if let Some(ms) = seen.as_f64() {
                    break ms;
                }
                assert!(Instant::now() < deadline, "the new note never showed");
                tokio::time::sleep(Duration::from_millis(20)).await;
            };
            latencies.push(format!("{seen:.0} ms (ack {} ms)", acked.as_millis()));
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        println!(
            "{total} notes in 20 themes: load {:.2} s, {elements} elements, {options} options, new note shown after {}",
            load.as_secs_f64(),
            latencies.join(", ")
        );
        console.close().await.unwrap();
    }
}
