import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { BatchTotal, SequenceRunPlan, SequenceView, Shot } from "../bindings";
import { defaultSettings } from "../generate/options";
import { callsTo, job } from "../jobs/testJobs";
import { ipcError } from "../presets/testPresets";
import { mockBackend } from "../test-ipc";
import { renderWithI18n } from "../test-utils";
import { SequencesView } from "./SequencesView";

const shot = (id: string, over: Partial<Shot> = {}): Shot => ({
  id,
  prompt: `prompt ${id}`,
  first: { kind: "none" },
  last_frame: null,
  settings: null,
  chosen_take: null,
  ...over,
});

function view(shots: Shot[], takes: SequenceView["shots"] = []): SequenceView {
  return {
    sequence: {
      id: "q1",
      name: "Harbour",
      created_at: 0,
      updated_at: 0,
      doc: { defaults: defaultSettings, shots },
    },
    shots: shots.map(
      (s) => takes.find((t) => t.shot_id === s.id) ?? { shot_id: s.id, takes: [], in_film: null },
    ),
  };
}

function total(jobs: number, tokens: number): BatchTotal {
  return {
    items: jobs,
    excluded_items: 0,
    jobs,
    tokens_min: tokens,
    tokens_max: tokens,
    cost_min: tokens / 1e6,
    cost_max: tokens / 1e6,
    currency: "CNY",
    draft_lower: false,
    approximate: false,
  };
}

const plan = (jobs: number, tokens: number): SequenceRunPlan => ({
  shots: Array.from({ length: jobs }, (_, i) => ({
    position: i + 1,
    chained: i > 0,
    estimate: null,
    problems: [],
  })),
  total: total(jobs, tokens),
});

function backend(v: SequenceView, over: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  return mockBackend({
    list_sequences: () => [
      { id: "q1", name: v.sequence.name, updated_at: 0, shots: v.sequence.doc.shots.length },
    ],
    get_sequence: () => v,
    save_sequence: (a) => ({ ...v, sequence: { ...v.sequence, name: a.name, doc: a.doc } }),
    plan_sequence_run: (a) =>
      (a.scope as { kind: string; rechain?: boolean }).rechain ? plan(2, 216_000) : plan(1, 108_000),
    start_sequence_run: () => ({}),
    job_poster: (a) => `data:image/jpeg;base64,${String(a.id)}`,
    ...over,
  });
}

/** A finished take whose clip is `/v/<id>.mp4`. */
const doneTake = (id: string) => ({
  job: job(id, { status: "done", output_path: `/v/${id}.mp4` }),
  chained_from: null,
});

/** Three shots, each with one finished take that is in the film. */
const threeFinishedShots = (): SequenceView =>
  view(
    [shot("s1"), shot("s2"), shot("s3")],
    ["s1", "s2", "s3"].map((id, at) => ({
      shot_id: id,
      takes: [doneTake(`j${at + 1}`)],
      in_film: `j${at + 1}`,
    })),
  );

const TWO = [shot("s1"), shot("s2", { first: { kind: "previous" } })];

describe("SequencesView", () => {
  it("shows the shots with where each first frame comes from, in both languages", async () => {
    backend(view(TWO));
    renderWithI18n(<SequencesView />, "zh-CN");
    const shots = await screen.findAllByTestId("seq-shot");
    expect(shots).toHaveLength(2);
    const second = within(shots[1] as HTMLElement).getByTestId("seq-first") as HTMLSelectElement;
    expect(second.value).toBe("previous");
    expect(second.selectedOptions[0]?.textContent).toBe("镜头 1 的最后一帧");
    // The first shot cannot start from a shot before it.
    const first = within(shots[0] as HTMLElement).getByTestId("seq-first") as HTMLSelectElement;
    expect([...first.options].map((o) => o.value)).toEqual(["none", "image"]);
  });

  it("saves edits before planning, states the total once and sends one start for a double click", async () => {
    const calls = backend(view(TWO));
    renderWithI18n(<SequencesView />);
    const prompts = await screen.findAllByTestId("seq-prompt");
    fireEvent.change(prompts[0] as HTMLElement, { target: { value: "gulls over the pier" } });
    expect(screen.getByTestId("seq-saved").textContent).toBe("Unsaved changes");
    fireEvent.click(screen.getByTestId("seq-generate"));
    const confirm = await screen.findByTestId("seq-confirm");
    const saved = callsTo(calls, "save_sequence");
    expect(saved).toHaveLength(1);
    expect((saved[0]?.doc as { shots: Shot[] } | undefined)?.shots[0]?.prompt).toBe("gulls over the pier");
    expect(callsTo(calls, "plan_sequence_run")[0]?.scope).toEqual({ kind: "whole" });
    expect(confirm.textContent).toMatch(/108\s000 tokens/);
    const start = screen.getByTestId("seq-start");
    fireEvent.click(start, { detail: 1 });
    fireEvent.click(start, { detail: 2 });
    // A second single press before the first is answered (no re-render in between) does nothing either.
    fireEvent.click(start, { detail: 1 });
    await screen.findByTestId("seq-started");
    expect(callsTo(calls, "start_sequence_run")).toEqual([
      { id: "q1", scope: { kind: "whole" }, repeat: false, spendConfirmed: false },
    ]);
  });

  it("re-rolling a shot whose next shot is chained offers both choices with their costs", async () => {
    const done = job("j1", { status: "done", output_path: "/v/a.mp4" });
    const calls = backend(
      view(TWO, [{ shot_id: "s1", takes: [{ job: done, chained_from: null }], in_film: "j1" }]),
    );
    renderWithI18n(<SequencesView />);
    const shots = await screen.findAllByTestId("seq-shot");
    expect(within(shots[0] as HTMLElement).getByTestId("seq-in-film").textContent).toBe("In the film");
    // A finished take shows a frame of its video.
    const poster = await within(shots[0] as HTMLElement).findByTestId("seq-poster");
    expect(poster.getAttribute("src")).toBe("data:image/jpeg;base64,j1");
    fireEvent.click(within(shots[0] as HTMLElement).getByTestId("seq-reroll"));
    await screen.findByTestId("seq-confirm");
    expect(screen.getByTestId("seq-start").textContent).toContain("Only shot 1");
    const rechain = screen.getByTestId("seq-start-rechain");
    expect(rechain.textContent).toContain("re-chain the 1 shot after it");
    expect(rechain.textContent).toMatch(/216\s000 tokens/);
    fireEvent.click(rechain, { detail: 1 });
    await screen.findByTestId("seq-started");
    expect(callsTo(calls, "start_sequence_run")[0]?.scope).toEqual({
      kind: "shot",
      shot_id: "s1",
      rechain: true,
    });
  });

  it("a run refused as a repeat asks first and starts again only when confirmed", async () => {
    let starts = 0;
    const calls = backend(view(TWO), {
      start_sequence_run: () => {
        starts += 1;
        if (starts === 1)
          throw ipcError("batch_duplicate", "You started this 3 s ago.", "您在 3 秒前已开始。");
        return {};
      },
    });
    renderWithI18n(<SequencesView />);
    fireEvent.click(await screen.findByTestId("seq-generate"));
    fireEvent.click(await screen.findByTestId("seq-start"), { detail: 1 });
    const question = await screen.findByTestId("seq-question");
    expect(question.textContent).toContain("You started this 3 s ago.");
    fireEvent.click(screen.getByTestId("seq-question-yes"));
    await screen.findByTestId("seq-started");
    expect(callsTo(calls, "start_sequence_run").map((a) => a.repeat)).toEqual([false, true]);
  });

  it("a film whose takes differ offers to leave those shots out and joins again without them", async () => {
    const v = threeFinishedShots();
    let joins = 0;
    const calls = backend(v, {
      join_sequence: () => {
        joins += 1;
        if (joins === 1)
          throw {
            ...ipcError(
              "film_clips_differ",
              "Clip 2 is 1280×720, the others 1920×1080.",
              "片段 2 的尺寸不同。",
            ),
            details: JSON.stringify([
              {
                clip: { index: 1, path: "/v/j2.mp4" },
                difference: {
                  kind: "resolution",
                  expected: [1920, 1080],
                  found: [1280, 720],
                  same_ratio: true,
                },
              },
            ]),
          };
        return { path: "/v/Harbour.mp4", clips: 2, duration_secs: 10, has_audio: true, audio_dropped: false };
      },
    });
    renderWithI18n(<SequencesView />);
    fireEvent.click(await screen.findByTestId("seq-join"), { detail: 1 });
    const error = await screen.findByTestId("seq-film-error");
    expect(error.textContent).toContain("Clip 2 is 1280×720");
    fireEvent.click(within(error).getByRole("button", { name: "Leave out the takes that differ and join" }));
    await screen.findByTestId("seq-film");
    expect(callsTo(calls, "join_sequence").map((a) => a.leaveOut)).toEqual([[], ["s2"]]);
    expect(screen.getByTestId("seq-film").textContent).toContain("/v/Harbour.mp4");
  });

  it("a film whose takes differ can be joined in parts instead, every take kept", async () => {
    const v = threeFinishedShots();
    const part = (path: string, clips: number, duration_secs: number) => ({
      path,
      clips,
      duration_secs,
      has_audio: true,
      audio_dropped: false,
    });
    const calls = backend(v, {
      join_sequence: () => {
        throw {
          ...ipcError("film_clips_differ", "Clip 2 is 1280×720.", "片段 2 的尺寸不同。"),
          details: "[]",
        };
      },
      join_sequence_parts: () => [part("/v/Harbour - 1.mp4", 2, 10), part("/v/Harbour - 2.mp4", 1, 5)],
    });
    renderWithI18n(<SequencesView />);
    fireEvent.click(await screen.findByTestId("seq-join"), { detail: 1 });
    fireEvent.click(await screen.findByTestId("seq-join-parts"));
    const parts = await screen.findByTestId("seq-film-parts");
    expect(callsTo(calls, "join_sequence_parts").map((a) => [a.id, a.leaveOut])).toEqual([
      [v.sequence.id, []],
    ]);
    expect(parts.textContent).toContain("Saved in 2 parts, in shot order:");
    const items = within(parts)
      .getAllByRole("listitem")
      .map((li) => li.textContent);
    expect(items).toEqual(["/v/Harbour - 1.mp4 (10.0 s, 2 shots)", "/v/Harbour - 2.mp4 (5.0 s, 1 shot)"]);
    expect(screen.queryByTestId("seq-film-error")).toBeNull();
  });

  it("adding a shot after another starts it from the previous shot's last frame", async () => {
    backend(view([shot("s1")]));
    renderWithI18n(<SequencesView />);
    fireEvent.click(await screen.findByTestId("seq-add"));
    await waitFor(() => expect(screen.getAllByTestId("seq-shot")).toHaveLength(2));
    const second = within(screen.getAllByTestId("seq-shot")[1] as HTMLElement).getByTestId(
      "seq-first",
    ) as HTMLSelectElement;
    expect(second.value).toBe("previous");
  });

  it("a shot with its own settings saves them; without, it uses the sequence's", async () => {
    const calls = backend(view(TWO));
    renderWithI18n(<SequencesView />);
    const shots = await screen.findAllByTestId("seq-shot");
    const own = within(shots[1] as HTMLElement).getByTestId("seq-own-settings");
    fireEvent.click(own);
    fireEvent.click(screen.getByTestId("seq-save"));
    await waitFor(() => expect(callsTo(calls, "save_sequence")).toHaveLength(1));
    const doc = callsTo(calls, "save_sequence")[0]?.doc as { shots: Shot[] } | undefined;
    expect(doc?.shots[0]?.settings).toBeNull();
    expect(doc?.shots[1]?.settings).toEqual(defaultSettings);
  });

  it("a chained take not sent yet says which shot it waits for", async () => {
    const source = job("j1", { status: "running" });
    const waiting = job("j2", { status: "not_sent" });
    backend(
      view(TWO, [
        { shot_id: "s1", takes: [{ job: source, chained_from: null }], in_film: null },
        { shot_id: "s2", takes: [{ job: waiting, chained_from: "j1" }], in_film: null },
      ]),
    );
    renderWithI18n(<SequencesView />, "zh-CN");
    const shots = await screen.findAllByTestId("seq-shot");
    expect(within(shots[1] as HTMLElement).getByTestId("seq-waiting").textContent).toBe("等待镜头 1");
  });

  it("exports the takes in the film, in shot order, as a timeline for an editor", async () => {
    const calls = backend(
      view(
        [shot("s1"), shot("s2"), shot("s3")],
        [
          { shot_id: "s1", takes: [doneTake("j1")], in_film: "j1" },
          { shot_id: "s2", takes: [], in_film: null },
          { shot_id: "s3", takes: [doneTake("j3")], in_film: "j3" },
        ],
      ),
      { export_timeline: () => ({ clips: 2, duration_secs: 10 }) },
    );
    renderWithI18n(<SequencesView />);
    fireEvent.click(await screen.findByTestId("seq-export-fcpxml"));
    await screen.findByTestId("seq-timeline");
    expect(callsTo(calls, "export_timeline")).toEqual([
      { jobIds: ["j1", "j3"], title: "Harbour", format: "fcpxml" },
    ]);
    expect(screen.getByTestId("seq-timeline").textContent).toContain("2 clips, 10.0 s");
  });

  it("deleting a sequence asks first, in the window, and deletes only on yes", async () => {
    const calls = backend(view(TWO), { delete_sequence: () => null });
    renderWithI18n(<SequencesView />);
    fireEvent.click(await screen.findByTestId("seq-delete"));
    expect(screen.getByTestId("confirm").textContent).toContain("Delete “Harbour”?");
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    expect(callsTo(calls, "delete_sequence")).toHaveLength(0);
    fireEvent.click(screen.getByTestId("seq-delete"));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(callsTo(calls, "delete_sequence")).toEqual([{ id: "q1" }]));
  });
});
