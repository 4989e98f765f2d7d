import { useTranslation } from "react-i18next";
import { formatBytes } from "../generate/format";
import type { JobRecord } from "./api";
import { percent } from "./format";
import { type ProgressStore, useProgress } from "./progressStore";

/** Upload or download progress from the job's events; the record's byte counts until the first event. */
export function JobProgressBar({ job, store }: { job: JobRecord; store: ProgressStore | null }) {
  const { t } = useTranslation();
  const live = useProgress(store, job.id);
  if (job.status !== "uploading" && job.status !== "downloading") return null;
  const stage = live?.stage ?? (job.status === "uploading" ? "upload" : "download");
  const done = live?.done ?? job.bytes_done ?? 0;
  const total = live ? live.total : job.bytes_total;
  const pct = percent(done, total);
  const label = t(`jobs.progress.${stage}`);
  const amount = [formatBytes(done), total != null ? formatBytes(total) : null].filter(Boolean).join(" / ");
  return (
    <div className="job-progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        aria-valuetext={pct != null ? `${pct}%` : amount}
        data-testid="job-progress"
      >
        <div
          className={pct == null ? "progress-fill indeterminate" : "progress-fill"}
          style={{ width: `${pct ?? 100}%` }}
        />
      </div>
      <span className="muted small">
        {label} {pct != null ? `${pct}% · ` : ""}
        {amount}
      </span>
    </div>
  );
}
