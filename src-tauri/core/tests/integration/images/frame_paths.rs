//! A frame path that is not a plain local file is refused before anything reads it, on every way a frame
//! path reaches the core: intake (the preview, the fixes and crops, the check before upload) and presets.

use std::path::Path;

use seedance_core::i18n::UserFacing;
use seedance_core::images::{
    apply_fix, crop_to_ratio, intake, FixKind, ImageError, IntakeOptions, PathRefusal,
};
use seedance_core::presets::{PresetError, PresetParts};
use seedance_core::request::RequestDraft;

use crate::support::presets::{form, Home};

const REFUSED: [&str; 9] = [
    r"\\server\share\photo.png",
    "//server/share/photo.png",
    r"\\?\C:\photo.png",
    r"\\?\UNC\server\share\photo.png",
    r"\\.\PhysicalDrive0",
    "/dev/zero",
    "/dev/stdin",
    "/proc/self/environ",
    "/sys/kernel/notes",
];

fn refusal(err: &ImageError) -> Option<PathRefusal> {
    match err {
        ImageError::PathRefused { reason, .. } => Some(*reason),
        _ => None,
    }
}

#[test]
fn intake_fixes_and_crops_refuse_network_and_device_paths() {
    let out = tempfile::tempdir().unwrap();
    for text in REFUSED {
        let path = Path::new(text);
        for opts in [IntakeOptions::preview(), IntakeOptions::default()] {
            let err = intake(path, &opts).unwrap_err();
            assert_eq!(err.kind(), "image_path_refused", "{text}: {err:?}");
        }
        let err = apply_fix(path, &FixKind::Downscale { max_side: 1000 }, out.path()).unwrap_err();
        assert!(refusal(&err).is_some(), "{text}: {err:?}");
        let err = crop_to_ratio(path, out.path(), 16.0 / 9.0, 0.0).unwrap_err();
        assert!(refusal(&err).is_some(), "{text}: {err:?}");
    }
    let err = intake(Path::new(REFUSED[0]), &IntakeOptions::preview()).unwrap_err();
    assert_eq!(refusal(&err), Some(PathRefusal::NetworkShare));
    assert!(
        err.msg().text("en").contains("network share"),
        "{:?}",
        err.msg()
    );
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_link_to_a_device_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("frame.png");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let link = dir.path().join("photo.jpg");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let environ = dir.path().join("notes.png");
    std::os::unix::fs::symlink("/proc/self/environ", &environ).unwrap();
    for path in [&fifo, &link, &environ] {
        let err = intake(path, &IntakeOptions::preview()).unwrap_err();
        assert_eq!(
            err.kind(),
            "image_path_refused",
            "{}: {err:?}",
            path.display()
        );
    }
}

#[test]
fn presets_refuse_such_frames_and_save_nothing() {
    let home = Home::new();
    let lib = home.open();
    let everything = PresetParts {
        include_prompt: true,
        include_frames: true,
    };
    for text in [
        r"\\server\share\photo.png",
        "/dev/null",
        "//server/share/x.png",
    ] {
        let draft = RequestDraft {
            first_frame: Some(text.to_owned()),
            ..form("shot")
        };
        let err = lib.create("Shared", &draft, everything).unwrap_err();
        match &err {
            PresetError::FrameUnusable { source, .. } => {
                assert!(refusal(source).is_some(), "{text}: {source:?}")
            }
            other => panic!("{text}: {other:?}"),
        }
    }
    assert_eq!(home.preset_files(), 0);
}
