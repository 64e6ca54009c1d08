//! Defences at the door, against a real server: a page from another site cannot open a
//! websocket (the server's own pages and listed origins can, and so can clients that are not
//! browsers); join codes cannot be guessed quickly from one address; creating conferences can
//! be limited to organisers with a password; one address cannot multiply the message limit by
//! opening more connections, and behind a trusted proxy each client counts apart; and every
//! answer carries the security headers.

use futures_util::{SinkExt, StreamExt};
use ordet_shared::protocol::{
    ApiError, Auth, ClientMessage, CreateConference, ErrorCode, PROTOCOL_VERSION, ServerMessage,
};
use ordet_shared::{Command, CommandId, Lang, NoteId};
use ordet_tests::TestServer;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

/// Opens the websocket with `origin`; the HTTP status of the answer (101 when upgraded).
async fn upgrade_status(server: &TestServer, origin: Option<&str>) -> u16 {
    let mut request = server.ws_url().into_client_request().unwrap();
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("origin", HeaderValue::from_str(origin).unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((_, response)) => response.status().as_u16(),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("unexpected websocket failure: {other}"),
    }
}

#[tokio::test]
async fn only_this_servers_pages_and_listed_origins_may_open_a_websocket() {
    let server = TestServer::start_with(|c| {
        c.allowed_origins = vec!["https://ordet.example.no".into()];
    })
    .await;
    let own = server.base.clone();
    assert_eq!(upgrade_status(&server, Some(&own)).await, 101);
    assert_eq!(
        upgrade_status(&server, Some("https://ordet.example.no")).await,
        101
    );
    assert_eq!(upgrade_status(&server, None).await, 101, "not a browser");
    assert_eq!(
        upgrade_status(&server, Some("https://evil.example.com")).await,
        403
    );
}

#[tokio::test]
async fn join_codes_cannot_be_guessed_quickly_from_one_address() {
    let server = TestServer::start().await;
    let created = server.create("Gjett", Lang::Nn).await;
    let client = reqwest::Client::new();
    let mut statuses = std::collections::BTreeMap::new();
    let mut first_refusal = None;
    for i in 0..700 {
        let response = client
            .get(format!("{}/api/join/7777{:02}", server.base, i % 100))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        if status == 429 && first_refusal.is_none() {
            let retry = response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .to_string();
            let body: ApiError = response.json().await.unwrap();
            assert_eq!(body.error, ErrorCode::RateLimited);
            first_refusal = Some((i, retry));
        }
        *statuses.entry(status).or_insert(0) += 1;
    }
    let (at, retry) = first_refusal.expect("guessing is slowed down");
    assert!(
        (590..=680).contains(&at),
        "refused from lookup {at}: {statuses:?}"
    );
    assert!(retry.parse::<u64>().unwrap() >= 1);
    // The real code still works for everyone else (the websocket is not counted).
    let other = reqwest::get(format!("{}/healthz", server.base))
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
    let _ = created;
}

/// A projector's websocket, opened through a proxy that says the client is `client`.
async fn screen_via_proxy(
    server: &TestServer,
    created: &ordet_shared::protocol::CreatedConference,
    client: &str,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let mut request = server.ws_url().into_client_request().unwrap();
    request.headers_mut().insert(
        "x-forwarded-for",
        HeaderValue::from_str(&format!("198.51.100.99, {client}")).unwrap(),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let hello = ClientMessage::Hello {
        protocol: PROTOCOL_VERSION,
        conference: created.id,
        auth: Auth::Screen {
            key: created.screen_key.clone(),
        },
        since: None,
    };
    socket
        .send(Message::text(serde_json::to_string(&hello).unwrap()))
        .await
        .unwrap();
    socket
}

/// Sends `count` commands (a projector may not post notes, so each is refused, but only after
/// the limits are checked); returns how many were turned away for rate.
async fn commands_refused_for_rate(
    socket: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    count: usize,
) -> usize {
    for _ in 0..count {
        let post = ClientMessage::Command {
            id: CommandId::random(),
            command: Command::PostNote {
                note: NoteId::random(),
                text: "Hei".into(),
                question: None,
                for_group: false,
            },
        };
        let text = serde_json::to_string(&post).unwrap();
        socket.send(Message::text(text)).await.unwrap();
    }
    let (mut answered, mut for_rate) = (0, 0);
    while answered < count {
        let message = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next())
            .await
            .expect("every command is answered")
            .expect("the connection stays open")
            .unwrap();
        // The server's own websocket pings, the welcome and the snapshot are skipped.
        let Message::Text(text) = message else {
            continue;
        };
        if let Ok(ServerMessage::Rejected { error, .. }) = serde_json::from_str(&text) {
            answered += 1;
            for_rate += usize::from(error == ErrorCode::RateLimited);
        }
    }
    for_rate
}

#[tokio::test]
async fn one_address_cannot_multiply_the_message_limit_but_each_client_behind_a_proxy_counts_apart()
{
    let server = TestServer::start_with(|c| {
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        c.messages_per_address = (60, 1.0);
    })
    .await;
    let created = server.create("Mange samband", Lang::Nn).await;
    // Three connections from one client: each stays within its own limit of 40 at once, but
    // together they pass the address's 60 (of which opening the three took 3).
    let mut sockets = Vec::new();
    for _ in 0..3 {
        sockets.push(screen_via_proxy(&server, &created, "203.0.113.10").await);
    }
    let mut for_rate = 0;
    for socket in &mut sockets {
        for_rate += commands_refused_for_rate(socket, 30).await;
    }
    assert!(
        (26..=33).contains(&for_rate),
        "{for_rate} of 90 commands refused for rate"
    );
    // Another client behind the same proxy has its own budget.
    let mut neighbour = screen_via_proxy(&server, &created, "203.0.113.11").await;
    assert_eq!(commands_refused_for_rate(&mut neighbour, 30).await, 0);
}

#[tokio::test]
async fn an_organiser_password_guards_creating_conferences() {
    let server =
        TestServer::start_with(|c| c.organiser_password = Some("kommunen-2027".into())).await;
    let create = |password: Option<&str>| {
        let base = server.base.clone();
        let request = CreateConference {
            title: "Planmøte".into(),
            language: Lang::Nb,
            organiser_password: password.map(str::to_string),
        };
        async move {
            reqwest::Client::new()
                .post(format!("{base}/api/conferences"))
                .json(&request)
                .send()
                .await
                .unwrap()
        }
    };
    for wrong in [None, Some("feil")] {
        let refused = create(wrong).await;
        assert_eq!(refused.status(), 401);
        let body: ApiError = refused.json().await.unwrap();
        assert_eq!(body.error, ErrorCode::OrganiserPasswordNeeded);
    }
    assert_eq!(create(Some("kommunen-2027")).await.status(), 201);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let server = TestServer::start().await;
    for path in ["/", "/healthz", "/api/join/777777", "/j/ABCDEF"] {
        let response = reqwest::get(format!("{}{path}", server.base))
            .await
            .unwrap();
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
    }
}

#[tokio::test]
async fn metrics_count_connections_messages_and_latencies() {
    let server = TestServer::start().await;
    let created = server.create("Måling", Lang::Nn).await;
    let mut console = ordet_tests::Client::facilitator(&server.ws_url(), &created).await;
    console
        .run(ordet_shared::Command::RenameConference {
            title: "Måling 2".into(),
        })
        .await
        .unwrap();
    let text = reqwest::get(format!("{}/metrics", server.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let value = |name: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} missing:\n{text}"))
            .parse()
            .unwrap()
    };
    // Metrics are per process and tests share one: at least what this test did.
    assert!(value("ordet_connections") >= 1.0);
    assert!(
        value("ordet_messages_in_total") >= 2.0,
        "hello and a command"
    );
    assert!(value("ordet_events_total") >= 1.0, "the rename");
    assert!(value("ordet_append_seconds_count") >= 1.0);
    assert!(text.contains("# TYPE ordet_broadcast_seconds histogram"));
}

#[tokio::test]
async fn the_start_page_asks_for_the_organiser_password_when_the_server_needs_it() {
    use ordet_tests::chromium::{
        PHONE, browser, chromedriver, click, screenshot, type_into, wait_text,
    };
    let driver = chromedriver().await;
    let server =
        TestServer::start_with(|c| c.organiser_password = Some("kommunen-2027".into())).await;
    let profile = tempfile::tempdir().unwrap();
    let page = browser(&driver, PHONE, &profile).await;
    page.goto(&server.base).await.unwrap();
    type_into(&page, "#conference-title", "Planmøte").await;
    let submit = "section[aria-labelledby=create-heading] button[type=submit]";
    click(&page, submit).await;
    wait_text(&page, "#conference-problem", |t| {
        t.contains("organiser password")
    })
    .await;
    screenshot(&page, "start-organiser-password").await;
    ordet_tests::chromium::assert_accessible(&page, "start-organiser-password").await;
    type_into(&page, "#organiser-password", "kommunen-2027").await;
    click(&page, submit).await;
    wait_text(&page, ".conn", |t| !t.is_empty()).await;
    assert!(page.current_url().await.unwrap().path().starts_with("/f/"));
    page.close().await.unwrap();
}
