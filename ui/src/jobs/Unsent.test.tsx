import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../App";
import type { UnsentSummary } from "../bindings";
import { NO_UNSENT } from "../test-ipc";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";
import { callsTo, emitJob, job, jobsBackend } from "./testJobs";

vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({ onDragDropEvent: async () => () => undefined }),
}));
vi.mock("./video", () => ({
  useVideoUrl: () => ({ url: null, failed: false }),
}));

const THREE: UnsentSummary = {
  count: 3,
  tokens: 400_000,
  cost: 0.84,
  currency: "CNY",
  without_estimate: 1,
  oldest_created_at: 1,
};

describe("jobs saved but never sent", () => {
  it("at start the app says how many and what they would cost, and Send all sends them", async () => {
    let summary = THREE;
    const calls = jobsBackend({
      unsent_summary: () => summary,
      send_all_unsent: () => {
        summary = NO_UNSENT;
        return { done: 2, kept: 1 };
      },
    });
    renderWithI18n(<App />);
    const notice = await screen.findByTestId("unsent-notice");
    expect(notice.textContent).toContain("3 jobs were saved but never sent");
    expect(within(notice).getByTestId("unsent-cost").textContent).toBe(
      "The app closed before sending them, a while ago, so they were not sent on this start. Sending them all costs about 400\u00a0000 tokens ≈ ¥0.84. 1 of them has no estimate and is not counted.",
    );
    expect(callsTo(calls, "send_all_unsent")).toHaveLength(0);

    fireEvent.click(within(notice).getByTestId("unsent-send-all"));
    expect((await screen.findByTestId("unsent-outcome")).textContent).toBe(
      "Sent: 2. Not sent (see Jobs): 1.",
    );
    expect(screen.queryByTestId("unsent-notice")).toBeNull();
    expect(callsTo(calls, "send_all_unsent")).toHaveLength(1);
    expect(callsTo(calls, "discard_all_unsent")).toHaveLength(0);
  });

  it("a double click on Send all sends them once", async () => {
    let summary = THREE;
    const calls = jobsBackend({
      unsent_summary: () => summary,
      send_all_unsent: () => {
        summary = NO_UNSENT;
        return { done: 3, kept: 0 };
      },
    });
    renderWithI18n(<App />);
    const notice = await screen.findByTestId("unsent-notice");
    const sendAll = within(notice).getByTestId("unsent-send-all");
    fireEvent.click(sendAll);
    fireEvent.click(sendAll);
    expect((await screen.findByTestId("unsent-outcome")).textContent).toBe("Sent: 3.");
    expect(callsTo(calls, "send_all_unsent")).toHaveLength(1);
  });

  it("a job held back after the page first asked still brings the notice", async () => {
    let summary = NO_UNSENT;
    jobsBackend({ unsent_summary: () => summary });
    renderWithI18n(<App />);
    await screen.findByTestId("generate-screen");
    expect(screen.queryByTestId("unsent-notice")).toBeNull();
    summary = { ...THREE, count: 1, without_estimate: 0, tokens: 108_900, cost: 0.26 };
    await emitJob(job("late", { status: "not_sent" }));
    expect((await screen.findByTestId("unsent-notice")).textContent).toContain(
      "1 job was saved but never sent",
    );
  });

  it("Don't send any discards them all, and nothing is shown when none wait", async () => {
    let summary = THREE;
    const calls = jobsBackend({
      unsent_summary: () => summary,
      discard_all_unsent: () => {
        summary = NO_UNSENT;
        return { done: 3, kept: 0 };
      },
    });
    renderWithI18n(<App />);
    fireEvent.click(await screen.findByTestId("unsent-discard-all"));
    expect((await screen.findByTestId("unsent-outcome")).textContent).toBe(
      "Not sent: 3. They stay in the history as discarded.",
    );
    expect(callsTo(calls, "send_all_unsent")).toHaveLength(0);
  });

  it("a waiting job's row offers Send now and Don't send", async () => {
    const waiting = job("w", { status: "not_sent", prompt: "an old idea" });
    const calls = jobsBackend({
      list_jobs: () => ({ jobs: [waiting], next: null }),
      send_unsent_job: (args) => job(args.id as string, { status: "uploading", prompt: "an old idea" }),
    });
    renderWithI18n(<App />);
    fireEvent.click(await screen.findByTestId("nav-jobs"));
    const row = await screen.findByTestId("job-row");
    expect(within(row).getByTestId("job-status").textContent).toContain("Not sent yet");
    expect(within(row).getByTestId("unsent").textContent).toContain("Nothing has been charged.");
    fireEvent.click(within(row).getByTestId("send-unsent"));
    await waitFor(() => expect(screen.getByTestId("job-row").getAttribute("data-status")).toBe("uploading"));
    expect(callsTo(calls, "send_unsent_job")).toEqual([{ id: "w" }]);
    expect(screen.queryByTestId("unsent")).toBeNull();
  });

  it("Don't send keeps the record as discarded, and a refusal is shown on the row", async () => {
    const waiting = job("w", { status: "not_sent" });
    const calls = jobsBackend({
      list_jobs: () => ({ jobs: [waiting], next: null }),
      send_unsent_job: () => {
        throw {
          kind: "image_not_found",
          message: verbatim("The image file is gone.", "图片文件已不存在。"),
          details: null,
          cause: null,
        };
      },
      discard_unsent_job: (args) =>
        job(args.id as string, {
          status: "failed",
          problem: {
            kind: "discarded",
            message: verbatim("You chose not to send this job.", "您选择了不发送该任务。"),
            cause: null,
          },
        }),
    });
    renderWithI18n(<App />);
    fireEvent.click(await screen.findByTestId("nav-jobs"));
    const row = await screen.findByTestId("job-row");
    fireEvent.click(within(row).getByTestId("send-unsent"));
    expect((await within(row).findByRole("alert")).textContent).toContain("The image file is gone.");
    expect(row.getAttribute("data-status")).toBe("not_sent");

    fireEvent.click(within(row).getByTestId("discard-unsent"));
    await waitFor(() => expect(screen.getByTestId("job-row").getAttribute("data-status")).toBe("failed"));
    expect(screen.getByTestId("job-problem").textContent).toBe("You chose not to send this job.");
    expect(callsTo(calls, "discard_unsent_job")).toEqual([{ id: "w" }]);
  });

  it("the status filter offers Not sent yet", async () => {
    jobsBackend();
    renderWithI18n(<App />);
    fireEvent.click(await screen.findByTestId("nav-jobs"));
    const options = Array.from((await screen.findByTestId("jobs-status")).querySelectorAll("option")).map(
      (o) => o.textContent,
    );
    expect(options).toContain("Not sent yet");
  });
});
