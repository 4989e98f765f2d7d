//! What a command that failed hands back: the catalog message the user reads, core's stable `kind`, and the
//! exit code scripts switch on (listed in `--help` and `docs/cli.md`). Core's errors arrive through
//! [`UserFacing`]; which exit code a `kind` earns is decided here, once.

use seedance_core::i18n::{Message, UserFacing};

/// The documented exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Done,
    Failed,
    Usage,
    /// Reached by the commands that send jobs: a create request may or may not have reached the service.
    Uncertain,
    Token,
    /// Reached by the commands that send jobs: a spend limit would be passed.
    SpendRefused,
    Interrupted,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Self::Done => 0,
            Self::Failed => 1,
            Self::Usage => 2,
            Self::Uncertain => 3,
            Self::Token => 4,
            Self::SpendRefused => 5,
            Self::Interrupted => 130,
        }
    }

    /// The exit code a core error `kind` earns.
    pub fn for_kind(kind: &str) -> Self {
        match kind {
            // No token, a token the service refused, a host it may not go to, a keychain that cannot be used.
            "no_token"
            | "token_empty"
            | "token_rejected"
            | "token_host_refused"
            | "token_host_not_confirmed"
            | "keychain_unavailable"
            | "keychain_denied"
            | "keychain_error"
            | "invalid_token" => Self::Token,
            // What the command line named does not exist, or the settings break a rule of the service.
            "job_not_found"
            | "preset_not_found"
            | "preset_unknown_name"
            | "invalid_request"
            | "batch_nothing_to_run"
            | "frame_index_out_of_range"
            | "frame_time_out_of_range" => Self::Usage,
            "submission_uncertain" => Self::Uncertain,
            "spend_limit" | "over_spend_limit" => Self::SpendRefused,
            _ => Self::Failed,
        }
    }
}

#[derive(Debug)]
pub struct CliError {
    pub exit: Exit,
    pub kind: String,
    pub message: Message,
    /// The technical cause in its own words, if any (shown dimmed under the message).
    pub cause: Option<String>,
}

impl CliError {
    pub fn new(kind: &str, message: Message) -> Self {
        Self {
            exit: Exit::for_kind(kind),
            kind: kind.to_owned(),
            message,
            cause: None,
        }
    }

    pub fn with_exit(mut self, exit: Exit) -> Self {
        self.exit = exit;
        self
    }

    pub fn from_user_facing(e: &dyn UserFacing) -> Self {
        Self {
            cause: e.raw_cause(),
            ..Self::new(e.kind(), e.msg())
        }
    }
}

/// Every core error converts with `?`.
macro_rules! from_core {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for CliError {
            fn from(e: $t) -> Self {
                Self::from_user_facing(&e)
            }
        }
    )*};
}

from_core!(
    seedance_core::config::ConfigError,
    seedance_core::store::StoreError,
    seedance_core::presets::PresetError,
    seedance_core::secrets::SecretError,
    seedance_core::images::ImageError,
    seedance_core::jobs::JobError,
    seedance_core::jobs::BatchRunError,
    seedance_core::batch::BatchIssue,
    seedance_core::api::BaseUrlError,
    seedance_core::api::ApiError,
    seedance_core::credentials::HostRefused,
    seedance_core::film::frame::FrameError,
);

pub type CliResult<T = Exit> = Result<T, CliError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_troubles_exit_4_and_unknown_names_exit_2() {
        use seedance_core::secrets::SecretError;
        let e = CliError::from(SecretError::Unavailable("no dbus".into()));
        assert_eq!(e.exit.code(), 4);
        let e = CliError::from(seedance_core::store::StoreError::NotFound { id: "x".into() });
        assert_eq!(e.exit.code(), 2);
        assert_eq!(Exit::for_kind("anything_else"), Exit::Failed);
    }
}
