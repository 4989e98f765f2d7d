/** Under the Appearance heading: language, theme, notifications, and how many jobs run or wait unsent. */
import { useTranslation } from "react-i18next";
import type { Prefs } from "../appearance";
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
      <label className="field">
        {t("settings.maxJobs")}
        <input
          type="number"
          data-testid="max-jobs"
          min={1}
          max={8}
          step={1}
          value={draft.max_concurrent_jobs}
          onChange={(e) => set("max_concurrent_jobs", Number(e.target.value))}
        />
        <span className="muted small">{t("settings.maxJobsHelp")}</span>
      </label>
      <label className="field">
        {t("settings.holdUnsent")}
        <input
          type="number"
          data-testid="hold-unsent-hours"
          min={0}
          max={168}
          step={1}
          value={draft.hold_unsent_after_hours}
          onChange={(e) => set("hold_unsent_after_hours", Number(e.target.value))}
        />
        <span className="muted small">{t("settings.holdUnsentHelp")}</span>
      </label>
    </>
  );
}
