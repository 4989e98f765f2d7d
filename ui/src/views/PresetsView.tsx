import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Preset } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { type IpcError, ipc } from "../ipc";
import { PresetRow, type RowActions } from "../presets/PresetRow";
import { usePresets } from "../presets/PresetsContext";
import { TransferResultNotice } from "../presets/TransferResultNotice";
import { usePresetTransfer } from "../presets/usePresetTransfer";
import { useMutation } from "../query";

/** The Presets manager: order, rename, duplicate, delete, default for new sessions, import and export. */
export function PresetsView() {
  const { t } = useTranslation();
  const { presets, error: listError, reload, replace } = usePresets();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [embedFrames, setEmbedFrames] = useState(true);
  const transfer = usePresetTransfer(embedFrames, reload);

  /** Runs one command, then shows the list as stored; an error is shown and the list read again. */
  const {
    run,
    pending: busy,
    error,
  } = useMutation(async (action: () => Promise<unknown>) => {
    try {
      await action();
    } finally {
      await reload();
    }
  });

  const actions = useMemo<RowActions>(
    () => ({
      // The row shows a rename error itself (a name already taken), so this one rejects instead.
      rename: async (id, name) => {
        await ipc.renamePreset(id, name);
        await reload();
      },
      duplicate: (id) => void run(() => ipc.duplicatePreset(id)),
      remove: async (id) => {
        await run(async () => {
          await ipc.deletePreset(id);
          setSelected((prev) => {
            const next = new Set(prev);
            next.delete(id);
            return next;
          });
        });
      },
      toggleDefault: (p: Preset) => void run(() => ipc.setDefaultPreset(p.is_default ? null : p.id)),
      move: (id, by) => {
        const ids = (presets ?? []).map((p) => p.id);
        const at = ids.indexOf(id);
        const to = at + by;
        if (at < 0 || to < 0 || to >= ids.length) return;
        [ids[at], ids[to]] = [ids[to], ids[at]];
        void run(async () => replace(await ipc.reorderPresets(ids)));
      },
      select: (id, on) =>
        setSelected((prev) => {
          const next = new Set(prev);
          if (on) next.add(id);
          else next.delete(id);
          return next;
        }),
    }),
    [presets, reload, replace, run],
  );

  const list = presets ?? [];
  // In the manager's order, whatever order the boxes were ticked in.
  const selectedIds = list.filter((p) => selected.has(p.id)).map((p) => p.id);
  const hasUserPresets = list.some((p) => !p.builtin);

  return (
    <section data-testid="presets-screen" aria-labelledby="presets-title" className="page presets-page">
      <h1 id="presets-title">{t("presets.title")}</h1>
      <p className="muted">{t("presets.intro")}</p>
      <div className="jobs-toolbar presets-toolbar">
        <button
          type="button"
          data-testid="presets-export-selected"
          disabled={transfer.busy || selectedIds.length === 0}
          onClick={() => void transfer.chooseExport({ kind: "ids", ids: selectedIds })}
        >
          {t("presets.exportSelected", { count: selectedIds.length })}
        </button>
        <button
          type="button"
          data-testid="presets-export-all"
          disabled={transfer.busy || !hasUserPresets}
          title={hasUserPresets ? undefined : t("presets.exportAllNone")}
          onClick={() => void transfer.chooseExport({ kind: "all_user_presets" })}
        >
          {t("presets.exportAll")}
        </button>
        <label className="check">
          <input
            type="checkbox"
            data-testid="presets-embed-frames"
            checked={embedFrames}
            onChange={(e) => setEmbedFrames(e.target.checked)}
          />
          {t("presets.embedFrames")}
        </label>
        <button
          type="button"
          data-testid="presets-import"
          disabled={transfer.busy}
          onClick={() => void transfer.chooseImport()}
        >
          {t("presets.import")}
        </button>
      </div>
      {transfer.result && <TransferResultNotice result={transfer.result} />}
      {(error ?? listError) && (
        <div data-testid="presets-error">
          <ErrorNotice error={(error ?? listError) as IpcError} />
        </div>
      )}
      {presets === null && !listError && <p className="muted">{t("jobs.loading")}</p>}
      <ul className="preset-list" aria-label={t("presets.listLabel")} data-testid="preset-list">
        {list.map((p, i) => (
          <PresetRow
            key={p.id}
            preset={p}
            index={i}
            count={list.length}
            selected={selected.has(p.id)}
            busy={busy}
            actions={actions}
          />
        ))}
      </ul>
    </section>
  );
}
