//! Where diagnostics go. The app has one logging facade, `tracing`: the core and the shell both write
//! `tracing` events. The sink is tauri-plugin-log (stdout and a rotating file in the app's log folder),
//! which is a `log` logger; `tracing`'s `log` feature, declared by this package, hands every event to it
//! while no `tracing` subscriber is installed (none is). `tracing` over `log` because the core records
//! structured fields (`reason = …`) and is used by the simulator and tools that may install a subscriber
//! of their own.
//!
//! Nothing here may log the API token: `ApiToken` redacts itself, and no event takes it.

use tauri_plugin_log::log::LevelFilter;
use tauri_plugin_log::RotationStrategy;

/// Size at which the log file is set aside and a new one started.
pub const LOG_FILE_BYTES: u128 = 2 * 1024 * 1024;
/// Files set aside that are kept (older ones are deleted): the log folder stays under 10 MB.
pub const LOGS_KEPT: usize = 4;

/// The app's logger: info and above, to the plugin's default targets (stdout and the log folder), the file
/// rotated at [`LOG_FILE_BYTES`] keeping [`LOGS_KEPT`] older files. (The plugin's default kept one file of 40 kB
/// and dropped everything before it: too little to see how a failed job began.)
pub fn logger() -> tauri_plugin_log::Builder {
    tauri_plugin_log::Builder::new()
        .level(LevelFilter::Info)
        .max_file_size(LOG_FILE_BYTES)
        .rotation_strategy(RotationStrategy::KeepSome(LOGS_KEPT))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use tauri::test::{mock_builder, mock_context, noop_assets};
    use tauri_plugin_log::{Target, TargetKind};

    /// The app's logger, writing its file into a temporary folder instead of the app's log folder, gets a
    /// warning the core writes with `tracing` (a damaged preferences file set aside at start).
    #[test]
    fn a_core_warning_lands_in_the_log_file() {
        let dir = std::env::temp_dir().join(format!("seedance-log-{}", std::process::id()));
        let logs = dir.join("logs");
        let _app = mock_builder()
            .plugin(
                logger()
                    .clear_targets()
                    .target(Target::new(TargetKind::Folder {
                        path: logs.clone(),
                        file_name: Some("seedance".into()),
                    }))
                    .build(),
            )
            .build(mock_context(noop_assets()))
            .unwrap();

        let data = dir.join("data");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(
            data.join(seedance_core::prefs::PREFS_FILE_NAME),
            b"{ not json",
        )
        .unwrap();
        let loaded = seedance_core::prefs::PrefsStore::in_dir(&data).load();
        assert!(loaded.warning.is_some(), "the file was found damaged");

        let text = std::fs::read_to_string(logs.join("seedance.log")).unwrap_or_default();
        let _ = std::fs::remove_dir_all(&dir);
        let line = text
            .lines()
            .find(|l| l.contains("the settings file is damaged"))
            .unwrap_or_else(|| panic!("no core warning in the log file:\n{text}"));
        assert!(line.contains("WARN"), "{line}");
        assert!(line.contains("seedance_core"), "{line}");
    }
}
