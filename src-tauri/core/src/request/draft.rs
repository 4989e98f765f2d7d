//! From the raw form (what the UI or a preset file holds) to a checked request, and from there to the
//! exact JSON body of the create endpoint.

use serde::{Deserialize, Serialize};
use url::Url;

use super::prompt::PROMPT_MAX_CHARS;
use super::{DraftSettings, FrameSlot, GenerationMode, RequestError, Settings};

/// The generation form as typed: the prompt, the frames and the raw [`DraftSettings`], so that an unknown
/// word in a preset file or a bad number reaches [`RequestDraft::validate`] and is reported instead of
/// failing to load. Frames are local paths or URLs; their content is the images module's business. A
/// frame slot that is empty or blank counts as no frame (a cleared drop zone may arrive as "").
///
/// The settings are flattened: the JSON keeps one flat object, as stored in the job history and the
/// remembered form, and as the request fingerprint hashes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct RequestDraft {
    pub prompt: String,
    pub first_frame: Option<String>,
    pub last_frame: Option<String>,
    #[serde(flatten)]
    pub settings: DraftSettings,
}

/// A frame slot holding only whitespace is an empty slot, not a frame.
fn present(frame: &Option<String>) -> Option<&str> {
    frame.as_deref().filter(|f| !f.trim().is_empty())
}

impl RequestDraft {
    pub fn from_settings(
        prompt: String,
        first_frame: Option<String>,
        last_frame: Option<String>,
        settings: &Settings,
    ) -> Self {
        Self {
            prompt,
            first_frame,
            last_frame,
            settings: DraftSettings::from(settings),
        }
    }

    /// The mode badge; `None` while a last frame has no first frame.
    pub fn mode(&self) -> Option<GenerationMode> {
        GenerationMode::from_frames(
            present(&self.first_frame).is_some(),
            present(&self.last_frame).is_some(),
        )
    }

    /// Checks every rule of the create endpoint and reports every broken one, in this fixed order:
    /// prompt, frames, resolution, ratio, duration, draft.
    pub fn validate(&self) -> Result<ValidRequest, Vec<RequestError>> {
        let mut errors = Vec::new();

        // The prompt is sent as typed, so it is measured as typed: trimming here but not on the wire
        // would let a prompt past the limit through.
        let chars = self.prompt.chars().count();
        if self.prompt.trim().is_empty() {
            errors.push(RequestError::EmptyPrompt);
        } else if chars > PROMPT_MAX_CHARS {
            errors.push(RequestError::PromptTooLong { chars });
        }

        let first = present(&self.first_frame);
        let last = present(&self.last_frame);
        if first.is_none() && last.is_some() {
            errors.push(RequestError::LastFrameWithoutFirst);
        }

        errors.extend(self.settings.errors());
        match self.settings.known() {
            Some(settings) if errors.is_empty() => Ok(ValidRequest {
                prompt: self.prompt.clone(),
                first_frame: first.map(str::to_owned),
                last_frame: last.map(str::to_owned),
                settings,
            }),
            _ => Err(errors),
        }
    }
}

/// A request that passed [`RequestDraft::validate`]; the only way to build one.
/// Keeps the frames' local sources so the caller knows what to upload before creating the task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRequest {
    prompt: String,
    first_frame: Option<String>,
    last_frame: Option<String>,
    settings: Settings,
}

impl ValidRequest {
    pub fn prompt(&self) -> &str {
        &self.prompt
    }

    /// Local path or URL of the first frame, as given in the draft.
    pub fn first_frame(&self) -> Option<&str> {
        self.first_frame.as_deref()
    }

    /// Local path or URL of the last frame; only ever present together with a first frame.
    pub fn last_frame(&self) -> Option<&str> {
        self.last_frame.as_deref()
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn mode(&self) -> GenerationMode {
        match (&self.first_frame, &self.last_frame) {
            (None, _) => GenerationMode::TextToVideo,
            (Some(_), None) => GenerationMode::FirstFrame,
            (Some(_), Some(_)) => GenerationMode::FirstLastFrame,
        }
    }

    /// Back to the raw form, e.g. to store the request or load it into the form again.
    pub fn to_draft(&self) -> RequestDraft {
        RequestDraft::from_settings(
            self.prompt.clone(),
            self.first_frame.clone(),
            self.last_frame.clone(),
            &self.settings,
        )
    }

    /// The create body, with the uploaded URL of each frame this request has.
    ///
    /// Only the frames of this request are sent: a URL for a frame it does not have is ignored.
    /// A frame it has but whose URL is missing, or is not an http(s) URL (a local path handed over by
    /// mistake), is an error, so a request is never sent with a frame silently dropped.
    pub fn to_create_body(
        &self,
        first_frame_url: Option<&str>,
        last_frame_url: Option<&str>,
    ) -> Result<CreateBody, RequestError> {
        let first_frame = uploaded_url(&self.first_frame, first_frame_url, FrameSlot::First)?;
        let last_frame = uploaded_url(&self.last_frame, last_frame_url, FrameSlot::Last)?;
        Ok(CreateBody {
            prompt: self.prompt.clone(),
            first_frame,
            last_frame,
            settings: self.settings,
        })
    }
}

fn uploaded_url(
    source: &Option<String>,
    url: Option<&str>,
    frame: FrameSlot,
) -> Result<Option<String>, RequestError> {
    if source.is_none() {
        return Ok(None);
    }
    let url = url.ok_or(RequestError::FrameNotUploaded { frame })?;
    match Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => {
            Ok(Some(url.to_owned()))
        }
        _ => Err(RequestError::FrameNotUploaded { frame }),
    }
}

/// The JSON body of `POST /v1/generate/vol/seedance-pro-1.5`, field for field. Every setting is sent,
/// defaults included, so a change of the service's defaults cannot change what the user asked for;
/// absent frames are left out (the service is not promised to accept `null`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreateBody {
    prompt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_frame: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_frame: Option<String>,
    #[serde(flatten)]
    settings: Settings,
}

impl CreateBody {
    pub fn prompt(&self) -> &str {
        &self.prompt
    }

    pub fn first_frame_url(&self) -> Option<&str> {
        self.first_frame.as_deref()
    }

    pub fn last_frame_url(&self) -> Option<&str> {
        self.last_frame.as_deref()
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }
}
