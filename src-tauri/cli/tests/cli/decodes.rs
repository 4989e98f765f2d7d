//! How often one command decodes a frame: once per distinct picture, however many checks it passes on its
//! way to the upload (pricing the request, storing the job or batch, just before the upload). The binary
//! the tests run is built with core's `decode-log` hook, which appends every decoded path to the file
//! `SEEDANCE_DECODE_LOG` names.

use std::path::Path;

use crate::send::{out_dir, Service};
use crate::support::{png, Env};

/// How many times `frame` was decoded, by the log in `log`.
fn decodes_of(log: &Path, frame: &Path) -> usize {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.lines().filter(|l| Path::new(l) == frame).count()
}

/// A data folder for `service` whose runs log their decodes to the file returned.
fn logged(service: &Service) -> (Env, std::path::PathBuf) {
    let env = service.env();
    let log = env.dir.path().join("decodes.log");
    let env = env.var("SEEDANCE_DECODE_LOG", log.to_str().unwrap());
    (env, log)
}

#[test]
fn generate_decodes_its_frame_once_up_to_the_upload() {
    let service = Service::fast();
    let (env, log) = logged(&service);
    let frame = png(env.dir.path(), "first.png", 640, 480);
    let run = env.run(&[
        "--json",
        "generate",
        "--yes",
        "--prompt",
        "a red fox",
        "--first",
        frame.to_str().unwrap(),
        "--out",
        &out_dir(&env),
        "--wait",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json_lines().pop().unwrap()["status"], "done", "{run:?}");
    assert_eq!(
        decodes_of(&log, &frame),
        1,
        "{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
}

/// Three items on two pictures: the review decodes each picture once, and starting the batch and the
/// three uploads decode neither again.
#[test]
fn a_batch_decodes_each_distinct_frame_once() {
    let service = Service::fast();
    let (env, log) = logged(&service);
    let fox = png(env.dir.path(), "fox.png", 640, 480);
    let bird = png(env.dir.path(), "bird.png", 480, 640);
    let file = env.dir.path().join("items.csv");
    std::fs::write(
        &file,
        "first,prompt\nfox.png,a red fox\nbird.png,a blue bird\nfox.png,the fox again\n",
    )
    .unwrap();
    let run = env.run(&["--json", "batch", file.to_str().unwrap(), "--yes", "--wait"]);
    assert_eq!(run.code, 0, "{run:?}");
    let done = run
        .json_lines()
        .iter()
        .filter(|l| l["event"] == "job" && l["status"] == "done")
        .count();
    assert_eq!(done, 3, "{run:?}");
    assert_eq!(service.creates(), 3);
    for frame in [&fox, &bird] {
        assert_eq!(decodes_of(&log, frame), 1, "{}", frame.display());
    }
}
