//! The language catalogs, shared with the UI: `ui/src/i18n/<language>.json` is the one place a message's
//! words live. Rust renders them with the rules the UI's i18next uses (`{{name}}` placeholders, a `_one`
//! / `_other` key chosen by a `count` argument, English where a language lacks a key), so a notification
//! reads exactly like the same message in the window.

use std::sync::LazyLock;

use serde_json::Value;

use super::message::{Arg, Message};

/// `(tag, catalog)` for every language the app ships, English first (the fallback). A new language is a
/// new line here and a new JSON file.
const SOURCES: &[(&str, &str)] = &[
    ("en", include_str!("../../../../ui/src/i18n/en.json")),
    ("zh-CN", include_str!("../../../../ui/src/i18n/zh-CN.json")),
];

static CATALOGS: LazyLock<Vec<Value>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(_, json)| serde_json::from_str(json).unwrap_or(Value::Null))
        .collect()
});

/// One of the shipped languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Language(usize);

impl Language {
    pub const ENGLISH: Self = Self(0);

    /// The shipped language closest to a tag such as `zh`, `zh-CN` or `en-GB`; English when none is.
    pub fn from_tag(tag: &str) -> Self {
        let lower = tag.to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or("");
        SOURCES
            .iter()
            .position(|(t, _)| t.eq_ignore_ascii_case(&lower))
            .or_else(|| {
                SOURCES.iter().position(|(t, _)| {
                    t.split('-')
                        .next()
                        .is_some_and(|p| p.eq_ignore_ascii_case(primary))
                })
            })
            .map_or(Self::ENGLISH, Self)
    }

    pub fn tag(self) -> &'static str {
        SOURCES[self.0].0
    }

    /// Every shipped language.
    pub fn all() -> impl Iterator<Item = Self> {
        (0..SOURCES.len()).map(Self)
    }

    /// The plural form i18next picks (`Intl.PluralRules`) for the few languages the app could ship: Chinese,
    /// Japanese and Korean have one form; the others tell one from many.
    fn plural_suffix(self, count: f64) -> &'static str {
        let primary = self.tag().split('-').next().unwrap_or("");
        if matches!(primary, "zh" | "ja" | "ko") || count != 1.0 {
            "other"
        } else {
            "one"
        }
    }
}

/// The raw template of `key` in `language`, without falling back to English.
pub fn template(language: Language, key: &str) -> Option<&'static str> {
    let mut node = CATALOGS.get(language.0)?;
    for part in key.split('.') {
        node = node.get(part)?;
    }
    node.as_str()
}

fn lookup(language: Language, message: &Message) -> Option<&'static str> {
    if let Some(Arg::Number(count)) = message.args.get("count") {
        let plural = format!("{}_{}", message.key, language.plural_suffix(*count));
        if let Some(t) = template(language, &plural) {
            return Some(t);
        }
    }
    template(language, &message.key)
}

/// The message in `language`: its template (English when the language has none) with every placeholder
/// filled. A key no catalog has renders as the key itself, as i18next does.
pub fn render(message: &Message, language: Language) -> String {
    let found = lookup(language, message).or_else(|| lookup(Language::ENGLISH, message));
    debug_assert!(
        found.is_some(),
        "no catalog has the message key {:?}",
        message.key
    );
    let Some(template) = found else {
        return message.key.clone();
    };
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            rest = &rest[open..];
            break;
        };
        let name = after[..close].trim();
        match message.args.get(name) {
            Some(value) => out.push_str(&arg_text(value, language)),
            None => {
                debug_assert!(false, "{:?} has no value for {{{{{name}}}}}", message.key);
                out.push_str(&rest[open..open + 2 + close + 2]);
            }
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

fn arg_text(arg: &Arg, language: Language) -> String {
    match arg {
        Arg::Text(text) => text.clone(),
        Arg::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Arg::Number(n) => n.to_string(),
        Arg::Message(inner) => render(inner, language),
        Arg::List(items) => items
            .iter()
            .map(|m| render(m, language))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Every `{{placeholder}}` name in a template, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        names.push(after[..close].trim());
        rest = &after[close + 2..];
    }
    names
}

/// Every string entry of a language's catalog as `(dotted.key, template)`.
pub fn entries(language: Language) -> Vec<(String, &'static str)> {
    fn walk(prefix: &str, node: &'static Value, out: &mut Vec<(String, &'static str)>) {
        match node {
            Value::Object(map) => {
                for (k, v) in map {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, v, out);
                }
            }
            Value::String(s) => out.push((prefix.to_owned(), s.as_str())),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(root) = CATALOGS.get(language.0) {
        walk("", root, &mut out);
    }
    out
}

#[cfg(test)]
mod tests;
