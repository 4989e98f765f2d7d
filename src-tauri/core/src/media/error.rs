use crate::i18n::{Message, UserFacing};

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("cannot listen on 127.0.0.1: {0}")]
    Bind(std::io::Error),
}

impl UserFacing for MediaError {
    fn kind(&self) -> &'static str {
        match self {
            Self::Bind(_) => "player_unavailable",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::Bind(_) => Message::verbatim(
                "The inline player could not start (the system refused a local connection). Open the video in \
                 the system player instead, or restart Seedance Studio.",
                "内置播放器无法启动（系统拒绝了本地连接）。请改用系统播放器打开视频，或重启 Seedance Studio。",
            ),
        }
    }
}
