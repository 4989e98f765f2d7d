// Reads `cargo … --message-format=json-diagnostic-rendered-ansi` on stdin, prints every compiler warning and
// error as cargo would, and exits non-zero if there was any, or if the build failed: `-D warnings` without
// turning a lint into a build error, so the tests still build and run and both results are reported.
// `./dev test` builds once with clippy-driver as the workspace's compiler, so this one build is both the
// lint pass and the test build (no separate `cargo clippy` checking every dependency a second time).
import { createInterface } from "node:readline";

let diagnostics = 0;
let built = false;
for await (const line of createInterface({ input: process.stdin })) {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    process.stdout.write(`${line}\n`);
    continue;
  }
  if (message.reason === "compiler-message") {
    const { level, rendered } = message.message;
    if (level === "warning" || level === "error") {
      diagnostics += 1;
      process.stderr.write(rendered);
    }
  } else if (message.reason === "build-finished") {
    built = message.success;
  }
}
if (diagnostics > 0) console.error(`${diagnostics} compiler or clippy diagnostic(s): fix them (CI denies warnings)`);
if (!built) console.error("the build failed");
process.exit(diagnostics === 0 && built ? 0 : 1);
