import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Preset } from "../bindings";
import { ipcError, preset, VERTICAL } from "../presets/testPresets";
import { mockBackend } from "../test-ipc";
import { renderWithI18n } from "../test-utils";
import { PresetsView } from "./PresetsView";

const MINE = preset("p-1", "My vertical", { settings: { ratio: "9:16", duration: 8 } });
const OTHER = preset("p-2", "Square", { settings: { ratio: "1:1" }, prompt: "a cat" });

type Handler = (args: Record<string, unknown>) => unknown;

function backend(list: Preset[], more: Record<string, Handler> = {}) {
  const state = { list };
  const calls = mockBackend({ list_presets: () => state.list, ...more });
  return { calls, state, of: (cmd: string) => calls.filter((c) => c.cmd === cmd).map((c) => c.args) };
}

function row(name: string): HTMLElement {
  const el = screen
    .getAllByTestId("preset-row")
    .find((r) => within(r).queryByTestId("preset-name")?.textContent?.includes(name));
  if (!el) throw new Error(`no row ${name}`);
  return el;
}

function names(): string[] {
  return screen.getAllByTestId("preset-name").map((n) => n.textContent ?? "");
}

describe("Presets manager", () => {
  it("built-ins show a lock and their translated name, can be duplicated but not renamed or deleted", async () => {
    const b = backend([VERTICAL, MINE], {
      duplicate_preset: () => {
        b.state.list = [...b.state.list, preset("p-3", "Vertical 9:16 720p (copy)")];
        return b.state.list[2];
      },
    });
    renderWithI18n(<PresetsView />, "zh-CN");
    await screen.findAllByTestId("preset-row");
    const locked = row("竖屏 9:16 720p");
    expect(within(locked).getByRole("img", { name: "内置" })).toBeTruthy();
    expect(within(locked).queryByTestId("preset-delete")).toBeNull();
    expect(within(locked).queryByTestId("preset-rename")).toBeNull();
    expect(within(row("My vertical")).getByTestId("preset-delete")).toBeTruthy();

    fireEvent.click(within(locked).getByTestId("preset-duplicate"));
    await waitFor(() => expect(screen.getAllByTestId("preset-row")).toHaveLength(3));
    expect(b.of("duplicate_preset")).toEqual([{ id: VERTICAL.id }]);
  });

  it("renames inline and shows a refusal in the row", async () => {
    const b = backend([MINE], {
      rename_preset: ({ name }) => {
        if (name === "Square")
          throw ipcError("preset_name_taken", "The name Square is taken.", "名称已被使用。");
        b.state.list = [{ ...MINE, name: name as string }];
        return b.state.list[0];
      },
    });
    renderWithI18n(<PresetsView />);
    fireEvent.click(within(await screen.findByTestId("preset-row")).getByTestId("preset-rename"));
    const input = screen.getByTestId("preset-rename-input") as HTMLInputElement;
    expect(input.value).toBe("My vertical");
    fireEvent.change(input, { target: { value: "Square" } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect((await screen.findByRole("alert")).textContent).toContain("The name Square is taken.");
    fireEvent.change(input, { target: { value: "Tall" } });
    fireEvent.click(screen.getByTestId("preset-rename-ok"));
    await waitFor(() => expect(names()).toEqual(["Tall"]));
    expect(b.of("rename_preset")).toEqual([
      { id: "p-1", name: "Square" },
      { id: "p-1", name: "Tall" },
    ]);
  });

  it("deletes only after confirmation", async () => {
    const b = backend([MINE, OTHER], {
      delete_preset: ({ id }) => {
        b.state.list = b.state.list.filter((p) => p.id !== id);
        return null;
      },
    });
    renderWithI18n(<PresetsView />);
    await screen.findAllByTestId("preset-row");
    fireEvent.click(within(row("Square")).getByTestId("preset-delete"));
    expect(screen.getByTestId("confirm").textContent).toContain("Delete the preset “Square”?");
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    expect(screen.queryByTestId("confirm")).toBeNull();
    expect(b.of("delete_preset")).toEqual([]);

    fireEvent.click(within(row("Square")).getByTestId("preset-delete"));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(names()).toEqual(["My vertical"]));
    expect(b.of("delete_preset")).toEqual([{ id: "p-2" }]);
  });

  it("the star sets the default for new sessions and clears it on a second click", async () => {
    const b = backend([VERTICAL, MINE], {
      set_default_preset: ({ id }) => {
        b.state.list = b.state.list.map((p) => ({ ...p, is_default: p.id === id }));
        return null;
      },
    });
    renderWithI18n(<PresetsView />);
    await screen.findAllByTestId("preset-row");
    const star = () => within(row("My vertical")).getByTestId("preset-default");
    expect(star().getAttribute("aria-pressed")).toBe("false");
    fireEvent.click(star());
    await waitFor(() => expect(star().getAttribute("aria-pressed")).toBe("true"));
    fireEvent.click(star());
    await waitFor(() => expect(star().getAttribute("aria-pressed")).toBe("false"));
    expect(b.of("set_default_preset")).toEqual([{ id: "p-1" }, { id: null }]);
  });

  it("Move up and Move down reorder through the backend", async () => {
    const b = backend([VERTICAL, MINE, OTHER], {
      reorder_presets: ({ ids }) => {
        const order = ids as string[];
        b.state.list = order.map((id) => b.state.list.find((p) => p.id === id) as Preset);
        return b.state.list;
      },
    });
    renderWithI18n(<PresetsView />);
    await screen.findAllByTestId("preset-row");
    expect((within(row("Vertical")).getByTestId("preset-up") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(row("Square")).getByTestId("preset-up"));
    await waitFor(() => expect(names()).toEqual(["Vertical 9:16 720p", "Square", "My vertical"]));
    fireEvent.click(within(row("Vertical")).getByTestId("preset-down"));
    await waitFor(() => expect(names()).toEqual(["Square", "Vertical 9:16 720p", "My vertical"]));
    expect(b.of("reorder_presets")).toEqual([
      { ids: [VERTICAL.id, "p-2", "p-1"] },
      { ids: ["p-2", VERTICAL.id, "p-1"] },
    ]);
  });

  it("a bad import file shows why and changes nothing", async () => {
    const b = backend([MINE], {
      import_presets: () => {
        throw ipcError(
          "preset_import_wrong_format",
          "This file is not a Seedance Studio preset file. Choose a file exported from Presets.",
          "此文件不是 Seedance Studio 预设文件。请选择从“预设”导出的文件。",
        );
      },
    });
    renderWithI18n(<PresetsView />);
    await screen.findByTestId("preset-row");
    const listed = b.of("list_presets").length;
    fireEvent.click(screen.getByTestId("presets-import"));
    const error = await screen.findByTestId("presets-transfer-error");
    expect(error.textContent).toContain("not a Seedance Studio preset file");
    expect(b.of("import_presets")).toHaveLength(1);
    expect(names()).toEqual(["My vertical"]);
    expect(b.of("list_presets").length).toBe(listed);
  });

  it("a good import shows what came in and the new rows", async () => {
    const b = backend([MINE], {
      import_presets: () => {
        b.state.list = [...b.state.list, OTHER];
        return { imported: 1, names: ["Square"], frames: 0 };
      },
    });
    renderWithI18n(<PresetsView />);
    await screen.findByTestId("preset-row");
    fireEvent.click(screen.getByTestId("presets-import"));
    expect((await screen.findByTestId("presets-transfer-result")).textContent).toBe(
      "Imported 1 preset: Square.",
    );
    expect(names()).toEqual(["My vertical", "Square"]);
  });

  it("exports the selection or all, with or without frames (the backend asks where)", async () => {
    const b = backend([VERTICAL, MINE, OTHER], {
      export_presets: () => ({ presets: 2, frames: 0, missing_frames: ["Square"] }),
    });
    renderWithI18n(<PresetsView />);
    await screen.findAllByTestId("preset-row");
    const selected = screen.getByTestId("presets-export-selected") as HTMLButtonElement;
    expect(selected.disabled).toBe(true);
    // Ticked out of order; exported in the list's order.
    fireEvent.click(within(row("Square")).getByTestId("preset-select-row"));
    fireEvent.click(within(row("Vertical")).getByTestId("preset-select-row"));
    fireEvent.click(selected);
    expect((await screen.findByTestId("presets-transfer-result")).textContent).toContain(
      "Exported 2 presets.",
    );
    expect(screen.getByTestId("presets-missing-frames").textContent).toContain("Square");

    fireEvent.click(screen.getByTestId("presets-embed-frames"));
    fireEvent.click(screen.getByTestId("presets-export-all"));
    await waitFor(() => expect(b.of("export_presets")).toHaveLength(2));
    expect(b.of("export_presets")).toEqual([
      { selection: { kind: "ids", ids: [VERTICAL.id, "p-2"] }, embedFrames: true },
      { selection: { kind: "all_user_presets" }, embedFrames: false },
    ]);
  });

  it("a cancelled dialog exports or imports nothing and shows nothing", async () => {
    const b = backend([MINE], { export_presets: () => null, import_presets: () => null });
    renderWithI18n(<PresetsView />);
    await screen.findByTestId("preset-row");
    const listed = b.of("list_presets").length;
    fireEvent.click(screen.getByTestId("presets-export-all"));
    await waitFor(() => expect(b.of("export_presets")).toHaveLength(1));
    fireEvent.click(screen.getByTestId("presets-import"));
    await waitFor(() => expect(b.of("import_presets")).toHaveLength(1));
    await waitFor(() =>
      expect((screen.getByTestId("presets-import") as HTMLButtonElement).disabled).toBe(false),
    );
    expect(screen.queryByTestId("presets-transfer-result")).toBeNull();
    expect(screen.queryByTestId("presets-transfer-error")).toBeNull();
    expect(b.of("list_presets").length).toBe(listed);
  });
});
