import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { UnsentSummary } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { formatMoney, groupThousands } from "../generate/format";
import { ipc } from "../ipc";
import { useMutation } from "../query";
import { onJobChanged } from "./api";

/**
 * Said once at start: jobs saved but never sent, held back because they are old, with what sending them
 * would cost (the backend's sum at the user's rates). Send all, send none, or decide per job in Jobs.
 */
export function UnsentNotice({ onReview }: { onReview: () => void }) {
  const { t } = useTranslation();
  const [summary, setSummary] = useState<UnsentSummary | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);

  const refresh = useCallback(
    () =>
      ipc.unsentSummary().then(setSummary, () => {
        /* no notice without figures; the jobs still show as not sent in Jobs */
      }),
    [],
  );
  useEffect(() => {
    void refresh();
    // Start-up resume runs beside the page loading: a job it holds back after the first look is announced.
    return onJobChanged((job) => {
      if (job.status === "not_sent") void refresh();
    });
  }, [refresh]);

  // One at a time: a double click on Send all must make one call.
  const {
    run,
    pending: busy,
    error,
  } = useMutation(async (call: () => Promise<{ done: number; kept: number }>, key: string) => {
    const result = await call();
    // "Not sent: 0" after sending every one would read as a problem.
    const said = key === "unsent.sent" && result.kept === 0 ? "unsent.sentEvery" : key;
    setOutcome(t(said, { done: result.done, kept: result.kept }));
    await refresh();
  });

  if (outcome && (!summary || summary.count === 0)) {
    return (
      <p className="notice small" role="status" data-testid="unsent-outcome">
        {outcome}
      </p>
    );
  }
  if (!summary || summary.count === 0) return null;
  // Numbers cross IPC as `number | null` (a float that is not finite becomes null).
  const tokenCount = summary.tokens ?? 0;
  const tokens = groupThousands(tokenCount);
  return (
    <section
      className="store-problem unsent-notice"
      data-testid="unsent-notice"
      aria-labelledby="unsent-title"
    >
      <strong id="unsent-title">{t("unsent.title", { count: summary.count })}</strong>
      <p className="small" data-testid="unsent-cost">
        {tokenCount > 0 && summary.cost != null
          ? t("unsent.explain", {
              count: summary.count,
              tokens,
              cost: formatMoney(summary.cost, summary.currency),
            })
          : t("unsent.explainTokens", { count: summary.count, tokens })}
        {summary.without_estimate > 0 &&
          ` ${t("unsent.withoutEstimate", { count: summary.without_estimate })}`}
      </p>
      <div className="job-actions">
        <button
          type="button"
          className="primary"
          disabled={busy}
          data-testid="unsent-send-all"
          onClick={() => void run(ipc.sendAllUnsent, "unsent.sent")}
        >
          {t("unsent.sendAll")}
        </button>
        <button
          type="button"
          disabled={busy}
          data-testid="unsent-discard-all"
          onClick={() => void run(ipc.discardAllUnsent, "unsent.discarded")}
        >
          {t("unsent.discardAll")}
        </button>
        <button type="button" data-testid="unsent-review" onClick={onReview}>
          {t("unsent.review")}
        </button>
      </div>
      {outcome && <p className="small">{outcome}</p>}
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
