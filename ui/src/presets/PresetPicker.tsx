import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../components/ErrorNotice";
import { messageText } from "../i18n";
import { presetName } from "./format";
import { SavePresetForm } from "./SavePresetForm";
import type { PresetPickerState } from "./usePresetPicker";

interface Props {
  picker: PresetPickerState;
  hasPrompt: boolean;
  hasFrames: boolean;
}

/** Above the settings: which preset the form follows, whether it has been changed since, save and update. */
export function PresetPicker({ picker, hasPrompt, hasFrames }: Props) {
  const { t } = useTranslation();
  const [saving, setSaving] = useState(false);
  const [updated, setUpdated] = useState(false);
  const { presets, activePreset, modified } = picker;

  return (
    <div className="preset-picker" data-testid="preset-picker">
      <div className="preset-picker-row">
        <label className="field-inline">
          <span>{t("presets.picker.label")}</span>
          <select
            data-testid="preset-select"
            value={activePreset?.id ?? ""}
            disabled={presets === null}
            onChange={(e) => {
              setUpdated(false);
              if (e.target.value) void picker.apply(e.target.value);
              else picker.clearActive();
            }}
          >
            <option value="">{t("presets.picker.none")}</option>
            {presets?.map((p) => (
              <option key={p.id} value={p.id}>
                {p.builtin ? `🔒 ${presetName(p, t)}` : presetName(p, t)}
              </option>
            ))}
          </select>
        </label>
        {modified && (
          <>
            <span className="preset-modified" data-testid="preset-modified">
              {t("presets.picker.modified")}
            </span>
            <button
              type="button"
              className="small-button"
              data-testid="preset-reapply"
              onClick={() => activePreset && void picker.apply(activePreset.id)}
            >
              {t("presets.picker.reapply")}
            </button>
          </>
        )}
        <button
          type="button"
          className="small-button"
          data-testid="preset-save-new"
          aria-expanded={saving}
          onClick={() => setSaving((open) => !open)}
        >
          {t("presets.picker.saveNew")}
        </button>
        {activePreset && !activePreset.builtin && (
          <button
            type="button"
            className="small-button"
            data-testid="preset-update"
            onClick={() => {
              setUpdated(false);
              void picker.update().then(setUpdated);
            }}
          >
            {t("presets.picker.update")}
          </button>
        )}
        {updated && !modified && (
          <span className="muted small" role="status" data-testid="preset-updated">
            {t("presets.picker.updated")}
          </span>
        )}
      </div>
      {saving && (
        <SavePresetForm
          hasPrompt={hasPrompt}
          hasFrames={hasFrames}
          onSave={async (name, withPrompt, withFrames) => {
            await picker.saveNew(name, withPrompt, withFrames);
            setSaving(false);
            setUpdated(false);
          }}
          onCancel={() => setSaving(false)}
        />
      )}
      {picker.problems.length > 0 && (
        <ul className="field-problems preset-problems" role="alert" data-testid="preset-problems">
          {picker.problems.map((p) => (
            <li key={`${p.kind}-${p.field}`}>{messageText(t, p.msg)}</li>
          ))}
        </ul>
      )}
      {picker.error && (
        <div data-testid="preset-error">
          <ErrorNotice error={picker.error} />
        </div>
      )}
    </div>
  );
}
