import { useCallback, useRef, useState } from "react";
import type { DuplicateSubmission, Estimate, RequestDraft, SpendQuestion } from "../bindings";
import type { IpcError } from "../ipc";

/**
 * Sends the request; `intended` says the user confirmed a repeat of an identical recent job, `spendConfirmed`
 * that they said "Generate anyway" to passing a spend limit.
 */
export type SubmitFn = (
  draft: RequestDraft,
  tokensEstimate: number | null,
  intended: boolean,
  spendConfirmed: boolean,
) => Promise<unknown> | undefined;

/** A submission the backend refused to send without a question, kept exactly as sent so a yes resends the same. */
interface Pending {
  draft: RequestDraft;
  tokensEstimate: number | null;
  /** The backend's estimate the form showed when it was sent. */
  estimate: Estimate | null;
  /** The answers already given: a yes to one question is not asked again by the next. */
  intended: boolean;
  spendConfirmed: boolean;
}

/** Refused as a repeat of an identical recent job. */
export interface PendingRepeat extends Pending {
  duplicate: DuplicateSubmission | null;
}

/** Refused because it would pass today's or this month's spend limit. */
export interface PendingSpend extends Pending {
  /** The limits passed, each with its sentence; null when the details could not be read. */
  question: SpendQuestion | null;
  /** The backend's sentence for all of them. */
  error: IpcError;
}

/** The question's details the backend sent with a refusal (JSON), or null when there are none or they cannot be read. */
export function detailsOf<T>(error: IpcError): T | null {
  if (!error.details) return null;
  try {
    return JSON.parse(error.details) as T;
  } catch {
    return null;
  }
}

/**
 * One submission at a time. The guard is a ref, set synchronously: two clicks or key presses in the same
 * frame both see it before React re-renders the button as disabled. It is released only once the backend
 * has answered.
 */
export function useGuardedSubmit(onSubmit: SubmitFn | undefined) {
  const inFlight = useRef(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [pendingRepeat, setPendingRepeat] = useState<PendingRepeat | null>(null);
  const [pendingSpend, setPendingSpend] = useState<PendingSpend | null>(null);

  const send = useCallback(
    (
      draft: RequestDraft,
      tokensEstimate: number | null,
      estimate: Estimate | null,
      intended: boolean,
      spendConfirmed = false,
    ) => {
      if (inFlight.current || !onSubmit) return;
      const sent = onSubmit(draft, tokensEstimate, intended, spendConfirmed);
      if (!sent) return;
      inFlight.current = true;
      setSubmitting(true);
      setError(null);
      setPendingRepeat(null);
      setPendingSpend(null);
      const pending: Pending = { draft, tokensEstimate, estimate, intended, spendConfirmed };
      sent.then(
        () => {
          inFlight.current = false;
          setSubmitting(false);
        },
        (e: IpcError) => {
          inFlight.current = false;
          setSubmitting(false);
          if (e.kind === "duplicate_submission") {
            setPendingRepeat({ ...pending, duplicate: detailsOf<DuplicateSubmission>(e) });
          } else if (e.kind === "spend_limit") {
            setPendingSpend({ ...pending, question: detailsOf<SpendQuestion>(e), error: e });
          } else {
            setError(e);
          }
        },
      );
    },
    [onSubmit],
  );

  const confirmRepeat = useCallback(() => {
    if (!pendingRepeat) return;
    const p = pendingRepeat;
    send(p.draft, p.tokensEstimate, p.estimate, true, p.spendConfirmed);
  }, [pendingRepeat, send]);

  const cancelRepeat = useCallback(() => setPendingRepeat(null), []);

  const confirmSpend = useCallback(() => {
    if (!pendingSpend) return;
    const p = pendingSpend;
    send(p.draft, p.tokensEstimate, p.estimate, p.intended, true);
  }, [pendingSpend, send]);

  const cancelSpend = useCallback(() => setPendingSpend(null), []);

  return {
    send,
    submitting,
    error,
    pendingRepeat,
    confirmRepeat,
    cancelRepeat,
    pendingSpend,
    confirmSpend,
    cancelSpend,
    inFlight,
  };
}
