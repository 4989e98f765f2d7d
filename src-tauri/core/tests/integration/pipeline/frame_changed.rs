//! What is uploaded is what was checked: a frame whose file changes after its check (edited, replaced,
//! still being saved) stops the run before any create is sent.

use std::path::PathBuf;

use crate::support::api::{start, token, within};
use crate::support::pipeline::{frame, pipeline_for, request};
use seedance_core::api::TaskId;
use seedance_core::i18n::UserFacing;
use seedance_core::images::FrameInfo;
use seedance_core::pipeline::{no_progress, Checkpoint, HookFuture, PipelineError};
use seedance_core::request::{CreateBody, FrameSlot};
use seedance_sim::SimConfig;

/// Puts other bytes into the frame's file the moment its check is done.
struct SwapAfterCheck {
    path: PathBuf,
    replacement: Vec<u8>,
}

impl Checkpoint for SwapAfterCheck {
    fn frames_checked<'a>(&'a self, _: &'a [FrameInfo]) -> HookFuture<'a> {
        std::fs::write(&self.path, &self.replacement).unwrap();
        Box::pin(std::future::ready(Ok(())))
    }
    fn before_create<'a>(&'a self, _: &'a CreateBody) -> HookFuture<'a> {
        Box::pin(std::future::ready(Ok(())))
    }
    fn task_created<'a>(&'a self, _: &'a TaskId) -> HookFuture<'a> {
        Box::pin(std::future::ready(Ok(())))
    }
}

#[tokio::test]
async fn a_frame_changed_after_its_check_stops_the_run_before_create() {
    let sim = start(SimConfig::fast()).await;
    let dir = tempfile::tempdir().unwrap();
    let first = frame(dir.path(), "first.png", 640, 360, 1);
    // Another valid image, so only the change itself can stop the run.
    let other = std::fs::read(frame(dir.path(), "other.png", 640, 360, 200)).unwrap();
    let checkpoint = SwapAfterCheck {
        path: first.clone(),
        replacement: other,
    };

    let err = within(pipeline_for(&sim).run(
        &token(&sim),
        &request(Some(&first), None),
        &dir.path().join("out.mp4"),
        &checkpoint,
        no_progress(),
    ))
    .await
    .unwrap_err();

    assert!(
        matches!(
            err,
            PipelineError::FrameChanged {
                slot: FrameSlot::First
            }
        ),
        "{err:?}"
    );
    assert_eq!(sim.counts().create, 0, "no create was sent");
    assert_eq!(sim.counts().upload, 0, "the changed file was not uploaded");
    assert_eq!(err.kind(), "frame_changed");
    assert!(err.msg().text("en").contains("no task was created"));
    assert!(err.msg().text("zh-CN").contains("没有创建任务"));
}
