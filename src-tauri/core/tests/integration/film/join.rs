//! Clips that can be joined: of different lengths, with and without sound, with and without B-frames.

use std::ops::ControlFlow;
use std::path::PathBuf;

use seedance_core::film::{join, join_parts, JoinOptions, MixedAudio};

use super::checks::{assert_joined, FRAME};
use super::{contents, have_ffmpeg, make_clip, Spec, BIGGER, CLIP};

fn clips(dir: &std::path::Path, specs: &[Spec]) -> Vec<PathBuf> {
    specs
        .iter()
        .enumerate()
        .map(|(i, spec)| make_clip(dir, &format!("clip-{i}.mp4"), *spec))
        .collect()
}

#[test]
fn clips_with_sound_and_b_frames_of_different_lengths_join_into_one_film() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let lengths = [2.0, 1.5, 3.0];
    let specs: Vec<Spec> = lengths.iter().map(|&secs| Spec { secs, ..CLIP }).collect();
    let inputs = clips(dir.path(), &specs);
    let before = contents(&inputs);
    let film = dir.path().join("film.mp4");

    let mut calls = 0;
    let report = join(&inputs, &film, &JoinOptions::default(), |step| {
        calls += 1;
        assert!(step.bytes_done <= step.bytes_total);
        ControlFlow::Continue(())
    })
    .unwrap();

    assert_eq!(report.clips, 3);
    assert!(report.has_audio && !report.audio_dropped);
    assert!((report.duration_secs - 6.5).abs() <= FRAME, "{report:?}");
    assert_eq!(report.bytes, std::fs::metadata(&film).unwrap().len());
    assert!(calls >= 3, "progress after each clip at least: {calls}");
    assert_joined(&film, &inputs, true);
    assert_eq!(contents(&inputs), before, "the clips were changed");
    assert!(!dir.path().join("film.mp4.part").exists());
}

#[test]
fn clips_without_sound_or_b_frames_join_into_a_silent_film() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let specs: Vec<Spec> = [1.0, 2.5, 0.5]
        .iter()
        .map(|&secs| Spec {
            secs,
            audio: false,
            bframes: 0,
            ..CLIP
        })
        .collect();
    let inputs = clips(dir.path(), &specs);
    let film = dir.path().join("film.mp4");
    let report = join(&inputs, &film, &JoinOptions::default(), |_| {
        ControlFlow::Continue(())
    })
    .unwrap();
    assert!(!report.has_audio && !report.audio_dropped);
    assert_joined(&film, &inputs, false);
}

#[test]
fn one_clip_joins_into_a_copy_of_itself() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let inputs = clips(dir.path(), &[CLIP]);
    let film = dir.path().join("film.mp4");
    join(&inputs, &film, &JoinOptions::default(), |_| {
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_joined(&film, &inputs, true);
}

#[test]
fn clips_with_and_without_sound_join_without_sound_only_when_asked() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let silent = Spec {
        audio: false,
        ..CLIP
    };
    let inputs = clips(dir.path(), &[CLIP, silent, CLIP]);
    let film = dir.path().join("film.mp4");

    let refused = join(&inputs, &film, &JoinOptions::default(), |_| {
        ControlFlow::Continue(())
    })
    .unwrap_err();
    match refused {
        seedance_core::film::JoinError::AudioMixed { without_audio } => {
            let indices: Vec<u32> = without_audio.iter().map(|c| c.index).collect();
            assert_eq!(indices, vec![1]);
            assert!(without_audio[0].path.ends_with("clip-1.mp4"));
        }
        other => panic!("expected AudioMixed, got {other:?}"),
    }
    assert!(!film.exists());

    let options = JoinOptions {
        mixed_audio: MixedAudio::DropAudio,
    };
    let report = join(&inputs, &film, &options, |_| ControlFlow::Continue(())).unwrap();
    assert!(!report.has_audio && report.audio_dropped);
    assert_joined(&film, &inputs, false);
}

#[test]
fn clips_that_cannot_share_one_film_join_run_by_run_in_parts() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let silent = Spec {
        audio: false,
        ..CLIP
    };
    let specs = [CLIP, CLIP, BIGGER, BIGGER, silent, silent, CLIP];
    let inputs = clips(dir.path(), &specs);
    let before = contents(&inputs);
    // Other size, then sound missing, then sound again: each starts a part; the runs cover every clip.
    let parts = join_parts(&inputs).unwrap();
    assert_eq!(parts, vec![0..2, 2..4, 4..6, 6..7]);
    for (at, part) in parts.into_iter().enumerate() {
        let film = dir.path().join(format!("part-{at}.mp4"));
        let report = join(
            &inputs[part.clone()],
            &film,
            &JoinOptions::default(),
            |_| ControlFlow::Continue(()),
        )
        .unwrap();
        assert_eq!(report.clips, part.len());
        let sound = specs[part.start].audio;
        assert_eq!(report.has_audio, sound, "part {at}");
        assert_joined(&film, &inputs[part], sound);
    }
    assert_eq!(contents(&inputs), before, "the clips were changed");
    // Clips that can all share a film are one part; a clip that cannot be read is an error.
    assert_eq!(join_parts(&inputs[..2]).unwrap(), vec![0..2]);
    let missing = dir.path().join("missing.mp4");
    assert!(join_parts(&[inputs[0].clone(), missing]).is_err());
}
