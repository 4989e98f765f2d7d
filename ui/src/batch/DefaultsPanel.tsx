/**
 * The batch's own defaults: the prompt template (with the placeholders this source offers), takes per
 * item, the settings (a preset's, or the Generate form's as the user left them) and the batch's name.
 */
import { useTranslation } from "react-i18next";
import type { Preset } from "../bindings";
import { presetName } from "../presets/format";

interface Props {
  prompt: string;
  onPrompt: (v: string) => void;
  takes: number;
  onTakes: (v: number) => void;
  preset: string | null;
  onPreset: (id: string | null) => void;
  presets: Preset[];
  name: string;
  onName: (v: string) => void;
  placeholders: string[];
}

export function DefaultsPanel(p: Props) {
  const { t } = useTranslation();
  return (
    <section className="batch-defaults" aria-label={t("batch.defaults.label")}>
      <label className="batch-prompt">
        {t("batch.defaults.prompt")}
        <textarea
          data-testid="batch-prompt"
          rows={2}
          value={p.prompt}
          onChange={(e) => p.onPrompt(e.target.value)}
        />
      </label>
      <p className="small muted" data-testid="batch-placeholders">
        {t("batch.defaults.placeholders")}{" "}
        {p.placeholders.map((ph) => (
          <code key={ph}>{ph}</code>
        ))}
      </p>
      <div className="batch-defaults-row">
        <label>
          {t("batch.defaults.takes")}{" "}
          <input
            type="number"
            min={1}
            max={50}
            data-testid="batch-takes"
            value={p.takes}
            onChange={(e) => p.onTakes(Math.max(1, Number(e.target.value) || 1))}
          />
        </label>
        <label>
          {t("batch.defaults.settings")}{" "}
          <select
            data-testid="batch-preset"
            value={p.preset ?? ""}
            onChange={(e) => p.onPreset(e.target.value === "" ? null : e.target.value)}
          >
            <option value="">{t("batch.defaults.formSettings")}</option>
            {p.presets.map((preset) => (
              <option key={preset.id} value={preset.id}>
                {presetName(preset, t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("batch.defaults.name")}{" "}
          <input data-testid="batch-name" value={p.name} onChange={(e) => p.onName(e.target.value)} />
        </label>
      </div>
    </section>
  );
}
