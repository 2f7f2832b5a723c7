//! Random codes people read, type or share: invite codes, public survey links.

use rand::Rng;
use sha2::{Digest, Sha256};

/// Crockford's base32 (upper case): no I, L, O or U to misread. For codes typed from paper.
pub const UNAMBIGUOUS_UPPER: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Lower-case letters and digits without 0/o, 1/l/i, for short links that look calm in a URL.
pub const LINK_SAFE_LOWER: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// `len` symbols drawn uniformly from `alphabet` with the operating system's random source.
pub fn random_code(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::rng();
    (0..len).map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())])).collect()
}

/// The SHA-256 of a secret a browser or letter holds (staff invite link, resume token, device
/// token), as stored: a leaked database does not leak working secrets. A fast hash is enough
/// because these secrets are long random codes, unlike passwords.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_only_their_alphabet() {
        let code = random_code(LINK_SAFE_LOWER, 500);
        assert!(code.bytes().all(|b| LINK_SAFE_LOWER.contains(&b)));
        assert_ne!(random_code(UNAMBIGUOUS_UPPER, 26), random_code(UNAMBIGUOUS_UPPER, 26));
    }
}
