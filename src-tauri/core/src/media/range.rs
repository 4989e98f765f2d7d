//! The `Range` header, single byte ranges only (RFC 9110 §14). A media player asks for one range at a time;
//! anything fancier (several ranges, another unit) is answered with the whole file, which the RFC allows.

/// What a request's `Range` header asks of a file of a known length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeRequest {
    /// No usable `Range` header: send the whole file (200).
    Whole,
    /// Send `start..=end` (206).
    Part { start: u64, end: u64 },
    /// A well-formed range that lies outside the file (416).
    Unsatisfiable,
}

impl RangeRequest {
    /// Reads `header` (the raw value, if the request had one) against a file of `len` bytes.
    pub fn parse(header: Option<&str>, len: u64) -> Self {
        let Some(spec) = header.and_then(|h| strip_prefix_ignore_case(h.trim(), "bytes=")) else {
            return Self::Whole;
        };
        if spec.contains(',') {
            return Self::Whole;
        }
        let Some((first, last)) = spec.trim().split_once('-') else {
            return Self::Whole;
        };
        let (first, last) = (first.trim(), last.trim());
        match (first.is_empty(), last.is_empty()) {
            // `bytes=-n`: the final n bytes.
            (true, false) => match digits(last) {
                Some(0) => Self::Unsatisfiable,
                Some(_) if len == 0 => Self::Unsatisfiable,
                Some(n) => Self::Part {
                    start: len.saturating_sub(n),
                    end: len - 1,
                },
                None => Self::Whole,
            },
            // `bytes=a-`: from a to the end.
            (false, true) => match digits(first) {
                Some(a) if a >= len => Self::Unsatisfiable,
                Some(a) => Self::Part {
                    start: a,
                    end: len - 1,
                },
                None => Self::Whole,
            },
            // `bytes=a-b`: b past the end means up to the end.
            (false, false) => match (digits(first), digits(last)) {
                (Some(a), Some(b)) if a > b => Self::Whole,
                (Some(a), Some(_)) if a >= len => Self::Unsatisfiable,
                (Some(a), Some(b)) => Self::Part {
                    start: a,
                    end: b.min(len - 1),
                },
                _ => Self::Whole,
            },
            (true, true) => Self::Whole,
        }
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// A decimal number of ASCII digits only (`u64::from_str` would also take a leading `+`).
fn digits(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::RangeRequest::{self, Part, Unsatisfiable, Whole};

    fn parse(h: &str, len: u64) -> RangeRequest {
        RangeRequest::parse(Some(h), len)
    }

    #[test]
    fn the_three_single_range_forms() {
        assert_eq!(parse("bytes=0-99", 1000), Part { start: 0, end: 99 });
        assert_eq!(
            parse("bytes=500-", 1000),
            Part {
                start: 500,
                end: 999
            }
        );
        assert_eq!(
            parse("bytes=-100", 1000),
            Part {
                start: 900,
                end: 999
            }
        );
        assert_eq!(parse("BYTES= 10 - 19", 1000), Part { start: 10, end: 19 });
    }

    #[test]
    fn ranges_reaching_past_the_end_are_clipped() {
        assert_eq!(
            parse("bytes=990-5000", 1000),
            Part {
                start: 990,
                end: 999
            }
        );
        assert_eq!(parse("bytes=-5000", 1000), Part { start: 0, end: 999 });
    }

    #[test]
    fn ranges_outside_the_file_are_unsatisfiable() {
        assert_eq!(parse("bytes=1000-", 1000), Unsatisfiable);
        assert_eq!(parse("bytes=1000-1001", 1000), Unsatisfiable);
        assert_eq!(parse("bytes=-0", 1000), Unsatisfiable);
        assert_eq!(parse("bytes=0-", 0), Unsatisfiable);
        assert_eq!(parse("bytes=-5", 0), Unsatisfiable);
    }

    #[test]
    fn anything_else_means_the_whole_file() {
        assert_eq!(RangeRequest::parse(None, 10), Whole);
        for h in [
            "bytes=0-1,5-6",
            "items=0-5",
            "bytes=5-1",
            "bytes=-",
            "bytes=a-b",
            "bytes=+1-2",
            "bytes=0x1-2",
            "bytes=99999999999999999999999-",
            "bytes",
        ] {
            assert_eq!(parse(h, 10), Whole, "{h}");
        }
    }
}
