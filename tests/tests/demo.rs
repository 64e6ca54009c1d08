//! `ordet demo` as a newcomer runs it: the real binary stores a finished example plan,
//! prints its links and serves; the printed plan link exports a full input document, and
//! the printed join code still lets a phone in.

use std::process::Stdio;
use std::time::Duration;

use ordet_server::export::InputDocument;
use ordet_shared::plan::PlanInfo;
use ordet_tests::ordet_binary;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command as Process;

/// The value printed after `label` in the demo's output.
fn printed<'a>(lines: &'a [String], label: &str) -> &'a str {
    lines
        .iter()
        .find(|l| l.contains(label))
        .and_then(|l| l.split_whitespace().last())
        .unwrap_or_else(|| panic!("{label:?} printed in {lines:#?}"))
}

#[tokio::test]
async fn the_demo_prints_links_to_a_finished_plan_that_exports() {
    let data = tempfile::tempdir().unwrap();
    let mut child = Process::new(ordet_binary())
        .args(["demo", "--addr", "127.0.0.1:0", "--data"])
        .arg(data.path())
        .env("ORDET_LOG", "warn")
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("ordet starts");
    let mut output = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut lines = Vec::new();
    while !lines.iter().any(|l: &String| l.contains("Stop with")) {
        let line = tokio::time::timeout(Duration::from_secs(30), output.next_line())
            .await
            .expect("the demo prints its links")
            .unwrap()
            .expect("ordet keeps running");
        lines.push(line);
    }
    let plan_link = printed(&lines, "The plan").replace("localhost", "127.0.0.1");
    let console_link = printed(&lines, "Console of the meeting");
    let join_code = printed(&lines, "Join code");
    let (base, rest) = plan_link.split_once("/p/").expect("a plan link");
    let (plan, key) = rest.split_once('#').expect("the key in the fragment");
    assert!(console_link.contains("/f/") && console_link.contains('#'));

    let http = reqwest::Client::new();
    let info: PlanInfo = http
        .get(format!("{base}/api/plans/{plan}"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info.meetings.len(), 1);
    assert!(
        info.meetings[0].participants >= 36,
        "dozens of participants"
    );
    assert!(info.meetings[0].notes >= 90, "a wall of notes");

    let json = http
        .get(format!("{base}/api/plans/{plan}/export/json"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let document = InputDocument::from_json(&json).expect("an input document");
    let meeting = &document.meetings[0];
    assert!(meeting.themes.len() >= 5, "themes");
    assert!(
        meeting.notes.iter().all(|n| n.theme.is_some()),
        "every note sorted"
    );
    let priorities = meeting.priorities.as_ref().expect("a vote");
    assert!(priorities.voters >= 30 && priorities.items[0].dots > 0);
    assert!(!meeting.floor.is_empty(), "speaking time from the rounds");
    assert!(meeting.hidden_notes >= 1);

    let docx = http
        .get(format!("{base}/api/plans/{plan}/export/docx"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    assert_eq!(docx.status(), 200);
    assert!(
        docx.bytes().await.unwrap().starts_with(b"PK"),
        "a zip (DOCX) file"
    );

    let join = http
        .get(format!("{base}/api/join/{join_code}"))
        .send()
        .await
        .unwrap();
    assert_eq!(join.status(), 200, "the printed join code works");
    child.start_kill().unwrap();
}
