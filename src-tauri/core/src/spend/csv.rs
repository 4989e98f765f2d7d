//! The spend export: one row per job that counts (see `store::SpendRow`), for a spreadsheet.
//!
//! UTF-8 with a byte-order mark, so Excel opens Chinese batch names correctly; CRLF line ends and RFC 4180
//! quoting (a field with a comma, quote or line break is quoted, quotes doubled). A batch name starting
//! with `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet shows it as text instead of running it
//! as a formula. Dates are local (the OS's zone), `YYYY-MM-DD HH:MM:SS`.

use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::row_spend;
use crate::cost::CostRates;
use crate::store::{Store, StoreError};

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
