// The Batch screen's waits, shared by its end-to-end tests.

/** Waits until no frame file is being checked (the "Checking…" line is gone) and `testId` is on the page. */
export async function waitChecked(s, testId) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const state = await s.executeAsync(
      `const [id, done] = arguments;
       done({ item: document.querySelector('[data-testid="' + id + '"]') !== null,
              checking: document.querySelector('[data-testid="batch-checking"]') !== null });`,
      [testId],
    );
    if (state.item && !state.checking) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${testId} did not appear with every frame checked`);
}
