//! Stores, reads, replaces and deletes a secret in the REAL OS keychain (Linux: Secret Service via
//! gnome-keyring, which `./dev test` starts in a private D-Bus session). Ignored by default because a plain
//! `cargo test` on a machine without a keychain service cannot pass it; `./dev test` runs it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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
