-- Batches, second step:
--   * `batches.paused_reason`: why the app paused a running batch on its own (a message as JSON, e.g. it was
--     left running while the app was closed for longer than the never-sent hold allows); NULL when the
--     user paused it or it is not paused. Cleared by every change of state.
--   * `batch_jobs.output`: the item's own output name (rendered from its template), if it has one; the
--     video is saved under it instead of the file-name pattern.
ALTER TABLE batches ADD COLUMN paused_reason TEXT;
ALTER TABLE batch_jobs ADD COLUMN output TEXT;
