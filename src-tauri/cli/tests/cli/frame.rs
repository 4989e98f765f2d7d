//! `seedance frame`: a finished clip's frame as a PNG, from a file or a job's video, picked as the last,
//! by number or by time; a frame that is not there is a usage error (exit 2) that says how many there are.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{done_job, new_job, Env};

/// A 2 s clip of 60 frames at 30 fps with B-frames, made by ffmpeg; `None` (the test checks nothing and
/// says so) where ffmpeg is not installed.
fn clip(dir: &Path, name: &str) -> Option<PathBuf> {
    let path = dir.join(name);
    let made = Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x180:rate=30",
        ])
        .args([
            "-t", "2", "-c:v", "libx264", "-bf", "2", "-pix_fmt", "yuv420p",
        ])
        .arg(&path)
        .output();
    match made {
        Ok(out) if out.status.success() => Some(path),
        _ => {
            eprintln!("SKIPPED: ffmpeg is not installed (`./dev test` installs it)");
            None
        }
    }
}

#[test]
fn a_clips_frames_are_saved_as_png_by_last_index_and_time() {
    let env = Env::new();
    let Some(video) = clip(env.dir.path(), "shot.mp4") else {
        return;
    };
    let out = env.dir.path().join("last.png");
    let (video_arg, out_arg) = (video.to_str().unwrap(), out.to_str().unwrap());

    let run = env.run(&["--json", "frame", video_arg, "--out", out_arg]);
    assert_eq!(run.code, 0, "{run:?}");
    let v = run.json();
    assert_eq!(v["index"], 59);
    assert_eq!(
        (v["width"].as_u64(), v["height"].as_u64()),
        (Some(320), Some(180))
    );
    let png = image::open(&out).unwrap();
    assert_eq!((png.width(), png.height()), (320, 180));

    let run = env.run(&[
        "--json", "frame", video_arg, "--index", "5", "--out", out_arg,
    ]);
    assert_eq!(run.json()["index"], 5, "{run:?}");
    let run = env.run(&[
        "--json", "frame", video_arg, "--at", "1.01", "--out", out_arg,
    ]);
    assert_eq!(run.json()["index"], 30, "{run:?}");

    let run = env.run(&["frame", video_arg, "--out", out_arg]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("Saved frame 60 (at 1.967 s, 320×180)"),
        "{run:?}"
    );
}

#[test]
fn a_frame_that_is_not_there_is_a_usage_error() {
    let env = Env::new();
    let Some(video) = clip(env.dir.path(), "shot.mp4") else {
        return;
    };
    let out = env.dir.path().join("f.png");
    let args = |pick: &[&'static str]| {
        let mut a = vec!["--json", "frame", video.to_str().unwrap()];
        a.extend_from_slice(pick);
        a.extend_from_slice(&["--out", out.to_str().unwrap()]);
        a.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let run = env.run(
        &args(&["--index", "60"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(run.code, 2, "{run:?}");
    let error = &run.json()["error"];
    assert_eq!(error["kind"], "frame_index_out_of_range");
    assert!(
        error["message"].as_str().unwrap().contains("60 frames"),
        "{run:?}"
    );
    assert!(!out.exists(), "nothing written");

    let both = env.run(
        &args(&["--index", "1", "--at", "1"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(both.code, 2, "one pick at a time: {both:?}");
}

#[test]
fn a_job_is_named_by_its_id_and_one_without_a_video_says_so() {
    let env = Env::new();
    let store = env.store();
    let video = env.dir.path().join("job.mp4");
    let done = done_job(&store, "a lighthouse", &video);
    let Some(_) = clip(env.dir.path(), "job.mp4") else {
        return;
    };
    let out = env.dir.path().join("job-last.png");
    let run = env.run(&["--json", "frame", &done, "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["index"], 59);
    assert!(out.exists());

    let waiting = new_job(&store, "not yet");
    let run = env.run(&["--json", "frame", &waiting, "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.json()["error"]["kind"], "job_has_no_video");

    let run = env.run(&[
        "--json",
        "frame",
        "no-such-job",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.json()["error"]["kind"], "job_not_found", "{run:?}");
}
