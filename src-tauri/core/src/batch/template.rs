//! Prompt and output-name templates: `{name}` is the image's file stem, `{index}` the item's number
//! (from 1), `{color}` the cell of a file's `color` column in the item's row. Names are compared without
//! regard to case or surrounding spaces. A literal brace is written twice: `{{` gives `{`, `}}` gives `}`
//! (a lone `}` is also kept as is). A placeholder nothing stands for is a problem of that item, never a
//! silent blank.

use super::problem::TemplatePart;
use super::BatchIssue;

/// What a placeholder stands for in one item.
pub(crate) enum Value {
    Text(String),
    /// `{name}` in an item with no image.
    NoImage,
    Unknown,
}

enum Piece {
    Text(String),
    Placeholder(String),
}

/// The template's pieces, or the 1-based character of a `{` that is never closed.
fn pieces(template: &str) -> Result<Vec<Piece>, u32> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = template.chars().zip(1u32..).peekable();
    while let Some((c, at)) = chars.next() {
        match c {
            '{' if chars.peek().is_some_and(|(n, _)| *n == '{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek().is_some_and(|(n, _)| *n == '}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some(('}', _)) => break,
                        Some(('{', _)) | None => return Err(at),
                        Some((c, _)) => name.push(c),
                    }
                }
                out.push(Piece::Text(std::mem::take(&mut text)));
                out.push(Piece::Placeholder(name.trim().to_lowercase()));
            }
            c => text.push(c),
        }
    }
    out.push(Piece::Text(text));
    Ok(out)
}

/// Every placeholder name `template` uses, lower case (none if it is broken).
pub(crate) fn placeholders(template: &str) -> Vec<String> {
    pieces(template)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| match p {
            Piece::Placeholder(name) => Some(name),
            Piece::Text(_) => None,
        })
        .collect()
}

/// `template` with each placeholder replaced by what `value` says it stands for. `known` lists what the
/// item offers, for the message when something is unknown.
pub(crate) fn render(
    template: &str,
    part: TemplatePart,
    value: impl Fn(&str) -> Value,
    known: impl FnOnce() -> String,
) -> Result<String, BatchIssue> {
    let pieces = pieces(template).map_err(|char| BatchIssue::TemplateUnclosed { part, char })?;
    let mut out = String::with_capacity(template.len());
    let mut unknown: Vec<String> = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(&text),
            Piece::Placeholder(name) => match value(&name) {
                Value::Text(text) => out.push_str(&text),
                Value::NoImage => return Err(BatchIssue::TemplateNameWithoutImage { part }),
                Value::Unknown => {
                    let shown = format!("{{{name}}}");
                    if !unknown.contains(&shown) {
                        unknown.push(shown);
                    }
                }
            },
        }
    }
    if unknown.is_empty() {
        Ok(out)
    } else {
        Err(BatchIssue::TemplateUnknown {
            part,
            names: unknown.join(", "),
            known: known(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn fill(template: &str) -> Result<String, BatchIssue> {
        render(
            template,
            TemplatePart::Prompt,
            |name| match name {
                "name" => Value::Text("cat".into()),
                "index" => Value::Text("7".into()),
                "colour" => Value::Text("red".into()),
                _ => Value::Unknown,
            },
            || "{name}, {index}, {colour}".into(),
        )
    }

    #[test]
    fn placeholders_are_filled_and_doubled_braces_are_literal() {
        assert_eq!(
            fill("{name} #{ INDEX } in {Colour}").unwrap(),
            "cat #7 in red"
        );
        assert_eq!(fill("{{name}} is {name} }").unwrap(), "{name} is cat }");
        assert_eq!(fill("a}}b{{c").unwrap(), "a}b{c");
        assert_eq!(placeholders("{a} {{b}} { C }"), vec!["a", "c"]);
    }

    #[test]
    fn unknown_and_unclosed_placeholders_are_problems() {
        assert_eq!(
            fill("{name} {size} {Size} {mood}").unwrap_err(),
            BatchIssue::TemplateUnknown {
                part: TemplatePart::Prompt,
                names: "{size}, {mood}".into(),
                known: "{name}, {index}, {colour}".into(),
            }
        );
        assert_eq!(
            fill("一只猫 {name").unwrap_err(),
            BatchIssue::TemplateUnclosed {
                part: TemplatePart::Prompt,
                char: 5
            }
        );
        assert_eq!(
            fill("{a{b}").unwrap_err(),
            BatchIssue::TemplateUnclosed {
                part: TemplatePart::Prompt,
                char: 1
            }
        );
    }
}
