//! Everything the command prints goes through [`Out`], so every command has the same three faces: aligned
//! text with colours on a terminal, plain tab-separated lines when piped (no colours, no headers), and
//! `--json`, one JSON object per line. Words come from the app's catalogs (`i18n::Message`) in the
//! language of the locale or `--lang`; only data (ids, paths, numbers) is printed as it is.

use std::io::{IsTerminal, Write};

use seedance_core::i18n::{render, Language, Message};
use serde::Serialize;

use crate::cli::{ColorChoice, Global};
use crate::error::CliError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A person at a terminal (or `--color always`): headers, alignment, colours.
    Human,
    /// Piped: one record per line, fields separated by tabs.
    Plain,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Bold,
    Dim,
    Good,
    Warn,
    Bad,
}

pub struct Out {
    mode: Mode,
    color: bool,
    language: Language,
}

impl Out {
    /// Decides from the flags, the environment and whether standard output is a terminal.
    pub fn from_flags(global: &Global, env: impl Fn(&str) -> Option<String>) -> Self {
        let tty = std::io::stdout().is_terminal();
        let set = |name: &str| env(name).is_some_and(|v| !v.is_empty() && v != "0");
        let color = match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => set("CLICOLOR_FORCE") || (tty && !set("NO_COLOR")),
        };
        let mode = if global.json {
            Mode::Json
        } else if tty || color {
            Mode::Human
        } else {
            Mode::Plain
        };
        Self {
            mode,
            color: color && !global.json,
            language: language_of(global.lang.as_deref(), &env),
        }
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn json(&self) -> bool {
        self.mode == Mode::Json
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// The message in the user's language.
    pub fn text(&self, message: &Message) -> String {
        render(message, self.language)
    }

    /// `text` in a colour, when colours are on.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if !self.color {
            return text.to_owned();
        }
        let code = match style {
            Style::Bold => "1",
            Style::Dim => "2",
            Style::Good => "32",
            Style::Warn => "33",
            Style::Bad => "31",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// A line for people on standard output (nothing in `--json` mode, where the command prints its object).
    pub fn say(&self, message: &Message) {
        if !self.json() {
            self.line(&self.text(message));
        }
    }

    /// A styled line for people on standard output (nothing in `--json` mode).
    pub fn say_styled(&self, style: Style, message: &Message) {
        if !self.json() {
            self.line(&self.paint(style, &self.text(message)));
        }
    }

    pub fn line(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        // A closed pipe (`seedance jobs list | head`) is not an error worth reporting.
        let _ = writeln!(out, "{text}");
    }

    /// One JSON object on its own line (only in `--json` mode).
    pub fn object(&self, value: &impl Serialize) {
        if self.json() {
            // Our own types always serialise.
            let text = serde_json::to_string(value).unwrap_or_default();
            self.line(&text);
        }
    }

    /// A warning on standard error (in every mode: it is not data).
    pub fn warn(&self, message: &Message) {
        let text = self.text(message);
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{}", self.paint(Style::Warn, &text));
    }

    /// Rows: aligned under bold headers for people, tab-separated without headers when piped.
    pub fn table(&self, headers: &[Message], rows: &[Vec<String>]) {
        match self.mode {
            Mode::Json => {}
            Mode::Plain => {
                for row in rows {
                    self.line(&row.join("\t"));
                }
            }
            Mode::Human => {
                let headers: Vec<String> = headers.iter().map(|h| self.text(h)).collect();
                let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
                for row in rows {
                    for (i, cell) in row.iter().enumerate() {
                        if let Some(w) = widths.get_mut(i) {
                            *w = (*w).max(width(cell));
                        }
                    }
                }
                let render_row = |cells: &[String]| {
                    let last = cells.len().saturating_sub(1);
                    cells
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            if i == last {
                                c.clone()
                            } else {
                                let pad = widths[i].saturating_sub(width(c));
                                format!("{c}{}", " ".repeat(pad))
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("  ")
                };
                self.line(&self.paint(Style::Bold, &render_row(&headers)));
                for row in rows {
                    self.line(&render_row(row));
                }
            }
        }
    }

    /// Reports a failure: on standard error for people, as `{"error": …}` on standard output with `--json`.
    pub fn error(&self, error: &CliError) {
        if self.json() {
            self.object(&serde_json::json!({
                "error": {
                    "kind": error.kind,
                    "message": self.text(&error.message),
                    "exit_code": error.exit.code(),
                    "cause": error.cause,
                }
            }));
            return;
        }
        let mut err = std::io::stderr().lock();
        let label = self.text(&Message::new("msg.cli.error_label"));
        let _ = writeln!(
            err,
            "{} {}",
            self.paint(Style::Bad, &label),
            self.text(&error.message)
        );
        if let Some(cause) = &error.cause {
            let _ = writeln!(err, "{}", self.paint(Style::Dim, &format!("  ({cause})")));
        }
    }
}

/// Columns a text takes in a terminal: CJK characters take two, colour codes none.
fn width(text: &str) -> usize {
    let mut columns = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // `ESC [ … m`: skip to the end of the sequence.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        let wide = matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
        columns += if wide { 2 } else { 1 };
    }
    columns
}

/// `--lang`, else the POSIX locale variables in their order of precedence (`LC_ALL`, `LC_MESSAGES`,
/// `LANG`); English for `C`, `POSIX` and anything the app has no catalog for.
pub fn language_of(flag: Option<&str>, env: &impl Fn(&str) -> Option<String>) -> Language {
    let tag = flag.map(str::to_owned).or_else(|| {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| env(name).filter(|v| !v.is_empty()))
    });
    match tag {
        // `zh_CN.UTF-8@stroke` → `zh_CN`.
        Some(t) => Language::from_tag(t.split(['.', '@']).next().unwrap_or("")),
        None => Language::ENGLISH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn the_locale_picks_the_language_in_posix_order() {
        let zh = Language::from_tag("zh-CN");
        assert_eq!(language_of(None, &env(&[])), Language::ENGLISH);
        assert_eq!(language_of(None, &env(&[("LANG", "zh_CN.UTF-8")])), zh);
        assert_eq!(
            language_of(
                None,
                &env(&[("LANG", "zh_CN.UTF-8"), ("LC_MESSAGES", "en_US.UTF-8")])
            ),
            Language::ENGLISH
        );
        assert_eq!(
            language_of(None, &env(&[("LC_ALL", "zh_TW"), ("LC_MESSAGES", "en_US")])),
            zh
        );
        assert_eq!(
            language_of(None, &env(&[("LC_ALL", ""), ("LANG", "C.UTF-8")])),
            Language::ENGLISH
        );
        assert_eq!(
            language_of(Some("en"), &env(&[("LC_ALL", "zh_CN")])),
            Language::ENGLISH
        );
    }

    #[test]
    fn chinese_takes_two_columns_and_colours_none() {
        assert_eq!(width("ab"), 2);
        assert_eq!(width("完成"), 4);
        assert_eq!(width("\x1b[32mdone\x1b[0m"), 4);
    }
}
