import { useTranslation } from "react-i18next";
import type { DraftSettings, Field, Problem } from "../bindings";
import { FieldProblems, fieldProblemsId, problemsFor } from "./FieldProblems";
import { clipSeconds, formOptions } from "./options";

/**
 * The generation settings. The menus list what the backend offers (`formOptions`); each on/off setting is one
 * checkbox here, labelled from the language files.
 */
interface Props {
  settings: Required<DraftSettings>;
  problems: Problem[];
  onChange: (patch: Partial<DraftSettings>) => void;
}

export function SettingsPanel({ settings: s, problems, onChange }: Props) {
  const { t } = useTranslation();
  const describedBy = (field: Field, extra?: string) =>
    [problemsFor(problems, field).length > 0 ? fieldProblemsId(field) : "", extra ?? ""]
      .filter(Boolean)
      .join(" ") || undefined;
  const invalid = (field: Field) => problemsFor(problems, field).length > 0;

  return (
    <fieldset className="settings-area" data-testid="settings-area">
      <legend>{t("generate.settings")}</legend>
      <div className="setting">
        <label>
          {t("generate.resolution")}
          <select
            data-testid="resolution"
            value={s.resolution}
            disabled={s.draft}
            aria-invalid={invalid("resolution")}
            aria-describedby={describedBy("resolution", s.draft ? "draft-resolution-note" : undefined)}
            onChange={(e) => onChange({ resolution: e.target.value })}
          >
            {formOptions.resolutions.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        {s.draft && (
          <span id="draft-resolution-note" className="muted small">
            {t("generate.draftUses480")}
          </span>
        )}
        <FieldProblems field="resolution" problems={problemsFor(problems, "resolution")} />
      </div>
      <div className="setting">
        <label>
          {t("generate.ratio")}
          <select
            data-testid="ratio"
            value={s.ratio}
            aria-invalid={invalid("ratio")}
            aria-describedby={describedBy("ratio")}
            onChange={(e) => onChange({ ratio: e.target.value })}
          >
            {formOptions.ratios.map((r) => (
              <option key={r} value={r}>
                {r === "adaptive" ? t("generate.ratioAdaptive") : r}
              </option>
            ))}
          </select>
        </label>
        <FieldProblems field="ratio" problems={problemsFor(problems, "ratio")} />
      </div>
      <div className="setting">
        <label>
          {t("generate.duration")}
          <select
            data-testid="duration"
            value={s.duration}
            aria-invalid={invalid("duration")}
            aria-describedby={describedBy("duration")}
            onChange={(e) => onChange({ duration: Number(e.target.value) })}
          >
            <option value={formOptions.duration_auto}>{t("generate.durationAuto")}</option>
            {clipSeconds.map((d) => (
              <option key={d} value={d}>
                {t("generate.seconds", { count: d })}
              </option>
            ))}
          </select>
        </label>
        <FieldProblems field="duration" problems={problemsFor(problems, "duration")} />
      </div>
      <div className="setting checks">
        <label className="check">
          <input
            type="checkbox"
            name="generate_audio"
            checked={s.generate_audio}
            onChange={(e) => onChange({ generate_audio: e.target.checked })}
          />
          {t("generate.audio")}
        </label>
        <label className="check">
          <input
            type="checkbox"
            name="camera_fixed"
            checked={s.camera_fixed}
            onChange={(e) => onChange({ camera_fixed: e.target.checked })}
          />
          {t("generate.cameraFixed")}
        </label>
        <label className="check">
          <input
            type="checkbox"
            name="draft"
            checked={s.draft}
            aria-describedby={describedBy("draft")}
            onChange={(e) => onChange({ draft: e.target.checked })}
          />
          {t("generate.draft")}
        </label>
        <label className="check">
          <input
            type="checkbox"
            name="watermark"
            checked={s.watermark}
            onChange={(e) => onChange({ watermark: e.target.checked })}
          />
          {t("generate.watermark")}
        </label>
        <FieldProblems field="draft" problems={problemsFor(problems, "draft")} />
      </div>
    </fieldset>
  );
}
