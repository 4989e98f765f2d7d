/**
 * The thumbnails of the jobs seen lately, kept across row mounts. The Jobs list renders only the rows near the
 * view, so a row scrolled out and back is mounted again: without this it would ask the backend for the same
 * images each time. A job's frames never change, so an entry never goes stale; the oldest go past `LIMIT`.
 */
import type { JobThumbnails } from "./api";

/** About a few megabytes of data URLs: a few screens' worth of rows scrolled back and forth. */
export const LIMIT = 300;

const cache = new Map<string, JobThumbnails>();

export function cachedThumbs(id: string): JobThumbnails | null {
  const hit = cache.get(id);
  if (!hit) return null;
  // Used again: the newest entry.
  cache.delete(id);
  cache.set(id, hit);
  return hit;
}

export function rememberThumbs(id: string, thumbs: JobThumbnails) {
  cache.delete(id);
  cache.set(id, thumbs);
  while (cache.size > LIMIT) {
    const oldest = cache.keys().next().value as string;
    cache.delete(oldest);
  }
}

/** For tests. */
export function forgetThumbs() {
  cache.clear();
}
