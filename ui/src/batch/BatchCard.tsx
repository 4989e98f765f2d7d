import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../components/ErrorNotice";
import { groupThousands } from "../generate/format";
import { messageText } from "../i18n";
import { ipc } from "../ipc";
import { ConfirmPanel } from "../jobs/ConfirmPanel";
import { useMutation } from "../query";
import type { BatchCounts, BatchView, CancelOutcome } from "./api";
import { BatchAfterActions } from "./BatchAfterActions";
import { etaText, settled, total } from "./format";

const COUNTS: (keyof BatchCounts)[] = ["queued", "running", "done", "failed", "uncertain", "not_sent"];

interface Props {
  view: BatchView;
  /** A command returned the batch's new state. */
  onChanged: (view: BatchView) => void;
  /** Opens the Jobs screen with only this batch's jobs. */
  onShowJobs?: (batchId: string) => void;
}

/** One batch: where it stands, how long is left, and what the user can do with it now. */
export function BatchCard({ view, onChanged, onShowJobs }: Props) {
  const { t } = useTranslation();
  const { batch, eta } = view;
  const [asking, setAsking] = useState(false);
  const [outcome, setOutcome] = useState<CancelOutcome | null>(null);
  const control = useMutation(async (call: (id: string) => Promise<BatchView>) => {
    onChanged(await call(batch.id));
  });
  const cancel = useMutation(async () => {
    setOutcome(await ipc.cancelBatch(batch.id));
    setAsking(false);
  });

  const all = total(batch.counts);
  const over = settled(batch.counts);
  const pct = all > 0 ? Math.round((over / all) * 100) : 0;
  const live = batch.state === "running" || batch.state === "paused";
  // Over: nothing will be sent and nothing is on its way.
  const finished = !live && batch.counts.running === 0;
  const [min, max] = [batch.tokens_min ?? 0, batch.tokens_max ?? 0];
  const tokens = min === max ? groupThousands(max) : `${groupThousands(min)}–${groupThousands(max)}`;
  const etaLine = etaText(eta, t);

  return (
    <li className="batch-card" data-testid="batch-card" data-state={batch.state} aria-label={batch.name}>
      <div className="batch-card-head">
        <strong className="batch-name">{batch.name}</strong>
        <span className={`status-badge batch-state-${batch.state}`} data-testid="batch-state">
          {t(`batchRun.state.${batch.state}`)}
        </span>
        {batch.demo && <span className="status-badge">{t("batchRun.demo")}</span>}
      </div>
      <p className="muted small batch-source">
        {t("batchRun.source", { source: messageText(t, batch.source) })}
      </p>
      <ul className="batch-counts" aria-label={t("batchRun.countsLabel")} data-testid="batch-counts">
        {COUNTS.filter((k) => k !== "not_sent" || batch.counts.not_sent > 0).map((k) => (
          <li key={k} data-count={k}>
            <span className="muted">{t(`batchRun.counts.${k}`)}</span> <strong>{batch.counts[k]}</strong>
          </li>
        ))}
      </ul>
      <div className="job-progress">
        <div
          className="progress-track"
          role="progressbar"
          aria-label={t("batchRun.progressLabel")}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
          data-testid="batch-progress"
        >
          <div className="progress-fill" style={{ width: `${pct}%` }} />
        </div>
        <span className="muted small">
          {t("batchRun.progress", { settled: over, total: all })}
          {etaLine && <span data-testid="batch-eta"> · {etaLine}</span>}
        </span>
      </div>
      <p className="small" data-testid="batch-tokens">
        {t("batchRun.tokens", { tokens })}
      </p>
      {batch.state === "running" && batch.waiting && (
        <p className="small warning-text" role="status" data-testid="batch-waiting">
          {messageText(t, batch.waiting)}
        </p>
      )}
      {batch.state === "paused" && (
        <p className="small" data-testid="batch-paused-why">
          {batch.paused_reason ? messageText(t, batch.paused_reason) : t("batchRun.pausedExplain")}
        </p>
      )}
      {!finished && (
        <div className="job-actions">
          {batch.state === "running" && (
            <button
              type="button"
              disabled={control.pending}
              data-testid="batch-pause"
              onClick={() => void control.run(ipc.pauseBatch)}
            >
              {t("batchRun.pause")}
            </button>
          )}
          {batch.state === "paused" && (
            <button
              type="button"
              className="primary"
              disabled={control.pending}
              data-testid="batch-resume"
              onClick={() => void control.run(ipc.resumeBatch)}
            >
              {t("batchRun.resume")}
            </button>
          )}
          {live && !asking && (
            <button
              type="button"
              className="danger"
              data-testid="batch-cancel"
              onClick={() => setAsking(true)}
            >
              {t("batchRun.cancel")}
            </button>
          )}
          {!finished && onShowJobs && (
            <button type="button" data-testid="batch-show-jobs" onClick={() => onShowJobs(batch.id)}>
              {t("batchRun.showJobs")}
            </button>
          )}
        </div>
      )}
      {asking && (
        <ConfirmPanel
          title={t("batchRun.cancelTitle", { name: batch.name })}
          confirmLabel={t("batchRun.cancelConfirm")}
          danger
          busy={cancel.pending}
          onConfirm={() => void cancel.run()}
          onCancel={() => setAsking(false)}
        >
          <p className="small">{t("batchRun.cancelExplain")}</p>
        </ConfirmPanel>
      )}
      {outcome && (
        <p className="small" role="status" data-testid="batch-cancel-outcome">
          {messageText(t, outcome.message)}
        </p>
      )}
      {finished && <BatchAfterActions batch={batch} onShowJobs={onShowJobs} />}
      {control.error && <ErrorNotice error={control.error} />}
      {cancel.error && <ErrorNotice error={cancel.error} />}
    </li>
  );
}
