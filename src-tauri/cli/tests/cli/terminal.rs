//! Following jobs at a terminal and through a pipe: the same `generate --wait` shows a progress bar
//! redrawn in place (upload bytes, each status with the time taken) and colours on a terminal, and one
//! plain line per event when piped. The terminal is a real pseudo-terminal (util-linux `script`); where
//! there is none to make, the terminal tests say so and pass.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::send::{out_dir, Service};
use crate::support::{png, run_within, terminal_command, Env, Run};

/// Far above what a passing run needs (a demo job takes about five seconds).
const BOUND: Duration = Duration::from_secs(90);
const ESC: char = '\x1b';

/// `generate --wait` of one frame into the data folder's `videos`, with `extra` flags first.
fn generate_args(env: &Env, frame: &Path, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
    for arg in ["generate", "--yes", "--prompt", "a red fox", "--first"] {
        args.push(arg.to_owned());
    }
    args.push(frame.display().to_string());
    args.extend(["--out".to_owned(), out_dir(env), "--wait".to_owned()]);
    args
}

/// The run at a terminal (everything it wrote, in order, is `stdout`); `None` without `script`.
fn at_terminal(env: &Env, args: &[String]) -> Option<Run> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let Some(cmd) = terminal_command(env, &args) else {
        eprintln!("no util-linux `script` here: no terminal to test with");
        return None;
    };
    Some(run_within(cmd, "", BOUND))
}

fn piped(env: &Env, args: &[String]) -> Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_within(env.command(&args), "", BOUND)
}

/// The one video in the data folder's `videos`.
fn the_video(env: &Env) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(out_dir(env))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files.into_iter().next().unwrap()
}

/// Colour codes (SGR: `ESC [ digits m`) in `text`.
fn colours(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("\x1b[") {
        let rest = &text[at + 2..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(rest.len());
        if rest[end..].starts_with('m') {
            found.push(rest[..=end].to_owned());
        }
    }
    found
}

/// Every line drawn in `text`, in order: escapes removed, a line redrawn in place (after `\r`) counted
/// once per drawing.
fn drawings(text: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ESC && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
        .split(['\r', '\n'])
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// At a terminal: the frame's upload as a bar with bytes, each status with the time since the start, a
/// bar line redrawn in place, colours, and last the file's path; never the token.
#[test]
fn generate_at_a_terminal_draws_progress_in_colour_and_ends_with_the_file() {
    let env = Env::new();
    let frame = png(env.dir.path(), "first.png", 640, 480);
    let Some(run) = at_terminal(&env, &generate_args(&env, &frame, &["--demo"])) else {
        return;
    };
    assert_eq!(run.code, 0, "{run:?}");
    let text = &run.stdout;
    assert!(
        text.contains("\r\x1b[2K"),
        "nothing redrawn in place: {run:?}"
    );
    assert!(
        colours(text).iter().any(|c| c == "32m"),
        "no colour: {run:?}"
    );
    let seen = drawings(text);
    assert!(
        seen.iter().any(|l| l.contains("upload_first_frame")
            && l.contains('%')
            && l.contains(" / ")
            && l.contains("KB")),
        "no upload bytes: {seen:#?}"
    );
    let job = seen
        .iter()
        .find_map(|l| {
            l.split_whitespace()
                .next()
                .filter(|w| w.len() > 8 && l.contains(" queued "))
        })
        .unwrap_or_else(|| panic!("no queued status: {seen:#?}"));
    for status in ["queued", "running", "done"] {
        assert!(
            seen.iter().any(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                words.len() == 3
                    && words[0] == job
                    && words[1] == status
                    && words[2].split_once(':').is_some_and(|(m, s)| {
                        m.parse::<u32>().is_ok() && s.len() == 2 && s.parse::<u32>().is_ok()
                    })
            }),
            "no {status} line with the time taken: {seen:#?}"
        );
    }
    let video = the_video(&env);
    let last = seen.last().unwrap();
    assert!(
        last.contains(&video.display().to_string()),
        "last line: {last}"
    );
    assert!(!text.contains("sim-token"), "{run:?}");
}

/// Piped, the same command writes no escape and no carriage return: each status and each progress report
/// is one tab-separated line on standard error naming the job, and standard output has the one result line
/// with the file's path.
#[test]
fn generate_through_a_pipe_writes_one_plain_line_per_event() {
    let env = Env::new();
    let frame = png(env.dir.path(), "first.png", 640, 480);
    let run = piped(&env, &generate_args(&env, &frame, &["--demo"]));
    assert_eq!(run.code, 0, "{run:?}");
    let all = run.all();
    assert!(!all.contains(ESC), "{run:?}");
    assert!(!all.contains('\r'), "{run:?}");
    let result: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(result.len(), 1, "{run:?}");
    let fields: Vec<&str> = result[0].split('\t').collect();
    let video = the_video(&env);
    assert_eq!(fields.len(), 4, "{run:?}");
    assert_eq!((fields[1], fields[3]), ("done", video.to_str().unwrap()));
    let job = fields[0];
    let events: Vec<Vec<&str>> = run
        .stderr
        .lines()
        .map(|l| l.split('\t').collect())
        .collect();
    assert!(events.iter().all(|e| e[0] == job), "{run:?}");
    let statuses: Vec<&str> = events
        .iter()
        .filter(|e| e.len() == 3 && e[2].ends_with('s'))
        .map(|e| e[1])
        .collect();
    for status in ["queued", "running", "done"] {
        let times = statuses.iter().filter(|s| **s == status).count();
        assert_eq!(times, 1, "{status} said {times} times: {run:?}");
    }
    assert!(
        events.iter().any(|e| e.len() == 4
            && e[1] == "upload_first_frame"
            && e[2].parse::<u64>().is_ok()
            && e[3].parse::<u64>().is_ok_and(|total| total > 0)),
        "no upload bytes: {run:?}"
    );
    assert!(!all.contains("sim-token"), "{run:?}");
}

/// `NO_COLOR` at a terminal: still the redrawn bar and the same lines, in no colour.
#[test]
fn no_color_at_a_terminal_keeps_the_bar_without_colours() {
    let service = Service::fast();
    let env = service.env().var("NO_COLOR", "1");
    let frame = png(env.dir.path(), "first.png", 640, 480);
    let Some(run) = at_terminal(&env, &generate_args(&env, &frame, &[])) else {
        return;
    };
    assert_eq!(run.code, 0, "{run:?}");
    assert!(colours(&run.stdout).is_empty(), "{run:?}");
    assert!(run.stdout.contains("\r\x1b[2K"), "{run:?}");
    let video = the_video(&env);
    let seen = drawings(&run.stdout);
    assert!(
        seen.last().unwrap().contains(&video.display().to_string()),
        "{seen:#?}"
    );
    assert!(!run.stdout.contains(service.sim.token()), "{run:?}");
}

/// `jobs watch` at a terminal, taking over a job sent by an earlier command: the wait at the service is
/// shown as the job's status with a clock redrawn in place, then the download's bytes, and last the file.
#[test]
fn jobs_watch_at_a_terminal_shows_the_wait_and_the_download() {
    let service = Service::start(seedance_sim::SimConfig {
        queued_for: Duration::from_millis(2500),
        ..seedance_sim::SimConfig::fast()
    });
    let env = service.env();
    let sent = piped(
        &env,
        &[
            "generate",
            "--yes",
            "--prompt",
            "a red fox",
            "--out",
            &out_dir(&env),
        ]
        .map(str::to_owned),
    );
    assert_eq!(sent.code, 0, "{sent:?}");
    let job = sent.stdout.split('\t').next().unwrap().to_owned();
    let Some(run) = at_terminal(&env, &["jobs".to_owned(), "watch".to_owned()]) else {
        return;
    };
    assert_eq!(run.code, 0, "{run:?}");
    assert!(colours(&run.stdout).iter().any(|c| c == "32m"), "{run:?}");
    let drawn = drawings(&run.stdout);
    // The clock while the service works, redrawn each second in place.
    assert!(
        run.stdout.contains(&format!("\r\x1b[2K{job} queued  0:0")),
        "no clock while queued: {drawn:#?}"
    );
    assert!(
        drawn
            .iter()
            .any(|l| l.starts_with(&job) && l.contains("download") && l.contains('%')),
        "no download bytes: {drawn:#?}"
    );
    let video = the_video(&env);
    assert!(
        drawn.last().unwrap().contains(&video.display().to_string()),
        "{drawn:#?}"
    );
    assert!(!run.stdout.contains(service.sim.token()), "{run:?}");
    assert_eq!(service.creates(), 1);
}
