import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CropRect, FrameInfo } from "../bindings";
import { errorText } from "../i18n";
import { ipc } from "../ipc";
import { useMutation, useQuery } from "../query";

interface Props {
  frame: FrameInfo;
  targetRatio: number;
  /** The target ratio as the backend names it ("16:9"). */
  targetLabel: string;
  onApply: (offset: number) => Promise<void>;
  onCancel: () => void;
}

/** The last frame with the window a crop would keep; the slider slides it (-1 = left/top, 1 = right/bottom). */
export function CropPreview({ frame, targetRatio, targetLabel, onApply, onCancel }: Props) {
  const { t } = useTranslation();
  const titleId = useId();
  const [offset, setOffset] = useState(0);
  // The window drawn stays until the next answer, so sliding does not make it blink.
  const [rect, setRect] = useState<CropRect | null>(null);
  const shown = useQuery(
    () => ipc.cropWindow(frame.width, frame.height, targetRatio, offset),
    [frame.width, frame.height, targetRatio, offset],
  );
  if (shown.data && shown.data !== rect) setRect(shown.data);
  const apply = useMutation(onApply);
  const error = apply.error ?? shown.error;

  const pct = (part: number, whole: number) => `${(100 * part) / Math.max(whole, 1)}%`;

  return (
    <div className="crop-preview" role="dialog" aria-labelledby={titleId}>
      <h4 id={titleId}>{t("generate.cropTitle", { ratio: targetLabel })}</h4>
      <div className="crop-stage">
        <img
          src={frame.thumbnail_data_url}
          alt={t("generate.thumbnailAlt", { frame: t("generate.lastFrame") })}
        />
        {rect && (
          <div
            className="crop-window"
            data-testid="crop-window"
            style={{
              left: pct(rect.x, frame.width),
              top: pct(rect.y, frame.height),
              width: pct(rect.width, frame.width),
              height: pct(rect.height, frame.height),
            }}
          />
        )}
      </div>
      <label className="crop-offset">
        {t("generate.cropPosition")}
        <input
          type="range"
          min={-1}
          max={1}
          step={0.05}
          value={offset}
          onChange={(e) => setOffset(Number(e.target.value))}
        />
      </label>
      <p className="muted small">{t("generate.cropCopyNote")}</p>
      {error && (
        <p className="frame-error small" role="alert">
          {errorText(t, error)}
        </p>
      )}
      <div className="mismatch-actions">
        <button
          type="button"
          className="primary"
          data-testid="crop-apply"
          disabled={apply.pending}
          onClick={() => void apply.run(offset)}
        >
          {t("generate.applyCrop")}
        </button>
        <button type="button" disabled={apply.pending} onClick={onCancel}>
          {t("generate.cancel")}
        </button>
      </div>
    </div>
  );
}
