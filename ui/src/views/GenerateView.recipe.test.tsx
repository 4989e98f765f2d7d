import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { RestoredRecipe } from "../bindings";
import { callsOf, frameInfo, installBackend, refusal } from "../generate/testBackend";
import { renderWithI18n } from "../test-utils";
import { GenerateView } from "./GenerateView";

type DragHandler = (event: { payload: unknown }) => void;
const webview = vi.hoisted(() => ({ handler: null as DragHandler | null }));
vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({
    onDragDropEvent: async (cb: DragHandler) => {
      webview.handler = cb;
      return () => undefined;
    },
  }),
}));

const SHORE = frameInfo("frame-shore", 1920, 1080);
const VIDEO = "/videos/2026-12-02 a kite over the dunes.mp4";

function restored(extra: Partial<RestoredRecipe> = {}): RestoredRecipe {
  return {
    draft: {
      prompt: "a kite over the dunes, 风筝",
      first_frame: SHORE.handle,
      last_frame: null,
      resolution: "480p",
      ratio: "9:16",
      duration: 8,
      generate_audio: false,
      camera_fixed: true,
      draft: false,
      watermark: false,
    },
    missing_frames: [],
    task_id: "cgt-1",
    app_version: "0.1.0",
    ...extra,
  };
}

let backend: ReturnType<typeof installBackend>;
let answer: () => RestoredRecipe;

beforeEach(() => {
  webview.handler = null;
  answer = () => restored();
  backend = installBackend({
    files: { [SHORE.handle]: SHORE },
    more: { list_presets: () => [], restore_dropped_video: () => answer() },
  });
});

async function dropVideo(path = VIDEO) {
  await waitFor(() => expect(webview.handler).not.toBeNull());
  await act(async () => {
    webview.handler?.({ payload: { type: "drop", paths: [path], position: { x: 5, y: 5 } } });
  });
}

const value = (label: string) => (screen.getByLabelText(label) as HTMLSelectElement).value;
const prompt = () => (screen.getByTestId("prompt") as HTMLTextAreaElement).value;

describe("dropping a video the app made", () => {
  it("fills the prompt, settings and frames from its recipe", async () => {
    renderWithI18n(<GenerateView />);
    await dropVideo();
    await waitFor(() => expect(prompt()).toBe("a kite over the dunes, 风筝"));
    expect(value("Aspect ratio")).toBe("9:16");
    expect(value("Duration")).toBe("8");
    const first = within(screen.getByTestId("frame-first"));
    await waitFor(() => expect(first.getByRole("img").getAttribute("src")).toBe(SHORE.thumbnail_data_url));
    expect(screen.getByTestId("video-recipe-restored").textContent).toContain("are in the form");
    expect(callsOf(backend, "restore_dropped_video")).toEqual([{ path: VIDEO }]);
    expect(callsOf(backend, "plan_frame_drop")).toEqual([]);
  });

  it("names the frames that are no longer on this computer", async () => {
    answer = () => restored({ draft: { ...restored().draft, first_frame: null }, missing_frames: ["first"] });
    renderWithI18n(<GenerateView />);
    await dropVideo("/videos/CLIP.MOV");
    const notice = await screen.findByTestId("video-recipe-restored");
    expect(notice.textContent).toContain("its first frame is no longer on this computer");
    expect(prompt()).toBe("a kite over the dunes, 风筝");
    expect(within(screen.getByTestId("frame-first")).queryByRole("img")).toBeNull();
  });

  it("a video without a recipe leaves the form as it was and says why", async () => {
    answer = () => {
      throw refusal("recipe_none", "This video carries no recipe.", "该视频不含配方。");
    };
    renderWithI18n(<GenerateView />);
    fireEvent.change(screen.getByTestId("prompt"), { target: { value: "my own words" } });
    await dropVideo();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("This video carries no recipe.");
    expect(alert.getAttribute("data-kind")).toBe("recipe_none");
    expect(prompt()).toBe("my own words");
    expect(screen.queryByTestId("video-recipe-restored")).toBeNull();
  });

  it("pictures are still frames: an image drop is planned as before", async () => {
    renderWithI18n(<GenerateView />);
    await waitFor(() => expect(webview.handler).not.toBeNull());
    await act(async () => {
      webview.handler?.({ payload: { type: "drop", paths: ["/pics/a.png"], position: { x: 5, y: 5 } } });
    });
    await waitFor(() => expect(callsOf(backend, "plan_frame_drop")).toHaveLength(1));
    expect(callsOf(backend, "restore_dropped_video")).toEqual([]);
  });
});
