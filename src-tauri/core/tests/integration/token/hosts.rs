//! The token goes only to hosts it is bound to, on every path that carries it (create, task query, upload,
//! token check, a whole pipeline run). The simulator is reached under names that are not loopback
//! (`*.unbound.test`, resolved to 127.0.0.1 by the client), so without a binding the token must stay here:
//! the simulator must see no request at all.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use crate::support::api::{config_for, create_body, start, token, within};
use crate::support::pipeline::{frame, request, Recorder};
use seedance_core::api::{
    ApiConfig, ApiError, CreateError, MemoryUploadCache, ScaledTime, SinanClient, TaskId,
};
use seedance_core::pipeline::{no_progress, Pipeline, PipelineError};
use seedance_core::secrets::ApiToken;
use seedance_core::token_check::{check_token, TokenCheck};
use seedance_core::token_hosts::TokenHosts;
use seedance_sim::{Sim, SimConfig};
use url::Url;

const API_NAME: &str = "api.unbound.test";
const FILES_NAME: &str = "files.unbound.test";

/// `http://NAME:PORT` of the simulator's API listener. Built by hand: the app itself only accepts
/// plain http for loopback, and these names must not look like loopback.
fn named(sim: &Sim, name: &str) -> Url {
    let port = Url::parse(&sim.api_base()).unwrap().port().unwrap();
    Url::parse(&format!("http://{name}:{port}")).unwrap()
}

fn client(config: ApiConfig) -> SinanClient {
    let here = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    SinanClient::new_resolving(config, &[(API_NAME, here), (FILES_NAME, here)])
        .unwrap()
        .with_sleeper(Arc::new(ScaledTime::new(1000)))
}

fn unbound_config(sim: &Sim) -> ApiConfig {
    let mut config = config_for(sim);
    config.api_base = named(sim, API_NAME);
    config.upload_base = named(sim, FILES_NAME);
    config
}

fn refused_host(e: &ApiError) -> &str {
    match e {
        ApiError::HostNotConfirmed { host } => host,
        other => panic!("expected a refusal before sending, got {other:?}"),
    }
}

#[tokio::test]
async fn no_request_carries_the_token_to_an_unbound_host() {
    let sim = start(SimConfig::fast()).await;
    let config = unbound_config(&sim);
    let api_host = named(&sim, API_NAME).origin().ascii_serialization();
    let files_host = named(&sim, FILES_NAME).origin().ascii_serialization();
    let client = client(config.clone());
    let unbound = token(&sim);
    let dir = tempfile::tempdir().unwrap();
    let image = frame(dir.path(), "first.png", 640, 360, 1);

    match within(client.create_task(&unbound, &create_body())).await {
        Err(CreateError::NotSubmitted(e)) => assert_eq!(refused_host(&e), api_host),
        other => panic!("create must not be sent: {other:?}"),
    }
    let query = within(client.get_task(&unbound, &TaskId("t-1".into()))).await;
    assert_eq!(refused_host(&query.unwrap_err()), api_host);
    let upload = within(client.upload_file(&unbound, &image, |_, _| {})).await;
    assert_eq!(refused_host(&upload.unwrap_err()), files_host);
    assert_eq!(
        within(check_token(&client, &unbound)).await,
        TokenCheck::HostNotConfirmed {
            host: api_host.clone()
        }
    );
    assert!(
        sim.requests().is_empty(),
        "nothing reached the unbound host: {:?}",
        sim.requests()
    );

    // The same calls with the token bound to both names do reach the simulator, with the token: the
    // names lead there, so the silence above was the binding's doing.
    let bound = unbound.bound_to(&TokenHosts::of_config(&config));
    let id = within(client.create_task(&bound, &create_body()))
        .await
        .unwrap();
    within(client.get_task(&bound, &id)).await.unwrap();
    within(client.upload_file(&bound, &image, |_, _| {}))
        .await
        .unwrap();
    assert_eq!(
        within(check_token(&client, &bound)).await,
        TokenCheck::Valid
    );
    let seen = sim.requests();
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert!(seen.iter().all(|r| r.had_authorization));
}

#[tokio::test]
async fn a_run_with_an_unbound_upload_host_sends_nothing_and_is_not_charged() {
    let sim = start(SimConfig::fast()).await;
    let mut config = config_for(&sim);
    config.upload_base = named(&sim, FILES_NAME);
    let time = Arc::new(ScaledTime::new(100));
    let pipeline = Pipeline::new(client(config), Arc::new(MemoryUploadCache::default()))
        .with_time(time.clone(), time);
    let dir = tempfile::tempdir().unwrap();
    let image = frame(dir.path(), "first.png", 640, 360, 2);
    let out = dir.path().join("clip.mp4");

    let outcome = within(pipeline.run(
        &token(&sim),
        &request(Some(&image), None),
        &out,
        &Recorder::default(),
        no_progress(),
    ))
    .await;

    match outcome {
        Err(e @ PipelineError::Api(ApiError::HostNotConfirmed { .. })) => {
            assert!(!e.submission_uncertain(), "no create can have left");
        }
        other => panic!("the run must stop before the upload: {other:?}"),
    }
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
    assert_eq!(sim.counts().create, 0);
    assert!(!out.exists());
}

#[test]
fn a_token_bound_to_no_extra_host_still_reaches_sinancode_and_loopback() {
    let token = ApiToken::new("sk-1").unwrap();
    for url in [
        "https://api.sinancode.com/v1/tasks/x",
        "https://files-api.sinancode.com/api/upload/file",
        "http://127.0.0.1:8787/v1/tasks/x",
    ] {
        assert!(token.hosts().allows(&Url::parse(url).unwrap()), "{url}");
    }
}
