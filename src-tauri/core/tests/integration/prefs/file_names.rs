//! Result file names: rendering, portability, uniqueness, and the output folder.

use std::fs;

use seedance_core::i18n::UserFacing;
use seedance_core::prefs::{
    ensure_output_dir, render_file_name, render_file_name_with, resolve_output_dir, unique_path,
    FileNameParts, Preferences, PrefsError, FALLBACK_FILE_NAME, MAX_FILE_NAME_CHARS,
};
use seedance_core::request::{Duration, Ratio, Resolution, Settings};
use time::macros::datetime;
use time::OffsetDateTime;

const WHEN: OffsetDateTime = datetime!(2025-03-07 09:05:03 +08:00);
const DEFAULT: &str = "{date}_{time}_{prompt}";

fn render(pattern: &str, prompt: &str) -> String {
    render_file_name(pattern, WHEN, prompt, "a1b2c3")
}

/// Portable on Windows, macOS and Linux.
fn assert_portable(name: &str) {
    assert!(!name.is_empty());
    assert!(name.chars().count() <= MAX_FILE_NAME_CHARS, "{name}");
    assert!(name.len() <= 255, "{name}");
    assert!(
        !name
            .chars()
            .any(|c| "<>:\"/\\|?*".contains(c) || c.is_control()),
        "{name:?}"
    );
    assert!(!name.ends_with('.') && !name.ends_with(' '), "{name:?}");
    assert!(!name.starts_with('.') && !name.starts_with(' '), "{name:?}");
    let first = name.split('.').next().unwrap().to_ascii_uppercase();
    assert!(
        !["CON", "PRN", "AUX", "NUL", "COM1", "LPT1"].contains(&first.as_str()),
        "{name}"
    );
}

#[test]
fn default_pattern_uses_the_callers_local_time() {
    assert_eq!(
        render(DEFAULT, "A cat walks on the moon."),
        "2025-03-07_09-05-03_A-cat-walks-on-the-moon"
    );
    assert_eq!(render("{id}", "x"), "a1b2c3");
}

#[test]
fn chinese_prompts_keep_their_characters() {
    let name = render(DEFAULT, "一只猫，在月球上散步。“你好！”");
    assert_eq!(name, "2025-03-07_09-05-03_一只猫-在月球上散步-你好");
    assert_portable(&name);
    assert_eq!(
        render("{prompt}", "夕焼けの東京タワー"),
        "夕焼けの東京タワー"
    );
    assert_eq!(render("{prompt}", "서울의 밤"), "서울의-밤");
}

#[test]
fn emoji_and_slashes_become_separators() {
    assert_eq!(render("{prompt}", "cat 🐱🚀 rocket"), "cat-rocket");
    assert_eq!(
        render("{prompt}", "a/b\\c:d*e?f\"g<h>i|j"),
        "a-b-c-d-e-f-g-h-i-j"
    );
    assert_eq!(render("{prompt}", "../../etc/passwd"), "etc-passwd");
    assert_eq!(render("{prompt}", "🐱🚀"), FALLBACK_FILE_NAME);
    // Forbidden characters typed into the pattern itself are made safe too.
    let name = render("clip: {id}/v1?", "x");
    assert_eq!(name, "clip- a1b2c3-v1");
    assert_portable(&name);
}

#[test]
fn windows_reserved_names_are_avoided() {
    for prompt in ["CON", "con", "Nul", "aux", "COM1", "lpt9"] {
        let name = render("{prompt}", prompt);
        assert_portable(&name);
        assert!(
            name.to_ascii_lowercase()
                .starts_with(&prompt.to_ascii_lowercase()),
            "{name}"
        );
    }
    let name = render("nul.{id}", "x");
    assert_eq!(name, "nul_.a1b2c3");
    // Windows reads superscript digits as digits: COM¹ is COM1.
    for (prompt, safe) in [
        ("COM¹", "COM¹_"),
        ("lpt²", "lpt²_"),
        ("Com³", "Com³_"),
        ("LPT0", "LPT0_"),
    ] {
        assert_eq!(render("{prompt}", prompt), safe);
    }
    assert_eq!(render("com¹.{id}", "x"), "com¹_.a1b2c3");
    assert_eq!(render("{prompt}", "console"), "console");
}

#[test]
fn long_prompts_are_cut_to_a_short_slug() {
    let name = render(DEFAULT, &"moonlight ".repeat(100));
    assert_portable(&name);
    let slug = name.trim_start_matches("2025-03-07_09-05-03_");
    assert!(slug.chars().count() <= 40 && !slug.ends_with('-'), "{slug}");
    let name = render("{prompt}", &"长".repeat(500));
    assert_eq!(name.chars().count(), 40);
}

#[test]
fn long_patterns_stay_within_the_limits() {
    let name = render(&format!("{}{{prompt}}", "x".repeat(300)), "y");
    assert_eq!(name.chars().count(), MAX_FILE_NAME_CHARS);
    let name = render(&format!("{}{{id}}", "界".repeat(300)), "y");
    assert_portable(&name);
    assert!(name.len() <= 200, "{} bytes", name.len());
    let name = render(&format!("{}. . .{{id}}", "a".repeat(118)), "y");
    assert_portable(&name);
}

#[test]
fn empty_or_unusable_results_fall_back() {
    assert_eq!(render(DEFAULT, ""), "2025-03-07_09-05-03");
    assert_eq!(render("{prompt}", ""), FALLBACK_FILE_NAME);
    assert_eq!(render("{prompt}", "   ...   "), FALLBACK_FILE_NAME);
    assert_eq!(render("", "x"), FALLBACK_FILE_NAME);
    assert_eq!(render(" . ", "x"), FALLBACK_FILE_NAME);
    assert_eq!(render("\u{202E}{prompt}\u{200B}", "abc"), "abc");
}

#[test]
fn an_invalid_saved_pattern_still_names_the_file() {
    let name = render("{nope}_{id}", "x");
    assert_portable(&name);
    assert_eq!(name, "{nope}_{id}");
}

#[test]
fn settings_placeholders_render_when_given() {
    let settings = Settings {
        resolution: Resolution::P1080,
        ratio: Ratio::R9x16,
        duration: Duration::seconds(8).unwrap(),
        ..Settings::default()
    };
    let parts = FileNameParts {
        when: WHEN,
        prompt: "x",
        job_short_id: "j1",
        settings: Some(&settings),
        batch: None,
    };
    assert_eq!(
        render_file_name_with("{resolution}_{ratio}_{duration}_{id}", &parts),
        "1080p_9x16_8s_j1"
    );
    let auto = Settings {
        duration: Duration::Auto,
        ..settings
    };
    let parts = FileNameParts {
        settings: Some(&auto),
        ..parts
    };
    assert_eq!(render_file_name_with("{duration}", &parts), "auto");
    assert_eq!(render("{ratio}_{id}", "x"), "a1b2c3");
}

#[test]
fn unique_path_counts_up_past_taken_names() {
    let dir = tempfile::tempdir().unwrap();
    let first = unique_path(dir.path(), "clip", "mp4");
    assert_eq!(first, dir.path().join("clip.mp4"));
    fs::write(&first, b"1").unwrap();
    let second = unique_path(dir.path(), "clip", ".mp4");
    assert_eq!(second, dir.path().join("clip (2).mp4"));
    fs::write(&second, b"2").unwrap();
    // A download in progress holds its name too.
    fs::write(dir.path().join("clip (3).mp4.part"), b"").unwrap();
    assert_eq!(
        unique_path(dir.path(), "clip", "mp4"),
        dir.path().join("clip (4).mp4")
    );
    assert_eq!(
        unique_path(dir.path(), "other", "mp4"),
        dir.path().join("other.mp4")
    );
}

#[test]
fn output_dir_resolves_the_choice_or_a_default() {
    let data = tempfile::tempdir().unwrap();
    let chosen = data.path().join("my videos");
    let prefs = Preferences {
        output_dir: Some(chosen.to_string_lossy().into_owned()),
        ..Preferences::default()
    };
    assert_eq!(resolve_output_dir(&prefs, data.path()), chosen);
    let default = resolve_output_dir(&Preferences::default(), data.path());
    assert!(
        default.ends_with("Seedance Studio") || default == data.path().join("videos"),
        "{default:?}"
    );
}

#[test]
fn ensure_output_dir_creates_and_checks_the_folder() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("a").join("b");
    ensure_output_dir(&dir).unwrap();
    assert!(dir.is_dir());
    assert_eq!(
        fs::read_dir(&dir).unwrap().count(),
        0,
        "the write check leaves nothing"
    );
    ensure_output_dir(&dir).unwrap();

    let file = root.path().join("file");
    fs::write(&file, b"x").unwrap();
    let err = ensure_output_dir(&file).unwrap_err();
    assert!(matches!(err, PrefsError::OutputDirUnusable { .. }));
    assert_eq!(err.kind(), "output_dir_unusable");
    let msg = err.msg();
    assert!(
        msg.text("en").contains(&file.display().to_string()) && msg.text("en").contains("Settings")
    );
    assert!(
        msg.text("zh-CN").contains(&file.display().to_string())
            && msg.text("zh-CN").contains("设置")
    );
    assert!(ensure_output_dir(&file.join("below")).is_err());
}

/// `{batch}`, `{item}` and `{take}` name a batch job's place; a single job renders them as nothing.
#[test]
fn batch_placeholders_name_the_batch_and_place_and_are_empty_for_single_jobs() {
    use seedance_core::prefs::{output_file_name, BatchPlace};
    let place = FileNameParts {
        when: WHEN,
        prompt: "a cat",
        job_short_id: "j1",
        settings: None,
        batch: Some(BatchPlace {
            name: "Spring / 春季 shoes",
            item: 12,
            take: 3,
        }),
    };
    assert_eq!(
        render_file_name_with("{batch}-{item}-{take}_{prompt}", &place),
        "Spring-春季-shoes-12-3_a-cat"
    );
    let single = FileNameParts {
        batch: None,
        ..place
    };
    assert_eq!(
        render_file_name_with("{batch}-{item}-{take}_{prompt}", &single),
        "a-cat"
    );
    assert_eq!(
        render_file_name_with("{batch}{item}", &single),
        FALLBACK_FILE_NAME
    );
    // An item's own output name: portable, one extension, never empty.
    assert_eq!(output_file_name("shots/hero.MP4"), "shots-hero");
    assert_eq!(output_file_name("  .mp4 "), FALLBACK_FILE_NAME);
    assert_eq!(output_file_name("日落 sunset"), "日落 sunset");
}
