#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;
use crate::film::ReadError;
use crate::i18n::UserFacing;
use seedance_sim::SAMPLE_MP4;

pub(crate) fn sample_recipe() -> Recipe {
    Recipe {
        format: RECIPE_FORMAT,
        app: "Seedance Studio".into(),
        app_version: "0.1.0".into(),
        created_at: rfc3339(1_764_000_000_000),
        task_id: Some("cgt-2026-abc".into()),
        mode: Some("first_frame".into()),
        prompt: "a fox runs \"fast\" & 狐狸 in the snow".into(),
        settings: DraftSettings::default(),
        first_frame: Some(RecipeFrame {
            file_name: Some("fox.png".into()),
            sha256: Some("ab".repeat(32)),
            url: None,
        }),
        last_frame: None,
        demo: false,
    }
}

/// The top-level boxes of an MP4 held in memory, `(type, bytes)`.
fn top_level(bytes: &[u8]) -> Vec<([u8; 4], &[u8])> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let size = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        out.push((
            bytes[at + 4..at + 8].try_into().unwrap(),
            &bytes[at..at + size],
        ));
        at += size;
    }
    out
}

#[test]
fn a_recipe_reads_back_and_only_the_movie_header_changes() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.mp4");
    std::fs::write(&plain, SAMPLE_MP4).unwrap();
    let tagged = dir.path().join("tagged.mp4");
    let recipe = sample_recipe();
    write_recipe(&plain, &tagged, &recipe).unwrap();
    assert_eq!(read_recipe(&tagged).unwrap(), recipe);
    assert_eq!(
        std::fs::read(&plain).unwrap(),
        SAMPLE_MP4,
        "source untouched"
    );
    assert!(!crate::durable::part_beside(&tagged).exists());

    let bytes = std::fs::read(&tagged).unwrap();
    let (before, after) = (top_level(SAMPLE_MP4), top_level(&bytes));
    let kinds = |v: &[([u8; 4], &[u8])]| v.iter().map(|b| b.0).collect::<Vec<_>>();
    assert_eq!(kinds(&before), kinds(&after));
    for (old, new) in before.iter().zip(&after) {
        if &old.0 != b"moov" {
            assert_eq!(old.1, new.1, "{:?} changed", old.0);
        }
    }
    // Writing again (over the file itself) replaces the recipe instead of adding a second one.
    let mut second = recipe.clone();
    second.prompt = "another prompt".into();
    write_recipe(&tagged, &tagged, &second).unwrap();
    assert_eq!(read_recipe(&tagged).unwrap(), second);
    let again = std::fs::read(&tagged).unwrap();
    let count = |needle: &[u8]| again.windows(needle.len()).filter(|w| *w == needle).count();
    assert_eq!(count(RECIPE_MEAN.as_bytes()), 1);
    assert_eq!(count(b"\xa9cmt"), 1);
    // The encoder's own item (ffprobe's `encoder`) is still there.
    assert_eq!(count(b"\xa9too"), 1);
}

#[test]
fn a_video_without_a_recipe_or_not_a_video_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.mp4");
    std::fs::write(&plain, SAMPLE_MP4).unwrap();
    assert!(matches!(
        read_recipe(&plain),
        Err(RecipeError::NoRecipe { .. })
    ));
    let text = dir.path().join("notes.mp4");
    std::fs::write(&text, b"not a video at all, only some words").unwrap();
    assert!(matches!(
        read_recipe(&text),
        Err(RecipeError::NotAVideo { .. })
    ));
    assert!(matches!(
        read_recipe(&dir.path().join("missing.mp4")),
        Err(RecipeError::Unreadable { .. })
    ));
    // Tagging something that is not an MP4 fails and writes nothing.
    let out = dir.path().join("out.mp4");
    assert!(write_recipe(&text, &out, &sample_recipe()).is_err());
    assert!(!out.exists() && !crate::durable::part_beside(&out).exists());
}

/// Writes `json` as the recipe item of a copy of the sample.
fn with_raw_recipe(dir: &Path, json: &str) -> std::path::PathBuf {
    let plain = dir.join("plain.mp4");
    std::fs::write(&plain, SAMPLE_MP4).unwrap();
    let out = dir.join("raw.mp4");
    crate::film::write_items(
        &plain,
        &out,
        &[TextItem::FreeForm {
            mean: RECIPE_MEAN.into(),
            name: RECIPE_NAME.into(),
            value: json.into(),
        }],
    )
    .unwrap();
    out
}

#[test]
fn a_damaged_or_newer_recipe_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let broken = with_raw_recipe(dir.path(), "{\"format\": 1, \"prompt\": ");
    assert!(matches!(
        read_recipe(&broken),
        Err(RecipeError::Damaged { .. })
    ));
    let wrong_shape = with_raw_recipe(dir.path(), "{\"format\": 1, \"prompt\": 7}");
    assert!(matches!(
        read_recipe(&wrong_shape),
        Err(RecipeError::Damaged { .. })
    ));
    let newer = with_raw_recipe(
        dir.path(),
        "{\"format\": 2, \"app_version\": \"3.0.0\", \"whatever\": []}",
    );
    match read_recipe(&newer) {
        Err(RecipeError::Newer { version, .. }) => assert_eq!(version, "3.0.0"),
        other => panic!("expected Newer, got {other:?}"),
    }
    let msg = RecipeError::Newer {
        path: "a.mp4".into(),
        version: "3.0.0".into(),
    }
    .msg();
    assert_eq!(msg.key, "msg.recipe.newer");
}

#[test]
fn mangled_files_end_in_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let tagged = dir.path().join("tagged.mp4");
    let plain = dir.path().join("plain.mp4");
    std::fs::write(&plain, SAMPLE_MP4).unwrap();
    write_recipe(&plain, &tagged, &sample_recipe()).unwrap();
    let good = std::fs::read(&tagged).unwrap();
    let moov_end = 32 + u32::from_be_bytes(good[32..36].try_into().unwrap()) as usize;
    let probe = dir.path().join("probe.mp4");
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    // Bytes all over the movie header set to extremes, then truncations: never a panic.
    for at in (0..moov_end).step_by(3) {
        for value in [0u8, 0xff] {
            let mut bytes = good.clone();
            bytes[at] = value;
            std::fs::write(&probe, &bytes).unwrap();
            let _ = read_recipe(&probe);
        }
    }
    for cut in (0..moov_end + 64).step_by(7) {
        std::fs::write(&probe, &good[..cut]).unwrap();
        let _ = read_recipe(&probe);
    }
    for _ in 0..200 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut bytes = good.clone();
        let at = (seed as usize) % moov_end;
        bytes[at] ^= (seed >> 32) as u8 | 1;
        std::fs::write(&probe, &bytes).unwrap();
        let _ = read_recipe(&probe);
        let _ = write_recipe(&probe, &dir.path().join("again.mp4"), &sample_recipe());
    }
}

#[test]
fn a_read_error_names_its_kind() {
    let path = Path::new("x.mp4");
    assert!(matches!(
        RecipeError::from_read(path, ReadError::Damaged("d".into())),
        RecipeError::NotAVideo { .. }
    ));
    assert!(matches!(
        RecipeError::from_read(path, ReadError::Io(std::io::ErrorKind::NotFound.into())),
        RecipeError::Unreadable { .. }
    ));
}

#[test]
fn frames_are_found_by_their_bytes_not_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let picture = b"the picture's bytes";
    let sha = hex::encode(Sha256::digest(picture));
    let frames = dir.path().join("frames");
    std::fs::create_dir(&frames).unwrap();
    // A file named after the hash with other bytes is not the frame.
    std::fs::write(frames.join(format!("image-{}.png", &sha[..16])), b"other").unwrap();
    assert_eq!(find_frame(&sha, &[], std::slice::from_ref(&frames)), None);
    let presets = dir.path().join("presets");
    std::fs::create_dir(&presets).unwrap();
    let kept = presets.join(format!("{}.png", &sha[..32]));
    std::fs::write(&kept, picture).unwrap();
    assert_eq!(
        find_frame(&sha, &[], &[frames.clone(), presets.clone()]),
        Some(kept)
    );
    let recorded = dir.path().join("my photo.png");
    std::fs::write(&recorded, picture).unwrap();
    assert_eq!(
        find_frame(&sha, std::slice::from_ref(&recorded), &[frames, presets]),
        Some(recorded)
    );
    assert_eq!(find_frame("not a hash", &[], &[]), None);
}

use sha2::{Digest, Sha256};
