import { type ReactNode, useEffect, useId, useRef } from "react";
import { useTranslation } from "react-i18next";

interface Props {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * An inline confirmation inside the row it concerns, so the user sees which job it is about. Focus moves
 * to Cancel (the safe choice); Escape cancels.
 */
export function ConfirmPanel({ title, children, confirmLabel, danger, busy, onConfirm, onCancel }: Props) {
  const { t } = useTranslation();
  const titleId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div
      className="confirm-panel"
      role="alertdialog"
      aria-labelledby={titleId}
      data-testid="confirm"
      onKeyDown={(e) => {
        if (e.key === "Escape") onCancel();
      }}
    >
      <p id={titleId} className="confirm-title">
        {title}
      </p>
      {children}
      <div className="confirm-actions">
        <button type="button" ref={cancelRef} onClick={onCancel} data-testid="confirm-cancel">
          {t("jobs.cancel")}
        </button>
        <button
          type="button"
          className={danger ? "danger" : "primary"}
          disabled={busy}
          onClick={onConfirm}
          data-testid="confirm-ok"
        >
          {confirmLabel}
        </button>
      </div>
    </div>
  );
}
