//! `seedance completions SHELL`: the completion script, generated from the same declaration as parsing.

use clap::CommandFactory;
use clap_complete::Shell as Target;

use crate::cli::{Cli, Shell};
use crate::error::{CliResult, Exit};

pub fn run(shell: Shell) -> CliResult {
    let target = match shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
        Shell::Powershell => Target::PowerShell,
    };
    clap_complete::generate(
        target,
        &mut Cli::command(),
        "seedance",
        &mut std::io::stdout(),
    );
    Ok(Exit::Done)
}
