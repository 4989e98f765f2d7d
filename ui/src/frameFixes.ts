/**
 * The frame repair commands the Generate screen uses, with IPC errors normalised to `IpcError` rejections
 * (every command answers a `Result`).
 */
import { type CropRect, commands, type FixKind, type FrameInfo, type Mismatch } from "./bindings";
import { unwrap } from "./ipc";

export type { CropRect };
export type FrameMismatch = Mismatch;

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
  return unwrap(commands.cropWindow(width, height, targetRatio, offset));
}

/** `null` when the two frames have the same shape (within rounding). */
export function frameMismatch(first: FrameInfo, last: FrameInfo): Promise<FrameMismatch | null> {
  return unwrap(commands.frameMismatch(first.aspect, last.aspect));
}
