//! Demo mode's simulated service, as the session sees it. The simulator itself lives in `seedance-sim`
//! (which knows nothing of this crate); the shell starts it and hands it over behind [`DemoService`].

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// How long a demo clip stays queued, then running, before it is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoPace {
    pub queued_for: Duration,
    pub running_for: Duration,
}

/// Long enough to watch a job pass through "queued" and "running" with its progress, short enough to
/// try several clips in a minute.
pub const DEMO_PACE: DemoPace = DemoPace {
    queued_for: Duration::from_secs(2),
    running_for: Duration::from_secs(6),
};

/// A running simulated service on this machine.
pub trait DemoService: Send + Sync {
    fn api_base(&self) -> String;
    fn upload_base(&self) -> String;
    /// The one token it accepts (not a secret: it opens nothing but the simulator).
    fn token(&self) -> &str;
    /// Stops it; jobs still running on it cannot finish.
    fn shutdown(self: Box<Self>) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}
