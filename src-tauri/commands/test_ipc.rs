//! Tests call commands the way the webview does: through the IPC layer of a mock app, arguments as JSON,
//! so an argument the webview could send is checked exactly as it arrives.

use tauri::test::{get_ipc_response, MockRuntime, INVOKE_KEY};
use tauri::Manager;

/// Invokes `cmd` with `args` on a window of `app`; the answer, or the error object (`{kind, message, …}`).
pub fn invoke(
    app: &tauri::App<MockRuntime>,
    cmd: &str,
    args: serde_json::Value,
) -> Result<serde_json::Value, serde_json::Value> {
    let webview = match app.get_webview_window("main") {
        Some(w) => w,
        None => tauri::WebviewWindowBuilder::new(app, "main", Default::default())
            .build()
            .map_err(|e| serde_json::json!({ "kind": format!("no window: {e}") }))?,
    };
    let request = tauri::webview::InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost"
            .parse()
            .map_err(|e| serde_json::json!({ "kind": format!("bad url: {e}") }))?,
        body: tauri::ipc::InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(&webview, request).map(|body| {
        body.deserialize::<serde_json::Value>()
            .unwrap_or(serde_json::Value::Null)
    })
}

/// The `kind` of the error `invoke` answered, or "ok".
pub fn outcome(answer: &Result<serde_json::Value, serde_json::Value>) -> String {
    match answer {
        Ok(_) => "ok".into(),
        Err(e) => e["kind"].as_str().unwrap_or_default().to_owned(),
    }
}

/// The app's state over the data folder `data_dir`: keychain in memory, no token, no host questions, no
/// events.
pub fn app_state(data_dir: &std::path::Path) -> crate::state::AppState {
    use std::sync::Arc;

    use seedance_core::config::AppConfig;
    use seedance_core::credentials::{Credentials, NeverConfirm};
    use seedance_core::jobs::NoEvents;
    use seedance_core::secrets::MemoryStore;

    let config = AppConfig::resolve(|_| None, Some(data_dir.to_path_buf()))
        .unwrap_or_else(|e| panic!("a data folder at {}: {e:?}", data_dir.display()));
    let credentials = Arc::new(Credentials::new(
        Arc::new(MemoryStore::default()),
        Arc::new(NeverConfirm),
    ));
    crate::state::AppState::new(config, credentials, Arc::new(NoEvents))
}
