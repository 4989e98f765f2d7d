//! The generation settings, spelled exactly as the SinanCode create endpoint spells them: typed
//! ([`Settings`], every value one the API knows) and as typed in a form or preset file ([`DraftSettings`]).
//! A parameter is declared here and nowhere else in the backend (a field in each struct, its default, and a
//! line in each of the two conversions, which the compiler points to): the request draft, the preset file
//! format, the form check and the UI's form options all take these two structs.

use serde::{Deserialize, Serialize};

use super::RequestError;

/// Output resolution (`resolution` in the API).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type,
)]
pub enum Resolution {
    #[serde(rename = "480p")]
    P480,
    #[default]
    #[serde(rename = "720p")]
    P720,
    #[serde(rename = "1080p")]
    P1080,
}

impl Resolution {
    pub const ALL: [Resolution; 3] = [Self::P480, Self::P720, Self::P1080];
    /// The only resolution the API runs draft mode at.
    pub const DRAFT: Resolution = Self::P480;

    /// The API's word for this resolution.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::P480 => "480p",
            Self::P720 => "720p",
            Self::P1080 => "1080p",
        }
    }

    /// Exact match only: the service rejects anything else, so "720P" must be reported, not guessed.
    pub fn from_api(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == word)
    }
}

/// Output aspect ratio (`ratio` in the API). `Adaptive` follows the first frame (16:9 for text-to-video).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type,
)]
pub enum Ratio {
    #[default]
    #[serde(rename = "adaptive")]
    Adaptive,
    #[serde(rename = "16:9")]
    R16x9,
    #[serde(rename = "4:3")]
    R4x3,
    #[serde(rename = "1:1")]
    R1x1,
    #[serde(rename = "3:4")]
    R3x4,
    #[serde(rename = "9:16")]
    R9x16,
    #[serde(rename = "21:9")]
    R21x9,
}

impl Ratio {
    pub const ALL: [Ratio; 7] = [
        Self::Adaptive,
        Self::R16x9,
        Self::R4x3,
        Self::R1x1,
        Self::R3x4,
        Self::R9x16,
        Self::R21x9,
    ];
    pub const FIXED: [Ratio; 6] = [
        Self::R16x9,
        Self::R4x3,
        Self::R1x1,
        Self::R3x4,
        Self::R9x16,
        Self::R21x9,
    ];

    /// The API's word for this ratio.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Adaptive => "adaptive",
            Self::R16x9 => "16:9",
            Self::R4x3 => "4:3",
            Self::R1x1 => "1:1",
            Self::R3x4 => "3:4",
            Self::R9x16 => "9:16",
            Self::R21x9 => "21:9",
        }
    }

    /// Exact match only, for the same reason as [`Resolution::from_api`].
    pub fn from_api(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == word)
    }

    /// Width / height of a fixed ratio; `None` for `Adaptive`, whose shape depends on the first frame.
    pub fn aspect(self) -> Option<f64> {
        let (w, h) = match self {
            Self::Adaptive => return None,
            Self::R16x9 => (16.0, 9.0),
            Self::R4x3 => (4.0, 3.0),
            Self::R1x1 => (1.0, 1.0),
            Self::R3x4 => (3.0, 4.0),
            Self::R9x16 => (9.0, 16.0),
            Self::R21x9 => (21.0, 9.0),
        };
        Some(w / h)
    }
}

/// A clip length the API accepts as an explicit duration: 4..=12 seconds.
/// The field is private so that an out-of-range length cannot be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClipSeconds(u8);

impl ClipSeconds {
    pub const MIN: u8 = 4;
    pub const MAX: u8 = 12;

    pub fn new(seconds: u8) -> Option<Self> {
        (Self::MIN..=Self::MAX)
            .contains(&seconds)
            .then_some(Self(seconds))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// Clip length (`duration` in the API): the model chooses (`-1` on the wire) or 4..=12 seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(try_from = "i32", into = "i32")]
#[specta(type = i32)]
pub enum Duration {
    Auto,
    Seconds(ClipSeconds),
}

impl Duration {
    /// The wire value for "the model chooses".
    pub const AUTO_WIRE: i32 = -1;

    /// An explicit duration, if `seconds` is one the API accepts.
    pub fn seconds(seconds: u8) -> Option<Self> {
        ClipSeconds::new(seconds).map(Self::Seconds)
    }

    /// Reads the API's integer form; `None` for 0..=3, 13+ and anything below -1.
    pub fn from_api(value: i32) -> Option<Self> {
        if value == Self::AUTO_WIRE {
            return Some(Self::Auto);
        }
        u8::try_from(value).ok().and_then(Self::seconds)
    }

    /// The API's integer form.
    pub fn to_api(self) -> i32 {
        match self {
            Self::Auto => Self::AUTO_WIRE,
            Self::Seconds(s) => i32::from(s.get()),
        }
    }

    /// Shortest and longest clip this duration can produce (Auto: whatever the model picks).
    pub fn seconds_range(self) -> (u8, u8) {
        match self {
            Self::Auto => (ClipSeconds::MIN, ClipSeconds::MAX),
            Self::Seconds(s) => (s.get(), s.get()),
        }
    }
}

impl Default for Duration {
    fn default() -> Self {
        Self::Seconds(ClipSeconds(5))
    }
}

impl TryFrom<i32> for Duration {
    type Error = RequestError;

    fn try_from(value: i32) -> Result<Self, Self::Error> {
        Self::from_api(value).ok_or(RequestError::DurationOutOfRange { value })
    }
}

impl From<Duration> for i32 {
    fn from(duration: Duration) -> Self {
        duration.to_api()
    }
}

/// Which kind of generation the frames make. Never chosen directly: it follows from the frames present.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum GenerationMode {
    TextToVideo,
    FirstFrame,
    FirstLastFrame,
}

impl GenerationMode {
    /// `None` for a last frame without a first frame, which the API does not accept.
    pub fn from_frames(has_first: bool, has_last: bool) -> Option<Self> {
        match (has_first, has_last) {
            (false, false) => Some(Self::TextToVideo),
            (true, false) => Some(Self::FirstFrame),
            (true, true) => Some(Self::FirstLastFrame),
            (false, true) => None,
        }
    }
}

/// Every setting of a generation except the prompt and frames. `Default` is the API's own defaults.
/// Field names are the API's, so this serialises straight into the create body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct Settings {
    pub resolution: Resolution,
    pub ratio: Ratio,
    pub duration: Duration,
    pub generate_audio: bool,
    pub camera_fixed: bool,
    pub draft: bool,
    pub watermark: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            resolution: Resolution::P720,
            ratio: Ratio::Adaptive,
            duration: Duration::default(),
            generate_audio: true,
            camera_fixed: false,
            draft: false,
            watermark: false,
        }
    }
}

/// The settings as typed: plain words and integers, so that an unknown word in a preset file or a bad
/// number reaches the request rules and is reported instead of failing to load. A missing field takes the
/// API's default. This is the one raw form: the request draft nests it (flattened, so the JSON the UI,
/// the job history and preset files hold keeps its shape), the preset file writes it, the form check reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct DraftSettings {
    pub resolution: String,
    pub ratio: String,
    /// Seconds, or -1 for Auto.
    pub duration: i32,
    pub generate_audio: bool,
    pub camera_fixed: bool,
    pub draft: bool,
    pub watermark: bool,
}

impl Default for DraftSettings {
    fn default() -> Self {
        Self::from(&Settings::default())
    }
}

impl From<&Settings> for DraftSettings {
    fn from(s: &Settings) -> Self {
        Self {
            resolution: s.resolution.as_str().to_owned(),
            ratio: s.ratio.as_str().to_owned(),
            duration: s.duration.to_api(),
            generate_audio: s.generate_audio,
            camera_fixed: s.camera_fixed,
            draft: s.draft,
            watermark: s.watermark,
        }
    }
}

impl DraftSettings {
    /// The typed settings when each value is one the API knows. The draft-needs-480p rule is not applied
    /// (see [`Self::errors`]): a form breaking only that rule still has a cost to show.
    pub fn known(&self) -> Option<Settings> {
        Some(Settings {
            resolution: Resolution::from_api(&self.resolution)?,
            ratio: Ratio::from_api(&self.ratio)?,
            duration: Duration::from_api(self.duration)?,
            generate_audio: self.generate_audio,
            camera_fixed: self.camera_fixed,
            draft: self.draft,
            watermark: self.watermark,
        })
    }

    /// Every rule these settings break, in a fixed order: resolution, ratio, duration, draft.
    pub fn errors(&self) -> Vec<RequestError> {
        let mut errors = Vec::new();
        let resolution = Resolution::from_api(&self.resolution);
        if resolution.is_none() {
            errors.push(RequestError::UnknownResolution {
                value: self.resolution.clone(),
            });
        }
        if Ratio::from_api(&self.ratio).is_none() {
            errors.push(RequestError::UnknownRatio {
                value: self.ratio.clone(),
            });
        }
        if Duration::from_api(self.duration).is_none() {
            errors.push(RequestError::DurationOutOfRange {
                value: self.duration,
            });
        }
        // Also reported for an unknown resolution: whatever it is, it is not 480p.
        if self.draft && resolution != Some(Resolution::DRAFT) {
            errors.push(RequestError::DraftNeedsLowResolution {
                resolution: self.resolution.clone(),
            });
        }
        errors
    }
}
