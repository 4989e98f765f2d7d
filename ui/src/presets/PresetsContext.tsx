import { createContext, type ReactNode, useContext, useMemo } from "react";
import type { Preset } from "../bindings";
import { type IpcError, ipc } from "../ipc";
import { useQuery } from "../query";

interface PresetsValue {
  /** Null until the first answer. */
  presets: Preset[] | null;
  /** The last list read failed (the previous list, if any, stays). */
  error: IpcError | null;
  /** Reads the list again; resolves once it is shown. */
  reload: () => Promise<void>;
  /** A command answered with the whole list (reorder): show it without asking again. */
  replace: (list: Preset[]) => void;
}

const PresetsContext = createContext<PresetsValue | null>(null);

function usePresetStore(active: boolean): PresetsValue {
  // An answer to an older read must not overwrite a newer one (a rename right after a duplicate, say).
  const {
    data: presets,
    error,
    reload,
    set: replace,
  } = useQuery(active ? () => ipc.listPresets() : null, [active]);
  return useMemo(() => ({ presets, error, reload, replace }), [presets, error, reload, replace]);
}

/** One preset list for the window, so a rename in the manager shows in the Generate picker at once. */
export function PresetsProvider({ children }: { children: ReactNode }) {
  const value = usePresetStore(true);
  return <PresetsContext.Provider value={value}>{children}</PresetsContext.Provider>;
}

/** The shared list; outside the app shell (a screen rendered on its own) a list of its own. */
export function usePresets(): PresetsValue {
  const shared = useContext(PresetsContext);
  const own = usePresetStore(shared === null);
  return shared ?? own;
}
