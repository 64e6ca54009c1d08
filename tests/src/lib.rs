//! The shared harness for Ordet's tests: start the real server (in this process on port 0,
//! or as a separate `ordet` process that can be killed), create conferences over real HTTP,
//! and talk to them with real websocket clients that keep their own copy of the state with
//! the same reducer the browser app uses.

pub mod chromium;
pub mod meeting;

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use ordet_server::http::{Config, RunningServer, start};
use ordet_shared::plan::{AttachMeeting, CreatePlan, CreatedPlan, PlanInfo};
use ordet_shared::protocol::{
    Auth, ClientMessage, CreateConference, CreatedConference, ErrorCode, PROTOCOL_VERSION,
    ServerMessage,
};
use ordet_shared::{Command, CommandId, ConferenceId, Lang, State};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long any single wait in a test may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(10);

/// A server running in this process, on a free port, with its own data folder.
pub struct TestServer {
    /// The running server (taken when stopped).
    pub server: Option<RunningServer>,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The data folder (kept alive as long as the server).
    pub data: tempfile::TempDir,
}

impl TestServer {
    /// Starts a server on a free port with an empty data folder.
    pub async fn start() -> TestServer {
        let data = tempfile::tempdir().expect("temp dir");
        let server = start_server(data.path(), "127.0.0.1:0").await;
        TestServer {
            base: format!("http://{}", server.addr),
            server: Some(server),
            data,
        }
    }

    /// Starts a server with options changed by `adjust` (a restart goes back to the defaults).
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        Self::start_in(tempfile::tempdir().expect("temp dir"), adjust).await
    }

    /// Like [`TestServer::start_with`], on a data folder the test has prepared.
    pub async fn start_in(data: tempfile::TempDir, adjust: impl FnOnce(&mut Config)) -> TestServer {
        let mut config = test_config(data.path(), "127.0.0.1:0");
        adjust(&mut config);
        let server = start(config).await.expect("server starts");
        TestServer {
            base: format!("http://{}", server.addr),
            server: Some(server),
            data,
        }
    }

    /// Stops the server and starts a new one on the same data folder and port.
    pub async fn restart(&mut self) {
        let addr = self.stop_for_now().await;
        self.start_again(addr).await;
    }

    /// Stops the server, as if the laptop running it went away; [`TestServer::start_again`]
    /// brings it back on the same port and data.
    pub async fn stop_for_now(&mut self) -> std::net::SocketAddr {
        let old = self.server.take().expect("running");
        let addr = old.addr;
        old.stop().await;
        addr
    }

    /// Starts the server again on the address it had.
    pub async fn start_again(&mut self, addr: std::net::SocketAddr) {
        self.server = Some(start_server(self.data.path(), &addr.to_string()).await);
    }

    /// `ws://127.0.0.1:PORT/ws`.
    pub fn ws_url(&self) -> String {
        format!("{}/ws", self.base.replace("http://", "ws://"))
    }

    /// Creates a conference over HTTP.
    pub async fn create(&self, title: &str, language: Lang) -> CreatedConference {
        create_conference(&self.base, title, language).await
    }
}

async fn start_server(data: &Path, addr: &str) -> RunningServer {
    start(test_config(data, addr)).await.expect("server starts")
}

/// The server's defaults, except the pace of joining: every phone of a test comes from
/// 127.0.0.1, as no real room's would. The join limits have tests of their own
/// (`tests/tests/hostile/participants.rs`, against the defaults).
fn test_config(data: &Path, addr: &str) -> Config {
    Config {
        joins_per_address: (1_000_000, 1_000_000.0),
        joins_per_conference: (1_000_000, 1_000_000.0),
        ..Config::new(addr.parse().expect("address"), data.to_path_buf())
    }
}

/// `POST`s `body` as JSON to `url`, expecting 201 and an answer of type `T`.
async fn post_created<T: serde::de::DeserializeOwned>(
    url: String,
    body: &impl serde::Serialize,
    what: &str,
) -> T {
    let response = reqwest::Client::new()
        .post(url)
        .json(body)
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 201, "{what}");
    response.json().await.expect(what)
}

/// `POST /api/conferences`, expecting 201.
pub async fn create_conference(base: &str, title: &str, language: Lang) -> CreatedConference {
    let body = CreateConference {
        title: title.into(),
        language,
        organiser_password: None,
    };
    post_created(
        format!("{base}/api/conferences"),
        &body,
        "create conference",
    )
    .await
}

/// `POST /api/plans`, expecting 201.
pub async fn create_plan(base: &str, title: &str, language: Lang) -> CreatedPlan {
    let body = CreatePlan {
        title: title.into(),
        language,
        organiser_password: None,
    };
    post_created(format!("{base}/api/plans"), &body, "create plan").await
}

/// `POST /api/plans/{id}/meetings` with the conference's facilitator key, expecting 200.
pub async fn attach_meeting(
    base: &str,
    plan: &CreatedPlan,
    conference: &CreatedConference,
) -> PlanInfo {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/plans/{}/meetings", plan.id))
        .bearer_auth(&plan.key)
        .json(&AttachMeeting {
            conference: conference.id,
            facilitator_key: conference.facilitator_key.clone(),
        })
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 200, "add the meeting to the plan");
    response.json().await.expect("plan JSON")
}

/// `GET /api/plans/{id}` with the plan's key.
pub async fn plan_info(base: &str, plan: &CreatedPlan) -> PlanInfo {
    reqwest::Client::new()
        .get(format!("{base}/api/plans/{}", plan.id))
        .bearer_auth(&plan.key)
        .send()
        .await
        .expect("request sent")
        .json()
        .await
        .expect("plan JSON")
}

/// The path of the `ordet` binary for tests that run it as a process (`cargo xtask test`
/// builds it and sets `ORDET_BIN`).
pub fn ordet_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("ORDET_BIN") {
        return PathBuf::from(path);
    }
    let fallback = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/ordet");
    assert!(
        fallback.exists(),
        "the ordet binary is not built: run the tests with `cargo xtask test`"
    );
    fallback
}

/// A participant's credentials, as a phone makes them.
pub fn new_participant() -> Auth {
    Auth::Participant {
        id: ordet_shared::ParticipantId::random(),
        token: format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        ),
    }
}

/// A phone that joins `conference` as "Kari" in `role`; returns its connection and identity.
pub async fn join(
    server: &TestServer,
    conference: ConferenceId,
    role: ordet_shared::state::BuiltinRole,
) -> (Client, Auth) {
    let auth = new_participant();
    let mut phone = Client::connect(&server.ws_url(), conference, auth.clone(), None)
        .await
        .expect("admitted");
    let joined = phone
        .run(Command::Join {
            name: Some("Kari".into()),
            role: role.id(),
        })
        .await;
    assert!(joined.expect("join accepted").is_some());
    (phone, auth)
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A real websocket client that keeps the conference state like the browser app does.
pub struct Client {
    socket: Socket,
    /// The state as this client knows it.
    pub state: Option<State>,
    /// Every message received, in order.
    pub received: Vec<ServerMessage>,
    /// The close frame, once the server closed the connection.
    pub closed: Option<Option<CloseFrame>>,
    snapshot: ordet_shared::protocol::SnapshotAssembler,
}

/// Why a connection attempt did not get a welcome.
#[derive(Debug)]
pub struct Refused {
    /// The error message before the close, if any.
    pub error: Option<ErrorCode>,
    /// The close code.
    pub close_code: Option<u16>,
}

impl Client {
    /// Connects and says hello; returns once the welcome and the catch-up have arrived.
    pub async fn connect(
        url: &str,
        conference: ConferenceId,
        auth: Auth,
        since: Option<u64>,
    ) -> Result<Client, Refused> {
        let phone = matches!(auth, Auth::Participant { .. });
        let mut client = Client::greet(url, conference, auth, None, since).await?;
        // The catch-up follows the welcome at once: a snapshot, or replayed events; a
        // phone's snapshot is followed by its seat.
        if since.is_none() {
            client.until(|_| true).await;
            while phone
                && !client
                    .received
                    .iter()
                    .any(|m| matches!(m, ServerMessage::Seat(_)))
            {
                client.next().await;
            }
        }
        Ok(client)
    }

    /// Connects as the facilitator of a conference made with [`TestServer::create`].
    pub async fn facilitator(url: &str, created: &CreatedConference) -> Client {
        let key = created.facilitator_key.clone();
        Client::connect(url, created.id, Auth::Facilitator { key }, None)
            .await
            .expect("the facilitator is admitted")
    }

    /// Reconnects with a state kept from an earlier connection, asking only for what is newer.
    pub async fn resume(
        url: &str,
        conference: ConferenceId,
        auth: Auth,
        state: State,
    ) -> Result<Client, Refused> {
        let since = Some(state.seq);
        Client::greet(url, conference, auth, Some(state), since).await
    }

    /// Opens a connection, says hello and reads up to the welcome.
    async fn greet(
        url: &str,
        conference: ConferenceId,
        auth: Auth,
        state: Option<State>,
        since: Option<u64>,
    ) -> Result<Client, Refused> {
        let mut client = Client::open(url).await;
        client.state = state;
        client
            .send(&ClientMessage::Hello {
                protocol: PROTOCOL_VERSION,
                conference,
                auth,
                since,
            })
            .await;
        loop {
            match client.next().await {
                Some(ServerMessage::Welcome { .. }) => return Ok(client),
                Some(ServerMessage::Error { error, .. }) => {
                    return Err(Refused {
                        error: Some(error),
                        close_code: client.wait_close().await,
                    });
                }
                Some(_) => {}
                None => {
                    return Err(Refused {
                        error: None,
                        close_code: client.close_code(),
                    });
                }
            }
        }
    }

    /// Opens a websocket without saying anything.
    pub async fn open(url: &str) -> Client {
        let (socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("websocket connects");
        Client {
            socket,
            state: None,
            received: Vec::new(),
            closed: None,
            snapshot: Default::default(),
        }
    }

    /// Sends a protocol message.
    pub async fn send(&mut self, message: &ClientMessage) {
        let json = serde_json::to_string(message).expect("serializes");
        self.send_raw(Message::text(json)).await;
    }

    /// Sends any websocket message (for testing bad input).
    pub async fn send_raw(&mut self, message: Message) {
        assert!(self.try_send_raw(message).await, "send failed");
    }

    /// Sends any websocket message; `false` if the connection is gone.
    pub async fn try_send_raw(&mut self, message: Message) -> bool {
        self.socket.send(message).await.is_ok()
    }

    /// Sends a command with a fresh identifier; returns the identifier.
    pub async fn command(&mut self, command: Command) -> CommandId {
        let id = CommandId::random();
        self.send(&ClientMessage::Command { id, command }).await;
        id
    }

    /// Sends a command and waits for its answer: `Ok(seq)` for an ack, `Err(code)` for a
    /// rejection.
    pub async fn run(&mut self, command: Command) -> Result<Option<u64>, ErrorCode> {
        let id = self.command(command).await;
        self.answer(id).await
    }

    /// Waits for the ack or rejection of command `id`.
    pub async fn answer(&mut self, id: CommandId) -> Result<Option<u64>, ErrorCode> {
        loop {
            match self
                .next()
                .await
                .expect("connection open while waiting for an answer")
            {
                ServerMessage::Ack { id: acked, seq } if acked == id => return Ok(seq),
                ServerMessage::Rejected {
                    id: refused, error, ..
                } if refused == id => return Err(error),
                _ => {}
            }
        }
    }

    /// The next message (applied to the state), or `None` if the connection closed.
    /// Fails the test after [`WAIT`].
    pub async fn next(&mut self) -> Option<ServerMessage> {
        loop {
            let frame = tokio::time::timeout(WAIT, self.socket.next())
                .await
                .expect("a message within the wait limit");
            match frame {
                Some(Ok(Message::Text(text))) => {
                    let message: ServerMessage =
                        serde_json::from_str(&text).expect("server messages parse");
                    self.apply(&message);
                    self.received.push(message.clone());
                    return Some(message);
                }
                Some(Ok(Message::Close(frame))) => {
                    self.closed = Some(frame);
                    return None;
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => {
                    self.closed.get_or_insert(None);
                    return None;
                }
            }
        }
    }

    fn apply(&mut self, message: &ServerMessage) {
        match message {
            ServerMessage::Snapshot { state } => self.state = Some(state.as_ref().clone()),
            ServerMessage::SnapshotPart {
                seq,
                part,
                parts,
                data,
            } => {
                if let Some(state) = self.snapshot.add(*seq, *part, *parts, data) {
                    self.state = Some(state);
                }
            }
            ServerMessage::Event(event) => {
                if let Some(state) = self.state.as_mut() {
                    // A screen is sent only what its audience may see, so numbers may skip,
                    // but never go back.
                    assert!(event.seq > state.seq, "events arrive in order");
                    state.apply_screen(event);
                }
            }
            ServerMessage::Seat(seat) => {
                if let Some(state) = self.state.as_mut() {
                    state.apply_seat(seat);
                }
            }
            _ => {}
        }
    }

    /// Reads messages until `done` holds for the state.
    pub async fn until(&mut self, done: impl Fn(&State) -> bool) {
        while !self.state.as_ref().is_some_and(&done) {
            self.next()
                .await
                .expect("connection open while waiting for state");
        }
    }

    /// Reads until the server closes; returns the close code.
    pub async fn wait_close(&mut self) -> Option<u16> {
        while self.next().await.is_some() {}
        self.close_code()
    }

    /// The close code, if the server closed the connection with one.
    pub fn close_code(&self) -> Option<u16> {
        self.closed
            .as_ref()
            .and_then(|f| f.as_ref())
            .map(|f| u16::from(f.code))
    }

    /// Closes the connection from this side.
    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }
}
