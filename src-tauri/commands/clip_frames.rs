//! Frames of finished clips for the Jobs screen and the player: the list of a job's frames (for stepping
//! frame by frame), one frame taken into the Generate form as a first or last frame, and a job's poster.
//! All decoded by the core (`seedance_core::film::frame`), none by the webview.

use seedance_core::film::frame::{self, FramePick, FrameTable};
use seedance_core::images::FrameInfo;
use tauri::State;

use super::blocking;
use super::jobs::video_path;
use crate::error::IpcResult;
use crate::state::{AppState, Frames};

/// The frames a finished job's video shows (count, times in display order, frame rate, size).
#[tauri::command]
#[specta::specta]
pub async fn job_frames(state: State<'_, AppState>, id: String) -> IpcResult<FrameTable> {
    let store = state.store.clone();
    blocking(move || {
        Ok::<_, crate::error::IpcError>(frame::clip_frames(&video_path(&store, &id)?)?)
    })
    .await
}

/// Saves a finished job's frame (`index` in display order, or the last when `None`) as a PNG in the
/// frames folder and takes it in like a picked file: the Generate form puts the result in a slot.
#[tauri::command]
#[specta::specta]
pub async fn take_job_frame(
    state: State<'_, AppState>,
    frames: State<'_, Frames>,
    id: String,
    index: Option<u32>,
) -> IpcResult<FrameInfo> {
    let store = state.store.clone();
    let dir = state.frames_dir();
    let pick = index.map_or(FramePick::Last, FramePick::Index);
    let path = blocking(move || {
        let clip = video_path(&store, &id)?;
        Ok::<_, crate::error::IpcError>(frame::save_frame(&clip, pick, &dir)?.0)
    })
    .await?;
    super::generate::take_in(&frames, path).await
}

/// A finished job's poster (its video's middle frame) as a data URL; made once, then read from the cache.
#[tauri::command]
#[specta::specta]
pub async fn job_poster(state: State<'_, AppState>, id: String) -> IpcResult<String> {
    let store = state.store.clone();
    let dir = state.posters_dir();
    blocking(move || {
        let clip = video_path(&store, &id)?;
        Ok::<_, crate::error::IpcError>(frame::poster_data_url(&clip, &dir, &id)?)
    })
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::path::Path;

    use super::*;
    use crate::commands::test_ipc::{app_state, invoke, outcome};
    use seedance_core::request::RequestDraft;
    use seedance_core::store::NewJob;
    use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
    use tauri::Manager;

    fn app_with_state(data_dir: &Path, frames: &Frames) -> tauri::App<MockRuntime> {
        mock_builder()
            .invoke_handler(tauri::generate_handler![
                job_frames,
                take_job_frame,
                job_poster
            ])
            .manage(app_state(data_dir))
            .manage(frames.clone())
            .build(mock_context(noop_assets()))
            .unwrap()
    }

    /// A 2 s clip of 60 frames made by ffmpeg; `None` where ffmpeg is not installed.
    fn clip(path: &Path) -> Option<()> {
        let out = std::process::Command::new("ffmpeg")
            .args([
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=320x180:rate=30",
            ])
            .args(["-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p"])
            .arg(path)
            .output()
            .ok()?;
        out.status.success().then_some(())
    }

    #[test]
    fn a_finished_jobs_frames_are_listed_taken_into_the_form_and_postered() {
        let dir = std::env::temp_dir().join(format!("seedance-clip-frames-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let frames = Frames::default();
        let app = app_with_state(&dir.join("data"), &frames);
        let video = dir.join("shot.mp4");
        if clip(&video).is_none() {
            eprintln!("SKIPPED: ffmpeg is not installed");
            return;
        }
        let state = app.state::<AppState>();
        let store = state.store.clone();
        let new = |prompt: &str| {
            store
                .insert_job(NewJob {
                    request: RequestDraft {
                        prompt: prompt.into(),
                        ..RequestDraft::default()
                    },
                    ..NewJob::default()
                })
                .unwrap()
                .id
        };
        let done = new("a lighthouse");
        store.mark_create_sent(&done).unwrap();
        store
            .set_task_id(&done, &seedance_core::api::TaskId("task-1".into()))
            .unwrap();
        store.set_done(&done, &video).unwrap();
        let waiting = new("not yet");

        let table = invoke(&app, "job_frames", serde_json::json!({ "id": done })).unwrap();
        assert_eq!(table["times"].as_array().unwrap().len(), 60);
        assert_eq!(table["width"], 320);

        let taken = invoke(
            &app,
            "take_job_frame",
            serde_json::json!({ "id": done, "index": 3 }),
        )
        .unwrap();
        let handle = taken["handle"].as_str().unwrap();
        // The form gets a handle, never a path; the handle stands for the PNG saved in the frames folder.
        assert!(handle.starts_with("frame-"), "{taken}");
        assert_eq!(
            frames.0.resolve(handle).unwrap(),
            std::fs::canonicalize(state.frames_dir().join("shot.frame-4.png")).unwrap()
        );
        assert_eq!(
            (taken["width"].as_u64(), taken["height"].as_u64()),
            (Some(320), Some(180))
        );
        let last = invoke(
            &app,
            "take_job_frame",
            serde_json::json!({ "id": done, "index": null }),
        );
        assert!(last.is_ok(), "{last:?}");
        assert!(state.frames_dir().join("shot.frame-60.png").exists());

        let poster = invoke(&app, "job_poster", serde_json::json!({ "id": done })).unwrap();
        assert!(poster
            .as_str()
            .unwrap()
            .starts_with("data:image/jpeg;base64,"));
        assert!(state.posters_dir().join(format!("{done}.jpg")).exists());

        let beyond = invoke(
            &app,
            "take_job_frame",
            serde_json::json!({ "id": done, "index": 60 }),
        );
        assert_eq!(outcome(&beyond), "frame_index_out_of_range");
        let none = invoke(
            &app,
            "take_job_frame",
            serde_json::json!({ "id": waiting, "index": null }),
        );
        assert_eq!(outcome(&none), "no_video");
        drop(app);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
