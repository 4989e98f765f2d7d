#!/usr/bin/env node
// Builds the `seedance` command line in release mode and puts it where the Tauri bundler installs it beside the
// app (`bundle.externalBin`): target/sidecar/seedance-<target triple>[.exe]. For a universal macOS build both
// architectures are built and joined with lipo. Writes target/sidecar/tauri.sidecar.json, the configuration to
// merge into the bundler's (`tauri build --config target/sidecar/tauri.sidecar.json`), and, under GitHub
// Actions, exports SIDECAR_CONFIG with that flag. The app's own builds never need the sidecar: only packaging
// merges this configuration.
//
// usage: node tools/sidecar.mjs [--target TRIPLE] [other tauri build flags, ignored]
import { execFileSync } from "node:child_process";
import { appendFileSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname.replace(/^\/([A-Za-z]:)/, "$1");
const args = process.argv.slice(2);
const at = args.indexOf("--target");
const host = /host: (\S+)/.exec(execFileSync("rustc", ["-vV"], { encoding: "utf8" }))[1];
const target = at >= 0 ? args[at + 1] : host;
const exe = target.includes("windows") ? ".exe" : "";
const out = join(root, "target", "sidecar");
mkdirSync(out, { recursive: true });

function build(triple) {
  const cross = triple === host ? [] : ["--target", triple];
  execFileSync("cargo", ["build", "--release", "--locked", "-p", "seedance-cli", ...cross], {
    cwd: root,
    stdio: "inherit",
  });
  return join(root, "target", ...(triple === host ? [] : [triple]), "release", `seedance${exe}`);
}

const placed = join(out, `seedance-${target}${exe}`);
if (target === "universal-apple-darwin") {
  const parts = ["aarch64-apple-darwin", "x86_64-apple-darwin"].map(build);
  execFileSync("lipo", ["-create", "-output", placed, ...parts], { stdio: "inherit" });
} else {
  copyFileSync(build(target), placed);
}
const config = join(out, "tauri.sidecar.json");
writeFileSync(config, `${JSON.stringify({ bundle: { externalBin: ["target/sidecar/seedance"] } }, null, 2)}\n`);
console.log(`command line placed: ${placed}`);
if (process.env.GITHUB_ENV) appendFileSync(process.env.GITHUB_ENV, `SIDECAR_CONFIG=--config ${config}\n`);
