// An accidental repeat never pays twice, in the real window against a separate simulator that logs every
// request: a double click on Generate (150 ms and 300 ms apart), Ctrl+Enter twice 30 ms apart and Ctrl+Enter
// held down each make exactly one create request. A repeat the user asks for goes through a confirmation that
// shows the cost, and then makes a second one.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { elementOrigin, isolatedEnv, KEYS, newSession, startDriver, startSim } from "./webdriver.mjs";

const TOKEN = `sk-e2e-${process.pid}-double`;
let sim;
let driver;
let s;

before(async () => {
  sim = await startSim(TOKEN, { extra: ["--log-requests"] });
  const home = isolatedEnv("double-submit", {
    SEEDANCE_API_BASE: sim.api,
    SEEDANCE_UPLOAD_BASE: sim.api,
    SEEDANCE_API_TOKEN: TOKEN,
  });
  driver = await startDriver(home.env);
  s = await newSession(driver, process.env.SEEDANCE_APP);
  await s.find("[data-testid=generate-screen]");
});

after(async () => {
  await s?.close();
  driver?.stop();
  sim?.child.kill("SIGKILL");
});

async function generateEnabled() {
  for (let i = 0; i < 100; i++) {
    if ((await s.attr("[data-testid=generate-button]", "disabled")) === null) return;
    await sleep(100);
  }
  throw new Error(`Generate stays disabled: ${await s.text("[data-testid=submit-reason]").catch(() => "")}`);
}

/** A prompt of its own per case: each case is a new request, never a repeat of the one before. */
async function newPrompt(words) {
  await s.type("[data-testid=prompt]", ` ${words}`);
  await generateEnabled();
}

/**
 * Waits (bounded) until the simulator has seen `expected` creates in all, and the newest job has settled (by
 * then a second create sent right after the first would have arrived too), then returns the count.
 */
async function createsOnceSettled(expected) {
  for (let i = 0; i < 150 && sim.creates() < expected; i++) await sleep(100);
  const settled = ["done", "failed", "submission_uncertain"];
  for (let i = 0; i < 150; i++) {
    const status = await s.attr("[data-testid=queue-item]", "data-status").catch(() => "");
    if (settled.includes(status)) break;
    await sleep(100);
  }
  // The simulator prints what arrived every 50 ms: one more round of its log.
  await sleep(300);
  return sim.creates();
}

async function noQuestionNoError() {
  assert.equal(await s.count("[data-testid=repeat-confirm]"), 0, "the UI never sent a repeat");
  assert.equal(await s.count("[data-testid=submit-error]"), 0);
}

function doubleClick(id, gapMs) {
  return [
    {
      type: "pointer",
      id: "mouse",
      parameters: { pointerType: "mouse" },
      actions: [
        { type: "pointerMove", origin: elementOrigin(id), x: 0, y: 0 },
        { type: "pointerDown", button: 0 },
        { type: "pointerUp", button: 0 },
        { type: "pause", duration: gapMs },
        { type: "pointerDown", button: 0 },
        { type: "pointerUp", button: 0 },
      ],
    },
  ];
}

let creates = 0;

for (const gap of [150, 300]) {
  test(`a double click on Generate ${gap} ms apart makes one create`, async () => {
    await newPrompt(`a fox crosses the snow, double click ${gap} ms`);
    const items = await s.count("[data-testid=queue-item]");
    await s.actions(doubleClick(await s.element("[data-testid=generate-button]"), gap));
    creates += 1;
    assert.equal(await createsOnceSettled(creates), creates);
    assert.equal(await s.count("[data-testid=queue-item]"), items + 1);
    await noQuestionNoError();
  });
}

test("Ctrl+Enter twice 30 ms apart makes one create", async () => {
  await newPrompt("a lighthouse at dusk, two key presses");
  const items = await s.count("[data-testid=queue-item]");
  await s.actions([
    {
      type: "key",
      id: "keyboard",
      actions: [
        { type: "keyDown", value: KEYS.control },
        { type: "keyDown", value: KEYS.enter },
        { type: "keyUp", value: KEYS.enter },
        { type: "pause", duration: 30 },
        { type: "keyDown", value: KEYS.enter },
        { type: "keyUp", value: KEYS.enter },
        { type: "keyUp", value: KEYS.control },
      ],
    },
  ]);
  creates += 1;
  assert.equal(await createsOnceSettled(creates), creates);
  assert.equal(await s.count("[data-testid=queue-item]"), items + 1);
  // The second press may come after the first one's answer: then the backend refuses it as a repeat and
  // the screen asks instead of sending. Either way one create; here nobody confirms.
  if ((await s.count("[data-testid=repeat-confirm]")) > 0) {
    await s.screenshot("double-submit-ctrl-enter-asked");
    await s.click("[data-testid=confirm-cancel]");
  }
  assert.equal(await s.count("[data-testid=submit-error]"), 0);
  assert.equal(sim.creates(), creates);
});

test("Ctrl+Enter held down (the key repeating) makes one create", async () => {
  await newPrompt("rain on a tin roof, key held down");
  const items = await s.count("[data-testid=queue-item]");
  // A key pressed again without being released is a repeat (W3C WebDriver sets `repeat` on it), as an OS
  // auto-repeat sends; the repeats keep coming after the first answer is back.
  const repeats = [];
  for (let i = 0; i < 8; i++)
    repeats.push({ type: "pause", duration: 100 }, { type: "keyDown", value: KEYS.enter });
  await s.actions([
    {
      type: "key",
      id: "keyboard",
      actions: [
        { type: "keyDown", value: KEYS.control },
        { type: "keyDown", value: KEYS.enter },
        ...repeats,
        { type: "keyUp", value: KEYS.enter },
        { type: "keyUp", value: KEYS.control },
      ],
    },
  ]);
  creates += 1;
  assert.equal(await createsOnceSettled(creates), creates);
  assert.equal(await s.count("[data-testid=queue-item]"), items + 1);
  await noQuestionNoError();
});

test("pressing Generate again on purpose asks first, shows the cost, and makes a second create only when confirmed", async () => {
  // The same prompt as the case before, a few seconds later: the backend refuses it as a repeat.
  await generateEnabled();
  await s.click("[data-testid=generate-button]");
  const question = await s.waitForText("[data-testid=repeat-confirm]", (t) =>
    t.includes("Generate the same video again?"),
  );
  assert.match(question, /tokens/);
  assert.match(question, /¥\d/);
  await s.screenshot("double-submit-confirm");
  assert.equal(sim.creates(), creates, "nothing sent while asking");

  await s.click("[data-testid=confirm-ok]");
  creates += 1;
  assert.equal(await createsOnceSettled(creates), creates);
  assert.equal(await s.count("[data-testid=repeat-confirm]"), 0);
  await s.screenshot("double-submit-after-confirm");
});
