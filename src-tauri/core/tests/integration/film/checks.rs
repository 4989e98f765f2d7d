//! What a joined film must look like to ffprobe and ffmpeg, given the clips it was joined from.

use std::path::{Path, PathBuf};

use super::{decode_errors, probe};

/// One frame at the clips' 30 fps: how far a duration may be from the sum of the clips'.
pub const FRAME: f64 = 1.0 / 30.0;

/// Checks `film` against `clips`: one track per kind (sound only when `audio`), each as long as the
/// clips' tracks together (within a frame), every packet of every clip present, decoding times
/// strictly increasing per stream, presentation times continuous (no frame shown twice, no gap longer
/// than a frame and a half), and a clean decode from start to end.
pub fn assert_joined(film: &Path, clips: &[PathBuf], audio: bool) {
    let film_probe = probe(film);
    let clip_probes: Vec<_> = clips.iter().map(|c| probe(c)).collect();
    let kinds: Vec<&str> = film_probe.streams.iter().map(|(k, _)| k.as_str()).collect();
    let expected_kinds: &[&str] = if audio {
        &["video", "audio"]
    } else {
        &["video"]
    };
    assert_eq!(kinds, expected_kinds, "tracks of the film");

    for (index, kind) in expected_kinds.iter().enumerate() {
        let sum: f64 = clip_probes.iter().map(|p| stream_of(p, kind).1).sum();
        let got = film_probe.streams[index].1;
        assert!(
            (got - sum).abs() <= FRAME,
            "{kind} lasts {got} s, the clips' {kind} {sum} s together"
        );
        let packets: usize = clip_probes
            .iter()
            .map(|p| p.packets[stream_of(p, kind).0].len())
            .sum();
        let film_packets = &film_probe.packets[index];
        assert_eq!(film_packets.len(), packets, "{kind} packets of the film");

        for pair in film_packets.windows(2) {
            assert!(
                pair[1].1 > pair[0].1,
                "{kind} decoding times go back: {pair:?}"
            );
        }
        let mut shown: Vec<f64> = film_packets.iter().map(|p| p.0).collect();
        shown.sort_by(f64::total_cmp);
        assert!(shown[0].abs() < FRAME, "{kind} starts at {}", shown[0]);
        for pair in shown.windows(2) {
            let step = pair[1] - pair[0];
            assert!(
                step > 0.0 && step <= 1.5 * FRAME,
                "{kind} presentation times jump from {} to {}",
                pair[0],
                pair[1]
            );
        }
    }
    let longest = clip_probes
        .iter()
        .map(|p| stream_of(p, "video").1)
        .sum::<f64>();
    assert!(
        (film_probe.duration - longest).abs() <= FRAME,
        "the film lasts {} s, its clips {longest} s",
        film_probe.duration
    );
    let errors = decode_errors(film);
    assert!(errors.is_empty(), "decoding the film: {errors}");
}

/// The index and duration of a clip's stream of `kind`.
fn stream_of(probe: &super::Probe, kind: &str) -> (usize, f64) {
    let index = probe
        .streams
        .iter()
        .position(|(k, _)| k == kind)
        .unwrap_or_else(|| panic!("a clip without {kind}"));
    (index, probe.streams[index].1)
}
