import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SpendQuestion } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { groupThousands } from "../generate/format";
import { SpendConfirm } from "../generate/SpendConfirm";
import { detailsOf } from "../generate/useGuardedSubmit";
import { messageText } from "../i18n";
import { ipc } from "../ipc";
import { ConfirmPanel } from "../jobs/ConfirmPanel";
import { useMutation } from "../query";
import type { BatchRecord, ResultsExported, RetryOutcome, RetryPlan } from "./api";

/**
 * What a batch that is over offers: retry its failed jobs (free ones first; the paid ones only after one
 * question that states how many and the tokens, and, past a spend limit, the limit's own question; uncertain
 * ones never), open its folder, export its results.
 */
export function BatchAfterActions({
  batch,
  onShowJobs,
}: {
  batch: BatchRecord;
  onShowJobs?: (batchId: string) => void;
}) {
  const { t } = useTranslation();
  const [plan, setPlan] = useState<RetryPlan | null>(null);
  const [retried, setRetried] = useState<RetryOutcome | null>(null);
  const [nothing, setNothing] = useState(false);
  const [exported, setExported] = useState<ResultsExported | null>(null);

  // The paid ids the user confirmed, kept while the spend limit's question is asked about them.
  const [paidAsked, setPaidAsked] = useState<string[]>([]);
  const retry = useMutation(async (confirmedPaid: string[], spendConfirmed?: boolean) => {
    setPaidAsked(confirmedPaid);
    setRetried(await ipc.retryBatch(batch.id, confirmedPaid, spendConfirmed ?? false));
    setPlan(null);
  });
  const spendError = retry.error?.kind === "spend_limit" ? retry.error : null;
  const ask = useMutation(async () => {
    setRetried(null);
    setNothing(false);
    const next = await ipc.batchRetryPlan(batch.id);
    if (next.paid_ids.length > 0) {
      setPlan(next);
      return;
    }
    if (next.free === 0) {
      setNothing(true);
      setPlan(next);
      return;
    }
    // Only free ones: nothing is charged, so nothing to ask.
    setPlan(next);
    await retry.run([]);
  });
  const folder = useMutation(() => ipc.openBatchFolder(batch.id));
  const exporting = useMutation(async () => {
    const written = await ipc.exportBatchResults(batch.id);
    if (written) setExported(written);
  });

  const asking = (plan !== null && plan.paid_ids.length > 0) || spendError !== null;
  const failed = batch.counts.failed + batch.counts.not_sent;
  return (
    <div className="batch-after">
      <div className="job-actions">
        {failed > 0 && (
          <button
            type="button"
            disabled={ask.pending || retry.pending || asking}
            data-testid="batch-retry"
            onClick={() => void ask.run()}
          >
            {t("batchRun.retry")}
          </button>
        )}
        <button type="button" data-testid="batch-open-folder" onClick={() => void folder.run()}>
          {t("batchRun.openFolder")}
        </button>
        <button
          type="button"
          disabled={exporting.pending}
          data-testid="batch-export"
          onClick={() => void exporting.run()}
        >
          {t("batchRun.export")}
        </button>
        {onShowJobs && (
          <button type="button" data-testid="batch-show-jobs" onClick={() => onShowJobs(batch.id)}>
            {t("batchRun.showJobs")}
          </button>
        )}
      </div>
      {spendError && (
        <div data-testid="batch-retry-spend">
          <SpendConfirm
            pending={{ question: detailsOf<SpendQuestion>(spendError), error: spendError }}
            busy={retry.pending}
            title={t("batchRun.retrySpendTitle")}
            confirmLabel={t("batchRun.retryPaidConfirm", { count: paidAsked.length })}
            onConfirm={() => void retry.run(paidAsked, true)}
            onCancel={() => {
              retry.reset();
              setPlan(null);
            }}
          />
        </div>
      )}
      {asking && plan && !spendError && (
        <ConfirmPanel
          title={t("batchRun.retryPaidTitle", {
            count: plan.paid_ids.length,
            tokens: groupThousands(plan.paid_tokens ?? 0),
          })}
          confirmLabel={t("batchRun.retryPaidConfirm", { count: plan.paid_ids.length })}
          busy={retry.pending}
          onConfirm={() => void retry.run(plan.paid_ids)}
          onCancel={() => setPlan(null)}
        >
          {plan.paid_without_estimate > 0 && (
            <p className="small">{t("batchRun.retryNoEstimate", { count: plan.paid_without_estimate })}</p>
          )}
          {plan.free > 0 && (
            <>
              <p className="small">{t("batchRun.retryFreeFirst", { count: plan.free })}</p>
              <button
                type="button"
                disabled={retry.pending}
                data-testid="batch-retry-free-only"
                onClick={() => void retry.run([])}
              >
                {t("batchRun.retryFreeOnly")}
              </button>
            </>
          )}
        </ConfirmPanel>
      )}
      {nothing && (
        <p className="small muted" role="status" data-testid="batch-retry-nothing">
          {t("batchRun.retryNothing")}
        </p>
      )}
      {retried && (
        <p className="small" role="status" data-testid="batch-retry-outcome">
          {messageText(t, retried.message)}
        </p>
      )}
      {plan && plan.uncertain > 0 && (
        <p className="small muted" data-testid="batch-retry-uncertain">
          {t("batchRun.retryUncertain", { count: plan.uncertain })}
        </p>
      )}
      {exported && (
        <p className="small" role="status" data-testid="batch-exported">
          {t("batchRun.exported", { rows: exported.rows, path: exported.path })}
        </p>
      )}
      {ask.error && <ErrorNotice error={ask.error} />}
      {retry.error && !spendError && <ErrorNotice error={retry.error} />}
      {folder.error && <ErrorNotice error={folder.error} />}
      {exporting.error && <ErrorNotice error={exporting.error} />}
    </div>
  );
}
