import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SpendQuestion } from "../bindings";
import { SpendConfirm } from "../generate/SpendConfirm";
import { detailsOf } from "../generate/useGuardedSubmit";
import { canRetryDownload, type JobRecord } from "./api";
import { ConfirmPanel } from "./ConfirmPanel";
import type { RowActions } from "./useRowActions";

export type Confirming = null | "delete" | "resubmit";

interface Props {
  job: JobRecord;
  actions: RowActions;
  playing: boolean;
  onTogglePlayer: () => void;
  confirming: Confirming;
  setConfirming: (c: Confirming) => void;
}

/** The buttons under a settled job, and the confirmations that guard deleting and paying again. */
export function JobActions({ job, actions, playing, onTogglePlayer, confirming, setConfirming }: Props) {
  const { t } = useTranslation();
  const [deleteFile, setDeleteFile] = useState(false);
  const hasFile = job.status === "done" && job.output_path != null;
  // The rule is the backend's (`can_resubmit`): never while a paid task is live, never twice. An uncertain
  // job offers it in its explanation, beside the other choices.
  const canResubmit = job.status === "failed" && job.can_resubmit;
  // A job waiting in its batch is the batch's to send or cancel; the backend refuses deleting it.
  const canDelete = !(job.status === "not_sent" && job.batch);

  if (confirming === "delete") {
    return (
      <ConfirmPanel
        title={t("jobs.deleteTitle")}
        confirmLabel={t("jobs.delete")}
        danger
        busy={actions.busy}
        onCancel={() => setConfirming(null)}
        onConfirm={() => void actions.remove(hasFile && deleteFile)}
      >
        <p className="small">{t("jobs.deleteExplain")}</p>
        {hasFile && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={deleteFile}
              data-testid="delete-file"
              onChange={(e) => setDeleteFile(e.target.checked)}
            />
            {t("jobs.deleteFileToo")}
          </label>
        )}
      </ConfirmPanel>
    );
  }

  // Submitting again pays for a new generation: past a spend limit the backend asks, like for a new job.
  const spendError =
    confirming === "resubmit" && actions.error?.kind === "spend_limit" ? actions.error : null;
  if (spendError) {
    return (
      <SpendConfirm
        pending={{ question: detailsOf<SpendQuestion>(spendError), error: spendError }}
        busy={actions.busy}
        confirmLabel={t("jobs.resubmitAnyway")}
        onConfirm={() => {
          void actions.resubmit(true).then((ok) => ok && setConfirming(null));
        }}
        onCancel={() => {
          actions.reset();
          setConfirming(null);
        }}
      />
    );
  }

  if (confirming === "resubmit") {
    return (
      <ConfirmPanel
        title={t("jobs.resubmitTitle")}
        confirmLabel={t("jobs.resubmitConfirm")}
        busy={actions.busy}
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          void actions.resubmit().then((ok) => ok && setConfirming(null));
        }}
      >
        <p className="small" data-testid="resubmit-warning">
          {t("jobs.resubmitExplain")}
        </p>
      </ConfirmPanel>
    );
  }

  return (
    <div className="job-actions">
      {hasFile && (
        <>
          <button type="button" aria-expanded={playing} data-testid="play" onClick={onTogglePlayer}>
            {playing ? t("jobs.hidePlayer") : t("jobs.play")}
          </button>
          <button
            type="button"
            disabled={actions.busy}
            data-testid="open"
            onClick={() => void actions.open()}
          >
            {t("jobs.open")}
          </button>
          <button
            type="button"
            disabled={actions.busy}
            data-testid="reveal"
            onClick={() => void actions.reveal()}
          >
            {t("jobs.reveal")}
          </button>
          <button type="button" data-testid="copy-path" onClick={() => void actions.copyPath()}>
            {t("jobs.copyPath")}
          </button>
        </>
      )}
      <button type="button" data-testid="copy-prompt" onClick={() => void actions.copyPrompt()}>
        {t("jobs.copyPrompt")}
      </button>
      <button type="button" data-testid="use-settings" onClick={actions.applySettings}>
        {t("jobs.useSettings")}
      </button>
      {hasFile && (
        <button
          type="button"
          disabled={actions.busy}
          data-testid="use-last-frame"
          onClick={() => void actions.continueFromLastFrame()}
        >
          {t("jobs.useLastFrame")}
        </button>
      )}
      {canRetryDownload(job) && (
        <button
          type="button"
          disabled={actions.busy}
          data-testid="retry-download"
          onClick={() => void actions.retryDownload()}
        >
          {t("jobs.retryDownload")}
        </button>
      )}
      {canResubmit && (
        <button type="button" data-testid="resubmit" onClick={() => setConfirming("resubmit")}>
          {t("jobs.resubmit")}
        </button>
      )}
      {canDelete && (
        <button
          type="button"
          className="danger-text"
          data-testid="delete"
          onClick={() => setConfirming("delete")}
        >
          {t("jobs.delete")}
        </button>
      )}
    </div>
  );
}

/** What "submission uncertain" means and the choices, in plain words. */
export function UncertainNotice({
  actions,
  onResubmit,
}: {
  actions: RowActions;
  /** `null` when the job may not be submitted again (e.g. it already was). */
  onResubmit: (() => void) | null;
}) {
  const { t } = useTranslation();
  const [collapsed, setCollapsed] = useState(false);
  if (collapsed) {
    return (
      <button
        type="button"
        className="link-button"
        data-testid="uncertain-expand"
        onClick={() => setCollapsed(false)}
      >
        {t("jobs.uncertainDecide")}
      </button>
    );
  }
  return (
    <div className="uncertain" data-testid="uncertain">
      <p className="small">{t("jobs.uncertainExplain")}</p>
      <div className="job-actions">
        <button type="button" data-testid="check-later" onClick={() => setCollapsed(true)}>
          {t("jobs.checkLater")}
        </button>
        <button
          type="button"
          disabled={actions.busy}
          data-testid="mark-failed"
          onClick={() => void actions.markFailed()}
        >
          {t("jobs.markFailed")}
        </button>
        {onResubmit && (
          <button type="button" data-testid="uncertain-resubmit" onClick={onResubmit}>
            {t("jobs.resubmit")}
          </button>
        )}
      </div>
    </div>
  );
}
