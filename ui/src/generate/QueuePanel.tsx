import { useTranslation } from "react-i18next";
import { JobStatusBadge } from "../jobs/JobStatusBadge";
import { useJobs, useRecentJobs } from "../jobs/JobsContext";
import { PollTroubleLine } from "../jobs/PollTroubleNote";
import { formOptions } from "./options";

/** The newest jobs beside the Generate form; a click opens the Jobs screen. */
export function QueuePanel() {
  const { t } = useTranslation();
  const jobs = useJobs();
  const recent = useRecentJobs();
  return (
    <aside className="queue" aria-labelledby="queue-title" data-testid="queue">
      <h2 id="queue-title">{t("queue.title")}</h2>
      {recent.length === 0 ? (
        <p className="muted small">{t("queue.empty")}</p>
      ) : (
        <ul className="queue-list">
          {recent.map((job) => (
            <li key={job.id} data-testid="queue-item" data-status={job.status}>
              <button
                type="button"
                className="queue-item"
                title={t("queue.openJobs")}
                onClick={() => jobs?.openJobs()}
              >
                <JobStatusBadge job={job} />
                {job.demo && <span className="demo-badge">{t("demo.badge")}</span>}
                <span className="queue-prompt">{job.prompt || t("jobs.noPrompt")}</span>
                {job.poll_trouble && !formOptions.settled_statuses.includes(job.status) && (
                  <PollTroubleLine trouble={job.poll_trouble} />
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
      {recent.length > 0 && (
        <button type="button" className="link-button small" onClick={() => jobs?.openJobs()}>
          {t("queue.allJobs")}
        </button>
      )}
    </aside>
  );
}
