import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import type { Preset } from "../bindings";
import { type IpcError, ipc } from "../ipc";

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
  const [presets, setPresets] = useState<Preset[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  // An answer to an older read must not overwrite a newer one (a rename right after a duplicate, say).
  const generation = useRef(0);

  const reload = useCallback(async () => {
    generation.current += 1;
    const mine = generation.current;
    try {
      const list = await ipc.listPresets();
      if (generation.current !== mine) return;
      setPresets(list);
      setError(null);
    } catch (e) {
      if (generation.current === mine) setError(e as IpcError);
    }
  }, []);

  const replace = useCallback((list: Preset[]) => {
    generation.current += 1;
    setPresets(list);
    setError(null);
  }, []);

  useEffect(() => {
    if (active) void reload();
  }, [active, reload]);

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
