import { open, save } from "@tauri-apps/plugin-dialog";
import { useCallback, useEffect, useState } from "react";
import { commands, type ExportSelection, type ExportSummary, type ImportSummary } from "../bindings";
import { type IpcError, unwrap } from "../ipc";
import { registerTestHook } from "../testHooks";

export type TransferResult =
  | { type: "exported"; summary: ExportSummary }
  | { type: "imported"; summary: ImportSummary }
  | { type: "failed"; error: IpcError };

const JSON_FILTER = [{ name: "JSON", extensions: ["json"] }];

/**
 * Import and export through the native file dialogs; the result (or the reason it failed) to show.
 * `reload` reads the list again after an import.
 */
export function usePresetTransfer(embedFrames: boolean, reload: () => Promise<void>) {
  const [result, setResult] = useState<TransferResult | null>(null);
  const [busy, setBusy] = useState(false);

  const exportTo = useCallback(
    async (selection: ExportSelection, path: string) => {
      setBusy(true);
      setResult(null);
      try {
        const summary = await unwrap(commands.exportPresets(selection, embedFrames, path));
        setResult({ type: "exported", summary });
        return true;
      } catch (e) {
        setResult({ type: "failed", error: e as IpcError });
        return false;
      } finally {
        setBusy(false);
      }
    },
    [embedFrames],
  );

  /** All or nothing: on an error the list is left as it was, so it is not even read again. */
  const importFrom = useCallback(
    async (path: string) => {
      setBusy(true);
      setResult(null);
      try {
        const summary = await unwrap(commands.importPresets(path));
        await reload();
        setResult({ type: "imported", summary });
        return true;
      } catch (e) {
        setResult({ type: "failed", error: e as IpcError });
        return false;
      } finally {
        setBusy(false);
      }
    },
    [reload],
  );

  const chooseExport = useCallback(
    async (selection: ExportSelection) => {
      let path: string | null;
      try {
        path = await save({ defaultPath: "presets.json", filters: JSON_FILTER });
      } catch {
        return;
      }
      if (path) await exportTo(selection, path);
    },
    [exportTo],
  );

  const chooseImport = useCallback(async () => {
    let chosen: string | string[] | null;
    try {
      chosen = await open({ multiple: false, directory: false, filters: JSON_FILTER });
    } catch {
      return;
    }
    const path = Array.isArray(chosen) ? chosen[0] : chosen;
    if (path) await importFrom(path);
  }, [importFrom]);

  // End-to-end tests answer the file dialogs through the same paths as the dialogs' answers.
  useEffect(
    () =>
      registerTestHook("exportPresetsTo", (path: string, ids?: string[]) =>
        exportTo(ids ? { kind: "ids", ids } : { kind: "all_user_presets" }, path),
      ),
    [exportTo],
  );
  useEffect(() => registerTestHook("importPresetsFrom", (path: string) => importFrom(path)), [importFrom]);

  return { result, busy, chooseExport, chooseImport };
}
