//! What a sequence is: a name, the settings its shots use unless they say otherwise, and its shots in order.
//! Each shot keeps a stable id (takes and chains refer to it, so reordering or renaming loses nothing).

use serde::{Deserialize, Serialize};

use crate::request::{DraftSettings, RequestDraft};
use crate::store::JobRecord;

/// Where a shot's first frame comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FirstFrame {
    /// A picture on disk.
    Image { path: String },
    /// The last frame of the previous shot's take, as it appears in the finished clip (taken from the
    /// clip, not from the request: the model rarely ends exactly on a requested last frame).
    Previous,
    /// No first frame: the shot is made from its prompt alone.
    None,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Shot {
    pub id: String,
    pub prompt: String,
    pub first: FirstFrame,
    /// A picture the shot should end on (on the last shot: the film's last image).
    pub last_frame: Option<String>,
    /// `None`: the sequence's defaults.
    pub settings: Option<DraftSettings>,
    /// The take that goes into the film; `None`: the newest finished one.
    pub chosen_take: Option<String>,
}

/// The part of a sequence the user edits, stored as one document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SequenceDoc {
    pub defaults: DraftSettings,
    pub shots: Vec<Shot>,
}

impl SequenceDoc {
    /// The same document with every frame file name passed through `f` (paths to the webview's handles
    /// and back).
    pub fn map_frames<E>(&self, mut f: impl FnMut(&str) -> Result<String, E>) -> Result<Self, E> {
        let mut doc = self.clone();
        for shot in &mut doc.shots {
            if let FirstFrame::Image { path } = &mut shot.first {
                *path = f(path)?;
            }
            if let Some(last) = shot.last_frame.as_mut().filter(|l| !l.trim().is_empty()) {
                *last = f(last)?;
            }
        }
        Ok(doc)
    }
}

/// A stored sequence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct SequenceRecord {
    pub id: String,
    pub name: String,
    #[specta(type = f64)]
    pub created_at: i64,
    #[specta(type = f64)]
    pub updated_at: i64,
    pub doc: SequenceDoc,
}

/// A sequence in the list: enough to pick one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct SequenceSummary {
    pub id: String,
    pub name: String,
    #[specta(type = f64)]
    pub updated_at: i64,
    pub shots: u32,
}

impl Shot {
    /// A new shot with a fresh id.
    pub fn new(prompt: String, first: FirstFrame) -> Self {
        Self {
            id: crate::store::new_id(),
            prompt,
            first,
            last_frame: None,
            settings: None,
            chosen_take: None,
        }
    }

    /// The request this shot sends, with `first_frame` as its first frame (the picture, or for a chained
    /// shot the file the previous take's last frame will be written to).
    pub fn draft(&self, defaults: &DraftSettings, first_frame: Option<String>) -> RequestDraft {
        RequestDraft {
            prompt: self.prompt.clone(),
            first_frame,
            last_frame: self.last_frame.clone().filter(|f| !f.trim().is_empty()),
            settings: self.settings.clone().unwrap_or_else(|| defaults.clone()),
        }
    }
}

/// One take of a shot: its job, and for a chained take, the job whose last frame it starts from.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct Take {
    pub job: JobRecord,
    pub chained_from: Option<String>,
}

/// A shot's takes, oldest first, and the one that goes into the film now.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct ShotTakes {
    pub shot_id: String,
    pub takes: Vec<Take>,
    /// The chosen take when it is finished, else the newest finished take; `None`: no finished take yet.
    pub in_film: Option<String>,
}

/// A sequence with every shot's takes.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct SequenceView {
    pub sequence: SequenceRecord,
    pub shots: Vec<ShotTakes>,
}

impl ShotTakes {
    /// See [`ShotTakes::in_film`].
    pub fn from_takes(shot: &Shot, takes: Vec<Take>) -> Self {
        let done = |t: &&Take| {
            t.job.status == crate::store::JobStatus::Done && t.job.output_path.is_some()
        };
        let chosen = shot
            .chosen_take
            .as_deref()
            .and_then(|id| takes.iter().filter(done).find(|t| t.job.id == id));
        let in_film = chosen
            .or_else(|| takes.iter().filter(done).max_by_key(|t| t.job.created_at))
            .map(|t| t.job.id.clone());
        Self {
            shot_id: shot.id.clone(),
            takes,
            in_film,
        }
    }
}
