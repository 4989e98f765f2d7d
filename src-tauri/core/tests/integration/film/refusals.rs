//! Clips that cannot be joined, and joins that fail or are cancelled part way: each says why in a typed
//! error, and none leaves a film, a `.part` file or a changed clip behind.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use seedance_core::film::{join, Difference, JoinError, JoinOptions};

use super::{contents, have_ffmpeg, make_clip, Spec, BIGGER, CLIP};

fn no_film_left(film: &Path) {
    assert!(!film.exists(), "a film was left at {}", film.display());
    let part = film.with_file_name("film.mp4.part");
    assert!(!part.exists(), "a .part file was left");
}

fn join_all(inputs: &[PathBuf], film: &Path) -> Result<(), JoinError> {
    join(inputs, film, &JoinOptions::default(), |_| {
        ControlFlow::Continue(())
    })
    .map(|_| ())
}

#[test]
fn clips_of_other_sizes_are_all_named_with_how_they_differ() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let squarer = Spec {
        width: 240,
        height: 180,
        ..CLIP
    };
    let inputs = vec![
        make_clip(dir.path(), "a.mp4", CLIP),
        make_clip(dir.path(), "b.mp4", BIGGER),
        make_clip(dir.path(), "c.mp4", CLIP),
        make_clip(dir.path(), "d.mp4", squarer),
    ];
    let film = dir.path().join("film.mp4");
    let Err(JoinError::Differs { mismatches }) = join_all(&inputs, &film) else {
        panic!("clips of other sizes were joined");
    };
    let found: Vec<(u32, Difference)> = mismatches
        .into_iter()
        .map(|m| (m.clip.index, m.difference))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                1,
                Difference::Resolution {
                    expected: [320, 180],
                    found: [640, 360],
                    same_ratio: true
                }
            ),
            (
                3,
                Difference::Resolution {
                    expected: [320, 180],
                    found: [240, 180],
                    same_ratio: false
                }
            ),
        ]
    );
    no_film_left(&film);
}

#[test]
fn a_clip_of_another_profile_is_named_with_both_codecs() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let high = Spec { bframes: 0, ..CLIP };
    let baseline = Spec {
        profile: "baseline",
        ..high
    };
    let inputs = vec![
        make_clip(dir.path(), "a.mp4", high),
        make_clip(dir.path(), "b.mp4", baseline),
    ];
    let film = dir.path().join("film.mp4");
    let Err(JoinError::Differs { mismatches }) = join_all(&inputs, &film) else {
        panic!("clips of other profiles were joined");
    };
    assert_eq!(mismatches.len(), 1);
    assert_eq!(mismatches[0].clip.index, 1);
    match &mismatches[0].difference {
        Difference::VideoCodec { expected, found } => {
            assert!(expected.starts_with("H.264 High "), "{expected}");
            assert!(found.starts_with("H.264 Baseline "), "{found}");
        }
        other => panic!("expected a codec difference, got {other:?}"),
    }
    no_film_left(&film);
}

#[test]
fn clips_with_sound_in_another_format_are_named_with_both_formats() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cd_rate = Spec {
        sample_rate: 44100,
        ..CLIP
    };
    let mono = Spec {
        channels: 1,
        ..CLIP
    };
    let inputs = vec![
        make_clip(dir.path(), "a.mp4", CLIP),
        make_clip(dir.path(), "b.mp4", cd_rate),
        make_clip(dir.path(), "c.mp4", mono),
    ];
    let film = dir.path().join("film.mp4");
    let Err(JoinError::Differs { mismatches }) = join_all(&inputs, &film) else {
        panic!("clips with other sound were joined");
    };
    let found: Vec<(u32, Difference)> = mismatches
        .into_iter()
        .map(|m| (m.clip.index, m.difference))
        .collect();
    let format = |found: &str| Difference::AudioFormat {
        expected: "AAC-LC 48000 Hz 2 ch".into(),
        found: found.into(),
    };
    assert_eq!(
        found,
        vec![
            (1, format("AAC-LC 44100 Hz 2 ch")),
            (2, format("AAC-LC 48000 Hz 1 ch")),
        ]
    );
    no_film_left(&film);
}

#[test]
fn a_cancelled_join_leaves_the_old_film_and_the_clips_as_they_were() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let inputs = vec![
        make_clip(dir.path(), "a.mp4", CLIP),
        make_clip(dir.path(), "b.mp4", CLIP),
    ];
    let before = contents(&inputs);
    let film = dir.path().join("film.mp4");
    std::fs::write(&film, b"the film from yesterday").unwrap();

    let mut calls = 0;
    let outcome = join(&inputs, &film, &JoinOptions::default(), |step| {
        calls += 1;
        assert!(
            step.bytes_done < step.bytes_total,
            "cancelled before the end"
        );
        ControlFlow::Break(())
    });
    assert!(matches!(outcome, Err(JoinError::Cancelled)), "{outcome:?}");
    assert_eq!(calls, 1);
    assert_eq!(std::fs::read(&film).unwrap(), b"the film from yesterday");
    assert!(!film.with_file_name("film.mp4.part").exists());
    assert_eq!(contents(&inputs), before);
}

#[test]
fn a_clip_cut_short_while_joining_fails_the_join_and_leaves_no_film() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let inputs = vec![
        make_clip(dir.path(), "a.mp4", CLIP),
        make_clip(dir.path(), "b.mp4", CLIP),
    ];
    let film = dir.path().join("film.mp4");
    let victim = inputs[1].clone();
    let outcome = join(&inputs, &film, &JoinOptions::default(), |_| {
        // After the first clip's media is copied, something else cuts the second clip short.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(&victim)
            .unwrap();
        file.set_len(100).unwrap();
        ControlFlow::Continue(())
    });
    match outcome {
        Err(JoinError::SourceChanged { path }) => assert_eq!(path, victim),
        other => panic!("expected SourceChanged, got {other:?}"),
    }
    no_film_left(&film);
}

#[test]
fn damaged_files_and_a_film_over_its_own_clip_are_refused() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let good = make_clip(dir.path(), "a.mp4", CLIP);
    let film = dir.path().join("film.mp4");

    // ffmpeg writes `moov` last: an unfinished download has none.
    let bytes = std::fs::read(&good).unwrap();
    let cut = dir.path().join("cut.mp4");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let text = dir.path().join("notes.mp4");
    std::fs::write(&text, "not a video at all, just words").unwrap();
    for bad in [&cut, &text] {
        match join_all(&[good.clone(), bad.clone()], &film) {
            Err(JoinError::Damaged { path, .. }) => assert_eq!(&path, bad),
            other => panic!("{} was not refused as damaged: {other:?}", bad.display()),
        }
        no_film_left(&film);
    }

    let missing = dir.path().join("gone.mp4");
    assert!(matches!(
        join_all(&[good.clone(), missing], &film),
        Err(JoinError::Unreadable { .. })
    ));
    assert!(matches!(join_all(&[], &film), Err(JoinError::NoClips)));

    let second = make_clip(dir.path(), "b.mp4", CLIP);
    let before = contents(&[good.clone(), second.clone()]);
    match join_all(&[good.clone(), second.clone()], &second) {
        Err(JoinError::OutputIsInput { path }) => assert_eq!(path, second),
        other => panic!("the film was written over its own clip: {other:?}"),
    }
    assert_eq!(contents(&[good, second]), before);
}
