import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockBackend } from "../test-ipc";
import type { JobPage, JobQuery } from "./api";
import { job } from "./testJobs";
import { useJobList } from "./useJobList";

describe("useJobList", () => {
  it("shows the answer to the newest search even when an older search answers after it", async () => {
    const waiting = new Map<string, (page: JobPage) => void>();
    mockBackend({
      list_jobs: ({ query }) => {
        const search = (query as JobQuery).search ?? "";
        if (search === "") return { jobs: [job("all")], next: null };
        return new Promise<JobPage>((resolve) => waiting.set(search, resolve));
      },
    });
    const { result } = renderHook(() => useJobList());
    await waitFor(() => expect(result.current.jobs.map((j) => j.id)).toEqual(["all"]));

    act(() => result.current.setSearchInput("fox"));
    await waitFor(() => expect(waiting.has("fox")).toBe(true));
    act(() => result.current.setSearchInput("night"));
    await waitFor(() => expect(waiting.has("night")).toBe(true));

    await act(async () => waiting.get("night")?.({ jobs: [job("night-1")], next: null }));
    await act(async () => waiting.get("fox")?.({ jobs: [job("fox-1")], next: null }));
    expect(result.current.jobs.map((j) => j.id)).toEqual(["night-1"]);
    expect(result.current.loading).toBe(false);
  });

  it("asks for the next page once when two triggers (the list's end, the sentinel) ask in the same frame", async () => {
    const paged: unknown[] = [];
    mockBackend({
      list_jobs: ({ query }) => {
        const q = query as JobQuery;
        if (!q.before) return { jobs: [job("new")], next: { created_at: 1, seq: 1 } };
        paged.push(q.before);
        return new Promise<JobPage>(() => undefined);
      },
    });
    const { result } = renderHook(() => useJobList());
    await waitFor(() => expect(result.current.hasMore).toBe(true));
    act(() => {
      result.current.loadMore();
      result.current.loadMore();
    });
    await waitFor(() => expect(paged).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(paged).toHaveLength(1);
  });
});
