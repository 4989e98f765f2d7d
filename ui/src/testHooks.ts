import { ipc } from "./ipc";

type Hooks = Record<string, (...args: never[]) => unknown>;
declare global {
  interface Window {
    __seedanceTest?: Hooks;
  }
}

let enabled: Promise<boolean> | null = null;

/**
 * Lets end-to-end tests stand in for what WebDriver cannot operate (the native file picker). Only when the
 * backend is a `test-hooks` build started with SEEDANCE_TEST_HOOKS=1; returns a function that removes the hook.
 */
export function registerTestHook(name: string, fn: (...args: never[]) => unknown): () => void {
  enabled ??= ipc.appInfo().then(
    (info) => info.test_hooks,
    () => false,
  );
  let removed = false;
  enabled.then((on) => {
    if (!on || removed) return;
    window.__seedanceTest = { ...window.__seedanceTest, [name]: fn };
  });
  return () => {
    removed = true;
    if (window.__seedanceTest) delete window.__seedanceTest[name];
  };
}
