import { useTranslation } from "react-i18next";
import { errorText } from "../i18n";
import type { IpcError } from "../ipc";

export function ErrorNotice({ error }: { error: IpcError }) {
  const { t, i18n } = useTranslation();
  return (
    <div role="alert" className="error-notice" data-kind={error.kind}>
      <strong>{t("error.title")}</strong>
      <p>{errorText(error, i18n.language)}</p>
    </div>
  );
}
