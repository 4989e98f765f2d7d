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
