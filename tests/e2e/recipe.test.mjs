// Every video the real app saves carries its recipe (issue 18, item 7): generated in the window against the
// simulator with a first frame picked through the backend's picker (answered by the test stand-in), the saved
// MP4's metadata, read by ffprobe, holds the prompt, the settings, the task id and the SHA-256 of the frame as
// uploaded, and a human comment; the token the app used is nowhere in the file, and ffmpeg decodes it cleanly.
// A page cannot get a recipe read from a path it names: only a file the window reported dropped is read.
// Then the saved MP4 is dragged from another window and dropped on Generate (a real X11 drag and drop,
// reported by the OS): its prompt, mode and first frame come back into the form.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { filesUnder, startLiveApp } from "./webdriver.mjs";

const TOKEN = `sk-e2e-recipe-${process.pid}-Qm4vTz`;
const PROMPT = 'A lighthouse at dusk, 海浪拍岸 & "spray"';
let app;
let frame;

after(() => app?.close());

test("the saved MP4 carries its recipe and never the token, and dropped on the window fills the form", async () => {
  app = await startLiveApp("recipe", TOKEN, {
    sim: { queuedSecs: 1, runningSecs: 1 },
    env: { SEEDANCE_TEST_HOOKS: "1" },
    prepare: (home) => {
      const dir = join(home.root, "pictures");
      mkdirSync(dir, { recursive: true });
      frame = join(dir, "shore.png");
      execFileSync("convert", ["-size", "1280x720", "gradient:#2a6fdb-#f2a541", frame]);
    },
  });
  const { s } = app;
  await s.find("[data-testid=generate-screen]");
  const answered = await s.executeAsync(
    `const [path, done] = arguments;
     window.__TAURI_INTERNALS__.invoke("answer_next_file_dialog", { path }).then(() => done("ok"), (e) => done(e.kind));`,
    [frame],
  );
  assert.equal(answered, "ok");
  await s.click("[data-testid=frame-first-zone]");
  await s.waitForText("[data-testid=frame-first-facts]", (t) => t.includes("1280"));
  await s.type("[data-testid=prompt]", PROMPT);
  await s.generate();
  await s.click("[data-testid=nav-jobs]");
  assert.equal(await s.waitForNewestJobSettled(60_000), "done");

  const videos = filesUnder(app.home.env.HOME).filter((f) => f.endsWith(".mp4"));
  assert.equal(videos.length, 1, `one video: ${videos}`);
  const video = videos[0];
  const tags = JSON.parse(
    execFileSync("ffprobe", ["-v", "error", "-show_entries", "format_tags", "-of", "json", video]),
  ).format.tags;
  const recipe = JSON.parse(tags.recipe);
  assert.equal(recipe.format, 1);
  assert.equal(recipe.prompt, PROMPT);
  assert.equal(recipe.mode, "first_frame");
  assert.ok(recipe.task_id, "the task id is in the recipe");
  assert.equal(recipe.first_frame.file_name, "shore.png");
  assert.equal(recipe.first_frame.sha256, createHash("sha256").update(readFileSync(frame)).digest("hex"));
  assert.equal(recipe.last_frame, null);
  assert.ok(tags.comment.includes(PROMPT), `the comment shows the prompt: ${tags.comment}`);

  const bytes = readFileSync(video);
  assert.equal(bytes.indexOf(TOKEN), -1, "the token is not in the video");
  assert.equal(bytes.indexOf(join(app.home.root, "pictures")), -1, "nor the frame's folder");
  const decode = spawnSync("ffmpeg", ["-v", "error", "-i", video, "-f", "null", "-"], { encoding: "utf8" });
  assert.equal(decode.status, 0);
  assert.equal(decode.stderr, "", "ffmpeg decodes the tagged video cleanly");

  // The page names the video's path itself: refused, nothing read.
  const refused = await s.executeAsync(
    `const [path, done] = arguments;
     window.__TAURI_INTERNALS__.invoke("restore_dropped_video", { path }).then(() => done("ok"), (e) => done(e.kind));`,
    [video],
  );
  assert.equal(refused, "unknown_frame");

  // Dropped from a file manager onto a form with other words and no frame, the video fills the form.
  await s.click("[data-testid=nav-generate]");
  await s.type("[data-testid=prompt]", `${"\uE003".repeat(PROMPT.length + 5)}other words`); // Backspace
  await s.click("[data-testid=frame-first] .frame-clear");
  const prompt = () => s.execute(`return document.querySelector("[data-testid=prompt]").value;`);
  assert.equal(await prompt(), "other words");
  await s.dropFiles([video], "[data-testid=prompt]");
  await s.waitForText("[data-testid=video-recipe-restored]", (t) => t.includes("are in the form"));
  assert.equal(await prompt(), PROMPT);
  await s.waitForText("[data-testid=frame-first-facts]", (t) => t.includes("1280×720"));
  await s.screenshot("recipe-dropped-en");
});

test("a 24 MP photo dragged onto the last frame's zone lands there and is read", async () => {
  const { s } = app;
  const photo = join(app.home.root, "pictures", "harbour-24mp.jpg");
  execFileSync("convert", ["-size", "6000x4000", "gradient:#0b3d91-#f5b041", "-quality", "92", photo]);
  await s.dropFiles([photo], "[data-testid=frame-last-zone]");
  await s.waitForText("[data-testid=frame-last-facts]", (t) => t.includes("6000×4000"), 30_000);
  // The first frame the video brought back stays where it was.
  assert.ok((await s.text("[data-testid=frame-first-facts]")).includes("1280×720"));
  await s.screenshot("recipe-photo-dropped-en");
});
