//! Big-endian bit fields from a byte slice: the AAC AudioSpecificConfig ([`super::codec`]) and the H.264
//! sequence parameter set ([`super::frame`]), whose fields are Exp-Golomb codes. Reading past the end
//! gives `None`, never a panic.

pub struct Bits<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Bits<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    /// The next `n` bits (at most 32) as a number.
    pub fn take(&mut self, n: usize) -> Option<u32> {
        let mut v = 0u32;
        for _ in 0..n {
            let byte = self.bytes.get(self.at / 8)?;
            v = (v << 1) | u32::from((byte >> (7 - self.at % 8)) & 1);
            self.at += 1;
        }
        Some(v)
    }

    pub fn flag(&mut self) -> Option<bool> {
        self.take(1).map(|b| b == 1)
    }

    /// An unsigned Exp-Golomb code (`ue(v)`); values past 32 bits are damage.
    pub fn ue(&mut self) -> Option<u32> {
        let mut zeros = 0;
        while self.take(1)? == 0 {
            zeros += 1;
            if zeros > 31 {
                return None;
            }
        }
        let rest = self.take(zeros)?;
        u32::try_from((1u64 << zeros) - 1 + u64::from(rest)).ok()
    }

    /// A signed Exp-Golomb code (`se(v)`): 1, −1, 2, −2… for 1, 2, 3, 4…
    pub fn se(&mut self) -> Option<i32> {
        let k = i64::from(self.ue()?);
        let v = if k % 2 == 1 { (k + 1) / 2 } else { -(k / 2) };
        i32::try_from(v).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_golomb_codes_read_back() {
        // 1 | 010 | 011 | 00100 | 00101 → ue 0, 1, 2, 3, 4
        let mut bits = Bits::new(&[0b1010_0110, 0b0100_0010, 0b1000_0000]);
        let values: Vec<_> = (0..5).map(|_| bits.ue()).collect();
        assert_eq!(values, [Some(0), Some(1), Some(2), Some(3), Some(4)]);
        // se: 010 → 1, 011 → −1, 00100 → 2
        let mut bits = Bits::new(&[0b0100_1100, 0b1000_0000]);
        assert_eq!(
            (bits.se(), bits.se(), bits.se()),
            (Some(1), Some(-1), Some(2))
        );
        // All zeros never ends a code: damage, not a loop or a panic.
        assert_eq!(Bits::new(&[0; 8]).ue(), None);
        assert_eq!(Bits::new(&[0]).ue(), None);
    }
}
