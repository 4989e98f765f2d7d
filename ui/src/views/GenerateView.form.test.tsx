import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Estimate, FormCheck, RequestDraft } from "../bindings";
import { callsOf, frameInfo, installBackend, okCheck, refusal } from "../generate/testBackend";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";
import { GenerateView } from "./GenerateView";

vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({ onDragDropEvent: async () => () => undefined }),
}));

const EMPTY_PROMPT = {
  kind: "empty_prompt",
  field: "prompt" as const,
  msg: verbatim("Write a prompt first.", "请先填写提示词。"),
};
const BAD_DURATION = {
  kind: "duration_out_of_range",
  field: "duration" as const,
  msg: verbatim("Pick 4 to 12 seconds or Auto.", "请选择 4 到 12 秒或自动。"),
};

function estimate(extra: Partial<Estimate> = {}): Estimate {
  return {
    width: 1280,
    height: 720,
    tokens_min: 108_900,
    tokens_max: 108_900,
    cost_min: 0.26136,
    cost_max: 0.26136,
    currency: "CNY",
    draft_lower: false,
    approximate: false,
    ...extra,
  };
}

function checkWith(extra: Partial<FormCheck>) {
  return (draft: RequestDraft): FormCheck => ({ ...okCheck(draft), ...extra });
}

/** Collapses the no-break spaces used for digit grouping so assertions read naturally. */
function text(el: HTMLElement): string {
  return (el.textContent ?? "").replace(/\u00a0/g, " ");
}

describe("form check", () => {
  it("shows each problem beside its control and disables Generate with the first one as the reason", async () => {
    installBackend({ check: checkWith({ problems: [EMPTY_PROMPT, BAD_DURATION] }) });
    renderWithI18n(<GenerateView />);
    // An empty prompt is only called a problem once the user has written in the box.
    await screen.findByTestId("problems-duration");
    expect(screen.queryByTestId("problems-prompt")).toBeNull();
    fireEvent.change(screen.getByTestId("prompt"), { target: { value: "a" } });
    fireEvent.change(screen.getByTestId("prompt"), { target: { value: "" } });
    const promptProblems = await screen.findByTestId("problems-prompt");
    expect(promptProblems.textContent).toBe("Write a prompt first.");
    expect(promptProblems.closest(".prompt")).toBe(screen.getByTestId("prompt").closest(".prompt"));
    const durationProblems = screen.getByTestId("problems-duration");
    expect(durationProblems.closest(".setting")?.contains(screen.getByLabelText("Duration"))).toBe(true);
    expect(screen.getByLabelText("Duration").getAttribute("aria-invalid")).toBe("true");

    const button = screen.getByTestId("generate-button") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(screen.getByTestId("submit-reason").textContent).toBe("Write a prompt first.");
  });

  it("without a token and outside demo mode, Generate says how to get one", async () => {
    const backend = installBackend();
    renderWithI18n(<GenerateView />);
    await waitFor(() => expect(callsOf(backend, "check_request").length).toBeGreaterThan(0));
    await waitFor(() =>
      expect(screen.getByTestId("submit-reason").textContent).toBe(
        "Add your API token in Settings, or try demo mode.",
      ),
    );
    expect((screen.getByTestId("generate-button") as HTMLButtonElement).disabled).toBe(true);
  });

  it("Ctrl+Enter and the button submit the current draft once submission is allowed", async () => {
    installBackend();
    const onSubmit = vi.fn();
    renderWithI18n(<GenerateView canSubmit onSubmit={onSubmit} />);
    fireEvent.change(screen.getByTestId("prompt"), { target: { value: "a fox runs" } });
    await waitFor(() =>
      expect((screen.getByTestId("generate-button") as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.keyDown(screen.getByTestId("prompt"), { key: "Enter", ctrlKey: true });
    fireEvent.click(screen.getByTestId("generate-button"));
    expect(onSubmit).toHaveBeenCalledTimes(2);
    expect(onSubmit.mock.calls[0][0]).toMatchObject({ prompt: "a fox runs", duration: 5, first_frame: null });
  });

  it("Batch of this form hands the form as it stands to the Batch screen", async () => {
    installBackend();
    const onBatch = vi.fn();
    renderWithI18n(<GenerateView canSubmit onBatch={onBatch} />);
    fireEvent.change(screen.getByTestId("prompt"), { target: { value: "a fox runs" } });
    fireEvent.click(screen.getByTestId("generate-to-batch"));
    expect(onBatch).toHaveBeenCalledTimes(1);
    expect(onBatch.mock.calls[0][0]).toMatchObject({ prompt: "a fox runs", duration: 5, first_frame: null });
  });

  it("the counter and the word hint come from the check", async () => {
    const backend = installBackend({
      check: checkWith({
        prompt: {
          chars: 42,
          words: 612,
          over_limit: false,
          over_word_advice: true,
          mostly_cjk: false,
          flags: [],
        },
      }),
    });
    renderWithI18n(<GenerateView />);
    fireEvent.change(screen.getByTestId("prompt"), { target: { value: "女孩抱着狐狸" } });
    await waitFor(() => expect(screen.getByTestId("prompt-counter").textContent).toBe("42 / 2000"));
    expect(screen.getByTestId("prompt-word-advice").textContent).toContain("612 words");
    await waitFor(() =>
      expect(callsOf(backend, "check_request").at(-1)?.draft).toMatchObject({ prompt: "女孩抱着狐狸" }),
    );
  });

  it("draft switches to 480p, locks the resolution and says so", async () => {
    const backend = installBackend();
    renderWithI18n(<GenerateView />);
    const resolution = screen.getByLabelText("Resolution") as HTMLSelectElement;
    expect(resolution.value).toBe("720p");
    fireEvent.click(screen.getByLabelText("Draft (480p)"));
    expect(resolution.value).toBe("480p");
    expect(resolution.disabled).toBe(true);
    expect(screen.getByText("Draft uses 480p")).toBeTruthy();
    await waitFor(() =>
      expect(callsOf(backend, "check_request").at(-1)?.draft).toMatchObject({
        draft: true,
        resolution: "480p",
      }),
    );
  });
});

describe("estimate line", () => {
  it("shows size, tokens and cost", async () => {
    installBackend({ check: checkWith({ estimate: estimate() }) });
    renderWithI18n(<GenerateView />);
    await waitFor(() =>
      expect(text(screen.getByTestId("estimate"))).toContain("1280×720 · 108 900 tokens ≈ ¥0.26"),
    );
  });

  it("shows a range for Auto duration, dollars, and marks drafts and guessed sizes", async () => {
    installBackend({
      check: checkWith({
        estimate: estimate({
          width: 2206,
          height: 946,
          tokens_min: 87_300,
          tokens_max: 260_100,
          cost_min: 0.1,
          cost_max: 0.3,
          currency: "USD",
          draft_lower: true,
          approximate: true,
        }),
      }),
    });
    renderWithI18n(<GenerateView />);
    await waitFor(() =>
      expect(text(screen.getByTestId("estimate"))).toContain(
        "≈ 2206×946 · 87 300–260 100 tokens ≈ $0.10–$0.30",
      ),
    );
    expect(text(screen.getByTestId("estimate"))).toContain("lower for drafts");
  });

  it("shows tokens only when no rate is set", async () => {
    installBackend({ check: checkWith({ estimate: estimate({ cost_min: null, cost_max: null }) }) });
    renderWithI18n(<GenerateView />);
    await waitFor(() => expect(text(screen.getByTestId("estimate"))).toMatch(/108 900 tokens$/));
  });
});

describe("Chinese UI", () => {
  it("labels, problems, refusals and the estimate are in Chinese", async () => {
    const backend = installBackend({
      check: checkWith({ problems: [EMPTY_PROMPT], estimate: estimate() }),
      files: { "/图片/坏.jpg": refusal("corrupt_image", "The image is damaged.", "图片已损坏，请换一张。") },
    });
    renderWithI18n(<GenerateView />, "zh-CN");
    expect(screen.getByLabelText("提示词")).toBe(screen.getByTestId("prompt"));
    expect(screen.getByLabelText("分辨率")).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("submit-reason").textContent).toBe("请先填写提示词。"));
    expect(text(screen.getByTestId("estimate"))).toContain("108 900 token ≈ ¥0.26");

    backend.picks.push("/图片/坏.jpg");
    fireEvent.click(screen.getByRole("button", { name: /^首帧：/ }));
    const alert = await within(screen.getByTestId("frame-first")).findByRole("alert");
    expect(alert.textContent).toBe("图片已损坏，请换一张。");
    expect(callsOf(backend, "pick_frame")).toEqual([{ filterName: "图片" }]);
    await waitFor(() => expect(screen.getByTestId("mode-badge").textContent).toContain("文字 → 视频"));
  });

  it("frame facts and the fixed-copy note read naturally", async () => {
    const info = frameInfo("/p/a.webp", 1080, 1920, { format: "WebP", file_bytes: 512_000 });
    installBackend({ files: { [info.handle]: info }, picks: [info.handle] });
    renderWithI18n(<GenerateView />, "zh-CN");
    fireEvent.click(screen.getByRole("button", { name: /^尾帧：/ }));
    await waitFor(() =>
      expect(screen.getByTestId("frame-last-facts").textContent).toBe("1080×1920 · WebP · 512 kB · 9:16"),
    );
    expect(screen.getByRole("img", { name: "尾帧预览" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "清除尾帧" })).toBeTruthy();
  });
});
