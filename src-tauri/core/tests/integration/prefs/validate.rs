//! Validation of preferences: each bad value is named, with a bilingual message.

use seedance_core::i18n::UserFacing;
use seedance_core::prefs::{Preferences, PrefsError, RateField};

fn problems(p: &Preferences) -> Vec<PrefsError> {
    p.validate().err().unwrap_or_default()
}

fn kinds(p: &Preferences) -> Vec<&'static str> {
    problems(p).iter().map(UserFacing::kind).collect()
}

#[test]
fn api_base_must_be_https_or_loopback_http() {
    for ok in [
        None,
        Some(""),
        Some("  "),
        Some("https://proxy.example.com/v"),
        Some("http://127.0.0.1:8080"),
        Some("http://localhost:9"),
    ] {
        let p = Preferences {
            api_base: ok.map(str::to_owned),
            ..Preferences::default()
        };
        assert_eq!(p.validate(), Ok(()), "{ok:?}");
    }
    for bad in [
        "http://proxy.example.com",
        "not a url",
        "ftp://x.example",
        "https://u:p@x.example",
    ] {
        let p = Preferences {
            api_base: Some(bad.to_owned()),
            ..Preferences::default()
        };
        assert_eq!(kinds(&p), vec!["prefs_invalid_api_base"], "{bad}");
    }
    let p = Preferences {
        api_base: Some("http://proxy.example.com".into()),
        ..Preferences::default()
    };
    let msg = problems(&p)[0].msg();
    assert!(
        msg.text("en").contains("https") && msg.text("zh-CN").contains("https"),
        "{msg:?}"
    );
}

#[test]
fn patterns_with_unknown_or_unclosed_placeholders_are_rejected() {
    for (pattern, named) in [
        ("{date}_{title}", "{title}"),
        ("{DATE}", "{DATE}"),
        ("{date", "{date"),
        ("{}", "{}"),
    ] {
        let p = Preferences {
            file_name_pattern: pattern.into(),
            ..Preferences::default()
        };
        let found = problems(&p);
        assert_eq!(found.len(), 1, "{pattern}");
        let PrefsError::UnknownPlaceholder { placeholder } = &found[0] else {
            panic!("{found:?}");
        };
        assert_eq!(placeholder, named);
        let msg = found[0].msg();
        assert!(msg.text("en").contains(named) && msg.text("zh-CN").contains(named));
        assert!(
            msg.text("en").contains("{prompt}"),
            "the message lists what is allowed"
        );
    }
    for pattern in [
        "{id}",
        "{prompt}",
        "video {date}",
        "{resolution}_{ratio}_{duration}_{time}",
    ] {
        let p = Preferences {
            file_name_pattern: pattern.into(),
            ..Preferences::default()
        };
        assert_eq!(p.validate(), Ok(()), "{pattern}");
    }
}

#[test]
fn patterns_that_render_to_nothing_are_rejected() {
    for pattern in ["", "   ", "///", "...", " - _ "] {
        let p = Preferences {
            file_name_pattern: pattern.into(),
            ..Preferences::default()
        };
        assert_eq!(kinds(&p), vec!["prefs_empty_file_name"], "{pattern:?}");
    }
}

#[test]
fn rates_must_be_finite_and_not_negative() {
    let mut p = Preferences::default();
    p.cost_rates.per_million_with_audio = -1.0;
    p.cost_rates.per_million_without_audio = f64::NAN;
    let found = problems(&p);
    assert!(matches!(
        found[0],
        PrefsError::InvalidRate { field: RateField::WithAudio, value } if value == -1.0
    ));
    assert!(matches!(
        found[1],
        PrefsError::InvalidRate { field: RateField::WithoutAudio, value } if value.is_nan()
    ));
    p.cost_rates.per_million_with_audio = f64::INFINITY;
    p.cost_rates.per_million_without_audio = 0.0;
    assert_eq!(kinds(&p), vec!["prefs_invalid_rate"]);
    p.cost_rates.per_million_with_audio = 0.0;
    assert_eq!(p.validate(), Ok(()));
}

#[test]
fn concurrency_is_one_to_eight() {
    for (jobs, ok) in [
        (0, false),
        (1, true),
        (8, true),
        (9, false),
        (u32::MAX, false),
    ] {
        let p = Preferences {
            max_concurrent_jobs: jobs,
            ..Preferences::default()
        };
        assert_eq!(p.validate().is_ok(), ok, "{jobs}");
    }
    let p = Preferences {
        max_concurrent_jobs: 20,
        ..Preferences::default()
    };
    let msg = problems(&p)[0].msg();
    assert!(
        msg.text("en").contains("20") && msg.text("en").contains("1 to 8"),
        "{}",
        msg.text("en")
    );
    assert!(
        msg.text("zh-CN").contains("20") && msg.text("zh-CN").contains("1 到 8"),
        "{}",
        msg.text("zh-CN")
    );
}

#[test]
fn output_dir_must_be_a_full_path() {
    let p = Preferences {
        output_dir: Some("videos/out".into()),
        ..Preferences::default()
    };
    assert_eq!(kinds(&p), vec!["prefs_relative_output_dir"]);
    let p = Preferences {
        output_dir: Some(std::env::temp_dir().to_string_lossy().into_owned()),
        ..Preferences::default()
    };
    assert_eq!(p.validate(), Ok(()));
}

#[test]
fn all_problems_are_reported_together_with_messages_in_both_languages() {
    let mut p = Preferences {
        api_base: Some("http://example.com".into()),
        file_name_pattern: "{x}".into(),
        max_concurrent_jobs: 0,
        output_dir: Some("rel".into()),
        ..Preferences::default()
    };
    p.cost_rates.per_million_with_audio = -2.0;
    let found = problems(&p);
    assert_eq!(found.len(), 5, "{found:?}");
    for e in &found {
        let msg = e.msg();
        assert!(
            !msg.text("en").is_empty() && !msg.text("zh-CN").is_empty(),
            "{e:?}"
        );
        assert!(
            msg.text("zh-CN")
                .chars()
                .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
            "{e:?}"
        );
        assert!(e.kind().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
    }
}
