//! A sequence's film: the take in the film of every shot, in order, joined without re-encoding into one
//! MP4 in the output folder ([`crate::film::join`]), under the sequence's name (never over an existing
//! file), or in parts when its takes cannot share one film. Shots the user leaves out (clips that differ
//! from the others) are skipped; a shot with no finished take stops the join and is named, as a film
//! with a shot missing is not what was asked for.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::JobRunner;
use crate::film::{join, join_parts, JoinError, JoinOptions, MixedAudio};
use crate::i18n::{Message, UserFacing};
use crate::prefs::{output_file_name, unique_path};
use crate::store::StoreError;

/// The film written.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct JoinedFilm {
    pub path: String,
    pub clips: u32,
    pub duration_secs: f64,
    pub has_audio: bool,
    /// Some takes had sound and others not, and the user chose to leave the sound out.
    pub audio_dropped: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum FilmError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// These shots (1-based) have no finished take.
    #[error("shots without a finished take: {shots:?}")]
    MissingTakes { shots: Vec<u32> },
    #[error(transparent)]
    Join(#[from] JoinError),
}

impl UserFacing for FilmError {
    fn kind(&self) -> &'static str {
        match self {
            Self::Store(e) => e.kind(),
            Self::MissingTakes { .. } => "sequence_missing_takes",
            Self::Join(e) => e.kind(),
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::Store(e) => e.msg(),
            Self::MissingTakes { shots } => Message::new("msg.sequence.missing_takes").arg(
                "shots",
                shots
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Self::Join(e) => e.msg(),
        }
    }

    fn details(&self) -> Option<String> {
        match self {
            Self::Join(e) => e.details(),
            _ => None,
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Store(e) => e.raw_cause(),
            Self::Join(e) => e.raw_cause(),
            Self::MissingTakes { .. } => None,
        }
    }
}

impl JobRunner {
    /// The clips of the sequence's film in order: each shot's take in the film, except the shots whose
    /// ids are in `leave_out`.
    pub fn sequence_clips(
        &self,
        id: &str,
        leave_out: &[String],
    ) -> Result<Vec<PathBuf>, FilmError> {
        let view = self.sequence_view(id)?;
        let mut clips = Vec::new();
        let mut missing = Vec::new();
        for (at, shot) in view.shots.iter().enumerate() {
            if leave_out.contains(&shot.shot_id) {
                continue;
            }
            let path = shot.in_film.as_ref().and_then(|id| {
                shot.takes
                    .iter()
                    .find(|t| &t.job.id == id)
                    .and_then(|t| t.job.output_path.clone())
            });
            match path {
                Some(path) => clips.push(PathBuf::from(path)),
                None => missing.push(u32::try_from(at + 1).unwrap_or(u32::MAX)),
            }
        }
        if !missing.is_empty() {
            return Err(FilmError::MissingTakes { shots: missing });
        }
        Ok(clips)
    }

    /// Joins the sequence's film into the output folder (blocking: call from a blocking thread). With
    /// `drop_audio`, takes with and without sound join as a silent film instead of being refused.
    pub fn join_sequence(
        &self,
        id: &str,
        leave_out: &[String],
        drop_audio: bool,
    ) -> Result<JoinedFilm, FilmError> {
        let sequence = self.inner.store.get_sequence(id)?;
        let clips = self.sequence_clips(id, leave_out)?;
        let folder = self.film_folder()?;
        let output = unique_path(&folder, &output_file_name(&sequence.name), "mp4");
        let mixed_audio = if drop_audio {
            MixedAudio::DropAudio
        } else {
            MixedAudio::Refuse
        };
        join_film(id, &clips, &output, mixed_audio)
    }

    /// The film in parts, for takes that cannot all share one film (other sizes, ratios, encoder
    /// settings, or sound in some and not others): every run of consecutive takes that can is joined
    /// into its own file, "name - 1.mp4", "name - 2.mp4"… in shot order, each with its sound, so no take
    /// is left out. All or nothing: when one part fails, the parts already written are removed.
    pub fn join_sequence_parts(
        &self,
        id: &str,
        leave_out: &[String],
    ) -> Result<Vec<JoinedFilm>, FilmError> {
        let sequence = self.inner.store.get_sequence(id)?;
        let clips = self.sequence_clips(id, leave_out)?;
        let parts = join_parts(&clips)?;
        let folder = self.film_folder()?;
        let stem = output_file_name(&sequence.name);
        let mut films: Vec<JoinedFilm> = Vec::with_capacity(parts.len());
        for (at, part) in parts.into_iter().enumerate() {
            let output = unique_path(&folder, &format!("{stem} - {}", at + 1), "mp4");
            match join_film(id, &clips[part], &output, MixedAudio::Refuse) {
                Ok(film) => films.push(film),
                Err(error) => {
                    for film in &films {
                        let _ = std::fs::remove_file(&film.path);
                    }
                    return Err(error);
                }
            }
        }
        Ok(films)
    }

    /// The output folder, made if missing.
    fn film_folder(&self) -> Result<PathBuf, FilmError> {
        let folder = self.prefs().output_dir;
        std::fs::create_dir_all(&folder).map_err(|source| JoinError::Write {
            path: folder.clone(),
            source,
        })?;
        Ok(folder)
    }
}

fn join_film(
    sequence: &str,
    clips: &[PathBuf],
    output: &Path,
    mixed_audio: MixedAudio,
) -> Result<JoinedFilm, FilmError> {
    let options = JoinOptions { mixed_audio };
    let report = join(clips, output, &options, |_| ControlFlow::Continue(()))?;
    tracing::info!(
        sequence,
        clips = report.clips,
        bytes = report.bytes,
        "film joined"
    );
    Ok(JoinedFilm {
        path: output.display().to_string(),
        clips: u32::try_from(report.clips).unwrap_or(u32::MAX),
        duration_secs: report.duration_secs,
        has_audio: report.has_audio,
        audio_dropped: report.audio_dropped,
    })
}
