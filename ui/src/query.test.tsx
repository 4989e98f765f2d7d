import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { refusal } from "./generate/testBackend";
import { createLatest, useMutation, useQuery } from "./query";

/** A promise the test settles by hand, to answer calls in any order. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const GONE = refusal("not_found", "The job is gone. Reload the list.", "任务已不存在。请刷新列表。");

describe("useQuery", () => {
  it("ignores the answer to a question that a newer one superseded", async () => {
    const answers: Record<string, ReturnType<typeof deferred<string>>> = {
      old: deferred(),
      new: deferred(),
    };
    const { result, rerender } = renderHook(({ q }) => useQuery(() => answers[q].promise, [q]), {
      initialProps: { q: "old" },
    });
    rerender({ q: "new" });
    await act(async () => answers.new.resolve("new answer"));
    expect(result.current.data).toBe("new answer");
    // The older call answers last: it must not overwrite what the newer one said.
    await act(async () => answers.old.resolve("old answer"));
    expect(result.current.data).toBe("new answer");
    expect(result.current.loading).toBe(false);
  });

  it("shows no answer to the previous question while the new one is on its way", async () => {
    const later = deferred<string>();
    const { result, rerender } = renderHook(
      ({ id }) => useQuery(() => (id === "a" ? Promise.resolve("video a") : later.promise), [id]),
      { initialProps: { id: "a" } },
    );
    await waitFor(() => expect(result.current.data).toBe("video a"));
    rerender({ id: "b" });
    expect(result.current).toMatchObject({ data: null, loading: true });
    await act(async () => later.resolve("video b"));
    expect(result.current.data).toBe("video b");
  });

  it("ignores a failure of a superseded call", async () => {
    const calls = [deferred<string>(), deferred<string>()];
    let n = 0;
    const { result } = renderHook(() => useQuery(() => calls[n++].promise, []));
    let second: Promise<void> = Promise.resolve();
    act(() => {
      second = result.current.reload();
    });
    await act(async () => {
      calls[1].resolve("fresh");
      await second;
    });
    await act(async () => calls[0].reject(GONE));
    expect(result.current.data).toBe("fresh");
    expect(result.current.error).toBeNull();
  });

  it("keeps an error and the last answer until a retry succeeds", async () => {
    const read = vi
      .fn<() => Promise<string>>()
      .mockResolvedValueOnce("first")
      .mockRejectedValueOnce(GONE)
      .mockResolvedValueOnce("again");
    const { result } = renderHook(() => useQuery(read, []));
    await waitFor(() => expect(result.current.data).toBe("first"));
    await act(() => result.current.reload());
    expect(result.current.error).toEqual(GONE);
    expect(result.current.data).toBe("first");
    await act(() => result.current.reload());
    expect(result.current.error).toBeNull();
    expect(result.current.data).toBe("again");
  });

  it("shows an answer that came another way over a read still on its way", async () => {
    const call = deferred<string[]>();
    const { result } = renderHook(() => useQuery(() => call.promise, []));
    act(() => result.current.set(["reordered"]));
    await act(async () => call.resolve(["read before the reorder"]));
    expect(result.current.data).toEqual(["reordered"]);
  });

  it("reads nothing while there is nothing to read", () => {
    const read = vi.fn(() => Promise.resolve("x"));
    const { result } = renderHook(() => useQuery(null as typeof read | null, []));
    expect(read).not.toHaveBeenCalled();
    expect(result.current).toMatchObject({ data: null, error: null, loading: false });
  });
});

describe("useMutation", () => {
  it("runs once when started twice before the first finished", async () => {
    const call = deferred<void>();
    const act1 = vi.fn(() => call.promise);
    const { result } = renderHook(() => useMutation(act1));
    let first: Promise<boolean> = Promise.resolve(false);
    let second: Promise<boolean> = Promise.resolve(true);
    act(() => {
      // Both in the same frame: the button is not re-rendered as disabled in between.
      first = result.current.run();
      second = result.current.run();
    });
    expect(act1).toHaveBeenCalledTimes(1);
    expect(result.current.pending).toBe(true);
    await act(async () => call.resolve());
    expect(await first).toBe(true);
    expect(await second).toBe(false);
    expect(result.current.pending).toBe(false);
    await act(() => result.current.run());
    expect(act1).toHaveBeenCalledTimes(2);
  });

  it("keeps the error of a failed run and clears it when the next run starts", async () => {
    const retry = deferred<void>();
    const send = vi.fn<() => Promise<void>>().mockRejectedValueOnce(GONE).mockReturnValueOnce(retry.promise);
    const { result } = renderHook(() => useMutation(send));
    let ok = true;
    await act(async () => {
      ok = await result.current.run();
    });
    expect(ok).toBe(false);
    expect(result.current.error).toEqual(GONE);
    act(() => void result.current.run());
    expect(result.current.error).toBeNull();
    await act(async () => retry.resolve());
    expect(result.current.error).toBeNull();
  });

  it("forgets an error on reset", async () => {
    const { result } = renderHook(() => useMutation(() => Promise.reject(GONE)));
    await act(() => result.current.run());
    expect(result.current.error).toEqual(GONE);
    act(() => result.current.reset());
    expect(result.current.error).toBeNull();
  });
});

describe("createLatest", () => {
  it("lets a continued call (the next page) be superseded by a new question", () => {
    const latest = createLatest();
    const page1 = latest.begin();
    const page2 = latest.join();
    expect(page1()).toBe(true);
    expect(page2()).toBe(true);
    const other = latest.begin();
    expect(page1()).toBe(false);
    expect(page2()).toBe(false);
    expect(other()).toBe(true);
    latest.drop();
    expect(other()).toBe(false);
  });
});
