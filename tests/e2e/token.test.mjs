// The real flow with an account: paste a token, generate against a SinanCode-compatible service (the simulator,
// as a separate process on loopback), get the MP4 on disk, remove the token, and check that the token's text was
// never written to any file the app owns.
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { filesUnder, isolatedEnv, newSession, startDriver, startSim } from "./webdriver.mjs";

const TOKEN = `sk-e2e-${process.pid}-Zq8mWv3Lr`;
let sim;
let driver;
let s;
let home;

before(async () => {
  sim = await startSim(TOKEN, { runningSecs: 2 });
  home = isolatedEnv("token", { SEEDANCE_API_BASE: sim.api, SEEDANCE_UPLOAD_BASE: sim.api });
  driver = await startDriver(home.env);
  s = await newSession(driver, process.env.SEEDANCE_APP);
});

after(async () => {
  await s?.close();
  driver?.stop();
  sim?.child.kill("SIGKILL");
});

test("a pasted token is saved to the keychain and the field is cleared", async () => {
  await s.find("[data-testid=welcome-screen]");
  await s.type("[data-testid=token-input]", TOKEN);
  await s.click("[data-testid=token-save]");
  await s.find("[data-testid=generate-screen]");
  await s.click("[data-testid=nav-settings]");
  const status = await s.waitForText("[data-testid=token-status]", (t) => t.includes(TOKEN.slice(-4)));
  assert.ok(!status.includes(TOKEN), "only the last 4 characters are shown");
  assert.equal(await s.attr("[data-testid=token-input]", "value"), "");
  await s.click("[data-testid=nav-generate]");
});

test("a text-to-video job runs against the service and the MP4 lands on disk", async () => {
  await s.type("[data-testid=prompt]", 'A lighthouse at dawn, waves rolling in, "hello" says the keeper');
  await s.waitForText("[data-testid=generate-button]", () => true);
  await s.generate();
  await s.click("[data-testid=nav-jobs]");
  assert.equal(await s.waitForNewestJobSettled(), "done");
  await s.screenshot("jobs-done");
  const videos = filesUnder(home.env.HOME).filter((f) => f.endsWith(".mp4"));
  assert.equal(videos.length, 1, `one video in the output folder: ${videos}`);
  assert.ok(statSync(videos[0]).size > 10_000);
});

test("the diagnostics a bug report gets name the build, the OS and the token's place, never the token", async () => {
  await s.click("[data-testid=nav-settings]");
  assert.match(
    await s.waitForText("[data-testid=app-commit]", (t) => t.length > 0),
    /^([0-9a-f]{12}|unknown)$/,
  );
  await s.click("[data-testid=copy-diagnostics]");
  await s.find("[data-testid=diagnostics-copied]");
  await s.screenshot("settings-diagnostics-copied");
  const text = await s.executeAsync(
    `const done = arguments[0];
     window.__TAURI_INTERNALS__.invoke("diagnostics").then(done, (e) => done("error: " + e.kind));`,
  );
  for (const line of [
    "Seedance Studio: ",
    "OS: ",
    "Webview: ",
    "API token: set (keychain)",
    "History: 1 jobs",
  ]) {
    assert.ok(text.includes(line), `${line} in ${text}`);
  }
  assert.ok(!text.includes(TOKEN) && !text.includes(TOKEN.slice(-4)), "no part of the token");
  assert.ok(!text.includes(home.env.HOME), `the home folder is written ~:\n${text}`);
  await s.click("[data-testid=nav-generate]");
});

test("removing the token leaves it in no file the app wrote", async () => {
  await s.click("[data-testid=nav-settings]");
  await s.click("[data-testid=token-remove]");
  await s.waitForText("[data-testid=token-status]", (t) => !t.includes(TOKEN.slice(-4)));
  await s.close();
  s = null;
  // Stop the app and its web processes before reading what they wrote (they tidy files up as they exit).
  driver.stop();
  driver = null;
  await sleep(1000);
  const files = filesUnder(home.root);
  assert.ok(files.length > 3, `the app wrote its files under ${home.root}`);
  assert.ok(
    files.some((f) => f.endsWith(".log") && statSync(f).size > 0),
    "the app's log is among the files read",
  );
  const contains = (f) => {
    try {
      return readFileSync(f).includes(TOKEN);
    } catch (e) {
      if (e.code === "ENOENT") return false; // removed between listing and reading: holds nothing now
      throw e;
    }
  };
  const leaks = files.filter(contains);
  assert.deepEqual(leaks, [], "the token's text must never reach disk outside the keychain");
});
