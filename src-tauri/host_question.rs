//! The question "may your API token go to this host?", asked in a native dialog the backend opens itself,
//! so neither the webview nor a settings file can answer it. Only the "Send" button is a yes; closing the
//! dialog is a no. The host is shown in its ASCII form, so a look-alike name cannot pass for another.

use std::future::Future;
use std::pin::Pin;

use seedance_core::credentials::HostQuestion;
use tauri::AppHandle;
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

pub struct NativeHostQuestion {
    pub app: AppHandle,
}

/// The dialog's words, in both languages the app ships (the question may come before any window shows
/// the user's language choice).
pub fn question_text(host: &str) -> String {
    format!(
        "Send your SinanCode API token to {host}?\n\n\
         This address is not SinanCode's own. Whoever runs it can use your token, and your account balance. \
         Answer Send only if you set this address yourself (for example your company's proxy). \
         If you did not, choose Don't send and clear the API address in Settings.\n\n\
         要把您的 SinanCode API 令牌发送到 {host} 吗？\n\n\
         该地址不是 SinanCode 自己的地址。运行该地址的人可以使用您的令牌和账户余额。\
         只有当这个地址是您自己设置的（例如公司的代理）时，才选择“发送”。\
         否则请选择“不发送”，并在“设置”中清除 API 地址。"
    )
}

impl HostQuestion for NativeHostQuestion {
    fn ask<'a>(&'a self, host: &'a str) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>> {
        let app = self.app.clone();
        let text = question_text(host);
        Box::pin(async move {
            // The dialog blocks until answered, so it waits on a worker thread, never the main one.
            tokio::task::spawn_blocking(move || {
                app.dialog()
                    .message(text)
                    .title("Seedance Studio: API token / API 令牌")
                    .kind(MessageDialogKind::Warning)
                    .buttons(MessageDialogButtons::OkCancelCustom(
                        "Send / 发送".to_owned(),
                        "Don't send / 不发送".to_owned(),
                    ))
                    .blocking_show()
            })
            .await
            .unwrap_or(false)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_question_names_the_host_in_both_languages() {
        let text = question_text("https://proxy.example.com:8443");
        assert_eq!(text.matches("https://proxy.example.com:8443").count(), 2);
        assert!(text.contains("Don't send") && text.contains("不发送"));
    }
}
