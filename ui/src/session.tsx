import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from "react";
import type { Session } from "./bindings";
import { type IpcError, ipc } from "./ipc";

interface SessionContextValue {
  session: Session | null;
  error: IpcError | null;
  /** Runs a command that returns the new session and publishes it. */
  update: (call: Promise<Session>) => Promise<Session>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Whether the app is in demo mode and whether a token is set: read once at start, updated by commands. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    ipc.getSession().then(setSession, setError);
  }, []);

  const update = useCallback(async (call: Promise<Session>) => {
    const next = await call;
    setSession(next);
    setError(null);
    return next;
  }, []);

  return <SessionContext.Provider value={{ session, error, update }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
