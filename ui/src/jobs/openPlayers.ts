/**
 * Which jobs' inline players are open on the Jobs screen. Kept by the list, not by each row: the list renders
 * only the rows near the view, so a row scrolled out and back is mounted again and would forget it. The list
 * also keeps a row with an open player rendered while it is near (see `MeasuredList`'s `pinned`).
 */
import { createContext, useContext } from "react";

export interface OpenPlayers {
  open: ReadonlySet<string>;
  toggle: (id: string) => void;
}

export const OpenPlayersContext = createContext<OpenPlayers | null>(null);

export function useOpenPlayers(): OpenPlayers | null {
  return useContext(OpenPlayersContext);
}

/** The set with `id` added, or taken out when it is there. */
export function toggled(open: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(open);
  if (!next.delete(id)) next.add(id);
  return next;
}
