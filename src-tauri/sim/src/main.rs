//! `seedance-sim`: the simulated SinanCode service as a standalone loopback server for manual use.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use seedance_sim::{Fault, RequestRecord, Route, Sim, SimConfig};

const USAGE: &str = "usage: seedance-sim [--port N] [--files-port N] [--token T] [--queued-secs S] [--running-secs S] [--result-file PATH] [--log-requests] [--fault ROUTE:KIND[:COUNT]]...
  ROUTE: create, get_task, upload, result
  KIND:  server_error, unauthorized, payment_required, drop_after_read, malformed_json, hang, html_NNN
         (html_NNN: a proxy's HTML error page with status NNN, 400-599; e.g. html_502, or html_403 for a refused
         result link)";

/// How often `--log-requests` prints what arrived since the last look.
const LOG_EVERY: Duration = Duration::from_millis(50);

struct Options {
    port: u16,
    files_port: Option<u16>,
    config: SimConfig,
    /// Print one `request METHOD PATH` line per request (benchmarks count a client's polls this way).
    log_requests: bool,
    /// Misbehaviours queued at start, in order, per route (end-to-end tests drive the app through them).
    faults: Vec<(Route, Fault)>,
}

/// `ROUTE:KIND[:COUNT]`, e.g. `get_task:unauthorized:100`.
fn parse_fault(value: &str) -> Result<Vec<(Route, Fault)>, String> {
    let bad = || format!("--fault: expected ROUTE:KIND[:COUNT], got {value}\n{USAGE}");
    let mut parts = value.split(':');
    let route = match parts.next().ok_or_else(bad)? {
        "create" => Route::Create,
        "get_task" => Route::GetTask,
        "upload" => Route::UploadFile,
        "result" => Route::Result,
        _ => return Err(bad()),
    };
    let fault = match parts.next().ok_or_else(bad)? {
        "server_error" => Fault::ServerError,
        "unauthorized" => Fault::Unauthorized,
        "payment_required" => Fault::PaymentRequired,
        "drop_after_read" => Fault::DropAfterRead,
        "malformed_json" => Fault::MalformedJson,
        "hang" => Fault::Hang,
        other => match other.strip_prefix("html_").map(str::parse::<u16>) {
            Some(Ok(status @ 400..=599)) => Fault::HtmlError { status },
            _ => return Err(bad()),
        },
    };
    let count = match parts.next() {
        None => 1,
        Some(n) => n.parse::<u32>().map_err(|_| bad())?,
    };
    if parts.next().is_some() {
        return Err(bad());
    }
    Ok((0..count).map(|_| (route, fault.clone())).collect())
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        port: 8787,
        files_port: None,
        config: SimConfig::default(),
        log_requests: false,
        faults: Vec::new(),
    };
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_owned());
        }
        if flag == "--log-requests" {
            options.log_requests = true;
            continue;
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let number = || {
            value
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .ok_or_else(|| format!("{flag}: not a non-negative number: {value}"))
        };
        let port = || {
            value
                .parse::<u16>()
                .map_err(|_| format!("{flag}: not a port number: {value}"))
        };
        match flag.as_str() {
            "--port" => options.port = port()?,
            "--files-port" => options.files_port = Some(port()?),
            "--token" => options.config.token = value.clone(),
            "--queued-secs" => options.config.queued_for = Duration::from_secs_f64(number()?),
            "--running-secs" => options.config.running_for = Duration::from_secs_f64(number()?),
            "--result-file" => options.config.result_file = Some(PathBuf::from(&value)),
            "--fault" => options.faults.extend(parse_fault(&value)?),
            _ => return Err(format!("unknown option {flag}\n{USAGE}")),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let files_port = options
        .files_port
        .unwrap_or_else(|| options.port.saturating_add(1));
    let faults = options.faults;
    let sim = match Sim::start_on(options.config, options.port, files_port).await {
        Ok(sim) => sim,
        Err(error) => {
            eprintln!(
                "cannot start on 127.0.0.1:{} / {files_port}: {error}",
                options.port
            );
            return ExitCode::FAILURE;
        }
    };
    for (route, fault) in faults {
        sim.push_fault(route, fault);
    }
    println!("api:     {}", sim.api_base());
    println!("upload:  {}", sim.upload_base());
    println!("results: {}", sim.result_base());
    println!("token:   {}", sim.token());
    println!("Ctrl-C to stop.");
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    if options.log_requests {
        let mut logged = 0;
        let mut tick = tokio::time::interval(LOG_EVERY);
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    if log_new_requests(&sim, &mut logged, &mut std::io::stdout()).is_err() {
                        // Nobody reads the log any more.
                        break;
                    }
                }
                _ = &mut stop => break,
            }
        }
    } else {
        let _ = stop.await;
    }
    sim.shutdown().await;
    ExitCode::SUCCESS
}

/// One log line: method and path only (never the query, which carries link signatures, nor headers).
fn request_line(record: &RequestRecord) -> String {
    format!("request {} {}", record.method, record.path)
}

/// Writes a line for each request after the first `logged` ones and moves `logged` past them.
fn log_new_requests(sim: &Sim, logged: &mut usize, out: &mut impl Write) -> std::io::Result<()> {
    let records = sim.requests_since(*logged);
    if records.is_empty() {
        return Ok(());
    }
    for record in &records {
        writeln!(out, "{}", request_line(record))?;
    }
    out.flush()?;
    *logged += records.len();
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        parse_args(args.iter().map(|arg| (*arg).to_owned()))
    }

    #[test]
    fn defaults_and_overrides() {
        let defaults = parse(&[]).unwrap();
        assert_eq!((defaults.port, defaults.files_port), (8787, None));
        assert_eq!(defaults.config.token, "sim-token");
        assert!(!defaults.log_requests && defaults.config.result_file.is_none());
        let set = parse(&[
            "--port",
            "9000",
            "--files-port",
            "9100",
            "--token",
            "t",
            "--queued-secs",
            "0.5",
            "--running-secs",
            "2",
            "--log-requests",
            "--result-file",
            "/tmp/big.mp4",
        ])
        .unwrap();
        assert!(set.log_requests);
        assert_eq!(
            set.config.result_file.as_deref(),
            Some(std::path::Path::new("/tmp/big.mp4"))
        );
        assert_eq!((set.port, set.files_port), (9000, Some(9100)));
        assert_eq!(set.config.token, "t");
        assert_eq!(set.config.queued_for, Duration::from_millis(500));
        assert_eq!(set.config.running_for, Duration::from_secs(2));
    }

    #[test]
    fn faults_are_queued_per_route_in_order() {
        let set = parse(&[
            "--fault",
            "get_task:unauthorized:3",
            "--fault",
            "result:html_502",
            "--fault",
            "result:html_403:2",
        ])
        .unwrap();
        let routes: Vec<Route> = set.faults.iter().map(|(r, _)| *r).collect();
        assert_eq!(
            routes,
            [
                Route::GetTask,
                Route::GetTask,
                Route::GetTask,
                Route::Result,
                Route::Result,
                Route::Result
            ]
        );
        assert!(matches!(set.faults[0].1, Fault::Unauthorized));
        assert!(matches!(set.faults[3].1, Fault::HtmlError { status: 502 }));
        assert!(matches!(set.faults[5].1, Fault::HtmlError { status: 403 }));
        for bad in [
            "get_task",
            "nowhere:hang",
            "create:explode",
            "create:hang:x",
            "create:hang:1:2",
            "result:html_200",
            "result:html_600",
            "result:html_",
            "result:html_4o3",
        ] {
            assert!(parse(&["--fault", bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_arguments_are_refused() {
        for args in [
            &["--port"][..],
            &["--port", "70000"],
            &["--queued-secs", "-1"],
            &["--running-secs", "soon"],
            &["--verbose", "1"],
            &["--result-file"],
        ] {
            assert!(parse(args).is_err(), "{args:?}");
        }
    }

    #[tokio::test]
    async fn logs_each_request_once_without_its_query() {
        let sim = Sim::start(SimConfig::fast()).await.unwrap();
        let http = reqwest::Client::new();
        let mut logged = 0;
        let mut out = Vec::new();
        log_new_requests(&sim, &mut logged, &mut out).unwrap();
        assert!(out.is_empty());
        for id in ["a", "b"] {
            http.get(format!("{}/v1/tasks/{id}?x=secret", sim.api_base()))
                .send()
                .await
                .unwrap();
        }
        log_new_requests(&sim, &mut logged, &mut out).unwrap();
        log_new_requests(&sim, &mut logged, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "request GET /v1/tasks/a\nrequest GET /v1/tasks/b\n"
        );
        assert_eq!(logged, 2);
    }
}
