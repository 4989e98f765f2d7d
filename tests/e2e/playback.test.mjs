// A real-size result in the real window: a 1080p H.264 + AAC clip of about 10 MB, made here with ffmpeg (the
// simulator's own sample is 67 KB, far below the 2 MiB where WebKitGTK's blob: reading broke), returned by the
// simulator as a separate process, downloaded by the app, played inline to its end, and its last frame taken as
// the next shot's first frame. The clip is not "faststart" (its index is at the end), like many real results.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { isolatedEnv, newSession, startDriver, startSim } from "./webdriver.mjs";

const TOKEN = `sk-e2e-play-${process.pid}-Hq4vTn`;
const SIZE = { width: 1920, height: 1080 };
const SECONDS = 6;
let sim;
let driver;
let s;
let home;
let clip;

function makeClip(path) {
  execFileSync(
    "ffmpeg",
    [
      ["-hide_banner", "-loglevel", "error", "-y"],
      ["-f", "lavfi", "-i", `testsrc2=size=${SIZE.width}x${SIZE.height}:rate=24:duration=${SECONDS}`],
      ["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`],
      ["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p"],
      // A constant high bitrate (with filler) makes the size of a real clip out of a simple test picture.
      ["-b:v", "14M", "-maxrate", "14M", "-bufsize", "4M", "-x264-params", "nal-hrd=cbr"],
      ["-c:a", "aac", "-b:a", "128k", "-shortest", path],
    ].flat(),
    { stdio: "inherit", timeout: 120_000 },
  );
  return path;
}

/** The web process of this test's app (the one whose HOME is ours), for its CPU time. */
function webProcessOf(homeDir) {
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("WebKitWebProces")) continue;
      const env = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      if (env.includes(`HOME=${homeDir}`)) return pid;
    } catch {
      /* gone, or not ours to read */
    }
  }
  return null;
}

/** User + system CPU time of `pid` in clock ticks (fields 14 and 15 of /proc/PID/stat). */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

before(async () => {
  home = isolatedEnv("playback", {});
  clip = makeClip(join(home.root, "result-1080p.mp4"));
  sim = await startSim(TOKEN, { extra: ["--result-file", clip] });
  home.env = {
    ...home.env,
    SEEDANCE_API_BASE: sim.api,
    SEEDANCE_UPLOAD_BASE: sim.api,
    SEEDANCE_API_TOKEN: TOKEN,
  };
  driver = await startDriver(home.env);
  s = await newSession(driver, process.env.SEEDANCE_APP);
});

after(async () => {
  await s?.close();
  driver?.stop();
  sim?.child.kill("SIGKILL");
});

test("the test clip is real-size: over 8 MB, 1080p, not faststart", () => {
  const bytes = readFileSync(clip);
  assert.ok(bytes.length > 8_000_000, `${bytes.length} bytes`);
  assert.ok(bytes.indexOf("moov") > bytes.indexOf("mdat"), "the index comes after the media data");
});

test("a 10 MB 1080p result plays inline to its end", async () => {
  await s.find("[data-testid=generate-screen]");
  await s.type("[data-testid=prompt]", "A test pattern turns slowly, a steady tone plays");
  await s.generate();
  await s.click("[data-testid=nav-jobs]");
  assert.equal(await s.waitForNewestJobSettled(60_000), "done");
  await s.click("[data-testid=play]");
  await s.find("[data-testid=player]");
  // Muted, so the page may start it without a click; the sound track is still demuxed and decoded.
  const started = await s.executeAsync(
    `const done = arguments[arguments.length - 1];
     const v = document.querySelector("[data-testid=player]");
     const log = (window.__playback = { ended: false, error: null, events: [] });
     for (const e of ["loadedmetadata", "playing", "waiting", "stalled", "ended", "error"])
       v.addEventListener(e, () => log.events.push(e + "@" + v.currentTime.toFixed(2)));
     v.addEventListener("ended", () => { log.ended = true; });
     v.addEventListener("error", () => { log.error = v.error ? v.error.code + " " + v.error.message : "error"; });
     v.muted = true;
     v.play().catch((e) => { log.error = "play() refused: " + e; });
     const start = Date.now();
     (function check() {
       if (log.error) return done("error " + log.error);
       if (v.currentTime > 1) return done("playing " + v.videoWidth + "x" + v.videoHeight + " src " + v.currentSrc.split("/video/")[0]);
       if (Date.now() - start > 20000) return done("timeout at " + v.currentTime + " readyState " + v.readyState);
       setTimeout(check, 50);
     })();`,
  );
  assert.match(started, /^playing 1920x1080 src http:\/\/127\.0\.0\.1:\d+$/, started);
  const web = webProcessOf(home.env.HOME);
  const t0 = Date.now();
  const ticks0 = web ? cpuTicks(web) : 0;
  await s.screenshot("playback-1080p-playing");
  const result = JSON.parse(
    await s.executeAsync(
      `const done = arguments[arguments.length - 1];
       const v = document.querySelector("[data-testid=player]");
       const log = window.__playback;
       const start = Date.now();
       (function check() {
         if (log.ended || log.error || Date.now() - start > ${(SECONDS + 30) * 1000})
           return done(JSON.stringify({ ...log, currentTime: v.currentTime, duration: v.duration }));
         setTimeout(check, 100);
       })();`,
    ),
  );
  if (web) {
    const seconds = (Date.now() - t0) / 1000;
    const percent = ((cpuTicks(web) - ticks0) / 100 / seconds) * 100;
    console.log(
      `web process CPU while the 1080p clip played: ${percent.toFixed(0)}% of one core over ${seconds.toFixed(1)} s`,
    );
  }
  await s.screenshot("playback-1080p-ended");
  assert.equal(result.error, null, JSON.stringify(result));
  assert.ok(result.ended, `the clip reached its end: ${JSON.stringify(result)}`);
  assert.ok(Math.abs(result.duration - SECONDS) < 0.1, `duration ${result.duration}`);
  assert.ok(Math.abs(result.currentTime - result.duration) < 0.1, `stopped at ${result.currentTime}`);
  assert.equal(await s.count("[data-testid=player-error]"), 0);
});

test("its last frame becomes the next shot's first frame, at the clip's size", async () => {
  await s.click("[data-testid=use-last-frame]");
  await s.find("[data-testid=generate-screen]");
  const facts = await s.waitForText(
    "[data-testid=frame-first-facts]",
    (t) => /1920\s*×\s*1080/.test(t),
    30_000,
  );
  assert.match(facts, /PNG/);
  await s.screenshot("playback-next-shot");
  const saved = readdirSync(join(home.env.SEEDANCE_DATA_DIR, "frames"));
  assert.ok(
    saved.some((f) => statSync(join(home.env.SEEDANCE_DATA_DIR, "frames", f)).size > 100_000),
    `a full-size frame was saved: ${saved}`,
  );
});
