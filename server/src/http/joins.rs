//! How fast new participants may join: per network address, and per conference.
//!
//! One script on the venue Wi-Fi once joined 3,000 named fake participants in 23 seconds, from
//! one address. Joining needs no account (participants are often minors on their own phones),
//! so the defence is pace, not identity: two token buckets, both checked before a new
//! participant's `join` reaches the conference.
//!
//! - **Per address** ([`PER_ADDRESS`]: a burst of 300, then 5 a second). A school whose
//!   phones all share one public address still gets 300 in at once, 600 within the first
//!   minute and 900 within two; a script on one address gets the same and no more, instead of
//!   thousands. IPv6 addresses count by their /64 network, because one device can take any
//!   number of addresses in it (and a venue's Wi-Fi hands out one /64). Behind a trusted
//!   reverse proxy the address is the client's (see `guard::ClientAddress`).
//! - **Per conference** ([`PER_CONFERENCE`]: a burst of 1,000, then 20 a second), whatever
//!   the addresses, so that someone with many addresses still cannot fill a meeting in
//!   seconds. A hall of 3,000 phones with their own addresses is in within two minutes; behind
//!   one shared address the pace per address rules, and 3,000 take about nine minutes, so a
//!   venue that big should give phones their own addresses (or the limit be raised here).
//!
//! Only a participant new to the conference is counted: a device that joined before and sends
//! `join` again (to change its name or role, or because its answer was lost) is not. A join
//! over either limit is answered `rejected` with `rate_limited`; the app keeps it in its outbox
//! and sends it again two seconds later, so a real phone gets in as soon as there is room,
//! without anyone pressing anything.
//!
//! Why here and not in the shared rules: a deterministic limit in `decide` would have to be
//! worked out from the participants' join times on every join, would be the same on every
//! server with no way to change it, and has nothing to do with the meeting itself; this is
//! about the server's door. The buckets live in memory: a restart refills them, which only the
//! operator can cause. Both maps are bounded like the other limiters: idle keys are forgotten,
//! and never more than [`MAX_KEYS`] of each are held.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use ordet_shared::ConferenceId;

use crate::conference::{Admission, ConferenceHandle, Credential};

/// New participants one address may bring in at once, and per second after that.
pub const PER_ADDRESS: (u32, f64) = (300, 5.0);
/// New participants one conference takes at once, and per second after that.
pub const PER_CONFERENCE: (u32, f64) = (1_000, 20.0);
/// Most addresses, and most conferences, remembered at once.
pub const MAX_KEYS: usize = 20_000;

/// The join limits of one server (see the module's docs).
pub struct JoinLimiter {
    per_address: Rate,
    per_conference: Rate,
    buckets: Mutex<Buckets>,
}

#[derive(Clone, Copy)]
struct Rate {
    burst: f64,
    per_second: f64,
}

#[derive(Default)]
struct Buckets {
    addresses: HashMap<IpAddr, (f64, Instant)>,
    conferences: HashMap<ConferenceId, (f64, Instant)>,
}

impl JoinLimiter {
    /// Limits of `(burst, per second)` per address and per conference.
    pub fn new(per_address: (u32, f64), per_conference: (u32, f64)) -> JoinLimiter {
        let rate = |(burst, per_second): (u32, f64)| Rate {
            burst: f64::from(burst),
            per_second,
        };
        JoinLimiter {
            per_address: rate(per_address),
            per_conference: rate(per_conference),
            buckets: Mutex::default(),
        }
    }

    /// Takes one join for `address` into `conference`; `Err(seconds)` says when to try again.
    /// A join refused by one bucket takes nothing from the other.
    pub fn take(&self, address: IpAddr, conference: ConferenceId) -> Result<(), u64> {
        self.take_at(address, conference, Instant::now())
    }

    fn take_at(&self, address: IpAddr, conference: ConferenceId, now: Instant) -> Result<(), u64> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let Buckets {
            addresses,
            conferences,
        } = &mut *buckets;
        let address = network_of(address);
        let by_address = refill(addresses, address, self.per_address, now);
        let by_conference = refill(conferences, conference, self.per_conference, now);
        let mut wait = 0.0_f64;
        for (tokens, rate) in [
            (by_address, self.per_address),
            (by_conference, self.per_conference),
        ] {
            if tokens < 1.0 {
                wait = wait.max(((1.0 - tokens) / rate.per_second).ceil().max(1.0));
            }
        }
        if wait > 0.0 {
            return Err(wait as u64);
        }
        for tokens in [
            addresses.get_mut(&address).map(|b| &mut b.0),
            conferences.get_mut(&conference).map(|b| &mut b.0),
        ]
        .into_iter()
        .flatten()
        {
            *tokens -= 1.0;
        }
        Ok(())
    }
}

/// Brings `key`'s bucket up to date at `now` and returns its tokens, first forgetting full
/// buckets (they lose nothing) when the map is at its bound.
fn refill<K: Eq + Hash + Copy>(
    buckets: &mut HashMap<K, (f64, Instant)>,
    key: K,
    rate: Rate,
    now: Instant,
) -> f64 {
    if buckets.len() >= MAX_KEYS && !buckets.contains_key(&key) {
        buckets.retain(|_, (tokens, at)| {
            *tokens + now.saturating_duration_since(*at).as_secs_f64() * rate.per_second
                < rate.burst
        });
        if buckets.len() >= MAX_KEYS {
            buckets.clear();
        }
    }
    let (tokens, at) = buckets.entry(key).or_insert((rate.burst, now));
    *tokens = (*tokens + now.saturating_duration_since(*at).as_secs_f64() * rate.per_second)
        .min(rate.burst);
    *at = now;
    *tokens
}

/// The address a join counts against: IPv4 as it is, IPv6 by its /64 network.
fn network_of(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V6(v6) => {
            let mut octets = v6.octets();
            octets[8..].fill(0);
            IpAddr::from(octets)
        }
        v4 => v4,
    }
}

/// Whether a `join` sent by `credential` from `address` must wait: only a participant the
/// conference has never seen is counted. Asks the conference actor who the sender is (one
/// message, only for `join`).
pub(crate) async fn must_wait(
    limiter: &JoinLimiter,
    address: IpAddr,
    conference: &ConferenceHandle,
    credential: &Credential,
) -> bool {
    match conference.admit(credential.clone()).await {
        Ok(Admission::NewParticipant(_)) => match limiter.take(address, conference.id) {
            Ok(()) => false,
            Err(seconds) => {
                tracing::debug!(%address, conference = %conference.id, seconds, "join refused for rate");
                true
            }
        },
        // A device seen before, or an actor that stopped: the command itself finds out.
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_address_gets_its_burst_then_the_steady_rate() {
        let limiter = JoinLimiter::new((3, 2.0), (1_000, 100.0));
        let conference = ConferenceId::random();
        let start = Instant::now();
        let school = ip("203.0.113.7");
        assert!((0..3).all(|_| limiter.take_at(school, conference, start).is_ok()));
        assert_eq!(limiter.take_at(school, conference, start), Err(1));
        assert!(
            limiter
                .take_at(ip("198.51.100.1"), conference, start)
                .is_ok(),
            "addresses are counted apart"
        );
        // Two a second: one second later, two more.
        let later = start + Duration::from_secs(1);
        assert!(limiter.take_at(school, conference, later).is_ok());
        assert!(limiter.take_at(school, conference, later).is_ok());
        assert!(limiter.take_at(school, conference, later).is_err());
    }

    #[test]
    fn a_conference_takes_its_burst_from_any_number_of_addresses() {
        let limiter = JoinLimiter::new((10, 1.0), (5, 1.0));
        let (busy, other) = (ConferenceId::random(), ConferenceId::random());
        let now = Instant::now();
        for i in 0..5 {
            let address = ip(&format!("192.0.2.{i}"));
            assert!(limiter.take_at(address, busy, now).is_ok());
        }
        assert!(limiter.take_at(ip("192.0.2.99"), busy, now).is_err());
        assert!(
            limiter.take_at(ip("192.0.2.99"), other, now).is_ok(),
            "another conference is not affected"
        );
    }

    #[test]
    fn a_refused_join_takes_nothing_from_the_other_bucket() {
        let limiter = JoinLimiter::new((1, 0.001), (2, 0.001));
        let conference = ConferenceId::random();
        let now = Instant::now();
        let script = ip("203.0.113.66");
        assert!(limiter.take_at(script, conference, now).is_ok());
        for _ in 0..10 {
            assert!(limiter.take_at(script, conference, now).is_err());
        }
        assert!(
            limiter.take_at(ip("203.0.113.5"), conference, now).is_ok(),
            "the script's refused joins did not use up the conference"
        );
    }

    #[test]
    fn ipv6_addresses_count_by_their_network() {
        let limiter = JoinLimiter::new((2, 0.001), (1_000, 100.0));
        let conference = ConferenceId::random();
        let now = Instant::now();
        assert!(
            limiter
                .take_at(ip("2001:db8:1:2::1"), conference, now)
                .is_ok()
        );
        assert!(
            limiter
                .take_at(ip("2001:db8:1:2::ffff"), conference, now)
                .is_ok()
        );
        assert!(
            limiter
                .take_at(ip("2001:db8:1:2:abcd::7"), conference, now)
                .is_err(),
            "a new address in the same /64 is the same sender"
        );
        assert!(
            limiter
                .take_at(ip("2001:db8:1:3::1"), conference, now)
                .is_ok()
        );
        assert_eq!(network_of(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }
}
