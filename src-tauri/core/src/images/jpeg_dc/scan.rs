//! Decodes every block of a baseline scan into a 1/8-scale image: the scaled decoding libjpeg
//! (and Pillow's `draft`) does, after checking every Huffman code of the file.
//!
//! Full-resolution blocks (luma) give one sample each, their DC value. A subsampled block (chroma
//! in 4:2:0 / 4:2:2) covers 2×2 or 2×1 samples of the preview, which its lowest frequencies give
//! (quadrant means of the block's inverse DCT), so colour edges stay where they are. A block
//! subsampled four times (4:1:1) is spread flat over its 4 samples.

use super::huffman::{AlignedAt, BitReader, HuffmanTable, RUN_ENDS_BLOCK};
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
    // Counted down rather than found by division: two divisions per unit cost more than its blocks'
    // bookkeeping together.
    let mut before_restart = interval;
    let mut restarts = 0;
    let origins = (0..units_y).flat_map(|uy| (0..units_x).map(move |ux| (uy, ux)));
    for (uy, ux) in origins {
        if before_restart == 0 {
            expect_restart(bytes, &mut reader, restarts)?;
            restarts += 1;
            before_restart = interval;
            predictors.iter_mut().for_each(|p| *p = 0);
        }
        before_restart -= 1;
        let origin = uy * unit_h * plane_w + ux * unit_w;
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
/// difference.
#[inline(always)]
fn skip_block(
    reader: &mut BitReader<'_>,
    dc: &HuffmanTable,
    ac: &HuffmanTable,
) -> Result<i32, Unhandled> {
    reader.refill();
    let diff = dc_difference(reader, dc)?;
    skip_coefficients(reader, ac, 1)?;
    Ok(diff)
}

/// Reads a block's AC codes from zigzag index `k` to the block's end, checking every one and
/// keeping none: whole runs of short symbols at a time (the AC table's `run` entries), one symbol
/// the slow way where a run does not apply (a long code, or the end of the block is near).
#[inline(always)]
fn skip_coefficients(
    reader: &mut BitReader<'_>,
    ac: &HuffmanTable,
    mut k: usize,
) -> Result<(), Unhandled> {
    while k < 64 {
        // The longest symbol with its value (16 + 10 bits), more than a run looks at.
        reader.ensure(26);
        let (bits, moved) = reader.peek_run(ac);
        let ends_block = moved & RUN_ENDS_BLOCK != 0;
        let end = k + usize::from(moved & !RUN_ENDS_BLOCK);
        // A run may fill the block to its 64th coefficient, but an end of block after that would
        // already be the next block's code.
        if bits > 0 && (end < 64 || (end == 64 && !ends_block)) {
            reader.skip(u32::from(bits));
            if ends_block {
                return Ok(());
            }
            k = end;
            continue;
        }
        let (run, size) = ac_symbol(reader, ac)?;
        reader.skip(size);
        match (run, size) {
            (15, 0) => k += 16,
            (_, 0) => return Ok(()), // end of block
            _ => k += run + 1,
        }
    }
    if k > 64 {
        return Err(Unhandled::BadBlock);
    }
    Ok(())
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
    while k < LOW_COEFFICIENTS {
        reader.refill();
        let (run, size) = ac_symbol(reader, ac)?;
        if size == 0 {
            if run != 15 {
                return Ok(diff); // end of block
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
    skip_coefficients(reader, ac, k)?;
    Ok(diff)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::*;

    /// One symbol at a time, as the block's AC codes were read before runs: the reference the run
    /// tables must match, bit for bit and verdict for verdict.
    fn skip_one_by_one(
        reader: &mut BitReader<'_>,
        ac: &HuffmanTable,
        mut k: usize,
    ) -> Result<(), Unhandled> {
        while k < 64 {
            reader.refill();
            let (run, size) = ac_symbol(reader, ac)?;
            reader.skip(size);
            match (run, size) {
                (15, 0) => k += 16,
                (_, 0) => break,
                _ => k += run + 1,
            }
        }
        if k > 64 {
            return Err(Unhandled::BadBlock);
        }
        Ok(())
    }

    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    /// An AC table with the code lengths of the usual luminance table (JPEG Annex K) over every
    /// baseline symbol in a shuffled order, a few symbols no baseline file has among them; with each
    /// symbol's code as (symbol, code, length), shortest first.
    fn shuffled_ac_table(seed: u64) -> (HuffmanTable, Vec<(u8, u32, u32)>) {
        const COUNTS: [u8; 16] = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 125];
        let mut symbols: Vec<u8> = vec![0x00, 0xF0];
        for run in 0..16u8 {
            for size in 1..=10u8 {
                symbols.push(run << 4 | size);
            }
        }
        // Value sizes above 10 and runs without a value (other than 15) are damage.
        symbols[20] = 0x0B;
        symbols[40] = 0x30;
        let mut state = seed;
        for i in (1..symbols.len()).rev() {
            let j = (xorshift(&mut state) % (i as u64 + 1)) as usize;
            symbols.swap(i, j);
        }
        let mut codes = Vec::new();
        let (mut code, mut at) = (0u32, 0usize);
        for (len, &count) in (1..=16u32).zip(&COUNTS) {
            for _ in 0..count {
                codes.push((symbols[at], code, len));
                code += 1;
                at += 1;
            }
            code <<= 1;
        }
        let table = HuffmanTable::new(&COUNTS, &symbols, false).expect("a valid table");
        (table, codes)
    }

    /// Bits written most significant first, then as entropy-coded bytes (0xFF stuffed, padded with
    /// 1s, ended by an EOI marker).
    #[derive(Default)]
    struct Bits {
        bits: Vec<bool>,
    }

    impl Bits {
        fn put(&mut self, value: u32, len: u32) {
            self.bits
                .extend((0..len).rev().map(|i| value >> i & 1 == 1));
        }

        fn bytes(mut self) -> Vec<u8> {
            while !self.bits.len().is_multiple_of(8) {
                self.bits.push(true);
            }
            let mut out = Vec::new();
            for byte in self.bits.chunks(8) {
                let byte = byte.iter().fold(0u8, |b, &bit| b << 1 | u8::from(bit));
                out.push(byte);
                if byte == 0xFF {
                    out.push(0);
                }
            }
            out.extend([0xFF, 0xD9]);
            out
        }
    }

    /// Blocks of AC codes as an encoder writes them (short codes most often, an end of block or the
    /// 64th coefficient ending each); with `damage`, now and then a symbol no file may have, a run
    /// past the 64th coefficient, or a few random bits.
    fn coded_blocks(
        codes: &[(u8, u32, u32)],
        firsts: &[usize],
        damage: bool,
        state: &mut u64,
    ) -> Vec<u8> {
        let mut bits = Bits::default();
        for &first in firsts {
            let mut k = first;
            while k < 64 {
                let roll = if damage { xorshift(state) % 1000 } else { 1000 };
                if roll < 2 {
                    bits.put(xorshift(state) as u32 & 0xFFFF, 16);
                    continue;
                }
                // Shortest codes most often: the smaller of two picks.
                let pick = (xorshift(state) as usize % codes.len())
                    .min(xorshift(state) as usize % codes.len());
                let (symbol, code, len) = codes[pick];
                let (run, size) = (usize::from(symbol >> 4), u32::from(symbol & 0x0F));
                let moves = match (run, size) {
                    (15, 0) => 16,
                    (_, 0) => 0,
                    _ => run + 1,
                };
                let invalid = size > 10 || (size == 0 && run != 0 && run != 15);
                if (invalid || k + moves > 64) && roll > 5 {
                    continue; // an encoder would not; with damage, sometimes written anyway
                }
                bits.put(code, len);
                bits.put(xorshift(state) as u32 & ((1 << size) - 1), size);
                if moves == 0 {
                    break;
                }
                k += moves;
            }
        }
        bits.bytes()
    }

    #[test]
    fn runs_of_symbols_read_as_one_symbol_at_a_time() {
        // Blocks also start late (the slow path then meets the 64th coefficient).
        const FIRSTS: [usize; 8] = [1, 1, 2, 10, 33, 50, 60, 63];
        let mut state = 0x9E37_79B9_7F4A_7C15;
        let (mut blocks, mut refused) = (0, 0);
        for seed in 1..=16u64 {
            let (ac, codes) = shuffled_ac_table(seed);
            for stream in 0..60 {
                let firsts: Vec<usize> = (0..200).map(|i| FIRSTS[i % 8]).collect();
                let data = if stream % 10 == 0 {
                    // Random bytes: mostly damage, early.
                    let mut bytes: Vec<u8> = (0..300)
                        .map(|_| (xorshift(&mut state) as u8).min(0xFE))
                        .collect();
                    bytes.extend([0xFF, 0xD9]);
                    bytes
                } else {
                    coded_blocks(&codes, &firsts, stream % 3 == 1, &mut state)
                };
                let mut fast = BitReader::new(&data, 0);
                let mut slow = BitReader::new(&data, 0);
                for &first in &firsts {
                    let (a, b) = (
                        skip_coefficients(&mut fast, &ac, first),
                        skip_one_by_one(&mut slow, &ac, first),
                    );
                    assert_eq!(a, b, "seed {seed}, block {blocks}");
                    fast.refill();
                    slow.refill();
                    assert_eq!(fast.overran(), slow.overran(), "seed {seed}");
                    if a.is_err() || fast.overran() {
                        refused += 1;
                        break;
                    }
                    // Same place in the data: the next 16 bits agree.
                    let (mut f, mut s) = (fast.clone(), slow.clone());
                    assert_eq!(f.signed(16), s.signed(16), "seed {seed}, block {blocks}");
                    blocks += 1;
                }
            }
        }
        assert!(blocks > 50_000, "only {blocks} blocks were compared");
        assert!(refused > 100, "only {refused} streams were refused");
    }

    #[test]
    fn dc_values_stay_within_what_8_bit_jpeg_can_hold() {
        assert_eq!(dc_value(2000, 47), Ok(2047));
        assert_eq!(dc_value(-2000, -47), Ok(-2047));
        assert_eq!(dc_value(2047, 1), Err(Unhandled::BadBlock));
        assert_eq!(dc_value(-2047, -2047), Err(Unhandled::BadBlock));
    }
}
