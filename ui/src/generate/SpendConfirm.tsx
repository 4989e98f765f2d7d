import { useTranslation } from "react-i18next";
import { errorText, messageText } from "../i18n";
import { ConfirmPanel } from "../jobs/ConfirmPanel";
import type { PendingSpend } from "./useGuardedSubmit";

/**
 * "Past your spend limit: generate anyway?" Each limit the job would pass, with the limit, the spend so far
 * and this job's estimate, in the backend's words. Cancel sends nothing; "Generate anyway" sends it with the
 * user's yes.
 */
export function SpendConfirm({
  pending,
  busy,
  onConfirm,
  onCancel,
  title,
  confirmLabel,
}: {
  pending: Pick<PendingSpend, "question" | "error">;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** The question and its yes, when it is not a single Generate (a batch's start). */
  title?: string;
  confirmLabel?: string;
}) {
  const { t } = useTranslation();
  const breaches = pending.question?.breaches ?? [];
  return (
    <div data-testid="spend-confirm">
      <ConfirmPanel
        title={title ?? t("generate.spend.title")}
        confirmLabel={confirmLabel ?? t("generate.spend.confirm")}
        busy={busy}
        onConfirm={onConfirm}
        onCancel={onCancel}
      >
        {breaches.length > 0 ? (
          breaches.map((b) => (
            <p className="small" key={b.period} data-testid={`spend-breach-${b.period}`}>
              {messageText(t, b.message)}
            </p>
          ))
        ) : (
          <p className="small">{errorText(t, pending.error)}</p>
        )}
        <p className="small muted">{t("generate.spend.where")}</p>
      </ConfirmPanel>
    </div>
  );
}
