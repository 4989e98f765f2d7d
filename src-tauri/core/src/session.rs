//! Which service the app talks to and with which token: the real SinanCode API (hosts from the environment,
//! else the user's advanced setting, else production) or the built-in simulator in demo mode.

use crate::api::{validate_base_url, ApiConfig, BaseUrlError};
use crate::config::AppConfig;
use crate::prefs::Preferences;

/// The live service's configuration: an environment override wins (it is how tests and scripts point the
/// app elsewhere), then the API address from Settings, then production.
pub fn live_api_config(app: &AppConfig, prefs: &Preferences) -> Result<ApiConfig, BaseUrlError> {
    let mut api = app.api.clone();
    if !app.api_base_from_env {
        if let Some(base) = prefs.api_base_override() {
            api.api_base = validate_base_url(base)?;
        }
    }
    Ok(api)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn app(env_api: Option<&str>) -> AppConfig {
        let env_api = env_api.map(str::to_owned);
        AppConfig::resolve(
            move |k| {
                if k == crate::api::API_BASE_ENV {
                    env_api.clone()
                } else {
                    None
                }
            },
            Some("/d".into()),
        )
        .unwrap()
    }

    #[test]
    fn settings_override_applies_unless_the_environment_set_one() {
        let prefs = Preferences {
            api_base: Some("https://proxy.example.com".into()),
            ..Default::default()
        };
        let live = live_api_config(&app(None), &prefs).unwrap();
        assert_eq!(live.api_base.host_str(), Some("proxy.example.com"));
        assert_eq!(live.upload_base, ApiConfig::production().upload_base);

        let env = live_api_config(&app(Some("http://127.0.0.1:9")), &prefs).unwrap();
        assert_eq!(env.api_base.host_str(), Some("127.0.0.1"));

        let none = live_api_config(&app(None), &Preferences::default()).unwrap();
        assert_eq!(none, ApiConfig::production());

        let bad = Preferences {
            api_base: Some("http://example.com".into()),
            ..Default::default()
        };
        assert!(live_api_config(&app(None), &bad).is_err());
    }
}
