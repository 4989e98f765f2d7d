//! Runs the binary with a private data folder and a controlled environment, and reads what it printed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use seedance_core::request::RequestDraft;
use seedance_core::store::{NewJob, Store};

pub const BIN: &str = env!("CARGO_BIN_EXE_seedance");

pub struct Env {
    pub dir: tempfile::TempDir,
    /// Extra variables for every run (`SEEDANCE_API_TOKEN`, a locale…).
    vars: Vec<(String, String)>,
    /// Keep the real session bus (keychain tests only).
    real_keychain: bool,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Every stdout line as JSON.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }

    pub fn json(&self) -> serde_json::Value {
        let mut lines = self.json_lines();
        assert_eq!(lines.len(), 1, "one object expected: {}", self.stdout);
        lines.remove(0)
    }

    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Env {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            vars: Vec::new(),
            real_keychain: false,
        }
    }

    /// For the tests `./dev test` runs with a real (private) keychain.
    pub fn with_real_keychain() -> Self {
        Self {
            real_keychain: true,
            ..Self::new()
        }
    }

    pub fn var(mut self, k: &str, v: &str) -> Self {
        self.vars.push((k.to_owned(), v.to_owned()));
        self
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args);
        for (k, _) in std::env::vars() {
            let ours = k.starts_with("SEEDANCE_")
                || k.starts_with("LC_")
                || matches!(
                    k.as_str(),
                    "LANG" | "LANGUAGE" | "NO_COLOR" | "CLICOLOR_FORCE"
                );
            if ours {
                cmd.env_remove(&k);
            }
        }
        if !self.real_keychain {
            // No Secret Service here: what a server or a container without a desktop session has.
            cmd.env(
                "DBUS_SESSION_BUS_ADDRESS",
                format!("unix:path={}", self.dir.path().join("no-bus").display()),
            );
            cmd.env_remove("DISPLAY");
            cmd.env_remove("WAYLAND_DISPLAY");
        }
        cmd.env("SEEDANCE_DATA_DIR", self.data_dir());
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, None)
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Run {
        let mut cmd = self.command(args);
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().unwrap();
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        }
    }

    /// The database the binary uses, opened by the test to set up history.
    pub fn store(&self) -> Store {
        std::fs::create_dir_all(self.data_dir()).unwrap();
        Store::open(&self.data_dir().join("seedance.db")).unwrap()
    }
}

pub fn new_job(store: &Store, prompt: &str) -> String {
    store
        .insert_job(NewJob {
            request: RequestDraft {
                prompt: prompt.to_owned(),
                ..RequestDraft::default()
            },
            ..NewJob::default()
        })
        .unwrap()
        .id
}

/// A finished job whose video is `video`.
pub fn done_job(store: &Store, prompt: &str, video: &Path) -> String {
    let id = new_job(store, prompt);
    store.mark_create_sent(&id).unwrap();
    store
        .set_task_id(&id, &seedance_core::api::TaskId(format!("task-{id}")))
        .unwrap();
    std::fs::write(video, b"not really an mp4").unwrap();
    store.set_done(&id, video).unwrap();
    id
}

/// A plain image of `width`×`height` pixels.
pub fn png(dir: &Path, name: &str, width: u32, height: u32) -> PathBuf {
    let path = dir.join(name);
    image::RgbImage::from_pixel(width, height, image::Rgb([40, 120, 200]))
        .save(&path)
        .unwrap();
    path
}

/// Runs the binary with a terminal as its standard input and error (util-linux `script` makes one), typing
/// `typed` into it; `None` where there is no `script` to make a terminal with.
pub fn run_at_terminal(env: &Env, args: &[&str], typed: &str) -> Option<Run> {
    let cmd = terminal_command(env, args)?;
    Some(run_within(cmd, typed, Duration::from_secs(120)))
}

/// The command that runs the binary with a pseudo-terminal as its standard input, output and error
/// (util-linux `script`, which copies everything the binary wrote to its own standard output); `None`
/// where there is no `script` to make a terminal with.
pub fn terminal_command(env: &Env, args: &[&str]) -> Option<Command> {
    let script = Path::new("/usr/bin/script");
    if !script.is_file() {
        return None;
    }
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let line: Vec<String> = std::iter::once(BIN)
        .chain(args.iter().copied())
        .map(quote)
        .collect();
    let plain = env.command(args);
    let mut cmd = Command::new(script);
    cmd.args(["-qec", &line.join(" "), "/dev/null"]);
    for (key, value) in plain.get_envs() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
    Some(cmd)
}

/// Runs `cmd` with `typed` as its standard input and both outputs piped; killed, and the test failed, when
/// it has not ended within `bound`.
pub fn run_within(mut cmd: Command, typed: &str, bound: Duration) -> Run {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(typed.as_bytes())
        .unwrap();
    let read = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = read(Box::new(child.stdout.take().unwrap()));
    let stderr = read(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > bound {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {bound:?}: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}
