/**
 * Facts about this installation for support: version and build, data folder and the service addresses in use;
 * the log folder; and "Copy diagnostics", the text a bug report needs (the backend writes it: never the token,
 * never the user's own files).
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { AppInfo } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { type IpcError, ipc } from "../ipc";
import { copyText } from "../jobs/clipboard";

export function AboutSection({ info }: { info: AppInfo | null }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const copyDiagnostics = async () => {
    setCopied(false);
    setError(null);
    try {
      await copyText(await ipc.diagnostics());
      setCopied(true);
    } catch (e) {
      setError(e as IpcError);
    }
  };
  const openLogs = async () => {
    setError(null);
    try {
      await ipc.openLogFolder();
    } catch (e) {
      setError(e as IpcError);
    }
  };

  return (
    <>
      <h2>{t("settings.about")}</h2>
      {info && (
        <dl className="facts">
          <dt>{t("settings.version")}</dt>
          <dd data-testid="app-version">{info.version}</dd>
          <dt>{t("settings.commit")}</dt>
          <dd data-testid="app-commit">{info.commit}</dd>
          <dt>{t("settings.dataDir")}</dt>
          <dd>{info.data_dir}</dd>
          <dt>{t("settings.apiBase")}</dt>
          <dd>{info.api_base}</dd>
          <dt>{t("settings.uploadBase")}</dt>
          <dd>{info.upload_base}</dd>
        </dl>
      )}
      <p className="small muted">{t("settings.diagnosticsHint")}</p>
      <div className="row">
        <button type="button" data-testid="copy-diagnostics" onClick={() => void copyDiagnostics()}>
          {t("settings.copyDiagnostics")}
        </button>
        <button type="button" data-testid="open-logs" onClick={() => void openLogs()}>
          {t("settings.openLogs")}
        </button>
      </div>
      {copied && (
        <p className="small" role="status" data-testid="diagnostics-copied">
          {t("settings.diagnosticsCopied")}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </>
  );
}
