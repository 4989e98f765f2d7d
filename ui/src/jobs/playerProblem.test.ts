import { describe, expect, it } from "vitest";
import en from "../i18n/en.json";
import zh from "../i18n/zh-CN.json";
import { platformOf, playerProblemKey } from "./playerProblem";

function text(dict: unknown, key: string): string {
  const value = key.split(".").reduce<unknown>((node, k) => (node as Record<string, unknown>)?.[k], dict);
  if (typeof value !== "string") throw new Error(`no text for ${key}`);
  return value;
}

describe("player error mapping", () => {
  it("a missing decoder on Linux names GStreamer's H.264 decoder and its package, in both languages", () => {
    for (const code of [3, 4]) {
      const key = playerProblemKey(code, "linux");
      for (const dict of [en, zh]) {
        const message = text(dict, key);
        expect(message).toContain("gstreamer1.0-libav");
        expect(message).toContain("H.264");
        expect(message).toContain("GStreamer");
      }
    }
  });

  it("elsewhere it says the system cannot decode the video, without Linux packages", () => {
    for (const platform of ["macos", "windows", "other"] as const) {
      for (const code of [3, 4]) {
        const key = playerProblemKey(code, platform);
        for (const dict of [en, zh]) {
          expect(text(dict, key)).not.toContain("gstreamer");
          expect(text(dict, key)).toContain("H.264");
        }
      }
    }
  });

  it("every failure points to the system player", () => {
    for (const platform of ["linux", "macos", "windows", "other"] as const) {
      for (const code of [null, undefined, 1, 2, 3, 4, 99]) {
        const key = playerProblemKey(code, platform);
        expect(text(en, key)).toMatch(/system player/);
        expect(text(zh, key)).toContain("系统播放器");
      }
    }
  });

  it("a source that stopped answering is not blamed on a decoder", () => {
    expect(playerProblemKey(2, "linux")).toBe("jobs.player.unreadable");
    expect(text(en, "jobs.player.unreadable")).not.toContain("decoder");
  });

  it("tells the OS from the webview's user agent", () => {
    expect(
      platformOf(
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0",
      ),
    ).toBe("linux");
    expect(platformOf("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15")).toBe("macos");
    expect(platformOf("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/120.0")).toBe(
      "windows",
    );
    expect(platformOf("")).toBe("other");
  });
});
