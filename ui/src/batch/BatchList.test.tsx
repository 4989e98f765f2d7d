import { emit } from "@tauri-apps/api/event";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { BatchCounts, BatchRecord, BatchView } from "../bindings";
import { JobsProvider } from "../jobs/JobsContext";
import { callsTo, emitJob, job } from "../jobs/testJobs";
import { mockBackend } from "../test-ipc";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";
import { BatchList } from "./BatchList";
import { formatDuration } from "./format";

const NONE: BatchCounts = { queued: 0, running: 0, done: 0, failed: 0, uncertain: 0, not_sent: 0 };

function record(over: Partial<BatchRecord> = {}, counts: Partial<BatchCounts> = {}): BatchRecord {
  return {
    id: "b1",
    name: "Spring catalogue",
    created_at: Date.UTC(2026, 0, 5, 9),
    source: verbatim("photos/ (12 images)", "photos/（12 张图片）"),
    state: "running",
    tokens_min: 1_000_000,
    tokens_max: 1_306_800,
    demo: false,
    counts: { ...NONE, ...counts },
    paused_reason: null,
    waiting: null,
    ...over,
  };
}

function running(counts: Partial<BatchCounts> = { queued: 6, running: 3, done: 3 }): BatchView {
  return { batch: record({}, counts), eta: { kind: "remaining", millis: 9 * 60_000 } };
}

function finished(counts: Partial<BatchCounts>): BatchView {
  return { batch: record({ state: "finished" }, counts), eta: null };
}

const card = () => screen.findByTestId("batch-card");

describe("BatchList", () => {
  it("names the batch's source in the reader's language", async () => {
    mockBackend({ list_batches: () => [running()] });
    renderWithI18n(<BatchList />, "zh-CN");
    expect((await card()).textContent).toContain("photos/（12 张图片）");
  });

  it("shows a running batch's counts, progress, ETA and estimate, with Pause and Cancel", async () => {
    mockBackend({ list_batches: () => [running()] });
    renderWithI18n(<BatchList />);
    const c = await card();
    expect(within(c).getByTestId("batch-state").textContent).toBe("Running");
    expect(c.textContent).toContain("From photos/ (12 images)");
    const counts = within(c).getByTestId("batch-counts");
    expect(counts.querySelector('[data-count="queued"]')?.textContent).toBe("Waiting 6");
    expect(counts.querySelector('[data-count="running"]')?.textContent).toBe("Running 3");
    expect(counts.querySelector('[data-count="done"]')?.textContent).toBe("Done 3");
    expect(counts.querySelector('[data-count="not_sent"]')).toBeNull();
    expect(within(c).getByTestId("batch-progress").getAttribute("aria-valuenow")).toBe("25");
    expect(c.textContent).toContain("3 of 12 jobs over");
    expect(within(c).getByTestId("batch-eta").textContent).toBe(" · About 9 min left");
    expect(within(c).getByTestId("batch-tokens").textContent).toBe(
      "Estimate: 1\u00a0000\u00a0000–1\u00a0306\u00a0800 tokens",
    );
    expect(within(c).getByTestId("batch-pause")).toBeTruthy();
    expect(within(c).getByTestId("batch-cancel")).toBeTruthy();
    expect(within(c).queryByTestId("batch-resume")).toBeNull();
    expect(within(c).queryByTestId("batch-retry")).toBeNull();
    expect(within(c).queryByTestId("batch-export")).toBeNull();
  });

  it("says the ETA comes after the first video when there is no history, in Chinese too", async () => {
    mockBackend({ list_batches: () => [{ ...running(), eta: { kind: "no_history" } }] });
    renderWithI18n(<BatchList />, "zh-CN");
    const c = await card();
    expect(within(c).getByTestId("batch-eta").textContent).toBe(" · 第一个视频完成后显示预计时间");
    expect(within(c).getByTestId("batch-state").textContent).toBe("进行中");
  });

  it("Pause shows the paused batch with Resume; Resume runs it again", async () => {
    const paused = { batch: record({ state: "paused" }, { queued: 6, running: 1, done: 3 }), eta: null };
    const calls = mockBackend({
      list_batches: () => [running()],
      pause_batch: () => paused,
      resume_batch: () => running(),
    });
    renderWithI18n(<BatchList />);
    fireEvent.click(within(await card()).getByTestId("batch-pause"));
    const resume = await screen.findByTestId("batch-resume");
    expect(screen.getByTestId("batch-state").textContent).toBe("Paused");
    expect(screen.queryByTestId("batch-eta")).toBeNull();
    expect(screen.getByText(/Nothing new is sent while the batch is paused/)).toBeTruthy();
    expect(callsTo(calls, "pause_batch")).toEqual([{ id: "b1" }]);
    fireEvent.click(resume);
    await screen.findByTestId("batch-pause");
    expect(callsTo(calls, "resume_batch")).toEqual([{ id: "b1" }]);
  });

  it("Cancel asks first, then shows the outcome sentence from the backend", async () => {
    const calls = mockBackend({
      list_batches: () => [running()],
      cancel_batch: () => ({
        cancelled: 6,
        still_running: 3,
        message: verbatim("Cancelled before sending: 6. Already sent: 3.", "已取消 6 个。已发送 3 个。"),
      }),
    });
    renderWithI18n(<BatchList />);
    fireEvent.click(within(await card()).getByTestId("batch-cancel"));
    const confirm = screen.getByTestId("confirm");
    expect(confirm.textContent).toContain("Cancel the jobs of “Spring catalogue” that are not sent yet?");
    expect(confirm.textContent).toContain("cannot be cancelled there");
    expect(callsTo(calls, "cancel_batch")).toHaveLength(0);
    fireEvent.click(within(confirm).getByTestId("confirm-cancel"));
    expect(screen.queryByTestId("confirm")).toBeNull();
    expect(callsTo(calls, "cancel_batch")).toHaveLength(0);

    fireEvent.click(screen.getByTestId("batch-cancel"));
    fireEvent.click(within(screen.getByTestId("confirm")).getByTestId("confirm-ok"));
    expect((await screen.findByTestId("batch-cancel-outcome")).textContent).toBe(
      "Cancelled before sending: 6. Already sent: 3.",
    );
    expect(callsTo(calls, "cancel_batch")).toEqual([{ id: "b1" }]);
  });

  it("follows the batch live: a job event reads the counts again, a batch event its new state", async () => {
    let current = running();
    mockBackend({
      list_batches: () => [current],
      get_batch: () => current,
    });
    renderWithI18n(<BatchList />);
    await card();
    current = running({ queued: 5, running: 3, done: 4 });
    // A job of no batch changes no batch.
    await emitJob(job("j0", { status: "done" }));
    await new Promise((r) => setTimeout(r, 400));
    expect(screen.getByText("3 of 12 jobs over")).toBeTruthy();
    await emitJob(
      job("j4", { status: "done", batch: { id: "b1", name: "Spring catalogue", item: 4, take: 1 } }),
    );
    await waitFor(() => expect(screen.getByText("4 of 12 jobs over")).toBeTruthy());

    current = finished({ done: 11, failed: 1 });
    await act(() => emit("batch-changed", current.batch));
    await waitFor(() => expect(screen.getByTestId("batch-state").textContent).toBe("Finished"));
    expect(screen.queryByTestId("batch-pause")).toBeNull();
    expect(screen.getByTestId("batch-retry")).toBeTruthy();
  });

  it("a finished batch offers retry, folder, export and Show jobs, and exports where the user chose", async () => {
    const calls = mockBackend({
      list_batches: () => [finished({ done: 12 })],
      open_batch_folder: () => null,
      export_batch_results: () => ({ path: "/home/me/results.csv", rows: 12 }),
    });
    const opened: (string | undefined)[] = [];
    renderWithI18n(
      <JobsProvider onOpenJobs={(b) => opened.push(b)} onLoad={() => undefined}>
        <BatchList />
      </JobsProvider>,
    );
    const c = await card();
    fireEvent.click(within(c).getByTestId("batch-show-jobs"));
    expect(opened).toEqual(["b1"]);
    // Nothing failed: nothing to retry.
    expect(within(c).queryByTestId("batch-retry")).toBeNull();
    fireEvent.click(within(c).getByTestId("batch-open-folder"));
    fireEvent.click(within(c).getByTestId("batch-export"));
    expect((await screen.findByTestId("batch-exported")).textContent).toBe(
      "Saved 12 rows to /home/me/results.csv.",
    );
    expect(callsTo(calls, "open_batch_folder")).toEqual([{ id: "b1" }]);
    expect(callsTo(calls, "export_batch_results")).toEqual([{ id: "b1" }]);
  });

  it("Retry failed fetches free ones without asking", async () => {
    const calls = mockBackend({
      list_batches: () => [finished({ done: 10, failed: 2 })],
      batch_retry_plan: () => ({
        free: 2,
        paid_ids: [],
        paid_tokens: 0,
        paid_without_estimate: 0,
        uncertain: 0,
      }),
      retry_batch: () => ({
        downloading: 2,
        resubmitted: 0,
        kept: 0,
        message: verbatim("Fetching again (free): 2.", "重新获取 2 个。"),
      }),
    });
    renderWithI18n(<BatchList />);
    fireEvent.click(within(await card()).getByTestId("batch-retry"));
    expect((await screen.findByTestId("batch-retry-outcome")).textContent).toBe("Fetching again (free): 2.");
    expect(screen.queryByTestId("confirm")).toBeNull();
    expect(callsTo(calls, "retry_batch")).toEqual([{ id: "b1", confirmedPaid: [], spendConfirmed: false }]);
  });

  it("Retry failed asks once before paying, naming how many and the tokens; uncertain ones are left alone", async () => {
    const calls = mockBackend({
      list_batches: () => [finished({ done: 7, failed: 1, not_sent: 3, uncertain: 1 })],
      batch_retry_plan: () => ({
        free: 1,
        paid_ids: ["j9", "j10", "j11"],
        paid_tokens: 326_700,
        paid_without_estimate: 0,
        uncertain: 1,
      }),
      retry_batch: (args) => ({
        downloading: 1,
        resubmitted: (args.confirmedPaid as string[]).length,
        kept: 0,
        message: verbatim("Retried.", "已重试。"),
      }),
    });
    renderWithI18n(<BatchList />);
    fireEvent.click(within(await card()).getByTestId("batch-retry"));
    const confirm = await screen.findByTestId("confirm");
    expect(confirm.textContent).toContain(
      "Submit 3 jobs again? Each is a new video and is charged: about 326\u00a0700 tokens in all.",
    );
    expect(confirm.textContent).toContain("1 failed jobs whose task is known are fetched again first");
    expect(screen.getByTestId("batch-retry-uncertain").textContent).toContain(
      "1 uncertain jobs are not retried here",
    );
    expect(callsTo(calls, "retry_batch")).toHaveLength(0);

    fireEvent.click(within(confirm).getByTestId("confirm-ok"));
    await screen.findByTestId("batch-retry-outcome");
    expect(callsTo(calls, "retry_batch")).toEqual([
      { id: "b1", confirmedPaid: ["j9", "j10", "j11"], spendConfirmed: false },
    ]);
  });

  it("past a spend limit, the paid retry asks the limit's question; Retry anyway sends the same ids with the yes", async () => {
    const question = {
      breaches: [
        {
          period: "day",
          limit: 150_000,
          spent: { tokens: 0, cost: 0, jobs: 0 },
          estimate: { tokens: 217_800, cost: 0.52, jobs: 2 },
          message: verbatim("Past today's limit by the retries.", "重试会超过今日上限。"),
        },
      ],
    };
    const calls = mockBackend({
      list_batches: () => [finished({ done: 8, not_sent: 2 })],
      batch_retry_plan: () => ({
        free: 0,
        paid_ids: ["j9", "j10"],
        paid_tokens: 217_800,
        paid_without_estimate: 0,
        uncertain: 0,
      }),
      retry_batch: (args) => {
        if (!args.spendConfirmed)
          throw {
            kind: "spend_limit",
            message: verbatim("Past the limit.", "超过上限。"),
            details: JSON.stringify(question),
            cause: null,
          };
        return { downloading: 0, resubmitted: 2, kept: 0, message: verbatim("Retried.", "已重试。") };
      },
    });
    renderWithI18n(<BatchList />);
    fireEvent.click(within(await card()).getByTestId("batch-retry"));
    fireEvent.click(within(await screen.findByTestId("confirm")).getByTestId("confirm-ok"));
    const spend = await screen.findByTestId("batch-retry-spend");
    expect(within(spend).getByTestId("spend-breach-day").textContent).toBe(
      "Past today's limit by the retries.",
    );
    expect(screen.queryByTestId("batch-retry-outcome")).toBeNull();
    fireEvent.click(within(spend).getByTestId("confirm-ok"));
    await screen.findByTestId("batch-retry-outcome");
    expect(callsTo(calls, "retry_batch")).toEqual([
      { id: "b1", confirmedPaid: ["j9", "j10"], spendConfirmed: false },
      { id: "b1", confirmedPaid: ["j9", "j10"], spendConfirmed: true },
    ]);
    expect(screen.queryByTestId("batch-retry-spend")).toBeNull();
  });

  it("Only fetch the free ones sends no paid job", async () => {
    const calls = mockBackend({
      list_batches: () => [finished({ done: 8, failed: 1, not_sent: 3 })],
      batch_retry_plan: () => ({
        free: 1,
        paid_ids: ["j9"],
        paid_tokens: 108_900,
        paid_without_estimate: 0,
        uncertain: 0,
      }),
      retry_batch: () => ({
        downloading: 1,
        resubmitted: 0,
        kept: 0,
        message: verbatim("Fetching.", "获取中。"),
      }),
    });
    renderWithI18n(<BatchList />);
    fireEvent.click(within(await card()).getByTestId("batch-retry"));
    fireEvent.click(await screen.findByTestId("batch-retry-free-only"));
    await screen.findByTestId("batch-retry-outcome");
    expect(callsTo(calls, "retry_batch")).toEqual([{ id: "b1", confirmedPaid: [], spendConfirmed: false }]);
  });

  it("a batch the app paused on its own says why", async () => {
    mockBackend({
      list_batches: () => [
        {
          batch: record(
            {
              state: "paused",
              paused_reason: verbatim("Paused by the app while it was closed.", "应用关闭期间已由应用暂停。"),
            },
            { queued: 9 },
          ),
          eta: null,
        },
      ],
    });
    renderWithI18n(<BatchList />);
    const c = await card();
    expect(within(c).getByTestId("batch-paused-why").textContent).toBe(
      "Paused by the app while it was closed.",
    );
    expect(within(c).getByTestId("batch-resume")).toBeTruthy();
  });

  it("a running batch that waits for its service says what it waits for", async () => {
    mockBackend({
      list_batches: () => [
        {
          batch: record(
            { waiting: verbatim("Waiting for an API token.", "正在等待 API 令牌。") },
            { queued: 9 },
          ),
          eta: { kind: "no_history" },
        },
      ],
    });
    renderWithI18n(<BatchList />);
    expect((await screen.findByTestId("batch-waiting")).textContent).toBe("Waiting for an API token.");
  });

  it("a cancelled batch shows its never-sent jobs and has no Pause or Cancel", async () => {
    mockBackend({
      list_batches: () => [{ batch: record({ state: "cancelled" }, { done: 2, not_sent: 4 }), eta: null }],
    });
    renderWithI18n(<BatchList />);
    const c = await card();
    expect(within(c).getByTestId("batch-state").textContent).toBe("Cancelled");
    expect(c.querySelector('[data-count="not_sent"]')?.textContent).toBe("Cancelled, not sent 4");
    expect(within(c).queryByTestId("batch-pause")).toBeNull();
    expect(within(c).queryByTestId("batch-cancel")).toBeNull();
    expect(within(c).getByTestId("batch-retry")).toBeTruthy();
  });

  it("says when there are no batches", async () => {
    mockBackend({ list_batches: () => [] });
    renderWithI18n(<BatchList />);
    expect((await screen.findByTestId("batch-list-empty")).textContent).toBe("No batches yet.");
  });
});

describe("formatDuration", () => {
  it("rounds up, so the time left never runs out early", () => {
    expect(formatDuration(0)).toBe("1 s");
    expect(formatDuration(45_100)).toBe("46 s");
    expect(formatDuration(61_000)).toBe("2 min");
    expect(formatDuration(3_600_000)).toBe("1 h");
    expect(formatDuration(3_660_001)).toBe("1 h 2 min");
  });
});
