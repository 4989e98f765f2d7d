//! A real-size batch file: 10 000 rows read and planned in well under a second of work, every row kept
//! and every take counted. Run with `--no-capture` to see the timings.

use std::fmt::Write as _;
use std::time::Instant;

use seedance_core::batch::from_file;

use crate::support::batch::{plan_with, Folder};

const ROWS: usize = 10_000;
/// Distinct images the rows name (a real catalogue reuses its photos across prompts and settings).
const IMAGES: usize = 200;

#[test]
fn ten_thousand_rows_are_read_and_planned_quickly() {
    let folder = Folder::new();
    let names: Vec<String> = (0..IMAGES).map(|i| format!("photos/p{i:03}.jpg")).collect();
    folder.touch(&names.iter().map(String::as_str).collect::<Vec<_>>());
    let mut csv = String::from("first,prompt,colour,resolution,duration,takes,output\n");
    for row in 0..ROWS {
        let resolution = ["480p", "720p", "1080p"][row % 3];
        let takes = 1 + row % 2;
        writeln!(
            csv,
            "{},\"Row {row}: a {{colour}} product, \"\"turning\"\" slowly\",c{},{resolution},{},{takes},{{name}}-{{index}}",
            names[row % IMAGES],
            row % 7,
            4 + row % 9,
        )
        .unwrap();
    }
    let path = folder.write("catalogue.csv", &csv);

    let started = Instant::now();
    let source = from_file(&path).unwrap();
    let read = started.elapsed();
    let started = Instant::now();
    let plan = plan_with(&source, "unused", &[]);
    let planned = started.elapsed();
    eprintln!(
        "batch of {ROWS} rows ({} KB): read {:.1} ms, planned {:.1} ms ({} jobs)",
        csv.len() / 1024,
        read.as_secs_f64() * 1e3,
        planned.as_secs_f64() * 1e3,
        plan.jobs.len()
    );

    assert_eq!(source.items.len(), ROWS);
    assert!(source.problems.is_empty(), "{:?}", &source.problems[..3]);
    assert!(plan.problems.is_empty());
    assert_eq!(plan.excluded().count(), 0);
    let jobs: usize = (0..ROWS).map(|row| 1 + row % 2).sum();
    assert_eq!(plan.jobs.len(), jobs);
    assert_eq!(plan.total.jobs as usize, jobs);
    let last = plan.items.last().unwrap();
    assert_eq!(
        last.draft.prompt,
        format!(
            "Row {}: a c{} product, \"turning\" slowly",
            ROWS - 1,
            (ROWS - 1) % 7
        )
    );
    assert_eq!(
        last.output.as_deref(),
        Some(format!("p{:03}-{ROWS}", (ROWS - 1) % IMAGES).as_str())
    );
    // Generous for a debug build on a busy machine; a release build takes a fraction of this.
    assert!(
        read + planned < std::time::Duration::from_secs(5),
        "read {read:?}, planned {planned:?}"
    );
}
