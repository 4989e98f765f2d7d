/**
 * Frame-by-frame stepping in the player. The backend lists the frames a clip shows (`job_frames`: each
 * frame's time in display order, as its own decoder counts them), so stepping, the timecode and "use this
 * frame" all name the same frame the backend will extract, whatever the webview's decoder rounds.
 */

/** A time this close after a frame's start counts as that frame (media clocks round to microseconds). */
const EPSILON_S = 1e-4;

/** The frame on screen at `time` seconds: the last one that has started (the first before any has). */
export function frameAt(times: readonly number[], time: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= time + EPSILON_S) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo - 1);
}

/**
 * Where to seek to show frame `index`: the middle of its time on screen, so neither rounding in the player
 * nor a frame-boundary ambiguity shows its neighbour.
 */
export function seekTimeFor(times: readonly number[], index: number, duration: number): number {
  const i = Math.min(Math.max(index, 0), times.length - 1);
  const start = times[i] ?? 0;
  const end = times[i + 1] ?? Math.max(duration, start);
  return start + (end - start) / 2;
}

/** `mm:ss.mmm` of a time in seconds. */
export function clockText(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const minutes = Math.floor(ms / 60_000);
  const secs = Math.floor((ms % 60_000) / 1000);
  const millis = ms % 1000;
  return `${String(minutes).padStart(2, "0")}:${String(secs).padStart(2, "0")}.${String(millis).padStart(3, "0")}`;
}
