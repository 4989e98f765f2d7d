import { useCallback, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { FrameSlot as FrameSlotName, RequestDraft } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { EstimateLine } from "../generate/EstimateLine";
import { problemsFor } from "../generate/FieldProblems";
import { FrameSlot } from "../generate/FrameSlot";
import { MismatchWarning } from "../generate/MismatchWarning";
import { PromptBox } from "../generate/PromptBox";
import { QueuePanel } from "../generate/QueuePanel";
import { RepeatConfirm } from "../generate/RepeatConfirm";
import { SettingsPanel } from "../generate/SettingsPanel";
import { SpendConfirm } from "../generate/SpendConfirm";
import { type SubmitState, submitReason, submitState } from "../generate/submitState";
import { useFrameDragDrop } from "../generate/useFrameDragDrop";
import { useGenerateForm } from "../generate/useGenerateForm";
import { type SubmitFn, useGuardedSubmit } from "../generate/useGuardedSubmit";
import { usePasteFrame } from "../generate/usePasteFrame";
import { useVideoRecipe } from "../generate/useVideoRecipe";
import type { GenerateLoad } from "../jobs/JobsContext";
import { PresetPicker } from "../presets/PresetPicker";
import { usePresetPicker } from "../presets/usePresetPicker";

/** Clicks on Generate this close together are one press (see the button's click handler). */
export const SAME_PRESS_MS = 600;

interface Props {
  /** False without a token outside demo mode: Generate stays disabled and says why. */
  canSubmit?: boolean;
  /** True outside demo mode while the job history cannot be saved: live jobs are refused, and Generate says why. */
  noHistory?: boolean;
  /**
   * Sends the request; a rejection (an `IpcError`) is shown beside the Generate button, except a refused
   * repeat of an identical recent job, which asks whether to generate it again.
   */
  onSubmit?: SubmitFn;
  /** A request or frame to load into the form (from the Jobs screen). */
  load?: GenerateLoad | null;
  /**
   * False while another screen is shown: the form stays mounted (nothing typed is lost) but keyboard
   * shortcuts, pastes and drops belong to the screen in front.
   */
  active?: boolean;
  /** Once, on the window's start: the default preset, else the settings and prompt last submitted. */
  restoreOnStart?: boolean;
  /** "Batch of this form…": opens the Batch screen with the form as the user left it. */
  onBatch?: (draft: RequestDraft) => void;
}

export function GenerateView({
  canSubmit = false,
  noHistory = false,
  onSubmit,
  load,
  active = true,
  restoreOnStart = false,
  onBatch,
}: Props) {
  const { t } = useTranslation();
  const form = useGenerateForm();
  const presetPicker = usePresetPicker(form, restoreOnStart);
  const { slots, check, inspect, pick: pickInto, loadDraft, startFromFrame, endOnFrame } = form;
  const guarded = useGuardedSubmit(onSubmit);
  const { submitting, error: submitError } = guarded;

  // Keyed by `seq` so the same job loaded twice applies twice, and a re-render does not re-apply it.
  const loadSeq = load?.seq;
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const current = loadRef.current;
    if (loadSeq === undefined || !current) return;
    if (current.draft) loadDraft(current.draft);
    if (current.firstFrame) startFromFrame(current.firstFrame);
    if (current.lastFrame) endOnFrame(current.lastFrame);
  }, [loadSeq, loadDraft, startFromFrame, endOnFrame]);
  const firstZone = useRef<HTMLButtonElement>(null);
  const lastZone = useRef<HTMLButtonElement>(null);

  const videoRecipe = useVideoRecipe(loadDraft);
  const drag = useFrameDragDrop({
    zones: { first: firstZone, last: lastZone },
    filled: { first: slots.first.info !== null, last: slots.last.info !== null },
    onAssign: (slot, handle) => {
      if (active) void inspect(slot, handle);
    },
    onVideo: (path) => {
      if (active) void videoRecipe.restore(path);
    },
  });

  usePasteFrame({
    filled: { first: slots.first.info !== null, last: slots.last.info !== null },
    onFrame: (slot, produce) => {
      if (active) void form.fillFrom(slot, produce);
    },
  });

  // The backend opens the picker itself: the page never names the file.
  const pick = useCallback(
    async (slot: FrameSlotName) => {
      await pickInto(slot, t("generate.imageFilter"));
    },
    [pickInto, t],
  );

  const loadingFrame = slots.first.loading || slots.last.loading;
  const frameProblem = slots.first.info?.problems[0] ?? slots.last.info?.problems[0] ?? null;
  const submit: SubmitState = submitState(
    check,
    canSubmit,
    loadingFrame || submitting,
    frameProblem,
    noHistory,
  );
  const submitNow = useRef(() => {});
  const lastPress = useRef(Number.NEGATIVE_INFINITY);
  submitNow.current = () => {
    if (!active || !submit.enabled) return;
    // For Auto duration (a range) the upper end, so the history never understates what a job may cost.
    guarded.send(form.draft, check?.estimate?.tokens_max ?? null, check?.estimate ?? null, false);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        // A held key repeats its keydown: only the first press counts.
        if (e.repeat) return;
        submitNow.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const reason = submitReason(submit, submitting, t);

  const problems = check?.problems ?? [];
  const first = slots.first.info;
  const last = slots.last.info;

  const renderSlot = (slot: FrameSlotName) => (
    <FrameSlot
      slot={slot}
      state={slots[slot]}
      highlighted={drag.hovered === slot}
      problems={problemsFor(problems, slot === "first" ? "first_frame" : "last_frame")}
      zoneRef={slot === "first" ? firstZone : lastZone}
      onPick={() => void pick(slot)}
      onClear={() => form.clear(slot)}
      onFix={(fix) => {
        const info = slots[slot].info;
        if (info) void form.applyFix(slot, info.handle, fix);
      }}
    />
  );

  return (
    <div className="generate-layout">
      <section className="generate" data-testid="generate-screen" aria-labelledby="generate-title">
        <h1 id="generate-title">{t("generate.title")}</h1>
        <div className="frames">
          {renderSlot("first")}
          <button
            type="button"
            className="swap"
            aria-label={t("generate.swap")}
            title={t("generate.swap")}
            disabled={!first && !last}
            onClick={form.swap}
          >
            ⇄
          </button>
          {renderSlot("last")}
        </div>
        {drag.ignored > 0 && (
          <p className="muted small" role="status">
            {t("generate.dropIgnored", { count: drag.ignored })}
          </p>
        )}
        {videoRecipe.notice?.kind === "restored" && (
          <p className="muted small" role="status" data-testid="video-recipe-restored">
            {videoRecipe.notice.missing.length === 0
              ? t("generate.videoRecipe.restored")
              : t("generate.videoRecipe.framesMissing", {
                  frames: videoRecipe.notice.missing
                    .map((slot) => t(`generate.videoRecipe.slot.${slot}`))
                    .join(t("generate.videoRecipe.and")),
                })}
          </p>
        )}
        {videoRecipe.notice?.kind === "error" && <ErrorNotice error={videoRecipe.notice.error} />}
        {first && last && (
          <MismatchWarning
            first={first}
            last={last}
            onCrop={(ratio, offset) => form.cropLast(last.handle, ratio, offset)}
          />
        )}
        <p className="mode-badge" data-testid="mode-badge">
          {t("generate.mode.label")}:{" "}
          {check ? t(check.mode ? `generate.mode.${check.mode}` : "generate.modeNeedsFirst") : "…"}
        </p>
        <PromptBox
          value={form.prompt}
          onChange={form.setPrompt}
          stats={check?.prompt ?? null}
          problems={problemsFor(problems, "prompt")}
        />
        <PresetPicker
          picker={presetPicker}
          hasPrompt={form.prompt.trim() !== ""}
          hasFrames={first !== null || last !== null}
        />
        <SettingsPanel settings={form.settings} problems={problems} onChange={form.updateSettings} />
        <EstimateLine estimate={check?.estimate ?? null} />
        <div className="submit-row">
          {reason && (
            <span className="muted small" id="submit-reason" data-testid="submit-reason">
              {reason}
            </span>
          )}
          <button
            type="button"
            className="primary"
            data-testid="generate-button"
            disabled={!submit.enabled}
            aria-describedby={reason ? "submit-reason" : undefined}
            onClick={(e) => {
              // The second click of a double click (detail 2) may come after the first one's answer,
              // with the button enabled again: it is part of the same press. So is any click soon after
              // the last one: the system's double-click time differs (GTK 400 ms, Windows 500 ms) and a
              // slow machine delivers clicks late, so `detail` alone would turn some double clicks into
              // two presses (the second then only meets the backend's repeat question).
              const now = performance.now();
              const samePress = now - lastPress.current < SAME_PRESS_MS;
              lastPress.current = now;
              if (e.detail > 1 || samePress) return;
              submitNow.current();
            }}
          >
            {t("generate.submit")} <kbd>{t("generate.submitShortcut")}</kbd>
          </button>
          {onBatch && (
            <button type="button" data-testid="generate-to-batch" onClick={() => onBatch(form.draft)}>
              {t("generate.toBatch")}
            </button>
          )}
        </div>
        {guarded.pendingSpend && (
          <SpendConfirm
            pending={guarded.pendingSpend}
            busy={submitting}
            onConfirm={guarded.confirmSpend}
            onCancel={guarded.cancelSpend}
          />
        )}
        {guarded.pendingRepeat && (
          <RepeatConfirm
            pending={guarded.pendingRepeat}
            busy={submitting}
            onConfirm={guarded.confirmRepeat}
            onCancel={guarded.cancelRepeat}
          />
        )}
        {submitError && (
          <div data-testid="submit-error">
            <ErrorNotice error={submitError} />
          </div>
        )}
      </section>
      <QueuePanel />
    </div>
  );
}
