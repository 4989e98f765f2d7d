//! The app shell: wires plugins, state and thin commands. All behaviour lives in `seedance_core`.

mod commands;
mod error;
mod state;

use tauri::Manager;
use tauri_specta::{collect_commands, Builder};

/// The typed command surface, shared by the app and by the bindings export.
pub fn specta_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        // One type per Rust type (no `_Serialize`/`_Deserialize` twins): our IPC types are symmetric.
        .disable_serde_phases()
        // Byte counts and millisecond timestamps stay far below 2^53, so `number` is exact for them.
        .dangerously_cast_bigints_to_number()
        .commands(collect_commands![
            commands::app::app_info,
            commands::generate::check_request,
            commands::generate::plan_frame_drop,
            commands::generate::inspect_frame,
            commands::generate::fix_frame,
            commands::generate::crop_frame,
            commands::generate::crop_window,
            commands::generate::frame_mismatch,
            commands::settings::get_session,
            commands::settings::save_token,
            commands::settings::remove_token,
            commands::settings::test_token,
            commands::settings::get_preferences,
            commands::settings::save_preferences,
            commands::settings::enter_demo,
            commands::settings::leave_demo,
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

pub fn run() {
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
        .plugin(
            tauri_plugin_log::Builder::new()
                .level(log::LevelFilter::Info)
                .build(),
        )
        .plugin(tauri_plugin_window_state::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let secrets = std::sync::Arc::new(seedance_core::secrets::KeyringStore::app_default());
            app.manage(state::AppState::new(config, secrets));
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Seedance Studio stopped with an error: {e}");
        std::process::exit(1);
    }
}
