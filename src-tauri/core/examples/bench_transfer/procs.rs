//! Processes and what `/proc` says about this one: the simulator in its own process, measured children
//! with a deadline, memory and CPU readings.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub type Error = Box<dyn std::error::Error>;

/// A `seedance-sim` process on 127.0.0.1 with OS-chosen ports; killed when dropped.
pub struct SimProcess {
    child: Child,
    pub api_base: String,
    /// Every `request METHOD PATH` line it printed so far (only with `--log-requests`).
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl SimProcess {
    pub fn start(bin: &Path, token: &str, extra: &[&str]) -> Result<Self, Error> {
        let mut child = Command::new(bin)
            .args(["--port", "0", "--files-port", "0", "--token", token])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("the simulator has no stdout")?;
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (banner_tx, banner_rx) = mpsc::channel();
        let log = requests.clone();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // Keeps reading after the banner: a closed pipe would make the simulator stop logging.
                if line.starts_with("request ") {
                    log.lock().unwrap_or_else(|p| p.into_inner()).push(line);
                } else {
                    let _ = banner_tx.send(line);
                }
            }
        });
        let mut sim = SimProcess {
            child,
            api_base: String::new(),
            requests,
        };
        // Reading a 200 MB result file takes a moment; anything past this bound is a failure.
        let deadline = Instant::now() + Duration::from_secs(30);
        while sim.api_base.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match banner_rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(base) = line.strip_prefix("api:") {
                        sim.api_base = base.trim().to_owned();
                    }
                }
                Err(_) => return Err("the simulator did not start (see its messages above)".into()),
            }
        }
        Ok(sim)
    }

    /// How many logged requests have each of `paths`.
    pub fn count_paths(&self, paths: &[String]) -> Vec<usize> {
        let log = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        paths
            .iter()
            .map(|path| {
                log.iter()
                    .filter(|line| line.strip_prefix("request GET ") == Some(path.as_str()))
                    .count()
            })
            .collect()
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A child of this binary whose stdout lines arrive on a channel; killed when dropped.
pub struct Measured {
    child: Child,
    pub lines: Receiver<String>,
}

impl Measured {
    pub fn spawn(args: &[String]) -> Result<Self, Error> {
        let mut child = Command::new(std::env::current_exe()?)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout: ChildStdout = child.stdout.take().ok_or("the child has no stdout")?;
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Ok(Measured { child, lines })
    }

    /// The next line starting with `prefix` (others are passed through), within `bound`.
    pub fn expect(&self, prefix: &str, bound: Duration) -> Result<String, Error> {
        let deadline = Instant::now() + bound;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return Ok(line),
                Ok(line) => println!("  {line}"),
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!("no {prefix:?} line within {bound:?}").into())
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(format!("the child ended without a {prefix:?} line").into())
                }
            }
        }
    }
}

impl Drop for Measured {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `program args`, failing if it fails or outlives `bound`.
pub fn run_bounded(program: &str, args: &[&str], bound: Duration) -> Result<(), Error> {
    let mut child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let deadline = Instant::now() + bound;
    loop {
        if let Some(status) = child.try_wait()? {
            if status.success() {
                return Ok(());
            }
            let mut err = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                let _ = stderr.read_to_string(&mut err);
            }
            return Err(format!("{program} failed ({status}): {}", err.trim()).into());
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{program} took longer than {bound:?}").into());
        }
        thread::sleep(Duration::from_millis(2));
    }
}

/// A `/proc/self/status` figure in KiB (`VmRSS:`, `VmHWM:`).
pub fn status_kib(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Lowers the peak (`VmHWM`) to the current RSS, so a later peak belongs to what runs after. Linux ≥ 4.0;
/// where it fails the peak merely includes the start-up.
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The current RSS in KiB, read right after resetting the peak: "idle" for a peak-above-idle figure.
pub fn idle_kib() -> f64 {
    reset_peak();
    status_kib("VmRSS:").unwrap_or(0.0)
}

/// utime + stime of this whole process (every thread), in clock ticks.
pub fn cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Time on CPU of every thread of this process, in ns (`/proc/self/task/*/schedstat`): finer than
/// [`cpu_ticks`], whose 10 ms ticks cannot tell an idle process from one that woke for a few ms.
pub fn cpu_ns() -> Option<u64> {
    let mut total = 0;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(total)
}

/// Clock ticks per second (`getconf CLK_TCK`; Linux uses 100 almost everywhere).
pub fn ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
}

pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}
