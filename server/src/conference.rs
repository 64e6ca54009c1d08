//! One conference, owned by one task (an actor). Every change to a conference goes through
//! its actor, one batch at a time:
//!
//! 1. take every request waiting in the mailbox (bounded);
//! 2. for each command: check the sender's key or token, run [`ordet_shared::decide`],
//!    apply the resulting events to the state;
//! 3. write the batch's events to the log and wait until they are durable;
//! 4. broadcast each event — serialized once, the same bytes for every screen — and only
//!    then acknowledge the commands;
//! 5. answer the batch's other requests (new subscribers, look-ups).
//!
//! If the write fails, the state is reloaded from disk, every command of the batch is
//! rejected and nothing is broadcast: no screen ever sees an event that was not stored.
//!
//! Subscribers share one bounded broadcast ring. A screen that falls behind by more than
//! the ring holds is told so (`Lagged`) and catches up from the (larger) replay ring or a
//! snapshot, so a slow phone costs the server no memory of its own.
//!
//! Every command's identifier is remembered (the latest [`RECENT_COMMANDS`], also across
//! restarts), so any command a client retries after a lost acknowledgement is acknowledged
//! again without being applied twice.
//!
//! Talking rounds that move on by themselves need no request: the actor also wakes when the
//! next turn runs out ([`ordet_shared::turns::next_due`]) and stores what time alone changed,
//! logged without an actor. A stopped or restarted actor catches up on load: the next turn
//! starts at the previous deadline, so the schedule never shifts.
//!
//! An actor with no subscribers and nothing to do for [`IDLE_STOP`] stops and frees its
//! memory; so does one that cannot trust its state after a storage failure. The registry
//! starts a fresh actor from disk the next time anyone asks.
//!
//! Every cost a conference can run up is bounded by construction, because one person on the
//! venue Wi-Fi must not be able to stop the meeting or fill the disk:
//!
//! - Suggesting themes is the one heavy command. It runs off the actor on a blocking thread,
//!   at most one at a time per conference (a second is refused with
//!   [`ErrorCode::SuggestionRunning`]) and at most [`Limits::suggestions`] at a time on the
//!   whole server, with a time budget ([`SUGGEST_BUDGET`]); the actor goes on with every
//!   other request meanwhile. When the themes come back, the actor proposes them with the
//!   notes that are still unsorted at that moment ([`ordet_shared::notes::suggested`]) and
//!   only then acknowledges the command.
//! - The replay ring holds at most [`REPLAY`] frames and at most [`REPLAY_BYTES`] bytes.
//! - A conference's stored events may take at most [`Limits::stored_bytes`]; a command that
//!   would store more is refused with [`ErrorCode::StorageFull`]. Nothing stored is lost, and
//!   the conference can still be read, exported and deleted.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;
use ordet_shared::audience::{self, Audience, Class, Told};
use ordet_shared::notes::{SuggestionDone, SuggestionWork, suggestion_event};
use ordet_shared::protocol::{ErrorCode, JoinInfo, ServerMessage};
use ordet_shared::{
    Actor, Command, CommandId, ConferenceId, ParticipantId, SequencedEvent, State, StepId, decide,
};
use tokio::sync::{Semaphore, broadcast, mpsc, oneshot};

use crate::clock::now_ms;
use crate::export::Meeting;
use crate::secrets::SecretHash;
use crate::store::{LoadedConference, LogEntry, RECENT_COMMANDS, SNAPSHOT_EVERY, Store};

/// How many requests may wait in a conference's mailbox.
const MAILBOX: usize = 8192;
/// Most requests handled in one batch (one disk sync).
const MAX_BATCH: usize = 1024;
/// How many recent events a conference keeps serialized for replay to reconnecting clients.
pub const REPLAY: usize = 4096;
/// How many bytes of serialized events the replay ring holds at most; older frames go first.
/// A client that missed more catches up by snapshot.
pub const REPLAY_BYTES: usize = 8 * 1024 * 1024;
/// The most bytes one conference may store in its event log, unless the operator says
/// otherwise: 100,000 notes of the longest kind fit, with room for the rest of a meeting.
pub const MAX_STORED_BYTES: u64 = 256 * 1024 * 1024;
/// What a stored event costs besides its JSON (its row: conference, seq, time, actor,
/// command), counted so that many small events cannot slip past the storage limit.
pub const ROW_OVERHEAD: u64 = 128;
/// Longest a suggestion of themes may work; what is done by then is proposed.
pub const SUGGEST_BUDGET: Duration = Duration::from_secs(10);
/// How many events the live broadcast holds for slow readers; smaller than [`REPLAY`], so a
/// reader that lags behind it can still catch up by replay rather than by snapshot.
const LIVE: usize = 1024;
/// An actor with no subscribers stops after this long without requests.
pub const IDLE_STOP: Duration = Duration::from_secs(600);

/// What every conference of a server may spend: the same for all, shared where it is a
/// server-wide budget.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The most bytes one conference's stored events may take (JSON plus [`ROW_OVERHEAD`] a
    /// row).
    pub stored_bytes: u64,
    /// Suggestions of themes running at once on the whole server; a suggestion waits for a
    /// permit, so the others never take every core.
    pub suggestions: Arc<Semaphore>,
}

impl Limits {
    /// Limits with `stored_bytes` per conference, and half the machine's cores (at least
    /// one) for suggesting themes.
    pub fn new(stored_bytes: u64) -> Limits {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Limits {
            stored_bytes,
            suggestions: Arc::new(Semaphore::new((cores / 2).max(1))),
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::new(MAX_STORED_BYTES)
    }
}

/// Runs CPU-heavy work without stalling the other tasks of a multi-threaded runtime.
fn heavy<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::current().runtime_flavor() {
        tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(work),
        _ => work(),
    }
}

/// A serialized server message, shared (not copied) between every connection that sends it.
pub type Frame = Utf8Bytes;

/// What a connection proved at `hello`; re-checked by the actor for every command.
#[derive(Clone, Debug)]
pub enum Credential {
    /// The facilitator key's hash.
    Facilitator(SecretHash),
    /// The screen key's hash.
    Screen(SecretHash),
    /// A participant's identifier and the hash of their device token.
    Participant(ParticipantId, SecretHash),
}

/// Outcome of checking a credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// The credential fits: this is who the connection is.
    Admitted(Actor),
    /// A participant identifier never seen before: it may join.
    NewParticipant(Actor),
    /// A participant identifier never seen before, while joining is closed.
    JoiningClosed,
    /// A participant the facilitator removed.
    Removed,
    /// The credential does not fit this conference.
    Refused,
}

/// One event's frames, one for each class of audience (see [`ordet_shared::audience`]);
/// `None` for a class that is not told of it. Each is serialized once and shared by every
/// connection of that class; classes whose projections are the same share the bytes. Some
/// phones are told something else than every phone (their new seat, their own group's
/// events): their frames are in `personal`, each list made once for all phones that share it.
#[derive(Debug)]
pub struct Frames {
    /// The event's position in the log.
    pub seq: u64,
    facilitator: Option<Frame>,
    projector: Option<Frame>,
    phones: Option<Frame>,
    joining: Option<Frame>,
    personal: HashMap<ParticipantId, Arc<[Frame]>>,
    /// The bytes of all these frames, shared bytes counted once.
    bytes: usize,
    /// Who joined with this event: that phone leaves the join form.
    pub joined: Option<ParticipantId>,
}

impl Frames {
    /// The frames of `event` for every class of audience, each serialized once, and the
    /// frames of the phones `told` something of their own.
    fn of(event: &SequencedEvent, told: Vec<(Vec<ParticipantId>, Vec<Told>)>) -> Frames {
        let projector = audience::project_event(event, Audience::Projector);
        let projector_frame = projector
            .as_ref()
            .map(|e| frame(&ServerMessage::Event(e.clone())));
        let own = |audience| match audience::project_event(event, audience) {
            seen if seen == projector => projector_frame.clone(),
            Some(seen) => Some(frame(&ServerMessage::Event(seen))),
            None => None,
        };
        let facilitator = own(Audience::Facilitator);
        let phones = own(Audience::Participant(ParticipantId(uuid::Uuid::nil())));
        let joining = own(Audience::Joining);
        let mut bytes = projector_frame.as_ref().map_or(0, |f| f.len());
        for other in [&facilitator, &phones, &joining].into_iter().flatten() {
            if Some(other) != projector_frame.as_ref() {
                bytes += other.len();
            }
        }
        let mut personal = HashMap::new();
        for (phones, messages) in told {
            let frames: Arc<[Frame]> = messages
                .into_iter()
                .map(|told| frame(&ServerMessage::from(told)))
                .collect();
            bytes += frames.iter().map(|f| f.len()).sum::<usize>();
            for phone in phones {
                personal.insert(phone, frames.clone());
            }
        }
        Frames {
            seq: event.seq,
            facilitator,
            projector: projector_frame,
            phones,
            joining,
            personal,
            bytes,
            joined: audience::joined_by(event),
        }
    }

    /// The frames for `audience`, in order: none when it is not told of this event.
    pub fn for_audience(&self, audience: Audience) -> &[Frame] {
        match audience {
            Audience::Participant(me) => match self.personal.get(&me) {
                Some(frames) => frames,
                None => self.phones.as_slice(),
            },
            Audience::Facilitator => self.facilitator.as_slice(),
            Audience::Projector => self.projector.as_slice(),
            Audience::Joining => self.joining.as_slice(),
        }
    }
}

/// What a new subscriber gets: the messages to catch up with, then the live ring.
pub struct Subscription {
    /// Snapshot or replayed events for the subscriber's audience, in order.
    pub catch_up: Vec<Frame>,
    /// The live broadcast of every event's frames.
    pub live: broadcast::Receiver<Arc<Frames>>,
    /// The seq the client will be at after `catch_up`.
    pub seq: u64,
}

enum Request {
    Command {
        credential: Credential,
        id: CommandId,
        command: Command,
        reply: mpsc::Sender<Frame>,
    },
    Admit {
        credential: Credential,
        reply: oneshot::Sender<Admission>,
    },
    Subscribe {
        since: Option<u64>,
        audience: Audience,
        reply: oneshot::Sender<Subscription>,
    },
    JoinInfo {
        reply: oneshot::Sender<Option<JoinInfo>>,
    },
    Facts {
        reply: oneshot::Sender<Meeting>,
    },
    Stop,
}

/// The address of a running conference actor; cheap to clone.
#[derive(Clone)]
pub struct ConferenceHandle {
    /// Which conference.
    pub id: ConferenceId,
    mailbox: mpsc::Sender<Request>,
}

/// The conference's mailbox was closed (the actor stopped); the caller should give up.
#[derive(Debug)]
pub struct ActorGone;

impl ConferenceHandle {
    /// Starts the actor for a conference loaded from disk, whose stored events already take
    /// `stored_bytes` (counted as [`Limits::stored_bytes`] counts them).
    pub fn spawn(
        loaded: LoadedConference,
        store: Store,
        limits: Limits,
        stored_bytes: u64,
    ) -> ConferenceHandle {
        let (mailbox, requests) = mpsc::channel(MAILBOX);
        let (live, _) = broadcast::channel(LIVE);
        let id = loaded.record.id;
        let actor = ConferenceActor {
            facilitator_key_hash: loaded.record.facilitator_key_hash,
            screen_key_hash: loaded.record.screen_key_hash,
            devices: loaded.devices.into_iter().collect(),
            last_snapshot_seq: loaded.snapshot_seq,
            state: loaded.state,
            store,
            ring: VecDeque::new(),
            ring_bytes: 0,
            limits,
            stored_bytes,
            suggesting: None,
            live,
            snapshot_cache: HashMap::new(),
            recent_order: loaded.recent_commands.iter().map(|(id, _)| *id).collect(),
            recent: loaded.recent_commands.into_iter().collect(),
            unsent: Vec::new(),
            stopping: false,
        };
        tokio::spawn(actor.run(requests));
        ConferenceHandle { id, mailbox }
    }

    /// Sends a command; the answer (ack or rejection) arrives on `reply`.
    pub async fn command(
        &self,
        credential: Credential,
        id: CommandId,
        command: Command,
        reply: mpsc::Sender<Frame>,
    ) -> Result<(), ActorGone> {
        self.send(Request::Command {
            credential,
            id,
            command,
            reply,
        })
        .await
    }

    /// Checks a credential.
    pub async fn admit(&self, credential: Credential) -> Result<Admission, ActorGone> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::Admit { credential, reply }).await?;
        answer.await.map_err(|_| ActorGone)
    }

    /// Subscribes `audience` to the conference's events from `since` (or from a snapshot).
    pub async fn subscribe(
        &self,
        since: Option<u64>,
        audience: Audience,
    ) -> Result<Subscription, ActorGone> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::Subscribe {
            since,
            audience,
            reply,
        })
        .await?;
        answer.await.map_err(|_| ActorGone)
    }

    /// What a phone needs before joining; `None` once joining is closed (phones that joined
    /// kept it from their first visit).
    pub async fn join_info(&self) -> Result<Option<JoinInfo>, ActorGone> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::JoinInfo { reply }).await?;
        answer.await.map_err(|_| ActorGone)
    }

    /// The conference's anonymous facts for the input document (never the private state).
    pub async fn facts(&self) -> Result<Meeting, ActorGone> {
        let (reply, answer) = oneshot::channel();
        self.send(Request::Facts { reply }).await?;
        answer.await.map_err(|_| ActorGone)
    }

    /// Stops the actor after the requests before this one (the conference is being deleted).
    /// Its screens' connections end; they find the conference gone when they come back.
    pub async fn stop(&self) {
        let _ = self.send(Request::Stop).await;
    }

    async fn send(&self, request: Request) -> Result<(), ActorGone> {
        self.mailbox.send(request).await.map_err(|_| ActorGone)
    }

    /// Whether the actor still runs (it stops when idle or after a storage failure).
    pub fn is_running(&self) -> bool {
        !self.mailbox.is_closed()
    }
}

struct ConferenceActor {
    state: State,
    facilitator_key_hash: SecretHash,
    screen_key_hash: SecretHash,
    devices: HashMap<ParticipantId, SecretHash>,
    store: Store,
    ring: VecDeque<Arc<Frames>>,
    /// The bytes of the frames in `ring`.
    ring_bytes: usize,
    limits: Limits,
    /// The bytes the conference's stored events take (see [`Limits::stored_bytes`]).
    stored_bytes: u64,
    /// The suggestion of themes running off the actor, if any.
    suggesting: Option<Suggesting>,
    live: broadcast::Sender<Arc<Frames>>,
    /// The last snapshot made for each class of audience, with its seq.
    snapshot_cache: HashMap<Class, (u64, Vec<Frame>)>,
    last_snapshot_seq: u64,
    /// Commands carried out recently, with the seq of their last event.
    recent: HashMap<CommandId, u64>,
    recent_order: VecDeque<CommandId>,
    /// The frames of the batch's events, sent once they are stored.
    unsent: Vec<Frames>,
    /// Set by [`Request::Stop`]: the actor ends after the current batch.
    stopping: bool,
}

/// A [`Command::SuggestThemes`] or [`Command::SortIntoThemes`] being worked on away from the
/// actor.
struct Suggesting {
    id: CommandId,
    actor: Actor,
    step: Option<StepId>,
    /// Where the answer goes (the latest connection to send the command).
    reply: mpsc::Sender<Frame>,
    /// The themes, when done (closed if the work failed).
    done: oneshot::Receiver<SuggestionDone>,
}

/// The themes of the running suggestion, when they come; never, when none runs.
async fn suggestion_done(
    suggesting: &mut Option<Suggesting>,
) -> Result<SuggestionDone, oneshot::error::RecvError> {
    match suggesting {
        Some(running) => (&mut running.done).await,
        None => std::future::pending().await,
    }
}

/// What woke the actor.
enum Woke {
    Requests(usize),
    Suggested(Result<SuggestionDone, oneshot::error::RecvError>),
    Timeout,
}

/// A byte counter, to learn how long an event's JSON is without keeping it.
#[derive(Default)]
struct Counted(u64);

impl std::io::Write for Counted {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len() as u64;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What storing `events` costs against [`Limits::stored_bytes`]: their JSON, as the store
/// writes it, and a row each.
fn stored_cost(events: &[ordet_shared::Event]) -> u64 {
    events
        .iter()
        .map(|event| {
            let mut counted = Counted::default();
            serde_json::to_writer(&mut counted, event).expect("events always serialize");
            counted.0 + ROW_OVERHEAD
        })
        .sum()
}

/// A command's answer, held back until its batch is durable.
struct Pending {
    id: CommandId,
    reply: mpsc::Sender<Frame>,
    outcome: Result<Option<u64>, ErrorCode>,
}

impl ConferenceActor {
    async fn run(mut self, mut requests: mpsc::Receiver<Request>) {
        let _counted = crate::metrics::Gauge::hold(&crate::metrics::METRICS.conferences);
        let mut batch = Vec::with_capacity(MAX_BATCH);
        loop {
            // Wake for the next request, or when a talking round moves on by itself.
            let due = ordet_shared::turns::next_due(&self.state)
                .map(|at| Duration::from_millis(at.0.saturating_sub(now_ms())));
            let wait = due.map_or(IDLE_STOP, |due| due.min(IDLE_STOP));
            let woke = tokio::select! {
                count = requests.recv_many(&mut batch, MAX_BATCH) => Woke::Requests(count),
                themes = suggestion_done(&mut self.suggesting) => Woke::Suggested(themes),
                () = tokio::time::sleep(wait) => Woke::Timeout,
            };
            match woke {
                Woke::Requests(0) => return,
                Woke::Requests(_) => {
                    if !self.handle_batch(std::mem::take(&mut batch), None).await {
                        tracing::error!(conference = %self.state.id, "stopping after a storage failure");
                        return;
                    }
                    if self.stopping {
                        tracing::info!(conference = %self.state.id, "stopping: deleted");
                        return;
                    }
                }
                Woke::Suggested(themes) => {
                    let running = self.suggesting.take().expect("a suggestion was running");
                    if !self.handle_batch(Vec::new(), Some((running, themes))).await {
                        tracing::error!(conference = %self.state.id, "stopping after a storage failure");
                        return;
                    }
                }
                Woke::Timeout if due.is_some_and(|due| due <= wait) => {
                    if !self.handle_batch(Vec::new(), None).await {
                        tracing::error!(conference = %self.state.id, "stopping after a storage failure");
                        return;
                    }
                }
                Woke::Timeout if self.live.receiver_count() == 0 && self.suggesting.is_none() => {
                    tracing::debug!(conference = %self.state.id, "stopping: idle");
                    return;
                }
                Woke::Timeout => {}
            }
        }
    }

    /// Numbers and applies `events` (caused by `command` from `actor`, or by time alone when
    /// both are `None`) and adds them to the batch's log entries.
    fn apply_all(
        &mut self,
        events: Vec<ordet_shared::Event>,
        now: u64,
        actor: Option<Actor>,
        command: Option<CommandId>,
        entries: &mut Vec<LogEntry>,
    ) {
        for event in events {
            let sequenced = SequencedEvent {
                seq: self.state.seq + 1,
                event,
            };
            // Each audience is told the event as it may see it; some phones are told more
            // (who sat where before the event matters for that).
            let watched = audience::watch(&self.state, &sequenced.event);
            self.state.apply(&sequenced);
            let told = audience::tell(&self.state, &sequenced, watched);
            self.unsent.push(Frames::of(&sequenced, told));
            entries.push(LogEntry {
                event: sequenced,
                at_ms: now,
                actor,
                command,
            });
        }
    }

    /// Takes the events a command (or a finished suggestion) decided on into the batch, if
    /// the conference may store them: numbered, applied, and counted in `batch_bytes`.
    /// Returns the seq the command's answer carries.
    fn take(
        &mut self,
        events: Vec<ordet_shared::Event>,
        now: u64,
        actor: Actor,
        id: CommandId,
        entries: &mut Vec<LogEntry>,
        batch_bytes: &mut u64,
    ) -> Result<Option<u64>, ErrorCode> {
        if events.is_empty() {
            return Ok(None);
        }
        let cost = stored_cost(&events);
        if self.stored_bytes + *batch_bytes + cost > self.limits.stored_bytes {
            return Err(ErrorCode::StorageFull);
        }
        *batch_bytes += cost;
        self.apply_all(events, now, Some(actor), Some(id), entries);
        Ok(Some(self.state.seq))
    }

    /// Starts the suggestion `command` asks for away from the actor; the answer to command `id`
    /// goes to `reply` when the themes come back (see [`Woke::Suggested`]).
    fn start_suggesting(
        &mut self,
        actor: Actor,
        command: &Command,
        id: CommandId,
        reply: mpsc::Sender<Frame>,
    ) -> Result<(), ErrorCode> {
        let work =
            SuggestionWork::of(&self.state, actor, command).ok_or(ErrorCode::NotAllowed)??;
        let step = work.step();
        let (themes, done) = oneshot::channel();
        let permits = self.limits.suggestions.clone();
        let conference = self.state.id;
        tokio::spawn(async move {
            let Ok(permit) = permits.acquire_owned().await else {
                return;
            };
            if themes.is_closed() {
                // The conference stopped (deleted) while this waited for its turn.
                return;
            }
            let worked = tokio::task::spawn_blocking(move || {
                let _permit = permit;
                let started = Instant::now();
                let found = work.run(Some(started + SUGGEST_BUDGET));
                tracing::info!(%conference, ms = started.elapsed().as_millis() as u64,
                    "suggested themes");
                found
            })
            .await;
            match worked {
                Ok(found) => {
                    let _ = themes.send(found);
                }
                Err(error) => tracing::error!(%conference, %error, "suggesting themes failed"),
            }
        });
        self.suggesting = Some(Suggesting {
            id,
            actor,
            step,
            reply,
            done,
        });
        Ok(())
    }

    /// Handles one batch (and the suggestion that just finished, if any); `false` if the
    /// actor can no longer trust its state and must stop.
    async fn handle_batch(
        &mut self,
        batch: Vec<Request>,
        finished: Option<(
            Suggesting,
            Result<SuggestionDone, oneshot::error::RecvError>,
        )>,
    ) -> bool {
        let now = now_ms();
        let mut batch_bytes = 0u64;
        let mut entries: Vec<LogEntry> = Vec::new();
        let mut new_devices: Vec<(ParticipantId, SecretHash)> = Vec::new();
        let mut answers: Vec<Pending> = Vec::new();
        let mut others: Vec<Request> = Vec::new();

        // Time first: rounds whose turn ran out move on before any command is judged, so a
        // "next" pressed for a turn that already ended does nothing. Time alone is never
        // refused for storage: it adds only the few events the programme has.
        let due = ordet_shared::turns::due(&self.state, ordet_shared::Timestamp(now));
        batch_bytes += stored_cost(&due);
        self.apply_all(due, now, None, None, &mut entries);

        if let Some((running, themes)) = finished {
            let outcome = match themes {
                Ok(themes) => {
                    let events = vec![suggestion_event(&self.state, running.step, themes)];
                    self.take(
                        events,
                        now,
                        running.actor,
                        running.id,
                        &mut entries,
                        &mut batch_bytes,
                    )
                }
                // The work failed (logged where it ran): nothing changed, and the facilitator
                // may try again, as after a failed write.
                Err(_) => Err(ErrorCode::StorageFailed),
            };
            answers.push(Pending {
                id: running.id,
                reply: running.reply,
                outcome,
            });
        }

        for request in batch {
            let Request::Command {
                credential,
                id,
                command,
                reply,
            } = request
            else {
                others.push(request);
                continue;
            };
            if self.recent.contains_key(&id) {
                answers.push(Pending {
                    id,
                    reply,
                    outcome: Ok(None),
                });
                continue;
            }
            if matches!(
                command,
                Command::SuggestThemes { .. } | Command::SortIntoThemes { .. }
            ) {
                let started = self.authorize(&credential, &command).and_then(|actor| {
                    match &mut self.suggesting {
                        // A retry of the running one: answered, once, when it is done.
                        Some(running) if running.id == id => {
                            running.reply = reply.clone();
                            Ok(())
                        }
                        Some(_) => Err(ErrorCode::SuggestionRunning),
                        None => self.start_suggesting(actor, &command, id, reply.clone()),
                    }
                });
                if let Err(error) = started {
                    answers.push(Pending {
                        id,
                        reply,
                        outcome: Err(error),
                    });
                }
                continue;
            }
            let outcome = self.authorize(&credential, &command).and_then(|actor| {
                let events = decide(&self.state, actor, &command, ordet_shared::Timestamp(now))?;
                let seq = self.take(events, now, actor, id, &mut entries, &mut batch_bytes)?;
                if seq.is_some()
                    && let (Command::Join { .. }, Credential::Participant(pid, hash)) =
                        (&command, &credential)
                    && self.devices.insert(*pid, *hash).is_none()
                {
                    new_devices.push((*pid, *hash));
                }
                Ok(seq)
            });
            answers.push(Pending { id, reply, outcome });
        }

        let mut trusted = true;
        if !entries.is_empty() {
            let started = std::time::Instant::now();
            let stored = self
                .store
                .append(self.state.id, entries.clone(), new_devices)
                .await;
            crate::metrics::METRICS.append.observe(started.elapsed());
            if stored.is_ok() {
                self.stored_bytes += batch_bytes;
                crate::metrics::METRICS
                    .events
                    .fetch_add(entries.len() as u64, std::sync::atomic::Ordering::Relaxed);
            }
            if let Err(error) = stored {
                tracing::error!(conference = %self.state.id, %error, "could not store events; reloading");
                trusted = self.reload().await;
                for answer in &mut answers {
                    if answer.outcome.is_ok() {
                        answer.outcome = Err(ErrorCode::StorageFailed);
                    }
                }
                entries.clear();
                self.unsent.clear();
            }
        }

        let started = std::time::Instant::now();
        for frames in std::mem::take(&mut self.unsent) {
            self.broadcast(frames);
        }
        if !entries.is_empty() {
            crate::metrics::METRICS.broadcast.observe(started.elapsed());
        }
        for answer in &answers {
            if let Ok(Some(seq)) = answer.outcome {
                self.remember(answer.id, seq);
            }
        }
        for answer in answers {
            let message = match answer.outcome {
                Ok(seq) => ServerMessage::Ack { id: answer.id, seq },
                Err(error) => ServerMessage::Rejected {
                    id: answer.id,
                    error,
                    message: error.english(),
                },
            };
            // A full reply queue means the connection is not reading; the client will retry
            // the command, which is safe.
            let _ = answer.reply.try_send(frame(&message));
        }
        if self.state.seq >= self.last_snapshot_seq + SNAPSHOT_EVERY {
            self.last_snapshot_seq = self.state.seq;
            if let Err(error) = self.store.snapshot(self.state.id, &self.state).await {
                tracing::warn!(conference = %self.state.id, %error, "could not store snapshot");
            }
        }

        if !trusted {
            // Dropping the requests tells their senders the conference stopped.
            return false;
        }
        for request in others {
            self.answer(request);
        }
        true
    }

    fn remember(&mut self, command: CommandId, seq: u64) {
        if self.recent_order.len() == RECENT_COMMANDS
            && let Some(oldest) = self.recent_order.pop_front()
        {
            self.recent.remove(&oldest);
        }
        self.recent.insert(command, seq);
        self.recent_order.push_back(command);
    }

    /// Who is sending this command, if the credential still fits.
    fn authorize(&self, credential: &Credential, command: &Command) -> Result<Actor, ErrorCode> {
        match self.check(credential) {
            Admission::Admitted(actor) => Ok(actor),
            Admission::NewParticipant(actor) if matches!(command, Command::Join { .. }) => {
                Ok(actor)
            }
            Admission::NewParticipant(_) => Err(ErrorCode::JoinFirst),
            Admission::JoiningClosed => Err(ErrorCode::JoiningClosed),
            Admission::Removed => Err(ErrorCode::ParticipantRemoved),
            Admission::Refused => Err(ErrorCode::Unauthorized),
        }
    }

    fn check(&self, credential: &Credential) -> Admission {
        match credential {
            Credential::Facilitator(hash) if hash.matches(&self.facilitator_key_hash) => {
                Admission::Admitted(Actor::Facilitator)
            }
            Credential::Screen(hash) if hash.matches(&self.screen_key_hash) => {
                Admission::Admitted(Actor::Screen)
            }
            // A device the facilitator removed sees nothing more.
            Credential::Participant(id, _) if self.state.removed.contains(id) => Admission::Removed,
            Credential::Participant(id, hash) => match self.devices.get(id) {
                Some(known) if known.matches(hash) => {
                    Admission::Admitted(Actor::Participant { id: *id })
                }
                Some(_) => Admission::Refused,
                None if self.state.joining_open => {
                    Admission::NewParticipant(Actor::Participant { id: *id })
                }
                None => Admission::JoiningClosed,
            },
            _ => Admission::Refused,
        }
    }

    fn answer(&mut self, request: Request) {
        match request {
            Request::Admit { credential, reply } => {
                let _ = reply.send(self.check(&credential));
            }
            Request::Subscribe {
                since,
                audience,
                reply,
            } => {
                let subscription = self.subscription(since, audience);
                let _ = reply.send(subscription);
            }
            Request::JoinInfo { reply } => {
                let _ = reply.send(self.state.joining_open.then(|| JoinInfo {
                    conference: self.state.id,
                    title: self.state.title.clone(),
                    language: self.state.language,
                    roles: self.state.roles.clone(),
                }));
            }
            Request::Facts { reply } => {
                let _ = reply.send(heavy(|| Meeting::from_state(&self.state)));
            }
            Request::Stop => self.stopping = true,
            Request::Command { .. } => unreachable!("commands are handled in the batch"),
        }
    }

    fn subscription(&mut self, since: Option<u64>, audience: Audience) -> Subscription {
        let seq = self.state.seq;
        let oldest_replayable = self.ring.front().map_or(seq + 1, |frames| frames.seq);
        let catch_up = match since {
            Some(since) if since == seq => Vec::new(),
            Some(since) if since < seq && since + 1 >= oldest_replayable => self
                .ring
                .iter()
                .filter(|frames| frames.seq > since)
                .flat_map(|frames| frames.for_audience(audience).iter().cloned())
                .collect(),
            _ => self.snapshot_frames(audience),
        };
        Subscription {
            catch_up,
            live: self.live.subscribe(),
            seq,
        }
    }

    /// The snapshot for `audience`, made once per class and seq; a phone's is what every
    /// phone shares, then always its own seat (empty on the join form), so that a phone
    /// knows when it has all of its view.
    fn snapshot_frames(&mut self, audience: Audience) -> Vec<Frame> {
        let mut frames = self.shared_snapshot_frames(audience);
        let seat = match audience {
            Audience::Participant(me) => Some(audience::seat(&self.state, me)),
            Audience::Joining => Some(audience::Seat::default()),
            Audience::Facilitator | Audience::Projector => None,
        };
        if let Some(seat) = seat {
            frames.push(frame(&ServerMessage::Seat(seat)));
        }
        frames
    }

    fn shared_snapshot_frames(&mut self, audience: Audience) -> Vec<Frame> {
        let class = audience.class();
        match self.snapshot_cache.get(&class) {
            Some((seq, frames)) if *seq == self.state.seq => frames.clone(),
            _ => {
                let shared = match audience {
                    Audience::Participant(_) => {
                        Audience::Participant(ParticipantId(uuid::Uuid::nil()))
                    }
                    other => other,
                };
                let view = audience::project_state(&self.state, shared);
                let frames: Vec<Frame> = ordet_shared::protocol::snapshot_messages(&view)
                    .iter()
                    .map(frame)
                    .collect();
                self.snapshot_cache
                    .insert(class, (self.state.seq, frames.clone()));
                frames
            }
        }
    }

    /// Sends one stored event's frames to every connection and keeps them for replay.
    fn broadcast(&mut self, frames: Frames) {
        let frames = Arc::new(frames);
        self.ring_bytes += frames.bytes;
        self.ring.push_back(frames.clone());
        while self.ring.len() > REPLAY || self.ring_bytes > REPLAY_BYTES {
            match self.ring.pop_front() {
                Some(old) => self.ring_bytes -= old.bytes,
                None => break,
            }
        }
        // No receivers is fine: nobody is watching right now.
        let _ = self.live.send(frames);
    }

    /// Reloads the state from disk after a failed write; `false` if that failed too.
    async fn reload(&mut self) -> bool {
        match self.store.load(self.state.id).await {
            Ok(Some(loaded)) => {
                self.state = loaded.state;
                self.devices = loaded.devices.into_iter().collect();
                self.recent_order = loaded.recent_commands.iter().map(|(id, _)| *id).collect();
                self.recent = loaded.recent_commands.into_iter().collect();
                self.ring.clear();
                self.ring_bytes = 0;
                self.snapshot_cache.clear();
                true
            }
            other => {
                tracing::error!(conference = %self.state.id, ?other, "reload after failed write failed");
                false
            }
        }
    }
}

/// Serializes a message once, for sending to any number of connections.
pub fn frame(message: &ServerMessage) -> Frame {
    let json = serde_json::to_string(message).expect("server messages always serialize");
    Utf8Bytes::from(json)
}
