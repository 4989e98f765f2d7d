#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;
use crate::secrets::MemoryStore;
use url::Url;

/// Answers with the scripted answers in order (no once they run out) and records every question.
#[derive(Default)]
struct Scripted {
    answers: Mutex<Vec<bool>>,
    asked: Mutex<Vec<String>>,
}

impl Scripted {
    fn answering(answers: &[bool]) -> Arc<Self> {
        Arc::new(Self {
            answers: Mutex::new(answers.iter().rev().copied().collect()),
            asked: Mutex::default(),
        })
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

impl HostQuestion for Scripted {
    fn ask<'a>(&'a self, host: &'a str) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>> {
        self.asked.lock().unwrap().push(host.to_owned());
        let answer = self.answers.lock().unwrap().pop().unwrap_or(false);
        Box::pin(async move {
            // Lets other runs queue up behind the open question.
            tokio::task::yield_now().await;
            answer
        })
    }
}

const PROXY: &str = "https://proxy.example.com";

fn proxy_api() -> ApiConfig {
    let mut api = ApiConfig::production();
    api.api_base = Url::parse("https://proxy.example.com/sinan").unwrap();
    api
}

fn stored(token: &str) -> (Arc<MemoryStore>, ApiToken) {
    let store = Arc::new(MemoryStore::default());
    let token = ApiToken::new(token).unwrap();
    store.set(&token).unwrap();
    (store, token)
}

#[tokio::test]
async fn sinancode_and_this_machine_are_never_asked_about() {
    let (store, token) = stored("sk-1");
    let question = Scripted::answering(&[]);
    let creds = Credentials::new(store, question.clone());
    let sim = ApiConfig::new("http://127.0.0.1:9", "http://localhost:9").unwrap();
    for api in [ApiConfig::production(), sim] {
        let cleared = creds.authorize(token.clone(), &api).await.unwrap();
        assert!(cleared.hosts().is_empty());
    }
    assert!(question.asked().is_empty());
}

#[tokio::test]
async fn a_yes_is_asked_once_and_kept_in_the_keychain_entry() {
    let (store, token) = stored("sk-1");
    let question = Scripted::answering(&[true]);
    let creds = Credentials::new(store.clone(), question.clone());
    let api = proxy_api();
    let cleared = creds.authorize(token.clone(), &api).await.unwrap();
    assert!(cleared.hosts().allows(&api.api_base));
    assert_eq!(question.asked(), [PROXY]);
    let entry = store.get().unwrap().unwrap();
    assert!(entry.same_secret(&token));
    assert_eq!(entry.hosts().iter().collect::<Vec<_>>(), [PROXY]);

    // A later run of the app reads the binding from the entry and does not ask.
    let later = Credentials::new(store, question.clone());
    let (current, _) = later.current().await.unwrap().unwrap();
    later.authorize(current, &api).await.unwrap();
    assert_eq!(question.asked().len(), 1);
}

#[tokio::test]
async fn a_no_is_remembered_and_saving_the_address_again_asks_again() {
    let (store, token) = stored("sk-1");
    let question = Scripted::answering(&[false, true]);
    let creds = Credentials::new(store.clone(), question.clone());
    let api = proxy_api();
    let refused = creds.authorize(token.clone(), &api).await.unwrap_err();
    assert_eq!(refused.host, PROXY);
    assert_eq!(refused.kind(), "token_host_refused");
    assert!(refused.msg().text("zh-CN").contains(PROXY));
    assert!(store.get().unwrap().unwrap().hosts().is_empty());
    // Background runs meet the same answer without a new question.
    assert!(creds.authorize(token.clone(), &api).await.is_err());
    assert_eq!(question.asked().len(), 1);

    creds
        .confirm_saved_address(token.clone(), Some(&api), &api)
        .await
        .unwrap();
    assert_eq!(question.asked().len(), 2);
    creds.authorize(token, &api).await.unwrap();
    assert_eq!(question.asked().len(), 2);
}

#[tokio::test]
async fn saving_preferences_asks_only_about_a_new_unbound_address() {
    let (store, token) = stored("sk-1");
    let question = Scripted::answering(&[false]);
    let creds = Credentials::new(store, question.clone());
    let production = ApiConfig::production();
    creds
        .confirm_saved_address(token.clone(), Some(&production), &production)
        .await
        .unwrap();
    // Unchanged and never refused: asked before its first use instead.
    creds
        .confirm_saved_address(token.clone(), Some(&proxy_api()), &proxy_api())
        .await
        .unwrap();
    assert!(question.asked().is_empty());
    let refused = creds
        .confirm_saved_address(token, Some(&production), &proxy_api())
        .await
        .unwrap_err();
    assert_eq!(refused.host, PROXY);
    assert_eq!(question.asked(), [PROXY]);
}

#[tokio::test]
async fn runs_needing_the_same_host_share_one_question() {
    let (store, token) = stored("sk-1");
    let question = Scripted::answering(&[true]);
    let creds = Credentials::new(store, question.clone());
    let api = proxy_api();
    let (a, b, c) = tokio::join!(
        creds.authorize(token.clone(), &api),
        creds.authorize(token.clone(), &api),
        creds.authorize(token, &api),
    );
    assert!(a.is_ok() && b.is_ok() && c.is_ok());
    assert_eq!(question.asked(), [PROXY]);
}

#[tokio::test]
async fn an_environment_token_is_bound_to_the_launch_hosts_and_never_stored() {
    let (store, keychain_token) = stored("sk-keychain");
    let question = Scripted::answering(&[true]);
    let creds = Credentials::new(store.clone(), question.clone())
        .with_env_token(ApiToken::new("sk-env"), &proxy_api());
    assert!(creds.from_environment());
    let (token, source) = creds.current().await.unwrap().unwrap();
    assert_eq!(
        (token.expose(), source),
        ("sk-env", TokenSource::Environment)
    );
    creds.authorize(token.clone(), &proxy_api()).await.unwrap();
    assert!(question.asked().is_empty(), "the environment named both");

    let mut other = ApiConfig::production();
    other.upload_base = Url::parse("https://files.example.net").unwrap();
    creds.authorize(token, &other).await.unwrap();
    assert_eq!(question.asked(), ["https://files.example.net"]);
    assert_eq!(
        store.get().unwrap(),
        Some(keychain_token),
        "the keychain's token is neither replaced nor bound"
    );
}

#[tokio::test]
async fn a_new_token_keeps_the_hosts_the_user_confirmed() {
    let (store, _) = stored("sk-old");
    let question = Scripted::answering(&[true]);
    let creds = Credentials::new(store.clone(), question.clone());
    let (old, _) = creds.current().await.unwrap().unwrap();
    creds.authorize(old, &proxy_api()).await.unwrap();

    let fresh = Credentials::new(store.clone(), question.clone());
    fresh.save(ApiToken::new("sk-new").unwrap()).await.unwrap();
    let saved = store.get().unwrap().unwrap();
    assert_eq!(saved.expose(), "sk-new");
    assert!(saved.hosts().contains(PROXY));
    let typed = fresh.typed(ApiToken::new("sk-typed").unwrap()).await;
    assert!(typed.hosts().contains(PROXY));
    fresh.remove().await.unwrap();
    assert_eq!(store.get().unwrap(), None);
    assert_eq!(question.asked().len(), 1);
}
