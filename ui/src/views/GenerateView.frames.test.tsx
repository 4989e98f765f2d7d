import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { callsOf, frameInfo, installBackend, refusal } from "../generate/testBackend";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";
import { GenerateView } from "./GenerateView";

type DragHandler = (event: { payload: unknown }) => void;
const webview = vi.hoisted(() => ({ handler: null as DragHandler | null, unlisten: vi.fn() }));
vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({
    onDragDropEvent: async (cb: DragHandler) => {
      webview.handler = cb;
      return webview.unlisten;
    },
  }),
}));

const WIDE = frameInfo("frame-wide", 1920, 1080);
const CLASSIC = frameInfo("frame-classic", 1600, 1200, { format: "PNG", file_bytes: 840_000 });
/** The files the window reported dropped, and the handles the backend gave them. */
const DROPPED: Record<string, string> = {
  "/pics/wide.jpg": WIDE.handle,
  "/pics/classic.png": CLASSIC.handle,
};

function zone(slot: "first" | "last") {
  return within(screen.getByTestId(`frame-${slot}`));
}

async function pick(slot: "first" | "last", handle: string) {
  backend.picks.push(handle);
  const label = slot === "first" ? /^First frame:/ : /^Last frame:/;
  fireEvent.click(screen.getByRole("button", { name: label }));
  await waitFor(() => expect(backend.picks).toEqual([]));
}

let backend: ReturnType<typeof installBackend>;

beforeEach(() => {
  webview.handler = null;
  webview.unlisten.mockReset();
  backend = installBackend({
    files: { [WIDE.handle]: WIDE, [CLASSIC.handle]: CLASSIC },
    plan: (paths) => {
      // Like the backend: the files a plan assigns must be ones the window reported dropped.
      if (!paths.slice(0, 2).every((p) => p in DROPPED))
        throw refusal("unknown_frame", "Not dropped.", "未拖入。");
      return {
        assignments: paths.slice(0, 2).map((p, i) => [i === 0 ? "first" : "last", DROPPED[p]]),
        ignored: paths.slice(2),
      };
    },
  });
});

describe("frame zones", () => {
  it("picking a file fills the zone with the thumbnail and its facts", async () => {
    renderWithI18n(<GenerateView />);
    await pick("first", WIDE.handle);
    const img = await zone("first").findByRole("img", { name: "First frame preview" });
    expect(img.getAttribute("src")).toBe(WIDE.thumbnail_data_url);
    expect(screen.getByTestId("frame-first-facts").textContent).toBe("1920×1080 · JPEG · 2.5 MB · 16:9");
    expect(callsOf(backend, "pick_frame")).toEqual([{ filterName: "Images" }]);
    expect(callsOf(backend, "inspect_frame")).toEqual([]);
    await waitFor(() =>
      expect(screen.getByTestId("mode-badge").textContent).toContain("First frame → video"),
    );
  });

  it("a cancelled picker leaves the frame as it was", async () => {
    renderWithI18n(<GenerateView />);
    await pick("first", WIDE.handle);
    await zone("first").findByRole("img", { name: "First frame preview" });
    fireEvent.click(screen.getByRole("button", { name: /^First frame:/ }));
    await waitFor(() => expect(callsOf(backend, "pick_frame")).toHaveLength(2));
    await waitFor(() => expect(zone("first").queryByRole("status")).toBeNull());
    expect(zone("first").getByRole("img").getAttribute("src")).toBe(WIDE.thumbnail_data_url);
    expect(zone("first").queryByRole("alert")).toBeNull();
  });

  it("a refused file shows its reason on that zone and changes nothing else", async () => {
    backend.files["/pics/notes.txt"] = refusal(
      "not_an_image",
      "This file is not an image.",
      "这个文件不是图片。",
    );
    renderWithI18n(<GenerateView />);
    await pick("first", WIDE.handle);
    await pick("last", CLASSIC.handle);
    fireEvent.change(screen.getByTestId("prompt"), { target: { value: "a fox runs" } });

    await pick("first", "/pics/notes.txt");
    expect((await zone("first").findByRole("alert")).textContent).toBe("This file is not an image.");
    expect(zone("first").getByRole("img").getAttribute("src")).toBe(WIDE.thumbnail_data_url);
    expect(zone("last").getByRole("img").getAttribute("src")).toBe(CLASSIC.thumbnail_data_url);
    expect(zone("last").queryByRole("alert")).toBeNull();
    expect((screen.getByTestId("prompt") as HTMLTextAreaElement).value).toBe("a fox runs");
  });

  it("a problem with a fix offers Fix, which swaps in the fixed copy", async () => {
    const huge = frameInfo("/pics/huge.jpg", 8000, 4500, {
      problems: [
        {
          kind: "too_large",
          message: verbatim("8000 px is over the 6000 px limit.", "8000 像素超过 6000 像素上限。"),
          fix: { type: "downscale", max_side: 6000 },
        },
        {
          kind: "file_too_big",
          message: verbatim("No fix here.", "无法修复。"),
          fix: null,
        },
      ],
    });
    backend.files[huge.handle] = huge;
    renderWithI18n(<GenerateView />);
    await pick("first", huge.handle);
    expect(await zone("first").findByText("8000 px is over the 6000 px limit.")).toBeTruthy();
    expect(zone("first").getAllByRole("button", { name: "Fix" })).toHaveLength(1);

    fireEvent.click(zone("first").getByRole("button", { name: "Fix" }));
    await waitFor(() =>
      expect(callsOf(backend, "fix_frame")).toEqual([
        { handle: huge.handle, fix: { type: "downscale", max_side: 6000 } },
      ]),
    );
    await waitFor(() =>
      expect(screen.getByTestId("frame-first-facts").textContent).toContain("6000×3375 · PNG"),
    );
    expect(zone("first").getByText(/fixed copy is used/)).toBeTruthy();
    expect(zone("first").queryByRole("button", { name: "Fix" })).toBeNull();
  });

  it("swap moves the frame to the other zone and clear empties it", async () => {
    renderWithI18n(<GenerateView />);
    const swap = screen.getByRole("button", { name: "Swap first and last frame" }) as HTMLButtonElement;
    expect(swap.disabled).toBe(true);
    await pick("first", WIDE.handle);
    await zone("first").findByRole("img");
    expect(swap.disabled).toBe(false);

    fireEvent.click(swap);
    expect(zone("first").queryByRole("img")).toBeNull();
    expect(zone("last").getByRole("img").getAttribute("src")).toBe(WIDE.thumbnail_data_url);
    expect(screen.getByTestId("frame-last-facts").textContent).toContain("1920×1080");

    fireEvent.click(zone("last").getByRole("button", { name: "Clear Last frame" }));
    expect(zone("last").queryByRole("img")).toBeNull();
    expect(swap.disabled).toBe(true);
    await waitFor(() => {
      const last = callsOf(backend, "check_request").at(-1)?.draft as {
        first_frame: unknown;
        last_frame: unknown;
      };
      expect([last.first_frame, last.last_frame]).toEqual([null, null]);
    });
  });
});

describe("aspect mismatch", () => {
  it("warns for different ratios and the crop flow calls crop_frame and replaces the last frame", async () => {
    renderWithI18n(<GenerateView />);
    await pick("first", WIDE.handle);
    await pick("last", CLASSIC.handle);
    const warning = await screen.findByTestId("mismatch-warning");
    expect(warning.textContent).toContain("The last frame has a different shape.");

    fireEvent.click(within(warning).getByRole("button", { name: "Crop last frame to match" }));
    const dialogBox = await screen.findByRole("dialog", { name: "Crop the last frame to 16:9" });
    const box = await within(dialogBox).findByTestId("crop-window");
    // 1600×1200 cut to 16:9 keeps the full width, 900 px of height, centred: 150 px from the top.
    expect(box.style.top).toBe("12.5%");
    expect(box.style.height).toBe("75%");

    fireEvent.change(within(dialogBox).getByLabelText("Crop position"), { target: { value: "-1" } });
    await waitFor(() => expect(box.style.top).toBe("0%"));

    fireEvent.click(within(dialogBox).getByRole("button", { name: "Apply crop" }));
    await waitFor(() =>
      expect(callsOf(backend, "crop_frame")).toEqual([
        { handle: CLASSIC.handle, targetRatio: 1920 / 1080, offset: -1 },
      ]),
    );
    await waitFor(() =>
      expect(screen.getByTestId("frame-last-facts").textContent).toContain("1600×900 · PNG"),
    );
    await waitFor(() => expect(screen.queryByTestId("mismatch-warning")).toBeNull());
    expect(zone("first").getByRole("img").getAttribute("src")).toBe(WIDE.thumbnail_data_url);
  });

  it("a failed crop keeps the crop open and says why on the last zone", async () => {
    backend.cropped = () => {
      throw refusal("crop_failed", "Could not write the cropped copy.", "无法写入裁剪后的副本。");
    };
    renderWithI18n(<GenerateView />);
    await pick("first", WIDE.handle);
    await pick("last", CLASSIC.handle);
    fireEvent.click(await screen.findByRole("button", { name: "Crop last frame to match" }));
    fireEvent.click(await screen.findByRole("button", { name: "Apply crop" }));
    expect((await zone("last").findByRole("alert")).textContent).toBe("Could not write the cropped copy.");
    expect(screen.getByRole("dialog")).toBeTruthy();
    expect(zone("last").getByRole("img").getAttribute("src")).toBe(CLASSIC.thumbnail_data_url);
  });

  it("Keep as is hides the warning for this pair; Cancel leaves frames alone", async () => {
    renderWithI18n(<GenerateView />);
    await pick("first", WIDE.handle);
    await pick("last", CLASSIC.handle);
    const warning = await screen.findByTestId("mismatch-warning");
    fireEvent.click(within(warning).getByRole("button", { name: "Crop last frame to match" }));
    fireEvent.click(await screen.findByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    fireEvent.click(within(warning).getByRole("button", { name: "Keep as is" }));
    expect(screen.queryByTestId("mismatch-warning")).toBeNull();
    expect(callsOf(backend, "crop_frame")).toHaveLength(0);
  });
});

describe("drag and drop", () => {
  it("two dropped files fill first then last, as planned by the backend", async () => {
    const { unmount } = renderWithI18n(<GenerateView />);
    await waitFor(() => expect(webview.handler).not.toBeNull());
    await act(async () => {
      webview.handler?.({
        payload: { type: "drop", paths: ["/pics/wide.jpg", "/pics/classic.png"], position: { x: 5, y: 5 } },
      });
    });
    await waitFor(() =>
      expect(zone("last").getByRole("img").getAttribute("src")).toBe(CLASSIC.thumbnail_data_url),
    );
    expect(zone("first").getByRole("img").getAttribute("src")).toBe(WIDE.thumbnail_data_url);
    const plan = callsOf(backend, "plan_frame_drop")[0];
    expect(plan.paths).toEqual(["/pics/wide.jpg", "/pics/classic.png"]);
    expect(callsOf(backend, "inspect_frame").map((a) => a.handle)).toEqual([WIDE.handle, CLASSIC.handle]);
    expect((plan.zones as unknown[]).length).toBe(2);
    expect([plan.firstFilled, plan.lastFilled, plan.scaleFactor]).toEqual([
      false,
      false,
      window.devicePixelRatio,
    ]);

    unmount();
    expect(webview.unlisten).toHaveBeenCalledTimes(1);
  });

  it("highlights the zone under the cursor, converting physical to logical pixels", async () => {
    renderWithI18n(<GenerateView />);
    await waitFor(() => expect(webview.handler).not.toBeNull());
    const lastZone = screen.getByRole("button", { name: /^Last frame:/ });
    lastZone.getBoundingClientRect = () => ({ left: 400, top: 100, width: 300, height: 200 }) as DOMRect;
    vi.stubGlobal("devicePixelRatio", 2);
    try {
      act(() => webview.handler?.({ payload: { type: "over", position: { x: 1000, y: 400 } } }));
      expect(lastZone.className).toContain("drag-over");
      act(() => webview.handler?.({ payload: { type: "leave" } }));
      expect(lastZone.className).not.toContain("drag-over");
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("says how many extra dropped files were left out", async () => {
    renderWithI18n(<GenerateView />);
    await waitFor(() => expect(webview.handler).not.toBeNull());
    await act(async () => {
      webview.handler?.({
        payload: {
          type: "drop",
          paths: ["/pics/wide.jpg", "/pics/classic.png", "/c.png"],
          position: { x: 0, y: 0 },
        },
      });
    });
    expect(await screen.findByText(/1 extra file was ignored/)).toBeTruthy();
  });

  it("a drop the backend did not see (files the window never reported) fills nothing", async () => {
    renderWithI18n(<GenerateView />);
    await waitFor(() => expect(webview.handler).not.toBeNull());
    await act(async () => {
      webview.handler?.({
        payload: { type: "drop", paths: ["/home/me/.ssh/id_rsa"], position: { x: 5, y: 5 } },
      });
    });
    await waitFor(() => expect(callsOf(backend, "plan_frame_drop").length).toBe(1));
    expect(callsOf(backend, "inspect_frame")).toEqual([]);
    expect(zone("first").queryByRole("img")).toBeNull();
  });
});
