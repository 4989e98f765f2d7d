//! What commands share with the app, opened only when a command first asks for it: the configuration
//! (`SEEDANCE_DATA_DIR` or the platform's data folder, `SEEDANCE_API_BASE`…), the preferences file, the job
//! database and the token (`SEEDANCE_API_TOKEN`, else the app's keychain entry). `seedance --help` and
//! `seedance completions` open none of them, and only commands that wait on the network or the keychain
//! start an async runtime.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use seedance_core::config::AppConfig;
use seedance_core::credentials::{Credentials, HostQuestion};
use seedance_core::i18n::Message;
use seedance_core::prefs::{PrefsHandle, PrefsStore};
use seedance_core::secrets::{ApiToken, KeyringStore};
use seedance_core::store::Store;

use crate::error::CliResult;
use crate::out::Out;

pub struct Ctx {
    pub out: Out,
    /// `--demo`: the simulated service instead of SinanCode.
    pub demo: bool,
    /// `SEEDANCE_API_TOKEN`, taken out of the environment before anything else ran.
    env_token: Option<ApiToken>,
    config: Option<AppConfig>,
    prefs: Option<Arc<PrefsHandle>>,
    store: Option<Arc<Store>>,
    credentials: Option<Arc<Credentials>>,
}

impl Ctx {
    pub fn new(out: Out, demo: bool, env_token: Option<ApiToken>) -> Self {
        Self {
            out,
            demo,
            env_token,
            config: None,
            prefs: None,
            store: None,
            credentials: None,
        }
    }

    pub fn config(&mut self) -> CliResult<AppConfig> {
        if let Some(c) = &self.config {
            return Ok(c.clone());
        }
        let config = AppConfig::from_process_env()?;
        self.config = Some(config.clone());
        Ok(config)
    }

    /// The preferences as the app last saved them. A damaged file is set aside exactly as the app does,
    /// with a warning.
    pub fn prefs(&mut self) -> CliResult<Arc<PrefsHandle>> {
        if let Some(p) = &self.prefs {
            return Ok(p.clone());
        }
        let config = self.config()?;
        let (prefs, warning) = PrefsHandle::load(PrefsStore::in_dir(&config.data_dir));
        if let Some(w) = warning {
            use seedance_core::i18n::UserFacing;
            self.out.warn(&w.msg());
        }
        let prefs = Arc::new(prefs);
        self.prefs = Some(prefs.clone());
        Ok(prefs)
    }

    /// The job database the app uses. Unlike the app, which then runs from memory, a command stops here:
    /// a history it cannot read or write is not one it should answer from.
    pub fn store(&mut self) -> CliResult<Arc<Store>> {
        if let Some(s) = &self.store {
            return Ok(s.clone());
        }
        let store = Arc::new(self.config()?.open_store()?);
        self.store = Some(store.clone());
        Ok(store)
    }

    /// The token and the hosts it may go to: the environment's, else the app's keychain entry.
    pub fn credentials(&mut self) -> CliResult<Arc<Credentials>> {
        if let Some(c) = &self.credentials {
            return Ok(c.clone());
        }
        let config = self.config()?;
        let question = Arc::new(TerminalQuestion {
            prompt: |host: &str| Message::new("msg.cli.host_question").arg("host", host),
            language: self.out.language(),
        });
        let credentials = Arc::new(
            Credentials::new(Arc::new(KeyringStore::app_default()), question)
                .with_env_token(self.env_token.clone(), &config.api),
        );
        self.credentials = Some(credentials.clone());
        Ok(credentials)
    }
}

/// Runs `future` to its end on a runtime of this thread (started here: most commands never need one).
pub fn block_on<F: Future>(future: F) -> F::Output {
    // Building a current-thread runtime only fails when the OS refuses a timer or an I/O driver.
    #[allow(clippy::expect_used)]
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("an async runtime for this command");
    runtime.block_on(future)
}

/// Asks on the terminal before the token goes to a host that is neither SinanCode's nor this machine's;
/// without a terminal to ask on, the answer is no (a script cannot say yes by accident).
struct TerminalQuestion {
    prompt: fn(&str) -> Message,
    language: seedance_core::i18n::Language,
}

impl HostQuestion for TerminalQuestion {
    fn ask<'a>(&'a self, host: &'a str) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>> {
        use std::io::{BufRead, IsTerminal, Write};
        let yes = if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
            let text = seedance_core::i18n::render(&(self.prompt)(host), self.language);
            let mut err = std::io::stderr();
            let _ = write!(err, "{text}");
            let _ = err.flush();
            let mut answer = String::new();
            let _ = std::io::stdin().lock().read_line(&mut answer);
            matches!(answer.trim().to_lowercase().as_str(), "y" | "yes" | "是")
        } else {
            false
        };
        Box::pin(std::future::ready(yes))
    }
}
