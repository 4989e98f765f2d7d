//! One module per subcommand group. Each parses nothing itself (clap did), asks core, and prints through
//! [`crate::out::Out`]; the queue-driving commands (`generate` without `--estimate`, `batch`, `jobs
//! watch/download/retry/resubmit`) join here as modules of their own.

mod batch;
mod completions;
mod frame;
mod frames;
mod generate;
mod jobs;
mod presets;
mod queue;
mod send;
mod token;

use crate::cli::Command;
use crate::context::Ctx;
use crate::error::CliResult;

pub fn run(ctx: &mut Ctx, command: Command) -> CliResult {
    match command {
        Command::Generate(args) => generate::run(ctx, args),
        Command::Batch(args) => batch::run(ctx, args),
        Command::Jobs(c) => jobs::run(ctx, c),
        Command::Presets(c) => presets::run(ctx, c),
        Command::Token(c) => token::run(ctx, c),
        Command::Frames(c) => frames::run(ctx, c),
        Command::Frame(args) => frame::run(ctx, args),
        Command::Completions { shell } => completions::run(shell),
    }
}
