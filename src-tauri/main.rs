// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // First, while this is the only thread: no later read of the environment can race with the removal,
    // and no child process (the system player, WebKit's helpers) inherits the token.
    let env_token = seedance_core::secrets::take_env_token();
    seedance_studio_lib::run(env_token);
}
