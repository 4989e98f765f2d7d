//! The three header boxes whose duration a join changes (`mvhd`, `tkhd`, `mdhd`). They share one layout:
//! version and flags, creation and modification times, a 32-bit field (the timescale; the track id in
//! `tkhd`, followed by four reserved bytes), the duration, then fields the joiner copies as they are
//! (rate, volume, matrix, language…). Version 0 holds times and duration in 32 bits, version 1 in 64; the
//! joined file uses version 1 only when a value needs it.

use super::boxes::{ReadError, Reader, Writer};

#[derive(Clone, Debug)]
pub struct TimedHeader {
    pub flags: u32,
    pub created: u64,
    pub modified: u64,
    /// The timescale (`mvhd`, `mdhd`) or the track id (`tkhd`).
    pub field: u32,
    pub duration: u64,
    /// Everything after the duration, copied as it is.
    pub rest: Vec<u8>,
}

/// Whether the header has four reserved bytes between its 32-bit field and the duration (`tkhd` does).
#[derive(Clone, Copy, PartialEq)]
pub enum Layout {
    Plain,
    Track,
}

impl TimedHeader {
    pub fn parse(body: &[u8], layout: Layout) -> Result<Self, ReadError> {
        let mut r = Reader::new(body);
        let version_flags = r.u32()?;
        let wide = match version_flags >> 24 {
            0 => false,
            1 => true,
            v => return Err(super::boxes::unsupported(format!("header version {v}"))),
        };
        let time = |r: &mut Reader| -> Result<u64, ReadError> {
            if wide {
                r.u64()
            } else {
                r.u32().map(u64::from)
            }
        };
        let created = time(&mut r)?;
        let modified = time(&mut r)?;
        let field = r.u32()?;
        if layout == Layout::Track {
            r.u32()?;
        }
        let duration = time(&mut r)?;
        Ok(Self {
            flags: version_flags & 0x00ff_ffff,
            created,
            modified,
            field,
            duration,
            rest: r.rest().to_vec(),
        })
    }

    pub fn write(&self, w: &mut Writer, kind: &[u8; 4], layout: Layout) {
        let wide = [self.created, self.modified, self.duration]
            .iter()
            .any(|&v| v > u64::from(u32::MAX));
        let at = w.open_full(kind, u8::from(wide), self.flags);
        let time = |w: &mut Writer, v: u64| {
            if wide {
                w.u64(v);
            } else {
                w.u32(u32::try_from(v).unwrap_or(u32::MAX));
            }
        };
        time(w, self.created);
        time(w, self.modified);
        w.u32(self.field);
        if layout == Layout::Track {
            w.u32(0);
        }
        time(w, self.duration);
        w.raw(&self.rest);
        w.close(at);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::film::boxes::children;

    #[test]
    fn a_long_duration_widens_the_header_and_reads_back() {
        let header = TimedHeader {
            flags: 3,
            created: 1,
            modified: 2,
            field: 7,
            duration: 90_000,
            rest: vec![9; 12],
        };
        for (duration, version) in [(90_000u64, 0u8), (u64::from(u32::MAX) + 5, 1)] {
            let mut w = Writer::default();
            TimedHeader {
                duration,
                ..header.clone()
            }
            .write(&mut w, b"tkhd", Layout::Track);
            let kids = children(&w.bytes).unwrap();
            assert_eq!(kids[0].body[0], version);
            let back = TimedHeader::parse(kids[0].body, Layout::Track).unwrap();
            assert_eq!(
                (back.flags, back.created, back.modified, back.field),
                (3, 1, 2, 7)
            );
            assert_eq!(back.duration, duration);
            assert_eq!(back.rest, vec![9; 12]);
        }
    }
}
