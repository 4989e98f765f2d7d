import { emit } from "@tauri-apps/api/event";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../App";
import type { JobRecord } from "../jobs/api";
import { callsTo, doneJob, emitJob, emitProgress, job, jobsBackend } from "../jobs/testJobs";
import { PREFS } from "../test-ipc";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";

vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({ onDragDropEvent: async () => () => undefined }),
}));

const clipboard = vi.hoisted(() => ({ writeText: vi.fn(async (_text: string) => undefined) }));
vi.mock("@tauri-apps/plugin-clipboard-manager", () => clipboard);

beforeEach(() => {
  clipboard.writeText.mockClear();
});

const MIN = 60_000;
const NEWEST = job("j3", {
  created_at: Date.now() - 2 * MIN,
  status: "running",
  prompt: "a fox runs in snow",
});
const MIDDLE = job("j2", {
  created_at: Date.now() - 5 * MIN,
  status: "uploading",
  bytes_done: 250,
  bytes_total: 1000,
});
const OLDEST = doneJob("j1", { created_at: Date.now() - 60 * MIN, prompt: "城市夜景" });

function page(jobs: JobRecord[], next: JobRecord["created_at"] | null = null) {
  return { jobs, next: next === null ? null : { created_at: next, seq: 1 } };
}

async function openJobs() {
  renderWithI18n(<App />);
  fireEvent.click(await screen.findByTestId("nav-jobs"));
  return screen.findByTestId("jobs-screen");
}

function rows() {
  return within(screen.getByTestId("job-list")).queryAllByTestId("job-row");
}

function row(id: string): HTMLElement {
  const found = rows().find((r) => r.getAttribute("data-job-id") === id);
  if (!found) throw new Error(`no row ${id}`);
  return found;
}

async function findRow(id: string) {
  await waitFor(() => row(id));
  return row(id);
}

describe("Jobs list", () => {
  it("shows jobs newest first with status, prompt, settings, tokens and progress", async () => {
    jobsBackend({ list_jobs: () => page([NEWEST, MIDDLE, OLDEST]) });
    await openJobs();
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(rows().map((r) => r.getAttribute("data-job-id"))).toEqual(["j3", "j2", "j1"]);

    const running = row("j3");
    expect(within(running).getByTestId("job-status").textContent).toMatch(/^Generating 2:0\d$/);
    expect(within(running).getByTestId("job-typical").textContent).toBe("usually 1–3 min");
    expect(within(running).getByTestId("job-prompt").textContent).toBe("a fox runs in snow");
    expect(within(running).getByTestId("job-settings").textContent).toBe("720p · 16:9 · 5 s · audio");
    expect(running.textContent?.replace(/\u00a0/g, " ")).toContain("≈ 108 900 tokens");

    const bar = within(row("j2")).getByRole("progressbar");
    expect(bar.getAttribute("aria-valuenow")).toBe("25");
    await emitProgress({ id: "j2", stage: "upload_first_frame", done: 800, total: 1000 });
    expect(bar.getAttribute("aria-valuenow")).toBe("80");

    // A finished job shows how long it took, not a running clock.
    expect(within(row("j1")).getByTestId("job-elapsed").textContent).toBe("1:35");
    expect(within(row("j1")).queryByRole("progressbar")).toBeNull();
  });

  it("search (debounced) and the status filter ask the backend with the query", async () => {
    const calls = jobsBackend({ list_jobs: () => page([NEWEST]) });
    await openJobs();
    await findRow("j3");
    fireEvent.change(screen.getByTestId("jobs-search"), { target: { value: "f" } });
    fireEvent.change(screen.getByTestId("jobs-search"), { target: { value: "fox  " } });
    await waitFor(() =>
      expect(callsTo(calls, "list_jobs").at(-1)).toEqual({
        query: { search: "fox", status: null, limit: 50, before: null, batch: null },
      }),
    );
    // Only the settled text was searched, not every keystroke.
    expect(callsTo(calls, "list_jobs").some((a) => (a.query as { search: string }).search === "f")).toBe(
      false,
    );

    fireEvent.change(screen.getByTestId("jobs-status"), { target: { value: "failed" } });
    await waitFor(() =>
      expect(callsTo(calls, "list_jobs").at(-1)).toEqual({
        query: { search: "fox", status: "failed", limit: 50, before: null, batch: null },
      }),
    );
  });

  it("loads the next page with the cursor", async () => {
    const calls = jobsBackend({
      list_jobs: (args) => {
        const q = args.query as { before: unknown; limit: number };
        if (q.limit !== 50) return page([]);
        return q.before ? page([OLDEST]) : page([NEWEST, MIDDLE], MIDDLE.created_at);
      },
    });
    await openJobs();
    fireEvent.click(await screen.findByTestId("load-more"));
    await findRow("j1");
    expect(rows().map((r) => r.getAttribute("data-job-id"))).toEqual(["j3", "j2", "j1"]);
    const paged = callsTo(calls, "list_jobs").find((a) => (a.query as { before: unknown }).before);
    expect(paged).toEqual({
      query: {
        search: null,
        status: null,
        limit: 50,
        before: { created_at: MIDDLE.created_at, seq: 1 },
        batch: null,
      },
    });
    expect(screen.queryByTestId("load-more")).toBeNull();
  });

  it("job-changed updates a row in place and puts a new job on top", async () => {
    jobsBackend({ list_jobs: () => page([NEWEST, OLDEST]) });
    await openJobs();
    await findRow("j3");
    await emitJob(doneJob("j3", { created_at: NEWEST.created_at, prompt: NEWEST.prompt }));
    expect(row("j3").getAttribute("data-status")).toBe("done");
    expect(within(row("j3")).getByTestId("job-status").textContent).toContain("Done");

    await emitJob(job("j9", { created_at: Date.now(), status: "uploading", prompt: "brand new" }));
    expect(rows().map((r) => r.getAttribute("data-job-id"))).toEqual(["j9", "j3", "j1"]);
  });

  it("a network failure says what happened in words; the raw cause waits behind Details", async () => {
    const raw = "client error (SendRequest): connection closed before message completed (os error 104)";
    const failed = job("jn", {
      status: "failed",
      finished_at: Date.now(),
      problem: {
        kind: "network_down",
        message: verbatim(
          "Could not reach SinanCode, or the connection broke off.",
          "无法连接到 SinanCode。",
        ),
        cause: raw,
      },
    });
    jobsBackend({ list_jobs: () => page([failed]) });
    renderWithI18n(<App />);
    fireEvent.click(await screen.findByTestId("nav-jobs"));
    const r = await findRow("jn");
    const problem = within(r).getByTestId("job-problem");
    expect(problem.querySelector("p")?.textContent).toBe(
      "Could not reach SinanCode, or the connection broke off.",
    );
    const details = within(r).getByTestId("error-cause");
    expect(details.tagName).toBe("DETAILS");
    expect(details.hasAttribute("open")).toBe(false);
    expect(details.textContent).toContain("os error 104");
  });

  it("a failed job shows the service's message in the UI language", async () => {
    const failed = job("jf", {
      status: "failed",
      finished_at: Date.now(),
      problem: {
        kind: "task_failed",
        message: verbatim(
          "The service refused the image. Try another frame.",
          "服务拒绝了这张图片。请换一张。",
        ),
        cause: null,
      },
    });
    jobsBackend({
      list_jobs: () => page([failed]),
      get_preferences: () => ({ ...PREFS, prefs: { ...PREFS.prefs, language: "zh-CN" } }),
    });
    renderWithI18n(<App />, "zh-CN");
    fireEvent.click(await screen.findByTestId("nav-jobs"));
    const r = await findRow("jf");
    expect(within(r).getByTestId("job-problem").textContent).toBe("服务拒绝了这张图片。请换一张。");
    expect(within(r).getByTestId("job-status").textContent).toContain("失败");
  });

  it("shows DEMO on demo jobs and an empty state when nothing matches", async () => {
    jobsBackend({
      list_jobs: (args) =>
        (args.query as { search: string | null }).search ? page([]) : page([job("d", { demo: true })]),
    });
    await openJobs();
    expect(within(await findRow("d")).getByText("DEMO")).toBeTruthy();
    fireEvent.change(screen.getByTestId("jobs-search"), { target: { value: "zzz" } });
    expect((await screen.findByTestId("jobs-empty")).textContent).toBe(
      "No job matches this search or filter.",
    );
  });

  it("fetches a row's thumbnails lazily", async () => {
    const calls = jobsBackend({
      list_jobs: () => page([doneJob("t", { has_first_thumb: true })]),
      job_thumbnails: () => ({ first: "data:image/jpeg;base64,AAAA", last: null }),
    });
    await openJobs();
    const r = await findRow("t");
    await waitFor(() =>
      expect(within(r).getByTestId("thumb-first").getAttribute("src")).toBe("data:image/jpeg;base64,AAAA"),
    );
    expect(callsTo(calls, "job_thumbnails")).toEqual([{ id: "t" }]);
  });

  it("renders only the rows near the view of a long history", async () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      doneJob(`m${i}`, { created_at: Date.now() - i * MIN }),
    );
    jobsBackend({ list_jobs: () => page(many) });
    await openJobs();
    await findRow("m0");
    expect(screen.getByTestId("job-list").getAttribute("data-rows")).toBe("200");
    expect(rows().length).toBeLessThan(30);
    expect(rows()[0]?.getAttribute("data-job-id")).toBe("m0");
  });

  it("a row mounted again (scrolled out and back, or the screen reopened) shows its thumbnails without asking again", async () => {
    const calls = jobsBackend({
      list_jobs: () => page([doneJob("again", { has_first_thumb: true })]),
      job_thumbnails: () => ({ first: "data:image/jpeg;base64,BBBB", last: null }),
    });
    await openJobs();
    const first = await findRow("again");
    await waitFor(() => expect(within(first).getByTestId("thumb-first")).toBeTruthy());
    fireEvent.click(screen.getByTestId("nav-generate"));
    fireEvent.click(screen.getByTestId("nav-jobs"));
    const second = await findRow("again");
    expect(within(second).getByTestId("thumb-first").getAttribute("src")).toBe("data:image/jpeg;base64,BBBB");
    expect(callsTo(calls, "job_thumbnails")).toEqual([{ id: "again" }]);
  });
});

describe("done jobs", () => {
  it("Open, Show in folder, Copy path, Copy prompt and the player call the right things", async () => {
    const done = doneJob("d1", { prompt: "a cat jumps" });
    const calls = jobsBackend({
      list_jobs: () => page([done]),
      open_job_video: () => null,
      reveal_job_video: () => null,
      job_video_url: (args) => `http://127.0.0.1:5555/video/t0k3n/${args.id}`,
    });
    await openJobs();
    const r = await findRow("d1");
    fireEvent.click(within(r).getByTestId("open"));
    await waitFor(() => expect((within(r).getByTestId("reveal") as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(within(r).getByTestId("reveal"));
    await waitFor(() => expect(callsTo(calls, "reveal_job_video")).toEqual([{ id: "d1" }]));
    expect(callsTo(calls, "open_job_video")).toEqual([{ id: "d1" }]);

    fireEvent.click(within(r).getByTestId("copy-path"));
    await waitFor(() => expect(clipboard.writeText).toHaveBeenCalledWith(done.output_path));
    expect((await within(r).findByRole("status")).textContent).toBe("File path copied.");
    fireEvent.click(within(r).getByTestId("copy-prompt"));
    await waitFor(() => expect(clipboard.writeText).toHaveBeenLastCalledWith("a cat jumps"));

    fireEvent.click(within(r).getByTestId("play"));
    const video = (await within(r).findByTestId("player")) as HTMLVideoElement;
    expect(video.getAttribute("src")).toBe("http://127.0.0.1:5555/video/t0k3n/d1");
    expect(video.getAttribute("crossorigin")).toBe("anonymous");
    fireEvent.click(within(r).getByTestId("play"));
    expect(within(r).queryByTestId("player")).toBeNull();
  });

  it("a failing action shows the backend's message on the row", async () => {
    jobsBackend({
      list_jobs: () => page([doneJob("d2")]),
      open_job_video: () => {
        throw {
          kind: "video_missing",
          message: verbatim("The video file is gone.", "视频文件不见了。"),
          details: null,
          cause: null,
        };
      },
    });
    await openJobs();
    const r = await findRow("d2");
    fireEvent.click(within(r).getByTestId("open"));
    expect((await within(r).findByRole("alert")).textContent).toContain("The video file is gone.");
  });

  it("a video the system cannot decode says which decoder is missing and offers the system player", async () => {
    vi.spyOn(navigator, "userAgent", "get").mockReturnValue(
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15",
    );
    const calls = jobsBackend({
      list_jobs: () => page([doneJob("d4")]),
      job_video_url: () => "http://127.0.0.1:5555/video/t/d4",
      open_job_video: () => null,
    });
    await openJobs();
    const r = await findRow("d4");
    fireEvent.click(within(r).getByTestId("play"));
    const video = await within(r).findByTestId("player");
    Object.defineProperty(video, "error", { value: { code: 4 } });
    fireEvent.error(video);
    const alert = await within(r).findByRole("alert");
    expect(alert.textContent).toContain("gstreamer1.0-libav");
    expect(within(r).queryByTestId("player")).toBeNull();
    fireEvent.click(within(r).getByTestId("player-open"));
    await waitFor(() => expect(callsTo(calls, "open_job_video")).toEqual([{ id: "d4" }]));
  });

  it("a video whose sound plays but whose picture has no decoder is not left as a black box", async () => {
    vi.spyOn(navigator, "userAgent", "get").mockReturnValue(
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15",
    );
    jobsBackend({
      list_jobs: () => page([doneJob("d6")]),
      job_video_url: () => "http://127.0.0.1:5555/video/t/d6",
    });
    await openJobs();
    const r = await findRow("d6");
    fireEvent.click(within(r).getByTestId("play"));
    const video = await within(r).findByTestId("player");
    Object.defineProperty(video, "videoWidth", { value: 0 });
    fireEvent.loadedMetadata(video);
    const alert = await within(r).findByRole("alert");
    expect(alert.textContent).toContain("gstreamer1.0-libav");
    expect(within(r).queryByTestId("player")).toBeNull();
  });

  it("a video with a picture keeps playing after its metadata loads", async () => {
    jobsBackend({
      list_jobs: () => page([doneJob("d7")]),
      job_video_url: () => "http://127.0.0.1:5555/video/t/d7",
    });
    await openJobs();
    const r = await findRow("d7");
    fireEvent.click(within(r).getByTestId("play"));
    const video = await within(r).findByTestId("player");
    Object.defineProperty(video, "videoWidth", { value: 1920 });
    fireEvent.loadedMetadata(video);
    await new Promise((done) => setTimeout(done, 50));
    expect(within(r).queryByRole("alert")).toBeNull();
    expect(within(r).getByTestId("player")).toBeTruthy();
  });

  it("a player whose file went away shows the backend's reason, not a decoder", async () => {
    let asked = 0;
    jobsBackend({
      list_jobs: () => page([doneJob("d5")]),
      job_video_url: () => {
        asked += 1;
        if (asked === 1) return "http://127.0.0.1:5555/video/t/d5";
        throw {
          kind: "video_missing",
          message: verbatim("The video file is gone.", "视频文件不见了。"),
          details: null,
          cause: null,
        };
      },
    });
    await openJobs();
    const r = await findRow("d5");
    fireEvent.click(within(r).getByTestId("play"));
    const video = await within(r).findByTestId("player");
    Object.defineProperty(video, "error", { value: { code: 4 } });
    fireEvent.error(video);
    expect((await within(r).findByRole("alert")).textContent).toContain("The video file is gone.");
    expect(within(r).getByTestId("player-open")).toBeTruthy();
  });

  it.each([
    [true, true],
    [false, false],
  ])("Delete asks first and passes deleteFile=%s", async (tick, expected) => {
    const calls = jobsBackend({ list_jobs: () => page([doneJob("d3"), OLDEST]), delete_job: () => null });
    await openJobs();
    const r = await findRow("d3");
    fireEvent.click(within(r).getByTestId("delete"));
    expect(callsTo(calls, "delete_job")).toEqual([]);
    const confirm = within(r).getByRole("alertdialog");
    expect(confirm.textContent).toContain("The video file stays on disk unless you tick the box.");
    if (tick) fireEvent.click(within(confirm).getByTestId("delete-file"));
    fireEvent.click(within(confirm).getByTestId("confirm-ok"));
    await waitFor(() => expect(rows().map((x) => x.getAttribute("data-job-id"))).toEqual(["j1"]));
    expect(callsTo(calls, "delete_job")).toEqual([{ id: "d3", deleteFile: expected }]);
  });

  it("cancelling a delete keeps the job", async () => {
    const calls = jobsBackend({ list_jobs: () => page([doneJob("d4")]), delete_job: () => null });
    await openJobs();
    const r = await findRow("d4");
    fireEvent.click(within(r).getByTestId("delete"));
    fireEvent.click(within(r).getByTestId("confirm-cancel"));
    expect(within(r).queryByRole("alertdialog")).toBeNull();
    expect(callsTo(calls, "delete_job")).toEqual([]);
    expect(rows()).toHaveLength(1);
  });
});

describe("submission uncertain", () => {
  const uncertain = job("u1", {
    status: "submission_uncertain",
    created_at: Date.now() - MIN,
    updated_at: Date.now(),
    can_resubmit: true,
  });

  it("explains in plain words and asks before submitting again", async () => {
    const calls = jobsBackend({
      list_jobs: () => page([uncertain]),
      resubmit_job: () => job("u2", { status: "uploading", created_at: Date.now(), retry_of: "u1" }),
    });
    await openJobs();
    const r = await findRow("u1");
    expect(within(r).getByTestId("uncertain").textContent).toContain(
      "The request may or may not have reached the service; it was not sent again, to avoid paying twice.",
    );

    fireEvent.click(within(r).getByTestId("uncertain-resubmit"));
    expect(within(r).getByTestId("resubmit-warning").textContent).toContain(
      "This may start a second paid generation.",
    );
    expect(callsTo(calls, "resubmit_job")).toEqual([]);
    fireEvent.click(within(r).getByTestId("confirm-cancel"));
    expect(callsTo(calls, "resubmit_job")).toEqual([]);

    fireEvent.click(within(r).getByTestId("uncertain-resubmit"));
    fireEvent.click(within(r).getByTestId("confirm-ok"));
    await waitFor(() =>
      expect(callsTo(calls, "resubmit_job")).toEqual([{ id: "u1", spendConfirmed: false }]),
    );
    // The new paid job shows up at once, in the list and in the queue.
    await findRow("u2");
  });

  it("Check later collapses; Mark as failed calls mark_job_failed and updates the row", async () => {
    const calls = jobsBackend({
      list_jobs: () => page([uncertain]),
      mark_job_failed: () => ({ ...uncertain, status: "failed", finished_at: Date.now() }),
    });
    await openJobs();
    const r = await findRow("u1");
    fireEvent.click(within(r).getByTestId("check-later"));
    expect(within(r).queryByTestId("uncertain")).toBeNull();
    fireEvent.click(within(r).getByTestId("uncertain-expand"));
    fireEvent.click(within(r).getByTestId("mark-failed"));
    await waitFor(() => expect(row("u1").getAttribute("data-status")).toBe("failed"));
    expect(callsTo(calls, "mark_job_failed")).toEqual([{ id: "u1" }]);
  });
});

describe("failed jobs", () => {
  const expired = job("x1", {
    status: "failed",
    task_id: "task-x1",
    finished_at: Date.now(),
    problem: {
      kind: "result_expired",
      message: verbatim("The result link expired before it was saved.", "结果链接在保存前已过期。"),
      cause: null,
    },
  });
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

  it("Retry download is offered only when the task itself finished, and calls retry_download", async () => {
    const calls = jobsBackend({
      list_jobs: () => page([expired, refused]),
      retry_download: () => ({ ...expired, status: "downloading", problem: null, finished_at: null }),
    });
    await openJobs();
    const r = await findRow("x1");
    expect(within(row("x2")).queryByTestId("retry-download")).toBeNull();
    fireEvent.click(within(r).getByTestId("retry-download"));
    await waitFor(() => expect(row("x1").getAttribute("data-status")).toBe("downloading"));
    expect(callsTo(calls, "retry_download")).toEqual([{ id: "x1" }]);
  });

  it("Submit again on a failed job also asks first", async () => {
    const calls = jobsBackend({ list_jobs: () => page([refused]), resubmit_job: () => job("x3") });
    await openJobs();
    const r = await findRow("x2");
    fireEvent.click(within(r).getByTestId("resubmit"));
    expect(within(r).getByRole("alertdialog").textContent).toContain(
      "This may start a second paid generation.",
    );
    expect(callsTo(calls, "resubmit_job")).toEqual([]);
  });
});

describe("removed records", () => {
  it("a job-removed event takes the row off the list", async () => {
    jobsBackend({ list_jobs: () => page([NEWEST, OLDEST]) });
    await openJobs();
    await findRow("j1");
    await act(() => emit("job-removed", { id: "j1" }));
    expect(rows().map((r) => r.getAttribute("data-job-id"))).toEqual(["j3"]);
  });
});
