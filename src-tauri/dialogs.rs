//! Native file dialogs the backend opens itself, so a file it writes or reads for the user (preset
//! export and import, a frame picked for the form) and the folder videos go to were chosen by the user in
//! the dialog and never named by the webview.
//!
//! A native dialog blocks its thread until answered, so each runs on the blocking pool ([`show`]), and
//! each answer becomes a path ([`path_of`]) or a clear internal error.

use std::path::{Path, PathBuf};

use tauri::AppHandle;
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};

use crate::error::{IpcResult, ShellError};

/// Opens a file dialog made by `dialog` on the blocking pool and waits for its answer.
async fn show<T: Send + 'static>(
    app: &AppHandle,
    dialog: impl FnOnce(FileDialogBuilder<tauri::Wry>) -> T + Send + 'static,
) -> IpcResult<T> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || dialog(app.dialog().file()))
        .await
        .map_err(|e| ShellError::Internal(e.to_string()).into())
}

/// A chosen entry as a local path (`what` names the dialog when the OS answered with something else).
fn path_of(chosen: FilePath, what: &str) -> Result<PathBuf, ShellError> {
    chosen
        .into_path()
        .map_err(|e| ShellError::Internal(format!("the {what} answered with no path: {e}")))
}

#[derive(Clone, Copy, Debug)]
pub enum JsonDialog {
    /// "Save as", suggesting `presets.json`.
    Save,
    Open,
}

/// The file the user chose, or `None` when they cancelled.
pub async fn choose_json_file(app: &AppHandle, dialog: JsonDialog) -> IpcResult<Option<PathBuf>> {
    if let Some(answer) = crate::test_hooks::dialog_answer(app) {
        return Ok(answer.map(|path| with_json_extension(path, dialog)));
    }
    let chosen = show(app, move |builder| {
        let builder = builder.add_filter("JSON", &["json"]);
        match dialog {
            JsonDialog::Save => builder.set_file_name("presets.json").blocking_save_file(),
            JsonDialog::Open => builder.blocking_pick_file(),
        }
    })
    .await?;
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    let path = path_of(chosen, "dialog")?;
    let with_extension = with_json_extension(path.clone(), dialog);
    // The dialog asked before replacing `path`, not the `.json` file it becomes.
    if with_extension != path && with_extension.exists() {
        return Err(ShellError::ExportFileExists {
            path: with_extension,
        }
        .into());
    }
    Ok(Some(with_extension))
}

/// What the frame picker offers (the formats intake reads or explains; the content decides, not the name).
const IMAGE_EXTENSIONS: [&str; 10] = [
    "png", "jpg", "jpeg", "webp", "bmp", "tif", "tiff", "gif", "heic", "heif",
];

/// The image the user picked in the native file picker; `None` when they cancelled. `filter_name` labels
/// the picker's image filter in the UI's language.
pub async fn choose_image_file(app: &AppHandle, filter_name: &str) -> IpcResult<Option<PathBuf>> {
    if let Some(answer) = crate::test_hooks::dialog_answer(app) {
        return Ok(answer);
    }
    let filter_name = filter_name.to_owned();
    let chosen = show(app, move |builder| {
        builder
            .add_filter(filter_name, &IMAGE_EXTENSIONS)
            .blocking_pick_file()
    })
    .await?;
    Ok(chosen.map(|c| path_of(c, "file picker")).transpose()?)
}

/// The images the user picked in the native file picker, several at once; `None` when they cancelled.
/// The test stand-in answers one file (a list of one).
pub async fn choose_image_files(
    app: &AppHandle,
    filter_name: &str,
) -> IpcResult<Option<Vec<PathBuf>>> {
    if let Some(answer) = crate::test_hooks::dialog_answer(app) {
        return Ok(answer.map(|p| vec![p]));
    }
    let filter_name = filter_name.to_owned();
    let chosen = show(app, move |builder| {
        builder
            .add_filter(filter_name, &IMAGE_EXTENSIONS)
            .blocking_pick_files()
    })
    .await?;
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    let paths = chosen
        .into_iter()
        .map(|c| path_of(c, "file picker"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(paths))
}

/// A batch file (CSV, TSV, text or JSONL) the user picked; `None` when they cancelled.
pub async fn choose_batch_file(app: &AppHandle, filter_name: &str) -> IpcResult<Option<PathBuf>> {
    if let Some(answer) = crate::test_hooks::dialog_answer(app) {
        return Ok(answer);
    }
    let filter_name = filter_name.to_owned();
    let chosen = show(app, move |builder| {
        builder
            .add_filter(filter_name, &["csv", "tsv", "txt", "jsonl", "ndjson"])
            .blocking_pick_file()
    })
    .await?;
    Ok(chosen.map(|c| path_of(c, "file picker")).transpose()?)
}

/// The folder the user picked in the native folder picker, starting at `start`; `None` when they cancelled.
pub async fn choose_folder(app: &AppHandle, start: &Path) -> IpcResult<Option<PathBuf>> {
    if let Some(answer) = crate::test_hooks::dialog_answer(app) {
        return Ok(answer);
    }
    let start = start.to_path_buf();
    let chosen = show(app, move |builder| {
        // A folder that does not exist yet (the default before the first video) would make some pickers fail.
        let builder = if start.is_dir() {
            builder.set_directory(&start)
        } else {
            builder
        };
        builder.blocking_pick_folder()
    })
    .await?;
    Ok(chosen.map(|c| path_of(c, "folder picker")).transpose()?)
}

/// "Save as" for a CSV file, suggesting `suggested`; a name typed without an extension gets `.csv`. `None`
/// when the user cancelled.
pub async fn choose_csv_save(app: &AppHandle, suggested: &str) -> IpcResult<Option<PathBuf>> {
    choose_export_file(app, suggested, &[("CSV", &["csv"])], "csv").await
}

/// "Save as" for a timeline for editors (FCPXML or EDL), suggesting `suggested`; a name typed without an
/// extension gets `extension`. `None` when the user cancelled.
pub async fn choose_timeline_save(
    app: &AppHandle,
    suggested: &str,
    extension: &'static str,
) -> IpcResult<Option<PathBuf>> {
    let filters: &'static [(&'static str, &'static [&'static str])] = match extension {
        "edl" => &[("EDL", &["edl"])],
        _ => &[("FCPXML", &["fcpxml"])],
    };
    choose_export_file(app, suggested, filters, extension).await
}

/// A name typed into a save dialog without an extension gets `.json`, as the dialog's filter
/// suggests (not every platform's dialog adds it). Any other extension is left for the export to refuse.
fn with_json_extension(path: PathBuf, dialog: JsonDialog) -> PathBuf {
    match dialog {
        JsonDialog::Save if path.extension().is_none() => path.with_extension("json"),
        _ => path,
    }
}

/// "Save as" for a batch's results: CSV or JSON, by the extension the user picks (a name without one
/// becomes `.csv`). `None` when they cancelled.
pub async fn choose_results_file(app: &AppHandle, suggested: &str) -> IpcResult<Option<PathBuf>> {
    choose_export_file(
        app,
        suggested,
        &[("CSV", &["csv"]), ("JSON", &["json"])],
        "csv",
    )
    .await
}

/// A save dialog for an exported file, with `filters` (name, extensions); a name typed without an
/// extension gets `default_extension`. Refused when that file exists: the dialog asked before replacing
/// the name typed, not the file it becomes. `None` when the user cancelled.
async fn choose_export_file(
    app: &AppHandle,
    suggested: &str,
    filters: &'static [(&'static str, &'static [&'static str])],
    default_extension: &'static str,
) -> IpcResult<Option<PathBuf>> {
    let with_extension = |path: PathBuf| {
        if path.extension().is_some() {
            path
        } else {
            path.with_extension(default_extension)
        }
    };
    if let Some(answer) = crate::test_hooks::dialog_answer(app) {
        return Ok(answer.map(with_extension));
    }
    let suggested = suggested.to_owned();
    let chosen = show(app, move |mut dialog| {
        for (name, extensions) in filters {
            dialog = dialog.add_filter(*name, extensions);
        }
        dialog.set_file_name(suggested).blocking_save_file()
    })
    .await?;
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    let path = path_of(chosen, "dialog")?;
    let named = with_extension(path.clone());
    if named != path && named.exists() {
        return Err(ShellError::ExportFileExists { path: named }.into());
    }
    Ok(Some(named))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_adds_json_only_when_no_extension_was_typed() {
        let save = |p: &str| with_json_extension(PathBuf::from(p), JsonDialog::Save);
        assert_eq!(save("/tmp/mine"), PathBuf::from("/tmp/mine.json"));
        assert_eq!(save("/tmp/mine.json"), PathBuf::from("/tmp/mine.json"));
        assert_eq!(save("/tmp/mine.txt"), PathBuf::from("/tmp/mine.txt"));
        let open = with_json_extension(PathBuf::from("/tmp/mine"), JsonDialog::Open);
        assert_eq!(open, PathBuf::from("/tmp/mine"));
    }
}
