import { type IpcError, ipc } from "../ipc";
import { useQuery } from "../query";

/**
 * Finished videos reach the webview from the app's loopback video source (a per-launch URL per job, streamed
 * from disk with byte ranges). Not through `blob:` URLs: WebKitGTK 2.50 reads those wrongly past 2 MiB.
 */
export type VideoSource = { url: string | null; error: IpcError | null };

/** The player URL of job `jobId` while `jobId` is set, or why there is none. */
export function useVideoUrl(jobId: string | null): VideoSource {
  const { data, error } = useQuery(jobId ? () => ipc.jobVideoUrl(jobId) : null, [jobId]);
  return { url: error ? null : data, error };
}
