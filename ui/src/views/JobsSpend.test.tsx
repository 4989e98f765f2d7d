import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../App";
import type { SpendSummary } from "../bindings";
import { SPEND_RELOAD_MS } from "../jobs/SpendPanel";
import { callsTo, emitJob, job, jobsBackend } from "../jobs/testJobs";
import { NO_SPEND, PREFS } from "../test-ipc";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";

vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({ onDragDropEvent: async () => () => undefined }),
}));
vi.mock("../jobs/video", () => ({
  useVideoUrl: () => ({ url: null, failed: false }),
}));

const SUMMARY: SpendSummary = {
  ...NO_SPEND,
  today: { tokens: 217_800, cost: 0.52272, jobs: 2 },
  week: { tokens: 544_500, cost: 1.3068, jobs: 5 },
  month: { tokens: 2_178_000, cost: 5.2272, jobs: 20 },
  pending: { tokens: 108_900, cost: 0.26136, jobs: 1 },
  batches: [
    {
      batch_id: "b2",
      name: "Storyboard",
      created_at: 2,
      total: { tokens: 435_600, cost: 1.04544, jobs: 4 },
    },
    { batch_id: "b1", name: "Catalogue", created_at: 1, total: { tokens: 108_900, cost: 0.26136, jobs: 1 } },
  ],
  limits: { per_batch: null, per_day: 1_000_000, per_month: null },
};

async function openJobs(lng: "en" | "zh-CN" = "en") {
  renderWithI18n(<App />, lng);
  fireEvent.click(await screen.findByTestId("nav-jobs"));
  return await screen.findByTestId("spend-panel");
}

describe("the spend panel on the Jobs screen", () => {
  it("shows today, this week, this month, what waits to be sent and the batches, newest first", async () => {
    jobsBackend({ spend_summary: () => SUMMARY });
    const panel = await openJobs();
    const today = await within(panel).findByTestId("spend-today");
    expect(today.textContent).toBe("Today217\u00a0800 tokens≈ ¥0.52limit 1\u00a0000\u00a0000");
    expect(within(panel).getByTestId("spend-week").textContent).toContain("544\u00a0500 tokens");
    expect(within(panel).getByTestId("spend-month").textContent).toContain("≈ ¥5.23");
    expect(within(panel).getByTestId("spend-pending").textContent).toBe(
      "Stored, not sent yet: 1 job, up to 108\u00a0900 tokens ≈ ¥0.26",
    );
    const batches = within(panel).getByTestId("spend-batches").querySelectorAll("li");
    expect([...batches].map((li) => li.textContent)).toEqual([
      "Storyboard 435\u00a0600 tokens ≈ ¥1.05 · 4 jobs",
      "Catalogue 108\u00a0900 tokens ≈ ¥0.26 · 1 job",
    ]);
  });

  it("collapses to one line and reads again when a job changes", async () => {
    let answer = NO_SPEND;
    const calls = jobsBackend({ spend_summary: () => answer });
    const panel = await openJobs();
    fireEvent.click(within(panel).getByTestId("spend-toggle"));
    expect(within(panel).queryByTestId("spend-body")).toBeNull();
    expect((await within(panel).findByTestId("spend-glance")).textContent).toBe("Today: 0 tokens ≈ ¥0.00");
    const before = callsTo(calls, "spend_summary").length;
    answer = SUMMARY;
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      await emitJob(job("j1", { status: "submitting", create_sent_at: Date.now() }));
      await act(async () => {
        vi.advanceTimersByTime(SPEND_RELOAD_MS + 10);
      });
    } finally {
      vi.useRealTimers();
    }
    await waitFor(() =>
      expect(within(panel).getByTestId("spend-glance").textContent).toBe(
        "Today: 217\u00a0800 tokens ≈ ¥0.52",
      ),
    );
    expect(callsTo(calls, "spend_summary").length).toBe(before + 1);
    fireEvent.click(within(panel).getByTestId("spend-toggle"));
    expect(within(panel).getByTestId("spend-body")).toBeTruthy();
  });

  it("exports a CSV through the backend's save dialog and says where", async () => {
    let fail = false;
    const calls = jobsBackend({
      spend_summary: () => SUMMARY,
      export_spend_csv: () => {
        if (fail)
          throw {
            kind: "spend_export_failed",
            message: verbatim(
              "Could not write the spend file /ro/spend.csv.",
              "无法写入花费文件 /ro/spend.csv。",
            ),
            details: null,
            cause: "Read-only file system (os error 30)",
          };
        return "/home/me/spend.csv";
      },
    });
    const panel = await openJobs();
    fireEvent.click(within(panel).getByTestId("spend-export"));
    expect((await within(panel).findByTestId("spend-saved")).textContent).toBe("Saved to /home/me/spend.csv");
    expect(callsTo(calls, "export_spend_csv")).toHaveLength(1);
    fail = true;
    fireEvent.click(within(panel).getByTestId("spend-export"));
    expect(await within(panel).findByText(/Could not write the spend file/)).toBeTruthy();
  });

  it("is in Chinese", async () => {
    jobsBackend({
      spend_summary: () => SUMMARY,
      get_preferences: () => ({ ...PREFS, prefs: { ...PREFS.prefs, language: "zh-CN" } }),
    });
    const panel = await openJobs("zh-CN");
    expect((await within(panel).findByTestId("spend-today")).textContent).toContain("今日");
    expect(within(panel).getByTestId("spend-export").textContent).toBe("导出 CSV…");
    expect(within(panel).getByTestId("spend-pending").textContent).toContain("尚未发送");
  });
});

describe("spend limits in Settings", () => {
  it("shows the money next to each limit and saves empty fields as no limit", async () => {
    const calls = jobsBackend({
      save_preferences: (args) => ({ ...PREFS, prefs: (args as { prefs: typeof PREFS.prefs }).prefs }),
    });
    renderWithI18n(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    const day = (await screen.findByTestId("spend-limit-per_day")) as HTMLInputElement;
    expect(day.value).toBe("");
    expect(screen.getByTestId("spend-limit-per_day-money").textContent).toBe("No limit");
    fireEvent.change(day, { target: { value: "1000000" } });
    expect(screen.getByTestId("spend-limit-per_day-money").textContent).toBe(
      "≈ ¥2.40 with audio, ¥1.20 without, at the rates above",
    );
    fireEvent.change(screen.getByTestId("spend-limit-per_batch"), { target: { value: "500000" } });
    fireEvent.change(screen.getByTestId("spend-limit-per_batch"), { target: { value: "" } });
    fireEvent.change(screen.getByTestId("spend-limit-per_month"), { target: { value: "20000000.7" } });
    fireEvent.click(screen.getByTestId("settings-save"));
    await waitFor(() => expect(callsTo(calls, "save_preferences")).toHaveLength(1));
    const saved = callsTo(calls, "save_preferences")[0] as { prefs: typeof PREFS.prefs };
    expect(saved.prefs.spend_limits).toEqual({ per_batch: null, per_day: 1_000_000, per_month: 20_000_001 });
  });

  it("labels the fields in Chinese", async () => {
    jobsBackend({ get_preferences: () => ({ ...PREFS, prefs: { ...PREFS.prefs, language: "zh-CN" } }) });
    renderWithI18n(<App />, "zh-CN");
    fireEvent.click(screen.getByTestId("nav-settings"));
    await screen.findByTestId("spend-limit-per_month");
    expect(screen.getByText("花费上限")).toBeTruthy();
    expect(screen.getByText("每月")).toBeTruthy();
    expect(screen.getByTestId("spend-limit-per_month-money").textContent).toBe("不设上限");
  });
});

describe("submitting a job again past a spend limit", () => {
  const refused = job("x2", {
    status: "failed",
    task_id: "task-x2",
    finished_at: Date.now(),
    problem: {
      kind: "task_failed",
      message: verbatim("The service failed the task.", "服务端任务失败。"),
      cause: null,
    },
    can_resubmit: true,
  });
  const question = {
    breaches: [
      {
        period: "day",
        limit: 100_000,
        spent: { tokens: 0, cost: 0, jobs: 0 },
        estimate: { tokens: 108_900, cost: 0.26, jobs: 1 },
        message: verbatim("Past today's limit by this job.", "此任务会超过今日上限。"),
      },
    ],
  };

  it("asks the limit's question like a new job; Submit again anyway sends it with the yes", async () => {
    const calls = jobsBackend({
      list_jobs: () => ({ jobs: [refused], next: null }),
      resubmit_job: (args) => {
        if (!args.spendConfirmed)
          throw {
            kind: "spend_limit",
            message: verbatim("Past the limit.", "超过上限。"),
            details: JSON.stringify(question),
            cause: null,
          };
        return job("x3", { status: "uploading", created_at: Date.now(), retry_of: "x2" });
      },
    });
    await openJobs();
    const r = (await screen.findAllByTestId("job-row")).find((e) => e.getAttribute("data-job-id") === "x2");
    if (!r) throw new Error("no row x2");
    fireEvent.click(within(r).getByTestId("resubmit"));
    fireEvent.click(within(r).getByTestId("confirm-ok"));
    const spend = await within(r).findByTestId("spend-confirm");
    expect(within(spend).getByTestId("spend-breach-day").textContent).toBe("Past today's limit by this job.");
    expect(r.querySelector(".error-notice")).toBeNull();
    fireEvent.click(within(spend).getByText("Submit again anyway"));
    await waitFor(() =>
      expect(callsTo(calls, "resubmit_job")).toEqual([
        { id: "x2", spendConfirmed: false },
        { id: "x2", spendConfirmed: true },
      ]),
    );
    await waitFor(() => expect(within(r).queryByTestId("spend-confirm")).toBeNull());
  });

  it("Cancel sends nothing more and leaves the row as it was", async () => {
    const calls = jobsBackend({
      list_jobs: () => ({ jobs: [refused], next: null }),
      resubmit_job: () => {
        throw {
          kind: "spend_limit",
          message: verbatim("Past the limit.", "超过上限。"),
          details: JSON.stringify(question),
          cause: null,
        };
      },
    });
    await openJobs();
    const r = (await screen.findAllByTestId("job-row")).find((e) => e.getAttribute("data-job-id") === "x2");
    if (!r) throw new Error("no row x2");
    fireEvent.click(within(r).getByTestId("resubmit"));
    fireEvent.click(within(r).getByTestId("confirm-ok"));
    const spend = await within(r).findByTestId("spend-confirm");
    fireEvent.click(within(spend).getByTestId("confirm-cancel"));
    expect(within(r).queryByTestId("spend-confirm")).toBeNull();
    expect(within(r).getByTestId("resubmit")).toBeTruthy();
    expect(callsTo(calls, "resubmit_job")).toHaveLength(1);
  });
});
