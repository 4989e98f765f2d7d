/**
 * The total of the included items and the one "Start N videos…" button, its single confirmation (count
 * and total), and the repeat question when the same batch was started moments ago.
 */
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { BatchTotal, Message } from "../bindings";
import { formatMoney, groupThousands } from "../generate/format";
import { SpendConfirm } from "../generate/SpendConfirm";
import type { PendingSpend } from "../generate/useGuardedSubmit";
import { messageText } from "../i18n";
import { ConfirmPanel } from "../jobs/ConfirmPanel";

function range(min: string, max: string): string {
  return min === max ? min : `${min}–${max}`;
}

/** "12 videos · 1 306 800 tokens · ¥3.12" with the plan's notes. */
export function totalText(total: BatchTotal, t: TFunction): string {
  const tokens = range(groupThousands(total.tokens_min ?? 0), groupThousands(total.tokens_max ?? 0));
  const parts = [t("batch.total.videos", { count: total.jobs }), t("generate.estimateTokens", { tokens })];
  if (total.cost_min != null && total.cost_max != null && (total.cost_max > 0 || total.jobs === 0)) {
    parts.push(
      range(formatMoney(total.cost_min, total.currency), formatMoney(total.cost_max, total.currency)),
    );
  }
  let text = parts.join(" · ");
  if (total.approximate) text += ` ${t("batch.total.approximate")}`;
  if (total.draft_lower) text += ` ${t("batch.total.draftLower")}`;
  return text;
}

interface Props {
  total: BatchTotal;
  canStart: boolean;
  checksPending: number;
  starting: boolean;
  confirming: boolean;
  /** The backend said the same batch was started moments ago (its words): ask before starting again. */
  repeat: Message | null;
  /** The backend said starting would pass today's or this month's spend limit: ask before starting anyway. */
  spend: Pick<PendingSpend, "question" | "error"> | null;
  onAsk: () => void;
  onConfirm: () => void;
  onRepeat: () => void;
  onSpend: () => void;
  onCancel: () => void;
}

export function TotalBar(p: Props) {
  const { t } = useTranslation();
  const { total } = p;
  const disabled =
    !p.canStart || p.checksPending > 0 || p.starting || p.confirming || p.repeat !== null || p.spend !== null;
  return (
    <section className="batch-total" aria-label={t("batch.total.label")}>
      <p data-testid="batch-total">
        <strong>{t("batch.total.title")}</strong> {totalText(total, t)}
        {total.excluded_items > 0 && (
          <span className="muted small"> {t("batch.total.leftOut", { count: total.excluded_items })}</span>
        )}
      </p>
      {p.checksPending > 0 && (
        <p className="small muted" data-testid="batch-checking">
          {t("batch.total.checking", { count: p.checksPending })}
        </p>
      )}
      <button
        type="button"
        className="primary"
        data-testid="batch-start"
        disabled={disabled}
        onClick={(e) => {
          // The second click of a double click is part of the same press.
          if (e.detail > 1) return;
          p.onAsk();
        }}
      >
        {p.starting ? t("batch.start.starting") : t("batch.start.button", { count: total.jobs })}
      </button>
      {p.confirming && (
        <div data-testid="batch-confirm">
          <ConfirmPanel
            title={t("batch.start.confirmTitle", { count: total.jobs })}
            confirmLabel={t("batch.start.confirm", { count: total.jobs })}
            busy={p.starting}
            onConfirm={p.onConfirm}
            onCancel={p.onCancel}
          >
            <p className="small" data-testid="batch-confirm-total">
              {t("batch.start.confirmExplain", { count: total.jobs, total: totalText(total, t) })}
            </p>
          </ConfirmPanel>
        </div>
      )}
      {p.repeat !== null && (
        <div data-testid="batch-repeat">
          <ConfirmPanel
            title={t("batch.repeat.title")}
            confirmLabel={t("batch.repeat.confirm", { count: total.jobs })}
            busy={p.starting}
            onConfirm={p.onRepeat}
            onCancel={p.onCancel}
          >
            <p className="small">{messageText(t, p.repeat)}</p>
            <p className="small">{totalText(total, t)}</p>
          </ConfirmPanel>
        </div>
      )}
      {p.spend !== null && (
        <div data-testid="batch-spend">
          <SpendConfirm
            pending={p.spend}
            busy={p.starting}
            onConfirm={p.onSpend}
            onCancel={p.onCancel}
            title={t("batch.spend.title")}
            confirmLabel={t("batch.spend.confirm", { count: total.jobs })}
          />
        </div>
      )}
    </section>
  );
}
