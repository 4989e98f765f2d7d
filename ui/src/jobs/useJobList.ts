import { useCallback, useEffect, useRef, useState } from "react";
import { type IpcError, ipc } from "../ipc";
import { useLatest } from "../query";
import type { JobCursor, JobRecord, JobStatus } from "./api";
import { createdAt } from "./format";
import { type JobChange, upsertJob, useJobs } from "./JobsContext";
import { mergePage } from "./mergePage";

export const SEARCH_DEBOUNCE_MS = 250;
export const PAGE_SIZE = 50;

/**
 * Whether a job that appeared live belongs in the filtered list. The backend decides what a page holds;
 * this only keeps a new job out of a list it would not appear in after a reload (same rule: every
 * whitespace-separated term occurs in the prompt, case-insensitively).
 */
export function matchesFilter(
  job: JobRecord,
  search: string,
  status: JobStatus | null,
  batch: string | null = null,
): boolean {
  if (status && job.status !== status) return false;
  if (batch && job.batch?.id !== batch) return false;
  const prompt = job.prompt.toLowerCase();
  return search
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((term) => prompt.includes(term));
}

/**
 * The Jobs screen's list: debounced search, status and batch filters, keyset pages, live updates.
 * `initialBatch` shows only that batch's jobs at first (the batch card's "Show jobs").
 */
export function useJobList(initialBatch: string | null = null) {
  const jobsCtx = useJobs();
  const [searchInput, setSearchInput] = useState("");
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<JobStatus | null>(null);
  const [batch, setBatch] = useState<string | null>(initialBatch);
  const [jobs, setJobs] = useState<JobRecord[]>([]);
  const [next, setNext] = useState<JobCursor | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<IpcError | null>(null);
  // Answers to an older query (the user kept typing) are dropped.
  const latest = useLatest();
  const [reloadCount, setReloadCount] = useState(0);

  useEffect(() => {
    const timer = setTimeout(() => setSearch(searchInput.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [searchInput]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadCount asks for the same query again.
  useEffect(() => {
    const current = latest.begin();
    setLoading(true);
    setError(null);
    ipc.listJobs({ search: search || null, status, limit: PAGE_SIZE, before: null, batch }).then(
      (page) => {
        if (!current()) return;
        setJobs(page.jobs);
        setNext(page.next);
        setLoading(false);
      },
      (e: IpcError) => {
        if (!current()) return;
        setError(e);
        setLoading(false);
      },
    );
  }, [search, status, batch, reloadCount, latest]);

  // The cursor last asked for: the list's end and the sentinel below it may both ask in one frame, before
  // `loading` is seen, and the same page must not be fetched twice.
  const asked = useRef<JobCursor | null>(null);
  const loadMore = useCallback(() => {
    if (!next || loading || asked.current === next) return;
    asked.current = next;
    // A page of the list on screen: dropped too once another query starts.
    const current = latest.join();
    setLoading(true);
    ipc.listJobs({ search: search || null, status, limit: PAGE_SIZE, before: next, batch }).then(
      (page) => {
        if (!current()) return;
        setJobs((prev) => mergePage(prev, page.jobs));
        setNext(page.next);
        setLoading(false);
      },
      (e: IpcError) => {
        // Asking again (the button) is allowed after a failure.
        asked.current = null;
        if (!current()) return;
        setError(e);
        setLoading(false);
      },
    );
  }, [next, loading, search, status, batch, latest]);

  // Read through a ref so the subscription is made once, not on every keystroke.
  const filter = useRef({ search, status, batch, next });
  filter.current = { search, status, batch, next };

  useEffect(() => {
    if (!jobsCtx) return;
    return jobsCtx.subscribe((change: JobChange) => {
      if (change.type === "remove") {
        setJobs((prev) => prev.filter((j) => j.id !== change.id));
        return;
      }
      const { job } = change;
      setJobs((prev) => {
        // A row already shown is updated in place even if it no longer matches: rows never jump away.
        if (prev.some((j) => j.id === job.id)) return upsertJob(prev, job);
        const f = filter.current;
        if (!matchesFilter(job, f.search, f.status, f.batch)) return prev;
        // A job older than the last loaded row belongs to a page not fetched yet.
        const oldest = prev[prev.length - 1];
        if (f.next && oldest && createdAt(job) < createdAt(oldest)) return prev;
        return upsertJob(prev, job);
      });
    });
  }, [jobsCtx]);

  return {
    searchInput,
    setSearchInput,
    filtering: search !== "" || status !== null || batch !== null,
    status,
    setStatus,
    batch,
    setBatch,
    jobs,
    hasMore: next !== null,
    loading,
    error,
    loadMore,
    reload: () => setReloadCount((n) => n + 1),
  };
}
