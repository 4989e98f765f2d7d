// A paid task is never called lost: against a SinanCode stand-in that refuses the token on every task query
// (the task was created and paid for), the job keeps its status and says why it waits and when it checks
// again, in the Jobs list and in the queue beside the Generate form, and offers no way to pay again.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startLiveApp } from "./webdriver.mjs";

const TOKEN = `sk-e2e-money-${process.pid}`;
let app;
let s;

before(async () => {
  app = await startLiveApp("money", TOKEN, {
    sim: {
      runningSecs: 2,
      // Creating works; every query of the task is refused as if the token had been revoked meanwhile.
      extra: ["--fault", "get_task:unauthorized:1000"],
    },
  });
  ({ s } = app);
});

after(() => app?.close());

test("a refused token while polling leaves the paid job waiting, with the next check shown", async () => {
  await s.find("[data-testid=generate-screen]");
  await s.type("[data-testid=prompt]", "A paper boat drifts through heavy rain, slow dolly in");
  await s.generate();
  const line = await s.waitForText("[data-testid=queue-trouble]", (t) => t.includes("next check at"));
  assert.match(line, /^Token refused; the paid task waits — next check at \d\d:\d\d:\d\d/);
  await s.screenshot("money-queue-token-refused");

  await s.click("[data-testid=nav-jobs]");
  const note = await s.waitForText("[data-testid=poll-trouble]", (t) => t.includes("Next check at"));
  assert.ok(note.includes("refused the API token"), note);
  assert.ok(note.includes("paid for"), note);
  const status = await s.attr("[data-testid=job-row]", "data-status");
  assert.ok(["queued", "running"].includes(status), status);
  assert.equal(await s.count("[data-testid=resubmit]"), 0, "no way to pay again while the task lives");
  assert.equal(await s.count("[data-testid=job-problem]"), 0, "not a failure");
  await s.screenshot("money-jobs-token-refused");
});
