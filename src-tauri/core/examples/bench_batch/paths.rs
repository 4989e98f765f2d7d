//! What one photo's check costs on each decoding path (`bench_batch --path full|preview FILE RUNS`): the
//! whole check ([`seedance_core::images::intake`]: read, SHA-256, decode, 512 px thumbnail and its encoding)
//! RUNS times over on one thread, so that `/usr/bin/time` around the process gives its CPU time per photo.
//!
//! - `full`: the check that runs before upload;
//! - `preview`: the check of a frame just picked.
//!
//! Both read a big baseline JPEG alike: every Huffman code of its scan decoded and checked, the picture
//! rebuilt at 1/8 scale from its DC coefficients (`images::jpeg_dc`); any other file, or one that reading
//! does not take cleanly, goes to the strict full decoder.
//!
//! A check in one process does not decode bytes it already accepted (`images::passed`), so each run
//! checks its own copy of a JPEG: the file with a comment segment naming the run after its start marker
//! (other files are checked as they are, and only the first run decodes them).
//!
//! `bench/pillow_batch.py --path full|draft FILE RUNS` does Pillow's counterpart.

use std::path::Path;
use std::time::Instant;

use seedance_core::images::{intake, IntakeOptions};

use crate::procs::{median, Error};

/// Prints `path MODE median_ms` (wall time of each check, median of `runs`).
pub fn run(mode: &str, file: &Path, runs: &str) -> Result<(), Error> {
    let options = match mode {
        "full" => IntakeOptions::default(),
        "preview" => IntakeOptions::preview(),
        _ => return Err(format!("unknown path {mode:?}: full or preview").into()),
    };
    let runs: usize = runs.parse()?;
    let bytes = std::fs::read(file)?;
    let copies = tempfile::tempdir()?;
    let mut times = Vec::with_capacity(runs);
    for run in 0..runs {
        let file = match bytes.strip_prefix(&[0xFF, 0xD8]) {
            Some(rest) => {
                let comment = format!("run {run}");
                let mut copy = vec![0xFF, 0xD8, 0xFF, 0xFE, 0, comment.len() as u8 + 2];
                copy.extend_from_slice(comment.as_bytes());
                copy.extend_from_slice(rest);
                let path = copies.path().join(format!("run-{run}.jpg"));
                std::fs::write(&path, copy)?;
                path
            }
            None => file.to_path_buf(),
        };
        let started = Instant::now();
        let info = intake(&file, &options)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if !info.is_acceptable() || info.thumbnail_data_url.is_empty() {
            return Err(format!("unexpected check: {info:?}").into());
        }
    }
    println!("path {mode} {:.1}", median(&mut times));
    Ok(())
}
