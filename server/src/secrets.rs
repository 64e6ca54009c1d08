//! Keys and tokens. The facilitator key is a long random secret made by the server and shown
//! once (in the console link); the server stores only its SHA-256 hash and compares hashes
//! in constant time. The projector's screen key is derived from the facilitator key, so the
//! server never stores a secret it could leak. Participant tokens are made on the device.

use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// SHA-256 of a secret: what the server stores and compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecretHash(pub [u8; 32]);

impl SecretHash {
    /// Hashes a secret as presented by a client.
    pub fn of(secret: &str) -> Self {
        Self(Sha256::digest(secret.as_bytes()).into())
    }

    /// Constant-time comparison, so timing reveals nothing about how much of a guess matched.
    pub fn matches(&self, other: &SecretHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

/// A new facilitator key: 256 random bits, hex-encoded.
pub fn new_facilitator_key() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// The screen key that belongs to a facilitator key (view-only: it opens the projector).
pub fn screen_key_for(facilitator_key: &str) -> String {
    let digest = Sha256::digest(format!("ordet screen key\n{facilitator_key}").as_bytes());
    hex(&digest[..20])
}

/// Shortest and longest participant token the server accepts.
pub const TOKEN_CHARS: std::ops::RangeInclusive<usize> = 16..=128;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_distinct() {
        let (a, b) = (new_facilitator_key(), new_facilitator_key());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }

    #[test]
    fn screen_key_is_derived_but_not_the_facilitator_key() {
        let key = new_facilitator_key();
        assert_eq!(screen_key_for(&key), screen_key_for(&key));
        assert_ne!(screen_key_for(&key), key);
        assert!(SecretHash::of(&key).matches(&SecretHash::of(&key)));
        assert!(!SecretHash::of(&key).matches(&SecretHash::of(&screen_key_for(&key))));
    }
}
