import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type AppInfo, commands } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { LANGUAGES, type Language, systemLanguage } from "../i18n";
import { type IpcError, unwrap } from "../ipc";

export function SettingsView() {
  const { t, i18n } = useTranslation();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    unwrap(commands.appInfo()).then(setInfo, setError);
  }, []);

  const choose = (value: string) => {
    const lng: Language = value === "system" ? systemLanguage() : (value as Language);
    i18n.changeLanguage(lng);
  };

  return (
    <section data-testid="settings-screen" aria-labelledby="settings-title" className="page">
      <h1 id="settings-title">{t("settings.title")}</h1>
      <label className="field">
        {t("settings.language")}
        <select data-testid="language" value={i18n.language} onChange={(e) => choose(e.target.value)}>
          <option value="system">{t("settings.languages.system")}</option>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {t(`settings.languages.${l}`)}
            </option>
          ))}
        </select>
      </label>
      <h2>{t("settings.about")}</h2>
      {error && <ErrorNotice error={error} />}
      {info && (
        <dl className="facts">
          <dt>{t("settings.version")}</dt>
          <dd data-testid="app-version">{info.version}</dd>
          <dt>{t("settings.dataDir")}</dt>
          <dd>{info.data_dir}</dd>
          <dt>{t("settings.apiBase")}</dt>
          <dd>{info.api_base}</dd>
          <dt>{t("settings.uploadBase")}</dt>
          <dd>{info.upload_base}</dd>
        </dl>
      )}
    </section>
  );
}
