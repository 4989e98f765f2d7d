//! Why clips could not be joined. The cases the user can act on stay apart: clips that differ (with the
//! list of them in `details`, so the UI can offer to leave them out or export them separately), clips
//! without sound among clips with sound, a damaged or foreign clip, and the film not being writable.

use std::path::PathBuf;

use serde::Serialize;

use crate::i18n::{Message, UserFacing};

#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    #[error("no clips to join")]
    NoClips,
    #[error("the film would overwrite one of its clips, {path}")]
    OutputIsInput { path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is damaged: {detail}")]
    Damaged { path: PathBuf, detail: String },
    #[error("{path} cannot be joined without re-encoding: {detail}")]
    Unsupported { path: PathBuf, detail: String },
    #[error("{path} has no video track")]
    NoVideo { path: PathBuf },
    #[error("clips differ from the first clip: {mismatches:?}")]
    Differs { mismatches: Vec<ClipMismatch> },
    /// Some clips have sound and these do not (only when [`super::MixedAudio::Refuse`]).
    #[error("clips without sound among clips with sound: {without_audio:?}")]
    AudioMixed { without_audio: Vec<ClipRef> },
    #[error("{path} changed while it was being joined")]
    SourceChanged { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("joining was cancelled")]
    Cancelled,
}

/// A clip by its place in the list (0-based, as given to [`super::join`]) and its file.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct ClipRef {
    pub index: u32,
    pub path: String,
}

/// A clip that cannot share the first clip's tracks, and how it differs.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct ClipMismatch {
    pub clip: ClipRef,
    pub difference: Difference,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Difference {
    /// Another picture size; `same_ratio` tells a 720p clip among 1080p ones from a portrait one.
    Resolution {
        expected: [u16; 2],
        found: [u16; 2],
        same_ratio: bool,
    },
    /// Another video codec or profile ("H.264 Main 3.1" against "H.264 High 4.0").
    VideoCodec {
        expected: String,
        found: String,
    },
    /// The same codec and profile named, with other parameters (SPS/PPS).
    EncoderSettings {
        codec: String,
    },
    AudioFormat {
        expected: String,
        found: String,
    },
    /// Another timescale (units per second) for the same kind of track.
    Timing {
        expected: u32,
        found: u32,
    },
}

impl UserFacing for JoinError {
    fn kind(&self) -> &'static str {
        match self {
            Self::NoClips => "film_no_clips",
            Self::OutputIsInput { .. } => "film_output_is_input",
            Self::Unreadable { .. } => "film_unreadable",
            Self::Damaged { .. } => "film_damaged",
            Self::Unsupported { .. } => "film_unsupported",
            Self::NoVideo { .. } => "film_no_video",
            Self::Differs { .. } => "film_clips_differ",
            Self::AudioMixed { .. } => "film_audio_mixed",
            Self::SourceChanged { .. } => "film_source_changed",
            Self::Write { .. } => "film_write_failed",
            Self::Cancelled => "film_cancelled",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::NoClips => Message::new("msg.film.no_clips"),
            Self::OutputIsInput { path } => {
                Message::new("msg.film.output_is_input").arg("path", path)
            }
            Self::Unreadable { path, .. } => Message::new("msg.film.unreadable").arg("path", path),
            Self::Damaged { path, .. } => Message::new("msg.film.damaged").arg("path", path),
            Self::Unsupported { path, .. } => {
                Message::new("msg.film.unsupported").arg("path", path)
            }
            Self::NoVideo { path } => Message::new("msg.film.no_video").arg("path", path),
            Self::Differs { mismatches } => differs_msg(mismatches),
            Self::AudioMixed { without_audio } => {
                let first = without_audio.first();
                Message::new("msg.film.audio_mixed")
                    .arg("differing", without_audio.len())
                    .arg("number", first.map_or(0, |c| c.index + 1))
                    .arg("path", first.map_or("", |c| c.path.as_str()))
            }
            Self::SourceChanged { path } => {
                Message::new("msg.film.source_changed").arg("path", path)
            }
            Self::Write { path, .. } => Message::new("msg.film.write_failed").arg("path", path),
            Self::Cancelled => Message::new("msg.film.cancelled"),
        }
    }

    fn details(&self) -> Option<String> {
        match self {
            Self::Differs { mismatches } => serde_json::to_string(mismatches).ok(),
            Self::AudioMixed { without_audio } => serde_json::to_string(without_audio).ok(),
            _ => None,
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Unreadable { source, .. } | Self::Write { source, .. } => {
                Some(source.to_string())
            }
            Self::Damaged { detail, .. } | Self::Unsupported { detail, .. } => Some(detail.clone()),
            _ => None,
        }
    }
}

/// The first differing clip in words, and how many differ in all (the rest are in `details`).
fn differs_msg(mismatches: &[ClipMismatch]) -> Message {
    let Some(first) = mismatches.first() else {
        return Message::new("msg.film.no_clips");
    };
    let size = |[w, h]: [u16; 2]| format!("{w}×{h}");
    let message = match &first.difference {
        Difference::Resolution {
            expected,
            found,
            same_ratio,
        } => Message::new(if *same_ratio {
            "msg.film.resolution_differs"
        } else {
            "msg.film.ratio_differs"
        })
        .arg("expected", size(*expected))
        .arg("found", size(*found)),
        Difference::VideoCodec { expected, found } => Message::new("msg.film.video_codec_differs")
            .arg("expected", expected.as_str())
            .arg("found", found.as_str()),
        Difference::EncoderSettings { codec } => {
            Message::new("msg.film.encoder_settings_differ").arg("codec", codec.as_str())
        }
        Difference::AudioFormat { expected, found } => {
            Message::new("msg.film.audio_format_differs")
                .arg("expected", expected.as_str())
                .arg("found", found.as_str())
        }
        Difference::Timing { expected, found } => Message::new("msg.film.timing_differs")
            .arg("expected", *expected)
            .arg("found", *found),
    };
    message
        .arg("number", first.clip.index + 1)
        .arg("path", first.clip.path.as_str())
        .arg("differing", mismatches.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_variant() -> Vec<JoinError> {
        let p = || PathBuf::from("/films/clip.mp4");
        let clip = || ClipRef {
            index: 2,
            path: "/films/c.mp4".into(),
        };
        let differs = |difference| JoinError::Differs {
            mismatches: vec![ClipMismatch {
                clip: clip(),
                difference,
            }],
        };
        vec![
            JoinError::NoClips,
            JoinError::OutputIsInput { path: p() },
            JoinError::Unreadable {
                path: p(),
                source: std::io::Error::other("gone"),
            },
            JoinError::Damaged {
                path: p(),
                detail: "x".into(),
            },
            JoinError::Unsupported {
                path: p(),
                detail: "x".into(),
            },
            JoinError::NoVideo { path: p() },
            differs(Difference::Resolution {
                expected: [1920, 1080],
                found: [1280, 720],
                same_ratio: true,
            }),
            JoinError::AudioMixed {
                without_audio: vec![clip()],
            },
            JoinError::SourceChanged { path: p() },
            JoinError::Write {
                path: p(),
                source: std::io::Error::other("full"),
            },
            JoinError::Cancelled,
        ]
    }

    #[test]
    fn every_error_has_a_distinct_kind_and_both_languages() {
        let errors = every_variant();
        let mut kinds: Vec<_> = errors.iter().map(UserFacing::kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), errors.len());
        for e in &errors {
            assert_both_languages(&e.msg());
        }
    }

    fn assert_both_languages(msg: &Message) {
        let en = msg.text("en");
        let zh = msg.text("zh-CN");
        assert_ne!(
            en, msg.key,
            "{} is missing from the English catalog",
            msg.key
        );
        assert!(!en.contains("{{"), "{en}");
        assert!(!zh.contains("{{"), "{zh}");
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}: {zh}",
            msg.key
        );
    }

    #[test]
    fn each_difference_names_the_clip_and_both_values() {
        let cases = [
            (
                Difference::Resolution {
                    expected: [1920, 1080],
                    found: [1280, 720],
                    same_ratio: true,
                },
                ["1920×1080", "1280×720"],
            ),
            (
                Difference::Resolution {
                    expected: [1920, 1080],
                    found: [1080, 1920],
                    same_ratio: false,
                },
                ["1920×1080", "1080×1920"],
            ),
            (
                Difference::VideoCodec {
                    expected: "H.264 High 4.0".into(),
                    found: "H.264 Main 3.1".into(),
                },
                ["H.264 High 4.0", "H.264 Main 3.1"],
            ),
            (
                Difference::EncoderSettings {
                    codec: "H.264 High 4.0".into(),
                },
                ["H.264 High 4.0", "H.264 High 4.0"],
            ),
            (
                Difference::AudioFormat {
                    expected: "AAC-LC 48000 Hz 2 ch".into(),
                    found: "AAC-LC 44100 Hz 1 ch".into(),
                },
                ["48000 Hz", "44100 Hz"],
            ),
            (
                Difference::Timing {
                    expected: 15360,
                    found: 12800,
                },
                ["15360", "12800"],
            ),
        ];
        let mut keys = Vec::new();
        for (difference, values) in cases {
            let error = JoinError::Differs {
                mismatches: vec![ClipMismatch {
                    clip: ClipRef {
                        index: 2,
                        path: "/films/c.mp4".into(),
                    },
                    difference,
                }],
            };
            let msg = error.msg();
            assert_both_languages(&msg);
            keys.push(msg.key.clone());
            for language in ["en", "zh-CN"] {
                let text = msg.text(language);
                assert!(
                    text.contains("/films/c.mp4") && text.contains('3'),
                    "{text}"
                );
                for value in values {
                    assert!(text.contains(value), "{text} lacks {value}");
                }
            }
            assert!(error.details().is_some_and(|d| d.contains("\"index\":2")));
        }
        keys.dedup();
        assert_eq!(keys.len(), 6, "each difference has its own words: {keys:?}");
    }
}
