//! Planning: templates filled per item, takes, presets under the row's own cells, the Generate form's
//! check on every request, and the total of what would be sent.

use std::path::Path;

use seedance_core::batch::{from_file, plan, BatchPlan, BatchSource, PlanInput};
use seedance_core::cost::CostRates;
use seedance_core::form::check_form;
use seedance_core::i18n::Arg;
use seedance_core::presets::PresetParts;
use seedance_core::request::{DraftSettings, Field, RequestDraft};

use crate::support::batch::{kinds, places, plan_with, Folder};
use crate::support::presets::{form, Home};

/// Billed tokens as the service's notes give them: W × H × (24 × seconds + 1) / 1024, rounded.
fn billed(width: u64, height: u64, seconds: u64) -> u64 {
    (width * height * (24 * seconds + 1) + 512) / 1024
}

#[test]
fn templates_fill_name_index_and_columns_and_name_what_is_missing() {
    let folder = Folder::new();
    folder.touch(&["cat.jpg", "dog.jpg", "fox.jpg", "eel.jpg"]);
    let csv = folder.write(
        "t.csv",
        "first,prompt,colour,output\n\
         cat.jpg,A {colour} {name} (#{index}),red,{name}-{index}\n\
         dog.jpg,,blue,\n\
         ,{name} alone,green,\n\
         fox.jpg,Show {size} and {mood},,\n\
         eel.jpg,Show {{braces}} for { NAME },,{oops\n",
    );
    let source = from_file(&csv).unwrap();
    let plan = plan_with(&source, "Default {colour} prompt for {name}", &[]);
    let items = &plan.items;
    assert_eq!(items[0].draft.prompt, "A red cat (#1)");
    assert_eq!(items[0].output.as_deref(), Some("cat-1"));
    assert_eq!(
        items[1].draft.prompt, "Default blue prompt for dog",
        "an empty cell takes the batch's prompt"
    );
    assert_eq!(items[1].output, None);

    assert_eq!(
        places(&items[2].problems),
        [("batch_template_name_without_image", Some(4), Some(2))]
    );
    assert_eq!(items[2].problems[0].field, Some(Field::Prompt));
    assert_eq!(
        places(&items[3].problems),
        [("batch_template_unknown", Some(5), Some(2))]
    );
    let unknown = items[3].problems[0].msg.text("en");
    assert!(
        unknown.contains("uses {size}, {mood}, but this item has nothing by that name")
            && unknown.contains("{name}, {index}, {colour}"),
        "{unknown}"
    );
    assert_eq!(items[4].draft.prompt, "Show {braces} for eel");
    assert_eq!(
        places(&items[4].problems),
        [("batch_template_unclosed", Some(6), Some(4))]
    );
    assert!(items[4].problems[0]
        .msg
        .text("en")
        .contains("The output name has a brace at character 1"));

    let excluded: Vec<u32> = plan.excluded().map(|i| i.index).collect();
    assert_eq!(
        excluded,
        [3, 4, 5],
        "never sent with a placeholder left blank"
    );
    assert_eq!(plan.jobs.len(), 2);
}

/// A plan with the default form, two takes per item unless a row says otherwise, and these frame shapes.
fn plan_takes(
    source: &BatchSource,
    rates: &CostRates,
    frame_aspect: &dyn Fn(&Path) -> Option<f64>,
) -> BatchPlan {
    plan(
        source,
        &PlanInput {
            form: &RequestDraft::default(),
            takes: 2,
            presets: &[],
            rates,
            frame_aspect,
        },
    )
}

#[test]
fn takes_multiply_jobs_and_the_total_counts_only_what_would_be_sent() {
    let folder = Folder::new();
    folder.touch(&["a.jpg", "b.jpg", "c.jpg"]);
    let csv = folder.write(
        "takes.csv",
        "first,prompt,takes,resolution,duration\n\
         a.jpg,x,3,480p,5\n\
         b.jpg,y,,1080p,auto\n\
         c.jpg,z,2,4k,5\n",
    );
    let source = from_file(&csv).unwrap();
    let rates = CostRates::default();
    let plan = plan_takes(&source, &rates, &|_| None);
    let jobs: Vec<(u32, u32)> = plan.jobs.iter().map(|j| (j.item, j.take)).collect();
    assert_eq!(
        jobs,
        [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2)],
        "row takes, else the batch's"
    );
    assert_eq!(
        places(&plan.items[2].problems),
        [("unknown_resolution", Some(4), Some(4))]
    );
    let total = &plan.total;
    assert_eq!((total.items, total.excluded_items, total.jobs), (3, 1, 5));
    // Adaptive without a known frame shape: 16:9. 480p 5 s ×3; 1080p auto (4..12 s) ×2.
    assert_eq!(
        total.tokens_min,
        3 * billed(864, 496, 5) + 2 * billed(1920, 1080, 4)
    );
    assert_eq!(
        total.tokens_max,
        3 * billed(864, 496, 5) + 2 * billed(1920, 1080, 12)
    );
    let money = |tokens: u64| tokens as f64 / 1e6 * rates.per_million_with_audio;
    assert!((total.cost_min - money(total.tokens_min)).abs() < 1e-9);
    assert!((total.cost_max - money(total.tokens_max)).abs() < 1e-9);
    assert_eq!(total.currency, "CNY");
    assert!(total.approximate, "the adaptive ratio guessed 16:9");
    assert!(!total.draft_lower);

    // With the frames' shapes known (portrait), the same plan is exact and sized for 9:16.
    let plan = plan_takes(&source, &rates, &|_| Some(9.0 / 16.0));
    assert!(!plan.total.approximate);
    assert_eq!(
        plan.total.tokens_min,
        3 * billed(496, 864, 5) + 2 * billed(1080, 1920, 4)
    );
    let one = plan.items[0].estimate.as_ref().unwrap();
    assert_eq!((one.width, one.height), (496, 864));
}

#[test]
fn a_rows_preset_applies_under_its_own_cells_and_an_unknown_one_is_named() {
    let home = Home::new();
    let library = home.open();
    let mine = RequestDraft {
        settings: DraftSettings {
            ratio: "1:1".into(),
            resolution: "1080p".into(),
            duration: 8,
            generate_audio: false,
            ..DraftSettings::default()
        },
        ..form("")
    };
    library
        .create("Square Hero", &mine, PresetParts::default())
        .unwrap();
    let presets = library.list().unwrap();

    let folder = Folder::new();
    folder.touch(&["a.jpg", "b.jpg", "c.jpg", "d.jpg"]);
    let csv = folder.write(
        "presets.csv",
        "first,prompt,preset,duration\n\
         a.jpg,x,square hero,\n\
         b.jpg,y, SQUARE HERO ,6\n\
         c.jpg,z,草稿 480p,\n\
         d.jpg,w,Nope,\n",
    );
    let source = from_file(&csv).unwrap();
    let plan = plan_with(&source, "", &presets);
    let settings = |i: usize| &plan.items[i].draft.settings;
    assert_eq!(
        (
            settings(0).ratio.as_str(),
            settings(0).resolution.as_str(),
            settings(0).duration
        ),
        ("1:1", "1080p", 8)
    );
    assert!(!settings(0).generate_audio);
    assert_eq!(
        settings(1).duration,
        6,
        "the row's own cell wins over its preset"
    );
    assert_eq!(settings(1).ratio, "1:1");
    assert_eq!(
        (settings(2).resolution.as_str(), settings(2).draft),
        ("480p", true),
        "a starter also answers to its Chinese name"
    );
    assert_eq!(
        places(&plan.items[3].problems),
        [("batch_unknown_preset", Some(5), Some(3))]
    );
    assert!(plan.items[3].problems[0]
        .msg
        .text("en")
        .contains("No preset is named \"Nope\""));
    assert_eq!(plan.jobs.len(), 3);
    assert!(plan.total.draft_lower);
}

#[test]
fn each_request_is_judged_by_the_generate_forms_own_check() {
    let folder = Folder::new();
    folder.touch(&["a.jpg"]);
    let long = "字".repeat(2001);
    let csv = folder.write("long.csv", format!("first,prompt\na.jpg,{long}\na.jpg,\n"));
    let source = from_file(&csv).unwrap();
    let plan = plan_with(&source, "", &[]);

    // The same message the Generate screen shows for the same request, placed at the prompt cell.
    let on_form = check_form(&plan.items[0].draft, None, &CostRates::default());
    let [problem] = &plan.items[0].problems[..] else {
        panic!("{:?}", plan.items[0].problems)
    };
    assert_eq!(problem.kind, on_form.problems[0].kind);
    assert_eq!(problem.kind, "prompt_too_long");
    assert_eq!(problem.field, Some(Field::Prompt));
    assert_eq!((problem.at.line, problem.at.column), (Some(2), Some(2)));
    assert_eq!(
        problem.msg.args.get("problem"),
        Some(&Arg::Message(Box::new(on_form.problems[0].msg.clone())))
    );
    // An empty cell and an empty batch prompt: the form's empty-prompt rule, at the row.
    assert_eq!(kinds(&plan.items[1].problems), ["empty_prompt"]);
    assert_eq!(plan.items[1].problems[0].at.column, None);
    assert!(plan.jobs.is_empty());
}
