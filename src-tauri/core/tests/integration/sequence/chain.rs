//! A whole sequence generated at once: the chained shots wait for the shot before them, each starts from
//! the last frame of that shot's clip (written before its create, never sent without it), and a shot
//! whose source failed is failed without being sent.

use seedance_core::film::frame::{extract_frame, FramePick};
use seedance_core::i18n::UserFacing;
use seedance_core::jobs::{BatchRunError, CHAIN_BROKEN};
use seedance_core::sequence::{FirstFrame, RunScope};
use seedance_core::store::JobStatus;
use seedance_sim::{SimConfig, TaskFailure, TaskScript};

use super::{frames_dir, run, sequence, take_ids, view};
use crate::support::api::within;
use crate::support::jobs::harness;
use crate::support::pipeline::frame;

#[tokio::test]
async fn chained_shots_wait_for_the_shot_before_and_start_from_its_clips_last_frame() {
    let h = harness(SimConfig::fast(), 3).await;
    let photo = frame(h.dir.path(), "harbour.png", 1280, 720, 40);
    let seq = sequence(
        &h.store,
        vec![
            FirstFrame::Image {
                path: photo.display().to_string(),
            },
            FirstFrame::Previous,
            FirstFrame::Previous,
        ],
    );
    let batch = run(&h.runner, h.dir.path(), &seq, RunScope::Whole)
        .await
        .unwrap();
    assert_eq!(batch.counts.total(), 3);
    within(h.runner.wait_idle()).await;

    let v = view(&h.runner, &seq);
    let takes = take_ids(&v);
    assert_eq!(takes.iter().map(Vec::len).collect::<Vec<_>>(), [1, 1, 1]);
    assert_eq!(h.sim.counts().create, 3, "each shot sent once");
    for (at, shot) in v.shots.iter().enumerate() {
        let take = &shot.takes[0];
        assert_eq!(take.job.status, JobStatus::Done, "{:?}", take.job);
        assert_eq!(shot.in_film.as_deref(), Some(take.job.id.as_str()));
        if at == 0 {
            assert_eq!(take.chained_from, None);
            continue;
        }
        let source = &v.shots[at - 1].takes[0].job;
        assert_eq!(take.chained_from.as_deref(), Some(source.id.as_str()));
        // Sent only after the clip it starts from was on disk.
        let finished = source.finished_at.unwrap();
        assert!(
            take.job.create_sent_at.unwrap() >= finished,
            "shot {} sent before its source finished",
            at + 1
        );
        // Its first frame is the last frame of that clip, in the data folder, and was shown as a thumbnail.
        let first = take.job.request.first_frame.clone().unwrap();
        assert!(
            first.starts_with(&frames_dir(h.dir.path()).display().to_string()),
            "{first}"
        );
        let written = image::open(&first).unwrap().to_rgb8();
        let expected = extract_frame(
            std::path::Path::new(source.output_path.as_ref().unwrap()),
            FramePick::Last,
        )
        .unwrap()
        .image;
        assert_eq!(written.dimensions(), expected.dimensions());
        assert!(
            written == expected,
            "shot {}'s first frame is not its source's last frame",
            at + 1
        );
        assert!(take.job.has_first_thumb);
    }
}

#[tokio::test]
async fn a_shot_whose_source_failed_is_failed_unsent() {
    let h = harness(SimConfig::fast(), 2).await;
    h.sim.script_next_task(TaskScript {
        fail: Some(TaskFailure {
            error_code: "content_policy".into(),
            error_msg: "refused".into(),
        }),
        ..TaskScript::default()
    });
    let seq = sequence(&h.store, vec![FirstFrame::None, FirstFrame::Previous]);
    run(&h.runner, h.dir.path(), &seq, RunScope::Whole)
        .await
        .unwrap();
    within(h.runner.wait_idle()).await;
    let v = view(&h.runner, &seq);
    assert_eq!(v.shots[0].takes[0].job.status, JobStatus::Failed);
    let chained = &v.shots[1].takes[0].job;
    assert_eq!(chained.status, JobStatus::Failed);
    assert_eq!(
        chained.problem.as_ref().map(|p| p.kind.as_str()),
        Some(CHAIN_BROKEN)
    );
    assert_eq!(chained.create_sent_at, None, "never sent");
    assert_eq!(h.sim.counts().create, 1);
    assert_eq!(h.sim.counts().upload, 0, "nothing uploaded for it either");
}

#[tokio::test]
async fn a_first_shot_chained_to_nothing_is_refused_with_nothing_stored() {
    let h = harness(SimConfig::fast(), 2).await;
    let seq = sequence(&h.store, vec![FirstFrame::Previous, FirstFrame::None]);
    let err = run(&h.runner, h.dir.path(), &seq, RunScope::Whole)
        .await
        .unwrap_err();
    assert!(matches!(err, BatchRunError::Shot { .. }), "{err:?}");
    assert!(
        format!("{:?}", err.msg()).contains("msg.sequence.first_shot_chained"),
        "{:?}",
        err.msg()
    );
    assert!(take_ids(&view(&h.runner, &seq)).iter().all(Vec::is_empty));
    assert_eq!(h.sim.counts().create, 0);
}

#[tokio::test]
async fn a_double_click_on_generate_sends_each_shot_once_and_again_makes_nothing() {
    let h = harness(SimConfig::fast(), 2).await;
    let seq = sequence(&h.store, vec![FirstFrame::None, FirstFrame::Previous]);
    let (a, b) = tokio::join!(
        run(&h.runner, h.dir.path(), &seq, RunScope::Whole),
        run(&h.runner, h.dir.path(), &seq, RunScope::Whole)
    );
    assert!(
        a.is_ok() != b.is_ok(),
        "exactly one run starts: {a:?} {b:?}"
    );
    let refused = a.err().or(b.err()).unwrap();
    // The second either finds the first's batch stored moments ago, or every shot already with a take.
    let nothing = |e: &BatchRunError| {
        matches!(e, BatchRunError::Shot { .. })
            && format!("{:?}", e.msg()).contains("msg.sequence.nothing_to_generate")
    };
    assert!(
        matches!(refused, BatchRunError::Duplicate { .. }) || nothing(&refused),
        "{refused:?}"
    );
    within(h.runner.wait_idle()).await;
    assert_eq!(h.sim.counts().create, 2);
    // Every shot has a take now: generating the sequence again has nothing to make.
    let again = run(&h.runner, h.dir.path(), &seq, RunScope::Whole)
        .await
        .unwrap_err();
    assert!(nothing(&again), "{again:?}");
    assert_eq!(h.sim.counts().create, 2);
}
