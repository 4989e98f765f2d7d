import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useRevealJob } from "./revealJob";

const HIGHLIGHT_MS = 2500;

function rowOf(id: string): HTMLElement | undefined {
  return Array.from(document.querySelectorAll<HTMLElement>('[data-testid="job-row"]')).find(
    (el) => el.dataset.jobId === id,
  );
}

function highlight(target: HTMLElement | undefined) {
  if (!target) return;
  target.classList.add("highlight");
  window.setTimeout(() => target.classList.remove("highlight"), HIGHLIGHT_MS);
}

/** "Resubmitted as …" on the original job, with a way to the new one in the list. */
export function ResubmittedNote({ newId }: { newId: string }) {
  const { t } = useTranslation();
  const [missing, setMissing] = useState(false);
  const reveal = useRevealJob();
  const show = () => {
    const target = rowOf(newId);
    if (target) {
      setMissing(false);
      target.scrollIntoView?.({ block: "center", behavior: "smooth" });
      highlight(target);
      return;
    }
    // Not rendered: the list scrolls to it (if it holds it), and the row is there on the next frame.
    const found = reveal?.(newId) ?? false;
    setMissing(!found);
    if (found) requestAnimationFrame(() => requestAnimationFrame(() => highlight(rowOf(newId))));
  };
  return (
    <div className="resubmitted small" data-testid="resubmitted" data-new-job={newId}>
      <span>{t("jobs.resubmittedAs", { id: newId.slice(0, 8) })}</span>
      <button type="button" className="link-button" data-testid="show-resubmitted" onClick={show}>
        {t("jobs.showResubmitted")}
      </button>
      {missing && (
        <span className="muted" role="status">
          {t("jobs.resubmittedMissing")}
        </span>
      )}
    </div>
  );
}
