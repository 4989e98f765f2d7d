import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import type { FrameInfo, RequestDraft } from "../bindings";
import { ipc } from "../ipc";
import { type JobRecord, onJobChanged, onJobProgress, onJobRemoved } from "./api";
import { createdAt } from "./format";
import { createProgressStore, type ProgressStore } from "./progressStore";

/** How many jobs the queue beside the Generate form shows. */
export const RECENT_LIMIT = 8;

/** What the Generate form should load: a whole request (Use settings) or only a new first frame. */
export interface GenerateLoad {
  /** Grows with every load, so loading the same job twice still applies. */
  seq: number;
  draft?: RequestDraft;
  /** The next shot starts from this frame (the last zone empties). */
  firstFrame?: FrameInfo;
  /** The shot ends on this frame (the rest of the form stays). */
  lastFrame?: FrameInfo;
}

export type JobChange = { type: "upsert"; job: JobRecord } | { type: "remove"; id: string };

interface JobsContextValue {
  progress: ProgressStore;
  /** `tokensEstimate` is the figure the form showed; it is kept with the job. */
  /** `intended`: the user confirmed another video from the same request as a recent job. */
  /** `spendConfirmed`: the user said "Generate anyway" to passing a spend limit. */
  submit: (
    draft: RequestDraft,
    tokensEstimate: number | null,
    intended: boolean,
    spendConfirmed: boolean,
  ) => Promise<JobRecord>;
  /** A command returned a new state of a job: every list shows it at once. */
  publish: (job: JobRecord) => void;
  remove: (id: string) => void;
  /** Every change, from the backend's events or from this window's own commands. */
  subscribe: (listener: (change: JobChange) => void) => () => void;
  /** Shows the Jobs screen; with a batch id, only that batch's jobs. */
  openJobs: (batch?: string) => void;
  loadIntoGenerate: (load: Omit<GenerateLoad, "seq">) => void;
}

// Two contexts: the actions never change, so the rows of a long list that use them are not re-rendered
// each time the queue's list of recent jobs changes.
const JobsContext = createContext<JobsContextValue | null>(null);
const RecentJobsContext = createContext<JobRecord[]>([]);

function byNewest(a: JobRecord, b: JobRecord) {
  return createdAt(b) - createdAt(a);
}

/**
 * Puts a record into a newest-first list. A page that was read before an event arrived may carry an older
 * state of the same job: the later `updated_at` wins.
 */
export function upsertJob(list: JobRecord[], job: JobRecord): JobRecord[] {
  const at = list.findIndex((j) => j.id === job.id);
  if (at >= 0) {
    if ((job.updated_at ?? 0) < (list[at].updated_at ?? 0)) return list;
    const next = list.slice();
    next[at] = job;
    return next;
  }
  return [...list, job].sort(byNewest);
}

interface ProviderProps {
  children: ReactNode;
  onOpenJobs: (batch?: string) => void;
  onLoad: (load: Omit<GenerateLoad, "seq">) => void;
}

/** One subscription to the job events for the whole window, shared by the queue and the Jobs screen. */
export function JobsProvider({ children, onOpenJobs, onLoad }: ProviderProps) {
  const [recent, setRecent] = useState<JobRecord[]>([]);
  const progress = useMemo(createProgressStore, []);
  const listeners = useRef(new Set<(change: JobChange) => void>());

  const emit = useCallback(
    (change: JobChange) => {
      if (change.type === "upsert") {
        setRecent((prev) => upsertJob(prev, change.job).slice(0, RECENT_LIMIT));
        const { status, id } = change.job;
        if (status !== "uploading" && status !== "downloading") progress.clear(id);
      } else {
        setRecent((prev) => prev.filter((j) => j.id !== change.id));
        progress.clear(change.id);
      }
      for (const l of listeners.current) l(change);
    },
    [progress],
  );

  const subscribe = useCallback((listener: (change: JobChange) => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  useEffect(() => {
    let current = true;
    ipc.listJobs({ limit: RECENT_LIMIT }).then(
      (page) => {
        if (current) setRecent((prev) => page.jobs.reduce(upsertJob, prev).slice(0, RECENT_LIMIT));
      },
      // The queue stays empty; the Jobs screen shows the error when opened.
      () => undefined,
    );
    const stopChanged = onJobChanged((job) => emit({ type: "upsert", job }));
    const stopProgress = onJobProgress(progress.set);
    const stopRemoved = onJobRemoved((id) => emit({ type: "remove", id }));
    return () => {
      current = false;
      stopChanged();
      stopProgress();
      stopRemoved();
    };
  }, [emit, progress]);

  const value = useMemo<JobsContextValue>(
    () => ({
      progress,
      submit: async (draft, tokensEstimate, intended, spendConfirmed) => {
        const job = await ipc.submitJob(draft, tokensEstimate, intended, spendConfirmed);
        emit({ type: "upsert", job });
        return job;
      },
      publish: (job) => emit({ type: "upsert", job }),
      remove: (id) => emit({ type: "remove", id }),
      subscribe,
      openJobs: onOpenJobs,
      loadIntoGenerate: onLoad,
    }),
    [progress, emit, subscribe, onOpenJobs, onLoad],
  );

  return (
    <JobsContext.Provider value={value}>
      <RecentJobsContext.Provider value={recent}>{children}</RecentJobsContext.Provider>
    </JobsContext.Provider>
  );
}

/** The shared job actions, or null outside the app shell (components then show their empty state). */
export function useJobs(): JobsContextValue | null {
  return useContext(JobsContext);
}

/** The newest jobs, for the queue panel. */
export function useRecentJobs(): JobRecord[] {
  return useContext(RecentJobsContext);
}
