//! Timelines of clips made by ffmpeg, with names no file format makes easy (spaces, quotes, `&`, `<`,
//! Chinese): the FCPXML is well-formed XML (`xmllint`) and both files read back through OpenTimelineIO's
//! own CMX 3600 and FCP X adapters with every clip's name, length and place (and, from the EDL, its
//! file). Apple's FCPXML DTD is not redistributed by any package (it ships only inside Final Cut Pro),
//! so it is not in this repository: the FCPXML is validated against it (`xmllint --dtdvalid`) where it
//! is found, at the path `FCPXML_DTD` names or inside an installed Final Cut Pro, and otherwise checked
//! by OpenTimelineIO's reader alone; that reader predates FCPXML 1.9's `media-rep` (it reads the older
//! `src` attribute of `asset`), so the files' addresses in the FCPXML are checked here in Rust.
//!
//! OpenTimelineIO comes from a virtual environment under `target/otio-venv` (or the Python named by
//! `OTIO_PYTHON`); without one these checks say so and the Rust-side checks still run, unless
//! `SEEDANCE_TEST_TOOLS_REQUIRED=1` (as `./dev test` sets), which makes a missing tool a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use seedance_core::film::{clip_facts, export_timeline, TimelineClip, TimelineFormat};

use super::{have_ffmpeg, make_clip, Spec, CLIP};

/// Apple's DTD for FCPXML 1.10: the file `FCPXML_DTD` names, else the one inside Final Cut Pro.
fn fcpxml_dtd() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("FCPXML_DTD") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "FCPXML_DTD names no file: {}",
            path.display()
        );
        return Some(path);
    }
    let bundled = Path::new(
        "/Applications/Final Cut Pro.app/Contents/Frameworks/Interchange.framework/Versions/A/Resources/FCPXMLv1_10.dtd",
    );
    bundled.is_file().then(|| bundled.to_path_buf())
}

fn otio_python() -> Option<PathBuf> {
    let python = std::env::var_os("OTIO_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/otio-venv/bin/python")
        });
    let works = Command::new(&python)
        .args(["-c", "import opentimelineio"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        super::skipped(&format!(
            "OpenTimelineIO checks: no {} (make it with: python3 -m venv target/otio-venv && \
             target/otio-venv/bin/pip install opentimelineio==0.18.1 otio-cmx3600-adapter==1.0.0 \
             otio-fcpx-xml-adapter==1.0.0)",
            python.display()
        ));
    }
    works.then_some(python)
}

fn otio_read(python: &Path, file: &Path, adapter: &str) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/film/otio_read.py");
    let out = Command::new(python)
        .arg(script)
        .arg(file)
        .arg(adapter)
        .arg("30")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "OpenTimelineIO could not read {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Three clips: 2 s with sound, 1 s without, 3 s with sound; in a folder and under names that need
/// escaping everywhere.
fn clips(dir: &Path) -> Vec<TimelineClip> {
    let folder = dir.join("my clips & 片段");
    std::fs::create_dir(&folder).unwrap();
    let specs = [
        ("shot 1 \"dawn\".mp4", "Shot 1 \"dawn\" & <sea>", 2.0, true),
        ("shot 2 海浪.mp4", "海浪 — 第二镜", 1.0, false),
        ("shot 3's end.mp4", "shot 3's end", 3.0, true),
    ];
    specs
        .iter()
        .map(|(file, name, secs, audio)| TimelineClip {
            path: make_clip(
                &folder,
                file,
                Spec {
                    secs: *secs,
                    audio: *audio,
                    ..CLIP
                },
            ),
            name: (*name).to_owned(),
        })
        .collect()
}

#[test]
fn clip_facts_come_from_the_headers() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path(), "c.mp4", CLIP);
    let facts = clip_facts(&clip).unwrap();
    assert_eq!((facts.width, facts.height), (320, 180));
    assert_eq!(facts.timecode_rate(), 30);
    assert_eq!(facts.frames, 60);
    assert!((facts.duration().seconds() - 2.0).abs() < 1e-9);
    assert_eq!(facts.audio, Some((2, 48000)));
    let text = dir.path().join("notes.mp4");
    std::fs::write(&text, b"no video here").unwrap();
    assert!(clip_facts(&text).is_err());
}

#[test]
fn an_edl_lists_every_clip_back_to_back_and_reads_back() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clips = clips(dir.path());
    let edl = dir.path().join("cut.edl");
    let report = export_timeline(&clips, "Harbour\ncut", TimelineFormat::Edl, &edl).unwrap();
    assert_eq!(report.clips, 3);
    assert!((report.duration_secs - 6.0).abs() < 1e-9);
    let text = std::fs::read_to_string(&edl).unwrap();
    assert!(
        text.starts_with("TITLE: Harbour cut\nFCM: NON-DROP FRAME\n"),
        "{text}"
    );
    let events: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| l.starts_with("00"))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(events.len(), 3, "{text}");
    // Source in and out, record in and out: contiguous from 01:00:00:00 at 30 fps.
    let times: Vec<[&str; 4]> = events.iter().map(|e| [e[4], e[5], e[6], e[7]]).collect();
    assert_eq!(
        times,
        [
            ["00:00:00:00", "00:00:02:00", "01:00:00:00", "01:00:02:00"],
            ["00:00:00:00", "00:00:01:00", "01:00:02:00", "01:00:03:00"],
            ["00:00:00:00", "00:00:03:00", "01:00:03:00", "01:00:06:00"],
        ]
    );
    assert_eq!([events[0][2], events[1][2]], ["AA/V", "V"]);
    assert!(text.contains("* FROM CLIP NAME: 海浪 — 第二镜\n"));
    assert!(text.contains(&format!("* SOURCE FILE: {}\n", clips[0].path.display())));

    if let Some(python) = otio_python() {
        let read = otio_read(&python, &edl, "cmx_3600");
        let read = &read["clips"];
        assert_eq!(read.as_array().unwrap().len(), 3, "{read}");
        for (i, (clip, secs, start)) in [(0, 2.0, 0.0), (1, 1.0, 2.0), (2, 3.0, 3.0)]
            .iter()
            .map(|&(i, s, t)| (&clips[i], s, t))
            .enumerate()
        {
            let frames = |v: &serde_json::Value| (v.as_f64().unwrap() * 30.0).round();
            assert_eq!(frames(&read[i]["duration"]), secs * 30.0, "{read}");
            assert_eq!(frames(&read[i]["start"]), start * 30.0, "{read}");
            assert_eq!(read[i]["name"], clip.name.as_str());
            assert_eq!(read[i]["url"], clip.path.display().to_string().as_str());
        }
    }
}

#[test]
fn an_fcpxml_is_well_formed_and_reads_back_with_every_clip_and_file() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clips = clips(dir.path());
    let xml = dir.path().join("cut.fcpxml");
    export_timeline(&clips, "Harbour & \"co\"", TimelineFormat::Fcpxml, &xml).unwrap();
    assert!(!seedance_core::durable::part_beside(&xml).exists());
    let lint = Command::new("xmllint").arg("--noout").arg(&xml).output();
    match lint {
        Ok(out) => assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => super::skipped("well-formedness check: no xmllint (package libxml2-utils)"),
    }
    match fcpxml_dtd() {
        Some(dtd) => {
            let out = Command::new("xmllint")
                .args(["--noout", "--dtdvalid"])
                .arg(&dtd)
                .arg(&xml)
                .output()
                .expect("xmllint runs");
            assert!(
                out.status.success(),
                "not valid against {}: {}",
                dtd.display(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        None => {
            eprintln!("FCPXML DTD not found (set FCPXML_DTD to FCPXMLv1_10.dtd): not validated")
        }
    }
    let text = std::fs::read_to_string(&xml).unwrap();
    assert!(text.contains("<fcpxml version=\"1.10\">"));
    assert!(text.contains("name=\"Shot 1 &quot;dawn&quot; &amp; &lt;sea&gt;\""));
    assert!(text.contains("frameDuration=\"1/30s\" width=\"320\" height=\"180\""));
    assert!(text.contains("offset=\"3s\""), "{text}");
    // Each asset's file as a `file://` URL (percent-encoded; `&` and `'` then escaped for XML).
    for clip in &clips {
        let url = url::Url::from_file_path(&clip.path).unwrap();
        let src = format!(
            "src=\"{}\"",
            String::from(url)
                .replace('&', "&amp;")
                .replace('\'', "&apos;")
        );
        assert!(text.contains(&src), "{src} in {text}");
    }

    if let Some(python) = otio_python() {
        let read = otio_read(&python, &xml, "fcpx_xml");
        let read = &read["clips"];
        assert_eq!(read.as_array().unwrap().len(), 3, "{read}");
        for (i, (secs, start)) in [(2.0, 0.0), (1.0, 2.0), (3.0, 3.0)].iter().enumerate() {
            assert!(
                (read[i]["duration"].as_f64().unwrap() - secs).abs() < 1e-6,
                "{read}"
            );
            assert!(
                (read[i]["start"].as_f64().unwrap() - start).abs() < 1e-6,
                "{read}"
            );
            assert_eq!(read[i]["name"], clips[i].name.as_str());
        }
    }
}

#[test]
fn a_timeline_never_replaces_one_of_its_clips() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path(), "only.mp4", CLIP);
    let before = std::fs::read(&clip).unwrap();
    let clips = [TimelineClip {
        path: clip.clone(),
        name: "only".into(),
    }];
    assert!(export_timeline(&clips, "t", TimelineFormat::Edl, &clip).is_err());
    assert_eq!(std::fs::read(&clip).unwrap(), before);
    assert!(export_timeline(&[], "t", TimelineFormat::Edl, &dir.path().join("x.edl")).is_err());
}
