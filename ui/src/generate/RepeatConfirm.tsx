import { useTranslation } from "react-i18next";
import { ConfirmPanel } from "../jobs/ConfirmPanel";
import { estimateParts } from "./format";
import type { PendingRepeat } from "./useGuardedSubmit";

/** "Generate the same video again?" with what another one costs, from the backend's estimate. */
export function RepeatConfirm({
  pending,
  busy,
  onConfirm,
  onCancel,
}: {
  pending: PendingRepeat;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const parts = pending.estimate ? estimateParts(pending.estimate) : null;
  return (
    <div data-testid="repeat-confirm">
      <ConfirmPanel
        title={t("generate.repeat.title")}
        confirmLabel={t("generate.repeat.confirm")}
        busy={busy}
        onConfirm={onConfirm}
        onCancel={onCancel}
      >
        <p className="small">
          {pending.duplicate
            ? t("generate.repeat.explainAgo", { seconds: pending.duplicate.seconds_ago })
            : t("generate.repeat.explain")}
        </p>
        <p className="small" data-testid="repeat-cost">
          {parts
            ? parts.cost
              ? t("generate.repeat.cost", { tokens: parts.tokens, cost: parts.cost })
              : t("generate.repeat.tokens", { tokens: parts.tokens })
            : t("generate.repeat.costUnknown")}
        </p>
      </ConfirmPanel>
    </div>
  );
}
