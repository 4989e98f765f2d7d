//! The request rules checked against the simulator's independent reading of the API
//! (`seedance_sim::validate_create_body`).

use proptest::prelude::*;
use serde_json::{json, Map, Value};

use seedance_core::request::{DraftSettings, RequestDraft, ValidRequest};
use seedance_sim::validate_create_body;

const FIRST_URL: &str = "https://upload-tmp.sinancode.com/uploads/u/first.png";
const LAST_URL: &str = "https://upload-tmp.sinancode.com/uploads/u/last.png";

/// The draft sent as it stands, without validation: every raw field copied under the API's name,
/// each frame replaced by an https URL (as if uploaded). A blank frame slot is an empty slot in the
/// raw form (see `RequestDraft`), so it is not sent.
fn raw_json(d: &RequestDraft) -> Value {
    let filled = |frame: &Option<String>| frame.as_deref().is_some_and(|f| !f.trim().is_empty());
    let mut body = Map::new();
    body.insert("prompt".into(), json!(d.prompt));
    if filled(&d.first_frame) {
        body.insert("first_frame".into(), json!(FIRST_URL));
    }
    if filled(&d.last_frame) {
        body.insert("last_frame".into(), json!(LAST_URL));
    }
    body.insert("resolution".into(), json!(d.settings.resolution));
    body.insert("ratio".into(), json!(d.settings.ratio));
    body.insert("duration".into(), json!(d.settings.duration));
    body.insert("generate_audio".into(), json!(d.settings.generate_audio));
    body.insert("camera_fixed".into(), json!(d.settings.camera_fixed));
    body.insert("draft".into(), json!(d.settings.draft));
    body.insert("watermark".into(), json!(d.settings.watermark));
    Value::Object(body)
}

fn body_json(valid: &ValidRequest) -> Value {
    let body = valid
        .to_create_body(Some(FIRST_URL), Some(LAST_URL))
        .unwrap();
    serde_json::to_value(body).unwrap()
}

fn cjk_text(len: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::char::range('\u{4E00}', '\u{9FFF}'), len)
        .prop_map(|chars| chars.into_iter().collect())
}

fn ascii_text(len: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::char::range(' ', '~'), len)
        .prop_map(|chars| chars.into_iter().collect())
}

fn any_prompt() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ \t\n\u{3000}]{1,5}",
        ascii_text(1..=80),
        "\\PC{1,80}",
        cjk_text(1990..=2010),
        ascii_text(1995..=2005),
        (cjk_text(0..=1000), ascii_text(990..=1010)).prop_map(|(a, b)| a + &b),
    ]
}

fn valid_prompt() -> impl Strategy<Value = String> {
    prop_oneof![
        ascii_text(1..=80).prop_filter("not blank", |s| !s.trim().is_empty()),
        cjk_text(1..=2000),
        (cjk_text(1..=1000), ascii_text(0..=1000)).prop_map(|(a, b)| a + &b),
    ]
}

fn any_frame() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("/home/me/a.png".to_owned())),
        Just(Some("C:\\Users\\me\\b.jpg".to_owned())),
        Just(Some("https://example.com/c.webp".to_owned())),
        Just(Some(String::new())),
        Just(Some("  ".to_owned())),
    ]
}

fn word(
    known: &'static [&'static str],
    bad: &'static [&'static str],
) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(known).prop_map(str::to_owned),
        1 => proptest::sample::select(bad).prop_map(str::to_owned),
        1 => "\\PC{0,8}",
    ]
}

const RESOLUTIONS: &[&str] = &["480p", "720p", "1080p"];
const RATIOS: &[&str] = &["adaptive", "16:9", "4:3", "1:1", "3:4", "9:16", "21:9"];

prop_compose! {
    fn any_draft()(
        prompt in any_prompt(),
        first_frame in any_frame(),
        last_frame in any_frame(),
        resolution in word(RESOLUTIONS, &["720P", "4k", "", " 720p", "1080"]),
        ratio in word(RATIOS, &["16x9", "Adaptive", "2:1", "", "9:16 "]),
        duration in prop_oneof![-3i32..=14, any::<i32>()],
        flags in any::<[bool; 4]>(),
    ) -> RequestDraft {
        let [generate_audio, camera_fixed, draft, watermark] = flags;
        RequestDraft {
            prompt, first_frame, last_frame,
            settings: DraftSettings {
                resolution, ratio, duration, generate_audio, camera_fixed, draft, watermark,
            },
        }
    }
}

prop_compose! {
    fn valid_draft()(
        prompt in valid_prompt(),
        frames in prop_oneof![
            Just((None, None)),
            Just((Some("/a.png".to_owned()), None)),
            Just((Some("/a.png".to_owned()), Some("/b.png".to_owned()))),
        ],
        resolution in proptest::sample::select(RESOLUTIONS),
        ratio in proptest::sample::select(RATIOS),
        duration in prop_oneof![Just(-1i32), 4i32..=12],
        flags in any::<[bool; 4]>(),
    ) -> RequestDraft {
        let [generate_audio, camera_fixed, draft, watermark] = flags;
        RequestDraft {
            prompt,
            first_frame: frames.0,
            last_frame: frames.1,
            settings: DraftSettings {
                resolution: if draft { "480p" } else { resolution }.to_owned(),
                ratio: ratio.to_owned(),
                duration,
                generate_audio, camera_fixed, draft, watermark,
            },
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// (1) What we accept, the service accepts.
    #[test]
    fn accepted_drafts_serialise_to_bodies_the_service_accepts(d in valid_draft()) {
        let valid = d.validate().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let body = body_json(&valid);
        prop_assert_eq!(validate_create_body(&body), Ok(()), "body {}", body);
    }

    /// (1) again, over arbitrary drafts: whenever validation passes, the service agrees.
    #[test]
    fn any_draft_that_validates_is_accepted(d in any_draft()) {
        if let Ok(valid) = d.validate() {
            let body = body_json(&valid);
            prop_assert_eq!(validate_create_body(&body), Ok(()), "body {}", body);
        }
    }

    /// (2) What the service would refuse, we refuse first.
    #[test]
    fn drafts_the_service_refuses_fail_validation(d in any_draft()) {
        if let Err(service_says) = validate_create_body(&raw_json(&d)) {
            prop_assert!(
                d.validate().is_err(),
                "service refused {:?} but validate() passed: {:?}", d, service_says
            );
        }
    }

    /// The raw mapping used in (2) is the real create body whenever the draft is valid and its frames
    /// are not blank, so (2) tests what would actually be sent.
    #[test]
    fn raw_mapping_matches_the_create_body(d in valid_draft()) {
        let valid = d.validate().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(body_json(&valid), raw_json(&d));
    }
}

#[test]
fn the_generators_reach_both_sides_of_the_rules() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = any_draft();
    let (mut valid, mut refused_by_service) = (0, 0);
    for _ in 0..2000 {
        let d = strategy.new_tree(&mut runner).unwrap().current();
        valid += usize::from(d.validate().is_ok());
        refused_by_service += usize::from(validate_create_body(&raw_json(&d)).is_err());
    }
    assert!(valid > 20, "only {valid} valid drafts generated");
    assert!(
        refused_by_service > 200,
        "only {refused_by_service} refused drafts generated"
    );
}
