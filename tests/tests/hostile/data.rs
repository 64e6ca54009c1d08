//! Attacks through the data: uploads and imports that would fill the server's memory or make
//! every export huge, text that hides or turns other text around, spreadsheet formulas in a
//! note, hidden notes that come back through a vote, and deleted data that stays on disk.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ordet_server::export::model::{MAX_IMPORT_BYTES, MAX_MERGED_PER_NOTE};
use ordet_shared::notes::Place;
use ordet_shared::plan::{CreatedPlan, ExportFormat};
use ordet_shared::protocol::{CreatedConference, ErrorCode};
use ordet_shared::state::BuiltinRole;
use ordet_shared::voting::{Vote, VoteOn, VotingSetup};
use ordet_shared::{Command, Lang, NoteId};
use ordet_tests::{Client, TestServer, create_conference, create_plan, join, new_participant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{Bystander, Ordet, Witnessed};

fn assert_unharmed(witnessed: &Witnessed) {
    assert!(
        witnessed.notes > 0,
        "the bystander wrote notes: {witnessed:?}"
    );
    assert_eq!(
        witnessed.lost, 0,
        "no acknowledged note was lost: {witnessed:?}"
    );
    assert_eq!(
        witnessed.health_failures, 0,
        "/healthz kept answering: {witnessed:?}"
    );
}

async fn post_note(phone: &mut Client, text: &str) -> Result<NoteId, ErrorCode> {
    let note = NoteId::random();
    phone
        .run(Command::PostNote {
            note,
            text: text.into(),
            question: None,
            for_group: false,
        })
        .await
        .map(|_| note)
}

/// What a raw HTTP request got back: the status (0 if none came), how many body bytes the
/// client had sent by then, and when the answer came.
struct Upload {
    status: u16,
    sent: usize,
    answered_after: Duration,
}

/// `POST path` with `body`, sent in chunks of `chunk` bytes every `pause` over a plain TCP
/// connection (declaring `declared` bytes, or the body's length), until the server answers
/// or closes.
async fn upload(
    addr: &str,
    path: &str,
    key: Option<&str>,
    body: Arc<Vec<u8>>,
    declared: Option<usize>,
    chunk: usize,
    pause: Duration,
) -> Upload {
    let started = Instant::now();
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    let (mut reader, mut writer) = stream.into_split();
    let auth = key
        .map(|k| format!("Authorization: Bearer {k}\r\n"))
        .unwrap_or_default();
    let length = declared.unwrap_or(body.len());
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    );
    writer.write_all(head.as_bytes()).await.expect("head sent");
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = sent.clone();
    let sender = tokio::spawn(async move {
        for piece in body.chunks(chunk) {
            if writer.write_all(piece).await.is_err() {
                break;
            }
            counter.fetch_add(piece.len(), Ordering::Relaxed);
            if !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
        }
        std::future::pending::<()>().await;
    });
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let status = loop {
        match tokio::time::timeout(Duration::from_secs(60), reader.read(&mut buffer)).await {
            Ok(Ok(n)) if n > 0 => {
                answer.extend_from_slice(&buffer[..n]);
                let text = String::from_utf8_lossy(&answer);
                if let Some(line) = text.lines().next().filter(|_| text.contains("\r\n")) {
                    break line
                        .split_whitespace()
                        .nth(1)
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(0);
                }
            }
            _ => break 0,
        }
    };
    let answered_after = started.elapsed();
    sender.abort();
    Upload {
        status,
        sent: sent.load(Ordering::Relaxed),
        answered_after,
    }
}

/// `POST path` with `body` in chunked transfer encoding (no length said beforehand), at
/// full speed: the status of the answer.
async fn chunked_upload(addr: &str, path: &str, key: &str, body: Arc<Vec<u8>>) -> u16 {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    let (mut reader, mut writer) = stream.into_split();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    writer.write_all(head.as_bytes()).await.expect("head sent");
    let sender = tokio::spawn(async move {
        for piece in body.chunks(1 << 20) {
            let framed = [format!("{:x}\r\n", piece.len()).as_bytes(), piece, b"\r\n"].concat();
            if writer.write_all(&framed).await.is_err() {
                return;
            }
        }
        let _ = writer.write_all(b"0\r\n\r\n").await;
        // Keep the sending side open until the answer is read: the server takes a client's
        // half-close as a hang-up.
        std::future::pending::<()>().await;
    });
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(60), reader.read_to_end(&mut answer)).await;
    sender.abort();
    String::from_utf8_lossy(&answer)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Sixteen uploads of 30 MB without a key (or with a wrong one), each sending 256 KiB every
/// 50 ms, are answered 401 at once: the server reads no body before it has checked the key,
/// so its memory does not grow with them. (Before: each body was read whole first; sixteen
/// slow ones took the server from 55 MB to 950 MB.) A body over the limit with the right key
/// is refused 413 and thrown away as it comes.
#[tokio::test]
async fn keyless_uploads_are_refused_before_their_body_is_read() {
    let ordet = Ordet::spawn(&[]).await;
    let plan = create_plan(&ordet.base, "Plan", Lang::Nn).await;
    let bystander = Bystander::start(&ordet.base, &ordet.ws()).await;
    let before = ordet.rss_kib();
    let addr = ordet.base.trim_start_matches("http://").to_string();
    let path = format!("/api/plans/{}/import", plan.id);
    let length = 30 * 1000 * 1000;
    let spaces = Arc::new(vec![b' '; length]);
    let mut uploads = Vec::new();
    for i in 0..16 {
        let (addr, path, body) = (addr.clone(), path.clone(), spaces.clone());
        let key = (i % 2 == 1).then(|| "feil-nøkkel".to_string());
        uploads.push(tokio::spawn(async move {
            upload(
                &addr,
                &path,
                key.as_deref(),
                body,
                None,
                256 * 1024,
                Duration::from_millis(50),
            )
            .await
        }));
    }
    let mut peak_during = 0;
    let watch_until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < watch_until {
        peak_during = peak_during.max(ordet.rss_kib());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut slowest = Duration::ZERO;
    for upload in uploads {
        let upload = upload.await.expect("upload task");
        assert_eq!(upload.status, 401, "refused for want of the key");
        assert!(
            upload.sent < length / 4,
            "refused long before the body was sent ({} bytes sent)",
            upload.sent
        );
        slowest = slowest.max(upload.answered_after);
    }

    // With the key, a body over the limit is refused (413) and thrown away as it comes,
    // whether it says its length or not, and the sender reads the refusal.
    drop(spaces);
    let over = Arc::new(vec![b' '; MAX_IMPORT_BYTES + 1]);
    let rss = ordet.rss_kib();
    let too_big = upload(
        &addr,
        &path,
        Some(&plan.key),
        over.clone(),
        None,
        1 << 20,
        Duration::ZERO,
    )
    .await;
    assert_eq!(too_big.status, 413, "a declared length over the limit");
    let chunked = chunked_upload(&addr, &path, &plan.key, over).await;
    assert_eq!(
        chunked, 413,
        "a body without a length that goes over the limit"
    );
    let after_refusals = ordet.rss_kib();
    assert!(
        after_refusals < rss + 8 * 1024,
        "refused bodies are not kept: {rss} KiB before, {after_refusals} KiB after"
    );

    let witnessed = bystander.finish().await;
    let after = ordet.rss_kib();
    eprintln!(
        "keyless uploads: RSS {before} KiB before, at most {peak_during} KiB during, {after} KiB after; slowest answer {slowest:?}; bystander {witnessed:?}"
    );
    assert_unharmed(&witnessed);
    assert!(
        peak_during < before + 40 * 1024,
        "16 keyless uploads grew the server from {before} KiB to {peak_during} KiB"
    );
}

/// `POST /api/plans/{id}/import` with the plan's key and `body`; the status and the error
/// body, if any.
async fn import(base: &str, plan: &CreatedPlan, body: Vec<u8>) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/plans/{}/import", plan.id))
        .bearer_auth(&plan.key)
        .body(body)
        .send()
        .await
        .expect("import sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

/// A file of one meeting whose `notes` notes have `merged` merged texts each (written as
/// text: as JSON values, ten million merged texts would fill the test's own memory).
fn merged_file(notes: usize, merged: usize, merged_text: &str) -> Vec<u8> {
    let text = serde_json::to_string(merged_text).expect("JSON string");
    let merged = vec![text.as_str(); merged].join(",");
    let note = format!(
        r#"{{"text":"Meir buss","step":null,"question":null,"group":null,"role":null,"for_group":false,"theme":null,"votes":null,"merged":[{merged}]}}"#
    );
    let notes = vec![note.as_str(); notes].join(",");
    format!(
        r#"{{"format":"ordet-input-document","version":1,"title":"Plan","language":"nn","plan":true,"meetings":[{{"title":"Møte","date":1,"language":"nn","participants":3,"roles":[],"steps":[],"themes":[],"notes":[{notes}],"hidden_notes":0,"priorities":null,"floor":[]}}]}}"#
    )
    .into_bytes()
}

/// `file` sent at full speed with the plan's key over a plain connection: its status.
async fn raw_import(ordet: &Ordet, plan: &CreatedPlan, file: Vec<u8>) -> u16 {
    let addr = ordet.base.trim_start_matches("http://");
    let path = format!("/api/plans/{}/import", plan.id);
    upload(
        addr,
        &path,
        Some(&plan.key),
        Arc::new(file),
        None,
        1 << 20,
        Duration::ZERO,
    )
    .await
    .status
}

/// The import that made every export a gigabyte (1,000 notes with 19,999 empty merged texts
/// each, 57 MiB: before, accepted in 5.4 s, and its Markdown export was 1.28 GB, took 45 s
/// and the server peaked at 7.5 GB) is refused, as are its smaller cousins: 21 merged texts
/// on a note, one empty merged text, and a file of millions of empty strings; each refusal
/// says what is wrong, the plan is unchanged and its exports stay small.
#[tokio::test]
async fn imports_of_huge_or_empty_merged_texts_are_refused() {
    let ordet = Ordet::spawn(&[]).await;
    let plan = create_plan(&ordet.base, "Plan", Lang::Nn).await;
    let bystander = Bystander::start(&ordet.base, &ordet.ws()).await;
    let before = ordet.rss_kib();

    let started = Instant::now();
    let huge = merged_file(1000, 19_999, "");
    let huge_size = huge.len();
    let status = raw_import(&ordet, &plan, huge).await;
    let huge_time = started.elapsed();
    assert_eq!(status, 413, "the 57 MiB file is over the size limit");

    let (status, error) = import(
        &ordet.base,
        &plan,
        merged_file(1, MAX_MERGED_PER_NOTE + 1, "Same"),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(error["error"], serde_json::json!(ErrorCode::ImportInvalid));
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("merged") && message.contains(&MAX_MERGED_PER_NOTE.to_string()),
        "{message}"
    );

    let (status, error) = import(&ordet.base, &plan, merged_file(1, 1, "\u{200B} ")).await;
    assert_eq!(status, 400);
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("empty"),
        "{error}"
    );

    // Just under the size limit: ten million empty strings, refused before being read.
    let started = Instant::now();
    let (status, error) = import(&ordet.base, &plan, merged_file(500, 19_999, "")).await;
    let many_time = started.elapsed();
    assert_eq!(status, 400, "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("JSON values"),
        "{error}"
    );

    // A file at the limits is accepted, and its export is bounded.
    let (status, error) = import(
        &ordet.base,
        &plan,
        merged_file(900, MAX_MERGED_PER_NOTE, "Same"),
    )
    .await;
    assert_eq!(status, 200, "{error}");
    let started = Instant::now();
    let markdown = reqwest::Client::new()
        .get(format!("{}/api/plans/{}/export/md", ordet.base, plan.id))
        .bearer_auth(&plan.key)
        .send()
        .await
        .expect("export")
        .bytes()
        .await
        .expect("export body");
    let export_time = started.elapsed();
    let witnessed = bystander.finish().await;
    let peak = ordet.peak_rss_kib();
    eprintln!(
        "imports: {huge_size}-byte file refused in {huge_time:?}, 10 M empty strings refused in {many_time:?}; Markdown of 18,900 texts {} bytes in {export_time:?}; RSS {before} KiB before, peak {peak} KiB; bystander {witnessed:?}",
        markdown.len()
    );
    assert!(
        markdown.len() < ordet_server::export::MAX_IMPORTED_EXPORT_BYTES,
        "{} bytes",
        markdown.len()
    );
    assert_unharmed(&witnessed);
    assert!(
        peak < before + 128 * 1024,
        "the imports took the server from {before} KiB to {peak} KiB"
    );
}

/// Bidirectional overrides and invisible characters are removed from notes, names and
/// theme names sent over a real websocket, and text with nothing visible is refused with
/// the "empty" error, whose words say so.
#[tokio::test]
async fn hostile_text_is_cleaned_or_refused_over_a_real_websocket() {
    let server = TestServer::start().await;
    let created = server.create("Møte\u{202E}", Lang::En).await;
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    let mut phone = Client::connect(&server.ws_url(), created.id, new_participant(), None)
        .await
        .expect("admitted");
    phone
        .run(Command::Join {
            name: Some("\u{202E}Kari\u{200B}".into()),
            role: BuiltinRole::Youth.id(),
        })
        .await
        .expect("joined");
    let note = post_note(&mut phone, "Meir\u{202E} buss\u{2066} \u{FEFF}takk\u{200B}")
        .await
        .expect("accepted, cleaned");
    for blank in [
        "\u{200B}\u{200B}\u{200B}",
        "\u{202E}",
        " \u{2060}\u{FEFF}\u{00AD} ",
        "\u{200D}\u{200C}",
    ] {
        assert_eq!(
            post_note(&mut phone, blank).await,
            Err(ErrorCode::NoteEmpty),
            "{blank:?}"
        );
    }
    assert_eq!(ErrorCode::NoteEmpty.english(), "The note is empty.");
    assert_eq!(
        console
            .run(Command::CreateTheme {
                theme: ordet_shared::ThemeId::random(),
                name: "\u{200B}\u{2067}".into(),
            })
            .await,
        Err(ErrorCode::ThemeNameEmpty)
    );
    console.until(|s| s.notes.contains_key(&note)).await;
    let state = console.state.as_ref().expect("state");
    assert_eq!(state.notes[&note].text, "Meir buss takk");
    assert_eq!(state.title, "Møte");
    let names: Vec<_> = state
        .participants
        .values()
        .filter_map(|p| p.name.clone())
        .collect();
    assert_eq!(names, vec!["Kari".to_string()]);
    assert_eq!(state.notes.len(), 1, "no empty note was stored");
}

async fn export(base: &str, path: &str, key: &str, format: ExportFormat) -> Vec<u8> {
    let response = reqwest::Client::new()
        .get(format!("{base}{path}/export/{}", format.extension()))
        .bearer_auth(key)
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), 200, "{path} {format:?}");
    response.bytes().await.expect("export body").to_vec()
}

/// Every text of an export, in the form a person reads it (the DOCX unzipped, every format
/// as text).
fn readable(bytes: &[u8], format: ExportFormat) -> String {
    use std::io::Read;
    match format {
        ExportFormat::Docx => {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
            let mut xml = String::new();
            zip.by_name("word/document.xml")
                .expect("document part")
                .read_to_string(&mut xml)
                .expect("XML");
            let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
            document
                .descendants()
                .filter(|n| n.has_tag_name("t"))
                .filter_map(|n| n.text())
                .collect::<Vec<_>>()
                .join("")
        }
        ExportFormat::Json => {
            let value: serde_json::Value = serde_json::from_slice(bytes).expect("JSON");
            value.to_string()
        }
        _ => String::from_utf8(bytes.to_vec()).expect("UTF-8"),
    }
}

/// Notes that start like a spreadsheet formula, a sign and a space included, come out of
/// the CSV export with an apostrophe in front, cell by cell; other notes as written.
#[tokio::test]
async fn csv_cells_that_start_like_formulas_are_defused() {
    let server = TestServer::start().await;
    let created = server.create("Rekneark", Lang::Nn).await;
    let (mut phone, _) = join(&server, created.id, BuiltinRole::Youth).await;
    let texts = [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("- 1+1", "'- 1+1"),
        ("+ A1", "'+ A1"),
        (
            "=HYPERLINK(\"http://x\";\"klikk\")",
            "'=HYPERLINK(\"http://x\";\"klikk\")",
        ),
        ("Meir buss = betre", "Meir buss = betre"),
    ];
    for (text, _) in texts {
        post_note(&mut phone, text).await.expect("accepted");
    }
    let csv = export(
        &server.base,
        &format!("/api/conferences/{}", created.id),
        &created.facilitator_key,
        ExportFormat::Csv,
    )
    .await;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&csv[3..]);
    let cells: Vec<String> = reader
        .records()
        .map(|r| {
            r.expect("a CSV row")
                .iter()
                .next_back()
                .expect("a text")
                .to_string()
        })
        .collect();
    let expected: Vec<String> = texts.iter().map(|(_, cell)| cell.to_string()).collect();
    assert_eq!(cells, expected);
}

/// A vote on notes, then one voted note hidden and another withdrawn: neither appears in
/// any of the five formats (not in the priorities, not in the plan table, not in the word
/// cloud), for the conference and for a plan it is in. (Before, the priorities and the plan
/// table printed both.)
#[tokio::test]
async fn hidden_and_withdrawn_notes_stay_out_of_every_export_through_a_vote_on_notes() {
    const SHOWN: &str = "Lys på busshaldeplassen";
    const HIDDEN: &str = "Skjultord hemmeleg lapp";
    const WITHDRAWN: &str = "Trekteord angra lapp";
    let server = TestServer::start().await;
    let created: CreatedConference = server.create("Røysting på lappar", Lang::Nn).await;
    let mut console = Client::facilitator(&server.ws_url(), &created).await;
    let mut phones = Vec::new();
    for _ in 0..3 {
        phones.push(join(&server, created.id, BuiltinRole::Youth).await.0);
    }
    let shown = post_note(&mut phones[0], SHOWN).await.expect("note");
    let hidden = post_note(&mut phones[1], HIDDEN).await.expect("note");
    let withdrawn = post_note(&mut phones[2], WITHDRAWN).await.expect("note");
    console
        .run(Command::OpenVoting {
            setup: VotingSetup {
                on: VoteOn::Notes,
                budget: 3,
                per_item_max: 3,
                hide_results: false,
            },
        })
        .await
        .expect("voting opens");
    for phone in &mut phones {
        phone
            .run(Command::CastVotes {
                votes: [hidden, withdrawn, shown]
                    .iter()
                    .map(|note| Vote {
                        item: note.0,
                        dots: 1,
                    })
                    .collect(),
            })
            .await
            .expect("votes cast");
    }
    console
        .run(Command::PlaceNote {
            note: hidden,
            place: Place::Hidden,
        })
        .await
        .expect("hidden");
    phones[2]
        .run(Command::WithdrawNote { note: withdrawn })
        .await
        .expect("withdrawn");
    console.run(Command::CloseVoting).await.expect("closed");

    let plan = create_plan(&server.base, "Plan", Lang::Nn).await;
    ordet_tests::attach_meeting(&server.base, &plan, &created).await;
    for format in ExportFormat::ALL {
        for (path, key) in [
            (
                format!("/api/conferences/{}", created.id),
                &created.facilitator_key,
            ),
            (format!("/api/plans/{}", plan.id), &plan.key),
        ] {
            let text = readable(&export(&server.base, &path, key, format).await, format);
            assert!(
                text.contains(SHOWN),
                "{format:?} of {path} shows the shown note"
            );
            for (gone, what) in [
                (HIDDEN, "hidden"),
                ("Skjultord", "hidden"),
                (WITHDRAWN, "withdrawn"),
                ("Trekteord", "withdrawn"),
            ] {
                assert!(
                    !text.contains(gone),
                    "{format:?} of {path} shows the {what} note"
                );
            }
        }
    }
}

/// Every file of the database: the main file and its WAL.
fn database_files(ordet: &Ordet) -> Vec<std::path::PathBuf> {
    let main = ordet.data().join(ordet_server::http::DATABASE_FILE);
    let wal = main.with_extension("sqlite3-wal");
    vec![main, wal]
}

/// The files among `files` that hold `marker`.
fn holding(files: &[std::path::PathBuf], marker: &str) -> Vec<String> {
    files
        .iter()
        .filter(|file| {
            std::fs::read(file)
                .unwrap_or_default()
                .windows(marker.len())
                .any(|w| w == marker.as_bytes())
        })
        .map(|file| file.display().to_string())
        .collect()
}

/// A conference with a note and a participant's name in it, each with a unique marker, is
/// deleted while another conference goes on; afterwards neither marker is anywhere in the
/// database file or its WAL. The same for a plan with an imported meeting. (Before, both
/// were still readable in the WAL and, after a checkpoint, in the main file.)
#[tokio::test]
async fn deleting_leaves_no_bytes_of_what_was_deleted() {
    let ordet = Ordet::spawn(&[]).await;
    let bystander = Bystander::start(&ordet.base, &ordet.ws()).await;
    let note_marker = format!("Lappmerke{}", uuid::Uuid::new_v4().simple());
    let name_marker = format!("Namn{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let created = create_conference(&ordet.base, "Skal slettast", Lang::Nn).await;
    let mut phone = Client::connect(&ordet.ws(), created.id, new_participant(), None)
        .await
        .expect("admitted");
    phone
        .run(Command::Join {
            name: Some(name_marker.clone()),
            role: BuiltinRole::Youth.id(),
        })
        .await
        .expect("joined");
    for i in 0..50 {
        post_note(&mut phone, &format!("{note_marker} nummer {i}"))
            .await
            .expect("note");
    }
    let files = database_files(&ordet);
    assert!(
        !holding(&files, &note_marker).is_empty() && !holding(&files, &name_marker).is_empty(),
        "the markers are stored before the deletion"
    );
    let deleted = reqwest::Client::new()
        .delete(format!("{}/api/conferences/{}", ordet.base, created.id))
        .bearer_auth(&created.facilitator_key)
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        holding(&files, &note_marker),
        Vec::<String>::new(),
        "the note"
    );
    assert_eq!(
        holding(&files, &name_marker),
        Vec::<String>::new(),
        "the name"
    );

    let plan = create_plan(&ordet.base, "Plan", Lang::Nn).await;
    let import_marker = format!("Importmerke{}", uuid::Uuid::new_v4().simple());
    let (status, error) = import(&ordet.base, &plan, merged_file(20, 1, &import_marker)).await;
    assert_eq!(status, 200, "{error}");
    assert!(!holding(&files, &import_marker).is_empty());
    let deleted = reqwest::Client::new()
        .delete(format!("{}/api/plans/{}", ordet.base, plan.id))
        .bearer_auth(&plan.key)
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        holding(&files, &import_marker),
        Vec::<String>::new(),
        "the imported meeting"
    );

    let witnessed = bystander.finish().await;
    assert_unharmed(&witnessed);
}

/// Two imports that are slow to arrive hold the server's two import turns; a third, with
/// its key and a good file, waits a few seconds and is refused plainly (429, with a message
/// that says why), and once the slow ones are done an import goes through again.
#[tokio::test]
async fn a_third_import_at_once_is_refused_plainly() {
    let ordet = Ordet::spawn(&[]).await;
    let plan = create_plan(&ordet.base, "Plan", Lang::Nn).await;
    let addr = ordet.base.trim_start_matches("http://").to_string();
    let path = format!("/api/plans/{}/import", plan.id);
    let mut slow = Vec::new();
    for _ in 0..2 {
        let (addr, path, key) = (addr.clone(), path.clone(), plan.key.clone());
        slow.push(tokio::spawn(async move {
            let body = Arc::new(vec![b' '; 80 * 1024]);
            upload(
                &addr,
                &path,
                Some(&key),
                body,
                None,
                1024,
                Duration::from_millis(100),
            )
            .await
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (status, error) = import(&ordet.base, &plan, merged_file(1, 1, "Same")).await;
    assert_eq!(status, 429, "{error}");
    assert_eq!(error["error"], serde_json::json!(ErrorCode::RateLimited));
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains("other files"), "{message}");
    for upload in slow {
        assert_eq!(
            upload.await.expect("slow upload").status,
            400,
            "spaces are no file"
        );
    }
    let (status, error) = import(&ordet.base, &plan, merged_file(1, 1, "Same")).await;
    assert_eq!(status, 200, "{error}");
}
