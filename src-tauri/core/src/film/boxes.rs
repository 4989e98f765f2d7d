//! ISO BMFF boxes, the little the joiner needs: finding the top-level boxes of a file without reading its
//! media data, walking the children of a box held in memory, reading big-endian fields with bounds
//! checks, and writing boxes whose size is filled in when they are closed. Every read of a clip's
//! structure goes through [`Reader`], so a damaged or hostile file ends in an error, never a panic or an
//! allocation the file's numbers alone decide.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

/// What went wrong while reading a clip's structure, in technical words (the caller adds the path).
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// The structure is damaged or truncated.
    Damaged(String),
    /// Valid MP4 the joiner does not handle (fragmented, several sample descriptions…).
    Unsupported(String),
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

pub fn damaged(what: impl Into<String>) -> ReadError {
    ReadError::Damaged(what.into())
}

pub fn unsupported(what: impl Into<String>) -> ReadError {
    ReadError::Unsupported(what.into())
}

/// A `moov` of a 12 s clip is a few KiB; one hour at 60 fps with audio stays under 2 MiB. Anything larger
/// is refused before it is read into memory.
const MAX_MOOV: u64 = 32 * 1024 * 1024;
/// `ftyp` lists brands; a few hundred bytes at most.
const MAX_FTYP: u64 = 4096;

/// The parts of a file the joiner reads: its `ftyp`, its `moov`, and its length (to check that every chunk
/// the `moov` points to is inside the file).
pub struct TopLevel {
    /// The whole box, header included (copied as it is).
    pub ftyp: Vec<u8>,
    /// The body of the box (its children).
    pub moov: Vec<u8>,
    pub file_len: u64,
}

/// Where one top-level box of a file lies: its type, its first byte, its whole size and the length of
/// its header (8, or 16 with a 64-bit size).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TopBox {
    pub kind: [u8; 4],
    pub at: u64,
    pub size: u64,
    pub header: u64,
}

impl TopBox {
    pub fn end(&self) -> u64 {
        self.at + self.size
    }
}

/// The top-level boxes of `file`, read from their headers only (media data is skipped by seeking); every
/// box must lie inside the file.
pub fn list_top_level(file: &mut File) -> Result<(Vec<TopBox>, u64), ReadError> {
    let file_len = file.metadata()?.len();
    let mut boxes = Vec::new();
    let mut at = 0u64;
    while at < file_len {
        file.seek(SeekFrom::Start(at))?;
        let mut head = [0u8; 16];
        let short = file_len - at < 16;
        let got = if short {
            let n = usize::try_from(file_len - at).unwrap_or(16);
            file.read_exact(&mut head[..n])?;
            n
        } else {
            file.read_exact(&mut head)?;
            16
        };
        if got < 8 {
            return Err(damaged(format!("{got} stray bytes at the end")));
        }
        let size32 = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        let kind = [head[4], head[5], head[6], head[7]];
        let (size, header) = match size32 {
            0 => (file_len - at, 8),
            1 if got >= 16 => (
                u64::from_be_bytes([
                    head[8], head[9], head[10], head[11], head[12], head[13], head[14], head[15],
                ]),
                16,
            ),
            1 => return Err(damaged("a box header is cut off")),
            n => (u64::from(n), 8),
        };
        if size < header || size > file_len - at {
            return Err(damaged(format!(
                "the box {} at byte {at} claims {size} bytes (file has {file_len})",
                fourcc(kind)
            )));
        }
        boxes.push(TopBox {
            kind,
            at,
            size,
            header,
        });
        at += size;
    }
    Ok((boxes, file_len))
}

/// Walks the top-level boxes of `file`, reading only `ftyp` and `moov` (media data is skipped by seeking).
pub fn read_top_level(file: &mut File) -> Result<TopLevel, ReadError> {
    let (boxes, file_len) = list_top_level(file)?;
    let (mut ftyp, mut moov) = (None, None);
    for b in boxes {
        match &b.kind {
            b"ftyp" if ftyp.is_none() => {
                ftyp = Some(read_whole_box(file, b.at, b.size, MAX_FTYP)?);
            }
            b"moov" if moov.is_none() => moov = Some(read_body(file, &b)?),
            b"moof" | b"mvex" => return Err(unsupported("a fragmented MP4 (moof)")),
            _ => {}
        }
    }
    let moov = moov.ok_or_else(|| damaged("no moov box (not an MP4, or an unfinished one)"))?;
    Ok(TopLevel {
        ftyp: ftyp.unwrap_or_default(),
        moov,
        file_len,
    })
}

/// The body of a top-level header box such as `moov` (refused above the size a movie header can have).
pub fn read_body(file: &mut File, b: &TopBox) -> Result<Vec<u8>, ReadError> {
    let mut whole = read_whole_box(file, b.at, b.size, MAX_MOOV)?;
    whole.drain(..b.header as usize);
    Ok(whole)
}

/// A whole box (header included), refused above `cap` bytes.
fn read_whole_box(file: &mut File, at: u64, size: u64, cap: u64) -> Result<Vec<u8>, ReadError> {
    if size > cap {
        return Err(unsupported(format!("a {size}-byte header box")));
    }
    let mut bytes = vec![0u8; usize::try_from(size).map_err(|_| unsupported("a huge box"))?];
    file.seek(SeekFrom::Start(at))?;
    file.read_exact(&mut bytes)?;
    Ok(bytes)
}

pub fn fourcc(kind: [u8; 4]) -> String {
    kind.iter()
        .map(|&b| if b.is_ascii_graphic() { b as char } else { '?' })
        .collect()
}

/// One box inside a buffer: its type, its whole bytes (header included) and its body.
#[derive(Clone, Copy)]
pub struct BoxRef<'a> {
    pub kind: [u8; 4],
    pub whole: &'a [u8],
    pub body: &'a [u8],
}

/// The boxes that follow each other in `bytes` (the body of a container box).
pub fn children(bytes: &[u8]) -> Result<Vec<BoxRef<'_>>, ReadError> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let mut r = Reader::new(rest);
        let size32 = r.u32()?;
        let kind = r.array::<4>()?;
        let (size, header) = match size32 {
            0 => (rest.len() as u64, 8),
            1 => (r.u64()?, 16),
            n => (u64::from(n), 8),
        };
        let size = usize::try_from(size).map_err(|_| damaged("a box larger than memory"))?;
        if size < header || size > rest.len() {
            return Err(damaged(format!(
                "the box {} claims {size} bytes where {} are left",
                fourcc(kind),
                rest.len()
            )));
        }
        out.push(BoxRef {
            kind,
            whole: &rest[..size],
            body: &rest[header..size],
        });
        rest = &rest[size..];
    }
    Ok(out)
}

/// The first child of type `kind`, if any.
pub fn find<'a>(bytes: &'a [u8], kind: &[u8; 4]) -> Result<Option<BoxRef<'a>>, ReadError> {
    Ok(children(bytes)?.into_iter().find(|b| &b.kind == kind))
}

/// The first child of type `kind`, or an error naming it.
pub fn require<'a>(bytes: &'a [u8], kind: &[u8; 4]) -> Result<BoxRef<'a>, ReadError> {
    find(bytes, kind)?.ok_or_else(|| damaged(format!("no {} box", fourcc(*kind))))
}

/// Big-endian fields read from a slice; reading past its end is an error.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| damaged("a box ends too early"))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], ReadError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub fn u8(&mut self) -> Result<u8, ReadError> {
        Ok(self.array::<1>()?[0])
    }

    pub fn u16(&mut self) -> Result<u16, ReadError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    pub fn u32(&mut self) -> Result<u32, ReadError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    pub fn u64(&mut self) -> Result<u64, ReadError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    pub fn rest(&mut self) -> &'a [u8] {
        let out = &self.bytes[self.at..];
        self.at = self.bytes.len();
        out
    }

    /// The entry count of a table, checked against the bytes left so that a damaged count cannot make
    /// the caller allocate more than the box holds.
    pub fn count(&mut self, entry_size: usize) -> Result<usize, ReadError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(entry_size) > self.bytes.len() - self.at {
            return Err(damaged(format!("a table of {n} entries in a shorter box")));
        }
        Ok(n)
    }
}

/// A buffer that boxes are written into; [`Writer::open`] leaves room for the size, [`Writer::close`]
/// fills it in.
#[derive(Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn open(&mut self, kind: &[u8; 4]) -> usize {
        let at = self.bytes.len();
        self.bytes.extend_from_slice(&[0, 0, 0, 0]);
        self.bytes.extend_from_slice(kind);
        at
    }

    /// A full box: type, then version and flags.
    pub fn open_full(&mut self, kind: &[u8; 4], version: u8, flags: u32) -> usize {
        let at = self.open(kind);
        self.u32((u32::from(version) << 24) | (flags & 0x00ff_ffff));
        at
    }

    /// Fills in the size of the box opened at `at`. Boxes the joiner writes hold tables of a film, far
    /// below 4 GiB; the media data box, which can be larger, is written by the caller.
    pub fn close(&mut self, at: usize) {
        let size = u32::try_from(self.bytes.len() - at).unwrap_or(u32::MAX);
        self.bytes[at..at + 4].copy_from_slice(&size.to_be_bytes());
    }

    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_be_bytes());
    }

    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_be_bytes());
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn children_are_walked_and_lies_about_sizes_refused() {
        let mut w = Writer::default();
        let a = w.open(b"free");
        w.u32(7);
        w.close(a);
        let b = w.open(b"skip");
        w.close(b);
        let kids = children(&w.bytes).unwrap();
        assert_eq!(kids.len(), 2);
        assert_eq!(&kids[0].kind, b"free");
        assert_eq!(kids[0].body, &[0, 0, 0, 7]);
        assert!(kids[1].body.is_empty());

        // A box claiming more than is left, or less than its own header, is damage.
        let mut lying = w.bytes.clone();
        lying[3] = 200;
        assert!(matches!(children(&lying), Err(ReadError::Damaged(_))));
        lying[3] = 4;
        assert!(matches!(children(&lying), Err(ReadError::Damaged(_))));
    }

    #[test]
    fn a_table_count_larger_than_its_box_is_refused_before_allocating() {
        let bytes = [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1];
        let mut r = Reader::new(&bytes);
        assert!(matches!(r.count(4), Err(ReadError::Damaged(_))));
        let bytes = [0, 0, 0, 1, 0, 0, 0, 1];
        let mut r = Reader::new(&bytes);
        assert_eq!(r.count(4).unwrap(), 1);
    }
}
