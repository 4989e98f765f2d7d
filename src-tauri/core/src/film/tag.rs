//! Writing text metadata into a finished MP4 without touching its pictures or sound: the file is copied
//! box by box into a `.part` file beside the output, with a new `moov` in place of the old one, then
//! flushed and renamed ([`crate::durable::write_with`]). Only the `moov` (a few KiB) is held in memory;
//! the media data goes from file to file (`copy_file_range` on Linux).
//!
//! Where the `moov` comes before the media data (a "fast start" file, as the service sends them), a
//! larger `moov` pushes every chunk further into the file, so the chunk offsets after it are moved by the
//! same amount; where it comes last, nothing that follows it is media and the offsets stay.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::boxes::{damaged, list_top_level, read_body, unsupported, ReadError};
use super::meta::{free_form, shift_chunk_offsets, with_items, TextItem};

/// Why metadata could not be written: reading the source, or writing the result.
#[derive(Debug)]
pub enum TagError {
    Read(ReadError),
    Write(std::io::Error),
}

impl From<ReadError> for TagError {
    fn from(e: ReadError) -> Self {
        Self::Read(e)
    }
}

/// Copies `source` to `output` (replaced atomically; it may be `source` itself) with `items` set in its
/// metadata.
pub fn write_items(source: &Path, output: &Path, items: &[TextItem]) -> Result<(), TagError> {
    let mut file = File::open(source).map_err(ReadError::Io)?;
    let (boxes, _) = list_top_level(&mut file)?;
    let mut moovs = boxes.iter().filter(|b| &b.kind == b"moov");
    let moov = *moovs
        .next()
        .ok_or_else(|| damaged("no moov box (not an MP4, or an unfinished one)"))?;
    if moovs.next().is_some() {
        return Err(damaged("two moov boxes").into());
    }
    if boxes.iter().any(|b| &b.kind == b"moof") {
        return Err(unsupported("a fragmented MP4 (moof)").into());
    }
    let mut body = with_items(&read_body(&mut file, &moov)?, items)?;
    let header: u64 = if body.len() as u64 + 8 > u64::from(u32::MAX) {
        16
    } else {
        8
    };
    let new_size = header + body.len() as u64;
    let delta =
        i64::try_from(new_size).unwrap_or(i64::MAX) - i64::try_from(moov.size).unwrap_or(i64::MAX);
    if delta != 0 {
        shift_chunk_offsets(&mut body, moov.end(), delta)?;
    }

    crate::durable::write_with(
        output,
        |out| {
            for b in &boxes {
                if b.at == moov.at {
                    if header == 16 {
                        out.write_all(&1u32.to_be_bytes())?;
                        out.write_all(b"moov")?;
                        out.write_all(&new_size.to_be_bytes())?;
                    } else {
                        out.write_all(&(new_size as u32).to_be_bytes())?;
                        out.write_all(b"moov")?;
                    }
                    out.write_all(&body)?;
                } else {
                    file.seek(SeekFrom::Start(b.at))?;
                    let copied = std::io::copy(&mut (&mut file).take(b.size), out)?;
                    if copied != b.size {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::UnexpectedEof,
                            "the video got shorter while it was being copied",
                        ));
                    }
                }
            }
            Ok(())
        },
        |e| e,
    )
    .map_err(TagError::Write)
}

/// The value of the free-form item `mean`/`name` in the MP4 at `path`, if it has one.
pub fn read_free_form(path: &Path, mean: &str, name: &str) -> Result<Option<String>, ReadError> {
    let mut file = File::open(path)?;
    let (boxes, _) = list_top_level(&mut file)?;
    let moov = boxes
        .iter()
        .find(|b| &b.kind == b"moov")
        .ok_or_else(|| damaged("no moov box (not an MP4, or an unfinished one)"))?;
    free_form(&read_body(&mut file, moov)?, mean, name)
}
