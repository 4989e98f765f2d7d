// A finished video the system cannot decode says so in the real window, instead of a black box (issue 13, item 10).
// The window plays video through GStreamer. This test's app sees the system's GStreamer plugins except the one
// gstreamer1.0-libav installs (its H.264 and AAC decoders), through a plugin folder of its own
// (`GST_PLUGIN_SYSTEM_PATH_1_0`): a Linux system without that package, as on the fresh machine of the issue. The
// same clip that plays inline in demo.test.mjs then makes WebKitGTK's real player fail with a media error, and the
// row must say what is missing, which package brings it, and offer the system player.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startLiveApp } from "./webdriver.mjs";

/** Where this system keeps GStreamer's plugins (the folder holding its core elements). */
const SYSTEM_PLUGINS = [
  "/usr/lib/x86_64-linux-gnu/gstreamer-1.0",
  "/usr/lib/aarch64-linux-gnu/gstreamer-1.0",
  "/usr/lib64/gstreamer-1.0",
  "/usr/lib/gstreamer-1.0",
].find((dir) => existsSync(join(dir, "libgstcoreelements.so")));
const LIBAV = "libgstlibav.so";

/** A plugin folder with every system plugin but gstreamer1.0-libav's. */
function pluginsWithoutLibav(dir) {
  mkdirSync(dir, { recursive: true });
  const all = readdirSync(SYSTEM_PLUGINS).filter((f) => f.endsWith(".so"));
  assert.ok(
    all.includes(LIBAV),
    `gstreamer1.0-libav is installed here (./dev installs it): ${SYSTEM_PLUGINS}`,
  );
  for (const f of all.filter((f) => f !== LIBAV)) {
    if (!existsSync(join(dir, f))) symlinkSync(join(SYSTEM_PLUGINS, f), join(dir, f));
  }
  return dir;
}

const TOKEN = `sk-e2e-player-${process.pid}-Wm3kQz`;
let app;
let s;

before(async () => {
  assert.ok(SYSTEM_PLUGINS, "GStreamer's plugin folder was found");
  app = await startLiveApp("player-error", TOKEN, {
    // The app's private XDG_CACHE_HOME holds a GStreamer registry of its own, built from this folder.
    prepare: (home) => {
      home.env.GST_PLUGIN_SYSTEM_PATH_1_0 = pluginsWithoutLibav(join(home.root, "gstreamer-plugins"));
    },
  });
  ({ s } = app);
});

after(() => app?.close());

test("a finished video the system cannot decode names the missing decoder and offers the system player", async () => {
  await s.find("[data-testid=generate-screen]");
  await s.type("[data-testid=prompt]", "A lantern sways on a night ferry, slow push in");
  await s.generate();
  await s.click("[data-testid=nav-jobs]");
  assert.equal(await s.waitForNewestJobSettled(), "done");

  // Media errors do not bubble; a capturing listener on the document sees the player's own error, whenever it comes.
  await s.execute(
    `window.__mediaErrors = [];
     document.addEventListener("error", (e) => {
       if (e.target instanceof HTMLMediaElement) window.__mediaErrors.push(e.target.error ? e.target.error.code : 0);
     }, true);`,
  );
  await s.click("[data-testid=play]");
  const message = await s.waitForText("[data-testid=player-error]", (t) => t.length > 0, 30_000);
  await s.screenshot("player-error-no-decoder");

  const codes = await s.execute("return window.__mediaErrors;");
  assert.ok(
    codes.some((c) => c === 3 || c === 4),
    `the real player failed to decode (MediaError 3 or 4), got ${JSON.stringify(codes)}`,
  );
  const kind = await s.attr("[data-testid=player-error] [data-kind]", "data-kind");
  assert.ok(["jobs.player.noDecoderLinux", "jobs.player.decodeFailedLinux"].includes(kind), kind);
  assert.match(message, /H\.264 decoder/);
  assert.match(message, /gstreamer1\.0-libav/);
  assert.equal(await s.text("[data-testid=player-open]"), "Open in the system player");
  assert.equal(await s.attr("[data-testid=player-open]", "disabled"), null);
  assert.equal(
    await s.count("[data-testid=player]"),
    0,
    "no black video box is left in place of the message",
  );
});
