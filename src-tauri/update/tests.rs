//! The updater against a loopback release server (a few lines of HTTP on 127.0.0.1 serving a `latest.json`
//! and a bundle), with the TEST key pair in `fixtures/` (never trusted by a real build: the app's key is
//! in `tauri.conf.json`). Bundles are signed at test time with the `minisign` crate, in the format the
//! Tauri CLI writes (a prehashed minisign signature, base64). The updater is the real plugin on
//! `tauri::test::mock_app`'s runtime, built the way the app builds it, with the test key and the loopback
//! endpoint instead of the configured ones.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use seedance_core::i18n::UserFacing;
use seedance_core::jobs::{FixedConnection, JobRunner, NoEvents, RunnerPrefs, SendingNow};
use seedance_sim::{Fault, Route, Sim, SimConfig};
use tauri::test::MockRuntime;
use tauri::utils::config::BundleType;
use tauri_plugin_updater::{Updater, UpdaterExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{UpdateError, Updates};
use crate::error::IpcError;

const TEST_KEY: &str = include_str!("fixtures/updater-test.key");
const TEST_PUBKEY: &str = include_str!("fixtures/updater-test.key.pub");
const OTHER_KEY: &str = include_str!("fixtures/updater-other.key");

/// What the loopback server answers for one path.
#[derive(Clone)]
struct Reply {
    status: u16,
    body: Vec<u8>,
}

type Routes = Arc<Mutex<Vec<(String, Reply)>>>;

/// A release server on 127.0.0.1: fixed replies by path, and the paths asked for.
struct ReleaseServer {
    addr: SocketAddr,
    asked: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ReleaseServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ReleaseServer {
    async fn start(routes: Vec<(&str, Reply)>) -> Self {
        let routes = routes.into_iter().map(|(p, r)| (p.to_owned(), r)).collect();
        Self::serve(Arc::new(Mutex::new(routes))).await
    }

    /// Answers each request with the reply `routes` holds for its path when it arrives (404 without).
    async fn serve(routes: Routes) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let path = read_path(&mut stream).await;
                log.lock().unwrap().push(path.clone());
                let reply = routes
                    .lock()
                    .unwrap()
                    .iter()
                    .find(|(p, _)| *p == path)
                    .map(|(_, r)| r.clone())
                    .unwrap_or(Reply {
                        status: 404,
                        body: Vec::new(),
                    });
                let head = format!(
                    "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    reply.status,
                    reply.body.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&reply.body).await;
                let _ = stream.shutdown().await;
            }
        });
        Self { addr, asked, task }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

/// The request line's path (the head is read up to its end, at most 16 KiB).
async fn read_path(stream: &mut tokio::net::TcpStream) -> String {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    text.split_whitespace().nth(1).unwrap_or("").to_owned()
}

/// A port nothing listens on: the server is down.
async fn closed_port() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap()
}

/// The base64 signature of `data` by `key`, as `tauri signer sign` writes it (the version it was built
/// for in the trusted comment).
fn sign(key: &str, data: &[u8], version: &str) -> String {
    let sk = minisign::SecretKeyBox::from_string(key)
        .unwrap()
        .into_unencrypted_secret_key()
        .unwrap();
    let trusted = format!(
        "timestamp:1796216268\tfile:seedance-studio_{version}_amd64.AppImage\tversion:{version}"
    );
    let signature = minisign::sign(
        None,
        &sk,
        std::io::Cursor::new(data),
        Some(&trusted),
        Some("signature from tauri secret key"),
    )
    .unwrap();
    base64::engine::general_purpose::STANDARD.encode(signature.into_string())
}

fn json(status: u16, value: serde_json::Value) -> Reply {
    Reply {
        status,
        body: value.to_string().into_bytes(),
    }
}

fn bytes(body: &[u8]) -> Reply {
    Reply {
        status: 200,
        body: body.to_vec(),
    }
}

const BUNDLE: &[u8] = b"a stand-in for seedance-studio_0.2.0_amd64.AppImage, signed at test time";
const NOTES: &str = "Faster previews.\n<script>alert(1)</script> stays text.";

/// `latest.json` offering `version` for this platform, with `signature` for the bundle at `bundle_url`.
fn manifest(version: &str, bundle_url: &str, signature: &str) -> Reply {
    let target = tauri_plugin_updater::target().expect("a supported platform");
    json(
        200,
        serde_json::json!({
            "version": version,
            "notes": NOTES,
            "pub_date": "2026-12-01T10:00:00Z",
            "platforms": { target: { "url": bundle_url, "signature": signature } }
        }),
    )
}

/// A release server offering 0.2.0 (the app is 0.1.0) whose bundle is `served`, signed as `signature`.
async fn release(served: &[u8], signature: &str) -> ReleaseServer {
    // The manifest names the bundle by this server's own address, known once it is bound.
    let routes: Routes = Arc::new(Mutex::new(vec![("/bundle".to_owned(), bytes(served))]));
    let server = ReleaseServer::serve(routes.clone()).await;
    let manifest = manifest("0.2.0", &server.url("/bundle"), signature);
    routes
        .lock()
        .unwrap()
        .push(("/latest.json".to_owned(), manifest));
    server
}

/// A mock app with the updater plugin, configured as in `tauri.conf.json` but with the test key.
fn app() -> tauri::App<MockRuntime> {
    let mut context = tauri::test::mock_context(tauri::test::noop_assets());
    context.config_mut().plugins.0.insert(
        "updater".into(),
        serde_json::json!({
            "pubkey": TEST_PUBKEY,
            "endpoints": ["http://127.0.0.1:9/latest.json"],
            "dangerousInsecureTransportProtocol": true
        }),
    );
    tauri::test::mock_builder()
        .plugin(tauri_plugin_updater::Builder::new().build())
        .build(context)
        .expect("the mock app starts with the updater plugin")
}

/// The updater as the app builds it, asking `endpoint`.
fn updater(app: &tauri::App<MockRuntime>, endpoint: &str) -> Updater {
    app.updater_builder()
        .timeout(Duration::from_secs(10))
        .endpoints(vec![endpoint.parse().unwrap()])
        .unwrap()
        .build()
        .unwrap()
}

fn message_key(e: &UpdateError) -> String {
    IpcError::from_user_facing(e).message.key
}

#[tokio::test]
async fn a_newer_version_is_offered_and_its_download_verifies() {
    let app = app();
    let server = release(BUNDLE, &sign(TEST_KEY, BUNDLE, "0.2.0")).await;
    let updates = Updates::default();
    let offer = updates
        .check_quietly(Ok(updater(&app, &server.url("/latest.json"))))
        .await
        .expect("0.2.0 is offered to 0.1.0");
    assert_eq!(offer.version, "0.2.0");
    assert_eq!(offer.current_version, "0.1.0");
    assert_eq!(
        offer.notes.as_deref(),
        Some(NOTES),
        "the notes as sent, as text"
    );
    assert_eq!(offer.date.as_deref(), Some("2026-12-01T10:00:00Z"));

    let update = updates.offer().clone().unwrap();
    let mut seen = Vec::new();
    let got = super::download(&update, |done, total| seen.push((done, total)))
        .await
        .expect("the signature verifies");
    assert_eq!(got, BUNDLE);
    let total = BUNDLE.len() as u64;
    assert_eq!(seen.last(), Some(&(total, Some(total))), "{seen:?}");
    assert_eq!(server.asked(), ["/latest.json", "/bundle"]);
}

#[tokio::test]
async fn a_tampered_bundle_is_refused_with_our_message() {
    let app = app();
    let mut tampered = BUNDLE.to_vec();
    tampered[3] ^= 1;
    let server = release(&tampered, &sign(TEST_KEY, BUNDLE, "0.2.0")).await;
    let update = super::check(&updater(&app, &server.url("/latest.json")))
        .await
        .unwrap()
        .expect("offered: the manifest is fine");
    let err = super::download(&update, |_, _| {}).await.unwrap_err();
    assert!(matches!(err, UpdateError::BadSignature(_)), "{err:?}");
    assert_eq!(message_key(&err), "msg.update.bad_signature");
    let text = err.msg().text("en");
    assert!(
        text.contains("signature is wrong") && text.contains("nothing was installed"),
        "{text}"
    );
    assert!(!err.msg().text("zh-CN").is_ascii());
}

#[tokio::test]
async fn a_bundle_signed_by_another_key_is_refused() {
    let app = app();
    let server = release(BUNDLE, &sign(OTHER_KEY, BUNDLE, "0.2.0")).await;
    let update = super::check(&updater(&app, &server.url("/latest.json")))
        .await
        .unwrap()
        .unwrap();
    let err = super::download(&update, |_, _| {}).await.unwrap_err();
    assert!(matches!(err, UpdateError::BadSignature(_)), "{err:?}");
    assert_eq!(message_key(&err), "msg.update.bad_signature");
}

#[tokio::test]
async fn nothing_is_offered_for_204_an_older_or_the_same_version() {
    let app = app();
    let signature = sign(TEST_KEY, BUNDLE, "0.0.9");
    let server = ReleaseServer::start(vec![
        ("/none.json", json(204, serde_json::Value::Null)),
        (
            "/older.json",
            manifest("0.0.9", "http://127.0.0.1:9/b", &signature),
        ),
        (
            "/same.json",
            manifest("0.1.0", "http://127.0.0.1:9/b", &signature),
        ),
    ])
    .await;
    let updates = Updates::default();
    for path in ["/none.json", "/older.json", "/same.json"] {
        let offered = updates
            .check_now(&updater(&app, &server.url(path)))
            .await
            .unwrap();
        assert_eq!(offered, None, "{path}");
    }
    assert_eq!(server.asked(), ["/none.json", "/older.json", "/same.json"]);
}

#[tokio::test]
async fn a_failing_check_is_silent_on_start_and_shown_by_check_now() {
    let app = app();
    let down = format!("http://{}/latest.json", closed_port().await);
    let updates = Updates::default();
    assert_eq!(updates.check_quietly(Ok(updater(&app, &down))).await, None);

    let err = updates
        .check_now(&updater(&app, &down))
        .await
        .expect_err("check now says why");
    assert!(matches!(err, UpdateError::Unreachable(_)), "{err:?}");
    assert_eq!(message_key(&err), "msg.update.unreachable");

    // A server answering something that is not a manifest: silent on start, shown on demand.
    let server = ReleaseServer::start(vec![
        ("/bad.json", bytes(b"<html>not json</html>")),
        (
            "/error.json",
            json(500, serde_json::json!({"error": "down"})),
        ),
    ])
    .await;
    assert_eq!(
        updates
            .check_quietly(Ok(updater(&app, &server.url("/bad.json"))))
            .await,
        None
    );
    let err = updates
        .check_now(&updater(&app, &server.url("/bad.json")))
        .await
        .unwrap_err();
    assert!(matches!(err, UpdateError::BadAnswer(_)), "{err:?}");
    let err = updates
        .check_now(&updater(&app, &server.url("/error.json")))
        .await
        .unwrap_err();
    assert!(matches!(err, UpdateError::Unreachable(_)), "{err:?}");
}

/// A runner of this process whose service is `sim`, writing into `dir`.
fn runner_on(sim: &Sim, dir: &std::path::Path) -> JobRunner {
    let settings = RunnerPrefs {
        output_dir: dir.to_path_buf(),
        file_name_pattern: seedance_core::prefs::DEFAULT_FILE_NAME_PATTERN.to_owned(),
        upload_region: seedance_core::prefs::UploadRegion::Global,
        max_concurrent_jobs: 3,
    };
    let connection = seedance_core::jobs::Connection {
        api: seedance_core::api::ApiConfig::new(&sim.api_base(), &sim.upload_base()).unwrap(),
        token: seedance_core::secrets::ApiToken::new(sim.token()).unwrap(),
        demo: false,
    };
    std::fs::create_dir_all(dir).unwrap();
    let store = seedance_core::store::Store::open(&dir.join("jobs.db")).unwrap();
    JobRunner::new(
        Arc::new(store),
        Arc::new(NoEvents),
        Arc::new(FixedConnection(connection)),
        Arc::new(move || settings.clone()),
        seedance_core::jobs::RunnerTiming::default(),
    )
}

#[tokio::test]
async fn the_install_is_refused_while_a_create_is_in_flight_and_downloads_nothing() {
    let dir = std::env::temp_dir().join(format!("seedance-update-test-{}", std::process::id()));
    let sim = Sim::start(SimConfig {
        hang_for: Duration::from_secs(3),
        ..SimConfig::fast()
    })
    .await
    .unwrap();
    sim.push_fault(Route::Create, Fault::Hang);
    let runner = runner_on(&sim, &dir);
    let draft = seedance_core::request::RequestDraft {
        prompt: "a lighthouse at dusk".into(),
        ..Default::default()
    };
    runner.submit(draft, None).await.unwrap();
    let waited = tokio::time::timeout(Duration::from_secs(10), async {
        while sim.counts().create == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "the create request went out");

    let app = app();
    // Signed by another key: should the hold ever let this through, the download is refused before the
    // plugin could replace the running test binary (it installs as an AppImage when not packaged).
    let server = release(BUNDLE, &sign(OTHER_KEY, BUNDLE, "0.2.0")).await;
    let updates = Updates::default();
    updates
        .check_now(&updater(&app, &server.url("/latest.json")))
        .await
        .unwrap()
        .unwrap();
    let err = updates
        .install(&runner, Some(BundleType::AppImage), |_, _| {})
        .await
        .expect_err("refused while the create is out");
    let UpdateError::Busy(now) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(
        *now,
        SendingNow {
            uploading: 0,
            creating: 1
        }
    );
    assert_eq!(message_key(&err), "msg.update.busy");
    assert!(err.msg().text("en").contains("resume after the relaunch"));
    assert_eq!(server.asked(), ["/latest.json"], "nothing was downloaded");
    assert!(!updates.status(&runner).installing);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_copy_not_installed_from_a_package_never_replaces_itself() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let dir = std::env::temp_dir().join(format!("seedance-update-test-b-{}", std::process::id()));
    let runner = runner_on(&sim, &dir);
    let app = app();
    // Signed by another key, for the same reason as above.
    let server = release(BUNDLE, &sign(OTHER_KEY, BUNDLE, "0.2.0")).await;
    let updates = Updates::default();
    updates
        .check_now(&updater(&app, &server.url("/latest.json")))
        .await
        .unwrap()
        .unwrap();
    let err = updates.install(&runner, None, |_, _| {}).await.unwrap_err();
    assert!(matches!(err, UpdateError::NotInstallable), "{err:?}");
    assert_eq!(message_key(&err), "msg.update.not_installable");
    assert_eq!(server.asked(), ["/latest.json"], "nothing was downloaded");
    assert!(
        runner.hold_sending().is_ok(),
        "the failed install let sending go on"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn installing_without_an_offer_says_to_check_first() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let dir = std::env::temp_dir().join(format!("seedance-update-test-c-{}", std::process::id()));
    let runner = runner_on(&sim, &dir);
    let err = Updates::default()
        .install(&runner, Some(BundleType::Deb), |_, _| {})
        .await
        .unwrap_err();
    assert!(matches!(err, UpdateError::NoOffer), "{err:?}");
    assert_eq!(message_key(&err), "msg.update.no_offer");
    let _ = std::fs::remove_dir_all(&dir);
}
