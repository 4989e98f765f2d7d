//! Every batch issue reads in both shipped languages, placed at every kind of spot.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use super::*;

/// One of every issue, with every shape of argument.
fn every_issue() -> Vec<BatchIssue> {
    let path = PathBuf::from("/data/shots.csv");
    let reason = Message::verbatim("Because.", "因为。");
    let unmatched = |reason| BatchIssue::Unmatched {
        file: "cat_first.jpg".into(),
        reason,
    };
    vec![
        BatchIssue::FileUnreadable {
            path: path.clone(),
            cause: "denied".into(),
        },
        BatchIssue::FileTooLarge {
            path: path.clone(),
            bytes: 40_000_000,
            limit: 33_554_432,
        },
        BatchIssue::NotText { path: path.clone() },
        BatchIssue::FileEmpty { path: path.clone() },
        BatchIssue::NoHeader {
            path: path.clone(),
            known: "first, last".into(),
        },
        BatchIssue::FolderUnreadable {
            path: path.clone(),
            cause: "gone".into(),
        },
        BatchIssue::FolderRefused {
            path: path.clone(),
            reason: reason.clone(),
        },
        BatchIssue::FolderEmpty { path: path.clone() },
        BatchIssue::FolderNoImages {
            path: path.clone(),
            count: 3,
        },
        BatchIssue::NoPaths,
        BatchIssue::BadPairRule {
            first: "_a".into(),
            last: "_a".into(),
        },
        BatchIssue::DecodedGb18030 { path: path.clone() },
        BatchIssue::NonImagesIgnored { count: 1 },
        BatchIssue::CsvUnclosedQuote { char: 7 },
        BatchIssue::CsvTextAfterQuote { char: 9 },
        BatchIssue::CsvTooManyCells {
            cells: 4,
            columns: 3,
        },
        BatchIssue::JsonlMalformed {
            char: 12,
            detail: "EOF".into(),
        },
        BatchIssue::JsonlNotObject,
        BatchIssue::UnknownColumn {
            header: "colour".into(),
            suggestion: None,
            known: "first".into(),
        },
        BatchIssue::UnknownColumn {
            header: "resolutoin".into(),
            suggestion: Some("resolution".into()),
            known: "first".into(),
        },
        BatchIssue::DuplicateColumn {
            header: "prompt".into(),
        },
        BatchIssue::ReservedColumn {
            header: "Name".into(),
        },
        unmatched(Unmatched::NoSuffix {
            first: "_first".into(),
            last: "_last".into(),
        }),
        unmatched(Unmatched::NoLast {
            expected: "cat_last".into(),
        }),
        unmatched(Unmatched::NoFirst {
            expected: "cat_first".into(),
        }),
        unmatched(Unmatched::Ambiguous {
            others: vec!["cat_first.png".into()],
        }),
        unmatched(Unmatched::OddOneOut),
        BatchIssue::FrameNotFound {
            slot: FrameSlot::First,
            written: "a.jpg".into(),
            path: "/data/a.jpg".into(),
        },
        BatchIssue::FrameRefused {
            slot: FrameSlot::Last,
            path: "//server/a.jpg".into(),
            reason,
        },
        BatchIssue::FrameOutsideFolder {
            slot: FrameSlot::First,
            written: "../a.jpg".into(),
            path: "/a.jpg".into(),
            folder: "/data".into(),
        },
        BatchIssue::NotAnImage {
            path: "/data/notes.txt".into(),
        },
        BatchIssue::BadCellValue {
            value: "[1]".into(),
        },
        BatchIssue::BadFlag {
            value: "maybe".into(),
        },
        BatchIssue::BadNumber { value: "5s".into() },
        BatchIssue::BadTakes {
            value: "0".into(),
            max: 50,
        },
        BatchIssue::DuplicateRow { line: 3 },
        BatchIssue::DuplicateItem { index: 2 },
        BatchIssue::TemplateUnclosed {
            part: TemplatePart::Prompt,
            char: 4,
        },
        BatchIssue::TemplateUnknown {
            part: TemplatePart::Output,
            names: "{size}".into(),
            known: "{name}, {index}".into(),
        },
        BatchIssue::TemplateNameWithoutImage {
            part: TemplatePart::Prompt,
        },
        BatchIssue::UnknownPreset {
            name: "Mine".into(),
        },
    ]
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

#[test]
fn every_issue_reads_in_english_and_chinese_with_every_placeholder_filled() {
    let issues = every_issue();
    let kinds: BTreeSet<&str> = issues.iter().map(UserFacing::kind).collect();
    // Two UnknownColumn shapes share a kind.
    assert_eq!(kinds.len(), issues.len() - 1, "kinds must be distinct");
    let places = [
        Spot::default(),
        Spot::line(4),
        Spot::line(4).with_column(Some(2), "prompt"),
        Spot::line(4).with_column(None, "prompt"),
        Spot::file("cat.jpg"),
        Spot::item(9),
    ];
    for issue in &issues {
        for at in &places {
            let problem = issue.at(at.clone());
            let en = problem.msg.text("en");
            let zh = problem.msg.text("zh-CN");
            // A placeholder without a value trips the renderer's debug assertion, failing here.
            assert!(en.len() > 20 && !en.chars().any(is_cjk), "{en}");
            assert!(
                zh.chars().any(is_cjk),
                "{} has no Chinese: {zh}",
                issue.kind()
            );
            // An unpaired folder entry is named by its file, never placed at a line.
            let placed = !matches!(issue, BatchIssue::Unmatched { .. });
            if let (Some(line), true) = (at.line, placed) {
                assert!(en.contains(&format!("Line {line}")), "{en}");
                assert!(zh.contains(&format!("第 {line} 行")), "{zh}");
            }
        }
    }
    let csv = BatchIssue::CsvUnclosedQuote { char: 7 }.at(Spot::line(4));
    assert_eq!(
        csv.msg.text("en"),
        "Line 4: The quote at character 7 is never closed, so the rest of the file was read as one \
         cell and left out. Close the quote; a quote inside a quoted cell is written twice (\"\")."
    );
    let cell = BatchIssue::BadFlag {
        value: "maybe".into(),
    }
    .at(Spot::line(5).with_column(Some(3), "draft"));
    assert!(cell
        .msg
        .text("zh-CN")
        .starts_with("第 5 行，第 3 列（draft）：“maybe”"));
    let template = BatchIssue::TemplateUnclosed {
        part: TemplatePart::Prompt,
        char: 4,
    };
    assert!(
        template
            .msg()
            .text("en")
            .contains("write {{ for a literal brace (}} for"),
        "{}",
        template.msg().text("en")
    );
}
