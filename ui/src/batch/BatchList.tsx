import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../components/ErrorNotice";
import { useJobs } from "../jobs/JobsContext";
import { BatchCard } from "./BatchCard";
import { useBatches } from "./useBatches";

/**
 * Every batch, newest first, each as a card that follows its jobs live. Self-contained: it reads and listens
 * on its own, so any screen can show it. "Show jobs" opens the Jobs screen filtered by the batch when the
 * app's job context is there.
 */
export function BatchList() {
  const { t } = useTranslation();
  const batches = useBatches();
  const jobs = useJobs();
  const list = batches.data ?? [];
  return (
    <section className="batch-list" aria-label={t("batchRun.listLabel")} data-testid="batch-list">
      {batches.error && (
        <div>
          <ErrorNotice error={batches.error} />
          <button type="button" onClick={() => void batches.reload()}>
            {t("batchRun.tryAgain")}
          </button>
        </div>
      )}
      {batches.loading && batches.data === null && (
        <p className="muted small" role="status">
          {t("batchRun.loading")}
        </p>
      )}
      {batches.data !== null && list.length === 0 && (
        <p className="muted" data-testid="batch-list-empty">
          {t("batchRun.empty")}
        </p>
      )}
      <ul className="batch-cards">
        {list.map((view) => (
          <BatchCard
            key={view.batch.id}
            view={view}
            onChanged={batches.put}
            onShowJobs={jobs ? (id) => jobs.openJobs(id) : undefined}
          />
        ))}
      </ul>
    </section>
  );
}
