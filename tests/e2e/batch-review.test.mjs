// The Batch screen in the real window, in demo mode: a folder of 6 images (three first/last pairs, one of them too
// small, fixed with one click) and a CSV of 4 rows (two good, one naming a missing image, one with a bad
// duration) are read by the backend, reviewed in English and in Chinese, and the valid items start as one batch.
// Images dragged from another window and dropped on the screen (a real X11 drop) become a batch too.
// The folder and file pickers are answered by the test stand-in (WebDriver cannot operate native dialogs).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { waitChecked } from "./batchScreen.mjs";
import { isolatedEnv, newSession, startDriver } from "./webdriver.mjs";

let driver;
let s;
let home;
let folder;
let csv;

function makeImage(path, size, spec) {
  execFileSync("convert", ["-size", size, spec, path]);
}

before(async () => {
  home = isolatedEnv("batch-review", { SEEDANCE_TEST_HOOKS: "1" });
  folder = join(home.root, "shots");
  mkdirSync(folder, { recursive: true });
  makeImage(join(folder, "cat_first.png"), "1280x720", "gradient:#2a6fdb-#f2a541");
  makeImage(join(folder, "cat_last.jpg"), "1280x720", "gradient:#f2a541-#2a6fdb");
  makeImage(join(folder, "dog_first.png"), "960x720", "plasma:fractal");
  makeImage(join(folder, "dog_last.png"), "960x720", "gradient:#3a3-#eee");
  makeImage(join(folder, "tiny_first.png"), "200x150", "gradient:#c33-#33c");
  makeImage(join(folder, "tiny_last.png"), "200x150", "gradient:#33c-#c33");
  csv = join(folder, "catalogue.csv");
  writeFileSync(
    csv,
    [
      "first,prompt,duration,color",
      "cat_first.png,A {color} cat turns to the camera,5,red",
      "dog_first.png,A {color} dog runs on the beach,8,blue",
      "missing.png,A {color} owl blinks,5,green",
      "cat_last.jpg,A {color} cat sleeps,five,grey",
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

/** Waits until an element's text content (read in the page: WebDriver's visible text skips clipped cells) matches. */
async function waitForContent(testId, predicate) {
  const deadline = Date.now() + 30_000;
  let last = null;
  while (Date.now() < deadline) {
    last = await s.executeAsync(
      `const [id, done] = arguments; const el = document.querySelector('[data-testid="' + id + '"]'); done(el ? el.textContent : null);`,
      [testId],
    );
    if (last !== null && predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${testId} never matched; last text: ${JSON.stringify(last)}`);
}

async function waitGone(testId) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const there = await s.executeAsync(
      `const [id, done] = arguments; done(document.querySelector('[data-testid="' + id + '"]') !== null);`,
      [testId],
    );
    if (!there) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${testId} is still there`);
}

async function openFolder() {
  await s.answerNextDialog(folder);
  await s.click("[data-testid=batch-folder]");
  await waitChecked(s, "batch-item-3");
}

async function openCsv() {
  await s.answerNextDialog(csv);
  await s.click("[data-testid=batch-file]");
  await waitChecked(s, "batch-item-4");
}

test("a folder of pairs is reviewed, a too-small pair is fixed, and the total counts only what can be sent", async () => {
  await s.click("[data-testid=try-demo]");
  await s.find("[data-testid=demo-badge]");
  await s.click("[data-testid=nav-batch]");
  await openFolder();
  await s.type("[data-testid=batch-prompt]", "{name} slowly turns to the camera");
  await waitForContent("batch-item-1", (t) => t.includes("cat slowly turns to the camera"));
  // The too-small pair is left out, with the Generate screen's fix offered.
  assert.equal(await s.attr("[data-testid=batch-item-3]", "data-state"), "excluded");
  await s.waitForText("[data-testid=batch-total]", (t) => t.includes("2 videos"));
  await s.screenshot("batch-review-folder-en");
  await s.click("[data-testid=batch-fix-3-first]");
  await waitGone("batch-fix-3-first");
  await s.click("[data-testid=batch-fix-3-last]");
  await waitGone("batch-fix-3-last");
  await s.waitForText("[data-testid=batch-total]", (t) => t.includes("3 videos"), 60_000);
  assert.equal(await s.attr("[data-testid=batch-item-3]", "data-state"), "included");
  await s.screenshot("batch-review-folder-fixed-en");
});

test("a CSV with a missing image and a bad cell: the two good rows can still start, once", async () => {
  await openCsv();
  await waitForContent("batch-problems-3", (t) => t.includes("missing.png"));
  await waitForContent("batch-problems-4", (t) => t.includes("five"));
  await waitForContent("batch-item-1", (t) => t.includes("A red cat turns to the camera"));
  await s.waitForText("[data-testid=batch-total]", (t) => t.includes("2 videos"));
  await s.screenshot("batch-review-csv-en");
  await s.click("[data-testid=batch-start]");
  await s.waitForText("[data-testid=batch-confirm-total]", (t) => t.includes("2 videos"));
  await s.screenshot("batch-confirm-en");
  await s.click("[data-testid=confirm-ok]");
  await s.waitForText(
    "[data-testid=batch-started]",
    (t) => t.includes("catalogue") && t.includes("2 videos"),
  );
  await s.screenshot("batch-started-en");
});

test("images dragged from a file manager onto the screen become one first-frame video each", async () => {
  const dropped = ["cat_first.png", "dog_first.png", "cat_last.jpg"].map((name) => join(folder, name));
  await s.dropFiles(dropped, "[data-testid=batch-view]");
  await waitChecked(s, "batch-item-3");
  assert.equal(await s.count('[data-testid^="batch-item-"][data-state]'), 3);
  await waitForContent("batch-item-2", (t) => t.includes("dog_first"));
  await s.waitForText("[data-testid=batch-total]", (t) => t.includes("3 videos"));
  await s.screenshot("batch-review-dropped-en");
});

test("the same review in Chinese", async () => {
  await s.click("[data-testid=nav-settings]");
  await s.click('[data-testid=language] option[value="zh-CN"]');
  await s.click("[data-testid=settings-save]");
  await s.click("[data-testid=nav-batch]");
  await openFolder();
  await s.waitForText("[data-testid=batch-total]", (t) => t.includes("个视频"));
  await s.screenshot("batch-review-folder-zh");
  await openCsv();
  await waitForContent("batch-problems-3", (t) => t.includes("missing.png"));
  await s.screenshot("batch-review-csv-zh");
});

test("1 000 rows: time to show the review and to scroll a page, in the real window", async () => {
  const big = join(folder, "thousand.csv");
  const lines = ["first,prompt,n"];
  for (let i = 1; i <= 1000; i++) lines.push(`cat_first.png,Take {n} of the cat,${i}`);
  writeFileSync(big, `${lines.join("\n")}\n`);
  await s.answerNextDialog(big);
  const started = Date.now();
  await s.click("[data-testid=batch-file]");
  await waitChecked(s, "batch-item-1");
  await s.waitForText("[data-testid=batch-total]", (t) => t.includes("1000"));
  const shownMs = Date.now() - started;
  // One page down and to the end, each until the browser has painted the rows that scrolled in.
  const scroll = await s.executeAsync(
    `const done = arguments[0];
     const list = document.querySelector('[data-testid="batch-rows"]');
     const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
     const times = [];
     (async () => {
       for (const top of [480, 48000, 95520]) {
         const t0 = performance.now();
         list.scrollTop = top;
         list.dispatchEvent(new Event("scroll"));
         await frame();
         times.push(Math.round(performance.now() - t0));
       }
       done({ times, rows: document.querySelectorAll('[data-testid^="batch-item-"]').length,
              last: document.querySelector('[data-testid="batch-item-1000"]') !== null });
     })();`,
  );
  // One re-plan of the whole review (what each edit and each poll while checking costs), over IPC.
  const replan = await s.executeAsync(
    `const done = arguments[0];
     const id = document.querySelector('[data-testid="batch-view"]').dataset.reviewId;
     const t0 = performance.now();
     window.__TAURI_INTERNALS__.invoke("batch_skip_item", { id, index: 1, skipped: false })
       .then((r) => done({ ms: Math.round(performance.now() - t0), bytes: JSON.stringify(r).length }),
             (e) => done({ error: e.kind }));`,
  );
  console.log(
    `batch review of 1000 rows: shown in ${shownMs} ms (click to table), scroll frames ${scroll.times.join(", ")} ms, ${scroll.rows} rows in the page, one re-plan over IPC ${JSON.stringify(replan)}`,
  );
  assert.ok(scroll.last, "the last row is reachable");
  assert.ok(scroll.rows < 40, `only rows on screen are in the page (${scroll.rows})`);
  await s.screenshot("batch-review-1000-zh");
});
