//! Huffman tables and the bit reader of the entropy-coded data.
//!
//! The reader never reads past a marker or the end of the data: it feeds zero bits instead and
//! counts them, so a scan that needs more bits than the file holds is noticed (`overran`) rather
//! than decoded from invented zeros, which is what lenient decoders do with a damaged file.

/// Codes up to this length are decoded with one table lookup.
const FAST_BITS: u32 = 10;
/// The `run` table of an AC table looks at this many bits: every whole symbol (code and value
/// bits) they hold is skipped with one lookup.
const RUN_BITS: u32 = 14;
/// In a `run` entry's second byte: the last symbol the bits hold is the end of block.
pub(super) const RUN_ENDS_BLOCK: u8 = 0x80;

#[derive(Debug)]
pub(super) struct HuffmanTable {
    /// Indexed by the next `FAST_BITS` bits: (code length, symbol); length 0 means a longer code.
    fast: Box<[(u8, u8); 1 << FAST_BITS]>,
    /// For AC tables read without their values, indexed by the next `RUN_BITS` bits: the symbols
    /// those bits hold whole, read one after another with `skip`, as (their bits, how far they move
    /// the coefficient index together, `| RUN_ENDS_BLOCK` when the last is the end of block). It
    /// stops after an end of block, before a symbol `skip` leaves to the slow path, and before the
    /// index would move past a block's 64 coefficients. Bits 0: not even one symbol fits.
    run: Box<[(u8, u8); 1 << RUN_BITS]>,
    /// For each length 1..=16 (index = length): the largest code of that length, or -1.
    max_code: [i32; 18],
    /// For each length: `values` index of a code = code + offset.
    offset: [i32; 17],
    values: Vec<u8>,
}

impl HuffmanTable {
    /// Builds the canonical code (JPEG Annex C). `None` for a table no valid encoder writes, by the
    /// same rules as the full decoder (zune-jpeg), so the preview never reads a file it would refuse: no
    /// code may be all ones (Annex C), and a DC symbol is a bit count of at most 15.
    pub fn new(counts: &[u8; 16], values: &[u8], is_dc: bool) -> Option<Self> {
        if is_dc && values.iter().any(|&v| v > 15) {
            return None;
        }
        let mut fast = Box::new([(0u8, 0u8); 1 << FAST_BITS]);
        // For AC symbols read without their values: (bits of code and value together, how far the
        // coefficient index moves: run + 1, 16 for a run of zeros, 0 for end of block). Bits 0
        // means the slow path (a longer code, or a symbol no baseline file has).
        let mut skip = Box::new([(0u8, 0u8); 1 << FAST_BITS]);
        let mut max_code = [-1i32; 18];
        let mut offset = [0i32; 17];
        let mut code: u32 = 0;
        let mut index: usize = 0;
        for len in 1..=16u32 {
            let count = usize::from(counts[len as usize - 1]);
            offset[len as usize] = index as i32 - code as i32;
            for _ in 0..count {
                if code >= 1 << len {
                    return None;
                }
                let symbol = *values.get(index)?;
                if len <= FAST_BITS {
                    let shift = FAST_BITS - len;
                    let first = (code << shift) as usize;
                    for slot in &mut fast[first..first + (1 << shift)] {
                        *slot = (len as u8, symbol);
                    }
                    if let Some(entry) = skip_entry(len, symbol) {
                        skip[first..first + (1 << shift)].fill(entry);
                    }
                }
                code += 1;
                index += 1;
            }
            // The next free code must still fit this length: the all-ones code stays unused.
            if code >= 1 << len {
                return None;
            }
            if count > 0 {
                max_code[len as usize] = code as i32 - 1;
            }
            code <<= 1;
        }
        // 17 is a sentinel: a code longer than 16 bits does not exist.
        max_code[17] = i32::MAX;
        let run = run_table(&skip);
        (index == values.len()).then(|| Self {
            fast,
            run,
            max_code,
            offset,
            values: values.to_vec(),
        })
    }
}

/// The `skip` entry of an AC symbol: run in the high nibble, value size in the low one.
fn skip_entry(code_len: u32, symbol: u8) -> Option<(u8, u8)> {
    let (run, size) = (symbol >> 4, symbol & 0x0F);
    match (run, size) {
        (0, 0) => Some((code_len as u8, 0)),
        (15, 0) => Some((code_len as u8, 16)),
        (_, 0) | (_, 11..) => None,
        _ => Some((code_len as u8 + size, run + 1)),
    }
}

/// The `run` table from the one-symbol `skip` table (see [`HuffmanTable::run`]).
fn run_table(skip: &[(u8, u8); 1 << FAST_BITS]) -> Box<[(u8, u8); 1 << RUN_BITS]> {
    let mut run = Box::new([(0u8, 0u8); 1 << RUN_BITS]);
    for (bits_ahead, entry) in (0u32..).zip(run.iter_mut()) {
        let (mut used, mut moved) = (0u32, 0u8);
        while used < RUN_BITS {
            // The bits after `used`, with zeros for those beyond the window: a code and its value
            // that fit in what is left are read the same whatever follows (the code is a prefix).
            let window = (bits_ahead << used) & ((1 << RUN_BITS) - 1);
            let (bits, advance) = skip[(window >> (RUN_BITS - FAST_BITS)) as usize];
            if bits == 0 || used + u32::from(bits) > RUN_BITS || moved + advance > 64 {
                break;
            }
            used += u32::from(bits);
            if advance == 0 {
                *entry = (used as u8, moved | RUN_ENDS_BLOCK);
                break;
            }
            moved += advance;
            *entry = (used as u8, moved);
        }
    }
    run
}

#[cfg_attr(test, derive(Clone))]
pub(super) struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
    /// Next bit at bit 63.
    buffer: u64,
    bits: u32,
    /// Zero bits fed after a marker or the end of the data; they sit at the tail of `buffer`.
    padding: u32,
    /// Where the marker that ended the data is (the offset of its 0xFF), once met.
    marker_at: Option<usize>,
}

/// True when any byte of `word` is 0xFF.
fn has_ff_byte(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let inverted = !word;
    (inverted.wrapping_sub(ONES) & word & HIGHS) != 0
}

impl<'a> BitReader<'a> {
    pub fn new(data: &'a [u8], pos: usize) -> Self {
        Self {
            data,
            pos,
            buffer: 0,
            bits: 0,
            padding: 0,
            marker_at: None,
        }
    }

    /// Fills the buffer to at least 57 bits.
    #[inline(always)]
    pub fn refill(&mut self) {
        if self.bits > 56 {
            return;
        }
        if self.padding == 0 {
            if let Some(chunk) = self.data.get(self.pos..self.pos + 8) {
                let word = u64::from_be_bytes([
                    chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
                ]);
                if !has_ff_byte(word) {
                    let take = (64 - self.bits) / 8;
                    let new_bits = word >> (64 - 8 * take);
                    self.buffer |= new_bits << (64 - 8 * take - self.bits);
                    self.bits += 8 * take;
                    self.pos += take as usize;
                    return;
                }
            }
        }
        while self.bits <= 56 {
            let byte = self.next_byte();
            self.buffer |= u64::from(byte) << (56 - self.bits);
            self.bits += 8;
        }
    }

    fn next_byte(&mut self) -> u8 {
        if self.marker_at.is_some() {
            self.padding += 8;
            return 0;
        }
        let Some(&byte) = self.data.get(self.pos) else {
            self.marker_at = Some(self.data.len());
            self.padding += 8;
            return 0;
        };
        if byte != 0xFF {
            self.pos += 1;
            return byte;
        }
        if self.data.get(self.pos + 1) == Some(&0) {
            self.pos += 2;
            return 0xFF;
        }
        self.marker_at = Some(self.pos);
        self.padding += 8;
        0
    }

    #[inline(always)]
    fn consume(&mut self, n: u32) {
        self.buffer <<= n;
        self.bits -= n;
    }

    /// Decodes one symbol. Needs at least 16 bits buffered. `None` for a code not in the table.
    #[inline(always)]
    pub fn symbol(&mut self, table: &HuffmanTable) -> Option<u8> {
        let (len, symbol) = table.fast[(self.buffer >> (64 - FAST_BITS)) as usize];
        if len > 0 {
            self.consume(u32::from(len));
            return Some(symbol);
        }
        let mut len = FAST_BITS + 1;
        let mut code = (self.buffer >> (64 - len)) as i32;
        while code > table.max_code[len as usize] {
            len += 1;
            code = (self.buffer >> (64 - len)) as i32;
        }
        if len > 16 {
            return None;
        }
        self.consume(len);
        let index = code + table.offset[len as usize];
        table.values.get(usize::try_from(index).ok()?).copied()
    }

    /// The `run` entry of the next bits (see [`HuffmanTable::run`]); nothing is consumed. Needs at
    /// least `RUN_BITS` bits buffered.
    #[inline(always)]
    pub fn peek_run(&self, table: &HuffmanTable) -> (u8, u8) {
        table.run[(self.buffer >> (64 - RUN_BITS)) as usize]
    }

    /// Refills unless at least `n` bits are buffered.
    #[inline(always)]
    pub fn ensure(&mut self, n: u32) {
        if self.bits < n {
            self.refill();
        }
    }

    /// Reads `n` (1..=16) bits as the signed value JPEG codes with them (Annex F `EXTEND`).
    #[inline(always)]
    pub fn signed(&mut self, n: u32) -> i32 {
        let raw = (self.buffer >> (64 - n)) as i32;
        self.consume(n);
        if raw < 1 << (n - 1) {
            raw - (1 << n) + 1
        } else {
            raw
        }
    }

    #[inline(always)]
    pub fn skip(&mut self, n: u32) {
        self.consume(n);
    }

    /// True once bits beyond the real data (zeros fed after a marker or the end) were used.
    #[inline(always)]
    pub fn overran(&self) -> bool {
        self.bits < self.padding
    }

    /// Drops the bits up to the next byte boundary (they must be 1s, the encoder's padding) and
    /// reports whether the reader is then exactly at the marker that ended the data.
    pub fn align_at_marker(&mut self) -> AlignedAt {
        let real = self.bits.saturating_sub(self.padding);
        let partial = real % 8;
        if partial > 0 {
            let fill = (self.buffer >> (64 - partial)) as u32;
            self.consume(partial);
            if fill != (1 << partial) - 1 {
                return AlignedAt::DataLeft;
            }
        }
        if self.bits > self.padding {
            return AlignedAt::DataLeft;
        }
        self.refill();
        if self.bits > self.padding {
            return AlignedAt::DataLeft;
        }
        match self.marker_at {
            Some(at) if at < self.data.len() => AlignedAt::Marker(at),
            _ => AlignedAt::End,
        }
    }

    /// Continues after a restart marker at `marker_at` with an empty buffer.
    pub fn restart_after(&mut self, marker_at: usize) {
        *self = Self::new(self.data, marker_at + 2);
    }
}

#[derive(Debug, PartialEq)]
pub(super) enum AlignedAt {
    /// More entropy-coded data before the next marker than the scan used.
    DataLeft,
    /// The offset of the marker's 0xFF.
    Marker(usize),
    /// The data ended with no marker.
    End,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn ff_bytes_are_found_anywhere_in_a_word() {
        assert!(!has_ff_byte(0x0102_0304_0506_0708));
        assert!(!has_ff_byte(0xFEFE_FEFE_7F7F_8080));
        for shift in (0..64).step_by(8) {
            assert!(has_ff_byte(0xFFu64 << shift), "{shift}");
        }
    }

    #[test]
    fn canonical_codes_decode_short_and_long() {
        // Lengths: one code of 2 bits (00), one of 3 (010), and one of 12 bits (0110_0000_0000).
        let mut counts = [0u8; 16];
        counts[1] = 1;
        counts[2] = 1;
        counts[11] = 1;
        let table = HuffmanTable::new(&counts, &[7, 9, 42], false).unwrap();
        // 00 | 010 | 011000000000 | then 1-bits (no code of this table).
        #[allow(clippy::unusual_byte_groupings)]
        let bits: u32 = 0b00_010_011000000000_111111111111111;
        let data = bits.to_be_bytes();
        let mut reader = BitReader::new(&data, 0);
        reader.refill();
        assert_eq!(reader.symbol(&table), Some(7));
        assert_eq!(reader.symbol(&table), Some(9));
        assert_eq!(reader.symbol(&table), Some(42));
        // 11111111111… is no code of this table.
        assert_eq!(reader.symbol(&table), None);
    }

    #[test]
    fn impossible_tables_are_refused() {
        let mut counts = [0u8; 16];
        counts[0] = 3; // three 1-bit codes
        assert!(HuffmanTable::new(&counts, &[1, 2, 3], false).is_none());
        counts[0] = 1; // counts say 1 value, 2 given
        assert!(HuffmanTable::new(&counts, &[1, 2], false).is_none());
    }

    /// The full decoder refuses these, so the preview must too.
    #[test]
    fn tables_the_full_decoder_refuses_are_refused() {
        // Two 1-bit codes: the second is 1, all ones.
        let mut counts = [0u8; 16];
        counts[0] = 2;
        assert!(HuffmanTable::new(&counts, &[1, 2], false).is_none());
        // 00, 01, 10 and then 110, 111: the last is all ones.
        let mut counts = [0u8; 16];
        counts[1] = 3;
        counts[2] = 2;
        assert!(HuffmanTable::new(&counts, &[0, 1, 2, 3, 4], true).is_none());
        counts[2] = 1;
        assert!(HuffmanTable::new(&counts, &[0, 1, 2, 3], true).is_some());
        // A DC symbol is a bit count, at most 15; AC symbols take any byte.
        assert!(HuffmanTable::new(&counts, &[0, 1, 2, 16], true).is_none());
        assert!(HuffmanTable::new(&counts, &[0, 1, 2, 16], false).is_some());
    }

    #[test]
    fn stuffed_bytes_and_markers() {
        // 0xFF 0x00 is a data byte 0xFF; 0xFF 0xD9 ends the data.
        let data = [0xAB, 0xFF, 0x00, 0xCD, 0xFF, 0xD9];
        let mut reader = BitReader::new(&data, 0);
        reader.refill();
        assert_eq!(reader.signed(8), 0xAB);
        assert_eq!(reader.signed(8), 0xFF);
        assert_eq!(reader.signed(8), 0xCD);
        assert!(!reader.overran());
        reader.skip(1);
        assert!(reader.overran());
        let mut reader = BitReader::new(&data, 0);
        reader.refill();
        reader.skip(24);
        assert_eq!(reader.align_at_marker(), AlignedAt::Marker(4));
    }

    #[test]
    fn extend_gives_negative_values_for_a_leading_zero() {
        let data = [0b0001_1000, 0b0111_0000, 0, 0];
        let mut reader = BitReader::new(&data, 0);
        reader.refill();
        assert_eq!(reader.signed(4), -14); // 0001
        assert_eq!(reader.signed(4), 8); // 1000
        assert_eq!(reader.signed(4), -8); // 0111
        assert_eq!(reader.signed(4), -15); // 0000
    }
}
