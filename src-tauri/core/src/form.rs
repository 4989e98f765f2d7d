//! Everything the Generate form shows about its current state, computed in one call so the UI never
//! re-implements a rule: the problems (each tied to a field), the mode, the prompt counter and the estimate.
//! And what the form offers ([`FormOptions`]): exported as a constant into the generated bindings, so the
//! UI declares no default, option list or rule of its own.

use serde::Serialize;

use crate::cost::{estimate, CostRates, Estimate};
use crate::request::{
    describe, prompt_stats, ClipSeconds, DraftSettings, Duration, GenerationMode, Problem,
    PromptStats, Ratio, RequestDraft, Resolution,
};
use crate::store::JobStatus;

/// What the settings panel and the job screens offer, in the order they show it.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct FormOptions {
    /// What a new form holds: the API's defaults.
    pub defaults: DraftSettings,
    pub resolutions: Vec<Resolution>,
    /// `adaptive` first; the UI shows it by its translated name, the others by their word.
    pub ratios: Vec<Ratio>,
    /// Explicit clip lengths, in seconds: `min..=max`.
    pub duration_min: u8,
    pub duration_max: u8,
    /// The duration value meaning "the model chooses".
    pub duration_auto: i32,
    /// Draft mode only runs at this resolution: turning draft on moves the form there.
    pub draft_resolution: Resolution,
    /// Every job status, in the order the status filter lists them.
    pub job_statuses: Vec<JobStatus>,
    /// The statuses in which nothing happens to a job without the user.
    pub settled_statuses: Vec<JobStatus>,
}

impl FormOptions {
    pub fn current() -> Self {
        Self {
            defaults: DraftSettings::default(),
            resolutions: Resolution::ALL.to_vec(),
            ratios: Ratio::ALL.to_vec(),
            duration_min: ClipSeconds::MIN,
            duration_max: ClipSeconds::MAX,
            duration_auto: Duration::AUTO_WIRE,
            draft_resolution: Resolution::DRAFT,
            job_statuses: JobStatus::ALL.to_vec(),
            settled_statuses: JobStatus::ALL
                .into_iter()
                .filter(|s| s.is_settled())
                .collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct FormCheck {
    /// Empty when the request can be sent.
    pub problems: Vec<Problem>,
    /// `None` only for a last frame without a first one.
    pub mode: Option<GenerationMode>,
    pub prompt: PromptStats,
    /// `None` while a setting is not one the API knows (nothing sensible to estimate).
    pub estimate: Option<Estimate>,
}

/// Checks the form as typed. `first_frame_aspect` (width / height of the first frame, when there is one)
/// decides what an adaptive ratio becomes.
pub fn check_form(
    draft: &RequestDraft,
    first_frame_aspect: Option<f64>,
    rates: &CostRates,
) -> FormCheck {
    let problems = match draft.validate() {
        Ok(_) => Vec::new(),
        Err(errors) => describe(&errors),
    };
    FormCheck {
        problems,
        mode: draft.mode(),
        prompt: prompt_stats(&draft.prompt),
        estimate: draft
            .settings
            .known()
            .map(|s| estimate(&s, first_frame_aspect, rates)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn empty_prompt_is_a_problem_but_the_estimate_still_shows() {
        let d = RequestDraft::default();
        let c = check_form(&d, None, &CostRates::default());
        assert_eq!(c.problems.len(), 1);
        assert_eq!(c.problems[0].kind, "empty_prompt");
        assert_eq!(c.mode, Some(GenerationMode::TextToVideo));
        assert_eq!(
            c.estimate.unwrap().tokens_min,
            108_900,
            "720p adaptive→16:9, 5 s"
        );
    }

    #[test]
    fn adaptive_follows_the_first_frame_and_unknown_words_hide_the_estimate() {
        let mut d = RequestDraft {
            prompt: "a fox".into(),
            ..RequestDraft::default()
        };
        d.first_frame = Some("/tmp/portrait.png".into());
        let c = check_form(&d, Some(9.0 / 16.0), &CostRates::default());
        assert!(c.problems.is_empty());
        assert_eq!(c.mode, Some(GenerationMode::FirstFrame));
        let e = c.estimate.unwrap();
        assert_eq!((e.width, e.height), (720, 1280));
        d.settings.ratio = "5:4".into();
        let c = check_form(&d, None, &CostRates::default());
        assert!(c.estimate.is_none());
        assert_eq!(c.problems[0].kind, "unknown_ratio");
    }

    #[test]
    fn every_option_offered_is_one_the_request_rules_accept() {
        let options = FormOptions::current();
        assert_eq!(options.defaults, RequestDraft::default().settings);
        let accepted = |settings: DraftSettings| {
            RequestDraft {
                prompt: "a fox".into(),
                settings,
                ..RequestDraft::default()
            }
            .validate()
            .is_ok()
        };
        let with = |change: &dyn Fn(&mut DraftSettings)| {
            let mut s = options.defaults.clone();
            change(&mut s);
            s
        };
        for r in &options.resolutions {
            assert!(accepted(with(&|s| s.resolution = r.as_str().into())));
        }
        for r in &options.ratios {
            assert!(accepted(with(&|s| s.ratio = r.as_str().into())));
        }
        let lengths = i32::from(options.duration_min)..=i32::from(options.duration_max);
        for d in lengths.clone().chain([options.duration_auto]) {
            assert!(accepted(with(&|s| s.duration = d)), "{d}");
        }
        for d in [lengths.start() - 1, lengths.end() + 1] {
            assert!(!accepted(with(&|s| s.duration = d)), "{d}");
        }
        let draft_at = |resolution: Resolution| {
            with(&|s| {
                s.draft = true;
                s.resolution = resolution.as_str().into();
            })
        };
        assert!(accepted(draft_at(options.draft_resolution)));
        for r in options
            .resolutions
            .iter()
            .filter(|r| **r != options.draft_resolution)
        {
            assert!(!accepted(draft_at(*r)), "{r:?}");
        }
        assert_eq!(options.job_statuses, JobStatus::ALL);
        for status in JobStatus::ALL {
            assert_eq!(
                options.settled_statuses.contains(&status),
                status.is_settled()
            );
        }
    }
}
