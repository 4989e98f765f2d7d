import { describe, expect, it } from "vitest";
import { commands } from "./bindings";
import { refusal } from "./generate/testBackend";
import { errorText, initI18n } from "./i18n";
import { type IpcError, ipc } from "./ipc";
import { mockBackend } from "./test-ipc";

const REFUSED = refusal(
  "name_taken",
  "A preset with this name exists. Choose another name.",
  "已有同名预设。请换一个名称。",
);

describe("ipc: the generated commands as promises", () => {
  it("offers every generated command", () => {
    expect(Object.keys(ipc).sort()).toEqual(Object.keys(commands).sort());
  });

  it("passes the arguments on and resolves to the command's answer", async () => {
    const calls = mockBackend({ rename_preset: ({ id, name }) => ({ id, name }) });
    await expect(ipc.renamePreset("p-1", "Dusk")).resolves.toEqual({ id: "p-1", name: "Dusk" });
    expect(calls).toContainEqual({ cmd: "rename_preset", args: { id: "p-1", name: "Dusk" } });
  });

  it("rejects with the backend's own error", async () => {
    mockBackend({
      rename_preset: () => {
        throw REFUSED;
      },
    });
    await expect(ipc.renamePreset("p-1", "Dusk")).rejects.toEqual(REFUSED);
  });

  it("turns a failure that is not the app's error into one that says what to do", async () => {
    mockBackend({
      delete_preset: () => {
        throw new Error("channel closed");
      },
    });
    const error = await ipc.deletePreset("p-1").then(
      () => null,
      (e: IpcError) => e,
    );
    expect(error?.kind).toBe("ipc_failed");
    const i18n = initI18n("en");
    expect(errorText(i18n.getFixedT("en"), error as IpcError)).toMatch(/Restart Seedance Studio/);
    expect(errorText(i18n.getFixedT("zh-CN"), error as IpcError)).toMatch(/重启/);
    // The technical cause is kept for the Details fold.
    expect(JSON.stringify(error)).toMatch(/channel closed/);
  });
});
