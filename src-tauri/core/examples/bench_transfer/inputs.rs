//! Inputs made once under `target/bench-inputs/`: the image to upload and the result video to serve.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::procs::Error;

/// A 24-bit BMP just under the model's 30 MB image limit: 3000 × 3322 pixels, 29 898 054 bytes.
pub const UPLOAD_FILE: &str = "upload-3000x3322.bmp";
const UPLOAD_WIDTH: u32 = 3000;
const UPLOAD_HEIGHT: u32 = 3322;
pub const RESULT_FILE: &str = "result-200mb.mp4";
pub const RESULT_BYTES: u64 = 200_000_000;

pub fn dir() -> PathBuf {
    target_dir().join("bench-inputs")
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// Noise, so nothing on the way can compress it.
struct Noise(u64);

impl Noise {
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            let bytes = self.0.to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

fn bmp_len() -> u64 {
    // Rows of 3000 × 3 bytes are already a multiple of 4: no padding.
    54 + u64::from(UPLOAD_WIDTH) * 3 * u64::from(UPLOAD_HEIGHT)
}

/// Makes whichever input is missing (or of the wrong size) and returns (upload file, result file).
pub fn make() -> Result<(PathBuf, PathBuf), Error> {
    let dir = dir();
    std::fs::create_dir_all(&dir)?;
    let upload = dir.join(UPLOAD_FILE);
    if file_len(&upload) != Some(bmp_len()) {
        write_bmp(&upload)?;
    }
    let result = dir.join(RESULT_FILE);
    if file_len(&result) != Some(RESULT_BYTES) {
        write_result(&result)?;
    }
    Ok((upload, result))
}

fn file_len(path: &Path) -> Option<u64> {
    std::fs::metadata(path).ok().map(|m| m.len())
}

fn write_bmp(path: &Path) -> Result<(), Error> {
    let pixels = UPLOAD_WIDTH * 3 * UPLOAD_HEIGHT;
    let mut header = Vec::with_capacity(54);
    header.extend_from_slice(b"BM");
    header.extend_from_slice(&(54 + pixels).to_le_bytes());
    header.extend_from_slice(&[0; 4]);
    header.extend_from_slice(&54u32.to_le_bytes());
    header.extend_from_slice(&40u32.to_le_bytes());
    header.extend_from_slice(&UPLOAD_WIDTH.to_le_bytes());
    header.extend_from_slice(&UPLOAD_HEIGHT.to_le_bytes());
    header.extend_from_slice(&1u16.to_le_bytes());
    header.extend_from_slice(&24u16.to_le_bytes());
    header.extend_from_slice(&0u32.to_le_bytes());
    header.extend_from_slice(&pixels.to_le_bytes());
    header.extend_from_slice(&2835u32.to_le_bytes());
    header.extend_from_slice(&2835u32.to_le_bytes());
    header.extend_from_slice(&[0; 8]);
    write_with(path, &header, u64::from(pixels), 0x9E37_79B9_7F4A_7C15)
}

/// The simulator's real clip at the front, noise after it up to 200 MB.
fn write_result(path: &Path) -> Result<(), Error> {
    let head = seedance_sim::SAMPLE_MP4;
    write_with(
        path,
        head,
        RESULT_BYTES - head.len() as u64,
        0xD1B5_4A32_D192_ED03,
    )
}

fn write_with(path: &Path, head: &[u8], noise_bytes: u64, seed: u64) -> Result<(), Error> {
    let tmp = path.with_extension("tmp");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    out.write_all(head)?;
    let mut noise = Noise(seed);
    let mut buf = vec![0u8; 1 << 20];
    let mut left = noise_bytes;
    while left > 0 {
        let n = left.min(buf.len() as u64) as usize;
        noise.fill(&mut buf[..n]);
        out.write_all(&buf[..n])?;
        left -= n as u64;
    }
    out.flush()?;
    drop(out);
    std::fs::rename(tmp, path)?;
    Ok(())
}
