import { mockIPC } from "@tauri-apps/api/mocks";
import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { BatchReview, ReviewChanges } from "../bindings";
import { batchBackend, item, reviewOf } from "./testBatch";
import { applyChanges, POLL_MS, useBatchDraft } from "./useBatchDraft";

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

/** A review still checking frames, and a backend whose polls answer every item of `now` and count themselves. */
function checkingBackend() {
  const checking: BatchReview = { ...reviewOf(batchBackend({ checksPending: 3 })), id: "old" };
  const polls = { count: 0, now: checking };
  mockIPC((cmd) => {
    if (cmd !== "batch_review_changes") throw new Error(`unexpected command ${cmd}`);
    polls.count++;
    const { id, items, problems, total, can_start } = polls.now;
    return {
      id,
      version: polls.count + 1,
      full: true,
      items,
      problems,
      total,
      can_start,
      checks_pending: 3,
    };
  });
  return { checking, polls };
}

/** A call whose answer the test gives when it wants. */
function later<T>() {
  let answer: (value: T) => void = () => undefined;
  const promise = new Promise<T>((resolve) => {
    answer = resolve;
  });
  return { promise, answer };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("calls and polls of the review", () => {
  it("shows a source picked while the old one was still being checked, however long the picker stayed open", async () => {
    const { checking, polls } = checkingBackend();
    const { result } = renderHook(() => useBatchDraft());
    await act(() => result.current.run(async () => checking));
    await waitFor(() => expect(polls.count).toBeGreaterThan(0), { timeout: 3 * POLL_MS });
    const pick = later<BatchReview | null>();
    let picked: Promise<boolean> = Promise.resolve(false);
    act(() => {
      picked = result.current.run(() => pick.promise);
    });
    // The picker stays open across several poll periods.
    await act(() => wait(3 * POLL_MS));
    const fresh: BatchReview = { ...reviewOf(batchBackend()), id: "new" };
    await act(async () => {
      pick.answer(fresh);
      await picked;
    });
    expect(await picked).toBe(true);
    expect(result.current.review?.id).toBe("new");
    expect(result.current.busy).toBe(false);
  });

  it("is busy exactly while an edit waits, even when polls were due meanwhile, and polls again after", async () => {
    const { checking, polls } = checkingBackend();
    const { result } = renderHook(() => useBatchDraft());
    await act(() => result.current.run(async () => checking));
    const edit = later<BatchReview | null>();
    let edited: Promise<boolean> = Promise.resolve(false);
    act(() => {
      edited = result.current.run(() => edit.promise);
    });
    expect(result.current.busy).toBe(true);
    await act(() => wait(3 * POLL_MS));
    const before = polls.count;
    await act(async () => {
      polls.now = { ...checking, items: checking.items.slice(0, 2) };
      edit.answer(polls.now);
      await edited;
    });
    expect(result.current.busy).toBe(false);
    expect(result.current.review?.items).toHaveLength(2);
    await waitFor(() => expect(polls.count).toBeGreaterThan(before), { timeout: 3 * POLL_MS });
    expect(result.current.review?.items).toHaveLength(2);
  });

  it("keeps polling after a picker that was cancelled", async () => {
    const { checking, polls } = checkingBackend();
    const { result } = renderHook(() => useBatchDraft());
    await act(() => result.current.run(async () => checking));
    await act(() => result.current.run(async () => null));
    const before = polls.count;
    await waitFor(() => expect(polls.count).toBeGreaterThan(before + 1), { timeout: 4 * POLL_MS });
    expect(result.current.review?.id).toBe("old");
  });
});
