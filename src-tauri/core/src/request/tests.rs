#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::i18n::UserFacing;

fn draft(prompt: &str) -> RequestDraft {
    RequestDraft {
        prompt: prompt.to_owned(),
        ..RequestDraft::default()
    }
}

fn errors_of(d: &RequestDraft) -> Vec<RequestError> {
    d.validate().expect_err("draft should be refused")
}

#[test]
fn defaults_are_the_api_defaults() {
    let s = Settings::default();
    assert_eq!(s.resolution, Resolution::P720);
    assert_eq!(s.ratio, Ratio::Adaptive);
    assert_eq!(s.duration.to_api(), 5);
    assert!(s.generate_audio && !s.camera_fixed && !s.draft && !s.watermark);
    let d = RequestDraft::default();
    assert_eq!(
        (
            d.settings.resolution.as_str(),
            d.settings.ratio.as_str(),
            d.settings.duration
        ),
        ("720p", "adaptive", 5)
    );
}

#[test]
fn a_plain_prompt_is_valid() {
    let valid = draft("A cat walks across a sunny kitchen")
        .validate()
        .unwrap();
    assert_eq!(valid.mode(), GenerationMode::TextToVideo);
    assert_eq!(valid.settings(), &Settings::default());
}

#[test]
fn empty_and_whitespace_prompts_are_refused() {
    assert_eq!(errors_of(&draft("")), vec![RequestError::EmptyPrompt]);
    assert_eq!(
        errors_of(&draft(" \t\n　")),
        vec![RequestError::EmptyPrompt]
    );
}

#[test]
fn prompt_limit_counts_characters_not_bytes() {
    assert!(draft(&"猫".repeat(2000)).validate().is_ok());
    assert_eq!(
        errors_of(&draft(&"猫".repeat(2001))),
        vec![RequestError::PromptTooLong { chars: 2001 }]
    );
    assert!(draft(&"a".repeat(2000)).validate().is_ok());
}

#[test]
fn duration_accepts_auto_and_4_to_12_only() {
    for ok in [-1, 4, 5, 12] {
        let d = RequestDraft {
            settings: DraftSettings {
                duration: ok,
                ..DraftSettings::default()
            },
            ..draft("x")
        };
        assert!(d.validate().is_ok(), "{ok} should be accepted");
    }
    for bad in [i32::MIN, -2, 0, 1, 3, 13, 255, 256, i32::MAX] {
        let d = RequestDraft {
            settings: DraftSettings {
                duration: bad,
                ..DraftSettings::default()
            },
            ..draft("x")
        };
        assert_eq!(
            errors_of(&d),
            vec![RequestError::DurationOutOfRange { value: bad }]
        );
    }
}

#[test]
fn draft_mode_needs_480p() {
    let ok = RequestDraft {
        settings: DraftSettings {
            draft: true,
            resolution: "480p".into(),
            ..DraftSettings::default()
        },
        ..draft("x")
    };
    assert!(ok.validate().unwrap().settings().draft);
    for res in ["720p", "1080p"] {
        let d = RequestDraft {
            settings: DraftSettings {
                draft: true,
                resolution: res.into(),
                ..DraftSettings::default()
            },
            ..draft("x")
        };
        assert_eq!(
            errors_of(&d),
            vec![RequestError::DraftNeedsLowResolution {
                resolution: res.into()
            }]
        );
    }
}

#[test]
fn last_frame_needs_first_frame() {
    let d = RequestDraft {
        last_frame: Some("/tmp/b.png".into()),
        ..draft("x")
    };
    assert_eq!(d.mode(), None);
    assert_eq!(errors_of(&d), vec![RequestError::LastFrameWithoutFirst]);
    let blank_first = RequestDraft {
        first_frame: Some("  ".into()),
        ..d
    };
    assert_eq!(
        errors_of(&blank_first),
        vec![RequestError::LastFrameWithoutFirst]
    );
}

#[test]
fn unknown_words_are_reported_verbatim() {
    let d = RequestDraft {
        settings: DraftSettings {
            resolution: "720P".into(),
            ratio: "16x9".into(),
            ..DraftSettings::default()
        },
        ..draft("x")
    };
    assert_eq!(
        errors_of(&d),
        vec![
            RequestError::UnknownResolution {
                value: "720P".into()
            },
            RequestError::UnknownRatio {
                value: "16x9".into()
            },
        ]
    );
}

#[test]
fn every_problem_is_reported_in_a_stable_order() {
    let d = RequestDraft {
        prompt: "   ".into(),
        first_frame: None,
        last_frame: Some("/tmp/b.png".into()),
        settings: DraftSettings {
            resolution: "4k".into(),
            ratio: "2:1".into(),
            duration: 0,
            draft: true,
            ..DraftSettings::default()
        },
    };
    let errors = errors_of(&d);
    assert_eq!(
        errors,
        vec![
            RequestError::EmptyPrompt,
            RequestError::LastFrameWithoutFirst,
            RequestError::UnknownResolution { value: "4k".into() },
            RequestError::UnknownRatio {
                value: "2:1".into()
            },
            RequestError::DurationOutOfRange { value: 0 },
            RequestError::DraftNeedsLowResolution {
                resolution: "4k".into()
            },
        ]
    );
    let kinds: Vec<String> = describe(&errors).into_iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            "empty_prompt",
            "last_frame_without_first",
            "unknown_resolution",
            "unknown_ratio",
            "duration_out_of_range",
            "draft_needs_low_resolution",
        ]
    );
    let fields: Vec<Field> = describe(&errors).into_iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        [
            Field::Prompt,
            Field::LastFrame,
            Field::Resolution,
            Field::Ratio,
            Field::Duration,
            Field::Resolution,
        ]
    );
}

#[test]
fn too_long_prompt_and_high_resolution_draft_together() {
    let d = RequestDraft {
        settings: DraftSettings {
            draft: true,
            resolution: "1080p".into(),
            ..DraftSettings::default()
        },
        ..draft(&"x".repeat(2500))
    };
    assert_eq!(
        errors_of(&d),
        vec![
            RequestError::PromptTooLong { chars: 2500 },
            RequestError::DraftNeedsLowResolution {
                resolution: "1080p".into()
            },
        ]
    );
}

#[test]
fn every_message_is_bilingual_and_kinds_are_distinct() {
    let all = [
        RequestError::EmptyPrompt,
        RequestError::PromptTooLong { chars: 2001 },
        RequestError::LastFrameWithoutFirst,
        RequestError::UnknownResolution { value: "4k".into() },
        RequestError::UnknownRatio {
            value: "2:1".into(),
        },
        RequestError::DurationOutOfRange { value: 3 },
        RequestError::DraftNeedsLowResolution {
            resolution: "720p".into(),
        },
        RequestError::FrameNotUploaded {
            frame: FrameSlot::First,
        },
    ];
    let mut kinds: Vec<&str> = all.iter().map(|e| e.kind()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), all.len());
    for e in &all {
        let msg = e.msg();
        assert_ne!(msg.key, "msg.text", "a catalog key, not fixed text");
        assert!(msg.text("en").ends_with('.'), "{msg:?}");
        assert!(msg.text("zh-CN").ends_with('。'), "{msg:?}");
        assert!(
            msg.text("zh-CN")
                .chars()
                .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
            "{msg:?}"
        );
    }
    assert!(RequestError::PromptTooLong { chars: 2001 }
        .msg()
        .text("en")
        .contains("by 1"));
}

#[test]
fn problem_serialises_for_the_ui() {
    let p = RequestError::DurationOutOfRange { value: 3 }.problem();
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["kind"], "duration_out_of_range");
    assert_eq!(v["field"], "duration");
    let msg: crate::i18n::Message = serde_json::from_value(v["msg"].clone()).unwrap();
    assert!(msg.text("en").contains('3'));
}
