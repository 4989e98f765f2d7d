//! A recipe written into clips made by ffmpeg, with the movie header first ("fast start", as the service
//! sends them: every chunk offset moves) and last (ffmpeg's default: none moves): ffmpeg decodes the
//! tagged file to the same frames and samples as the original, and ffprobe shows the comment and the
//! recipe.

use std::path::{Path, PathBuf};
use std::process::Command;

use seedance_core::recipe::{read_recipe, write_recipe, Recipe, RecipeFrame, RECIPE_FORMAT};
use seedance_core::request::DraftSettings;

use super::{decode_errors, have_ffmpeg, make_clip, CLIP};

fn recipe() -> Recipe {
    Recipe {
        format: RECIPE_FORMAT,
        app: "Seedance Studio".into(),
        app_version: "0.1.0".into(),
        created_at: "2026-12-02T10:00:00Z".into(),
        task_id: Some("cgt-20261202-xyz".into()),
        mode: Some("first_frame".into()),
        prompt: "海浪 & \"waves\" at dusk".into(),
        settings: DraftSettings::default(),
        first_frame: Some(RecipeFrame {
            file_name: Some("shore.png".into()),
            sha256: Some("0f".repeat(32)),
            url: None,
        }),
        last_frame: None,
        demo: true,
    }
}

/// Each decoded frame's and audio block's checksum: equal lists mean the same pictures and sound.
fn frame_sums(path: &Path) -> String {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "framemd5", "-"])
        .output()
        .expect("ffmpeg runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn format_tags(path: &Path) -> serde_json::Value {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "format_tags", "-of", "json"])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["format"]["tags"].clone()
}

/// The top-level box types of a file, in order.
fn layout(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let mut out = Vec::new();
    let mut at = 0usize;
    while at + 8 <= bytes.len() {
        let size = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        out.push(String::from_utf8_lossy(&bytes[at + 4..at + 8]).into_owned());
        at += size.max(8);
    }
    out
}

fn fast_start(dir: &Path, clip: &Path) -> PathBuf {
    let out = dir.join("fast.mp4");
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-i"])
        .arg(clip)
        .args(["-c", "copy", "-movflags", "+faststart"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    out
}

#[test]
fn tagged_clips_play_the_same_with_the_movie_header_first_or_last() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let last = make_clip(dir.path(), "last.mp4", CLIP);
    let first = fast_start(dir.path(), &last);
    let position = |p: &Path, kind: &str| layout(p).iter().position(|k| k == kind).unwrap();
    assert!(position(&last, "moov") > position(&last, "mdat"));
    assert!(position(&first, "moov") < position(&first, "mdat"));

    for clip in [&first, &last] {
        let tagged = clip.with_extension("tagged.mp4");
        write_recipe(clip, &tagged, &recipe()).unwrap();
        assert_eq!(read_recipe(&tagged).unwrap(), recipe());
        assert_eq!(
            layout(&tagged),
            layout(clip),
            "same boxes in the same order"
        );
        assert_eq!(
            decode_errors(&tagged),
            "",
            "{} decodes cleanly",
            clip.display()
        );
        assert_eq!(
            frame_sums(&tagged),
            frame_sums(clip),
            "same frames and sound"
        );

        let tags = format_tags(&tagged);
        let comment = tags["comment"].as_str().unwrap_or_default();
        assert!(comment.contains("海浪 & \"waves\" at dusk"), "{tags}");
        let shown: Recipe = serde_json::from_str(tags["recipe"].as_str().unwrap()).unwrap();
        assert_eq!(shown, recipe());
        assert!(
            tags["encoder"].as_str().is_some(),
            "the encoder tag stays: {tags}"
        );
    }
}
