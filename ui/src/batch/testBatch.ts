/**
 * A fake backend for Batch screen tests: it keeps one draft of `n` items like the real one (skips leave the
 * total, a fix clears the frame's problem) and answers every command the screen calls, recording the calls.
 */
import { mockIPC } from "@tauri-apps/api/mocks";
import type {
  BatchProblem,
  BatchRecord,
  BatchReview,
  Estimate,
  FrameProblem,
  ItemThumbnails,
  ReviewItem,
} from "../bindings";
import type { IpcError } from "../ipc";
import { verbatim } from "../testMessages";

export const ESTIMATE: Estimate = {
  width: 1280,
  height: 720,
  tokens_min: 100_000,
  tokens_max: 100_000,
  cost_min: 0.25,
  cost_max: 0.25,
  currency: "CNY",
  draft_lower: false,
  approximate: false,
};

export const TOO_SMALL: FrameProblem = {
  kind: "too_small",
  message: verbatim("The image is 200×150: below 300 px.", "图片为 200×150：小于 300 像素。"),
  fix: { type: "upscale", min_side: 300 },
};

export function item(index: number, extra: Partial<ReviewItem> = {}): ReviewItem {
  return {
    item: {
      index,
      origin: { kind: "path", position: index },
      draft: {
        prompt: `shot ${index} turns to the camera`,
        first_frame: `/shots/shot${index}.png`,
        last_frame: null,
        resolution: "720p",
        ratio: "16:9",
        duration: 5,
        generate_audio: true,
        camera_fixed: false,
        draft: false,
        watermark: false,
      },
      takes: 1,
      output: null,
      estimate: ESTIMATE,
      problems: [],
      excluded: false,
    },
    skipped: false,
    frames: [
      {
        slot: "first",
        file_name: `shot${index}.png`,
        facts: {
          state: "checked",
          width: 1280,
          height: 720,
          aspect: 16 / 9,
          aspect_label: "16:9",
          problems: [],
        },
        pending: false,
      },
    ],
    mismatch: null,
    ...extra,
  };
}

export function problem(en: string, zh: string, blocking = true, kind = "frame_not_found"): BatchProblem {
  return {
    kind,
    blocking,
    at: { line: null, column: null, header: null, file: null, item: null },
    field: null,
    msg: verbatim(en, zh),
  };
}

export interface BatchBackend {
  items: ReviewItem[];
  problems: BatchProblem[];
  checksPending: number;
  /** What the next picker or drop answers: a review (the items above), `null` (cancelled) or an error. */
  nextSource: "review" | null | IpcError;
  /** Answers batch_start; defaults to a started batch. */
  start: (args: Record<string, unknown>) => Promise<BatchRecord> | BatchRecord;
  calls: { cmd: string; args: Record<string, unknown> }[];
}

export function record(name = "shots"): BatchRecord {
  return {
    id: "b1",
    name,
    created_at: 1,
    source: verbatim("/shots", "/shots"),
    state: "running",
    tokens_min: 0,
    tokens_max: 0,
    demo: true,
    counts: { queued: 1, running: 0, done: 0, failed: 0, uncertain: 0, not_sent: 0 },
    paused_reason: null,
    waiting: null,
  };
}

/** The review the backend would answer for its current items. */
export function reviewOf(b: BatchBackend, id = "d1"): BatchReview {
  const included = b.items.filter((i) => !i.skipped && !i.item.excluded);
  const jobs = included.reduce((n, i) => n + i.item.takes, 0);
  const tokens = jobs * ESTIMATE.tokens_max;
  const cost = Math.round(jobs * (ESTIMATE.cost_max ?? 0) * 100) / 100;
  return {
    id,
    source: { kind: "folder", path: "/shots", rule: { kind: "suffix", first: "_first", last: "_last" } },
    label: verbatim("/shots", "/shots"),
    name: "shots",
    defaults: { prompt: "", settings: {}, preset: null, takes: 1 },
    columns: [],
    placeholders: ["{name}", "{index}"],
    items: b.items.map((i) => ({
      ...i,
      item: { ...i.item, excluded: i.item.excluded || i.skipped },
    })),
    problems: b.problems,
    total: {
      items: b.items.length,
      excluded_items: b.items.length - included.length,
      jobs,
      tokens_min: tokens,
      tokens_max: tokens,
      cost_min: cost,
      cost_max: cost,
      currency: "CNY",
      draft_lower: false,
      approximate: false,
    },
    can_start: jobs > 0 && b.problems.every((p) => !p.blocking),
    checks_pending: b.checksPending,
    version: 1,
  };
}

export function batchBackend(overrides: Partial<BatchBackend> = {}): BatchBackend {
  const b: BatchBackend = {
    items: [item(1), item(2), item(3)],
    problems: [],
    checksPending: 0,
    nextSource: "review",
    start: () => record(),
    calls: [],
    ...overrides,
  };
  const source = () => {
    const next = b.nextSource;
    if (next === null) return null;
    if (next !== "review") throw next;
    return reviewOf(b);
  };
  mockIPC((cmd, raw) => {
    const args = (raw ?? {}) as Record<string, unknown>;
    b.calls.push({ cmd, args });
    switch (cmd) {
      case "list_presets":
        return [];
      case "batch_pick_images":
      case "batch_pick_folder":
      case "batch_pick_file":
        return source();
      case "batch_from_drop":
      case "batch_from_form": {
        const answer = source();
        if (answer === null)
          throw { kind: "unexpected", message: verbatim("x", "x"), details: null, cause: null };
        return answer;
      }
      case "batch_review_changes": {
        // Every item, as after an edit the poll did not know of (the merge of a few is tested on its own).
        const { id, version, items, problems, total, can_start, checks_pending } = reviewOf(b);
        return { id, version: version + 1, full: true, items, problems, total, can_start, checks_pending };
      }
      case "batch_review":
      case "batch_set_defaults":
      case "batch_set_pair_rule":
        return reviewOf(b);
      case "batch_skip_item": {
        const row = b.items[(args.index as number) - 1];
        if (row) row.skipped = args.skipped as boolean;
        return reviewOf(b);
      }
      case "batch_fix_frame": {
        const row = b.items[(args.index as number) - 1];
        const frame = row?.frames.find((f) => f.slot === args.slot);
        if (row && frame?.facts?.state === "checked") {
          frame.facts = { ...frame.facts, problems: [] };
          row.item.excluded = false;
        }
        return reviewOf(b);
      }
      case "batch_thumbnails":
        return (args.items as number[]).map(
          (index): ItemThumbnails => ({ index, first: `data:image/png;base64,${index}`, last: null }),
        );
      case "batch_start":
        return b.start(args);
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return b;
}

export function callsTo(b: BatchBackend, cmd: string) {
  return b.calls.filter((c) => c.cmd === cmd);
}
