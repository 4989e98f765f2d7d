//! What a generation will produce and roughly cost, before anything is sent.
//!
//! The service bills tokens ≈ W × H × (24 × seconds + 1) / 1024 (24 fps, plus one frame). The price per
//! token depends on the reseller and on audio, so money is only ever shown at a user-editable rate.

use serde::{Deserialize, Serialize};

use crate::request::{Ratio, Resolution, Settings};

#[cfg(test)]
mod tests;

/// Output frame size in pixels. `approximate` marks a size the published table does not state exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct OutputSize {
    pub width: u32,
    pub height: u32,
    pub approximate: bool,
}

const fn size(width: u32, height: u32) -> OutputSize {
    OutputSize {
        width,
        height,
        approximate: false,
    }
}

/// The fixed ratio an `Adaptive` request turns into: the nearest to the first frame's shape,
/// or 16:9 without a (usable) first frame. A fixed ratio is returned as is.
pub fn resolve_ratio(ratio: Ratio, first_frame_aspect: Option<f64>) -> Ratio {
    match (ratio, first_frame_aspect) {
        (Ratio::Adaptive, Some(aspect)) => nearest_fixed_ratio(aspect),
        (Ratio::Adaptive, None) => Ratio::R16x9,
        (fixed, _) => fixed,
    }
}

/// Nearest fixed ratio to `aspect` (width / height). Compared in log space so that 2:1 and 1:2 are
/// equally far from 1:1. A meaningless aspect (zero, negative, NaN, infinite) gives 16:9.
pub fn nearest_fixed_ratio(aspect: f64) -> Ratio {
    if !(aspect.is_finite() && aspect > 0.0) {
        return Ratio::R16x9;
    }
    let target = aspect.ln();
    let distance = |r: &Ratio| {
        r.aspect()
            .map_or(f64::INFINITY, |a| (a.ln() - target).abs())
    };
    Ratio::FIXED
        .into_iter()
        .min_by(|a, b| distance(a).total_cmp(&distance(b)))
        .unwrap_or(Ratio::R16x9)
}

/// Output size for a ratio and resolution (§5 of the API notes).
pub fn output_size(
    ratio: Ratio,
    resolution: Resolution,
    first_frame_aspect: Option<f64>,
) -> OutputSize {
    use Resolution::{P1080, P480, P720};
    match (resolve_ratio(ratio, first_frame_aspect), resolution) {
        (Ratio::R4x3, P480) => size(752, 560),
        (Ratio::R4x3, P720) => size(1112, 834),
        (Ratio::R4x3, P1080) => size(1664, 1248),
        (Ratio::R1x1, P480) => size(640, 640),
        (Ratio::R1x1, P720) => size(960, 960),
        (Ratio::R1x1, P1080) => size(1440, 1440),
        (Ratio::R3x4, P480) => size(560, 752),
        (Ratio::R3x4, P720) => size(834, 1112),
        (Ratio::R3x4, P1080) => size(1248, 1664),
        (Ratio::R9x16, P480) => size(496, 864),
        (Ratio::R9x16, P720) => size(720, 1280),
        (Ratio::R9x16, P1080) => size(1080, 1920),
        (Ratio::R21x9, P480) => size(992, 432),
        (Ratio::R21x9, P720) => size(1470, 630),
        // Not in the published table: scaled from the 720p size.
        (Ratio::R21x9, P1080) => OutputSize {
            width: 2206,
            height: 946,
            approximate: true,
        },
        // resolve_ratio never yields Adaptive; 16:9 is also its fallback.
        (Ratio::R16x9 | Ratio::Adaptive, P480) => size(864, 496),
        (Ratio::R16x9 | Ratio::Adaptive, P720) => size(1280, 720),
        (Ratio::R16x9 | Ratio::Adaptive, P1080) => size(1920, 1080),
    }
}

/// Billed tokens for a clip, rounded to the nearest token.
pub fn tokens_for(width: u32, height: u32, seconds: u8) -> u32 {
    // u128: W × H × frames of two u32 sides can pass u64.
    let frames = 24 * u128::from(seconds) + 1;
    let tokens = (u128::from(width) * u128::from(height) * frames + 512) / 1024;
    u32::try_from(tokens).unwrap_or(u32::MAX)
}

/// The user's price per million tokens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct CostRates {
    pub per_million_with_audio: f64,
    pub per_million_without_audio: f64,
    pub currency: String,
}

impl Default for CostRates {
    fn default() -> Self {
        Self {
            per_million_with_audio: 2.4,
            per_million_without_audio: 1.2,
            currency: "CNY".to_owned(),
        }
    }
}

impl CostRates {
    /// The rate that applies; a rate that is not a finite, non-negative number counts as 0 so the
    /// estimate stays a number the UI can show (the settings screen is where rates are checked).
    pub fn per_million(&self, generate_audio: bool) -> f64 {
        let rate = if generate_audio {
            self.per_million_with_audio
        } else {
            self.per_million_without_audio
        };
        if rate.is_finite() && rate >= 0.0 {
            rate
        } else {
            0.0
        }
    }

    pub fn cost_of(&self, tokens: u32, generate_audio: bool) -> f64 {
        f64::from(tokens) / 1_000_000.0 * self.per_million(generate_audio)
    }
}

/// What the estimate line under the settings shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Estimate {
    pub width: u32,
    pub height: u32,
    pub tokens_min: u32,
    /// Equal to `tokens_min` unless the duration is Auto (then 4 s .. 12 s).
    pub tokens_max: u32,
    pub cost_min: f64,
    pub cost_max: f64,
    pub currency: String,
    /// Draft clips cost less by an undocumented factor: show the numbers as "≈, lower".
    pub draft_lower: bool,
    /// The output size is itself a guess (21:9 at 1080p).
    pub approximate: bool,
}

/// Estimate for `settings`; `first_frame_aspect` (width / height) decides an adaptive ratio.
pub fn estimate(
    settings: &Settings,
    first_frame_aspect: Option<f64>,
    rates: &CostRates,
) -> Estimate {
    let out = output_size(settings.ratio, settings.resolution, first_frame_aspect);
    let (shortest, longest) = settings.duration.seconds_range();
    let tokens_min = tokens_for(out.width, out.height, shortest);
    let tokens_max = tokens_for(out.width, out.height, longest);
    Estimate {
        width: out.width,
        height: out.height,
        tokens_min,
        tokens_max,
        cost_min: rates.cost_of(tokens_min, settings.generate_audio),
        cost_max: rates.cost_of(tokens_max, settings.generate_audio),
        currency: rates.currency.clone(),
        draft_lower: settings.draft,
        approximate: out.approximate,
    }
}
