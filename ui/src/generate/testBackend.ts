/** A fake backend for Generate screen tests: every command the screen calls, with overridable answers. */
import { mockIPC } from "@tauri-apps/api/mocks";
import type { CropRect, DropPlan, FormCheck, FrameInfo, Mismatch, RequestDraft } from "../bindings";
import type { IpcError } from "../ipc";
import { verbatim } from "../testMessages";

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** A frame as the backend describes it; in these tests a frame's handle is the name the test gives it. */
export function frameInfo(
  handle: string,
  width: number,
  height: number,
  extra: Partial<FrameInfo> = {},
): FrameInfo {
  return {
    handle,
    format: "JPEG",
    width,
    height,
    file_bytes: 2_516_582,
    aspect: width / height,
    // The shapes these tests use all reduce to a ratio the backend names as such ("16:9").
    aspect_label: `${width / gcd(width, height)}:${height / gcd(width, height)}`,
    thumbnail_data_url: `data:image/jpeg;base64,${btoa(handle)}`,
    content_sha256: `sha-${handle}`,
    problems: [],
    ...extra,
  };
}

export function refusal(kind: string, message: string, message_zh: string): IpcError {
  return { kind, message: verbatim(message, message_zh), details: null, cause: null };
}

export function okCheck(draft: RequestDraft): FormCheck {
  const mode = draft.first_frame ? (draft.last_frame ? "first_last_frame" : "first_frame") : "text_to_video";
  return {
    problems: [],
    mode,
    prompt: {
      chars: Array.from(draft.prompt ?? "").length,
      words: 0,
      over_limit: false,
      over_word_advice: false,
      mostly_cjk: false,
      flags: [],
    },
    estimate: null,
  };
}

export interface Backend {
  check: (draft: RequestDraft, aspect: number | null) => FormCheck;
  /** A path → its facts, or the refusal the backend gives for it. */
  files: Record<string, FrameInfo | IpcError>;
  /** What the backend's file picker answers next, in order (a path in `files`); none left = cancelled. */
  picks: string[];
  fixed: (path: string) => FrameInfo;
  cropped: (path: string, ratio: number, offset: number) => FrameInfo;
  plan: (paths: string[]) => DropPlan;
  /** Answers for commands beyond the form's own (presets, say), by command name. */
  more: Record<string, (args: Record<string, never>) => unknown>;
  calls: { cmd: string; args: Record<string, unknown> }[];
}

function mismatch(a: number, b: number): Mismatch | null {
  if (Math.abs(b - a) / a <= 0.01) return null;
  return {
    first_aspect: a,
    last_aspect: b,
    relative_difference: Math.abs(b - a) / a,
    first_label: "16:9",
    last_label: "4:3",
    suggested_crop_ratio: a,
    message: verbatim("The last frame has a different shape.", "尾帧比例与首帧不一致。"),
  };
}

function cropWindow(w: number, h: number, ratio: number, offset: number): CropRect {
  if (w / h > ratio) {
    const cw = Math.round(h * ratio);
    return { x: Math.round(((w - cw) * (offset + 1)) / 2), y: 0, width: cw, height: h };
  }
  const ch = Math.round(w / ratio);
  return { x: 0, y: Math.round(((h - ch) * (offset + 1)) / 2), width: w, height: ch };
}

export function installBackend(overrides: Partial<Backend> = {}): Backend {
  const backend: Backend = {
    check: (draft) => okCheck(draft),
    files: {},
    picks: [],
    fixed: (path) => frameInfo(`${path}.fixed.png`, 6000, 3375, { format: "PNG" }),
    cropped: (path) => frameInfo(`${path}.crop.png`, 1600, 900, { format: "PNG" }),
    plan: (paths) => ({
      assignments: paths
        .slice(0, 2)
        .map((p, i) => [i === 0 ? "first" : "last", p] as ["first" | "last", string]),
      ignored: paths.slice(2),
    }),
    more: { list_presets: () => [] },
    calls: [],
    ...overrides,
  };
  const lookUp = (path: string) => {
    const found = backend.files[path];
    if (!found) throw refusal("not_found", "File not found.", "找不到文件。");
    if ("kind" in found) throw found;
    return found;
  };
  mockIPC((cmd, raw) => {
    const args = (raw ?? {}) as Record<string, never>;
    backend.calls.push({ cmd, args });
    switch (cmd) {
      case "check_request":
        return backend.check(args.draft, args.firstFrameAspect);
      case "inspect_frame":
        return lookUp(args.handle as string);
      case "pick_frame": {
        const picked = backend.picks.shift();
        return picked === undefined ? null : lookUp(picked);
      }
      case "fix_frame":
        return backend.fixed(args.handle);
      case "crop_frame":
        return backend.cropped(args.handle, args.targetRatio, args.offset);
      case "crop_window":
        return cropWindow(args.width, args.height, args.targetRatio, args.offset);
      case "frame_mismatch":
        return mismatch(args.firstAspect, args.lastAspect);
      case "plan_frame_drop":
        return backend.plan(args.paths);
      default:
        if (backend.more[cmd]) return backend.more[cmd](args);
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return backend;
}

export function callsOf(backend: Backend, cmd: string) {
  return backend.calls.filter((c) => c.cmd === cmd).map((c) => c.args);
}
