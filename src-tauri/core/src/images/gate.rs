//! At most as many frames read and decoded at once, in the whole process, as the machine has cores.
//!
//! A full decode holds the file and every pixel (a 24 MP photo is about 80 MB while it decodes). Several
//! callers decode at the same time: a batch's check ([`crate::batch::check_frames`], itself bounded), each
//! running job's check just before its upload (one per job at once, up to eight), and the previews of
//! frames being picked. Each bound alone would let their sum grow with the number of callers; this one
//! bounds the sum, so memory stays the same whatever runs. Decoding is CPU work, so more at once than
//! there are cores would only add memory, not speed. Waiting happens on the caller's (blocking) thread.

use std::sync::{Condvar, Mutex, OnceLock};

struct Gate {
    inside: Mutex<usize>,
    freed: Condvar,
    limit: usize,
}

fn gate() -> &'static Gate {
    static GATE: OnceLock<Gate> = OnceLock::new();
    GATE.get_or_init(|| Gate {
        inside: Mutex::new(0),
        freed: Condvar::new(),
        limit: std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
    })
}

/// Leave the gate by dropping it.
pub(crate) struct Pass(());

/// Waits until fewer than the limit are inside, then enters.
pub(crate) fn enter() -> Pass {
    let gate = gate();
    let mut inside = gate.inside.lock().unwrap_or_else(|p| p.into_inner());
    while *inside >= gate.limit {
        inside = gate.freed.wait(inside).unwrap_or_else(|p| p.into_inner());
    }
    *inside += 1;
    #[cfg(test)]
    tests::MOST.fetch_max(*inside, std::sync::atomic::Ordering::SeqCst);
    Pass(())
}

/// How many frames may be inside at once.
pub(crate) fn limit() -> usize {
    gate().limit
}

impl Drop for Pass {
    fn drop(&mut self) {
        let gate = gate();
        let mut inside = gate.inside.lock().unwrap_or_else(|p| p.into_inner());
        *inside = inside.saturating_sub(1);
        if *inside == 0 {
            // No frame is being decoded: the spare pixel buffers would only hold memory.
            super::pixels::free_all();
        }
        gate.freed.notify_one();
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Barrier};

    /// The most frames ever inside at once (this test binary's whole life).
    pub(crate) static MOST: AtomicUsize = AtomicUsize::new(0);
    /// The most frames ever between reading and the end of their decode at once, counted by `intake`
    /// itself whether or not the gate let them in.
    pub(crate) static MOST_DECODING: AtomicUsize = AtomicUsize::new(0);
    pub(crate) static DECODING: AtomicUsize = AtomicUsize::new(0);

    /// Three times as many threads as cores take frames in at the same moment, as a batch check, running
    /// jobs and previews would: no more than one per core is ever reading or decoding.
    #[test]
    fn no_more_decodes_at_once_than_cores_whatever_the_callers() {
        let limit = super::gate().limit;
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<_> = (0..limit * 3)
            .map(|i| {
                let path = dir.path().join(format!("p{i}.png"));
                image::DynamicImage::new_rgb8(900, 900).save(&path).unwrap();
                path
            })
            .collect();
        let start = Arc::new(Barrier::new(paths.len()));
        let threads: Vec<_> = paths
            .into_iter()
            .map(|path| {
                let start = Arc::clone(&start);
                std::thread::spawn(move || {
                    start.wait();
                    super::super::intake(&path, &super::super::IntakeOptions::default()).is_ok()
                })
            })
            .collect();
        for thread in threads {
            assert!(thread.join().unwrap());
        }
        assert!(MOST_DECODING.load(Ordering::SeqCst) >= 1);
        assert!(
            MOST_DECODING.load(Ordering::SeqCst) <= limit,
            "{} at once, {limit} cores",
            MOST_DECODING.load(Ordering::SeqCst)
        );
        assert!(MOST.load(Ordering::SeqCst) <= limit);
    }
}
