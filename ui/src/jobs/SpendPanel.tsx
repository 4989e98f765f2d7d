/**
 * Spend at a glance, above the job list: tokens and estimated money for today, this week and this month
 * (the backend reads the history in the computer's local calendar; demo jobs never count), what is stored
 * but not sent yet, the latest batches with spend, and a CSV export. Collapsible; it reads again whenever a
 * job changes (a short pause first, so a batch's burst of changes is one read).
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { SpendTotal } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { formatMoney, groupThousands } from "../generate/format";
import { ipc } from "../ipc";
import { useMutation, useQuery } from "../query";
import { useJobs } from "./JobsContext";

/** How long after a job change the figures are read again. */
export const SPEND_RELOAD_MS = 400;
const OPEN_KEY = "spend-panel-open";

function amount(total: SpendTotal, currency: string) {
  return {
    tokens: groupThousands(total.tokens ?? 0),
    cost: formatMoney(total.cost ?? 0, currency),
  };
}

export function SpendPanel() {
  const { t } = useTranslation();
  const jobs = useJobs();
  const summary = useQuery(() => ipc.spendSummary(), []);
  const [open, setOpen] = useState(() => localStorage.getItem(OPEN_KEY) !== "0");
  const [saved, setSaved] = useState<string | null>(null);
  const exportCsv = useMutation(async () => {
    setSaved(null);
    const path = await ipc.exportSpendCsv();
    if (path) setSaved(path);
  });
  const { reload } = summary;

  useEffect(() => {
    if (!jobs) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = jobs.subscribe(() => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), SPEND_RELOAD_MS);
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [jobs, reload]);

  const toggle = () => {
    setOpen((o) => {
      localStorage.setItem(OPEN_KEY, o ? "0" : "1");
      return !o;
    });
  };

  const s = summary.data;
  const periods = s
    ? ([
        ["today", s.today, s.limits.per_day],
        ["week", s.week, null],
        ["month", s.month, s.limits.per_month],
      ] as const)
    : [];
  return (
    <section className="spend-panel" data-testid="spend-panel" aria-labelledby="spend-title">
      <div className="spend-head">
        <button
          type="button"
          id="spend-title"
          aria-expanded={open}
          aria-controls="spend-body"
          data-testid="spend-toggle"
          onClick={toggle}
        >
          {open ? "▾" : "▸"} {t("jobs.spend.title")}
        </button>
        {!open && s && (
          <span className="muted small" data-testid="spend-glance">
            {t("jobs.spend.glance", amount(s.today, s.currency))}
          </span>
        )}
      </div>
      {open && (
        <div id="spend-body" data-testid="spend-body">
          {s && (
            <div className="spend-body">
              <table className="spend-table">
                <tbody>
                  {periods.map(([key, total, limit]) => {
                    const a = amount(total, s.currency);
                    const over = limit != null && (total.tokens ?? 0) > limit;
                    return (
                      <tr key={key} data-testid={`spend-${key}`} className={over ? "over" : undefined}>
                        <th scope="row">{t(`jobs.spend.${key}`)}</th>
                        <td className="num">{t("jobs.spend.tokens", { tokens: a.tokens })}</td>
                        <td className="num">≈ {a.cost}</td>
                        <td className="muted small">
                          {limit != null && t("jobs.spend.ofLimit", { limit: groupThousands(limit) })}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              {s.batches.length > 0 && (
                <div>
                  <h3 className="spend-sub">{t("jobs.spend.batches")}</h3>
                  <ul className="spend-batches" data-testid="spend-batches">
                    {s.batches.map((b) => {
                      const a = amount(b.total, s.currency);
                      return (
                        <li key={b.batch_id}>
                          <span className="spend-batch-name">{b.name}</span>{" "}
                          <span className="muted small">
                            {t("jobs.spend.batchLine", { count: b.total.jobs, ...a })}
                          </span>
                        </li>
                      );
                    })}
                  </ul>
                </div>
              )}
            </div>
          )}
          {s && (s.pending.jobs ?? 0) > 0 && (
            <p className="muted small" data-testid="spend-pending">
              {t("jobs.spend.pending", { count: s.pending.jobs, ...amount(s.pending, s.currency) })}
            </p>
          )}
          <div className="spend-foot">
            <button
              type="button"
              data-testid="spend-export"
              disabled={exportCsv.pending}
              onClick={() => void exportCsv.run()}
            >
              {t("jobs.spend.export")}
            </button>
            {saved && (
              <span role="status" className="muted small" data-testid="spend-saved">
                {t("jobs.spend.saved", { path: saved })}
              </span>
            )}
            {s && <p className="muted small">{t("jobs.spend.note")}</p>}
          </div>
          {exportCsv.error && <ErrorNotice error={exportCsv.error} />}
          {summary.error && <ErrorNotice error={summary.error} />}
        </div>
      )}
    </section>
  );
}
