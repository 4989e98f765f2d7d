//! Frames taken from clips made by ffmpeg, compared with the frames ffmpeg itself decodes from the same
//! file (all of them, in display order, after the edit list, converted to RGB with the matrix named in
//! each test). The test pattern moves every frame, so comparing with the neighbours too shows that the
//! right frame came out, not just a similar one.

use std::path::{Path, PathBuf};
use std::process::Command;

use image::RgbImage;
use seedance_core::film::frame::{
    clip_frames, extract_frame, forget_poster, poster_data_url, save_frame, write_png, FrameError,
    FramePick,
};

use super::{ffmpeg, have_ffmpeg, make_clip, Spec, CLIP};

/// Mean absolute difference per channel allowed between our frame and ffmpeg's: the two upsample
/// chroma differently at colour edges, nothing more. Neighbouring frames of the pattern differ by 8+.
const SAME: f64 = 2.5;

/// Makes a clip with ffmpeg from `testsrc2` with these encoder arguments.
fn encode(dir: &Path, name: &str, size: &str, secs: f64, args: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!("testsrc2=size={size}:rate=30"))
        .args([
            "-t",
            &secs.to_string(),
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
        ])
        .args(args)
        .arg(&path)
        .output()
        .expect("ffmpeg runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// Every frame ffmpeg shows of `path`, as RGB converted with `matrix` ("bt601" or "bt709").
fn ffmpeg_frames(path: &Path, matrix: &str) -> Vec<RgbImage> {
    let probe = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0"])
        .args(["-show_entries", "stream=width,height", "-of", "csv=p=0"])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    let text = String::from_utf8(probe.stdout).unwrap();
    let (w, h) = text.trim().split_once(',').expect("width,height");
    let (w, h): (u32, u32) = (w.parse().unwrap(), h.parse().unwrap());
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-map", "0:v:0", "-fps_mode", "passthrough", "-vf"])
        .arg(format!("scale=in_color_matrix={matrix}:in_range=tv"))
        .args(["-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        .output()
        .expect("ffmpeg runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let frame = (w * h * 3) as usize;
    assert_eq!(out.stdout.len() % frame, 0);
    out.stdout
        .chunks_exact(frame)
        .map(|c| RgbImage::from_raw(w, h, c.to_vec()).unwrap())
        .collect()
}

fn difference(a: &RgbImage, b: &RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let sum: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(&x, &y)| u64::from(x.abs_diff(y)))
        .sum();
    sum as f64 / a.as_raw().len() as f64
}

/// `ours` is ffmpeg's frame `index`, and not one of its neighbours.
fn assert_is_frame(ours: &RgbImage, reference: &[RgbImage], index: usize) {
    let d = difference(ours, &reference[index]);
    assert!(d <= SAME, "frame {index} differs from ffmpeg's by {d:.2}");
    for n in [index.wrapping_sub(1), index + 1] {
        if let Some(neighbour) = reference.get(n) {
            let dn = difference(ours, neighbour);
            assert!(
                dn > 2.0 * d.max(1.0),
                "frame {index} looks like frame {n} ({dn:.2} vs {d:.2})"
            );
        }
    }
}

fn check_last_frame(path: &Path, matrix: &str) {
    let reference = ffmpeg_frames(path, matrix);
    let table = clip_frames(path).unwrap();
    assert_eq!(table.count() as usize, reference.len(), "frame count");
    let last = extract_frame(path, FramePick::Last).unwrap();
    assert_eq!(last.index as usize, reference.len() - 1);
    assert_eq!(
        (last.image.width(), last.image.height()),
        reference[0].dimensions()
    );
    assert_is_frame(&last.image, &reference, reference.len() - 1);
}

#[test]
fn the_last_frame_of_a_clip_with_b_frames_is_ffmpegs_last_frame() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path(), "b.mp4", CLIP);
    check_last_frame(&clip, "bt601");
}

#[test]
fn the_last_frame_of_a_clip_without_b_frames_is_ffmpegs_last_frame() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let spec = Spec {
        bframes: 0,
        audio: false,
        ..CLIP
    };
    let clip = make_clip(dir.path(), "p.mp4", spec);
    check_last_frame(&clip, "bt601");
}

#[test]
fn frames_are_found_by_index_and_by_time() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Short GOPs, so frame 40 is decoded from a sync sample after the first.
    let clip = encode(
        dir.path(),
        "gop.mp4",
        "320x180",
        2.0,
        &["-g", "15", "-bf", "3"],
    );
    let reference = ffmpeg_frames(&clip, "bt601");
    let table = clip_frames(&clip).unwrap();
    assert_eq!(table.count(), 60);
    assert!((table.fps - 30.0).abs() < 0.01, "{}", table.fps);
    assert!((table.duration_secs - 2.0).abs() < 0.01);
    assert!((table.times[40] - 40.0 / 30.0).abs() < 1e-6);

    for index in [0u32, 7, 40, 59] {
        let frame = extract_frame(&clip, FramePick::Index(index)).unwrap();
        assert_eq!(frame.index, index);
        assert_is_frame(&frame.image, &reference, index as usize);
    }
    // The frame on screen a little after frame 40 appears is frame 40.
    let at = extract_frame(&clip, FramePick::Time(40.0 / 30.0 + 0.01)).unwrap();
    assert_eq!(at.index, 40);
    assert!((at.time_secs - 40.0 / 30.0).abs() < 1e-6);
    assert_is_frame(&at.image, &reference, 40);
    assert_eq!(
        extract_frame(&clip, FramePick::Time(2.0)).unwrap().index,
        59
    );

    let beyond = extract_frame(&clip, FramePick::Index(60)).unwrap_err();
    assert!(
        matches!(
            beyond,
            FrameError::IndexOutOfRange {
                index: 60,
                count: 60,
                ..
            }
        ),
        "{beyond:?}"
    );
    let late = extract_frame(&clip, FramePick::Time(2.5)).unwrap_err();
    assert!(
        matches!(late, FrameError::TimeOutOfRange { .. }),
        "{late:?}"
    );
    let early = extract_frame(&clip, FramePick::Time(-0.1)).unwrap_err();
    assert!(
        matches!(early, FrameError::TimeOutOfRange { .. }),
        "{early:?}"
    );
}

/// Each video packet's (pts, keyframe) in decoding order, as ffprobe reads them.
fn video_packets(path: &Path) -> Vec<(f64, bool)> {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0"])
        .args(["-show_entries", "packet=pts_time,flags", "-of", "csv=p=0"])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let (pts, flags) = line.split_once(',').expect("pts_time,flags");
            (pts.parse().unwrap(), flags.starts_with('K'))
        })
        .collect()
}

#[test]
fn every_frame_of_an_open_gop_clip_is_ffmpegs_frame() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Open GOPs: B-frames after a sync sample in decoding order are shown before it and may refer to
    // the GOP before, so decoding them must start one sync sample further back.
    let clip = encode(
        dir.path(),
        "open.mp4",
        "320x180",
        2.0,
        &["-g", "15", "-bf", "3", "-x264-params", "open-gop=1"],
    );
    let packets = video_packets(&clip);
    let leading = (1..packets.len())
        .filter(|&i| packets[i].1)
        .filter(|&i| packets.get(i + 1).is_some_and(|next| next.0 < packets[i].0))
        .count();
    assert!(leading > 0, "the clip has no leading pictures: {packets:?}");
    let reference = ffmpeg_frames(&clip, "bt601");
    assert_eq!(
        clip_frames(&clip).unwrap().count() as usize,
        reference.len()
    );
    for index in 0..reference.len() {
        let frame = extract_frame(&clip, FramePick::Index(index as u32)).unwrap();
        assert_is_frame(&frame.image, &reference, index);
    }

    // Cut without re-encoding at the second sync sample, the clip begins with an I picture that is no
    // IDR: there is nowhere to start decoding, and the error says so instead of giving a patched picture.
    let cut = dir.path().join("cut.mp4");
    ffmpeg(
        &["-ss", "0.5", "-i", clip.to_str().unwrap(), "-c", "copy"],
        &cut,
    );
    let err = extract_frame(&cut, FramePick::Last).unwrap_err();
    assert!(
        matches!(&err, FrameError::CorruptSample { detail, .. } if detail.contains("no IDR picture")),
        "{err:?}"
    );
}

#[test]
fn a_trimmed_clip_shows_only_what_its_edit_list_presents() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let source = encode(
        dir.path(),
        "src.mp4",
        "320x180",
        3.0,
        &["-g", "30", "-bf", "2"],
    );
    // A copy from 1.3 s keeps the GOP from 1.0 s in the file and an edit list that skips its start.
    let trimmed = dir.path().join("trimmed.mp4");
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-ss", "1.3", "-i"])
        .arg(&source)
        .args(["-c", "copy"])
        .arg(&trimmed)
        .output()
        .unwrap();
    assert!(out.status.success());
    let reference = ffmpeg_frames(&trimmed, "bt601");
    let table = clip_frames(&trimmed).unwrap();
    assert_eq!(table.count() as usize, reference.len());
    assert!(table.times[0].abs() < 1e-6, "the first shown frame is at 0");
    let first = extract_frame(&trimmed, FramePick::Index(0)).unwrap();
    assert_is_frame(&first.image, &reference, 0);
    check_last_frame(&trimmed, "bt601");
}

#[test]
fn the_last_frame_of_a_1080p_clip_uses_the_bt709_matrix() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clip = encode(
        dir.path(),
        "hd.mp4",
        "1920x1080",
        0.5,
        &[
            "-preset",
            "ultrafast",
            "-profile:v",
            "high",
            "-bf",
            "2",
            "-colorspace",
            "bt709",
            "-color_primaries",
            "bt709",
            "-color_trc",
            "bt709",
        ],
    );
    check_last_frame(&clip, "bt709");
    // Converted with the other matrix, the colours are visibly off: the matrix matters here.
    let ours = extract_frame(&clip, FramePick::Last).unwrap().image;
    let other = ffmpeg_frames(&clip, "bt601");
    assert!(difference(&ours, other.last().unwrap()) > SAME);
}

#[test]
fn a_clip_whose_size_is_not_a_multiple_of_16_comes_out_whole() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clip = encode(
        dir.path(),
        "odd.mp4",
        "650x362",
        0.5,
        &["-preset", "veryfast"],
    );
    let table = clip_frames(&clip).unwrap();
    assert_eq!((table.width, table.height), (650, 362));
    check_last_frame(&clip, "bt601");
}

#[test]
fn a_frame_is_written_as_a_png_in_one_step() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path(), "c.mp4", CLIP);
    let frame = extract_frame(&clip, FramePick::Last).unwrap();
    let png = dir.path().join("last.png");
    write_png(&frame.image, &png).unwrap();
    let back = image::open(&png).unwrap().to_rgb8();
    assert_eq!(back, frame.image);
    assert!(!dir.path().join("last.png.part").exists());
    let nowhere = dir.path().join("missing-folder").join("x.png");
    let err = write_png(&frame.image, &nowhere).unwrap_err();
    assert!(matches!(err, FrameError::Write { .. }), "{err:?}");
}

#[test]
fn a_taken_frame_is_named_after_its_clip_and_a_poster_is_made_once() {
    if !have_ffmpeg() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path(), "shot.mp4", CLIP);
    let frames = dir.path().join("frames");
    let (path, frame) = save_frame(&clip, FramePick::Index(4), &frames).unwrap();
    assert_eq!(path, frames.join("shot.frame-5.png"));
    assert_eq!(image::open(&path).unwrap().to_rgb8(), frame.image);

    let posters = dir.path().join("posters");
    let url = poster_data_url(&clip, &posters, "job-1").unwrap();
    assert!(url.starts_with("data:image/jpeg;base64,"));
    let kept = posters.join("job-1.jpg");
    let poster = image::open(&kept).unwrap();
    assert_eq!(
        (poster.width(), poster.height()),
        (320, 180),
        "no larger than the clip"
    );
    // The middle frame (30 of 60).
    let reference = ffmpeg_frames(&clip, "bt601");
    let middle = image::imageops::thumbnail(&reference[30], 320, 180);
    assert!(difference(&poster.to_rgb8(), &middle) < 4.0);

    // Made once: the kept file is served as it is, even when it no longer matches what would be made.
    std::fs::write(&kept, b"kept bytes").unwrap();
    let again = poster_data_url(&clip, &posters, "job-1").unwrap();
    assert_eq!(again, "data:image/jpeg;base64,a2VwdCBieXRlcw==");
    // A clip newer than its poster (downloaded again) gets a new one.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let bytes = std::fs::read(&clip).unwrap();
    std::fs::write(&clip, bytes).unwrap();
    let fresh = poster_data_url(&clip, &posters, "job-1").unwrap();
    assert_ne!(fresh, again);
    // Deleting the job forgets its poster; nothing left to forget is fine.
    forget_poster(&posters, "job-1").unwrap();
    assert!(!kept.exists());
    forget_poster(&posters, "job-1").unwrap();
}
