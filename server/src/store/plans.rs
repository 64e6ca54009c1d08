//! Plans in the database, and deleting: a plan's row, its meetings (conferences on this
//! server, or records imported from a file), deleting a conference or a plan with everything
//! in it, and finding conferences and plans past the retention period.
//!
//! Deleting deletes: the database overwrites deleted rows with zeros (`secure_delete`), and
//! after each deletion the WAL is checkpointed into the database file and truncated
//! ([`Store::forget_deleted`]), so a deleted note, name or imported file is in neither file
//! afterwards.

use ordet_shared::{ConferenceId, Lang, MeetingId, PlanId};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Store, StoreError};
use crate::secrets::SecretHash;

/// A plan as stored.
#[derive(Clone, Debug)]
pub struct PlanRecord {
    /// Identifier.
    pub id: PlanId,
    /// Its name.
    pub title: String,
    /// The language of its documents.
    pub language: Lang,
    /// Hash of its key.
    pub key_hash: SecretHash,
    /// Creation time in milliseconds.
    pub created_at_ms: u64,
}

/// One meeting of a plan as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMeeting {
    /// Its identifier within the plan.
    pub id: MeetingId,
    /// Where its facts come from.
    pub source: MeetingSource,
}

/// Where a plan's meeting comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MeetingSource {
    /// A conference on this server, read live.
    Conference(ConferenceId),
    /// An imported meeting: its facts as JSON ([`crate::export::Meeting`]).
    Imported(String),
}

impl Store {
    /// Stores a new plan.
    pub async fn create_plan(&self, plan: PlanRecord) -> Result<(), StoreError> {
        self.write(move |db| {
            db.execute(
                "INSERT INTO plans (id, title, language, key_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    plan.id.to_string(),
                    plan.title,
                    plan.language.code(),
                    plan.key_hash.0,
                    plan.created_at_ms as i64
                ],
            )?;
            Ok(())
        })
        .await
    }

    /// The plan, if it exists.
    pub async fn plan(&self, id: PlanId) -> Result<Option<PlanRecord>, StoreError> {
        self.read(move |db| {
            let row = db
                .query_row(
                    "SELECT title, language, key_hash, created_at FROM plans WHERE id = ?1",
                    [id.to_string()],
                    |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, [u8; 32]>(2)?,
                            row.get::<_, i64>(3)?,
                        ))
                    },
                )
                .optional()?;
            Ok(row.map(|(title, language, key, created_at)| PlanRecord {
                id,
                title,
                language: Lang::from_code(&language).unwrap_or_default(),
                key_hash: SecretHash(key),
                created_at_ms: created_at as u64,
            }))
        })
        .await
    }

    /// The plan's meetings, in the order they were added.
    pub async fn plan_meetings(&self, id: PlanId) -> Result<Vec<StoredMeeting>, StoreError> {
        self.read(move |db| plan_meetings(db, id)).await
    }

    /// Adds meetings to a plan; a conference already in it is not added twice.
    pub async fn add_meetings(
        &self,
        plan: PlanId,
        meetings: Vec<StoredMeeting>,
        now_ms: u64,
    ) -> Result<(), StoreError> {
        self.write(move |db| {
            let mut insert = db.prepare_cached(
                "INSERT INTO plan_meetings (plan_id, meeting_id, conference_id, imported, added_at)
                 SELECT ?1, ?2, ?3, ?4, ?5
                 WHERE ?3 IS NULL OR NOT EXISTS
                   (SELECT 1 FROM plan_meetings WHERE plan_id = ?1 AND conference_id = ?3)",
            )?;
            for (i, meeting) in meetings.iter().enumerate() {
                let (conference, imported) = match &meeting.source {
                    MeetingSource::Conference(id) => (Some(id.to_string()), None),
                    MeetingSource::Imported(json) => (None, Some(json.as_str())),
                };
                insert.execute(params![
                    plan.to_string(),
                    meeting.id.to_string(),
                    conference,
                    imported,
                    (now_ms + i as u64) as i64
                ])?;
            }
            Ok(())
        })
        .await
    }

    /// Takes a meeting out of a plan (a conference itself stays; an imported one is gone).
    pub async fn remove_meeting(&self, plan: PlanId, meeting: MeetingId) -> Result<(), StoreError> {
        self.write(move |db| {
            db.execute(
                "DELETE FROM plan_meetings WHERE plan_id = ?1 AND meeting_id = ?2",
                params![plan.to_string(), meeting.to_string()],
            )?;
            Ok(())
        })
        .await?;
        self.forget_after_deleting().await;
        Ok(())
    }

    /// Deletes a conference with its events, devices, snapshot and plan entries.
    pub async fn delete_conference(&self, id: ConferenceId) -> Result<(), StoreError> {
        self.write(move |db| {
            db.execute("DELETE FROM conferences WHERE id = ?1", [id.to_string()])?;
            Ok(())
        })
        .await?;
        self.forget_after_deleting().await;
        Ok(())
    }

    /// [`Store::forget_deleted`] after a deletion that is committed: a failure is logged, not
    /// returned, as the rows are gone (the next deletion's checkpoint copies them too).
    async fn forget_after_deleting(&self) {
        if let Err(error) = self.forget_deleted().await {
            tracing::error!(%error, "deleted rows may stay in the WAL until the next checkpoint");
        }
    }

    /// Deletes a plan and every conference in it; returns those conferences.
    pub async fn delete_plan(&self, id: PlanId) -> Result<Vec<ConferenceId>, StoreError> {
        let conferences: Vec<ConferenceId> = self
            .plan_meetings(id)
            .await?
            .into_iter()
            .filter_map(|m| match m.source {
                MeetingSource::Conference(c) => Some(c),
                MeetingSource::Imported(_) => None,
            })
            .collect();
        let doomed = conferences.clone();
        self.write(move |db| {
            for conference in &doomed {
                db.execute(
                    "DELETE FROM conferences WHERE id = ?1",
                    [conference.to_string()],
                )?;
            }
            db.execute("DELETE FROM plans WHERE id = ?1", [id.to_string()])?;
            Ok(())
        })
        .await?;
        self.forget_after_deleting().await;
        Ok(conferences)
    }

    /// Conferences whose last change is older than `before_ms`.
    pub async fn conferences_idle_since(
        &self,
        before_ms: u64,
    ) -> Result<Vec<ConferenceId>, StoreError> {
        self.read(move |db| {
            let mut query = db.prepare_cached(
                "SELECT id FROM conferences c WHERE COALESCE(
                   (SELECT at FROM events e WHERE e.conference_id = c.id ORDER BY seq DESC LIMIT 1),
                   c.created_at) < ?1",
            )?;
            let ids = query
                .query_map([before_ms as i64], |row| row.get::<_, String>(0))?
                .filter_map(|id| id.map(|id| id.parse().ok()).transpose())
                .collect::<Result<Vec<_>, _>>()?;
            Ok(ids)
        })
        .await
    }

    /// Retention for plans: deletes every plan idle since `before_ms`, with its imported
    /// meetings. A plan is idle when it was created before then, no meeting was added to it
    /// since, and none of its conferences is left (each is deleted on its own when idle,
    /// see [`Store::conferences_idle_since`]); so a plan left empty and a plan of only old
    /// imported meetings both go. Returns how many plans were deleted.
    pub async fn delete_empty_plans(&self, before_ms: u64) -> Result<usize, StoreError> {
        let deleted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = deleted.clone();
        self.write(move |db| {
            let rows = db.execute(
                "DELETE FROM plans WHERE created_at < ?1
                 AND NOT EXISTS (SELECT 1 FROM plan_meetings m WHERE m.plan_id = plans.id
                   AND (m.conference_id IS NOT NULL OR m.added_at >= ?1))",
                [before_ms as i64],
            )?;
            count.store(rows, std::sync::atomic::Ordering::Relaxed);
            Ok(())
        })
        .await?;
        let deleted = deleted.load(std::sync::atomic::Ordering::Relaxed);
        if deleted > 0 {
            tracing::info!(plans = deleted, "plans deleted after the retention period");
            self.forget_after_deleting().await;
        }
        Ok(deleted)
    }
}

fn plan_meetings(db: &Connection, id: PlanId) -> Result<Vec<StoredMeeting>, StoreError> {
    let mut query = db.prepare_cached(
        "SELECT meeting_id, conference_id, imported FROM plan_meetings WHERE plan_id = ?1
         ORDER BY added_at, meeting_id",
    )?;
    let rows = query.query_map([id.to_string()], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, Option<String>>(1)?,
            row.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut meetings = Vec::new();
    for row in rows {
        let (meeting, conference, imported) = row?;
        let Ok(meeting) = meeting.parse() else {
            continue;
        };
        let source = match (conference.and_then(|c| c.parse().ok()), imported) {
            (Some(conference), _) => MeetingSource::Conference(conference),
            (None, Some(json)) => MeetingSource::Imported(json),
            (None, None) => continue,
        };
        meetings.push(StoredMeeting {
            id: meeting,
            source,
        });
    }
    Ok(meetings)
}
