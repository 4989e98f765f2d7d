//! What the shell manages: the resolved configuration and handles into the core.

use seedance_core::config::AppConfig;

pub struct AppState {
    pub config: AppConfig,
}
