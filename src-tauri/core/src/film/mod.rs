//! Films from finished clips: [`join`] puts clips one after the other in a single MP4 without
//! re-encoding, so a sequence of shots becomes one file in about the time it takes to copy it, with the
//! pictures and sound exactly as the service made them.
//!
//! # What a join does
//!
//! The clips must share their codec parameters: the same picture size, the same H.264 configuration
//! (profile, level, SPS and PPS in `avcC`), the same AAC configuration and the same timescales. Clips
//! that differ are all named in [`JoinError::Differs`] (with what differs: resolution, ratio, codec,
//! encoder settings, sound format, timing), so the UI can offer to leave them out or export them
//! separately ([`join_parts`] finds the runs of clips that can share a film); there is no partial join.
//!
//! Samples are copied, never decoded. Each clip's samples follow the previous clip's in the same track,
//! so decoding times run on continuously; composition offsets (`ctts`, B-frames) and sync samples stay
//! with their samples; each clip's edit list is carried over so the film presents exactly what each clip
//! presented (see [`merge`] for why that matters for B-frames and AAC priming). The joined file has
//! `moov` before `mdat` (plays while loading) and no metadata of its own yet.
//!
//! Clips with sound mixed with clips without: by default a typed error ([`JoinError::AudioMixed`], the
//! silent clips listed) so nothing is lost without the user saying so; with [`MixedAudio::DropAudio`]
//! the film has no sound track at all. Filling the gaps with silence would need an AAC encoder, which a
//! copy-only join does not have.
//!
//! # Memory, safety
//!
//! Only the clips' `moov` boxes are read into memory (a few KiB each); media data is copied range by
//! range from file to file (`copy_file_range` on Linux), so ten 1080p clips join in well under 64 MiB.
//! The film is written to a `.part` file beside the output, flushed and renamed into place
//! ([`crate::durable::write_with`]); a failure or cancellation leaves no partial film and whatever was
//! at the output untouched. Source clips are only opened for reading, and an output that is one of the
//! clips is refused.
//!
//! # Metadata and timelines
//!
//! The same box code writes text metadata into a finished MP4 ([`write_items`], used for a video's
//! recipe, see [`crate::recipe`]): only the `moov` is rebuilt, the media data is copied file to file, and
//! chunk offsets move when the `moov` comes first. [`export_timeline`] reads clips' headers for their
//! length, frame rate and size and writes FCPXML or a CMX 3600 EDL that references them.
//!
//! # Why hand-written boxes
//!
//! The joiner reads and writes the ~20 box types it needs itself ([`boxes`], [`headers`], [`codec`],
//! [`track`], [`write`]: about 1 200 lines with their tests). The MP4 crates on crates.io were weighed:
//! `mp4` (MIT) hands its writer each sample as bytes in memory (`Mp4Sample::bytes`) and rebuilds the
//! tables from them, so a join would pass every byte through this process; `mp4-atom` (MIT/Apache,
//! maintained) decodes and encodes boxes well, but a join still has to rebuild every table and edit
//! list by hand, which is most of this code; `re_mp4` only reads; `muxide` muxes encoded frames and
//! does not read MP4 files. None copies media data from file to file, which is what keeps memory flat.
//! The boxes the joiner copies (sample descriptions, handlers) are copied as bytes, so it needs to
//! understand only the tables it rewrites.

mod bits;
mod boxes;
mod codec;
mod error;
pub mod frame;
mod headers;
mod join;
mod merge;
mod meta;
mod tag;
mod timeline;
mod track;
mod write;

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

pub use boxes::ReadError;
pub use error::{ClipMismatch, ClipRef, Difference, JoinError};
pub use meta::TextItem;
pub use tag::{read_free_form, write_items, TagError};
pub use timeline::{
    clip_facts, clips_of_jobs, export_timeline, ClipFacts, Rational, TimelineClip, TimelineError,
    TimelineFormat, TimelineReport,
};

/// What to do when some clips have sound and others do not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MixedAudio {
    /// Stop with [`JoinError::AudioMixed`], naming the clips without sound.
    #[default]
    Refuse,
    /// Join the pictures only: the film has no sound track.
    DropAudio,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct JoinOptions {
    pub mixed_audio: MixedAudio,
}

/// How far the copy of the media data is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JoinProgress {
    pub bytes_done: u64,
    pub bytes_total: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct JoinReport {
    pub clips: usize,
    /// The film's length as its movie header says (the longer of its tracks).
    pub duration_secs: f64,
    /// The size of the film file.
    pub bytes: u64,
    pub has_audio: bool,
    /// Some clips had sound, others not, and [`MixedAudio::DropAudio`] left it out.
    pub audio_dropped: bool,
}

/// The runs of consecutive clips that can each be joined into one film, in order (index ranges into
/// `inputs`, covering all of them): a new run starts at every clip that differs from its run's first
/// clip ([`JoinError::Differs`] would name it) or that has sound where that clip has none, or the
/// reverse. For clips that cannot all share one film, joined run by run they keep every clip, in order,
/// with its sound. Reads only the clips' headers; a clip that cannot be read at all is an error.
pub fn join_parts(inputs: &[PathBuf]) -> Result<Vec<std::ops::Range<usize>>, JoinError> {
    join::join_parts(inputs)
}

/// Joins `inputs` in order into one MP4 at `output` (replaced atomically if it exists). `progress` is
/// called after each copied range of media data; returning `Break` cancels the join
/// ([`JoinError::Cancelled`], nothing written).
pub fn join(
    inputs: &[PathBuf],
    output: &Path,
    options: &JoinOptions,
    progress: impl FnMut(JoinProgress) -> ControlFlow<()>,
) -> Result<JoinReport, JoinError> {
    join::join(inputs, output, options, progress)
}
