import { fireEvent, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import type { Problem, PromptStats } from "../bindings";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";
import { countChars, PromptBox } from "./PromptBox";

function Harness({ initial = "" }: { initial?: string }) {
  const [v, setV] = useState(initial);
  return <PromptBox value={v} onChange={setV} />;
}

const EMPTY: Problem = {
  kind: "empty_prompt",
  field: "prompt",
  msg: verbatim("The prompt is empty. Describe the video you want before generating.", "提示词为空。"),
};
const NO_STATS: PromptStats = {
  chars: 0,
  words: 0,
  over_limit: false,
  over_word_advice: false,
  mostly_cjk: false,
  flags: [],
};

/** The form's check says "empty" while the box is empty, as the backend does. */
function Untouched() {
  const [v, setV] = useState("");
  return <PromptBox value={v} onChange={setV} stats={NO_STATS} problems={v === "" ? [EMPTY] : []} />;
}

describe("PromptBox", () => {
  it("counts characters like the API (code points, not UTF-16 units or bytes)", () => {
    expect(countChars("女孩抱着狐狸")).toBe(6);
    expect(countChars("😀a")).toBe(2);
    expect(countChars("")).toBe(0);
  });

  it("updates the live counter and flags prompts over 2000 characters", () => {
    renderWithI18n(<Harness />);
    const box = screen.getByTestId("prompt");
    fireEvent.change(box, { target: { value: "女".repeat(2000) } });
    expect(screen.getByTestId("prompt-counter").textContent).toBe("2000 / 2000");
    expect(box.getAttribute("aria-invalid")).toBe("false");
    fireEvent.change(box, { target: { value: "女".repeat(2001) } });
    expect(screen.getByTestId("prompt-counter").textContent).toBe("2001 / 2000");
    expect(screen.getByTestId("prompt-counter").className).toContain("over");
    expect(box.getAttribute("aria-invalid")).toBe("true");
  });

  it("is labelled for screen readers in Chinese too", () => {
    renderWithI18n(<Harness />, "zh-CN");
    expect(screen.getByLabelText("提示词")).toBe(screen.getByTestId("prompt"));
  });

  const stats = (over: Partial<PromptStats>): PromptStats => ({ ...NO_STATS, ...over });

  it("warns, without refusing, when the prompt carries upstream flags", () => {
    renderWithI18n(
      <PromptBox
        value="a cat --duration 12 --rs 1080p"
        onChange={() => {}}
        stats={stats({ flags: ["--duration", "--resolution"] })}
      />,
    );
    const warning = screen.getByTestId("prompt-flags");
    expect(warning.textContent).toContain("--duration --resolution");
    expect(warning.textContent).toContain("bill");
    expect(screen.getByTestId("prompt").getAttribute("aria-invalid")).toBe("false");
  });

  it("warns about flags in Chinese too", () => {
    renderWithI18n(
      <PromptBox value="猫 --seed 3" onChange={() => {}} stats={stats({ flags: ["--seed"] })} />,
      "zh-CN",
    );
    expect(screen.getByTestId("prompt-flags").textContent).toContain("提示词中含有 --seed");
  });

  it("speaks of characters, not words, for a Chinese prompt past the advice", () => {
    const long = stats({ chars: 2000, words: 2000, over_word_advice: true, mostly_cjk: true });
    renderWithI18n(<PromptBox value={"猫".repeat(2000)} onChange={() => {}} stats={long} />, "zh-CN");
    const advice = screen.getByTestId("prompt-word-advice").textContent ?? "";
    expect(advice).toContain("2000 个字");
    expect(advice).not.toContain("个词");
  });

  it("does not call an untouched empty prompt a problem, but does once it was emptied", () => {
    renderWithI18n(<Untouched />);
    expect(screen.queryByTestId("problems-prompt")).toBeNull();
    const box = screen.getByTestId("prompt");
    fireEvent.change(box, { target: { value: "a" } });
    fireEvent.change(box, { target: { value: "" } });
    expect(screen.getByTestId("problems-prompt").textContent).toContain("The prompt is empty");
  });
});
