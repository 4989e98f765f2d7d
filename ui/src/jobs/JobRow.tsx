import { memo, useState } from "react";
import { useTranslation } from "react-i18next";
import { CauseDetails, ErrorNotice } from "../components/ErrorNotice";
import { formOptions } from "../generate/options";
import { messageText } from "../i18n";
import type { JobRecord } from "./api";
import { settingsSummary, tokensText } from "./format";
import { type Confirming, JobActions, UncertainNotice } from "./JobActions";
import { JobPlayer } from "./JobPlayer";
import { JobProgressBar } from "./JobProgressBar";
import { JobStatusBadge } from "./JobStatusBadge";
import { useJobs } from "./JobsContext";
import { JobThumbs } from "./JobThumbs";
import { useOpenPlayers } from "./openPlayers";
import { PollTroubleNote } from "./PollTroubleNote";
import { ResubmittedNote } from "./ResubmittedNote";
import { UnsentActions } from "./UnsentActions";
import { useRowActions } from "./useRowActions";

/** One job in the Jobs list. Memoised: a live update re-renders only the row whose record changed. */
export const JobRow = memo(function JobRow({ job }: { job: JobRecord }) {
  const { t } = useTranslation();
  const jobs = useJobs();
  const actions = useRowActions(job);
  // The list keeps which players are open (a row may be mounted again); alone, the row keeps it itself.
  const players = useOpenPlayers();
  const [playingHere, setPlayingHere] = useState(false);
  const playing = players ? players.open.has(job.id) : playingHere;
  const togglePlayer = () => (players ? players.toggle(job.id) : setPlayingHere((p) => !p));
  const [confirming, setConfirming] = useState<Confirming>(null);
  const tokens = tokensText(job, t);
  const showPlayer = playing && job.status === "done" && job.output_path != null;

  return (
    <li className="job-row" data-testid="job-row" data-job-id={job.id} data-status={job.status}>
      <JobThumbs job={job} />
      <div className="job-main">
        <div className="job-head">
          <JobStatusBadge job={job} />
          {(job.status === "queued" || job.status === "running") && !job.poll_trouble && (
            <span className="muted small" data-testid="job-typical">
              {t("jobs.typicalTime")}
            </span>
          )}
          {job.demo && <span className="demo-badge">{t("demo.badge")}</span>}
          {tokens && <span className="muted small">{tokens}</span>}
        </div>
        <p className="job-prompt" title={job.prompt} data-testid="job-prompt">
          {job.prompt || <span className="muted">{t("jobs.noPrompt")}</span>}
        </p>
        <p className="muted small" data-testid="job-settings">
          {settingsSummary(job, t)}
        </p>
        {job.batch && (
          <p className="muted small" data-testid="job-batch">
            {t("batchRun.jobPlace", { name: job.batch.name, item: job.batch.item, take: job.batch.take })}
          </p>
        )}
        {job.status === "not_sent" && !job.batch && <UnsentActions job={job} />}
        {job.status === "not_sent" && job.batch && (
          <p className="small" data-testid="job-waiting-in-batch">
            {t("batchRun.waitingInBatch")}
          </p>
        )}
        {job.problem && (job.status === "failed" || job.status === "submission_uncertain") && (
          <div className="job-problem small" data-testid="job-problem" data-kind={job.problem.kind}>
            <p>{messageText(t, job.problem.message)}</p>
            {job.problem.cause && <CauseDetails cause={job.problem.cause} />}
          </div>
        )}
        {job.poll_trouble && !formOptions.settled_statuses.includes(job.status) && (
          <PollTroubleNote trouble={job.poll_trouble} />
        )}
        {job.resubmitted_as && <ResubmittedNote newId={job.resubmitted_as} />}
        <JobProgressBar job={job} store={jobs?.progress ?? null} />
        {job.status === "submission_uncertain" && confirming === null && (
          <UncertainNotice
            actions={actions}
            onResubmit={job.can_resubmit ? () => setConfirming("resubmit") : null}
          />
        )}
        {showPlayer && <JobPlayer job={job} onOpen={() => void actions.open()} />}
        {formOptions.settled_statuses.includes(job.status) ? (
          <JobActions
            job={job}
            actions={actions}
            playing={showPlayer}
            onTogglePlayer={togglePlayer}
            confirming={confirming}
            setConfirming={setConfirming}
          />
        ) : (
          <div className="job-actions">
            <button type="button" data-testid="copy-prompt" onClick={() => void actions.copyPrompt()}>
              {t("jobs.copyPrompt")}
            </button>
            <button type="button" data-testid="use-settings" onClick={actions.applySettings}>
              {t("jobs.useSettings")}
            </button>
          </div>
        )}
        {actions.notice && (
          <p className="small muted" role="status">
            {t(actions.notice)}
          </p>
        )}
        {actions.error && !(confirming === "resubmit" && actions.error.kind === "spend_limit") && (
          <ErrorNotice error={actions.error} />
        )}
      </div>
    </li>
  );
});
