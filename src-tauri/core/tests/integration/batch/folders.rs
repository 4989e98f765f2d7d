//! Folders paired by each rule (every image the rule cannot place reported by name, other entries
//! counted), lists of images, and the form × N takes.

use std::collections::BTreeSet;
use std::path::PathBuf;

use seedance_core::batch::{from_folder, from_form, from_paths, BatchIssue, Origin, PairRule};
use seedance_core::i18n::UserFacing;
use seedance_core::request::{DraftSettings, RequestDraft};

use crate::support::batch::{kinds, plan_with, Folder};

fn pair_names(source: &seedance_core::batch::BatchSource) -> Vec<(String, Option<String>)> {
    source
        .items
        .iter()
        .map(|i| match &i.origin {
            Origin::Folder { first, last } => (first.clone(), last.clone()),
            other => panic!("{other:?}"),
        })
        .collect()
}

fn pair(first: &str, last: Option<&str>) -> (String, Option<String>) {
    (first.to_owned(), last.map(str::to_owned))
}

#[test]
fn suffix_pairs_and_every_image_they_cannot_place_is_named() {
    let folder = Folder::new();
    folder.touch(&[
        "cat_first.jpg",
        "cat_last.png",
        "dog_FIRST.jpeg",
        "dog_last.jpg",
        "bird_first.jpg",
        "fish_last.jpg",
        "cow_first.jpg",
        "cow_first.png",
        "cow_last.jpg",
        "lonely.jpg",
        "notes.txt",
        ".DS_Store",
        "sub/inner_first.jpg",
    ]);
    let source = from_folder(folder.path(), &PairRule::default_suffixes()).unwrap();
    assert_eq!(
        pair_names(&source),
        [
            pair("cat_first.jpg", Some("cat_last.png")),
            pair("dog_FIRST.jpeg", Some("dog_last.jpg")),
        ]
    );
    let cat = &source.items[0];
    assert_eq!(
        cat.name.as_deref(),
        Some("cat"),
        "{{name}} is the pair's shared name"
    );
    assert_eq!(
        cat.first_frame.as_ref().unwrap().path,
        folder.path().join("cat_first.jpg")
    );
    assert!(cat.problems.is_empty());

    let reported: BTreeSet<(&str, &str)> = source
        .problems
        .iter()
        .map(|p| (p.kind.as_str(), p.at.file.as_deref().unwrap_or("")))
        .collect();
    let expected: BTreeSet<(&str, &str)> = [
        ("batch_non_images_ignored", ""),
        ("batch_unmatched_no_suffix", "lonely.jpg"),
        ("batch_unmatched_no_last", "bird_first.jpg"),
        ("batch_unmatched_no_first", "fish_last.jpg"),
        ("batch_unmatched_ambiguous", "cow_first.jpg"),
        ("batch_unmatched_ambiguous", "cow_first.png"),
        ("batch_unmatched_ambiguous", "cow_last.jpg"),
    ]
    .into_iter()
    .collect();
    assert_eq!(reported, expected);
    assert_eq!(source.problems.len(), expected.len());
    assert!(source.problems.iter().all(|p| !p.blocking));
    let text = |kind: &str| {
        source
            .problems
            .iter()
            .find(|p| p.kind == kind)
            .unwrap()
            .msg
            .text("en")
    };
    assert_eq!(
        text("batch_non_images_ignored"),
        "3 items in the folder are not images and were left out."
    );
    assert!(text("batch_unmatched_no_last").contains("no image named bird_last"));
    assert!(text("batch_unmatched_no_suffix")
        .starts_with("lonely.jpg ends in neither _first nor _last"));

    // The endings are the user's to edit, compared without regard to case.
    let folder = Folder::new();
    folder.touch(&["shot1-a.jpg", "shot1-B.jpg"]);
    let rule = PairRule::Suffix {
        first: "-A".into(),
        last: "-b".into(),
    };
    let source = from_folder(folder.path(), &rule).unwrap();
    assert_eq!(
        pair_names(&source),
        [pair("shot1-a.jpg", Some("shot1-B.jpg"))]
    );
    assert_eq!(source.items[0].name.as_deref(), Some("shot1"));
}

#[test]
fn sorted_pairs_follow_numbers_by_value_and_an_odd_one_out_is_named() {
    let folder = Folder::new();
    folder.touch(&[
        "shot10.jpg",
        "shot2.jpg",
        "shot1.jpg",
        "shot3.png",
        "Shot4.jpg",
    ]);
    let source = from_folder(folder.path(), &PairRule::SortedPairs).unwrap();
    assert_eq!(
        pair_names(&source),
        [
            pair("shot1.jpg", Some("shot2.jpg")),
            pair("shot3.png", Some("Shot4.jpg")),
        ]
    );
    assert_eq!(kinds(&source.problems), ["batch_unmatched_odd"]);
    assert_eq!(source.problems[0].at.file.as_deref(), Some("shot10.jpg"));
}

#[test]
fn each_image_alone_is_a_first_frame_item() {
    let folder = Folder::new();
    folder.touch(&["b.webp", "a.JPG", "c.heic", "readme.md"]);
    let source = from_folder(folder.path(), &PairRule::EachAlone).unwrap();
    assert_eq!(
        pair_names(&source),
        [
            pair("a.JPG", None),
            pair("b.webp", None),
            pair("c.heic", None)
        ]
    );
    assert_eq!(kinds(&source.problems), ["batch_non_images_ignored"]);
    let names: Vec<_> = source
        .items
        .iter()
        .map(|i| i.name.clone().unwrap())
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
}

#[test]
fn folders_that_give_nothing_are_refused_with_the_reason() {
    let empty = Folder::new();
    let err = from_folder(empty.path(), &PairRule::EachAlone).unwrap_err();
    assert!(matches!(err, BatchIssue::FolderEmpty { .. }), "{err:?}");

    let no_images = Folder::new();
    no_images.touch(&["notes.txt"]);
    let err = from_folder(no_images.path(), &PairRule::EachAlone).unwrap_err();
    assert!(
        matches!(err, BatchIssue::FolderNoImages { count: 1, .. }),
        "{err:?}"
    );
    assert!(
        err.msg().text("en").contains("only 1 other item."),
        "{}",
        err.msg().text("en")
    );

    let gone = empty.path().join("gone");
    let err = from_folder(&gone, &PairRule::EachAlone).unwrap_err();
    assert!(
        matches!(err, BatchIssue::FolderUnreadable { .. }),
        "{err:?}"
    );

    let err = from_folder(
        std::path::Path::new("relative/folder"),
        &PairRule::EachAlone,
    )
    .unwrap_err();
    assert!(matches!(err, BatchIssue::FolderRefused { .. }), "{err:?}");

    for (first, last) in [("_x", "_X"), ("", "_last"), ("_first", " ")] {
        let rule = PairRule::Suffix {
            first: first.into(),
            last: last.into(),
        };
        let err = from_folder(no_images.path(), &rule).unwrap_err();
        assert!(
            matches!(err, BatchIssue::BadPairRule { .. }),
            "{first:?} {last:?}: {err:?}"
        );
    }
}

#[test]
fn a_list_of_images_keeps_its_order_and_reports_each_bad_path() {
    let folder = Folder::new();
    folder.touch(&["b.jpg", "a.png", "notes.txt"]);
    let paths: Vec<PathBuf> = ["b.jpg", "missing.jpg", "notes.txt", "a.png", "b.jpg"]
        .iter()
        .map(|n| folder.path().join(n))
        .collect();
    let source = from_paths(&paths).unwrap();
    let names: Vec<_> = source
        .items
        .iter()
        .map(|i| i.name.clone().unwrap())
        .collect();
    assert_eq!(
        names,
        ["b", "missing", "notes", "a", "b"],
        "as given, not sorted"
    );
    let problems: Vec<Vec<&str>> = source.items.iter().map(|i| kinds(&i.problems)).collect();
    assert_eq!(
        problems,
        [
            vec![],
            vec!["batch_frame_not_found"],
            vec!["batch_not_an_image"],
            vec![],
            vec!["batch_duplicate_item"],
        ]
    );
    assert_eq!(source.items[1].problems[0].at.item, Some(2));
    assert!(source.items[1].problems[0]
        .msg
        .text("en")
        .starts_with("Item 2: The first frame"));
    assert!(source.items[4].problems[0]
        .msg
        .text("en")
        .contains("repeats item 1"));
    assert!(matches!(from_paths(&[]), Err(BatchIssue::NoPaths)));

    let plan = plan_with(&source, "A product shot of {name}", &[]);
    let prompts: Vec<_> = plan.jobs.iter().map(|j| j.draft.prompt.as_str()).collect();
    assert_eq!(
        prompts,
        [
            "A product shot of b",
            "A product shot of a",
            "A product shot of b"
        ]
    );
    assert_eq!(plan.total.excluded_items, 2);
}

#[test]
fn the_form_times_n_takes_is_sent_as_typed_with_its_own_settings() {
    let folder = Folder::new();
    folder.touch(&["hero.png"]);
    let form = RequestDraft {
        prompt: "A {literal} brace, not a placeholder".into(),
        first_frame: Some(folder.path().join("hero.png").display().to_string()),
        last_frame: Some(String::new()),
        settings: DraftSettings {
            resolution: "1080p".into(),
            ratio: "21:9".into(),
            duration: 8,
            ..DraftSettings::default()
        },
    };
    let source = from_form(&form, 4);
    // The batch's own defaults (another prompt, default settings) do not change the form's item.
    let plan = plan_with(&source, "something else", &[]);
    assert!(plan.can_start(), "{:?}", plan.items[0].problems);
    let takes: Vec<(u32, u32)> = plan.jobs.iter().map(|j| (j.item, j.take)).collect();
    assert_eq!(takes, [(1, 1), (1, 2), (1, 3), (1, 4)]);
    for job in &plan.jobs {
        assert_eq!(job.draft.prompt, form.prompt);
        assert_eq!(job.draft.settings, form.settings);
        assert_eq!(job.draft.first_frame, form.first_frame);
        assert_eq!(job.draft.last_frame, None, "a blank slot is no frame");
    }
    assert_eq!(plan.total.jobs, 4);
    assert!(
        plan.total.approximate,
        "21:9 at 1080p is not in the published table"
    );

    for bad in [0, 51] {
        let plan = plan_with(&from_form(&form, bad), "", &[]);
        assert_eq!(kinds(&plan.items[0].problems), ["batch_bad_takes"]);
        assert!(plan.jobs.is_empty());
    }
}
