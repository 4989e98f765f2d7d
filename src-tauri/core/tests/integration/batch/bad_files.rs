//! Bad batch files: each kind of bad input reported at its line and column (or refused, when nothing can be
//! read), while the good rows still count.

use seedance_core::batch::{from_file, BatchIssue, Origin, SettingValue, MAX_BATCH_FILE_BYTES};
use seedance_core::i18n::UserFacing;

use crate::support::batch::{kinds, places, plan_with, Folder};

#[test]
fn text_in_no_encoding_the_app_reads_is_refused_with_how_to_save_it() {
    let folder = Folder::new();
    // Windows-1252 ("café" with é = 0xE9 before a line break): not UTF-8, not GB18030.
    let latin = folder.write("latin.csv", b"first,prompt\na.jpg,caf\xE9\n");
    // UTF-16 that lost its byte order mark.
    let unmarked: Vec<u8> = "first,prompt\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let unmarked = folder.write("unmarked.csv", unmarked);
    for path in [latin, unmarked] {
        let err = from_file(&path).unwrap_err();
        assert!(matches!(err, BatchIssue::NotText { .. }), "{err:?}");
        assert!(err
            .msg()
            .text("en")
            .contains("\"CSV UTF-8 (Comma delimited)\""));
        assert!(err.msg().text("zh-CN").contains("CSV UTF-8"));
    }
}

#[test]
fn broken_csv_lines_are_reported_by_line_and_character_and_the_rest_is_read() {
    let folder = Folder::new();
    folder.touch(&["a.jpg", "d.jpg", "e.jpg"]);
    let csv = folder.write(
        "broken.csv",
        "first,prompt\n\
         a.jpg,\"fine\"\n\
         b.jpg,\"bad\"x\n\
         c.jpg,one,two\n\
         d.jpg,\"spans\n\
         two lines\"\n\
         e.jpg,ok,\n\
         f.jpg,\"never closed\n\
         g.jpg,lost\n",
    );
    let source = from_file(&csv).unwrap();
    let lines: Vec<_> = source.items.iter().map(|i| i.origin.clone()).collect();
    assert_eq!(
        lines,
        [2, 5, 7].map(|line| Origin::Line { line }),
        "the good rows (a trailing separator is fine) still count"
    );
    assert_eq!(source.items[1].prompt.as_deref(), Some("spans\ntwo lines"));
    assert_eq!(
        places(&source.problems),
        [
            ("batch_csv_text_after_quote", Some(3), None),
            ("batch_csv_too_many_cells", Some(4), None),
            ("batch_csv_unclosed_quote", Some(8), None),
        ]
    );
    assert!(
        source.problems.iter().all(|p| !p.blocking),
        "the lines are left out, not the batch"
    );
    let texts: Vec<String> = source.problems.iter().map(|p| p.msg.text("en")).collect();
    assert!(
        texts[0].starts_with("Line 3: There is text right after a closing quote at character 12"),
        "{}",
        texts[0]
    );
    assert!(
        texts[1].contains("3 cells but the header names 2 columns"),
        "{}",
        texts[1]
    );
    assert!(
        texts[2].starts_with("Line 8: The quote at character 7 is never closed"),
        "{}",
        texts[2]
    );
    let plan = plan_with(&source, "unused", &[]);
    assert!(plan.can_start());
    assert_eq!(plan.jobs.len(), 3);
}

#[test]
fn jsonl_rows_bad_lines_and_bad_values() {
    let folder = Folder::new();
    folder.touch(&["a.jpg", "c.jpg"]);
    let jsonl = folder.write(
        "batch.jsonl",
        "{\"first\": \"a.jpg\", \"prompt\": \"A cat\", \"duration\": 6, \"draft\": true, \"resolution\": \"480p\", \"takes\": 2}\r\n\
         \n\
         {\"first\": \"b.jpg\", \"prompt\": \"broken\"\n\
         [\"not\", \"an\", \"object\"]\n\
         {\"first\": \"c.jpg\", \"prompt\": [\"a list\"], \"mood\": \"calm\"}\n\
         {\"first\": null, \"prompt\": \"Text only, {mood}\", \"mood\": \"calm\"}\n",
    );
    let source = from_file(&jsonl).unwrap();
    let lines: Vec<_> = source.items.iter().map(|i| i.origin.clone()).collect();
    assert_eq!(lines, [1, 5, 6].map(|line| Origin::Line { line }));
    assert_eq!(
        places(&source.problems),
        [
            ("batch_jsonl_malformed", Some(3), None),
            ("batch_jsonl_not_object", Some(4), None)
        ]
    );
    assert!(source.problems[0].msg.text("en").contains("at character"));
    assert!(BatchIssue::JsonlMalformed {
        char: 1,
        detail: "EOF while parsing".into()
    }
    .raw_cause()
    .is_some());
    let a = &source.items[0];
    assert_eq!(a.settings["duration"], SettingValue::Number(6));
    assert_eq!(a.settings["draft"], SettingValue::Flag(true));
    assert_eq!(a.takes, Some(2));
    let c = &source.items[1];
    assert_eq!(kinds(&c.problems), ["batch_bad_cell_value"]);
    assert_eq!(c.problems[0].at.header.as_deref(), Some("prompt"));
    assert!(c.problems[0]
        .msg
        .text("en")
        .starts_with("Line 5, \"prompt\": [\"a list\"] cannot be a cell"));
    assert_eq!(source.items[2].first_frame, None, "null is an empty cell");

    // `mood` is used by a template, so it is a value, not an unknown column.
    let plan = plan_with(&source, "unused", &[]);
    assert!(
        plan.problems
            .iter()
            .all(|p| p.kind != "batch_unknown_column"),
        "{:?}",
        plan.problems
    );
    assert_eq!(plan.items[2].draft.prompt, "Text only, calm");
    assert!(
        plan.items[1].excluded,
        "a cell that could not be read keeps its row from running"
    );
}

#[test]
fn an_unknown_column_names_itself_suggests_the_likely_one_and_stops_the_batch() {
    let folder = Folder::new();
    folder.touch(&["a.jpg"]);
    let csv = folder.write(
        "typo.csv",
        "first,prompt,resolutoin,colour\na.jpg,,1080p,red\n",
    );
    let source = from_file(&csv).unwrap();
    let plan = plan_with(&source, "unused", &[]);
    assert_eq!(
        places(&plan.problems),
        [
            ("batch_unknown_column", Some(1), Some(3)),
            ("batch_unknown_column", Some(1), Some(4)),
        ]
    );
    assert!(plan.problems.iter().all(|p| p.blocking));
    assert!(
        !plan.can_start(),
        "a misspelt setting would silently not apply"
    );
    let typo = plan.problems[0].msg.text("en");
    assert!(
        typo.contains("\"resolutoin\"") && typo.contains("Did you mean \"resolution\"?"),
        "{typo}"
    );
    assert!(plan.problems[1].msg.text("zh-CN").contains("colour"));

    // The same file, with a form prompt that uses {colour}: only the typo is left.
    let plan = plan_with(&source, "A {Colour} cat", &[]);
    assert_eq!(kinds(&plan.problems), ["batch_unknown_column"]);
    assert_eq!(plan.problems[0].at.header.as_deref(), Some("resolutoin"));
    assert_eq!(plan.items[0].draft.prompt, "A red cat");

    // The place is the line that names the column: after Excel's `sep=` line, or a JSONL key's first row.
    let csv = folder.write("sep.csv", "sep=;\nfirst;prompt;resolutoin\na.jpg;x;1080p\n");
    let plan = plan_with(&from_file(&csv).unwrap(), "", &[]);
    assert_eq!(
        places(&plan.problems),
        [("batch_unknown_column", Some(2), Some(3))]
    );
    let jsonl = folder.write(
        "keys.jsonl",
        "{\"first\": \"a.jpg\", \"prompt\": \"x\"}\n{\"first\": \"a.jpg\", \"prompt\": \"y\", \"colour\": \"red\"}\n",
    );
    let plan = plan_with(&from_file(&jsonl).unwrap(), "", &[]);
    assert_eq!(
        places(&plan.problems),
        [("batch_unknown_column", Some(2), None)]
    );
    assert!(
        plan.problems[0]
            .msg
            .text("en")
            .starts_with("Line 2, \"colour\": The column \"colour\""),
        "{}",
        plan.problems[0].msg.text("en")
    );
}

#[test]
fn repeated_and_reserved_columns_are_named() {
    let folder = Folder::new();
    folder.touch(&["a.jpg"]);
    let csv = folder.write("cols.csv", "first,prompt, Prompt ,name\na.jpg,x,y,z\n");
    let source = from_file(&csv).unwrap();
    assert_eq!(
        places(&source.problems),
        [
            ("batch_duplicate_column", Some(1), Some(3)),
            ("batch_reserved_column", Some(1), Some(4)),
        ]
    );
    assert_eq!(
        source.items[0].prompt.as_deref(),
        Some("x"),
        "the first of two is read"
    );
    assert!(source.problems[1].msg.text("en").contains("{name}"));
    assert!(!plan_with(&source, "", &[]).can_start());
}

#[test]
fn missing_frames_block_their_row_and_paths_outside_the_folder_are_allowed_and_shown() {
    let folder = Folder::new();
    folder.touch(&["batch/a.jpg", "shared/b.jpg"]);
    let absolute = folder.path().join("batch/a.jpg");
    let csv = folder.write(
        "batch/list.csv",
        format!(
            "first,last,prompt\n\
             a.jpg,../shared/b.jpg,ok\n\
             missing.jpg,,x\n\
             ../shared/nope.png,,y\n\
             {},,z\n\
             //server/share/a.jpg,,w\n",
            absolute.display()
        ),
    );
    let source = from_file(&csv).unwrap();
    let items = &source.items;
    assert_eq!(
        places(&items[0].problems),
        [("batch_frame_outside_folder", Some(2), Some(2))]
    );
    assert!(!items[0].problems[0].blocking);
    let outside = items[0].last_frame.as_ref().unwrap();
    assert_eq!(outside.written, "../shared/b.jpg");
    assert_eq!(outside.path, folder.path().join("shared/b.jpg"));
    assert!(outside.outside_folder);
    let shown = items[0].problems[0].msg.text("en");
    assert!(
        shown.contains("\"../shared/b.jpg\"")
            && shown.contains(&outside.path.display().to_string()),
        "{shown}"
    );
    assert_eq!(
        places(&items[1].problems),
        [("batch_frame_not_found", Some(3), Some(1))]
    );
    let missing = items[1].problems[0].msg.text("en");
    assert!(
        missing.contains("\"missing.jpg\"") && missing.contains("batch/missing.jpg"),
        "{missing}"
    );
    assert_eq!(
        kinds(&items[2].problems),
        ["batch_frame_not_found", "batch_frame_outside_folder"]
    );
    assert!(items[3].problems.is_empty(), "{:?}", items[3].problems);
    assert_eq!(items[3].first_frame.as_ref().unwrap().path, absolute);
    // A network share is refused by its text: nothing asks the file system (or a server) about it.
    assert_eq!(
        places(&items[4].problems),
        [("batch_frame_refused", Some(6), Some(1))]
    );
    assert!(items[4].problems[0].blocking);

    let plan = plan_with(&source, "unused", &[]);
    let excluded: Vec<u32> = plan.excluded().map(|i| i.index).collect();
    assert_eq!(excluded, [2, 3, 5]);
    assert_eq!(plan.total.excluded_items, 3);
    assert_eq!(plan.jobs.len(), 2);
    assert!(plan.can_start(), "the valid rows can still run");
}

#[test]
fn bad_cells_and_broken_request_rules_are_placed_at_their_column() {
    let folder = Folder::new();
    folder.touch(&["a.jpg"]);
    let csv = folder.write(
        "cells.csv",
        "first,prompt,draft,duration,takes,resolution,last\n\
         a.jpg,x,maybe,5s,0,1080p,\n\
         a.jpg,y,true,5,2,1080p,\n\
         a.jpg,z,,13,,,\n\
         ,w,,,,,a.jpg\n",
    );
    let source = from_file(&csv).unwrap();
    assert_eq!(
        places(&source.items[0].problems),
        [
            ("batch_bad_flag", Some(2), Some(3)),
            ("batch_bad_number", Some(2), Some(4)),
            ("batch_bad_takes", Some(2), Some(5)),
        ]
    );
    let plan = plan_with(&source, "unused", &[]);
    let request_problems = |i: usize| places(&plan.items[i].problems);
    assert_eq!(
        request_problems(1),
        [("draft_needs_low_resolution", Some(3), Some(6))]
    );
    assert_eq!(
        request_problems(2),
        [("duration_out_of_range", Some(4), Some(4))]
    );
    assert_eq!(
        request_problems(3),
        [("last_frame_without_first", Some(5), Some(7))]
    );
    assert!(plan.items.iter().all(|i| i.excluded));
    assert!(plan.jobs.is_empty() && !plan.can_start());
    assert_eq!(plan.total.jobs, 0);
    assert_eq!(plan.total.tokens_min, 0);
    let takes = source.items[0].problems[2].msg.text("en");
    assert_eq!(
        takes,
        "Line 2, column 5 (takes): \"0\" is not a number of takes. Write a whole number from 1 to 50."
    );
}

#[test]
fn a_repeated_row_is_flagged_but_still_runs() {
    let folder = Folder::new();
    folder.touch(&["a.jpg", "b.jpg"]);
    let csv = folder.write(
        "dup.csv",
        "first,prompt\na.jpg,x\nb.jpg,x\na.jpg,x\na.jpg,x \n",
    );
    let source = from_file(&csv).unwrap();
    assert!(source.items[..2].iter().all(|i| i.problems.is_empty()));
    assert_eq!(
        places(&source.items[2].problems),
        [("batch_duplicate_row", Some(4), None)]
    );
    assert_eq!(
        places(&source.items[3].problems),
        [("batch_duplicate_row", Some(5), None)]
    );
    assert!(source.items[2].problems[0]
        .msg
        .text("en")
        .contains("repeats line 2"));
    let plan = plan_with(&source, "", &[]);
    assert_eq!(
        plan.jobs.len(),
        4,
        "a repeat is a warning: the user may mean it"
    );
}

#[test]
fn files_that_give_nothing_are_refused_with_the_reason() {
    let folder = Folder::new();
    let refused = |name: &str, content: &str| from_file(&folder.write(name, content)).unwrap_err();
    assert!(matches!(
        refused("empty.csv", ""),
        BatchIssue::FileEmpty { .. }
    ));
    assert!(matches!(
        refused("header.csv", "first,prompt\r\n"),
        BatchIssue::FileEmpty { .. }
    ));
    assert!(matches!(
        refused("blank.jsonl", "\n\n"),
        BatchIssue::FileEmpty { .. }
    ));
    let headless = refused("data.csv", "a.jpg,A cat\nb.jpg,A dog\n");
    assert!(
        matches!(headless, BatchIssue::NoHeader { .. }),
        "{headless:?}"
    );
    assert!(headless.msg().text("en").contains("first, last, prompt"));
    let missing = from_file(&folder.path().join("nope.csv")).unwrap_err();
    assert!(matches!(missing, BatchIssue::FileUnreadable { .. }));
    assert!(missing.raw_cause().is_some());

    let huge = folder.path().join("huge.csv");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(MAX_BATCH_FILE_BYTES + 1)
        .unwrap();
    let err = from_file(&huge).unwrap_err();
    assert!(matches!(err, BatchIssue::FileTooLarge { .. }), "{err:?}");
    assert!(
        err.msg().text("en").contains("33.6 MB"),
        "{}",
        err.msg().text("en")
    );
}
