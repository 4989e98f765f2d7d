//! Shared set-up for the client tests: a simulator on loopback and a client pointed at it whose retry
//! waits run a thousand times faster than real time.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use seedance_core::api::{ApiConfig, ScaledTime, SinanClient, Timeouts};
use seedance_core::secrets::ApiToken;
use seedance_sim::{Sim, SimConfig};

/// Every test's overall bound, far above what a passing test needs.
pub const TEST_BOUND: Duration = Duration::from_secs(20);

pub async fn start(config: SimConfig) -> Sim {
    Sim::start(config).await.expect("simulator starts")
}

/// The simulator's bases with test-sized timeouts.
pub fn config_for(sim: &Sim) -> ApiConfig {
    ApiConfig::new(&sim.api_base(), &sim.upload_base())
        .expect("loopback bases are valid")
        .with_timeouts(fast_timeouts())
}

pub fn fast_timeouts() -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(2),
        create: Duration::from_secs(5),
        get: Duration::from_secs(5),
        upload: Duration::from_secs(10),
        read_idle: Duration::from_secs(5),
        download_read_idle: Duration::from_secs(5),
    }
}

/// A client for `config` as given (timeouts included).
pub fn client_with(config: ApiConfig) -> SinanClient {
    SinanClient::new(config)
        .expect("client builds")
        .with_sleeper(Arc::new(ScaledTime::new(1000)))
}

pub fn client_for(sim: &Sim) -> SinanClient {
    client_with(config_for(sim))
}

pub fn token(sim: &Sim) -> ApiToken {
    ApiToken::new(sim.token()).expect("sim token is not blank")
}

pub fn wrong_token() -> ApiToken {
    ApiToken::new("not-the-token").expect("not blank")
}

/// A create body the simulator accepts (it rejects unknown fields, like a strict server would).
pub fn create_body() -> serde_json::Value {
    serde_json::json!({"prompt": "a cat", "duration": 5, "resolution": "720p", "ratio": "16:9"})
}

/// Fails the test instead of hanging it.
pub async fn within<T>(fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(TEST_BOUND, fut)
        .await
        .expect("finished within the test bound")
}

/// Creates a task and polls it to the end (with time scaled 100×), returning the final state.
pub async fn finished_task(sim: &Sim, client: &SinanClient) -> seedance_core::api::TaskState {
    use seedance_core::api::{poll_until_finished, PollSchedule};
    let token = token(sim);
    let id = client
        .create_task(&token, &create_body())
        .await
        .expect("create succeeds");
    let time = ScaledTime::new(100);
    poll_until_finished(
        client,
        &token,
        &id,
        &PollSchedule::default(),
        &time,
        &time,
        |_| {},
    )
    .await
    .expect("task finishes")
}

/// A sleeper that returns at once and remembers what it was asked to wait.
#[derive(Default)]
pub struct RecordingSleeper(pub std::sync::Mutex<Vec<Duration>>);

impl seedance_core::api::Sleeper for RecordingSleeper {
    fn sleep(&self, duration: Duration) -> seedance_core::api::SleepFuture<'_> {
        self.0.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}
