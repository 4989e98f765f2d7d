/**
 * The Batch screen's state: the review the backend planned (the draft itself lives in the backend, which
 * reads every file), the calls that change it, and polling while frame checks are still running so their
 * results stream into the table. Answers are applied in the order the calls were made: a slow poll never
 * overwrites the result of a later edit. A poll names the version of the review the page has and gets only
 * the items that changed since (a few, of perhaps a thousand), merged into the review here.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { BatchReview, ReviewChanges } from "../bindings";
import { type IpcError, ipc } from "../ipc";

/** How often the review is read again while frames are being checked. */
export const POLL_MS = 500;

/** The review with a poll's changes applied; items that did not change keep their identity. */
export function applyChanges(review: BatchReview, changes: ReviewChanges): BatchReview {
  if (changes.id !== review.id) return review;
  let items = changes.items;
  if (!changes.full) {
    const changed = new Map(changes.items.map((i) => [i.item.index, i]));
    items = review.items.map((i) => changed.get(i.item.index) ?? i);
  }
  return {
    ...review,
    items,
    problems: changes.problems,
    total: changes.total,
    can_start: changes.can_start,
    checks_pending: changes.checks_pending,
    version: changes.version,
  };
}

export function useBatchDraft() {
  const [review, setReview] = useState<BatchReview | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  /** Bumped when polling should look again: a call ended, or a poll's answer was set aside for one. */
  const [nudge, setNudge] = useState(0);
  /** Calls made (picks, edits, `clear`); a call's answer is applied only if no later call's already was. */
  const issued = useRef(0);
  const applied = useRef(0);
  /** Calls still waiting for their answer: the screen is busy while any is. */
  const waiting = useRef(0);

  /** Runs a call that answers with a review (or `null`: a cancelled picker, nothing changes). */
  const run = useCallback(async (call: () => Promise<BatchReview | null>): Promise<boolean> => {
    const seq = ++issued.current;
    waiting.current++;
    setBusy(true);
    try {
      const next = await call();
      if (seq < applied.current) return false;
      applied.current = seq;
      setError(null);
      if (next) setReview(next);
      return next !== null;
    } catch (e) {
      // The review shown stays as it was: a failed pick or edit loses nothing.
      if (seq >= applied.current) setError(e as IpcError);
      return false;
    } finally {
      waiting.current--;
      if (waiting.current === 0) {
        setBusy(false);
        setNudge((n) => n + 1);
      }
    }
  }, []);

  // While checks are pending, the review is read again every POLL_MS. Polls never compete with calls: none
  // is sent while a call (a pick left open for a minute, an edit) waits, and an answer that crossed a call
  // made after it is set aside, so a poll can neither hide a new source nor undo an edit.
  useEffect(() => {
    void nudge;
    if (!review || review.checks_pending === 0) return;
    const reviewId = review.id;
    const version = review.version;
    const timer = setTimeout(() => {
      if (waiting.current > 0) return; // the call's end nudges
      const at = issued.current;
      ipc.batchReviewChanges(reviewId, version).then(
        (changes) => {
          if (issued.current !== at || waiting.current > 0) {
            setNudge((n) => n + 1);
            return;
          }
          setReview((now) => (now ? applyChanges(now, changes) : now));
        },
        () => {
          /* the next edit or pick shows any error; polling just stops */
        },
      );
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [review, nudge]);

  const clear = useCallback(() => {
    issued.current++;
    applied.current = issued.current;
    setReview(null);
    setError(null);
  }, []);

  return { review, error, busy, run, clear, setError };
}
