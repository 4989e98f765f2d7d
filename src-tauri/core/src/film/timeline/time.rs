//! Exact times as fractions of a second, the way FCPXML writes them (`1001/30000s`): sums of clips at
//! any frame rate stay exact, with no floating-point drift along a long timeline.

/// `num / den` seconds, kept reduced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rational {
    pub num: u64,
    pub den: u64,
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

impl Rational {
    pub const ZERO: Self = Self { num: 0, den: 1 };

    pub fn new(num: u64, den: u64) -> Self {
        let den = den.max(1);
        let g = gcd(num, den).max(1);
        Self {
            num: num / g,
            den: den / g,
        }
    }

    pub fn times(self, n: u64) -> Self {
        Self::new(self.num.saturating_mul(n), self.den)
    }

    pub fn plus(self, other: Self) -> Self {
        let g = gcd(self.den, other.den).max(1);
        let den = (self.den / g).saturating_mul(other.den);
        let num = self
            .num
            .saturating_mul(other.den / g)
            .saturating_add(other.num.saturating_mul(self.den / g));
        Self::new(num, den)
    }

    pub fn seconds(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// FCPXML's form: `0s`, `5s`, `1001/30000s`.
    pub fn fcpxml(self) -> String {
        match (self.num, self.den) {
            (0, _) => "0s".to_owned(),
            (n, 1) => format!("{n}s"),
            (n, d) => format!("{n}/{d}s"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_stay_exact_and_reduced() {
        let ntsc = Rational::new(1001, 30000);
        assert_eq!(ntsc.times(30000).fcpxml(), "1001s");
        let a = Rational::new(512, 12288); // 1/24
        assert_eq!(a, Rational::new(1, 24));
        assert_eq!(a.times(121).plus(a.times(119)).fcpxml(), "10s");
        assert_eq!(a.plus(ntsc).fcpxml(), "2251/30000s");
        assert_eq!(Rational::ZERO.fcpxml(), "0s");
        assert_eq!(Rational::new(3, 0).den, 1);
    }
}
