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
            Self::Bind(_) => Message::new("msg.media.player_unavailable"),
        }
    }
}
