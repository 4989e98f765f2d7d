/** Figures of a batch card: how far along it is and how long is left, in words. */
import type { TFunction } from "i18next";
import type { BatchCounts, BatchEta } from "./api";

/** Jobs that nothing more will happen to without the user: done, failed, uncertain or never sent. */
export function settled(c: BatchCounts): number {
  return c.done + c.failed + c.uncertain + c.not_sent;
}

export function total(c: BatchCounts): number {
  return c.queued + c.running + settled(c);
}

/** "45 s", "12 min", "2 h 5 min": rounded up, since an ETA that runs out early disappoints. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** The ETA line, or null when there is nothing to say (a paused, cancelled or finished batch). */
export function etaText(eta: BatchEta | null, t: TFunction): string | null {
  if (!eta) return null;
  if (eta.kind === "no_history") return t("batchRun.etaNoHistory");
  return t("batchRun.eta", { time: formatDuration(eta.millis ?? 0) });
}
