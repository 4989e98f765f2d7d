import { createContext, type ReactNode, useCallback, useContext } from "react";
import type { Session } from "./bindings";
import { type IpcError, ipc } from "./ipc";
import { useQuery } from "./query";

interface SessionContextValue {
  session: Session | null;
  error: IpcError | null;
  /** Runs a command that returns the new session and publishes it. */
  update: (call: Promise<Session>) => Promise<Session>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Whether the app is in demo mode and whether a token is set: read once at start, updated by commands. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const { data: session, error, set } = useQuery(() => ipc.getSession(), []);

  const update = useCallback(
    async (call: Promise<Session>) => {
      const next = await call;
      set(next);
      return next;
    },
    [set],
  );

  return <SessionContext.Provider value={{ session, error, update }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
