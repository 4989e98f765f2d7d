import { describe, expect, it } from "vitest";
import type { ReviewChanges } from "../bindings";
import { batchBackend, item, reviewOf } from "./testBatch";
import { applyChanges } from "./useBatchDraft";

function changes(over: Partial<ReviewChanges>): ReviewChanges {
  const r = reviewOf(batchBackend());
  return {
    id: r.id,
    version: 2,
    full: false,
    items: [],
    problems: r.problems,
    total: r.total,
    can_start: r.can_start,
    checks_pending: 0,
    ...over,
  };
}

describe("a poll's changes applied to the review", () => {
  it("replaces only the items that changed, by index, and keeps the others as they were", () => {
    const before = { ...reviewOf(batchBackend({ checksPending: 2 })), version: 1 };
    const checked = item(2, { skipped: true });
    const after = applyChanges(before, changes({ items: [checked], checks_pending: 1 }));
    expect(after.items[1]).toBe(checked);
    expect(after.items[0]).toBe(before.items[0]);
    expect(after.items[2]).toBe(before.items[2]);
    expect(after.items).toHaveLength(3);
    expect(after.checks_pending).toBe(1);
    expect(after.version).toBe(2);
    expect(after.label).toBe(before.label);
  });

  it("takes every item when the changes are full, and ignores changes of another draft", () => {
    const before = { ...reviewOf(batchBackend()), version: 1 };
    const only = [item(7)];
    expect(applyChanges(before, changes({ full: true, items: only })).items).toEqual(only);
    expect(applyChanges(before, changes({ id: "d9", items: only }))).toBe(before);
  });
});
