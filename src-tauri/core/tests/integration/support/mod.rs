//! Set-up shared by the areas' tests, one module per kind of thing set up.

pub mod api;
pub mod batch;
pub mod images;
pub mod job_worker;
pub mod jobs;
pub mod media;
pub mod pipeline;
pub mod presets;
pub mod raw_http;
pub mod rerun;
pub mod store;

use seedance_core::request::RequestDraft;

/// A form with only a prompt, every other field at its default.
pub fn text_draft(prompt: &str) -> RequestDraft {
    RequestDraft {
        prompt: prompt.into(),
        ..RequestDraft::default()
    }
}

/// A saved video is the served file with the app's recipe added (see `seedance_core::recipe`): every
/// top-level box except the movie header is byte for byte as served, and the recipe reads back.
pub fn assert_saved_video(
    path: impl AsRef<std::path::Path>,
    served: &[u8],
) -> seedance_core::recipe::Recipe {
    let path = path.as_ref();
    let saved = std::fs::read(path).unwrap();
    let boxes = |bytes: &[u8]| {
        let mut out = Vec::new();
        let mut at = 0usize;
        while at + 8 <= bytes.len() {
            let size = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            let size = if size == 0 { bytes.len() - at } else { size };
            out.push((
                bytes[at + 4..at + 8].to_vec(),
                bytes[at..at + size].to_vec(),
            ));
            at += size;
        }
        out
    };
    let (saved_boxes, served_boxes) = (boxes(&saved), boxes(served));
    assert_eq!(saved_boxes.len(), served_boxes.len(), "{}", path.display());
    for (s, o) in saved_boxes.iter().zip(&served_boxes) {
        assert_eq!(s.0, o.0, "box order of {}", path.display());
        if s.0 != b"moov" {
            assert!(
                s.1 == o.1,
                "{} box of {} changed",
                String::from_utf8_lossy(&s.0),
                path.display()
            );
        }
    }
    seedance_core::recipe::read_recipe(path).unwrap()
}
