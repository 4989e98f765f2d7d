import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../App";
import type { Estimate, RequestDraft } from "../bindings";
import { okCheck } from "../generate/testBackend";
import { callsTo, job, jobsBackend } from "../jobs/testJobs";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";
import { SAME_PRESS_MS } from "./GenerateView";

vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({ onDragDropEvent: async () => () => undefined }),
}));
vi.mock("../jobs/video", () => ({
  useVideoUrl: () => ({ url: null, failed: false }),
}));

const ESTIMATE: Estimate = {
  width: 1280,
  height: 720,
  tokens_min: 108_900,
  tokens_max: 108_900,
  cost_min: 0.26,
  cost_max: 0.26,
  currency: "CNY",
  draft_lower: false,
  approximate: false,
};

function generateButton() {
  return screen.getByTestId("generate-button") as HTMLButtonElement;
}

async function typePrompt(text: string) {
  fireEvent.change(await screen.findByTestId("prompt"), { target: { value: text } });
  await waitFor(() => expect(generateButton().disabled).toBe(false));
}

function ctrlEnter(repeat = false) {
  window.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, repeat, bubbles: true }));
}

/** submit_job answers only when the test says so, like a backend reading frames. */
function slowSubmit() {
  const pending: (() => void)[] = [];
  const handler = (args: Record<string, unknown>) =>
    new Promise((resolve) => {
      const draft = args.draft as RequestDraft;
      pending.push(() => resolve(job(`j${pending.length}`, { status: "uploading", prompt: draft.prompt })));
    });
  const answerAll = () => {
    for (const answer of pending.splice(0)) answer();
  };
  return { handler, answerAll };
}

describe("an accidental repeat of Generate", () => {
  it("two clicks in the same frame send one request", async () => {
    const backend = slowSubmit();
    const calls = jobsBackend({ submit_job: backend.handler });
    renderWithI18n(<App />);
    await typePrompt("a fox in the snow");
    // Both clicks land before React re-renders the button as disabled.
    act(() => {
      generateButton().click();
      generateButton().click();
    });
    await waitFor(() => expect(generateButton().disabled).toBe(true));
    generateButton().click();
    backend.answerAll();
    await waitFor(() => expect(generateButton().disabled).toBe(false));
    expect(callsTo(calls, "submit_job")).toHaveLength(1);
  });

  it("the second click of a double click counts for nothing, even once the first is answered", async () => {
    const backend = slowSubmit();
    const calls = jobsBackend({ submit_job: backend.handler });
    renderWithI18n(<App />);
    await typePrompt("a fox in the snow");
    fireEvent.click(generateButton(), { detail: 1 });
    backend.answerAll();
    await waitFor(() => expect(generateButton().disabled).toBe(false));
    fireEvent.click(generateButton(), { detail: 2 });
    await act(async () => undefined);
    expect(callsTo(calls, "submit_job")).toHaveLength(1);
    // A single click soon after (a double click the system did not count as one) is still the same press.
    fireEvent.click(generateButton(), { detail: 1 });
    await act(async () => undefined);
    expect(callsTo(calls, "submit_job")).toHaveLength(1);
    // A new single click a moment later is a new press.
    const now = performance.now();
    const later = vi.spyOn(performance, "now").mockReturnValue(now + SAME_PRESS_MS + 1);
    fireEvent.click(generateButton(), { detail: 1 });
    later.mockRestore();
    await waitFor(() => expect(callsTo(calls, "submit_job")).toHaveLength(2));
  });

  it("Ctrl+Enter twice at once, or held down, sends one request", async () => {
    const backend = slowSubmit();
    const calls = jobsBackend({ submit_job: backend.handler });
    renderWithI18n(<App />);
    await typePrompt("a fox in the snow");
    act(() => {
      ctrlEnter();
      ctrlEnter();
    });
    backend.answerAll();
    await waitFor(() => expect(generateButton().disabled).toBe(false));
    // The key is still held: its repeats arrive after the answer, with the button enabled again.
    act(() => {
      ctrlEnter(true);
      ctrlEnter(true);
    });
    ctrlEnter(true);
    await act(async () => undefined);
    expect(callsTo(calls, "submit_job")).toHaveLength(1);
    expect(callsTo(calls, "submit_job")[0].intended).toBe(false);
  });

  it("a repeat the backend refuses asks first, with the cost, and a confirmation sends it as intended", async () => {
    const calls = jobsBackend({
      check_request: (args) => ({ ...okCheck(args.draft as RequestDraft), estimate: ESTIMATE }),
      submit_job: (args) => {
        if (!args.intended) {
          throw {
            kind: "duplicate_submission",
            message: verbatim(
              "You sent this same request with the same frames 4 s ago, so it was not sent again.",
              "您在 4 秒前已发送过相同的请求和相同的帧，因此这次没有再次发送。",
            ),
            details: JSON.stringify({ job_id: "first", stored_at: 1, seconds_ago: 4 }),
          };
        }
        return job("second", { status: "uploading", prompt: (args.draft as RequestDraft).prompt });
      },
    });
    renderWithI18n(<App />);
    await typePrompt("a fox in the snow");
    fireEvent.click(generateButton());

    const confirm = await screen.findByTestId("repeat-confirm");
    expect(within(confirm).getByRole("alertdialog").textContent).toContain("Generate the same video again?");
    expect(within(confirm).getByText(/4 s ago/)).toBeTruthy();
    expect(within(confirm).getByTestId("repeat-cost").textContent).toBe(
      "Another one costs about 108\u00a0900 tokens ≈ ¥0.26.",
    );
    expect(screen.queryByTestId("submit-error")).toBeNull();
    // The safe choice has the focus.
    expect(document.activeElement).toBe(within(confirm).getByTestId("confirm-cancel"));

    fireEvent.click(within(confirm).getByTestId("confirm-ok"));
    await waitFor(() => expect(screen.queryByTestId("repeat-confirm")).toBeNull());
    const sent = callsTo(calls, "submit_job");
    expect(sent.map((a) => a.intended)).toEqual([false, true]);
    expect(sent[1].draft).toEqual(sent[0].draft);
    expect(sent[1].tokensEstimate).toBe(108_900);
  });

  it("cancelling the question sends nothing more", async () => {
    const calls = jobsBackend({
      submit_job: () => {
        throw {
          kind: "duplicate_submission",
          message: verbatim("duplicate", "重复"),
          details: JSON.stringify({ job_id: "first", stored_at: 1, seconds_ago: 2 }),
        };
      },
    });
    renderWithI18n(<App />);
    await typePrompt("a fox");
    fireEvent.click(generateButton());
    const confirm = await screen.findByTestId("repeat-confirm");
    expect(within(confirm).getByTestId("repeat-cost").textContent).toBe(
      "Another one is paid for like the first.",
    );
    fireEvent.click(within(confirm).getByTestId("confirm-cancel"));
    expect(screen.queryByTestId("repeat-confirm")).toBeNull();
    expect(callsTo(calls, "submit_job")).toHaveLength(1);
  });
});
