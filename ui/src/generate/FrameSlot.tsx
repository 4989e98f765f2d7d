import type { Ref } from "react";
import { useTranslation } from "react-i18next";
import type { FixKind, FrameSlot as FrameSlotName, Problem } from "../bindings";
import { errorText, messageText } from "../i18n";
import { FieldProblems } from "./FieldProblems";
import { frameFacts } from "./format";
import type { SlotState } from "./useGenerateForm";

export type { FrameSlotName };

interface Props {
  slot: FrameSlotName;
  state: SlotState;
  /** A file is being dragged over this zone. */
  highlighted?: boolean;
  /** Form-check problems about this slot (e.g. a last frame without a first). */
  problems?: Problem[];
  zoneRef?: Ref<HTMLButtonElement>;
  onPick?: () => void;
  onClear?: () => void;
  onFix?: (fix: FixKind) => void;
}

/** One frame zone: click/Enter/Space to choose a file, or drop one on it. */
export function FrameSlot({
  slot,
  state,
  highlighted,
  problems = [],
  zoneRef,
  onPick,
  onClear,
  onFix,
}: Props) {
  const { t } = useTranslation();
  const title = slot === "first" ? t("generate.firstFrame") : t("generate.lastFrame");
  const { info, error, loading, fixedCopy } = state;
  const zoneClass = ["frame-drop", highlighted ? "drag-over" : "", info ? "filled" : ""]
    .filter(Boolean)
    .join(" ");

  return (
    <section className="frame-slot" data-testid={`frame-${slot}`} aria-label={title}>
      <header>
        <h3>{title}</h3>
        {slot === "last" && <span className="muted">({t("generate.optional")})</span>}
        {info && (
          <button
            type="button"
            className="icon-button frame-clear"
            aria-label={t("generate.clearFrame", { frame: title })}
            title={t("generate.clearFrame", { frame: title })}
            onClick={onClear}
          >
            ×
          </button>
        )}
      </header>
      <button
        type="button"
        ref={zoneRef}
        className={zoneClass}
        data-testid={`frame-${slot}-zone`}
        aria-label={t(info ? "generate.replaceFrame" : "generate.chooseFrame", { frame: title })}
        aria-busy={loading}
        onClick={onPick}
      >
        {loading ? (
          <span className="frame-loading" role="status">
            <span className="spinner" aria-hidden="true" />
            {t("generate.reading")}
          </span>
        ) : info ? (
          <img
            className="frame-thumb"
            src={info.thumbnail_data_url}
            alt={t("generate.thumbnailAlt", { frame: title })}
          />
        ) : (
          <>
            <span className="frame-drop-icon" aria-hidden="true">
              ⬒
            </span>
            <span>{t("generate.dropHint")}</span>
            <span className="muted small">{t("generate.pasteHint")}</span>
          </>
        )}
      </button>
      {info && (
        <p className="frame-facts small" data-testid={`frame-${slot}-facts`}>
          {frameFacts(info)}
        </p>
      )}
      {info && fixedCopy && <p className="muted small">{t("generate.fixedCopyUsed")}</p>}
      {error && (
        <p className="frame-error small" role="alert" data-kind={error.kind}>
          {errorText(t, error)}
        </p>
      )}
      {info && info.problems.length > 0 && (
        <ul className="frame-problems small">
          {info.problems.map((p) => (
            <li key={p.kind} data-kind={p.kind}>
              <span>{messageText(t, p.message)}</span>
              {p.fix && (
                <button type="button" className="small-button" onClick={() => p.fix && onFix?.(p.fix)}>
                  {t("generate.fix")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <FieldProblems field={slot === "first" ? "first_frame" : "last_frame"} problems={problems} />
    </section>
  );
}
