//! Accepting connections, so that nobody on the venue's network can use them up.
//!
//! `axum::serve` accepts every connection and waits for its request as long as the client
//! likes: a few hundred sockets that never send a byte used up the server's open files, and
//! then nothing, not even `/healthz`, could connect. This loop serves the same router with
//! three bounds:
//!
//! - **A header-read timeout** ([`HEADER_READ_TIMEOUT`]): a connection must send a whole
//!   request head within it, and an idle keep-alive connection is closed after it.
//! - **A cap on connections** ([`Limits::max_connections`]), websockets included, sized below
//!   the open-file limit (which [`raise_open_file_limit`] raises to what the system allows at
//!   start). Over it, a new connection is closed at once, so the server keeps the files it
//!   needs for its database and its other phones.
//! - **A cap per address on connections that have not sent a request yet**
//!   ([`Limits::unproven_per_address`]). A phone's connection sends its request within
//!   milliseconds of opening, so even a venue behind one address has few such connections at
//!   any moment; a script holding sockets open hits the cap and cannot take everyone's share.
//!   Trusted proxies are exempt: everyone comes through them. The websocket endpoint counts
//!   sockets that have not said hello the same way.
//!
//! Every accepted socket carries its place under the cap ([`Counted`]) for as long as it is
//! open, also after it became a websocket, so the cap counts what really holds a file.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tower_service::Service;

/// How long a connection may take to send a request head, and how long a keep-alive
/// connection may stay idle between requests.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(15);
/// Open files kept free for everything but connections: the database and its journal,
/// exports, the log, blocking threads.
const RESERVED_FILES: u64 = 64;
/// How long a stopping server waits for open connections to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// How long to pause accepting after the system refused to accept (out of files, say).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// The bounds on connections.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Most connections open at once (HTTP and websockets).
    pub max_connections: usize,
    /// Most connections from one address that have not sent a request yet.
    pub unproven_per_address: usize,
    /// Addresses exempt from the per-address cap (trusted reverse proxies).
    pub trusted_proxies: Arc<[IpAddr]>,
}

/// Raises this process's soft limit on open files to its hard limit; returns the limit now in
/// force (or `None` where it cannot be read).
pub fn raise_open_file_limit() -> Option<u64> {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => Some(limit),
        Err(error) => {
            tracing::warn!(%error, "could not raise the open-file limit");
            rlimit::Resource::NOFILE.get().ok().map(|(soft, _)| soft)
        }
    }
}

/// The connection cap that fits under `open_files`, at most `wanted`.
pub fn connections_within(open_files: Option<u64>, wanted: usize) -> usize {
    match open_files {
        Some(files) => {
            let room = files.saturating_sub(RESERVED_FILES).max(16);
            wanted.min(usize::try_from(room).unwrap_or(usize::MAX))
        }
        None => wanted,
    }
}

/// Connections per address that have not yet sent a request; each entry is removed when its
/// count falls to zero, so the map holds only addresses with such connections right now.
#[derive(Default)]
pub struct AddressCounter {
    counts: Mutex<HashMap<IpAddr, usize>>,
}

/// One connection counted for an address; uncounted when dropped.
pub struct AddressSlot {
    counter: Arc<AddressCounter>,
    address: IpAddr,
}

impl AddressCounter {
    /// Counts one more for `address`, unless it already has `cap`.
    pub fn enter(self: &Arc<Self>, address: IpAddr, cap: usize) -> Option<AddressSlot> {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let count = counts.entry(address).or_insert(0);
        if *count >= cap {
            return None;
        }
        *count += 1;
        Some(AddressSlot {
            counter: self.clone(),
            address,
        })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut counts = self
            .counter
            .counts
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(count) = counts.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.address);
            }
        }
    }
}

/// A socket that holds its place under the connection cap until it is dropped.
pub struct Counted {
    stream: TcpStream,
    _place: OwnedSemaphorePermit,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// Serves `router` on `listener` within `limits` until `stop` turns true; then stops
/// accepting and waits (at most [`SHUTDOWN_GRACE`]) for open connections to end.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    tune: fn(&TcpStream),
    mut stop: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let places = Arc::new(Semaphore::new(limits.max_connections));
    let unproven = Arc::new(AddressCounter::default());
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = async { stop.wait_for(|stopping| *stopping).await.is_ok() } => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of files or memory for a moment: connections already open go on.
                crate::metrics::METRICS.count(&crate::metrics::METRICS.accept_errors);
                tracing::debug!(%error, "could not accept a connection");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let Ok(place) = places.clone().try_acquire_owned() else {
            crate::metrics::METRICS.count(&crate::metrics::METRICS.connections_refused);
            drop(stream);
            continue;
        };
        let address = peer.ip().to_canonical();
        let first_request = if limits.trusted_proxies.contains(&address) {
            None
        } else {
            match unproven.enter(address, limits.unproven_per_address) {
                Some(counted) => Some(counted),
                None => {
                    crate::metrics::METRICS.count(&crate::metrics::METRICS.connections_refused);
                    drop(stream);
                    continue;
                }
            }
        };
        tune(&stream);
        let counted = Counted {
            stream,
            _place: place,
        };
        tokio::spawn(connection(
            counted,
            peer,
            first_request,
            router.clone(),
            stop.clone(),
        ));
    }
    // Every place returned means every connection has ended.
    let everyone = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, places.acquire_many(everyone)).await;
    Ok(())
}

/// One HTTP/1.1 connection (upgraded to a websocket when asked).
async fn connection(
    socket: Counted,
    peer: SocketAddr,
    first_request: Option<AddressSlot>,
    router: Router,
    mut stop: watch::Receiver<bool>,
) {
    // Uncounted as unproven once its first request head has arrived.
    let first_request = Mutex::new(first_request);
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        drop(
            first_request
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take(),
        );
        request.extensions_mut().insert(ConnectInfo(peer));
        router.clone().call(request)
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let connection = http
        .serve_connection(TokioIo::new(socket), service)
        .with_upgrades();
    tokio::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(error) = result {
                tracing::trace!(%error, "a connection ended with an error");
            }
        }
        _ = async { stop.wait_for(|stopping| *stopping).await.is_ok() } => {
            connection.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(SHUTDOWN_GRACE, connection).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_cap_and_its_places_back() {
        let counter = Arc::new(AddressCounter::default());
        let one: IpAddr = "10.0.0.1".parse().unwrap();
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        let held: Vec<AddressSlot> = (0..3).filter_map(|_| counter.enter(one, 3)).collect();
        assert_eq!(held.len(), 3);
        assert!(counter.enter(one, 3).is_none(), "over the cap");
        assert!(
            counter.enter(other, 3).is_some(),
            "addresses are counted apart"
        );
        drop(held);
        assert!(counter.enter(one, 3).is_some(), "places come back");
        assert!(
            counter.counts.lock().unwrap().is_empty(),
            "nothing is kept for addresses without connections"
        );
    }

    #[test]
    fn the_connection_cap_stays_under_the_open_file_limit() {
        assert_eq!(connections_within(Some(256), 20_000), 192);
        assert_eq!(connections_within(Some(1_048_576), 20_000), 20_000);
        assert_eq!(connections_within(None, 500), 500);
    }
}
