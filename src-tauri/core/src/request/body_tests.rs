#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::*;

fn draft(prompt: &str) -> RequestDraft {
    RequestDraft {
        prompt: prompt.to_owned(),
        ..RequestDraft::default()
    }
}

const FIRST_URL: &str = "https://upload-tmp.sinancode.com/uploads/u/first.png";
const LAST_URL: &str = "https://upload-tmp.sinancode.com/uploads/u/last.png";

#[test]
fn text_only_body_is_exact() {
    let body = draft("A cat")
        .validate()
        .unwrap()
        .to_create_body(None, None)
        .unwrap();
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({
            "prompt": "A cat", "resolution": "720p", "ratio": "adaptive", "duration": 5,
            "generate_audio": true, "camera_fixed": false, "draft": false, "watermark": false
        })
    );
}

#[test]
fn first_frame_body_is_exact_and_ignores_a_url_for_an_absent_frame() {
    let d = RequestDraft {
        first_frame: Some("/home/me/a.png".into()),
        settings: DraftSettings {
            ratio: "9:16".into(),
            resolution: "1080p".into(),
            duration: 10,
            generate_audio: false,
            camera_fixed: true,
            watermark: true,
            ..DraftSettings::default()
        },
        ..draft("镜头缓慢推进")
    };
    let valid = d.validate().unwrap();
    assert_eq!(valid.mode(), GenerationMode::FirstFrame);
    assert_eq!(valid.first_frame(), Some("/home/me/a.png"));
    let body = valid
        .to_create_body(Some(FIRST_URL), Some(LAST_URL))
        .unwrap();
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({
            "prompt": "镜头缓慢推进", "first_frame": FIRST_URL,
            "resolution": "1080p", "ratio": "9:16", "duration": 10,
            "generate_audio": false, "camera_fixed": true, "draft": false, "watermark": true
        })
    );
}

#[test]
fn first_and_last_frame_body_with_auto_duration_is_exact() {
    let d = RequestDraft {
        first_frame: Some("/a.png".into()),
        last_frame: Some("/b.png".into()),
        settings: DraftSettings {
            resolution: "480p".into(),
            ratio: "21:9".into(),
            duration: -1,
            draft: true,
            ..DraftSettings::default()
        },
        ..draft("x")
    };
    let valid = d.validate().unwrap();
    assert_eq!(valid.mode(), GenerationMode::FirstLastFrame);
    let body = valid
        .to_create_body(Some(FIRST_URL), Some(LAST_URL))
        .unwrap();
    let text = serde_json::to_string(&body).unwrap();
    assert!(!text.contains("null"));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text).unwrap(),
        json!({
            "prompt": "x", "first_frame": FIRST_URL, "last_frame": LAST_URL,
            "resolution": "480p", "ratio": "21:9", "duration": -1,
            "generate_audio": true, "camera_fixed": false, "draft": true, "watermark": false
        })
    );
}

#[test]
fn a_present_frame_without_an_uploaded_url_is_refused() {
    let both = RequestDraft {
        first_frame: Some("/a.png".into()),
        last_frame: Some("/b.png".into()),
        ..draft("x")
    }
    .validate()
    .unwrap();
    let first = Err(RequestError::FrameNotUploaded {
        frame: FrameSlot::First,
    });
    let last = Err(RequestError::FrameNotUploaded {
        frame: FrameSlot::Last,
    });
    assert_eq!(both.to_create_body(None, Some(LAST_URL)), first);
    assert_eq!(both.to_create_body(Some(FIRST_URL), None), last);
    assert_eq!(both.to_create_body(Some("/a.png"), Some(LAST_URL)), first);
    assert_eq!(both.to_create_body(Some(FIRST_URL), Some("")), last);
    assert_eq!(
        both.to_create_body(Some("file:///a.png"), Some(LAST_URL)),
        first
    );
    assert_eq!(
        RequestError::FrameNotUploaded {
            frame: FrameSlot::Last
        }
        .problem()
        .field,
        Field::LastFrame
    );
}

#[test]
fn valid_request_round_trips_through_the_draft() {
    let d = RequestDraft {
        first_frame: Some("/a.png".into()),
        settings: DraftSettings {
            ratio: "4:3".into(),
            duration: 12,
            ..DraftSettings::default()
        },
        ..draft("x")
    };
    assert_eq!(d.validate().unwrap().to_draft(), d);
}

#[test]
fn settings_and_duration_serialise_as_the_api_spells_them() {
    let s = Settings {
        duration: Duration::Auto,
        ratio: Ratio::R21x9,
        ..Settings::default()
    };
    let v = serde_json::to_value(s).unwrap();
    assert_eq!(v["duration"], -1);
    assert_eq!(v["ratio"], "21:9");
    assert_eq!(serde_json::from_value::<Settings>(v).unwrap(), s);
    assert!(serde_json::from_value::<Duration>(json!(3)).is_err());
    assert!(serde_json::from_value::<Duration>(json!(-2)).is_err());
    assert_eq!(
        serde_json::from_value::<Duration>(json!(12)).unwrap(),
        Duration::seconds(12).unwrap()
    );
    for r in Ratio::ALL {
        assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        assert_eq!(Ratio::from_api(r.as_str()), Some(r));
    }
    for r in Resolution::ALL {
        assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        assert_eq!(Resolution::from_api(r.as_str()), Some(r));
    }
    assert_eq!(
        serde_json::to_value(GenerationMode::FirstLastFrame).unwrap(),
        "first_last_frame"
    );
}

#[test]
fn a_partial_preset_loads_with_defaults_and_keeps_bad_values_for_reporting() {
    let d: RequestDraft =
        serde_json::from_value(json!({"prompt": "x", "ratio": "wide", "duration": 30})).unwrap();
    assert_eq!(d.settings.resolution, "720p");
    assert!(d.settings.generate_audio);
    assert_eq!(
        d.validate().unwrap_err(),
        vec![
            RequestError::UnknownRatio {
                value: "wide".into()
            },
            RequestError::DurationOutOfRange { value: 30 },
        ]
    );
}

#[test]
fn clip_seconds_cannot_leave_4_to_12() {
    assert!(ClipSeconds::new(3).is_none());
    assert!(ClipSeconds::new(13).is_none());
    assert_eq!(ClipSeconds::new(4).map(ClipSeconds::get), Some(4));
    assert_eq!(Duration::Auto.seconds_range(), (4, 12));
    assert_eq!(Duration::seconds(7).unwrap().seconds_range(), (7, 7));
}

#[test]
fn the_draft_stays_one_flat_object_on_disk_and_over_ipc() {
    // Job history rows, the remembered form and the request fingerprint all hold this JSON: nesting the
    // settings in Rust must not nest them here.
    let d = draft("x");
    let flat = json!({
        "prompt": "x", "first_frame": null, "last_frame": null,
        "resolution": "720p", "ratio": "adaptive", "duration": 5,
        "generate_audio": true, "camera_fixed": false, "draft": false, "watermark": false
    });
    assert_eq!(serde_json::to_value(&d).unwrap(), flat);
    assert_eq!(serde_json::from_value::<RequestDraft>(flat).unwrap(), d);
    assert_eq!(
        serde_json::to_string(&d).unwrap(),
        r#"{"prompt":"x","first_frame":null,"last_frame":null,"resolution":"720p","ratio":"adaptive","duration":5,"generate_audio":true,"camera_fixed":false,"draft":false,"watermark":false}"#,
        "same bytes, same order: the fingerprint of a stored request must not change"
    );
}
