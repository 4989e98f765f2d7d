import { mockIPC } from "@tauri-apps/api/mocks";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "./App";
import { errorText, systemLanguage } from "./i18n";
import { renderWithI18n } from "./test-utils";

const INFO = {
  version: "0.1.0",
  data_dir: "/home/me/.local/share/seedance",
  api_base: "https://api.sinancode.com/",
  upload_base: "https://files-api.sinancode.com/",
};

describe("App shell", () => {
  it("opens on Generate with both frame slots and reaches Jobs and Settings", async () => {
    mockIPC((cmd) => {
      if (cmd === "app_info") return INFO;
      throw new Error(`unexpected command ${cmd}`);
    });
    renderWithI18n(<App />);
    expect(screen.getByTestId("generate-screen")).toBeTruthy();
    expect(screen.getByTestId("frame-first")).toBeTruthy();
    expect(screen.getByTestId("frame-last")).toBeTruthy();
    expect((screen.getByTestId("generate-button") as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByTestId("nav-jobs"));
    expect(screen.getByTestId("jobs-screen")).toBeTruthy();
    expect(screen.queryByTestId("generate-screen")).toBeNull();

    fireEvent.click(screen.getByTestId("nav-settings"));
    await waitFor(() => expect(screen.getByTestId("app-version").textContent).toBe("0.1.0"));
    expect(screen.getByText(INFO.data_dir)).toBeTruthy();
  });

  it("shows a backend error in the user's language", async () => {
    mockIPC(() => {
      throw { kind: "config_no_data_dir", message: "No data folder.", message_zh: "没有数据文件夹。" };
    });
    renderWithI18n(<App />, "zh-CN");
    fireEvent.click(screen.getByTestId("nav-settings"));
    const alert = await screen.findByRole("alert");
    expect(alert.getAttribute("data-kind")).toBe("config_no_data_dir");
    expect(alert.textContent).toContain("没有数据文件夹。");
  });

  it("switching language re-renders every label", () => {
    mockIPC(() => INFO);
    renderWithI18n(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    fireEvent.change(screen.getByTestId("language"), { target: { value: "zh-CN" } });
    expect(screen.getByTestId("nav-generate").textContent).toContain("生成");
  });
});

describe("i18n helpers", () => {
  it("follows the system language, falling back to English", () => {
    expect(systemLanguage(["zh-TW", "en"])).toBe("zh-CN");
    expect(systemLanguage(["fr-FR", "en-GB"])).toBe("en");
    expect(systemLanguage(["de"])).toBe("en");
  });
  it("picks the message for the language", () => {
    const e = { message: "A", message_zh: "甲" };
    expect(errorText(e, "zh-CN")).toBe("甲");
    expect(errorText(e, "en")).toBe("A");
  });
});
