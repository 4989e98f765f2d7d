import type { Estimate, FrameInfo } from "../bindings";

/**
 * Decimal units ("41.0 MB" = 41 000 000 bytes), as the backend's messages and the model's own limits (30 MB) use
 * them, so one file never shows two sizes.
 */
export function formatBytes(bytes: number | null | undefined): string | null {
  if (bytes == null || !Number.isFinite(bytes)) return null;
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(0)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** "1920×1080 · JPEG · 2.4 MB · 16:9" (the ratio as the backend names it). */
export function frameFacts(info: FrameInfo): string {
  const parts = [
    `${info.width}×${info.height}`,
    info.format,
    formatBytes(info.file_bytes),
    info.aspect_label,
  ];
  return parts.filter((p): p is string => p !== null).join(" · ");
}

/** Whole numbers grouped by thousands with a no-break space ("108 900"), the same in both languages. */
export function groupThousands(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
}

const CURRENCY_SYMBOLS: Record<string, string> = { CNY: "¥", RMB: "¥", USD: "$" };

export function formatMoney(amount: number, currency: string): string {
  const symbol = CURRENCY_SYMBOLS[currency.toUpperCase()];
  const value = amount.toFixed(2);
  return symbol ? `${symbol}${value}` : `${value} ${currency}`;
}

function range(min: string, max: string): string {
  return min === max ? min : `${min}–${max}`;
}

/** The parts of the estimate line that do not depend on the UI language. */
export function estimateParts(e: Estimate): { size: string; tokens: string; cost: string | null } {
  const tokens = range(groupThousands(e.tokens_min), groupThousands(e.tokens_max));
  let cost: string | null = null;
  if (e.cost_min != null) {
    const max = e.cost_max ?? e.cost_min;
    cost = range(formatMoney(e.cost_min, e.currency), formatMoney(max, e.currency));
  }
  return { size: `${e.width}×${e.height}`, tokens, cost };
}
