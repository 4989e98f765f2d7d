import { describe, expect, it } from "vitest";
import {
  anchorFor,
  anchorShift,
  averageHeight,
  rowAt,
  rowOffsets,
  rowsInView,
  totalHeight,
} from "./rowLayout";

const keys = (n: number) => Array.from({ length: n }, (_, i) => `job-${i}`);

describe("rowOffsets", () => {
  it("places measured rows at their height and the rest at the estimate, a gap apart", () => {
    const heights = new Map([
      ["job-1", 300],
      ["job-3", 80],
    ]);
    const offsets = rowOffsets(keys(5), heights, 100, 8);
    expect(Array.from(offsets)).toEqual([0, 108, 416, 524, 612, 720]);
    expect(totalHeight(offsets, 8)).toBe(712);
    expect(totalHeight(rowOffsets([], heights, 100, 8), 8)).toBe(0);
  });

  it("keeps heights by key: a job arriving at the top moves the others down without mixing them up", () => {
    const heights = new Map([["job-0", 300]]);
    const before = rowOffsets(keys(3), heights, 100, 0);
    const after = rowOffsets(["new", ...keys(3)], heights, 100, 0);
    // job-0 is still 300 tall, one estimated row lower.
    expect((after[2] as number) - (after[1] as number)).toBe(300);
    expect(after[1]).toBe((before[0] as number) + 100);
  });

  it("builds 10 000 rows quickly enough to redo on every measurement", () => {
    const many = keys(10_000);
    const heights = new Map(many.slice(0, 5_000).map((k, i) => [k, 100 + (i % 7) * 20]));
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) rowOffsets(many, heights, 150, 8);
    // Generous (jsdom, a loaded machine): the point is linear work, not a budget.
    expect((performance.now() - t0) / 10).toBeLessThan(50);
  });
});

describe("rowsInView", () => {
  // Rows 100 tall, 10 apart: row i spans [110 i, 110 i + 100].
  const offsets = rowOffsets(keys(1000), new Map(), 100, 10);

  it("finds the row at a position, a gap counting as the next row", () => {
    expect(rowAt(offsets, -50, 10)).toBe(0);
    expect(rowAt(offsets, 0, 10)).toBe(0);
    expect(rowAt(offsets, 99, 10)).toBe(0);
    expect(rowAt(offsets, 105, 10)).toBe(1);
    expect(rowAt(offsets, 110, 10)).toBe(1);
    expect(rowAt(offsets, 1e9, 10)).toBe(1000);
  });

  it("covers the view plus the margin, clamped to the list", () => {
    expect(rowsInView(offsets, 0, 500, 0, 10)).toEqual([0, 4]);
    expect(rowsInView(offsets, 0, 500, 200, 10)).toEqual([0, 6]);
    expect(rowsInView(offsets, 55_000, 55_500, 200, 10)).toEqual([498, 506]);
    expect(rowsInView(offsets, 109_500, 110_000, 200, 10)).toEqual([993, 999]);
    expect(rowsInView(rowOffsets(keys(3), new Map(), 100, 10), 0, 5000, 0, 10)).toEqual([0, 2]);
    expect(rowsInView(rowOffsets([], new Map(), 100, 10), 0, 500, 0, 10)).toEqual([0, -1]);
  });

  it("keeps one row while the list is scrolled out of sight (it still has a row to measure)", () => {
    expect(rowsInView(offsets, 500_000, 500_800, 0, 10)).toEqual([999, 999]);
    expect(rowsInView(offsets, -5000, -4000, 0, 10)).toEqual([0, 0]);
  });

  it("renders a bounded number of rows wherever the view is", () => {
    for (const top of [0, 1234, 50_000, 100_000]) {
      const [first, last] = rowsInView(offsets, top, top + 800, 600, 10);
      expect(last - first + 1).toBeLessThanOrEqual(Math.ceil((800 + 1200) / 110) + 1);
    }
  });
});

describe("the view stays put while rows above it change", () => {
  const list = keys(100);
  const indexOf = (ks: string[]) => new Map(ks.map((k, i) => [k, i]));

  it("moves by what a row above grew when it was measured", () => {
    const heights = new Map<string, number>();
    const before = rowOffsets(list, heights, 100, 0);
    const anchor = anchorFor(list, before, 5_050, 0);
    expect(anchor).toEqual({ key: "job-50", top: 5_000 });
    heights.set("job-10", 400);
    const after = rowOffsets(list, heights, 100, 0);
    expect(anchorShift(anchor, indexOf(list), after, 5_050)).toBe(300);
  });

  it("moves down by a new row at the top, and back up when a row above is deleted", () => {
    const before = rowOffsets(list, new Map(), 100, 8);
    const anchor = anchorFor(list, before, 2_000, 8);
    const added = ["new", ...list];
    expect(anchorShift(anchor, indexOf(added), rowOffsets(added, new Map(), 100, 8), 2_000)).toBe(108);
    const removed = list.filter((k) => k !== "job-3");
    expect(anchorShift(anchor, indexOf(removed), rowOffsets(removed, new Map(), 100, 8), 2_000)).toBe(-108);
  });

  it("does not move while the list's top is in view, nor when the anchor row is gone", () => {
    const before = rowOffsets(list, new Map(), 100, 0);
    const added = ["new", ...list];
    const after = rowOffsets(added, new Map(), 100, 0);
    expect(anchorShift(anchorFor(list, before, 0, 0), indexOf(added), after, 0)).toBe(0);
    expect(anchorShift(anchorFor(list, before, -200, 0), indexOf(added), after, -200)).toBe(0);
    const anchor = anchorFor(list, before, 2_000, 0);
    expect(anchorShift(anchor, indexOf(["other"]), rowOffsets(["other"], new Map(), 100, 0), 2_000)).toBe(0);
    expect(anchorFor([], rowOffsets([], new Map(), 100, 0), 0, 0)).toBeNull();
  });

  it("counts rows not measured yet as the average of those that were", () => {
    expect(averageHeight(new Map(), 150)).toBe(150);
    expect(
      averageHeight(
        new Map([
          ["a", 100],
          ["b", 200],
        ]),
        150,
      ),
    ).toBe(150);
    expect(averageHeight(new Map([["a", 90]]), 150)).toBe(90);
  });
});
