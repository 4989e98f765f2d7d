//! The command line's shape: every subcommand, flag and its `--help` text, declared once with clap's derive
//! so parsing, help and shell completions never disagree. Parsing touches nothing but the arguments:
//! the keychain, the database and the catalogs are opened by the commands that need them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The exit codes, as `--help` and `docs/cli.md` list them.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    done
  1    failed (the message says what happened and what to do)
  2    usage: a wrong flag or value, an unknown preset or job, settings the service refuses,
       a yes or --again needed
  3    submission uncertain: a create request may or may not have reached the service
  4    token problem: none set, refused by the service, or the keychain cannot be used
  5    spend refused: a spend limit would be passed
  130  interrupted (Ctrl+C)

Environment:
  SEEDANCE_API_TOKEN    the API token for this run (wins over the keychain; never stored)
  SEEDANCE_DATA_DIR     the data folder shared with the app (history, presets, preferences)
  SEEDANCE_API_BASE, SEEDANCE_UPLOAD_BASE   other service addresses (a proxy, a test server)
  LC_ALL, LC_MESSAGES, LANG   the language of messages (English or Chinese; see --lang)
  NO_COLOR, CLICOLOR_FORCE    turn colours off, or on even when piped (see --color)";

#[derive(Debug, Parser)]
#[command(
    name = "seedance",
    version,
    about = "Seedance Studio from a terminal: the same engine, history, presets and token as the app",
    after_help = EXIT_CODES_HELP,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// One JSON object per line on standard output, for scripts.
    #[arg(long, global = true)]
    pub json: bool,
    /// Colours and aligned tables: on a terminal (auto), always, or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// The language of messages (default: from LC_ALL, LC_MESSAGES or LANG).
    #[arg(long, global = true, value_name = "LANG", value_parser = language_tags())]
    pub lang: Option<String>,
    /// Talk to the built-in simulated service instead of SinanCode: no account, nothing is paid.
    #[arg(long, global = true)]
    pub demo: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a video from a prompt and frames (or, with --estimate, only say what it would produce and cost).
    #[command(after_help = EXIT_CODES_HELP)]
    Generate(GenerateArgs),
    /// Sends every row of a CSV or JSON Lines file as a batch, after the app's review rules (frames checked,
    /// items the service would refuse left out, the total of the rest) and one question.
    #[command(after_help = EXIT_CODES_HELP)]
    Batch(BatchArgs),
    /// The job history the app shows.
    #[command(subcommand, after_help = EXIT_CODES_HELP)]
    Jobs(JobsCommand),
    /// Saved presets, shared with the app.
    #[command(subcommand, after_help = EXIT_CODES_HELP)]
    Presets(PresetsCommand),
    /// The SinanCode API token: kept in the system keychain, never in a file or an argument.
    #[command(subcommand, after_help = EXIT_CODES_HELP)]
    Token(TokenCommand),
    /// Frame files: the checks the app runs before an upload, and their fixes.
    #[command(subcommand, after_help = EXIT_CODES_HELP)]
    Frames(FramesCommand),
    /// Saves one frame of a finished clip (a video file, or a job's video by the job's id) as a PNG:
    /// the last frame shown unless --index or --at says another.
    #[command(after_help = EXIT_CODES_HELP)]
    Frame(FrameArgs),
    /// Prints a shell completion script (e.g. `seedance completions bash > ~/.local/share/bash-completion/completions/seedance`).
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Saves a token in the system keychain: piped on standard input, or typed at a hidden prompt.
    Set {
        /// A token typed as an argument is refused without being repeated (other users can read a
        /// process's arguments); taken here so that clap's own error does not print it either.
        #[arg(hide = true, num_args = 0.., allow_hyphen_values = true, trailing_var_arg = true)]
        refused: Vec<String>,
    },
    /// Asks SinanCode (or, with --demo, the simulated service) whether the token in use is accepted.
    /// Nothing is created or charged.
    Test,
    /// Removes the token from the system keychain.
    Remove,
    /// Says whether a token is set and where it comes from (keychain, environment or none), never the token.
    /// Exits 4 when none is set.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum PresetsCommand {
    /// Every preset, built-in starters first as the app lists them.
    List,
    /// One preset's settings, prompt and frames.
    Show {
        /// The preset's name (any case; a built-in also answers to its name in each language).
        name: String,
    },
    /// Writes a preset file (frames embedded) to standard output or --out.
    Export {
        name: String,
        /// The file to write (must end in .json); replaced whole.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Adds every preset of a preset file (all of it, or nothing).
    Import { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum FramesCommand {
    /// Reads and checks each image against the model's limits (size, shape, file size).
    /// Exits 1 when any cannot be used as it is (after --fix: when any could not be fixed).
    Check {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Writes a conforming copy beside each image that needs one (`photo.fixed-6000.jpg`, …); the
        /// original and any existing file are never overwritten.
        #[arg(long)]
        fix: bool,
    },
}

#[derive(Debug, Args)]
pub struct FrameArgs {
    /// An MP4 file, or the id of a job whose video is downloaded.
    #[arg(value_name = "CLIP|JOB")]
    pub clip: String,
    #[command(flatten)]
    pub pick: FramePickArgs,
    /// The PNG to write (replaced whole).
    #[arg(long, value_name = "FILE.png")]
    pub out: PathBuf,
}

/// Which frame: at most one of these (none means the last).
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct FramePickArgs {
    /// The last frame shown (the default).
    #[arg(long)]
    pub last: bool,
    /// The frame with this number in display order, counting from 0.
    #[arg(long, value_name = "N")]
    pub index: Option<u32>,
    /// The frame on screen at this many seconds from the start.
    #[arg(long, value_name = "SECONDS")]
    pub at: Option<f64>,
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// The newest jobs first.
    List {
        /// Only jobs in this status.
        #[arg(long, value_name = "STATUS", value_parser = status_words())]
        status: Option<String>,
        /// Only jobs whose prompt contains every word of this.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// Only the jobs of this batch (its id).
        #[arg(long, value_name = "ID")]
        batch: Option<String>,
        /// At most this many jobs.
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: u32,
    },
    /// Everything about one job.
    Show { id: String },
    /// Deletes a job from the history (refused while it is being worked on). The video file stays unless
    /// --file.
    Delete {
        id: String,
        /// Also delete its video file (only a finished job's own video).
        #[arg(long)]
        file: bool,
    },
    /// Continues every unfinished job in the history (the app's or an earlier run's) and follows them,
    /// with jobs another process drives, until all have ended. Nothing is sent twice.
    Watch,
    /// Takes one job to its video file: follows it if it is still being worked on, fetches the video again
    /// if its download failed. Never creates a task.
    Download { id: String },
    /// The free retry of a failed job that has a task: asks the service again and downloads the video.
    /// Never creates a task.
    Retry { id: String },
    /// Sends a finished, failed or uncertain job's request again as a new, paid job (asks first).
    Resubmit {
        id: String,
        /// Do not ask before paying.
        #[arg(long)]
        yes: bool,
        /// Follow the new job until its video is on disk.
        #[arg(long)]
        wait: bool,
    },
}

fn status_words() -> Vec<&'static str> {
    seedance_core::store::JobStatus::ALL
        .iter()
        .map(|s| s.as_str())
        .collect()
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The prompt (else --prompt-file, else standard input when it is not a terminal).
    #[arg(long, conflicts_with = "prompt_file")]
    pub prompt: Option<String>,
    /// Reads the prompt from this file.
    #[arg(long, value_name = "FILE")]
    pub prompt_file: Option<PathBuf>,
    /// The first frame (image file).
    #[arg(long, value_name = "FILE")]
    pub first: Option<PathBuf>,
    /// The last frame (needs --first).
    #[arg(long, value_name = "FILE", requires = "first")]
    pub last: Option<PathBuf>,
    /// Starts from a saved preset's settings (and its prompt and frames, unless given here).
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// How many clips of the same request.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub takes: u32,
    /// Where the videos go (default: the folder set in the app).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Follow the job until its video is on disk, instead of printing its id at once.
    #[arg(long)]
    pub wait: bool,
    /// Do not ask before paying.
    #[arg(long)]
    pub yes: bool,
    /// Only print the output size, tokens and cost; send nothing.
    #[arg(long)]
    pub estimate: bool,
}

/// The request's settings, on top of a preset's (`generate`) or as a batch's defaults (`batch`).
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// The video's resolution.
    #[arg(long, value_parser = resolution_words())]
    pub resolution: Option<String>,
    /// `adaptive` follows the first frame's shape.
    #[arg(long, value_parser = ratio_words())]
    pub ratio: Option<String>,
    /// Seconds (4 to 12), or `auto` to let the model choose.
    #[arg(long, value_name = "SECONDS|auto", value_parser = parse_duration)]
    pub duration: Option<i32>,
    /// With generated sound (the default) or without.
    #[arg(long, value_name = "on|off", value_parser = parse_switch)]
    pub audio: Option<bool>,
    /// Keep the camera still.
    #[arg(long, value_name = "on|off", value_parser = parse_switch)]
    pub camera_fixed: Option<bool>,
    /// A cheaper, rougher draft (480p only).
    #[arg(long, value_name = "on|off", value_parser = parse_switch)]
    pub draft: Option<bool>,
    /// Ask for a watermark.
    #[arg(long, value_name = "on|off", value_parser = parse_switch)]
    pub watermark: Option<bool>,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// A CSV or JSON Lines file, one item a row (the app's batch file format).
    pub file: PathBuf,
    /// Takes of a row that names none.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub takes: u32,
    /// The settings of a row that sets none come from this saved preset (a row's own column or preset wins).
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// Writes a conforming copy beside each frame that needs one (as `seedance frames check --fix`) and
    /// sends the copy; without it, items whose frames the service would refuse are left out.
    #[arg(long)]
    pub fix: bool,
    /// Follow every job until its video is on disk.
    #[arg(long)]
    pub wait: bool,
    /// Do not ask before paying.
    #[arg(long)]
    pub yes: bool,
    /// Send it even though the same batch was started within the last 10 minutes (an intended repeat).
    #[arg(long)]
    pub again: bool,
    // Last: the heading holds for every flag after it.
    /// Each settings flag is the default of rows that do not set it (over --preset; a row's column wins).
    #[command(
        flatten,
        next_help_heading = "Defaults of rows that do not set them (over --preset)"
    )]
    pub settings: SettingsArgs,
}

/// The languages the app ships a catalog for.
fn language_tags() -> Vec<&'static str> {
    seedance_core::i18n::Language::all()
        .map(seedance_core::i18n::Language::tag)
        .collect()
}

// The option lists are core's (the rules live there once), so a new ratio reaches the command line too.
fn resolution_words() -> Vec<&'static str> {
    seedance_core::request::Resolution::ALL
        .iter()
        .map(|r| r.as_str())
        .collect()
}

fn ratio_words() -> Vec<&'static str> {
    seedance_core::request::Ratio::ALL
        .iter()
        .map(|r| r.as_str())
        .collect()
}

fn parse_duration(text: &str) -> Result<i32, String> {
    if text.eq_ignore_ascii_case("auto") {
        return Ok(seedance_core::request::Duration::AUTO_WIRE);
    }
    text.parse::<i32>()
        .map_err(|_| format!("`{text}` is not a number of seconds or `auto`"))
}

fn parse_switch(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "on" | "yes" | "true" | "1" => Ok(true),
        "off" | "no" | "false" | "0" => Ok(false),
        _ => Err(format!("`{text}` is not on or off")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
