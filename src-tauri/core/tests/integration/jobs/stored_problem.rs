//! A failed job's problem as the history keeps it: the catalog key and its arguments (not finished text), so
//! it reads in whichever language the app shows after a restart; and a problem kept without any message
//! says so rather than showing an empty text.

use crate::support::jobs::harness;
use crate::support::text_draft;
use seedance_core::i18n::{Arg, Message};
use seedance_core::store::{JobStatus, NewJob, Store};
use seedance_sim::{SimConfig, TaskFailure, TaskScript};

const REFUSAL: &str = "the prompt was refused by the safety filter";

#[tokio::test]
async fn a_failed_job_is_stored_as_a_catalog_key_and_reads_in_both_languages_after_a_restart() {
    let h = harness(SimConfig::fast(), 3).await;
    h.sim.script_next_task(TaskScript {
        fail: Some(TaskFailure {
            error_code: "content_policy".into(),
            error_msg: REFUSAL.into(),
        }),
        ..TaskScript::default()
    });
    let job = h.runner.submit(text_draft("a cat"), None).await.unwrap();
    assert_eq!(h.settle(&job.id).await.status, JobStatus::Failed);
    let path = h.dir.path().join("jobs.db");
    let dir = h.dir;
    drop((h.runner, h.store, h.sim));

    // The column holds the key and the service's words as an argument.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let stored: String = conn
        .query_row(
            "SELECT error_message FROM jobs WHERE id = ?1",
            [&job.id],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    let stored: Message = serde_json::from_str(&stored).unwrap();
    assert_eq!(stored.key, "msg.pipeline.task_failed", "{stored:?}");
    assert_eq!(stored.args.get("reason"), Some(&Arg::from(REFUSAL)));

    let store = Store::open(&path).unwrap();
    let problem = store.get_job(&job.id).unwrap().problem.unwrap();
    assert_eq!(problem.kind, "task_failed");
    assert_eq!(problem.message, stored);
    assert_eq!(
        problem.message.text("en"),
        format!(
            "SinanCode could not generate the video: {REFUSAL}. If the message points at the prompt or \
             the frames, change them; then generate again."
        )
    );
    assert_eq!(
        problem.message.text("zh-CN"),
        format!("SinanCode 未能生成该视频：{REFUSAL}。如果提示指出了提示词或图片的问题，请先修改，然后重新生成。")
    );
    drop(dir);
}

#[test]
fn a_problem_stored_without_a_message_says_no_reason_was_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.db");
    let id = {
        let store = Store::open(&path).unwrap();
        let job = store.insert_job(NewJob::default()).unwrap();
        store
            .set_failed(
                &job.id,
                "task_failed",
                &Message::new("msg.job.marked_failed"),
            )
            .unwrap();
        job.id
    };
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE jobs SET error_message = NULL WHERE id = ?1", [&id])
        .unwrap();
    drop(conn);

    let problem = Store::open(&path)
        .unwrap()
        .get_job(&id)
        .unwrap()
        .problem
        .unwrap();
    assert_eq!(problem.kind, "task_failed");
    assert_eq!(problem.message.key, "msg.store.reason_not_recorded");
    assert_eq!(
        problem.message.text("en"),
        "No reason was recorded for this problem."
    );
    assert_eq!(problem.message.text("zh-CN"), "未记录该问题的原因。");
}
