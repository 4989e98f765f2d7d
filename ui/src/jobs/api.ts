/**
 * The job commands and events. They mirror the Rust store types (store/model.rs, store/status.rs) until the
 * generated bindings carry them; then this module re-exports the generated ones and nothing else changes.
 */
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { FrameInfo, Msg, RequestDraft } from "../bindings";
import type { IpcError } from "../ipc";

export type JobStatus =
  | "uploading"
  | "submitting"
  | "queued"
  | "running"
  | "downloading"
  | "done"
  | "failed"
  | "submission_uncertain";

export const JOB_STATUSES: JobStatus[] = [
  "uploading",
  "submitting",
  "queued",
  "running",
  "downloading",
  "done",
  "failed",
  "submission_uncertain",
];

/** Nothing will happen to the job without the user. */
export function isSettled(status: JobStatus): boolean {
  return status === "done" || status === "failed" || status === "submission_uncertain";
}

export type JobProblem = { kind: string; message: Msg };

/** One job; times are unix milliseconds. Lists leave the thumbnails null (see `jobThumbnails`). */
export type JobRecord = {
  id: string;
  created_at: number;
  updated_at: number;
  status: JobStatus;
  request: RequestDraft;
  prompt: string;
  mode: string | null;
  resolution: string;
  ratio: string;
  duration: number;
  first_frame_path: string | null;
  last_frame_path: string | null;
  first_frame_url?: string | null;
  last_frame_url?: string | null;
  task_id: string | null;
  output_path: string | null;
  bytes_done: number;
  bytes_total: number | null;
  tokens_estimate: number | null;
  problem: JobProblem | null;
  demo: boolean;
  retry_of: string | null;
  finished_at: number | null;
  has_first_thumb: boolean;
  has_last_thumb: boolean;
  first_thumb: string | null;
  last_thumb: string | null;
};

export type JobCursor = { created_at: number; seq: number };
export type JobQuery = {
  search?: string | null;
  status?: JobStatus | null;
  limit?: number;
  before?: JobCursor | null;
};
export type JobPage = { jobs: JobRecord[]; next: JobCursor | null };
export type JobThumbnails = { first: string | null; last: string | null };
export type JobProgress = { id: string; stage: "upload" | "download"; done: number; total: number | null };

function isIpcError(value: unknown): value is IpcError {
  return typeof value === "object" && value !== null && "kind" in value && "message" in value;
}

/** Every rejection becomes an `IpcError`, so the screens show all failures the same way. */
async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    if (isIpcError(e)) throw e;
    const detail = e instanceof Error ? e.message : String(e);
    throw {
      kind: "ipc_failed",
      message: `The app's backend did not answer (${detail}). Restart Seedance Studio.`,
      message_zh: `应用后台没有响应（${detail}）。请重启 Seedance Studio。`,
      details: null,
    } satisfies IpcError;
  }
}

export const jobCommands = {
  submitJob: (draft: RequestDraft) => call<JobRecord>("submit_job", { draft }),
  listJobs: (query: JobQuery) => call<JobPage>("list_jobs", { query }),
  jobThumbnails: (id: string) => call<JobThumbnails>("job_thumbnails", { id }),
  resubmitJob: (id: string) => call<JobRecord>("resubmit_job", { id }),
  markJobFailed: (id: string) => call<JobRecord>("mark_job_failed", { id }),
  deleteJob: (id: string, deleteFile: boolean) => call<null>("delete_job", { id, deleteFile }),
  retryDownload: (id: string) => call<JobRecord>("retry_download", { id }),
  openJobVideo: (id: string) => call<null>("open_job_video", { id }),
  revealJobVideo: (id: string) => call<null>("reveal_job_video", { id }),
  saveFrameImage: (dataUrl: string) => call<FrameInfo>("save_frame_image", { dataUrl }),
};

/**
 * Subscribes to an app event. The returned function unsubscribes, even when called before the
 * subscription finished; a failed subscription (no backend) is ignored: the lists still load.
 */
function subscribe<T>(event: string, handler: (payload: T) => void): () => void {
  let unlisten: UnlistenFn | null = null;
  let stopped = false;
  listen<T>(event, (e) => {
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

export const JOB_CHANGED = "job-changed";
export const JOB_PROGRESS = "job-progress";
export const JOB_REMOVED = "job-removed";

export const onJobChanged = (handler: (job: JobRecord) => void) => subscribe(JOB_CHANGED, handler);
export const onJobProgress = (handler: (p: JobProgress) => void) => subscribe(JOB_PROGRESS, handler);
/** A record was deleted; the payload is its id (bare or as `{ id }`, whichever the backend sends). */
export const onJobRemoved = (handler: (id: string) => void) =>
  subscribe<string | { id: string }>(JOB_REMOVED, (p) => handler(typeof p === "string" ? p : p.id));

/**
 * Whether asking the task again can bring the video: the task finished but its download failed or its link
 * expired. A task the service itself failed has nothing to download.
 */
export function canRetryDownload(job: JobRecord): boolean {
  return job.status === "failed" && job.task_id != null && job.problem?.kind !== "task_failed";
}
