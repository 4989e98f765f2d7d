import { useCallback, useEffect, useMemo, useState } from "react";
import type { DraftSettings, FixKind, FormCheck, FrameInfo, FrameSlot, RequestDraft } from "../bindings";
import { type IpcError, ipc } from "../ipc";
import { createLatest, type Latest } from "../query";
import { completeSettings, defaultSettings, formOptions } from "./options";

export const CHECK_DEBOUNCE_MS = 150;

export interface SlotState {
  info: FrameInfo | null;
  /** The last file the user offered that was refused; the previous frame (if any) stays. */
  error: IpcError | null;
  loading: boolean;
  /** The frame shown is a conforming copy the app wrote, not the user's original. */
  fixedCopy: boolean;
}

const EMPTY_SLOT: SlotState = { info: null, error: null, loading: false, fixedCopy: false };

type Slots = Record<FrameSlot, SlotState>;

export function useGenerateForm() {
  const [prompt, setPrompt] = useState("");
  const [settings, setSettings] = useState<Required<DraftSettings>>(defaultSettings);
  const [slots, setSlots] = useState<Slots>({ first: EMPTY_SLOT, last: EMPTY_SLOT });
  const [check, setCheck] = useState<FormCheck | null>(null);
  // A slot's pending read is dropped when a newer action on that slot (or a swap) supersedes it.
  const [latest] = useState<Record<FrameSlot, Latest>>(() => ({
    first: createLatest(),
    last: createLatest(),
  }));

  const updateSettings = useCallback((patch: Partial<DraftSettings>) => {
    setSettings((prev) => {
      const next = { ...prev, ...patch };
      // The API only accepts drafts at one resolution, so turning draft on moves the resolution there.
      if (patch.draft === true) next.resolution = formOptions.draft_resolution;
      return next;
    });
  }, []);

  const patchSlot = useCallback((slot: FrameSlot, patch: Partial<SlotState>) => {
    setSlots((prev) => ({ ...prev, [slot]: { ...prev[slot], ...patch } }));
  }, []);

  /**
   * Runs `produce` for a slot, showing progress and keeping the old frame if it fails (the reason shows
   * on the zone) or produces nothing (a cancelled picker). True when the slot now holds the new frame.
   */
  const load = useCallback(
    async (
      slot: FrameSlot,
      produce: () => Promise<FrameInfo | null>,
      fixedCopy: boolean,
    ): Promise<boolean> => {
      const current = latest[slot].begin();
      patchSlot(slot, { loading: true, error: null });
      try {
        const info = await produce();
        if (!current()) return false;
        if (info === null) {
          patchSlot(slot, { loading: false });
          return false;
        }
        patchSlot(slot, { info, error: null, loading: false, fixedCopy });
        return true;
      } catch (e) {
        if (current()) patchSlot(slot, { error: e as IpcError, loading: false });
        return false;
      }
    },
    [patchSlot, latest],
  );

  const inspect = useCallback(
    (slot: FrameSlot, handle: string) => load(slot, () => ipc.inspectFrame(handle), false),
    [load],
  );

  /** Fills a slot from the backend's file picker; a cancelled picker leaves the slot as it was. */
  const pick = useCallback(
    (slot: FrameSlot, filterName: string) => load(slot, () => ipc.pickFrame(filterName), false),
    [load],
  );

  /** Fills a slot from any frame the backend makes (a pasted image it saved, for one). */
  const fillFrom = useCallback(
    (slot: FrameSlot, produce: () => Promise<FrameInfo>) => load(slot, produce, false),
    [load],
  );

  const applyFix = useCallback(
    (slot: FrameSlot, handle: string, fix: FixKind) => load(slot, () => ipc.fixFrame(handle, fix), true),
    [load],
  );

  const cropLast = useCallback(
    (handle: string, targetRatio: number, offset: number) =>
      load("last", () => ipc.cropFrame(handle, targetRatio, offset), true),
    [load],
  );

  const clear = useCallback(
    (slot: FrameSlot) => {
      latest[slot].drop();
      setSlots((prev) => ({ ...prev, [slot]: EMPTY_SLOT }));
    },
    [latest],
  );

  const swap = useCallback(() => {
    latest.first.drop();
    latest.last.drop();
    setSlots((prev) => ({
      first: { ...prev.last, loading: false },
      last: { ...prev.first, loading: false },
    }));
  }, [latest]);

  /**
   * Puts a saved request back into the form (Use settings, a preset); frames are read again, as if picked.
   * Its frames are handles the backend handed out with the request.
   */
  const loadDraft = useCallback(
    (saved: RequestDraft) => {
      setPrompt(saved.prompt ?? "");
      setSettings(completeSettings(saved));
      for (const slot of ["first", "last"] as const) {
        const handle = slot === "first" ? saved.first_frame : saved.last_frame;
        if (handle?.trim()) void inspect(slot, handle);
        else clear(slot);
      }
    },
    [inspect, clear],
  );

  /** Starts the next shot from a frame the app already read (a video's last frame); the last zone empties. */
  const startFromFrame = useCallback(
    (info: FrameInfo) => {
      latest.first.drop();
      latest.last.drop();
      setSlots({ first: { ...EMPTY_SLOT, info }, last: EMPTY_SLOT });
    },
    [latest],
  );

  /** Ends the shot on a frame the app already read (a frame taken from a video); the first zone stays. */
  const endOnFrame = useCallback(
    (info: FrameInfo) => {
      latest.last.drop();
      setSlots((prev) => ({ ...prev, last: { ...EMPTY_SLOT, info } }));
    },
    [latest],
  );

  const draft = useMemo<RequestDraft>(
    () => ({
      prompt,
      first_frame: slots.first.info?.handle ?? null,
      last_frame: slots.last.info?.handle ?? null,
      ...settings,
    }),
    [prompt, slots.first.info, slots.last.info, settings],
  );
  const firstAspect = slots.first.info?.aspect ?? null;

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      ipc
        .checkRequest(draft, firstAspect)
        .then((result) => {
          if (current) setCheck(result);
        })
        // A failed check leaves the last answer in place; Generate stays disabled until one arrives.
        .catch(() => undefined);
    }, CHECK_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [draft, firstAspect]);

  return {
    prompt,
    setPrompt,
    settings,
    updateSettings,
    slots,
    check,
    draft,
    inspect,
    pick,
    applyFix,
    cropLast,
    clear,
    swap,
    loadDraft,
    startFromFrame,
    endOnFrame,
    fillFrom,
  };
}

export type GenerateForm = ReturnType<typeof useGenerateForm>;
