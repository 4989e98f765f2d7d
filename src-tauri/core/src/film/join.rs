//! [`join`]: reads every clip's structure, checks that the clips can share tracks, lays out the joined
//! media data (each clip's chunks in their order in the clip, packed), writes `ftyp` and `moov` first
//! (so players start without reading to the end) and then copies the media data clip by clip, range by
//! range, from the source files into the `.part` file that [`crate::durable::write_with`] flushes and
//! renames.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use super::boxes::{read_top_level, ReadError};
use super::error::{ClipMismatch, ClipRef, Difference, JoinError};
use super::headers::TimedHeader;
use super::merge::Merged;
use super::track::{parse_movie, Kind, Track};
use super::write::movie;
use super::{JoinOptions, JoinProgress, JoinReport, MixedAudio};

/// Media data is copied in pieces of at most this size, so cancelling takes effect within one piece.
const PIECE: u64 = 8 * 1024 * 1024;

struct Clip {
    path: PathBuf,
    file: File,
    ftyp: Vec<u8>,
    mvhd: TimedHeader,
    video: Track,
    audio: Option<Track>,
}

impl Clip {
    fn open(path: &Path) -> Result<Self, JoinError> {
        let unreadable = |source| JoinError::Unreadable {
            path: path.to_path_buf(),
            source,
        };
        let mut file = File::open(path).map_err(unreadable)?;
        let read = (|| {
            let top = read_top_level(&mut file)?;
            let (mvhd, tracks) = parse_movie(&top.moov, top.file_len)?;
            Ok::<_, ReadError>((top.ftyp, mvhd, tracks))
        })();
        let (ftyp, mvhd, tracks) = read.map_err(|e| match e {
            ReadError::Io(source) => unreadable(source),
            ReadError::Damaged(detail) => JoinError::Damaged {
                path: path.to_path_buf(),
                detail,
            },
            ReadError::Unsupported(detail) => JoinError::Unsupported {
                path: path.to_path_buf(),
                detail,
            },
        })?;
        let mut video = None;
        let mut audio = None;
        for track in tracks {
            let slot = match track.kind {
                Kind::Video => &mut video,
                Kind::Audio => &mut audio,
            };
            if slot.is_some() {
                return Err(JoinError::Unsupported {
                    path: path.to_path_buf(),
                    detail: format!("several {:?} tracks", track.kind),
                });
            }
            *slot = Some(track);
        }
        let video = video.ok_or_else(|| JoinError::NoVideo {
            path: path.to_path_buf(),
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
            ftyp,
            mvhd,
            video,
            audio,
        })
    }

    fn reference(&self, index: usize) -> ClipRef {
        ClipRef {
            index: u32::try_from(index).unwrap_or(u32::MAX),
            path: self.path.display().to_string(),
        }
    }
}

/// How `track` differs from the first clip's `like`, if it does.
fn difference(like: &Track, track: &Track) -> Option<Difference> {
    use super::codec::Codec;
    if let (
        Codec::Video {
            width: w0,
            height: h0,
            ..
        },
        Codec::Video {
            width: w,
            height: h,
            ..
        },
    ) = (&like.codec, &track.codec)
    {
        if (w0, h0) != (w, h) {
            return Some(Difference::Resolution {
                expected: [*w0, *h0],
                found: [*w, *h],
                same_ratio: u32::from(*w0) * u32::from(*h) == u32::from(*w) * u32::from(*h0),
            });
        }
    }
    if like.codec != track.codec {
        let (expected, found) = (like.codec.describe(), track.codec.describe());
        return Some(match (track.kind, expected == found) {
            (Kind::Video, true) => Difference::EncoderSettings { codec: found },
            (Kind::Video, false) => Difference::VideoCodec { expected, found },
            (Kind::Audio, _) => Difference::AudioFormat { expected, found },
        });
    }
    if like.timescale() != track.timescale() {
        return Some(Difference::Timing {
            expected: like.timescale(),
            found: track.timescale(),
        });
    }
    None
}

/// Whether `clip` can follow `first` in one film: the same video parameters, and either both with
/// the same sound or both silent (so a part never has to drop sound).
fn can_follow(first: &Clip, clip: &Clip) -> bool {
    let audio = match (&first.audio, &clip.audio) {
        (Some(like), Some(track)) => difference(like, track).is_none(),
        (None, None) => true,
        _ => false,
    };
    audio && difference(&first.video, &clip.video).is_none()
}

/// See [`super::join_parts`].
pub fn join_parts(inputs: &[PathBuf]) -> Result<Vec<std::ops::Range<usize>>, JoinError> {
    let mut parts: Vec<std::ops::Range<usize>> = Vec::new();
    let mut first: Option<Clip> = None;
    for (i, path) in inputs.iter().enumerate() {
        let clip = Clip::open(path)?;
        match (&first, parts.last_mut()) {
            (Some(like), Some(part)) if can_follow(like, &clip) => part.end = i + 1,
            _ => {
                parts.push(i..i + 1);
                first = Some(clip);
            }
        }
    }
    Ok(parts)
}

/// Refuses an output that would replace one of the clips (or its `.part` file one of them).
fn check_output(inputs: &[PathBuf], output: &Path) -> Result<(), JoinError> {
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let part = crate::durable::part_beside(output);
    for target in [output, part.as_path()] {
        let Some(target) = canonical(target) else {
            continue;
        };
        if let Some(input) = inputs.iter().find(|i| canonical(i) == Some(target.clone())) {
            return Err(JoinError::OutputIsInput {
                path: input.clone(),
            });
        }
    }
    Ok(())
}

/// See [`super::join`].
pub fn join(
    inputs: &[PathBuf],
    output: &Path,
    options: &JoinOptions,
    mut progress: impl FnMut(JoinProgress) -> ControlFlow<()>,
) -> Result<JoinReport, JoinError> {
    if inputs.is_empty() {
        return Err(JoinError::NoClips);
    }
    check_output(inputs, output)?;
    let mut clips = inputs
        .iter()
        .map(|p| Clip::open(p))
        .collect::<Result<Vec<_>, _>>()?;

    let first = &clips[0];
    let mut mismatches = Vec::new();
    for (i, clip) in clips.iter().enumerate().skip(1) {
        let audio = match (&first.audio, &clip.audio) {
            (Some(like), Some(track)) => difference(like, track),
            _ => None,
        };
        if let Some(difference) = difference(&first.video, &clip.video).or(audio) {
            mismatches.push(ClipMismatch {
                clip: clip.reference(i),
                difference,
            });
        }
    }
    if !mismatches.is_empty() {
        return Err(JoinError::Differs { mismatches });
    }
    let without_audio: Vec<ClipRef> = clips
        .iter()
        .enumerate()
        .filter(|(_, c)| c.audio.is_none())
        .map(|(i, c)| c.reference(i))
        .collect();
    let mixed = !without_audio.is_empty() && without_audio.len() < clips.len();
    if mixed && options.mixed_audio == MixedAudio::Refuse {
        return Err(JoinError::AudioMixed { without_audio });
    }
    let keep_audio = without_audio.is_empty();

    let movie_timescale = first.mvhd.field;
    let pairs = |audio: bool| -> Vec<(&Track, u32)> {
        clips
            .iter()
            .filter_map(|c| {
                let track = if audio { c.audio.as_ref()? } else { &c.video };
                Some((track, c.mvhd.field))
            })
            .collect()
    };
    let mut tracks: Vec<Merged> = Vec::new();
    tracks.extend(Merged::build(&pairs(false), movie_timescale));
    if keep_audio {
        tracks.extend(Merged::build(&pairs(true), movie_timescale));
    }

    let copies = lay_out(&clips, &mut tracks)?;
    let data_len: u64 = copies.iter().flatten().map(|r| r.len).sum();

    let ftyp = first.ftyp.clone();
    let mvhd = first.mvhd.clone();
    // The `moov` has the same size whatever the offsets' values; only their width changes it.
    let mdat_header: u64 = if data_len + 8 > u64::from(u32::MAX) {
        16
    } else {
        8
    };
    let narrow = movie(&mvhd, &tracks, 0, false);
    let base = ftyp.len() as u64 + narrow.len() as u64 + mdat_header;
    let wide = base + data_len > u64::from(u32::MAX);
    let moov = movie(&mvhd, &tracks, base, wide);
    let base = ftyp.len() as u64 + moov.len() as u64 + mdat_header;
    let moov = if wide {
        movie(&mvhd, &tracks, base, true)
    } else {
        moov
    };

    let longest = tracks.iter().map(Merged::duration).max().unwrap_or(0);
    let duration_secs = longest as f64 / f64::from(movie_timescale.max(1));
    let has_audio = tracks.len() > 1;
    drop(tracks);

    let write_error = |source| JoinError::Write {
        path: output.to_path_buf(),
        source,
    };
    crate::durable::write_with(
        output,
        |out| {
            out.write_all(&ftyp).map_err(write_error)?;
            out.write_all(&moov).map_err(write_error)?;
            if mdat_header == 16 {
                out.write_all(&1u32.to_be_bytes()).map_err(write_error)?;
                out.write_all(b"mdat").map_err(write_error)?;
                out.write_all(&(data_len + 16).to_be_bytes())
                    .map_err(write_error)?;
            } else {
                let size = u32::try_from(data_len + 8).unwrap_or(u32::MAX);
                out.write_all(&size.to_be_bytes()).map_err(write_error)?;
                out.write_all(b"mdat").map_err(write_error)?;
            }
            let mut done = 0u64;
            for (clip, ranges) in clips.iter_mut().zip(&copies) {
                for range in ranges {
                    copy_range(clip, range, out, output)?;
                    done += range.len;
                    let step = JoinProgress {
                        bytes_done: done,
                        bytes_total: data_len,
                    };
                    if progress(step).is_break() {
                        return Err(JoinError::Cancelled);
                    }
                }
            }
            Ok(())
        },
        write_error,
    )?;
    Ok(JoinReport {
        clips: clips.len(),
        duration_secs,
        bytes: base + data_len,
        has_audio,
        audio_dropped: mixed,
    })
}

/// A run of source bytes copied as one.
struct Range {
    from: u64,
    len: u64,
}

/// Gives every chunk of `tracks` its place in the joined media data and returns, per clip, the ranges
/// of the source file to copy (adjacent chunks merged, at most [`PIECE`] each).
fn lay_out(clips: &[Clip], tracks: &mut [Merged]) -> Result<Vec<Vec<Range>>, JoinError> {
    let mut placed = 0u64;
    let mut copies = Vec::with_capacity(clips.len());
    let mut chunk_base = vec![0usize; tracks.len()];
    let mut offsets: Vec<Vec<u64>> = tracks
        .iter()
        .map(|t| vec![0; t.chunk_samples.len()])
        .collect();
    for clip in clips {
        // (source offset, bytes, track, chunk index in the joined track)
        let mut chunks = Vec::new();
        for (t, track) in tracks.iter().enumerate() {
            let own = match track.kind {
                Kind::Video => &clip.video,
                Kind::Audio => match &clip.audio {
                    Some(audio) => audio,
                    None => continue,
                },
            };
            for (c, chunk) in own.chunks.iter().enumerate() {
                chunks.push((chunk.offset, chunk.bytes, t, chunk_base[t] + c));
            }
            chunk_base[t] += own.chunks.len();
        }
        chunks.sort_unstable_by_key(|c| c.0);
        let mut ranges: Vec<Range> = Vec::new();
        for (from, bytes, t, c) in chunks {
            offsets[t][c] = placed;
            placed += bytes;
            match ranges.last_mut() {
                Some(last) if last.from + last.len == from && last.len + bytes <= PIECE => {
                    last.len += bytes;
                }
                Some(last) if from < last.from + last.len => {
                    return Err(JoinError::Damaged {
                        path: clip.path.clone(),
                        detail: format!("two chunks share the bytes at {from}"),
                    });
                }
                _ => ranges.push(Range { from, len: bytes }),
            }
        }
        copies.push(ranges);
    }
    for (track, offsets) in tracks.iter_mut().zip(offsets) {
        track.chunk_offsets = offsets;
    }
    Ok(copies)
}

/// Copies one range from its clip into the film. On Linux `io::copy` between files uses
/// `copy_file_range`, so the bytes never pass through this process's memory.
fn copy_range(
    clip: &mut Clip,
    range: &Range,
    out: &mut File,
    output: &Path,
) -> Result<(), JoinError> {
    let unreadable = |source| JoinError::Unreadable {
        path: clip.path.clone(),
        source,
    };
    clip.file
        .seek(SeekFrom::Start(range.from))
        .map_err(unreadable)?;
    let mut source = std::io::Read::take(&mut clip.file, range.len);
    let copied = std::io::copy(&mut source, out).map_err(|source| {
        // `io::copy` does not say which side failed; the output is the likelier one (a full disk).
        JoinError::Write {
            path: output.to_path_buf(),
            source,
        }
    })?;
    if copied != range.len {
        return Err(JoinError::SourceChanged {
            path: clip.path.clone(),
        });
    }
    Ok(())
}
