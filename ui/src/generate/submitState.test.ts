import { describe, expect, it } from "vitest";
import type { FrameProblem, Problem } from "../bindings";
import { type SubmitState, submitReason, submitState } from "./submitState";

const t = (key: string) => `t:${key}`;
const problem: Problem = {
  kind: "prompt_empty",
  field: "prompt",
  msg: { en: "Write a prompt.", zh: "写提示词。" },
};
const frameProblem: FrameProblem = {
  kind: "too_small",
  message: { en: "The first frame is too small.", zh: "首帧太小。" },
  fix: null,
};
const blocked = (block: Extract<SubmitState, { enabled: false }>["block"]): SubmitState => ({
  enabled: false,
  block,
});

describe("the reason a disabled Generate button gives", () => {
  it("is nothing while Generate can be pressed", () => {
    expect(submitReason({ enabled: true }, false, t, "en")).toBeNull();
  });

  it("names a form or frame problem in the UI's language", () => {
    expect(submitReason(blocked({ type: "problem", problem }), false, t, "en")).toBe("Write a prompt.");
    expect(submitReason(blocked({ type: "problem", problem }), false, t, "zh-CN")).toBe("写提示词。");
    expect(submitReason(blocked({ type: "frame_problem", problem: frameProblem }), false, t, "zh-CN")).toBe(
      "首帧太小。",
    );
  });

  it("says why nothing can be sent yet", () => {
    expect(submitReason(blocked({ type: "no_history" }), false, t, "en")).toBe("t:generate.needsHistory");
    expect(submitReason(blocked({ type: "no_token" }), false, t, "en")).toBe("t:generate.needsToken");
    expect(submitReason(blocked({ type: "checking" }), false, t, "en")).toBe("t:generate.checking");
  });

  it("tells a request on its way from a frame still being read", () => {
    expect(submitReason(blocked({ type: "busy" }), true, t, "en")).toBe("t:generate.sending");
    expect(submitReason(blocked({ type: "busy" }), false, t, "en")).toBe("t:generate.waitForFrame");
  });

  it("gives the first form problem before any other reason, as submitState decides", () => {
    const state = submitState({ problems: [problem] } as never, false, true, frameProblem, true);
    expect(submitReason(state, true, t, "en")).toBe("Write a prompt.");
  });
});
