import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { batchBackend, callsTo, item, problem, record, TOO_SMALL } from "../batch/testBatch";
import type { BatchRecord, RequestDraft } from "../bindings";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";
import { BatchView } from "./BatchView";

/** The Batch screen's drop listener, as the webview would call it. */
const drops = vi.hoisted(() => ({ handler: null as null | ((e: { payload: unknown }) => void) }));
vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({
    onDragDropEvent: async (handler: (e: { payload: unknown }) => void) => {
      drops.handler = handler;
      return () => {
        if (drops.handler === handler) drops.handler = null;
      };
    },
  }),
}));

async function openFolder() {
  fireEvent.click(screen.getByTestId("batch-folder"));
  await screen.findByTestId("batch-table");
}

function rows() {
  return screen.queryAllByTestId(/^batch-item-\d+$/);
}

describe("while frames are checked", () => {
  it("polls for what changed since the review it has, and shows it", async () => {
    const b = batchBackend({ checksPending: 1 });
    renderWithI18n(<BatchView />);
    await openFolder();
    b.items[0] = item(1, {
      item: { ...item(1).item, draft: { ...item(1).item.draft, prompt: "shot 1, checked" } },
    });
    b.checksPending = 0;
    await waitFor(() => expect(screen.getByTestId("batch-item-1").textContent).toContain("shot 1, checked"), {
      timeout: 3000,
    });
    expect(callsTo(b, "batch_review_changes").map((c) => c.args)).toEqual([{ id: "d1", since: 1 }]);
    expect(callsTo(b, "batch_review")).toHaveLength(0);
  });
});

describe("picking a source", () => {
  it("a folder's items fill the table; a cancelled picker changes nothing", async () => {
    const b = batchBackend();
    renderWithI18n(<BatchView />);
    await openFolder();
    expect(rows().map((r) => r.dataset.testid)).toEqual(["batch-item-1", "batch-item-2", "batch-item-3"]);
    expect(screen.getByTestId("batch-item-1").textContent).toContain("shot 1 turns to the camera");
    expect(screen.getByTestId("batch-total").textContent).toContain("3 videos");
    expect(screen.getByTestId("batch-start").textContent).toBe("Start 3 videos…");
    // The folder picker got the pairing rule shown on screen.
    expect(callsTo(b, "batch_pick_folder")[0]?.args.rule).toEqual({
      kind: "suffix",
      first: "_first",
      last: "_last",
    });

    b.nextSource = null;
    fireEvent.click(screen.getByTestId("batch-file"));
    await waitFor(() => expect(callsTo(b, "batch_pick_file")).toHaveLength(1));
    expect(rows()).toHaveLength(3);
    expect(screen.queryByTestId("batch-error")).toBeNull();
  });

  it("a source the backend refuses says why, in the user's language, and the review shown stays", async () => {
    const b = batchBackend();
    renderWithI18n(<BatchView />, "zh-CN");
    await openFolder();
    b.nextSource = {
      kind: "batch_folder_empty",
      message: verbatim(
        "The folder /empty is empty. Pick a folder with images.",
        "文件夹 /empty 是空的。请选择有图片的文件夹。",
      ),
      details: null,
      cause: null,
    };
    fireEvent.click(screen.getByTestId("batch-folder"));
    const error = await screen.findByTestId("batch-error");
    expect(error.textContent).toContain("文件夹 /empty 是空的。请选择有图片的文件夹。");
    expect(rows()).toHaveLength(3);
  });

  it("images dropped on the screen become a batch, only while it is in front", async () => {
    const b = batchBackend();
    const { rerender } = renderWithI18n(<BatchView active={false} />);
    await waitFor(() => expect(drops.handler).toBeNull());
    rerender(<BatchView active />);
    await waitFor(() => expect(drops.handler).not.toBeNull());
    act(() =>
      drops.handler?.({
        payload: { type: "drop", paths: ["/p/a.png", "/p/b.png"], position: { x: 0, y: 0 } },
      }),
    );
    await screen.findByTestId("batch-table");
    expect(callsTo(b, "batch_from_drop")[0]?.args.paths).toEqual(["/p/a.png", "/p/b.png"]);
  });

  it("changing the pairing rule of a folder reads it again", async () => {
    const b = batchBackend();
    renderWithI18n(<BatchView />);
    await openFolder();
    fireEvent.click(screen.getByTestId("batch-rule-sorted"));
    await waitFor(() => expect(callsTo(b, "batch_set_pair_rule")).toHaveLength(1));
    expect(callsTo(b, "batch_set_pair_rule")[0]?.args).toEqual({ id: "d1", rule: { kind: "sorted_pairs" } });
  });

  it("the Generate form handed over becomes the source × N takes, with its settings as the batch's", async () => {
    const b = batchBackend({ items: [item(1, {})] });
    const draft: RequestDraft = {
      prompt: "a fox",
      first_frame: "h1",
      last_frame: null,
      resolution: "1080p",
      ratio: "9:16",
      duration: 8,
      generate_audio: false,
      camera_fixed: false,
      draft: false,
      watermark: false,
    };
    renderWithI18n(<BatchView form={{ draft, seq: 1 }} />);
    fireEvent.change(screen.getByTestId("batch-form-takes"), { target: { value: "3" } });
    fireEvent.click(screen.getByTestId("batch-from-form"));
    await screen.findByTestId("batch-table");
    const call = callsTo(b, "batch_from_form")[0]?.args;
    expect(call?.form).toEqual(draft);
    expect(call?.takes).toBe(3);
    const defaults = call?.defaults as { settings: { resolution: string } } | undefined;
    expect(defaults?.settings.resolution).toBe("1080p");
  });

  it("the batch's prompt template is planned again after typing stops", async () => {
    const b = batchBackend();
    renderWithI18n(<BatchView />);
    await openFolder();
    expect(screen.getByTestId("batch-placeholders").textContent).toContain("{name}");
    fireEvent.change(screen.getByTestId("batch-prompt"), { target: { value: "{name} w" } });
    fireEvent.change(screen.getByTestId("batch-prompt"), { target: { value: "{name} waves" } });
    await waitFor(() => expect(callsTo(b, "batch_set_defaults")).toHaveLength(1));
    const sent = callsTo(b, "batch_set_defaults")[0]?.args.defaults as { prompt: string } | undefined;
    expect(sent?.prompt).toBe("{name} waves");
  });
});

describe("the review table", () => {
  it("1 000 items: only the rows on screen are in the page, and only they ask for thumbnails", async () => {
    const b = batchBackend({ items: Array.from({ length: 1000 }, (_, i) => item(i + 1)) });
    renderWithI18n(<BatchView />);
    await openFolder();
    expect(screen.getByTestId("batch-total").textContent).toContain("1000 videos");
    const shown = rows().length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(30);
    await waitFor(() => expect(callsTo(b, "batch_thumbnails").length).toBeGreaterThan(0));
    const asked = callsTo(b, "batch_thumbnails").flatMap((c) => c.args.items as number[]);
    expect(Math.max(...asked)).toBeLessThan(30);
    await waitFor(() =>
      expect(within(screen.getByTestId("batch-item-1")).getByRole("img").getAttribute("src")).toBe(
        "data:image/png;base64,1",
      ),
    );
    // Scrolled to the end: the last rows are there, the first are gone.
    const list = screen.getByTestId("batch-rows");
    list.scrollTop = 999 * 96;
    fireEvent.scroll(list);
    expect(screen.getByTestId("batch-item-1000")).toBeTruthy();
    expect(screen.queryByTestId("batch-item-1")).toBeNull();
    await waitFor(() =>
      expect(callsTo(b, "batch_thumbnails").some((c) => (c.args.items as number[]).includes(1000))).toBe(
        true,
      ),
    );
  });

  it("Skip takes an item out of the total and back", async () => {
    const b = batchBackend();
    renderWithI18n(<BatchView />);
    await openFolder();
    fireEvent.click(screen.getByTestId("batch-skip-2"));
    await waitFor(() => expect(screen.getByTestId("batch-total").textContent).toContain("2 videos"));
    expect(callsTo(b, "batch_skip_item")[0]?.args).toEqual({ id: "d1", index: 2, skipped: true });
    expect(screen.getByTestId("batch-item-2").dataset.state).toBe("skipped");
    expect(screen.getByTestId("batch-total").textContent).toContain("1 item left out");
    fireEvent.click(screen.getByTestId("batch-skip-2"));
    await waitFor(() => expect(screen.getByTestId("batch-total").textContent).toContain("3 videos"));
  });

  it("a frame problem shows in both languages with the Generate screen's fix, which brings the item back", async () => {
    const small = item(2);
    small.item.excluded = true;
    const frame = small.frames[0];
    if (frame?.facts?.state === "checked") frame.facts.problems = [TOO_SMALL];
    const b = batchBackend({ items: [item(1), small] });
    const { i18n } = renderWithI18n(<BatchView />);
    await openFolder();
    expect(screen.getByTestId("batch-problems-2").textContent).toContain(
      "The image is 200×150: below 300 px.",
    );
    expect(screen.getByTestId("batch-total").textContent).toContain("1 video");
    await act(() => i18n.changeLanguage("zh-CN"));
    expect(screen.getByTestId("batch-problems-2").textContent).toContain("图片为 200×150：小于 300 像素。");
    fireEvent.click(screen.getByTestId("batch-fix-2-first"));
    await waitFor(() => expect(screen.getByTestId("batch-item-2").dataset.state).toBe("included"));
    expect(callsTo(b, "batch_fix_frame")[0]?.args).toEqual({
      id: "d1",
      index: 2,
      slot: "first",
      fix: { type: "upscale", min_side: 300 },
    });
  });
});

describe("bad input", () => {
  it("broken lines, unknown columns and notices are above the table; the valid rows still count", async () => {
    const missing = item(2);
    missing.item.excluded = true;
    // A missing file is never checked: the row must not say it is being checked.
    missing.frames = [{ slot: "first", file_name: "missing.png", facts: null, pending: false }];
    missing.item.problems = [
      problem(
        'Line 3, column 1 (first): The first frame "missing.png" was not found.',
        "第 3 行第 1 列（first）：找不到首帧“missing.png”。",
      ),
    ];
    const b = batchBackend({
      items: [item(1), missing, item(3)],
      problems: [
        problem("The file was read as GB18030.", "文件按 GB18030 读取。", false, "decoded_gb18030"),
        problem(
          "Line 5: unclosed quote from character 12.",
          "第 5 行：从第 12 个字符起引号未闭合。",
          false,
          "csv_unclosed_quote",
        ),
      ],
    });
    renderWithI18n(<BatchView />, "zh-CN");
    await openFolder();
    const above = screen.getByTestId("batch-problems");
    expect(above.textContent).toContain("文件按 GB18030 读取。");
    expect(above.textContent).toContain("第 5 行：从第 12 个字符起引号未闭合。");
    expect(screen.getByTestId("batch-problems-2").textContent).toContain("找不到首帧“missing.png”");
    expect(screen.getByTestId("batch-item-2").textContent).not.toContain("检查中");
    expect(screen.getByTestId("batch-item-2").dataset.state).toBe("excluded");
    expect(screen.getByTestId("batch-total").textContent).toContain("2 个视频");
    expect((screen.getByTestId("batch-start") as HTMLButtonElement).disabled).toBe(false);
    expect(b.items).toHaveLength(3);
  });

  it("an unknown column stops the whole batch: Start stays off and the column is named", async () => {
    batchBackend({
      problems: [problem('Line 1, column 4 (resolutoin): unknown column. Did you mean "resolution"?', "x")],
    });
    renderWithI18n(<BatchView />);
    await openFolder();
    expect(screen.getByTestId("batch-problems").textContent).toContain('Did you mean "resolution"?');
    expect((screen.getByTestId("batch-start") as HTMLButtonElement).disabled).toBe(true);
  });

  it("Start waits while frames are still being checked", async () => {
    batchBackend({ checksPending: 4 });
    renderWithI18n(<BatchView />);
    await openFolder();
    expect(screen.getByTestId("batch-checking").textContent).toContain("Checking 4 frame files");
    expect((screen.getByTestId("batch-start") as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("confirming and starting", () => {
  it("one confirmation states the count and the total; two quick confirms start one batch", async () => {
    let answer: (r: BatchRecord) => void = () => undefined;
    const b = batchBackend({
      start: () =>
        new Promise<BatchRecord>((resolve) => {
          answer = resolve;
        }),
    });
    renderWithI18n(<BatchView />);
    await openFolder();
    fireEvent.click(screen.getByTestId("batch-start"));
    const total = screen.getByTestId("batch-confirm-total").textContent ?? "";
    expect(total).toContain("3 videos will be requested and paid for");
    expect(total).toContain("300\u00a0000 tokens");
    expect(total).toContain("¥0.75");
    const ok = screen.getByTestId("confirm-ok") as HTMLButtonElement;
    // Both clicks (or a held key's repeats) land before React re-renders the button as disabled.
    act(() => {
      ok.click();
      ok.click();
      ok.click();
    });
    await waitFor(() => expect(ok.disabled).toBe(true));
    expect(callsTo(b, "batch_start")).toHaveLength(1);
    expect(callsTo(b, "batch_start")[0]?.args).toEqual({
      id: "d1",
      name: "shots",
      repeat: false,
      spendConfirmed: false,
    });
    await act(async () => answer(record("shots")));
    const started = await screen.findByTestId("batch-started");
    expect(started.textContent).toContain('Batch "shots" started: 3 videos are queued');
    expect(screen.queryByTestId("batch-table")).toBeNull();
    expect(callsTo(b, "batch_start")).toHaveLength(1);
  });

  it("the same batch started moments ago asks first, and starts again only when confirmed", async () => {
    let calls = 0;
    const b = batchBackend({
      start: () => {
        calls += 1;
        if (calls === 1)
          throw {
            kind: "batch_duplicate",
            message: verbatim("You started this same batch 4 s ago.", "你在 4 秒前开始过同一个批量。"),
            details: null,
            cause: null,
          };
        return record();
      },
    });
    renderWithI18n(<BatchView />, "zh-CN");
    await openFolder();
    fireEvent.click(screen.getByTestId("batch-start"));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    const question = await screen.findByTestId("batch-repeat");
    expect(question.textContent).toContain("你在 4 秒前开始过同一个批量。");
    expect(question.textContent).toContain("再次开始同一个批量？");
    fireEvent.click(within(question).getByTestId("confirm-ok"));
    await screen.findByTestId("batch-started");
    expect(callsTo(b, "batch_start").map((c) => c.args.repeat)).toEqual([false, true]);
  });

  it("past the day's spend limit asks first; a yes is kept when the repeat question follows", async () => {
    const refusals = [
      {
        kind: "spend_limit",
        message: verbatim("Starting passes today's limit.", "开始后将超过今天的上限。"),
        details: JSON.stringify({
          breaches: [
            {
              period: "day",
              limit: 100000,
              spent: { tokens: 90000, cost: 0.2, jobs: 1 },
              estimate: { tokens: 300000, cost: 0.7, jobs: 3 },
              message: verbatim("Today's limit is 100 000 tokens.", "今天的上限是 100 000 token。"),
            },
          ],
        }),
        cause: null,
      },
      {
        kind: "batch_duplicate",
        message: verbatim("You started this same batch 4 s ago.", "你在 4 秒前开始过同一个批量。"),
        details: null,
        cause: null,
      },
    ];
    const b = batchBackend({
      start: () => {
        const refusal = refusals.shift();
        if (refusal) throw refusal;
        return record();
      },
    });
    renderWithI18n(<BatchView />);
    await openFolder();
    fireEvent.click(screen.getByTestId("batch-start"));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    const question = await screen.findByTestId("batch-spend");
    expect(question.textContent).toContain("Today's limit is 100 000 tokens.");
    expect(question.textContent).toContain("Start the batch anyway?");
    expect(screen.getByTestId("batch-start")).toHaveProperty("disabled", true);
    fireEvent.click(within(question).getByTestId("confirm-ok"));
    const repeat = await screen.findByTestId("batch-repeat");
    expect(screen.queryByTestId("batch-spend")).toBeNull();
    fireEvent.click(within(repeat).getByTestId("confirm-ok"));
    await screen.findByTestId("batch-started");
    expect(callsTo(b, "batch_start").map((c) => [c.args.repeat, c.args.spendConfirmed])).toEqual([
      [false, false],
      [false, true],
      [true, true],
    ]);
  });

  it("Cancel on the spend question starts nothing", async () => {
    const b = batchBackend({
      start: () => {
        throw {
          kind: "spend_limit",
          message: verbatim("Starting passes this month's limit.", "开始后将超过本月的上限。"),
          details: null,
          cause: null,
        };
      },
    });
    renderWithI18n(<BatchView />, "zh-CN");
    await openFolder();
    fireEvent.click(screen.getByTestId("batch-start"));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    const question = await screen.findByTestId("batch-spend");
    expect(question.textContent).toContain("开始后将超过本月的上限。");
    fireEvent.click(within(question).getByTestId("confirm-cancel"));
    expect(screen.queryByTestId("batch-spend")).toBeNull();
    expect(callsTo(b, "batch_start")).toHaveLength(1);
    expect(screen.getByTestId("batch-start")).toHaveProperty("disabled", false);
  });

  it("a start the backend refuses is shown and the review stays for another try", async () => {
    batchBackend({
      start: () => {
        throw {
          kind: "batch_item_refused",
          message: verbatim("Item 2 cannot be sent: the file changed.", "第 2 项无法发送：文件已更改。"),
          details: null,
          cause: null,
        };
      },
    });
    renderWithI18n(<BatchView />);
    await openFolder();
    fireEvent.click(screen.getByTestId("batch-start"));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    const error = await screen.findByTestId("batch-start-error");
    expect(error.textContent).toContain("Item 2 cannot be sent: the file changed.");
    expect(rows()).toHaveLength(3);
    expect((screen.getByTestId("batch-start") as HTMLButtonElement).disabled).toBe(false);
  });
});
