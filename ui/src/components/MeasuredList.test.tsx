import { act, fireEvent, render, screen } from "@testing-library/react";
import { createRef, type Ref } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MeasuredList, type MeasuredListHandle } from "./MeasuredList";

/** jsdom lays nothing out: the scroller is 500 px tall and the list starts at its top. */
const VIEW = 500;
const ESTIMATE = 100;
const GAP = 10;
const OVERSCAN = 200;

/** A ResizeObserver the test drives: `deliver` reports each observed row at the height it is given. */
class FakeResizeObserver {
  static all = new Set<FakeResizeObserver>();
  observed = new Set<Element>();
  constructor(private readonly callback: ResizeObserverCallback) {
    FakeResizeObserver.all.add(this);
  }
  observe(el: Element) {
    this.observed.add(el);
  }
  unobserve(el: Element) {
    this.observed.delete(el);
  }
  disconnect() {
    this.observed.clear();
    FakeResizeObserver.all.delete(this);
  }
  static deliver(height: (el: Element) => number) {
    for (const ro of FakeResizeObserver.all) {
      const entries = [...ro.observed].map(
        (target) => ({ target, borderBoxSize: [{ blockSize: height(target), inlineSize: 600 }] }) as unknown,
      );
      ro.callback(entries as ResizeObserverEntry[], ro as unknown as ResizeObserver);
    }
  }
  static watching() {
    return [...FakeResizeObserver.all].reduce((n, ro) => n + ro.observed.size, 0);
  }
}

const saved = globalThis.ResizeObserver;
beforeEach(() => {
  globalThis.ResizeObserver = FakeResizeObserver as unknown as typeof ResizeObserver;
});
afterEach(() => {
  globalThis.ResizeObserver = saved;
  FakeResizeObserver.all.clear();
});

const names = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `job ${from + i}`);
const key = (s: string) => s;

function List({
  items,
  handle,
  onNearEnd,
  pinned,
}: {
  items: string[];
  handle?: Ref<MeasuredListHandle>;
  onNearEnd?: () => void;
  pinned?: ReadonlySet<string>;
}) {
  return (
    <div data-testid="scroller" style={{ overflowY: "auto" }}>
      <MeasuredList
        items={items}
        rowKey={key}
        renderRow={(s) => (
          <li data-testid="row" data-key={s}>
            {s} <button type="button">open {s}</button>
          </li>
        )}
        estimate={ESTIMATE}
        gap={GAP}
        overscan={OVERSCAN}
        testId="list"
        handle={handle}
        onNearEnd={onNearEnd}
        pinned={pinned}
      />
    </div>
  );
}

/** Renders the list in a scroller whose geometry follows its scrollTop, as a browser's would. */
function show(items: string[], handle?: Ref<MeasuredListHandle>, onNearEnd?: () => void) {
  const utils = render(<List items={items} handle={handle} onNearEnd={onNearEnd} />);
  return {
    ...utils,
    rerenderWith: (next: string[]) =>
      utils.rerender(<List items={next} handle={handle} onNearEnd={onNearEnd} />),
  };
}

beforeEach(() => {
  Object.defineProperty(HTMLElement.prototype, "clientHeight", {
    configurable: true,
    get() {
      return this.dataset?.testid === "scroller" ? VIEW : 0;
    },
  });
  const rect = HTMLElement.prototype.getBoundingClientRect;
  HTMLElement.prototype.getBoundingClientRect = function (this: HTMLElement) {
    if (this.dataset.testid === "list") {
      const scroller = this.parentElement as HTMLElement;
      return { top: -scroller.scrollTop, bottom: 0, left: 0, right: 0, width: 0, height: 0 } as DOMRect;
    }
    return rect.call(this);
  };
});

function shown() {
  return screen.queryAllByTestId("row").map((r) => r.dataset.key);
}

function scrollTo(top: number) {
  const scroller = screen.getByTestId("scroller");
  scroller.scrollTop = top;
  fireEvent.scroll(scroller);
}

const pad = (side: "Top" | "Bottom") => Number.parseFloat(screen.getByTestId("list").style[`padding${side}`]);

describe("MeasuredList", () => {
  it("renders only the rows in view and a margin out of 10 000, padding standing for the rest", () => {
    show(names(10_000));
    // Rows 110 apart; the view and its margin reach 700 px: rows 0 to 6.
    expect(shown()).toEqual(names(7));
    expect(pad("Top")).toBe(0);
    expect(pad("Bottom")).toBe((10_000 - 7) * 110);
  });

  it("follows the scroll position, far down too, with a bounded number of rows", () => {
    show(names(10_000));
    scrollTo(550_000);
    const rows = shown();
    // 550 000 - 200 = 549 800 → row 4998 (it ends at 549 880); 550 700 → row 5006 starts before it.
    expect(rows[0]).toBe("job 4998");
    expect(rows.at(-1)).toBe("job 5006");
    expect(pad("Top")).toBe(4998 * 110);
    expect(screen.queryByText("job 0")).toBeNull();
  });

  it("places rows by their measured heights, and keeps watching only the rows on screen", () => {
    show(names(1000));
    act(() => FakeResizeObserver.deliver(() => 300));
    // Seven rows of 300: the rows after them count as 300 too (the average), so three fill the view now.
    expect(shown()).toEqual(names(3));
    expect(pad("Bottom")).toBe((1000 - 3) * 310);
    scrollTo(310 * 500);
    act(() => FakeResizeObserver.deliver(() => 300));
    expect(shown()[0]).toBe("job 499");
    expect(pad("Top")).toBe(499 * 310);
    expect(FakeResizeObserver.watching()).toBe(shown().length);
  });

  it("keeps the rows in view still when a job arrives at the top while scrolled down", () => {
    const { rerenderWith } = show(names(1000));
    scrollTo(55_000);
    const before = shown();
    rerenderWith(["new", ...names(1000)]);
    // Moved down by the new row (its estimate and a gap): the same rows are on screen.
    expect(screen.getByTestId("scroller").scrollTop).toBe(55_110);
    expect(shown()).toEqual(before);
  });

  it("shows a new job at the top while the top is in view", () => {
    const { rerenderWith } = show(names(1000));
    rerenderWith(["new", ...names(1000)]);
    expect(screen.getByTestId("scroller").scrollTop).toBe(0);
    expect(shown()[0]).toBe("new");
  });

  it("keeps the row that holds the keyboard focus while the view moves a little away", () => {
    show(names(1000));
    const button = screen.getByText("open job 2");
    act(() => button.focus());
    scrollTo(3_000);
    expect(shown()).toContain("job 2");
    expect(document.activeElement).toBe(button);
    // Far away it is let go.
    scrollTo(80_000);
    expect(shown()).not.toContain("job 2");
  });

  it("keeps a pinned row (a playing video) rendered while near, in one run with the rows in view", () => {
    render(<List items={names(1000)} pinned={new Set(["job 1"])} />);
    scrollTo(3_000);
    const rows = shown();
    expect(rows[0]).toBe("job 1");
    expect(rows).toEqual(names(rows.length, 1));
    expect(pad("Top")).toBe(110);
    scrollTo(80_000);
    expect(shown()).not.toContain("job 1");
  });

  it("scrolls to a row it does not render", () => {
    const handle = createRef<MeasuredListHandle>();
    show(names(1000), handle);
    let found = false;
    act(() => {
      found = handle.current?.scrollToKey("job 600") ?? false;
    });
    expect(found).toBe(true);
    expect(shown()).toContain("job 600");
    expect(handle.current?.scrollToKey("nobody")).toBe(false);
  });

  it("asks for more when the user scrolls near the last row, and again once the longer list ends there", () => {
    let asked = 0;
    const { rerenderWith } = show(names(50), undefined, () => asked++);
    // A list that fits its screen leaves that to the page (the rows rendered alone say nothing).
    expect(asked).toBe(0);
    scrollTo(2_000);
    expect(asked).toBe(0);
    scrollTo(50 * 110 - VIEW);
    expect(asked).toBe(1);
    rerenderWith(names(100));
    expect(asked).toBe(1);
    scrollTo(100 * 110 - VIEW);
    expect(asked).toBe(2);
  });

  it("renders nothing for an empty list", () => {
    show([]);
    expect(shown()).toEqual([]);
    expect(pad("Bottom")).toBe(0);
  });
});
