import { describe, expect, it } from "vitest";
import { verbatim } from "../testMessages";
import { formatBytes, formatMoney, groupThousands } from "./format";
import { submitState } from "./submitState";

describe("display formatting", () => {
  it("groups thousands and sizes files", () => {
    expect(groupThousands(108_900)).toBe("108\u00a0900");
    expect(groupThousands(999)).toBe("999");
    expect(formatBytes(2_516_582)).toBe("2.5 MB");
    // The same unit as the backend's messages: a 41 000 000-byte file is 41.0 MB everywhere, not 39.1.
    expect(formatBytes(41_000_000)).toBe("41.0 MB");
    expect(formatBytes(67_000)).toBe("67 kB");
    expect(formatBytes(900)).toBe("900 B");
    expect(formatBytes(null)).toBeNull();
  });

  it("uses the currency's symbol when it has a common one", () => {
    expect(formatMoney(0.26136, "CNY")).toBe("¥0.26");
    expect(formatMoney(1.5, "USD")).toBe("$1.50");
    expect(formatMoney(2, "EUR")).toBe("2.00 EUR");
  });
});

describe("submitState", () => {
  const prompt = {
    chars: 3,
    words: 1,
    over_limit: false,
    over_word_advice: false,
    mostly_cjk: false,
    flags: [],
  };
  const problem = { kind: "empty_prompt", field: "prompt" as const, msg: verbatim("x", "x") };

  it("blocks on the first problem before anything else", () => {
    const check = { problems: [problem], mode: null, prompt, estimate: null };
    expect(submitState(check, true)).toEqual({ enabled: false, block: { type: "problem", problem } });
  });

  it("is enabled only with a clean check and submission allowed", () => {
    const check = { problems: [], mode: "text_to_video" as const, prompt, estimate: null };
    expect(submitState(check, false)).toEqual({ enabled: false, block: { type: "no_token" } });
    expect(submitState(null, true)).toEqual({ enabled: false, block: { type: "checking" } });
    expect(submitState(check, true, true)).toEqual({ enabled: false, block: { type: "busy" } });
    expect(submitState(check, true)).toEqual({ enabled: true });
    const small = {
      kind: "too_small" as const,
      message: verbatim("Too small.", "太小。"),
      fix: { type: "upscale" as const, min_side: 300 },
    };
    expect(submitState(check, true, false, small)).toEqual({
      enabled: false,
      block: { type: "frame_problem", problem: small },
    });
  });
});
