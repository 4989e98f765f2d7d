//! Timelines for editors: an ordered list of clips written as FCPXML (Final Cut Pro, DaVinci Resolve,
//! Premiere through its importers) and as a CMX 3600 EDL (every editor), both referencing the clip files
//! where they are, so the cut can continue in an editor with the original media. Clip facts (length,
//! frame rate, picture size, sound) come from the clips' own headers through the film module's box
//! reader; nothing is decoded. Files are written whole through a flushed `.part` file and renamed
//! ([`crate::durable::write_file`]); the clips are only read.

mod edl;
mod fcpxml;
mod jobs;
mod time;

use std::fs::File;
use std::path::{Path, PathBuf};

use super::boxes::{read_top_level, ReadError};
use super::codec::Codec;
use super::track::{parse_movie, Kind};
use crate::i18n::{Message, UserFacing};

pub use jobs::clips_of_jobs;
pub use time::Rational;

/// One clip of a timeline: its file and the name editors show for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineClip {
    pub path: PathBuf,
    pub name: String,
}

/// What a timeline needs to know about a clip, from its headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClipFacts {
    /// Seconds per frame (1/24 for the service's clips).
    pub frame_duration: Rational,
    /// Pictures in the clip.
    pub frames: u64,
    pub width: u16,
    pub height: u16,
    /// Channels and sample rate, when the clip has sound.
    pub audio: Option<(u16, u32)>,
}

impl ClipFacts {
    pub fn duration(&self) -> Rational {
        self.frame_duration.times(self.frames)
    }

    /// Whole frames per second for timecode (24 for 1/24, 30 for 1001/30000).
    pub fn timecode_rate(&self) -> u64 {
        let Rational { num, den } = self.frame_duration;
        ((den + num / 2) / num.max(1)).max(1)
    }
}

/// Reads a clip's facts from its `moov`: the video track's frame count and most common frame duration
/// (constant for the service's clips), its size, and the sound track's format.
pub fn clip_facts(path: &Path) -> Result<ClipFacts, TimelineError> {
    let bad = |e: ReadError| match e {
        ReadError::Io(e) => TimelineError::Unreadable {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        ReadError::Damaged(d) | ReadError::Unsupported(d) => TimelineError::NotAClip {
            path: path.to_path_buf(),
            detail: d,
        },
    };
    let mut file = File::open(path).map_err(|e| bad(ReadError::Io(e)))?;
    let top = read_top_level(&mut file).map_err(bad)?;
    let (_, tracks) = parse_movie(&top.moov, top.file_len).map_err(bad)?;
    let no_video = || bad(ReadError::Damaged("no video track".to_owned()));
    let video = tracks
        .iter()
        .find(|t| t.kind == Kind::Video)
        .ok_or_else(no_video)?;
    let Codec::Video { width, height, .. } = video.codec else {
        return Err(no_video());
    };
    let mut counts: Vec<(u32, u64)> = Vec::new();
    for s in &video.samples {
        match counts.iter_mut().find(|(d, _)| *d == s.duration) {
            Some((_, n)) => *n += 1,
            None => counts.push((s.duration, 1)),
        }
    }
    let (sample_duration, _) = counts
        .iter()
        .copied()
        .filter(|(d, _)| *d > 0)
        .max_by_key(|(_, n)| *n)
        .ok_or_else(no_video)?;
    let audio = tracks.iter().find_map(|t| match (t.kind, &t.codec) {
        (
            Kind::Audio,
            Codec::Audio {
                channels,
                sample_rate,
                ..
            },
        ) => Some((*channels, *sample_rate)),
        _ => None,
    });
    Ok(ClipFacts {
        frame_duration: Rational::new(u64::from(sample_duration), u64::from(video.timescale())),
        frames: video.samples.len() as u64,
        width,
        height,
        audio,
    })
}

/// The two kinds of timeline file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TimelineFormat {
    /// FCPXML 1.10.
    Fcpxml,
    /// CMX 3600 EDL.
    Edl,
}

impl TimelineFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Fcpxml => "fcpxml",
            Self::Edl => "edl",
        }
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, specta::Type)]
pub struct TimelineReport {
    pub clips: u32,
    /// The timeline's length in seconds.
    pub duration_secs: f64,
}

/// Writes the timeline of `clips` (in order, back to back) named `title` to `output`, replacing it
/// atomically.
pub fn export_timeline(
    clips: &[TimelineClip],
    title: &str,
    format: TimelineFormat,
    output: &Path,
) -> Result<TimelineReport, TimelineError> {
    if clips.is_empty() {
        return Err(TimelineError::NoClips);
    }
    if let Some(clip) = clips.iter().find(|c| same_file(&c.path, output)) {
        return Err(TimelineError::OutputIsClip {
            path: clip.path.clone(),
        });
    }
    let facts = clips
        .iter()
        .map(|c| clip_facts(&c.path))
        .collect::<Result<Vec<_>, _>>()?;
    let text = match format {
        TimelineFormat::Fcpxml => fcpxml::write(clips, &facts, title)?,
        TimelineFormat::Edl => edl::write(clips, &facts, title),
    };
    crate::durable::write_file(output, text.as_bytes()).map_err(|e| TimelineError::Write {
        path: output.to_path_buf(),
        detail: e.to_string(),
    })?;
    let total = facts
        .iter()
        .fold(Rational::ZERO, |sum, f| sum.plus(f.duration()));
    Ok(TimelineReport {
        clips: u32::try_from(clips.len()).unwrap_or(u32::MAX),
        duration_secs: total.seconds(),
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TimelineError {
    #[error("no clips for the timeline")]
    NoClips,
    #[error("the timeline would overwrite the clip {path}")]
    OutputIsClip { path: PathBuf },
    #[error("cannot read {path}: {detail}")]
    Unreadable { path: PathBuf, detail: String },
    #[error("{path} is not a clip a timeline can use: {detail}")]
    NotAClip { path: PathBuf, detail: String },
    #[error("cannot write {path}: {detail}")]
    Write { path: PathBuf, detail: String },
    #[error("job {job} has no saved video")]
    NoVideo { job: String },
    #[error("the job history cannot be read: {detail}")]
    History { detail: String },
}

impl UserFacing for TimelineError {
    fn kind(&self) -> &'static str {
        match self {
            Self::NoClips => "timeline_no_clips",
            Self::OutputIsClip { .. } => "timeline_output_is_clip",
            Self::Unreadable { .. } => "timeline_unreadable",
            Self::NotAClip { .. } => "timeline_not_a_clip",
            Self::Write { .. } => "timeline_write_failed",
            Self::NoVideo { .. } => "timeline_no_video",
            Self::History { .. } => "timeline_history_unreadable",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::NoClips => Message::new("msg.timeline.no_clips"),
            Self::OutputIsClip { path } => {
                Message::new("msg.timeline.output_is_clip").arg("path", path)
            }
            Self::Unreadable { path, .. } => {
                Message::new("msg.timeline.unreadable").arg("path", path)
            }
            Self::NotAClip { path, .. } => {
                Message::new("msg.timeline.not_a_clip").arg("path", path)
            }
            Self::Write { path, .. } => Message::new("msg.timeline.write_failed").arg("path", path),
            Self::NoVideo { .. } => Message::new("msg.timeline.no_video"),
            Self::History { .. } => Message::new("msg.timeline.history_unreadable"),
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Unreadable { detail, .. }
            | Self::NotAClip { detail, .. }
            | Self::Write { detail, .. }
            | Self::History { detail } => Some(detail.clone()),
            _ => None,
        }
    }
}
