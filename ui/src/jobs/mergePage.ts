/**
 * Adds a page of older jobs to the loaded list in one pass. Folding a page in job by job (`upsertJob`) looks
 * each one up and re-sorts the whole list: with thousands of jobs loaded that is millions of comparisons per
 * page, felt as a stall each time the list reaches its end. Here the list is indexed once; a job it already
 * holds (shown live before its page arrived) keeps whichever state is newer, and a sort happens only when
 * the page does not simply follow the list (it never should: pages come in keyset order).
 */
import type { JobRecord } from "./api";
import { createdAt } from "./format";

export function mergePage(list: JobRecord[], page: readonly JobRecord[]): JobRecord[] {
  if (page.length === 0) return list;
  const at = new Map(list.map((job, i) => [job.id, i]));
  const next = list.slice();
  const added: JobRecord[] = [];
  for (const job of page) {
    const i = at.get(job.id);
    if (i === undefined) {
      at.set(job.id, list.length + added.length);
      added.push(job);
    } else if (i < list.length) {
      if ((job.updated_at ?? 0) >= (next[i]?.updated_at ?? 0)) next[i] = job;
    } else if ((job.updated_at ?? 0) >= (added[i - list.length]?.updated_at ?? 0)) {
      added[i - list.length] = job;
    }
  }
  const merged = next.concat(added);
  for (let i = 1; i < merged.length; i++) {
    if (createdAt(merged[i] as JobRecord) > createdAt(merged[i - 1] as JobRecord)) {
      // Out of order: a stable sort, newest first, as `upsertJob` keeps it.
      return merged.sort((a, b) => createdAt(b) - createdAt(a));
    }
  }
  return merged;
}
