//! Shared helpers of the store tests: a hand-driven clock and small valid thumbnails.

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use seedance_core::api::Clock;
use seedance_core::store::Store;
use time::OffsetDateTime;

/// Just the magic bytes: the store checks the format, not the picture.
pub const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 0xFF, 0xD9,
];
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// Time that moves only when a test says so.
#[derive(Debug)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn at(ms: i64) -> Arc<Self> {
        Arc::new(Self(AtomicI64::new(ms)))
    }

    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }

    pub fn ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.ms()) * 1_000_000).unwrap()
    }
}

pub fn memory_store() -> (Store, Arc<ManualClock>) {
    let clock = ManualClock::at(1_700_000_000_000);
    (
        Store::open_in_memory_with_clock(clock.clone()).unwrap(),
        clock,
    )
}

pub fn file_store(path: &Path) -> (Store, Arc<ManualClock>) {
    let clock = ManualClock::at(1_700_000_000_000);
    (Store::open_with_clock(path, clock.clone()).unwrap(), clock)
}
