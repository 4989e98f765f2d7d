/** Facts about this installation for support: version, data folder and the service addresses in use. */
import { useTranslation } from "react-i18next";
import type { AppInfo } from "../bindings";

export function AboutSection({ info }: { info: AppInfo | null }) {
  const { t } = useTranslation();
  return (
    <>
      <h2>{t("settings.about")}</h2>
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
    </>
  );
}
