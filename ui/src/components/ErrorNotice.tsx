import { useTranslation } from "react-i18next";
import { errorText } from "../i18n";
import type { IpcError } from "../ipc";

/** An error in plain words; the technical cause (an OS or network error's own words) only behind Details. */
export function ErrorNotice({ error }: { error: IpcError }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="error-notice" data-kind={error.kind}>
      <strong>{t("error.title")}</strong>
      <p>{errorText(t, error)}</p>
      {error.cause && <CauseDetails cause={error.cause} />}
    </div>
  );
}

/** The raw cause of a problem, folded away: for support, not for deciding what to do. */
export function CauseDetails({ cause }: { cause: string }) {
  const { t } = useTranslation();
  return (
    <details className="cause small" data-testid="error-cause">
      <summary>{t("error.details")}</summary>
      <code>{cause}</code>
    </details>
  );
}
