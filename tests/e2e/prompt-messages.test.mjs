// Honest messages on the Generate screen, in the real window (issue 13, items 11 and 12): an untouched empty prompt
// is not called a problem; a 2000-character Chinese prompt is counted in characters, not "2001 words"; a prompt
// carrying an upstream flag (`--duration 12`) is warned about without being refused, in English and in Chinese;
// and one file's size reads the same in its facts line and in its problem text. Demo mode: no service is needed.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { isolatedEnv, KEYS, newSession, startDriver } from "./webdriver.mjs";

const BACKSPACE = "\uE003";
/** WebDriver's key that releases the modifiers held down so far. */
const NULL_KEY = "\uE000";
let driver;
let s;
let home;

before(async () => {
  home = isolatedEnv("prompt-messages", { SEEDANCE_TEST_HOOKS: "1" });
  driver = await startDriver(home.env);
  s = await newSession(driver, process.env.SEEDANCE_APP);
  await s.click("[data-testid=try-demo]");
  await s.find("[data-testid=demo-badge]");
});

after(async () => {
  await s?.close();
  driver?.stop();
});

/** The prompt box's value, read in the page. */
function promptValue() {
  return s.execute("return document.querySelector('[data-testid=prompt]').value;");
}

/** Empties the prompt with real key presses (Ctrl+A, Backspace), as a user would. */
async function clearPrompt() {
  await s.type("[data-testid=prompt]", `${KEYS.control}a${NULL_KEY}${BACKSPACE}`);
  assert.equal(await promptValue(), "");
}

/**
 * Puts `text` in the prompt: all but its last few characters as one edit (as a paste would; WebDriver types a
 * 2000-character text key by key in about 45 s), the rest typed with real key presses.
 */
async function fillPrompt(text, typed = 10) {
  const chars = Array.from(text);
  await s.execute(
    `const box = document.querySelector('[data-testid=prompt]');
     Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set.call(box, arguments[0]);
     box.dispatchEvent(new Event("input", { bubbles: true }));`,
    [chars.slice(0, -typed).join("")],
  );
  await s.type("[data-testid=prompt]", chars.slice(-typed).join(""));
  assert.equal(await promptValue(), text);
}

test("an untouched empty prompt shows no error; once written in and emptied, it does", async () => {
  await s.find("[data-testid=generate-screen]");
  await s.find("[data-testid=prompt-counter]");
  await new Promise((r) => setTimeout(r, 1500)); // the form's first check has answered
  await s.screenshot("prompt-untouched");
  assert.equal(await s.count("[data-testid=problems-prompt]"), 0, "no problem beside the untouched box");
  assert.equal(await s.attr("[data-testid=prompt]", "aria-invalid"), "false");
  // Generate may say, in its muted note, why it waits; nothing else calls the prompt a problem, nothing in red.
  const saying = await s.execute(
    `return Array.from(document.querySelectorAll('[data-testid=generate-screen] *'))
       .filter((el) => el.children.length === 0 && el.textContent.includes("The prompt is empty"))
       .map((el) => ({ testid: el.dataset.testid ?? null, muted: el.classList.contains("muted"), color: getComputedStyle(el).color }));`,
  );
  for (const el of saying) {
    assert.equal(el.testid, "submit-reason", JSON.stringify(saying));
    assert.ok(el.muted, JSON.stringify(saying));
  }
  console.log(`untouched: the empty prompt is named only in ${JSON.stringify(saying)}`);

  await s.type("[data-testid=prompt]", "a");
  await s.type("[data-testid=prompt]", BACKSPACE);
  const problem = await s.waitForText("[data-testid=problems-prompt]", (t) =>
    t.includes("The prompt is empty"),
  );
  assert.match(problem, /Describe the video you want/);
});

test("a 2000-character Chinese prompt is counted in characters, not words", async () => {
  await clearPrompt();
  const phrase = "一只白鹭掠过清晨的稻田，远处的山峦笼罩在薄雾之中，镜头缓缓推进";
  const text = Array.from(phrase.repeat(Math.ceil(2000 / Array.from(phrase).length)))
    .slice(0, 2000)
    .join("");
  await fillPrompt(text);
  assert.equal(Array.from(await promptValue()).length, 2000);
  await s.waitForText("[data-testid=prompt-counter]", (t) => t === "2000 / 2000");
  const advice = await s.waitForText("[data-testid=prompt-word-advice]", (t) => t.length > 0);
  assert.equal(advice, "2000 characters: prompts under about 500 characters usually work better.");
  assert.equal(await s.attr("[data-testid=prompt]", "aria-invalid"), "false", "2000 is within the limit");
  await s.screenshot("prompt-chinese-2000");
});

test("a prompt with --duration 12 is warned about, not refused", async () => {
  await clearPrompt();
  await s.type("[data-testid=prompt]", "A fox runs through fresh snow at dawn --duration 12");
  const warning = await s.waitForText("[data-testid=prompt-flags]", (t) => t.includes("--duration"));
  assert.match(warning, /^The prompt contains --duration\b/);
  assert.match(warning, /the bill, may differ from the settings and the estimate shown here/);
  assert.equal(await s.attr("[data-testid=prompt]", "aria-invalid"), "false");
  assert.equal(await s.count("[data-testid=problems-prompt]"), 0, "a warning, not a problem");
  const enabled = async () => (await s.attr("[data-testid=generate-button]", "disabled")) === null;
  for (let i = 0; i < 50 && !(await enabled()); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(await enabled(), "Generate stays available");
  await s.screenshot("prompt-flag-en");
});

test("the flag warning in Chinese, after switching the app's language", async () => {
  await s.click("[data-testid=nav-settings]");
  await s.click('[data-testid=language] option[value="zh-CN"]');
  await s.click("[data-testid=settings-save]");
  await s.click("[data-testid=nav-generate]");
  const warning = await s.waitForText("[data-testid=prompt-flags]", (t) => t.startsWith("提示词中含有"));
  assert.match(warning, /^提示词中含有 --duration/);
  assert.match(warning, /费用可能与这里显示的设置和预估不同/);
  await s.screenshot("prompt-flag-zh");

  await s.click("[data-testid=nav-settings]");
  await s.click('[data-testid=language] option[value="en"]');
  await s.click("[data-testid=settings-save]");
  await s.click("[data-testid=nav-generate]");
  await s.waitForText("[data-testid=prompt-flags]", (t) => t.startsWith("The prompt contains"));
});

/** A real PNG (`convert`) grown to exactly `bytes` with a private ancillary chunk, which decoders skip. */
function pngOfSize(path, bytes) {
  const small = join(home.root, "small.png");
  execFileSync("convert", ["-size", "1280x720", "gradient:#1b4f72-#f5b041", small]);
  const png = readFileSync(small);
  const iend = png.length - 12;
  const pad = bytes - png.length - 12;
  const type = Buffer.from("prVt");
  const data = Buffer.alloc(pad);
  const chunk = Buffer.alloc(12 + pad);
  chunk.writeUInt32BE(pad, 0);
  type.copy(chunk, 4);
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(Buffer.concat([type, data])), 8 + pad);
  writeFileSync(path, Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]));
  assert.equal(statSync(path).size, bytes);
  return path;
}

/** CRC-32 as PNG chunks use it (over the chunk's type and data). */
function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

test("one file's size reads the same in its facts line and its problem text", async () => {
  const dir = join(home.root, "pictures");
  mkdirSync(dir, { recursive: true });
  const big = pngOfSize(join(dir, "poster-41MB.png"), 41_000_000);
  const answered = await s.executeAsync(
    `const [path, done] = arguments;
     window.__TAURI_INTERNALS__.invoke("answer_next_file_dialog", { path }).then(() => done("ok"), (e) => done(e.kind));`,
    [big],
  );
  assert.equal(answered, "ok");
  await s.click("[data-testid=frame-first-zone]");
  const facts = await s.waitForText("[data-testid=frame-first-facts]", (t) => t.includes("MB"), 30_000);
  assert.match(facts, /· 41\.0 MB ·/);
  const problem = await s.waitForText(".frame-problems", (t) => t.includes("MB"));
  assert.match(problem, /The file is 41\.0 MB; the model accepts files under 30\.0 MB/);
  await s.screenshot("frame-size-one-unit");
});
