//! Files frames cannot be taken from end in the typed error that says why, and mangled bytes never
//! panic (nor crash the decoder) whatever they hit: the boxes, the sample tables or the picture data.

use proptest::prelude::*;
use seedance_core::film::frame::{clip_frames, extract_frame, FrameError, FramePick};

use super::{ffmpeg, have_ffmpeg, make_clip, Spec, CLIP};

/// The body's range of the first top-level box of type `kind`.
fn top_level_box(bytes: &[u8], kind: &[u8; 4]) -> std::ops::Range<usize> {
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let size = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        if &bytes[at + 4..at + 8] == kind {
            return at + 8..at + size;
        }
        at += size;
    }
    panic!("no {kind:?} box");
}

#[test]
fn files_without_frames_say_why() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    let text = d.join("notes.mp4");
    std::fs::write(&text, "not a video at all").unwrap();
    let e = extract_frame(&text, FramePick::Last).unwrap_err();
    assert!(matches!(e, FrameError::NotMp4 { .. }), "{e:?}");

    let e = clip_frames(&d.join("gone.mp4")).unwrap_err();
    assert!(matches!(e, FrameError::Unreadable { .. }), "{e:?}");

    // ffmpeg writes the sample tables after the media data: the first half has none.
    let clip = make_clip(d, "clip.mp4", CLIP);
    let bytes = std::fs::read(&clip).unwrap();
    let cut = d.join("cut.mp4");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let e = extract_frame(&cut, FramePick::Last).unwrap_err();
    assert!(matches!(e, FrameError::Damaged { .. }), "{e:?}");

    let sound = d.join("sound.m4a");
    ffmpeg(
        &["-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac"],
        &sound,
    );
    let e = extract_frame(&sound, FramePick::Last).unwrap_err();
    assert!(matches!(e, FrameError::NoVideo { .. }), "{e:?}");

    let mpeg4 = d.join("mpeg4.mp4");
    ffmpeg(
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=64x64:duration=0.2",
            "-c:v",
            "mpeg4",
        ],
        &mpeg4,
    );
    let e = extract_frame(&mpeg4, FramePick::Last).unwrap_err();
    assert!(
        matches!(&e, FrameError::NotH264 { codec, .. } if codec == "mp4v"),
        "{e:?}"
    );

    // Picture data overwritten: NAL lengths that run past their samples.
    let mut garbled = bytes.clone();
    let mdat = top_level_box(&garbled, b"mdat");
    garbled[mdat].fill(0xff);
    let bad = d.join("garbled.mp4");
    std::fs::write(&bad, &garbled).unwrap();
    assert_eq!(
        clip_frames(&bad).unwrap().count(),
        60,
        "the tables are intact"
    );
    let e = extract_frame(&bad, FramePick::Index(3)).unwrap_err();
    assert!(
        matches!(e, FrameError::CorruptSample { frame: 3, .. }),
        "{e:?}"
    );
}

/// A tiny clip with its tables first (so mangling hits tables and pictures alike).
fn tiny_clip() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let spec = Spec {
        secs: 0.4,
        width: 64,
        height: 48,
        audio: true,
        ..CLIP
    };
    let clip = make_clip(dir.path(), "tiny.mp4", spec);
    let fast = dir.path().join("fast.mp4");
    ffmpeg(
        &[
            "-i",
            clip.to_str().unwrap(),
            "-c",
            "copy",
            "-movflags",
            "+faststart",
        ],
        &fast,
    );
    std::fs::read(fast).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn mangled_clips_end_in_an_error_or_a_frame_never_a_panic(
        changes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        if !have_ffmpeg() {
            return Ok(());
        }
        static CLIP_BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        let mut bytes = CLIP_BYTES.get_or_init(tiny_clip).clone();
        for (at, value) in changes {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mangled.mp4");
        std::fs::write(&path, &bytes).unwrap();
        if let Ok(table) = clip_frames(&path) {
            prop_assert!(!table.times.is_empty());
        }
        for pick in [FramePick::Last, FramePick::Index(5), FramePick::Time(0.1)] {
            if let Ok(frame) = extract_frame(&path, pick) {
                prop_assert!(frame.image.width() > 0 && frame.image.height() > 0);
            }
        }
    }
}
