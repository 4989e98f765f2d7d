/** The job events and types from the generated bindings, shaped for the job screens (commands: `ipc`). */
import { events, type JobProgress, type JobRecord } from "../bindings";

export type {
  JobCursor,
  JobPage,
  JobProblem,
  JobProgress,
  JobQuery,
  JobRecord,
  JobStatus,
  JobThumbnails,
  TransferStage,
} from "../bindings";

type Listen<T> = (cb: (event: { payload: T }) => void) => Promise<() => void>;

/**
 * Subscribes to an app event. The returned function unsubscribes, even when called before the
 * subscription finished; a failed subscription (no backend) is ignored: the lists still load, and so is
 * a failed unsubscription (Tauri's unlisten is asynchronous: the window may be going away).
 */
export function subscribe<T>(listen: Listen<T>, handler: (payload: T) => void): () => void {
  let unlisten: (() => void) | null = null;
  let stopped = false;
  const release = (fn: () => unknown) => {
    try {
      const done = fn();
      if (done instanceof Promise) done.catch(() => undefined);
    } catch {
      // nothing left to release
    }
  };
  listen((e) => {
    if (!stopped) handler(e.payload);
  }).then(
    (fn) => {
      if (stopped) release(fn);
      else unlisten = fn;
    },
    () => undefined,
  );
  return () => {
    stopped = true;
    if (unlisten) release(unlisten);
  };
}

export const onJobChanged = (handler: (job: JobRecord) => void) =>
  subscribe(events.jobChanged.listen, handler);
export const onJobProgress = (handler: (p: JobProgress) => void) =>
  subscribe(events.jobProgress.listen, handler);
export const onJobRemoved = (handler: (id: string) => void) =>
  subscribe(events.jobRemoved.listen, (p) => handler(p.id));

/**
 * Whether asking the task again can bring the video: the task finished but its download failed or its link
 * expired. A task the service itself failed has nothing to download.
 */
export function canRetryDownload(job: JobRecord): boolean {
  return job.status === "failed" && job.task_id != null && job.problem?.kind !== "task_failed";
}
