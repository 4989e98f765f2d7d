//! `SEEDANCE_API_TOKEN` is read once and removed from the environment, so a process started afterwards (the
//! system player, WebKit's helpers) does not inherit it. Three generations of this test binary: the test
//! starts a process with the variable set; that process takes the token first thing, as the app's `main`
//! does, then starts a third that reports whether it can see the variable.

use std::process::{Command, Output};

use crate::support::rerun;
use seedance_core::secrets::{take_env_token, TOKEN_ENV};

/// Which generation this process is: unset in the test runner's own process.
const ROLE: &str = "SEEDANCE_ENV_TOKEN_TEST_ROLE";
const TOKEN: &str = "sk-env-test-Qx7p";

fn this_test_again(role: &str) -> Command {
    let mut command = rerun::this_test_again(
        module_path!(),
        "a_process_started_after_the_token_was_taken_does_not_see_it",
    );
    command.env(ROLE, role);
    command
}

fn stdout_of(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_process_started_after_the_token_was_taken_does_not_see_it() {
    match std::env::var(ROLE).as_deref() {
        Ok("report") => {
            println!(
                "grandchild sees the variable: {}",
                std::env::var_os(TOKEN_ENV).is_some()
            );
        }
        Ok("take") => {
            let token = take_env_token().expect("the variable was set for this process");
            assert_eq!(token.expose(), TOKEN);
            assert!(std::env::var_os(TOKEN_ENV).is_none());
            assert!(take_env_token().is_none(), "read once");
            let report = stdout_of(&this_test_again("report").output().unwrap());
            print!("{report}");
        }
        _ => {
            let output = this_test_again("take")
                .env(TOKEN_ENV, format!("  {TOKEN}\n"))
                .output()
                .unwrap();
            let text = stdout_of(&output);
            assert!(
                text.contains("grandchild sees the variable: false"),
                "{text}"
            );
            assert!(!text.contains(TOKEN), "{text}");
        }
    }
}
