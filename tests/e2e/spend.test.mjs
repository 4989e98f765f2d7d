// Spend at a glance and spend limits in the real window, against a simulator that logs every request: jobs
// sent in live mode show in the Jobs screen's spend panel; with a daily limit set in Settings, a Generate that
// would pass it asks first and sends nothing until "Generate anyway". Older history (earlier days, two
// batches) is written into the app's database beside it (Python's sqlite3 module), so the
// screenshots show a week and a month of use; English and Chinese.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { startLiveApp } from "./webdriver.mjs";

const TOKEN = `sk-e2e-spend-${process.pid}`;
let app;
let s;

before(async () => {
  app = await startLiveApp("spend", TOKEN, { sim: { runningSecs: 1, extra: ["--log-requests"] } });
  ({ s } = app);
});

after(() => app?.close());

function creates() {
  return app.sim.creates();
}

/** Types more of the prompt (a new request each time) and presses Generate. */
async function generate(words) {
  await s.type("[data-testid=prompt]", words);
  await s.generate();
}

/** Jobs on earlier days and two batches, as if the app had been used for a few weeks. */
function addHistory() {
  const db = join(app.home.env.SEEDANCE_DATA_DIR, "seedance.db");
  const day = 86_400_000;
  const now = Date.now();
  const rows = [];
  // Never today (the test counts today's spend): the newest is more than a day old, whatever the hour.
  const at = [1.1, 1.2, 2.5, 4, 6, 9, 12, 15, 19, 24];
  at.forEach((daysAgo, i) => {
    const t = Math.round(now - daysAgo * day);
    rows.push(
      `INSERT INTO jobs (id, created_at, updated_at, status, request_json, prompt, mode, resolution, ratio, duration,
         create_sent_at, task_id, tokens_estimate, demo, finished_at)
       SELECT 'hist-${i}', ${t}, ${t}, 'done', request_json, 'Earlier shot ${i}', mode, resolution, ratio, duration,
         ${t}, 'task-hist-${i}', ${i % 3 === 0 ? 260_100 : 108_900}, 0, ${t + 90_000}
       FROM jobs ORDER BY seq LIMIT 1;`,
    );
  });
  const batch = (id, name, daysAgo, jobs) => {
    const t = Math.round(now - daysAgo * day);
    rows.push(
      `INSERT INTO batches (id, name, created_at, updated_at, source, state, tokens_min, tokens_max, total_json, demo, fingerprint)
       VALUES ('${id}', '${name}', ${t}, ${t}, 'folder', 'finished', 0, 0, '{}', 0, '${id}');`,
    );
    jobs.forEach((job, k) => {
      rows.push(
        `INSERT INTO batch_jobs (job_id, batch_id, item, take) VALUES ('${job}', '${id}', ${k + 1}, 1);`,
      );
    });
  };
  batch("b-catalogue", "Product catalogue", 12, ["hist-6", "hist-7"]);
  batch("b-storyboard", "Storyboard 12 shots", 1.2, ["hist-1", "hist-2", "hist-3"]);
  // Python's sqlite3 module: python3 is always there (the sqlite3 tool is not).
  execFileSync(
    "python3",
    [
      "-c",
      "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.stdin.read()); c.close()",
      db,
    ],
    { input: rows.join("\n"), stdio: ["pipe", "ignore", "pipe"] },
  );
}

test("jobs sent show in the spend panel; past the day's limit Generate asks first", async () => {
  await s.find("[data-testid=generate-screen]");
  await generate("A red kite over the dunes, aerial drone shot");
  await s.click("[data-testid=nav-jobs]");
  assert.equal(await s.waitForNewestJobSettled(), "done");
  const today = await s.waitForText("[data-testid=spend-today]", (t) => t.includes("108"));
  assert.match(today, /Today\s*108\s900 tokens/);
  addHistory();

  // A daily limit the next job passes.
  await s.click("[data-testid=nav-settings]");
  await s.type("[data-testid=spend-limit-per_day]", "150000");
  await s.type("[data-testid=spend-limit-per_batch]", "2000000");
  await s.waitForText("[data-testid=spend-limit-per_day-money]", (t) => t.includes("with audio"));
  await s.click("[data-testid=settings-save]");
  await s.find("[role=status].ok");
  await s.screenshot("spend-settings-en");

  await s.click("[data-testid=nav-generate]");
  const before = creates();
  await generate(", then an owl lands at dusk");
  const question = await s.waitForText("[data-testid=spend-confirm]", (t) => t.includes("Generate anyway"));
  assert.match(question, /limit of 150\s000 tokens/);
  await s.screenshot("spend-question-en");
  await sleep(500);
  assert.equal(creates(), before, "nothing sent while the question waits");
  await s.click("[data-testid=spend-confirm] [data-testid=confirm-ok]");
  await s.find("[data-testid=queue-item]");

  await s.click("[data-testid=nav-jobs]");
  assert.equal(await s.waitForNewestJobSettled(), "done");
  await s.waitForText("[data-testid=spend-today]", (t) => t.includes("217"));
  assert.equal(creates(), before + 1);
  await s.screenshot("spend-jobs-en");
});

test("the panel and the limits in Chinese", async () => {
  await s.click("[data-testid=nav-settings]");
  await s.click('[data-testid=language] option[value="zh-CN"]');
  await s.click("[data-testid=settings-save]");
  await s.waitForText("[data-testid=nav-jobs]", (t) => t.includes("任务"));
  await s.screenshot("spend-settings-zh");
  await s.click("[data-testid=nav-jobs]");
  await s.waitForText("[data-testid=spend-today]", (t) => t.includes("今日"));
  await s.screenshot("spend-jobs-zh");

  // Today is already past the limit: the next job asks, in Chinese; Cancel sends nothing.
  await s.click("[data-testid=nav-generate]");
  const before = creates();
  await s.type("[data-testid=prompt]", "，海浪");
  await s.click("[data-testid=generate-button]");
  const question = await s.waitForText("[data-testid=spend-confirm]", (t) => t.includes("仍要生成"));
  assert.match(question, /今日花费超过您设定的 150\s000 tokens 上限/);
  await s.screenshot("spend-question-zh");
  await s.click("[data-testid=spend-confirm] [data-testid=confirm-cancel]");
  await sleep(500);
  assert.equal(await s.count("[data-testid=spend-confirm]"), 0);
  assert.equal(creates(), before, "Cancel sends nothing");
});
