import { fireEvent, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { renderWithI18n } from "../test-utils";
import { countChars, PromptBox } from "./PromptBox";

function Harness({ initial = "" }: { initial?: string }) {
  const [v, setV] = useState(initial);
  return <PromptBox value={v} onChange={setV} />;
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
});
