//! Checking many frame files at once, as a batch needs before anything is paid for: the strict check a
//! single submission runs ([`crate::images::intake`]: every byte of the file read and hashed, and decoded
//! and checked unless this process already accepted those bytes) on several files at a time. So the
//! review's check decodes each picture, and the check when the batch starts only reads and hashes them.
//!
//! A batch of 100 photos checked one after another keeps one core busy for a minute while the others
//! idle; decoding them all at once would hold every photo's pixels (a 24 MP photo is about 72 MB while it
//! decodes) and run out of memory. So [`check_frames`] keeps at most [`CheckOptions::in_flight`] decodes
//! running (the machine's cores by default), each on tokio's blocking pool, and hands each result to the
//! caller as soon as it is ready, in whatever order they finish. Memory is then bounded by the decodes in
//! flight, whatever the number of files: a result keeps only its [`FrameInfo`] (sizes, hash, problems and
//! the small thumbnail), and the caller decides which of those to keep.
//!
//! A path named more than once (a photo used by several items, or as first and last frame) is read and
//! decoded once; its one result lists every position that named it. Paths are compared as given, so two
//! names of one file (a link, a copy) are each checked.
//!
//! A screen whose list of files changes while it is checked (the batch review: a fixed copy replaces a
//! frame, the rows on screen go first) uses [`check_queue`]: the same bounded run, with each next file asked
//! for when a turn frees up instead of read from a fixed list.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::stream::{FuturesUnordered, StreamExt};

use crate::images::{intake, FrameInfo, ImageError, IntakeOptions};

/// One file's check.
#[derive(Debug)]
pub struct FrameCheck {
    /// Every position in the list given to [`check_frames`] that named this path, ascending (never empty).
    pub indices: Vec<usize>,
    pub path: PathBuf,
    /// What a single submission's check would give for this file: an error when it cannot be used at all,
    /// else its facts with any limit violations in [`FrameInfo::problems`].
    pub result: Result<FrameInfo, ImageError>,
}

/// How [`check_frames`] checks.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// At most this many files are read and decoded at once (at least 1).
    pub in_flight: usize,
    /// How each file is taken in: the strict check that runs before upload by default.
    pub intake: IntakeOptions,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            in_flight: default_in_flight(),
            intake: IntakeOptions::default(),
        }
    }
}

/// The machine's cores (1 when that cannot be told): decoding is CPU work, so more at once only adds
/// memory.
pub fn default_in_flight() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// Checks every file of `paths`, at most `options.in_flight` at a time, calling `on_checked` once per
/// distinct path as its check finishes (in any order). `on_checked` returning
/// [`ControlFlow::Break`] stops the run: no further file is started, and the decodes still in flight
/// finish on the blocking pool with their results dropped. Returns when every file was checked or the
/// run was stopped. Dropping the future stops it the same way.
///
/// Must run inside a tokio runtime (the decodes go to its blocking pool).
pub async fn check_frames<F>(paths: &[PathBuf], options: &CheckOptions, on_checked: F)
where
    F: FnMut(FrameCheck) -> ControlFlow<()>,
{
    let intake_options = options.intake.clone();
    let work = Arc::new(move |path: &Path| intake(path, &intake_options));
    check_with(paths, options.in_flight, work, on_checked).await;
}

/// What checks one file; [`check_frames`] passes [`intake`], tests a counting wrapper around it.
pub type CheckWork = Arc<dyn Fn(&Path) -> Result<FrameInfo, ImageError> + Send + Sync>;
type Work = CheckWork;

/// The strict check [`check_frames`] runs, with `options`, as the work of [`check_queue`].
pub fn intake_work(options: &IntakeOptions) -> CheckWork {
    let options = options.clone();
    Arc::new(move |path: &Path| intake(path, &options))
}

/// [`check_frames`] over a queue that may change while it runs: `next` is asked for a file each time a
/// turn frees up (at most `in_flight` checks at once, each by `work`), and the run ends once `next` has
/// said `None` and the checks in flight finished; `next` is not asked again after its first `None`. Each
/// file is checked as often as `next` names it (the caller keeps it from naming one twice); a result's
/// `indices` count the files `next` gave, from 0. `on_checked` returning [`ControlFlow::Break`] stops the
/// run as in [`check_frames`].
pub async fn check_queue<N, F>(next: N, in_flight: usize, work: CheckWork, on_checked: F)
where
    N: FnMut() -> Option<PathBuf>,
    F: FnMut(FrameCheck) -> ControlFlow<()>,
{
    let waiting = std::iter::from_fn(next)
        .fuse()
        .enumerate()
        .map(|(index, path)| (path, vec![index]));
    run_turns(waiting, in_flight, work, on_checked).await;
}

async fn check_with<F>(paths: &[PathBuf], in_flight: usize, work: Work, on_checked: F)
where
    F: FnMut(FrameCheck) -> ControlFlow<()>,
{
    let mut distinct: Vec<(PathBuf, Vec<usize>)> = Vec::new();
    let mut seen: HashMap<&Path, usize> = HashMap::new();
    for (index, path) in paths.iter().enumerate() {
        match seen.get(path.as_path()) {
            Some(&at) => distinct[at].1.push(index),
            None => {
                seen.insert(path, distinct.len());
                distinct.push((path.clone(), vec![index]));
            }
        }
    }
    drop(seen);
    run_turns(distinct.into_iter(), in_flight, work, on_checked).await;
}

/// The bounded run: each file of `waiting` (with the positions that named it) checked by `work`, at most
/// `in_flight` at once, each result handed to `on_checked` as it finishes.
async fn run_turns<W, F>(mut waiting: W, in_flight: usize, work: Work, mut on_checked: F)
where
    W: Iterator<Item = (PathBuf, Vec<usize>)>,
    F: FnMut(FrameCheck) -> ControlFlow<()>,
{
    let limit = in_flight.max(1);
    let mut running = FuturesUnordered::new();
    loop {
        while running.len() < limit {
            let Some((path, indices)) = waiting.next() else {
                break;
            };
            let work = Arc::clone(&work);
            let named = path.clone();
            // Started now, on the blocking pool; awaited below in the order they finish.
            let handle = tokio::task::spawn_blocking(move || {
                let result = work(&path);
                (path, result)
            });
            running.push(async move { (indices, named, handle.await) });
        }
        let Some((indices, named, joined)) = running.next().await else {
            return;
        };
        let (path, result) = match joined {
            Ok(done) => done,
            // The decode panicked: that file cannot be used, and the others go on.
            Err(e) => {
                let path = named;
                let result = Err(ImageError::Io {
                    path: path.clone(),
                    source: std::io::Error::other(e.to_string()),
                });
                (path, result)
            }
        };
        let check = FrameCheck {
            indices,
            path,
            result,
        };
        if on_checked(check).is_break() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::collections::BTreeMap;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    use std::time::Duration;

    use image::{DynamicImage, ImageFormat, RgbImage};

    use super::*;

    fn picture(width: u32, height: u32, tint: u8) -> DynamicImage {
        DynamicImage::from(RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 251) as u8, (y % 241) as u8, tint])
        }))
    }

    fn write_picture(dir: &Path, name: &str, width: u32, height: u32, tint: u8) -> PathBuf {
        let path = dir.join(name);
        let format = ImageFormat::from_path(&path).unwrap();
        picture(width, height, tint)
            .save_with_format(&path, format)
            .unwrap();
        path
    }

    /// Good JPEG and PNG, a JPEG cut in half, a readable photo below the model's minimum side, a HEIC
    /// file, a missing file and a name given twice.
    fn mixed_set(dir: &Path) -> Vec<PathBuf> {
        let good_jpeg = write_picture(dir, "good.jpg", 800, 600, 10);
        let good_png = write_picture(dir, "good.png", 640, 480, 20);
        let whole = write_picture(dir, "whole.jpg", 700, 500, 30);
        let bytes = std::fs::read(&whole).unwrap();
        let corrupt = dir.join("corrupt.jpg");
        std::fs::write(&corrupt, &bytes[..bytes.len() / 2]).unwrap();
        let small = write_picture(dir, "small.png", 200, 200, 40);
        let heic = dir.join("phone.heic");
        std::fs::write(&heic, b"\0\0\0\x18ftypheic\0\0\0\0mif1heic\0\0\0\0").unwrap();
        let missing = dir.join("missing.png");
        vec![
            good_jpeg.clone(),
            corrupt,
            small,
            heic,
            good_png,
            missing,
            good_jpeg,
        ]
    }

    async fn run_collecting(paths: &[PathBuf], in_flight: usize, work: Work) -> Vec<FrameCheck> {
        let mut all = Vec::new();
        check_with(paths, in_flight, work, |check| {
            all.push(check);
            ControlFlow::Continue(())
        })
        .await;
        all
    }

    /// Each position gets exactly what the sequential check of that file gives: the same facts and
    /// problems for a readable file, the same error for one that cannot be used.
    #[tokio::test]
    async fn results_equal_the_sequential_check() {
        let dir = tempfile::tempdir().unwrap();
        let paths = mixed_set(dir.path());
        let mut by_index: BTreeMap<usize, String> = BTreeMap::new();
        check_frames(
            &paths,
            &CheckOptions {
                in_flight: 3,
                ..CheckOptions::default()
            },
            |check| {
                for &i in &check.indices {
                    assert_eq!(paths[i], check.path);
                    let old = by_index.insert(i, format!("{:?}", check.result));
                    assert!(old.is_none(), "position {i} given twice");
                }
                ControlFlow::Continue(())
            },
        )
        .await;
        assert_eq!(by_index.len(), paths.len());
        for (i, path) in paths.iter().enumerate() {
            let sequential = intake(path, &IntakeOptions::default());
            assert_eq!(
                by_index[&i],
                format!("{sequential:?}"),
                "{}",
                path.display()
            );
        }
        // The set does hold each kind: two good files, a refusal of each sort, and a readable file with
        // a limit problem.
        let kinds: Vec<&str> = by_index
            .values()
            .map(|r| {
                if r.starts_with("Ok") && r.contains("problems: []") {
                    "good"
                } else if r.starts_with("Ok") {
                    "problem"
                } else if r.contains("Truncated") || r.contains("Corrupt") {
                    "damaged"
                } else if r.contains("HEIC") {
                    "heic"
                } else if r.contains("NotFound") {
                    "missing"
                } else {
                    "other"
                }
            })
            .collect();
        assert_eq!(
            kinds,
            ["good", "damaged", "problem", "heic", "good", "missing", "good"],
            "{by_index:#?}"
        );
    }

    /// A counting wrapper around the real check: never more than `in_flight` at once, and that many do
    /// run together (each is held long enough for the others to start).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_than_in_flight_decodes_run_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..12)
            .map(|i| write_picture(dir.path(), &format!("p{i}.png"), 320, 320, i))
            .collect();
        let now = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let (n, m) = (Arc::clone(&now), Arc::clone(&most));
        let work: Work = Arc::new(move |path: &Path| {
            let running = n.fetch_add(1, Ordering::SeqCst) + 1;
            m.fetch_max(running, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(40));
            let result = intake(path, &IntakeOptions::default());
            n.fetch_sub(1, Ordering::SeqCst);
            result
        });
        let all = run_collecting(&paths, 3, work).await;
        assert_eq!(all.len(), 12);
        assert!(all.iter().all(|c| c.result.is_ok()));
        assert_eq!(most.load(Ordering::SeqCst), 3);
        assert_eq!(now.load(Ordering::SeqCst), 0);
    }

    /// A path named several times is checked once, and its one result names every position.
    #[tokio::test]
    async fn a_path_named_twice_is_decoded_once() {
        let dir = tempfile::tempdir().unwrap();
        let a = write_picture(dir.path(), "a.png", 400, 300, 1);
        let b = write_picture(dir.path(), "b.png", 400, 300, 2);
        let c = write_picture(dir.path(), "c.png", 400, 300, 3);
        let paths = vec![
            a.clone(),
            b.clone(),
            a.clone(),
            c.clone(),
            b.clone(),
            a.clone(),
        ];
        let calls: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
        let seen = Arc::clone(&calls);
        let work: Work = Arc::new(move |path: &Path| {
            seen.lock().unwrap().push(path.to_path_buf());
            intake(path, &IntakeOptions::default())
        });
        let all = run_collecting(&paths, 2, work).await;
        let mut calls = calls.lock().unwrap().clone();
        calls.sort();
        assert_eq!(calls, [a.clone(), b.clone(), c.clone()]);
        let mut named: Vec<(PathBuf, Vec<usize>)> =
            all.into_iter().map(|c| (c.path, c.indices)).collect();
        named.sort();
        assert_eq!(named, [(a, vec![0, 2, 5]), (b, vec![1, 4]), (c, vec![3])]);
    }

    /// A command handler can spawn the run on the runtime (its future is `Send` when the callback is).
    #[test]
    fn the_run_can_be_spawned() {
        fn spawnable<T: Send + 'static>(_: &T) {}
        let paths = vec![PathBuf::from("/nowhere/a.png")];
        let run = async move {
            check_frames(&paths, &CheckOptions::default(), |_| {
                ControlFlow::Continue(())
            })
            .await;
        };
        spawnable(&run);
    }

    /// A queue asked one file at a time: a file put in front while the first decodes is checked next, a
    /// file added late is still checked, and once the queue said "none" it is not asked again.
    #[tokio::test]
    async fn a_queue_is_asked_for_each_next_file_as_turns_free_up() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..4)
            .map(|i| write_picture(dir.path(), &format!("q{i}.png"), 320, 320, i))
            .collect();
        let queue: Arc<Mutex<std::collections::VecDeque<PathBuf>>> =
            Arc::new(Mutex::new(paths[..3].iter().cloned().collect()));
        let asked_after_none = Arc::new(AtomicUsize::new(0));
        let ended = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (q, a, e) = (
            Arc::clone(&queue),
            Arc::clone(&asked_after_none),
            Arc::clone(&ended),
        );
        let next = move || {
            if e.load(Ordering::SeqCst) {
                a.fetch_add(1, Ordering::SeqCst);
            }
            let next = q.lock().unwrap().pop_front();
            if next.is_none() {
                e.store(true, Ordering::SeqCst);
            }
            next
        };
        let mut order = Vec::new();
        check_queue(next, 1, intake_work(&IntakeOptions::default()), |check| {
            assert!(check.result.is_ok());
            order.push(check.path.clone());
            if order.len() == 1 {
                // The rows on screen go first; a fixed copy joins the queue.
                let mut q = queue.lock().unwrap();
                q.retain(|p| p != &paths[2]);
                q.push_front(paths[2].clone());
                q.push_back(paths[3].clone());
            }
            ControlFlow::Continue(())
        })
        .await;
        assert_eq!(
            order,
            [
                paths[0].clone(),
                paths[2].clone(),
                paths[1].clone(),
                paths[3].clone()
            ]
        );
        assert_eq!(asked_after_none.load(Ordering::SeqCst), 0);
    }

    /// Stopping at the first result starts nothing more: only the decodes already in flight ran.
    #[tokio::test]
    async fn break_starts_no_further_file() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..10)
            .map(|i| write_picture(dir.path(), &format!("p{i}.png"), 320, 320, i))
            .collect();
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&calls);
        let work: Work = Arc::new(move |path: &Path| {
            counted.fetch_add(1, Ordering::SeqCst);
            intake(path, &IntakeOptions::default())
        });
        let mut results = 0;
        check_with(&paths, 2, work, |_| {
            results += 1;
            ControlFlow::Break(())
        })
        .await;
        assert_eq!(results, 1);
        // The other decode in flight may still be starting; nothing after it ever does.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}
