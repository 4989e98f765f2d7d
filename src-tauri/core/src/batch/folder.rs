//! A folder of images, or a list of them, to items. In a folder the images are paired by a rule the user
//! sees and can edit ([`PairRule`]); an image the rule cannot place is reported by name, never dropped
//! without a word, and entries that are not images are counted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::item::{index_of, BatchItem, BatchSource, FrameFiles, FrameRef, Origin};
use super::problem::{BatchIssue, Spot, Unmatched};
use crate::i18n::UserFacing;

/// Extensions of the images a frame may be. HEIC, HEIF and AVIF are included although the service takes
/// none of them: the frame check that runs before upload then tells the user to convert them, which is
/// better than a phone's photos silently missing from the batch.
const IMAGE_EXTENSIONS: [&str; 11] = [
    "jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff", "gif", "heic", "heif", "avif",
];

pub(crate) fn is_image_name(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.as_str()))
}

/// How the images of a folder become items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PairRule {
    /// `{name}{first}.*` and `{name}{last}.*` make a pair, e.g. `cat_first.jpg` and `cat_last.png`. The
    /// endings are compared without regard to case.
    Suffix { first: String, last: String },
    /// In file-name order (numbers by value: `2` before `10`), the 1st and 2nd image make a pair, the 3rd
    /// and 4th…
    SortedPairs,
    /// Each image is a first frame of its own.
    EachAlone,
}

impl PairRule {
    /// The rule the review screen starts with: `_first` / `_last`.
    pub fn default_suffixes() -> Self {
        Self::Suffix {
            first: "_first".into(),
            last: "_last".into(),
        }
    }
}

/// Each of `paths` becomes a first-frame item, in the order given.
pub fn from_paths(paths: &[PathBuf]) -> Result<BatchSource, BatchIssue> {
    if paths.is_empty() {
        return Err(BatchIssue::NoPaths);
    }
    let mut files = FrameFiles::default();
    let mut items = Vec::with_capacity(paths.len());
    for (at, path) in paths.iter().enumerate() {
        let position = index_of(at);
        let mut item = BatchItem::new(Origin::Path { position });
        let frame = FrameRef::resolve(&path.display().to_string(), None);
        item.name = frame.stem();
        let spot = Spot::item(position);
        if !is_image_name(path) {
            item.problems
                .push(BatchIssue::NotAnImage { path: path.clone() }.at(spot.clone()));
        }
        item.first_frame = Some(frame);
        files.check(&mut item, |_| spot.clone(), None);
        items.push(item);
    }
    let mut source = BatchSource {
        items,
        problems: Vec::new(),
        columns: Vec::new(),
        folder: None,
    };
    source.flag_repeats();
    Ok(source)
}

/// The images directly in `folder` (not in its sub-folders), paired by `rule`.
pub fn from_folder(folder: &Path, rule: &PairRule) -> Result<BatchSource, BatchIssue> {
    if let PairRule::Suffix { first, last } = rule {
        let (f, l) = (first.trim().to_lowercase(), last.trim().to_lowercase());
        if f.is_empty() || l.is_empty() || f == l {
            return Err(BatchIssue::BadPairRule {
                first: first.clone(),
                last: last.clone(),
            });
        }
    }
    crate::images::check_frame_path(folder).map_err(|e| BatchIssue::FolderRefused {
        path: folder.to_path_buf(),
        reason: e.msg(),
    })?;
    let unreadable = |e: std::io::Error| BatchIssue::FolderUnreadable {
        path: folder.to_path_buf(),
        cause: e.to_string(),
    };
    let mut images = Vec::new();
    let mut others = 0u32;
    for entry in std::fs::read_dir(folder).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        // `metadata` follows links: a link to an image is an image.
        if path.is_file() && is_image_name(&path) {
            images.push(entry.file_name().to_string_lossy().into_owned());
        } else {
            others += 1;
        }
    }
    if images.is_empty() {
        return Err(if others == 0 {
            BatchIssue::FolderEmpty {
                path: folder.to_path_buf(),
            }
        } else {
            BatchIssue::FolderNoImages {
                path: folder.to_path_buf(),
                count: others,
            }
        });
    }
    images.sort_by(|a, b| natural_order(a, b));

    let mut source = BatchSource {
        items: Vec::new(),
        problems: Vec::new(),
        columns: Vec::new(),
        folder: Some(folder.to_path_buf()),
    };
    if others > 0 {
        source
            .problems
            .push(BatchIssue::NonImagesIgnored { count: others }.at(Spot::default()));
    }
    let unmatched = |file: &str, reason: Unmatched| {
        let issue = BatchIssue::Unmatched {
            file: file.to_owned(),
            reason,
        };
        issue.at(Spot::file(file))
    };
    let pairs: Vec<(String, Option<String>, String)> = match rule {
        PairRule::EachAlone => images.iter().map(|f| (f.clone(), None, stem(f))).collect(),
        PairRule::SortedPairs => {
            let mut pairs = Vec::new();
            for two in images.chunks(2) {
                match two {
                    [first, last] => pairs.push((first.clone(), Some(last.clone()), stem(first))),
                    [odd] => source.problems.push(unmatched(odd, Unmatched::OddOneOut)),
                    _ => {}
                }
            }
            pairs
        }
        PairRule::Suffix { first, last } => {
            let (pairs, problems) = by_suffix(&images, first, last);
            source.problems.extend(
                problems
                    .into_iter()
                    .map(|(file, reason)| unmatched(&file, reason)),
            );
            pairs
        }
    };

    let mut files = FrameFiles::default();
    for (first, last, name) in pairs {
        let mut item = BatchItem::new(Origin::Folder {
            first: first.clone(),
            last: last.clone(),
        });
        item.name = Some(name);
        item.first_frame = Some(FrameRef::resolve(&first, Some(folder)));
        item.last_frame = last.map(|l| FrameRef::resolve(&l, Some(folder)));
        let spot = Spot::file(first);
        files.check(&mut item, |_| spot.clone(), Some(folder));
        source.items.push(item);
    }
    source.flag_repeats();
    Ok(source)
}

fn stem(file: &str) -> String {
    Path::new(file)
        .file_stem()
        .map_or_else(|| file.to_owned(), |s| s.to_string_lossy().into_owned())
}

/// The stem of `file` without `suffix` (compared in lower case), if it ends so and something is left.
fn strip_suffix_ci(stem: &str, suffix: &str) -> Option<String> {
    let (lower, suffix) = (stem.to_lowercase(), suffix.trim().to_lowercase());
    // Lower-casing can change lengths outside ASCII; cut by characters, counted on the lowered text.
    let keep = lower.strip_suffix(&suffix)?.chars().count();
    (keep > 0).then(|| stem.chars().take(keep).collect())
}

type Pairs = Vec<(String, Option<String>, String)>;

/// Pairs by endings. A name with exactly one first and one last image is a pair; anything else is reported.
fn by_suffix(images: &[String], first: &str, last: &str) -> (Pairs, Vec<(String, Unmatched)>) {
    #[derive(Default)]
    struct Sides {
        firsts: Vec<String>,
        lasts: Vec<String>,
    }
    let mut names: BTreeMap<String, Sides> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for file in images {
        let stem = stem(file);
        // The longer ending wins when one contains the other (`_a` and `_aa`).
        let as_first = strip_suffix_ci(&stem, first);
        let as_last = strip_suffix_ci(&stem, last);
        let side = match (as_first, as_last) {
            (Some(f), Some(_)) if first.trim().len() >= last.trim().len() => Some((f, true)),
            (Some(_), Some(l)) => Some((l, false)),
            (Some(f), None) => Some((f, true)),
            (None, Some(l)) => Some((l, false)),
            (None, None) => None,
        };
        let Some((name, is_first)) = side else {
            problems.push((
                file.clone(),
                Unmatched::NoSuffix {
                    first: first.to_owned(),
                    last: last.to_owned(),
                },
            ));
            continue;
        };
        if !names.contains_key(&name) {
            order.push(name.clone());
        }
        let sides = names.entry(name).or_default();
        if is_first {
            sides.firsts.push(file.clone());
        } else {
            sides.lasts.push(file.clone());
        }
    }
    let mut pairs = Vec::new();
    for name in order {
        let Some(sides) = names.remove(&name) else {
            continue;
        };
        match (sides.firsts.as_slice(), sides.lasts.as_slice()) {
            ([f], [l]) => pairs.push((f.clone(), Some(l.clone()), name)),
            ([], lasts) => problems.extend(lasts.iter().map(|l| {
                (
                    l.clone(),
                    Unmatched::NoFirst {
                        expected: format!("{name}{first}"),
                    },
                )
            })),
            (firsts, []) => problems.extend(firsts.iter().map(|f| {
                (
                    f.clone(),
                    Unmatched::NoLast {
                        expected: format!("{name}{last}"),
                    },
                )
            })),
            (firsts, lasts) => {
                // Two files for one frame: which to take is the user's call, so none of them is paired.
                let all: Vec<&String> = firsts.iter().chain(lasts).collect();
                for file in &all {
                    let others = all
                        .iter()
                        .filter(|o| *o != file)
                        .map(|o| (*o).clone())
                        .collect();
                    problems.push(((*file).clone(), Unmatched::Ambiguous { others }));
                }
            }
        }
    }
    (pairs, problems)
}

/// File-name order as a person reads it: runs of digits by value (`shot2` before `shot10`), letters
/// without regard to case, then the exact text to break ties.
pub(crate) fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(bool, String)> {
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in s.chars() {
            let digit = c.is_ascii_digit();
            match out.last_mut() {
                Some((d, text)) if *d == digit => text.push(c),
                _ => out.push((digit, c.to_string())),
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(&cb) {
        let order = match (x, y) {
            ((true, dx), (true, dy)) => {
                let (tx, ty) = (dx.trim_start_matches('0'), dy.trim_start_matches('0'));
                tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty))
            }
            ((_, tx), (_, ty)) => tx.to_lowercase().cmp(&ty.to_lowercase()),
        };
        if order.is_ne() {
            return order;
        }
    }
    ca.len().cmp(&cb.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn numbers_sort_by_value_and_letters_without_case() {
        let mut names = vec![
            "shot10.png",
            "Shot2.png",
            "shot1.png",
            "shot02b.png",
            "a.png",
        ];
        names.sort_by(|a, b| natural_order(a, b));
        assert_eq!(
            names,
            [
                "a.png",
                "shot1.png",
                "Shot2.png",
                "shot02b.png",
                "shot10.png"
            ]
        );
    }

    #[test]
    fn suffixes_are_stripped_without_regard_to_case() {
        assert_eq!(
            strip_suffix_ci("Cat_FIRST", "_first").as_deref(),
            Some("Cat")
        );
        assert_eq!(strip_suffix_ci("_first", "_first"), None);
        assert_eq!(strip_suffix_ci("cat", "_first"), None);
    }
}
