// "Submit again" on an uncertain job, in the real window (issue 13, item 4). The simulator reads the first create
// request and drops the connection without an answer, so the app cannot know whether a task was made: the job is
// "submission uncertain". After the user submits it again, the original says what it was resubmitted as, links
// to the new job, and offers no second Submit again (the backend refuses one too), also after a restart.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { newSession, startLiveApp } from "./webdriver.mjs";

const TOKEN = `sk-e2e-resubmit-${process.pid}-Pq2vHc`;
let app;
let sim;
let driver;
let s;
let original;

before(async () => {
  app = await startLiveApp("resubmitted", TOKEN, {
    sim: { extra: ["--log-requests", "--fault", "create:drop_after_read:1"] },
  });
  ({ sim, s, driver } = app);
});

after(() => app?.close());

/** The Jobs list as the page shows it: each row's job id and status, newest first. */
function rows() {
  return s.execute(
    `return Array.from(document.querySelectorAll('[data-testid=job-row]'))
       .map((r) => ({ id: r.dataset.jobId, status: r.dataset.status }));`,
  );
}

/** A selector for something inside the row of job `id`. */
const inRow = (id, inner) => `[data-testid=job-row][data-job-id="${id}"] ${inner}`;

test("a create whose answer never came leaves the job uncertain, offering Submit again", async () => {
  await s.find("[data-testid=generate-screen]");
  await s.type("[data-testid=prompt]", "A glass of water on a windowsill, a train passes, ripples");
  await s.generate();
  await s.click("[data-testid=nav-jobs]");
  assert.equal(await s.waitForNewestJobSettled(), "submission_uncertain");
  [{ id: original }] = await rows();
  assert.equal(sim.creates(), 1);
  await s.find(inRow(original, "[data-testid=uncertain-resubmit]"));
  await s.screenshot("resubmit-uncertain");
});

test("after Submit again the original shows what it was resubmitted as, links to it, and offers no second one", async () => {
  await s.click(inRow(original, "[data-testid=uncertain-resubmit]"));
  await s.find(inRow(original, "[data-testid=resubmit-warning]"));
  await s.click(inRow(original, "[data-testid=confirm-ok]"));

  const note = await s.waitForText(inRow(original, "[data-testid=resubmitted]"), (t) => t.length > 0);
  const list = await rows();
  assert.equal(list.length, 2, JSON.stringify(list));
  const copy = list.find((r) => r.id !== original).id;
  assert.equal(await s.attr(inRow(original, "[data-testid=resubmitted]"), "data-new-job"), copy);
  assert.ok(note.includes(`Resubmitted as a new job (${copy.slice(0, 8)}).`), note);
  assert.equal(
    await s.count(inRow(original, "[data-testid=uncertain-resubmit]")),
    0,
    "no second Submit again",
  );
  assert.equal(await s.count(inRow(original, "[data-testid=resubmit]")), 0, "no second Submit again");

  // The link leads to the new job: its row is highlighted.
  await s.click(inRow(original, "[data-testid=show-resubmitted]"));
  const highlighted = await s.execute(
    `return document.querySelector('[data-testid=job-row][data-job-id="${copy}"]').classList.contains("highlight");`,
  );
  assert.equal(highlighted, true, "the new job's row is shown");
  await s.screenshot("resubmit-resubmitted-as");

  // The rule is the backend's, not only the page's: a second resubmit of the original is refused.
  const second = await s.executeAsync(
    `const [id, done] = arguments;
     window.__TAURI_INTERNALS__.invoke("resubmit_job", { id, spendConfirmed: false }).then(() => done("accepted"), (e) => done(e.kind));`,
    [original],
  );
  assert.notEqual(second, "accepted");
  const deadline = Date.now() + 40_000;
  while (Date.now() < deadline && (await rows()).find((r) => r.id === copy)?.status !== "done")
    await sleep(250);
  assert.equal((await rows()).find((r) => r.id === copy)?.status, "done");
  assert.equal(sim.creates(), 2, "the dropped create and the one the user asked for; no third");
});

test("after a restart the original still says it was resubmitted and still offers no Submit again", async () => {
  await s.close();
  s = await newSession(driver, process.env.SEEDANCE_APP);
  app.s = s;
  await s.click("[data-testid=nav-jobs]");
  await s.find(inRow(original, "[data-testid=resubmitted]"));
  assert.equal(await s.count(inRow(original, "[data-testid=uncertain-resubmit]")), 0);
  assert.equal(await s.count(inRow(original, "[data-testid=resubmit]")), 0);
  assert.equal(sim.creates(), 2);
});
