import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../App";
import type { RequestDraft } from "../bindings";
import { frameInfo, okCheck } from "../generate/testBackend";
import { callsTo, doneJob, emitJob, job, jobsBackend } from "../jobs/testJobs";
import { session } from "../test-ipc";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";

vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({ onDragDropEvent: async () => () => undefined }),
}));
const video = vi.hoisted(() => ({
  useVideoUrl: () => ({ url: null, error: null }),
}));
vi.mock("../jobs/video", () => video);

const NO_TOKEN = { ...session().token, set: false, last4: null, source: null };

function generateButton() {
  return screen.getByTestId("generate-button") as HTMLButtonElement;
}

function queueItems() {
  return within(screen.getByTestId("queue")).queryAllByTestId("queue-item");
}

async function typePrompt(text: string) {
  fireEvent.change(await screen.findByTestId("prompt"), { target: { value: text } });
  await waitFor(() => expect(generateButton().disabled).toBe(false));
}

describe("submitting from Generate", () => {
  it("sends the draft once, shows the job in the queue at once and keeps the form", async () => {
    let resolveSubmit: (value: unknown) => void = () => undefined;
    const calls = jobsBackend({
      check_request: (args) => ({
        ...okCheck(args.draft as RequestDraft),
        estimate: {
          width: 1280,
          height: 720,
          tokens_min: 108_900,
          tokens_max: 108_900,
          cost_min: null,
          cost_max: null,
          currency: "CNY",
          draft_lower: false,
          approximate: false,
        },
      }),
      submit_job: (args) =>
        new Promise((resolve) => {
          const draft = args.draft as RequestDraft;
          resolveSubmit = () =>
            resolve(job("new", { status: "uploading", prompt: draft.prompt, created_at: Date.now() }));
        }),
    });
    renderWithI18n(<App />);
    await typePrompt("a fox runs in the snow");
    fireEvent.click(generateButton());
    // While the request is on its way a second press must not start a second paid job.
    await waitFor(() => expect(generateButton().disabled).toBe(true));
    expect(screen.getByTestId("submit-reason").textContent).toBe("Sending the request…");
    fireEvent.keyDown(screen.getByTestId("prompt"), { key: "Enter", ctrlKey: true });
    resolveSubmit(null);

    await waitFor(() => expect(queueItems()).toHaveLength(1));
    expect(callsTo(calls, "submit_job")).toHaveLength(1);
    // The estimate the form showed is kept with the job.
    expect(callsTo(calls, "submit_job")[0].tokensEstimate).toBe(108_900);
    expect(callsTo(calls, "submit_job")[0].draft).toMatchObject({
      prompt: "a fox runs in the snow",
      resolution: "720p",
      first_frame: null,
    });
    expect(queueItems()[0].textContent).toContain("Uploading");
    expect(queueItems()[0].textContent).toContain("a fox runs in the snow");
    expect((screen.getByTestId("prompt") as HTMLTextAreaElement).value).toBe("a fox runs in the snow");
    await waitFor(() => expect(generateButton().disabled).toBe(false));

    // The queue follows the job's events.
    await emitJob(doneJob("new", { prompt: "a fox runs in the snow", created_at: Date.now() }));
    expect(queueItems()[0].getAttribute("data-status")).toBe("done");
  });

  it("shows the backend's refusal beside the Generate button", async () => {
    jobsBackend({
      submit_job: () => {
        throw {
          kind: "no_network",
          message: verbatim(
            "No connection to SinanCode. Check your network and try again.",
            "无法连接到 SinanCode。请检查网络后重试。",
          ),
          details: null,
          cause: null,
        };
      },
    });
    renderWithI18n(<App />);
    await typePrompt("a fox");
    fireEvent.click(generateButton());
    const error = await screen.findByTestId("submit-error");
    expect(within(error).getByRole("alert").textContent).toContain("No connection to SinanCode.");
    expect(queueItems()).toHaveLength(0);
    await waitFor(() => expect(generateButton().disabled).toBe(false));
  });

  it("without a token and outside demo mode Generate is disabled and says why", async () => {
    const calls = jobsBackend({ get_session: () => session({ token: NO_TOKEN }) });
    renderWithI18n(<App />);
    fireEvent.change(await screen.findByTestId("prompt"), { target: { value: "a fox" } });
    await waitFor(() => expect(callsTo(calls, "check_request").length).toBeGreaterThan(0));
    await waitFor(() =>
      expect(screen.getByTestId("submit-reason").textContent).toBe(
        "Add your API token in Settings, or try demo mode.",
      ),
    );
    expect(generateButton().disabled).toBe(true);
    fireEvent.keyDown(screen.getByTestId("prompt"), { key: "Enter", ctrlKey: true });
    expect(callsTo(calls, "submit_job")).toEqual([]);
  });

  it("demo mode submits without a token", async () => {
    const calls = jobsBackend({
      get_session: () => session({ demo: true, token: NO_TOKEN }),
      submit_job: () => job("demo1", { demo: true, status: "uploading", created_at: Date.now() }),
    });
    renderWithI18n(<App />);
    await typePrompt("a demo fox");
    fireEvent.click(generateButton());
    await waitFor(() => expect(queueItems()).toHaveLength(1));
    expect(within(queueItems()[0]).getByText("DEMO")).toBeTruthy();
    expect(callsTo(calls, "submit_job")).toHaveLength(1);
  });
});

describe("queue panel", () => {
  it("lists the newest jobs with their status, and a click opens the Jobs screen", async () => {
    const recent = [
      job("a", { created_at: Date.now() - 1000, status: "running", prompt: "running one" }),
      doneJob("b", { created_at: Date.now() - 60_000, prompt: "finished one" }),
    ];
    const calls = jobsBackend({ list_jobs: () => ({ jobs: recent, next: null }) });
    renderWithI18n(<App />);
    await waitFor(() => expect(queueItems()).toHaveLength(2));
    expect(queueItems().map((q) => q.getAttribute("data-status"))).toEqual(["running", "done"]);
    expect(callsTo(calls, "list_jobs")[0]).toEqual({ query: { limit: 8 } });
    fireEvent.click(within(queueItems()[1]).getByRole("button"));
    expect(await screen.findByTestId("jobs-screen")).toBeTruthy();
  });
});

describe("from Jobs back to Generate", () => {
  it("Use settings loads the prompt, settings and frames into the form", async () => {
    // The job keeps its files' paths; the backend hands the form handles for them.
    const first = frameInfo("frame-first-handle", 1920, 1080);
    const last = frameInfo("frame-last-handle", 1920, 1080);
    const old = doneJob("old", {
      prompt: "女孩抱着狐狸",
      first_frame_path: "/pics/first.jpg",
      last_frame_path: "/pics/last.jpg",
      request: {
        prompt: "女孩抱着狐狸",
        first_frame: "/pics/first.jpg",
        last_frame: "/pics/last.jpg",
        resolution: "1080p",
        ratio: "9:16",
        duration: 8,
        generate_audio: false,
        camera_fixed: true,
        draft: false,
        watermark: false,
      },
    });
    const calls = jobsBackend(
      {
        list_jobs: () => ({ jobs: [old], next: null }),
        job_draft: (args) =>
          args.id === "old" ? { ...old.request, first_frame: first.handle, last_frame: last.handle } : null,
      },
      { [first.handle]: first, [last.handle]: last },
    );
    renderWithI18n(<App />);
    fireEvent.click(await screen.findByTestId("nav-jobs"));
    fireEvent.click(await screen.findByTestId("use-settings"));

    expect(await screen.findByTestId("generate-screen")).toBeTruthy();
    await waitFor(() =>
      expect((screen.getByTestId("prompt") as HTMLTextAreaElement).value).toBe("女孩抱着狐狸"),
    );
    expect((screen.getByTestId("resolution") as HTMLSelectElement).value).toBe("1080p");
    expect((screen.getByTestId("ratio") as HTMLSelectElement).value).toBe("9:16");
    expect((screen.getByLabelText("Audio") as HTMLInputElement).checked).toBe(false);
    await waitFor(() => expect(within(screen.getByTestId("frame-last")).getByRole("img")).toBeTruthy());
    expect(within(screen.getByTestId("frame-first")).getByRole("img").getAttribute("src")).toBe(
      first.thumbnail_data_url,
    );
    expect(callsTo(calls, "inspect_frame").map((a) => a.handle)).toEqual([first.handle, last.handle]);
  });

  it("Use last frame takes the video's last frame in the backend and makes it the next first frame", async () => {
    const saved = frameInfo("/data/frames/v.frame-121.png", 1280, 720, { format: "PNG" });
    const calls = jobsBackend({
      list_jobs: () => ({ jobs: [doneJob("v")], next: null }),
      take_job_frame: () => saved,
    });
    renderWithI18n(<App />);
    fireEvent.click(await screen.findByTestId("nav-jobs"));
    fireEvent.click(await screen.findByTestId("use-last-frame"));

    expect(await screen.findByTestId("generate-screen")).toBeTruthy();
    await waitFor(() =>
      expect(within(screen.getByTestId("frame-first")).getByRole("img").getAttribute("src")).toBe(
        saved.thumbnail_data_url,
      ),
    );
    // The last frame shown (no index), decoded by the backend; nothing goes through the webview's decoder.
    expect(callsTo(calls, "take_job_frame")).toEqual([{ id: "v", index: null }]);
    expect(callsTo(calls, "save_frame_image")).toEqual([]);
  });

  it("a video whose last frame cannot be taken says why on the row", async () => {
    jobsBackend({
      list_jobs: () => ({ jobs: [doneJob("w")], next: null }),
      take_job_frame: () => {
        throw {
          kind: "frame_clip_damaged",
          message: verbatim("The clip is damaged.", "片段已损坏。"),
          details: null,
          cause: null,
        };
      },
    });
    renderWithI18n(<App />);
    fireEvent.click(await screen.findByTestId("nav-jobs"));
    fireEvent.click(await screen.findByTestId("use-last-frame"));
    expect((await screen.findByRole("alert")).textContent).toContain("The clip is damaged.");
    expect(screen.getByTestId("jobs-screen")).toBeTruthy();
  });
});

describe("pasting an image", () => {
  function pasteImage(name: string) {
    const file = new File([new Uint8Array([137, 80, 78, 71])], name, { type: "image/png" });
    fireEvent.paste(window, { clipboardData: { files: [file], types: ["Files"] } });
  }

  it("saves it through the backend and fills the first empty zone, then the next", async () => {
    let n = 0;
    const calls = jobsBackend({
      save_frame_image: () => {
        n += 1;
        return frameInfo(`/data/frames/pasted-${n}.png`, 1280, 720, { format: "PNG" });
      },
    });
    renderWithI18n(<App />);
    await screen.findByTestId("generate-screen");
    pasteImage("a.png");
    await waitFor(() =>
      expect(within(screen.getByTestId("frame-first")).getByRole("img").getAttribute("src")).toContain(
        btoa("/data/frames/pasted-1.png"),
      ),
    );
    pasteImage("b.png");
    await waitFor(() =>
      expect(within(screen.getByTestId("frame-last")).getByRole("img").getAttribute("src")).toContain(
        btoa("/data/frames/pasted-2.png"),
      ),
    );
    const sent = callsTo(calls, "save_frame_image");
    expect(sent).toHaveLength(2);
    expect(sent[0].dataUrl).toBe("data:image/png;base64,iVBORw==");
  });

  it("a refused paste shows the reason on the zone", async () => {
    jobsBackend({
      save_frame_image: () => {
        throw {
          kind: "unsupported_format",
          message: verbatim("This is not an image the app can read.", "无法读取此图片格式。"),
          details: null,
          cause: null,
        };
      },
    });
    renderWithI18n(<App />);
    await screen.findByTestId("generate-screen");
    pasteImage("bad.png");
    await waitFor(() =>
      expect(screen.getByTestId("frame-first").textContent).toContain(
        "This is not an image the app can read.",
      ),
    );
  });
});

describe("switching screens", () => {
  it("keeps what was typed in Generate, and Ctrl+Enter on another screen submits nothing", async () => {
    const calls = jobsBackend({ submit_job: () => job("s1", { created_at: Date.now() }) });
    renderWithI18n(<App />);
    await typePrompt("half-written idea");
    fireEvent.click(screen.getByTestId("nav-jobs"));
    await screen.findByTestId("jobs-screen");
    fireEvent.keyDown(window, { key: "Enter", ctrlKey: true });
    fireEvent.click(screen.getByTestId("nav-generate"));
    expect((screen.getByTestId("prompt") as HTMLTextAreaElement).value).toBe("half-written idea");
    expect(screen.getByTestId("generate-screen").closest("[hidden]")).toBeNull();
    expect(callsTo(calls, "submit_job")).toEqual([]);
  });
});
