//! Checks on preferences, so a bad value is reported on the Settings screen instead of failing later.

use std::path::Path;

use super::file_name::{parse_pattern, render_sample};
use super::{Preferences, PrefsError, RateField, CONCURRENT_JOBS_RANGE, HOLD_UNSENT_HOURS_RANGE};
use crate::api::validate_base_url;

impl Preferences {
    /// Every problem at once, so the Settings screen can mark all bad fields together.
    pub fn validate(&self) -> Result<(), Vec<PrefsError>> {
        let mut problems = Vec::new();
        if let Some(base) = self.api_base_override() {
            if let Err(e) = validate_base_url(base) {
                problems.push(PrefsError::InvalidApiBase(e));
            }
        }
        match parse_pattern(&self.file_name_pattern) {
            Err(e) => problems.push(e),
            Ok(_) if render_sample(&self.file_name_pattern).is_empty() => {
                problems.push(PrefsError::EmptyFileName {
                    pattern: self.file_name_pattern.clone(),
                });
            }
            Ok(_) => {}
        }
        let rates = [
            (RateField::WithAudio, self.cost_rates.per_million_with_audio),
            (
                RateField::WithoutAudio,
                self.cost_rates.per_million_without_audio,
            ),
        ];
        for (field, value) in rates {
            if !(value.is_finite() && value >= 0.0) {
                problems.push(PrefsError::InvalidRate { field, value });
            }
        }
        if !CONCURRENT_JOBS_RANGE.contains(&self.max_concurrent_jobs) {
            problems.push(PrefsError::ConcurrencyOutOfRange {
                value: self.max_concurrent_jobs,
            });
        }
        if !HOLD_UNSENT_HOURS_RANGE.contains(&self.hold_unsent_after_hours) {
            problems.push(PrefsError::HoldUnsentOutOfRange {
                value: self.hold_unsent_after_hours,
            });
        }
        let limits = [
            self.spend_limits.per_batch,
            self.spend_limits.per_day,
            self.spend_limits.per_month,
        ];
        for value in limits.into_iter().flatten() {
            if !crate::spend::SPEND_LIMIT_RANGE.contains(&value) {
                problems.push(PrefsError::SpendLimitOutOfRange { value });
            }
        }
        if !self.language.is_known() {
            problems.push(PrefsError::UnknownLanguage {
                tag: self.language.tag().to_owned(),
            });
        }
        if let Some(dir) = self.output_dir_override() {
            if !Path::new(dir).is_absolute() {
                problems.push(PrefsError::RelativeOutputDir {
                    path: dir.to_owned(),
                });
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}
