// Settings → Updates in the real window: a loopback release server (this file's own, on 127.0.0.1) offers
// version 9.9.9 with release notes holding markup; the check on start finds it, Settings shows the version and
// the notes as plain text, and "Download and install" in this unpackaged build says it cannot update itself
// (nothing is downloaded). The app reaches the test server and key only in a `test-hooks` build started with
// SEEDANCE_TEST_HOOKS=1 (SEEDANCE_TEST_UPDATE_ENDPOINT / SEEDANCE_TEST_UPDATE_PUBKEY); see src-tauri/update/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { isolatedEnv, newSession, startDriver } from "./webdriver.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;
const TEST_PUBKEY = readFileSync(join(ROOT, "src-tauri/update/fixtures/updater-test.key.pub"), "utf8").trim();
const NOTES = "Faster previews.\n<b>not bold</b> <img src=x>";
const TARGET = `linux-${process.arch === "arm64" ? "aarch64" : "x86_64"}`;

let server;
const asked = [];
let driver;
let s;

before(async () => {
  server = createServer((req, res) => {
    asked.push(req.url);
    if (req.url !== "/latest.json") {
      res.writeHead(404).end();
      return;
    }
    const { port } = server.address();
    const manifest = {
      version: "9.9.9",
      notes: NOTES,
      pub_date: "2026-12-01T10:00:00Z",
      // Never downloaded: this build is not a package, so the install stops before the download.
      platforms: { [TARGET]: { url: `http://127.0.0.1:${port}/bundle`, signature: "bm90IHVzZWQ=" } },
    };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(manifest));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  const home = isolatedEnv("updates", {
    SEEDANCE_TEST_HOOKS: "1",
    SEEDANCE_TEST_UPDATE_ENDPOINT: `http://127.0.0.1:${port}/latest.json`,
    SEEDANCE_TEST_UPDATE_PUBKEY: TEST_PUBKEY,
  });
  driver = await startDriver(home.env);
  s = await newSession(driver, process.env.SEEDANCE_APP);
});

after(async () => {
  await s?.close();
  driver?.stop();
  server?.close();
});

test("the check on start finds the new version; Settings shows it with its notes as text", async () => {
  await s.find("[data-testid=welcome-screen]");
  await s.click("[data-testid=try-demo]");
  await s.find("[data-testid=generate-screen]");
  await s.click("[data-testid=nav-settings]");
  const offer = await s.waitForText("[data-testid=update-offer]", (t) => t.includes("9.9.9"), 30_000);
  assert.match(offer, /Version 9\.9\.9 is available/);
  const notes = await s.execute(
    "const el = document.querySelector('[data-testid=update-notes]'); return [el.textContent, el.querySelectorAll('b, img').length];",
  );
  assert.deepEqual(notes, [NOTES, 0]);
  assert.deepEqual(asked, ["/latest.json"]);
  await s.execute("document.querySelector('[data-testid=update-offer]').scrollIntoView()");
  await s.screenshot("settings-update-offer");
});

test("this unpackaged build refuses to install itself and says what to do", async () => {
  await s.click("[data-testid=update-install]");
  const alert = await s.waitForText("[role=alert]", (t) =>
    t.includes("not installed from one of its packages"),
  );
  assert.match(alert, /Download the new version/);
  assert.deepEqual(asked, ["/latest.json"], "nothing was downloaded");
  await s.screenshot("settings-update-not-installable");
});
