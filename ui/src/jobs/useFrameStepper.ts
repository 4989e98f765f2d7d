import { type KeyboardEvent, type RefObject, useCallback, useMemo, useState } from "react";
import type { FrameTable } from "../bindings";
import { frameAt, seekTimeFor } from "./frameStep";

/**
 * `,` and `.` step the player one frame back or forward (pausing it first), and the frame on screen is
 * tracked as the video plays or seeks, by the backend's own frame table.
 */
export function useFrameStepper(video: RefObject<HTMLVideoElement | null>, table: FrameTable | null) {
  const [shown, setShown] = useState(0);
  // Seconds cross IPC as `number | null` (JSON has no NaN); the backend never sends a null time.
  const times = useMemo(() => table?.times.map((t) => t ?? 0) ?? null, [table]);
  const duration = table?.duration_secs ?? 0;

  /** Follows the player (its `timeupdate` and `seeked` events). */
  const follow = useCallback(() => {
    const v = video.current;
    if (v && times) setShown(frameAt(times, v.currentTime));
  }, [video, times]);

  const step = useCallback(
    (delta: number) => {
      const v = video.current;
      if (!v || !times || times.length === 0) return;
      v.pause();
      const from = frameAt(times, v.currentTime);
      const to = Math.min(Math.max(from + delta, 0), times.length - 1);
      v.currentTime = seekTimeFor(times, to, duration);
      setShown(to);
    },
    [video, times, duration],
  );

  const onKeyDown = useCallback(
    (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === ",") step(-1);
      else if (e.key === ".") step(1);
      else return;
      e.preventDefault();
    },
    [step],
  );

  /** The frame on screen now, read from the player itself when it can say. */
  const current = useCallback(() => {
    const v = video.current;
    return v && times ? frameAt(times, v.currentTime) : shown;
  }, [video, times, shown]);

  return { shown, follow, step, onKeyDown, current };
}
