import { useCallback, useRef, useState } from "react";
import type { DuplicateSubmission, Estimate, RequestDraft } from "../bindings";
import type { IpcError } from "../ipc";

/** Sends the request; `intended` says the user confirmed a repeat of an identical recent job. */
export type SubmitFn = (
  draft: RequestDraft,
  tokensEstimate: number | null,
  intended: boolean,
) => Promise<unknown> | undefined;

/** A submission the backend refused as a repeat, kept exactly as sent so a confirmation resends the same. */
export interface PendingRepeat {
  draft: RequestDraft;
  tokensEstimate: number | null;
  /** The backend's estimate the form showed when it was sent. */
  estimate: Estimate | null;
  duplicate: DuplicateSubmission | null;
}

function duplicateOf(error: IpcError): DuplicateSubmission | null {
  if (!error.details) return null;
  try {
    return JSON.parse(error.details) as DuplicateSubmission;
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

  const send = useCallback(
    (draft: RequestDraft, tokensEstimate: number | null, estimate: Estimate | null, intended: boolean) => {
      if (inFlight.current || !onSubmit) return;
      const sent = onSubmit(draft, tokensEstimate, intended);
      if (!sent) return;
      inFlight.current = true;
      setSubmitting(true);
      setError(null);
      setPendingRepeat(null);
      sent.then(
        () => {
          inFlight.current = false;
          setSubmitting(false);
        },
        (e: IpcError) => {
          inFlight.current = false;
          setSubmitting(false);
          if (e.kind === "duplicate_submission") {
            setPendingRepeat({ draft, tokensEstimate, estimate, duplicate: duplicateOf(e) });
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
    send(pendingRepeat.draft, pendingRepeat.tokensEstimate, pendingRepeat.estimate, true);
  }, [pendingRepeat, send]);

  const cancelRepeat = useCallback(() => setPendingRepeat(null), []);

  return { send, submitting, error, pendingRepeat, confirmRepeat, cancelRepeat, inFlight };
}
