import { useState } from "react";
import { type IpcError, ipc } from "../ipc";
import { useMutation } from "../query";
import type { JobRecord } from "./api";
import { copyText } from "./clipboard";
import { useJobs } from "./JobsContext";

function isIpcError(e: unknown): e is IpcError {
  return typeof e === "object" && e !== null && "kind" in e && "message" in e;
}

/** An error of the webview itself (the clipboard), a catalog message like a backend one. */
function localError(kind: string, key: string): IpcError {
  return { kind, message: { key, args: {} }, details: null, cause: null };
}

/** Everything a row's buttons do, with one busy flag and one error per row. */
export function useRowActions(job: JobRecord) {
  const jobs = useJobs();
  const [notice, setNotice] = useState<string | null>(null);

  const {
    run,
    pending: busy,
    error,
    reset,
  } = useMutation(async (action: () => Promise<void>, fallback: () => IpcError) => {
    setNotice(null);
    try {
      await action();
    } catch (e) {
      throw isIpcError(e) ? e : fallback();
    }
  });

  const backendError = () => localError("ipc_failed", "jobs.errors.backend");
  const copy = (text: string, doneKey: string) =>
    run(
      async () => {
        await copyText(text);
        setNotice(doneKey);
      },
      () => localError("clipboard_failed", "jobs.errors.clipboard"),
    );

  return {
    busy,
    error,
    /** Forgets the last error (a spend question the user cancelled). */
    reset,
    notice,
    open: () => run(() => ipc.openJobVideo(job.id).then(() => undefined), backendError),
    reveal: () => run(() => ipc.revealJobVideo(job.id).then(() => undefined), backendError),
    copyPath: () => copy(job.output_path ?? "", "jobs.copiedPath"),
    copyPrompt: () => copy(job.prompt, "jobs.copiedPrompt"),
    // The backend hands the job's request back with its frames as handles the form can read.
    applySettings: () =>
      run(async () => {
        const draft = await ipc.jobDraft(job.id);
        jobs?.loadIntoGenerate({ draft });
      }, backendError),
    // The backend decodes the video's last shown frame itself (no webview decoder involved) and hands it
    // back like a picked file.
    continueFromLastFrame: () =>
      run(async () => {
        if (!job.output_path) return;
        const info = await ipc.takeJobFrame(job.id, null);
        jobs?.loadIntoGenerate({ firstFrame: info });
      }, backendError),
    markFailed: () =>
      run(async () => {
        jobs?.publish(await ipc.markJobFailed(job.id));
      }, backendError),
    /** `spendConfirmed`: the user said "Submit anyway" to passing a spend limit. */
    resubmit: (spendConfirmed = false) =>
      run(async () => {
        jobs?.publish(await ipc.resubmitJob(job.id, spendConfirmed));
      }, backendError),
    retryDownload: () =>
      run(async () => {
        jobs?.publish(await ipc.retryDownload(job.id));
      }, backendError),
    remove: (deleteFile: boolean) =>
      run(async () => {
        await ipc.deleteJob(job.id, deleteFile);
        jobs?.remove(job.id);
      }, backendError),
  };
}

export type RowActions = ReturnType<typeof useRowActions>;
