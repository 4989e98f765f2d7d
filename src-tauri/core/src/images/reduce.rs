//! The preview of a big picture, made fast. `DynamicImage::thumbnail` averages the source pixels of
//! each output pixel's box with per-pixel float bookkeeping and a generic pixel accessor: about 130 ms
//! for a 24 MP photo, more than half of the decode it follows, and still 4–5 ms for the 750×500 picture
//! a batch check reads from a 24 MP JPEG. Here the picture is first shrunk by a whole factor k (each
//! output pixel the rounded mean of a k×k block, a tight integer loop), chosen so the shrunk copy is
//! still at least [`MIN_LEFT_OVER`]× the final size; then [`box_means`] gives exactly the pixels
//! `DynamicImage::thumbnail` would give for that copy (the same boxes, sums and rounding, in integer
//! loops). Both steps average areas, so the result matches the direct thumbnail to within rounding,
//! with no aliasing; the final size is exactly the one `DynamicImage::thumbnail` gives.

use image::imageops;
use image::{DynamicImage, ImageBuffer, Pixel};

/// The whole-factor step leaves at least this many source pixels per final pixel along each side, so
/// the final filtered step still has real work to do.
const MIN_LEFT_OVER: u32 = 2;
/// Largest whole factor used: keeps the per-column sums within `u16` (255 × 256 < 65 536).
const MAX_FACTOR: u32 = 256;
/// Most source pixels one box of [`box_means`] may average: the most [`RoundedDivide`] divides exactly.
const MAX_BOX: usize = 65_536;

/// The preview of `image`: long side at most `max_side`, aspect kept, same size and (within
/// rounding) the same pixels as `image.thumbnail(max_side, max_side)`.
pub fn thumbnail(image: &DynamicImage, max_side: u32) -> DynamicImage {
    let max_side = max_side.max(1);
    let (width, height) = (image.width(), image.height());
    let (to_w, to_h) = fit_within(width, height, max_side);
    let factor = whole_factor(width, height, to_w, to_h);
    match image {
        DynamicImage::ImageLuma8(b) => shrink::<_, 1>(b, factor, to_w, to_h).into(),
        DynamicImage::ImageLumaA8(b) => shrink::<_, 2>(b, factor, to_w, to_h).into(),
        DynamicImage::ImageRgb8(b) => shrink::<_, 3>(b, factor, to_w, to_h).into(),
        DynamicImage::ImageRgba8(b) => shrink::<_, 4>(b, factor, to_w, to_h).into(),
        // 16-bit and float pictures are rare as frames: the direct way is fine for them.
        _ => image.thumbnail(max_side, max_side),
    }
}

/// The size `DynamicImage::thumbnail(max_side, max_side)` gives (the `image` crate's
/// `resize_dimensions` without fill), sides within `u32` for any real picture.
pub(super) fn fit_within(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let side = f64::from(max_side);
    let ratio = f64::min(
        side / f64::from(width.max(1)),
        side / f64::from(height.max(1)),
    );
    let scaled = |n: u32| ((f64::from(n) * ratio).round() as u32).max(1);
    (scaled(width), scaled(height))
}

/// The whole factor to shrink `width`×`height` by first, so that it stays at least
/// [`MIN_LEFT_OVER`]× `to_w`×`to_h` on both sides (0 or 1: not worth it).
pub(super) fn whole_factor(width: u32, height: u32, to_w: u32, to_h: u32) -> u32 {
    let room = (width / to_w.max(1)).min(height / to_h.max(1));
    (room / MIN_LEFT_OVER).min(MAX_FACTOR)
}

fn shrink<P, const C: usize>(
    source: &ImageBuffer<P, Vec<u8>>,
    factor: u32,
    to_w: u32,
    to_h: u32,
) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    debug_assert_eq!(usize::from(P::CHANNEL_COUNT), C);
    let (width, height) = source.dimensions();
    let shrunk;
    let (small_w, small_h, small) = if factor >= 2 {
        let (small_w, small_h, pixels) = block_means::<C>(source.as_raw(), width, height, factor);
        shrunk = pixels;
        (small_w, small_h, shrunk.as_slice())
    } else {
        (width, height, source.as_raw().as_slice())
    };
    box_means::<C>(small, small_w, small_h, to_w, to_h)
        .and_then(|pixels| ImageBuffer::<P, Vec<u8>>::from_raw(to_w, to_h, pixels))
        // Not a reduction on both sides, or boxes too big for the integer sums: the direct way.
        .unwrap_or_else(|| imageops::thumbnail(source, to_w, to_h))
}

/// The boxes of `imageops::thumbnail` along one side of `from` pixels shrunk to `to`: output pixel
/// `i` averages the source pixels `[⌈i·r⌉, ⌈(i+1)·r⌉)`, `r = from / to` in `f32`, clamped as it
/// does. `None` when a box would hold no whole pixel (not a reduction): that function then blends
/// neighbours instead.
fn boxes(from: u32, to: u32) -> Option<Vec<(usize, usize)>> {
    if to == 0 || to > from {
        return None;
    }
    let ratio = from as f32 / to as f32;
    (0..to)
        .map(|i| {
            let low_f = i as f32 * ratio;
            let high_f = low_f + ratio;
            let low = (low_f.ceil() as u32).clamp(0, from - 1);
            let high = (high_f.ceil() as u32).clamp(low, from);
            (low < high).then_some((low as usize, high as usize))
        })
        .collect()
}

/// `C`-channel 8-bit pixels shrunk to `to_w`×`to_h` exactly as `imageops::thumbnail` shrinks them:
/// each output pixel the rounded mean (`(sum + n / 2) / n`) of its box of whole source pixels (see
/// [`boxes`]). Rows of per-box column sums are added up for each output row, so every source pixel
/// is read once. `None` when a side is not reduced or a box holds more pixels than [`RoundedDivide`]
/// divides exactly.
pub(super) fn box_means<const C: usize>(
    pixels: &[u8],
    width: u32,
    height: u32,
    to_w: u32,
    to_h: u32,
) -> Option<Vec<u8>> {
    let (columns, rows) = (boxes(width, to_w)?, boxes(height, to_h)?);
    let widest = columns.iter().map(|(low, high)| high - low).max()?;
    let tallest = rows.iter().map(|(low, high)| high - low).max()?;
    if widest * tallest > MAX_BOX || pixels.len() != width as usize * height as usize * C {
        return None;
    }
    let stride = width as usize * C;
    let out_stride = to_w as usize * C;
    let mut out = vec![0u8; out_stride * to_h as usize];
    let mut sums = vec![0u32; out_stride];
    for (&(top, bottom), out_row) in rows.iter().zip(out.chunks_exact_mut(out_stride)) {
        sums.fill(0);
        for row in pixels[top * stride..bottom * stride].chunks_exact(stride) {
            for (&(left, right), sum) in columns.iter().zip(sums.chunks_exact_mut(C)) {
                for pixel in row[left * C..right * C].chunks_exact(C) {
                    for (s, &value) in sum.iter_mut().zip(pixel) {
                        *s += u32::from(value);
                    }
                }
            }
        }
        // A box's count is its width times this row's height: one divisor per width.
        let divides: Vec<RoundedDivide> = (0..=widest)
            .map(|w| RoundedDivide::by((w * (bottom - top)) as u32))
            .collect();
        for ((&(left, right), sum), means) in columns
            .iter()
            .zip(sums.chunks_exact(C))
            .zip(out_row.chunks_exact_mut(C))
        {
            let divide = divides[right - left];
            for (mean, &s) in means.iter_mut().zip(sum) {
                *mean = divide.rounded(s);
            }
        }
    }
    Some(out)
}

/// Shrinks `C`-channel 8-bit pixels by `factor` (2..=[`MAX_FACTOR`]): each output pixel is the
/// rounded mean of its `factor`×`factor` block; blocks at the right and bottom edges may be smaller
/// and average only the pixels they have. Returns the new width, height and pixels.
pub(super) fn block_means<const C: usize>(
    pixels: &[u8],
    width: u32,
    height: u32,
    factor: u32,
) -> (u32, u32, Vec<u8>) {
    let k = factor.clamp(1, MAX_FACTOR) as usize;
    let (w, h) = (width as usize, height as usize);
    let (small_w, small_h) = (w.div_ceil(k), h.div_ceil(k));
    let stride = w * C;
    let mut out = vec![0u8; small_w * small_h * C];
    // Column sums of one band of k rows: at most 255 × 256, so u16, which the compiler vectorises.
    let mut columns = vec![0u16; stride];
    for (band, out_row) in pixels
        .chunks(stride * k)
        .zip(out.chunks_exact_mut(small_w * C))
    {
        columns.fill(0);
        let rows = band.chunks_exact(stride);
        let band_rows = rows.len() as u32;
        for row in rows {
            for (sum, &value) in columns.iter_mut().zip(row) {
                *sum += u16::from(value);
            }
        }
        // Every block of the band but the last has k columns: one divisor for all of them.
        let whole = RoundedDivide::by(k as u32 * band_rows);
        for (block_x, (block, means)) in columns
            .chunks(k * C)
            .zip(out_row.chunks_exact_mut(C))
            .enumerate()
        {
            let block_cols = k.min(w - block_x * k) as u32;
            let divide = if block_cols == k as u32 {
                whole
            } else {
                RoundedDivide::by(block_cols * band_rows)
            };
            let mut sums = [0u32; C];
            for pixel in block.chunks_exact(C) {
                for (sum, &value) in sums.iter_mut().zip(pixel) {
                    *sum += u32::from(value);
                }
            }
            for (mean, sum) in means.iter_mut().zip(sums) {
                *mean = divide.rounded(sum);
            }
        }
    }
    (small_w as u32, small_h as u32, out)
}

/// `(sum + count / 2) / count` for one `count` (1..=[`MAX_FACTOR`]²) and any `sum` of at most `count` bytes,
/// as a multiplication: a division per channel of every block took longer than adding up the block.
#[derive(Clone, Copy)]
struct RoundedDivide {
    count: u32,
    /// ⌊2⁴⁰ / count⌋ + 1: exact for every dividend below 2⁴⁰ / count, and a block's rounded sum stays
    /// below 255.5 × count, which is under that for every count up to 65 600.
    magic: u64,
}

impl RoundedDivide {
    fn by(count: u32) -> Self {
        let count = count.max(1);
        Self {
            count,
            magic: (1u64 << 40) / u64::from(count) + 1,
        }
    }

    fn rounded(self, sum: u32) -> u8 {
        let dividend = u64::from(sum) + u64::from(self.count / 2);
        ((dividend * self.magic) >> 40) as u8
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    /// A photo-like picture: smooth lighting, a few hard-edged shapes, fine stripes (what aliases when
    /// shrunk badly) and grain, from a fixed seed.
    fn photo_like(width: u32, height: u32) -> RgbImage {
        let mut seed: u32 = 0x9E37_79B9;
        let mut grain = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            (seed % 25) as f32 - 12.0
        };
        let (wf, hf) = (width as f32, height as f32);
        RgbImage::from_fn(width, height, |x, y| {
            let (u, v) = (x as f32 / wf, y as f32 / hf);
            let mut rgb = [
                60.0 + 120.0 * u + 30.0 * (v * 7.0).sin(),
                90.0 + 80.0 * v,
                140.0 - 60.0 * u * v,
            ];
            let (dx, dy) = (u - 0.35, v - 0.5);
            if dx * dx + dy * dy < 0.04 {
                rgb = [220.0, 200.0, 40.0];
            }
            if u > 0.6 && u < 0.9 && v > 0.2 && v < 0.4 {
                // Stripes 3 px apart: far finer than a thumbnail pixel.
                rgb[2] = if (x / 3) % 2 == 0 { 250.0 } else { 10.0 };
            }
            let g = grain();
            Rgb(rgb.map(|c| (c + g).clamp(0.0, 255.0) as u8))
        })
    }

    fn mean_abs_diff(a: &[u8], b: &[u8]) -> f64 {
        assert_eq!(a.len(), b.len());
        let total: u64 = a
            .iter()
            .zip(b)
            .map(|(&x, &y)| u64::from(x.abs_diff(y)))
            .sum();
        total as f64 / a.len() as f64
    }

    #[test]
    fn large_photo_thumbnail_matches_the_direct_area_average() {
        // 3000×2000 to 512 (whole factor 2), to 200 (7) and to 64 (23), and an odd-sized, tall picture.
        for (width, height, max_side) in [
            (3000, 2000, 512),
            (3000, 2000, 200),
            (3000, 2000, 64),
            (1537, 2711, 300),
        ] {
            let source = DynamicImage::ImageRgb8(photo_like(width, height));
            let (to_w, to_h) = fit_within(width, height, max_side);
            assert!(
                whole_factor(width, height, to_w, to_h) >= 2,
                "{width}×{height} to {max_side} must take the fast path"
            );
            let direct = source.thumbnail(max_side, max_side);
            let fast = thumbnail(&source, max_side);
            assert_eq!(
                (fast.width(), fast.height()),
                (direct.width(), direct.height()),
                "{width}×{height} to {max_side}"
            );
            assert!(matches!(fast, DynamicImage::ImageRgb8(_)));
            let diff = mean_abs_diff(fast.as_bytes(), direct.as_bytes());
            assert!(
                diff < 2.0,
                "{width}×{height} to {max_side}: mean abs diff {diff:.3}/255"
            );
        }
    }

    /// Without a whole factor first (a picture under twice the preview's size, such as the 750×500 a
    /// 24 MP JPEG is read at for a batch check), the preview is pixel for pixel the direct one, for
    /// every channel count, odd sizes and boxes of one to several pixels.
    #[test]
    fn box_means_are_exactly_the_direct_thumbnail() {
        for (width, height, max_side) in [
            (750, 500, 512),
            (1023, 517, 512),
            (513, 512, 512),
            (600, 1000, 384),
            (97, 61, 40),
            (300, 70, 200),
        ] {
            let rgb = photo_like(width, height);
            let gray = DynamicImage::ImageRgb8(rgb.clone()).to_luma8();
            let rgba = DynamicImage::ImageRgb8(rgb.clone()).to_rgba8();
            let (to_w, to_h) = fit_within(width, height, max_side);
            assert!(whole_factor(width, height, to_w, to_h) < 2);
            for source in [
                DynamicImage::ImageRgb8(rgb),
                DynamicImage::ImageLuma8(gray),
                DynamicImage::ImageRgba8(rgba),
            ] {
                let direct = source.thumbnail(max_side, max_side);
                let ours = thumbnail(&source, max_side);
                assert_eq!(ours.color(), direct.color());
                assert_eq!(
                    (ours.width(), ours.height()),
                    (direct.width(), direct.height())
                );
                assert!(
                    ours.as_bytes() == direct.as_bytes(),
                    "{width}×{height} {:?} to {max_side}",
                    source.color()
                );
            }
        }
        // Not a reduction on a side: no boxes (the direct way blends neighbours there).
        assert_eq!(boxes(100, 101), None);
        assert!(box_means::<1>(&[0; 50], 10, 5, 20, 2).is_none());
        // Boxes that tile the side, in order.
        let tiles = boxes(750, 512).unwrap();
        assert_eq!(tiles.first().map(|b| b.0), Some(0));
        assert_eq!(tiles.last().map(|b| b.1), Some(750));
        assert!(tiles.windows(2).all(|pair| pair[0].1 == pair[1].0));
    }

    #[test]
    fn sizes_and_aspect_are_those_of_the_direct_thumbnail() {
        for (width, height) in [
            (6000, 4000),
            (4000, 6000),
            (6000, 2400),
            (2401, 6000),
            (5999, 3371),
            (1025, 1025),
            (30_000, 300),
            (513, 512),
            (512, 512),
            (100, 300),
        ] {
            for max_side in [1, 64, 384, 512] {
                // `resize` sizes its output as `thumbnail` does, and nearest-neighbour is quick.
                let direct = DynamicImage::new_luma8(width, height).resize(
                    max_side,
                    max_side,
                    image::imageops::FilterType::Nearest,
                );
                assert_eq!(
                    fit_within(width, height, max_side),
                    (direct.width(), direct.height()),
                    "{width}×{height} to {max_side}"
                );
            }
        }
        let tall = thumbnail(&DynamicImage::new_rgb8(2000, 5000), 512);
        assert_eq!((tall.width(), tall.height()), (205, 512));
    }

    #[test]
    fn a_24_mp_photo_is_shrunk_by_a_whole_factor_first() {
        let (to_w, to_h) = fit_within(6000, 4000, 512);
        assert_eq!((to_w, to_h), (512, 341));
        let factor = whole_factor(6000, 4000, to_w, to_h);
        assert_eq!(factor, 5);
        assert!(6000 / factor >= 2 * to_w && 4000 / factor >= 2 * to_h);
    }

    #[test]
    fn the_rounded_division_is_exact_for_every_block_size_and_sum() {
        let counts = (1..=1024).chain([
            2500,
            4095,
            65_535,
            MAX_FACTOR * MAX_FACTOR,
            MAX_FACTOR * (MAX_FACTOR - 1),
        ]);
        for count in counts {
            let divide = RoundedDivide::by(count);
            let most = 255 * count;
            // Every sum for small blocks; for big ones the ends, and a stride through the middle.
            let step = (most / 20_000).max(1);
            let sums = (0..=most)
                .step_by(step as usize)
                .chain(most.saturating_sub(300)..=most);
            for sum in sums {
                let exact = (sum + count / 2) / count;
                assert_eq!(u32::from(divide.rounded(sum)), exact, "{sum} / {count}");
            }
        }
    }

    #[test]
    fn edge_blocks_average_only_their_own_pixels() {
        // 5×3 pixels by 2: blocks of 2×2, 1×2 (right), 2×1 (bottom) and 1×1 (corner).
        let gray: Vec<u8> = vec![
            10, 20, 30, 40, 200, //
            30, 40, 50, 60, 100, //
            7, 9, 100, 0, 255,
        ];
        let (w, h, out) = block_means::<1>(&gray, 5, 3, 2);
        assert_eq!((w, h), (3, 2));
        assert_eq!(out, vec![25, 45, 150, 8, 50, 255]);
    }

    #[test]
    fn transparency_survives_and_uniform_colour_stays_exact() {
        let source =
            DynamicImage::ImageRgba8(RgbaImage::from_pixel(2001, 1333, Rgba([12, 200, 99, 128])));
        let small = thumbnail(&source, 100);
        let DynamicImage::ImageRgba8(small) = small else {
            panic!("the fast path keeps RGBA");
        };
        assert_eq!(small.dimensions(), (100, 67));
        assert!(small.pixels().all(|p| *p == Rgba([12, 200, 99, 128])));
    }
}
