//! The app shell: wires plugins, state and thin commands. All behaviour lives in `seedance_core`.

mod batch_frames;
mod batch_review;
mod commands;
mod diagnostics;
mod dialogs;
mod error;
mod events;
mod host_question;
mod logging;
mod navigation;
mod state;
mod test_hooks;
mod update;

use tauri::Manager;
use tauri_specta::{collect_commands, collect_events, Builder};

/// The typed command surface, shared by the app and by the bindings export.
pub fn specta_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        // One type per Rust type (no `_Serialize`/`_Deserialize` twins): our IPC types are symmetric.
        .disable_serde_phases()
        // Byte counts and millisecond timestamps stay far below 2^53, so `number` is exact for them.
        .dangerously_cast_bigints_to_number()
        .commands(collect_commands![
            commands::app::app_info,
            commands::app::diagnostics,
            commands::app::open_log_folder,
            commands::app::open_token_help,
            commands::app::answer_next_file_dialog,
            commands::generate::check_request,
            commands::generate::plan_frame_drop,
            commands::generate::restore_dropped_video,
            commands::generate::inspect_frame,
            commands::generate::pick_frame,
            commands::generate::fix_frame,
            commands::generate::crop_frame,
            commands::generate::crop_window,
            commands::generate::frame_mismatch,
            commands::session::get_session,
            commands::session::save_token,
            commands::session::remove_token,
            commands::session::test_token,
            commands::preferences::get_preferences,
            commands::preferences::save_preferences,
            commands::preferences::choose_output_folder,
            commands::session::enter_demo,
            commands::session::leave_demo,
            commands::jobs::list_jobs,
            commands::jobs::export_timeline,
            commands::jobs::job_thumbnails,
            commands::jobs::open_job_video,
            commands::jobs::job_video_url,
            commands::jobs::reveal_job_video,
            commands::jobs::save_frame_image,
            commands::clip_frames::job_frames,
            commands::clip_frames::take_job_frame,
            commands::clip_frames::job_poster,
            commands::jobs::submit_job,
            commands::spend::spend_summary,
            commands::spend::export_spend_csv,
            commands::jobs::job_draft,
            commands::jobs::resubmit_job,
            commands::jobs::mark_job_failed,
            commands::jobs::delete_job,
            commands::jobs::retry_download,
            commands::batches::list_batches,
            commands::batches::get_batch,
            commands::batches::pause_batch,
            commands::batches::resume_batch,
            commands::batches::cancel_batch,
            commands::batches::batch_retry_plan,
            commands::batches::retry_batch,
            commands::batches::export_batch_results,
            commands::batches::open_batch_folder,
            commands::unsent::unsent_summary,
            commands::unsent::send_unsent_job,
            commands::unsent::discard_unsent_job,
            commands::unsent::send_all_unsent,
            commands::unsent::discard_all_unsent,
            commands::presets::list_presets,
            commands::presets::save_preset,
            commands::presets::update_preset,
            commands::presets::rename_preset,
            commands::presets::duplicate_preset,
            commands::presets::delete_preset,
            commands::presets::set_default_preset,
            commands::presets::reorder_presets,
            commands::presets::apply_preset,
            commands::presets::export_presets,
            commands::presets::import_presets,
            commands::batch::batch_pick_images,
            commands::batch::batch_from_drop,
            commands::batch::batch_pick_folder,
            commands::batch::batch_set_pair_rule,
            commands::batch::batch_pick_file,
            commands::batch::batch_from_form,
            commands::batch::batch_review,
            commands::batch::batch_review_changes,
            commands::batch::batch_set_defaults,
            commands::batch::batch_skip_item,
            commands::batch::batch_fix_frame,
            commands::batch::batch_thumbnails,
            commands::batch::batch_start,
            commands::sequences::list_sequences,
            commands::sequences::create_sequence,
            commands::sequences::get_sequence,
            commands::sequences::save_sequence,
            commands::sequences::delete_sequence,
            commands::sequences::plan_sequence_run,
            commands::sequences::start_sequence_run,
            commands::sequences::choose_take,
            commands::sequences::join_sequence,
            commands::sequences::join_sequence_parts,
            update::commands::update_status,
            update::commands::check_for_update,
            update::commands::install_update,
            update::commands::relaunch_app,
        ])
        // The `details` of a `duplicate_submission` error, for the UI to read.
        .typ::<seedance_core::jobs::DuplicateSubmission>()
        .typ::<seedance_core::spend::SpendQuestion>()
        // The `details` of a `film_clips_differ` error: which takes differ and how.
        .typ::<seedance_core::film::ClipMismatch>()
        // Defaults, option lists and rules of the Generate form, so the UI declares none of its own.
        .typ::<seedance_core::form::FormOptions>()
        .constant("FORM_OPTIONS", seedance_core::form::FormOptions::current())
        // The Settings screen's number ranges, the ones saving checks.
        .typ::<seedance_core::prefs::PreferenceLimits>()
        .constant(
            "PREFERENCE_LIMITS",
            seedance_core::prefs::PreferenceLimits::current(),
        )
        .events(collect_events![
            events::JobChanged,
            events::JobRemoved,
            events::JobProgress,
            events::BatchChanged,
            update::commands::UpdateAvailable,
            update::commands::UpdateProgress
        ])
}

/// Where the generated TypeScript bindings live, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/src/bindings.ts";

/// Renders the TypeScript bindings (the committed file must equal this; a test checks).
pub fn render_bindings() -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("seedance-bindings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join("bindings.ts");
    specta_builder()
        .export(
            specta_typescript::Typescript::default()
                .header("// Generated from the Rust commands by tauri-specta. Do not edit: run `./dev bindings`.\n// @ts-nocheck\n"),
            &path,
        )
        .map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(text)
}

/// Starts the inline player's video source (loopback only, one per launch).
fn start_player_source(store: std::sync::Arc<seedance_core::store::Store>) -> state::PlayerSource {
    let options = seedance_core::media::MediaOptions {
        allowed_origins: navigation::own_page_origins(),
    };
    let started =
        tauri::async_runtime::block_on(seedance_core::media::MediaServer::start(store, options));
    if let Err(e) = &started {
        tracing::error!("inline player unavailable: {e}");
    }
    state::PlayerSource(started)
}

/// Runs the app. `env_token` is `SEEDANCE_API_TOKEN`, taken out of the environment by `main` before
/// anything else (see `seedance_core::secrets::take_env_token`).
pub fn run(env_token: Option<seedance_core::secrets::ApiToken>) {
    let config = match seedance_core::config::AppConfig::from_process_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("Seedance Studio cannot start: {e}");
            std::process::exit(2);
        }
    };
    let builder = specta_builder();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.show();
                let _ = w.set_focus();
            }
        }))
        .plugin(logging::logger().build())
        .plugin(navigation::guard())
        .plugin(tauri_plugin_window_state::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        // Only the backend opens web pages (see `navigation`): no page script that sends link clicks to the opener.
        .plugin(
            tauri_plugin_opener::Builder::new()
                .open_js_links_on_click(false)
                .build(),
        )
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_notification::init())
        // Reached only through our own commands (`update`): the window's capabilities grant none of its own.
        .plugin(tauri_plugin_updater::Builder::new().build())
        .invoke_handler(builder.invoke_handler())
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(drop) = event {
                record_drop(window, drop);
            }
        })
        .on_webview_event(|webview, event| {
            if let tauri::WebviewEvent::DragDrop(drop) = event {
                record_drop(webview, drop);
            }
        })
        .setup(move |app| {
            builder.mount_events(app);
            let secrets = std::sync::Arc::new(seedance_core::secrets::KeyringStore::app_default());
            let question = std::sync::Arc::new(host_question::NativeHostQuestion {
                app: app.handle().clone(),
            });
            let credentials = std::sync::Arc::new(
                seedance_core::credentials::Credentials::new(secrets, question)
                    .with_env_token(env_token, &config.api),
            );
            let events = std::sync::Arc::new(events::TauriJobEvents {
                app: app.handle().clone(),
            });
            let state = state::AppState::new(config, credentials, events);
            app.manage(start_player_source(state.store.clone()));
            let runner = state.runner.clone();
            let policy = seedance_core::jobs::ResumePolicy::from_prefs(&state.prefs());
            let check_updates = state.prefs().check_for_updates;
            app.manage(state);
            app.manage(update::Updates::default());
            update::commands::check_on_start(app.handle(), check_updates);
            app.manage(state::Frames::default());
            app.manage(batch_review::Drafts::default());
            webview_tuning(app);
            test_hooks::install(app.handle());
            // Every job left unfinished by a quit or crash continues (or is marked uncertain, never re-sent);
            // one never sent and stored long ago waits as not sent for the user.
            // Then jobs the `seedance` CLI makes and moves show here live, and what a CLI that was
            // killed left unfinished is picked up (see `JobRunner::follow_shared_history`).
            tauri::async_runtime::spawn(async move {
                match runner.resume_all_with(&policy).await {
                    Ok(summary) => tracing::info!("resumed jobs: {summary:?}"),
                    Err(e) => tracing::error!("resuming jobs failed: {e}"),
                }
                runner.follow_shared_history();
            });
            Ok(())
        })
        .build(tauri::generate_context!())
        .map(|app| {
            app.run(|handle, event| {
                // Quitting gives the jobs' leases back, so a CLI sharing the history continues them at
                // once instead of after the lease bound. A create request still out is waited for (at
                // most its timeout), so its task id is saved rather than the job left uncertain.
                if let tauri::RunEvent::Exit = event {
                    if let Some(state) = handle.try_state::<state::AppState>() {
                        state.runner.release_leases();
                        let bound = std::time::Duration::from_secs(65);
                        tauri::async_runtime::block_on(state.runner.wait_for_creates(bound));
                    }
                }
            })
        });
    if let Err(e) = result {
        eprintln!("Seedance Studio stopped with an error: {e}");
        std::process::exit(1);
    }
}

/// Files dropped on the window, as the OS reported them to the backend: only these may become frames by a
/// drop (the page gets the same list, but a list the page makes up is not a drop). Tauri runs this right
/// after it forwards the drop to the page, on the same thread, before the page can ask to plan it. The
/// main window's page is its content, so its drops arrive as window events; a separate webview's as
/// webview events.
fn record_drop<R: tauri::Runtime>(at: &impl Manager<R>, event: &tauri::DragDropEvent) {
    if let tauri::DragDropEvent::Drop { paths, .. } = event {
        if let Some(frames) = at.try_state::<state::Frames>() {
            frames.0.record_drop(paths);
        }
    }
}

/// Linux: the webview paints without GPU compositing unless `SEEDANCE_WEBVIEW_COMPOSITING=1`.
///
/// Measured with `bench/start.sh` (release, Xvfb): compositing puts the page's layers in extra
/// buffers, and WebKitGTK 2.50 treats "on demand" as "always", so the web process held 275–311 MiB
/// instead of 191 MiB two seconds after start, for a page of forms and lists that gains nothing
/// from it. Clips still play (WebKit paints video frames itself), and non-composited mode is also the
/// usual cure for blank windows on some GPU drivers.
#[cfg(target_os = "linux")]
fn webview_tuning(app: &tauri::App) {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    if std::env::var("SEEDANCE_WEBVIEW_COMPOSITING").is_ok_and(|v| v == "1") {
        return;
    }
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let applied = window.with_webview(|webview| {
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    if let Err(e) = applied {
        tracing::warn!("could not set the webview's compositing policy: {e}");
    }
}

#[cfg(not(target_os = "linux"))]
fn webview_tuning(_app: &tauri::App) {}
