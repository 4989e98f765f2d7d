//! Where the window may go. It shows only the app's own pages: a navigation anywhere else is refused and
//! logged, so a page that got to run script cannot carry what it read to another site, nor load one that would
//! talk to the backend. The few web pages the app offers (see [`ExternalLink`]) open in the user's browser
//! instead, through the opener, and only those: this file holds the one list of them.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Runtime, Url};
use tauri_plugin_opener::OpenerExt;

use crate::error::{IpcResult, ShellError};

/// The page origins the app's own UI is served from (per platform), and the Vite dev server's when the
/// window loads it (`tauri dev`, a build without `custom-protocol`).
pub fn own_page_origins() -> Vec<String> {
    let mut origins = vec![
        "tauri://localhost".to_owned(),
        "http://tauri.localhost".to_owned(),
        "https://tauri.localhost".to_owned(),
    ];
    if cfg!(dev) {
        origins.push("http://127.0.0.1:1420".to_owned());
    }
    origins
}

/// Every web page the app opens in the browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternalLink {
    /// Where SinanCode explains how to get an API token.
    TokenHelp,
}

impl ExternalLink {
    pub const ALL: [ExternalLink; 1] = [ExternalLink::TokenHelp];

    pub fn url(self) -> &'static str {
        match self {
            ExternalLink::TokenHelp => "https://docs.sinancode.com/",
        }
    }

    /// The link `url` is, if it is one of [`ExternalLink::ALL`] exactly.
    pub fn find(url: &Url) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|link| Url::parse(link.url()).is_ok_and(|known| &known == url))
    }
}

/// What happens when the window is asked to show `url`.
#[derive(Debug, PartialEq, Eq)]
pub enum Navigation {
    /// One of the app's own pages.
    Allow,
    /// A page on the list: it opens in the browser, the window stays.
    OpenInBrowser(ExternalLink),
    Refuse,
}

pub fn decide(url: &Url) -> Navigation {
    if own_page_origins().contains(&origin_of(url)) {
        Navigation::Allow
    } else if let Some(link) = ExternalLink::find(url) {
        Navigation::OpenInBrowser(link)
    } else {
        Navigation::Refuse
    }
}

/// `scheme://host[:port]`, also for schemes the URL standard calls opaque (`tauri:`), and nothing that could
/// hold a secret (no path, query or credentials), so it can be logged.
fn origin_of(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    }
}

/// Applies [`decide`] to every navigation of every webview.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("navigation-guard")
        .on_navigation(|webview, url| match decide(url) {
            Navigation::Allow => true,
            Navigation::OpenInBrowser(link) => {
                if let Err(e) = open_external(webview, link) {
                    tracing::warn!("could not open {}: {}", link.url(), e.message.text("en"));
                }
                false
            }
            Navigation::Refuse => {
                tracing::warn!(
                    "refused to navigate the window away from the app, to {}",
                    origin_of(url)
                );
                false
            }
        })
        .build()
}

/// Opens one of the app's web pages in the user's browser.
pub fn open_external<R: Runtime, M: tauri::Manager<R>>(
    app: &M,
    link: ExternalLink,
) -> IpcResult<()> {
    let url = link.url();
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| ShellError::OpenLinkFailed {
            url: url.to_owned(),
            cause: e.to_string(),
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn decide_str(url: &str) -> Navigation {
        decide(&Url::parse(url).unwrap())
    }

    #[test]
    fn only_the_apps_own_pages_load_in_the_window() {
        for own in [
            "tauri://localhost/",
            "tauri://localhost/index.html#/settings",
            "http://tauri.localhost/",
            "https://tauri.localhost/assets/index.js",
        ] {
            assert_eq!(decide_str(own), Navigation::Allow, "{own}");
        }
        for other in [
            "https://example.com/",
            "http://127.0.0.1:8787/",
            "http://localhost/",
            "tauri://localhost.example.com/",
            "http://tauri.localhost:8080/",
            "https://tauri.localhost.example.com/",
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "blob:tauri://localhost/0b7e",
            "about:blank",
            "https://docs.sinancode.com/other-page",
            "http://docs.sinancode.com/",
        ] {
            assert_eq!(decide_str(other), Navigation::Refuse, "{other}");
        }
    }

    #[test]
    fn the_listed_pages_open_in_the_browser() {
        assert_eq!(
            decide_str("https://docs.sinancode.com"),
            Navigation::OpenInBrowser(ExternalLink::TokenHelp)
        );
        for link in ExternalLink::ALL {
            let url = Url::parse(link.url()).unwrap();
            assert_eq!(url.scheme(), "https", "{url}");
            assert_eq!(ExternalLink::find(&url), Some(link));
        }
    }

    #[test]
    fn the_logged_origin_holds_no_path_query_or_credentials() {
        let url = Url::parse("https://user:secret@example.com:8443/a?token=sk-1#x").unwrap();
        assert_eq!(origin_of(&url), "https://example.com:8443");
    }
}
