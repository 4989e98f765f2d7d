import { useCallback, useEffect, useState } from "react";
import type { ExportSelection, ExportSummary, ImportSummary } from "../bindings";
import { type IpcError, ipc } from "../ipc";
import { registerTestHook } from "../testHooks";

export type TransferResult =
  | { type: "exported"; summary: ExportSummary }
  | { type: "imported"; summary: ImportSummary }
  | { type: "failed"; error: IpcError };

/**
 * Import and export. The backend opens the native file dialog itself (so no file path passes through
 * the page); a cancelled dialog changes nothing. The result (or the reason it failed) is kept to show.
 * `reload` reads the list again after an import.
 */
export function usePresetTransfer(embedFrames: boolean, reload: () => Promise<void>) {
  const [result, setResult] = useState<TransferResult | null>(null);
  const [busy, setBusy] = useState(false);

  const chooseExport = useCallback(
    async (selection: ExportSelection) => {
      setBusy(true);
      try {
        const summary = await ipc.exportPresets(selection, embedFrames);
        if (summary) setResult({ type: "exported", summary });
      } catch (e) {
        setResult({ type: "failed", error: e as IpcError });
      } finally {
        setBusy(false);
      }
    },
    [embedFrames],
  );

  /** All or nothing: on an error the list is left as it was, so it is not even read again. */
  const chooseImport = useCallback(async () => {
    setBusy(true);
    try {
      const summary = await ipc.importPresets();
      if (summary) {
        await reload();
        setResult({ type: "imported", summary });
      }
    } catch (e) {
      setResult({ type: "failed", error: e as IpcError });
    } finally {
      setBusy(false);
    }
  }, [reload]);

  // End-to-end tests cannot operate native dialogs: this tells the backend what the next one answers.
  useEffect(
    () => registerTestHook("answerNextFileDialog", (path: string | null) => ipc.answerNextFileDialog(path)),
    [],
  );

  return { result, busy, chooseExport, chooseImport };
}
