//! A batch file's bytes to text. Spreadsheets save text in more than one encoding, and a user cannot see
//! which: Excel's "CSV UTF-8" starts with a UTF-8 byte order mark, its "Unicode text" is UTF-16 (little
//! endian, with a mark), and its plain "CSV" on a Chinese Windows is GB18030 (code page 936, of which
//! GB18030 is the superset) with no mark at all.
//!
//! Rule: a byte order mark decides (UTF-8, UTF-16 LE or BE); otherwise valid UTF-8 is UTF-8; otherwise the
//! bytes are decoded as GB18030 if they are valid GB18030, and the source says so in a notice (so that
//! anything that went wrong is visible in the review table, with the advice to re-save as "CSV UTF-8").
//! We decode rather than refuse because a Chinese user's default Excel export is exactly this case and
//! refusing would fail them on their first file; text in any other legacy encoding (Windows-1252, Shift
//! JIS…) seldom forms valid GB18030, and is refused with the advice to re-save as "CSV UTF-8". Bytes with
//! NUL in them (UTF-16 without its mark, a spreadsheet's binary .xlsx) are refused the same way.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use encoding_rs::{Encoding, GB18030, UTF_8};

use super::BatchIssue;

/// The largest batch file read: far above any real batch (10 000 rows of long prompts is about 5 MB), low
/// enough that a wrong file picked by mistake is refused quickly instead of filling memory.
pub const MAX_BATCH_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Text and how it was found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub text: String,
    /// No mark, not UTF-8: read as GB18030.
    pub gb18030: bool,
}

/// Reads `path` (at most [`MAX_BATCH_FILE_BYTES`]) and decodes it.
pub(crate) fn read_text(path: &Path) -> Result<Decoded, BatchIssue> {
    let unreadable = |e: std::io::Error| BatchIssue::FileUnreadable {
        path: path.to_path_buf(),
        cause: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    // One byte past the limit tells "at the limit" from "above it" without trusting the file's size.
    file.take(MAX_BATCH_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_BATCH_FILE_BYTES {
        let bytes = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(BatchIssue::FileTooLarge {
            path: path.to_path_buf(),
            bytes,
            limit: MAX_BATCH_FILE_BYTES,
        });
    }
    decode(&bytes).ok_or_else(|| BatchIssue::NotText {
        path: path.to_path_buf(),
    })
}

/// The text of `bytes` by the rule in the module doc; `None` when it is none of those encodings.
pub(crate) fn decode(bytes: &[u8]) -> Option<Decoded> {
    if let Some((encoding, mark)) = Encoding::for_bom(bytes) {
        let text = strict(encoding, &bytes[mark..])?;
        return no_nul(text, false);
    }
    if let Some(text) = strict(UTF_8, bytes) {
        return no_nul(text, false);
    }
    // UTF-16 without its mark is full of NUL bytes, which GB18030 would take as text.
    if bytes.contains(&0) {
        return None;
    }
    no_nul(strict(GB18030, bytes)?, true)
}

fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(Cow::into_owned)
}

/// Text never holds NUL: a file that does is binary, or UTF-16 read with the wrong byte order.
fn no_nul(text: String, gb18030: bool) -> Option<Decoded> {
    (!text.contains('\0')).then_some(Decoded { text, gb18030 })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn utf16le(text: &str, mark: bool) -> Vec<u8> {
        let mut out = if mark { vec![0xFF, 0xFE] } else { vec![] };
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    #[test]
    fn marks_decide_and_are_removed() {
        let text = "first,prompt\na.jpg,一只猫\n";
        let mut utf8 = vec![0xEF, 0xBB, 0xBF];
        utf8.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&utf8).unwrap().text, text);
        assert_eq!(decode(&utf16le(text, true)).unwrap().text, text);
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap().text, text);
        assert!(!decode(&be).unwrap().gb18030);
    }

    #[test]
    fn gb18030_is_read_and_said_and_other_encodings_are_refused() {
        let (bytes, _, _) = GB18030.encode("first,prompt\na.jpg,一只猫在海边奔跑\n");
        assert!(std::str::from_utf8(&bytes).is_err());
        let decoded = decode(&bytes).unwrap();
        assert!(decoded.gb18030);
        assert!(decoded.text.contains("一只猫在海边奔跑"));
        // UTF-16 without a mark, and a lone trailing lead byte (neither UTF-8 nor GB18030).
        assert_eq!(decode(&utf16le("first,prompt\n", false)), None);
        assert_eq!(decode(b"first,prompt\na.jpg,caf\x81"), None);
        // A mark followed by bytes that are not that encoding.
        assert_eq!(decode(&[0xEF, 0xBB, 0xBF, 0xFF, b'a']), None);
    }
}
