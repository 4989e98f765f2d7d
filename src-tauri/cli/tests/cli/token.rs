//! `seedance token …`: never from an argument, never printed, `SEEDANCE_API_TOKEN` without a keychain, a
//! headless machine, and `token test` against the simulator on 127.0.0.1.

use seedance_sim::{Sim, SimConfig};

use crate::support::Env;

const SECRET: &str = "sk-test-SECRET-9876";

#[test]
fn a_token_given_as_an_argument_is_refused_and_not_repeated() {
    let env = Env::new();
    for args in [
        &["token", "set", SECRET][..],
        &["token", "set", "--", SECRET][..],
        &["--json", "token", "set", SECRET][..],
    ] {
        let run = env.run(args);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(!run.all().contains("SECRET"), "{run:?}");
        assert!(run.all().contains("never taken as an argument"), "{run:?}");
    }
}

#[test]
fn a_headless_machine_is_told_to_use_the_environment_variable() {
    let env = Env::new();
    let run = env.run_with_stdin(&["token", "set"], Some(&format!("{SECRET}\n")));
    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.stderr.contains("keychain is not available"), "{run:?}");
    assert!(run.stderr.contains("SEEDANCE_API_TOKEN"), "{run:?}");
    assert!(!run.all().contains("SECRET"), "{run:?}");

    let run = env.run_with_stdin(&["--json", "token", "set"], Some(SECRET));
    assert_eq!(run.code, 4, "{run:?}");
    let error = &run.json()["error"];
    assert_eq!(error["kind"], "keychain_unavailable");
    assert_eq!(error["exit_code"], 4);
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("SEEDANCE_API_TOKEN"));
    assert!(!run.all().contains("SECRET"));

    // Status and test say the same, and exit 4.
    for args in [&["token", "status"][..], &["token", "test"][..]] {
        let run = env.run(args);
        assert_eq!(run.code, 4, "{args:?}: {run:?}");
        assert!(run.stderr.contains("SEEDANCE_API_TOKEN"), "{run:?}");
    }
}

#[test]
fn an_empty_token_is_refused() {
    let env = Env::new();
    let run = env.run_with_stdin(&["token", "set"], Some("  \n"));
    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.stderr.contains("No token was given"), "{run:?}");
}

#[test]
fn the_environment_token_works_without_a_keychain_and_is_never_printed() {
    let env = Env::new().var("SEEDANCE_API_TOKEN", SECRET);
    let run = env.run(&["token", "status"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("SEEDANCE_API_TOKEN") && run.stdout.contains("9876"),
        "{run:?}"
    );
    let run = env.run(&["--json", "token", "status"]);
    assert_eq!(run.code, 0, "{run:?}");
    let status = run.json();
    assert_eq!(status["set"], true);
    assert_eq!(status["source"], "environment");
    assert_eq!(status["last4"], "9876");
    assert!(!run.all().contains("SECRET"), "{run:?}");
}

/// The simulator on a loopback port, driven by a runtime of its own while the binary runs.
struct Service {
    sim: Sim,
    _runtime: tokio::runtime::Runtime,
}

impl Service {
    fn start() -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let sim = runtime.block_on(Sim::start(SimConfig::fast())).unwrap();
        Self {
            sim,
            _runtime: runtime,
        }
    }

    fn env(&self, token: &str) -> Env {
        Env::new()
            .var("SEEDANCE_API_BASE", &self.sim.api_base())
            .var("SEEDANCE_UPLOAD_BASE", &self.sim.upload_base())
            .var("SEEDANCE_API_TOKEN", token)
    }
}

#[test]
fn token_test_asks_the_service_and_creates_nothing() {
    let service = Service::start();
    let good = service.sim.token().to_owned();
    let env = service.env(&good);
    let run = env.run(&["token", "test"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("The token works"), "{run:?}");
    let run = env.run(&["--json", "token", "test"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["outcome"], "valid");
    assert!(!run.all().contains(&good), "{run:?}");
    let counts = service.sim.counts();
    assert_eq!(counts.get_task, 2);
    assert_eq!(counts.create, 0, "a token check never creates a task");
}

#[test]
fn a_bad_token_exits_4_with_what_to_do() {
    let service = Service::start();
    let env = service.env(SECRET);
    let run = env.run(&["token", "test"]);
    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.stderr.contains("refused this token"), "{run:?}");
    let run = env.run(&["--json", "token", "test"]);
    assert_eq!(run.code, 4, "{run:?}");
    assert_eq!(run.json()["error"]["kind"], "token_rejected");
    assert!(!run.all().contains("SECRET"), "{run:?}");
    assert_eq!(service.sim.counts().unauthorized, 2);
}

#[test]
fn a_service_that_cannot_be_reached_exits_1() {
    // A port the simulator held and gave back: nothing listens there now.
    let service = Service::start();
    let env = service.env(SECRET);
    let Service { sim, _runtime } = service;
    _runtime.block_on(sim.shutdown());
    let run = env.run(&["--json", "token", "test"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.json()["error"]["kind"], "token_no_network");
}

#[test]
fn demo_mode_tests_against_the_built_in_simulator_without_any_token() {
    let env = Env::new();
    let run = env.run(&["--demo", "--json", "token", "test"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["outcome"], "valid");
}

/// The app's real keychain entry, in the private gnome-keyring session `./dev test` starts.
#[test]
#[ignore = "needs a real OS keychain; ./dev test runs it"]
fn real_keychain_set_status_remove() {
    let env = Env::with_real_keychain();
    let run = env.run_with_stdin(&["token", "set"], Some(&format!("{SECRET}\n")));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.all().contains("SECRET"), "{run:?}");

    let run = env.run(&["--json", "token", "status"]);
    assert_eq!(run.code, 0, "{run:?}");
    let status = run.json();
    assert_eq!(status["source"], "keychain");
    assert_eq!(status["last4"], "9876");
    assert!(!run.all().contains("SECRET"), "{run:?}");

    // The environment's token wins while it is set.
    let run = env
        .command(&["--json", "token", "status"])
        .env("SEEDANCE_API_TOKEN", "sk-env-1111")
        .output()
        .unwrap();
    let status: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(status["source"], "environment");

    let run = env.run(&["token", "remove"]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = env.run(&["--json", "token", "status"]);
    assert_eq!(run.code, 4, "{run:?}");
    assert_eq!(run.json_lines()[0]["source"], "none");
}
