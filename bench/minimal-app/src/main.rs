// Nothing but a window showing one embedded page: what any Tauri 2 app costs before it does anything.
fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("minimal Tauri app stopped with an error: {e}");
        std::process::exit(1);
    }
}
