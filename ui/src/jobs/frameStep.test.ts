import { describe, expect, it } from "vitest";
import { clockText, frameAt, seekTimeFor } from "./frameStep";

// 30 fps: frame n starts at n/30.
const TIMES = Array.from({ length: 60 }, (_, n) => n / 30);

describe("frame stepping", () => {
  it("finds the frame on screen at a time, boundaries included", () => {
    expect(frameAt(TIMES, 0)).toBe(0);
    expect(frameAt(TIMES, 0.02)).toBe(0);
    expect(frameAt(TIMES, 1 / 30)).toBe(1);
    // A media clock that rounded a frame's start down by a microsecond still shows that frame.
    expect(frameAt(TIMES, 40 / 30 - 1e-6)).toBe(40);
    expect(frameAt(TIMES, 5)).toBe(59);
    expect(frameAt(TIMES, -1)).toBe(0);
    expect(frameAt([], 1)).toBe(0);
  });

  it("seeks to the middle of a frame so the player cannot show its neighbour", () => {
    expect(seekTimeFor(TIMES, 10, 2)).toBeCloseTo(10.5 / 30, 9);
    expect(frameAt(TIMES, seekTimeFor(TIMES, 10, 2))).toBe(10);
    // The last frame lasts until the end of the clip.
    expect(seekTimeFor(TIMES, 59, 2)).toBeCloseTo((59 / 30 + 2) / 2, 9);
    expect(seekTimeFor(TIMES, 99, 2)).toBeCloseTo(seekTimeFor(TIMES, 59, 2), 9);
    expect(seekTimeFor(TIMES, -3, 2)).toBeCloseTo(0.5 / 30, 9);
  });

  it("writes times as minutes, seconds and milliseconds", () => {
    expect(clockText(0)).toBe("00:00.000");
    expect(clockText(61.2345)).toBe("01:01.235");
    expect(clockText(40 / 30)).toBe("00:01.333");
  });
});
