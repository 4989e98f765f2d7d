//! What each batch issue says: a `msg.batch.*` catalog key and its arguments (the words are in
//! `ui/src/i18n/<language>.json`).

use super::{BatchIssue, TemplatePart, Unmatched};
use crate::i18n::{Message, UserFacing};
use crate::request::FrameSlot;

fn slot_name(slot: FrameSlot) -> Message {
    Message::new(match slot {
        FrameSlot::First => "msg.batch.slot_first",
        FrameSlot::Last => "msg.batch.slot_last",
    })
}

fn part_name(part: TemplatePart) -> Message {
    Message::new(match part {
        TemplatePart::Prompt => "msg.batch.part_prompt",
        TemplatePart::Output => "msg.batch.part_output",
    })
}

impl UserFacing for BatchIssue {
    fn kind(&self) -> &'static str {
        match self {
            Self::FileUnreadable { .. } => "batch_file_unreadable",
            Self::FileTooLarge { .. } => "batch_file_too_large",
            Self::NotText { .. } => "batch_not_text",
            Self::FileEmpty { .. } => "batch_file_empty",
            Self::NoHeader { .. } => "batch_no_header",
            Self::FolderUnreadable { .. } => "batch_folder_unreadable",
            Self::FolderRefused { .. } => "batch_folder_refused",
            Self::FolderEmpty { .. } => "batch_folder_empty",
            Self::FolderNoImages { .. } => "batch_folder_no_images",
            Self::NoPaths => "batch_no_paths",
            Self::BadPairRule { .. } => "batch_bad_pair_rule",
            Self::DecodedGb18030 { .. } => "batch_decoded_gb18030",
            Self::NonImagesIgnored { .. } => "batch_non_images_ignored",
            Self::CsvUnclosedQuote { .. } => "batch_csv_unclosed_quote",
            Self::CsvTextAfterQuote { .. } => "batch_csv_text_after_quote",
            Self::CsvTooManyCells { .. } => "batch_csv_too_many_cells",
            Self::JsonlMalformed { .. } => "batch_jsonl_malformed",
            Self::JsonlNotObject => "batch_jsonl_not_object",
            Self::UnknownColumn { .. } => "batch_unknown_column",
            Self::DuplicateColumn { .. } => "batch_duplicate_column",
            Self::ReservedColumn { .. } => "batch_reserved_column",
            Self::Unmatched { reason, .. } => match reason {
                Unmatched::NoSuffix { .. } => "batch_unmatched_no_suffix",
                Unmatched::NoLast { .. } => "batch_unmatched_no_last",
                Unmatched::NoFirst { .. } => "batch_unmatched_no_first",
                Unmatched::Ambiguous { .. } => "batch_unmatched_ambiguous",
                Unmatched::OddOneOut => "batch_unmatched_odd",
            },
            Self::FrameNotFound { .. } => "batch_frame_not_found",
            Self::FrameRefused { .. } => "batch_frame_refused",
            Self::FrameOutsideFolder { .. } => "batch_frame_outside_folder",
            Self::NotAnImage { .. } => "batch_not_an_image",
            Self::BadCellValue { .. } => "batch_bad_cell_value",
            Self::BadFlag { .. } => "batch_bad_flag",
            Self::BadNumber { .. } => "batch_bad_number",
            Self::BadTakes { .. } => "batch_bad_takes",
            Self::DuplicateRow { .. } => "batch_duplicate_row",
            Self::DuplicateItem { .. } => "batch_duplicate_item",
            Self::TemplateUnclosed { .. } => "batch_template_unclosed",
            Self::TemplateUnknown { .. } => "batch_template_unknown",
            Self::TemplateNameWithoutImage { .. } => "batch_template_name_without_image",
            Self::UnknownPreset { .. } => "batch_unknown_preset",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::FileUnreadable { path, .. } => {
                Message::new("msg.batch.file_unreadable").arg("path", path)
            }
            Self::FileTooLarge { path, bytes, limit } => Message::new("msg.batch.file_too_large")
                .arg("path", path)
                .arg("size", crate::i18n::megabytes(*bytes))
                .arg("limit", crate::i18n::megabytes(*limit)),
            Self::NotText { path } => Message::new("msg.batch.not_text").arg("path", path),
            Self::FileEmpty { path } => Message::new("msg.batch.file_empty").arg("path", path),
            Self::NoHeader { path, known } => Message::new("msg.batch.no_header")
                .arg("path", path)
                .arg("known", known.as_str()),
            Self::FolderUnreadable { path, .. } => {
                Message::new("msg.batch.folder_unreadable").arg("path", path)
            }
            Self::FolderRefused { path, reason } => Message::new("msg.batch.folder_refused")
                .arg("path", path)
                .arg("reason", reason.clone()),
            Self::FolderEmpty { path } => Message::new("msg.batch.folder_empty").arg("path", path),
            Self::FolderNoImages { path, count } => Message::new("msg.batch.folder_no_images")
                .arg("path", path)
                .arg("count", *count),
            Self::NoPaths => Message::new("msg.batch.no_paths"),
            Self::BadPairRule { first, last } => Message::new("msg.batch.bad_pair_rule")
                .arg("first", first.as_str())
                .arg("last", last.as_str()),
            Self::DecodedGb18030 { path } => {
                Message::new("msg.batch.decoded_gb18030").arg("path", path)
            }
            Self::NonImagesIgnored { count } => {
                Message::new("msg.batch.non_images_ignored").arg("count", *count)
            }
            Self::CsvUnclosedQuote { char } => Message::new("msg.batch.csv_unclosed_quote")
                .arg("char", *char)
                .arg("quote", "\"\""),
            Self::CsvTextAfterQuote { char } => Message::new("msg.batch.csv_text_after_quote")
                .arg("char", *char)
                .arg("quote", "\"\""),
            Self::CsvTooManyCells { cells, columns } => {
                Message::new("msg.batch.csv_too_many_cells")
                    .arg("cells", *cells)
                    .arg("columns", *columns)
            }
            Self::JsonlMalformed { char, .. } => Message::new("msg.batch.jsonl_malformed")
                .arg("char", *char)
                .arg(
                    "example",
                    r#"{"first": "cat.jpg", "prompt": "A cat turns its head"}"#,
                ),
            Self::JsonlNotObject => Message::new("msg.batch.jsonl_not_object").arg(
                "example",
                r#"{"first": "cat.jpg", "prompt": "A cat turns its head"}"#,
            ),
            Self::UnknownColumn {
                header,
                suggestion,
                known,
            } => match suggestion {
                Some(suggestion) => Message::new("msg.batch.unknown_column_suggest")
                    .arg("suggestion", suggestion.as_str()),
                None => Message::new("msg.batch.unknown_column"),
            }
            .arg("header", header.as_str())
            .arg("placeholder", format!("{{{header}}}"))
            .arg("known", known.as_str()),
            Self::DuplicateColumn { header } => {
                Message::new("msg.batch.duplicate_column").arg("header", header.as_str())
            }
            Self::ReservedColumn { header } => Message::new("msg.batch.reserved_column")
                .arg("header", header.as_str())
                .arg(
                    "placeholder",
                    format!("{{{}}}", header.trim().to_lowercase()),
                ),
            Self::Unmatched { file, reason } => match reason {
                Unmatched::NoSuffix { first, last } => {
                    Message::new("msg.batch.unmatched_no_suffix")
                        .arg("first", first.as_str())
                        .arg("last", last.as_str())
                }
                Unmatched::NoLast { expected } => {
                    Message::new("msg.batch.unmatched_no_last").arg("expected", expected.as_str())
                }
                Unmatched::NoFirst { expected } => {
                    Message::new("msg.batch.unmatched_no_first").arg("expected", expected.as_str())
                }
                Unmatched::Ambiguous { others } => {
                    Message::new("msg.batch.unmatched_ambiguous").arg("others", others.join(", "))
                }
                Unmatched::OddOneOut => Message::new("msg.batch.unmatched_odd"),
            }
            .arg("file", file.as_str()),
            Self::FrameNotFound {
                slot,
                written,
                path,
            } => Message::new("msg.batch.frame_not_found")
                .arg("slot", slot_name(*slot))
                .arg("written", written.as_str())
                .arg("path", path),
            Self::FrameRefused { slot, path, reason } => Message::new("msg.batch.frame_refused")
                .arg("slot", slot_name(*slot))
                .arg("path", path)
                .arg("reason", reason.clone()),
            Self::FrameOutsideFolder {
                slot,
                written,
                path,
                folder,
            } => Message::new("msg.batch.frame_outside_folder")
                .arg("slot", slot_name(*slot))
                .arg("written", written.as_str())
                .arg("path", path)
                .arg("folder", folder),
            Self::NotAnImage { path } => Message::new("msg.batch.not_an_image").arg("path", path),
            Self::BadCellValue { value } => {
                Message::new("msg.batch.bad_cell_value").arg("value", value.as_str())
            }
            Self::BadFlag { value } => {
                Message::new("msg.batch.bad_flag").arg("value", value.as_str())
            }
            Self::BadNumber { value } => {
                Message::new("msg.batch.bad_number").arg("value", value.as_str())
            }
            Self::BadTakes { value, max } => Message::new("msg.batch.bad_takes")
                .arg("value", value.as_str())
                .arg("max", *max),
            Self::DuplicateRow { line } => Message::new("msg.batch.duplicate_row").arg("of", *line),
            Self::DuplicateItem { index } => {
                Message::new("msg.batch.duplicate_item").arg("of", *index)
            }
            Self::TemplateUnclosed { part, char } => Message::new("msg.batch.template_unclosed")
                .arg("part", part_name(*part))
                .arg("char", *char)
                .arg("open", "{{")
                .arg("close", "}}"),
            Self::TemplateUnknown { part, names, known } => {
                Message::new("msg.batch.template_unknown")
                    .arg("part", part_name(*part))
                    .arg("names", names.as_str())
                    .arg("known", known.as_str())
                    .arg("open", "{{")
                    .arg("close", "}}")
            }
            Self::TemplateNameWithoutImage { part } => {
                Message::new("msg.batch.template_name_without_image")
                    .arg("part", part_name(*part))
                    .arg("placeholder", "{name}")
            }
            Self::UnknownPreset { name } => {
                Message::new("msg.batch.unknown_preset").arg("name", name.as_str())
            }
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::FileUnreadable { cause, .. } | Self::FolderUnreadable { cause, .. } => {
                Some(cause.clone())
            }
            Self::JsonlMalformed { detail, .. } => Some(detail.clone()),
            _ => None,
        }
    }
}
