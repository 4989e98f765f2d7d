import { describe, expect, it } from "vitest";
import type { JobRecord } from "./api";
import { upsertJob } from "./JobsContext";
import { mergePage } from "./mergePage";
import { job } from "./testJobs";

/** Job `n` made `n` minutes after the first; a higher n is newer. */
const at = (n: number, over: Partial<JobRecord> = {}) => job(`j${n}`, { created_at: n * 60_000, ...over });
const ids = (list: JobRecord[]) => list.map((j) => j.id);

describe("mergePage", () => {
  it("appends an older page after the loaded jobs", () => {
    const loaded = [at(9), at(8), at(7)];
    expect(ids(mergePage(loaded, [at(6), at(5)]))).toEqual(["j9", "j8", "j7", "j6", "j5"]);
    expect(mergePage(loaded, [])).toBe(loaded);
  });

  it("keeps one row per job, the newer state winning either way", () => {
    // j6 arrived live as done before its page, which still says running; j7's page is newer than the list.
    const loaded = [
      at(9),
      at(7, { status: "running", updated_at: 1 }),
      at(6, { status: "done", updated_at: 5 }),
    ];
    const merged = mergePage(loaded, [
      at(7, { status: "failed", updated_at: 2 }),
      at(6, { status: "running", updated_at: 3 }),
      at(5),
      at(5, { status: "done", updated_at: 9e12 }),
    ]);
    expect(ids(merged)).toEqual(["j9", "j7", "j6", "j5"]);
    expect(merged.map((j) => j.status)).toEqual(["running", "failed", "done", "done"]);
  });

  it("sorts newest first when a page does not follow the list, as adding one by one would", () => {
    const loaded = [at(9), at(5)];
    const page = [at(7), at(3), at(8)];
    expect(mergePage(loaded, page)).toEqual(page.reduce(upsertJob, loaded));
  });

  it("adds the 200th page of 50 to 10 000 loaded jobs in one pass, not a sort per job", () => {
    // Counts how often a job's time is read: one sort of the list per added job (what folding the page in
    // with `upsertJob` costs) reads it millions of times; one pass reads each job about once.
    let reads = 0;
    const counted = (n: number) => {
      const record = at(n);
      const created = record.created_at;
      Object.defineProperty(record, "created_at", {
        get: () => {
          reads++;
          return created;
        },
      });
      return record;
    };
    const loaded = Array.from({ length: 10_000 }, (_, i) => counted(20_000 - i));
    const page = Array.from({ length: 50 }, (_, i) => counted(9_000 - i));
    const merged = mergePage(loaded, page);
    expect(merged).toHaveLength(10_050);
    expect(merged.at(-1)?.id).toBe("j8951");
    expect(reads).toBeLessThan(3 * 10_050);
  });
});
