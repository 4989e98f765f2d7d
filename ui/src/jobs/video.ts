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

export const GRAB_TIMEOUT_MS = 15_000;
/** Seeking exactly to the end shows nothing in some decoders; one frame before it is the last frame. */
const FRAME_BEFORE_END_S = 1 / 24;

/** Draws the final frame of job `jobId`'s video onto a canvas and returns it as a PNG data URL. */
export async function grabLastFrame(jobId: string, timeoutMs = GRAB_TIMEOUT_MS): Promise<string> {
  return grabFrom(await ipc.jobVideoUrl(jobId), timeoutMs);
}

function grabFrom(src: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const video = document.createElement("video");
    const timer = setTimeout(() => finish(new Error("the video did not load in time")), timeoutMs);
    function finish(error: Error | null, url?: string) {
      clearTimeout(timer);
      video.removeAttribute("src");
      video.load();
      if (error) reject(error);
      else resolve(url ?? "");
    }
    // The source lets only the app's own page read the pixels, and only in a CORS request; without it the
    // canvas would be tainted and refuse to export.
    video.crossOrigin = "anonymous";
    video.muted = true;
    video.preload = "auto";
    video.addEventListener("loadedmetadata", () => {
      video.currentTime = Math.max(0, video.duration - FRAME_BEFORE_END_S);
    });
    video.addEventListener("seeked", () => {
      const canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const ctx = canvas.getContext("2d");
      if (!ctx || canvas.width === 0) {
        finish(new Error("the video has no picture"));
        return;
      }
      ctx.drawImage(video, 0, 0);
      try {
        finish(null, canvas.toDataURL("image/png"));
      } catch (e) {
        finish(e instanceof Error ? e : new Error(String(e)));
      }
    });
    video.addEventListener("error", () =>
      finish(new Error(`the video could not be read (${video.error?.code})`)),
    );
    video.src = src;
  });
}
