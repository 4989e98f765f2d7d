//! Stores, reads, replaces and deletes a secret in the REAL OS keychain (Linux: Secret Service via
//! gnome-keyring, which `./dev test` starts in a private D-Bus session). Ignored by default because a plain
//! `cargo test` on a machine without a keychain service cannot pass it; `./dev test` runs it.

use seedance_core::secrets::{ApiToken, KeyringStore, SecretStore};

#[test]
#[ignore = "needs a real OS keychain; ./dev test runs it"]
fn real_keychain_store_read_replace_delete() {
    // A service name of its own, so the test never touches the app's real entry.
    let store = KeyringStore::new(
        format!("com.seedance-studio.test-{}", std::process::id()),
        "token",
    );
    store.remove().unwrap();
    assert_eq!(store.get().unwrap(), None, "starts empty");

    let first = ApiToken::new("sk-test-AAAA-1111").unwrap();
    store.set(&first).unwrap();
    assert_eq!(store.get().unwrap(), Some(first));

    let second = ApiToken::new("sk-test-BBBB-2222").unwrap();
    store.set(&second).unwrap();
    assert_eq!(store.get().unwrap(), Some(second), "set replaces");

    store.remove().unwrap();
    assert_eq!(store.get().unwrap(), None, "removed");
    store.remove().unwrap();
}

/// The entry keeps the hosts the token is bound to; an entry written before that (the token alone) still
/// reads, bound to SinanCode's own hosts only.
#[test]
#[ignore = "needs a real OS keychain; ./dev test runs it"]
fn real_keychain_keeps_the_bound_hosts_and_reads_the_old_plain_form() {
    use seedance_core::token_hosts::TokenHosts;

    let service = format!("com.seedance-studio.test-hosts-{}", std::process::id());
    let store = KeyringStore::new(service.clone(), "token");
    let raw = keyring::Entry::new(&service, "token").unwrap();
    store.remove().unwrap();

    raw.set_password("sk-test-OLD-3333").unwrap();
    let old = store.get().unwrap().expect("the plain form still reads");
    assert_eq!(old.expose(), "sk-test-OLD-3333");
    assert!(
        old.hosts().is_empty(),
        "bound to SinanCode's own hosts only"
    );

    let hosts = TokenHosts::from_saved(["https://proxy.example.com:8443"]);
    let bound = ApiToken::new("sk-test-NEW-4444").unwrap().bound_to(&hosts);
    store.set(&bound).unwrap();
    assert_eq!(store.get().unwrap(), Some(bound));
    let text = raw.get_password().unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["token"], "sk-test-NEW-4444");
    assert_eq!(json["hosts"][0], "https://proxy.example.com:8443");

    store.remove().unwrap();
    assert_eq!(store.get().unwrap(), None);
}
