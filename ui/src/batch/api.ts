/** The batch types and events from the generated bindings, shaped for the batch cards (commands: `ipc`). */
import { type BatchRecord, events } from "../bindings";
import { subscribe } from "../jobs/api";

export type {
  BatchCounts,
  BatchEta,
  BatchRecord,
  BatchState,
  BatchView,
  CancelOutcome,
  ResultsExported,
  RetryOutcome,
  RetryPlan,
} from "../bindings";

/** A batch was stored or its state changed (its counts change with its jobs' own events). */
export const onBatchChanged = (handler: (batch: BatchRecord) => void) =>
  subscribe(events.batchChanged.listen, (p) => handler(p));
