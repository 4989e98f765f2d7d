import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../App";
import type { RequestDraft, SpendQuestion } from "../bindings";
import { callsTo, job, jobsBackend } from "../jobs/testJobs";
import { PREFS } from "../test-ipc";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";

vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({ onDragDropEvent: async () => () => undefined }),
}));
vi.mock("../jobs/video", () => ({
  grabLastFrame: vi.fn(),
  useVideoUrl: () => ({ url: null, failed: false }),
}));

const DAY = verbatim(
  "This would take today's spend past your limit of 200000 tokens: 150000 tokens (0.36 CNY) are already spent or on their way, and this job is estimated at up to 108900 tokens (0.26 CNY).",
  "这会使今日花费超过您设定的 200000 tokens 上限：已花费或即将发送 150000 tokens（0.36 CNY），此任务预计最多 108900 tokens（0.26 CNY）。",
);

const QUESTION: SpendQuestion = {
  breaches: [
    {
      period: "day",
      limit: 200_000,
      spent: { tokens: 150_000, cost: 0.36, jobs: 1 },
      estimate: { tokens: 108_900, cost: 0.26, jobs: 1 },
      message: DAY,
    },
  ],
};

function spendLimit() {
  return {
    kind: "spend_limit",
    message: verbatim("Past the limit.", "超过上限。"),
    details: JSON.stringify(QUESTION),
    cause: null,
  };
}

function generateButton() {
  return screen.getByTestId("generate-button") as HTMLButtonElement;
}

async function typePrompt(text: string) {
  fireEvent.change(await screen.findByTestId("prompt"), { target: { value: text } });
  await waitFor(() => expect(generateButton().disabled).toBe(false));
}

describe("a job past a spend limit", () => {
  it("asks first, stating the limit, the spend so far and this job; Generate anyway sends it with the yes", async () => {
    const calls = jobsBackend({
      submit_job: (args) => {
        if (!args.spendConfirmed) throw spendLimit();
        return job("j1", { status: "uploading", prompt: (args.draft as RequestDraft).prompt });
      },
    });
    renderWithI18n(<App />);
    await typePrompt("a fox in the snow");
    fireEvent.click(generateButton());

    const confirm = await screen.findByTestId("spend-confirm");
    expect(within(confirm).getByRole("alertdialog").textContent).toContain(
      "Past your spend limit. Generate anyway?",
    );
    const breach = within(confirm).getByTestId("spend-breach-day").textContent ?? "";
    for (const part of ["200000", "150000", "108900", "today's"]) expect(breach).toContain(part);
    expect(screen.queryByTestId("submit-error")).toBeNull();
    expect(document.activeElement).toBe(within(confirm).getByTestId("confirm-cancel"));

    fireEvent.click(within(confirm).getByTestId("confirm-ok"));
    await waitFor(() => expect(screen.queryByTestId("spend-confirm")).toBeNull());
    const sent = callsTo(calls, "submit_job");
    expect(sent.map((a) => a.spendConfirmed)).toEqual([false, true]);
    expect(sent.map((a) => a.intended)).toEqual([false, false]);
    expect(sent[1].draft).toEqual(sent[0].draft);
  });

  it("Cancel sends nothing more", async () => {
    const calls = jobsBackend({
      submit_job: () => {
        throw spendLimit();
      },
    });
    renderWithI18n(<App />);
    await typePrompt("a fox");
    fireEvent.click(generateButton());
    const confirm = await screen.findByTestId("spend-confirm");
    fireEvent.click(within(confirm).getByTestId("confirm-cancel"));
    expect(screen.queryByTestId("spend-confirm")).toBeNull();
    expect(callsTo(calls, "submit_job")).toHaveLength(1);
  });

  it("a yes to the spend question is kept when the repeat question follows", async () => {
    const calls = jobsBackend({
      submit_job: (args) => {
        if (!args.spendConfirmed) throw spendLimit();
        if (!args.intended)
          throw {
            kind: "duplicate_submission",
            message: verbatim("duplicate", "重复"),
            details: JSON.stringify({ job_id: "first", stored_at: 1, seconds_ago: 3 }),
            cause: null,
          };
        return job("j2", { status: "uploading" });
      },
    });
    renderWithI18n(<App />);
    await typePrompt("a fox");
    fireEvent.click(generateButton());
    fireEvent.click(within(await screen.findByTestId("spend-confirm")).getByTestId("confirm-ok"));
    fireEvent.click(within(await screen.findByTestId("repeat-confirm")).getByTestId("confirm-ok"));
    await waitFor(() => expect(screen.queryByTestId("repeat-confirm")).toBeNull());
    const sent = callsTo(calls, "submit_job");
    expect(sent.map((a) => [a.spendConfirmed, a.intended])).toEqual([
      [false, false],
      [true, false],
      [true, true],
    ]);
  });

  it("shows the question in Chinese", async () => {
    jobsBackend({
      get_preferences: () => ({ ...PREFS, prefs: { ...PREFS.prefs, language: "zh-CN" } }),
      submit_job: () => {
        throw spendLimit();
      },
    });
    renderWithI18n(<App />, "zh-CN");
    await typePrompt("一只狐狸");
    fireEvent.click(generateButton());
    const confirm = await screen.findByTestId("spend-confirm");
    expect(confirm.textContent).toContain("将超过花费上限");
    expect(within(confirm).getByTestId("spend-breach-day").textContent).toContain("今日花费");
    expect(within(confirm).getByTestId("confirm-ok").textContent).toBe("仍要生成");
  });
});
