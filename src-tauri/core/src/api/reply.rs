//! Reading what a server said when it said no: the best human message in a JSON, text or HTML error body,
//! and the `Retry-After` header. Error formats are undocumented, so everything here is tolerant.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;
use time::format_description::well_known::Rfc2822;
use time::OffsetDateTime;

/// Longest message shown to a user; proxies sometimes answer with whole web pages.
const MESSAGE_LIMIT: usize = 300;
/// Error bodies larger than this are cut before parsing.
pub(crate) const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Words that mean "you ran out of money", in the languages the service answers in.
const CREDIT_WORDS: [&str; 4] = ["balance", "credit", "insufficient", "余额"];

/// The most useful message in an error body, trimmed; `None` when the body says nothing readable.
pub(crate) fn best_message(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let found = match serde_json::from_str::<Value>(text) {
        Ok(json) => json_message(&json),
        Err(_) => html_title(text).or_else(|| first_text_line(text)),
    };
    found.map(|m| shorten(&m)).filter(|m| !m.is_empty())
}

/// Whether an error body talks about balance or credit (the service has no dedicated status for it).
pub(crate) fn mentions_credit(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body).to_lowercase();
    CREDIT_WORDS.iter().any(|w| text.contains(w))
}

fn json_message(json: &Value) -> Option<String> {
    let as_text = |v: &Value| match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    if let Some(error) = json.get("error") {
        if let Some(inner) = ["message", "msg", "error_msg", "code"]
            .iter()
            .find_map(|k| error.get(k).and_then(as_text))
        {
            return Some(inner);
        }
        if let Some(s) = as_text(error) {
            return Some(s);
        }
    }
    [
        "message",
        "error_msg",
        "msg",
        "detail",
        "code",
        "error_code",
    ]
    .iter()
    .find_map(|k| json.get(k).and_then(as_text))
}

fn html_title(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    // Lowercasing can change byte lengths for some scripts; fall back to no title rather than slicing badly.
    let title = text.get(start..end)?.trim();
    (!title.is_empty()).then(|| collapse_whitespace(title))
}

fn first_text_line(text: &str) -> Option<String> {
    strip_tags(text)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(collapse_whitespace)
}

fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push('\n');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn shorten(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(MESSAGE_LIMIT) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

/// `Retry-After` as delay-seconds or an HTTP date (a date in the past means "now").
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = OffsetDateTime::parse(value, &Rfc2822).ok()?;
    let wait = at - OffsetDateTime::now_utc();
    Some(wait.try_into().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn json_messages_in_order_of_usefulness() {
        let cases = [
            (
                r#"{"error":{"message":"prompt too long","code":"bad"}}"#,
                "prompt too long",
            ),
            (r#"{"error":"invalid ratio"}"#, "invalid ratio"),
            (
                r#"{"message":"  duration out of range "}"#,
                "duration out of range",
            ),
            (r#"{"error_msg":"","code":40012}"#, "40012"),
            (r#"{"detail":"nope"}"#, "nope"),
        ];
        for (body, want) in cases {
            assert_eq!(
                best_message(body.as_bytes()).as_deref(),
                Some(want),
                "{body}"
            );
        }
        assert_eq!(best_message(br#"{"status":"x"}"#), None);
        assert_eq!(best_message(b"   "), None);
    }

    #[test]
    fn html_and_text_bodies() {
        let html = b"<html><head><TITLE>502 Bad\n Gateway</TITLE></head><body>nginx</body></html>";
        assert_eq!(best_message(html).as_deref(), Some("502 Bad Gateway"));
        let no_title = b"<html><body>\n<h1>  Service   Unavailable </h1><p>later</p></body></html>";
        assert_eq!(
            best_message(no_title).as_deref(),
            Some("Service Unavailable")
        );
        assert_eq!(
            best_message("\n\n余额不足\nline 2".as_bytes()).as_deref(),
            Some("余额不足")
        );
        let long = "字".repeat(1000);
        let got = best_message(long.as_bytes()).unwrap();
        assert_eq!(got.chars().count(), MESSAGE_LIMIT + 1);
        assert!(got.ends_with('…'));
    }

    #[test]
    fn credit_words() {
        assert!(mentions_credit(br#"{"error":"Insufficient BALANCE"}"#));
        assert!(mentions_credit("账户余额不足".as_bytes()));
        assert!(!mentions_credit(br#"{"error":"invalid credentials"}"#));
    }

    #[test]
    fn retry_after_forms() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }
}
