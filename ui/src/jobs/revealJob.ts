/**
 * Brings a job's row into view in the Jobs list. The list renders only the rows near the view, so a row
 * elsewhere (e.g. the job an uncertain one was resubmitted as) is not in the page until the list scrolls to it.
 */
import { createContext, useContext } from "react";

/** Scrolls the list to the job; false when the list does not hold it (filtered out, or not loaded yet). */
export type RevealJob = (id: string) => boolean;

export const RevealJobContext = createContext<RevealJob | null>(null);

export function useRevealJob(): RevealJob | null {
  return useContext(RevealJobContext);
}
