// A whole batch day in the real window, in demo mode: a folder of 6 images (each image alone) and a CSV of 4 rows
// become two batches, each confirmed once, and run through the job queue to 10 videos on disk. The running and the
// finished batches are looked at in English and in Chinese.
// The folder and file pickers are answered by the test stand-in (WebDriver cannot operate native dialogs).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { waitChecked } from "./batchScreen.mjs";
import { filesUnder, isolatedEnv, newSession, startDriver } from "./webdriver.mjs";

let driver;
let s;
let home;
let folder;
let csv;

before(async () => {
  home = isolatedEnv("batch-run", { SEEDANCE_TEST_HOOKS: "1" });
  folder = join(home.root, "catalogue");
  mkdirSync(join(folder, "rows"), { recursive: true });
  const specs = [
    "gradient:#2a6fdb-#f2a541",
    "gradient:#f2a541-#2a6fdb",
    "plasma:fractal",
    "gradient:#3a3-#eee",
    "gradient:#c33-#33c",
    "gradient:#33c-#c33",
  ];
  specs.forEach((spec, i) => {
    execFileSync("convert", ["-size", "1280x720", spec, join(folder, `product-${i + 1}.png`)]);
  });
  for (const [i, spec] of ["gradient:#111-#eee", "plasma:fractal"].entries()) {
    execFileSync("convert", ["-size", "960x720", spec, join(folder, "rows", `row-${i + 1}.jpg`)]);
  }
  // Outside the chosen folder so the folder batch sees only its six images; paths are relative to the file.
  csv = join(home.root, "rows.csv");
  writeFileSync(
    csv,
    [
      "first,prompt,duration",
      "catalogue/rows/row-1.jpg,The first row drifts left,4",
      "catalogue/rows/row-2.jpg,The second row drifts right,5",
      "catalogue/rows/row-1.jpg,The first row zooms in,auto",
      ",A quiet sea at dawn,4",
      "",
    ].join("\n"),
  );
  driver = await startDriver(home.env);
  s = await newSession(driver, process.env.SEEDANCE_APP);
});

after(async () => {
  await s?.close();
  driver?.stop();
});

/** The backend's batches, as the window's IPC gives them. */
async function batches() {
  return s.executeAsync(
    `const done = arguments[0];
     window.__TAURI_INTERNALS__.invoke("list_batches").then(done, (e) => done({ error: e }));`,
  );
}

async function waitBatches(predicate, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < deadline) {
    last = await batches();
    if (Array.isArray(last) && predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`batches never matched: ${JSON.stringify(last)}`);
}

/** Waits until the batch cards' state badges, as shown, match. */
async function waitStates(predicate) {
  const deadline = Date.now() + 30_000;
  let last = null;
  while (Date.now() < deadline) {
    last = await s.executeAsync(
      `const done = arguments[0];
       done([...document.querySelectorAll('[data-testid="batch-state"]')].map((e) => e.textContent.trim()));`,
    );
    if (predicate(last)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`batch states never matched: ${JSON.stringify(last)}`);
}

async function startConfirmed(videos) {
  await s.waitForText("[data-testid=batch-total]", (t) => t.includes(`${videos} videos`));
  await s.click("[data-testid=batch-start]");
  await s.waitForText("[data-testid=batch-confirm-total]", (t) => t.includes(`${videos} videos`));
  await s.click("[data-testid=confirm-ok]");
  await s.find("[data-testid=batch-started]");
}

test("a folder of 6 images and a CSV of 4 rows run in demo mode to 10 videos on disk", async () => {
  await s.click("[data-testid=try-demo]");
  await s.find("[data-testid=demo-badge]");
  await s.click("[data-testid=nav-batch]");

  await s.click("[data-testid=batch-rule-alone]");
  await s.answerNextDialog(folder);
  await s.click("[data-testid=batch-folder]");
  await waitChecked(s, "batch-item-6");
  await s.type("[data-testid=batch-prompt]", "{name} turns slowly on a white table");
  await startConfirmed(6);

  await s.answerNextDialog(csv);
  await s.click("[data-testid=batch-file]");
  await waitChecked(s, "batch-item-4");
  await startConfirmed(4);

  await s.find("[data-testid=batch-card]");
  await s.screenshot("batch-running-en");
  const finished = await waitBatches(
    (list) => list.length === 2 && list.every((b) => b.batch.state === "finished"),
  );
  const done = finished.map((b) => b.batch.counts.done).sort();
  assert.deepEqual(done, [4, 6], `every item done: ${JSON.stringify(finished)}`);
  const videos = filesUnder(home.env.HOME).filter((f) => f.endsWith(".mp4"));
  assert.equal(videos.length, 10, `ten videos: ${videos.join("\n")}`);
  for (const v of videos) assert.ok(statSync(v).size > 10_000, `${v} holds a video`);
  await waitStates((states) => states.length === 2 && states.every((t) => t === "Finished"));
  await s.screenshot("batch-finished-en");
});

test("the finished batches in Chinese", async () => {
  await s.click("[data-testid=nav-settings]");
  await s.click('[data-testid=language] option[value="zh-CN"]');
  await s.click("[data-testid=settings-save]");
  await s.click("[data-testid=nav-batch]");
  await waitStates((states) => states.length === 2 && states.every((t) => t === "已完成"));
  await s.screenshot("batch-finished-zh");
});
