/**
 * The one confirmation before a sequence run is paid for: what it makes and what it costs, in the
 * backend's plan. For a re-roll whose following shots are chained, the two choices side by side (this
 * shot only, or this shot and the chained shots after it), each with its own cost.
 */
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { totalText } from "../batch/TotalBar";
import type { SequenceRunPlan } from "../bindings";
import { messageText } from "../i18n";

export interface Pending {
  /** 1-based shot re-rolled; null: the whole sequence. */
  shot: number | null;
  shotId: string | null;
  alone: SequenceRunPlan;
  /** The plan with re-chaining, when the next shot is chained. */
  chained: SequenceRunPlan | null;
}

export function RunConfirm({
  pending,
  busy,
  onStart,
  onCancel,
}: {
  pending: Pending;
  busy: boolean;
  onStart: (rechain: boolean) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { alone, chained } = pending;
  const cancelRef = useRef<HTMLButtonElement>(null);
  // The safe choice first, and the question in view (it opens below a long list of shots).
  useEffect(() => {
    cancelRef.current?.focus();
    cancelRef.current?.scrollIntoView?.({ block: "nearest" });
  }, []);
  const problems = alone.shots.flatMap((s) => s.problems.filter((p) => p.blocking));
  const blocked = problems.length > 0 || alone.total.jobs === 0;
  return (
    <div
      className="confirm-panel seq-confirm"
      role="alertdialog"
      data-testid="seq-confirm"
      onKeyDown={(e) => {
        if (e.key === "Escape") onCancel();
      }}
    >
      <p className="confirm-title">
        {pending.shot === null
          ? t("sequences.generateAsk", { count: alone.total.jobs, total: totalText(alone.total, t) })
          : t("sequences.rerollAsk", { n: pending.shot })}
      </p>
      {pending.shot === null && <p className="small muted">{t("sequences.generateNote")}</p>}
      {chained && <p className="small muted">{t("sequences.rerollChainNote")}</p>}
      {problems.map((p) => (
        <p key={`${p.kind}-${p.at.item}`} className="small seq-problem" data-testid="seq-problem">
          {messageText(t, p.msg)}
        </p>
      ))}
      <div className="confirm-actions">
        <button type="button" ref={cancelRef} onClick={onCancel} data-testid="confirm-cancel">
          {t("sequences.cancel")}
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || blocked}
          data-testid="seq-start"
          onClick={(e) => {
            if (e.detail > 1) return;
            onStart(false);
          }}
        >
          {pending.shot === null
            ? t("sequences.confirm")
            : t("sequences.rerollOnly", { n: pending.shot, cost: totalText(alone.total, t) })}
        </button>
        {chained && pending.shot !== null && (
          <button
            type="button"
            className="primary"
            disabled={busy || chained.shots.some((s) => s.problems.some((p) => p.blocking))}
            data-testid="seq-start-rechain"
            onClick={(e) => {
              if (e.detail > 1) return;
              onStart(true);
            }}
          >
            {t("sequences.rerollChain", {
              n: pending.shot,
              count: chained.total.jobs - 1,
              cost: totalText(chained.total, t),
            })}
          </button>
        )}
      </div>
    </div>
  );
}
