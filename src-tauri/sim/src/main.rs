//! `seedance-sim`: the simulated SinanCode service as a standalone loopback server for manual use.

use std::process::ExitCode;
use std::time::Duration;

use seedance_sim::{Sim, SimConfig};

const USAGE: &str = "usage: seedance-sim [--port N] [--files-port N] [--token T] [--queued-secs S] [--running-secs S]";

struct Options {
    port: u16,
    files_port: Option<u16>,
    config: SimConfig,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        port: 8787,
        files_port: None,
        config: SimConfig::default(),
    };
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_owned());
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
    let sim = match Sim::start_on(options.config, options.port, files_port).await {
        Ok(sim) => sim,
        Err(error) => {
            eprintln!(
                "cannot listen on 127.0.0.1:{} / {files_port}: {error}",
                options.port
            );
            return ExitCode::FAILURE;
        }
    };
    println!("api:     {}", sim.api_base());
    println!("upload:  {}", sim.upload_base());
    println!("results: {}", sim.result_base());
    println!("token:   {}", sim.token());
    println!("Ctrl-C to stop.");
    let _ = tokio::signal::ctrl_c().await;
    sim.shutdown().await;
    ExitCode::SUCCESS
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
        ])
        .unwrap();
        assert_eq!((set.port, set.files_port), (9000, Some(9100)));
        assert_eq!(set.config.token, "t");
        assert_eq!(set.config.queued_for, Duration::from_millis(500));
        assert_eq!(set.config.running_for, Duration::from_secs(2));
    }

    #[test]
    fn bad_arguments_are_refused() {
        for args in [
            &["--port"][..],
            &["--port", "70000"],
            &["--queued-secs", "-1"],
            &["--running-secs", "soon"],
            &["--verbose", "1"],
        ] {
            assert!(parse(args).is_err(), "{args:?}");
        }
    }
}
