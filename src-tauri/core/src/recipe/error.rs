//! Why a video's recipe could not be read (or written). Reading is what a user meets, by dropping a video
//! onto Generate: a video without a recipe (made elsewhere, or before recipes existed), one from a newer
//! app, and a file that is not a readable MP4 each say so and what to do instead.

use std::path::PathBuf;

use crate::film::ReadError;
use crate::i18n::{Message, UserFacing};

#[derive(Debug, thiserror::Error)]
pub enum RecipeError {
    #[error("cannot read {path}: {detail}")]
    Unreadable { path: PathBuf, detail: String },
    #[error("{path} is not an MP4 this app can read: {detail}")]
    NotAVideo { path: PathBuf, detail: String },
    #[error("{path} has no recipe")]
    NoRecipe { path: PathBuf },
    #[error("the recipe in {path} is damaged: {detail}")]
    Damaged { path: PathBuf, detail: String },
    #[error("the recipe in {path} was written by Seedance Studio {version}")]
    Newer { path: PathBuf, version: String },
    #[error("cannot write the recipe into {path}: {detail}")]
    Write { path: PathBuf, detail: String },
}

impl RecipeError {
    pub(super) fn from_read(path: &std::path::Path, e: ReadError) -> Self {
        let path = path.to_path_buf();
        match e {
            ReadError::Io(e) => Self::Unreadable {
                path,
                detail: e.to_string(),
            },
            ReadError::Damaged(detail) | ReadError::Unsupported(detail) => {
                Self::NotAVideo { path, detail }
            }
        }
    }
}

impl UserFacing for RecipeError {
    fn kind(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } => "recipe_unreadable",
            Self::NotAVideo { .. } => "recipe_not_a_video",
            Self::NoRecipe { .. } => "recipe_none",
            Self::Damaged { .. } => "recipe_damaged",
            Self::Newer { .. } => "recipe_newer",
            Self::Write { .. } => "recipe_write_failed",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::Unreadable { path, .. } => {
                Message::new("msg.recipe.unreadable").arg("path", path)
            }
            Self::NotAVideo { path, .. } => {
                Message::new("msg.recipe.not_a_video").arg("path", path)
            }
            Self::NoRecipe { path } => Message::new("msg.recipe.none").arg("path", path),
            Self::Damaged { path, .. } => Message::new("msg.recipe.damaged").arg("path", path),
            Self::Newer { path, version } => Message::new("msg.recipe.newer")
                .arg("path", path)
                .arg("version", version.as_str()),
            Self::Write { path, .. } => Message::new("msg.recipe.write_failed").arg("path", path),
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Unreadable { detail, .. }
            | Self::NotAVideo { detail, .. }
            | Self::Damaged { detail, .. }
            | Self::Write { detail, .. } => Some(detail.clone()),
            _ => None,
        }
    }
}
