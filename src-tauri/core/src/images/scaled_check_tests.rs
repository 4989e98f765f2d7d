//! The check before upload reads a big baseline JPEG at 1/8 scale (`jpeg_dc`: every Huffman code of the
//! scan decoded and checked) instead of rebuilding every pixel. These tests hold it to what the strict full
//! decoder decides: the same verdict, and the same kind of error, for damaged copies (cut short, bytes
//! flipped, inserted or removed in the scan data), and a thumbnail of the same size, orientation and colours.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::mem::discriminant;
use std::path::Path;

use base64::Engine;
use image::{GenericImageView, ImageFormat, RgbImage};

use super::decode::{self, tests::STRICT_JPEG_DECODES};
use super::{intake_bytes, IntakeOptions};

/// A photo-like baseline JPEG (4:2:0, as the `image` encoder writes): gradients, hard edges and grain.
fn photo(width: u32, height: u32) -> Vec<u8> {
    let pixels = RgbImage::from_fn(width, height, |x, y| {
        let grain = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) % 23;
        let block = if (x / 97 + y / 61) % 2 == 0 { 60 } else { 0 };
        image::Rgb([
            ((x * 255 / width) as u8).saturating_add(grain as u8),
            ((y * 255 / height) as u8).saturating_sub(block),
            (((x + y) / 13 % 200) as u8).saturating_add(grain as u8),
        ])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
        .encode_image(&pixels)
        .unwrap();
    bytes
}

/// A small thumbnail, so that a photo of test size is big enough for the 1/8-scale reading.
fn options() -> IntakeOptions {
    IntakeOptions {
        thumbnail_max_side: 96,
        ..IntakeOptions::default()
    }
}

fn strict_decodes() -> usize {
    STRICT_JPEG_DECODES.with(std::cell::Cell::get)
}

fn thumbnail_of(url: &str) -> image::DynamicImage {
    let (_, b64) = url.split_once(";base64,").unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    image::load_from_memory(&bytes).unwrap()
}

#[test]
fn a_big_baseline_jpeg_is_checked_without_rebuilding_every_pixel() {
    let bytes = photo(1200, 800);
    let before = strict_decodes();
    let info = intake_bytes(Path::new("/photos/a.jpg"), &bytes, &options()).unwrap();
    assert_eq!(strict_decodes(), before, "the strict decoder rebuilt it");
    assert_eq!((info.width, info.height), (1200, 800));
    assert_eq!(
        thumbnail_of(&info.thumbnail_data_url).dimensions(),
        (96, 64)
    );
}

/// Same verdict and same kind of error as the strict decoder, for every damaged copy.
#[test]
fn damaged_copies_get_the_strict_decoders_verdict() {
    let good = photo(1200, 800);
    let sos = good.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let scan = sos + 2 + usize::from(u16::from_be_bytes([good[sos + 2], good[sos + 3]]));
    let span = good.len() - 2 - scan;
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut refused, mut scaled) = (0, 0);
    for i in 0..150 {
        let mut copy = good.clone();
        let at = scan + (next() as usize % span);
        match i % 5 {
            0 => copy[at] ^= 1 << (next() % 8),
            1 => copy[at] = next() as u8,
            2 => {
                copy.truncate(at);
                if i % 2 == 0 {
                    copy.extend([0xFF, 0xD9]);
                }
            }
            3 => copy.insert(at, next() as u8),
            _ => {
                copy.remove(at);
            }
        }
        let strict = decode::decode_jpeg(&copy).map(|_| ());
        let before = strict_decodes();
        let checked = intake_bytes(Path::new("/photos/a.jpg"), &copy, &options()).map(|_| ());
        scaled += usize::from(strict_decodes() == before + 1);
        match (&checked, &strict) {
            (Ok(()), Ok(())) => {}
            (Err(ours), Err(theirs)) => {
                refused += 1;
                assert_eq!(
                    discriminant(ours),
                    discriminant(theirs),
                    "copy {i}: {ours:?} / {theirs:?}"
                );
            }
            _ => panic!("copy {i} (change at {at}): check {checked:?}, strict decoder {strict:?}"),
        }
    }
    // Both kinds of damage occurred: some copies refused, some read at 1/8 scale without the strict decoder.
    assert!(refused >= 10, "{refused} refused");
    assert!(scaled < 150, "every copy went to the strict decoder");
}

#[test]
fn a_cut_file_is_refused_as_truncated() {
    let good = photo(1200, 800);
    for keep in [good.len() / 3, good.len() - 1000, good.len() - 2] {
        let err = intake_bytes(Path::new("/photos/a.jpg"), &good[..keep], &options()).unwrap_err();
        assert!(
            matches!(err, super::ImageError::Truncated { .. }),
            "cut at {keep}: {err:?}"
        );
    }
}

/// The thumbnail of the 1/8-scale reading matches the one of the full picture: size, orientation (EXIF
/// turn applied) and colours. Each channel's mean within 5 levels (the small fixtures differ by up to 3.6,
/// the photo-like picture by 0.1); pixel by pixel within 6 levels on average
/// for a photo-like picture read at about the scale the app reads a 24 MP photo (1/8 scale a little above
/// the thumbnail's size: 150 px for 96 here, 750 px for 512 there). The small fixtures are read at a
/// thumbnail of 40 px from 42, a near-1:1 resampling that keeps more of their fine detail than the full
/// picture's thumbnail does, so only their means are compared.
#[test]
fn the_thumbnail_matches_the_full_pictures() {
    let fixture = |name: &str| {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/jpeg")
                .join(name),
        )
        .unwrap()
    };
    let small = IntakeOptions {
        thumbnail_max_side: 40,
        ..IntakeOptions::default()
    };
    let cases = [
        (photo(1200, 800), options(), Some(6.0)),
        (fixture("orientation-6.jpg"), small.clone(), None),
        (fixture("baseline-422.jpg"), small.clone(), None),
        (fixture("baseline-gray.jpg"), small, None),
    ];
    for (i, (bytes, opts, pixel_tolerance)) in cases.into_iter().enumerate() {
        let before = strict_decodes();
        let info = intake_bytes(Path::new("/photos/a.jpg"), &bytes, &opts).unwrap();
        assert_eq!(strict_decodes(), before, "case {i} was rebuilt in full");
        let full = decode::decode_upright(&bytes, ImageFormat::Jpeg).unwrap();
        assert_eq!((info.width, info.height), full.dimensions(), "case {i}");
        // Through the same JPEG encoding, so that only the readings differ.
        let want_url = super::thumbnail::data_url(&full, opts.thumbnail_max_side).unwrap();
        let want = thumbnail_of(&want_url).to_rgb8();
        let got = thumbnail_of(&info.thumbnail_data_url).to_rgb8();
        assert_eq!(got.dimensions(), want.dimensions(), "case {i}");
        for channel in 0..3 {
            let mean = |image: &RgbImage| {
                image.pixels().map(|p| f64::from(p[channel])).sum::<f64>()
                    / f64::from(image.width() * image.height())
            };
            let (g, w) = (mean(&got), mean(&want));
            assert!(
                (g - w).abs() < 5.0,
                "case {i}, channel {channel}: {g:.1} / {w:.1}"
            );
        }
        if let Some(tolerance) = pixel_tolerance {
            let diff: f64 = got
                .as_raw()
                .iter()
                .zip(want.as_raw())
                .map(|(a, b)| f64::from(a.abs_diff(*b)))
                .sum::<f64>()
                / got.as_raw().len() as f64;
            assert!(diff < tolerance, "case {i}: mean difference {diff:.2}");
        }
    }
}
