import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../components/ErrorNotice";
import type { TransferResult } from "./usePresetTransfer";

/** What an import or export did, or why it did nothing. */
export function TransferResultNotice({ result }: { result: TransferResult }) {
  const { t } = useTranslation();
  if (result.type === "failed") {
    return (
      <div data-testid="presets-transfer-error">
        <ErrorNotice error={result.error} />
      </div>
    );
  }
  if (result.type === "imported") {
    const { summary } = result;
    return (
      <p className="notice" role="status" data-testid="presets-transfer-result">
        {t("presets.imported", { count: summary.imported, names: summary.names.join(", ") })}
        {summary.frames > 0 && ` ${t("presets.withFrames", { count: summary.frames })}`}
      </p>
    );
  }
  const { summary } = result;
  return (
    <div role="status" data-testid="presets-transfer-result">
      <p className="notice">
        {t("presets.exported", { count: summary.presets })}
        {summary.frames > 0 && ` ${t("presets.withFrames", { count: summary.frames })}`}
      </p>
      {summary.missing_frames.length > 0 && (
        <p className="warning small" data-testid="presets-missing-frames">
          {t("presets.missingFrames", { names: summary.missing_frames.join(", ") })}
        </p>
      )}
    </div>
  );
}
