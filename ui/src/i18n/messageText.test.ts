import { describe, expect, it } from "vitest";
import type { Message } from "../bindings";
import { verbatim } from "../testMessages";
import { initI18n, messageText } from ".";

const i18n = initI18n("en");
const en = i18n.getFixedT("en");
const zh = i18n.getFixedT("zh-CN");

describe("a backend message in the UI's language", () => {
  it("fills its placeholders from the catalog of the language shown", () => {
    const m: Message = { key: "generate.dropIgnored", args: { count: 2 } };
    expect(messageText(en, m)).toBe("2 extra files were ignored: only a first and a last frame are used.");
    expect(messageText(zh, m)).toContain("2");
    expect(messageText(zh, m)).not.toContain("ignored");
  });

  it("picks the plural form by count, as the backend's own rendering does", () => {
    const one: Message = { key: "generate.dropIgnored", args: { count: 1 } };
    expect(messageText(en, one)).toBe("1 extra file was ignored: only a first and a last frame are used.");
  });

  it("renders a nested message and a list in the same language, a list one per line", () => {
    const lines: Message = {
      key: "msg.lines",
      args: { items: [verbatim("One.", "一。"), verbatim("Two.", "二。")] },
    };
    expect(messageText(en, lines)).toBe("One.\nTwo.");
    expect(messageText(zh, lines)).toBe("一。\n二。");
  });

  it("does not read braces inside a value as a placeholder", () => {
    expect(messageText(en, verbatim("Unknown placeholder {{foo}}.", "未知占位符 {{foo}}。"))).toBe(
      "Unknown placeholder {{foo}}.",
    );
  });
});
