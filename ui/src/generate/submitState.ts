import type { FormCheck, Problem } from "../bindings";

/** Why the Generate button is disabled. */
export type SubmitBlock =
  | { type: "problem"; problem: Problem }
  | { type: "unavailable" }
  | { type: "checking" };

export type SubmitState = { enabled: true } | { enabled: false; block: SubmitBlock };

/**
 * The one place that decides whether Generate can be pressed. `canSubmit` is false while submission is
 * not wired (or a frame is still being read); form problems always win so the user sees what to fix.
 */
export function submitState(check: FormCheck | null, canSubmit: boolean): SubmitState {
  const first = check?.problems[0];
  if (first) return { enabled: false, block: { type: "problem", problem: first } };
  if (!canSubmit) return { enabled: false, block: { type: "unavailable" } };
  if (!check) return { enabled: false, block: { type: "checking" } };
  return { enabled: true };
}
