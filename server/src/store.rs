//! Persistence: one SQLite file holding an append-only event log per conference.
//!
//! All writes go through one writer thread that takes every job waiting in its queue,
//! writes them in one transaction and commits once (group commit), so a thousand phones
//! posting at once cost a handful of disk syncs, not a thousand. The database runs in WAL
//! mode with `synchronous=FULL`: when a job's reply says `Ok`, the data survives a crash or
//! power loss, and only then does the server acknowledge or broadcast anything.
//!
//! Reads (loading a conference, looking up a join code) use a separate connection and never
//! wait for the writer. Every 1,000 events a snapshot of the state is stored, so loading a
//! long conference replays at most that many events.

use std::path::Path;
use std::sync::{Arc, Mutex};

use ordet_shared::{
    Actor, CommandId, ConferenceId, Event, JoinCode, ParticipantId, SequencedEvent, State,
};
use rusqlite::{Connection, OptionalExtension, params};
use tokio::sync::{mpsc, oneshot};

use crate::secrets::SecretHash;

mod plans;

pub use plans::{MeetingSource, PlanRecord, StoredMeeting};

/// How many write jobs may wait for the writer thread before senders wait in turn.
const WRITE_QUEUE: usize = 4096;
/// Most jobs written in one transaction.
const MAX_JOBS_PER_COMMIT: usize = 512;
/// A snapshot is stored when this many events have come since the last one.
pub const SNAPSHOT_EVERY: u64 = 1000;
/// How many of the latest command identifiers a loaded conference remembers, so a command
/// retried across a server restart is still recognised.
pub const RECENT_COMMANDS: usize = 8192;

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored event could not be read back.
    #[error("stored data could not be decoded: {0}")]
    Decode(#[from] serde_json::Error),
    /// The join code is taken by another conference.
    #[error("join code already in use")]
    JoinCodeTaken,
    /// The writer thread has stopped.
    #[error("the storage writer has stopped")]
    WriterGone,
    /// A blocking task failed.
    #[error("storage task failed: {0}")]
    Task(String),
}

/// One event as stored: with who caused it. The actor never leaves the server; it is the
/// audit trail (and, later, what lets a writer edit their own note).
#[derive(Clone, Debug)]
pub struct LogEntry {
    /// The event and its position.
    pub event: SequencedEvent,
    /// Server time when it was accepted, in milliseconds.
    pub at_ms: u64,
    /// Who caused it; `None` for events the server made itself.
    pub actor: Option<Actor>,
    /// The command that caused it, so a retry of that command is recognised.
    pub command: Option<CommandId>,
}

/// The stored, secret-free facts about a conference besides its events.
#[derive(Clone, Debug)]
pub struct ConferenceRecord {
    /// Identifier.
    pub id: ConferenceId,
    /// Join code.
    pub join_code: JoinCode,
    /// Hash of the facilitator key.
    pub facilitator_key_hash: SecretHash,
    /// Hash of the screen key.
    pub screen_key_hash: SecretHash,
    /// Creation time in milliseconds.
    pub created_at_ms: u64,
}

/// A conference as loaded from disk.
#[derive(Debug)]
pub struct LoadedConference {
    /// Its record.
    pub record: ConferenceRecord,
    /// Its state, rebuilt from the latest snapshot and the events after it.
    pub state: State,
    /// The seq of the latest stored snapshot.
    pub snapshot_seq: u64,
    /// Hashes of the participant devices' tokens.
    pub devices: Vec<(ParticipantId, SecretHash)>,
    /// The latest commands carried out, oldest first, with the seq of their last event.
    pub recent_commands: Vec<(CommandId, u64)>,
}

enum Job {
    Create {
        record: ConferenceRecord,
        first: Box<LogEntry>,
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
    Append {
        conference: ConferenceId,
        entries: Vec<LogEntry>,
        devices: Vec<(ParticipantId, SecretHash)>,
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
    Snapshot {
        conference: ConferenceId,
        state_json: String,
        seq: u64,
    },
    /// Any other write (plans, deletions), run in the writer's transaction.
    Write {
        work: WriteWork,
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
    /// After the transaction: copy the WAL into the database file and empty it.
    Checkpoint {
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
}

type WriteWork = Box<dyn Fn(&Connection) -> Result<(), StoreError> + Send>;

/// Handle to the database: cheap to clone, shared by every conference.
#[derive(Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
    reader: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (or creates) the database file and starts the writer thread.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let writer = open_connection(path)?;
        migrate(&writer)?;
        let reader = open_connection(path)?;
        let (jobs, queue) = mpsc::channel(WRITE_QUEUE);
        std::thread::Builder::new()
            .name("ordet-store-writer".into())
            .spawn(move || run_writer(writer, queue))
            .map_err(|e| StoreError::Task(e.to_string()))?;
        Ok(Store {
            jobs,
            reader: Arc::new(Mutex::new(reader)),
        })
    }

    /// Stores a new conference with its first event. Fails with
    /// [`StoreError::JoinCodeTaken`] if another conference has the code.
    pub async fn create(
        &self,
        record: ConferenceRecord,
        first: LogEntry,
    ) -> Result<(), StoreError> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Create {
            record,
            first: Box::new(first),
            reply,
        })
        .await?;
        answer.await.map_err(|_| StoreError::WriterGone)?
    }

    /// Appends events (and any new participant devices) durably. Returns once they are safe.
    pub async fn append(
        &self,
        conference: ConferenceId,
        entries: Vec<LogEntry>,
        devices: Vec<(ParticipantId, SecretHash)>,
    ) -> Result<(), StoreError> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Append {
            conference,
            entries,
            devices,
            reply,
        })
        .await?;
        answer.await.map_err(|_| StoreError::WriterGone)?
    }

    /// Stores a snapshot of a conference's state (best effort: the log is the truth).
    pub async fn snapshot(
        &self,
        conference: ConferenceId,
        state: &State,
    ) -> Result<(), StoreError> {
        let state_json = serde_json::to_string(state)?;
        self.send(Job::Snapshot {
            conference,
            state_json,
            seq: state.seq,
        })
        .await
    }

    /// Runs `work` in the writer's next transaction and waits until it is committed.
    async fn write(
        &self,
        work: impl Fn(&Connection) -> Result<(), StoreError> + Send + 'static,
    ) -> Result<(), StoreError> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Write {
            work: Box::new(work),
            reply,
        })
        .await?;
        answer.await.map_err(|_| StoreError::WriterGone)?
    }

    /// Makes what was deleted unreadable in the files too: waits until every write before
    /// it is committed, then checkpoints the WAL into the database file (where
    /// `secure_delete` has overwritten deleted rows with zeros) and truncates the WAL, which
    /// would otherwise keep old copies of the deleted pages until it is reused.
    pub async fn forget_deleted(&self) -> Result<(), StoreError> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Checkpoint { reply }).await?;
        answer.await.map_err(|_| StoreError::WriterGone)?
    }

    async fn send(&self, job: Job) -> Result<(), StoreError> {
        self.jobs
            .send(job)
            .await
            .map_err(|_| StoreError::WriterGone)
    }

    /// Which conference has this join code, if any.
    pub async fn find_join_code(
        &self,
        code: &JoinCode,
    ) -> Result<Option<ConferenceId>, StoreError> {
        let code = code.as_str().to_string();
        self.read(move |db| {
            let id: Option<String> = db
                .query_row(
                    "SELECT id FROM conferences WHERE join_code = ?1",
                    [code],
                    |row| row.get(0),
                )
                .optional()?;
            Ok(id.and_then(|id| id.parse().ok()))
        })
        .await
    }

    /// Loads a conference: its record, its state (snapshot plus later events) and devices.
    pub async fn load(&self, id: ConferenceId) -> Result<Option<LoadedConference>, StoreError> {
        self.read(move |db| load_conference(db, id)).await
    }

    /// How many events a conference has stored, and the bytes of their JSON (read only).
    pub async fn event_log_size(&self, id: ConferenceId) -> Result<(u64, u64), StoreError> {
        let key = id.to_string();
        self.read(move |db| {
            Ok(db.query_row(
                "SELECT COUNT(*), COALESCE(SUM(octet_length(event)), 0) FROM events WHERE conference_id = ?1",
                [key],
                |row| Ok((row.get::<_, i64>(0)? as u64, row.get::<_, i64>(1)? as u64)),
            )?)
        })
        .await
    }

    async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let reader = self.reader.clone();
        tokio::task::spawn_blocking(move || {
            let db = reader
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            work(&db)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let db = Connection::open(path)?;
    db.busy_timeout(std::time::Duration::from_secs(10))?;
    db.pragma_update(None, "journal_mode", "WAL")?;
    db.pragma_update(None, "synchronous", "FULL")?;
    db.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted rows are overwritten with zeros, not just marked free, so a deleted note or
    // name cannot be read back from the file (see `Store::forget_deleted`).
    db.pragma_update(None, "secure_delete", "ON")?;
    Ok(db)
}

/// The schema, one step per version, keyed on `PRAGMA user_version`. Version 2 adds plans:
/// a plan's meetings are conferences on this server (removed with them) or records imported
/// from an exported file.
fn migrate(db: &Connection) -> Result<(), StoreError> {
    let version: i64 = db.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version < 1 {
        db.execute_batch(
            "BEGIN;
             CREATE TABLE conferences (
                 id TEXT PRIMARY KEY,
                 join_code TEXT NOT NULL UNIQUE,
                 facilitator_key_hash BLOB NOT NULL,
                 screen_key_hash BLOB NOT NULL,
                 created_at INTEGER NOT NULL
             );
             CREATE TABLE events (
                 conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
                 seq INTEGER NOT NULL,
                 at INTEGER NOT NULL,
                 event TEXT NOT NULL,
                 actor TEXT,
                 command TEXT,
                 PRIMARY KEY (conference_id, seq)
             ) WITHOUT ROWID;
             CREATE TABLE devices (
                 conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
                 participant_id TEXT NOT NULL,
                 token_hash BLOB NOT NULL,
                 PRIMARY KEY (conference_id, participant_id)
             ) WITHOUT ROWID;
             CREATE TABLE snapshots (
                 conference_id TEXT PRIMARY KEY REFERENCES conferences(id) ON DELETE CASCADE,
                 seq INTEGER NOT NULL,
                 state TEXT NOT NULL
             );
             PRAGMA user_version = 1;
             COMMIT;",
        )?;
    }
    if version < 2 {
        db.execute_batch(
            "BEGIN;
             CREATE TABLE plans (
                 id TEXT PRIMARY KEY,
                 title TEXT NOT NULL,
                 language TEXT NOT NULL,
                 key_hash BLOB NOT NULL,
                 created_at INTEGER NOT NULL
             );
             CREATE TABLE plan_meetings (
                 plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
                 meeting_id TEXT NOT NULL,
                 conference_id TEXT REFERENCES conferences(id) ON DELETE CASCADE,
                 imported TEXT,
                 added_at INTEGER NOT NULL,
                 PRIMARY KEY (plan_id, meeting_id),
                 CHECK ((conference_id IS NULL) <> (imported IS NULL))
             ) WITHOUT ROWID;
             CREATE INDEX plan_meetings_by_conference ON plan_meetings(conference_id);
             PRAGMA user_version = 2;
             COMMIT;",
        )?;
    }
    Ok(())
}

fn run_writer(mut db: Connection, mut queue: mpsc::Receiver<Job>) {
    while let Some(first) = queue.blocking_recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_JOBS_PER_COMMIT {
            match queue.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let checkpoint = jobs.iter().any(|job| matches!(job, Job::Checkpoint { .. }));
        write_batch(&mut db, jobs, checkpoint);
    }
}

/// `PRAGMA wal_checkpoint(TRUNCATE)`: every page of the WAL copied into the database file
/// and the WAL emptied, so nothing deleted stays readable in it.
fn checkpoint(db: &Connection) -> Result<(), StoreError> {
    let (busy, log, done): (i64, i64, i64) =
        db.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
    if busy != 0 {
        return Err(StoreError::Task(format!(
            "the WAL checkpoint was blocked ({done} of {log} pages copied)"
        )));
    }
    Ok(())
}

/// Writes every job in one transaction; each job in its own savepoint, so one bad job fails
/// alone. Replies go out only after the commit has returned.
fn write_batch(db: &mut Connection, jobs: Vec<Job>, then_checkpoint: bool) {
    let mut results: Vec<Result<(), StoreError>> = Vec::with_capacity(jobs.len());
    let committed = (|| -> Result<(), rusqlite::Error> {
        let mut tx = db.transaction()?;
        for job in &jobs {
            let mut savepoint = tx.savepoint()?;
            let result = write_job(&savepoint, job);
            if result.is_ok() {
                savepoint.commit()?;
            } else {
                savepoint.rollback()?;
            }
            results.push(result);
        }
        tx.commit()
    })();
    let checkpointed = match (&committed, then_checkpoint) {
        (Ok(()), true) => checkpoint(db),
        _ => Ok(()),
    };
    for (job, result) in jobs.into_iter().zip(
        results
            .into_iter()
            .chain(std::iter::repeat_with(|| Err(StoreError::WriterGone))),
    ) {
        let result = match &committed {
            Ok(()) => result,
            Err(e) => Err(StoreError::Task(format!("commit failed: {e}"))),
        };
        if let Err(e) = &result {
            tracing::error!(error = %e, "storage write failed");
        }
        match job {
            Job::Create { reply, .. } | Job::Append { reply, .. } | Job::Write { reply, .. } => {
                let _ = reply.send(result);
            }
            Job::Snapshot { .. } => {}
            Job::Checkpoint { reply } => {
                let _ = reply.send(match (&committed, &checkpointed) {
                    (Err(e), _) => Err(StoreError::Task(format!("commit failed: {e}"))),
                    (Ok(()), Err(e)) => Err(StoreError::Task(e.to_string())),
                    (Ok(()), Ok(())) => Ok(()),
                });
            }
        }
    }
}

fn write_job(db: &Connection, job: &Job) -> Result<(), StoreError> {
    match job {
        Job::Create { record, first, .. } => {
            let inserted = db.execute(
                "INSERT INTO conferences (id, join_code, facilitator_key_hash, screen_key_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    record.id.to_string(),
                    record.join_code.as_str(),
                    record.facilitator_key_hash.0,
                    record.screen_key_hash.0,
                    record.created_at_ms as i64,
                ],
            );
            if let Err(rusqlite::Error::SqliteFailure(e, _)) = &inserted
                && e.code == rusqlite::ErrorCode::ConstraintViolation
            {
                return Err(StoreError::JoinCodeTaken);
            }
            inserted?;
            insert_entries(db, record.id, std::slice::from_ref(first.as_ref()))
        }
        Job::Append {
            conference,
            entries,
            devices,
            ..
        } => {
            insert_entries(db, *conference, entries)?;
            let mut insert = db.prepare_cached(
                "INSERT OR REPLACE INTO devices (conference_id, participant_id, token_hash) VALUES (?1, ?2, ?3)",
            )?;
            for (participant, hash) in devices {
                insert.execute(params![
                    conference.to_string(),
                    participant.to_string(),
                    hash.0
                ])?;
            }
            Ok(())
        }
        Job::Write { work, .. } => work(db),
        Job::Checkpoint { .. } => Ok(()),
        Job::Snapshot {
            conference,
            state_json,
            seq,
        } => {
            db.execute(
                "INSERT OR REPLACE INTO snapshots (conference_id, seq, state) VALUES (?1, ?2, ?3)",
                params![conference.to_string(), *seq as i64, state_json],
            )?;
            Ok(())
        }
    }
}

fn insert_entries(
    db: &Connection,
    conference: ConferenceId,
    entries: &[LogEntry],
) -> Result<(), StoreError> {
    let mut insert = db.prepare_cached(
        "INSERT INTO events (conference_id, seq, at, event, actor, command) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for entry in entries {
        let actor = entry.actor.map(|a| serde_json::to_string(&a)).transpose()?;
        insert.execute(params![
            conference.to_string(),
            entry.event.seq as i64,
            entry.at_ms as i64,
            serde_json::to_string(&entry.event.event)?,
            actor,
            entry.command.map(|c| c.to_string()),
        ])?;
    }
    Ok(())
}

fn load_conference(
    db: &Connection,
    id: ConferenceId,
) -> Result<Option<LoadedConference>, StoreError> {
    let key = id.to_string();
    let record = db
        .query_row(
            "SELECT join_code, facilitator_key_hash, screen_key_hash, created_at FROM conferences WHERE id = ?1",
            [&key],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, [u8; 32]>(1)?,
                    row.get::<_, [u8; 32]>(2)?,
                    row.get::<_, i64>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((join_code, facilitator, screen, created_at)) = record else {
        return Ok(None);
    };
    let record = ConferenceRecord {
        id,
        join_code: JoinCode::parse(&join_code).map_err(|_| {
            StoreError::Task(format!("stored join code {join_code:?} is not valid"))
        })?,
        facilitator_key_hash: SecretHash(facilitator),
        screen_key_hash: SecretHash(screen),
        created_at_ms: created_at as u64,
    };

    let snapshot: Option<(i64, String)> = db
        .query_row(
            "SELECT seq, state FROM snapshots WHERE conference_id = ?1",
            [&key],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let (mut state, snapshot_seq) = match snapshot {
        Some((seq, json)) => (serde_json::from_str::<State>(&json)?, seq as u64),
        None => (State::default(), 0),
    };
    let mut events = db.prepare_cached(
        "SELECT seq, event FROM events WHERE conference_id = ?1 AND seq > ?2 ORDER BY seq",
    )?;
    let mut rows = events.query(params![key, state.seq as i64])?;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let event: Event = serde_json::from_str(&row.get::<_, String>(1)?)?;
        state.apply(&SequencedEvent {
            seq: seq as u64,
            event,
        });
    }

    let mut devices_query = db.prepare_cached(
        "SELECT participant_id, token_hash FROM devices WHERE conference_id = ?1",
    )?;
    let devices = devices_query
        .query_map([&key], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, [u8; 32]>(1)?))
        })?
        .filter_map(|row| match row {
            Ok((id, hash)) => id.parse().ok().map(|id| Ok((id, SecretHash(hash)))),
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<Vec<_>, _>>()?;

    let mut recent_query = db.prepare_cached(
        "SELECT command, MAX(seq) FROM (SELECT command, seq FROM events WHERE conference_id = ?1
         AND command IS NOT NULL ORDER BY seq DESC LIMIT ?2) GROUP BY command ORDER BY MAX(seq)",
    )?;
    let recent_commands = recent_query
        .query_map(params![key, RECENT_COMMANDS as i64], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })?
        .filter_map(|row| match row {
            Ok((id, seq)) => id.parse().ok().map(|id| Ok((id, seq as u64))),
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<Vec<_>, _>>()?;

    Ok(Some(LoadedConference {
        record,
        state,
        snapshot_seq,
        devices,
        recent_commands,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ordet_shared::state::{BuiltinRole, Note, Role};
    use ordet_shared::{Lang, NoteId, Timestamp};

    fn record(id: ConferenceId, code: &str) -> ConferenceRecord {
        ConferenceRecord {
            id,
            join_code: JoinCode::parse(code).unwrap(),
            facilitator_key_hash: SecretHash::of("key"),
            screen_key_hash: SecretHash::of("screen"),
            created_at_ms: 1,
        }
    }

    fn created(id: ConferenceId, code: &str) -> LogEntry {
        LogEntry {
            event: SequencedEvent {
                seq: 1,
                event: Event::ConferenceCreated {
                    id,
                    title: "Lagring".into(),
                    language: Lang::Nn,
                    join_code: JoinCode::parse(code).unwrap(),
                    created_at: Timestamp(1),
                    roles: Role::defaults(),
                },
            },
            at_ms: 1,
            actor: Some(Actor::Facilitator),
            command: None,
        }
    }

    fn note_entry(seq: u64) -> LogEntry {
        LogEntry {
            event: SequencedEvent {
                seq,
                event: Event::NotePosted {
                    note: Note::plain(
                        NoteId::random(),
                        format!("Innspel {seq}"),
                        Some(BuiltinRole::Youth.id()),
                        Timestamp(seq),
                        seq,
                    ),
                    author: Some(ParticipantId::random()),
                },
            },
            at_ms: seq,
            actor: Some(Actor::Facilitator),
            command: Some(CommandId::random()),
        }
    }

    #[tokio::test]
    async fn state_is_rebuilt_from_snapshot_plus_later_events_with_commands_and_devices() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.sqlite3")).unwrap();
        let id = ConferenceId::random();
        store
            .create(record(id, "K7P4RX"), created(id, "K7P4RX"))
            .await
            .unwrap();
        let mut expected = State::default();
        expected.apply(&created(id, "K7P4RX").event);
        let device = (ParticipantId::random(), SecretHash::of("token"));
        let mut last_command = None;
        for batch in 0..25u64 {
            let entries: Vec<LogEntry> =
                (0..100).map(|i| note_entry(2 + batch * 100 + i)).collect();
            for entry in &entries {
                expected.apply(&entry.event);
            }
            last_command = entries.last().unwrap().command;
            let devices = if batch == 3 { vec![device] } else { vec![] };
            store.append(id, entries, devices).await.unwrap();
            if batch % 10 == 9 {
                store.snapshot(id, &expected).await.unwrap();
            }
        }
        let loaded = store.load(id).await.unwrap().expect("stored");
        assert_eq!(loaded.state, expected);
        assert_eq!(loaded.state.notes.len(), 2500);
        assert_eq!(loaded.snapshot_seq, 2001, "the newest snapshot was used");
        assert_eq!(loaded.devices, vec![device]);
        assert_eq!(loaded.recent_commands.len(), RECENT_COMMANDS.min(2500));
        assert_eq!(
            loaded.recent_commands.last().map(|(c, _)| Some(*c)),
            Some(last_command)
        );
        assert_eq!(
            store
                .find_join_code(&JoinCode::parse("K7P4RX").unwrap())
                .await
                .unwrap(),
            Some(id)
        );
        assert!(store.load(ConferenceId::random()).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_taken_join_code_is_refused_and_a_duplicate_seq_fails_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.sqlite3")).unwrap();
        let (a, b) = (ConferenceId::random(), ConferenceId::random());
        store
            .create(record(a, "K7P4RX"), created(a, "K7P4RX"))
            .await
            .unwrap();
        let taken = store
            .create(record(b, "K7P4RX"), created(b, "K7P4RX"))
            .await;
        assert!(matches!(taken, Err(StoreError::JoinCodeTaken)));
        // Writing seq 1 again violates the log's key; the error is reported, nothing else breaks.
        assert!(
            store
                .append(a, vec![created(a, "K7P4RX")], vec![])
                .await
                .is_err()
        );
        store.append(a, vec![note_entry(2)], vec![]).await.unwrap();
        assert_eq!(store.load(a).await.unwrap().unwrap().state.seq, 2);
    }

    #[tokio::test]
    async fn retention_finds_idle_conferences_and_deletion_takes_everything_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.sqlite3")).unwrap();
        let (old, recent) = (ConferenceId::random(), ConferenceId::random());
        store
            .create(record(old, "K7P4RX"), created(old, "K7P4RX"))
            .await
            .unwrap();
        store
            .create(record(recent, "K7P4RY"), created(recent, "K7P4RY"))
            .await
            .unwrap();
        // The old one's last change is at 5; the recent one has a change at 10,000.
        store
            .append(old, vec![note_entry(2)], vec![])
            .await
            .unwrap();
        let mut late = note_entry(2);
        late.at_ms = 10_000;
        store
            .append(
                recent,
                vec![late],
                vec![(ParticipantId::random(), SecretHash::of("t"))],
            )
            .await
            .unwrap();
        store.snapshot(recent, &State::default()).await.unwrap();
        assert_eq!(
            store.conferences_idle_since(1_000).await.unwrap(),
            vec![old]
        );
        assert!(store.conferences_idle_since(1).await.unwrap().is_empty());

        let plan = ordet_shared::PlanId::random();
        store
            .create_plan(PlanRecord {
                id: plan,
                title: "Plan".into(),
                language: ordet_shared::Lang::Nn,
                key_hash: SecretHash::of("plan"),
                created_at_ms: 1,
            })
            .await
            .unwrap();
        let meeting = |source| StoredMeeting {
            id: ordet_shared::MeetingId::random(),
            source,
        };
        store
            .add_meetings(
                plan,
                vec![
                    meeting(MeetingSource::Conference(old)),
                    meeting(MeetingSource::Conference(recent)),
                ],
                1,
            )
            .await
            .unwrap();
        store.delete_conference(old).await.unwrap();
        assert!(store.load(old).await.unwrap().is_none());
        assert_eq!(
            store.plan_meetings(plan).await.unwrap().len(),
            1,
            "the plan forgets it"
        );
        store.delete_empty_plans(1_000).await.unwrap();
        assert!(
            store.plan(plan).await.unwrap().is_some(),
            "a plan with a meeting stays"
        );

        assert_eq!(store.delete_plan(plan).await.unwrap(), vec![recent]);
        assert!(store.plan(plan).await.unwrap().is_none());
        assert!(
            store.load(recent).await.unwrap().is_none(),
            "its conference went with it"
        );
        let reader = store.reader.lock().unwrap();
        for table in [
            "events",
            "devices",
            "snapshots",
            "plan_meetings",
            "conferences",
            "plans",
        ] {
            let rows: i64 = reader
                .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
                    row.get(0)
                })
                .unwrap();
            assert_eq!(rows, 0, "{table} is empty");
        }
    }

    /// Every occurrence of `marker` in the database file and its WAL.
    fn marker_bytes(dir: &Path, marker: &str) -> Vec<String> {
        let mut found = Vec::new();
        for name in ["t.sqlite3", "t.sqlite3-wal"] {
            let bytes = std::fs::read(dir.join(name)).unwrap_or_default();
            if bytes.windows(marker.len()).any(|w| w == marker.as_bytes()) {
                found.push(name.to_string());
            }
        }
        found
    }

    #[tokio::test]
    async fn a_deleted_conference_leaves_no_bytes_in_the_file_or_the_wal() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.sqlite3")).unwrap();
        let (doomed, kept) = (ConferenceId::random(), ConferenceId::random());
        let marker = "Merkelapp-4f1c9a-ingen-skal-finne-meg";
        for (id, code) in [(doomed, "K7P4RX"), (kept, "K7P4RY")] {
            store
                .create(record(id, code), created(id, code))
                .await
                .unwrap();
        }
        let mut secret = note_entry(2);
        if let Event::NotePosted { note, .. } = &mut secret.event.event {
            note.text = format!("{marker} i ein lapp");
        }
        store.append(doomed, vec![secret], vec![]).await.unwrap();
        let mut state = store.load(doomed).await.unwrap().unwrap().state;
        state.title = format!("{marker} i ein tittel");
        store.snapshot(doomed, &state).await.unwrap();
        // The kept conference goes on writing, so pages are shared and reused.
        store
            .append(kept, (2..200).map(note_entry).collect(), vec![])
            .await
            .unwrap();
        store.forget_deleted().await.unwrap();
        assert!(
            !marker_bytes(dir.path(), marker).is_empty(),
            "the marker is stored"
        );

        store.delete_conference(doomed).await.unwrap();
        assert_eq!(marker_bytes(dir.path(), marker), Vec::<String>::new());
        assert_eq!(
            store.load(kept).await.unwrap().unwrap().state.notes.len(),
            198,
            "the other conference is whole"
        );
    }

    #[tokio::test]
    async fn retention_deletes_plans_of_old_imported_meetings_and_keeps_plans_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.sqlite3")).unwrap();
        let plan = |created_at_ms| PlanRecord {
            id: ordet_shared::PlanId::random(),
            title: "Plan".into(),
            language: Lang::Nn,
            key_hash: SecretHash::of("plan"),
            created_at_ms,
        };
        let imported = |json: &str| StoredMeeting {
            id: ordet_shared::MeetingId::random(),
            source: MeetingSource::Imported(json.into()),
        };
        let (old, fresh_import, live, young) = (plan(1), plan(1), plan(1), plan(5_000));
        for p in [&old, &fresh_import, &live, &young] {
            store.create_plan(p.clone()).await.unwrap();
        }
        let marker = "Importert-9b2e-merkelapp";
        store
            .add_meetings(
                old.id,
                vec![imported(&format!("{{\"title\":\"{marker}\"}}"))],
                10,
            )
            .await
            .unwrap();
        store
            .add_meetings(fresh_import.id, vec![imported("{}")], 5_000)
            .await
            .unwrap();
        let conference = ConferenceId::random();
        store
            .create(record(conference, "K7P4RX"), created(conference, "K7P4RX"))
            .await
            .unwrap();
        store
            .add_meetings(
                live.id,
                vec![
                    imported("{}"),
                    StoredMeeting {
                        id: ordet_shared::MeetingId::random(),
                        source: MeetingSource::Conference(conference),
                    },
                ],
                10,
            )
            .await
            .unwrap();

        assert_eq!(store.delete_empty_plans(1_000).await.unwrap(), 1);
        assert!(
            store.plan(old.id).await.unwrap().is_none(),
            "old imports go"
        );
        assert!(
            marker_bytes(dir.path(), marker).is_empty(),
            "and their bytes"
        );
        for kept in [&fresh_import, &live, &young] {
            assert!(store.plan(kept.id).await.unwrap().is_some());
        }
        // Once its conference is deleted (as idle), the plan of old imports goes too.
        store.delete_conference(conference).await.unwrap();
        assert_eq!(store.delete_empty_plans(1_000).await.unwrap(), 1);
        assert!(store.plan(live.id).await.unwrap().is_none());
    }
}
