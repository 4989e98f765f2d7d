import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../components/ErrorNotice";
import { type IpcError, ipc } from "../ipc";
import type { JobRecord } from "./api";
import { useJobs } from "./JobsContext";

/** A job saved but never sent, waiting for the user: send it now or keep it unsent. */
export function UnsentActions({ job }: { job: JobRecord }) {
  const { t } = useTranslation();
  const jobs = useJobs();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const act = async (call: (id: string) => Promise<JobRecord>) => {
    setBusy(true);
    setError(null);
    try {
      jobs?.publish(await call(job.id));
    } catch (e) {
      setError(e as IpcError);
    } finally {
      setBusy(false);
    }
  };

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
