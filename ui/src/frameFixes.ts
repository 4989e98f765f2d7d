/**
 * The frame repair commands the Generate screen uses, with IPC errors normalised to `IpcError` rejections
 * (some commands answer a `Result`, some answer directly).
 */
import { type CropRect, commands, type FixKind, type FrameInfo, type Mismatch } from "./bindings";
import { unwrap } from "./ipc";

export type { CropRect };
export type FrameMismatch = Mismatch;

function direct<T>(call: () => Promise<T>): Promise<T> {
  return unwrap(call().then((data) => ({ status: "ok" as const, data })));
}

/** Writes a conforming copy of the image (the original is never touched) and returns the copy's facts. */
export function fixFrame(handle: string, fix: FixKind): Promise<FrameInfo> {
  return unwrap(commands.fixFrame(handle, fix));
}

/** Writes a copy cropped to `targetRatio`; `offset` (-1..1) slides the window along the cut axis. */
export function cropFrame(handle: string, targetRatio: number, offset: number): Promise<FrameInfo> {
  return unwrap(commands.cropFrame(handle, targetRatio, offset));
}

/** The window `cropFrame` would keep, in the image's pixels. */
export function cropWindow(
  width: number,
  height: number,
  targetRatio: number,
  offset: number,
): Promise<CropRect> {
  return direct(() => commands.cropWindow(width, height, targetRatio, offset));
}

/** `null` when the two frames have the same shape (within rounding). */
export function frameMismatch(first: FrameInfo, last: FrameInfo): Promise<FrameMismatch | null> {
  return direct(() => commands.frameMismatch(first.aspect, last.aspect));
}
