//! Shared set-up for the pipeline tests: a pipeline pointed at the simulator with time running 100× fast,
//! generated frame images, and a checkpoint that records every step (and can refuse or "crash" at one).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use seedance_core::api::{MemoryUploadCache, ScaledTime, TaskId, TaskState, TaskStatus, Uploaded};
use seedance_core::images::FrameInfo;
use seedance_core::pipeline::{Checkpoint, CheckpointError, HookFuture, Pipeline};
use seedance_core::request::{CreateBody, FrameSlot, RequestDraft, ValidRequest};
use seedance_sim::Sim;
use tokio::sync::mpsc::UnboundedSender;

use crate::support::api::client_for;

/// A pipeline on `sim` with its own in-memory upload cache.
pub fn pipeline_for(sim: &Sim) -> Pipeline {
    pipeline_with_cache(sim, Arc::new(MemoryUploadCache::default()))
}

pub fn pipeline_with_cache(sim: &Sim, cache: Arc<MemoryUploadCache>) -> Pipeline {
    let time = Arc::new(ScaledTime::new(100));
    Pipeline::new(client_for(sim), cache).with_time(time.clone(), time)
}

/// A request the simulator accepts, with these frames.
pub fn request(first: Option<&Path>, last: Option<&Path>) -> ValidRequest {
    RequestDraft {
        prompt: "a lighthouse at dusk, waves rolling in".into(),
        first_frame: first.map(|p| p.display().to_string()),
        last_frame: last.map(|p| p.display().to_string()),
        ..RequestDraft::default()
    }
    .validate()
    .expect("the test request is valid")
}

/// A gradient image with a per-call tint, so frames of the same size still have different bytes.
pub fn frame(dir: &Path, name: &str, width: u32, height: u32, tint: u8) -> PathBuf {
    let image = DynamicImage::from(RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x * 255 / width.max(1)) as u8,
            (y * 255 / height.max(1)) as u8,
            tint,
        ])
    }));
    let format = ImageFormat::from_path(name).expect("a known image extension");
    let path = dir.join(name);
    image.save_with_format(&path, format).unwrap();
    path
}

/// Fetches a URL the way the model would, to compare what was uploaded with the frame on disk.
pub async fn fetch(url: &str) -> Vec<u8> {
    let response = reqwest::get(url).await.unwrap();
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    response.bytes().await.unwrap().to_vec()
}

#[derive(Clone, Debug)]
pub enum Event {
    FramesChecked(Vec<FrameInfo>),
    Uploaded(FrameSlot, Uploaded),
    BeforeCreate(CreateBody),
    TaskCreated(TaskId),
    Status(TaskState),
    Downloading,
    // Recorded for the `{:?}` of a failing test; no test reads the path itself.
    #[allow(dead_code)]
    Finished(PathBuf),
}

impl Event {
    fn step(&self) -> String {
        match self {
            Self::FramesChecked(_) => "frames_checked".into(),
            Self::Uploaded(slot, _) => format!("uploaded:{slot}"),
            Self::BeforeCreate(_) => "before_create".into(),
            Self::TaskCreated(_) => "task_created".into(),
            Self::Status(_) => "status".into(),
            Self::Downloading => "downloading".into(),
            Self::Finished(_) => "finished".into(),
        }
    }
}

/// Records every hook call. `fail_at` names a step whose hook refuses after recording; `crash` makes
/// `task_created` hand the id over and then never return, like a process that dies right after saving it.
#[derive(Default)]
pub struct Recorder {
    events: Mutex<Vec<Event>>,
    fail_at: Option<&'static str>,
    crash: Option<UnboundedSender<TaskId>>,
}

impl Recorder {
    pub fn failing_at(step: &'static str) -> Self {
        Self {
            fail_at: Some(step),
            ..Self::default()
        }
    }

    pub fn crashing_after_task_created(tx: UnboundedSender<TaskId>) -> Self {
        Self {
            crash: Some(tx),
            ..Self::default()
        }
    }

    pub fn events(&self) -> Vec<Event> {
        self.events.lock().unwrap().clone()
    }

    /// Step names in call order, with consecutive `status` calls folded into one.
    pub fn steps(&self) -> Vec<String> {
        let mut steps: Vec<String> = Vec::new();
        for event in self.events() {
            let step = event.step();
            if !(step == "status" && steps.last().map(String::as_str) == Some("status")) {
                steps.push(step);
            }
        }
        steps
    }

    pub fn statuses(&self) -> Vec<TaskStatus> {
        self.events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Status(state) => Some(state.status),
                _ => None,
            })
            .collect()
    }

    pub fn uploads(&self) -> Vec<(FrameSlot, Uploaded)> {
        self.events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Uploaded(slot, up) => Some((slot, up)),
                _ => None,
            })
            .collect()
    }

    pub fn create_body(&self) -> Option<CreateBody> {
        self.events().into_iter().find_map(|e| match e {
            Event::BeforeCreate(body) => Some(body),
            _ => None,
        })
    }

    /// Statuses only move forward (queued → running → done/failed), each announced once.
    pub fn assert_statuses_progress_to(&self, last: TaskStatus) {
        let statuses = self.statuses();
        assert_eq!(statuses.last(), Some(&last), "{statuses:?}");
        let rank = |s: &TaskStatus| match s {
            TaskStatus::Queued => 0,
            TaskStatus::Running => 1,
            TaskStatus::Done | TaskStatus::Failed => 2,
        };
        assert!(
            statuses.windows(2).all(|w| rank(&w[0]) < rank(&w[1])),
            "{statuses:?}"
        );
    }

    fn record(&self, event: Event) -> HookFuture<'_> {
        let step = event.step();
        self.events.lock().unwrap().push(event);
        let refuse = self.fail_at.is_some_and(|s| step.starts_with(s));
        Box::pin(std::future::ready(if refuse {
            Err(CheckpointError::from("simulated disk full"))
        } else {
            Ok(())
        }))
    }
}

impl Checkpoint for Recorder {
    fn frames_checked<'a>(&'a self, frames: &'a [FrameInfo]) -> HookFuture<'a> {
        self.record(Event::FramesChecked(frames.to_vec()))
    }

    fn uploaded<'a>(&'a self, slot: FrameSlot, upload: &'a Uploaded) -> HookFuture<'a> {
        self.record(Event::Uploaded(slot, upload.clone()))
    }

    fn before_create<'a>(&'a self, body: &'a CreateBody) -> HookFuture<'a> {
        self.record(Event::BeforeCreate(body.clone()))
    }

    fn task_created<'a>(&'a self, id: &'a TaskId) -> HookFuture<'a> {
        let recorded = self.record(Event::TaskCreated(id.clone()));
        match &self.crash {
            Some(tx) => {
                tx.send(id.clone()).unwrap();
                Box::pin(std::future::pending())
            }
            None => recorded,
        }
    }

    fn status<'a>(&'a self, state: &'a TaskState) -> HookFuture<'a> {
        self.record(Event::Status(state.clone()))
    }

    fn downloading(&self) -> HookFuture<'_> {
        self.record(Event::Downloading)
    }

    fn finished<'a>(&'a self, path: &'a Path) -> HookFuture<'a> {
        self.record(Event::Finished(path.to_path_buf()))
    }
}
