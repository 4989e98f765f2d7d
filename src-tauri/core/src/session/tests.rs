#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use super::*;
use crate::credentials::NeverConfirm;
use crate::i18n::UserFacing;
use crate::prefs::{PrefsError, PrefsStore};
use crate::secrets::{MemoryStore, SecretStore};

fn app(env_api: Option<&str>) -> AppConfig {
    let env_api = env_api.map(str::to_owned);
    AppConfig::resolve(
        move |k| {
            if k == crate::api::API_BASE_ENV {
                env_api.clone()
            } else {
                None
            }
        },
        Some("/d".into()),
    )
    .unwrap()
}

#[test]
fn the_preferences_api_address_applies_unless_the_environment_set_one() {
    let prefs = Preferences {
        api_base: Some("https://proxy.example.com".into()),
        ..Default::default()
    };
    let live = live_api_config(&app(None), &prefs).unwrap();
    assert_eq!(live.api_base.host_str(), Some("proxy.example.com"));
    assert_eq!(live.upload_base, ApiConfig::production().upload_base);

    let env = live_api_config(&app(Some("http://127.0.0.1:9")), &prefs).unwrap();
    assert_eq!(env.api_base.host_str(), Some("127.0.0.1"));

    let none = live_api_config(&app(None), &Preferences::default()).unwrap();
    assert_eq!(none, ApiConfig::production());

    let bad = Preferences {
        api_base: Some("http://example.com".into()),
        ..Default::default()
    };
    assert!(live_api_config(&app(None), &bad).is_err());
}

/// A keychain that cannot be reached.
struct LockedKeychain;

impl SecretStore for LockedKeychain {
    fn get(&self) -> Result<Option<ApiToken>, SecretError> {
        Err(SecretError::Denied("locked".into()))
    }
    fn set(&self, _: &ApiToken) -> Result<(), SecretError> {
        Err(SecretError::Denied("locked".into()))
    }
    fn remove(&self) -> Result<(), SecretError> {
        Err(SecretError::Denied("locked".into()))
    }
}

struct FakeDemo {
    stopped: Arc<AtomicUsize>,
}

impl DemoService for FakeDemo {
    fn api_base(&self) -> String {
        "http://127.0.0.1:7001".into()
    }
    fn upload_base(&self) -> String {
        "http://127.0.0.1:7001/upload".into()
    }
    fn token(&self) -> &str {
        "sim-token"
    }
    fn shutdown(self: Box<Self>) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.stopped.fetch_add(1, Ordering::SeqCst);
        Box::pin(std::future::ready(()))
    }
}

struct Fixture {
    services: Services,
    stopped: Arc<AtomicUsize>,
    started: AtomicUsize,
    _dir: tempfile::TempDir,
}

fn services_with(secrets: Arc<dyn SecretStore>) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let config = AppConfig::resolve(|_| None, Some(dir.path().to_path_buf())).unwrap();
    let (prefs, _) = PrefsHandle::load(PrefsStore::in_dir(dir.path()));
    let credentials = Arc::new(Credentials::new(secrets, Arc::new(NeverConfirm)));
    Fixture {
        services: Services::new(config, Arc::new(prefs), credentials),
        stopped: Arc::new(AtomicUsize::new(0)),
        started: AtomicUsize::new(0),
        _dir: dir,
    }
}

impl Fixture {
    async fn enter_demo(&self) {
        self.services
            .enter_demo(|pace| {
                assert_eq!(pace, DEMO_PACE);
                self.started.fetch_add(1, Ordering::SeqCst);
                let demo: Box<dyn DemoService> = Box::new(FakeDemo {
                    stopped: self.stopped.clone(),
                });
                std::future::ready(Ok::<_, std::io::Error>(demo))
            })
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn without_a_token_new_jobs_have_no_service_and_the_app_needs_setting_up() {
    let f = services_with(Arc::new(MemoryStore::default()));
    assert!(matches!(
        f.services.connection().await,
        Err(ConnectionError::NoToken)
    ));
    let status = f.services.status().await;
    assert!(!status.demo && !status.token.set && status.needs_setup);
    assert!(status.token.keychain_error.is_none());
}

#[tokio::test]
async fn a_saved_token_reaches_the_live_service_named_by_the_preferences() {
    let f = services_with(Arc::new(MemoryStore::default()));
    f.services
        .credentials()
        .save(ApiToken::new("sk-live-abcd1234").unwrap())
        .await
        .unwrap();
    let live = f.services.connection().await.unwrap();
    assert!(!live.demo);
    assert_eq!(live.api, ApiConfig::production());
    assert_eq!(live.token.expose(), "sk-live-abcd1234");

    let status = f.services.status().await;
    assert!(status.token.set && !status.needs_setup);
    assert_eq!(status.token.last4.as_deref(), Some("1234"));
    assert_eq!(status.token.source, Some(TokenSource::Keychain));
    assert!(!status.token.from_environment);
}

#[tokio::test]
async fn demo_mode_uses_the_simulator_and_its_token_until_it_is_left() {
    let f = services_with(Arc::new(MemoryStore::default()));
    f.enter_demo().await;
    f.enter_demo().await;
    assert_eq!(
        f.started.load(Ordering::SeqCst),
        1,
        "one simulator at a time"
    );

    let demo = f.services.connection().await.unwrap();
    assert!(demo.demo);
    assert_eq!(demo.api.api_base.as_str(), "http://127.0.0.1:7001/");
    assert_eq!(demo.token.expose(), "sim-token");
    let status = f.services.status().await;
    assert!(
        status.demo && !status.needs_setup,
        "no token needed in demo mode"
    );
    assert!(!status.token.set, "the simulator's token is not the user's");

    f.services.leave_demo().await;
    assert_eq!(f.stopped.load(Ordering::SeqCst), 1);
    assert!(!f.services.in_demo().await);
    assert!(matches!(
        f.services.connection().await,
        Err(ConnectionError::NoToken)
    ));
}

#[tokio::test]
async fn a_locked_keychain_is_reported_with_the_token_status() {
    let f = services_with(Arc::new(LockedKeychain));
    let status = f.services.status().await;
    assert!(!status.token.set && status.needs_setup);
    assert!(matches!(
        status.token.keychain_error,
        Some(SecretError::Denied(_))
    ));
    let refused = f.services.connection().await.unwrap_err();
    assert_eq!(
        UserFacing::kind(&refused),
        UserFacing::kind(&SecretError::Denied(String::new()))
    );
}

#[tokio::test]
async fn saving_preferences_keeps_the_remembered_form_and_refuses_a_folder_not_picked() {
    let f = services_with(Arc::new(MemoryStore::default()));
    let draft = crate::request::RequestDraft {
        prompt: "waves".into(),
        ..Default::default()
    };
    f.services.remember_form(&draft).unwrap();
    // The Settings screen sends what it showed, which may predate the last submit.
    let saved = f
        .services
        .save_preferences(Preferences {
            notifications: false,
            ..Preferences::default()
        })
        .await
        .unwrap();
    assert!(!saved.notifications);
    assert_eq!(saved.last_request, Some(draft));

    let named_by_the_page = Preferences {
        output_dir: Some("/tmp/elsewhere".into()),
        ..Preferences::default()
    };
    let refused = f.services.save_preferences(named_by_the_page).await;
    assert!(
        matches!(
            refused,
            Err(PrefsChangeError::Prefs(
                PrefsError::OutputDirNotChosen { .. }
            ))
        ),
        "{refused:?}"
    );
    let invalid = f
        .services
        .save_preferences(Preferences {
            max_concurrent_jobs: 0,
            file_name_pattern: "{nope}".into(),
            ..Preferences::default()
        })
        .await
        .unwrap_err();
    assert_eq!(UserFacing::kind(&invalid), "invalid_preferences");
    assert_eq!(
        invalid.msg().text("en").lines().count(),
        2,
        "every problem, one per line"
    );
    assert_eq!(
        f.services.prefs().snapshot(),
        saved,
        "nothing refused was kept"
    );
}
