import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "./App";
import { applyAppearance } from "./appearance";
import type { RequestDraft } from "./bindings";
import { okCheck } from "./generate/testBackend";
import { errorText, initI18n, LANGUAGES, systemLanguage } from "./i18n";
import { INFO, mockBackend, PREFS, session } from "./test-ipc";
import { renderWithI18n } from "./test-utils";
import { verbatim } from "./testMessages";

describe("App shell", () => {
  it("opens on Generate and reaches Jobs and Settings", async () => {
    mockBackend({
      check_request: () => ({ problems: [], mode: "text_to_video", prompt: { chars: 0 }, estimate: null }),
    });
    renderWithI18n(<App />);
    expect(await screen.findByTestId("generate-screen")).toBeTruthy();
    expect(screen.getByTestId("frame-first")).toBeTruthy();
    expect(screen.getByTestId("frame-last")).toBeTruthy();

    fireEvent.click(screen.getByTestId("nav-jobs"));
    expect(screen.getByTestId("jobs-screen")).toBeTruthy();
    // Generate is kept (hidden) behind the other screens so its form is not lost.
    expect(screen.getByTestId("generate-screen").closest("[hidden]")).not.toBeNull();

    fireEvent.click(screen.getByTestId("nav-settings"));
    await waitFor(() => expect(screen.getByTestId("app-version").textContent).toBe("0.1.0"));
    expect(screen.getByText(INFO.data_dir)).toBeTruthy();
    expect(screen.getByTestId("token-status").textContent).toContain("abcd");
    // Under the "API token" heading the field says what it is for, not the heading again.
    expect(screen.getByLabelText("Replace with a new token")).toBe(screen.getByTestId("token-input"));
  });

  it("shows a backend error in the user's language", async () => {
    mockBackend({
      get_preferences: () => ({ ...PREFS, prefs: { ...PREFS.prefs, language: "zh-CN" } }),
      app_info: () => {
        throw {
          kind: "config_no_data_dir",
          message: verbatim("No data folder.", "没有数据文件夹。"),
          details: null,
          cause: null,
        };
      },
    });
    renderWithI18n(<App />, "zh-CN");
    fireEvent.click(screen.getByTestId("nav-settings"));
    const alert = await screen.findByRole("alert");
    expect(alert.getAttribute("data-kind")).toBe("config_no_data_dir");
    expect(alert.textContent).toContain("没有数据文件夹。");
  });
});

describe("first run", () => {
  it("without a token shows the welcome; demo mode is one click in and one click out", async () => {
    const calls = mockBackend({
      get_session: () =>
        session({ needs_setup: true, token: { ...session().token, set: false, last4: null, source: null } }),
      enter_demo: () => session({ demo: true, needs_setup: false }),
      open_token_help: () => null,
      leave_demo: () => session({ needs_setup: true }),
      check_request: () => ({ problems: [], mode: "text_to_video", prompt: { chars: 0 }, estimate: null }),
    });
    renderWithI18n(<App />);
    fireEvent.click(await screen.findByTestId("token-help"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "open_token_help")).toBe(true));
    fireEvent.click(await screen.findByTestId("try-demo"));
    expect(await screen.findByTestId("demo-badge")).toBeTruthy();
    expect(await screen.findByTestId("generate-screen")).toBeTruthy();
    expect(calls.some((c) => c.cmd === "enter_demo")).toBe(true);

    fireEvent.click(screen.getByTestId("leave-demo"));
    expect(await screen.findByTestId("welcome-screen")).toBeTruthy();
    expect(screen.queryByTestId("demo-badge")).toBeNull();
  });

  it("saving a token sends it once, clears the field, and only the last 4 characters come back", async () => {
    const calls = mockBackend({
      get_session: () =>
        session({ needs_setup: true, token: { ...session().token, set: false, last4: null } }),
      save_token: () => session({ token: { ...session().token, last4: "9xyz" } }),
      check_request: () => ({ problems: [], mode: "text_to_video", prompt: { chars: 0 }, estimate: null }),
    });
    renderWithI18n(<App />);
    const input = (await screen.findByTestId("token-input")) as HTMLInputElement;
    expect(input.type).toBe("password");
    fireEvent.change(input, { target: { value: "sk-secret-9xyz" } });
    fireEvent.click(screen.getByTestId("token-save"));
    await waitFor(() => expect(screen.queryByTestId("welcome-screen")).toBeNull());
    expect(calls.filter((c) => c.cmd === "save_token")).toEqual([
      { cmd: "save_token", args: { token: "sk-secret-9xyz" } },
    ]);
    fireEvent.click(screen.getByTestId("nav-settings"));
    const field = (await screen.findByTestId("token-input")) as HTMLInputElement;
    expect(field.value).toBe("");
    expect(screen.getByTestId("token-status").textContent).toContain("9xyz");
  });

  it("testing a token shows the backend's verdict", async () => {
    mockBackend({
      test_token: () => ({
        outcome: { outcome: "rejected" },
        message: verbatim("The token was refused.", "令牌被拒绝。"),
      }),
    });
    renderWithI18n(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    fireEvent.change(await screen.findByTestId("token-input"), { target: { value: "bad" } });
    fireEvent.click(screen.getByTestId("token-test"));
    const verdict = await screen.findByTestId("token-check");
    expect(verdict.getAttribute("data-outcome")).toBe("rejected");
    expect(verdict.textContent).toBe("The token was refused.");
  });

  it("an unexpected answer is told in words, its raw text only behind Details", async () => {
    mockBackend({
      test_token: () => ({
        outcome: { outcome: "unexpected", detail: "file error: Connection reset by peer (os error 104)" },
        message: verbatim("The token check got an answer Seedance Studio did not expect.", "意外的答复。"),
      }),
    });
    renderWithI18n(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    fireEvent.click(await screen.findByTestId("token-test"));
    const verdict = await screen.findByTestId("token-check");
    expect(verdict.textContent).not.toContain("os error");
    expect(screen.getByTestId("error-cause").textContent).toContain("os error 104");
  });
});

describe("settings", () => {
  it("saves edited preferences and applies the language", async () => {
    const calls = mockBackend({
      save_preferences: (args) => ({ ...PREFS, prefs: (args as { prefs: typeof PREFS.prefs }).prefs }),
    });
    renderWithI18n(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    fireEvent.change(await screen.findByTestId("file-name-pattern"), { target: { value: "{id}_{prompt}" } });
    fireEvent.change(screen.getByTestId("language"), { target: { value: "zh-CN" } });
    fireEvent.change(screen.getByTestId("max-jobs"), { target: { value: "2" } });
    fireEvent.click(screen.getByTestId("settings-save"));
    await waitFor(() => expect(screen.getByTestId("nav-generate").textContent).toContain("生成"));
    const saved = calls.find((c) => c.cmd === "save_preferences")?.args as { prefs: typeof PREFS.prefs };
    expect(saved.prefs.file_name_pattern).toBe("{id}_{prompt}");
    expect(saved.prefs.language).toBe("zh-CN");
    expect(saved.prefs.max_concurrent_jobs).toBe(2);
  });

  it("offers the system language and every shipped one, each by its own name", async () => {
    mockBackend({});
    renderWithI18n(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    const menu = (await screen.findByTestId("language")) as HTMLSelectElement;
    const options = [...menu.options];
    expect(options.map((o) => o.value)).toEqual(["system", ...LANGUAGES]);
    for (const o of options) expect(o.textContent).not.toContain("settings.languages");
    expect(new Set(options.map((o) => o.textContent)).size).toBe(options.length);
  });

  it("shows every validation problem and keeps the form", async () => {
    mockBackend({
      save_preferences: () => {
        throw {
          kind: "invalid_preferences",
          message: verbatim("Unknown placeholder {foo}.", "未知占位符 {foo}。"),
          details: null,
          cause: null,
        };
      },
    });
    renderWithI18n(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    fireEvent.change(await screen.findByTestId("file-name-pattern"), { target: { value: "{foo}" } });
    fireEvent.click(screen.getByTestId("settings-save"));
    expect((await screen.findByRole("alert")).textContent).toContain("Unknown placeholder {foo}.");
    expect((screen.getByTestId("file-name-pattern") as HTMLInputElement).value).toBe("{foo}");
  });
});

describe("token hosts", () => {
  it("Settings names the hosts besides SinanCode the user agreed to send the token to", async () => {
    mockBackend({
      get_session: () =>
        session({
          token: {
            ...session().token,
            bound_hosts: ["https://proxy.example.com", "https://files.example.net"],
          },
        }),
    });
    renderWithI18n(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    const hosts = await screen.findByTestId("token-hosts");
    expect(hosts.textContent).toContain("https://proxy.example.com, https://files.example.net");
  });

  it("shows nothing about hosts while the token goes only to SinanCode", async () => {
    mockBackend({});
    renderWithI18n(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    await screen.findByTestId("token-status");
    expect(screen.queryByTestId("token-hosts")).toBeNull();
  });
});

describe("i18n helpers", () => {
  it("follows the system language, falling back to English", () => {
    expect(systemLanguage(["zh-TW", "en"])).toBe("zh-CN");
    expect(systemLanguage(["fr-FR", "en-GB"])).toBe("en");
    expect(systemLanguage(["de"])).toBe("en");
  });
  it("shows a language tag this build does not ship in the system language", () => {
    const i18n = initI18n("zh-CN");
    applyAppearance({ language: "fr", theme: "system" }, i18n);
    expect(i18n.language).toBe(systemLanguage());
    applyAppearance({ language: "zh-CN", theme: "system" }, i18n);
    expect(i18n.language).toBe("zh-CN");
  });
  it("picks the message for the language", () => {
    const e = { message: verbatim("A", "甲") };
    const i18n = initI18n("en");
    expect(errorText(i18n.getFixedT("zh-CN"), e)).toBe("甲");
    expect(errorText(i18n.getFixedT("en"), e)).toBe("A");
  });
});

describe("job database problem", () => {
  it("is shown on every screen when the database could not be opened", async () => {
    mockBackend({
      get_session: () =>
        session({
          store_problem: {
            kind: "store_newer_version",
            message: verbatim(
              "The job database was written by a newer version.",
              "任务数据库由更新的版本写入。",
            ),
            details: null,
            cause: null,
          },
        }),
      check_request: () => ({ problems: [], mode: "text_to_video", prompt: { chars: 0 }, estimate: null }),
    });
    renderWithI18n(<App />);
    const banner = await screen.findByTestId("store-problem");
    expect(banner.textContent).toContain("newer version");
    expect(banner.textContent).toContain("live generation is off");
    fireEvent.click(screen.getByTestId("nav-settings"));
    expect(screen.getByTestId("store-problem")).toBeTruthy();
  });

  it("keeps Generate off for live jobs and says why, while demo mode still generates", async () => {
    const problem = {
      kind: "store_cannot_open",
      message: verbatim("The job database cannot be opened.", "无法打开任务数据库。"),
      details: null,
      cause: "unable to open database file",
    };
    const backend = (demo: boolean) =>
      mockBackend({
        get_session: () => session({ demo, store_problem: problem }),
        check_request: (args) => okCheck(args.draft as RequestDraft),
      });
    backend(false);
    const live = renderWithI18n(<App />);
    fireEvent.change(await screen.findByTestId("prompt"), { target: { value: "a fox in the snow" } });
    await waitFor(() =>
      expect(screen.getByTestId("submit-reason").textContent).toContain("live generation is off"),
    );
    expect((screen.getByTestId("generate-button") as HTMLButtonElement).disabled).toBe(true);
    live.unmount();

    backend(true);
    renderWithI18n(<App />);
    fireEvent.change(await screen.findByTestId("prompt"), { target: { value: "a fox in the snow" } });
    await waitFor(() =>
      expect((screen.getByTestId("generate-button") as HTMLButtonElement).disabled).toBe(false),
    );
  });
});
