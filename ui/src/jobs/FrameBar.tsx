import { useTranslation } from "react-i18next";
import type { FrameTable } from "../bindings";
import { clockText } from "./frameStep";

/**
 * Under the player: the shown frame's time and number, the stepping buttons (`,` and `.` do the same), and
 * "use this frame" as the next shot's first frame or as a last frame.
 */
export function FrameBar({
  table,
  shown,
  busy,
  onStep,
  onUse,
}: {
  table: FrameTable;
  shown: number;
  busy: boolean;
  onStep: (delta: number) => void;
  onUse: (slot: "first" | "last") => void;
}) {
  const { t } = useTranslation();
  const count = table.times.length;
  return (
    <div className="frame-bar" data-testid="frame-bar">
      <button
        type="button"
        data-testid="frame-back"
        title={t("jobs.player.frameBackHint")}
        aria-label={t("jobs.player.frameBack")}
        onClick={() => onStep(-1)}
      >
        ‹
      </button>
      <span className="frame-timecode" data-testid="frame-timecode" aria-live="polite">
        {clockText(table.times[shown] ?? 0)}{" "}
        <span className="muted">{t("jobs.player.frameOf", { frame: shown + 1, count })}</span>
      </span>
      <button
        type="button"
        data-testid="frame-forward"
        title={t("jobs.player.frameForwardHint")}
        aria-label={t("jobs.player.frameForward")}
        onClick={() => onStep(1)}
      >
        ›
      </button>
      <button type="button" data-testid="use-frame-first" disabled={busy} onClick={() => onUse("first")}>
        {t("jobs.player.useAsFirst")}
      </button>
      <button type="button" data-testid="use-frame-last" disabled={busy} onClick={() => onUse("last")}>
        {t("jobs.player.useAsLast")}
      </button>
    </div>
  );
}
