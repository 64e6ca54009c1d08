//! The shared input document over real HTTP: a plan of three meetings run over real
//! websockets exports to DOCX, HTML, Markdown, CSV and JSON; each is parsed back (the DOCX as
//! a zip of XML, the CSV with a CSV reader, the JSON imported into a new plan); nothing names
//! a participant, shows a role of fewer than three people, or shows a hidden note; and
//! deleting a conference or a plan removes everything in it.

use std::collections::BTreeMap;
use std::io::Read;

use ordet_server::export::InputDocument;
use ordet_shared::notes::Place;
use ordet_shared::plan::{AttachMeeting, ExportFormat, PlanInfo};
use ordet_shared::protocol::{CreatedConference, ErrorCode};
use ordet_shared::state::BuiltinRole;
use ordet_shared::voting::{Vote, VoteOn, VotingSetup};
use ordet_shared::{Command, Lang, NoteId, ThemeId};
use ordet_tests::{Client, TestServer, attach_meeting, create_plan, join, plan_info};

const HOSTILE: &str = "<script>alert(\"x\")</script> & «æøå» =1+1";
const HIDDEN: &str = "Dette er ein skjult lapp";
const ORIGINAL: &str = "Meir lys på busshaldeplassen";
const DUPLICATE: &str = "Lys på busstoppet, takk";

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

async fn export(server: &TestServer, path: &str, key: &str, format: ExportFormat) -> Vec<u8> {
    let response = http()
        .get(format!(
            "{}{path}/export/{}",
            server.base,
            format.extension()
        ))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path} {format:?}");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains(format.extension()),
        "{disposition}"
    );
    response.bytes().await.unwrap().to_vec()
}

async fn post_note(phone: &mut Client, text: &str) -> NoteId {
    let note = NoteId::random();
    phone
        .run(Command::PostNote {
            note,
            text: text.into(),
            question: None,
            for_group: false,
        })
        .await
        .expect("note accepted");
    note
}

/// The rich meeting: three youth, three parents and two politicians (too few to show), a
/// hidden note, a merged duplicate, a hostile note, names shown on notes, a vote on themes.
async fn rich_meeting(server: &TestServer) -> CreatedConference {
    let created = server.create("Ope møte på skulen", Lang::Nn).await;
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    console
        .run(Command::ShowNames { shown: true })
        .await
        .unwrap();
    let mut phones = Vec::new();
    for role in [
        BuiltinRole::Youth,
        BuiltinRole::Youth,
        BuiltinRole::Youth,
        BuiltinRole::Parent,
        BuiltinRole::Parent,
        BuiltinRole::Parent,
        BuiltinRole::Politician,
        BuiltinRole::Politician,
    ] {
        phones.push(join(server, created.id, role).await.0);
    }
    let original = post_note(&mut phones[0], ORIGINAL).await;
    let duplicate = post_note(&mut phones[3], DUPLICATE).await;
    let hostile = post_note(&mut phones[1], HOSTILE).await;
    let hidden = post_note(&mut phones[2], HIDDEN).await;
    let politician = post_note(&mut phones[6], "Gratis kollektivtransport for unge").await;
    let theme = ThemeId::random();
    console
        .run(Command::CreateTheme {
            theme,
            name: "Transport".into(),
        })
        .await
        .unwrap();
    for note in [original, politician] {
        console
            .run(Command::PlaceNote {
                note,
                place: Place::Wall { theme: Some(theme) },
            })
            .await
            .unwrap();
    }
    console
        .run(Command::PlaceNote {
            note: duplicate,
            place: Place::Merged { into: original },
        })
        .await
        .unwrap();
    console
        .run(Command::PlaceNote {
            note: hidden,
            place: Place::Hidden,
        })
        .await
        .unwrap();
    let other = ThemeId::random();
    console
        .run(Command::CreateTheme {
            theme: other,
            name: "Tryggleik".into(),
        })
        .await
        .unwrap();
    console
        .run(Command::PlaceNote {
            note: hostile,
            place: Place::Wall { theme: Some(other) },
        })
        .await
        .unwrap();
    console
        .run(Command::OpenVoting {
            setup: VotingSetup {
                on: VoteOn::Themes,
                budget: 2,
                per_item_max: 2,
                hide_results: true,
            },
        })
        .await
        .unwrap();
    for (i, phone) in phones.iter_mut().enumerate() {
        let item = if i < 6 { theme } else { other };
        phone
            .run(Command::CastVotes {
                votes: vec![Vote {
                    item: item.0,
                    dots: 2,
                }],
            })
            .await
            .unwrap();
    }
    console.run(Command::CloseVoting).await.unwrap();
    created
}

/// A small meeting with `notes` notes from three teachers.
async fn small_meeting(server: &TestServer, title: &str, notes: &[&str]) -> CreatedConference {
    let created = server.create(title, Lang::Nn).await;
    let mut phones = Vec::new();
    for _ in 0..3 {
        phones.push(join(server, created.id, BuiltinRole::Teacher).await.0);
    }
    for (i, text) in notes.iter().enumerate() {
        post_note(&mut phones[i % 3], text).await;
    }
    created
}

fn docx_text(bytes: &[u8]) -> (String, Vec<String>) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("document part")
        .read_to_string(&mut xml)
        .unwrap();
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let mut text = String::new();
    let mut headings = Vec::new();
    for paragraph in document.descendants().filter(|n| n.has_tag_name("p")) {
        let line: String = paragraph
            .descendants()
            .filter(|n| n.has_tag_name("t"))
            .filter_map(|n| n.text())
            .collect();
        let style = paragraph
            .descendants()
            .find(|n| n.has_tag_name("pStyle"))
            .and_then(|n| {
                n.attributes()
                    .find(|a| a.name() == "val")
                    .map(|a| a.value().to_string())
            });
        if style.as_deref().is_some_and(|s| s.starts_with("Heading")) {
            headings.push(format!("{}: {line}", style.unwrap()));
        }
        text.push_str(&line);
        text.push('\n');
    }
    (text, headings)
}

/// What no export may contain: a participant's name, a hidden note, a small role's name.
fn assert_anonymous(text: &str, format: ExportFormat) {
    assert!(!text.contains("Kari"), "{format:?} names a participant");
    assert!(!text.contains(HIDDEN), "{format:?} shows a hidden note");
    let politician = BuiltinRole::Politician.key().text(Lang::Nn);
    assert!(
        !text.contains(politician),
        "{format:?} shows a role of two people"
    );
}

#[tokio::test]
async fn a_plan_of_three_meetings_exports_to_five_formats_without_naming_anyone() {
    let server = TestServer::start().await;
    let rich = rich_meeting(&server).await;
    let second = small_meeting(
        &server,
        "Referansegruppa",
        &["Fleire lærarar i SFO", "Betre uteområde"],
    )
    .await;
    let third = small_meeting(
        &server,
        "Einingsleiarane",
        &["Samarbeid med helsesjukepleiar"],
    )
    .await;
    let plan = create_plan(&server.base, "Oppvekstplan 2027–2030", Lang::Nn).await;
    for conference in [&rich, &second, &third] {
        attach_meeting(&server.base, &plan, conference).await;
    }
    let info = attach_meeting(&server.base, &plan, &rich).await;
    assert_eq!(info.meetings.len(), 3, "adding a meeting twice keeps one");
    assert_eq!(info.meetings[0].participants, 8);
    assert_eq!(
        info.meetings[0].notes, 3,
        "the duplicate is merged, the hidden note left out"
    );

    let path = format!("/api/plans/{}", plan.id);
    let docx = export(&server, &path, &plan.key, ExportFormat::Docx).await;
    let (text, headings) = docx_text(&docx);
    assert_anonymous(&text, ExportFormat::Docx);
    for expected in [
        "Heading1: Deltaking",
        "Heading1: Metode og program",
        "Heading1: Prioriteringar",
        "Heading1: Planskisse",
    ] {
        assert!(
            headings.iter().any(|h| h == expected),
            "{expected} in {headings:?}"
        );
    }
    for meeting in ["Ope møte på skulen", "Referansegruppa", "Einingsleiarane"] {
        assert!(
            headings
                .iter()
                .any(|h| h.starts_with("Heading2: ") && h.contains(meeting)),
            "{meeting}"
        );
    }
    assert!(
        text.contains(HOSTILE),
        "the hostile note comes back as text, verbatim"
    );
    assert!(
        text.contains(ORIGINAL) && text.contains(DUPLICATE),
        "both merged texts are kept"
    );
    assert!(
        text.contains("Andre roller (færre enn tre kvar)"),
        "small roles are pooled"
    );
    assert!(
        text.contains("Fleire lærarar i SFO") && text.contains("Samarbeid med helsesjukepleiar")
    );

    let html =
        String::from_utf8(export(&server, &path, &plan.key, ExportFormat::Html).await).unwrap();
    assert_anonymous(&html, ExportFormat::Html);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"nn\">"));
    assert!(!html.contains("<script"), "no script, not even from a note");
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; «æøå»"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "self-contained"
    );

    let markdown =
        String::from_utf8(export(&server, &path, &plan.key, ExportFormat::Md).await).unwrap();
    assert_anonymous(&markdown, ExportFormat::Md);
    assert!(markdown.starts_with("# Oppvekstplan 2027–2030"));
    assert!(
        markdown.contains("&lt;script&gt;"),
        "markup in a note stays text"
    );

    let csv_bytes = export(&server, &path, &plan.key, ExportFormat::Csv).await;
    assert!(
        csv_bytes.starts_with("\u{feff}".as_bytes()),
        "a byte order mark for Excel"
    );
    let csv_text = String::from_utf8(csv_bytes[3..].to_vec()).unwrap();
    assert_anonymous(&csv_text, ExportFormat::Csv);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header.len(), 11, "{header:?}");
    assert_eq!(header[0], "Plan");
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 6, "one row per visible note: 3 + 2 + 1");
    let hostile_row = rows
        .iter()
        .find(|r| r["Tekst"].contains("«æøå»"))
        .expect("the hostile note");
    assert_eq!(hostile_row["Tekst"], HOSTILE, "the text is intact");
    assert_eq!(hostile_row["Tema"], "Tryggleik");
    assert_eq!(hostile_row["Prikkar på temaet"], "4");
    assert_eq!(hostile_row["Rolle"], "Elev / ungdom");
    let politician_row = rows
        .iter()
        .find(|r| r["Tekst"].starts_with("Gratis"))
        .unwrap();
    assert_eq!(
        politician_row["Rolle"], "",
        "two politicians: the role is not shown"
    );
    assert_eq!(politician_row["Prikkar på temaet"], "12");
    let merged_row = rows
        .iter()
        .find(|r| r["Tekst"].starts_with(ORIGINAL))
        .unwrap();
    assert!(merged_row["Tekst"].contains(DUPLICATE));
    assert!(rows.iter().all(|r| r["Plan"] == "Oppvekstplan 2027–2030"));

    let json = export(&server, &path, &plan.key, ExportFormat::Json).await;
    let json_text = String::from_utf8(json.clone()).unwrap();
    assert_anonymous(&json_text, ExportFormat::Json);
    let document = InputDocument::from_json(&json).expect("the export reads back");
    assert_eq!(document.meetings.len(), 3);
    let priorities = document.meetings[0].priorities.as_ref().expect("the vote");
    assert_eq!(priorities.items[0].label, "Transport");
    assert_eq!(priorities.items[0].dots, 12);
    assert_eq!(priorities.voters, 8);

    // Round trip: a new plan with the same name imports the file and exports the same
    // document, byte for byte, in every format.
    let copy = create_plan(&server.base, "Oppvekstplan 2027–2030", Lang::Nn).await;
    let imported = http()
        .post(format!("{}/api/plans/{}/import", server.base, copy.id))
        .bearer_auth(&copy.key)
        .body(json.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status(), 200);
    let imported: PlanInfo = imported.json().await.unwrap();
    assert_eq!(imported.meetings.len(), 3);
    assert!(imported.meetings.iter().all(|m| m.conference.is_none()));
    let copy_path = format!("/api/plans/{}", copy.id);
    for format in ExportFormat::ALL {
        let original = export(&server, &path, &plan.key, format).await;
        let again = export(&server, &copy_path, &copy.key, format).await;
        assert!(
            original == again,
            "{format:?} differs after export → import → export"
        );
    }
}

#[tokio::test]
async fn exports_need_the_right_key_and_bad_imports_change_nothing() {
    let server = TestServer::start().await;
    let conference = small_meeting(&server, "Styringsgruppa", &["Eitt innspel"]).await;
    let plan = create_plan(&server.base, "Plan", Lang::Nn).await;
    let base = &server.base;
    let get = |url: String, key: Option<&str>| {
        let request = http().get(url);
        let request = match key {
            Some(key) => request.bearer_auth(key),
            None => request,
        };
        async move { request.send().await.unwrap() }
    };
    let conference_export = format!("{base}/api/conferences/{}/export/docx", conference.id);
    assert_eq!(get(conference_export.clone(), None).await.status(), 401);
    assert_eq!(
        get(conference_export.clone(), Some(&conference.screen_key))
            .await
            .status(),
        401
    );
    assert_eq!(
        get(conference_export.clone(), Some(&plan.key))
            .await
            .status(),
        401
    );
    assert_eq!(
        get(conference_export, Some(&conference.facilitator_key))
            .await
            .status(),
        200
    );
    let pdf = get(
        format!("{base}/api/conferences/{}/export/pdf", conference.id),
        Some(&conference.facilitator_key),
    )
    .await;
    assert_eq!(pdf.status(), 404);
    let body: serde_json::Value = pdf.json().await.unwrap();
    assert_eq!(body["error"], serde_json::json!(ErrorCode::UnknownFormat));
    assert_eq!(
        get(
            format!("{base}/api/plans/{}/export/md", plan.id),
            Some(&conference.facilitator_key)
        )
        .await
        .status(),
        401
    );

    // Adding a conference to a plan needs that conference's facilitator key too.
    let wrong = http()
        .post(format!("{base}/api/plans/{}/meetings", plan.id))
        .bearer_auth(&plan.key)
        .json(&AttachMeeting {
            conference: conference.id,
            facilitator_key: conference.screen_key.clone(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    attach_meeting(&server.base, &plan, &conference).await;

    for bad in [&b"{\"format\":\"something else\"}"[..], b"not json", b"{}"] {
        let refused = http()
            .post(format!("{base}/api/plans/{}/import", plan.id))
            .bearer_auth(&plan.key)
            .body(bad.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 400);
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["error"], serde_json::json!(ErrorCode::ImportInvalid));
    }
    let info: PlanInfo = get(format!("{base}/api/plans/{}", plan.id), Some(&plan.key))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info.meetings.len(), 1, "nothing changed");
    assert_eq!(info.meetings[0].notes, 1);
}

#[tokio::test]
async fn deleting_a_conference_or_a_plan_removes_everything_in_it() {
    let server = TestServer::start().await;
    let first = small_meeting(&server, "Første", &["Eitt"]).await;
    let second = small_meeting(&server, "Andre", &["To"]).await;
    let kept = small_meeting(&server, "Utanfor planen", &["Tre"]).await;
    let plan = create_plan(&server.base, "Plan", Lang::Nn).await;
    attach_meeting(&server.base, &plan, &first).await;
    attach_meeting(&server.base, &plan, &second).await;
    let mut watching = Client::facilitator(&server.ws_url(), &first).await;

    let base = &server.base;
    let delete = |url: String, key: String| async move {
        http()
            .delete(url)
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(
        delete(
            format!("{base}/api/conferences/{}", first.id),
            first.screen_key.clone()
        )
        .await,
        401
    );
    assert_eq!(
        delete(
            format!("{base}/api/conferences/{}", first.id),
            first.facilitator_key.clone()
        )
        .await,
        204
    );
    assert_eq!(
        watching.wait_close().await,
        Some(1001),
        "open screens are sent away"
    );
    let lookup = http()
        .get(format!("{base}/api/join/{}", first.join_code))
        .send()
        .await
        .unwrap();
    assert_eq!(lookup.status(), 404, "the join code is gone");
    let refused = Client::connect(
        &server.ws_url(),
        first.id,
        ordet_shared::protocol::Auth::Facilitator {
            key: first.facilitator_key.clone(),
        },
        None,
    )
    .await;
    assert!(refused.is_err(), "the conference is gone");
    let info = plan_info(base, &plan).await;
    assert_eq!(info.meetings.len(), 1, "the plan no longer lists it");

    assert_eq!(
        delete(format!("{base}/api/plans/{}", plan.id), plan.key.clone()).await,
        204
    );
    let gone = http()
        .get(format!("{base}/api/plans/{}", plan.id))
        .bearer_auth(&plan.key)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);
    let second_gone = http()
        .get(format!("{base}/api/join/{}", second.join_code))
        .send()
        .await
        .unwrap();
    assert_eq!(
        second_gone.status(),
        404,
        "the plan's conferences went with it"
    );
    let still_there = http()
        .get(format!("{base}/api/join/{}", kept.join_code))
        .send()
        .await
        .unwrap();
    assert_eq!(
        still_there.status(),
        200,
        "a conference outside the plan stays"
    );
}

/// LibreOffice (installed by the test command) opens the DOCX and reads its text.
#[tokio::test]
async fn libreoffice_opens_the_docx() {
    let Some(soffice) = std::env::var_os("ORDET_SOFFICE") else {
        panic!(
            "ORDET_SOFFICE is not set: run the tests with `cargo xtask test`, which installs LibreOffice"
        );
    };
    let server = TestServer::start().await;
    let conference = rich_meeting(&server).await;
    let docx = export(
        &server,
        &format!("/api/conferences/{}", conference.id),
        &conference.facilitator_key,
        ExportFormat::Docx,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("innspel.docx");
    std::fs::write(&input, &docx).unwrap();
    let profile = dir.path().join("profile");
    let output = tokio::process::Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&input)
        .output()
        .await
        .expect("soffice runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(dir.path().join("innspel.txt")).expect("converted text");
    for expected in [
        "Ope møte på skulen",
        "Deltaking",
        "Metode og program",
        "Prioriteringar",
        "Transport",
        ORIGINAL,
        DUPLICATE,
        HOSTILE,
        "Hovudmål",
    ] {
        assert!(
            text.contains(expected),
            "LibreOffice's text has {expected:?}"
        );
    }
    assert_anonymous(&text, ExportFormat::Docx);
}

/// A conference whose last change is older than the retention period is deleted when the
/// server starts (and every hour after); a recent one stays. So is a plan whose imported
/// meetings came in before the retention period.
#[tokio::test]
async fn conferences_past_the_retention_period_are_deleted() {
    use ordet_server::secrets::SecretHash;
    use ordet_server::store::{ConferenceRecord, LogEntry, Store};
    use ordet_shared::state::Role;
    use ordet_shared::{Actor, ConferenceId, Event, JoinCode, SequencedEvent, Timestamp};

    let data = tempfile::tempdir().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let day = 86_400_000;
    let store = Store::open(&data.path().join(ordet_server::http::DATABASE_FILE)).unwrap();
    let mut codes = Vec::new();
    for (code, age_days) in [("K7P4RX", 31), ("K7P4RY", 29)] {
        let id = ConferenceId::random();
        let at = now - age_days * day;
        let join_code = JoinCode::parse(code).unwrap();
        let record = ConferenceRecord {
            id,
            join_code: join_code.clone(),
            facilitator_key_hash: SecretHash::of("key"),
            screen_key_hash: SecretHash::of("screen"),
            created_at_ms: at,
        };
        let first = LogEntry {
            event: SequencedEvent {
                seq: 1,
                event: Event::ConferenceCreated {
                    id,
                    title: format!("{age_days} dagar gammal"),
                    language: Lang::Nn,
                    join_code,
                    created_at: Timestamp(at),
                    roles: Role::defaults(),
                },
            },
            at_ms: at,
            actor: Some(Actor::Facilitator),
            command: None,
        };
        store.create(record, first).await.unwrap();
        codes.push(code);
    }
    // A plan of one meeting imported 31 days ago goes too; one imported 29 days ago stays.
    let mut plans = Vec::new();
    for age_days in [31, 29] {
        let at = now - age_days * day;
        let plan = ordet_server::store::PlanRecord {
            id: ordet_shared::PlanId::random(),
            title: format!("Plan, {age_days} dagar"),
            language: Lang::Nn,
            key_hash: SecretHash::of("plan"),
            created_at_ms: at,
        };
        store.create_plan(plan.clone()).await.unwrap();
        let meeting = ordet_server::store::StoredMeeting {
            id: ordet_shared::MeetingId::random(),
            source: ordet_server::store::MeetingSource::Imported("{}".into()),
        };
        store
            .add_meetings(plan.id, vec![meeting], at)
            .await
            .unwrap();
        plans.push(plan.id);
    }
    drop(store);
    let server = TestServer::start_in(data, |config| config.retention_days = 30).await;
    let status = |code: &str| {
        let url = format!("{}/api/join/{code}", server.base);
        async move { http().get(url).send().await.unwrap().status() }
    };
    let deadline = tokio::time::Instant::now() + ordet_tests::WAIT;
    while status(codes[0]).await != 404 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the old conference is deleted"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        status(codes[1]).await,
        200,
        "the 29-day-old conference stays"
    );
    let plan_status = |id: ordet_shared::PlanId| {
        let url = format!("{}/api/plans/{id}", server.base);
        async move {
            http()
                .get(url)
                .bearer_auth("plan")
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    while plan_status(plans[0]).await != 404 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the plan of an old imported meeting is deleted"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(plan_status(plans[1]).await, 200, "the recent import stays");
}
