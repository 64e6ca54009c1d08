//! The live connection to a conference, shared by every screen.
//!
//! - **State**: a snapshot or replayed events arrive first, then live events; all are applied
//!   with the shared reducer ([`ordet_shared::State::apply`]). A gap in the event numbers
//!   means something was missed: the connection is reopened and the server replays.
//! - **Outbox**: every command is put in an outbox, saved in local storage, and sent while
//!   connected; it leaves the outbox only when the server acknowledges it (or refuses it for
//!   good). A command sent twice is recognised by the server, so nothing typed is lost and
//!   nothing is doubled, whatever the network does.
//! - **Reconnects**: after a drop the app retries by itself with exponential backoff and
//!   jitter (0.5–30 s), at once when the browser reports the network back or the phone
//!   wakes, and resumes from the last event it has.
//! - **Honesty**: pings every 10 s; a connection silent for 35 s is treated as dead even if
//!   the browser still calls it open (phones keep dead sockets "open" for minutes), and one
//!   that gets no welcome within 15 s is retried. A command with no answer after 10 s is
//!   sent again (the server recognises repeats).
//! - **Clock**: the offset from the server's clock is estimated from each ping's round trip.

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;
use ordet_shared::protocol::{
    Auth, ClientMessage, ErrorCode, PROTOCOL_VERSION, ServerMessage, close_code,
};
use ordet_shared::{Actor, Command, CommandId, ConferenceId, State};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

/// Commands sent at once before waiting for acknowledgements.
const SEND_WINDOW: usize = 16;
/// How often to ping while connected.
const PING_EVERY: Duration = Duration::from_secs(10);
/// Silence after which a connection counts as dead.
const DEAD_AFTER_MS: f64 = 35_000.0;
/// Longest wait between reconnect attempts.
const MAX_BACKOFF_MS: f64 = 30_000.0;
/// A connection without a welcome after this long is given up and retried.
const WELCOME_WITHIN_MS: f64 = 15_000.0;
/// A command without an answer after this long is sent again.
const ANSWER_WITHIN_MS: f64 = 10_000.0;

/// How the connection is doing, as shown to the person.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Opening the connection.
    Connecting,
    /// Connected and up to date.
    Online,
    /// Disconnected; the next attempt is at `retry_at` (milliseconds, `Date.now()` clock).
    Offline {
        /// When the next attempt starts.
        retry_at: f64,
    },
    /// The server refused for good (wrong key, unknown conference, outdated app).
    Failed(ErrorCode),
}

/// What the server said in `welcome`.
#[derive(Clone, Debug, PartialEq)]
pub struct Welcome {
    /// Who the server took this connection to be.
    pub viewer: Actor,
    /// Where phones join (shown on the projector).
    pub join_url: String,
    /// The projector's key (facilitator only).
    pub screen_key: Option<String>,
}

/// A live conference connection; cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Live {
    /// The conference as this screen knows it.
    pub state: RwSignal<Option<State>>,
    /// Connection status.
    pub status: RwSignal<Status>,
    /// The server's welcome.
    pub welcome: RwSignal<Option<Welcome>>,
    /// The latest refusal of something this person did, to explain it.
    pub problem: RwSignal<Option<ErrorCode>>,
    /// Commands not yet acknowledged, oldest first.
    pub outbox: RwSignal<Vec<(CommandId, Command)>>,
    /// Estimated server clock minus this device's clock, in milliseconds.
    pub clock_offset_ms: RwSignal<f64>,
    inner: StoredValue<Inner, LocalStorage>,
}

struct Inner {
    conference: ConferenceId,
    auth: Auth,
    outbox_key: String,
    socket: Option<Socket>,
    welcomed: bool,
    attempts: u32,
    /// Commands sent and not yet answered, with when they were sent.
    in_flight: HashMap<CommandId, f64>,
    retry: Option<TimeoutHandle>,
    last_heard: f64,
    /// A large snapshot arriving in pieces.
    snapshot: ordet_shared::protocol::SnapshotAssembler,
}

/// A socket and the callbacks it holds (kept alive as long as the socket is in use).
struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

impl Live {
    /// Connects to `conference` as `auth`, with any commands left from an earlier visit
    /// (kept under `outbox_key` in local storage) queued first.
    pub fn connect(conference: ConferenceId, auth: Auth, outbox_key: String) -> Live {
        let outbox: Vec<(CommandId, Command)> =
            crate::storage::load(&outbox_key).unwrap_or_default();
        let live = Live {
            state: RwSignal::new(None),
            status: RwSignal::new(Status::Connecting),
            welcome: RwSignal::new(None),
            problem: RwSignal::new(None),
            outbox: RwSignal::new(outbox),
            clock_offset_ms: RwSignal::new(0.0),
            inner: StoredValue::new_local(Inner {
                conference,
                auth,
                outbox_key,
                socket: None,
                welcomed: false,
                attempts: 0,
                in_flight: HashMap::new(),
                retry: None,
                last_heard: now(),
                snapshot: Default::default(),
            }),
        };
        live.open();
        live.watch_network();
        if let Ok(heartbeat) = set_interval_with_handle(move || live.heartbeat(), PING_EVERY) {
            on_cleanup(move || heartbeat.clear());
        }
        live
    }

    /// Queues a command; it is sent now if connected, or as soon as the connection is back.
    pub fn send(self, command: Command) -> CommandId {
        let id = CommandId::random();
        self.outbox.update(|outbox| outbox.push((id, command)));
        self.save_outbox();
        self.flush();
        id
    }

    /// Stops for good, because the conference is gone: closes the connection, stops
    /// reconnecting and forgets the commands still waiting.
    pub fn stop(self) {
        self.drop_connection();
        self.outbox.set(Vec::new());
        crate::storage::remove(&self.inner.with_value(|inner| inner.outbox_key.clone()));
        self.status
            .set(Status::Failed(ErrorCode::UnknownConference));
    }

    /// Closes the socket, cancels a waiting reconnect and forgets what was in flight.
    fn drop_connection(self) {
        self.inner.update_value(|inner| {
            if let Some(retry) = inner.retry.take() {
                retry.clear();
            }
            inner.socket = None;
            inner.welcomed = false;
            inner.in_flight.clear();
        });
    }

    /// Tries to connect now instead of waiting for the next attempt.
    pub fn retry_now(self) {
        if matches!(self.status.get_untracked(), Status::Offline { .. }) {
            self.open();
        }
    }

    fn open(self) {
        self.drop_connection();
        self.status.set(Status::Connecting);
        let location = window().location();
        let scheme = if location.protocol().as_deref() == Ok("https:") {
            "wss"
        } else {
            "ws"
        };
        let url = format!("{scheme}://{}/ws", location.host().unwrap_or_default());
        let Ok(ws) = WebSocket::new(&url) else {
            self.closed(1006);
            return;
        };
        let on_open = Closure::<dyn FnMut()>::new(move || self.say_hello());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(text) = event.data().as_string() {
                self.inner.update_value(|inner| inner.last_heard = now());
                match serde_json::from_str::<ServerMessage>(&text) {
                    Ok(message) => self.receive(message),
                    Err(_) => self.problem.set(Some(ErrorCode::BadMessage)),
                }
            }
        });
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            self.closed(event.code());
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        self.inner.update_value(|inner| {
            inner.last_heard = now();
            inner.socket = Some(Socket {
                ws,
                _on_open: on_open,
                _on_message: on_message,
                _on_close: on_close,
            });
        });
    }

    fn say_hello(self) {
        let (conference, auth) = self
            .inner
            .with_value(|inner| (inner.conference, inner.auth.clone()));
        let since = self.state.with_untracked(|s| s.as_ref().map(|s| s.seq));
        self.transmit(&ClientMessage::Hello {
            protocol: PROTOCOL_VERSION,
            conference,
            auth,
            since,
        });
    }

    fn transmit(self, message: &ClientMessage) -> bool {
        let Ok(json) = serde_json::to_string(message) else {
            return false;
        };
        self.inner
            .with_value(|inner| {
                inner
                    .socket
                    .as_ref()
                    .map(|s| s.ws.send_with_str(&json).is_ok())
            })
            .unwrap_or(false)
    }

    fn receive(self, message: ServerMessage) {
        match message {
            ServerMessage::Welcome {
                server_time,
                viewer,
                join_url,
                screen_key,
                ..
            } => {
                self.clock_offset_ms.set(server_time.0 as f64 - now());
                self.welcome.set(Some(Welcome {
                    viewer,
                    join_url,
                    screen_key,
                }));
                self.inner.update_value(|inner| {
                    inner.welcomed = true;
                    inner.attempts = 0;
                });
                self.status.set(Status::Online);
                self.flush();
            }
            ServerMessage::Snapshot { state } => self.state.set(Some(*state)),
            ServerMessage::SnapshotPart {
                seq,
                part,
                parts,
                data,
            } => {
                let whole = self
                    .inner
                    .try_update_value(|inner| inner.snapshot.add(seq, part, parts, &data))
                    .flatten();
                if let Some(state) = whole {
                    self.state.set(Some(state));
                }
            }
            ServerMessage::Event(event) => {
                // Events arrive in order on one connection. A screen is sent only the events
                // its audience may see, so numbers may skip; older ones were already applied.
                self.state.update(|state| {
                    if let Some(state) = state {
                        state.apply_screen(&event);
                    }
                });
            }
            ServerMessage::Seat(seat) => {
                // A phone's own part of the room: who it sits with, its groups and rounds.
                self.state.update(|state| {
                    if let Some(state) = state {
                        state.apply_seat(&seat);
                    }
                });
            }
            ServerMessage::Ack { id, .. } => self.settle(id),
            ServerMessage::Rejected { id, error, .. } => {
                let join_queued = self.outbox.with_untracked(|outbox| {
                    outbox
                        .iter()
                        .any(|(_, c)| matches!(c, Command::Join { .. }))
                });
                let retry = match error {
                    ErrorCode::RateLimited | ErrorCode::StorageFailed | ErrorCode::ShuttingDown => {
                        true
                    }
                    // Sent behind a join that has not gone through yet: try again after it.
                    ErrorCode::JoinFirst => join_queued,
                    _ => false,
                };
                if retry {
                    // Worth another try: leave it in the outbox and send it again shortly.
                    self.inner.update_value(|inner| {
                        inner.in_flight.remove(&id);
                    });
                    set_timeout(move || self.flush(), Duration::from_secs(2));
                } else {
                    self.problem.set(Some(error));
                    self.settle(id);
                }
            }
            ServerMessage::Error { error, .. } => self.problem.set(Some(error)),
            ServerMessage::Pong {
                client_time,
                server_time,
            } => {
                let offset = ordet_shared::programme::clock_offset(client_time, server_time, now());
                self.clock_offset_ms.set(offset);
            }
        }
    }

    /// The command is done (acknowledged or refused for good): drop it from the outbox.
    fn settle(self, id: CommandId) {
        self.inner.update_value(|inner| {
            inner.in_flight.remove(&id);
        });
        self.outbox
            .update(|outbox| outbox.retain(|(queued, _)| *queued != id));
        self.save_outbox();
        self.flush();
    }

    fn save_outbox(self) {
        let key = self.inner.with_value(|inner| inner.outbox_key.clone());
        self.outbox
            .with_untracked(|outbox| crate::storage::save(&key, outbox));
    }

    /// Sends queued commands that are not already on their way.
    fn flush(self) {
        let welcomed = self.inner.with_value(|inner| inner.welcomed);
        if !welcomed {
            return;
        }
        let ready: Vec<(CommandId, Command)> = self.outbox.with_untracked(|outbox| {
            self.inner.with_value(|inner| {
                let room = SEND_WINDOW.saturating_sub(inner.in_flight.len());
                outbox
                    .iter()
                    .filter(|(id, _)| !inner.in_flight.contains_key(id))
                    .take(room)
                    .cloned()
                    .collect()
            })
        });
        for (id, command) in ready {
            if !self.transmit(&ClientMessage::Command { id, command }) {
                break;
            }
            self.inner.update_value(|inner| {
                inner.in_flight.insert(id, now());
            });
        }
    }

    fn closed(self, code: u16) {
        self.inner.update_value(|inner| {
            inner.socket = None;
            inner.welcomed = false;
            inner.in_flight.clear();
        });
        let fatal = match code {
            close_code::PROTOCOL_MISMATCH => Some(ErrorCode::ProtocolMismatch),
            close_code::UNAUTHORIZED => Some(ErrorCode::Unauthorized),
            close_code::UNKNOWN_CONFERENCE => Some(ErrorCode::UnknownConference),
            _ => None,
        };
        if let Some(error) = fatal {
            self.status.set(Status::Failed(error));
            return;
        }
        let attempts = self.inner.with_value(|inner| inner.attempts);
        let base = (500.0 * 2f64.powi(attempts.min(10) as i32)).min(MAX_BACKOFF_MS);
        let delay = base * (0.5 + js_sys::Math::random());
        let handle =
            set_timeout_with_handle(move || self.open(), Duration::from_millis(delay as u64)).ok();
        self.inner.update_value(|inner| {
            inner.attempts += 1;
            inner.retry = handle;
        });
        self.status.set(Status::Offline {
            retry_at: now() + delay,
        });
    }

    fn heartbeat(self) {
        let (connected, opening, last_heard) = self
            .inner
            .with_value(|inner| (inner.welcomed, inner.socket.is_some(), inner.last_heard));
        if !connected {
            if opening && now() - last_heard > WELCOME_WITHIN_MS {
                self.closed(1006);
            }
            return;
        }
        if now() - last_heard > DEAD_AFTER_MS {
            self.closed(1006);
            return;
        }
        self.transmit(&ClientMessage::Ping { client_time: now() });
        // Unanswered for too long (an answer lost on the way): send again.
        let overdue = self.inner.with_value(|inner| {
            inner
                .in_flight
                .values()
                .any(|sent| now() - sent > ANSWER_WITHIN_MS)
        });
        if overdue {
            self.inner.update_value(|inner| {
                inner
                    .in_flight
                    .retain(|_, sent| now() - *sent <= ANSWER_WITHIN_MS);
            });
            self.flush();
        }
    }

    /// Whether a command matching `which` is still waiting in the outbox.
    pub fn queued(self, which: impl Fn(&Command) -> bool) -> bool {
        self.outbox
            .with(|outbox| outbox.iter().any(|(_, c)| which(c)))
    }

    /// Reconnects at once when the network comes back or the page becomes visible again.
    fn watch_network(self) {
        let online = window_event_listener_untyped("online", move |_| self.retry_now());
        let visible = Closure::<dyn FnMut()>::new(move || {
            if document().visibility_state() == web_sys::VisibilityState::Visible {
                self.retry_now();
                self.heartbeat();
            }
        });
        let _ = document()
            .add_event_listener_with_callback("visibilitychange", visible.as_ref().unchecked_ref());
        // The page lives as long as the connection; the listener may too.
        visible.forget();
        on_cleanup(move || online.remove());
    }
}
