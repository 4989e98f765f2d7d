//! Which frames a video track shows, in the order and at the times a player shows them. Samples are
//! stored in decoding order; with B-frames a sample's presentation time is its decoding time plus its
//! composition offset (`ctts`), so display order differs. The edit list then says which stretch of the
//! media is shown, and when: ffmpeg writes one that starts at the first presented frame (hiding the
//! B-frame delay), and a trimmed copy (`-ss … -c copy`) keeps the frames before the cut in the file but
//! presents them for no time at all. A frame belongs to the table when some of its display interval
//! falls inside an edit; the "last frame" of a clip is the last entry.

use crate::film::track::{Edit, Track};

/// Refused above this many presented frames; a damaged edit list could otherwise repeat the media
/// without end. One hour at 60 fps is 216 000.
const MAX_PRESENTED: usize = 1_000_000;

/// One presented frame: the sample (in decoding order) and when it appears, in seconds from the start
/// of the clip.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Presented {
    pub sample: usize,
    pub time_secs: f64,
}

/// The presented frames of `track`, in display order, and how long the track presents (seconds).
/// `movie_timescale` is the movie header's, in which edit durations are counted.
pub fn presented(track: &Track, movie_timescale: u32) -> Result<(Vec<Presented>, f64), String> {
    let media_scale = f64::from(track.timescale());
    // Display order: samples sorted by presentation time (decoding time + composition offset).
    let mut decode_time = 0i64;
    let mut order: Vec<(i64, usize)> = Vec::with_capacity(track.samples.len());
    for (i, s) in track.samples.iter().enumerate() {
        order.push((decode_time + i64::from(s.offset), i));
        decode_time += i64::from(s.duration);
    }
    order.sort_by_key(|&(pts, i)| (pts, i));
    // Each frame shows until the next one starts; the last for its own duration.
    let intervals: Vec<(i64, i64, usize)> = order
        .iter()
        .enumerate()
        .map(|(k, &(pts, i))| {
            let end = order
                .get(k + 1)
                .map_or(pts + i64::from(track.samples[i].duration), |n| n.0);
            (pts, end, i)
        })
        .collect();
    let media_end = intervals.last().map_or(0, |l| l.1);

    let whole_media = [Edit {
        duration: 0,
        media_time: Some(0),
    }];
    let (edits, edit_scale) = match &track.edits {
        Some(edits) if !edits.is_empty() => (&edits[..], f64::from(movie_timescale)),
        // No edit list: the media as it is, each frame at its own presentation time.
        _ => (&whole_media[..], media_scale),
    };
    let mut out = Vec::new();
    let mut start_secs = 0.0f64;
    for edit in edits {
        let secs = edit.duration as f64 / edit_scale;
        let Some(media_time) = edit.media_time else {
            start_secs += secs;
            continue;
        };
        let from = i64::try_from(media_time).map_err(|_| "an edit past any media".to_owned())?;
        // A duration of 0 (as written by some muxers, and our stand-in) reaches the end of the media.
        let until = if edit.duration == 0 || track.edits.is_none() {
            media_end
        } else {
            from.saturating_add((secs * media_scale).round() as i64)
        };
        for &(pts, end, sample) in &intervals {
            if end > from && pts < until {
                let offset = if track.edits.is_none() {
                    pts as f64
                } else {
                    (pts - from).max(0) as f64
                };
                out.push(Presented {
                    sample,
                    time_secs: start_secs + offset / media_scale,
                });
                if out.len() > MAX_PRESENTED {
                    return Err("an edit list that presents too many frames".into());
                }
            }
        }
        start_secs += if edit.duration == 0 || track.edits.is_none() {
            (media_end - from).max(0) as f64 / media_scale
        } else {
            secs
        };
    }
    // Two frames presented at the same moment: only the later one is ever seen.
    out.dedup_by(|later, earlier| {
        if (later.time_secs - earlier.time_secs).abs() < 1e-9 {
            *earlier = *later;
            true
        } else {
            false
        }
    });
    Ok((out, start_secs))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::film::codec::Codec;
    use crate::film::headers::TimedHeader;
    use crate::film::track::{Kind, Sample};

    fn header(field: u32) -> TimedHeader {
        TimedHeader {
            flags: 0,
            created: 0,
            modified: 0,
            field,
            duration: 0,
            rest: Vec::new(),
        }
    }

    /// A 30 fps track (timescale 15360, 512 per frame) with these composition offsets (in frames).
    fn track(offsets: &[i32], edits: Option<Vec<Edit>>) -> Track {
        let samples: Vec<Sample> = offsets
            .iter()
            .map(|&o| Sample {
                size: 1,
                duration: 512,
                offset: o * 512,
                sync: false,
            })
            .collect();
        Track {
            kind: Kind::Video,
            tkhd: header(1),
            mdhd: header(15360),
            hdlr: Vec::new(),
            media_header: Vec::new(),
            dinf: Vec::new(),
            stsd: Vec::new(),
            codec: Codec::Video {
                fourcc: *b"avc1",
                width: 2,
                height: 2,
                config: Vec::new(),
            },
            edits,
            media_duration: 512 * samples.len() as u64,
            composition_end: 0,
            samples,
            chunks: Vec::new(),
            has_offsets: true,
            has_sync_table: false,
            groups: None,
        }
    }

    fn samples(p: &[Presented]) -> Vec<usize> {
        p.iter().map(|f| f.sample).collect()
    }

    #[test]
    fn b_frames_are_shown_in_presentation_order_from_the_edit_start() {
        // ffmpeg's edit starts one frame in, where the first frame is presented.
        let t = track(
            &[1, 3, 1, 1, 2, 0],
            Some(vec![Edit {
                duration: 6 * 1000 / 30,
                media_time: Some(512),
            }]),
        );
        let (frames, secs) = presented(&t, 1000).unwrap();
        // pts = dts + offset: 1, 4, 3, 4, 6, 5 (in frames); samples 1 and 3 both start at 4, and only
        // the later is ever seen.
        assert_eq!(samples(&frames), [0, 2, 3, 5, 4]);
        assert!((frames[0].time_secs).abs() < 1e-9);
        assert!((frames[1].time_secs - 2.0 / 30.0).abs() < 1e-9);
        assert!((secs - 0.2).abs() < 1e-9);
    }

    #[test]
    fn an_edit_that_starts_mid_track_hides_the_frames_before_it() {
        let t = track(
            &[0; 10],
            Some(vec![
                Edit {
                    duration: 100,
                    media_time: None,
                },
                Edit {
                    duration: 4 * 1000 / 30,
                    media_time: Some(5 * 512),
                },
            ]),
        );
        let (frames, _) = presented(&t, 1000).unwrap();
        assert_eq!(samples(&frames), [5, 6, 7, 8]);
        assert!((frames[0].time_secs - 0.1).abs() < 1e-9, "after the pause");
    }

    #[test]
    fn without_an_edit_list_every_frame_shows_at_its_own_time() {
        let t = track(&[0, 0, 0], None);
        let (frames, secs) = presented(&t, 1000).unwrap();
        assert_eq!(samples(&frames), [0, 1, 2]);
        assert!((frames[2].time_secs - 2.0 / 30.0).abs() < 1e-9);
        assert!((secs - 0.1).abs() < 1e-9);
    }
}
