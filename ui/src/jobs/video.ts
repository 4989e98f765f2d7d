import { convertFileSrc } from "@tauri-apps/api/core";
import { useEffect, useState } from "react";

/** The asset-protocol URL of a saved video (the protocol is scoped to the output folder). */
export function videoSrc(path: string): string {
  return convertFileSrc(path);
}

/**
 * Reads a saved video into a `blob:` URL. WebKitGTK's media player cannot read the asset protocol itself, and a
 * same-origin blob also lets the last frame be drawn to a canvas. Revoke the URL when done.
 */
export async function loadVideo(path: string): Promise<string> {
  const response = await fetch(videoSrc(path));
  if (!response.ok) throw new Error(`the video could not be read (${response.status})`);
  return URL.createObjectURL(await response.blob());
}

export type VideoState = { url: string | null; failed: boolean };

/** A playable URL for `path` while `path` is set; the blob is released when it changes or unmounts. */
export function useVideoUrl(path: string | null): VideoState {
  const [state, setState] = useState<VideoState>({ url: null, failed: false });
  useEffect(() => {
    if (!path) return;
    let url: string | null = null;
    let current = true;
    loadVideo(path).then(
      (u) => {
        if (current) {
          url = u;
          setState({ url: u, failed: false });
        } else URL.revokeObjectURL(u);
      },
      () => current && setState({ url: null, failed: true }),
    );
    return () => {
      current = false;
      if (url) URL.revokeObjectURL(url);
      setState({ url: null, failed: false });
    };
  }, [path]);
  return state;
}

export const GRAB_TIMEOUT_MS = 15_000;
/** Seeking exactly to the end shows nothing in some decoders; one frame before it is the last frame. */
const FRAME_BEFORE_END_S = 1 / 24;

/** Draws the final frame of the video saved at `path` onto a canvas and returns it as a PNG data URL. */
export async function grabLastFrame(path: string, timeoutMs = GRAB_TIMEOUT_MS): Promise<string> {
  const src = await loadVideo(path);
  try {
    return await grabFrom(src, timeoutMs);
  } finally {
    URL.revokeObjectURL(src);
  }
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
