#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::request::Duration;

fn settings(ratio: Ratio, resolution: Resolution, duration: Duration) -> Settings {
    Settings {
        ratio,
        resolution,
        duration,
        ..Settings::default()
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn published_example_720p_16x9_5s_is_108900_tokens() {
    assert_eq!(tokens_for(1280, 720, 5), 108_900);
    let e = estimate(
        &settings(
            Ratio::R16x9,
            Resolution::P720,
            Duration::seconds(5).unwrap(),
        ),
        None,
        &CostRates::default(),
    );
    assert_eq!((e.width, e.height), (1280, 720));
    assert_eq!((e.tokens_min, e.tokens_max), (108_900, 108_900));
    assert!(!e.approximate && !e.draft_lower);
}

#[test]
fn every_table_cell() {
    use Resolution::{P1080, P480, P720};
    let table = [
        (Ratio::R16x9, P480, 864, 496),
        (Ratio::R16x9, P720, 1280, 720),
        (Ratio::R16x9, P1080, 1920, 1080),
        (Ratio::R4x3, P480, 752, 560),
        (Ratio::R4x3, P720, 1112, 834),
        (Ratio::R4x3, P1080, 1664, 1248),
        (Ratio::R1x1, P480, 640, 640),
        (Ratio::R1x1, P720, 960, 960),
        (Ratio::R1x1, P1080, 1440, 1440),
        (Ratio::R3x4, P480, 560, 752),
        (Ratio::R3x4, P720, 834, 1112),
        (Ratio::R3x4, P1080, 1248, 1664),
        (Ratio::R9x16, P480, 496, 864),
        (Ratio::R9x16, P720, 720, 1280),
        (Ratio::R9x16, P1080, 1080, 1920),
        (Ratio::R21x9, P480, 992, 432),
        (Ratio::R21x9, P720, 1470, 630),
    ];
    for (ratio, res, w, h) in table {
        let expected = OutputSize {
            width: w,
            height: h,
            approximate: false,
        };
        assert_eq!(output_size(ratio, res, None), expected, "{ratio:?} {res:?}");
        // A fixed ratio ignores the first frame's shape.
        assert_eq!(
            output_size(ratio, res, Some(0.5)),
            expected,
            "{ratio:?} {res:?}"
        );
    }
    assert_eq!(
        output_size(Ratio::R21x9, P1080, None),
        OutputSize {
            width: 2206,
            height: 946,
            approximate: true
        }
    );
    assert!(
        estimate(
            &settings(Ratio::R21x9, P1080, Duration::default()),
            None,
            &CostRates::default()
        )
        .approximate
    );
}

#[test]
fn adaptive_follows_the_nearest_ratio_of_the_first_frame() {
    let cases = [
        (0.56, Ratio::R9x16),
        (1.0, Ratio::R1x1),
        (2.3, Ratio::R21x9),
        (1.7, Ratio::R16x9),
        (1.3, Ratio::R4x3),
        (0.75, Ratio::R3x4),
        (0.4, Ratio::R9x16),
        (2.5, Ratio::R21x9),
    ];
    for (aspect, ratio) in cases {
        assert_eq!(nearest_fixed_ratio(aspect), ratio, "aspect {aspect}");
        assert_eq!(
            resolve_ratio(Ratio::Adaptive, Some(aspect)),
            ratio,
            "aspect {aspect}"
        );
    }
    assert_eq!(
        output_size(Ratio::Adaptive, Resolution::P720, Some(1080.0 / 1920.0)),
        output_size(Ratio::R9x16, Resolution::P720, None)
    );
}

#[test]
fn adaptive_compares_in_log_space() {
    // Between 4:3 (1.333) and 16:9 (1.778) the log midpoint is sqrt(1.333·1.778) = 1.5396, while the
    // linear midpoint is 1.5556: 1.545 separates the two rules.
    assert_eq!(nearest_fixed_ratio(1.545), Ratio::R16x9);
    assert_eq!(nearest_fixed_ratio(1.535), Ratio::R4x3);
}

#[test]
fn adaptive_without_a_usable_frame_is_16x9() {
    for aspect in [
        None,
        Some(0.0),
        Some(-1.0),
        Some(f64::NAN),
        Some(f64::INFINITY),
    ] {
        assert_eq!(
            resolve_ratio(Ratio::Adaptive, aspect),
            Ratio::R16x9,
            "{aspect:?}"
        );
    }
}

#[test]
fn auto_duration_gives_the_4_to_12_second_range() {
    let e = estimate(
        &settings(Ratio::R16x9, Resolution::P720, Duration::Auto),
        None,
        &CostRates::default(),
    );
    assert_eq!(e.tokens_min, tokens_for(1280, 720, 4));
    assert_eq!(e.tokens_max, tokens_for(1280, 720, 12));
    assert_eq!(e.tokens_min, 87_300);
    assert_eq!(e.tokens_max, 260_100);
    assert!(e.cost_min < e.cost_max);
}

#[test]
fn money_at_both_rates() {
    let with_audio = settings(Ratio::R16x9, Resolution::P720, Duration::default());
    let silent = Settings {
        generate_audio: false,
        ..with_audio
    };
    let rates = CostRates::default();
    let e = estimate(&with_audio, None, &rates);
    assert!(
        close(e.cost_min, 0.108_9 * 2.4) && close(e.cost_max, e.cost_min),
        "{e:?}"
    );
    assert_eq!(e.currency, "CNY");
    let e = estimate(&silent, None, &rates);
    assert!(close(e.cost_min, 0.108_9 * 1.2), "{e:?}");

    let usd = CostRates {
        per_million_with_audio: 0.5,
        per_million_without_audio: 0.25,
        currency: "USD".into(),
    };
    let e = estimate(&silent, None, &usd);
    assert!(close(e.cost_min, 0.108_9 * 0.25), "{e:?}");
    assert_eq!(e.currency, "USD");
}

#[test]
fn nonsense_rates_cost_nothing_rather_than_nan() {
    let rates = CostRates {
        per_million_with_audio: f64::NAN,
        ..CostRates::default()
    };
    let e = estimate(&Settings::default(), None, &rates);
    assert_eq!(e.cost_min, 0.0);
    assert!(serde_json::to_string(&e)
        .unwrap()
        .contains("\"cost_min\":0.0"));
}

#[test]
fn draft_is_labelled_lower() {
    let s = Settings {
        draft: true,
        resolution: Resolution::P480,
        ..Settings::default()
    };
    let e = estimate(&s, Some(1.0), &CostRates::default());
    assert!(e.draft_lower);
    assert_eq!((e.width, e.height), (640, 640));
}

#[test]
fn largest_output_fits_in_u32() {
    assert_eq!(tokens_for(2206, 946, 12), 588_972);
    assert_eq!(tokens_for(u32::MAX, u32::MAX, 12), u32::MAX);
}

#[test]
fn rates_default_and_partial_load() {
    let r: CostRates = serde_json::from_str(r#"{"currency":"USD"}"#).unwrap();
    assert_eq!(r.per_million_with_audio, 2.4);
    assert_eq!(r.per_million_without_audio, 1.2);
    assert_eq!(r.currency, "USD");
}
