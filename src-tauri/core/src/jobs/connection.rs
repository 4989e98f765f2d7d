//! Which service a job talks to and with which token. The app decides (keychain token, settings, demo
//! mode); the runner only asks, at the moment a job needs it, so a token pasted after a job failed for
//! lack of one is used by the next attempt.

use std::future::Future;
use std::pin::Pin;

use crate::api::ApiConfig;
use crate::i18n::{Message, UserFacing};
use crate::secrets::ApiToken;

/// Everything a run needs to reach the service.
#[derive(Clone, Debug)]
pub struct Connection {
    pub api: ApiConfig,
    pub token: ApiToken,
    /// The built-in simulated service: its jobs cannot outlive it.
    pub demo: bool,
}

#[derive(Clone, Debug, thiserror::Error)]
pub enum ConnectionError {
    #[error("no API token is set")]
    NoToken,
    /// A demo job whose simulated service stopped with the app that ran it.
    #[error("the demo service ended with the app")]
    DemoEnded,
    /// A job of the user's account while the app is in demo mode.
    #[error("the live service is not in use (demo mode)")]
    LiveNotInUse,
    /// Anything else the app reports (keychain locked, bad API address…), with its own words.
    #[error("the service cannot be reached: {}", message.text("en"))]
    Unavailable {
        kind: &'static str,
        message: Message,
    },
}

impl ConnectionError {
    /// Wraps another layer's error, keeping its kind and message.
    pub fn from_user_facing(error: &dyn UserFacing) -> Self {
        Self::Unavailable {
            kind: error.kind(),
            message: error.msg(),
        }
    }
}

impl UserFacing for ConnectionError {
    fn kind(&self) -> &'static str {
        match self {
            Self::NoToken => "no_token",
            Self::DemoEnded => "demo_ended",
            Self::LiveNotInUse => "live_not_in_use",
            Self::Unavailable { kind, .. } => kind,
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::NoToken => Message::new("msg.job.no_token"),
            Self::DemoEnded => Message::new("msg.job.demo_ended"),
            Self::LiveNotInUse => Message::new("msg.job.live_not_in_use"),
            Self::Unavailable { message, .. } => message.clone(),
        }
    }
}

pub type ConnectionFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Connection, ConnectionError>> + Send + 'a>>;

pub trait ConnectionSource: Send + Sync {
    /// The service new jobs go to now.
    fn current(&self) -> ConnectionFuture<'_>;

    /// The service to continue a job made in demo mode (`demo`) or against the live service. By default
    /// the current one when its mode matches: a demo job never reaches the real service, nor the reverse.
    fn for_job(&self, demo: bool) -> ConnectionFuture<'_> {
        Box::pin(async move {
            let connection = self.current().await;
            match connection {
                Ok(c) if c.demo == demo => Ok(c),
                Ok(_) if demo => Err(ConnectionError::DemoEnded),
                Ok(_) => Err(ConnectionError::LiveNotInUse),
                Err(_) if demo => Err(ConnectionError::DemoEnded),
                Err(e) => Err(e),
            }
        })
    }
}

/// Always the same connection: tests and tools.
#[derive(Clone, Debug)]
pub struct FixedConnection(pub Connection);

impl ConnectionSource for FixedConnection {
    fn current(&self) -> ConnectionFuture<'_> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn fixed(demo: bool) -> FixedConnection {
        FixedConnection(Connection {
            api: ApiConfig::production(),
            token: ApiToken::new("t0ken").unwrap(),
            demo,
        })
    }

    #[tokio::test]
    async fn jobs_only_continue_on_the_service_they_were_made_on() {
        assert!(fixed(true).for_job(true).await.unwrap().demo);
        assert!(!fixed(false).for_job(false).await.unwrap().demo);
        assert!(matches!(
            fixed(false).for_job(true).await,
            Err(ConnectionError::DemoEnded)
        ));
        assert!(matches!(
            fixed(true).for_job(false).await,
            Err(ConnectionError::LiveNotInUse)
        ));
    }

    #[test]
    fn every_message_is_bilingual() {
        let wrapped = ConnectionError::from_user_facing(&ConnectionError::NoToken);
        assert_eq!(wrapped.kind(), "no_token");
        for e in [
            ConnectionError::NoToken,
            ConnectionError::DemoEnded,
            ConnectionError::LiveNotInUse,
            wrapped,
        ] {
            let m = e.msg();
            assert!(
                !m.text("en").is_empty() && !m.text("zh-CN").is_ascii(),
                "{}",
                e.kind()
            );
        }
    }
}
