// A job saved but never sent long ago is not sent on start: the app says how many and what they would cost,
// and sends them only when asked. The job is planted in the app's own database between two launches (the
// app first creates the database), as if the app had stopped before its create request a day ago.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { isolatedEnv, newSession, startDriver, startSim } from "./webdriver.mjs";

const TOKEN = `sk-e2e-${process.pid}-notsent`;
let sim;
let driver;
let s;
let home;

/** Writes an uploading, never-sent job stored `hoursAgo` hours ago (Python's sqlite3: no extra tools). */
function plantUnsentJob(db, prompt, hoursAgo) {
  const script = `
import sqlite3, sys, time, uuid, json
db, prompt, hours = sys.argv[1], sys.argv[2], float(sys.argv[3])
at = int((time.time() - hours * 3600) * 1000)
request = {"prompt": prompt, "first_frame": None, "last_frame": None, "resolution": "720p", "ratio": "16:9",
           "duration": 5, "generate_audio": True, "camera_fixed": False, "draft": False, "watermark": False}
c = sqlite3.connect(db)
c.execute("""INSERT INTO jobs (id, created_at, updated_at, status, request_json, prompt, mode, resolution, ratio,
             duration, tokens_estimate) VALUES (?, ?, ?, 'uploading', ?, ?, 'text_to_video', '720p', '16:9', 5, 108900)""",
          (str(uuid.uuid4()), at, at, json.dumps(request), prompt))
c.commit()
`;
  execFileSync("python3", ["-c", script, db, prompt, String(hoursAgo)]);
}

before(async () => {
  sim = await startSim(TOKEN, { extra: ["--log-requests"] });
  home = isolatedEnv("not-sent", {
    SEEDANCE_API_BASE: sim.api,
    SEEDANCE_UPLOAD_BASE: sim.api,
    SEEDANCE_API_TOKEN: TOKEN,
  });
  driver = await startDriver(home.env);
  // The first launch creates the database.
  s = await newSession(driver, process.env.SEEDANCE_APP);
  await s.find("[data-testid=generate-screen]");
  await s.close();
  await sleep(500);
  plantUnsentJob(
    join(home.env.SEEDANCE_DATA_DIR, "seedance.db"),
    "a paper boat in the rain, from yesterday",
    24,
  );
  s = await newSession(driver, process.env.SEEDANCE_APP);
});

after(async () => {
  await s?.close();
  driver?.stop();
  sim?.child.kill("SIGKILL");
});

test("an old unsent job waits: the notice says how many and the cost, and nothing is sent", async () => {
  const notice = await s.waitForText("[data-testid=unsent-notice]", (t) =>
    t.includes("1 job was saved but never sent"),
  );
  assert.match(notice, /108\s900 tokens ≈ ¥0\.26/);
  await s.screenshot("not-sent-notice");
  await sleep(1500);
  assert.equal(sim.creates(), 0, "nothing sent without the user");
  await s.click("[data-testid=nav-jobs]");
  assert.equal(await s.attr("[data-testid=job-row]", "data-status"), "not_sent");
  await s.screenshot("not-sent-row");
  await s.click("[data-testid=nav-generate]");
});

test("Send all sends it once", async () => {
  await s.click("[data-testid=unsent-send-all]");
  await s.waitForText("[data-testid=unsent-outcome]", (t) => t.includes("Sent: 1"));
  await s.click("[data-testid=nav-jobs]");
  assert.equal(await s.waitForNewestJobSettled(), "done");
  await sleep(300);
  assert.equal(sim.creates(), 1);
});
