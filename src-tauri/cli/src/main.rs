//! `seedance`: Seedance Studio's command line. A front end of `seedance-core` like the app: it shares the
//! app's data folder (history, presets, preferences), its keychain entry and its `SEEDANCE_*` variables,
//! and decides nothing the core already decides.
//!
//! - [`cli`]: the subcommands and flags (clap), with `--help` and completions from the same declaration.
//! - [`context`]: the shared things, opened on first use (start-up stays cheap).
//! - [`out`]: human, plain and `--json` output, messages in the locale's language.
//! - [`error`]: failures and the documented exit codes.
//! - [`commands`]: one module per subcommand group.

mod cli;
mod commands;
mod context;
mod demo;
mod engine;
mod error;
mod follow;
mod out;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // First, before any thread exists: the token leaves the environment so no child process inherits it.
    let env_token = seedance_core::secrets::take_env_token();
    let cli = cli::Cli::parse();
    let out = out::Out::from_flags(&cli.global, |k| std::env::var(k).ok());
    let mut ctx = context::Ctx::new(out, cli.global.demo, env_token);
    let exit = match commands::run(&mut ctx, cli.command) {
        Ok(exit) => exit,
        Err(e) => {
            ctx.out.error(&e);
            e.exit
        }
    };
    ExitCode::from(exit.code())
}
