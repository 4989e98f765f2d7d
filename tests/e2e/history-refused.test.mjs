// A job history that cannot be opened, in the real window (issue 13, item 7). The database's path in the app's
// private data folder is a directory, so SQLite cannot open it and the app runs on a store in memory: a paid video
// could then be lost if the app stopped. Live Generate is refused, on screen and by the backend, with a message
// that says why and how to fix it; no request reaches the service. Demo mode still generates.
// Two launches on the same data folder: one with a token (live), one without (the welcome screen offers the demo).
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { messageText } from "./messages.mjs";
import { isolatedEnv, KEYS, newSession, startDriver, startSim } from "./webdriver.mjs";

/** WebDriver's key that releases the modifiers held down so far. */
const NULL_KEY = "\uE000";

const TOKEN = `sk-e2e-history-${process.pid}-Vb9tRw`;
let sim;
let home;

before(async () => {
  sim = await startSim(TOKEN, { extra: ["--log-requests"] });
  home = isolatedEnv("history-refused", {
    SEEDANCE_API_BASE: sim.api,
    SEEDANCE_UPLOAD_BASE: sim.api,
  });
  mkdirSync(join(home.env.SEEDANCE_DATA_DIR, "seedance.db"), { recursive: true });
});

after(() => sim?.child.kill("SIGKILL"));

describe("live, with a token", () => {
  let driver;
  let s;
  before(async () => {
    driver = await startDriver({ ...home.env, SEEDANCE_API_TOKEN: TOKEN });
    s = await newSession(driver, process.env.SEEDANCE_APP);
  });
  after(async () => {
    await s?.close();
    driver?.stop();
  });

  test("Generate is refused, saying why and how to fix it, and nothing reaches the service", async () => {
    await s.find("[data-testid=generate-screen]");
    const banner = await s.text("[data-testid=store-problem]");
    assert.match(banner, /Job history is not being saved, so live generation is off/);
    assert.match(banner, /Demo mode still works/);

    await s.type("[data-testid=prompt]", "A red umbrella crosses a busy square, top-down shot");
    const reason = await s.waitForText("[data-testid=submit-reason]", (t) =>
      t.includes("live generation is off"),
    );
    assert.equal(await s.attr("[data-testid=generate-button]", "disabled"), "true", reason);
    await s.screenshot("history-refused-live");

    // The backend refuses too (a page that skipped its own check would still not start a paid job).
    const refused = JSON.parse(
      await s.executeAsync(
        `const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__
           .invoke("submit_job", { draft: { prompt: "A red umbrella crosses a busy square" }, tokensEstimate: null, intended: false, spendConfirmed: false })
           .then(() => done(JSON.stringify({ kind: "accepted" })), (e) => done(JSON.stringify(e)));`,
      ),
    );
    assert.equal(refused.kind, "history_not_saved", JSON.stringify(refused));
    const [en, zh] = [messageText(refused.message, "en"), messageText(refused.message, "zh-CN")];
    assert.match(en, /job history could not be opened/);
    assert.match(en, /free disk space, folder permissions, or a damaged file/);
    assert.match(en, /restart the app\. Demo mode still works\./);
    assert.match(zh, /演示模式仍可使用/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(sim.requests(), [], "no request reached the service");
    assert.equal(await s.count("[data-testid=queue-item]"), 0);
  });
});

describe("demo, without a token", () => {
  let driver;
  let s;
  before(async () => {
    driver = await startDriver(home.env);
    s = await newSession(driver, process.env.SEEDANCE_APP);
  });
  after(async () => {
    await s?.close();
    driver?.stop();
  });

  test("demo mode still generates a video", async () => {
    await s.click("[data-testid=try-demo]");
    await s.find("[data-testid=demo-badge]");
    await s.find("[data-testid=store-problem]");
    // Ctrl+A first: the form may come back with the prompt last handed to the backend.
    await s.type(
      "[data-testid=prompt]",
      `${KEYS.control}a${NULL_KEY}A red umbrella crosses a busy square, top-down shot`,
    );
    await s.generate();
    await s.click("[data-testid=nav-jobs]");
    assert.equal(await s.waitForNewestJobSettled(), "done");
    await s.screenshot("history-refused-demo-done");
    assert.deepEqual(sim.requests(), [], "the demo used its own service, not the live one");
  });
});
