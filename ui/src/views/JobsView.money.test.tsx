import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../App";
import type { JobRecord } from "../jobs/api";
import { emitJob, job, jobsBackend } from "../jobs/testJobs";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";

vi.mock("../jobs/video", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../jobs/video")>()),
  useVideoUrl: (path: string | null) => ({ url: path ? `blob:${path}` : null, failed: false }),
}));

vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({ onDragDropEvent: async () => () => undefined }),
}));

function page(jobs: JobRecord[]) {
  return { jobs, next: null };
}

function row(id: string): HTMLElement {
  const found = within(screen.getByTestId("job-list"))
    .queryAllByTestId("job-row")
    .find((r) => r.getAttribute("data-job-id") === id);
  if (!found) throw new Error(`no row ${id}`);
  return found;
}

async function openJobs() {
  renderWithI18n(<App />);
  fireEvent.click(await screen.findByTestId("nav-jobs"));
  await screen.findByTestId("jobs-screen");
}

const NEXT_TRY = Date.now() + 90_000;
const unreachable = job("t1", {
  status: "queued",
  created_at: Date.now() - 60_000,
  task_id: "task-t1",
  create_sent_at: Date.now() - 60_000,
  poll_trouble: {
    kind: "service_unreachable",
    message: verbatim(
      "Can't reach SinanCode. The task is safe there; the app keeps checking by itself.",
      "无法连接到 SinanCode。任务在 SinanCode 上不受影响，应用会自动继续查询。",
    ),
    details: "network_down: network error: connection reset by peer (os error 104)",
    next_try_at: NEXT_TRY,
  },
});

describe("a paid task whose queries are not answered", () => {
  it("shows why and the next check on the row, with the raw cause only behind Details", async () => {
    jobsBackend({ list_jobs: () => page([unreachable]) });
    await openJobs();
    await waitFor(() => row("t1"));
    const note = within(row("t1")).getByTestId("poll-trouble");
    const time = new Date(NEXT_TRY).toLocaleTimeString("en", {
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    expect(note.querySelector("p")?.textContent).toBe(
      `Can't reach SinanCode. The task is safe there; the app keeps checking by itself. Next check at ${time}.`,
    );
    expect(note.querySelector("summary")?.textContent).toBe("Details");
    expect(note.querySelector("code")?.textContent).toContain("os error 104");
    // Still a live job: no Submit again, no failure, and no promise of "usually 1–3 min" while it waits.
    expect(within(row("t1")).queryByTestId("job-typical")).toBeNull();
    expect(within(row("t1")).queryByTestId("resubmit")).toBeNull();
    expect(within(row("t1")).queryByTestId("job-problem")).toBeNull();

    // The next answered poll clears it.
    await emitJob({ ...unreachable, status: "running", poll_trouble: null, updated_at: Date.now() });
    await waitFor(() => expect(within(row("t1")).queryByTestId("poll-trouble")).toBeNull());
  });

  it("shows it in the queue beside the Generate form too", async () => {
    jobsBackend({ list_jobs: () => page([unreachable]) });
    renderWithI18n(<App />);
    const line = await screen.findByTestId("queue-trouble");
    expect(line.textContent).toMatch(/^Can't reach SinanCode — next check at \d\d:\d\d:\d\d/);
  });
});

describe("submitting again", () => {
  it("a failed job whose task is live offers Retry download, never Submit again", async () => {
    const cut = job("f1", {
      status: "failed",
      task_id: "task-f1",
      finished_at: Date.now(),
      can_resubmit: false,
      problem: {
        kind: "network_down",
        message: verbatim("The download broke off.", "下载中断。"),
        cause: null,
      },
    });
    jobsBackend({ list_jobs: () => page([cut]) });
    await openJobs();
    await waitFor(() => row("f1"));
    expect(within(row("f1")).getByTestId("retry-download")).toBeTruthy();
    expect(within(row("f1")).queryByTestId("resubmit")).toBeNull();
  });

  it("the original shows what it was resubmitted as, links to it, and offers no second Submit again", async () => {
    const copy = job("c0ffee00-new", { status: "running", created_at: Date.now(), retry_of: "o1" });
    const original = job("o1", {
      status: "submission_uncertain",
      created_at: Date.now() - 60_000,
      resubmitted_as: copy.id,
      can_resubmit: false,
    });
    jobsBackend({ list_jobs: () => page([copy, original]) });
    await openJobs();
    await waitFor(() => row("o1"));
    const note = within(row("o1")).getByTestId("resubmitted");
    expect(note.textContent).toContain("Resubmitted as a new job (c0ffee00).");
    expect(within(row("o1")).getByTestId("uncertain")).toBeTruthy();
    expect(within(row("o1")).queryByTestId("uncertain-resubmit")).toBeNull();
    expect(within(row("o1")).queryByTestId("resubmit")).toBeNull();

    fireEvent.click(within(note).getByTestId("show-resubmitted"));
    expect(row(copy.id).classList.contains("highlight")).toBe(true);
  });
});
