/**
 * A list of rows of varying heights that renders only the rows in view (plus a margin), so a history of
 * thousands stays quick to show and to scroll. Where `VirtualList` gives every row one fixed height inside its
 * own scrolling box, rows here differ (a job's player, its problem, its batch) and the list scrolls with its
 * page: the nearest scrolling ancestor is watched, so the header and filters above scroll away as before.
 *
 * Layout: the `<ul>` stays in the normal flow; padding above and below the rendered rows stands for the rows
 * not rendered, so the scroll bar is as long as the whole list. Each rendered row is measured (ResizeObserver)
 * and its height kept by key (`rowLayout.ts`); rows not yet seen count as the average. When rows above the
 * view change height, arrive or leave, the view is moved by as much, so what the user reads stays put.
 * A row holding the keyboard focus stays rendered while it is near, so Tab and focus survive scrolling.
 */
import {
  Fragment,
  type ReactElement,
  type Ref,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from "react";
import {
  type Anchor,
  anchorFor,
  anchorShift,
  averageHeight,
  type RowKey,
  rowOffsets,
  rowsInView,
} from "./rowLayout";

/**
 * A focused or pinned row further than this from the rows in view is let go (it would hold that many rows
 * rendered: the rendered rows stay one run, so the padding keeps standing for the rest).
 */
const KEEP_REACH = 60;

export interface MeasuredListHandle {
  /** Scrolls so the row with `key` is in the middle of the view; false when no row has that key. */
  scrollToKey: (key: RowKey) => boolean;
}

export interface MeasuredListProps<T> {
  items: readonly T[];
  rowKey: (item: T) => RowKey;
  /** Must return one element (for the Jobs list, an `<li>`): it is what is measured. */
  renderRow: (item: T, index: number) => ReactElement;
  /** Height of a row before any was measured, in CSS pixels. */
  estimate: number;
  /** Space between two rows (the list's CSS `gap`), in CSS pixels. */
  gap?: number;
  /** Pixels rendered beyond each edge of the view, so a fast scroll shows no blank strip. */
  overscan?: number;
  /**
   * Called when the user has scrolled to within `nearEnd` rows of the last one (again after each change of
   * the rows rendered or of the list's length while there), e.g. to load the next page.
   */
  onNearEnd?: () => void;
  nearEnd?: number;
  /** Rows kept rendered while near the view, as the focused row is (e.g. one playing a video). */
  pinned?: ReadonlySet<RowKey>;
  className?: string;
  ariaLabel?: string;
  testId?: string;
  handle?: Ref<MeasuredListHandle>;
}

/** The nearest ancestor that scrolls vertically, or the document's scroller. */
function scrollParent(el: HTMLElement): HTMLElement {
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (/(auto|scroll)/.test(getComputedStyle(p).overflowY)) return p;
  }
  return (document.scrollingElement as HTMLElement | null) ?? document.documentElement;
}

/** Where the scroller's view is, in the list's own coordinates (0 = the list's top). */
function viewOf(list: HTMLElement, scroller: HTMLElement): { top: number; height: number } {
  const root = scroller === document.scrollingElement || scroller === document.documentElement;
  const scrollerTop = root ? 0 : scroller.getBoundingClientRect().top;
  const height = (root ? window.innerHeight : scroller.clientHeight) || window.innerHeight;
  return { top: scrollerTop - list.getBoundingClientRect().top, height };
}

export function MeasuredList<T>({
  items,
  rowKey,
  renderRow,
  estimate,
  gap = 0,
  overscan = 600,
  onNearEnd,
  nearEnd = 10,
  pinned,
  className,
  ariaLabel,
  testId,
  handle,
}: MeasuredListProps<T>) {
  const list = useRef<HTMLUListElement>(null);
  const scroller = useRef<HTMLElement | null>(null);
  const view = useRef({ top: 0, height: typeof window === "undefined" ? 800 : window.innerHeight });
  const heights = useRef(new Map<RowKey, number>());
  const [measured, remeasured] = useReducer((n: number) => n + 1, 0);
  const [, moved] = useReducer((n: number) => n + 1, 0);
  const anchor = useRef<Anchor | null>(null);
  const [focused, setFocused] = useState<RowKey | null>(null);
  // Only a user's scroll asks for more: a list that fits its screen leaves that to its page.
  const scrolled = useRef(false);

  const keys = useMemo(() => items.map(rowKey), [items, rowKey]);
  const indexOf = useMemo(() => new Map(keys.map((k, i) => [k, i])), [keys]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `measured` says the heights map changed.
  const offsets = useMemo(
    () => rowOffsets(keys, heights.current, averageHeight(heights.current, estimate), gap),
    [keys, measured, estimate, gap],
  );

  // Rows above the view that changed size, came or went since the last render move the view by as much.
  const shift = anchorShift(anchor.current, indexOf, offsets, view.current.top);
  const top = view.current.top + shift;
  let [first, last] = rowsInView(offsets, top, top + view.current.height, overscan, gap);
  const [inViewFirst, inViewLast] = [first, last];
  for (const key of focused === null ? (pinned ?? []) : [focused, ...(pinned ?? [])]) {
    const at = indexOf.get(key);
    if (at !== undefined && at >= inViewFirst - KEEP_REACH && at <= inViewLast + KEEP_REACH) {
      first = Math.min(first, at);
      last = Math.max(last, at);
    }
  }

  const readView = useCallback(() => {
    if (list.current && scroller.current) view.current = viewOf(list.current, scroller.current);
  }, []);

  useLayoutEffect(() => {
    if (shift !== 0 && scroller.current) {
      scroller.current.scrollTop += shift;
      readView();
    }
    anchor.current = anchorFor(keys, offsets, view.current.top, gap);
  });

  // Follow the page's scroller and the window's size.
  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    const box = scrollParent(el);
    scroller.current = box;
    readView();
    moved();
    const target: HTMLElement | Window = box === document.scrollingElement ? window : box;
    const onScroll = () => {
      scrolled.current = true;
      readView();
      moved();
    };
    target.addEventListener("scroll", onScroll, { passive: true });
    window.addEventListener("resize", onScroll);
    return () => {
      target.removeEventListener("scroll", onScroll);
      window.removeEventListener("resize", onScroll);
    };
  }, [readView]);

  // Measure every rendered row as it mounts and whenever it changes size (a player opens, a note appears).
  // Made in a layout effect before the one that observes the rows, so the first rows are measured too.
  const rowOf = useRef(new WeakMap<Element, RowKey>());
  const observed = useRef(new Set<Element>());
  const observer = useRef<ResizeObserver | null>(null);
  useLayoutEffect(() => {
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const key = rowOf.current.get(entry.target);
        if (key === undefined) continue;
        const h = entry.borderBoxSize?.[0]?.blockSize ?? (entry.target as HTMLElement).offsetHeight;
        // A row taken out of the page reports 0: keep what it measured while it was there.
        if (h > 0 && heights.current.get(key) !== h) {
          heights.current.set(key, h);
          changed = true;
        }
      }
      if (changed) {
        readView();
        remeasured();
      }
    });
    observer.current = ro;
    const seen = observed.current;
    return () => {
      ro.disconnect();
      seen.clear();
      observer.current = null;
    };
  }, [readView]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the rendered rows change with the range and items.
  useLayoutEffect(() => {
    const el = list.current;
    const ro = observer.current;
    if (!el || !ro) return;
    // Rows scrolled out were unmounted: stop watching them, or the observer would keep every row ever shown.
    for (const row of observed.current) {
      if (row.parentElement !== el) {
        ro.unobserve(row);
        observed.current.delete(row);
      }
    }
    const children = el.children;
    for (let i = 0; i < children.length; i++) {
      const child = children[i] as Element;
      const key = keys[first + i];
      if (key === undefined || observed.current.has(child)) continue;
      rowOf.current.set(child, key);
      observed.current.add(child);
      ro.observe(child);
    }
  }, [first, last, keys]);

  const n = items.length;
  const nearEndRef = useRef(onNearEnd);
  nearEndRef.current = onNearEnd;
  useEffect(() => {
    if (scrolled.current && n > 0 && last >= n - nearEnd) nearEndRef.current?.();
  }, [last, n, nearEnd]);

  // Forget heights of rows that left the list, so the map does not grow without end over a long session.
  useEffect(() => {
    for (const key of heights.current.keys()) if (!indexOf.has(key)) heights.current.delete(key);
  }, [indexOf]);

  useImperativeHandle(
    handle,
    () => ({
      scrollToKey: (key) => {
        const i = indexOf.get(key);
        const box = scroller.current;
        const el = list.current;
        if (i === undefined || !box || !el) return false;
        const listTop = -viewOf(el, box).top + box.scrollTop;
        const rowTop = offsets[i] as number;
        box.scrollTop = Math.max(0, listTop + rowTop - view.current.height / 2);
        readView();
        anchor.current = null;
        moved();
        return true;
      },
    }),
    [indexOf, offsets, readView],
  );

  const rows: ReactElement[] = [];
  for (let i = first; i <= last; i++) {
    const item = items[i] as T;
    rows.push(<Fragment key={rowKey(item)}>{renderRow(item, i)}</Fragment>);
  }
  return (
    <ul
      ref={list}
      className={className}
      aria-label={ariaLabel}
      data-testid={testId}
      data-rows={n}
      style={{
        paddingTop: n > 0 ? offsets[first] : 0,
        paddingBottom: n > 0 ? (offsets[n] as number) - (offsets[last + 1] as number) : 0,
        // This list keeps its rows still itself; the browser's own scroll anchoring (Chromium's, in WebView2)
        // would move the view a second time.
        overflowAnchor: "none",
      }}
      onFocus={(e) => {
        const row = Array.prototype.indexOf.call(
          e.currentTarget.children,
          rowElement(e.currentTarget, e.target),
        );
        if (row >= 0) setFocused(keys[first + row] ?? null);
      }}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocused(null);
      }}
    >
      {rows}
    </ul>
  );
}

/** The list's child (a row) that holds `target`. */
function rowElement(list: Element, target: EventTarget): Element | null {
  let el = target as Element | null;
  while (el && el.parentElement !== list) el = el.parentElement;
  return el;
}
