//! Strict validation of a create body, per §1 of the API sheet.
//!
//! Stricter than the real service on purpose (unknown fields, `null`s): the simulator exists to catch
//! client serialisation mistakes before they reach a paid endpoint.

use serde_json::{Map, Value};

pub const MAX_PROMPT_CHARS: usize = 2000;
pub const RATIOS: [&str; 7] = ["16:9", "4:3", "1:1", "3:4", "9:16", "21:9", "adaptive"];
pub const RESOLUTIONS: [&str; 3] = ["480p", "720p", "1080p"];
const BOOLEAN_FIELDS: [&str; 4] = ["camera_fixed", "draft", "generate_audio", "watermark"];
const KNOWN_FIELDS: [&str; 10] = [
    "prompt",
    "camera_fixed",
    "draft",
    "duration",
    "first_frame",
    "last_frame",
    "generate_audio",
    "ratio",
    "resolution",
    "watermark",
];

/// Pure validation of a create body exactly as the API sheet says; Ok or every violation (one message each).
pub fn validate_create_body(body: &Value) -> Result<(), Vec<String>> {
    let Some(fields) = body.as_object() else {
        return Err(vec!["request body must be a JSON object".to_owned()]);
    };
    let mut violations = Vec::new();
    check_unknown_fields(fields, &mut violations);
    check_prompt(fields.get("prompt"), &mut violations);
    check_duration(fields.get("duration"), &mut violations);
    check_enum(fields, "ratio", &RATIOS, &mut violations);
    check_enum(fields, "resolution", &RESOLUTIONS, &mut violations);
    for name in BOOLEAN_FIELDS {
        if let Some(value) = fields.get(name) {
            if !value.is_boolean() {
                violations.push(format!(
                    "{name} must be a boolean (true or false), got {value}"
                ));
            }
        }
    }
    check_draft(fields, &mut violations);
    check_frames(fields, &mut violations);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}

fn check_unknown_fields(fields: &Map<String, Value>, violations: &mut Vec<String>) {
    let mut unknown: Vec<&String> = fields
        .keys()
        .filter(|key| !KNOWN_FIELDS.contains(&key.as_str()))
        .collect();
    unknown.sort();
    for key in unknown {
        violations.push(format!("unknown field `{key}`"));
    }
}

fn check_prompt(prompt: Option<&Value>, violations: &mut Vec<String>) {
    match prompt {
        None => violations.push("prompt is required".to_owned()),
        Some(Value::String(text)) => {
            let chars = text.chars().count();
            if chars == 0 {
                violations.push("prompt must not be empty".to_owned());
            } else if chars > MAX_PROMPT_CHARS {
                violations.push(format!(
                    "prompt must be at most {MAX_PROMPT_CHARS} characters, got {chars}"
                ));
            }
        }
        Some(other) => violations.push(format!("prompt must be a string, got {other}")),
    }
}

fn check_duration(duration: Option<&Value>, violations: &mut Vec<String>) {
    let Some(value) = duration else { return };
    // `5.0` is a float in JSON terms; the API's schema says integer.
    let seconds = value.as_i64().or_else(|| value.as_u64().map(|_| i64::MAX));
    match seconds {
        Some(-1) | Some(4..=12) => {}
        Some(_) => violations.push(format!(
            "duration must be -1 (model chooses) or an integer from 4 to 12, got {value}"
        )),
        None => violations.push(format!("duration must be an integer, got {value}")),
    }
}

fn check_enum(
    fields: &Map<String, Value>,
    name: &str,
    allowed: &[&str],
    violations: &mut Vec<String>,
) {
    let Some(value) = fields.get(name) else {
        return;
    };
    let ok = value.as_str().is_some_and(|word| allowed.contains(&word));
    if !ok {
        violations.push(format!(
            "{name} must be one of {}, got {value}",
            allowed.join(", ")
        ));
    }
}

fn check_draft(fields: &Map<String, Value>, violations: &mut Vec<String>) {
    if fields.get("draft") != Some(&Value::Bool(true)) {
        return;
    }
    let resolution = fields.get("resolution").and_then(Value::as_str);
    if resolution != Some("480p") {
        let shown = resolution.unwrap_or("720p (the default)");
        violations.push(format!("draft requires resolution 480p, got {shown}"));
    }
}

fn check_frames(fields: &Map<String, Value>, violations: &mut Vec<String>) {
    for name in ["first_frame", "last_frame"] {
        if let Some(value) = fields.get(name) {
            let ok = value.as_str().is_some_and(is_http_url);
            if !ok {
                violations.push(format!("{name} must be an http(s) URL string, got {value}"));
            }
        }
    }
    if fields.contains_key("last_frame") && !fields.contains_key("first_frame") {
        violations.push("last_frame requires first_frame".to_owned());
    }
}

/// Deliberately simple: a scheme, a non-empty host, no whitespace.
pub fn is_http_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn minimal_body_is_valid() {
        assert_eq!(validate_create_body(&json!({"prompt": "a cat"})), Ok(()));
    }

    #[test]
    fn float_duration_is_rejected() {
        let errors = validate_create_body(&json!({"prompt": "a", "duration": 5.0})).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("integer"), "{errors:?}");
    }

    #[test]
    fn huge_unsigned_duration_is_rejected() {
        let errors =
            validate_create_body(&json!({"prompt": "a", "duration": u64::MAX})).unwrap_err();
        assert!(errors[0].contains("from 4 to 12"), "{errors:?}");
    }

    #[test]
    fn url_check() {
        assert!(is_http_url("https://example.com/a.png"));
        assert!(is_http_url("http://127.0.0.1:9/x"));
        assert!(!is_http_url("ftp://example.com/a.png"));
        assert!(!is_http_url("https:///a.png"));
        assert!(!is_http_url("https://exa mple.com/a.png"));
        assert!(!is_http_url("/tmp/a.png"));
    }

    #[test]
    fn null_frame_is_rejected() {
        let errors =
            validate_create_body(&json!({"prompt": "a", "first_frame": null})).unwrap_err();
        assert!(errors[0].contains("first_frame"), "{errors:?}");
    }
}
