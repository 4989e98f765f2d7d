// The Batch screen's waits, shared by its end-to-end tests.

/** Waits until no frame file is being checked (the "Checking…" line is gone) and `testId` is on the page. */
export async function waitChecked(s, testId) {
  const deadline = Date.now() + 60_000;
  let state = null;
  while (Date.now() < deadline) {
    state = await s.executeAsync(
      `const [id, done] = arguments;
       const checking = document.querySelector('[data-testid="batch-checking"]');
       done({ item: document.querySelector('[data-testid="' + id + '"]') !== null,
              checking: checking ? checking.textContent : null,
              error: document.querySelector('[role="alert"]')?.textContent ?? null,
              items: document.querySelectorAll('[data-testid^="batch-item-"]').length });`,
      [testId],
    );
    if (state.item && state.checking === null) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${testId} did not appear with every frame checked; last seen: ${JSON.stringify(state)}`);
}
