//! `--demo`: the simulated SinanCode service (`seedance-sim`), started inside this process on a random
//! loopback port for the command's lifetime, as the app's demo mode does. No account, no network, nothing
//! paid; its token opens nothing but the simulator.

use seedance_core::api::ApiConfig;
use seedance_core::i18n::Message;
use seedance_core::secrets::ApiToken;
use seedance_sim::{Sim, SimConfig};

use crate::error::{CliError, CliResult};

/// A running simulator and how to reach it.
pub struct Demo {
    sim: Sim,
}

impl Demo {
    pub async fn start() -> CliResult<Self> {
        let sim = Sim::start(SimConfig::default()).await.map_err(|e| {
            let mut error =
                CliError::new("demo_unavailable", Message::new("msg.cli.demo_unavailable"));
            error.cause = Some(e.to_string());
            error
        })?;
        Ok(Self { sim })
    }

    pub fn api(&self) -> CliResult<ApiConfig> {
        Ok(ApiConfig::new(
            &self.sim.api_base(),
            &self.sim.upload_base(),
        )?)
    }

    pub fn token(&self) -> CliResult<ApiToken> {
        ApiToken::new(self.sim.token()).ok_or_else(|| {
            CliError::new("demo_unavailable", Message::new("msg.cli.demo_unavailable"))
        })
    }

    pub async fn stop(self) {
        self.sim.shutdown().await;
    }
}
