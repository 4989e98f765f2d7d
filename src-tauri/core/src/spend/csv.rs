//! The spend export: one row per job that counts (see `store::SpendRow`), for a spreadsheet.
//!
//! UTF-8 with a byte-order mark, so Excel opens Chinese batch names correctly; CRLF line ends and RFC 4180
//! quoting (a field with a comma, quote or line break is quoted, quotes doubled). A batch name starting
//! with `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet shows it as text instead of running it
//! as a formula. Dates are local (the OS's zone), `YYYY-MM-DD HH:MM:SS`.

use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::row_spend;
use crate::cost::CostRates;
use crate::i18n::{Message, UserFacing};
use crate::store::{Store, StoreError};

/// Why the export file was not written.
#[derive(Debug, thiserror::Error)]
pub enum SpendExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("could not write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl UserFacing for SpendExportError {
    fn kind(&self) -> &'static str {
        match self {
            Self::Store(e) => e.kind(),
            Self::Write { .. } => "spend_export_failed",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::Store(e) => e.msg(),
            Self::Write { path, .. } => Message::new("msg.spend.export_failed").arg("path", path),
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Store(e) => e.raw_cause(),
            Self::Write { source, .. } => Some(source.to_string()),
        }
    }
}

/// Writes [`spend_csv`] to `path` (replacing it whole: the save dialog asked first); returns the rows.
pub fn write_spend_csv(
    store: &Store,
    zone: &TimeZone,
    rates: &CostRates,
    path: &Path,
) -> Result<u32, SpendExportError> {
    let text = spend_csv(store, zone, rates)?;
    crate::durable::write_file(path, text.as_bytes()).map_err(|source| {
        SpendExportError::Write {
            path: path.to_owned(),
            source,
        }
    })?;
    let rows = text.matches("\r\n").count().saturating_sub(1);
    Ok(u32::try_from(rows).unwrap_or(u32::MAX))
}

const HEADER: [&str; 9] = [
    "date",
    "job_id",
    "batch",
    "item",
    "status",
    "audio",
    "tokens",
    "estimated_cost",
    "currency",
];

/// The whole file.
pub fn spend_csv(store: &Store, zone: &TimeZone, rates: &CostRates) -> Result<String, StoreError> {
    let mut out = String::from("\u{feff}");
    push_line(&mut out, HEADER.iter().map(|h| (*h).to_owned()));
    for row in store.spend_all()? {
        let (tokens, cost) = row_spend(&row, rates);
        let date = Timestamp::from_millisecond(row.at)
            .map(|t| {
                t.to_zoned(zone.clone())
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_default();
        push_line(
            &mut out,
            [
                date,
                row.job_id,
                row.batch_name.map(|n| defuse(&n)).unwrap_or_default(),
                row.item.map(|i| i.to_string()).unwrap_or_default(),
                row.status.as_str().to_owned(),
                if row.generate_audio { "yes" } else { "no" }.to_owned(),
                tokens.to_string(),
                format!("{cost:.4}"),
                rates.currency.clone(),
            ],
        );
    }
    Ok(out)
}

fn push_line(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(&field));
    }
    out.push_str("\r\n");
}

/// RFC 4180: quoted only when needed.
pub(super) fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// Text a spreadsheet would otherwise take as a formula.
pub(super) fn defuse(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}
