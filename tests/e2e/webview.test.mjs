// What the page itself may reach, asked from inside the real window: the prototype of every object is frozen,
// and the core APIs the UI never uses are refused by the capabilities while the app's own commands still answer.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { isolatedEnv, newSession, startDriver } from "./webdriver.mjs";

let driver;
let s;

before(async () => {
  driver = await startDriver(isolatedEnv("webview").env);
  s = await newSession(driver, process.env.SEEDANCE_APP);
  await s.find("[data-testid=welcome-screen]");
});

after(async () => {
  await s?.close();
  driver?.stop();
});

/** Calls a command the way the page's own code does; "ok" or "refused: <why>". */
function invoke(cmd, args = {}) {
  return s.executeAsync(
    `const [cmd, args, done] = arguments;
     window.__TAURI_INTERNALS__.invoke(cmd, args).then(
       () => done("ok"),
       (e) => done("refused: " + (typeof e === "string" ? e : JSON.stringify(e))),
     );`,
    [cmd, args],
  );
}

test("Object.prototype is frozen before the page's scripts run", async () => {
  const frozen = await s.executeAsync("arguments[0](Object.isFrozen(Object.prototype));");
  assert.equal(frozen, true);
});

test("core APIs the UI does not use are refused; its own commands answer", async () => {
  assert.equal(await invoke("app_info"), "ok", "the app's own commands");
  for (const [cmd, args] of [
    ["plugin:app|version", {}],
    ["plugin:window|set_focus", { label: "main" }],
    ["plugin:webview|get_all_webviews", {}],
    ["plugin:opener|open_url", { url: "https://example.com" }],
  ]) {
    assert.match(await invoke(cmd, args), /^refused: .*not allowed/i, cmd);
  }
});
