//! The running conferences. A conference's actor is started the first time anyone asks for
//! it (loaded from disk), and at most one actor runs per conference even when many phones
//! ask at the same moment. Looking up an unknown identifier leaves nothing behind, so probing
//! random identifiers cannot grow memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ordet_shared::command::clean_title;
use ordet_shared::event::Event;
use ordet_shared::join_code::{self, JoinCode};
use ordet_shared::protocol::{CreateConference, CreatedConference, ErrorCode};
use ordet_shared::state::Role;
use ordet_shared::{ConferenceId, SequencedEvent, Timestamp};
use rand::Rng;
use tokio::sync::OnceCell;

use crate::clock::now_ms;
use crate::conference::{ConferenceHandle, Limits};
use crate::secrets::{SecretHash, new_facilitator_key, screen_key_for};
use crate::store::{ConferenceRecord, LogEntry, Store, StoreError};

/// How often a new conference may draw a join code that is taken before giving up.
const JOIN_CODE_ATTEMPTS: usize = 8;

/// Why a conference could not be found or made.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The request itself was wrong (for example an empty title).
    #[error("{0:?}")]
    Invalid(ErrorCode),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

type Slot = Arc<OnceCell<Option<ConferenceHandle>>>;

/// All conferences this server has started.
pub struct Registry {
    store: Store,
    running: Mutex<HashMap<ConferenceId, Slot>>,
    /// What each conference may spend (see [`Limits`]); one budget for suggesting themes.
    limits: Limits,
}

impl Registry {
    /// A registry over `store` with nothing running yet, whose conferences may each store
    /// `stored_bytes` of events (see [`Limits::stored_bytes`]).
    pub fn new(store: Store, stored_bytes: u64) -> Registry {
        Registry {
            store,
            running: Mutex::new(HashMap::new()),
            limits: Limits::new(stored_bytes),
        }
    }

    /// The running conference, started from disk if needed; `None` if it does not exist.
    /// A conference whose actor has stopped (idle, or after a storage failure) is started
    /// again from disk.
    pub async fn get(&self, id: ConferenceId) -> Result<Option<ConferenceHandle>, StoreError> {
        for _ in 0..2 {
            let slot = self.slot(id);
            let loaded = slot
                .get_or_try_init(|| async {
                    let Some(loaded) = self.store.load(id).await? else {
                        return Ok::<_, StoreError>(None);
                    };
                    // No actor runs for it, so nothing is appended meanwhile.
                    let (events, bytes) = self.store.event_log_size(id).await?;
                    let stored = bytes + events * crate::conference::ROW_OVERHEAD;
                    Ok(Some(ConferenceHandle::spawn(
                        loaded,
                        self.store.clone(),
                        self.limits.clone(),
                        stored,
                    )))
                })
                .await?;
            match loaded {
                Some(handle) if handle.is_running() => return Ok(Some(handle.clone())),
                Some(_) => self.forget(id, &slot),
                None => {
                    self.forget(id, &slot);
                    return Ok(None);
                }
            }
        }
        Ok(None)
    }

    fn slot(&self, id: ConferenceId) -> Slot {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(id)
            .or_default()
            .clone()
    }

    /// The conference with this join code, if any.
    pub async fn by_join_code(
        &self,
        code: &JoinCode,
    ) -> Result<Option<ConferenceHandle>, StoreError> {
        match self.store.find_join_code(code).await? {
            Some(id) => self.get(id).await,
            None => Ok(None),
        }
    }

    /// Creates a conference and returns its keys (shown once).
    pub async fn create(
        &self,
        request: CreateConference,
    ) -> Result<CreatedConference, RegistryError> {
        let title = clean_title(&request.title).map_err(RegistryError::Invalid)?;
        let id = ConferenceId::random();
        let facilitator_key = new_facilitator_key();
        let screen_key = screen_key_for(&facilitator_key);
        let created_at = now_ms();
        for _ in 0..JOIN_CODE_ATTEMPTS {
            let join_code = random_join_code();
            let record = ConferenceRecord {
                id,
                join_code: join_code.clone(),
                facilitator_key_hash: SecretHash::of(&facilitator_key),
                screen_key_hash: SecretHash::of(&screen_key),
                created_at_ms: created_at,
            };
            let first = LogEntry {
                event: SequencedEvent {
                    seq: 1,
                    event: Event::ConferenceCreated {
                        id,
                        title: title.clone(),
                        language: request.language,
                        join_code: join_code.clone(),
                        created_at: Timestamp(created_at),
                        roles: Role::defaults(),
                    },
                },
                at_ms: created_at,
                actor: Some(ordet_shared::Actor::Facilitator),
                command: None,
            };
            match self.store.create(record, first).await {
                Ok(()) => {
                    return Ok(CreatedConference {
                        id,
                        join_code,
                        console_path: format!("/f/{id}#{facilitator_key}"),
                        facilitator_key,
                        screen_key,
                    });
                }
                Err(StoreError::JoinCodeTaken) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(RegistryError::Store(StoreError::JoinCodeTaken))
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Deletes a conference and everything in it, and stops its actor. Deleted from disk
    /// first, so a screen that reconnects in between finds nothing to load.
    pub async fn delete(&self, id: ConferenceId) -> Result<(), StoreError> {
        self.store.delete_conference(id).await?;
        self.stop(id).await;
        Ok(())
    }

    /// Deletes a plan with every conference in it.
    pub async fn delete_plan(&self, id: ordet_shared::PlanId) -> Result<(), StoreError> {
        for conference in self.store.delete_plan(id).await? {
            self.stop(conference).await;
        }
        Ok(())
    }

    /// Stops the conference's actor, if one runs, and forgets it.
    async fn stop(&self, id: ConferenceId) {
        let slot = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .cloned();
        if let Some(slot) = slot {
            if let Some(Some(handle)) = slot.get() {
                handle.stop().await;
            }
            self.forget(id, &slot);
        }
    }

    /// Removes `slot` from the map, if it is still the one there (a newer one is kept).
    fn forget(&self, id: ConferenceId, slot: &Slot) {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        if running
            .get(&id)
            .is_some_and(|current| Arc::ptr_eq(current, slot))
        {
            running.remove(&id);
        }
    }
}

/// A join code drawn at random (it may be taken: storing it says).
pub(crate) fn random_join_code() -> JoinCode {
    let mut rng = rand::rng();
    let random: [u32; join_code::LENGTH] = std::array::from_fn(|_| rng.random());
    JoinCode::from_random(random)
}
