import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { BatchFilter } from "../batch/BatchFilter";
import { ErrorNotice } from "../components/ErrorNotice";
import { MeasuredList, type MeasuredListHandle } from "../components/MeasuredList";
import { formOptions } from "../generate/options";
import type { JobRecord, JobStatus } from "../jobs/api";
import { JobRow } from "../jobs/JobRow";
import { type OpenPlayers, OpenPlayersContext, toggled } from "../jobs/openPlayers";
import { ResultsGrid } from "../jobs/ResultsGrid";
import { RevealJobContext } from "../jobs/revealJob";
import { SpendPanel } from "../jobs/SpendPanel";
import { useJobList } from "../jobs/useJobList";

/** A job's height before its row was measured: a finished job with its actions (see jobs.css). */
const ROW_ESTIMATE = 150;
/** `.job-list`'s gap. */
const ROW_GAP = 8;
const jobKey = (job: JobRecord) => job.id;
const renderJob = (job: JobRecord) => <JobRow job={job} />;

/**
 * Every job, newest first, a page at a time; `batch` shows only that batch's jobs at first. Only the rows in
 * view are rendered (`MeasuredList`), so thousands of loaded jobs cost what a screenful does.
 */
export function JobsView({ batch = null }: { batch?: string | null }) {
  const { t } = useTranslation();
  const list = useJobList(batch);
  const rows = useRef<MeasuredListHandle>(null);
  const reveal = useCallback((id: string) => rows.current?.scrollToKey(id) ?? false, []);
  const [openPlayers, setOpenPlayers] = useState<ReadonlySet<string>>(() => new Set());
  const players = useMemo<OpenPlayers>(
    () => ({ open: openPlayers, toggle: (id) => setOpenPlayers((open) => toggled(open, id)) }),
    [openPlayers],
  );
  // The list of every job, or a grid of finished results that play on hover.
  const [view, setView] = useState<"list" | "grid">("list");
  const sentinel = useRef<HTMLDivElement>(null);
  const loadMore = useRef(list.loadMore);
  loadMore.current = list.loadMore;

  // Scrolling near the end loads the next page (the list says when its last rows render; the sentinel below
  // it covers a first page that fits the screen); the button does the same for keyboard users.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) loadMore.current();
      },
      { rootMargin: "400px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const empty = !list.loading && !list.error && list.jobs.length === 0;
  return (
    <section data-testid="jobs-screen" aria-labelledby="jobs-title" className="page jobs-page">
      <h1 id="jobs-title">{t("jobs.title")}</h1>
      <SpendPanel />
      <div className="jobs-toolbar">
        <input
          type="search"
          className="jobs-search"
          data-testid="jobs-search"
          aria-label={t("jobs.search")}
          placeholder={t("jobs.searchPlaceholder")}
          value={list.searchInput}
          onChange={(e) => list.setSearchInput(e.target.value)}
        />
        <label className="field-inline">
          <span>{t("jobs.statusFilter")}</span>
          <select
            data-testid="jobs-status"
            value={list.status ?? ""}
            onChange={(e) => list.setStatus((e.target.value || null) as JobStatus | null)}
          >
            <option value="">{t("jobs.allStatuses")}</option>
            {formOptions.job_statuses.map((s) => (
              <option key={s} value={s}>
                {t(`jobs.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <BatchFilter value={list.batch} onChange={list.setBatch} />
        <fieldset className="view-switch" aria-label={t("jobs.grid.viewLabel")}>
          {(["list", "grid"] as const).map((v) => (
            <button
              key={v}
              type="button"
              data-testid={`jobs-view-${v}`}
              aria-pressed={view === v}
              onClick={() => setView(v)}
            >
              {t(v === "list" ? "jobs.grid.showList" : "jobs.grid.showGrid")}
            </button>
          ))}
        </fieldset>
      </div>
      {list.error && (
        <div>
          <ErrorNotice error={list.error} />
          <button type="button" onClick={list.reload}>
            {t("jobs.tryAgain")}
          </button>
        </div>
      )}
      {empty && (
        <p className="muted" data-testid="jobs-empty">
          {list.filtering ? t("jobs.noMatch") : t("jobs.empty")}
        </p>
      )}
      {view === "grid" && <ResultsGrid jobs={list.jobs} />}
      <RevealJobContext.Provider value={reveal}>
        <OpenPlayersContext.Provider value={players}>
          <MeasuredList
            items={view === "list" ? list.jobs : []}
            rowKey={jobKey}
            renderRow={renderJob}
            estimate={ROW_ESTIMATE}
            gap={ROW_GAP}
            className="job-list"
            ariaLabel={t("jobs.listLabel")}
            testId="job-list"
            handle={rows}
            onNearEnd={list.loadMore}
            pinned={openPlayers}
          />
        </OpenPlayersContext.Provider>
      </RevealJobContext.Provider>
      <div ref={sentinel} />
      {list.loading && (
        <p className="muted small" role="status">
          {t("jobs.loading")}
        </p>
      )}
      {list.hasMore && !list.loading && (
        <button type="button" className="load-more" data-testid="load-more" onClick={list.loadMore}>
          {t("jobs.loadMore")}
        </button>
      )}
    </section>
  );
}
