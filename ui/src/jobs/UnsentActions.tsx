import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../components/ErrorNotice";
import { ipc } from "../ipc";
import { useMutation } from "../query";
import type { JobRecord } from "./api";
import { useJobs } from "./JobsContext";

/** A job saved but never sent, waiting for the user: send it now or keep it unsent. */
export function UnsentActions({ job }: { job: JobRecord }) {
  const { t } = useTranslation();
  const jobs = useJobs();
  const {
    run: act,
    pending: busy,
    error,
  } = useMutation(async (call: (id: string) => Promise<JobRecord>) => {
    jobs?.publish(await call(job.id));
  });

  return (
    <div className="uncertain" data-testid="unsent">
      <p className="small">{t("jobs.unsent.explain")}</p>
      <div className="job-actions">
        <button
          type="button"
          className="primary"
          disabled={busy}
          data-testid="send-unsent"
          onClick={() => void act(ipc.sendUnsentJob)}
        >
          {t("jobs.unsent.send")}
        </button>
        <button
          type="button"
          disabled={busy}
          data-testid="discard-unsent"
          onClick={() => void act(ipc.discardUnsentJob)}
        >
          {t("jobs.unsent.discard")}
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
