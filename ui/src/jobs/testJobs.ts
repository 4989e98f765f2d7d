/** Test helpers for the job screens: records, and a backend that answers the app's and the jobs' commands. */
import { emit } from "@tauri-apps/api/event";
import { act } from "@testing-library/react";
import type { FrameInfo } from "../bindings";
import { okCheck } from "../generate/testBackend";
import { type Handler, mockBackend } from "../test-ipc";
import { verbatim } from "../testMessages";
import type { JobProgress, JobRecord } from "./api";

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

export function job(id: string, over: Partial<JobRecord> = {}): JobRecord {
  const created = over.created_at ?? T0;
  return {
    id,
    created_at: created,
    updated_at: created,
    status: "running",
    request: {
      prompt: `prompt of ${id}`,
      first_frame: null,
      last_frame: null,
      resolution: "720p",
      ratio: "16:9",
      duration: 5,
      generate_audio: true,
      camera_fixed: false,
      draft: false,
      watermark: false,
    },
    prompt: `prompt of ${id}`,
    mode: "text_to_video",
    resolution: "720p",
    ratio: "16:9",
    duration: 5,
    first_frame_path: null,
    last_frame_path: null,
    first_frame_url: null,
    last_frame_url: null,
    uploads_expire_at: null,
    create_sent_at: null,
    task_id: null,
    task_status_raw: null,
    video_url: null,
    output_path: null,
    bytes_done: 0,
    bytes_total: null,
    tokens_estimate: 108_900,
    problem: null,
    demo: false,
    retry_of: null,
    finished_at: null,
    has_first_thumb: false,
    has_last_thumb: false,
    first_thumb: null,
    last_thumb: null,
    resubmitted_as: null,
    can_resubmit: false,
    poll_trouble: null,
    batch: null,
    ...over,
  };
}

export function doneJob(id: string, over: Partial<JobRecord> = {}): JobRecord {
  const created = over.created_at ?? T0;
  return job(id, {
    status: "done",
    task_id: `task-${id}`,
    output_path: `/home/me/Videos/Seedance Studio/${id}.mp4`,
    finished_at: created + 95_000,
    ...over,
  });
}

/**
 * The app's defaults plus the Generate form's commands (every draft checks clean; `files` answers
 * inspect_frame) and whatever a test overrides. Events are mocked: use `emitJob`/`emitProgress`.
 */
export function jobsBackend(overrides: Record<string, Handler> = {}, files: Record<string, FrameInfo> = {}) {
  return mockBackend({
    check_request: (args) => okCheck(args.draft as never),
    inspect_frame: (args) => {
      const found = files[args.handle as string];
      if (!found)
        throw {
          kind: "not_found",
          message: verbatim("File not found.", "找不到文件。"),
          details: null,
          cause: null,
        };
      return found;
    },
    frame_mismatch: () => null,
    // A finished job's poster, told apart by its id.
    job_poster: (args) => `data:image/jpeg;base64,${btoa(`poster-${args.id}`)}`,
    ...overrides,
  });
}

export async function emitJob(record: JobRecord) {
  await act(() => emit("job-changed", record));
}

export async function emitProgress(p: JobProgress) {
  await act(() => emit("job-progress", p));
}

export function callsTo(calls: { cmd: string; args: Record<string, unknown> }[], cmd: string) {
  return calls.filter((c) => c.cmd === cmd).map((c) => c.args);
}
