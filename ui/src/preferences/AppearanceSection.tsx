/** Under the Appearance heading: language, theme, notifications, and how many jobs run or wait unsent. */
import { useTranslation } from "react-i18next";
import type { Prefs } from "../appearance";
import { PREFERENCE_LIMITS } from "../bindings";
import { LANGUAGES } from "../i18n";
import type { SetPref } from "./usePreferencesForm";

export function AppearanceSection({ draft, set }: { draft: Prefs; set: SetPref }) {
  const { t } = useTranslation();
  return (
    <>
      <h2>{t("settings.appearance")}</h2>
      <label className="field">
        {t("settings.language")}
        <select
          data-testid="language"
          value={draft.language}
          onChange={(e) => set("language", e.target.value)}
        >
          <option value="system">{t("settings.languages.system")}</option>
          {LANGUAGES.map((tag) => (
            <option key={tag} value={tag}>
              {t(`settings.languages.${tag}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        {t("settings.theme")}
        <select value={draft.theme} onChange={(e) => set("theme", e.target.value as Prefs["theme"])}>
          <option value="system">{t("settings.themes.system")}</option>
          <option value="light">{t("settings.themes.light")}</option>
          <option value="dark">{t("settings.themes.dark")}</option>
        </select>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.notifications}
          onChange={(e) => set("notifications", e.target.checked)}
        />
        {t("settings.notifications")}
      </label>
      <NumberField
        label={t("settings.maxJobs")}
        help={t("settings.maxJobsHelp")}
        testId="max-jobs"
        range={PREFERENCE_LIMITS.max_concurrent_jobs}
        value={draft.max_concurrent_jobs}
        onChange={(v) => set("max_concurrent_jobs", v)}
      />
      <NumberField
        label={t("settings.holdUnsent")}
        help={t("settings.holdUnsentHelp")}
        testId="hold-unsent-hours"
        range={PREFERENCE_LIMITS.hold_unsent_after_hours}
        value={draft.hold_unsent_after_hours}
        onChange={(v) => set("hold_unsent_after_hours", v)}
      />
    </>
  );
}

/** A whole number within the backend's range for it, with a line of help under it. */
function NumberField(props: {
  label: string;
  help: string;
  testId: string;
  range: { min: number; max: number };
  value: number;
  onChange: (value: number) => void;
}) {
  return (
    <label className="field">
      {props.label}
      <input
        type="number"
        data-testid={props.testId}
        min={props.range.min}
        max={props.range.max}
        step={1}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
      />
      <span className="muted small">{props.help}</span>
    </label>
  );
}
