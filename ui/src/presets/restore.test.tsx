import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../App";
import type { RequestDraft } from "../bindings";
import { okCheck } from "../generate/testBackend";
import { mockBackend, PREFS } from "../test-ipc";
import { renderWithI18n } from "../test-utils";
import { appliedFrom, preset, VERTICAL } from "./testPresets";

vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({ onDragDropEvent: async () => () => undefined }),
}));

const LAST: RequestDraft = {
  prompt: "the tide comes in",
  first_frame: "/home/me/shore.png",
  last_frame: null,
  resolution: "1080p",
  ratio: "21:9",
  duration: -1,
  generate_audio: false,
  camera_fixed: true,
  draft: false,
  watermark: false,
};
const prefsWithLast = () => ({ ...PREFS, prefs: { ...PREFS.prefs, last_request: LAST } });
const check = ({ draft }: Record<string, unknown>) => okCheck(draft as RequestDraft);
const value = (label: string) => (screen.getByLabelText(label) as HTMLSelectElement).value;

describe("start-up restore of the Generate form", () => {
  it("applies the default preset, once, and shows it as the active one", async () => {
    const start = preset("p-1", "My vertical", {
      is_default: true,
      prompt: "she turns to the camera",
      settings: { ratio: "9:16", duration: 8 },
    });
    const calls = mockBackend({
      list_presets: () => [VERTICAL, start],
      apply_preset: () => appliedFrom(start),
      get_preferences: prefsWithLast,
      check_request: check,
    });
    renderWithI18n(<App />);
    await waitFor(() => expect(value("Aspect ratio")).toBe("9:16"));
    expect(value("Duration")).toBe("8");
    expect((screen.getByTestId("prompt") as HTMLTextAreaElement).value).toBe("she turns to the camera");
    expect((screen.getByTestId("preset-select") as HTMLSelectElement).value).toBe("p-1");
    expect(screen.queryByTestId("preset-modified")).toBeNull();

    // Visiting another screen and coming back restores nothing again.
    fireEvent.click(screen.getByTestId("nav-presets"));
    await screen.findByTestId("presets-screen");
    fireEvent.click(screen.getByTestId("nav-generate"));
    await screen.findByTestId("generate-screen");
    expect(calls.filter((c) => c.cmd === "apply_preset")).toEqual([
      { cmd: "apply_preset", args: { id: "p-1" } },
    ]);
  });

  it("without a default, the settings and prompt last submitted come back, the frames do not", async () => {
    const calls = mockBackend({
      list_presets: () => [VERTICAL],
      get_preferences: prefsWithLast,
      check_request: check,
    });
    renderWithI18n(<App />);
    await waitFor(() => expect(value("Aspect ratio")).toBe("21:9"));
    expect(value("Resolution")).toBe("1080p");
    expect(value("Duration")).toBe("-1");
    expect((screen.getByLabelText("Audio") as HTMLInputElement).checked).toBe(false);
    expect((screen.getByLabelText("Fixed camera") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId("prompt") as HTMLTextAreaElement).value).toBe("the tide comes in");
    expect((screen.getByTestId("preset-select") as HTMLSelectElement).value).toBe("");
    expect(calls.some((c) => c.cmd === "inspect_frame" || c.cmd === "apply_preset")).toBe(false);
  });
});
