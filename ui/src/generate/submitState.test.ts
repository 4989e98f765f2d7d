import { describe, expect, it } from "vitest";
import type { FrameProblem, Problem } from "../bindings";
import { verbatim } from "../testMessages";
import { type SubmitState, submitReason, submitState } from "./submitState";

/** Keys as `t:key`; a backend message (`msg.text`) as its words in the language. */
const stub =
  (language: "en" | "zh") =>
  (key: string, values?: Record<string, string | number>): string =>
    key === "msg.text" && values ? String(values[language]) : `t:${key}`;
const t = stub("en");
const tZh = stub("zh");
const problem: Problem = {
  kind: "prompt_empty",
  field: "prompt",
  msg: verbatim("Write a prompt.", "写提示词。"),
};
const frameProblem: FrameProblem = {
  kind: "too_small",
  message: verbatim("The first frame is too small.", "首帧太小。"),
  fix: null,
};
const blocked = (block: Extract<SubmitState, { enabled: false }>["block"]): SubmitState => ({
  enabled: false,
  block,
});

describe("the reason a disabled Generate button gives", () => {
  it("is nothing while Generate can be pressed", () => {
    expect(submitReason({ enabled: true }, false, t)).toBeNull();
  });

  it("names a form or frame problem in the UI's language", () => {
    expect(submitReason(blocked({ type: "problem", problem }), false, t)).toBe("Write a prompt.");
    expect(submitReason(blocked({ type: "problem", problem }), false, tZh)).toBe("写提示词。");
    expect(submitReason(blocked({ type: "frame_problem", problem: frameProblem }), false, tZh)).toBe(
      "首帧太小。",
    );
  });

  it("says why nothing can be sent yet", () => {
    expect(submitReason(blocked({ type: "no_history" }), false, t)).toBe("t:generate.needsHistory");
    expect(submitReason(blocked({ type: "no_token" }), false, t)).toBe("t:generate.needsToken");
    expect(submitReason(blocked({ type: "checking" }), false, t)).toBe("t:generate.checking");
  });

  it("tells a request on its way from a frame still being read", () => {
    expect(submitReason(blocked({ type: "busy" }), true, t)).toBe("t:generate.sending");
    expect(submitReason(blocked({ type: "busy" }), false, t)).toBe("t:generate.waitForFrame");
  });

  it("gives the first form problem before any other reason, as submitState decides", () => {
    const state = submitState({ problems: [problem] } as never, false, true, frameProblem, true);
    expect(submitReason(state, true, t)).toBe("Write a prompt.");
  });
});
