// A sequence of three shots in the real window, in demo mode: the first from a picture, the next two each from
// the last frame of the shot before it. One confirmation generates all three; the chained shots wait for their
// source; the takes are joined into one film whose length is the sum of the three clips (checked with ffprobe).
// Looked at in English and in Chinese. The picture is chosen through the test stand-in for the file dialog.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { isolatedEnv, newSession, startDriver } from "./webdriver.mjs";

let driver;
let s;
let home;
let picture;

before(async () => {
  home = isolatedEnv("sequence", { SEEDANCE_TEST_HOOKS: "1" });
  picture = join(home.root, "harbour.png");
  execFileSync("convert", ["-size", "1280x720", "gradient:#2a6fdb-#f2a541", picture]);
  driver = await startDriver(home.env);
  s = await newSession(driver, process.env.SEEDANCE_APP);
});

after(async () => {
  await s?.close();
  driver?.stop();
});

/** The backend's view of the sequence, as the window's IPC gives it. */
async function sequenceView(id) {
  return s.executeAsync(
    `const done = arguments[1];
     window.__TAURI_INTERNALS__.invoke("get_sequence", { id: arguments[0] }).then(done, (e) => done({ error: e }));`,
    [id],
  );
}

async function onlySequenceId() {
  const list = await s.executeAsync(
    `const done = arguments[0];
     window.__TAURI_INTERNALS__.invoke("list_sequences").then(done, (e) => done({ error: e }));`,
  );
  assert.ok(Array.isArray(list) && list.length === 1, JSON.stringify(list));
  return list[0].id;
}

function seconds(file) {
  const out = execFileSync("ffprobe", [
    "-v",
    "error",
    "-show_entries",
    "format=duration",
    "-of",
    "csv=p=0",
    file,
  ]);
  return Number(String(out).trim());
}

const shot = (n) => `[data-testid=seq-shot]:nth-of-type(${n})`;

test("a 3-shot sequence generated in demo mode and joined into one film", async () => {
  await s.click("[data-testid=try-demo]");
  await s.find("[data-testid=demo-badge]");
  await s.click("[data-testid=nav-sequences]");
  await s.type("[data-testid=seq-new-name]", "Harbour at dawn");
  await s.click("[data-testid=seq-create]");
  await s.find(`${shot(1)} [data-testid=seq-prompt]`);
  await s.type(`${shot(1)} [data-testid=seq-prompt]`, "A harbour at dawn, boats rocking gently");
  await s.answerNextDialog(picture);
  await s.click(`${shot(1)} [data-testid=seq-first] option[value=image]`);
  await s.find(`${shot(1)} img.seq-thumb`);
  await s.click("[data-testid=seq-add]");
  await s.type(`${shot(2)} [data-testid=seq-prompt]`, "The camera follows a gull over the water");
  await s.click("[data-testid=seq-add]");
  await s.type(`${shot(3)} [data-testid=seq-prompt]`, "The gull lands on a mooring post");
  await s.screenshot("sequence-edit-en");

  await s.click("[data-testid=seq-generate]");
  await s.waitForText("[data-testid=seq-confirm]", (t) => t.includes("Generate 3 shots"));
  await s.screenshot("sequence-confirm-en");
  await s.click("[data-testid=seq-start]");
  await s.find("[data-testid=seq-started]");

  const id = await onlySequenceId();
  const deadline = Date.now() + 180_000;
  let view = null;
  while (Date.now() < deadline) {
    view = await sequenceView(id);
    const settled = view.shots?.every(
      (sh) => sh.takes.length === 1 && ["done", "failed"].includes(sh.takes[0].job.status),
    );
    if (settled) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const takes = view.shots.map((sh) => sh.takes[0]);
  assert.deepEqual(
    takes.map((t) => t.job.status),
    ["done", "done", "done"],
    JSON.stringify(view.shots.map((sh) => sh.takes.map((t) => [t.job.status, t.job.problem]))),
  );
  // Each chained shot starts from the take before it, sent only once that take's video was on disk.
  for (const at of [1, 2]) {
    assert.equal(takes[at].chained_from, takes[at - 1].job.id);
    assert.ok(takes[at].job.create_sent_at >= takes[at - 1].job.finished_at);
  }
  await s.waitForText(`${shot(3)} [data-testid=seq-in-film]`, (t) => t === "In the film");
  await s.screenshot("sequence-done-en");

  await s.click("[data-testid=seq-join]");
  const filmText = await s.waitForText("[data-testid=seq-film]", (t) => t.includes("Film saved"), 60_000);
  const film = /Film saved: (.+\.mp4) \(/.exec(filmText)?.[1];
  assert.ok(film, filmText);
  assert.ok(statSync(film).size > 10_000, `${film} holds a video`);
  const sum = takes.map((t) => seconds(t.job.output_path)).reduce((a, b) => a + b, 0);
  const joined = seconds(film);
  assert.ok(Math.abs(joined - sum) < 0.1, `film ${joined} s, clips ${sum} s`);
  const streams = String(
    execFileSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", film]),
  )
    .trim()
    .split("\n");
  assert.deepEqual(streams.sort(), ["audio", "video"]);
  await s.execute(`document.querySelector("[data-testid=seq-film]").scrollIntoView({ block: "end" });`);
  await s.screenshot("sequence-joined-en");
});

test("a take whose clip differs in size is joined in parts, in shot order", async () => {
  const view = await sequenceView(await onlySequenceId());
  const takes = view.shots.map((sh) => sh.takes[0]);
  // The third take's file becomes a smaller clip (another size, with sound), as a clip from another tool would be.
  const third = takes[2].job.output_path;
  const other = join(home.root, "other-size.mp4");
  execFileSync("ffmpeg", [
    ...["-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=24:duration=2"],
    ...["-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:v", "libx264", "-pix_fmt", "yuv420p"],
    ...["-c:a", "aac", "-shortest", "-y", other],
  ]);
  copyFileSync(other, third);
  await s.click("[data-testid=seq-join]");
  await s.waitForText("[data-testid=seq-film-error]", (t) => t.length > 0, 60_000);
  await s.execute(`document.querySelector("[data-testid=seq-film-error]").scrollIntoView({ block: "end" });`);
  await s.screenshot("sequence-differ-en");
  await s.click("[data-testid=seq-join-parts]");
  const partsText = await s.waitForText(
    "[data-testid=seq-film-parts]",
    (t) => t.includes("in 2 parts"),
    60_000,
  );
  const files = [...partsText.matchAll(/(\/[^\n]+?\.mp4) \(/g)].map((m) => m[1]);
  assert.equal(files.length, 2, partsText);
  assert.match(files[0], / - 1\.mp4$/);
  assert.match(files[1], / - 2\.mp4$/);
  const first = seconds(files[0]);
  const firstSum = seconds(takes[0].job.output_path) + seconds(takes[1].job.output_path);
  assert.ok(Math.abs(first - firstSum) < 0.1, `part 1 ${first} s, shots 1–2 ${firstSum} s`);
  assert.ok(Math.abs(seconds(files[1]) - seconds(third)) < 0.1, "part 2 is shot 3");
  await s.execute(`document.querySelector("[data-testid=seq-film-parts]").scrollIntoView({ block: "end" });`);
  await s.screenshot("sequence-parts-en");
});

test("the sequence in Chinese", async () => {
  await s.click("[data-testid=nav-settings]");
  await s.click('[data-testid=language] option[value="zh-CN"]');
  await s.click("[data-testid=settings-save]");
  await s.click("[data-testid=nav-sequences]");
  await s.waitForText(
    `${shot(2)} [data-testid=seq-first] option[value=previous]`,
    (t) => t === "镜头 1 的最后一帧",
  );
  await s.waitForText(`${shot(1)} [data-testid=seq-in-film]`, (t) => t === "用于成片");
  await s.screenshot("sequence-zh");
  // The takes still differ (the test before): the question and the parts, in Chinese.
  await s.click("[data-testid=seq-join]");
  await s.waitForText("[data-testid=seq-film-error]", (t) => t.length > 0, 60_000);
  await s.execute(`document.querySelector("[data-testid=seq-film-error]").scrollIntoView({ block: "end" });`);
  await s.screenshot("sequence-differ-zh");
  await s.click("[data-testid=seq-join-parts]");
  await s.waitForText("[data-testid=seq-film-parts]", (t) => t.includes("分 2 段"), 60_000);
  await s.execute(`document.querySelector("[data-testid=seq-film-parts]").scrollIntoView({ block: "end" });`);
  await s.screenshot("sequence-parts-zh");
});
