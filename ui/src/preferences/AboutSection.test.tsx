import { fireEvent, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { INFO, mockBackend } from "../test-ipc";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";
import { AboutSection } from "./AboutSection";

const clipboard = vi.hoisted(() => ({ writeText: vi.fn(async (_text: string) => undefined) }));
vi.mock("@tauri-apps/plugin-clipboard-manager", () => clipboard);

const REPORT = "Seedance Studio diagnostics\nSeedance Studio: 0.1.0 (abc123def456)\n";

beforeEach(() => clipboard.writeText.mockClear());

describe("Settings → About", () => {
  it("shows the version with the build's commit", () => {
    mockBackend();
    renderWithI18n(<AboutSection info={INFO} />);
    expect(screen.getByTestId("app-version").textContent).toBe("0.1.0");
    expect(screen.getByTestId("app-commit").textContent).toBe("abc123def456");
  });

  it("copies the backend's diagnostics text to the clipboard and says so", async () => {
    const calls = mockBackend({ diagnostics: () => REPORT });
    renderWithI18n(<AboutSection info={INFO} />);
    fireEvent.click(screen.getByTestId("copy-diagnostics"));
    await waitFor(() => expect(clipboard.writeText).toHaveBeenCalledWith(REPORT));
    expect(screen.getByTestId("diagnostics-copied")).toBeTruthy();
    expect(calls.filter((c) => c.cmd === "diagnostics")).toHaveLength(1);
  });

  it("opens the log folder through the backend, and shows why when it cannot", async () => {
    let fail = false;
    const calls = mockBackend({
      open_log_folder: () => {
        if (fail)
          throw {
            kind: "open_failed",
            message: verbatim(
              "The system could not open the folder /x/logs.",
              "系统无法打开文件夹 /x/logs。",
            ),
            details: null,
            cause: "no file manager",
          };
        return null;
      },
    });
    renderWithI18n(<AboutSection info={INFO} />);
    fireEvent.click(screen.getByTestId("open-logs"));
    await waitFor(() => expect(calls.filter((c) => c.cmd === "open_log_folder")).toHaveLength(1));
    expect(screen.queryByRole("alert")).toBeNull();
    fail = true;
    fireEvent.click(screen.getByTestId("open-logs"));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("could not open the folder"));
  });
});
