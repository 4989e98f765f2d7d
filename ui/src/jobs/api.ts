/** The job commands and events from the generated bindings, shaped for the job screens. */
import { commands, events, type JobProgress, type JobRecord, type RequestDraft } from "../bindings";
import { unwrap } from "../ipc";

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

/** The job commands as promises that reject with an `IpcError`. */
export const jobCommands = {
  submitJob: (draft: RequestDraft, tokensEstimate: number | null, intended: boolean) =>
    unwrap(commands.submitJob(draft, tokensEstimate, intended)),
  unsentSummary: () => unwrap(commands.unsentSummary()),
  sendUnsentJob: (id: string) => unwrap(commands.sendUnsentJob(id)),
  discardUnsentJob: (id: string) => unwrap(commands.discardUnsentJob(id)),
  sendAllUnsent: () => unwrap(commands.sendAllUnsent()),
  discardAllUnsent: () => unwrap(commands.discardAllUnsent()),
  listJobs: (query: Parameters<typeof commands.listJobs>[0]) => unwrap(commands.listJobs(query)),
  jobThumbnails: (id: string) => unwrap(commands.jobThumbnails(id)),
  jobDraft: (id: string) => unwrap(commands.jobDraft(id)),
  resubmitJob: (id: string) => unwrap(commands.resubmitJob(id)),
  markJobFailed: (id: string) => unwrap(commands.markJobFailed(id)),
  deleteJob: (id: string, deleteFile: boolean) => unwrap(commands.deleteJob(id, deleteFile)),
  retryDownload: (id: string) => unwrap(commands.retryDownload(id)),
  openJobVideo: (id: string) => unwrap(commands.openJobVideo(id)),
  jobVideoUrl: (id: string) => unwrap(commands.jobVideoUrl(id)),
  revealJobVideo: (id: string) => unwrap(commands.revealJobVideo(id)),
  saveFrameImage: (dataUrl: string) => unwrap(commands.saveFrameImage(dataUrl)),
};

type Listen<T> = (cb: (event: { payload: T }) => void) => Promise<() => void>;

/**
 * Subscribes to an app event. The returned function unsubscribes, even when called before the
 * subscription finished; a failed subscription (no backend) is ignored: the lists still load.
 */
function subscribe<T>(listen: Listen<T>, handler: (payload: T) => void): () => void {
  let unlisten: (() => void) | null = null;
  let stopped = false;
  listen((e) => {
    if (!stopped) handler(e.payload);
  }).then(
    (fn) => {
      if (stopped) fn();
      else unlisten = fn;
    },
    () => undefined,
  );
  return () => {
    stopped = true;
    unlisten?.();
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
