//! FCPXML 1.10, the version Final Cut Pro 10.6 and DaVinci Resolve 18+ import: one `format` per picture
//! size and frame rate, one `asset` per clip whose `media-rep` points at the file by its `file://` URL,
//! and a project whose spine holds the clips back to back as `asset-clip`s, every time an exact
//! fraction of a second.

use std::fmt::Write as _;

use super::{ClipFacts, Rational, TimelineClip, TimelineError};

/// `text` fit for an XML attribute value: markup characters escaped, characters XML 1.0 cannot hold
/// (control characters other than tab and line breaks) left out.
pub(super) fn attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn file_url(clip: &TimelineClip) -> Result<String, TimelineError> {
    let absolute = std::path::absolute(&clip.path).map_err(|e| TimelineError::Unreadable {
        path: clip.path.clone(),
        detail: e.to_string(),
    })?;
    url::Url::from_file_path(&absolute)
        .map(String::from)
        .map_err(|()| TimelineError::Unreadable {
            path: clip.path.clone(),
            detail: "no file URL for this path".to_owned(),
        })
}

pub(super) fn write(
    clips: &[TimelineClip],
    facts: &[ClipFacts],
    title: &str,
) -> Result<String, TimelineError> {
    let mut formats: Vec<(Rational, u16, u16)> = Vec::new();
    let format_of = |formats: &mut Vec<(Rational, u16, u16)>, f: &ClipFacts| {
        let key = (f.frame_duration, f.width, f.height);
        match formats.iter().position(|k| *k == key) {
            Some(i) => i + 1,
            None => {
                formats.push(key);
                formats.len()
            }
        }
    };
    let clip_formats: Vec<usize> = facts.iter().map(|f| format_of(&mut formats, f)).collect();
    let asset_id = |i: usize| format!("r{}", formats.len() + i + 1);

    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE fcpxml>\n");
    x.push_str("<fcpxml version=\"1.10\">\n    <resources>\n");
    for (i, (frame, width, height)) in formats.iter().enumerate() {
        let _ = writeln!(
            x,
            "        <format id=\"r{}\" frameDuration=\"{}\" width=\"{width}\" height=\"{height}\"/>",
            i + 1,
            frame.fcpxml()
        );
    }
    for (i, (clip, f)) in clips.iter().zip(facts).enumerate() {
        let _ = write!(
            x,
            "        <asset id=\"{}\" name=\"{}\" start=\"0s\" duration=\"{}\" hasVideo=\"1\" format=\"r{}\"",
            asset_id(i),
            attr(&clip.name),
            f.duration().fcpxml(),
            clip_formats[i]
        );
        if let Some((channels, rate)) = f.audio {
            let _ = write!(
                x,
                " hasAudio=\"1\" audioSources=\"1\" audioChannels=\"{channels}\" audioRate=\"{rate}\""
            );
        }
        let _ = write!(
            x,
            ">\n            <media-rep kind=\"original-media\" src=\"{}\"/>\n        </asset>\n",
            attr(&file_url(clip)?)
        );
    }
    let total = facts
        .iter()
        .fold(Rational::ZERO, |sum, f| sum.plus(f.duration()));
    let title = attr(title);
    let _ = write!(
        x,
        "    </resources>\n    <library>\n        <event name=\"{title}\">\n            <project name=\"{title}\">\n                \
         <sequence format=\"r{}\" duration=\"{}\" tcStart=\"0s\" tcFormat=\"NDF\">\n                    <spine>\n",
        clip_formats.first().copied().unwrap_or(1),
        total.fcpxml()
    );
    let mut offset = Rational::ZERO;
    for (i, (clip, f)) in clips.iter().zip(facts).enumerate() {
        let _ = writeln!(
            x,
            "                        <asset-clip ref=\"{}\" offset=\"{}\" name=\"{}\" start=\"0s\" duration=\"{}\" format=\"r{}\" tcFormat=\"NDF\"/>",
            asset_id(i),
            offset.fcpxml(),
            attr(&clip.name),
            f.duration().fcpxml(),
            clip_formats[i]
        );
        offset = offset.plus(f.duration());
    }
    x.push_str(
        "                    </spine>\n                </sequence>\n            </project>\n        </event>\n    </library>\n</fcpxml>\n",
    );
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::attr;

    #[test]
    fn attribute_text_is_escaped_and_stray_controls_dropped() {
        assert_eq!(
            attr("a \"b\" & 'c' <d>\u{1}\u{7}海"),
            "a &quot;b&quot; &amp; &apos;c&apos; &lt;d&gt;海"
        );
        assert_eq!(attr("two\nlines"), "two&#10;lines");
    }
}
