import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Preset } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { ConfirmPanel } from "../jobs/ConfirmPanel";
import { useMutation } from "../query";
import { presetName, settingsSummary } from "./format";

export interface RowActions {
  rename: (id: string, name: string) => Promise<void>;
  duplicate: (id: string) => void;
  remove: (id: string) => Promise<void>;
  toggleDefault: (preset: Preset) => void;
  move: (id: string, by: -1 | 1) => void;
  select: (id: string, selected: boolean) => void;
}

interface Props {
  preset: Preset;
  index: number;
  count: number;
  selected: boolean;
  busy: boolean;
  actions: RowActions;
}

export function PresetRow({ preset, index, count, selected, busy, actions }: Props) {
  const { t } = useTranslation();
  const [renaming, setRenaming] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const name = presetName(preset, t);
  const extras = [
    preset.prompt !== null ? t("presets.hasPrompt") : null,
    preset.first_frame !== null || preset.last_frame !== null ? t("presets.hasFrames") : null,
  ].filter(Boolean);

  return (
    <li className="preset-row" data-testid="preset-row" data-id={preset.id}>
      <input
        type="checkbox"
        aria-label={t("presets.selectOne", { name })}
        data-testid="preset-select-row"
        checked={selected}
        onChange={(e) => actions.select(preset.id, e.target.checked)}
      />
      <button
        type="button"
        className={preset.is_default ? "icon-button star on" : "icon-button star"}
        aria-pressed={preset.is_default}
        aria-label={t("presets.default", { name })}
        title={t("presets.defaultHelp")}
        data-testid="preset-default"
        disabled={busy}
        onClick={() => actions.toggleDefault(preset)}
      >
        {preset.is_default ? "★" : "☆"}
      </button>
      <div className="preset-main">
        {renaming ? (
          <RenameField
            initial={preset.name}
            onSave={async (next) => {
              await actions.rename(preset.id, next);
              setRenaming(false);
            }}
            onCancel={() => setRenaming(false)}
          />
        ) : (
          <p className="preset-name" data-testid="preset-name">
            {preset.builtin && <LockIcon label={t("presets.builtinLock")} help={t("presets.builtinHelp")} />}
            {name}
            {preset.is_default && <span className="badge">{t("presets.isDefault")}</span>}
          </p>
        )}
        <p className="muted small" data-testid="preset-summary">
          {[settingsSummary(preset.settings, t), ...extras].join(" · ")}
        </p>
      </div>
      <div className="preset-actions">
        <button
          type="button"
          className="small-button"
          aria-label={t("presets.moveUp", { name })}
          data-testid="preset-up"
          disabled={busy || index === 0}
          onClick={() => actions.move(preset.id, -1)}
        >
          ↑
        </button>
        <button
          type="button"
          className="small-button"
          aria-label={t("presets.moveDown", { name })}
          data-testid="preset-down"
          disabled={busy || index === count - 1}
          onClick={() => actions.move(preset.id, 1)}
        >
          ↓
        </button>
        {!preset.builtin && (
          <button
            type="button"
            className="small-button"
            data-testid="preset-rename"
            disabled={busy || renaming}
            onClick={() => setRenaming(true)}
          >
            {t("presets.rename")}
          </button>
        )}
        <button
          type="button"
          className="small-button"
          data-testid="preset-duplicate"
          disabled={busy}
          onClick={() => actions.duplicate(preset.id)}
        >
          {t("presets.duplicate")}
        </button>
        {!preset.builtin && (
          <button
            type="button"
            className="small-button"
            data-testid="preset-delete"
            disabled={busy}
            onClick={() => setConfirmDelete(true)}
          >
            {t("presets.delete")}
          </button>
        )}
      </div>
      {confirmDelete && (
        <ConfirmPanel
          title={t("presets.deleteTitle", { name })}
          confirmLabel={t("presets.delete")}
          danger
          busy={busy}
          onConfirm={() => void actions.remove(preset.id).finally(() => setConfirmDelete(false))}
          onCancel={() => setConfirmDelete(false)}
        >
          <p className="small">{t("presets.deleteExplain")}</p>
        </ConfirmPanel>
      )}
    </li>
  );
}

function RenameField({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (name: string) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState(initial);
  // A refusal (a name already taken) keeps the field open to fix it.
  const { run: save, pending: busy, error } = useMutation(onSave);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);

  const submit = () => {
    const next = value.trim();
    if (!next || busy) return;
    if (next === initial) return onCancel();
    void save(next);
  };
  return (
    <div className="rename">
      <input
        ref={input}
        aria-label={t("presets.newName")}
        data-testid="preset-rename-input"
        value={value}
        maxLength={80}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") submit();
          if (e.key === "Escape") onCancel();
        }}
      />
      <button type="button" className="small-button primary" data-testid="preset-rename-ok" onClick={submit}>
        {t("presets.renameOk")}
      </button>
      <button type="button" className="small-button" onClick={onCancel}>
        {t("generate.cancel")}
      </button>
      {error && <ErrorNotice error={error} />}
    </div>
  );
}

/** Drawn rather than an emoji, which not every system font has. */
function LockIcon({ label, help }: { label: string; help: string }) {
  return (
    <span className="lock" title={help}>
      <svg role="img" aria-label={label} width="12" height="14" viewBox="0 0 12 14">
        <path d="M3 6V4a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <rect x="1" y="6" width="10" height="8" rx="1.5" fill="currentColor" />
      </svg>
    </span>
  );
}
