import { useTranslation } from "react-i18next";
import type { Field, Problem } from "../bindings";
import type { FormSettings } from "../generate/useGenerateForm";
import { FieldProblems, fieldProblemsId, problemsFor } from "./FieldProblems";

const RESOLUTIONS = ["480p", "720p", "1080p"] as const;
const RATIOS = ["adaptive", "16:9", "4:3", "1:1", "3:4", "9:16", "21:9"] as const;
const DURATIONS = [4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

interface Props {
  settings: FormSettings;
  problems: Problem[];
  onChange: (patch: Partial<FormSettings>) => void;
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
            {RESOLUTIONS.map((r) => (
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
            {RATIOS.map((r) => (
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
            <option value={-1}>{t("generate.durationAuto")}</option>
            {DURATIONS.map((d) => (
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
            checked={s.generate_audio}
            onChange={(e) => onChange({ generate_audio: e.target.checked })}
          />
          {t("generate.audio")}
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={s.camera_fixed}
            onChange={(e) => onChange({ camera_fixed: e.target.checked })}
          />
          {t("generate.cameraFixed")}
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={s.draft}
            aria-describedby={describedBy("draft")}
            onChange={(e) => onChange({ draft: e.target.checked })}
          />
          {t("generate.draft")}
        </label>
        <label className="check">
          <input
            type="checkbox"
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
