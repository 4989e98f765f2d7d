//! The per-launch secret every video URL carries.

use rand::rngs::OsRng;
use rand::RngCore;

/// 256 random bits from the OS, as 64 hex digits (URL-safe).
#[derive(Clone)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn random() -> Self {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        Self(hex::encode(bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compares in time that depends only on the lengths, so response timing cannot reveal a prefix.
    pub fn matches(&self, candidate: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), candidate.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
    }
}

/// Never print the secret (a debug log of the server state would otherwise carry it).
impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::AccessToken;

    #[test]
    fn only_the_exact_token_matches() {
        let t = AccessToken::random();
        assert_eq!(t.as_str().len(), 64);
        assert!(t.matches(t.as_str()));
        assert!(!t.matches(&t.as_str()[..63]));
        assert!(!t.matches(""));
        let mut other = t.as_str().to_owned();
        let last = if other.ends_with('0') { "1" } else { "0" };
        other.replace_range(63.., last);
        assert!(!t.matches(&other));
        assert_ne!(AccessToken::random().as_str(), t.as_str());
    }
}
