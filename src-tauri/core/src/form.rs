//! Everything the Generate form shows about its current state, computed in one call so the UI never
//! re-implements a rule: the problems (each tied to a field), the mode, the prompt counter and the estimate.

use serde::Serialize;

use crate::cost::{estimate, CostRates, Estimate};
use crate::request::{
    describe, prompt_stats, Duration, GenerationMode, Problem, PromptStats, Ratio, RequestDraft,
    Resolution, Settings,
};

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
        estimate: settings_of(draft).map(|s| estimate(&s, first_frame_aspect, rates)),
    }
}

/// The draft's settings when each one is a value the API knows, even if other rules are broken (an
/// empty prompt should not hide the estimate).
fn settings_of(draft: &RequestDraft) -> Option<Settings> {
    Some(Settings {
        resolution: Resolution::from_api(&draft.resolution)?,
        ratio: Ratio::from_api(&draft.ratio)?,
        duration: Duration::from_api(draft.duration)?,
        generate_audio: draft.generate_audio,
        camera_fixed: draft.camera_fixed,
        draft: draft.draft,
        watermark: draft.watermark,
    })
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
        d.ratio = "5:4".into();
        let c = check_form(&d, None, &CostRates::default());
        assert!(c.estimate.is_none());
        assert_eq!(c.problems[0].kind, "unknown_ratio");
    }
}
