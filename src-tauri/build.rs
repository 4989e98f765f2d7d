//! Tauri's build step, and the commit this build comes from (`SEEDANCE_COMMIT`, shown in Settings → About and in
//! the diagnostics): `git rev-parse` when building from a checkout, `SEEDANCE_COMMIT` from the environment when the
//! release pipeline sets it, else "unknown" (a source archive).
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn main() {
    println!("cargo:rerun-if-env-changed=SEEDANCE_COMMIT");
    let commit = std::env::var("SEEDANCE_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| {
            // Built again when HEAD moves (a commit, a checkout): its reflog changes with it.
            if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
                for watched in ["HEAD", "logs/HEAD"] {
                    let path = std::path::Path::new(&dir).join(watched);
                    if path.exists() {
                        println!("cargo:rerun-if-changed={}", path.display());
                    }
                }
            }
            git(&["rev-parse", "--short=12", "HEAD"])
        })
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=SEEDANCE_COMMIT={commit}");
    tauri_build::build()
}
