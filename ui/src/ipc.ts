import { commands, type IpcError as GeneratedIpcError } from "./bindings";

export type IpcError = GeneratedIpcError;
/** The shape every generated command resolves to. */
export type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

function isIpcError(value: unknown): value is IpcError {
  return typeof value === "object" && value !== null && "kind" in value && "message" in value;
}

/**
 * Turns a generated command's `Result` into a promise that rejects with an `IpcError`. Anything that is not
 * the app's own error shape (a failed invoke, a bug) is wrapped so every rejection can be shown the same way.
 */
async function unwrap<T>(call: Promise<Result<T, IpcError>>): Promise<T> {
  let result: Result<T, IpcError>;
  try {
    result = await call;
  } catch (e) {
    if (isIpcError(e)) throw e;
    const detail = e instanceof Error ? e.message : String(e);
    throw {
      kind: "ipc_failed",
      message: { key: "msg.ipc_failed", args: {} },
      details: null,
      cause: detail,
    } satisfies IpcError;
  }
  if (result.status === "ok") return result.data;
  throw result.error;
}

type Commands = typeof commands;
/** What a generated command's `Result` holds when it succeeds. */
type Answer<C> = C extends (...args: never[]) => Promise<Result<infer T, IpcError>> ? T : never;

/** Every generated command, resolving to its answer and rejecting with an `IpcError`. */
export type Ipc = {
  [K in keyof Commands]: (...args: Parameters<Commands[K]>) => Promise<Answer<Commands[K]>>;
};

/**
 * The one way the UI calls the backend: `ipc.listJobs(query)`. Built from the generated `commands`, so a new
 * Rust command is here as soon as the bindings are regenerated, typed from its signature.
 */
export const ipc = Object.fromEntries(
  Object.entries(commands).map(([name, command]) => [
    name,
    (...args: unknown[]) =>
      unwrap((command as (...a: unknown[]) => Promise<Result<unknown, IpcError>>)(...args)),
  ]),
) as Ipc;
