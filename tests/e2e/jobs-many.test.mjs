// The Jobs screen with a history of 10 000 jobs, in the real window: how long the first rows take and a page
// of scrolling takes, what scrolling through thousands of jobs leaves behind (rows in the page, nodes, the web
// process's memory), and what the list's queries cost over IPC at any depth. The history is planted in the
// app's own database between two launches (Python's sqlite3, one transaction), as a creator's would be after
// months of use. Timings are printed, never asserted (they depend on the machine); what must hold is.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { isolatedEnv, newSession, startDriver } from "./webdriver.mjs";

const JOBS = 10_000;
/** How far down the history the long scroll goes. */
const DEEP = 3_000;
/** How long the long scroll may take before the test gives up on reaching DEEP. */
const DEEP_LIMIT_MS = 120_000;
const here = dirname(fileURLToPath(import.meta.url));

let driver;
let s;
let home;
let seeded;

before(async () => {
  home = isolatedEnv("jobs-many", { SEEDANCE_TEST_HOOKS: "1" });
  driver = await startDriver(home.env);
  // The first launch creates the database.
  s = await newSession(driver, process.env.SEEDANCE_APP);
  await s.find("[data-testid=welcome-screen], [data-testid=generate-screen]");
  await s.close();
  await sleep(500);
  const thumb = join(home.root, "thumb.jpg");
  execFileSync("convert", ["-size", "320x180", "plasma:fractal", "-quality", "80", thumb]);
  const started = Date.now();
  const out = execFileSync("python3", [
    join(here, "seed_jobs.py"),
    join(home.env.SEEDANCE_DATA_DIR, "seedance.db"),
    String(JOBS),
    thumb,
  ]).toString();
  seeded = JSON.parse(out);
  console.log(`seeded ${seeded.jobs} jobs and ${seeded.batches} batches in ${Date.now() - started} ms`);
  s = await newSession(driver, process.env.SEEDANCE_APP);
});

after(async () => {
  await s?.close();
  driver?.stop();
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Resident memory of this app's web process (the page's DOM and script heap live there), in MB. */
function webProcessMb() {
  let kb = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("WebKitWebProces")) continue;
      if (
        !readFileSync(`/proc/${pid}/environ`, "utf8").includes(
          `SEEDANCE_DATA_DIR=${home.env.SEEDANCE_DATA_DIR}\0`,
        )
      )
        continue;
      kb += Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return Math.round(kb / 1024);
}

/** The number in the "#n" every planted prompt ends with, of the rows in the page (1 = the oldest job). */
const ROWS_SHOWN = `Array.from(document.querySelectorAll('[data-testid="job-row"] [data-testid="job-prompt"]'))
  .map((p) => Number(p.textContent.match(/#(\\d+)/)?.[1] ?? NaN)).filter((n) => !Number.isNaN(n))`;

/** The screen's scrolling box: the nearest ancestor of the list that scrolls. */
const SCROLLER = `(() => { let el = document.querySelector('[data-testid="job-list"]');
  while (el && !(el.scrollHeight > el.clientHeight && /auto|scroll/.test(getComputedStyle(el).overflowY))) el = el.parentElement;
  return el ?? document.scrollingElement; })()`;

test("10 000 jobs: the first rows, a page of scrolling, thousands further down, and a live change", async () => {
  await s.click("[data-testid=try-demo]");
  await s.find("[data-testid=demo-badge]");

  // Time to first rows: from the click on Jobs until the rows are painted, in the page's own clock.
  const firstRows = [];
  for (let i = 0; i < 5; i++) {
    await s.click("[data-testid=nav-generate]");
    await s.find("[data-testid=generate-screen]");
    firstRows.push(
      await s.executeAsync(
        `const done = arguments[0];
         const t0 = performance.now();
         document.querySelector('[data-testid="nav-jobs"]').click();
         const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
         (async () => {
           for (let k = 0; k < 600 && !document.querySelector('[data-testid="job-row"]'); k++) await frame();
           await frame();
           done(Math.round(performance.now() - t0));
         })();`,
      ),
    );
  }
  const top = await s.execute(`return ${ROWS_SHOWN};`);
  assert.equal(top[0], JOBS, "the newest job comes first");

  // A page of scrolling: the box moves down by its own height, until the browser has painted the result.
  const scroll = await s.executeAsync(
    `const done = arguments[0];
     const box = ${SCROLLER};
     const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
     (async () => {
       const times = [];
       for (let i = 0; i < 9; i++) {
         const t0 = performance.now();
         box.scrollTop += box.clientHeight;
         await frame();
         times.push(Math.round(performance.now() - t0));
       }
       done(times);
     })();`,
  );

  // Thousands further down: keep jumping to the end (each jump asks for the next page) until job #(JOBS - DEEP)
  // is in the page; every page's time from the jump to its rows painted is kept. In slices of a few seconds
  // (a WebDriver script may run 30 s), and given up after DEEP_LIMIT_MS (a list that slows down as it grows).
  const deep = { pages: [], clicks: 0, totalMs: 0, lowest: JOBS };
  const until = Date.now() + DEEP_LIMIT_MS;
  while (deep.lowest > JOBS - DEEP && Date.now() < until) {
    const slice = await s.executeAsync(
      `const [target, done] = arguments;
       const box = ${SCROLLER};
       const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
       const shown = () => ${ROWS_SHOWN};
       (async () => {
         const pages = [];
         let clicks = 0;
         const t0 = performance.now();
         while (performance.now() - t0 < 5000) {
           const before = Math.min(...shown());
           if (before <= target) break;
           const p0 = performance.now();
           box.scrollTop = box.scrollHeight;
           let k = 0;
           for (; k < 60 && Math.min(...shown()) >= before; k++) await frame();
           // Scrolling did not bring the next page within a second: the button does (and is counted).
           const button = document.querySelector('[data-testid="load-more"]');
           if (k === 60 && button) {
             clicks++;
             button.click();
             for (k = 0; k < 300 && Math.min(...shown()) >= before; k++) await frame();
           }
           pages.push(performance.now() - p0);
         }
         done({ pages, clicks, ms: performance.now() - t0, lowest: Math.min(...shown()) });
       })();`,
      [JOBS - DEEP],
    );
    deep.pages.push(...slice.pages);
    deep.totalMs += Math.round(slice.ms);
    deep.clicks += slice.clicks;
    deep.lowest = slice.lowest;
  }
  Object.assign(
    deep,
    await s.execute(`return { rows: document.querySelectorAll('[data-testid="job-row"]').length,
                              nodes: document.getElementsByTagName("*").length };`),
  );
  const memoryMb = webProcessMb();

  // A page of scrolling, that far down.
  const deepScroll = await s.executeAsync(
    `const done = arguments[0];
     const box = ${SCROLLER};
     const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
     (async () => {
       const times = [];
       box.scrollTop = box.scrollHeight / 2;
       await frame();
       for (let i = 0; i < 9; i++) {
         const t0 = performance.now();
         box.scrollTop -= box.clientHeight;
         await frame();
         times.push(Math.round(performance.now() - t0));
       }
       done(times);
     })();`,
  );

  // The list's query over IPC (the command, SQLite and the answer's serialization), first page and deep.
  const ipc = await s.executeAsync(
    `const [seeded, deepJob, done] = arguments;
     const invoke = window.__TAURI_INTERNALS__.invoke;
     const cursor = { created_at: seeded.newest - (seeded.jobs - deepJob) * 60000, seq: deepJob };
     const time = async (query) => {
       const ms = [];
       let rows = 0;
       for (let i = 0; i < 9; i++) {
         const t0 = performance.now();
         const page = await invoke("list_jobs", { query });
         ms.push(performance.now() - t0);
         rows = page.jobs.length;
       }
       ms.sort((a, b) => a - b);
       return { ms: Math.round(ms[4] * 10) / 10, rows };
     };
     (async () => {
       const spend = [];
       for (let i = 0; i < 9; i++) {
         const t0 = performance.now();
         await invoke("spend_summary");
         spend.push(performance.now() - t0);
       }
       spend.sort((a, b) => a - b);
       done({
         first: await time({ limit: 50 }),
         deep: await time({ limit: 50, before: cursor }),
         deepFailed: await time({ limit: 50, before: cursor, status: "failed" }),
         batch: await time({ limit: 50, batch: seeded.batch_ids[0] }),
         search: await time({ limit: 50, search: "lighthouse" }),
         // Two characters: shorter than the index's trigrams, so a scan of the prompts (LIKE).
         searchShort: await time({ limit: 50, search: "渔夫" }),
         // …and one that matches nothing: every prompt is read.
         searchShortNone: await time({ limit: 50, search: "灯塔" }),
         spend: Math.round(spend[4] * 10) / 10,
       });
     })().catch((e) => done({ error: JSON.stringify(e) }));`,
    [seeded, JOBS - DEEP],
  );
  const pageMs = deep.pages.map((ms) => Math.round(ms));
  console.log(
    `jobs screen, ${JOBS} jobs: first rows ${median(firstRows)} ms, scroll a page ${median(scroll)} ms (median of ${firstRows.length} and ${scroll.length}); ` +
      `${JOBS - deep.lowest} jobs down after ${pageMs.length} pages in ${deep.totalMs} ms (a page: median ${median(pageMs)} ms, last ${pageMs.at(-1)} ms; ${deep.clicks} needed the Load more button), ` +
      `then scroll a page ${median(deepScroll)} ms; ${deep.rows} rows and ${deep.nodes} elements in the page, web process ${memoryMb} MB`,
  );
  console.log(
    `list_jobs over IPC (median of 9): first page ${ipc.first.ms} ms, page at job ${JOBS - DEEP} ${ipc.deep.ms} ms, ` +
      `same + failed ${ipc.deepFailed.ms} ms, one batch ${ipc.batch.ms} ms, search ${ipc.search.ms} ms, two-character search ${ipc.searchShort.ms} ms (matching nothing ${ipc.searchShortNone.ms} ms); spend_summary ${ipc.spend} ms`,
  );
  assert.ok(deep.lowest <= JOBS - DEEP, `scrolling far down shows older jobs (lowest #${deep.lowest})`);
  assert.ok(
    deep.rows < 60,
    `only the rows near the view are in the page (${deep.rows} of ${JOBS - deep.lowest})`,
  );
  assert.equal(ipc.error, undefined, `the list's queries answer: ${ipc.error}`);
  assert.equal(ipc.deep.rows, 50);
  await s.screenshot("jobs-many-deep");
});

/** The ids of the rows whose box reaches into the scroller's view, top to bottom. */
const ROWS_IN_VIEW = `(() => { const box = ${SCROLLER}.getBoundingClientRect();
  return Array.from(document.querySelectorAll('[data-testid="job-row"]'))
    .filter((r) => { const b = r.getBoundingClientRect(); return b.bottom > box.top && b.top < box.bottom; })
    .map((r) => r.dataset.jobId); })()`;

async function waitInPage(script, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await s.execute(script)) return;
    await sleep(100);
  }
  assert.fail(`${what} (after ${timeoutMs} ms)`);
}

test("while scrolled far down: a deleted job leaves, a new one arrives at the top, and the rows in view stay", async () => {
  const inView = await s.execute(`return ${ROWS_IN_VIEW};`);
  assert.ok(inView.length >= 2, `rows in view: ${inView}`);
  // Deleted by the backend (as another window or the CLI would): its event takes the row away.
  const gone = inView[1];
  const deleted = await s.executeAsync(
    `const [id, done] = arguments;
     window.__TAURI_INTERNALS__.invoke("delete_job", { id, deleteFile: false }).then(() => done("ok"), (e) => done(e.kind));`,
    [gone],
  );
  assert.equal(deleted, "ok");
  await waitInPage(
    `return !document.querySelector('[data-testid="job-row"][data-job-id="${gone}"]');`,
    "the deleted job's row leaves",
  );
  const before = await s.execute(`return ${ROWS_IN_VIEW};`);
  assert.equal(before[0], inView[0], "the row above it stays where it was");

  // A new job, made while the list is thousands of rows down: the rows in view do not move.
  const rowsBefore = Number(await s.attr("[data-testid=job-list]", "data-rows"));
  const made = await s.executeAsync(
    `const done = arguments[0];
     window.__TAURI_INTERNALS__.invoke("submit_job", {
       draft: { prompt: "A new job while the list is scrolled far down", resolution: "480p", ratio: "16:9", duration: 5 },
       tokensEstimate: null, intended: true, spendConfirmed: true,
     }).then((job) => done({ id: job.id }), (e) => done({ error: JSON.stringify(e) }));`,
  );
  assert.equal(made.error, undefined, `submitting: ${made.error}`);
  await waitInPage(
    `return Number(document.querySelector('[data-testid="job-list"]').dataset.rows) > ${rowsBefore};`,
    "the new job joins the list",
  );
  await sleep(300);
  assert.deepEqual((await s.execute(`return ${ROWS_IN_VIEW};`)).slice(0, 2), before.slice(0, 2));

  // Back at the top, it is the first row.
  await s.execute(`${SCROLLER}.scrollTop = 0;`);
  await waitInPage(
    `return document.querySelector('[data-testid="job-row"]')?.dataset.jobId === "${made.id}";`,
    "the new job is the first row",
  );
  await s.screenshot("jobs-many-top");
});

test("Tab walks down the long list past the rows first rendered, each focused row scrolled into view", async () => {
  await s.execute(`${SCROLLER}.scrollTop = 40_000;`);
  await sleep(300);
  const start = await s.execute(
    `const rows = Array.from(document.querySelectorAll('[data-testid="job-row"]'));
     // The planted jobs' "#n" (the job made by the test above has none).
     const number = (r) => Number(r.querySelector('[data-testid="job-prompt"]').textContent.match(/#(\\d+)/)?.[1] ?? NaN);
     const box = ${SCROLLER}.getBoundingClientRect();
     const inView = rows.filter((r) => { const b = r.getBoundingClientRect(); return b.top >= box.top && b.bottom <= box.bottom; });
     const from = inView.at(-1);
     from.querySelector("button").focus();
     return { focused: number(from), lastRendered: Math.min(...rows.map(number).filter((n) => !Number.isNaN(n))) };`,
  );
  const tab = { type: "keyDown", value: "\uE004" };
  const untab = { type: "keyUp", value: "\uE004" };
  await s.actions([
    { type: "key", id: "keyboard", actions: Array.from({ length: 150 }, () => [tab, untab]).flat() },
  ]);
  await sleep(300);
  const now = await s.execute(
    `const el = document.activeElement;
     const row = el.closest('[data-testid="job-row"]');
     const box = ${SCROLLER}.getBoundingClientRect();
     const b = el.getBoundingClientRect();
     return { row: row ? Number(row.querySelector('[data-testid="job-prompt"]').textContent.match(/#(\\d+)/)?.[1] ?? NaN) : null,
              visible: b.top >= box.top && b.bottom <= box.bottom };`,
  );
  assert.ok(now.row !== null, "the focus stays in the list");
  assert.ok(
    now.row < start.lastRendered,
    `Tab reached job #${now.row}, past the last row rendered at the start (#${start.lastRendered}, from #${start.focused})`,
  );
  assert.ok(now.visible, "the focused button is in view");
});
