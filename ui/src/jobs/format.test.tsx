import { act } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithI18n } from "../test-utils";
import { elapsedMs, formatElapsed, percent } from "./format";
import { JobStatusBadge } from "./JobStatusBadge";
import { upsertJob } from "./JobsContext";
import { doneJob, job } from "./testJobs";
import { matchesFilter } from "./useJobList";

afterEach(() => {
  vi.useRealTimers();
});

describe("elapsed time", () => {
  it("formats minutes and hours", () => {
    expect(formatElapsed(0)).toBe("0:00");
    expect(formatElapsed(42_900)).toBe("0:42");
    expect(formatElapsed(12 * 60_000 + 5_000)).toBe("12:05");
    expect(formatElapsed(3_723_000)).toBe("1:02:03");
    expect(formatElapsed(-5_000)).toBe("0:00");
  });

  it("runs until now for active jobs and stops at the end for settled ones", () => {
    const running = job("r", { created_at: 1_000 });
    expect(elapsedMs(running, 61_000)).toBe(60_000);
    const done = doneJob("d", { created_at: 1_000, finished_at: 96_000 });
    expect(elapsedMs(done, 999_999)).toBe(95_000);
    const uncertain = job("u", { status: "submission_uncertain", created_at: 1_000, updated_at: 31_000 });
    expect(elapsedMs(uncertain, 999_999)).toBe(30_000);
  });

  it("ticks every second for an active job", () => {
    vi.useFakeTimers();
    vi.setSystemTime(100_000);
    const { getByTestId } = renderWithI18n(<JobStatusBadge job={job("r", { created_at: 58_000 })} />);
    expect(getByTestId("job-elapsed").textContent).toBe("0:42");
    act(() => vi.advanceTimersByTime(3_000));
    expect(getByTestId("job-elapsed").textContent).toBe("0:45");
  });
});

describe("list helpers", () => {
  it("percent needs a known total", () => {
    expect(percent(250, 1000)).toBe(25);
    expect(percent(5, null)).toBeNull();
    expect(percent(5, 0)).toBeNull();
    expect(percent(2000, 1000)).toBe(100);
  });

  it("a live job joins a filtered list only if it matches every term and the status", () => {
    const j = job("x", { prompt: "A Fox runs in 雪地", status: "running" });
    expect(matchesFilter(j, "", null)).toBe(true);
    expect(matchesFilter(j, "fox 雪", null)).toBe(true);
    expect(matchesFilter(j, "fox cat", null)).toBe(false);
    expect(matchesFilter(j, "fox", "done")).toBe(false);
    expect(matchesFilter(j, "  ", "running")).toBe(true);
  });

  it("upsert replaces in place and inserts newest first", () => {
    const list = [job("b", { created_at: 20 }), job("a", { created_at: 10 })];
    const replaced = upsertJob(list, doneJob("a", { created_at: 10 }));
    expect(replaced.map((j) => [j.id, j.status])).toEqual([
      ["b", "running"],
      ["a", "done"],
    ]);
    expect(upsertJob(list, job("c", { created_at: 15 })).map((j) => j.id)).toEqual(["b", "c", "a"]);
    expect(list.map((j) => j.id)).toEqual(["b", "a"]);
  });

  it("upsert keeps the later state when an older one arrives late", () => {
    const newer = doneJob("a", { created_at: 10, updated_at: 500 });
    const stale = job("a", { created_at: 10, updated_at: 100 });
    const list = [newer];
    expect(upsertJob(list, stale)).toBe(list);
    expect(upsertJob([stale], newer)[0].status).toBe("done");
  });
});
