import { convertFileSrc } from "@tauri-apps/api/core";

/** The URL the webview plays a saved video from (the asset protocol, scoped to the output folder). */
export function videoSrc(path: string): string {
  return convertFileSrc(path);
}

export const GRAB_TIMEOUT_MS = 15_000;
/** Seeking exactly to the end shows nothing in some decoders; one frame before it is the last frame. */
const FRAME_BEFORE_END_S = 1 / 24;

/** Draws a video's final frame onto a canvas and returns it as a PNG data URL. */
export function grabLastFrame(src: string, timeoutMs = GRAB_TIMEOUT_MS): Promise<string> {
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
    video.addEventListener("error", () => finish(new Error("the video could not be read")));
    video.src = src;
  });
}
