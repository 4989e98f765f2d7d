/**
 * Server state in components, one way. Reads (`useQuery`) show only the newest call's answer, so a slow
 * answer to an older question never overwrites a newer one; actions (`useMutation`) run one at a time and
 * keep their error to show. Both hold an `IpcError`, which is what every `ipc` call rejects with.
 */
import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";
import type { IpcError } from "./ipc";

/** Tells whether an answer still belongs to the newest call. */
export interface Latest {
  /** Starts a call that supersedes every earlier one; the check stays true until a later call or `drop`. */
  begin(): () => boolean;
  /** Continues the newest call (the next page of the same list): superseded by exactly what supersedes it. */
  join(): () => boolean;
  /** Supersedes every call on its way: its answer came another way, or what it was for is gone. */
  drop(): void;
}

export function createLatest(): Latest {
  let newest = 0;
  const check = (mine: number) => () => newest === mine;
  return {
    begin: () => check(++newest),
    join: () => check(newest),
    drop: () => {
      newest += 1;
    },
  };
}

/** One `Latest` for the component's lifetime. */
export function useLatest(): Latest {
  const [latest] = useState(createLatest);
  return latest;
}

export interface Query<T> {
  /**
   * The newest answer to the current question; null before the first one. A reload keeps it on screen while
   * the new call is on its way or if it fails; a new question (changed deps) starts from null.
   */
  data: T | null;
  /** Why the newest call failed; cleared when an answer arrives. */
  error: IpcError | null;
  loading: boolean;
  /** Asks again; resolves once the answer (or the error) is shown. Never rejects. */
  reload: () => Promise<void>;
  /** Shows an answer that came another way (a command returned the whole list); drops calls on their way. */
  set: (data: T) => void;
}

interface QueryState<T> {
  data: T | null;
  error: IpcError | null;
  loading: boolean;
}

/**
 * Reads `read()` when the component mounts and again whenever `deps` change. With `read` null nothing is
 * read and nothing is kept (a player with no job to play).
 */
export function useQuery<T>(read: (() => Promise<T>) | null, deps: DependencyList): Query<T> {
  const [state, setState] = useState<QueryState<T>>({ data: null, error: null, loading: read !== null });
  const latest = useLatest();
  const readNow = useRef(read);
  readNow.current = read;

  const ask = useCallback(
    async (fresh: boolean) => {
      const current = latest.begin();
      const fn = readNow.current;
      const start: QueryState<T> = { data: null, error: null, loading: fn !== null };
      setState((s) => {
        // Without a reader there is nothing to wait for; a new question drops the old question's answer.
        if (fresh || !fn) return same(s, start) ? s : start;
        return s.loading ? s : { ...s, loading: true };
      });
      if (!fn) return;
      try {
        const data = await fn();
        if (current()) setState({ data, error: null, loading: false });
      } catch (e) {
        if (current()) setState((s) => ({ data: s.data, error: e as IpcError, loading: false }));
      }
    },
    [latest],
  );
  const reload = useCallback(() => ask(false), [ask]);

  const set = useCallback(
    (data: T) => {
      latest.drop();
      setState({ data, error: null, loading: false });
    },
    [latest],
  );

  useEffect(
    () => {
      void ask(true);
      return () => latest.drop();
    },
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps say when to read again.
    deps,
  );

  return { ...state, reload, set };
}

function same<T>(a: QueryState<T>, b: QueryState<T>): boolean {
  return a.data === b.data && a.error === b.error && a.loading === b.loading;
}

export interface Mutation<A extends unknown[]> {
  /** Runs the action unless one is still on its way; true when it ran and succeeded. Never rejects. */
  run: (...args: A) => Promise<boolean>;
  pending: boolean;
  /** Why the last run failed; cleared when the next run starts. */
  error: IpcError | null;
  reset: () => void;
}

/**
 * An action the user starts (save, send, delete). The guard is a ref, set synchronously: two clicks in the
 * same frame both see it before React re-renders the button as disabled, so the action runs once.
 */
export function useMutation<A extends unknown[]>(act: (...args: A) => Promise<unknown>): Mutation<A> {
  const inFlight = useRef(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const actNow = useRef(act);
  actNow.current = act;

  const run = useCallback(async (...args: A) => {
    if (inFlight.current) return false;
    inFlight.current = true;
    setPending(true);
    setError(null);
    try {
      await actNow.current(...args);
      return true;
    } catch (e) {
      setError(e as IpcError);
      return false;
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }, []);

  const reset = useCallback(() => setError(null), []);
  return { run, pending, error, reset };
}
