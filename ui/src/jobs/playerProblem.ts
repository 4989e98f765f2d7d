/**
 * Why the inline player stopped, in words that name the way out. WebKitGTK plays through GStreamer, and a Linux
 * system without its H.264 decoder reports "source not supported" (4) or "decode" (3): a black box unless said.
 */

export type Platform = "linux" | "macos" | "windows" | "other";

/** The i18n key of what to tell the user about a `<video>` that failed with `MediaError.code` `code`. */
export function playerProblemKey(code: number | null | undefined, platform: Platform): string {
  const linux = platform === "linux";
  switch (code) {
    case 4: // MEDIA_ERR_SRC_NOT_SUPPORTED: no decoder for this format
      return linux ? "jobs.player.noDecoderLinux" : "jobs.player.noDecoder";
    case 3: // MEDIA_ERR_DECODE
      return linux ? "jobs.player.decodeFailedLinux" : "jobs.player.decodeFailed";
    case 2: // MEDIA_ERR_NETWORK: the local source stopped answering
      return "jobs.player.unreadable";
    default:
      return "jobs.playerFailed";
  }
}

/** The OS the webview runs on, from its user agent (the player's messages differ only by it). */
export function platformOf(userAgent: string): Platform {
  if (/Windows/i.test(userAgent)) return "windows";
  if (/Macintosh|Mac OS X/i.test(userAgent)) return "macos";
  if (/Linux|X11/i.test(userAgent)) return "linux";
  return "other";
}
