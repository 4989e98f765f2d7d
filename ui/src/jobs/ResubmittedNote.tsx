import { useState } from "react";
import { useTranslation } from "react-i18next";

const HIGHLIGHT_MS = 2500;

/** "Resubmitted as …" on the original job, with a way to the new one in the list. */
export function ResubmittedNote({ newId }: { newId: string }) {
  const { t } = useTranslation();
  const [missing, setMissing] = useState(false);
  const show = () => {
    const target = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="job-row"]')).find(
      (el) => el.dataset.jobId === newId,
    );
    setMissing(!target);
    if (!target) return;
    target.scrollIntoView?.({ block: "center", behavior: "smooth" });
    target.classList.add("highlight");
    window.setTimeout(() => target.classList.remove("highlight"), HIGHLIGHT_MS);
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
