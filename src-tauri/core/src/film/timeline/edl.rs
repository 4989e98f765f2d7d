//! CMX 3600 EDL, the plain-text cut list every editor reads: one event per clip, source timecode from
//! the clip's start, record timecode from 01:00:00:00 (the broadcast convention) at the first clip's
//! frame rate, an eight-character reel name, and `* FROM CLIP NAME:` / `* FROM CLIP:` / `* SOURCE FILE:`
//! comments that Avid, Resolve, Premiere and OpenTimelineIO use to name and find the media.

use std::fmt::Write as _;

use super::{ClipFacts, TimelineClip};

/// Frames as `HH:MM:SS:FF` at `rate` whole frames per second (non-drop).
fn timecode(frames: u64, rate: u64) -> String {
    let rate = rate.max(1);
    let (seconds, ff) = (frames / rate, frames % rate);
    format!(
        "{:02}:{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60,
        ff
    )
}

/// One line of comment text: line breaks and other control characters become spaces (an EDL is read
/// line by line).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// A reel name: up to eight of the name's letters and digits, upper case; a clip whose name gives none,
/// or the same as an earlier clip's, is `CLIP` and its number.
fn reel_names(clips: &[TimelineClip]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    for (i, clip) in clips.iter().enumerate() {
        let stem = clip
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut reel: String = stem
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .take(8)
            .collect();
        if reel.is_empty() || taken.contains(&reel) {
            reel = format!("CLIP{:04}", i + 1);
        }
        taken.push(reel);
    }
    taken
}

pub(super) fn write(clips: &[TimelineClip], facts: &[ClipFacts], title: &str) -> String {
    let rate = facts.first().map_or(24, ClipFacts::timecode_rate);
    let mut out = format!("TITLE: {}\nFCM: NON-DROP FRAME\n\n", one_line(title));
    let mut record = 3600 * rate;
    for (i, ((clip, f), reel)) in clips.iter().zip(facts).zip(reel_names(clips)).enumerate() {
        let source_rate = f.timecode_rate();
        let length = (f.duration().seconds() * rate as f64).round() as u64;
        let channels = match f.audio {
            None => "V",
            Some((1, _)) => "B",
            Some(_) => "AA/V",
        };
        let _ = writeln!(
            out,
            "{:03}  {reel:<8} {channels:<5} C        {} {} {} {}",
            i + 1,
            timecode(0, source_rate),
            timecode(f.frames, source_rate),
            timecode(record, rate),
            timecode(record + length, rate),
        );
        let _ = writeln!(out, "* FROM CLIP NAME: {}", one_line(&clip.name));
        // Avid's and OpenTimelineIO's name for the media file, then Resolve's.
        let file = one_line(&clip.path.display().to_string());
        let _ = writeln!(out, "* FROM CLIP: {file}\n* SOURCE FILE: {file}\n");
        record += length;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timecodes_count_hours_minutes_seconds_frames() {
        assert_eq!(timecode(0, 24), "00:00:00:00");
        assert_eq!(timecode(3600 * 24 + 24 * 61 + 5, 24), "01:01:01:05");
        assert_eq!(timecode(29, 30), "00:00:00:29");
    }

    #[test]
    fn reels_are_short_unique_and_plain() {
        let clip = |p: &str| TimelineClip {
            path: p.into(),
            name: p.into(),
        };
        let reels = reel_names(&[
            clip("/v/shot one & 海.mp4"),
            clip("/v/shotone.mp4"),
            clip("/v/海浪.mp4"),
            clip("/v/a-very-long-name.mp4"),
        ]);
        assert_eq!(reels, ["SHOTONE", "CLIP0002", "CLIP0003", "AVERYLON"]);
        assert_eq!(one_line("a\r\nb\u{7}"), "a  b");
    }
}
