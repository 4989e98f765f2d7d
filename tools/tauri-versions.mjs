#!/usr/bin/env node
// The Tauri crates and their npm packages must share major.minor, or `tauri build` refuses to make installers
// ("Found version mismatched Tauri packages"). The bundler checks only when packaging; this runs in ./dev test so a
// dependency update that splits them fails at once. Reads Cargo.lock and node_modules; exits 1 on a mismatch.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const lock = readFileSync(join(root, "Cargo.lock"), "utf8");
const crates = new Map();
for (const block of lock.split("[[package]]")) {
  const name = /^name = "([^"]+)"/m.exec(block)?.[1];
  const version = /^version = "([^"]+)"/m.exec(block)?.[1];
  if (name && version && (name === "tauri" || name.startsWith("tauri-plugin-"))) crates.set(name, version);
}
const npmName = (crate) => (crate === "tauri" ? "@tauri-apps/api" : `@tauri-apps/${crate.replace(/^tauri-/, "")}`);
const minor = (v) => v.split(".").slice(0, 2).join(".");
let pairs = 0;
const mismatched = [];
for (const [crate, version] of crates) {
  const manifest = join(root, "node_modules", npmName(crate), "package.json");
  if (!existsSync(manifest)) continue; // a plugin with no JavaScript side
  const npmVersion = JSON.parse(readFileSync(manifest, "utf8")).version;
  pairs++;
  if (minor(version) !== minor(npmVersion)) mismatched.push(`${crate} ${version} ≠ ${npmName(crate)} ${npmVersion}`);
}
for (const m of mismatched) console.log(m);
console.log(`${pairs} crate/package pairs, ${mismatched.length} with different major.minor`);
process.exit(mismatched.length === 0 && pairs > 0 ? 0 : 1);
