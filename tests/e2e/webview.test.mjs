// What the page itself may reach, asked from inside the real window: the prototype of every object is frozen;
// the core APIs the UI never uses are refused by the capabilities while the app's own commands still answer; the
// window never leaves the app's own page; the output folder changes only through the folder picker the
// backend opens (its answer comes from the test stand-in: WebDriver cannot press a native dialog); and a frame
// is read only by the handle the backend handed out for it, never by a path the page names.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { isolatedEnv, newSession, startDriver } from "./webdriver.mjs";

let driver;
let s;
let home;
let elsewhere;
const visits = [];

before(async () => {
  // A page on loopback the window must never load: it records every request it gets.
  elsewhere = createServer((req, res) => {
    visits.push(req.url);
    res.end("<html><body>elsewhere</body></html>");
  });
  await new Promise((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
  home = isolatedEnv("webview", { SEEDANCE_TEST_HOOKS: "1" });
  driver = await startDriver(home.env);
  s = await newSession(driver, process.env.SEEDANCE_APP);
  await s.find("[data-testid=welcome-screen]");
});

after(async () => {
  await s?.close();
  driver?.stop();
  elsewhere?.close();
});

/** Calls a command the way the page's own code does; its answer, or `{ refused }` with the error's kind. */
function answer(cmd, args = {}) {
  return s.executeAsync(
    `const [cmd, args, done] = arguments;
     window.__TAURI_INTERNALS__.invoke(cmd, args).then(
       (v) => done({ value: v }),
       (e) => done({ refused: typeof e === "string" ? e : e.kind }),
     );`,
    [cmd, args],
  );
}

/** Calls a command the way the page's own code does; "ok" or "refused: <why>". */
function invoke(cmd, args = {}) {
  return s.executeAsync(
    `const [cmd, args, done] = arguments;
     window.__TAURI_INTERNALS__.invoke(cmd, args).then(
       () => done("ok"),
       (e) => done("refused: " + (typeof e === "string" ? e : JSON.stringify(e))),
     );`,
    [cmd, args],
  );
}

test("Object.prototype is frozen before the page's scripts run", async () => {
  const frozen = await s.executeAsync("arguments[0](Object.isFrozen(Object.prototype));");
  assert.equal(frozen, true);
});

test("core APIs the UI does not use are refused; its own commands answer", async () => {
  assert.equal(await invoke("app_info"), "ok", "the app's own commands");
  for (const [cmd, args] of [
    ["plugin:app|version", {}],
    ["plugin:window|set_focus", { label: "main" }],
    ["plugin:webview|get_all_webviews", {}],
    ["plugin:opener|open_url", { url: "https://example.com" }],
    // Native dialogs are the backend's: the page cannot open one and learn the path chosen in it.
    ["plugin:dialog|open", { options: {} }],
  ]) {
    assert.match(await invoke(cmd, args), /^refused: .*not allowed/i, cmd);
  }
});

test("the window stays on the app's page: navigations elsewhere are refused", async () => {
  const url = `http://127.0.0.1:${elsewhere.address().port}`;
  const start = await s.executeAsync("arguments[0](location.href);");
  // Scheduled, so the script returns before any navigation could unload the page.
  await s.executeAsync(
    `const [url, done] = arguments;
     setTimeout(() => { location.href = url + "/by-location"; }, 0);
     setTimeout(() => {
       const a = document.createElement("a");
       a.href = url + "/by-link";
       document.body.appendChild(a);
       a.click();
     }, 50);
     done();`,
    [url],
  );
  await sleep(2000);
  assert.deepEqual(visits, [], "the other page was never requested");
  assert.equal(await s.executeAsync("arguments[0](location.href);"), start);
  await s.find("[data-testid=welcome-screen]");
});

test("the output folder changes only through the folder picker the backend opens", async () => {
  const folder = join(home.root, "picked videos");
  mkdirSync(folder, { recursive: true });
  const current = await s.executeAsync(
    `const done = arguments[0];
     window.__TAURI_INTERNALS__.invoke("get_preferences").then((v) => done(v.prefs), (e) => done(null));`,
  );
  assert.ok(current, "the preferences load");
  const named = await s.executeAsync(
    `const [prefs, done] = arguments;
     window.__TAURI_INTERNALS__.invoke("save_preferences", { prefs }).then(
       () => done("saved"),
       (e) => done(e.kind),
     );`,
    [{ ...current, output_dir: folder }],
  );
  assert.equal(named, "prefs_output_dir_not_chosen", "the page cannot name a folder itself");

  await s.click("[data-testid=try-demo]");
  await s.click("[data-testid=nav-settings]");
  const answered = await s.executeAsync(
    `const [path, done] = arguments;
     window.__TAURI_INTERNALS__.invoke("answer_next_file_dialog", { path }).then(() => done("ok"), (e) => done(e.kind));`,
    [folder],
  );
  assert.equal(answered, "ok");
  await s.click("[data-testid=output-dir-choose]");
  await s.waitForText("[data-testid=output-dir]", (t) => t === folder);
  await s.screenshot("settings-output-folder");
  const saved = JSON.parse(readFileSync(join(home.env.SEEDANCE_DATA_DIR, "preferences.json"), "utf8"));
  assert.equal(saved.output_dir, folder, "the picked folder is saved at once");
  // Saving the rest of the form keeps it.
  await s.click("[data-testid=settings-save]");
  await s.find("[role=status].ok");
});

test("a frame is read only by the handle the backend handed out, never by a path the page names", async () => {
  const image = join(home.root, "frame.png");
  copyFileSync(new URL("../../icons/128x128.png", import.meta.url), image);
  const draft = {
    prompt: "a fox",
    first_frame: image,
    last_frame: null,
    resolution: "720p",
    ratio: "16:9",
    duration: 5,
    generate_audio: false,
    camera_fixed: false,
    draft: false,
    watermark: false,
  };
  for (const [cmd, args] of [
    ["inspect_frame", { handle: image }],
    ["inspect_frame", { handle: "/etc/passwd" }],
    ["fix_frame", { handle: image, fix: { type: "downscale", max_side: 6000 } }],
    ["crop_frame", { handle: image, targetRatio: 1, offset: 0 }],
    ["submit_job", { draft, tokensEstimate: null, intended: false, spendConfirmed: false }],
    // A drop the window never reported.
    [
      "plan_frame_drop",
      { paths: [image], x: 0, y: 0, scaleFactor: 1, zones: [], firstFilled: false, lastFilled: false },
    ],
  ]) {
    assert.deepEqual(await answer(cmd, args), { refused: "unknown_frame" }, cmd);
  }

  // The same file picked in the backend's own picker comes back as a handle, which reads it.
  assert.deepEqual(await answer("answer_next_file_dialog", { path: image }), { value: null });
  const picked = (await answer("pick_frame", { filterName: "Images" })).value;
  assert.match(picked.handle, /^frame-[0-9a-f]{32}$/);
  assert.equal(picked.path, undefined, "the page never sees the path");
  const inspected = (await answer("inspect_frame", { handle: picked.handle })).value;
  assert.equal(inspected.content_sha256, picked.content_sha256);
});
