//! Server replies: every parser takes any bytes without panicking, and what it returns is usable.

use seedance_core::api::fuzz::parse_replies;
use seedance_core::api::{RetryPolicy, MAX_RETRY_AFTER};
use time::macros::datetime;

/// Longest message the app will show from a server's reply (the parser shortens to far less; this
/// ceiling catches a reply passed on whole).
const MESSAGE_CEILING_CHARS: usize = 1_000;

pub fn check_replies(data: &[u8]) {
    let now = datetime!(2026-12-01 12:00 UTC);
    let parsed = parse_replies(data, now);
    if let Ok(state) = &parsed.task_state {
        assert!(!state.raw_status.trim().is_empty(), "{state:?}");
        if let Some(url) = &state.video_url {
            assert!(
                !url.trim().is_empty(),
                "a blank video link was accepted: {state:?}"
            );
        }
    }
    if let Some(created) = &parsed.created {
        assert!(
            !created.0.trim().is_empty(),
            "an empty task id was accepted"
        );
    }
    if let Ok(upload) = &parsed.upload {
        assert!(
            !upload.url.trim().is_empty(),
            "an upload without a URL was accepted"
        );
    }
    if let Some(message) = &parsed.best_message {
        assert!(!message.trim().is_empty(), "a blank message was extracted");
        assert!(
            message.chars().count() <= MESSAGE_CEILING_CHARS,
            "{} chars",
            message.chars().count()
        );
    }
    if let Some(asked) = parsed.retry_after {
        // The parser reports what the server asked; every policy caps the wait it honours.
        for policy in [RetryPolicy::for_queries(), RetryPolicy::for_transfers()] {
            let wait = policy.delay_honouring(0, asked);
            assert!(
                wait <= MAX_RETRY_AFTER,
                "Retry-After {asked:?} honoured as {wait:?}"
            );
        }
    }
}
