// A finished video whose sound can play but whose picture cannot is not left as a black box (issue 13, item 10).
// With GStreamer's H.264 decoder ranked out of use (`GST_PLUGIN_FEATURE_RANK=avdec_h264:0`) while its AAC decoder
// stays, WebKitGTK raises no media error: it plays the sound over a black box and reports no picture size. The row
// must say what is missing, as when no decoder at all is there (player-error.test.mjs).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startLiveApp } from "./webdriver.mjs";

const TOKEN = `sk-e2e-picture-${process.pid}-Qx7pLm`;
let app;
let s;

before(async () => {
  app = await startLiveApp("player-no-picture", TOKEN, { env: { GST_PLUGIN_FEATURE_RANK: "avdec_h264:0" } });
  ({ s } = app);
});

after(() => app?.close());

test("a video whose picture has no decoder names the missing decoder instead of a black box", async () => {
  await s.find("[data-testid=generate-screen]");
  await s.type("[data-testid=prompt]", "A paper boat drifts down a rain gutter, low angle");
  await s.generate();
  await s.click("[data-testid=nav-jobs]");
  assert.equal(await s.waitForNewestJobSettled(), "done");

  await s.click("[data-testid=play]");
  const message = await s.waitForText("[data-testid=player-error]", (t) => t.length > 0, 30_000);
  await s.screenshot("player-error-no-picture");
  assert.equal(
    await s.attr("[data-testid=player-error] [data-kind]", "data-kind"),
    "jobs.player.noDecoderLinux",
  );
  assert.match(message, /gstreamer1\.0-libav/);
  assert.equal(await s.text("[data-testid=player-open]"), "Open in the system player");
  assert.equal(await s.count("[data-testid=player]"), 0, "no black video box is left");
});
