//! Frames taken from finished clips: the last frame of a shot (the first frame of the next one in a
//! sequence), any frame the player shows, and poster frames, decoded here so that the CLI and
//! sequences need no webview.
//!
//! [`clip_frames`] lists the frames a clip presents ([`FrameTable`]: count, each frame's time in
//! display order, frame rate, size) from its sample tables alone. [`extract_frame`] decodes one of them
//! ([`FramePick`]: the last, the n-th, or the one shown at a time) into an RGB image, and [`write_png`]
//! puts it on disk atomically ([`crate::durable`]); [`save_frame`] and [`poster_data_url`] are the files
//! the app keeps of them (a taken frame, a clip's poster).
//!
//! # What "a frame" means here
//!
//! Frames are counted in display order, after the edit list: the frames a player shows, nothing else
//! ([`table`]). With B-frames the samples are stored in another order than they are shown; a trimmed
//! copy keeps frames before its cut in the file without showing them. The last frame is the last one
//! *shown*. Time picks use the same clock as a player's `currentTime` (0 at the first shown frame).
//!
//! # Decoding only what the pick needs
//!
//! Decoding starts at the sync sample before the target in decoding order (one more back when the
//! target is a leading picture of an open GOP, shown before its sync sample), or further back at the
//! IDR picture before it when that sync sample is an open GOP's I picture (OpenH264 starts only at an
//! IDR), and stops after the target sample; pictures that no other picture refers to (`nal_ref_idc` =
//! 0: most B-frames) are skipped unless they are the target. Only those samples are read from the
//! file, so a 12 s clip's last frame costs one GOP at most when its GOPs are closed (x264's default;
//! what the service's encoder does is not documented); with open GOPs it costs the reference
//! pictures since the last IDR.
//!
//! # Colour
//!
//! Pictures are 8-bit 4:2:0; they become RGB with the matrix the stream's VUI names (BT.709, BT.601 or
//! BT.2020) and its range (limited unless flagged full). A stream that names none is taken as BT.709
//! from 720 lines up and as BT.601 below, as players and ffmpeg guess ([`avc::Sps::matrix`]).
//!
//! # Why OpenH264
//!
//! The decoder is Cisco's OpenH264 through the `openh264` crate (BSD-2-Clause; 0.9.9 bundles OpenH264
//! 2.7.0, so the bindings follow upstream releases; upstream is Cisco's, which ships it in browsers). Its
//! C++ source ships inside `openh264-sys2` and is compiled by `cc` at build time: a C++ compiler is the
//! only build need on Linux, macOS (Xcode's clang) and Windows (MSVC); with `nasm` on the PATH its x86
//! SIMD code is assembled too (faster; without it the plain C++ path is used, silently). Nothing is downloaded at run time: the
//! crate's optional `libloading` mode (Cisco's prebuilt binary, which would make the patent licence
//! Cisco's) is not used. It decodes progressive Constrained Baseline, Main and High profile streams,
//! CABAC and B-frames included, which is what the service and ffmpeg's libx264 produce. The weighed
//! alternatives: no pure-Rust H.264 decoder is mature (`h264-reader` only parses; the few decoders on
//! crates.io are Baseline-only experiments), and ffmpeg bindings would need ffmpeg's libraries on every
//! user's machine. Speed: see the `bench_frame` example.

mod avc;
mod decode;
mod error;
mod files;
mod table;

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use image::RgbImage;
use serde::Serialize;

use super::boxes::{read_top_level, ReadError};
use super::codec::Codec;
use super::track::{parse_movie, Kind, Sample, Track};
pub use error::FrameError;
pub use files::{forget_poster, poster_data_url, save_frame, POSTER_SIDE};

/// Which frame to take.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FramePick {
    /// The last frame shown.
    Last,
    /// The n-th frame shown (0-based, display order).
    Index(u32),
    /// The frame on screen at this many seconds from the start (as a player's `currentTime`).
    Time(f64),
}

/// The frames a clip shows.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct FrameTable {
    /// The picture's displayed size in pixels.
    pub width: u32,
    pub height: u32,
    /// Frames per second on average (frame count over duration).
    pub fps: f64,
    /// How long the clip shows pictures, in seconds.
    pub duration_secs: f64,
    /// When each frame appears, in seconds, in display order; the frame count is its length.
    pub times: Vec<f64>,
    /// Each shown frame's sample, in decoding order.
    #[serde(skip)]
    samples: Vec<usize>,
}

impl FrameTable {
    pub fn count(&self) -> u32 {
        u32::try_from(self.times.len()).unwrap_or(u32::MAX)
    }
}

/// One decoded frame.
#[derive(Clone, Debug)]
pub struct ExtractedFrame {
    pub image: RgbImage,
    /// Its place in display order (0-based).
    pub index: u32,
    /// When it appears, in seconds.
    pub time_secs: f64,
}

/// The frames `path` shows, read from its sample tables (nothing is decoded).
pub fn clip_frames(path: &Path) -> Result<FrameTable, FrameError> {
    Ok(Clip::open(path)?.table)
}

/// Decodes the frame `pick` names.
pub fn extract_frame(path: &Path, pick: FramePick) -> Result<ExtractedFrame, FrameError> {
    let mut clip = Clip::open(path)?;
    let index = clip.resolve(pick)?;
    let image = clip.decode(index)?;
    Ok(ExtractedFrame {
        image,
        index,
        time_secs: clip.table.times[index as usize],
    })
}

/// Writes `image` as a PNG at `path` through a flushed `.part` file ([`crate::durable::write_file`]),
/// replacing what was there; on failure nothing is left behind.
pub fn write_png(image: &RgbImage, path: &Path) -> Result<(), FrameError> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::ImageEncoder;
    let mut bytes = Vec::new();
    // Fast compression: a 1080p frame in a few tens of milliseconds, about a third larger than "best".
    PngEncoder::new_with_quality(&mut bytes, CompressionType::Fast, FilterType::Adaptive)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|e| FrameError::Write {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
    crate::durable::write_file(path, &bytes).map_err(|source| FrameError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// A clip opened for frames: its video track, decoder configuration and table of shown frames.
struct Clip {
    path: PathBuf,
    file: File,
    track: Track,
    config: avc::AvcConfig,
    table: FrameTable,
    /// Where each sample is in the file.
    offsets: Vec<u64>,
}

impl Clip {
    fn open(path: &Path) -> Result<Self, FrameError> {
        let p = || path.to_path_buf();
        let unreadable = |source| FrameError::Unreadable { path: p(), source };
        let damaged = |detail: String| FrameError::Damaged { path: p(), detail };
        let mut file = File::open(path).map_err(unreadable)?;
        if !looks_like_mp4(&mut file).map_err(unreadable)? {
            return Err(FrameError::NotMp4 { path: p() });
        }
        let (mvhd, tracks) = (|| {
            let top = read_top_level(&mut file)?;
            parse_movie(&top.moov, top.file_len)
        })()
        .map_err(|e| match e {
            ReadError::Io(source) => unreadable(source),
            ReadError::Damaged(detail) | ReadError::Unsupported(detail) => damaged(detail),
        })?;
        let track = tracks
            .into_iter()
            .find(|t| t.kind == Kind::Video)
            .ok_or_else(|| FrameError::NoVideo { path: p() })?;
        let not_h264 = |codec: String| FrameError::NotH264 { path: p(), codec };
        let config = match &track.codec {
            Codec::Video {
                fourcc: [b'a', b'v', b'c', b'1' | b'3'],
                config,
                ..
            } => avc::AvcConfig::parse(config).map_err(damaged)?,
            other => return Err(not_h264(other.describe())),
        };
        if config.sps.chroma_format != 1 || config.sps.bit_depth != 8 {
            return Err(not_h264(format!(
                "{} ({}-bit, chroma format {})",
                track.codec.describe(),
                config.sps.bit_depth,
                config.sps.chroma_format
            )));
        }
        let (presented, duration_secs) = table::presented(&track, mvhd.field).map_err(damaged)?;
        if presented.is_empty() {
            return Err(damaged("the video track shows no frames".into()));
        }
        let mut offsets = vec![0u64; track.samples.len()];
        for chunk in &track.chunks {
            let mut at = chunk.offset;
            let range = chunk.first_sample..chunk.first_sample + chunk.samples;
            for (offset, sample) in offsets[range.clone()].iter_mut().zip(&track.samples[range]) {
                *offset = at;
                at += u64::from(sample.size);
            }
        }
        let count = presented.len() as f64;
        let table = FrameTable {
            width: config.sps.width,
            height: config.sps.height,
            fps: if duration_secs > 0.0 {
                count / duration_secs
            } else {
                0.0
            },
            duration_secs,
            times: presented.iter().map(|f| f.time_secs).collect(),
            samples: presented.iter().map(|f| f.sample).collect(),
        };
        Ok(Self {
            path: p(),
            file,
            track,
            config,
            table,
            offsets,
        })
    }

    /// The display index `pick` names, or why there is none.
    fn resolve(&self, pick: FramePick) -> Result<u32, FrameError> {
        let count = self.table.count();
        match pick {
            FramePick::Last => Ok(count - 1),
            FramePick::Index(n) if n < count => Ok(n),
            FramePick::Index(n) => Err(FrameError::IndexOutOfRange {
                path: self.path.clone(),
                index: u64::from(n),
                count,
            }),
            FramePick::Time(secs) if (0.0..=self.table.duration_secs).contains(&secs) => {
                let shown = self.table.times.partition_point(|&t| t <= secs + 1e-6);
                Ok(u32::try_from(shown.saturating_sub(1)).unwrap_or(0))
            }
            FramePick::Time(secs) => Err(FrameError::TimeOutOfRange {
                path: self.path.clone(),
                secs,
                duration_secs: self.table.duration_secs,
            }),
        }
    }

    /// Decodes the frame shown at display index `index`.
    fn decode(&mut self, index: u32) -> Result<RgbImage, FrameError> {
        let target = self.table.samples[index as usize];
        let path = self.path.clone();
        let corrupt = |detail: String| FrameError::CorruptSample {
            path: path.clone(),
            frame: index,
            detail,
        };
        let first = self.first_to_decode(target, &corrupt)?;
        let mut decoder = decode::Decoder::new().map_err(corrupt)?;
        let sps = self.config.sps.clone();
        let mut found: Option<RgbImage> = None;
        let tag = |sample: usize| sample as u64 + 1;
        let mut keep = |picture: decode::Picture<'_>| {
            if picture.tag == tag(target) && found.is_none() {
                found = Some(picture.to_rgb(&sps));
            }
        };
        decoder
            .decode(&self.config.parameter_sets, 0, &mut keep)
            .map_err(corrupt)?;
        let mut data = Vec::new();
        let mut access_unit = Vec::new();
        for sample in first..=target {
            let kind = self.annex_b(sample, &mut data, &mut access_unit, &corrupt)?;
            if !kind.reference && sample != target {
                continue;
            }
            decoder
                .decode(&access_unit, tag(sample), &mut keep)
                .map_err(|e| corrupt(format!("sample {}: {e}", sample + 1)))?;
        }
        decoder.flush(&mut keep).map_err(corrupt)?;
        let image = found.ok_or_else(|| corrupt("the decoder gave no picture for it".into()))?;
        if (image.width(), image.height()) != (self.table.width, self.table.height) {
            return Err(corrupt(format!(
                "a {}×{} picture in a {}×{} clip",
                image.width(),
                image.height(),
                self.table.width,
                self.table.height
            )));
        }
        Ok(image)
    }

    /// The sample decoding starts from for `target`: the IDR picture at or before the sync sample
    /// before it, or before the one before that when `target` is shown before its sync sample (a
    /// leading picture of an open GOP, which may refer to the GOP before). A sync sample of an open GOP
    /// is an I picture but not an IDR, and OpenH264 without error concealment starts only at an IDR,
    /// so an open-GOP clip is decoded from the IDR before: slower, and the same picture ffmpeg shows.
    /// Without an IDR at or before that point (a clip cut at an open GOP's I picture) there is no frame.
    fn first_to_decode(
        &mut self,
        target: usize,
        corrupt: &dyn Fn(String) -> FrameError,
    ) -> Result<usize, FrameError> {
        let sync_at_or_before =
            |samples: &[Sample], i: usize| (0..=i).rev().find(|&s| samples[s].sync).unwrap_or(0);
        let samples = &self.track.samples;
        let pts = |i: usize| {
            let dts: i64 = samples[..i].iter().map(|s| i64::from(s.duration)).sum();
            dts + i64::from(samples[i].offset)
        };
        let sync = sync_at_or_before(samples, target);
        let mut first = if sync > 0 && pts(target) < pts(sync) {
            sync_at_or_before(samples, sync - 1)
        } else {
            sync
        };
        let mut data = Vec::new();
        let mut annex_b = Vec::new();
        loop {
            if self.annex_b(first, &mut data, &mut annex_b, corrupt)?.idr {
                return Ok(first);
            }
            if first == 0 {
                return Err(corrupt(
                    "the clip has no IDR picture before this frame, and decoding can only start at one \
                     (a clip cut from a longer one without re-encoding can begin this way)"
                        .into(),
                ));
            }
            first = sync_at_or_before(&self.track.samples, first - 1);
        }
    }

    /// Reads `sample` (into `data`) and puts it in `out` as Annex B, telling what kind of picture it is.
    fn annex_b(
        &mut self,
        sample: usize,
        data: &mut Vec<u8>,
        out: &mut Vec<u8>,
        corrupt: &dyn Fn(String) -> FrameError,
    ) -> Result<avc::SampleKind, FrameError> {
        self.read_sample(sample, data)?;
        out.clear();
        self.config
            .to_annex_b(data, out)
            .map_err(|e| corrupt(format!("sample {}: {e}", sample + 1)))
    }

    fn read_sample(&mut self, sample: usize, into: &mut Vec<u8>) -> Result<(), FrameError> {
        let unreadable = |source| FrameError::Unreadable {
            path: self.path.clone(),
            source,
        };
        into.resize(self.track.samples[sample].size as usize, 0);
        self.file
            .seek(SeekFrom::Start(self.offsets[sample]))
            .map_err(unreadable)?;
        self.file.read_exact(into).map_err(|source| {
            if source.kind() == std::io::ErrorKind::UnexpectedEof {
                FrameError::Damaged {
                    path: self.path.clone(),
                    detail: format!("sample {} is cut off", sample + 1),
                }
            } else {
                FrameError::Unreadable {
                    path: self.path.clone(),
                    source,
                }
            }
        })
    }
}

/// Whether the file starts with a box an MP4 (or QuickTime file) starts with; anything else is not a
/// video of the kind the app makes, whatever its name says.
fn looks_like_mp4(file: &mut File) -> std::io::Result<bool> {
    let mut head = [0u8; 8];
    let mut got = 0;
    while got < head.len() {
        match file.read(&mut head[got..])? {
            0 => break,
            n => got += n,
        }
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(got == 8
        && matches!(
            &head[4..8],
            b"ftyp" | b"moov" | b"mdat" | b"free" | b"skip" | b"wide" | b"uuid" | b"pnot"
        ))
}
