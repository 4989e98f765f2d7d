// A small W3C WebDriver client over fetch, driving the real app window through tauri-driver.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A create request in the simulator's `--log-requests` output. */
const CREATE_LINE = /^request POST \/v1\/generate\//;

/**
 * Starts the simulator as its own process on loopback (`SEEDANCE_SIM`), accepting `token`, with tasks that finish
 * after `queuedSecs` + `runningSecs` and any `extra` flags (faults, a result file). Its output is kept so tests can
 * count the create requests it saw (with `--log-requests`).
 */
export async function startSim(token, { queuedSecs = 1, runningSecs = 1, extra = [] } = {}) {
  const args = ["--port", "0", "--files-port", "0", "--token", token];
  args.push("--queued-secs", String(queuedSecs), "--running-secs", String(runningSecs), ...extra);
  const child = spawn(process.env.SEEDANCE_SIM, args, { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  for (let i = 0; i < 100 && !/api.*http:\/\/127\.0\.0\.1:\d+/i.test(out); i++) await sleep(100);
  const api = out.match(/http:\/\/127\.0\.0\.1:\d+/)?.[0];
  if (!api) {
    child.kill("SIGKILL");
    throw new Error(`the simulator did not print its address: ${out}`);
  }
  return {
    child,
    api,
    creates: () => out.split("\n").filter((line) => CREATE_LINE.test(line)).length,
    /** Every `request METHOD PATH` line so far, in order (with `--log-requests`). */
    requests: () => out.split("\n").filter((line) => line.startsWith("request ")),
  };
}

/**
 * A private home for one test file's app: its own HOME, XDG folders and data folder, so nothing from a
 * developer's settings leaks in, and the files the app wrote can be inspected afterwards.
 */
export function isolatedEnv(name, extra = {}) {
  const root = join(process.env.SEEDANCE_E2E_TMP ?? mkdtempSync(join(tmpdir(), "seedance-e2e-")), name);
  mkdirSync(root, { recursive: true });
  return {
    root,
    env: {
      ...process.env,
      HOME: join(root, "home"),
      XDG_CONFIG_HOME: join(root, "config"),
      XDG_DATA_HOME: join(root, "data"),
      XDG_CACHE_HOME: join(root, "cache"),
      SEEDANCE_DATA_DIR: join(root, "seedance"),
      ...extra,
    },
  };
}

/**
 * One test file's app against a simulator of its own: the simulator started with `sim` options, a private home
 * called `name` whose environment points the app at it with `token` (plus `env`), the driver and a session.
 * `prepare(home)` may change the home before the app starts. `close()` ends all three.
 */
export async function startLiveApp(name, token, { sim: simOptions = {}, env = {}, prepare } = {}) {
  const sim = await startSim(token, simOptions);
  let driver;
  try {
    const home = isolatedEnv(name, {
      SEEDANCE_API_BASE: sim.api,
      SEEDANCE_UPLOAD_BASE: sim.api,
      SEEDANCE_API_TOKEN: token,
      ...env,
    });
    await prepare?.(home);
    driver = await startDriver(home.env);
    const s = await newSession(driver, process.env.SEEDANCE_APP);
    return {
      sim,
      home,
      driver,
      s,
      /** Ends the session in `this.s` (a test that restarted the app puts its new session there), then the rest. */
      async close() {
        await this.s.close();
        driver.stop();
        sim.child.kill("SIGKILL");
      },
    };
  } catch (e) {
    driver?.stop();
    sim.child.kill("SIGKILL");
    throw e;
  }
}

/** Every file under `dir`, recursively (links not followed); none when `dir` does not exist. */
export function filesUnder(dir) {
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return filesUnder(p);
    return e.isFile() ? [p] : [];
  });
}

/** Starts tauri-driver (in its own process group, so the app and WebKitWebDriver die with it). */
export async function startDriver(env = process.env) {
  const port = await freePort();
  const nativePort = await freePort();
  const bin = process.env.TAURI_DRIVER ?? "tauri-driver";
  const child = spawn(bin, ["--port", String(port), "--native-port", String(nativePort)], {
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/status`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  return {
    base,
    stop() {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    },
  };
}

async function call(base, method, path, body) {
  const r = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const json = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

export async function newSession(driver, application, args = []) {
  const value = await call(driver.base, "POST", "/session", {
    capabilities: { alwaysMatch: { "tauri:options": { application, args } } },
  });
  return new Session(driver.base, value.sessionId);
}

/** A pointer action's origin at the centre of an element (from `Session.element`). */
export function elementOrigin(id) {
  return { [ELEMENT]: id };
}

/** WebDriver's codes for special keys. */
export const KEYS = { control: "\uE009", enter: "\uE007" };

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }
  cmd(method, path, body) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }
  /** Finds an element by CSS selector, waiting for it to appear (bounded). */
  async find(selector, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    let lastError;
    while (Date.now() < deadline) {
      try {
        const el = await this.cmd("POST", "/element", { using: "css selector", value: selector });
        return el[ELEMENT];
      } catch (e) {
        lastError = e;
        await sleep(100);
      }
    }
    throw new Error(`no element ${selector} after ${timeoutMs} ms: ${lastError}`);
  }
  async text(selector) {
    return this.cmd("GET", `/element/${await this.find(selector)}/text`);
  }
  async click(selector) {
    await this.cmd("POST", `/element/${await this.find(selector)}/click`, {});
  }
  async type(selector, text) {
    await this.cmd("POST", `/element/${await this.find(selector)}/value`, { text });
  }
  /** Runs a script in the page and returns what it returns (W3C "execute/sync"). */
  async execute(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }
  /** Runs a script in the page (W3C "execute/async": the last argument is the callback). */
  async executeAsync(script, args = []) {
    return this.cmd("POST", "/execute/async", { script, args });
  }
  /**
   * Performs W3C input actions (real pointer and key events in the window), then releases whatever is still
   * pressed. `sources` is the `actions` array of the spec; `elementOrigin(id)` aims a pointer at an element.
   */
  async actions(sources) {
    try {
      await this.cmd("POST", "/actions", { actions: sources });
    } finally {
      await this.cmd("DELETE", "/actions").catch(() => {});
    }
  }
  /** The element's id, for `elementOrigin`. */
  async element(selector) {
    return this.find(selector);
  }
  /**
   * Drags `files` from another window onto the element `selector` and drops them there, as a user does
   * from a file manager: a real X11 drag and drop (XDND) that the OS reports to the app. The files come
   * from a small GTK window (`drag-source.py`); xdotool holds the button and moves the pointer. Needs an X
   * display, xdotool and Python's GTK bindings (python3-gi, gir1.2-gtk-3.0).
   */
  async dropFiles(files, selector) {
    await this.find(selector);
    // Brought into view, then the middle of its visible part: a point off screen would miss the window.
    const rect = await this.execute(
      `const el = document.querySelector(arguments[0]);
       el.scrollIntoView({ block: "nearest" });
       const r = el.getBoundingClientRect();
       const left = Math.max(r.left, 0), top = Math.max(r.top, 0);
       const right = Math.min(r.right, window.innerWidth), bottom = Math.min(r.bottom, window.innerHeight);
       return { x: left, y: top, width: right - left, height: bottom - top };`,
      [selector],
    );
    if (rect.width <= 0 || rect.height <= 0)
      throw new Error(`${selector} is not visible, so nothing can be dropped on it`);
    const found = execFileSync("xdotool", ["search", "--onlyvisible", "--name", "^Seedance Studio$"], {
      encoding: "utf8",
    });
    const windowId = found.trim().split("\n")[0];
    const geometry = Object.fromEntries(
      execFileSync("xdotool", ["getwindowgeometry", "--shell", windowId], { encoding: "utf8" })
        .trim()
        .split("\n")
        .map((line) => line.split("=")),
    );
    const to = {
      x: Math.round(Number(geometry.X) + rect.x + rect.width / 2),
      y: Math.round(Number(geometry.Y) + rect.y + rect.height / 2),
    };
    // The source window sits in the window's left corner farther from the target, so the drop lands on the app.
    const top = Number(geometry.Y);
    const bottom = top + Number(geometry.HEIGHT) - 100;
    const from = { x: Number(geometry.X) + 10, y: to.y - top > bottom - to.y ? top + 10 : bottom };
    const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    const source = spawn(
      python,
      [fileURLToPath(new URL("drag-source.py", import.meta.url)), `${from.x}`, `${from.y}`, ...files],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let said = "";
    source.stdout.on("data", (d) => {
      said += d;
    });
    source.on("error", (e) => {
      said += `could not start: ${e.message}`;
    });
    const waitFor = async (word) => {
      for (let i = 0; i < 100 && !said.includes(word) && !said.includes("failed"); i++) await sleep(100);
      if (!said.includes(word))
        throw new Error(`the drag source never said "${word}" (said: ${JSON.stringify(said)})`);
    };
    try {
      await waitFor("ready");
      await sleep(200);
      const moves = [];
      for (let step = 1; step <= 12; step++) {
        const x = Math.round(from.x + 60 + ((to.x - from.x - 60) * step) / 12);
        const y = Math.round(from.y + 45 + ((to.y - from.y - 45) * step) / 12);
        moves.push("mousemove", `${x}`, `${y}`, "sleep", "0.08");
      }
      const press = ["mousemove", `${from.x + 60}`, `${from.y + 45}`, "sleep", "0.2", "mousedown", "1"];
      try {
        execFileSync("xdotool", [...press, ...moves, "sleep", "0.5"], { timeout: 20_000 });
      } finally {
        // Released whatever happened, so a failed drag leaves no button held for the next test.
        execFileSync("xdotool", ["mouseup", "1"], { timeout: 5_000 });
      }
      await waitFor("dropped");
    } finally {
      source.kill();
    }
  }
  /** Waits (bounded) until `selector` matches exactly `n` elements, and returns how many it matched last. */
  async waitForCount(selector, n, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    let last = await this.count(selector);
    while (last !== n && Date.now() < deadline) {
      await sleep(100);
      last = await this.count(selector);
    }
    return last;
  }
  async count(selector) {
    const els = await this.cmd("POST", "/elements", { using: "css selector", value: selector });
    return els.length;
  }
  async attr(selector, name) {
    return this.cmd("GET", `/element/${await this.find(selector)}/attribute/${name}`);
  }
  /** Gives the backend's next file or folder dialog its answer (the test stand-in: WebDriver cannot press native dialogs). */
  async answerNextDialog(path) {
    const answered = await this.executeAsync(
      `const [path, done] = arguments;
       window.__TAURI_INTERNALS__.invoke("answer_next_file_dialog", { path }).then(() => done("ok"), (e) => done(e.kind));`,
      [path],
    );
    if (answered !== "ok") throw new Error(`answering the dialog with ${path}: ${answered}`);
  }
  async waitForText(selector, predicate, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      last = await this.text(selector).catch(() => "");
      if (predicate(last)) return last;
      await sleep(150);
    }
    throw new Error(`${selector} never matched; last text: ${JSON.stringify(last)}`);
  }
  /** Presses Generate once it is enabled (bounded wait) and waits for the job to show in the queue. */
  async generate() {
    const enabled = async () => (await this.attr("[data-testid=generate-button]", "disabled")) === null;
    for (let i = 0; i < 50 && !(await enabled()); i++) await sleep(100);
    if (!(await enabled())) {
      const reason = await this.text("[data-testid=submit-reason]").catch(() => "");
      throw new Error(`Generate stays disabled: ${reason}`);
    }
    await this.click("[data-testid=generate-button]");
    await this.find("[data-testid=queue-item]");
  }
  /** On the Jobs screen: waits (bounded) until the newest job settles and returns its status. */
  async waitForNewestJobSettled(timeoutMs = 40_000) {
    const deadline = Date.now() + timeoutMs;
    let status = "";
    while (Date.now() < deadline) {
      status = (await this.attr("[data-testid=job-row]", "data-status").catch(() => "")) ?? "";
      if (["done", "failed", "submission_uncertain"].includes(status)) break;
      await sleep(250);
    }
    return status;
  }
  /**
   * Saves what the display shows (X11 `import`, ImageMagick): the window as a user sees it. WebKit's own
   * snapshot (WebDriver's screenshot) can stall on some pages when the webview paints without GPU compositing,
   * which the app chooses on Linux; it is the fallback when there is no X display or no `import`.
   */
  async screenshot(name) {
    const dir = process.env.SEEDANCE_E2E_OUT;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.png`);
    if (process.env.DISPLAY) {
      try {
        await sleep(150); // the last change reaches the screen
        execFileSync("import", ["-window", "root", file], { timeout: 20_000, stdio: "ignore" });
        return;
      } catch {
        // no ImageMagick: ask WebKit instead
      }
    }
    const png = await this.cmd("GET", "/screenshot");
    writeFileSync(file, Buffer.from(png, "base64"));
  }
  async close() {
    await call(this.base, "DELETE", `/session/${this.id}`).catch(() => {});
  }
}
