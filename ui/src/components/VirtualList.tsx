/**
 * A list that renders only the rows in view (plus a margin above and below), so a list of thousands stays
 * quick to mount and to scroll. Rows have one fixed height; the list is a scrolling box of a given height
 * whose inner spacer is as tall as every row together, with the visible rows placed absolutely inside it.
 *
 * Generic on purpose (the batch review table and the Jobs list both use it): it knows nothing about what a
 * row holds. `renderRow` gets the row's index and must return one element; keys come from `rowKey`.
 */
import { type ReactNode, type UIEvent, useCallback, useEffect, useRef, useState } from "react";

export interface VirtualListProps<T> {
  items: readonly T[];
  /** Height of every row in CSS pixels. */
  rowHeight: number;
  /** Height of the scrolling box in CSS pixels. */
  height: number;
  /** Rows rendered beyond each edge of the view, so a fast scroll shows no blank strip. */
  overscan?: number;
  rowKey: (item: T, index: number) => string | number;
  renderRow: (item: T, index: number) => ReactNode;
  /** Called with the first and last index rendered, e.g. to load thumbnails only for rows on screen. */
  onRangeChange?: (first: number, last: number) => void;
  className?: string;
  /** The list's accessible name (the box is a labelled section that scrolls). */
  ariaLabel?: string;
  testId?: string;
}

/** The first and last index (inclusive) to render for a scroll position; empty list → [0, -1]. */
export function visibleRange(
  count: number,
  scrollTop: number,
  height: number,
  rowHeight: number,
  overscan: number,
): [number, number] {
  if (count <= 0 || rowHeight <= 0) return [0, -1];
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((scrollTop + height) / rowHeight) - 1 + overscan);
  return [first, Math.max(first - 1, last)];
}

export function VirtualList<T>({
  items,
  rowHeight,
  height,
  overscan = 6,
  rowKey,
  renderRow,
  onRangeChange,
  className,
  ariaLabel,
  testId,
}: VirtualListProps<T>) {
  const [scrollTop, setScrollTop] = useState(0);
  const box = useRef<HTMLElement>(null);
  const onScroll = useCallback((e: UIEvent<HTMLElement>) => setScrollTop(e.currentTarget.scrollTop), []);

  // A shorter list (a filter, a re-read source) may leave the box scrolled past its end.
  const total = items.length * rowHeight;
  useEffect(() => {
    const max = Math.max(0, total - height);
    if (scrollTop > max) {
      if (box.current) box.current.scrollTop = max;
      setScrollTop(max);
    }
  }, [total, height, scrollTop]);

  const [first, last] = visibleRange(items.length, scrollTop, height, rowHeight, overscan);
  useEffect(() => {
    if (last >= first) onRangeChange?.(first, last);
  }, [first, last, onRangeChange]);

  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    const item = items[i] as T;
    rows.push(
      <div
        key={rowKey(item, i)}
        className="virtual-row"
        data-index={i}
        style={{ position: "absolute", top: i * rowHeight, left: 0, right: 0, height: rowHeight }}
      >
        {renderRow(item, i)}
      </div>,
    );
  }
  return (
    <section
      ref={box}
      className={className ? `virtual-list ${className}` : "virtual-list"}
      style={{ height, overflowY: "auto", position: "relative" }}
      onScroll={onScroll}
      aria-label={ariaLabel}
      data-testid={testId}
    >
      <div style={{ height: total, position: "relative" }}>{rows}</div>
    </section>
  );
}
