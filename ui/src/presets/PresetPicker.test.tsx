import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Preset } from "../bindings";
import { callsOf, installBackend } from "../generate/testBackend";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";
import { GenerateView } from "../views/GenerateView";
import { appliedFrom, DRAFT, ipcError, preset, VERTICAL } from "./testPresets";

vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({ onDragDropEvent: async () => () => undefined }),
}));

/** A backend holding `list`; apply answers from it, save appends. */
function withPresets(list: Preset[], more: Record<string, (args: Record<string, never>) => unknown> = {}) {
  let stored = list;
  return installBackend({
    more: {
      list_presets: () => stored,
      apply_preset: ({ id }) => {
        const found = stored.find((p) => p.id === id);
        if (!found) throw ipcError("preset_not_found", "Preset gone.", "预设不存在。");
        return appliedFrom(found);
      },
      save_preset: ({ name, draft }: Record<string, never>) => {
        const saved = preset("new-1", name, { settings: draft });
        stored = [...stored, saved];
        return saved;
      },
      ...more,
    },
  });
}

const select = () => screen.getByTestId("preset-select") as HTMLSelectElement;
const ratio = () => screen.getByLabelText("Aspect ratio") as HTMLSelectElement;
const duration = () => screen.getByLabelText("Duration") as HTMLSelectElement;

async function choose(id: string) {
  await waitFor(() => expect(within(select()).queryByRole("option", { name: /Vertical/ })).not.toBeNull());
  fireEvent.change(select(), { target: { value: id } });
}

describe("preset picker on Generate", () => {
  it("applies a preset, says (modified) after a change, and reverts to it", async () => {
    const backend = withPresets([DRAFT, VERTICAL]);
    renderWithI18n(<GenerateView />);
    await choose(VERTICAL.id);
    await waitFor(() => expect(ratio().value).toBe("9:16"));
    expect(callsOf(backend, "apply_preset")).toEqual([{ id: VERTICAL.id }]);
    expect(select().value).toBe(VERTICAL.id);
    expect(screen.queryByTestId("preset-modified")).toBeNull();
    // Built-ins show a lock and can't be updated in place.
    expect(within(select()).getByRole("option", { name: "🔒 Vertical 9:16 720p" })).toBeTruthy();
    expect(screen.queryByTestId("preset-update")).toBeNull();

    fireEvent.change(duration(), { target: { value: "8" } });
    expect(screen.getByTestId("preset-modified").textContent).toBe("(modified)");

    fireEvent.click(screen.getByTestId("preset-reapply"));
    await waitFor(() => expect(duration().value).toBe("5"));
    expect(screen.queryByTestId("preset-modified")).toBeNull();
    expect(callsOf(backend, "apply_preset")).toHaveLength(2);
  });

  it("keeps the typed prompt for a settings-only preset and replaces it for one with a prompt", async () => {
    const withPrompt = preset("p-1", "Fox", { prompt: "a fox runs", settings: { ratio: "1:1" } });
    withPresets([VERTICAL, withPrompt]);
    renderWithI18n(<GenerateView />);
    const prompt = screen.getByTestId("prompt") as HTMLTextAreaElement;
    fireEvent.change(prompt, { target: { value: "my own words" } });
    await choose(VERTICAL.id);
    await waitFor(() => expect(ratio().value).toBe("9:16"));
    expect(prompt.value).toBe("my own words");
    // The prompt of a settings-only preset is not the preset's business: no "(modified)".
    expect(screen.queryByTestId("preset-modified")).toBeNull();

    fireEvent.change(select(), { target: { value: "p-1" } });
    await waitFor(() => expect(prompt.value).toBe("a fox runs"));
    expect(ratio().value).toBe("1:1");
    fireEvent.change(prompt, { target: { value: "a fox walks" } });
    expect(screen.getByTestId("preset-modified")).toBeTruthy();
  });

  it("translates built-in names", async () => {
    withPresets([VERTICAL]);
    renderWithI18n(<GenerateView />, "zh-CN");
    await waitFor(() =>
      expect(within(select()).queryByRole("option", { name: "🔒 竖屏 9:16 720p" })).not.toBeNull(),
    );
  });

  it("Save as new preset sends the form with the chosen parts and shows the backend's refusal", async () => {
    let taken = true;
    const backend = withPresets([VERTICAL], {
      save_preset: ({ name, draft }: Record<string, never>) => {
        if (taken)
          throw ipcError("preset_name_taken", "A preset named Mine exists.", "已有名为 Mine 的预设。");
        return preset("new-1", name, { settings: draft, prompt: "waves" });
      },
    });
    renderWithI18n(<GenerateView />);
    fireEvent.change(screen.getByTestId("prompt"), { target: { value: "waves" } });
    fireEvent.change(ratio(), { target: { value: "4:3" } });
    fireEvent.click(screen.getByTestId("preset-save-new"));
    const ok = screen.getByTestId("save-preset-ok") as HTMLButtonElement;
    expect(ok.disabled).toBe(true);
    // Without a frame there is nothing to include.
    expect((screen.getByTestId("save-preset-frames") as HTMLInputElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId("save-preset-name"), { target: { value: "  Mine " } });
    fireEvent.click(screen.getByTestId("save-preset-prompt"));
    fireEvent.click(ok);
    expect((await screen.findByTestId("save-preset-error")).textContent).toContain(
      "A preset named Mine exists.",
    );
    const [args] = callsOf(backend, "save_preset");
    expect(args).toMatchObject({
      name: "Mine",
      includePrompt: true,
      includeFrames: false,
      draft: { prompt: "waves", ratio: "4:3", first_frame: null },
    });

    taken = false;
    fireEvent.click(ok);
    await waitFor(() => expect(screen.queryByTestId("save-preset-form")).toBeNull());
    expect(callsOf(backend, "save_preset")).toHaveLength(2);
  });

  it("after saving, the new preset is the active one and Update sends the changed form", async () => {
    const mine = preset("p-9", "Mine", { settings: { ratio: "4:3" } });
    const backend = withPresets([VERTICAL, mine], { update_preset: () => mine });
    renderWithI18n(<GenerateView />);
    await choose("p-9");
    await waitFor(() => expect(ratio().value).toBe("4:3"));
    fireEvent.change(ratio(), { target: { value: "21:9" } });
    expect(screen.getByTestId("preset-modified")).toBeTruthy();
    fireEvent.click(screen.getByTestId("preset-update"));
    await screen.findByTestId("preset-updated");
    expect(callsOf(backend, "update_preset")).toEqual([
      {
        id: "p-9",
        draft: expect.objectContaining({ ratio: "21:9" }),
        includePrompt: false,
        includeFrames: false,
      },
    ]);
    expect(screen.queryByTestId("preset-modified")).toBeNull();
  });

  it("a preset whose frame is gone says so and loads the rest", async () => {
    const broken = preset("p-2", "Shot", { first_frame: "/presets/a.png", settings: { ratio: "16:9" } });
    const backend = withPresets([broken], {
      apply_preset: () => ({
        ...appliedFrom(broken),
        draft: { ...appliedFrom(broken).draft, first_frame: null },
        problems: [
          {
            kind: "preset_frame_missing",
            field: "first_frame",
            msg: verbatim(
              "The preset's first frame is missing. Choose a frame, then Update preset.",
              "预设的首帧已丢失。请选择一张帧图，然后更新预设。",
            ),
          },
        ],
      }),
    });
    renderWithI18n(<GenerateView />);
    await waitFor(() => expect(within(select()).queryByRole("option", { name: "Shot" })).not.toBeNull());
    fireEvent.change(select(), { target: { value: "p-2" } });
    expect((await screen.findByTestId("preset-problems")).textContent).toContain("first frame is missing");
    expect(ratio().value).toBe("16:9");
    expect(callsOf(backend, "inspect_frame")).toEqual([]);
  });
});
