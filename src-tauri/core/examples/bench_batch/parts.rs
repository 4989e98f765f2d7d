//! Where one photo's check spends its time, step by step on one thread (`bench_batch --parts FILE`): read,
//! SHA-256, strict full JPEG decode, the 512 px thumbnail of the full picture, and its JPEG encoding. The
//! steps of `images::intake` for a file its 1/8-scale reading does not take (a progressive JPEG, a damaged
//! one: see `paths.rs` for the whole check), timed apart (the check itself runs the hash beside the decode,
//! and reuses the pixel buffer of the photo before). `bench/pillow_batch.py --parts FILE` times Pillow's.

use std::io::Cursor;
use std::path::Path;
use std::time::Instant;

use image::DynamicImage;
use sha2::{Digest, Sha256};
use zune_jpeg::zune_core::options::DecoderOptions;

use crate::procs::{median, Error};

const RUNS: usize = 5;

/// Prints `parts read=… sha256=… decode=… thumbnail=… encode=…` (median ms of [`RUNS`]).
pub fn run(path: &Path) -> Result<(), Error> {
    let mut steps: Vec<(&str, Vec<f64>)> = ["read", "sha256", "decode", "thumbnail", "encode"]
        .iter()
        .map(|name| (*name, Vec::new()))
        .collect();
    // A batch's check hands each decode's pixel buffer to the next (`images::pixels`): so does this.
    let mut spare: Vec<u8> = Vec::new();
    for _ in 0..RUNS {
        let mut lap = Instant::now();
        let mut took = |at: usize, steps: &mut Vec<(&str, Vec<f64>)>| {
            steps[at].1.push(lap.elapsed().as_secs_f64() * 1000.0);
            lap = Instant::now();
        };
        let bytes = std::fs::read(path)?;
        took(0, &mut steps);
        let digest = Sha256::digest(&bytes);
        took(1, &mut steps);
        let options = DecoderOptions::default().set_strict_mode(true);
        let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(&bytes), options);
        decoder.decode_headers()?;
        let mut pixels = std::mem::take(&mut spare);
        pixels.clear();
        pixels.resize(decoder.output_buffer_size().ok_or("no size")?, 0);
        decoder.decode_into(&mut pixels)?;
        let (width, height) = decoder.dimensions().ok_or("no size")?;
        let image = image::RgbImage::from_raw(width as u32, height as u32, pixels)
            .map(DynamicImage::from)
            .ok_or("size mismatch")?;
        took(2, &mut steps);
        let small = seedance_core::images::preview_image(&image, 512);
        took(3, &mut steps);
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82)
            .encode_image(&small.to_rgb8())?;
        took(4, &mut steps);
        if let DynamicImage::ImageRgb8(image) = image {
            spare = image.into_raw();
        }
        if digest.is_empty() || out.is_empty() {
            return Err("nothing made".into());
        }
    }
    let line: Vec<String> = steps
        .iter_mut()
        .map(|(name, times)| format!("{name}={:.1}", median(times)))
        .collect();
    println!("parts {}", line.join(" "));
    Ok(())
}
