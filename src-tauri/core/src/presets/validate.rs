//! A preset obeys the same rules as a request (`RequestDraft::validate`), except that it may have no
//! prompt: a settings-only preset is checked with a stand-in prompt, a stored prompt by its own length.

use super::model::MAX_NAME_CHARS;
use super::PresetError;
use crate::request::{DraftSettings, RequestDraft, RequestError, Settings};

/// Stands in for the prompt of a settings-only preset, so the request rules can check the rest.
const STAND_IN_PROMPT: &str = "preset";

/// A trimmed, non-empty name of at most [`MAX_NAME_CHARS`] characters.
pub(super) fn checked_name(name: &str) -> Result<String, PresetError> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 {
        return Err(PresetError::NameEmpty);
    }
    if chars > MAX_NAME_CHARS {
        return Err(PresetError::NameTooLong { chars });
    }
    Ok(name.to_owned())
}

/// A slot holding only whitespace is an empty slot (as in the request rules).
pub(super) fn present(frame: &Option<String>) -> Option<&str> {
    frame.as_deref().filter(|f| !f.trim().is_empty())
}

/// What a preset keeps of a form, after the request rules passed.
pub(super) struct CheckedContent {
    pub settings: Settings,
    pub prompt: Option<String>,
}

/// Checks the settings (and prompt, and frame combination) a preset would keep. `prompt` is `None` for a
/// settings-only preset; `has_first`/`has_last` say which frames it keeps.
pub(super) fn check_content(
    settings: &DraftSettings,
    prompt: Option<&str>,
    has_first: bool,
    has_last: bool,
) -> Result<CheckedContent, Vec<RequestError>> {
    let prompt = prompt.filter(|p| !p.trim().is_empty());
    // Frames are only checked for their combination here; their content was checked when they were
    // copied (or decoded from a file), so any non-empty placeholder will do.
    let marker = |has: bool| has.then(|| "frame".to_owned());
    let probe = RequestDraft {
        prompt: prompt.unwrap_or(STAND_IN_PROMPT).to_owned(),
        first_frame: marker(has_first),
        last_frame: marker(has_last),
        settings: settings.clone(),
    };
    let valid = probe.validate()?;
    Ok(CheckedContent {
        settings: *valid.settings(),
        prompt: prompt.map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn an_empty_prompt_is_fine_for_a_settings_only_preset() {
        let form = DraftSettings::default();
        let checked = check_content(&form, Some("  "), false, false).unwrap();
        assert_eq!(checked.prompt, None);
        assert_eq!(checked.settings, Settings::default());
    }

    #[test]
    fn the_request_rules_apply_to_the_rest() {
        let form = DraftSettings {
            ratio: "5:4".into(),
            duration: 3,
            ..DraftSettings::default()
        };
        let errors = check_content(&form, None, false, true).err().unwrap();
        assert_eq!(
            errors,
            vec![
                RequestError::LastFrameWithoutFirst,
                RequestError::UnknownRatio {
                    value: "5:4".into()
                },
                RequestError::DurationOutOfRange { value: 3 },
            ]
        );
        let long = "字".repeat(2001);
        let errors = check_content(&DraftSettings::default(), Some(&long), false, false)
            .err()
            .unwrap();
        assert_eq!(errors, vec![RequestError::PromptTooLong { chars: 2001 }]);
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(checked_name("  Mine ").unwrap(), "Mine");
        assert!(matches!(checked_name(" "), Err(PresetError::NameEmpty)));
        let long = "名".repeat(MAX_NAME_CHARS + 1);
        assert!(matches!(
            checked_name(&long),
            Err(PresetError::NameTooLong { .. })
        ));
        assert!(checked_name(&"名".repeat(MAX_NAME_CHARS)).is_ok());
    }
}
