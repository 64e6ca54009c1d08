//! Which addresses phones can reach this server at. Ordet usually runs on the facilitator's
//! laptop, and phones on the venue's Wi-Fi need its local network address, not `localhost`.
//! The addresses are read from the network interfaces; nothing is sent anywhere.

use std::net::{IpAddr, SocketAddr};

/// Base URLs (`http://host:port`) where this server can be reached, best first: the local
/// network addresses, then `localhost`.
pub fn reachable_urls(bound: SocketAddr) -> Vec<String> {
    let port = bound.port();
    let mut urls = Vec::new();
    if bound.ip().is_unspecified() {
        let mut addresses: Vec<IpAddr> = if_addrs::get_if_addrs()
            .unwrap_or_default()
            .into_iter()
            .map(|iface| iface.ip())
            .filter(|ip| ip.is_ipv4() && !ip.is_loopback())
            .collect();
        addresses.sort_by_key(|ip| !is_private(ip));
        urls.extend(
            addresses
                .into_iter()
                .map(|ip| format!("http://{ip}:{port}")),
        );
    } else if !bound.ip().is_loopback() {
        urls.push(format!("http://{}", bound));
    }
    urls.push(format!("http://localhost:{port}"));
    urls
}

fn is_private(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private(),
        IpAddr::V6(_) => false,
    }
}
