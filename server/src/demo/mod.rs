//! `ordet demo`: a finished example plan, stored like any other, so a newcomer sees in one
//! minute what Ordet produces. [`meeting`] plays an open meeting at a school through the
//! real domain code; [`store_demo`] writes its log to the database as a conference with
//! fresh keys and puts it in a plan, and returns the links to open.

pub mod meeting;

use ordet_shared::{CommandId, ConferenceId, JoinCode, Lang, MeetingId, PlanId};

use crate::registry::random_join_code;
use crate::secrets::{SecretHash, new_facilitator_key, screen_key_for};
use crate::store::{
    ConferenceRecord, LogEntry, MeetingSource, PlanRecord, Store, StoreError, StoredMeeting,
};

pub use meeting::{DemoEntry, DemoMeeting, open_school_meeting};

/// The demo plan's name.
const PLAN_TITLE: &str = "Oppvekstplan 2027–2030 (døme)";
/// How long before now the demo meeting began.
const STARTED_AGO_MS: u64 = 3 * 60 * 60 * 1000;

/// Where to open the stored demo (paths; the keys are in the fragments).
#[derive(Clone, Debug)]
pub struct DemoLinks {
    /// The facilitator console of the meeting.
    pub console_path: String,
    /// The projector view of the meeting.
    pub screen_path: String,
    /// The plan page with its input document.
    pub plan_path: String,
    /// The meeting's join code.
    pub join_code: JoinCode,
}

/// Stores a new demo meeting (begun three hours before `now_ms`) and a plan holding it.
pub async fn store_demo(store: &Store, now_ms: u64) -> Result<DemoLinks, StoreError> {
    let id = ConferenceId::random();
    let code = random_join_code();
    let meeting = open_school_meeting(id, code.clone(), now_ms.saturating_sub(STARTED_AGO_MS));
    let facilitator_key = new_facilitator_key();
    let screen_key = screen_key_for(&facilitator_key);
    let mut entries = meeting.entries.into_iter().map(|entry| LogEntry {
        command: entry.actor.map(|_| CommandId::random()),
        event: entry.event,
        at_ms: entry.at_ms,
        actor: entry.actor,
    });
    let first = entries
        .next()
        .ok_or_else(|| StoreError::Task("empty demo".into()))?;
    let record = ConferenceRecord {
        id,
        join_code: code.clone(),
        facilitator_key_hash: SecretHash::of(&facilitator_key),
        screen_key_hash: SecretHash::of(&screen_key),
        created_at_ms: first.at_ms,
    };
    store.create(record, first).await?;
    store.append(id, entries.collect(), Vec::new()).await?;
    store.snapshot(id, &meeting.state).await?;

    let plan = PlanId::random();
    let plan_key = new_facilitator_key();
    store
        .create_plan(PlanRecord {
            id: plan,
            title: PLAN_TITLE.into(),
            language: Lang::Nn,
            key_hash: SecretHash::of(&plan_key),
            created_at_ms: now_ms,
        })
        .await?;
    let stored = StoredMeeting {
        id: MeetingId::random(),
        source: MeetingSource::Conference(id),
    };
    store.add_meetings(plan, vec![stored], now_ms).await?;
    Ok(DemoLinks {
        console_path: format!("/f/{id}#{facilitator_key}"),
        screen_path: format!("/s/{id}#{screen_key}"),
        plan_path: format!("/p/{plan}#{plan_key}"),
        join_code: code,
    })
}
