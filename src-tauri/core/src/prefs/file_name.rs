//! Names for result files, from the user's pattern. Whatever the prompt holds (any script, emoji,
//! slashes), the name is safe on Windows, macOS and Linux, short enough for every common file system,
//! and never empty.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::PrefsError;
use crate::api::part_path;
use crate::request::{Duration, Settings};

/// Used when a pattern renders to nothing usable (e.g. `{prompt}` with an empty prompt).
pub const FALLBACK_FILE_NAME: &str = "seedance-video";
/// Longest name (without extension), in characters.
pub const MAX_FILE_NAME_CHARS: usize = 120;
/// Longest name in UTF-8 bytes: most file systems allow 255, and the caller still appends a counter,
/// ".mp4" and ".part" while downloading.
const MAX_FILE_NAME_BYTES: usize = 200;
/// How much of the prompt goes into `{prompt}`, in characters.
const PROMPT_SLUG_CHARS: usize = 40;
/// Every placeholder a pattern may use. `{batch}`, `{item}` and `{take}` name a batch job's batch and
/// place in it; a job not in a batch renders them as nothing (separators around them are trimmed at the
/// edges, and a name left empty becomes [`FALLBACK_FILE_NAME`]).
pub const PLACEHOLDERS: [&str; 10] = [
    "date",
    "time",
    "prompt",
    "id",
    "ratio",
    "resolution",
    "duration",
    "batch",
    "item",
    "take",
];
/// Names Windows reserves for devices, whatever the extension. Windows also takes the superscript digits
/// ¹ ² ³ (which it reads as 1, 2, 3) and 0 after COM and LPT.
const WINDOWS_RESERVED: [&str; 32] = [
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "COM0",
    "COM1",
    "COM2",
    "COM3",
    "COM4",
    "COM5",
    "COM6",
    "COM7",
    "COM8",
    "COM9",
    "COM\u{b9}",
    "COM\u{b2}",
    "COM\u{b3}",
    "LPT0",
    "LPT1",
    "LPT2",
    "LPT3",
    "LPT4",
    "LPT5",
    "LPT6",
    "LPT7",
    "LPT8",
    "LPT9",
    "LPT\u{b9}",
    "LPT\u{b2}",
    "LPT\u{b3}",
    "CONIN$",
    "CONOUT$",
];
/// Bound on the " (n)" counter, so a folder full of look-alikes cannot make the search run forever.
const MAX_COUNTER: u32 = 100_000;

/// What a pattern's placeholders are filled from. `settings` is optional: without it `{ratio}`,
/// `{resolution}` and `{duration}` render as nothing.
#[derive(Clone, Copy, Debug)]
pub struct FileNameParts<'a> {
    /// In the user's local offset (the caller knows it; this crate does not guess).
    pub when: OffsetDateTime,
    pub prompt: &'a str,
    pub job_short_id: &'a str,
    pub settings: Option<&'a Settings>,
    /// The batch the job belongs to, if any: `{batch}`, `{item}` and `{take}`.
    pub batch: Option<BatchPlace<'a>>,
}

/// A batch job's batch name and 1-based place in it.
#[derive(Clone, Copy, Debug)]
pub struct BatchPlace<'a> {
    pub name: &'a str,
    pub item: u32,
    pub take: u32,
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Piece<'p> {
    Text(&'p str),
    Placeholder(&'p str),
}

/// Splits a pattern into text and known placeholders; the first unknown or unclosed one is the error.
pub(super) fn parse_pattern(pattern: &str) -> Result<Vec<Piece<'_>>, PrefsError> {
    let mut pieces = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            pieces.push(Piece::Text(&rest[..open]));
        }
        let after = &rest[open + 1..];
        let Some(close) = after
            .find(['}', '{'])
            .filter(|&i| after[i..].starts_with('}'))
        else {
            let fragment: String = rest[open..].chars().take(20).collect();
            return Err(PrefsError::UnknownPlaceholder {
                placeholder: fragment,
            });
        };
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(PrefsError::UnknownPlaceholder {
                placeholder: format!("{{{name}}}"),
            });
        }
        pieces.push(Piece::Placeholder(name));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    Ok(pieces)
}

/// Renders `pattern` with the prompt, time and job id. See [`render_file_name_with`].
pub fn render_file_name(
    pattern: &str,
    when: OffsetDateTime,
    prompt: &str,
    job_short_id: &str,
) -> String {
    render_file_name_with(
        pattern,
        &FileNameParts {
            when,
            prompt,
            job_short_id,
            settings: None,
            batch: None,
        },
    )
}

/// A safe file name without extension. A pattern that fails validation is rendered as literal text
/// (so a bad saved pattern still produces a file the user can find), and an empty result becomes
/// [`FALLBACK_FILE_NAME`].
pub fn render_file_name_with(pattern: &str, parts: &FileNameParts<'_>) -> String {
    let safe = render_without_fallback(pattern, parts);
    if safe.is_empty() {
        FALLBACK_FILE_NAME.to_owned()
    } else {
        safe
    }
}

fn render_without_fallback(pattern: &str, parts: &FileNameParts<'_>) -> String {
    let raw = match parse_pattern(pattern) {
        Ok(pieces) => pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => (*text).to_owned(),
                Piece::Placeholder(name) => placeholder_value(name, parts),
            })
            .collect(),
        Err(_) => pattern.to_owned(),
    };
    sanitize(&raw)
}

/// The name `pattern` gives with sample values, before the fallback applies: empty means the pattern
/// can never name a file by itself.
pub(super) fn render_sample(pattern: &str) -> String {
    let settings = Settings::default();
    render_without_fallback(
        pattern,
        &FileNameParts {
            when: OffsetDateTime::UNIX_EPOCH,
            prompt: "sample",
            job_short_id: "a1b2c3",
            settings: Some(&settings),
            batch: None,
        },
    )
}

fn placeholder_value(name: &str, parts: &FileNameParts<'_>) -> String {
    let w = parts.when;
    match name {
        "date" => format!("{:04}-{:02}-{:02}", w.year(), u8::from(w.month()), w.day()),
        "time" => format!("{:02}-{:02}-{:02}", w.hour(), w.minute(), w.second()),
        "prompt" => prompt_slug(parts.prompt),
        "id" => prompt_slug(parts.job_short_id),
        "ratio" => parts
            .settings
            .map(|s| s.ratio.as_str().replace(':', "x"))
            .unwrap_or_default(),
        "resolution" => parts
            .settings
            .map(|s| s.resolution.as_str().to_owned())
            .unwrap_or_default(),
        "duration" => parts
            .settings
            .map(|s| match s.duration {
                Duration::Auto => "auto".to_owned(),
                Duration::Seconds(secs) => format!("{}s", secs.get()),
            })
            .unwrap_or_default(),
        "batch" => parts.batch.map(|b| prompt_slug(b.name)).unwrap_or_default(),
        "item" => parts.batch.map(|b| b.item.to_string()).unwrap_or_default(),
        "take" => parts.batch.map(|b| b.take.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// A batch item's own output name (already rendered from its template) as a safe file name: made portable
/// like any rendered pattern, without a `.mp4` the user may have typed (the extension is added once), and
/// never empty.
pub fn output_file_name(output: &str) -> String {
    let trimmed = output.trim();
    let stem = match trimmed.len().checked_sub(4) {
        Some(at) if trimmed.is_char_boundary(at) && trimmed[at..].eq_ignore_ascii_case(".mp4") => {
            &trimmed[..at]
        }
        _ => trimmed,
    };
    let safe = sanitize(stem);
    if safe.is_empty() {
        FALLBACK_FILE_NAME.to_owned()
    } else {
        safe
    }
}

/// Letters and digits of any script (with their combining marks) are kept; every run of anything else
/// becomes one `-`. At most [`PROMPT_SLUG_CHARS`] characters, no leading or trailing `-`.
fn prompt_slug(text: &str) -> String {
    let mut slug = String::new();
    let mut count = 0;
    let mut pending_dash = false;
    for c in text.chars() {
        if count >= PROMPT_SLUG_CHARS {
            break;
        }
        if c.is_alphanumeric() || is_combining_mark(c) {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
                count += 1;
                if count >= PROMPT_SLUG_CHARS {
                    break;
                }
            }
            pending_dash = false;
            slug.push(c);
            count += 1;
        } else {
            pending_dash = true;
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// Vowel signs and diacritics: not letters to Rust, but words in Hindi, Thai, Arabic… break without them.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05C7}'
        | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}'
        | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
        // Indic, Thai, Lao, Tibetan, Myanmar and Khmer blocks, minus their sentence punctuation.
        || (matches!(c, '\u{0900}'..='\u{0FFF}' | '\u{1000}'..='\u{109F}' | '\u{1780}'..='\u{17FF}')
            && !matches!(c, '\u{0964}' | '\u{0965}' | '\u{0970}' | '\u{0E2F}' | '\u{0E4F}' | '\u{0E5A}' | '\u{0E5B}' | '\u{104A}' | '\u{104B}' | '\u{17D4}'..='\u{17DA}'))
}

/// Characters no file name may hold on some supported system.
fn is_forbidden(c: char) -> bool {
    matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*') || c.is_control()
}

/// Invisible characters that can disguise a name (right-to-left overrides, zero-width spaces).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

fn is_edge_junk(c: char) -> bool {
    c.is_whitespace() || matches!(c, '.' | '-' | '_')
}

/// Makes any text a portable file name (possibly empty).
fn sanitize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars().filter(|&c| !is_invisible(c)) {
        let c = if is_forbidden(c) { '-' } else { c };
        let c = if c.is_whitespace() { ' ' } else { c };
        let repeats = (c == '-' || c == ' ') && out.ends_with(c);
        if !repeats {
            out.push(c);
        }
    }
    let name = fit(out.trim_matches(is_edge_junk));
    fit(&avoid_reserved(name))
}

/// Cuts a name to [`MAX_FILE_NAME_CHARS`] characters and [`MAX_FILE_NAME_BYTES`] bytes.
fn fit(name: &str) -> String {
    if name.chars().count() <= MAX_FILE_NAME_CHARS && name.len() <= MAX_FILE_NAME_BYTES {
        return name.to_owned();
    }
    let cut: String = name
        .chars()
        .scan(0usize, |bytes, c| {
            *bytes += c.len_utf8();
            (*bytes <= MAX_FILE_NAME_BYTES).then_some(c)
        })
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    cut.trim_end_matches(is_edge_junk).to_owned()
}

/// Windows refuses `CON`, `con.txt`, `NUL.tar.gz`…: the part before the first dot decides.
fn avoid_reserved(name: String) -> String {
    let first = name.split('.').next().unwrap_or_default().trim_end();
    if WINDOWS_RESERVED
        .iter()
        .any(|r| r.eq_ignore_ascii_case(first))
    {
        let split = first.len();
        format!("{}_{}", &name[..split], &name[split..])
    } else {
        name
    }
}

/// `dir/stem.ext`, or `dir/stem (2).ext`, `stem (3)`, … when taken (by a file or by a download in
/// progress). Only a check: the caller must still create the file without overwriting.
pub fn unique_path(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    let ext = ext.trim_start_matches('.');
    let with_ext = |name: String| {
        if ext.is_empty() {
            dir.join(name)
        } else {
            dir.join(format!("{name}.{ext}"))
        }
    };
    let is_taken = |path: &Path| {
        path.symlink_metadata().is_ok()
            || part_path(path).is_ok_and(|part| part.symlink_metadata().is_ok())
    };
    let first = with_ext(stem.to_owned());
    if !is_taken(&first) {
        return first;
    }
    (2..=MAX_COUNTER)
        .map(|n| with_ext(format!("{stem} ({n})")))
        .find(|path| !is_taken(path))
        .unwrap_or_else(|| with_ext(format!("{stem} ({})", rand::random::<u32>())))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn patterns_parse_into_text_and_placeholders() {
        assert_eq!(
            parse_pattern("a{date}b").unwrap(),
            vec![
                Piece::Text("a"),
                Piece::Placeholder("date"),
                Piece::Text("b")
            ]
        );
        assert!(parse_pattern("").unwrap().is_empty());
        assert!(matches!(
            parse_pattern("{Date}"),
            Err(PrefsError::UnknownPlaceholder { placeholder }) if placeholder == "{Date}"
        ));
        assert!(matches!(
            parse_pattern("x_{date"),
            Err(PrefsError::UnknownPlaceholder { placeholder }) if placeholder == "{date"
        ));
        assert!(matches!(
            parse_pattern("{da{time}"),
            Err(PrefsError::UnknownPlaceholder { .. })
        ));
        assert_eq!(parse_pattern("a}b").unwrap(), vec![Piece::Text("a}b")]);
    }

    #[test]
    fn slugs_keep_words_of_any_script() {
        assert_eq!(prompt_slug("  A cat, on the moon!! "), "A-cat-on-the-moon");
        assert_eq!(prompt_slug("नमस्ते दुनिया"), "नमस्ते-दुनिया");
        assert_eq!(prompt_slug("café déjà vu"), "café-déjà-vu");
        assert_eq!(prompt_slug("🐱🚀"), "");
        let long = prompt_slug(&"ab ".repeat(50));
        assert!(
            long.chars().count() <= PROMPT_SLUG_CHARS && !long.ends_with('-'),
            "{long}"
        );
    }

    #[test]
    fn reserved_names_are_changed_only_when_reserved() {
        assert_eq!(avoid_reserved("con".into()), "con_");
        assert_eq!(avoid_reserved("NUL.tar".into()), "NUL_.tar");
        assert_eq!(avoid_reserved("console".into()), "console");
        assert_eq!(avoid_reserved("COM10".into()), "COM10");
    }
}
