//! Items × takes → the jobs a batch would create, each a [`RequestDraft`] checked by the Generate form's
//! own check ([`check_form`]) and priced by its estimate, with the batch's total. Pure: presets, prices and
//! the frames' shapes come in as arguments, so the review table can re-plan on every edit.
//!
//! An item's settings are, from weakest to strongest: the batch's (the form's), its preset's, its own
//! cells. An item with a blocking problem is left out of the jobs and the total, and listed with its
//! problems; a blocking problem of the batch itself (an unknown column) keeps the batch from starting.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use super::item::{index_of, BatchItem, BatchSource, Origin, MAX_TAKES};
use super::problem::{BatchIssue, BatchProblem, Spot, TemplatePart};
use super::table::{apply_settings, known_columns, RESERVED};
use super::template::{placeholders, render, Value};
use crate::cost::{CostRates, Estimate};
use crate::form::check_form;
use crate::presets::{find_by_name, Preset};
use crate::request::{DraftSettings, Field, Ratio, RequestDraft};

/// What the plan takes besides the source.
pub struct PlanInput<'a> {
    /// The batch's prompt template and settings (the Generate form as the user left it).
    pub form: &'a RequestDraft,
    /// Takes of an item that names none.
    pub takes: u32,
    /// Every preset, as [`crate::presets::PresetLibrary::list`] gives them.
    pub presets: &'a [Preset],
    pub rates: &'a CostRates,
    /// Width / height of a frame file, when known (an adaptive ratio follows it; without it the estimate
    /// assumes 16:9 and the total says it is approximate).
    pub frame_aspect: &'a dyn Fn(&Path) -> Option<f64>,
}

/// One create request the batch would send.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct PlannedJob {
    /// 1-based item number.
    pub item: u32,
    /// 1-based take of that item.
    pub take: u32,
    pub output: Option<String>,
    pub draft: RequestDraft,
}

/// One row of the review table.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct PlannedItem {
    pub index: u32,
    pub origin: Origin,
    /// The request as it would be sent (prompt filled in, settings resolved).
    pub draft: RequestDraft,
    pub takes: u32,
    pub output: Option<String>,
    /// Of one take; `None` while a setting is not one the service knows.
    pub estimate: Option<Estimate>,
    pub problems: Vec<BatchProblem>,
    /// A blocking problem keeps it out of the jobs and the total.
    pub excluded: bool,
}

/// The one number the confirmation states, and how sure it is.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct BatchTotal {
    pub items: u32,
    pub excluded_items: u32,
    pub jobs: u32,
    #[specta(type = f64)]
    pub tokens_min: u64,
    #[specta(type = f64)]
    pub tokens_max: u64,
    pub cost_min: f64,
    pub cost_max: f64,
    pub currency: String,
    /// Some jobs are drafts, which cost less by an undocumented factor.
    pub draft_lower: bool,
    /// Some sizes are guesses: an adaptive ratio whose frame's shape is not known yet, or 21:9 at 1080p.
    pub approximate: bool,
}

impl BatchTotal {
    /// Nothing yet, in `currency`.
    pub fn empty(currency: &str) -> Self {
        Self {
            items: 0,
            excluded_items: 0,
            jobs: 0,
            tokens_min: 0,
            tokens_max: 0,
            cost_min: 0.0,
            cost_max: 0.0,
            currency: currency.to_owned(),
            draft_lower: false,
            approximate: false,
        }
    }

    /// Adds `takes` jobs of estimate `e`; `shape_guessed`: their size is a guess the estimate does not know of.
    pub fn add(&mut self, e: &Estimate, takes: u32, shape_guessed: bool) {
        self.jobs += takes;
        self.tokens_min += u64::from(e.tokens_min) * u64::from(takes);
        self.tokens_max += u64::from(e.tokens_max) * u64::from(takes);
        self.cost_min += e.cost_min * f64::from(takes);
        self.cost_max += e.cost_max * f64::from(takes);
        self.draft_lower |= e.draft_lower;
        self.approximate |= e.approximate || shape_guessed;
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct BatchPlan {
    pub items: Vec<PlannedItem>,
    pub jobs: Vec<PlannedJob>,
    /// Problems of the batch as a whole and of lines that gave no item; blocking ones stop the batch.
    pub problems: Vec<BatchProblem>,
    pub total: BatchTotal,
}

impl BatchPlan {
    /// Something to send and nothing about the batch as a whole in the way.
    pub fn can_start(&self) -> bool {
        !self.jobs.is_empty() && self.problems.iter().all(|p| !p.blocking)
    }

    pub fn excluded(&self) -> impl Iterator<Item = &PlannedItem> {
        self.items.iter().filter(|i| i.excluded)
    }
}

/// Plans `source` with `input`.
pub fn plan(source: &BatchSource, input: &PlanInput<'_>) -> BatchPlan {
    let mut problems = source.problems.clone();
    problems.extend(column_problems(source, input.form));
    let default_takes = if (1..=MAX_TAKES).contains(&input.takes) {
        input.takes
    } else {
        let issue = BatchIssue::BadTakes {
            value: input.takes.to_string(),
            max: MAX_TAKES,
        };
        problems.push(issue.at(Spot::default()));
        1
    };
    let mut total = BatchTotal::empty(&input.rates.currency);
    let mut items = Vec::with_capacity(source.items.len());
    let mut jobs = Vec::new();
    for (at, item) in source.items.iter().enumerate() {
        let planned = plan_item(source, item, index_of(at), default_takes, input);
        total.items += 1;
        if planned.excluded {
            total.excluded_items += 1;
        } else if let Some(e) = &planned.estimate {
            total.add(e, planned.takes, guessed_shape(&planned.draft, input));
            for take in 1..=planned.takes {
                jobs.push(PlannedJob {
                    item: planned.index,
                    take,
                    output: planned.output.clone(),
                    draft: planned.draft.clone(),
                });
            }
        }
        items.push(planned);
    }
    BatchPlan {
        items,
        jobs,
        problems,
        total,
    }
}

fn aspect_of(draft: &RequestDraft, input: &PlanInput<'_>) -> Option<f64> {
    draft
        .first_frame
        .as_deref()
        .and_then(|f| (input.frame_aspect)(Path::new(f)))
}

/// An adaptive ratio with a first frame whose shape is not known: the estimate assumed 16:9.
fn guessed_shape(draft: &RequestDraft, input: &PlanInput<'_>) -> bool {
    draft.settings.ratio == Ratio::Adaptive.as_str()
        && draft.first_frame.is_some()
        && aspect_of(draft, input).is_none()
}

fn plan_item(
    source: &BatchSource,
    item: &BatchItem,
    index: u32,
    default_takes: u32,
    input: &PlanInput<'_>,
) -> PlannedItem {
    let spot = item.origin.spot(index);
    // A problem about a column goes to that row's cell when the row filled it, else to the row.
    let cell = |header: &str| -> Spot {
        let alias = format!("{header}_frame");
        let column = source.columns.iter().find(|c| {
            let key = c.key();
            key == header || key == alias
        });
        match column {
            Some(c)
                if spot.line.is_some()
                    && item.values.get(&c.key()).is_some_and(|v| !v.is_empty()) =>
            {
                spot.clone().with_column(c.position, c.header.clone())
            }
            _ => spot.clone(),
        }
    };
    let mut problems = item.problems.clone();

    let mut settings = input.form.settings.clone();
    if let Some(name) = &item.preset {
        match find_by_name(input.presets, name) {
            Some(preset) => settings = DraftSettings::from(&preset.settings),
            None => {
                problems.push(BatchIssue::UnknownPreset { name: name.clone() }.at(cell("preset")))
            }
        }
    }
    let settings = apply_settings(&settings, &item.settings);

    let value = |name: &str| -> Value {
        match name {
            "name" => item.name.clone().map_or(Value::NoImage, Value::Text),
            "index" => Value::Text(index.to_string()),
            _ => item
                .values
                .get(name)
                .map_or(Value::Unknown, |v| Value::Text(v.clone())),
        }
    };
    let known = || {
        RESERVED
            .iter()
            .map(|n| (*n).to_owned())
            .chain(item.values.keys().cloned())
            .map(|n| format!("{{{n}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let template = item.prompt.as_deref().unwrap_or(&input.form.prompt);
    let prompt = match render(template, TemplatePart::Prompt, value, known) {
        Ok(prompt) => prompt,
        Err(issue) => {
            problems.push(issue.at_field(cell("prompt"), Field::Prompt));
            template.to_owned()
        }
    };
    let output = item.output.as_deref().map(|template| {
        render(template, TemplatePart::Output, value, known).unwrap_or_else(|issue| {
            problems.push(issue.at(cell("output")));
            template.to_owned()
        })
    });

    let draft = RequestDraft {
        prompt,
        first_frame: item
            .first_frame
            .as_ref()
            .map(|f| f.path.display().to_string()),
        last_frame: item
            .last_frame
            .as_ref()
            .map(|f| f.path.display().to_string()),
        settings,
    };
    // The Generate form's own check: the same rules, the same messages, the same estimate.
    let check = check_form(&draft, aspect_of(&draft, input), input.rates);
    for problem in check.problems {
        let header = match problem.field {
            Field::Prompt => "prompt",
            Field::FirstFrame => "first",
            Field::LastFrame => "last",
            Field::Resolution => "resolution",
            Field::Ratio => "ratio",
            Field::Duration => "duration",
            Field::Draft => "draft",
        };
        problems.push(BatchProblem::from_request(problem, cell(header)));
    }
    let excluded = problems.iter().any(|p| p.blocking);
    PlannedItem {
        index,
        origin: item.origin.clone(),
        draft,
        takes: item.takes.unwrap_or(default_takes),
        output,
        estimate: check.estimate,
        problems,
        excluded,
    }
}

/// A column that is neither documented nor used by any template is most likely a typo (`resolutoin`)
/// whose values would silently not apply: it stops the batch until renamed.
fn column_problems(source: &BatchSource, form: &RequestDraft) -> Vec<BatchProblem> {
    let mut used: BTreeSet<String> = placeholders(&form.prompt).into_iter().collect();
    for item in &source.items {
        for template in [&item.prompt, &item.output].into_iter().flatten() {
            used.extend(placeholders(template));
        }
    }
    let known = known_columns();
    source
        .columns
        .iter()
        .filter(|c| !c.known && !used.contains(&c.key()))
        .map(|c| {
            let issue = BatchIssue::UnknownColumn {
                header: c.header.clone(),
                suggestion: nearest(&c.key(), &known),
                known: known.join(", "),
            };
            issue.at(Spot::line(c.line).with_column(c.position, c.header.clone()))
        })
        .collect()
}

/// The known column a typo most likely meant: at most two edits away (spaces and dashes read as `_`).
fn nearest(key: &str, known: &[String]) -> Option<String> {
    let key: String = key
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    known
        .iter()
        .map(|k| (edits(&key, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.clone())
}

/// Levenshtein distance, by characters.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_the_column_they_meant() {
        let known = known_columns();
        assert_eq!(nearest("resolutoin", &known).as_deref(), Some("resolution"));
        assert_eq!(
            nearest("camera fixed", &known).as_deref(),
            Some("camera_fixed")
        );
        assert_eq!(nearest("colour", &known), None);
        assert_eq!(edits("kitten", "sitting"), 3);
    }
}
