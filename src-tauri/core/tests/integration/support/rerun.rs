//! Running one test of this binary again in a process of its own, for what a test cannot check inside
//! the test runner's process: a variable taken out of the environment, a process killed mid-job.

use std::process::Command;

/// This test binary, asked to run exactly the test `name` in `module` (the test's `module_path!()`) and
/// nothing else, on one thread, with its output passed through.
pub fn this_test_again(module: &str, name: &str) -> Command {
    // Test names leave out the crate name that `module_path!()` starts with.
    let path = module.split_once("::").map_or("", |(_, path)| path);
    let mut command = Command::new(std::env::current_exe().expect("the test binary's path"));
    command.args([
        "--exact",
        &format!("{path}::{name}"),
        "--nocapture",
        "--test-threads=1",
    ]);
    command
}
