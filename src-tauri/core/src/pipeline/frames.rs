//! The request's frames: where each comes from, checking the local ones before anything is uploaded.

use std::path::PathBuf;

use url::Url;

use super::PipelineError;
use crate::images::{intake, FrameInfo, IntakeOptions};
use crate::request::{FrameSlot, ValidRequest};

/// A frame as the request names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum FrameSource {
    Local(PathBuf),
    /// Already on the web (e.g. a frame reused from an earlier upload): sent as is, never fetched here.
    Remote(String),
}

impl FrameSource {
    /// Only an absolute http(s) URL with a host is remote; anything else is a path (`C:\a.png` parses
    /// as a URL with scheme `c`, so the scheme check matters).
    pub(super) fn classify(source: &str) -> Self {
        match Url::parse(source.trim()) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {
                Self::Remote(source.trim().to_owned())
            }
            _ => Self::Local(PathBuf::from(source)),
        }
    }
}

/// The request's frames in slot order (first, then last).
pub(super) fn sources(request: &ValidRequest) -> Vec<(FrameSlot, FrameSource)> {
    [
        (FrameSlot::First, request.first_frame()),
        (FrameSlot::Last, request.last_frame()),
    ]
    .into_iter()
    .filter_map(|(slot, source)| source.map(|s| (slot, FrameSource::classify(s))))
    .collect()
}

/// Reads and checks every local frame; the first one that is unreadable or out of limits stops the run.
/// Decoding is CPU-bound, so it runs on a blocking thread.
pub(super) async fn check_local(
    frames: &[(FrameSlot, FrameSource)],
    options: &IntakeOptions,
) -> Result<Vec<(FrameSlot, FrameInfo)>, PipelineError> {
    let mut checked = Vec::new();
    for (slot, source) in frames {
        let FrameSource::Local(path) = source else {
            continue;
        };
        let (path, options) = (path.clone(), options.clone());
        let info = tokio::task::spawn_blocking(move || intake(&path, &options))
            .await
            .map_err(|e| PipelineError::Io(std::io::Error::other(e)))?
            .map_err(|source| PipelineError::Frame {
                slot: *slot,
                source,
            })?;
        if !info.is_acceptable() {
            return Err(PipelineError::FrameOutOfLimits {
                slot: *slot,
                problems: info.problems,
            });
        }
        checked.push((*slot, info));
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_are_remote() {
        assert_eq!(
            FrameSource::classify("https://cdn.example/a.png"),
            FrameSource::Remote("https://cdn.example/a.png".into())
        );
        for local in [
            "/home/me/a.png",
            "C:\\Users\\me\\a.png",
            "file:///home/me/a.png",
            "relative/a.jpg",
        ] {
            assert_eq!(
                FrameSource::classify(local),
                FrameSource::Local(PathBuf::from(local)),
                "{local}"
            );
        }
    }
}
