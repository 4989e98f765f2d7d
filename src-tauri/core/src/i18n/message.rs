//! [`Message`]: what the user reads, as a catalog key and typed arguments rather than finished text, so
//! the UI renders it in the language it shows and a new language needs no code.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::catalog::{render, Language};

/// A key in every language's catalog (e.g. `msg.image_not_found`) and the values of its `{{placeholders}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Message {
    pub key: String,
    pub args: BTreeMap<String, Arg>,
}

/// The value of one placeholder. A nested message or a list of them is rendered in the same language
/// (a list one per line) before it is put in place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(untagged)]
pub enum Arg {
    Text(String),
    Number(f64),
    Message(Box<Message>),
    List(Vec<Message>),
}

// A number argument is never NaN (counts, sizes, seconds), so equality is an equivalence.
impl Eq for Arg {}
impl Eq for Message {}

/// The catalog key of [`Message::verbatim`]: text kept as it was written, one argument per language.
pub const VERBATIM_KEY: &str = "msg.text";

impl Message {
    pub fn new(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            args: BTreeMap::new(),
        }
    }

    /// Adds the value of the placeholder `{{name}}`.
    #[must_use]
    pub fn arg(mut self, name: &str, value: impl Into<Arg>) -> Self {
        self.args.insert(name.to_owned(), value.into());
        self
    }

    /// Text that exists only as finished sentences in English and Chinese, such as a job problem stored
    /// before messages had keys (see the store's migration 5). New messages are catalog keys.
    pub fn verbatim(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Self::new(VERBATIM_KEY)
            .arg("en", en.into())
            .arg("zh", zh.into())
    }

    /// Several messages, one per line.
    pub fn lines(items: Vec<Message>) -> Self {
        Self::new("msg.lines").arg("items", items)
    }

    /// The message in the language with this tag (`en`, `zh-CN`; anything else falls back to English).
    pub fn text(&self, language: &str) -> String {
        render(self, Language::from_tag(language))
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}

impl From<&Path> for Arg {
    fn from(value: &Path) -> Self {
        Self::Text(value.display().to_string())
    }
}

impl From<&std::path::PathBuf> for Arg {
    fn from(value: &std::path::PathBuf) -> Self {
        Self::from(value.as_path())
    }
}

impl From<Message> for Arg {
    fn from(value: Message) -> Self {
        Self::Message(Box::new(value))
    }
}

impl From<Vec<Message>> for Arg {
    fn from(value: Vec<Message>) -> Self {
        Self::List(value)
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            #[allow(clippy::cast_lossless, clippy::cast_precision_loss)]
            fn from(value: $t) -> Self {
                Self::Number(value as f64)
            }
        }
    )*};
}
number_arg!(u8, u16, u32, u64, usize, i32, i64, f64);
