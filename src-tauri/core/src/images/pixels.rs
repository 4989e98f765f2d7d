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
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use base64::Engine;

    fn uniform_jpeg(path: &std::path::Path, rgb: [u8; 3]) {
        image::RgbImage::from_pixel(1200, 800, image::Rgb(rgb))
            .save_with_format(path, image::ImageFormat::Jpeg)
            .unwrap();
    }

    fn thumbnail_of(info: &super::super::FrameInfo) -> image::RgbImage {
        let (_, b64) = info.thumbnail_data_url.split_once(";base64,").unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        image::load_from_memory(&bytes).unwrap().to_rgb8()
    }

    /// Photos checked one after another while the gate stays occupied (as in a batch's check, where the
    /// buffer of one is handed to the next) each get their own size and colours.
    #[test]
    fn photos_checked_one_after_another_keep_their_own_pixels() {
        let _occupied = super::super::gate::enter();
        let dir = tempfile::tempdir().unwrap();
        let colours = [[200, 30, 30], [20, 40, 210], [240, 240, 240]];
        for (i, rgb) in colours.into_iter().enumerate() {
            let path = dir.path().join(format!("p{i}.jpg"));
            uniform_jpeg(&path, rgb);
            let info = super::super::intake(&path, &Default::default()).unwrap();
            assert_eq!((info.width, info.height), (1200, 800));
            let thumb = thumbnail_of(&info);
            assert_eq!(thumb.dimensions(), (512, 341));
            for pixel in thumb.pixels() {
                for (got, want) in pixel.0.iter().zip(rgb) {
                    assert!(got.abs_diff(want) <= 6, "photo {i}: {pixel:?} for {rgb:?}");
                }
            }
        }
    }

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
