//! A sequence at real size: a 24-megapixel photo as the first shot's frame, every result a 10 s 1080p clip
//! with sound (made by ffmpeg, served by the simulator), three chained shots, then the film. It prints how
//! long each part took; the assertions are the same as the small tests'. Marked ignored so a quick
//! `cargo test` skips it (making the inputs takes a while); `./dev test` runs ignored tests too.

use std::time::Instant;

use seedance_core::film::frame::{clip_frames, extract_frame, FramePick};
use seedance_core::sequence::{FirstFrame, RunScope};
use seedance_core::store::JobStatus;
use seedance_sim::SimConfig;

use super::{run, sequence, view};
use crate::film::{have_ffmpeg, make_clip, Spec, CLIP};
use crate::support::api::within;
use crate::support::jobs::harness;
use crate::support::pipeline::frame;

#[tokio::test]
#[ignore = "real-size inputs take a while to make; run by hand"]
async fn a_real_size_sequence_chains_and_joins() {
    assert!(have_ffmpeg(), "ffmpeg is needed");
    let inputs = tempfile::tempdir().unwrap();
    let clip = make_clip(
        inputs.path(),
        "result.mp4",
        Spec {
            secs: 10.0,
            width: 1920,
            height: 1080,
            ..CLIP
        },
    );
    let photo = frame(inputs.path(), "photo.png", 6000, 4000, 90);
    eprintln!(
        "result clip {} bytes, photo {} bytes",
        std::fs::metadata(&clip).unwrap().len(),
        std::fs::metadata(&photo).unwrap().len()
    );
    let h = harness(
        SimConfig {
            result_file: Some(clip.clone()),
            ..SimConfig::fast()
        },
        3,
    )
    .await;
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
    let started = Instant::now();
    run(&h.runner, h.dir.path(), &seq, RunScope::Whole)
        .await
        .unwrap();
    eprintln!("stored and started in {:?}", started.elapsed());
    within(h.runner.wait_idle()).await;
    eprintln!(
        "three shots made (upload, chain, download) in {:?}",
        started.elapsed()
    );
    let v = view(&h.runner, &seq);
    assert!(v
        .shots
        .iter()
        .all(|s| s.takes[0].job.status == JobStatus::Done));
    assert_eq!(h.sim.counts().create, 3);
    for shot in &v.shots[1..] {
        let first = shot.takes[0].job.request.first_frame.clone().unwrap();
        let written = image::open(&first).unwrap();
        assert_eq!((written.width(), written.height()), (1920, 1080));
    }
    let t = Instant::now();
    let last = extract_frame(&clip, FramePick::Last).unwrap();
    eprintln!(
        "last frame of the 10 s 1080p clip alone: {:?} (frame {})",
        t.elapsed(),
        last.index
    );

    let t = Instant::now();
    let film = h.runner.join_sequence(&seq.id, &[], false).unwrap();
    eprintln!(
        "film of 3 × 10 s 1080p joined in {:?}: {}",
        t.elapsed(),
        film.path
    );
    let length = clip_frames(std::path::Path::new(&film.path))
        .unwrap()
        .duration_secs;
    assert!((length - 30.0).abs() < 0.1, "{length}");
    assert!(film.has_audio);
}
