import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../App";
import type { FrameTable } from "../bindings";
import { frameInfo } from "../generate/testBackend";
import type { JobRecord } from "../jobs/api";
import { callsTo, doneJob, job, jobsBackend } from "../jobs/testJobs";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";

vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({ onDragDropEvent: async () => () => undefined }),
}));

// 2 s at 30 fps, as the backend counts the frames.
const TABLE: FrameTable = {
  width: 1280,
  height: 720,
  fps: 30,
  duration_secs: 2,
  times: Array.from({ length: 60 }, (_, n) => n / 30),
};

function page(jobs: JobRecord[]) {
  return { jobs, next: null };
}

/** The row's player, with the clock and pause a browser would have (jsdom's video has neither). */
async function openPlayer(row: HTMLElement) {
  fireEvent.click(within(row).getByTestId("play"));
  const video = (await within(row).findByTestId("player")) as HTMLVideoElement;
  let now = 0;
  Object.defineProperty(video, "currentTime", {
    get: () => now,
    set: (v: number) => {
      now = v;
    },
  });
  const pause = vi.fn();
  video.pause = pause;
  await within(row).findByTestId("frame-bar");
  return { video, pause, seek: (t: number) => (now = t) };
}

async function jobsRow(id: string) {
  renderWithI18n(<App />);
  fireEvent.click(await screen.findByTestId("nav-jobs"));
  return screen.findByTestId("job-row", {}, { timeout: 2000 }).then(() => {
    const row = screen.getAllByTestId("job-row").find((r) => r.getAttribute("data-job-id") === id);
    if (!row) throw new Error(`no row ${id}`);
    return row;
  });
}

function timecode(row: HTMLElement) {
  return within(row).getByTestId("frame-timecode").textContent;
}

describe("the player's frames", () => {
  it("steps one frame with , and . (paused) and shows the timecode and frame number", async () => {
    const calls = jobsBackend({
      list_jobs: () => page([doneJob("v")]),
      job_video_url: () => "http://127.0.0.1:5555/video/t/v",
      job_frames: () => TABLE,
    });
    const row = await jobsRow("v");
    const { video, pause, seek } = await openPlayer(row);
    expect(callsTo(calls, "job_frames")).toEqual([{ id: "v" }]);
    expect(timecode(row)).toBe("00:00.000 frame 1 of 60");

    fireEvent.keyDown(video, { key: "." });
    expect(pause).toHaveBeenCalled();
    expect(timecode(row)).toBe("00:00.033 frame 2 of 60");
    // Seeked to the middle of frame 2, so the player cannot show a neighbour.
    expect(video.currentTime).toBeCloseTo(1.5 / 30, 6);
    fireEvent.keyDown(video, { key: "," });
    fireEvent.keyDown(video, { key: "," });
    expect(timecode(row)).toBe("00:00.000 frame 1 of 60");

    // Playing or seeking in the player's own controls moves the timecode along.
    seek(40 / 30 + 0.01);
    fireEvent.timeUpdate(video);
    expect(timecode(row)).toBe("00:01.333 frame 41 of 60");
    fireEvent.click(within(row).getByTestId("frame-forward"));
    expect(timecode(row)).toBe("00:01.367 frame 42 of 60");
  });

  it("uses the shown frame as the next shot's first frame, taken by the backend", async () => {
    const taken = frameInfo("/data/frames/v.frame-41.png", 1280, 720, { format: "PNG" });
    const calls = jobsBackend({
      list_jobs: () => page([doneJob("v")]),
      job_video_url: () => "http://127.0.0.1:5555/video/t/v",
      job_frames: () => TABLE,
      take_job_frame: () => taken,
    });
    const row = await jobsRow("v");
    const { seek, video } = await openPlayer(row);
    seek(40 / 30 + 0.01);
    fireEvent.timeUpdate(video);
    fireEvent.click(within(row).getByTestId("use-frame-first"));

    expect(await screen.findByTestId("generate-screen")).toBeTruthy();
    await waitFor(() =>
      expect(within(screen.getByTestId("frame-first")).getByRole("img").getAttribute("src")).toBe(
        taken.thumbnail_data_url,
      ),
    );
    expect(callsTo(calls, "take_job_frame")).toEqual([{ id: "v", index: 40 }]);
    expect(within(screen.getByTestId("frame-last")).queryByRole("img")).toBeNull();
  });

  it("uses the shown frame as a last frame, keeping the first", async () => {
    const taken = frameInfo("/data/frames/v.frame-60.png", 1280, 720, { format: "PNG" });
    const calls = jobsBackend({
      list_jobs: () => page([doneJob("v")]),
      job_video_url: () => "http://127.0.0.1:5555/video/t/v",
      job_frames: () => TABLE,
      take_job_frame: () => taken,
    });
    const row = await jobsRow("v");
    const { seek, video } = await openPlayer(row);
    seek(2);
    fireEvent.timeUpdate(video);
    fireEvent.click(within(row).getByTestId("use-frame-last"));
    expect(await screen.findByTestId("generate-screen")).toBeTruthy();
    await waitFor(() =>
      expect(within(screen.getByTestId("frame-last")).getByRole("img").getAttribute("src")).toBe(
        taken.thumbnail_data_url,
      ),
    );
    expect(callsTo(calls, "take_job_frame")).toEqual([{ id: "v", index: 59 }]);
  });

  it("a frame the backend cannot decode says so under the player", async () => {
    jobsBackend({
      list_jobs: () => page([doneJob("v")]),
      job_video_url: () => "http://127.0.0.1:5555/video/t/v",
      job_frames: () => TABLE,
      take_job_frame: () => {
        throw {
          kind: "frame_corrupt_picture",
          message: verbatim("Frame 1 cannot be decoded.", "无法解码第 1 帧。"),
          details: null,
          cause: null,
        };
      },
    });
    const row = await jobsRow("v");
    await openPlayer(row);
    fireEvent.click(within(row).getByTestId("use-frame-first"));
    expect((await within(row).findByRole("alert")).textContent).toContain("Frame 1 cannot be decoded.");
    expect(screen.getByTestId("jobs-screen")).toBeTruthy();
  });
});

describe("posters", () => {
  it("a finished job shows its result's poster; one still running shows none", async () => {
    const calls = jobsBackend({
      list_jobs: () => page([doneJob("done1"), job("run1", { status: "running" })]),
    });
    renderWithI18n(<App />);
    fireEvent.click(await screen.findByTestId("nav-jobs"));
    const poster = await screen.findByTestId("thumb-poster");
    expect(poster.getAttribute("src")).toBe(`data:image/jpeg;base64,${btoa("poster-done1")}`);
    expect(callsTo(calls, "job_poster")).toEqual([{ id: "done1" }]);
    const running = screen.getAllByTestId("job-row").find((r) => r.getAttribute("data-job-id") === "run1");
    expect(running && within(running).queryByTestId("thumb-poster")).toBeNull();
    // The text job's "T" gives way to its result.
    const done = poster.closest("[data-testid=job-row]") as HTMLElement;
    expect(within(done).queryByTestId("thumb-text")).toBeNull();
  });
});

describe("the results grid", () => {
  it("shows finished videos' posters and plays one while the pointer rests on it", async () => {
    const calls = jobsBackend({
      list_jobs: () => page([doneJob("a"), job("b", { status: "running" }), doneJob("c")]),
      job_video_url: (args) => `http://127.0.0.1:5555/video/t/${args.id}`,
    });
    renderWithI18n(<App />);
    fireEvent.click(await screen.findByTestId("nav-jobs"));
    await screen.findAllByTestId("job-row");
    fireEvent.click(screen.getByTestId("jobs-view-grid"));

    const cards = await screen.findAllByTestId("result-card");
    expect(cards.map((c) => c.getAttribute("data-job-id"))).toEqual(["a", "c"]);
    expect(screen.queryAllByTestId("job-row")).toHaveLength(0);
    await waitFor(() =>
      expect(within(cards[1]).getByTestId("result-poster").getAttribute("src")).toBe(
        `data:image/jpeg;base64,${btoa("poster-c")}`,
      ),
    );
    expect(callsTo(calls, "job_video_url")).toEqual([]);

    fireEvent.mouseEnter(cards[1]);
    const preview = (await within(cards[1]).findByTestId("result-preview")) as HTMLVideoElement;
    expect(preview.getAttribute("src")).toBe("http://127.0.0.1:5555/video/t/c");
    expect(preview.muted).toBe(true);
    expect(callsTo(calls, "job_video_url")).toEqual([{ id: "c" }]);
    fireEvent.mouseLeave(cards[1]);
    expect(within(cards[1]).queryByTestId("result-preview")).toBeNull();

    fireEvent.click(screen.getByTestId("jobs-view-list"));
    expect(await screen.findAllByTestId("job-row")).toHaveLength(3);
  });
});
