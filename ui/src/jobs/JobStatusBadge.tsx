import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { formOptions } from "../generate/options";
import type { JobRecord } from "./api";
import { elapsedMs, formatElapsed } from "./format";

export const TICK_MS = 1000;

/** The status word and the elapsed time; ticks every second while the job is active. */
export function JobStatusBadge({ job }: { job: JobRecord }) {
  const { t } = useTranslation();
  const active = !formOptions.settled_statuses.includes(job.status);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [active]);

  const elapsed = formatElapsed(elapsedMs(job, now));
  return (
    <span className={`status-badge status-${job.status}`} data-testid="job-status" data-status={job.status}>
      <span className="status-word">{t(`jobs.status.${job.status}`)}</span>{" "}
      <span
        className="elapsed"
        data-testid="job-elapsed"
        title={active ? t("jobs.elapsedActive") : t("jobs.elapsedTotal")}
      >
        {elapsed}
      </span>
    </span>
  );
}
