import { useSyncExternalStore } from "react";
import type { JobProgress } from "./api";

/**
 * The latest upload/download progress per job. Progress events arrive many times a second; keeping them
 * out of React state means only the row whose bar moved re-renders, not the whole list.
 */
export interface ProgressStore {
  set: (p: JobProgress) => void;
  clear: (id: string) => void;
  get: (id: string) => JobProgress | undefined;
  subscribe: (listener: () => void) => () => void;
}

export function createProgressStore(): ProgressStore {
  const latest = new Map<string, JobProgress>();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of listeners) l();
  };
  return {
    set: (p) => {
      latest.set(p.id, p);
      notify();
    },
    clear: (id) => {
      if (latest.delete(id)) notify();
    },
    get: (id) => latest.get(id),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const EMPTY_STORE = createProgressStore();

export function useProgress(store: ProgressStore | null, id: string): JobProgress | undefined {
  const s = store ?? EMPTY_STORE;
  return useSyncExternalStore(s.subscribe, () => s.get(id));
}
