//! Decodes every block of a baseline scan into a 1/8-scale image: the scaled decoding libjpeg
//! (and Pillow's `draft`) does, after checking every Huffman code of the file.
//!
//! Full-resolution blocks (luma) give one sample each, their DC value. A subsampled block (chroma
//! in 4:2:0 / 4:2:2) covers 2×2 or 2×1 samples of the preview, which its lowest frequencies give
//! (quadrant means of the block's inverse DCT), so colour edges stay where they are. A block
//! subsampled four times (4:1:1) is spread flat over its 4 samples.

use super::huffman::{AlignedAt, BitReader, HuffmanTable};
use super::markers::{Frame, LOW_COEFFICIENTS};

/// One component at one sample per 8×8 block of the image at full resolution.
pub(super) struct Plane {
    pub width: usize,
    pub samples: Vec<u8>,
}

/// Why the fast path gave up; the caller then runs the general decoder, which has the final say
/// (and the user-facing wording) on damaged files.
#[derive(Debug, PartialEq)]
pub(super) enum Unhandled {
    BadCode,
    /// More than 64 coefficients in a block, or a DC size above 11 bits.
    BadBlock,
    /// The data ran out (end of file or a marker) before the last block.
    Overran,
    BadRestart,
    /// Data or another scan after the last block.
    Trailing,
}

struct BlockSlot<'t> {
    plane: usize,
    /// Offset of this block's first sample, relative to the MCU's origin in the plane.
    offset: usize,
    /// Preview samples this block covers, across and down (1, 2 or 4).
    spread_x: usize,
    spread_y: usize,
    dc: &'t HuffmanTable,
    ac: &'t HuffmanTable,
    quant: [i32; LOW_COEFFICIENTS],
}

pub(super) fn decode(bytes: &[u8], frame: &Frame<'_>) -> Result<Vec<Plane>, Unhandled> {
    let (h_max, v_max) = frame
        .components
        .iter()
        .fold((1, 1), |(h, v), c| (h.max(c.h), v.max(c.v)));
    let single = frame.components.len() == 1;
    // A scan of one component has no MCU padding: its units are the blocks the image covers.
    let (units_x, units_y, unit_w, unit_h) = if single {
        (frame.width.div_ceil(8), frame.height.div_ceil(8), 1, 1)
    } else {
        (
            frame.width.div_ceil(8 * h_max),
            frame.height.div_ceil(8 * v_max),
            h_max,
            v_max,
        )
    };
    let plane_w = units_x * unit_w;
    let plane_len = plane_w * units_y * unit_h;
    let mut planes: Vec<Plane> = (0..frame.components.len())
        .map(|_| Plane {
            width: plane_w,
            samples: vec![0; plane_len],
        })
        .collect();
    let mut slots = Vec::new();
    for scan in &frame.scan {
        let component = frame.components[scan.index];
        let (Some(dc), Some(ac), Some(quant)) = (
            &frame.dc_tables[scan.dc_table],
            &frame.ac_tables[scan.ac_table],
            frame.quant[component.quant_table],
        ) else {
            return Err(Unhandled::BadCode);
        };
        let (blocks_x, blocks_y) = if single {
            (1, 1)
        } else {
            (component.h, component.v)
        };
        let (spread_x, spread_y) = (unit_w / blocks_x, unit_h / blocks_y);
        for by in 0..blocks_y {
            for bx in 0..blocks_x {
                slots.push(BlockSlot {
                    plane: scan.index,
                    offset: by * spread_y * plane_w + bx * spread_x,
                    spread_x,
                    spread_y,
                    dc,
                    ac,
                    quant: quant.map(i32::from),
                });
            }
        }
    }
    let units = units_x * units_y;
    let interval = if frame.restart_interval == 0 {
        units
    } else {
        frame.restart_interval
    };
    let mut reader = BitReader::new(bytes, frame.scan_start);
    let mut predictors = vec![0i32; frame.components.len()];
    let mut low = [0i32; LOW_COEFFICIENTS];
    for unit in 0..units {
        if unit > 0 && unit % interval == 0 {
            expect_restart(bytes, &mut reader, unit / interval - 1)?;
            predictors.iter_mut().for_each(|p| *p = 0);
        }
        let origin = (unit / units_x) * unit_h * plane_w + (unit % units_x) * unit_w;
        for slot in &slots {
            let samples = &mut planes[slot.plane].samples;
            let at = origin + slot.offset;
            let predictor = &mut predictors[slot.plane];
            if slot.spread_x == 1 && slot.spread_y == 1 {
                *predictor = dc_value(*predictor, skip_block(&mut reader, slot.dc, slot.ac)?)?;
                samples[at] = to_sample((*predictor * slot.quant[0] + 4) >> 3);
            } else {
                *predictor = dc_value(
                    *predictor,
                    low_block(&mut reader, slot.dc, slot.ac, &mut low)?,
                )?;
                low[0] = *predictor;
                spread_block(&low, slot, samples, at, plane_w);
            }
        }
        if reader.overran() {
            return Err(Unhandled::Overran);
        }
    }
    match reader.align_at_marker() {
        AlignedAt::Marker(at) if bytes.get(at + 1) == Some(&0xD9) => Ok(planes),
        AlignedAt::End => Err(Unhandled::Overran),
        _ => Err(Unhandled::Trailing),
    }
}

/// A quantised DC value of 8-bit JPEG lies within ±2047 (and so far below any overflow once
/// multiplied by a 16-bit quantiser); a stream that walks outside is damaged.
fn dc_value(predictor: i32, diff: i32) -> Result<i32, Unhandled> {
    let value = predictor + diff; // both within ±2047 + 2047, no overflow
    if value.abs() > 2047 {
        return Err(Unhandled::BadBlock);
    }
    Ok(value)
}

fn to_sample(value: i32) -> u8 {
    (value + 128).clamp(0, 255) as u8
}

/// Writes the preview samples a subsampled block covers: the means of its halves or quadrants,
/// from the 8-point DCT basis averaged over each half (only odd frequencies differ between halves;
/// 1 and 3 carry nearly all of it).
fn spread_block(
    low: &[i32; LOW_COEFFICIENTS],
    slot: &BlockSlot<'_>,
    samples: &mut [u8],
    at: usize,
    plane_w: usize,
) {
    // Half-means of the basis: a0 = C(0)/2, w1 and w3 = (1/2)·mean of cos((2x+1)uπ/16) over x < 4.
    const A0_W1: f32 = 0.353_553 * 0.320_364;
    const A0_W3: f32 = 0.353_553 * -0.112_498;
    const W1_W1: f32 = 0.320_364 * 0.320_364;
    let coef = |k: usize| (low[k] * slot.quant[k]) as f32;
    // Zigzag positions: 1 = u1 v0, 2 = u0 v1, 4 = u1 v1, 6 = u3 v0, 9 = u0 v3.
    let mean = coef(0) / 8.0;
    let across = A0_W1 * coef(1) + A0_W3 * coef(6);
    let down = A0_W1 * coef(2) + A0_W3 * coef(9);
    let both = W1_W1 * coef(4);
    let halves = |spread: usize| if spread == 2 { 1.0 } else { 0.0 };
    let (hx, hy) = (halves(slot.spread_x), halves(slot.spread_y));
    for sy in 0..slot.spread_y {
        let ty = if sy * 2 < slot.spread_y { hy } else { -hy };
        for sx in 0..slot.spread_x {
            let tx = if sx * 2 < slot.spread_x { hx } else { -hx };
            let value = mean + tx * across + ty * down + tx * ty * both;
            samples[at + sy * plane_w + sx] = to_sample(value.round() as i32);
        }
    }
}

fn expect_restart(bytes: &[u8], reader: &mut BitReader<'_>, index: usize) -> Result<(), Unhandled> {
    match reader.align_at_marker() {
        AlignedAt::Marker(at) if bytes.get(at + 1) == Some(&(0xD0 + (index % 8) as u8)) => {
            reader.restart_after(at);
            Ok(())
        }
        _ => Err(Unhandled::BadRestart),
    }
}

/// Reads a block's DC difference. Needs 27 bits buffered.
#[inline(always)]
fn dc_difference(reader: &mut BitReader<'_>, dc: &HuffmanTable) -> Result<i32, Unhandled> {
    let size = u32::from(reader.symbol(dc).ok_or(Unhandled::BadCode)?);
    match size {
        0 => Ok(0),
        1..=11 => Ok(reader.signed(size)),
        _ => Err(Unhandled::BadBlock),
    }
}

/// Decodes one block whose AC values are not needed, checking every code, and returns its DC
/// difference. One refill (57 bits) covers two symbols with their values (26 bits each at most),
/// or the DC with its value and one AC symbol.
#[inline(always)]
fn skip_block(
    reader: &mut BitReader<'_>,
    dc: &HuffmanTable,
    ac: &HuffmanTable,
) -> Result<i32, Unhandled> {
    reader.refill();
    let diff = dc_difference(reader, dc)?;
    let mut k = 1;
    let mut before_refill = 1;
    loop {
        if before_refill == 0 {
            reader.refill();
            before_refill = 2;
        }
        before_refill -= 1;
        let advance = match reader.skip_coefficient(ac) {
            Some(advance) => usize::from(advance),
            None => {
                let (run, size) = ac_symbol(reader, ac)?;
                reader.skip(size);
                match (run, size) {
                    (15, 0) => 16,
                    (_, 0) => 0,
                    _ => run + 1,
                }
            }
        };
        if advance == 0 {
            break; // end of block
        }
        k += advance;
        if k >= 64 {
            break;
        }
    }
    if k > 64 {
        return Err(Unhandled::BadBlock);
    }
    Ok(diff)
}

/// An AC symbol as (run, value size).
#[inline(always)]
fn ac_symbol(reader: &mut BitReader<'_>, ac: &HuffmanTable) -> Result<(usize, u32), Unhandled> {
    let rs = reader.symbol(ac).ok_or(Unhandled::BadCode)?;
    let (run, size) = (usize::from(rs >> 4), u32::from(rs & 0x0F));
    if size > 10 {
        return Err(Unhandled::BadBlock);
    }
    Ok((run, size))
}

/// Decodes one block keeping its lowest AC coefficients in `low` (at their zigzag index; the DC
/// slot is left to the caller), and returns its DC difference.
fn low_block(
    reader: &mut BitReader<'_>,
    dc: &HuffmanTable,
    ac: &HuffmanTable,
    low: &mut [i32; LOW_COEFFICIENTS],
) -> Result<i32, Unhandled> {
    reader.refill();
    let diff = dc_difference(reader, dc)?;
    low[1..].fill(0);
    let mut k = 1;
    while k < 64 {
        reader.refill();
        let (run, size) = ac_symbol(reader, ac)?;
        if size == 0 {
            if run != 15 {
                break; // end of block
            }
            k += 16;
            continue;
        }
        k += run;
        if k < LOW_COEFFICIENTS {
            low[k] = reader.signed(size);
        } else {
            reader.skip(size);
        }
        k += 1;
    }
    if k > 64 {
        return Err(Unhandled::BadBlock);
    }
    Ok(diff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dc_values_stay_within_what_8_bit_jpeg_can_hold() {
        assert_eq!(dc_value(2000, 47), Ok(2047));
        assert_eq!(dc_value(-2000, -47), Ok(-2047));
        assert_eq!(dc_value(2047, 1), Err(Unhandled::BadBlock));
        assert_eq!(dc_value(-2047, -2047), Err(Unhandled::BadBlock));
    }
}
