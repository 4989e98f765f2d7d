//! The committed TypeScript bindings must equal what the Rust commands generate. Run `./dev bindings`
//! (or this test with `UPDATE_BINDINGS=1`) after changing a command or a type that crosses IPC.

use std::path::Path;

#[test]
fn committed_bindings_match_the_rust_commands() {
    let generated =
        seedance_studio_lib::render_bindings().unwrap_or_else(|e| panic!("export failed: {e}"));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(seedance_studio_lib::BINDINGS_PATH);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run `./dev bindings` and commit the result",
        path.display()
    );
}
