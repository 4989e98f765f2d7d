// The installed package as a user meets it: the binaries apt put in /usr/bin (not the build tree), the window
// under Xvfb through tauri-driver, a demo job (no account, nothing paid) to an MP4 on disk that plays inline —
// which needs the H.264 and AAC decoders the package declares — and the `seedance` command line installed
// beside the app doing the same from a terminal. Run by `./dev package` between installing and removing the
// .deb (tests/package/install-deb.sh); SEEDANCE_APP is the installed app.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { filesUnder, isolatedEnv, newSession, startDriver } from "../e2e/webdriver.mjs";

const APP = process.env.SEEDANCE_APP;
const CLI = join(APP, "..", "seedance");
let driver;
let s;
let home;

before(async () => {
  assert.ok(APP?.startsWith("/usr/"), `the installed app, not a build: ${APP}`);
  home = isolatedEnv("installed");
  // The installed app checks for updates on start; this test talks to no host beyond this machine.
  mkdirSync(home.env.SEEDANCE_DATA_DIR, { recursive: true });
  writeFileSync(join(home.env.SEEDANCE_DATA_DIR, "preferences.json"), '{"check_for_updates": false}\n');
  driver = await startDriver(home.env);
  s = await newSession(driver, APP);
});

after(async () => {
  await s?.close();
  driver?.stop();
});

test("the installed app runs a demo job to a video on disk", async () => {
  await s.find("[data-testid=generate-screen]");
  await s.click("[data-testid=try-demo]");
  await s.find("[data-testid=demo-badge]");
  await s.type("[data-testid=prompt]", "Waves roll onto a pebble beach at dawn, gulls call");
  await s.generate();
  await s.click("[data-testid=nav-jobs]");
  assert.equal(await s.waitForNewestJobSettled(60_000), "done");
  await s.screenshot("installed-jobs-done");
  const videos = filesUnder(home.env.HOME).filter((f) => f.endsWith(".mp4"));
  assert.equal(videos.length, 1, `one video: ${videos}`);
  assert.ok(statSync(videos[0]).size > 10_000, `${videos[0]} has the clip`);
});

test("the video plays inline: the package brought the decoders", async () => {
  await s.click("[data-testid=play]");
  await s.find("[data-testid=player]");
  // Muted so the page may start it by itself; time moving past 1 s means frames were decoded and shown.
  const played = await s.executeAsync(
    `const done = arguments[arguments.length - 1];
     const v = document.querySelector("[data-testid=player]");
     let error = null;
     v.addEventListener("error", () => { error = v.error ? v.error.code + " " + v.error.message : "error"; });
     v.muted = true;
     v.play().catch((e) => { error = "play() refused: " + e; });
     const start = Date.now();
     (function check() {
       if (error || v.error) return done("error " + (error || v.error.code));
       if (v.currentTime > 1) return done("playing " + v.videoWidth + "x" + v.videoHeight);
       if (Date.now() - start > 20000) return done("timeout at " + v.currentTime + " readyState " + v.readyState);
       setTimeout(check, 50);
     })();`,
  );
  await s.screenshot("installed-playing");
  assert.equal(played, "playing 640x360", played);
  assert.equal(await s.count("[data-testid=player-error]"), 0);
});

test("the command line installed beside the app makes a demo video too", () => {
  const version = execFileSync(CLI, ["--version"], { encoding: "utf8" });
  assert.match(version, /^seedance \d+\.\d+\.\d+/);
  const out = join(home.root, "cli-videos");
  const lines = execFileSync(
    CLI,
    ["generate", "--demo", "--prompt", "A paper boat drifts down a gutter in the rain", "--yes", "--wait"]
      .concat(["--json", "--out", out]),
    { encoding: "utf8", env: { ...home.env, SEEDANCE_DATA_DIR: join(home.root, "cli-data") }, timeout: 120_000 },
  );
  const videos = filesUnder(out).filter((f) => f.endsWith(".mp4"));
  assert.equal(videos.length, 1, `one video from the command line: ${videos}\n${lines}`);
  assert.ok(statSync(videos[0]).size > 10_000);
});
