//! A timeline of jobs: their saved videos in the order asked, and a job without one refused by name.

use crate::support::jobs::harness;
use crate::support::text_draft;
use seedance_core::film::{clips_of_jobs, export_timeline, TimelineError, TimelineFormat};
use seedance_core::store::JobStatus;
use seedance_sim::SimConfig;

#[tokio::test]
async fn the_jobs_videos_make_the_timeline_in_the_order_given() {
    let h = harness(SimConfig::fast(), 3).await;
    let mut ids = Vec::new();
    for prompt in ["first shot", "second shot"] {
        let job = h.runner.submit(text_draft(prompt), None).await.unwrap();
        let done = h.settle(&job.id).await;
        assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
        ids.push(done.id);
    }
    ids.reverse();
    let clips = clips_of_jobs(&h.store, &ids).unwrap();
    let expected: Vec<_> = ids
        .iter()
        .map(|id| h.store.finished_video(id).unwrap().unwrap())
        .collect();
    assert_eq!(
        clips.iter().map(|c| c.path.clone()).collect::<Vec<_>>(),
        expected
    );
    assert!(clips[0].name.contains("second-shot"), "{:?}", clips[0].name);

    let edl = h.dir.path().join("cut.edl");
    let report = export_timeline(&clips, "cut", TimelineFormat::Edl, &edl).unwrap();
    assert_eq!(report.clips, 2);
    assert!(report.duration_secs > 3.9, "{report:?}");

    // A job with no saved video (unknown here) is refused, naming it.
    let mut with_gap = ids.clone();
    with_gap.insert(1, "no-such-job".into());
    match clips_of_jobs(&h.store, &with_gap) {
        Err(TimelineError::NoVideo { job }) => assert_eq!(job, "no-such-job"),
        other => panic!("expected NoVideo, got {other:?}"),
    }
    // So is one whose file is gone.
    std::fs::remove_file(&expected[1]).unwrap();
    assert!(matches!(
        clips_of_jobs(&h.store, &ids),
        Err(TimelineError::NoVideo { .. })
    ));
}
