#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;

fn parse(body: &str) -> TaskState {
    parse_task_state(&TaskId("req".into()), body.as_bytes()).unwrap()
}

#[test]
fn both_vocabularies_and_unknown_words() {
    let cases = [
        ("pending", TaskStatus::Queued),
        ("queued", TaskStatus::Queued),
        ("processing", TaskStatus::Running),
        ("RUNNING", TaskStatus::Running),
        ("completed", TaskStatus::Done),
        ("succeeded", TaskStatus::Done),
        ("failed", TaskStatus::Failed),
        ("expired", TaskStatus::Failed),
        ("cancelled", TaskStatus::Failed),
        ("warming_up", TaskStatus::Running),
    ];
    for (word, want) in cases {
        assert_eq!(TaskStatus::from_word(word), want, "{word}");
    }
    assert!(TaskStatus::Done.is_finished() && !TaskStatus::Queued.is_finished());
}

#[test]
fn both_result_shapes() {
    let strings = parse(
        r#"{"id":"t1","status":"completed","result":["https://cdn/x.png","https://cdn/v.MP4?sig=1"]}"#,
    );
    assert_eq!(
        strings.video_url.as_deref(),
        Some("https://cdn/v.MP4?sig=1")
    );
    assert_eq!(strings.id, TaskId("t1".into()));

    let objects = parse(
        r#"{"status":"succeeded","result":[{"type":"image","url":"https://cdn/last.png"},{"type":"video","url":"https://cdn/v"}]}"#,
    );
    assert_eq!(objects.video_url.as_deref(), Some("https://cdn/v"));
    assert_eq!(
        objects.id,
        TaskId("req".into()),
        "missing id falls back to the requested one"
    );

    let first = parse(r#"{"status":"completed","result":["https://cdn/a","https://cdn/b"]}"#);
    assert_eq!(first.video_url.as_deref(), Some("https://cdn/a"));
    let none = parse(r#"{"status":"processing","result":[]}"#);
    assert_eq!(none.video_url, None);
    let null = parse(r#"{"status":"processing","result":null,"error_code":"","error_msg":""}"#);
    assert_eq!(
        (null.video_url, null.error_code, null.error_msg),
        (None, None, None)
    );
}

#[test]
fn failure_message_falls_back_to_code() {
    let with_msg =
        parse(r#"{"status":"failed","error_code":"E1","error_msg":"sensitive content"}"#);
    assert_eq!(with_msg.failure_message(), Some("sensitive content"));
    let code_only = parse(r#"{"status":"failed","error_code":40001,"error_msg":" "}"#);
    assert_eq!(code_only.failure_message(), Some("40001"));
}

#[test]
fn wrapped_and_malformed_replies() {
    let wrapped = parse(r#"{"code":0,"data":{"id":"w","status":"queued"}}"#);
    assert_eq!(
        (wrapped.id.0.as_str(), wrapped.status),
        ("w", TaskStatus::Queued)
    );
    for bad in ["", "{", r#"{"id":"x"}"#, "[1,2]", r#"{"status":""}"#] {
        let err = parse_task_state(&TaskId("r".into()), bad.as_bytes()).unwrap_err();
        assert!(
            matches!(err, ApiError::MalformedReply { .. }),
            "{bad}: {err:?}"
        );
    }
}

#[test]
fn created_ids() {
    assert_eq!(
        parse_created(br#"{"task_id":"abc"}"#),
        Some(TaskId("abc".into()))
    );
    assert_eq!(
        parse_created(br#"{"data":{"task_id":"n"}}"#),
        Some(TaskId("n".into()))
    );
    assert_eq!(parse_created(br#"{"task_id":""}"#), None);
    assert_eq!(parse_created(b"<html>"), None);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parsing_never_panics(body in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_task_state(&TaskId("p".into()), &body);
        }

        #[test]
        fn any_status_word_parses(word in "[a-zA-Z_]{1,20}") {
            let body = serde_json::json!({"status": word, "result": ["https://c/v.mp4"]}).to_string();
            let state = parse_task_state(&TaskId("p".into()), body.as_bytes()).unwrap();
            prop_assert_eq!(state.raw_status, word);
            prop_assert_eq!(state.video_url.as_deref(), Some("https://c/v.mp4"));
        }
    }
}

#[test]
fn a_blank_result_link_is_no_link() {
    for body in [
        r#"{"status":"completed","result":""}"#,
        r#"{"status":"completed","result":"   "}"#,
        r#"{"status":"completed","result":["", {"url":" "}]}"#,
    ] {
        assert_eq!(parse(body).video_url, None, "{body}");
    }
    let after_blank = parse(r#"{"status":"completed","result":["", "https://r/v.mp4"]}"#);
    assert_eq!(after_blank.video_url.as_deref(), Some("https://r/v.mp4"));
}

/// A failure text is stored with the job and shown in the list and in notifications: it is cut to a
/// readable length, whatever the server sends.
#[test]
fn server_texts_are_cut_to_a_readable_length() {
    let long = "x".repeat(100_000);
    let state = parse(&format!(
        r#"{{"status":"failed {long}","error_code":"{long}","error_msg":"{long}"}}"#
    ));
    for text in [
        state.failure_message().unwrap(),
        state.error_code.as_deref().unwrap(),
        state.raw_status.as_str(),
    ] {
        assert!(text.chars().count() <= 301, "{}", text.len());
        assert!(text.ends_with('…'));
    }
    assert_eq!(
        state.status,
        TaskStatus::Running,
        "an unknown word still means running"
    );
}
