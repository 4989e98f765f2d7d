//! A sequence's film: the takes in the film joined in shot order into the output folder, under the
//! sequence's name, without touching the clips; a shot without a finished take stops it and is named.

use seedance_core::i18n::UserFacing;
use seedance_core::jobs::FilmError;
use seedance_core::sequence::{FirstFrame, RunScope};
use seedance_sim::SimConfig;

use super::{run, sequence, view};
use crate::support::api::within;
use crate::support::jobs::harness;

fn duration_of(path: &str) -> f64 {
    seedance_core::film::frame::clip_frames(std::path::Path::new(path))
        .unwrap()
        .duration_secs
}

#[tokio::test]
async fn the_film_joins_the_takes_in_the_film_in_shot_order() {
    let h = harness(SimConfig::fast(), 2).await;
    let seq = sequence(
        &h.store,
        vec![FirstFrame::None, FirstFrame::Previous, FirstFrame::None],
    );
    // Nothing made yet: every shot is named.
    let err = h.runner.join_sequence(&seq.id, &[], false).unwrap_err();
    assert!(
        matches!(&err, FilmError::MissingTakes { shots } if shots == &[1, 2, 3]),
        "{err:?}"
    );
    assert_eq!(err.kind(), "sequence_missing_takes");

    run(&h.runner, h.dir.path(), &seq, RunScope::Whole)
        .await
        .unwrap();
    within(h.runner.wait_idle()).await;
    let v = view(&h.runner, &seq);
    let clips: Vec<String> = v
        .shots
        .iter()
        .map(|s| s.takes[0].job.output_path.clone().unwrap())
        .collect();
    let before: Vec<Vec<u8>> = clips.iter().map(|c| std::fs::read(c).unwrap()).collect();
    let sum: f64 = clips.iter().map(|c| duration_of(c)).sum();

    let film = h.runner.join_sequence(&seq.id, &[], false).unwrap();
    assert_eq!(film.clips, 3);
    assert!(
        film.path.ends_with("harbour at dawn.mp4") || film.path.contains("harbour"),
        "{}",
        film.path
    );
    assert!(
        (duration_of(&film.path) - sum).abs() < 0.1,
        "{} vs {sum}",
        duration_of(&film.path)
    );
    assert!((film.duration_secs - sum).abs() < 0.1);
    // The clips are untouched; a second join never overwrites the first film.
    let after: Vec<Vec<u8>> = clips.iter().map(|c| std::fs::read(c).unwrap()).collect();
    assert!(before == after);
    let again = h
        .runner
        .join_sequence(&seq.id, &[seq.doc.shots[1].id.clone()], false)
        .unwrap();
    assert_ne!(again.path, film.path);
    assert_eq!(again.clips, 2, "the shot left out is not in it");
}

#[tokio::test]
async fn takes_that_cannot_share_one_film_join_in_parts_in_shot_order() {
    if !crate::film::have_ffmpeg() {
        return;
    }
    let h = harness(SimConfig::fast(), 2).await;
    let seq = sequence(
        &h.store,
        vec![FirstFrame::None, FirstFrame::None, FirstFrame::None],
    );
    run(&h.runner, h.dir.path(), &seq, RunScope::Whole)
        .await
        .unwrap();
    within(h.runner.wait_idle()).await;
    let clips: Vec<String> = view(&h.runner, &seq)
        .shots
        .iter()
        .map(|s| s.takes[0].job.output_path.clone().unwrap())
        .collect();
    // Shots 2 and 3 came out smaller than shot 1 (as takes made at another resolution would).
    let made = tempfile::tempdir().unwrap();
    for (at, clip) in clips.iter().enumerate().skip(1) {
        let other = crate::film::make_clip(made.path(), &format!("{at}.mp4"), crate::film::CLIP);
        std::fs::copy(other, clip).unwrap();
    }
    let before: Vec<Vec<u8>> = clips.iter().map(|c| std::fs::read(c).unwrap()).collect();

    let err = h.runner.join_sequence(&seq.id, &[], false).unwrap_err();
    assert_eq!(err.kind(), "film_clips_differ", "{err:?}");
    let films = h.runner.join_sequence_parts(&seq.id, &[]).unwrap();
    let names: Vec<&str> = films
        .iter()
        .map(|f| f.path.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["harbour at dawn - 1.mp4", "harbour at dawn - 2.mp4"]
    );
    assert_eq!(films.iter().map(|f| f.clips).collect::<Vec<_>>(), [1, 2]);
    let first = duration_of(&clips[0]);
    let rest = duration_of(&clips[1]) + duration_of(&clips[2]);
    for (film, expected) in films.iter().zip([first, rest]) {
        assert!(
            (duration_of(&film.path) - expected).abs() < 0.1,
            "{}: {} vs {expected}",
            film.path,
            duration_of(&film.path)
        );
    }
    let after: Vec<Vec<u8>> = clips.iter().map(|c| std::fs::read(c).unwrap()).collect();
    assert!(before == after, "the takes were changed");
    // Leaving the odd shot out, the rest is one part.
    let one = h
        .runner
        .join_sequence_parts(&seq.id, &[seq.doc.shots[0].id.clone()])
        .unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].clips, 2);
}
