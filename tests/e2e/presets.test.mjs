// Presets in the real window: save the form as a preset, change it, re-apply the preset, export it to a file that
// holds the preset and never a token, delete it and import it back. The Export and Import buttons are pressed for
// real; only the native file dialog's answer comes from the test stand-in (WebDriver cannot operate it).
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { isolatedEnv, newSession, startDriver } from "./webdriver.mjs";

let driver;
let s;
let home;

before(async () => {
  home = isolatedEnv("presets", { SEEDANCE_TEST_HOOKS: "1" });
  driver = await startDriver(home.env);
  s = await newSession(driver, process.env.SEEDANCE_APP);
});

after(async () => {
  await s?.close();
  driver?.stop();
});

/** A select's current value, read in the page (WebDriver's text of a select is every option). */
function selectValue(testId) {
  return s.executeAsync(
    `const [id, done] = arguments;
     const el = document.querySelector('[data-testid="' + id + '"]');
     done(el ? el.value : null);`,
    [testId],
  );
}

/** What the next native file dialog answers (the backend's test stand-in; only with SEEDANCE_TEST_HOOKS=1). */
async function answerNextFileDialog(path) {
  const result = await s.executeAsync(
    `const [path, done] = arguments;
     const start = Date.now();
     (function attempt() {
       const hook = window.__seedanceTest && window.__seedanceTest.answerNextFileDialog;
       if (hook) return hook(path).then(() => done("ok"), (e) => done("error: " + JSON.stringify(e)));
       if (Date.now() - start > 10000) return done("no hook");
       setTimeout(attempt, 50);
     })();`,
    [path],
  );
  assert.equal(result, "ok", `answering the file dialog with ${path}`);
}

/** Whether an element is on the page, asked in the page (a WebDriver element list can go stale mid-read). */
function present(testId) {
  return s.executeAsync(
    `const [id, done] = arguments;
     done(document.querySelector('[data-testid="' + id + '"]') !== null);`,
    [testId],
  );
}

async function waitForValue(testId, expected) {
  const deadline = Date.now() + 10_000;
  let last = null;
  while (Date.now() < deadline) {
    last = await selectValue(testId);
    if (last === expected) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${testId} is ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`);
}

async function choose(testId, value) {
  await s.click(`[data-testid=${testId}] option[value="${value}"]`);
  await waitForValue(testId, value);
}

/** Every key anywhere in a parsed JSON value. */
function keysOf(value) {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  }
  return [];
}

test("save the form as a preset, change it, re-apply it", async () => {
  await s.click("[data-testid=try-demo]");
  await s.find("[data-testid=demo-badge]");
  await choose("ratio", "9:16");
  await choose("duration", "8");

  await s.click("[data-testid=preset-save-new]");
  // Enter submits the form as a keyboard user would (U+E007 is WebDriver's Enter key).
  await s.type("[data-testid=save-preset-name]", "My vertical\uE007");
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && (await present("save-preset-form"))) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (await present("save-preset-form")) {
    await s.screenshot("presets-save-stuck");
    const state = await s.executeAsync(
      `const done = arguments[0];
       const form = document.querySelector('[data-testid="save-preset-form"]');
       done(form ? form.outerHTML : "");`,
    );
    assert.fail(`the save form stayed open: ${state}`);
  }
  const active = await s.executeAsync(
    `const done = arguments[0];
     const el = document.querySelector('[data-testid="preset-select"]');
     done(el.selectedOptions[0] ? el.selectedOptions[0].textContent : null);`,
  );
  assert.equal(active, "My vertical");

  await choose("ratio", "16:9");
  await choose("duration", "5");
  await s.waitForText("[data-testid=preset-modified]", (t) => t.includes("modified") || t.includes("已修改"));
  // Focus leaves the last select so its popup is closed in the picture.
  await s.click("[data-testid=prompt]");
  await s.screenshot("presets-generate-modified");

  await s.click("[data-testid=preset-reapply]");
  await waitForValue("ratio", "9:16");
  await waitForValue("duration", "8");
  assert.equal(await present("preset-modified"), false, "back to the preset as saved");
});

test("the Presets screen lists it and exports it to a file without any token", async () => {
  await s.click("[data-testid=nav-presets]");
  await s.find("[data-testid=presets-screen]");
  await s.waitForText("[data-testid=preset-list]", (t) => t.includes("My vertical"));
  await s.screenshot("presets-screen");

  // A save dialog only ever answers with a file in a folder that exists.
  const folder = join(home.root, "exported");
  mkdirSync(folder, { recursive: true });
  const file = join(folder, "presets.json");
  await answerNextFileDialog(file);
  await s.click("[data-testid=presets-export-all]");
  await s.waitForText("[data-testid=presets-transfer-result]", (t) => /1/.test(t));

  const parsed = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(parsed.format, "seedance-studio-presets");
  const names = parsed.presets.map((p) => p.name);
  assert.deepEqual(names, ["My vertical"], "only the user's own presets, built-ins left out");
  assert.equal(parsed.presets[0].settings.ratio, "9:16");
  const keys = keysOf(parsed).map((k) => k.toLowerCase());
  assert.ok(!keys.some((k) => k.includes("token")), `no token key in ${JSON.stringify(keys)}`);
});

test("a deleted preset comes back from the exported file", async () => {
  const file = join(home.root, "exported", "presets.json");
  await s.click("[data-testid=preset-delete]");
  await s.click("[data-testid=confirm-ok]");
  await s.waitForText("[data-testid=preset-list]", (t) => !t.includes("My vertical"));

  await answerNextFileDialog(file);
  await s.click("[data-testid=presets-import]");
  await s.waitForText("[data-testid=presets-transfer-result]", (t) => t.includes("My vertical"));
  await s.waitForText("[data-testid=preset-list]", (t) => t.includes("My vertical"));
  await s.screenshot("presets-imported");
});
