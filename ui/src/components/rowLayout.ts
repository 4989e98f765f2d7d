/**
 * Where each row of a list of varying heights sits, for `MeasuredList`: a row's height is known once it has
 * been on screen (measured), the others count as the average of those measured so far. Heights are kept by
 * row key, not by index, so a row arriving at the top (a new job) or leaving (a deleted one) does not shift
 * the measurements of the rest.
 *
 * Pure functions on plain arrays: one pass builds the offsets (10 000 rows in well under a millisecond), a
 * binary search finds the rows in view.
 */

export type RowKey = string | number;

/**
 * `offsets[i]` is the top of row `i`, `offsets[n]` the bottom of the last row plus one `gap`. Row `i` is
 * `heights.get(key)` tall when measured, else `estimate`; rows are `gap` apart.
 */
export function rowOffsets(
  keys: readonly RowKey[],
  heights: ReadonlyMap<RowKey, number>,
  estimate: number,
  gap: number,
): Float64Array {
  const offsets = new Float64Array(keys.length + 1);
  let at = 0;
  for (let i = 0; i < keys.length; i++) {
    offsets[i] = at;
    at += (heights.get(keys[i] as RowKey) ?? estimate) + gap;
  }
  offsets[keys.length] = at;
  return offsets;
}

/** The whole list's height: every row, with a gap between each two. */
export function totalHeight(offsets: Float64Array, gap: number): number {
  const n = offsets.length - 1;
  return n > 0 ? (offsets[n] as number) - gap : 0;
}

/** The first row whose bottom lies below `y` (the row at `y`, or the next one after a gap); n past the end. */
export function rowAt(offsets: Float64Array, y: number, gap: number): number {
  const n = offsets.length - 1;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid + 1] as number) - gap > y) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The first and last index (inclusive) of the rows that overlap `[top, bottom]` widened by `overscan` pixels
 * on each side; an empty list gives [0, -1]. At least one row is rendered while the list has any, so a list
 * scrolled out of sight still has a row to measure.
 */
export function rowsInView(
  offsets: Float64Array,
  top: number,
  bottom: number,
  overscan: number,
  gap: number,
): [number, number] {
  const n = offsets.length - 1;
  if (n <= 0) return [0, -1];
  const first = Math.min(n - 1, rowAt(offsets, top - overscan, gap));
  let last = first;
  const end = bottom + overscan;
  while (last + 1 < n && (offsets[last + 1] as number) < end) last++;
  return [first, last];
}

/** The average measured height, or `fallback` before any row was measured. */
export function averageHeight(heights: ReadonlyMap<RowKey, number>, fallback: number): number {
  if (heights.size === 0) return fallback;
  let sum = 0;
  for (const h of heights.values()) sum += h;
  return sum / heights.size;
}

/**
 * What keeps the rows on screen still while rows above them change (measured, added, removed): the first
 * row in view and how far its top was above the view's top. After a change, the view moves by the
 * difference between where that row is now and where it was.
 */
export interface Anchor {
  key: RowKey;
  /** The row's top in list coordinates when it was taken. */
  top: number;
}

/** The anchor for a view starting at `viewTop`: the first row that reaches into the view. */
export function anchorFor(
  keys: readonly RowKey[],
  offsets: Float64Array,
  viewTop: number,
  gap: number,
): Anchor | null {
  const i = rowAt(offsets, viewTop, gap);
  if (i >= keys.length) return null;
  return { key: keys[i] as RowKey, top: offsets[i] as number };
}

/**
 * How far the view must move to keep `anchor` where it was: 0 when the anchor row is gone (deleted, or a
 * new filter), the list top is in view (a new job at the top should show, not push the view down), or
 * nothing moved.
 */
export function anchorShift(
  anchor: Anchor | null,
  indexOf: ReadonlyMap<RowKey, number>,
  offsets: Float64Array,
  viewTop: number,
): number {
  if (!anchor || viewTop <= 0) return 0;
  const i = indexOf.get(anchor.key);
  if (i === undefined) return 0;
  return (offsets[i] as number) - anchor.top;
}
