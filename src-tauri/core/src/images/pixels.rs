//! Pixel buffers for full JPEG decodes, reused while frames are being checked one after another.
//!
//! A 24 MP photo decodes into a fresh 72 MB buffer. Memory that fresh comes from the system untouched, and
//! the first write to each of its 4 KiB pages costs a trip into the kernel: about 18 000 of them per photo,
//! a sixth of a batch check's time went there. While frames are being checked (a batch's check keeps one
//! per core inside the gate), a finished decode hands its buffer back here and the next decode takes it,
//! so its pages are already there; a taken buffer is cleared to zeros first, as a fresh one would be.
//!
//! This adds no memory: at most one buffer per gate place is kept, each of which a decode in flight would
//! hold anyway, and all are freed when the last frame leaves the gate (see `gate`), so an idle app keeps
//! none.

use std::sync::Mutex;

static SPARE: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

/// A buffer of `len` zero bytes, reusing a spare one when there is.
pub(super) fn take(len: usize) -> Vec<u8> {
    let spare = SPARE.lock().unwrap_or_else(|p| p.into_inner()).pop();
    match spare {
        Some(mut buffer) => {
            buffer.clear();
            buffer.resize(len, 0);
            buffer
        }
        None => vec![0; len],
    }
}

/// Keeps `buffer` for the next [`take`], unless `most` are kept already.
pub(super) fn give_back(buffer: Vec<u8>, most: usize) {
    let mut spare = SPARE.lock().unwrap_or_else(|p| p.into_inner());
    if spare.len() < most && buffer.capacity() > 0 {
        spare.push(buffer);
    }
}

/// Frees every spare buffer.
pub(super) fn free_all() {
    let spare = std::mem::take(&mut *SPARE.lock().unwrap_or_else(|p| p.into_inner()));
    drop(spare);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reused buffer is cleared first: the next picture never starts from another's pixels.
    #[test]
    fn taken_buffers_are_all_zeros_even_when_reused() {
        give_back(vec![7u8; 4096], usize::MAX);
        for len in [100, 4096, 10_000] {
            let buffer = take(len);
            assert_eq!(buffer.len(), len);
            assert!(buffer.iter().all(|&b| b == 0));
            give_back(buffer, usize::MAX);
        }
    }
}
