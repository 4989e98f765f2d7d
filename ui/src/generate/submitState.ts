import type { FormCheck, FrameProblem, Problem } from "../bindings";
import { messageText, type Translate } from "../i18n";

/** Why the Generate button is disabled. */
export type SubmitBlock =
  | { type: "problem"; problem: Problem }
  | { type: "frame_problem"; problem: FrameProblem }
  | { type: "no_token" }
  | { type: "no_history" }
  | { type: "busy" }
  | { type: "checking" };

export type SubmitState = { enabled: true } | { enabled: false; block: SubmitBlock };

/**
 * The one place that decides whether Generate can be pressed. `canSubmit` is false without a token outside
 * demo mode; `busy` while a frame is being read or a request is on its way (a second click must not start
 * a second paid job); `noHistory` while live jobs are refused because the job history cannot be saved (the
 * backend refuses them too: this only says so before the click). Form and frame problems always win so the user
 * sees what to fix.
 */
export function submitState(
  check: FormCheck | null,
  canSubmit: boolean,
  busy = false,
  frameProblem: FrameProblem | null = null,
  noHistory = false,
): SubmitState {
  const first = check?.problems[0];
  if (first) return { enabled: false, block: { type: "problem", problem: first } };
  // A frame outside the model's limits (as the backend found it) is fixed or replaced before anything is sent.
  if (frameProblem) return { enabled: false, block: { type: "frame_problem", problem: frameProblem } };
  if (noHistory) return { enabled: false, block: { type: "no_history" } };
  if (!canSubmit) return { enabled: false, block: { type: "no_token" } };
  if (!check) return { enabled: false, block: { type: "checking" } };
  if (busy) return { enabled: false, block: { type: "busy" } };
  return { enabled: true };
}

/**
 * What the disabled Generate button says, in the UI's language: the first problem to fix, else why sending is
 * not possible yet. `sending` tells a request on its way from a frame still being read (both are "busy").
 */
export function submitReason(state: SubmitState, sending: boolean, t: Translate): string | null {
  if (state.enabled) return null;
  const block = state.block;
  switch (block.type) {
    case "problem":
      return messageText(t, block.problem.msg);
    case "frame_problem":
      return messageText(t, block.problem.message);
    case "no_history":
      return t("generate.needsHistory");
    case "no_token":
      return t("generate.needsToken");
    case "busy":
      return t(sending ? "generate.sending" : "generate.waitForFrame");
    case "checking":
      return t("generate.checking");
  }
}
