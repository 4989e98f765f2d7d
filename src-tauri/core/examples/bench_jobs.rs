//! How fast the Jobs screen's queries are with 10 000 jobs on disk.
//!
//! `cargo run --release -p seedance-core --example bench_jobs`
//!
//! Targets: first page < 50 ms, search < 100 ms, the spend panel and the limit check < 50 ms.
//!
//! The database lives under the target folder, on the disk the project is on: `/tmp` may be a tmpfs,
//! where an fsync costs nothing and the durable writes' figure would flatter them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use seedance_core::api::{Clock, TaskId};
use seedance_core::cost::CostRates;
use seedance_core::i18n::Message;
use seedance_core::request::RequestDraft;
use seedance_core::spend::{self, SpendLimits};
use seedance_core::store::{JobQuery, JobStatus, NewJob, Store, Thumbnail};
use time::OffsetDateTime;

const JOBS: usize = 10_000;
const RUNS: usize = 30;

const EN_SUBJECTS: [&str; 8] = [
    "A golden retriever",
    "An old fisherman",
    "A red sports car",
    "A ballet dancer",
    "A paper boat",
    "A lighthouse",
    "A street musician",
    "A hummingbird",
];
const EN_ACTIONS: [&str; 6] = [
    "walks along the beach at sunset",
    "turns slowly towards the camera",
    "drifts through heavy rain",
    "glows under neon lights at night",
    "stands in a snowy forest",
    "crosses a busy market",
];
const EN_CAMERA: [&str; 5] = [
    "slow dolly in, shallow depth of field",
    "handheld, cinematic lighting",
    "aerial drone shot, wide angle",
    "static camera, soft morning light",
    "orbit shot, 35mm film grain",
];
const ZH_SUBJECTS: [&str; 6] = [
    "一只橘猫",
    "一位老渔夫",
    "穿汉服的女孩",
    "一座古老的灯塔",
    "街头的吉他手",
    "一艘纸船",
];
const ZH_ACTIONS: [&str; 6] = [
    "在海边的日落时分慢慢走过",
    "转过身看向镜头，微微一笑",
    "在大雨中缓缓漂流",
    "在霓虹灯下的夜色里闪烁",
    "站在雪后的森林中",
    "穿过热闹的集市",
];
const ZH_CAMERA: [&str; 4] = [
    "镜头缓慢推进，浅景深",
    "手持拍摄，电影感光线",
    "航拍视角，广角镜头",
    "固定机位，柔和的晨光",
];

fn prompt(rng: &mut StdRng) -> String {
    fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
        items[rng.gen_range(0..items.len())]
    }
    let english = format!(
        "{} {}, {}.",
        pick(rng, &EN_SUBJECTS),
        pick(rng, &EN_ACTIONS),
        pick(rng, &EN_CAMERA)
    );
    let chinese = format!(
        "{}{}，{}。",
        pick(rng, &ZH_SUBJECTS),
        pick(rng, &ZH_ACTIONS),
        pick(rng, &ZH_CAMERA)
    );
    match rng.gen_range(0..10) {
        0..=3 => english,
        4..=7 => chinese,
        // Some creators write both, or add dialogue in quotes.
        8 => format!("{chinese} {english}"),
        _ => format!("{english} The narrator says \"this is where it all began\"."),
    }
}

/// A thumbnail-sized blob (the store checks only the JPEG signature).
fn thumb(rng: &mut StdRng, len: usize) -> Thumbnail {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..len).map(|_| rng.gen::<u8>()));
    Thumbnail::new(bytes).unwrap()
}

struct SteppingClock(AtomicI64);

impl Clock for SteppingClock {
    fn now(&self) -> OffsetDateTime {
        let ms = self.0.fetch_add(1_000, Ordering::Relaxed);
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap()
    }
}

fn fill(store: &Store, rng: &mut StdRng) {
    for i in 0..JOBS {
        let with_frame = rng.gen_bool(0.8);
        let request = RequestDraft {
            prompt: prompt(rng),
            first_frame: with_frame.then(|| format!("/Users/me/Pictures/shot_{i}.jpg")),
            ..RequestDraft::default()
        };
        let job = store
            .insert_job(NewJob {
                request,
                first_thumb: with_frame.then(|| thumb(rng, 6_000)),
                last_thumb: None,
                tokens_estimate: Some(108_900),
                demo: false,
                retry_of: None,
            })
            .unwrap();
        let id = job.id.as_str();
        let roll = rng.gen_range(0..100);
        if roll < 3 {
            continue; // still uploading
        }
        store.mark_create_sent(id).unwrap();
        if roll < 5 {
            store
                .set_uncertain(id, &Message::new("msg.api.submission_uncertain"))
                .unwrap();
            continue;
        }
        store.set_task_id(id, &TaskId(format!("task-{i}"))).unwrap();
        if roll < 8 {
            store.set_status(id, JobStatus::Running).unwrap();
        } else if roll < 20 {
            store
                .set_failed(
                    id,
                    "task_failed",
                    &Message::new("msg.pipeline.task_failed").arg("reason", "content refused"),
                )
                .unwrap();
        } else {
            store
                .set_video_url(id, &format!("https://cdn.example/r/{i}.mp4?sig=x"))
                .unwrap();
            store.set_status(id, JobStatus::Downloading).unwrap();
            store
                .set_done(
                    id,
                    Path::new(&format!("/Users/me/Movies/Seedance Studio/{i}.mp4")),
                )
                .unwrap();
        }
    }
}

fn measure(label: &str, mut op: impl FnMut() -> usize) {
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut rows = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        rows = op();
        times.push(started.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p95 = times[(RUNS * 95).div_ceil(100) - 1];
    println!(
        "{label:<42} median {:>7.3} ms   p95 {:>7.3} ms   ({rows} rows)",
        ms(times[RUNS / 2]),
        ms(p95)
    );
}

/// `target/` (or `CARGO_TARGET_DIR`), where the bench's database is made.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// The file system type of the mount holding `path`, from `/proc/mounts` (Linux); "?" elsewhere.
fn fs_type(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (_, point, kind) = (fields.next()?, fields.next()?, fields.next()?);
            path.starts_with(point)
                .then(|| (point.len(), kind.to_owned()))
        })
        .max()
        .map_or_else(|| "?".to_owned(), |(_, kind)| kind)
}

fn main() {
    let target = target_dir();
    std::fs::create_dir_all(&target).unwrap();
    let dir = tempfile::Builder::new()
        .prefix("bench-jobs-")
        .tempdir_in(&target)
        .unwrap();
    let path = dir.path().join("bench.db");
    println!("database at {} ({})", path.display(), fs_type(dir.path()));
    let clock = Arc::new(SteppingClock(AtomicI64::new(1_700_000_000_000)));
    let store = Store::open_with_clock(&path, clock.clone()).unwrap();
    let mut rng = StdRng::seed_from_u64(0x5EED);

    let started = Instant::now();
    fill(&store, &mut rng);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(dir.path().join("bench.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!(
        "created {JOBS} jobs (with status steps) in {:.2} s; database {:.1} MB; {RUNS} runs each",
        started.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );

    let page = |search: Option<&str>, status: Option<JobStatus>| JobQuery {
        search: search.map(str::to_owned),
        status,
        limit: 50,
        before: None,
        batch: None,
    };
    let list = |q: JobQuery| {
        let store = &store;
        move || store.list_jobs(&q).unwrap().jobs.len()
    };
    let count = |q: JobQuery| {
        let store = &store;
        move || store.count_jobs(&q).unwrap() as usize
    };

    measure("first page (50 newest)", list(page(None, None)));
    let second = store.list_jobs(&page(None, None)).unwrap().next;
    measure(
        "second page (keyset)",
        list(JobQuery {
            before: second,
            ..page(None, None)
        }),
    );
    measure(
        "first page, status = done",
        list(page(None, Some(JobStatus::Done))),
    );
    measure(
        "first page, status = failed",
        list(page(None, Some(JobStatus::Failed))),
    );
    measure(
        "search \"lighthouse\" (English)",
        list(page(Some("lighthouse"), None)),
    );
    measure(
        "search \"umbrella\" (English, no match)",
        list(page(Some("umbrella"), None)),
    );
    measure(
        "search \"日落时\" (Chinese, indexed)",
        list(page(Some("日落时"), None)),
    );
    measure(
        "search \"灯塔\" (Chinese, 2 chars: LIKE)",
        list(page(Some("灯塔"), None)),
    );
    measure(
        "search \"rain\" + status = failed",
        list(page(Some("rain"), Some(JobStatus::Failed))),
    );
    measure("count all", count(page(None, None)));
    measure(
        "count status = done",
        count(page(None, Some(JobStatus::Done))),
    );
    measure(
        "count search \"lighthouse\"",
        count(page(Some("lighthouse"), None)),
    );
    measure("count search \"灯塔\"", count(page(Some("灯塔"), None)));
    measure("unfinished jobs (start-up resume)", || {
        store.unfinished_jobs().unwrap().len()
    });
    // Every job is within this month and week: the spend queries read all that count.
    let now = clock.0.load(Ordering::Relaxed);
    let (zone, rates) = (jiff::tz::TimeZone::UTC, CostRates::default());
    measure("spend panel (periods, pending, batches)", || {
        let s = spend::summarize(&store, now, &zone, &rates, SpendLimits::default(), 8).unwrap();
        s.month.jobs as usize + s.pending.jobs as usize
    });
    measure("spend so far (the limit check)", || {
        let s = spend::spent_so_far(&store, now, &zone, &rates).unwrap();
        s.month.jobs as usize
    });
    measure("spend CSV export", || {
        spend::spend_csv(&store, &zone, &rates)
            .unwrap()
            .lines()
            .count()
    });
    durable_writes(&store, &path);
}

/// The two writes that must reach the disk (fsync) before a paid create may leave and as its task id
/// arrives, each on a fresh job of the 10 000. Beside the create mark, the same UPDATE on a second
/// connection at `synchronous = NORMAL` (the level every other write uses: no fsync at commit) and at
/// `FULL`, interleaved run by run, so the extra cost of durability is read off the same moments.
fn durable_writes(store: &Store, path: &Path) {
    let raw = rusqlite::Connection::open(path).unwrap();
    raw.busy_timeout(Duration::from_secs(5)).unwrap();
    let mark_sql = "UPDATE jobs SET status = 'submitting', create_sent_at = ?1, updated_at = ?1 \
                    WHERE id = ?2 AND status = 'uploading' AND create_sent_at IS NULL";
    let raw_mark = |level: &str, i: usize| {
        raw.pragma_update(None, "synchronous", level).unwrap();
        let id = store.insert_job(NewJob::default()).unwrap().id;
        let started = Instant::now();
        let updated = raw
            .execute(
                mark_sql,
                rusqlite::params![1_700_000_000_000_i64 + i as i64, id],
            )
            .unwrap();
        let took = started.elapsed();
        assert_eq!(updated, 1);
        took
    };
    let mut marks: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut task_ids: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut normal: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut full: Vec<Duration> = Vec::with_capacity(RUNS);
    for i in 0..RUNS {
        let job = store.insert_job(NewJob::default()).unwrap();
        let started = Instant::now();
        store.mark_create_sent(&job.id).unwrap();
        marks.push(started.elapsed());
        let started = Instant::now();
        store
            .set_task_id(&job.id, &TaskId(format!("durable-{i}")))
            .unwrap();
        task_ids.push(started.elapsed());
        normal.push(raw_mark("NORMAL", i));
        full.push(raw_mark("FULL", i));
    }
    let median = |times: &[Duration]| {
        let mut sorted = times.to_vec();
        sorted.sort();
        sorted[RUNS / 2].as_secs_f64() * 1000.0
    };
    let (mark_ms, normal_ms) = (median(&marks), median(&normal));
    for (label, mut times) in [
        ("durable create mark", marks),
        ("durable task id", task_ids),
        ("same mark, synchronous = FULL", full),
        ("same mark, synchronous = NORMAL (no fsync)", normal),
    ] {
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let p95 = times[(RUNS * 95).div_ceil(100) - 1];
        println!(
            "{label:<42} median {:>7.3} ms   p95 {:>7.3} ms   (1 rows)",
            ms(times[RUNS / 2]),
            ms(p95)
        );
    }
    println!(
        "fsync cost of the create mark: {mark_ms:.3} ms durable vs {normal_ms:.3} ms at NORMAL (+{:.3} ms per paid create)",
        mark_ms - normal_ms
    );
}
