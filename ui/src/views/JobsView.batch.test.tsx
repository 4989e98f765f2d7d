import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { BatchList } from "../batch/BatchList";
import type { BatchView } from "../bindings";
import type { JobRecord } from "../jobs/api";
import { JobsProvider } from "../jobs/JobsContext";
import { callsTo, doneJob, job, jobsBackend } from "../jobs/testJobs";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";
import { JobsView } from "./JobsView";

vi.mock("../jobs/video", () => ({
  useVideoUrl: () => ({ url: null, failed: false }),
}));

const SPRING: BatchView = {
  batch: {
    id: "b1",
    name: "Spring catalogue",
    created_at: 1,
    source: verbatim("photos/", "photos/"),
    state: "running",
    tokens_min: 326_700,
    tokens_max: 326_700,
    demo: false,
    counts: { queued: 1, running: 0, done: 1, failed: 0, uncertain: 0, not_sent: 0 },
    paused_reason: null,
    waiting: null,
  },
  eta: { kind: "no_history" },
};

const SINGLE = doneJob("j1", { prompt: "a single job" });
const IN_BATCH = doneJob("j2", { batch: { id: "b1", name: "Spring catalogue", item: 3, take: 2 } });
const WAITING = job("j3", {
  status: "not_sent",
  batch: { id: "b1", name: "Spring catalogue", item: 4, take: 1 },
});
const UNSENT_ALONE = job("j4", { status: "not_sent", prompt: "held back on start" });

function backend() {
  return jobsBackend({
    list_batches: () => [SPRING],
    list_jobs: (args) => {
      const query = args.query as { batch: string | null };
      const all: JobRecord[] = [SINGLE, IN_BATCH, WAITING, UNSENT_ALONE];
      return { jobs: all.filter((j) => !query.batch || j.batch?.id === query.batch), next: null };
    },
  });
}

const row = (id: string) =>
  screen.getAllByTestId("job-row").find((r) => r.getAttribute("data-job-id") === id) as HTMLElement;

describe("Jobs screen by batch", () => {
  it("filters by the batch chosen next to the status filter and names each job's place", async () => {
    const calls = backend();
    renderWithI18n(<JobsView />);
    await waitFor(() => expect(screen.getAllByTestId("job-row")).toHaveLength(4));
    const select = await screen.findByTestId("jobs-batch");
    expect(within(select).getByText("Spring catalogue")).toBeTruthy();
    expect(within(row("j2")).getByTestId("job-batch").textContent).toBe("Spring catalogue · item 3 (take 2)");
    expect(within(row("j1")).queryByTestId("job-batch")).toBeNull();

    fireEvent.change(select, { target: { value: "b1" } });
    await waitFor(() => expect(screen.getAllByTestId("job-row")).toHaveLength(2));
    expect(callsTo(calls, "list_jobs").at(-1)).toMatchObject({ query: { batch: "b1" } });

    fireEvent.change(select, { target: { value: "" } });
    await waitFor(() => expect(screen.getAllByTestId("job-row")).toHaveLength(4));
    expect(callsTo(calls, "list_jobs").at(-1)).toMatchObject({ query: { batch: null } });
  });

  it("a job waiting in its batch has no Send, Discard or Delete: its batch sends it", async () => {
    backend();
    renderWithI18n(<JobsView />);
    await waitFor(() => expect(screen.getAllByTestId("job-row")).toHaveLength(4));
    expect(within(row("j3")).queryByTestId("send-unsent")).toBeNull();
    expect(within(row("j3")).queryByTestId("discard-unsent")).toBeNull();
    expect(within(row("j3")).queryByTestId("delete")).toBeNull();
    // A finished job of the batch can still be deleted from history.
    expect(within(row("j2")).getByTestId("delete")).toBeTruthy();
    expect(within(row("j3")).getByTestId("job-waiting-in-batch").textContent).toContain(
      "Waiting in its batch",
    );
    // A job held back on start, in no batch, still asks.
    expect(within(row("j4")).getByTestId("send-unsent")).toBeTruthy();
  });

  it("opens already filtered by the batch whose Show jobs was pressed", async () => {
    const calls = backend();
    const opened: (string | undefined)[] = [];
    renderWithI18n(
      <JobsProvider onOpenJobs={(b) => opened.push(b)} onLoad={() => undefined}>
        <BatchList />
      </JobsProvider>,
    );
    fireEvent.click(await screen.findByTestId("batch-show-jobs"));
    expect(opened).toEqual(["b1"]);

    const before = callsTo(calls, "list_jobs").length;
    renderWithI18n(<JobsView batch="b1" />);
    await waitFor(() => expect(screen.getAllByTestId("job-row")).toHaveLength(2));
    expect(callsTo(calls, "list_jobs")[before]).toMatchObject({ query: { batch: "b1" } });
    expect((screen.getByTestId("jobs-batch") as HTMLSelectElement).value).toBe("b1");
  });
});
