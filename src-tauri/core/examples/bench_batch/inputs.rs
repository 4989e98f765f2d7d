//! The batch bench's inputs, made once under `target/bench-inputs/batch/` and reused (never committed):
//! 100 photo-like 6000×4000 JPEGs (quality 90), each with its own pattern, colours and grain so no two
//! share bytes, and for the 500-item case 500 hard links to them (five names per photo).

use std::path::{Path, PathBuf};

use image::RgbImage;

use crate::procs::Error;

pub const PHOTOS: usize = 100;
pub const ITEMS: usize = 500;
const WIDTH: u32 = 6000;
const HEIGHT: u32 = 4000;

pub fn dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("bench-inputs").join("batch")
}

/// The photos, made where missing (on every core: about a second each in a release build).
pub fn photos() -> Result<Vec<PathBuf>, Error> {
    let dir = dir();
    std::fs::create_dir_all(&dir)?;
    let paths: Vec<PathBuf> = (0..PHOTOS)
        .map(|i| dir.join(format!("photo-{i:03}.jpg")))
        .collect();
    let missing: Vec<(usize, &PathBuf)> = paths
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.exists())
        .collect();
    if !missing.is_empty() {
        println!(
            "making {} photos of 24 MP under {}",
            missing.len(),
            dir.display()
        );
        let workers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| -> Result<(), String> {
                        loop {
                            let at = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            let Some(&(index, path)) = missing.get(at) else {
                                return Ok(());
                            };
                            write_photo(path, index).map_err(|e| e.to_string())?;
                        }
                    })
                })
                .collect();
            for handle in handles {
                handle.join().map_err(|_| "a photo maker panicked")??;
            }
            Ok::<(), Error>(())
        })?;
    }
    Ok(paths)
}

/// [`ITEMS`] names for the photos, each a hard link (five per photo): every item has a path of its own, so
/// each is checked, while the disk holds the 100 photos once.
pub fn item_links(photos: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let dir = dir().join("items");
    std::fs::create_dir_all(&dir)?;
    let mut links = Vec::with_capacity(ITEMS);
    for i in 0..ITEMS {
        let photo = &photos[i % photos.len()];
        let link = dir.join(format!("item-{i:03}.jpg"));
        let same = std::fs::metadata(&link)
            .ok()
            .zip(std::fs::metadata(photo).ok())
            .is_some_and(|(a, b)| {
                use std::os::unix::fs::MetadataExt;
                (a.dev(), a.ino()) == (b.dev(), b.ino())
            });
        if !same {
            let _ = std::fs::remove_file(&link);
            std::fs::hard_link(photo, &link)?;
        }
        links.push(link);
    }
    Ok(links)
}

/// Smooth shapes plus grain, like a photo; `index` picks the pattern, colours and grain seed.
fn write_photo(path: &Path, index: usize) -> Result<(), Error> {
    let k = index as f64;
    let (fx, fy) = (3.0 + (k * 0.37) % 9.0, 2.0 + (k * 0.53) % 7.0);
    let (phase, tint) = (k * 0.7, (index * 37 % 200) as f64);
    let cols: Vec<(f64, f64)> = (0..WIDTH)
        .map(|x| {
            let u = f64::from(x) / f64::from(WIDTH);
            ((u * fx + phase).sin(), ((u + phase) * 5.0).cos())
        })
        .collect();
    let rows: Vec<(f64, f64)> = (0..HEIGHT)
        .map(|y| {
            let v = f64::from(y) / f64::from(HEIGHT);
            ((v * fy).cos(), v)
        })
        .collect();
    let mut state: u32 = 0x2545_F491 ^ (index as u32).wrapping_mul(0x9E37_79B9);
    let image = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = f64::from(state % 13) - 6.0;
        let (cx, cx2) = cols[x as usize];
        let (ry, v) = rows[y as usize];
        let px = |value: f64| (value + n).clamp(0.0, 255.0) as u8;
        image::Rgb([
            px(128.0 + 100.0 * cx * ry),
            px(255.0 * v * 0.8 + tint * 0.2),
            px(128.0 + 90.0 * cx2 * (1.0 - v) + tint * 0.1),
        ])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90).encode_image(&image)?;
    // Written whole, then renamed: a bench stopped mid-way leaves no half photo to be reused.
    let part = path.with_extension("part");
    std::fs::write(&part, bytes)?;
    std::fs::rename(&part, path)?;
    Ok(())
}
