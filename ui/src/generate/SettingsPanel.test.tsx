import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { FORM_OPTIONS } from "../bindings";
import { renderWithI18n } from "../test-utils";
import { SettingsPanel } from "./SettingsPanel";

// FORM_OPTIONS is generated from Rust (`FormOptions::current`) and kept fresh by the `bindings_fresh` test, so
// a panel that matches it matches the backend: a setting, option or default added there shows up here or fails.
const defaults = { ...FORM_OPTIONS.defaults };

function values(testId: string): string[] {
  const select = screen.getByTestId(testId) as HTMLSelectElement;
  return Array.from(select.options).map((o) => o.value);
}

describe("settings panel", () => {
  it("offers exactly the backend's options, starting at its defaults", () => {
    renderWithI18n(<SettingsPanel settings={defaults} problems={[]} onChange={() => undefined} />);
    expect(values("resolution")).toEqual(FORM_OPTIONS.resolutions);
    expect(values("ratio")).toEqual(FORM_OPTIONS.ratios);
    const seconds = [];
    for (let s = FORM_OPTIONS.duration_min; s <= FORM_OPTIONS.duration_max; s++) seconds.push(String(s));
    expect(values("duration")).toEqual([String(FORM_OPTIONS.duration_auto), ...seconds]);
    expect((screen.getByTestId("resolution") as HTMLSelectElement).value).toBe(
      FORM_OPTIONS.defaults.resolution,
    );
    expect((screen.getByTestId("ratio") as HTMLSelectElement).value).toBe(FORM_OPTIONS.defaults.ratio);
    expect((screen.getByTestId("duration") as HTMLSelectElement).value).toBe(
      String(FORM_OPTIONS.defaults.duration),
    );
  });

  it("has one labelled checkbox per on/off setting, in both languages", () => {
    const switches = Object.entries(FORM_OPTIONS.defaults).filter(([, v]) => typeof v === "boolean");
    expect(switches.length).toBeGreaterThan(0);
    const english: Record<string, string> = {};
    for (const lng of ["en", "zh-CN"] as const) {
      const { unmount } = renderWithI18n(
        <SettingsPanel settings={defaults} problems={[]} onChange={() => undefined} />,
        lng,
      );
      const area = screen.getByTestId("settings-area");
      const boxes = within(area).getAllByRole("checkbox") as HTMLInputElement[];
      expect(boxes.map((b) => b.name).sort()).toEqual(switches.map(([k]) => k).sort());
      for (const [key, on] of switches) {
        const box = boxes.find((b) => b.name === key) as HTMLInputElement;
        expect(box.checked, key).toBe(on);
        const label = box.closest("label")?.textContent ?? "";
        // A missing translation shows as its key ("generate.loopVideo").
        expect(label, `${lng} ${key}`).not.toMatch(/^$|^[\w-]+\.[\w.]+$/);
        // Chinese falls back to English: a label the same in both was not translated.
        if (lng === "en") english[key] = label;
        else expect(label, key).not.toBe(english[key]);
      }
      unmount();
    }
  });
});
