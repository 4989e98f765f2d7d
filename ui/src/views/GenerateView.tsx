import { open } from "@tauri-apps/plugin-dialog";
import { useCallback, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { FrameSlot as FrameSlotName, RequestDraft } from "../bindings";
import { EstimateLine } from "../components/EstimateLine";
import { problemsFor } from "../components/FieldProblems";
import { FrameSlot } from "../components/FrameSlot";
import { MismatchWarning } from "../components/MismatchWarning";
import { PromptBox } from "../components/PromptBox";
import { QueuePanel } from "../components/QueuePanel";
import { SettingsPanel } from "../components/SettingsPanel";
import { msgText } from "../generate/format";
import { type SubmitState, submitState } from "../generate/submitState";
import { useFrameDragDrop } from "../generate/useFrameDragDrop";
import { useGenerateForm } from "../generate/useGenerateForm";

export const IMAGE_EXTENSIONS = ["png", "jpg", "jpeg", "webp", "bmp", "tif", "tiff", "gif", "heic", "heif"];

interface Props {
  /** Submission is wired separately; until then Generate stays disabled and says why. */
  canSubmit?: boolean;
  onSubmit?: (draft: RequestDraft) => void;
}

export function GenerateView({ canSubmit = false, onSubmit }: Props) {
  const { t, i18n } = useTranslation();
  const form = useGenerateForm();
  const { slots, check, inspect } = form;
  const firstZone = useRef<HTMLButtonElement>(null);
  const lastZone = useRef<HTMLButtonElement>(null);

  const drag = useFrameDragDrop({
    zones: { first: firstZone, last: lastZone },
    filled: { first: slots.first.info !== null, last: slots.last.info !== null },
    onAssign: inspect,
  });

  const pick = useCallback(
    async (slot: FrameSlotName) => {
      let chosen: string | string[] | null;
      try {
        chosen = await open({
          multiple: false,
          directory: false,
          filters: [{ name: t("generate.imageFilter"), extensions: IMAGE_EXTENSIONS }],
        });
      } catch {
        return;
      }
      const path = Array.isArray(chosen) ? chosen[0] : chosen;
      if (path) await inspect(slot, path);
    },
    [inspect, t],
  );

  const loadingFrame = slots.first.loading || slots.last.loading;
  const submit: SubmitState = submitState(check, canSubmit && !loadingFrame);
  const submitNow = useRef(() => {});
  submitNow.current = () => {
    if (submit.enabled) onSubmit?.(form.draft);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        submitNow.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const reason = submit.enabled
    ? null
    : submit.block.type === "problem"
      ? msgText(submit.block.problem.msg, i18n.language)
      : submit.block.type === "unavailable"
        ? t("generate.notAvailable")
        : t("generate.checking");

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
        if (info) void form.applyFix(slot, info.path, fix);
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
        {first && last && (
          <MismatchWarning
            first={first}
            last={last}
            onCrop={(ratio, offset) => form.cropLast(last.path, ratio, offset)}
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
            onClick={() => submitNow.current()}
          >
            {t("generate.submit")} <kbd>{t("generate.submitShortcut")}</kbd>
          </button>
        </div>
      </section>
      <QueuePanel />
    </div>
  );
}
