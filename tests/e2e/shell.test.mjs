// The real app window, driven through tauri-driver: first run, demo mode, and every view reachable.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { isolatedEnv, newSession, startDriver } from "./webdriver.mjs";

const app = process.env.SEEDANCE_APP;
let driver;
let s;

before(async () => {
  assert.ok(app, "SEEDANCE_APP must point at the built app binary");
  driver = await startDriver(isolatedEnv("shell").env);
  s = await newSession(driver, app);
});

after(async () => {
  await s?.close();
  driver?.stop();
});

test("a first run without a token opens on the welcome; demo mode is one click", async () => {
  await s.find("[data-testid=welcome-screen]");
  await s.screenshot("welcome");
  await s.click("[data-testid=try-demo]");
  await s.find("[data-testid=demo-badge]");
  await s.find("[data-testid=generate-screen]");
});

test("the Generate screen has both frame slots, prompt, settings and Generate", async () => {
  await s.find("[data-testid=generate-screen]");
  for (const id of ["frame-first", "frame-last", "prompt", "settings-area", "generate-button", "queue"]) {
    await s.find(`[data-testid=${id}]`);
  }
  assert.match(await s.text("#generate-title"), /Generate|生成/);
  await s.screenshot("generate-empty");
});

test("the prompt counter counts characters, not bytes", async () => {
  await s.type("[data-testid=prompt]", "女孩抱着狐狸 hi");
  await s.waitForText("[data-testid=prompt-counter]", (t) => t.startsWith("9 / 2000"));
});

test("Jobs and Settings are reachable from the sidebar; Settings shows the backend's facts", async () => {
  await s.click("[data-testid=nav-jobs]");
  await s.find("[data-testid=jobs-screen]");
  await s.click("[data-testid=nav-settings]");
  const version = await s.waitForText("[data-testid=app-version]", (t) => /^\d+\.\d+\.\d+/.test(t));
  assert.match(version, /^\d+\.\d+\.\d+/);
  await s.screenshot("settings");
  await s.click("[data-testid=nav-generate]");
  await s.find("[data-testid=generate-screen]");
});
