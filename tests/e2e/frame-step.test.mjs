// Frame stepping in the real window: a 720p result (2 s at 24 fps, B-frames, made here with ffmpeg) returned by
// the simulator, played inline, stepped with the `.` and `,` keys (real key events), and the shown frame taken
// by the backend as the next shot's first frame: the file it saves is named after that frame's number, and the
// form shows it at the clip's size.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { elementOrigin, isolatedEnv, newSession, startDriver, startSim } from "./webdriver.mjs";

const TOKEN = `sk-e2e-step-${process.pid}-Zr8wLp`;
let sim;
let driver;
let s;
let home;

function makeClip(path) {
  execFileSync(
    "ffmpeg",
    [
      ["-hide_banner", "-loglevel", "error", "-y"],
      ["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=24:duration=2"],
      ["-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-pix_fmt", "yuv420p", path],
    ].flat(),
    { stdio: "inherit", timeout: 120_000 },
  );
  return path;
}

before(async () => {
  home = isolatedEnv("frame-step", {});
  const clip = makeClip(join(home.root, "result-720p.mp4"));
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

/** Presses one key in the window (a real key event, delivered to the focused element). */
async function press(key) {
  await s.actions([
    {
      type: "key",
      id: "keyboard",
      actions: [
        { type: "keyDown", value: key },
        { type: "keyUp", value: key },
      ],
    },
  ]);
}

test("the player steps frame by frame and the shown frame becomes the next first frame", async () => {
  await s.find("[data-testid=generate-screen]");
  await s.type("[data-testid=prompt]", "A test pattern, frame by frame");
  await s.generate();
  await s.click("[data-testid=nav-jobs]");
  assert.equal(await s.waitForNewestJobSettled(60_000), "done");
  await s.click("[data-testid=play]");
  const video = await s.find("[data-testid=player]");
  await s.waitForText("[data-testid=frame-timecode]", (t) => /frame 1 of \d+/.test(t), 20_000);

  // Focus the video with a real click (pausing it if the click started it), then step with the keyboard.
  await s.actions([
    {
      type: "pointer",
      id: "mouse",
      actions: [
        { type: "pointerMove", origin: elementOrigin(video), x: 0, y: -40 },
        { type: "pointerDown", button: 0 },
        { type: "pointerUp", button: 0 },
      ],
    },
  ]);
  await s.execute(`document.querySelector("[data-testid=player]").pause();`);
  await s.execute(`document.querySelector("[data-testid=player]").currentTime = 0;`);
  await s.waitForText("[data-testid=frame-timecode]", (t) => /frame 1 of/.test(t));
  for (let i = 0; i < 4; i++) await press(".");
  await press(",");
  const shown = await s.waitForText("[data-testid=frame-timecode]", (t) => /frame 4 of/.test(t));
  assert.match(shown, /^00:00\.125 frame 4 of \d+$/, shown);
  const paused = await s.execute(`return document.querySelector("[data-testid=player]").paused;`);
  assert.equal(paused, true, "stepping pauses the player");
  await s.screenshot("frame-step-player");

  await s.click("[data-testid=use-frame-first]");
  await s.find("[data-testid=generate-screen]");
  const facts = await s.waitForText(
    "[data-testid=frame-first-facts]",
    (t) => /1280\s*×\s*720/.test(t),
    30_000,
  );
  assert.match(facts, /PNG/);
  const saved = readdirSync(join(home.env.SEEDANCE_DATA_DIR, "frames"));
  assert.ok(
    saved.some((f) => f.endsWith(".frame-4.png")),
    `the fourth frame was saved: ${saved}`,
  );
  await s.screenshot("frame-step-next-shot");
});

test("the Jobs screen's results grid shows each finished video's poster and plays it on hover", async () => {
  await s.click("[data-testid=nav-jobs]");
  await s.click("[data-testid=jobs-view-grid]");
  await s.find("[data-testid=result-poster]", 30_000);
  await s.actions([
    {
      type: "pointer",
      id: "mouse",
      parameters: { pointerType: "mouse" },
      actions: [
        {
          type: "pointerMove",
          origin: elementOrigin(await s.element("[data-testid=result-card]")),
          x: 0,
          y: 0,
        },
      ],
    },
  ]);
  await s.find("[data-testid=result-preview]");
  const deadline = Date.now() + 20_000;
  let time = 0;
  while (Date.now() < deadline && time <= 0.3) {
    time = await s.execute(
      `return document.querySelector("[data-testid=result-preview]")?.currentTime ?? 0;`,
    );
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(time > 0.3, `the hovered result plays (currentTime ${time})`);
  await s.screenshot("jobs-results-grid");
});
