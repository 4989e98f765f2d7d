//! One track of the joined film from the same track of every clip: samples appended in order (each
//! clip's decoding times shifted by the media duration of the clips before it, which is what appending
//! sample durations does), composition offsets and sync marks kept per sample, and an edit list that
//! presents exactly what each clip presented.
//!
//! Edit lists are where a naive join goes wrong. An encoder that uses B-frames starts the video's media
//! two frames late (`media_time` = the first composition offset), and an AAC encoder adds 1024 priming
//! samples at the start of every clip that are decoded but never played. Each clip's edit becomes an edit
//! of the joined track, moved by the clip's position; where one clip's edit ends exactly where the next
//! one's begins (the video of clips from one encoder, B-frames or not) the two become one edit, so the
//! common case keeps a single edit that every player honours. Audio keeps one edit per clip, which skips
//! each clip's priming samples instead of playing them and drifting ~21 ms per clip out of sync.

use super::track::{Edit, Kind, Sample, SampleGroups, Track};

/// A track of the joined film: what is copied from the first clip, and the appended tables.
pub struct Merged<'a> {
    pub kind: Kind,
    pub first: &'a Track,
    pub samples: Vec<Sample>,
    /// Samples per chunk, in order; the chunk offsets are set when the media data is laid out.
    pub chunk_samples: Vec<usize>,
    pub chunk_offsets: Vec<u64>,
    pub edits: Vec<Edit>,
    pub media_duration: u64,
    pub has_offsets: bool,
    pub has_sync_table: bool,
    pub groups: Option<SampleGroups>,
}

/// What one edit presents, in the track's media timescale (or a pause, in the movie timescale).
enum Span {
    Pause(u64),
    Media { start: u64, len: u64 },
}

/// `value` in `to` units, from `from` units, rounded to nearest.
pub fn rescale(value: u64, from: u32, to: u32) -> u64 {
    let scaled = (u128::from(value) * u128::from(to) + u128::from(from) / 2) / u128::from(from);
    u64::try_from(scaled).unwrap_or(u64::MAX)
}

impl<'a> Merged<'a> {
    /// `clips` pairs each clip's track with its movie timescale; `movie_timescale` is the joined film's.
    /// The tracks share one media timescale (checked before).
    pub fn build(clips: &[(&'a Track, u32)], movie_timescale: u32) -> Option<Self> {
        let (first, _) = *clips.first()?;
        let media_timescale = first.timescale();
        let total: usize = clips.iter().map(|(t, _)| t.samples.len()).sum();
        let mut samples = Vec::with_capacity(total);
        let mut chunk_samples = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        let mut base = 0u64;
        for &(track, clip_movie_timescale) in clips {
            samples.extend_from_slice(&track.samples);
            chunk_samples.extend(track.chunks.iter().map(|c| c.samples));
            // How far apart two edits may be and still be one: the rounding of the clip's edit
            // durations to its movie timescale (often milliseconds).
            let slack = u64::from(media_timescale.div_ceil(clip_movie_timescale));
            let own = track.edits.clone().unwrap_or_else(|| {
                vec![Edit {
                    duration: rescale(track.media_duration, media_timescale, clip_movie_timescale),
                    media_time: Some(0),
                }]
            });
            for edit in own {
                let Some(media_time) = edit.media_time else {
                    let pause = rescale(edit.duration, clip_movie_timescale, movie_timescale);
                    spans.push(Span::Pause(pause));
                    continue;
                };
                // Reordered frames are shown up to `composition_end`, past the last decoding time.
                if media_time >= track.composition_end {
                    continue;
                }
                let left = track.composition_end - media_time;
                let len = match edit.duration {
                    // A zero duration means "to the end of the media".
                    0 => left,
                    d => rescale(d, clip_movie_timescale, media_timescale).min(left),
                };
                push_media(&mut spans, base + media_time, len, slack);
            }
            base += track.media_duration;
        }
        let edits = spans
            .into_iter()
            .map(|span| match span {
                Span::Pause(duration) => Edit {
                    duration,
                    media_time: None,
                },
                Span::Media { start, len } => Edit {
                    duration: rescale(len, media_timescale, movie_timescale),
                    media_time: Some(start),
                },
            })
            .collect();
        Some(Self {
            kind: first.kind,
            first,
            samples,
            chunk_offsets: Vec::with_capacity(chunk_samples.len()),
            chunk_samples,
            edits,
            media_duration: base,
            has_offsets: clips.iter().any(|(t, _)| t.has_offsets),
            has_sync_table: clips.iter().any(|(t, _)| t.has_sync_table),
            groups: merge_groups(clips),
        })
    }

    /// The track's presented length in the movie timescale: the sum of its edits.
    pub fn duration(&self) -> u64 {
        self.edits.iter().map(|e| e.duration).sum()
    }
}

/// The clips' sample groupings appended, when every clip has the same description; otherwise none.
fn merge_groups(clips: &[(&Track, u32)]) -> Option<SampleGroups> {
    let first = clips.first()?.0.groups.as_ref()?;
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for (track, _) in clips {
        let groups = track.groups.as_ref()?;
        if groups.description != first.description || groups.grouping != first.grouping {
            return None;
        }
        let mut own = groups.runs.clone();
        // Samples the clip's runs do not reach belong to no group (index 0).
        let covered: u64 = own.iter().map(|r| u64::from(r.0)).sum();
        let missing = (track.samples.len() as u64).saturating_sub(covered);
        if missing > 0 {
            own.push((u32::try_from(missing).ok()?, 0));
        }
        for (count, index) in own {
            match runs.last_mut() {
                Some(last) if last.1 == index => last.0 = last.0.checked_add(count)?,
                _ => runs.push((count, index)),
            }
        }
    }
    Some(SampleGroups {
        runs,
        ..first.clone()
    })
}

/// Appends a span of media, joining it to the previous one when it continues it (within `slack`).
fn push_media(spans: &mut Vec<Span>, start: u64, len: u64, slack: u64) {
    if let Some(Span::Media {
        start: prev_start,
        len: prev_len,
    }) = spans.last_mut()
    {
        let prev_end = *prev_start + *prev_len;
        if prev_end.abs_diff(start) <= slack && start + len > *prev_start {
            *prev_len = start + len - *prev_start;
            return;
        }
    }
    spans.push(Span::Media { start, len });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn spans_of(spans: &[Span]) -> Vec<(u64, u64)> {
        spans
            .iter()
            .map(|s| match s {
                Span::Pause(d) => (u64::MAX, *d),
                Span::Media { start, len } => (*start, *len),
            })
            .collect()
    }

    #[test]
    fn continuing_edits_become_one_and_skipped_priming_keeps_them_apart() {
        // Video with B-frames: each 2 s clip (15360 per second) starts its edit 1024 late and presents
        // its whole length, so the next clip's edit starts where this one ends.
        let mut spans = Vec::new();
        push_media(&mut spans, 1024, 30720, 16);
        push_media(&mut spans, 30720 + 1024, 30720, 16);
        assert_eq!(spans_of(&spans), vec![(1024, 61440)]);

        // AAC: each clip's 1024 priming samples are decoded but not shown, so the edits stay apart.
        let mut spans = Vec::new();
        push_media(&mut spans, 1024, 96000, 48);
        push_media(&mut spans, 97024 + 1024, 96000, 48);
        assert_eq!(spans_of(&spans), vec![(1024, 96000), (98048, 96000)]);
    }

    fn audio_track(samples: usize, groups: Option<SampleGroups>) -> Track {
        use crate::film::codec::Codec;
        use crate::film::headers::TimedHeader;
        let header = TimedHeader {
            flags: 0,
            created: 0,
            modified: 0,
            field: 48000,
            duration: 0,
            rest: Vec::new(),
        };
        let sample = Sample {
            size: 10,
            duration: 1024,
            offset: 0,
            sync: true,
        };
        Track {
            kind: Kind::Audio,
            tkhd: header.clone(),
            mdhd: header,
            hdlr: Vec::new(),
            media_header: Vec::new(),
            dinf: Vec::new(),
            stsd: Vec::new(),
            codec: Codec::Audio {
                fourcc: *b"mp4a",
                channels: 2,
                sample_rate: 48000,
                config: Vec::new(),
            },
            edits: None,
            samples: vec![sample; samples],
            chunks: Vec::new(),
            has_offsets: false,
            has_sync_table: false,
            groups,
            media_duration: 1024 * samples as u64,
            composition_end: 1024 * samples as u64,
        }
    }

    #[test]
    fn sample_groups_are_appended_only_when_every_clip_shares_them() {
        let roll = |runs: Vec<(u32, u32)>| SampleGroups {
            description: vec![1, 2, 3],
            grouping: *b"roll",
            runs,
        };
        let a = audio_track(95, Some(roll(vec![(95, 1)])));
        // A clip whose runs stop short: the rest of its samples are in no group.
        let b = audio_track(50, Some(roll(vec![(40, 1)])));
        let c = audio_track(20, Some(roll(vec![(20, 1)])));
        let merged = merge_groups(&[(&a, 1000), (&b, 1000), (&c, 1000)]).unwrap();
        assert_eq!(merged.runs, vec![(135, 1), (10, 0), (20, 1)]);

        let other = audio_track(
            20,
            Some(SampleGroups {
                description: vec![9],
                ..roll(vec![(20, 1)])
            }),
        );
        assert_eq!(merge_groups(&[(&a, 1000), (&other, 1000)]), None);
        let none = audio_track(20, None);
        assert_eq!(merge_groups(&[(&a, 1000), (&none, 1000)]), None);
    }

    #[test]
    fn rescaling_rounds_to_nearest() {
        assert_eq!(rescale(2000, 1000, 48000), 96000);
        assert_eq!(rescale(1, 44100, 1000), 0);
        assert_eq!(rescale(23, 44100, 1000), 1);
        assert_eq!(rescale(u64::MAX, 1, 1000), u64::MAX);
    }
}
