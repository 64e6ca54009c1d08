//! One websocket connection: `hello`, authentication, catch-up, then a loop that forwards
//! the conference's live events, passes commands to the conference actor, answers pings and
//! keeps the connection honest.
//!
//! Protective limits, per connection: the first message must come within
//! [`HELLO_TIMEOUT`]; messages are at most [`limits::MAX_MESSAGE_BYTES`] (close 1009 beyond);
//! a token bucket allows bursts of [`BURST`] messages and [`PER_SECOND`] on average (beyond:
//! an error, and a close if it goes on); the server pings every [`PING_EVERY`] and drops a
//! connection silent for [`SILENCE_LIMIT`] (websocket pings and pongs count against the
//! same bucket, so they cannot flood either); a send that cannot complete within
//! [`SEND_TIMEOUT`] drops the connection. Per address, over all its connections, commands
//! and new connections share one more bucket ([`super::MESSAGES`]). Socket buffers are set
//! small and explicit. Live events that pile up behind a busy screen are written to it in one
//! batch.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use ordet_shared::audience::Audience;
use ordet_shared::limits;
use ordet_shared::protocol::{
    Auth, ClientMessage, ErrorCode, PROTOCOL_VERSION, ServerMessage, close_code,
};
use ordet_shared::{Actor, Timestamp};
use tokio::sync::{broadcast, mpsc};
use tokio::time::{Instant, MissedTickBehavior, interval, timeout};

use super::AppState;
use super::guard::ClientAddress;
use crate::clock::now_ms;
use crate::conference::{Admission, ConferenceHandle, Credential, Frame, Frames, frame};
use crate::secrets::{SecretHash, TOKEN_CHARS, screen_key_for};

/// Time allowed for the first message.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// Messages a client may send in a burst.
pub const BURST: f64 = 40.0;
/// Messages per second a client may send on average.
pub const PER_SECOND: f64 = 10.0;
/// Messages dropped for flooding before the connection is closed.
const FLOOD_CLOSE_AFTER: u32 = 200;
/// How often the server pings.
pub const PING_EVERY: Duration = Duration::from_secs(20);
/// How long a connection may be silent before it is dropped.
pub const SILENCE_LIMIT: Duration = Duration::from_secs(60);
/// How long one send may take before the connection is dropped.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a closing connection waits for the client's answering close.
const CLOSE_LINGER: Duration = Duration::from_secs(2);
/// Answers waiting for one connection (acks, rejections).
const REPLY_QUEUE: usize = 64;
/// Longest key accepted (longer is refused without hashing).
const MAX_KEY_CHARS: usize = 256;
/// Live events written in one batch at most.
const MAX_WRITE_BATCH: usize = 64;
/// Bytes of waiting frames the websocket gathers before writing them to the socket. Small,
/// because the buffer keeps the capacity it grew to for the life of the connection (which is
/// also why snapshots travel in pieces of at most 8 KiB).
const WRITE_BATCH_BYTES: usize = 4 * 1024;
/// Largest single message the server may send: tungstenite refuses a frame larger than this
/// cap, and messages are bounded well below it.
const MAX_OUTGOING_BYTES: usize = 256 * 1024 * 1024;

type Sink = SplitSink<WebSocket, Message>;
type Stream = SplitStream<WebSocket>;

/// `GET /ws`: upgrades to a websocket with explicit, small buffers and size limits.
pub(crate) async fn upgrade(
    State(app): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: axum::http::HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    // A page from another site must not act through a visitor's browser.
    if !super::guard::origin_allowed(&headers, &app.allowed_origins) {
        return axum::response::IntoResponse::into_response(super::api::ApiFailure(
            axum::http::StatusCode::FORBIDDEN,
            ordet_shared::protocol::ErrorCode::OriginNotAllowed,
        ));
    }
    // Opening a websocket counts as a message from its address.
    if let Err(seconds) = app.messages.take(address) {
        return super::api::too_many(seconds);
    }
    let Some(greeting) = app.greeting.enter(address, app.waiting_per_address) else {
        return super::api::too_many(1);
    };
    upgrade
        .read_buffer_size(4 * 1024)
        .write_buffer_size(WRITE_BATCH_BYTES)
        .max_write_buffer_size(MAX_OUTGOING_BYTES)
        .max_message_size(limits::MAX_MESSAGE_BYTES)
        .max_frame_size(limits::MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            let (sink, stream) = socket.split();
            Connection::open(app, address, greeting, sink, stream).await;
        })
}

struct Connection {
    app: AppState,
    /// The address its messages count against (see `guard::ClientAddress`).
    address: IpAddr,
    sink: Sink,
    stream: Stream,
}

/// How forwarding a batch of live events ended.
enum Forwarded {
    /// Every waiting event was written.
    All,
    /// Written, but the connection fell behind the shared ring meanwhile.
    Lagged,
    /// The connection is gone or too slow.
    Ended,
}

/// What a connection knows once it is admitted.
struct Session {
    conference: ConferenceHandle,
    credential: Credential,
    /// Whose view this connection is sent; a phone on the join form becomes a
    /// participant when its join is stored.
    audience: Audience,
    live: broadcast::Receiver<Arc<Frames>>,
    /// The last event seq this client has been sent.
    seq: u64,
}

impl Connection {
    async fn open(
        app: AppState,
        address: IpAddr,
        greeting: super::accept::AddressSlot,
        sink: Sink,
        stream: Stream,
    ) {
        let _counted = crate::metrics::Gauge::hold(&crate::metrics::METRICS.connections);
        let mut connection = Connection {
            app,
            address,
            sink,
            stream,
        };
        // The whole greeting (hello, look-up, admission, catch-up) has a time limit, so a
        // stalled step cannot leave a phone waiting forever.
        let greeted = timeout(HELLO_TIMEOUT * 3, connection.hello()).await;
        drop(greeting);
        match greeted {
            Ok(Some(session)) => connection.serve(session).await,
            Ok(None) => {}
            Err(_) => {
                connection
                    .close(close_code::GOING_AWAY, "greeting took too long")
                    .await
            }
        }
    }

    /// Reads and checks `hello`, sends `welcome` and the catch-up. `None` if the connection
    /// was refused (and closed with a reason).
    async fn hello(&mut self) -> Option<Session> {
        let first = timeout(HELLO_TIMEOUT, self.stream.next()).await;
        let Ok(Some(Ok(Message::Text(text)))) = first else {
            self.close(close_code::BAD_HELLO, "expected a hello message first")
                .await;
            return None;
        };
        crate::metrics::METRICS
            .messages_in
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let Ok(ClientMessage::Hello {
            protocol,
            conference,
            auth,
            since,
        }) = serde_json::from_str::<ClientMessage>(&text)
        else {
            self.refuse(ErrorCode::BadMessage, close_code::BAD_HELLO)
                .await;
            return None;
        };
        if protocol != PROTOCOL_VERSION {
            self.refuse(ErrorCode::ProtocolMismatch, close_code::PROTOCOL_MISMATCH)
                .await;
            return None;
        }
        let conference = match self.app.registry.get(conference).await {
            Ok(Some(conference)) => conference,
            Ok(None) => {
                self.refuse(ErrorCode::UnknownConference, close_code::UNKNOWN_CONFERENCE)
                    .await;
                return None;
            }
            Err(error) => {
                tracing::error!(%error, "could not load a conference");
                self.refuse(ErrorCode::StorageFailed, close_code::GOING_AWAY)
                    .await;
                return None;
            }
        };
        let Some((credential, screen_key)) = credential_of(&auth) else {
            self.refuse(ErrorCode::Unauthorized, close_code::UNAUTHORIZED)
                .await;
            return None;
        };
        let (viewer, audience) = match conference.admit(credential.clone()).await {
            Ok(Admission::Admitted(actor)) => (actor, audience_of(actor)),
            Ok(Admission::NewParticipant(actor)) => (actor, Audience::Joining),
            Ok(Admission::Removed) => {
                self.refuse(ErrorCode::ParticipantRemoved, close_code::UNAUTHORIZED)
                    .await;
                return None;
            }
            Ok(Admission::JoiningClosed) => {
                // Not joined and joining is closed: nothing of the conference to see.
                self.refuse(ErrorCode::JoiningClosed, close_code::UNAUTHORIZED)
                    .await;
                return None;
            }
            Ok(Admission::Refused) => {
                self.refuse(ErrorCode::Unauthorized, close_code::UNAUTHORIZED)
                    .await;
                return None;
            }
            Err(_) => {
                self.refuse(ErrorCode::ShuttingDown, close_code::GOING_AWAY)
                    .await;
                return None;
            }
        };
        let welcome = ServerMessage::Welcome {
            protocol: PROTOCOL_VERSION,
            server_time: Timestamp(now_ms()),
            viewer,
            join_url: format!("{}/j", self.app.public_url),
            screen_key,
        };
        if !self.send(frame(&welcome)).await {
            return None;
        }
        let subscription = conference.subscribe(since, audience).await.ok()?;
        if !self.send_all(subscription.catch_up).await {
            return None;
        }
        Some(Session {
            conference,
            credential,
            audience,
            live: subscription.live,
            seq: subscription.seq,
        })
    }

    async fn serve(&mut self, mut session: Session) {
        let (reply_tx, mut replies) = mpsc::channel::<Frame>(REPLY_QUEUE);
        let mut shutdown = self.app.shutdown.clone();
        let mut ping = interval(PING_EVERY);
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut last_heard = Instant::now();
        let mut bucket = TokenBucket::new();
        let mut flooded: u32 = 0;

        loop {
            tokio::select! {
                biased;
                _ = async { shutdown.wait_for(|stopping| *stopping).await.is_ok() } => {
                    // No waiting for the client's answer: the server is about to exit.
                    self.close_now(close_code::GOING_AWAY, "server restarting").await;
                    return;
                }
                live = session.live.recv() => match live {
                    Ok(frames) => {
                        if frames.seq > session.seq {
                            match self.forward(&mut session, frames).await {
                                Forwarded::All => {}
                                Forwarded::Lagged => {
                                    if !self.catch_up(&mut session).await { return; }
                                }
                                Forwarded::Ended => return,
                            }
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        if !self.catch_up(&mut session).await { return; }
                    }
                    Err(broadcast::error::RecvError::Closed) => {
                        self.close(close_code::GOING_AWAY, "conference stopped").await;
                        return;
                    }
                },
                Some(reply) = replies.recv() => {
                    if !self.send(reply).await { return; }
                }
                incoming = self.stream.next() => {
                    last_heard = Instant::now();
                    let text = match incoming {
                        None | Some(Ok(Message::Close(_))) => {
                            // The client closed first: send the answering close it is owed.
                            let _ = timeout(CLOSE_LINGER, self.sink.flush()).await;
                            return;
                        }
                        Some(Err(error)) => {
                            self.read_failed(error).await;
                            return;
                        }
                        Some(Ok(Message::Text(text))) => Some(text),
                        Some(Ok(Message::Binary(_))) => None,
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => {
                            // Control frames cost a read and (for a ping) an answer: they
                            // share the connection's budget, and a flood of them closes it.
                            if bucket.take() {
                                flooded = 0;
                            } else {
                                flooded += 1;
                                if flooded >= FLOOD_CLOSE_AFTER {
                                    self.close(close_code::FLOODING, "too many messages").await;
                                    return;
                                }
                            }
                            continue;
                        }
                    };
                    crate::metrics::METRICS.messages_in.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if !bucket.take() {
                        flooded += 1;
                        if flooded >= FLOOD_CLOSE_AFTER {
                            self.close(close_code::FLOODING, "too many messages").await;
                            return;
                        }
                        if !self.refuse_for_rate(text.as_deref().unwrap_or_default(), flooded == 1).await {
                            return;
                        }
                        continue;
                    }
                    flooded = 0;
                    let Some(text) = text else {
                        if !self.error(ErrorCode::BadMessage, "binary messages are not used").await { return; }
                        continue;
                    };
                    if !self.handle(&session, &text, &reply_tx).await { return; }
                }
                _ = ping.tick() => {
                    if last_heard.elapsed() > SILENCE_LIMIT {
                        self.close(close_code::GOING_AWAY, "no answer to pings").await;
                        return;
                    }
                    let sent = timeout(SEND_TIMEOUT, self.sink.send(Message::Ping(Default::default()))).await;
                    if !matches!(sent, Ok(Ok(()))) { return; }
                }
            }
        }
    }

    /// Writes a live event, and the events already waiting behind it, in one go: they are
    /// buffered (up to [`WRITE_BATCH_BYTES`]) and flushed together, so a screen that fell a few
    /// events behind during a burst costs one system call instead of one per event.
    async fn forward(&mut self, session: &mut Session, first: Arc<Frames>) -> Forwarded {
        let mut batch = Vec::new();
        let mut outcome = Forwarded::All;
        let mut next = Some(first);
        while batch.len() < MAX_WRITE_BATCH {
            let frames = match next.take() {
                Some(frames) => frames,
                None => match session.live.try_recv() {
                    Ok(frames) => frames,
                    Err(broadcast::error::TryRecvError::Empty) => break,
                    Err(broadcast::error::TryRecvError::Lagged(_)) => {
                        outcome = Forwarded::Lagged;
                        break;
                    }
                    Err(broadcast::error::TryRecvError::Closed) => break,
                },
            };
            if frames.seq <= session.seq {
                continue;
            }
            session.seq = frames.seq;
            if let (Audience::Joining, Some(joined), Credential::Participant(me, _)) =
                (session.audience, frames.joined, &session.credential)
                && joined == *me
            {
                // This phone's join is stored: from now on it is sent a participant's view,
                // starting with a snapshot of it.
                session.audience = Audience::Participant(joined);
                if !self.send_all(std::mem::take(&mut batch)).await {
                    return Forwarded::Ended;
                }
                return match session.conference.subscribe(None, session.audience).await {
                    Ok(subscription) => {
                        session.live = subscription.live;
                        session.seq = subscription.seq;
                        if self.send_all(subscription.catch_up).await {
                            Forwarded::All
                        } else {
                            Forwarded::Ended
                        }
                    }
                    Err(_) => Forwarded::Ended,
                };
            }
            batch.extend(frames.for_audience(session.audience).iter().cloned());
        }
        if batch.is_empty() {
            return outcome;
        }
        if self.send_all(batch).await {
            outcome
        } else {
            Forwarded::Ended
        }
    }

    /// Writes frames gathered into as few socket writes as the buffer allows, then flushes;
    /// `false` if the connection is gone or too slow.
    async fn send_all(&mut self, frames: Vec<Frame>) -> bool {
        crate::metrics::METRICS
            .messages_out
            .fetch_add(frames.len() as u64, std::sync::atomic::Ordering::Relaxed);
        let sink = &mut self.sink;
        let written = timeout(SEND_TIMEOUT, async move {
            for frame in frames {
                sink.feed(Message::Text(frame)).await?;
            }
            sink.flush().await
        })
        .await;
        matches!(written, Ok(Ok(())))
    }

    /// After falling behind the shared ring of live events: gets the missed events from the
    /// conference actor and a new subscription. `false` when the connection should end.
    async fn catch_up(&mut self, session: &mut Session) -> bool {
        // A phone on the join form may have joined among the events it missed: replayed
        // frames no longer say so, so ask again who it is.
        let mut since = Some(session.seq);
        if session.audience == Audience::Joining
            && let Ok(Admission::Admitted(actor)) =
                session.conference.admit(session.credential.clone()).await
        {
            session.audience = audience_of(actor);
            since = None;
        }
        let Ok(subscription) = session.conference.subscribe(since, session.audience).await else {
            self.close(close_code::GOING_AWAY, "conference stopped")
                .await;
            return false;
        };
        session.live = subscription.live;
        session.seq = subscription.seq;
        self.send_all(subscription.catch_up).await
    }

    /// Handles one message after `hello`. `false` when the connection should end.
    async fn handle(
        &mut self,
        session: &Session,
        text: &str,
        replies: &mpsc::Sender<Frame>,
    ) -> bool {
        match serde_json::from_str::<ClientMessage>(text) {
            Ok(ClientMessage::Command { .. }) if self.app.messages.take(self.address).is_err() => {
                // The address as a whole sends too much. The command stays in the phone's
                // outbox and is sent again; this connection is not counted as flooding.
                self.refuse_for_rate(text, false).await
            }
            Ok(ClientMessage::Command { id, command }) => {
                // New participants join at a bounded pace (see `joins`); the join stays in
                // the phone's outbox and is sent again.
                if matches!(command, ordet_shared::Command::Join { .. })
                    && super::joins::must_wait(
                        &self.app.joins,
                        self.address,
                        &session.conference,
                        &session.credential,
                    )
                    .await
                {
                    return self.refuse_for_rate(text, false).await;
                }
                let sent = session
                    .conference
                    .command(session.credential.clone(), id, command, replies.clone())
                    .await;
                if sent.is_err() {
                    self.close(close_code::GOING_AWAY, "conference stopped")
                        .await;
                    return false;
                }
                true
            }
            Ok(ClientMessage::Ping { client_time }) => {
                let pong = ServerMessage::Pong {
                    client_time,
                    server_time: Timestamp(now_ms()),
                };
                self.send(frame(&pong)).await
            }
            Ok(ClientMessage::Hello { .. }) => {
                self.error(ErrorCode::BadMessage, "hello was already sent")
                    .await
            }
            Err(problem) => {
                let mut detail = problem.to_string();
                detail.truncate(200);
                self.error(
                    ErrorCode::BadMessage,
                    &format!("could not read the message: {detail}"),
                )
                .await
            }
        }
    }

    /// Over the rate limit: a command gets its own rejection (so the client knows to send it
    /// again later); anything else gets one general error per flood.
    async fn refuse_for_rate(&mut self, text: &str, first: bool) -> bool {
        if let Ok(ClientMessage::Command { id, .. }) = serde_json::from_str::<ClientMessage>(text) {
            let rejection = ServerMessage::Rejected {
                id,
                error: ErrorCode::RateLimited,
                message: ErrorCode::RateLimited.english(),
            };
            return self.send(frame(&rejection)).await;
        }
        !first
            || self
                .error(ErrorCode::RateLimited, "too many messages; slow down")
                .await
    }

    async fn read_failed(&mut self, error: axum::Error) {
        let too_big = error
            .into_inner()
            .downcast::<tungstenite::Error>()
            .is_ok_and(|e| matches!(*e, tungstenite::Error::Capacity(_)));
        if too_big {
            let reason = format!(
                "message too big (limit {} bytes)",
                limits::MAX_MESSAGE_BYTES
            );
            self.close(close_code::TOO_BIG, &reason).await;
        }
    }

    /// Sends a frame; `false` if the connection is gone or too slow.
    async fn send(&mut self, frame: Frame) -> bool {
        self.send_all(vec![frame]).await
    }

    async fn error(&mut self, error: ErrorCode, detail: &str) -> bool {
        let message = ServerMessage::Error {
            error,
            message: format!("{} ({detail})", error.english()),
        };
        self.send(frame(&message)).await
    }

    /// Explains the problem, then closes with `code`.
    async fn refuse(&mut self, error: ErrorCode, code: u16) {
        let message = ServerMessage::Error {
            error,
            message: error.english(),
        };
        if self.send(frame(&message)).await {
            self.close(code, &error.english()).await;
        }
    }

    /// Closes with `code`, then completes the closing handshake (see below).
    async fn close(&mut self, code: u16, reason: &str) {
        if !self.close_now(code, reason).await {
            return;
        }
        // The closing handshake: read (and drop) what the client still sends until its own
        // close arrives. Dropping a socket with unread data makes the kernel send a reset,
        // which can destroy our close frame before the client has read it.
        let _ = timeout(CLOSE_LINGER, async {
            while let Some(Ok(message)) = self.stream.next().await {
                if matches!(message, Message::Close(_)) {
                    break;
                }
            }
        })
        .await;
    }

    /// Sends the close frame without waiting for the answer; `false` if it could not be sent.
    async fn close_now(&mut self, code: u16, reason: &str) -> bool {
        let mut reason = reason.to_string();
        // A close reason may be at most 123 bytes.
        while reason.len() > 120 {
            reason.pop();
        }
        let close = Message::Close(Some(CloseFrame {
            code,
            reason: Utf8Bytes::from(reason),
        }));
        matches!(
            timeout(SEND_TIMEOUT, self.sink.send(close)).await,
            Ok(Ok(()))
        )
    }
}

/// Whose view an admitted connection is sent.
fn audience_of(actor: Actor) -> Audience {
    match actor {
        Actor::Facilitator => Audience::Facilitator,
        Actor::Screen => Audience::Projector,
        Actor::Participant { id } => Audience::Participant(id),
    }
}

/// The credential a `hello` presents, and for the facilitator the screen key to hand out.
fn credential_of(auth: &Auth) -> Option<(Credential, Option<String>)> {
    match auth {
        Auth::Facilitator { key } if key.len() <= MAX_KEY_CHARS => Some((
            Credential::Facilitator(SecretHash::of(key)),
            Some(screen_key_for(key)),
        )),
        Auth::Screen { key } if key.len() <= MAX_KEY_CHARS => {
            Some((Credential::Screen(SecretHash::of(key)), None))
        }
        Auth::Participant { id, token } if TOKEN_CHARS.contains(&token.chars().count()) => {
            Some((Credential::Participant(*id, SecretHash::of(token)), None))
        }
        _ => None,
    }
}

/// Allows [`BURST`] messages at once and [`PER_SECOND`] on average.
struct TokenBucket {
    tokens: f64,
    refilled: Instant,
}

impl TokenBucket {
    fn new() -> Self {
        Self {
            tokens: BURST,
            refilled: Instant::now(),
        }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        let earned = now.duration_since(self.refilled).as_secs_f64() * PER_SECOND;
        self.tokens = (self.tokens + earned).min(BURST);
        self.refilled = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}
