import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { FrameInfo } from "../bindings";
import { messageText } from "../i18n";
import { ipc } from "../ipc";
import { useQuery } from "../query";
import { CropPreview } from "./CropPreview";

interface Props {
  first: FrameInfo;
  last: FrameInfo;
  /** Crops the last frame into a new copy; true once the slot holds it (a failure shows on the zone). */
  onCrop: (targetRatio: number, offset: number) => Promise<boolean>;
}

function pairKey(first: FrameInfo, last: FrameInfo): string {
  return `${first.content_sha256}:${first.handle}|${last.content_sha256}:${last.handle}`;
}

/** Warns when first and last frame differ in shape, and offers to crop the last one to match. */
export function MismatchWarning({ first, last, onCrop }: Props) {
  const { t } = useTranslation();
  const key = pairKey(first, last);
  const [keptKey, setKeptKey] = useState<string | null>(null);
  const [cropping, setCropping] = useState(false);
  // Asked again for each new pair; an answer about an earlier pair is never shown.
  const check = useQuery(() => ipc.frameMismatch(first.aspect, last.aspect), [first, last]);

  // Without an answer there is nothing reliable to warn about; the backend re-checks before sending.
  const mismatch = check.error ? null : check.data;
  if (!mismatch || keptKey === key) return null;
  const targetRatio = mismatch.suggested_crop_ratio ?? first.aspect ?? first.width / first.height;

  return (
    <div className="mismatch" data-testid="mismatch-warning">
      <p role="status" className="mismatch-text">
        <span aria-hidden="true">⚠ </span>
        {messageText(t, mismatch.message)}
      </p>
      {!cropping && (
        <div className="mismatch-actions">
          <button type="button" data-testid="crop-last" onClick={() => setCropping(true)}>
            {t("generate.cropToMatch")}
          </button>
          <button type="button" data-testid="keep-as-is" onClick={() => setKeptKey(key)}>
            {t("generate.keepAsIs")}
          </button>
        </div>
      )}
      {cropping && (
        <CropPreview
          frame={last}
          targetRatio={targetRatio}
          targetLabel={mismatch.first_label}
          onCancel={() => setCropping(false)}
          onApply={async (offset) => {
            if (await onCrop(targetRatio, offset)) setCropping(false);
          }}
        />
      )}
    </div>
  );
}
