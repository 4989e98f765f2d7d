//! Re-rolling one shot: a new take of it alone, or with re-chaining, new takes of the chained shots after
//! it, each starting from the new take before it. Nothing downstream is made without being asked. Takes:
//! the newest finished one goes into the film unless the user chose another.

use seedance_core::cost::CostRates;
use seedance_core::sequence::{FirstFrame, RunScope};
use seedance_core::store::JobStatus;
use seedance_sim::SimConfig;

use super::{frames_dir, run, sequence, take_ids, view};
use crate::support::api::within;
use crate::support::jobs::harness;

fn reroll(shot_id: &str, rechain: bool) -> RunScope {
    RunScope::Shot {
        shot_id: shot_id.to_owned(),
        rechain,
    }
}

#[tokio::test]
async fn rerolling_a_shot_without_rechaining_makes_one_take_and_leaves_the_rest() {
    let h = harness(SimConfig::fast(), 2).await;
    let seq = sequence(
        &h.store,
        vec![FirstFrame::None, FirstFrame::Previous, FirstFrame::Previous],
    );
    run(&h.runner, h.dir.path(), &seq, RunScope::Whole)
        .await
        .unwrap();
    within(h.runner.wait_idle()).await;
    let before = take_ids(&view(&h.runner, &seq));

    let second = seq.doc.shots[1].id.clone();
    // The plan the confirmation shows: one job without re-chaining, two with it.
    let plan = |rechain| {
        h.runner
            .plan_sequence_run(
                &seq.id,
                &reroll(&second, rechain),
                &CostRates::default(),
                &frames_dir(h.dir.path()),
            )
            .unwrap()
    };
    let (alone, chained) = (plan(false), plan(true));
    assert_eq!(
        (alone.batch.jobs.len(), chained.batch.jobs.len()),
        (2 - 1, 2)
    );
    assert!(chained.batch.total.tokens_max > alone.batch.total.tokens_max);

    run(&h.runner, h.dir.path(), &seq, reroll(&second, false))
        .await
        .unwrap();
    within(h.runner.wait_idle()).await;
    let v = view(&h.runner, &seq);
    let after = take_ids(&v);
    assert_eq!(after[0], before[0]);
    assert_eq!(after[2], before[2], "the shot after it was not made again");
    assert_eq!(after[1].len(), 2);
    assert_eq!(h.sim.counts().create, 4);
    // The new take starts from the first shot's take, like the old one, and is now in the film.
    let new = &v.shots[1].takes[1];
    assert_eq!(new.chained_from.as_deref(), Some(before[0][0].as_str()));
    assert_eq!(v.shots[1].in_film.as_deref(), Some(new.job.id.as_str()));

    // Choosing the old take puts it back into the film.
    h.runner
        .choose_take(&seq.id, &second, &before[1][0])
        .unwrap();
    let v = view(&h.runner, &seq);
    assert_eq!(v.shots[1].in_film.as_deref(), Some(before[1][0].as_str()));
    // A job that is not a take of the shot cannot be chosen.
    assert!(h
        .runner
        .choose_take(&seq.id, &second, &before[2][0])
        .is_err());
}

#[tokio::test]
async fn rerolling_with_rechaining_remakes_the_chained_shots_after_it_from_the_new_take() {
    let h = harness(SimConfig::fast(), 2).await;
    let seq = sequence(
        &h.store,
        vec![
            FirstFrame::None,
            FirstFrame::Previous,
            FirstFrame::Previous,
            FirstFrame::None,
            FirstFrame::Previous,
        ],
    );
    run(&h.runner, h.dir.path(), &seq, RunScope::Whole)
        .await
        .unwrap();
    within(h.runner.wait_idle()).await;
    let before = take_ids(&view(&h.runner, &seq));
    assert_eq!(h.sim.counts().create, 5);

    run(
        &h.runner,
        h.dir.path(),
        &seq,
        reroll(&seq.doc.shots[1].id, true),
    )
    .await
    .unwrap();
    within(h.runner.wait_idle()).await;
    let v = view(&h.runner, &seq);
    let after = take_ids(&v);
    // Shots 2 and 3 made again; the chain stops at shot 4, which has a picture of its own.
    assert_eq!(
        after.iter().map(Vec::len).collect::<Vec<_>>(),
        [1, 2, 2, 1, 1]
    );
    assert_eq!(h.sim.counts().create, 7);
    assert_eq!(after[4], before[4]);
    let (new2, new3) = (&v.shots[1].takes[1], &v.shots[2].takes[1]);
    assert_eq!(new2.chained_from.as_deref(), Some(before[0][0].as_str()));
    assert_eq!(new3.chained_from.as_deref(), Some(new2.job.id.as_str()));
    assert!(new3.job.create_sent_at.unwrap() >= new2.job.finished_at.unwrap());
    assert!(v
        .shots
        .iter()
        .all(|s| s.takes.iter().all(|t| t.job.status == JobStatus::Done)));
}
