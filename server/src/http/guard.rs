//! Defences at the door: how often one network address may look up join codes, create
//! conferences or send messages, which web pages may open a websocket, and the organiser
//! password.
//!
//! - **The address** of a request is the connection's peer, except behind a reverse proxy the
//!   operator named as trusted: then it is the last address in `X-Forwarded-For` that is not
//!   a trusted proxy (what the proxy itself saw; entries further left are whatever the client
//!   sent, so they are never believed). Without a trusted proxy the header is ignored.
//! - **Join codes** are six characters from 22 (113 million codes), so guessing one takes on
//!   average millions of lookups. Each address gets a bucket of lookups that refills at a
//!   steady rate: generous enough for a school whose phones share one public address, far too
//!   slow for guessing (see `docs/security.md` for the arithmetic).
//! - **Host.** Every request must name a host this server serves: its public URL's, an
//!   allowed origin's, `localhost`, or one of the addresses it listens on. A page on another
//!   site whose DNS name was re-pointed at this server (DNS rebinding) arrives with that
//!   name as its Host and is refused before anything else looks at it, so the Origin check
//!   below can trust that Host and Origin are compared for this server.
//! - **Origin.** A browser says which page opened a websocket. A page from another site (a
//!   link in a chat, say) must not act as a participant whose browser happens to hold a token:
//!   only this server's own pages, and origins the operator lists, may connect. Clients that
//!   are not browsers send no Origin and are judged by their keys as always.
//! - **The organiser password**, when the operator sets one, is needed to create conferences
//!   on a public server. Only its hash is kept, compared in constant time.
//!
//! Every map here is bounded: the rate limiter forgets idle addresses and never holds more
//! than [`MAX_ADDRESSES`].

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN};
use axum::http::request::Parts;

use crate::secrets::SecretHash;

/// Most addresses a limiter remembers at once.
pub const MAX_ADDRESSES: usize = 20_000;

/// A token bucket per network address.
pub struct AddressLimiter {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl AddressLimiter {
    /// Up to `burst` requests at once per address, refilled at `per_second`.
    pub fn new(burst: u32, per_second: f64) -> AddressLimiter {
        AddressLimiter {
            burst: f64::from(burst),
            per_second,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `address`'s bucket; `Err(seconds)` says when to try again.
    pub fn take(&self, address: IpAddr) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_ADDRESSES && !buckets.contains_key(&address) {
            // Forget addresses whose buckets have refilled: they lose nothing.
            let (burst, rate) = (self.burst, self.per_second);
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
            if buckets.len() >= MAX_ADDRESSES {
                buckets.clear();
            }
        }
        let (tokens, at) = buckets.entry(address).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

/// The network address a request counts against (see the module's docs).
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<super::AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &super::AppState,
    ) -> Result<ClientAddress, Self::Rejection> {
        // Every connection is served with its peer address; a request without one (built by
        // hand in a test) counts as unspecified.
        let peer = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |info| info.0.ip());
        Ok(ClientAddress(client_address(
            peer,
            &parts.headers,
            &app.trusted_proxies,
        )))
    }
}

/// The address a request from `peer` with these headers counts against: `peer`, or behind a
/// trusted proxy the last `X-Forwarded-For` entry that is not a trusted proxy. Addresses are
/// compared in canonical form, so an IPv4 proxy reaching a dual-stack listener as
/// `::ffff:10.0.0.2` is still `10.0.0.2`.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |address: IpAddr| trusted.iter().any(|t| t.to_canonical() == address);
    if !is_trusted(peer) {
        return peer;
    }
    // Split on bytes: a client may put bytes that are not text into its part of the header,
    // and that must not hide the part the proxy appended.
    let entries: Vec<&[u8]> = headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|value| value.as_bytes().split(|byte| *byte == b','))
        .collect();
    for entry in entries.into_iter().rev() {
        match std::str::from_utf8(entry).ok().and_then(parse_address) {
            Some(address) if is_trusted(address) => continue,
            Some(address) => return address,
            // Not an address: nothing to its left can be believed either.
            None => return peer,
        }
    }
    peer
}

/// An address as proxies write it: `203.0.113.7`, `2001:db8::1`, `[2001:db8::1]`, or any of
/// these with a port; in canonical form.
pub fn parse_address(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    let address = text
        .parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            text.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| inner.parse::<IpAddr>().ok())
        })?;
    Some(address.to_canonical())
}

/// Whether a websocket upgrade with these headers may proceed: no Origin (not a browser), the
/// server's own origin (the Origin's host is the Host the browser asked for), or an origin the
/// operator allowed (exact match, such as `https://ordet.example.no`).
pub fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let origin = origin.trim_end_matches('/');
    if allowed.iter().any(|a| a.trim_end_matches('/') == origin) {
        return true;
    }
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    matches!((host, origin_host), (Some(h), Some(o)) if h.eq_ignore_ascii_case(o))
}

/// The host names and addresses this server answers to.
pub struct ServedHosts {
    /// Lower-case names from the public URL and the allowed origins.
    names: Vec<String>,
    /// The one address the server is bound to, or `None` when it listens on every
    /// interface (then any address of this machine's interfaces is served).
    bound: Option<IpAddr>,
    /// This machine's interface addresses, read again at most once a second when a request
    /// names an address not among them (a laptop may get a new address mid-meeting).
    interfaces: Mutex<(Vec<IpAddr>, Option<Instant>)>,
}

impl ServedHosts {
    /// For a server with this public URL and these allowed origins, bound to `bound`.
    pub fn new(public_url: Option<&str>, allowed_origins: &[String], bound: IpAddr) -> ServedHosts {
        let names = public_url
            .into_iter()
            .chain(allowed_origins.iter().map(String::as_str))
            .filter_map(|url| {
                let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
                let authority = rest.split(['/', '?', '#']).next()?;
                host_name(authority)
            })
            .collect();
        ServedHosts {
            names,
            bound: (!bound.is_unspecified()).then(|| bound.to_canonical()),
            interfaces: Mutex::new((Vec::new(), None)),
        }
    }

    /// Whether a request with this `Host` header is for this server.
    pub fn serves(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        if name == "localhost" || name.ends_with(".localhost") || self.names.contains(&name) {
            return true;
        }
        let Some(address) = parse_address(&name) else {
            return false;
        };
        if address.is_loopback() {
            return true;
        }
        match self.bound {
            Some(bound) => address == bound,
            None => self.is_interface(address),
        }
    }

    fn is_interface(&self, address: IpAddr) -> bool {
        let mut interfaces = self.interfaces.lock().unwrap_or_else(|p| p.into_inner());
        if interfaces.0.contains(&address) {
            return true;
        }
        let now = Instant::now();
        if interfaces
            .1
            .is_none_or(|read| now.duration_since(read).as_secs() >= 1)
        {
            interfaces.0 = if_addrs::get_if_addrs()
                .unwrap_or_default()
                .into_iter()
                .map(|interface| interface.ip().to_canonical())
                .collect();
            interfaces.1 = Some(now);
        }
        interfaces.0.contains(&address)
    }
}

/// The host of a `Host` header or URL authority, lower-case, without port or final dot:
/// `Ordet.Example.no:443` is `ordet.example.no`, `[2001:db8::1]:8080` is `2001:db8::1`.
fn host_name(authority: &str) -> Option<String> {
    let authority = authority.trim();
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split_once(']')?.0
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
            _ => authority,
        }
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// The answer to a request for a host this server does not serve, in all three languages
/// (nothing says which one the reader speaks), with a hint for the operator.
pub fn misdirected() -> axum::response::Response {
    use axum::response::IntoResponse;
    use ordet_shared::i18n::{Key, Lang};
    let mut text: String = Lang::ALL
        .iter()
        .map(|lang| format!("{}\n", Key::MisdirectedHost.text(*lang)))
        .collect();
    text.push_str("(Operator: start Ordet with --public-url set to the address people open.)\n");
    (
        axum::http::StatusCode::MISDIRECTED_REQUEST,
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

/// The organiser password's hash, when the operator set one.
#[derive(Clone)]
pub struct OrganiserPassword(Option<SecretHash>);

impl OrganiserPassword {
    /// From the configured password (`None` or empty: anyone may create conferences).
    pub fn new(password: Option<&str>) -> OrganiserPassword {
        OrganiserPassword(password.filter(|p| !p.is_empty()).map(SecretHash::of))
    }

    /// Whether a password is needed.
    pub fn required(&self) -> bool {
        self.0.is_some()
    }

    /// Whether `given` opens the door.
    pub fn accepts(&self, given: Option<&str>) -> bool {
        match (&self.0, given) {
            (None, _) => true,
            (Some(hash), Some(given)) => hash.matches(&SecretHash::of(given)),
            (Some(_), None) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_are_believed_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "1.2.3.4, 203.0.113.7".parse().unwrap());
        assert_eq!(
            client_address(proxy, &headers, &[]),
            proxy,
            "no proxy trusted"
        );
        assert_eq!(
            client_address(client, &headers, &[proxy]),
            client,
            "not via the proxy"
        );
        assert_eq!(
            client_address(proxy, &headers, &[proxy]),
            client,
            "the entry the proxy added, not the one the client wrote"
        );
        let second: IpAddr = "10.0.0.3".parse().unwrap();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.7:5123, 10.0.0.3".parse().unwrap(),
        );
        assert_eq!(client_address(proxy, &headers, &[proxy, second]), client);
        headers.insert("x-forwarded-for", "1.2.3.4, garbage".parse().unwrap());
        assert_eq!(client_address(proxy, &headers, &[proxy]), proxy);
        headers.remove("x-forwarded-for");
        assert_eq!(client_address(proxy, &headers, &[proxy]), proxy);

        // Bytes that are not text in the client's part do not hide the proxy's part.
        headers.insert(
            "x-forwarded-for",
            axum::http::HeaderValue::from_bytes(b"\xff\xfe, 203.0.113.7").unwrap(),
        );
        assert_eq!(client_address(proxy, &headers, &[proxy]), client);
        // An IPv4 proxy seen through a dual-stack listener, and a bracketed IPv6 client.
        let mapped: IpAddr = "::ffff:10.0.0.2".parse().unwrap();
        headers.insert("x-forwarded-for", "[2001:db8::7]".parse().unwrap());
        assert_eq!(
            client_address(mapped, &headers, &[proxy]),
            "2001:db8::7".parse::<IpAddr>().unwrap()
        );
    }
    use axum::http::HeaderValue;

    #[test]
    fn a_bucket_allows_its_burst_then_paces() {
        let limiter = AddressLimiter::new(3, 1.0);
        let one: IpAddr = "10.0.0.1".parse().unwrap();
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        assert!((0..3).all(|_| limiter.take(one).is_ok()));
        assert_eq!(limiter.take(one), Err(1));
        assert!(limiter.take(other).is_ok(), "addresses are counted apart");
    }

    #[test]
    fn only_this_servers_pages_and_listed_origins_may_open_a_websocket() {
        let headers = |origin: Option<&str>| {
            let mut h = HeaderMap::new();
            h.insert(HOST, HeaderValue::from_static("192.168.1.20:8080"));
            if let Some(o) = origin {
                h.insert(ORIGIN, HeaderValue::from_str(o).unwrap());
            }
            h
        };
        let allowed = vec!["https://ordet.example.no".to_string()];
        assert!(origin_allowed(&headers(None), &allowed), "not a browser");
        assert!(origin_allowed(
            &headers(Some("http://192.168.1.20:8080")),
            &allowed
        ));
        assert!(origin_allowed(
            &headers(Some("https://ordet.example.no")),
            &allowed
        ));
        assert!(!origin_allowed(
            &headers(Some("https://evil.example.com")),
            &allowed
        ));
        assert!(!origin_allowed(&headers(Some("null")), &allowed));
    }

    #[test]
    fn only_hosts_this_server_serves_are_answered() {
        let served = ServedHosts::new(
            Some("https://Ordet.Example.no/"),
            &["https://kommune.example.no:8443".to_string()],
            "127.0.0.1".parse().unwrap(),
        );
        for host in [
            "ordet.example.no",
            "ORDET.example.no.:443",
            "kommune.example.no:8443",
            "localhost:8080",
            "127.0.0.1:8080",
            "[::1]:8080",
        ] {
            assert!(served.serves(host), "{host}");
        }
        for host in [
            "evil.example.com",
            "ordet.example.no.evil.example.com",
            "192.0.2.7:8080",
            "",
            ":8080",
        ] {
            assert!(!served.serves(host), "{host}");
        }
        let everywhere = ServedHosts::new(None, &[], "0.0.0.0".parse().unwrap());
        assert!(
            !everywhere.serves("192.0.2.7"),
            "not an address of this machine"
        );
        assert!(!everywhere.serves("rebound.example.com:8080"));
    }

    #[test]
    fn the_organiser_password_is_needed_only_when_set() {
        assert!(OrganiserPassword::new(None).accepts(None));
        assert!(OrganiserPassword::new(Some("")).accepts(None));
        let set = OrganiserPassword::new(Some("kommunen-2027"));
        assert!(set.required());
        assert!(!set.accepts(None));
        assert!(!set.accepts(Some("feil")));
        assert!(set.accepts(Some("kommunen-2027")));
    }
}
