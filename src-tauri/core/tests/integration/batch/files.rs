//! CSV and JSONL batch files read as documented: every column, the encodings and dialects Excel writes, and
//! the examples of the user docs.

use std::collections::BTreeMap;

use seedance_core::batch::{from_file, FrameRef, Origin, SettingValue};

use crate::support::batch::{kinds, plan_with, utf16le_with_mark, Folder};

fn text(value: &str) -> SettingValue {
    SettingValue::Text(value.into())
}

#[test]
fn a_csv_row_holds_frames_prompt_every_setting_takes_preset_and_output() {
    let folder = Folder::new();
    folder.touch(&["a.jpg", "b.png", "shots/c.jpg"]);
    let csv = folder.write(
        "batch.csv",
        "first,last,prompt,resolution,ratio,duration,generate_audio,camera_fixed,draft,watermark,takes,preset,output\n\
         a.jpg,b.png,A cat turns,480p,9:16,auto,no,yes,true,0,3,Mine,cat-{index}\n\
         shots/c.jpg,,,,,,,,,,,,\n",
    );
    let source = from_file(&csv).unwrap();
    assert!(source.problems.is_empty(), "{:?}", source.problems);
    assert_eq!(source.folder.as_deref(), Some(folder.path()));
    assert!(source.columns.iter().all(|c| c.known));
    let [a, c] = &source.items[..] else {
        panic!("{:?}", source.items)
    };
    assert_eq!(a.origin, Origin::Line { line: 2 });
    assert_eq!(
        a.first_frame,
        Some(FrameRef {
            written: "a.jpg".into(),
            path: folder.path().join("a.jpg"),
            outside_folder: false,
        })
    );
    assert_eq!(
        a.last_frame.as_ref().unwrap().path,
        folder.path().join("b.png")
    );
    assert_eq!(a.prompt.as_deref(), Some("A cat turns"));
    let expected: BTreeMap<String, SettingValue> = [
        ("resolution", text("480p")),
        ("ratio", text("9:16")),
        ("duration", SettingValue::Number(-1)),
        ("generate_audio", SettingValue::Flag(false)),
        ("camera_fixed", SettingValue::Flag(true)),
        ("draft", SettingValue::Flag(true)),
        ("watermark", SettingValue::Flag(false)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(a.settings, expected);
    assert_eq!(a.takes, Some(3));
    assert_eq!(a.preset.as_deref(), Some("Mine"));
    assert_eq!(a.output.as_deref(), Some("cat-{index}"));
    assert_eq!(a.name.as_deref(), Some("a"));
    assert!(a.problems.is_empty());

    assert_eq!(c.origin, Origin::Line { line: 3 });
    assert_eq!(c.name.as_deref(), Some("c"));
    assert_eq!(c.first_frame.as_ref().unwrap().written, "shots/c.jpg");
    assert_eq!(
        (c.prompt.as_ref(), c.takes, c.last_frame.as_ref()),
        (None, None, None)
    );
    assert!(c.settings.is_empty(), "empty cells set nothing");
}

#[test]
fn excel_semicolon_csv_with_a_utf8_mark_and_quoted_line_breaks() {
    let folder = Folder::new();
    folder.touch(&["a.jpg", "b.jpg"]);
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(
        "first;prompt;duration\r\na.jpg;\"Line one; still one\r\nline \"\"two\"\"\";6\r\nb.jpg;plain, with a comma;4\r\n"
            .as_bytes(),
    );
    let source = from_file(&folder.write("excel.csv", bytes)).unwrap();
    assert!(source.problems.is_empty(), "{:?}", source.problems);
    let headers: Vec<&str> = source.columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(
        headers,
        ["first", "prompt", "duration"],
        "the mark is not part of the header"
    );
    let prompts: Vec<_> = source
        .items
        .iter()
        .map(|i| i.prompt.as_deref().unwrap())
        .collect();
    assert_eq!(
        prompts,
        ["Line one; still one\nline \"two\"", "plain, with a comma"]
    );
    assert_eq!(source.items[1].origin, Origin::Line { line: 4 });
    assert_eq!(
        source.items[1].settings["duration"],
        SettingValue::Number(4)
    );
}

#[test]
fn excel_unicode_text_is_utf16_with_tabs() {
    let folder = Folder::new();
    folder.touch(&["猫.jpg"]);
    let bytes = utf16le_with_mark("first\tprompt\tratio\r\n猫.jpg\t一只猫, 慢慢转头\t9:16\r\n");
    let source = from_file(&folder.write("unicode.txt", bytes)).unwrap();
    assert!(source.problems.is_empty(), "{:?}", source.problems);
    let item = &source.items[0];
    assert_eq!(item.prompt.as_deref(), Some("一只猫, 慢慢转头"));
    assert_eq!(item.name.as_deref(), Some("猫"));
    assert_eq!(item.settings["ratio"], text("9:16"));
}

#[test]
fn gb18030_from_chinese_excel_is_read_and_the_notice_says_so() {
    let folder = Folder::new();
    folder.touch(&["镜头一.jpg"]);
    let (bytes, _, _) = encoding_rs::GB18030.encode("first,prompt\n镜头一.jpg,一只猫在海边奔跑\n");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the test file must not be UTF-8"
    );
    let source = from_file(&folder.write("中文.csv", bytes)).unwrap();
    assert_eq!(source.items[0].prompt.as_deref(), Some("一只猫在海边奔跑"));
    assert!(
        source.items[0].problems.is_empty(),
        "{:?}",
        source.items[0].problems
    );
    let [notice] = &source.problems[..] else {
        panic!("{:?}", source.problems)
    };
    assert_eq!(notice.kind, "batch_decoded_gb18030");
    assert!(!notice.blocking);
    assert!(notice.msg.text("en").contains("CSV UTF-8"));
    assert!(notice.msg.text("zh-CN").contains("GB18030"));
}

/// The fenced `lang` blocks of the user docs, in order.
fn doc_examples(lang: &str) -> Vec<String> {
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/batch-files.md");
    let text = std::fs::read_to_string(docs).unwrap();
    let fence = format!("```{lang}\n");
    text.split(&fence)
        .skip(1)
        .map(|block| block.split("```").next().unwrap().to_owned())
        .collect()
}

#[test]
fn the_examples_in_the_docs_read_as_documented() {
    let home = crate::support::presets::Home::new();
    let presets = home.open().list().unwrap();
    let folder = Folder::new();
    folder.touch(&[
        "batch/shots/cat_first.jpg",
        "batch/shots/cat_last.jpg",
        "batch/shots/dog.jpg",
        "batch/shots/cat.jpg",
        "shared/logo.png",
    ]);
    let csv = doc_examples("csv");
    let jsonl = doc_examples("json");
    assert_eq!((csv.len(), jsonl.len()), (2, 1), "the docs' examples moved");
    let files = [
        folder.write("batch/example.csv", &csv[0]),
        folder.write("batch/excel.csv", &csv[1]),
        folder.write("batch/example.jsonl", &jsonl[0]),
    ];
    for (file, rows) in files.iter().zip([4, 1, 4]) {
        let source = from_file(file).unwrap();
        let plan = plan_with(&source, "unused", &presets);
        assert!(
            plan.problems.is_empty(),
            "{}: {:?}",
            file.display(),
            plan.problems
        );
        assert_eq!(plan.items.len(), rows);
        for item in &plan.items {
            // The only note the examples earn: the logo is outside the file's folder, as documented.
            let notes = kinds(&item.problems);
            assert!(
                notes.is_empty() || notes == ["batch_frame_outside_folder"],
                "{}: item {}: {:?}",
                file.display(),
                item.index,
                item.problems
            );
            assert!(!item.excluded);
        }
    }
    let source = from_file(&files[0]).unwrap();
    let plan = plan_with(&source, "unused", &presets);
    assert_eq!(
        plan.items[0].draft.prompt,
        "A ginger cat turns its head, then \"smiles\""
    );
    assert_eq!(plan.items[0].output.as_deref(), Some("cat_first-1"));
    assert_eq!(plan.total.jobs, 5);
    let source = from_file(&files[2]).unwrap();
    let plan = plan_with(&source, "unused", &presets);
    assert_eq!(
        plan.items[3].draft.settings.ratio, "9:16",
        "the starter preset applies"
    );
}
