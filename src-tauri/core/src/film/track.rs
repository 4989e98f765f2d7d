//! One track of one clip, read from its `trak` box: the boxes the joined file copies (handler, media
//! header, data reference, sample description), its edit list, and its sample tables expanded to one
//! entry per sample and per chunk, the form in which clips are appended to each other. Expanding costs
//! about twenty bytes per sample (a 12 s clip has under a thousand), and keeps the joining itself plain
//! arithmetic.

use super::boxes::{children, damaged, find, require, unsupported, ReadError, Reader};
use super::codec::Codec;
use super::headers::{Layout, TimedHeader};

/// No clip the service makes comes near this (12 s at 60 fps); it only stops a damaged table from asking
/// for gigabytes.
const MAX_SAMPLES: usize = 5_000_000;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Video,
    Audio,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub size: u32,
    pub duration: u32,
    /// Composition offset (`ctts`): presentation time minus decoding time.
    pub offset: i32,
    pub sync: bool,
}

/// A run of samples stored back to back in the file.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chunk {
    pub offset: u64,
    pub first_sample: usize,
    pub samples: usize,
    pub bytes: u64,
}

/// One sample grouping (`sgpd` with its `sbgp`), such as AAC's "roll" group that tells a decoder
/// starting mid-track to decode one frame more first.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleGroups {
    /// The whole `sgpd` box, copied as it is.
    pub description: Vec<u8>,
    pub grouping: [u8; 4],
    /// `(sample count, group description index)` runs.
    pub runs: Vec<(u32, u32)>,
}

/// One entry of an edit list, in the timescale of the clip's movie header. `media_time` is `None` for
/// an empty edit (a pause before the track starts).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edit {
    pub duration: u64,
    pub media_time: Option<u64>,
}

#[derive(Debug)]
pub struct Track {
    pub kind: Kind,
    pub tkhd: TimedHeader,
    pub mdhd: TimedHeader,
    /// Copied whole into the joined file: `hdlr`, `vmhd`/`smhd`, `dinf`, `stsd`.
    pub hdlr: Vec<u8>,
    pub media_header: Vec<u8>,
    pub dinf: Vec<u8>,
    pub stsd: Vec<u8>,
    pub codec: Codec,
    /// As written in the clip; a clip without an edit list gets one edit over its whole media.
    pub edits: Option<Vec<Edit>>,
    pub samples: Vec<Sample>,
    pub chunks: Vec<Chunk>,
    pub has_offsets: bool,
    pub has_sync_table: bool,
    pub groups: Option<SampleGroups>,
    /// The sum of the sample durations, in [`Track::timescale`].
    pub media_duration: u64,
    /// Where the last shown sample ends in composition time (decoding time plus `ctts` offset plus
    /// duration); past `media_duration` when frames are reordered. Edits may reach up to here.
    pub composition_end: u64,
}

impl Track {
    pub fn timescale(&self) -> u32 {
        self.mdhd.field
    }

    /// Reads a `trak` body; `Ok(None)` for a track that is neither video nor sound (timecode, text…),
    /// which the joined file leaves out.
    pub fn parse(trak: &[u8], file_len: u64) -> Result<Option<Self>, ReadError> {
        let tkhd = TimedHeader::parse(require(trak, b"tkhd")?.body, Layout::Track)?;
        let mdia = require(trak, b"mdia")?.body;
        let hdlr = require(mdia, b"hdlr")?;
        let handler: [u8; 4] = Reader::new(hdlr.body).take(12)?[8..12]
            .try_into()
            .map_err(|_| damaged("hdlr"))?;
        let kind = match &handler {
            b"vide" => Kind::Video,
            b"soun" => Kind::Audio,
            _ => return Ok(None),
        };
        let mdhd = TimedHeader::parse(require(mdia, b"mdhd")?.body, Layout::Plain)?;
        if mdhd.field == 0 {
            return Err(damaged("a media timescale of 0"));
        }
        let minf = require(mdia, b"minf")?.body;
        let media_header = require(
            minf,
            if kind == Kind::Video {
                b"vmhd"
            } else {
                b"smhd"
            },
        )?;
        let dinf = require(minf, b"dinf")?;
        let stbl = require(minf, b"stbl")?.body;
        let stsd = require(stbl, b"stsd")?;
        let codec = Codec::parse(stsd.body, handler)?;
        let edits = match find(trak, b"edts")? {
            Some(edts) => match find(edts.body, b"elst")? {
                Some(elst) => Some(parse_edits(elst.body)?),
                None => None,
            },
            None => None,
        };
        let tables = Tables::parse(stbl, file_len)?;
        let mut decode_time = 0i64;
        let mut composition_end = 0i64;
        for s in &tables.samples {
            let end = decode_time + i64::from(s.offset) + i64::from(s.duration);
            composition_end = composition_end.max(end);
            decode_time += i64::from(s.duration);
        }
        Ok(Some(Self {
            composition_end: u64::try_from(composition_end.max(decode_time)).unwrap_or(0),
            kind,
            tkhd,
            mdhd,
            hdlr: hdlr.whole.to_vec(),
            media_header: media_header.whole.to_vec(),
            dinf: dinf.whole.to_vec(),
            stsd: stsd.whole.to_vec(),
            codec,
            edits,
            media_duration: tables.samples.iter().map(|s| u64::from(s.duration)).sum(),
            samples: tables.samples,
            chunks: tables.chunks,
            has_offsets: tables.has_offsets,
            has_sync_table: tables.has_sync_table,
            groups: sample_groups(stbl)?,
        }))
    }
}

/// The track's sample grouping when it has exactly one (`sgpd` and `sbgp` of the same type, `sbgp`
/// version 0); anything else is left out of the joined film, which only costs decoders a hint.
fn sample_groups(stbl: &[u8]) -> Result<Option<SampleGroups>, ReadError> {
    let kids = children(stbl)?;
    let descriptions: Vec<_> = kids.iter().filter(|b| &b.kind == b"sgpd").collect();
    let mappings: Vec<_> = kids.iter().filter(|b| &b.kind == b"sbgp").collect();
    let ([description], [mapping]) = (&descriptions[..], &mappings[..]) else {
        return Ok(None);
    };
    let mut r = Reader::new(mapping.body);
    if r.u32()? >> 24 != 0 {
        return Ok(None);
    }
    let grouping = r.array::<4>()?;
    if description.body.get(4..8) != Some(&grouping[..]) {
        return Ok(None);
    }
    let n = r.count(8)?;
    let runs = (0..n)
        .map(|_| Ok((r.u32()?, r.u32()?)))
        .collect::<Result<_, ReadError>>()?;
    Ok(Some(SampleGroups {
        description: description.whole.to_vec(),
        grouping,
        runs,
    }))
}

fn parse_edits(elst: &[u8]) -> Result<Vec<Edit>, ReadError> {
    let mut r = Reader::new(elst);
    let wide = match r.u32()? >> 24 {
        0 => false,
        1 => true,
        v => return Err(unsupported(format!("edit list version {v}"))),
    };
    let n = r.count(if wide { 20 } else { 12 })?;
    let mut edits = Vec::with_capacity(n);
    for _ in 0..n {
        let (duration, media_time) = if wide {
            (r.u64()?, r.u64()? as i64)
        } else {
            (u64::from(r.u32()?), i64::from(r.u32()? as i32))
        };
        let rate = r.u32()?;
        let media_time = match media_time {
            -1 => None,
            t if t >= 0 => Some(t as u64),
            t => return Err(damaged(format!("an edit starting at {t}"))),
        };
        if rate != 0x0001_0000 && media_time.is_some() {
            return Err(unsupported("an edit played at another speed than 1"));
        }
        edits.push(Edit {
            duration,
            media_time,
        });
    }
    Ok(edits)
}

struct Tables {
    samples: Vec<Sample>,
    chunks: Vec<Chunk>,
    has_offsets: bool,
    has_sync_table: bool,
}

impl Tables {
    fn parse(stbl: &[u8], file_len: u64) -> Result<Self, ReadError> {
        let sizes = sample_sizes(require(stbl, b"stsz")?.body, file_len)?;
        let n = sizes.len();
        let mut samples: Vec<Sample> = sizes
            .iter()
            .map(|&size| Sample {
                size,
                duration: 0,
                offset: 0,
                sync: true,
            })
            .collect();

        let mut r = Reader::new(require(stbl, b"stts")?.body);
        r.u32()?;
        let mut at = 0usize;
        for _ in 0..r.count(8)? {
            let (count, duration) = (r.u32()? as usize, r.u32()?);
            for s in samples.iter_mut().skip(at).take(count) {
                s.duration = duration;
            }
            at = at.saturating_add(count);
        }
        if at != n {
            return Err(damaged(format!("stts covers {at} of {n} samples")));
        }

        let ctts = find(stbl, b"ctts")?;
        if let Some(ctts) = ctts {
            let mut r = Reader::new(ctts.body);
            let version = r.u32()? >> 24;
            let mut at = 0usize;
            for _ in 0..r.count(8)? {
                let count = r.u32()? as usize;
                let raw = r.u32()?;
                // Version 0 offsets are unsigned in the standard but written signed by some muxers;
                // both read the same below 2^31.
                let offset = if version == 0 && raw > i32::MAX as u32 {
                    return Err(unsupported("a composition offset above 2^31"));
                } else {
                    raw as i32
                };
                for s in samples.iter_mut().skip(at).take(count) {
                    s.offset = offset;
                }
                at = at.saturating_add(count);
            }
            if at != n {
                return Err(damaged(format!("ctts covers {at} of {n} samples")));
            }
        }

        let stss = find(stbl, b"stss")?;
        if let Some(stss) = stss {
            samples.iter_mut().for_each(|s| s.sync = false);
            let mut r = Reader::new(stss.body);
            r.u32()?;
            for _ in 0..r.count(4)? {
                let number = r.u32()? as usize;
                let s = number
                    .checked_sub(1)
                    .and_then(|i| samples.get_mut(i))
                    .ok_or_else(|| damaged(format!("stss names sample {number} of {n}")))?;
                s.sync = true;
            }
        }

        let offsets = chunk_offsets(stbl)?;
        let chunks = chunks(require(stbl, b"stsc")?.body, &offsets, &samples, file_len)?;
        Ok(Self {
            samples,
            chunks,
            has_offsets: ctts.is_some(),
            has_sync_table: stss.is_some(),
        })
    }
}

fn sample_sizes(stsz: &[u8], file_len: u64) -> Result<Vec<u32>, ReadError> {
    let mut r = Reader::new(stsz);
    r.u32()?;
    let constant = r.u32()?;
    if constant != 0 {
        let n = r.u32()? as usize;
        // Every sample takes at least one byte of the file.
        if n > MAX_SAMPLES || (n as u64).saturating_mul(u64::from(constant)) > file_len {
            return Err(damaged(format!("{n} samples of {constant} bytes")));
        }
        return Ok(vec![constant; n]);
    }
    let n = r.count(4)?;
    if n > MAX_SAMPLES {
        return Err(unsupported(format!("{n} samples in one track")));
    }
    (0..n).map(|_| r.u32()).collect()
}

fn chunk_offsets(stbl: &[u8]) -> Result<Vec<u64>, ReadError> {
    if let Some(stco) = find(stbl, b"stco")? {
        let mut r = Reader::new(stco.body);
        r.u32()?;
        return (0..r.count(4)?).map(|_| r.u32().map(u64::from)).collect();
    }
    let co64 = find(stbl, b"co64")?.ok_or_else(|| damaged("no chunk offsets"))?;
    let mut r = Reader::new(co64.body);
    r.u32()?;
    (0..r.count(8)?).map(|_| r.u64()).collect()
}

/// Expands `stsc` over the chunk offsets; every chunk must lie inside the file.
fn chunks(
    stsc: &[u8],
    offsets: &[u64],
    samples: &[Sample],
    file_len: u64,
) -> Result<Vec<Chunk>, ReadError> {
    let mut r = Reader::new(stsc);
    r.u32()?;
    let n = r.count(12)?;
    let mut runs = Vec::with_capacity(n);
    for _ in 0..n {
        let (first_chunk, per_chunk, description) = (r.u32()?, r.u32()?, r.u32()?);
        if description != 1 {
            return Err(unsupported("several sample descriptions in one track"));
        }
        runs.push((first_chunk as usize, per_chunk as usize));
    }
    let mut chunks = Vec::with_capacity(offsets.len());
    let mut next_sample = 0usize;
    for (i, &(first, per_chunk)) in runs.iter().enumerate() {
        let end = runs.get(i + 1).map_or(offsets.len() + 1, |r| r.0);
        if first == 0 || end < first || end > offsets.len() + 1 {
            return Err(damaged("stsc chunk numbers out of order"));
        }
        for chunk in first..end {
            let last = next_sample.saturating_add(per_chunk);
            let run = samples
                .get(next_sample..last)
                .ok_or_else(|| damaged("stsc names more samples than stsz"))?;
            let bytes: u64 = run.iter().map(|s| u64::from(s.size)).sum();
            let offset = offsets[chunk - 1];
            if offset.saturating_add(bytes) > file_len {
                return Err(damaged(format!(
                    "chunk {chunk} ends past the end of the file (at {} of {file_len} bytes)",
                    offset.saturating_add(bytes)
                )));
            }
            chunks.push(Chunk {
                offset,
                first_sample: next_sample,
                samples: per_chunk,
                bytes,
            });
            next_sample = last;
        }
    }
    if next_sample != samples.len() {
        return Err(damaged(format!(
            "the chunks hold {next_sample} of {} samples",
            samples.len()
        )));
    }
    Ok(chunks)
}

/// The video and sound tracks of a `moov` body (other tracks are left out), with the movie header.
pub fn parse_movie(moov: &[u8], file_len: u64) -> Result<(TimedHeader, Vec<Track>), ReadError> {
    let mvhd = TimedHeader::parse(require(moov, b"mvhd")?.body, Layout::Plain)?;
    if mvhd.field == 0 {
        return Err(damaged("a movie timescale of 0"));
    }
    let mut tracks = Vec::new();
    for trak in children(moov)?.into_iter().filter(|b| &b.kind == b"trak") {
        if let Some(track) = Track::parse(trak.body, file_len)? {
            tracks.push(track);
        }
    }
    Ok((mvhd, tracks))
}
