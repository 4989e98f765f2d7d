//! The Batch screen's commands: read a source into a draft (images picked or dropped, a folder, a CSV or
//! JSONL file, the Generate form × N takes), re-plan it on each edit, fix or skip items, hand thumbnails
//! of the rows on screen, and start it once. Files are only read here, never by the page; the logic is in
//! `seedance_core::batch` and `crate::batch_review`.

use std::path::PathBuf;

use seedance_core::batch::{from_file, from_folder, from_form, from_paths, BatchSource, PairRule};
use seedance_core::images::{apply_fix, FixKind};
use seedance_core::jobs::{BatchStart, Intent, SpendConsent};
use seedance_core::presets::{Preset, PresetLibrary};
use seedance_core::request::{FrameSlot, RequestDraft};
use seedance_core::store::BatchRecord;
use tauri::{AppHandle, State};

use super::blocking;
use crate::batch_frames::FrameChecks;
use crate::batch_review::poll::ReviewChanges;
use crate::batch_review::{BatchDefaults, BatchReview, Draft, Drafts, ItemThumbnails, SourceSpec};
use crate::error::IpcResult;
use crate::state::{AppState, Frames};

fn presets(state: &AppState) -> Vec<Preset> {
    let lib = PresetLibrary::new(state.store.clone(), state.config.presets_dir());
    lib.list().unwrap_or_else(|e| {
        tracing::warn!("batch review without presets: {e}");
        Vec::new()
    })
}

fn review_of(state: &AppState, drafts: &Drafts, id: &str) -> IpcResult<BatchReview> {
    let presets = presets(state);
    let rates = state.prefs().cost_rates;
    Ok(drafts.with(id, |d| Ok(d.review_for_page(&presets, &rates)))?)
}

/// Opens `source` as the current draft (defaults carried over from the previous draft, if any).
fn open(
    state: &AppState,
    drafts: &Drafts,
    spec: SourceSpec,
    source: BatchSource,
    defaults: Option<BatchDefaults>,
) -> IpcResult<BatchReview> {
    let id = drafts.new_id();
    let mut draft = Draft::open(id.clone(), spec, source, FrameChecks::new());
    if let Some(defaults) = defaults {
        draft.defaults = defaults;
    }
    drafts.put(draft);
    review_of(state, drafts, &id)
}

/// "Add images…": the native picker, several images at once; `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn batch_pick_images(
    app: AppHandle,
    state: State<'_, AppState>,
    drafts: State<'_, Drafts>,
    filter_name: String,
    defaults: Option<BatchDefaults>,
) -> IpcResult<Option<BatchReview>> {
    let Some(paths) = crate::dialogs::choose_image_files(&app, &filter_name).await? else {
        return Ok(None);
    };
    let count = u32::try_from(paths.len()).unwrap_or(u32::MAX);
    let source = blocking(move || from_paths(&paths)).await?;
    open(
        &state,
        &drafts,
        SourceSpec::Paths { count },
        source,
        defaults,
    )
    .map(Some)
}

/// Images dropped on the Batch screen. Only files the window itself reported dropped are read.
#[tauri::command]
#[specta::specta]
pub async fn batch_from_drop(
    state: State<'_, AppState>,
    drafts: State<'_, Drafts>,
    frames: State<'_, Frames>,
    paths: Vec<String>,
    defaults: Option<BatchDefaults>,
) -> IpcResult<BatchReview> {
    let paths = frames.0.dropped_paths(&paths)?;
    let count = u32::try_from(paths.len()).unwrap_or(u32::MAX);
    let source = blocking(move || from_paths(&paths)).await?;
    open(
        &state,
        &drafts,
        SourceSpec::Paths { count },
        source,
        defaults,
    )
}

/// "Folder…": the native folder picker, then the images in it paired by `rule`.
#[tauri::command]
#[specta::specta]
pub async fn batch_pick_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    drafts: State<'_, Drafts>,
    rule: PairRule,
    defaults: Option<BatchDefaults>,
) -> IpcResult<Option<BatchReview>> {
    // The picker opens where the system's picker opens by default.
    let Some(folder) = crate::dialogs::choose_folder(&app, std::path::Path::new("")).await? else {
        return Ok(None);
    };
    let (path, read_rule) = (folder.clone(), rule.clone());
    let source = blocking(move || from_folder(&path, &read_rule)).await?;
    let spec = SourceSpec::Folder { path: folder, rule };
    open(&state, &drafts, spec, source, defaults).map(Some)
}

/// The pair rule changed: the same folder read again.
#[tauri::command]
#[specta::specta]
pub async fn batch_set_pair_rule(
    state: State<'_, AppState>,
    drafts: State<'_, Drafts>,
    id: String,
    rule: PairRule,
) -> IpcResult<BatchReview> {
    let folder = drafts.with(&id, |d| match &d.spec {
        SourceSpec::Folder { path, .. } => Ok(path.clone()),
        _ => Err(crate::batch_review::BatchDraftError::NotAFolder),
    })?;
    let (path, read_rule) = (folder.clone(), rule.clone());
    let source = blocking(move || from_folder(&path, &read_rule)).await?;
    drafts.with(&id, |d| {
        d.replace_source(SourceSpec::Folder { path: folder, rule }, source);
        Ok(())
    })?;
    review_of(&state, &drafts, &id)
}

/// "CSV / JSONL…": the native file picker, then the file read.
#[tauri::command]
#[specta::specta]
pub async fn batch_pick_file(
    app: AppHandle,
    state: State<'_, AppState>,
    drafts: State<'_, Drafts>,
    filter_name: String,
    defaults: Option<BatchDefaults>,
) -> IpcResult<Option<BatchReview>> {
    let Some(file) = crate::dialogs::choose_batch_file(&app, &filter_name).await? else {
        return Ok(None);
    };
    let path = file.clone();
    let source = blocking(move || from_file(&path)).await?;
    open(
        &state,
        &drafts,
        SourceSpec::File { path: file },
        source,
        defaults,
    )
    .map(Some)
}

/// The Generate form as the user left it, `takes` times. Its frames are the form's handles.
#[tauri::command]
#[specta::specta]
pub async fn batch_from_form(
    state: State<'_, AppState>,
    drafts: State<'_, Drafts>,
    frames: State<'_, Frames>,
    form: RequestDraft,
    takes: u32,
    defaults: Option<BatchDefaults>,
) -> IpcResult<BatchReview> {
    let form = frames.0.resolve_draft(&form)?;
    let source =
        blocking(move || Ok::<_, crate::error::ShellError>(from_form(&form, takes))).await?;
    open(
        &state,
        &drafts,
        SourceSpec::Form { takes },
        source,
        defaults,
    )
}

/// The review as it stands (frame checks fill it in as they finish).
#[tauri::command]
#[specta::specta]
pub async fn batch_review(
    state: State<'_, AppState>,
    drafts: State<'_, Drafts>,
    id: String,
) -> IpcResult<BatchReview> {
    review_of(&state, &drafts, &id)
}

/// While frames are checked: only what changed since the review `since` the page has (see
/// `crate::batch_review::poll`).
#[tauri::command]
#[specta::specta]
pub async fn batch_review_changes(
    state: State<'_, AppState>,
    drafts: State<'_, Drafts>,
    id: String,
    since: u32,
) -> IpcResult<ReviewChanges> {
    let presets = presets(&state);
    let rates = state.prefs().cost_rates;
    Ok(drafts.with(&id, |d| Ok(d.changes_since(since, &presets, &rates)))?)
}

/// The batch's prompt template, settings or preset, and takes changed.
#[tauri::command]
#[specta::specta]
pub async fn batch_set_defaults(
    state: State<'_, AppState>,
    drafts: State<'_, Drafts>,
    id: String,
    defaults: BatchDefaults,
) -> IpcResult<BatchReview> {
    drafts.with(&id, |d| {
        d.defaults = defaults;
        Ok(())
    })?;
    review_of(&state, &drafts, &id)
}

/// "Skip": the item leaves the jobs and the total (or comes back).
#[tauri::command]
#[specta::specta]
pub async fn batch_skip_item(
    state: State<'_, AppState>,
    drafts: State<'_, Drafts>,
    id: String,
    index: u32,
    skipped: bool,
) -> IpcResult<BatchReview> {
    drafts.with(&id, |d| d.set_skipped(index, skipped))?;
    review_of(&state, &drafts, &id)
}

/// The Generate screen's one-click fix for an item's frame: a conforming copy (the original untouched)
/// replaces it in that item, which is checked and planned again.
#[tauri::command]
#[specta::specta]
pub async fn batch_fix_frame(
    state: State<'_, AppState>,
    drafts: State<'_, Drafts>,
    id: String,
    index: u32,
    slot: FrameSlot,
    fix: FixKind,
) -> IpcResult<BatchReview> {
    let path = drafts.with(&id, |d| d.frame_path(index, slot))?;
    let out_dir = state.frames_dir();
    let fixed: PathBuf = blocking(move || apply_fix(&path, &fix, &out_dir)).await?;
    drafts.with(&id, |d| d.replace_frame(index, slot, fixed))?;
    review_of(&state, &drafts, &id)
}

/// Thumbnails for the rows on screen (frames not checked yet are checked next).
#[tauri::command]
#[specta::specta]
pub async fn batch_thumbnails(
    drafts: State<'_, Drafts>,
    id: String,
    items: Vec<u32>,
) -> IpcResult<Vec<ItemThumbnails>> {
    Ok(drafts.with(&id, |d| Ok(d.thumbnails(&items)))?)
}

/// Starts the draft as planned here (never a plan the page sends): every included item, once. `repeat`
/// only after the user confirmed starting the same batch again; `spend_confirmed` only after they said
/// "Start anyway" to passing a day's or month's spend limit (a batch above the per-batch limit is refused
/// regardless). The draft is taken out while starting,
/// so a second call cannot start it twice; a refused start gives it back.
#[tauri::command]
#[specta::specta]
pub async fn batch_start(
    state: State<'_, AppState>,
    drafts: State<'_, Drafts>,
    id: String,
    name: String,
    repeat: bool,
    spend_confirmed: bool,
) -> IpcResult<BatchRecord> {
    let draft = drafts.take_for_start(&id)?;
    let presets = presets(&state);
    let rates = state.prefs().cost_rates;
    let plan = match draft.plan_to_start(&presets, &rates) {
        Ok(plan) => plan,
        Err(e) => {
            drafts.finish_start(draft, false);
            return Err(e.into());
        }
    };
    let name = if name.trim().is_empty() {
        draft.spec.default_name()
    } else {
        name.trim().to_owned()
    };
    let label = draft.spec.label();
    let start = BatchStart {
        name: &name,
        source: &label,
        plan: &plan,
        intent: if repeat { Intent::Repeat } else { Intent::Once },
        spend: if spend_confirmed {
            SpendConsent::Given
        } else {
            SpendConsent::NotGiven
        },
    };
    let started = state.runner.start_batch(start).await;
    drafts.finish_start(draft, started.is_ok());
    Ok(started?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::sync::Arc;

    use super::*;
    use crate::commands::test_ipc::{invoke, outcome};
    use seedance_core::config::AppConfig;
    use seedance_core::credentials::{Credentials, NeverConfirm};
    use seedance_core::jobs::NoEvents;
    use seedance_core::secrets::MemoryStore;
    use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};

    fn app(data_dir: &std::path::Path, frames: &Frames) -> tauri::App<MockRuntime> {
        let config = AppConfig::resolve(|_| None, Some(data_dir.to_path_buf())).unwrap();
        let credentials = Arc::new(Credentials::new(
            Arc::new(MemoryStore::default()),
            Arc::new(NeverConfirm),
        ));
        mock_builder()
            .invoke_handler(tauri::generate_handler![batch_from_drop, batch_start])
            .manage(AppState::new(config, credentials, Arc::new(NoEvents)))
            .manage(frames.clone())
            .manage(Drafts::default())
            .build(mock_context(noop_assets()))
            .unwrap()
    }

    #[test]
    fn a_drop_reads_only_files_the_window_reported_dropped() {
        let data_dir = std::env::temp_dir().join(format!(
            "seedance-batch-drop-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let frames = Frames::default();
        let app = app(&data_dir, &frames);
        let image = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("icons/128x128.png");
        let named = image.to_string_lossy().into_owned();
        let dropped = |paths: &[&str]| {
            invoke(
                &app,
                "batch_from_drop",
                serde_json::json!({ "paths": paths, "defaults": null }),
            )
        };
        // The page names files nobody dropped: nothing is read.
        assert_eq!(outcome(&dropped(&[&named])), "unknown_frame");
        assert_eq!(outcome(&dropped(&["/etc/passwd"])), "unknown_frame");
        frames.0.record_drop(std::slice::from_ref(&image));
        assert_eq!(outcome(&dropped(&[&named])), "ok");
        assert_eq!(outcome(&dropped(&[&named, "/etc/passwd"])), "unknown_frame");
        // A draft nobody opened cannot be started.
        let start = invoke(
            &app,
            "batch_start",
            serde_json::json!({ "id": "batch-draft-99", "name": "x", "repeat": false, "spendConfirmed": false }),
        );
        assert_eq!(outcome(&start), "batch_draft_not_found");
        drop(app);
        let _ = std::fs::remove_dir_all(&data_dir);
    }
}
