// The creator's whole flow in demo mode, in the real window: two frames of different shapes (picked with the
// backend's file picker, answered by the test stand-in for the native dialog), both previews, the mismatch
// warning, the crop, Generate, and the finished MP4 on disk.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { filesUnder, isolatedEnv, newSession, startDriver } from "./webdriver.mjs";

let driver;
let s;
let home;
let frames;

function makeImage(path, size, spec) {
  execFileSync("convert", ["-size", size, spec, path]);
  return path;
}

before(async () => {
  home = isolatedEnv("demo", { SEEDANCE_TEST_HOOKS: "1" });
  const dir = join(home.root, "pictures");
  mkdirSync(dir, { recursive: true });
  frames = {
    first: makeImage(join(dir, "first.png"), "1280x720", "gradient:#2a6fdb-#f2a541"),
    last: makeImage(join(dir, "last.jpg"), "900x900", "plasma:fractal"),
  };
  driver = await startDriver(home.env);
  s = await newSession(driver, process.env.SEEDANCE_APP);
});

after(async () => {
  await s?.close();
  driver?.stop();
});

async function pick(slot, path) {
  // The backend's own picker opens on the click; the test stand-in gives its answer (WebDriver cannot press it).
  const answered = await s.executeAsync(
    `const [path, done] = arguments;
     window.__TAURI_INTERNALS__.invoke("answer_next_file_dialog", { path }).then(() => done("ok"), (e) => done(e.kind));`,
    [path],
  );
  assert.equal(answered, "ok", `answering the picker with ${path}`);
  await s.click(`[data-testid=frame-${slot}-zone]`);
}

test("demo mode, two frames previewed, the mismatch cropped away", async () => {
  await s.click("[data-testid=try-demo]");
  await s.find("[data-testid=demo-badge]");
  await pick("first", frames.first);
  await s.waitForText("[data-testid=frame-first-facts]", (t) => t.includes("1280") && t.includes("720"));
  await pick("last", frames.last);
  await s.waitForText("[data-testid=frame-last-facts]", (t) => t.includes("900"));
  await s.waitForText("[data-testid=mode-badge]", (t) => /First \+ last|首帧 \+ 尾帧/.test(t));
  await s.find("[data-testid=mismatch-warning]");
  await s.screenshot("generate-mismatch");
  await s.click("[data-testid=crop-last]");
  await s.find("[data-testid=crop-window]");
  await s.screenshot("generate-crop");
  await s.click("[data-testid=crop-apply]");
  // 900×900 cropped to the first frame's 16:9 → 900×506.
  await s.waitForText("[data-testid=frame-last-facts]", (t) => /900\s*×\s*506/.test(t));
  // The pair is checked again once the cropped frame is in: the warning goes a moment after the facts change.
  assert.equal(
    await s.waitForCount("[data-testid=mismatch-warning]", 0),
    0,
    "the warning is gone once the shapes match",
  );
  assert.ok(statSync(frames.last).size > 0, "the original is untouched");
});

test("Generate in demo mode produces the sample clip on disk", async () => {
  await s.type("[data-testid=prompt]", 'The light sweeps from the sea to the sky, "look" she whispers');
  await s.screenshot("generate-filled");
  await s.generate();
  await s.click("[data-testid=nav-jobs]");
  assert.equal(await s.waitForNewestJobSettled(), "done");
  await s.find("[data-testid=thumb-first]");
  await s.screenshot("jobs-demo-done");
  const videos = filesUnder(home.env.HOME).filter((f) => f.endsWith(".mp4"));
  assert.equal(videos.length, 1, `one video: ${videos}`);
  assert.ok(statSync(videos[0]).size > 10_000);
});

test("the finished clip plays inline, and its last frame starts the next shot", async () => {
  await s.click("[data-testid=play]");
  await s.find("[data-testid=player]");
  // The player streams the file from the app's loopback video source: wait for its metadata.
  const ready = await s.executeAsync(
    `const done = arguments[arguments.length - 1];
     const v = document.querySelector("[data-testid=player]");
     const start = Date.now();
     (function check() {
       if (v && v.readyState >= 1 && v.videoWidth > 0) return done(v.videoWidth + "x" + v.videoHeight);
       if (v && v.error) return done("error " + v.error.code);
       if (Date.now() - start > 15000) return done("timeout " + (v && v.readyState));
       setTimeout(check, 100);
     })();`,
  );
  assert.equal(ready, "640x360", "the sample clip's size");
  await s.screenshot("jobs-player");
  await s.click("[data-testid=use-last-frame]");
  await s.find("[data-testid=generate-screen]");
  await s.waitForText("[data-testid=frame-first-facts]", (t) => /640\s*×\s*360/.test(t), 20_000);
  await s.screenshot("generate-next-shot");
});
