/** Where finished videos go and how their files are named. */
import { useTranslation } from "react-i18next";
import type { Prefs } from "../appearance";
import type { SetPref } from "./usePreferencesForm";

interface Props {
  draft: Prefs;
  /** The folder in use when the preference is unset (the default). */
  defaultDir: string | undefined;
  set: SetPref;
  onChoose: () => void;
}

export function OutputSection({ draft, defaultDir, set, onChoose }: Props) {
  const { t } = useTranslation();
  return (
    <>
      <h2>{t("settings.output")}</h2>
      <div className="field">
        <span>{t("settings.outputDir")}</span>
        <div className="row">
          <code data-testid="output-dir">{draft.output_dir ?? defaultDir}</code>
          <button type="button" data-testid="output-dir-choose" onClick={onChoose}>
            {t("settings.choose")}
          </button>
          {draft.output_dir && (
            <button type="button" onClick={() => set("output_dir", null)}>
              {t("settings.useDefault")}
            </button>
          )}
        </div>
      </div>
      <label className="field">
        {t("settings.fileNamePattern")}
        <input
          type="text"
          data-testid="file-name-pattern"
          value={draft.file_name_pattern}
          onChange={(e) => set("file_name_pattern", e.target.value)}
        />
        <span className="muted small">{t("settings.fileNameHelp")}</span>
      </label>
    </>
  );
}
