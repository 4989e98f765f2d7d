import { useCallback, useEffect, useRef } from "react";
import { ipc } from "../ipc";
import { onJobChanged } from "../jobs/api";
import { useQuery } from "../query";
import { type BatchView, onBatchChanged } from "./api";

/** Job events come in bursts (every step of every job); the list is read again at most this often. */
export const JOB_EVENT_RELOAD_MS = 300;
/** While a batch runs its ETA is read again this often, so the time left keeps counting down. */
export const ETA_REFRESH_MS = 30_000;

/** Puts one batch's new state into the newest-first list (a new batch goes on top). */
export function upsertBatch(list: BatchView[], view: BatchView): BatchView[] {
  const at = list.findIndex((b) => b.batch.id === view.batch.id);
  if (at < 0) return [view, ...list];
  const next = list.slice();
  next[at] = view;
  return next;
}

/**
 * Every batch with its counts and ETA, kept current on its own: a batch event reads that batch again, a job
 * event of a batch's job reads the list again (its counts changed), and a running batch's ETA is refreshed now and then.
 */
export function useBatches() {
  const query = useQuery(() => ipc.listBatches(), []);
  const list = useRef<BatchView[] | null>(null);
  list.current = query.data;
  const { reload, set } = query;

  const put = useCallback(
    (view: BatchView) => {
      set(upsertBatch(list.current ?? [], view));
    },
    [set],
  );

  useEffect(() => {
    const stopBatch = onBatchChanged((batch) => {
      ipc.getBatch(batch.id).then(put, () => void reload());
    });
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stopJob = onJobChanged((job) => {
      // Jobs of no batch change no batch's counts.
      if (!job.batch || timer) return;
      timer = setTimeout(() => {
        timer = null;
        void reload();
      }, JOB_EVENT_RELOAD_MS);
    });
    return () => {
      stopBatch();
      stopJob();
      if (timer) clearTimeout(timer);
    };
  }, [put, reload]);

  const running = (query.data ?? []).some((b) => b.batch.state === "running");
  useEffect(() => {
    if (!running) return;
    const every = setInterval(() => void reload(), ETA_REFRESH_MS);
    return () => clearInterval(every);
  }, [running, reload]);

  return { ...query, put };
}
