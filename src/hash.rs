//! Hashing for page fingerprints and change detection: one hasher, the same
//! in every run, so that equal values always give equal fingerprints. What
//! is hashed is decided elsewhere (a page's fingerprint is the hash of the
//! view its template receives, see `view.rs`); this module only says how.

use std::hash::{Hash, Hasher};

/// The hasher of every fingerprint: SipHash with fixed keys (a streaming
/// xxh3 was slower here, copying each small write into its buffer).
pub type FingerprintHasher = std::hash::DefaultHasher;

/// The hash of a whole file's text, which says whether it changed: Fx over
/// the bytes, several times faster than SipHash on long texts (a 10,000
/// briefing build hashes each text twice).
pub fn hash_text(text: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(text.as_bytes());
    hasher.write_usize(text.len());
    hasher.finish()
}

/// The fingerprint of a value.
pub fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = FingerprintHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}
