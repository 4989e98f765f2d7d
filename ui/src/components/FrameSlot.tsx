import { useTranslation } from "react-i18next";

export type FrameSlotName = "first" | "last";

/** One frame zone. Drag-and-drop and the file picker attach here once frame intake is wired. */
export function FrameSlot({ slot }: { slot: FrameSlotName }) {
  const { t } = useTranslation();
  const title = slot === "first" ? t("generate.firstFrame") : t("generate.lastFrame");
  return (
    <section className="frame-slot" data-testid={`frame-${slot}`} aria-label={title}>
      <header>
        <h3>{title}</h3>
        {slot === "last" && <span className="muted">({t("generate.optional")})</span>}
      </header>
      <div className="frame-drop">
        <span className="frame-drop-icon" aria-hidden="true">
          ⬒
        </span>
        <p>{t("generate.dropHint")}</p>
        <p className="muted small">{t("generate.pasteHint")}</p>
      </div>
    </section>
  );
}
